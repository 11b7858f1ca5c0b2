"""The burn chart: cumulative utfall against cumulative budget per quarter."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import config, fmt


def burn(df: pd.DataFrame, title: str) -> go.Figure:
    """``df`` from ``views.budget_kvartal`` (period, ack_budget_tkr, ack_utfall_tkr)."""
    x = [fmt.kvartal_axel(p) for p in df["period"]]
    # the green band of the budget light (förbund policy, from the configuration) as a target
    lo, hi = config.get().budget.gron
    band = f"Grönt intervall ({lo:g}–{hi:g} % av budgeten)"
    # the layout given at construction: plotly's update_layout costs several times more
    return go.Figure([
        go.Scatter(x=x, y=df["ack_budget_tkr"], name="Ackumulerad budget", mode="lines+markers",
                   line={"color": "#1f3b57", "dash": "dash", "width": 3},
                   marker={"symbol": "square", "size": 9},
                   hovertemplate="%{x}: %{y:,.0f} tkr<extra>Budget</extra>"),
        go.Scatter(x=x, y=df["ack_utfall_tkr"], name="Ackumulerat utfall", mode="lines+markers",
                   line={"color": "#b35900", "width": 3}, marker={"symbol": "circle", "size": 9},
                   hovertemplate="%{x}: %{y:,.0f} tkr<extra>Utfall</extra>"),
        go.Scatter(x=x, y=df["ack_budget_tkr"] * lo / 100, mode="lines", line={"width": 0},
                   showlegend=False, hoverinfo="skip", legendgroup="band"),
        go.Scatter(x=x, y=df["ack_budget_tkr"] * hi / 100, mode="lines", line={"width": 0},
                   fill="tonexty", fillcolor="rgba(27,122,58,0.15)", name=band,
                   legendgroup="band", hoverinfo="skip"),
    ], layout={
        "title": {"text": title, "font": {"size": 16}}, "separators": ", ",
        "yaxis": {"title": "tkr", "tickformat": ",.0f", "rangemode": "tozero"},
        "xaxis": {"title": None}, "legend": {"orientation": "h", "y": -0.15},
        "margin": {"l": 60, "r": 20, "t": 50, "b": 40}, "height": 360, "font": {"size": 14}})


def per_insats(df: pd.DataFrame) -> go.Figure:
    """Förbrukningskvot per insats as horizontal bars against the green band (presentation).
    ``df`` from ``views.budget``: kortnamn, forbrukningskvot, lampa."""
    from .. import codes

    d = df[df["forbrukningskvot"].notna()]
    lo, hi = config.get().budget.gron
    colour = {"gron": "#1b7a3a", "gul": "#b08800", "rod": "#b3261e"}
    fig = go.Figure(go.Bar(
        y=list(d["kortnamn"]), x=[k * 100 for k in d["forbrukningskvot"]], orientation="h",
        marker={"color": [colour.get(v, "#777") for v in d["lampa"]]},
        text=[f"{fmt.procent(k)} {codes.lampa_text(v)}" for k, v in
              zip(d["forbrukningskvot"], d["lampa"])],
        textposition="outside", cliponaxis=False, hoverinfo="skip", showlegend=False))
    fig.layout = go.Layout(
        separators=", ", margin={"l": 10, "r": 120, "t": 50, "b": 40},
        xaxis={"title": "förbrukat av årets budget hittills (%)", "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "automargin": True}, font={"size": 18},
        height=max(360, 70 + 46 * len(d)))
    fig.add_vrect(x0=lo, x1=hi, fillcolor="rgba(27,122,58,0.15)", line_width=0,
                  annotation_text=f"grönt {lo:g}–{hi:g} %", annotation_position="top",
                  annotation_yshift=22)
    return fig
