"""Mål: the goal light per insats for the chosen quarter (PM Tabell 2), each insats's goals,
and a quarter-by-quarter strip of lights so a trend is visible."""

from __future__ import annotations

import dash
from dash import html

from .. import codes, inlast, nyckeltal, tables
from ..components.lampa import lampa, legend
from ..components.sida import heading, info, insats_links, section
from ..components.tabell import tabell
from ..kontroller.sida import render_page

PAGE = "mal"
dash.register_page(__name__, path="/mal", name="Mål", title="Mål – Insatskollen", order=1)


def layout(**query):
    return render_page(render, query)


def lage(con, scope, state) -> html.Div:
    """The quarter's lights in one line, and in words how each count changed since the quarter
    before ("Mot kvartal 3 2022: lika många gröna, 1 fler gul, 1 färre röd.")."""
    f = state.filters()
    k = nyckeltal.mal_lampor(con, scope, f)
    parts = []
    for key in ("gron", "gul", "rod"):
        parts += [" · " if parts else "", lampa(key, text=f"{k[key]} {codes.lampa_ord(key, k[key])}")]
    fore = next(((w, g) for kind, w, g in nyckeltal.jamforelser(con, f) if kind == "kvartal"),
                None)
    andring = None
    if fore:
        then = nyckeltal.mal_lampor(con, scope, fore[1])
        changes = []
        for key in ("gron", "gul", "rod"):
            arrow, text = nyckeltal.forandring(k[key], then[key])
            n = abs(k[key] - then[key])
            changes.append(f"{arrow} {text} {codes.lampa_ord(key, n)}" if arrow != "="
                           else f"= lika många {codes.lampa_ord(key, 2)}")
        andring = html.Div(f"Mot {fore[0][3:]}: " + ", ".join(changes) + ".",
                           className="small", id=f"{PAGE}-lage-andring")
    return html.Div([
        html.Div(parts + ([f" · {k['saknas']} utan kvartalsrapport"] if k["saknas"] else []),
                 className="fs-5", id=f"{PAGE}-lage"),
        andring,
    ], className="mb-2")


def render(con, scope, state):
    laget = inlast.laget(con)  # what is loaded: once for the page
    mal = tables.mal(con, scope, state)
    links = insats_links(mal.df["insats_id"], state)
    strip = tables.lampor(con, scope, state)
    malen = tables.malen(con, scope, state)
    return html.Main([
        heading(PAGE, "Mål", laget, scope, state,
                "Styrgruppernas bedömning för periodens sista kvartal. Klicka på en insats för "
                "att se allt om den."),
        lage(con, scope, state),
        legend(PAGE, budget=False),
        section([mal.rubrik, info("mallampa", "mållampan")], tabell(mal, PAGE, links=links)),
        section(strip.rubrik, tabell(strip, PAGE, links=insats_links(strip.df["insats_id"],
                                                                     state))),
        section("Insatsernas mål", html.Details([
            html.Summary(f"Visa alla {len(malen.df)} mål (måltyp, målvärde, utfall, bedömning)"),
            tabell(malen, PAGE),
        ], id=f"{PAGE}-malen-visa")),
    ], className="container-fluid py-2")
