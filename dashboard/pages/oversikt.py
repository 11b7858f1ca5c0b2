"""Översikt (start page). For now: how many insatser have each goal light this quarter."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from .. import fmt, views
from ..components.lampa import lampa, lampa_card
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
    watch = df[df["lampa"].isin(["rod", "gul"])].copy()
    watch["ordning"] = watch["lampa"].map({"rod": 0, "gul": 1})
    watch = watch.sort_values(["ordning", "kortnamn"])
    return html.Main([
        html.H1(f"Översikt {fmt.kvartal(period)}", className="h3 mb-3", id=f"{PAGE}-rubrik"),
        html.P(f"Målens lampor för {len(df)} insatser som pågår under kvartalet. "
               "Grön: i fas och prognosen säger att målen nås. Gul: inte i fas, men prognosen "
               "är god. Röd: prognosen säger att målen inte nås.", className="text-body-secondary"),
        dbc.Row(cards),
        html.P(f"{missing} insatser saknar kvartalsrapport.", id=f"{PAGE}-saknas")
        if missing else None,
        html.H2("Röda och gula insatser", className="h5 mt-3"),
        attention_list(watch) if len(watch) else html.P("Alla insatser är i fas.",
                                                        id=f"{PAGE}-alla-i-fas"),
    ], className="container-fluid py-3")


def attention_list(df) -> dbc.ListGroup:
    """Red first, then yellow; each with the styrgrupp's comment. Text is passed as text
    (React escapes it), never as HTML."""
    items = []
    for row in df.itertuples():
        comment = row.kommentar if isinstance(row.kommentar, str) and row.kommentar else \
            "Ingen kommentar från styrgruppen."
        items.append(dbc.ListGroupItem([
            html.Div([lampa(row.lampa), " ", html.Strong(row.kortnamn)]),
            html.Div(comment, className="text-body-secondary small"),
        ], id={"type": f"{PAGE}-insats", "id": row.insats_id}))
    return dbc.ListGroup(items, id=f"{PAGE}-att-folja-upp")
