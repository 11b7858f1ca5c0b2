"""Mål: the goal light per insats for the chosen quarter (PM Tabell 2), each insats's goals,
and a quarter-by-quarter strip of lights so a trend is visible."""

from __future__ import annotations

import dash
from dash import html

from .. import tables
from ..components.lampa import legend
from ..components.sida import heading, info, insats_links, render_page, section
from ..components.tabell import tabell

PAGE = "mal"
dash.register_page(__name__, path="/mal", name="Mål", title="Mål – Insatskollen", order=1)


def layout(**query):
    return render_page(render, query)


def render(con, scope, state):
    mal = tables.mal(con, scope, state)
    links = insats_links(mal.df["insats_id"], state)
    strip = tables.lampor(con, scope, state)
    malen = tables.malen(con, scope, state)
    return html.Main([
        heading(PAGE, "Mål", con, scope, state,
                "Styrgruppernas bedömning för periodens sista kvartal. Klicka på en insats för "
                "att se allt om den."),
        legend(PAGE, budget=False),
        section([mal.rubrik, info("mallampa", "mållampan")], tabell(mal, PAGE, links=links)),
        section(strip.rubrik, tabell(strip, PAGE, links=insats_links(strip.df["insats_id"],
                                                                     state))),
        section("Insatsernas mål", html.Details([
            html.Summary(f"Visa alla {len(malen.df)} mål (måltyp, målvärde, utfall, bedömning)"),
            tabell(malen, PAGE),
        ], id=f"{PAGE}-malen-visa")),
    ], className="container-fluid py-2")
