"""Deltagare (utfall): per individinsats the contract's deltagare view (PM Tabell 6), the
avslutsorsaker by kön (Tabell 7), and the trend per quarter."""

from __future__ import annotations

import dash
from dash import dcc, html

from .. import fmt, tables
from ..components.sida import heading, insats_links, render_page, section
from ..components.tabell import download_buttons, tabell
from ..figures.deltagare import by_kon, trend

PAGE = "deltagare"
dash.register_page(__name__, path="/deltagare", name="Deltagare", title="Deltagare – Insatskollen",
                   order=4)


def layout(**query):
    return render_page(render, query)


def summary(t: tables.Tabell) -> str:
    """One line over the table: from its "Samtliga" row (or its one insats)."""
    if not len(t.df):
        return "Inga individinsatser i urvalet."
    r = t.df.iloc[-1]
    return (f"{fmt.heltal(r['deltagare_period'])} deltagare under perioden, "
            f"{fmt.heltal(r['avslutade_period'])} avslutade, varav "
            f"{tables.cell_of(r.to_dict(), t.kolumner[5])} till arbete eller studier.")


def chart_block(page: str, t: tables.Tabell, figure, insats: str = "") -> html.Div:
    """A chart, its numbers as a table under it, and the table's downloads."""
    return html.Div([
        dcc.Graph(figure=figure, config={"displaylogo": False}, id=f"{page}-{t.namn}-diagram"),
        html.Details([html.Summary("Visa diagrammets siffror som tabell"),
                      tabell(t, page, insats=insats, download=False)]),
        download_buttons(t.namn, insats, chart=True),
    ])


def render(con, scope, state):
    t = tables.deltagare(con, scope, state)
    links = insats_links([i for i in t.df["insats_id"] if isinstance(i, str)], state)
    avslut = tables.avslutsorsaker(con, scope, state)
    kvartal = tables.deltagare_kvartal(con, scope, state)
    return html.Main([
        heading(PAGE, "Deltagare", con, scope, state,
                "Deltagare i individinsatser. En person i två insatser räknas i båda. "
                + tables.sma_tal_text()),
        html.P(summary(t), className="fs-5", id=f"{PAGE}-sammanfattning"),
        section(t.rubrik, tabell(t, PAGE, links=links)),
        section(avslut.rubrik, chart_block(
            PAGE, avslut, by_kon(avslut.df, "orsak",
                                 "Avslutsorsaker efter kön"))),
        section(kvartal.rubrik, chart_block(PAGE, kvartal, trend(kvartal.df, kvartal.rubrik))),
    ], className="container-fluid py-2")
