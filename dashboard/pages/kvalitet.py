"""Kvalitet: the styrgrupp checklist (PM Tabell 3 and 5) as a ja/nej matrix, the answers
that deviate from the expected one marked, with the comments."""

from __future__ import annotations

import dash
from dash import html

from .. import tables
from ..components.sida import heading, insats_links, render_page, section
from ..components.tabell import tabell

PAGE = "kvalitet"
dash.register_page(__name__, path="/kvalitet", name="Kvalitet", title="Kvalitet – Insatskollen",
                   order=3)


def layout(**query):
    return render_page(render, query)


def render(con, scope, state):
    t = tables.kvalitet(con, scope, state)
    n = len({i for i, _ in t.avvikande})
    return html.Main([
        heading(PAGE, "Kvalitet", con, state,
                "Styrgruppernas svar på kontrollfrågorna för periodens sista kvartal."),
        html.P(f"{n} av {len(t.df)} insatser har minst ett avvikande svar.",
               id=f"{PAGE}-antal-avvikande", className="fw-semibold"),
        section(t.rubrik, tabell(t, PAGE, links=insats_links(t.df["insats_id"], state))),
        html.Details([
            html.Summary("Frågorna i sin helhet, och vilket svar som är det förväntade"),
            html.Dl([x for _, kort, fraga, ja in tables.CHECKLISTA for x in (
                html.Dt(kort.replace("\u00ad", ""), className="col-sm-3"),
                html.Dd(f"{fraga} (förväntat: {'ja' if ja else 'nej'})", className="col-sm-9"))],
                className="row small mt-2"),
        ], id=f"{PAGE}-fragor"),
    ], className="container-fluid py-2")
