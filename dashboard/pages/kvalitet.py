"""Kvalitet: the styrgrupp checklist (PM Tabell 3 and 5) as a ja/nej matrix, the answers
that deviate from the expected one marked, with the comments."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from .. import inlast, nyckeltal, schema, tables
from ..components.sida import heading, info, insats_links, section
from ..components.tabell import tabell
from ..kontroller.sida import render_page

PAGE = "kvalitet"
dash.register_page(__name__, path="/kvalitet", name="Kvalitet", title="Kvalitet – Insatskollen",
                   order=3)


def layout(**query):
    return render_page(render, query)


def render(con, scope, state):
    laget = inlast.laget(con)  # what is loaded: once for the page
    t = tables.kvalitet(con, scope, state)
    links = insats_links(t.df["insats_id"], state)
    return html.Main([
        heading(PAGE, "Kvalitet", laget, scope, state,
                "Styrgruppernas svar på kontrollfrågorna för periodens sista kvartal."),
        dbc.Row([
            dbc.Col(lista(t, links, atgard=True), md=6),
            dbc.Col(lista(t, links, atgard=False), md=6),
        ]),
        section(t.rubrik, tabell(t, PAGE, links=links)),
        html.Details([
            html.Summary("Frågorna i sin helhet, och vilket svar som är det förväntade"),
            html.Dl([x for c in schema.CHECKLISTA for x in (
                html.Dt(c.short.replace("\u00ad", ""), className="col-sm-3"),
                html.Dd(f"{c.label} (förväntat: {'ja' if c.expected else 'nej'}; annars "
                        f"{'åtgärd krävs' if c.atgard else 'för kännedom'})",
                        className="col-sm-9"))],
                className="row small mt-2"),
        ], id=f"{PAGE}-fragor", open=True),
    ], className="container-fluid py-2")


def lista(t: tables.Tabell, links: dict, atgard: bool) -> html.Section:
    """The insatser with answers that ask for action (or are for information), in words."""
    title = "Åtgärd krävs" if atgard else "För kännedom"
    key = "atgard" if atgard else "kannedom"
    items = []
    for row in tables.rader(t.df):
        why = nyckeltal.avvikelser(row, atgard)
        if why:
            items.append(html.Li([html.A(row["kortnamn"], href=links[row["insats_id"]]), ": ",
                                  ", ".join(why) + "."]))
    n = len(items)
    return html.Section([
        html.H2([f"{title} ({n} {'insats' if n == 1 else 'insatser'})",
                 info("kvalitet", "kvalitetslistorna")], className="h5 mt-2",
                id=f"{PAGE}-{key}-rubrik"),
        html.Ul(items, id=f"{PAGE}-{key}", className="mb-2") if items else
        html.P("Inga." if atgard else "Inget.", id=f"{PAGE}-{key}", className="mb-2"),
    ], className=f"ik-{key}")
