"""The burn chart: cumulative utfall against cumulative budget per quarter."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import config, fmt
from .palett import TEMPLATE


def burn(df: pd.DataFrame, title: str) -> go.Figure:
    """``df`` from ``views.budget_kvartal`` (period, ack_budget_tkr, ack_utfall_tkr)."""
    x = [fmt.kvartal_axel(p) for p in df["period"]]
    fig = go.Figure([
        go.Scatter(x=x, y=df["ack_budget_tkr"], name="Ackumulerad budget", mode="lines+markers",
                   line={"color": "#1f3b57", "dash": "dash", "width": 3},
                   marker={"symbol": "square", "size": 9},
                   hovertemplate="%{x}: %{y:,.0f} tkr<extra>Budget</extra>"),
        go.Scatter(x=x, y=df["ack_utfall_tkr"], name="Ackumulerat utfall", mode="lines+markers",
                   line={"color": "#b35900", "width": 3}, marker={"symbol": "circle", "size": 9},
                   hovertemplate="%{x}: %{y:,.0f} tkr<extra>Utfall</extra>"),
    ])
    # the green band of the budget light (förbund policy, from the configuration) as a target
    lo, hi = config.get().budget.gron
    band = f"Grönt intervall ({lo:g}–{hi:g} % av budgeten)"
    fig.add_trace(go.Scatter(x=x, y=df["ack_budget_tkr"] * lo / 100, mode="lines",
                             line={"width": 0}, showlegend=False, hoverinfo="skip",
                             legendgroup="band"))
    fig.add_trace(go.Scatter(x=x, y=df["ack_budget_tkr"] * hi / 100, mode="lines",
                             line={"width": 0}, fill="tonexty", fillcolor="rgba(27,122,58,0.15)",
                             name=band, legendgroup="band", hoverinfo="skip"))
    fig.update_layout(
        title={"text": title, "font": {"size": 16}}, separators=", ",
        yaxis={"title": "tkr", "tickformat": ",.0f", "rangemode": "tozero"},
        xaxis={"title": None}, legend={"orientation": "h", "y": -0.15},
        margin={"l": 60, "r": 20, "t": 50, "b": 40}, height=360, template=TEMPLATE,
        font={"size": 14},
    )
    return fig
