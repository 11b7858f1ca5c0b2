"""Traffic lights that never rely on colour alone: a symbol, a word and a colour."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

LAMPOR = {
    "gron": ("●", "Grön"),
    "gul": ("▲", "Gul"),
    "rod": ("■", "Röd"),
    None: ("○", "Saknas"),
}


def lampa(value: str | None) -> html.Span:
    symbol, word = LAMPOR.get(value, LAMPOR[None])
    return html.Span(f"{symbol} {word}", className=f"lampa lampa-{value or 'saknas'}")


def lampa_card(page: str, value: str | None, count: int, text: str) -> dbc.Card:
    """A KPI card: how many insatser have this light."""
    symbol, word = LAMPOR.get(value, LAMPOR[None])
    return dbc.Card(
        dbc.CardBody([
            html.Div(f"{count}", className="kpi-value", id=f"{page}-antal-{value or 'saknas'}"),
            html.Div([html.Span(f"{symbol} {word}", className=f"lampa lampa-{value or 'saknas'}"),
                      f" {text}"], className="kpi-label"),
        ]),
        className=f"kpi-card lampa-{value or 'saknas'} h-100",
    )
