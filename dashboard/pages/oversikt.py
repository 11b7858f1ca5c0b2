"""Översikt (start page). For now: how many insatser have each goal light this quarter."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from .. import fmt, views
from ..components.lampa import lampa_card
from ..session import database, viewer_scope

PAGE = "oversikt"
dash.register_page(__name__, path="/", name="Översikt", title="Översikt – Insatskollen")


def layout(**query):
    con = database()
    try:
        period = views.latest_period(con)
    except views.NoData:
        return dbc.Alert("Inget uttag är inläst ännu.", color="warning")
    df = views.mal(con, viewer_scope(), views.Filters(period, period))
    counts = df["lampa"].value_counts(dropna=False)
    cards = [
        dbc.Col(lampa_card(PAGE, key, int(counts.get(key, 0)), text), md=4, className="mb-3")
        for key, text in [("gron", "i fas"), ("gul", "att hålla under uppsikt"),
                          ("rod", "behöver åtgärdas")]
    ]
    missing = int(df["lampa"].isna().sum())
    return html.Main([
        html.H1(f"Översikt {fmt.kvartal(period)}", className="h3 mb-3", id=f"{PAGE}-rubrik"),
        html.P(f"Målens lampor för {len(df)} insatser som pågår under kvartalet. "
               "Grön: i fas och prognosen säger att målen nås. Gul: inte i fas, men prognosen "
               "är god. Röd: prognosen säger att målen inte nås.", className="text-body-secondary"),
        dbc.Row(cards),
        html.P(f"{missing} insatser saknar kvartalsrapport.", id=f"{PAGE}-saknas")
        if missing else None,
    ], className="container-fluid py-3")
