"""Progression charts (BIP): the first and the latest mean per indicator as a radar (spider),
and how many got better, stayed or got worse per indicator. A hidden value is left out, never
drawn at a made-up size."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import config, fmt
from ..publicerat import dolt
from .palett import FONT, KON_FARG, TOTALT_FARG


def radar(df: pd.DataFrame, title: str) -> go.Figure:
    """``df`` from ``views.bip_indikator``: namn, med_uppfoljning, medel_forsta, medel_senaste."""
    shown = df[[not dolt(v) and v is not None and v == v for v in df["medel_forsta"]]]
    # short labels on two lines, so that a phone's narrow chart keeps them inside
    theta = [f"{n.split(' (')[0]}<br>n={fmt.heltal(k)}"
             for n, k in zip(shown["namn"], shown["med_uppfoljning"])]
    lo, hi = config.get().bip_skala
    fig = go.Figure([
        go.Scatterpolar(r=list(shown["medel_forsta"]) + list(shown["medel_forsta"][:1]),
                        theta=theta + theta[:1], name="Första mätningen", mode="lines+markers",
                        line={"color": TOTALT_FARG, "dash": "dash", "width": 3},
                        marker={"symbol": "square", "size": 8}),
        go.Scatterpolar(r=list(shown["medel_senaste"]) + list(shown["medel_senaste"][:1]),
                        theta=theta + theta[:1], name="Senaste mätningen", mode="lines+markers",
                        line={"color": KON_FARG["kvinna"], "width": 3},
                        marker={"symbol": "circle", "size": 8}, fill="toself",
                        fillcolor="rgba(230,159,0,0.15)"),
    ])
    fig.layout = go.Layout(
        title={"text": title, "font": {"size": 16}}, font=FONT,
        separators=", ", polar={"radialaxis": {"range": [lo, hi],
                                               "dtick": 1 if hi - lo <= 10 else None,
                                               "gridcolor": "#d5d9de"},
                                "angularaxis": {"gridcolor": "#d5d9de"}, "bgcolor": "white"},
        legend={"orientation": "h", "y": -0.12}, margin={"l": 70, "r": 70, "t": 100, "b": 40},
        height=520)
    return fig


RIKTNING = (("battre", "Bättre", "#1b7a3a"), ("samma", "Samma", "#c8c8c8"),
            ("samre", "Sämre", "#b3261e"))


def med_dolt(df: pd.DataFrame) -> pd.Series:
    """The indicators with a hidden part of the change ("<5", "X", ".."): a stacked bar of the
    others would be a made-up length, so ``forandring`` leaves them out (the table has them)."""
    return df[[c for c, _, _ in RIKTNING]].map(lambda v: dolt(v)).any(axis=1)


def forandring(df: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Per indicator: how many got better, stayed the same and got worse; an indicator with a
    hidden part has no bar (``med_dolt``). ``title=None`` where the page's heading names it."""
    df = df[~med_dolt(df)]
    fig = go.Figure([
        go.Bar(name=name, y=list(df["namn"]), x=list(df[col]), orientation="h",
               marker={"color": colour}, hovertemplate="%{y}: %{x}<extra>" + name + "</extra>")
        for col, name, colour in RIKTNING
    ])
    fig.layout = go.Layout(
        **({"title": {"text": title, "font": {"size": 16}}} if title else {}), barmode="stack",
        font=FONT, separators=", ", yaxis={"autorange": "reversed", "automargin": True},
        # the axis is "antal med uppföljning" (the caption says so): no title for the legend
        # below to run into on a phone, in reading order
        xaxis={"tickformat": ",d"},
        legend={"orientation": "h", "y": -30 / (32 * max(1, len(df))), "yanchor": "top",
                "x": 0, "traceorder": "normal"},  # 30 px below the plot: under its ticks
        margin={"l": 10, "r": 20, "t": 60 if title else 10, "b": 10},
        height=(150 if title else 100) + 32 * len(df))
    return fig
