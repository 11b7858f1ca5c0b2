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


def legend(page: str, budget: bool = True) -> html.Div:
    """What the lights mean; the budget thresholds are read from the configuration."""
    from .. import config

    items = [
        html.Li([lampa("gron"), " Mål: i fas och prognosen säger att målen nås"]),
        html.Li([lampa("gul"), " Mål: inte i fas, men prognosen är att målen nås"]),
        html.Li([lampa("rod"), " Mål: prognosen säger att målen inte nås"]),
        html.Li([lampa(None), " Ingen kvartalsrapport för kvartalet"]),
    ]
    if budget:
        items.append(html.Li("Budgetlampa på förbrukningskvoten hittills i år: "
                             f"{config.get().budget.describe()}."))
    return html.Details([html.Summary("Förklaring av lamporna"),
                         html.Ul(items, className="list-unstyled small mb-0 mt-1")],
                        className="mb-3", id=f"{page}-forklaring")
