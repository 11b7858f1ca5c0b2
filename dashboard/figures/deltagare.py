"""Participant charts. A hidden cell ("<5" or "X") has no bar: a gap at zero labelled with its
marker, never a made-up height; the figure does not hold its number."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import config, dolda, fmt
from ..publicerat import dolt
from .palett import DELAD_FARG, DOLD_FARG, FONT, KON_FARG, KON_NAMN, TEMPLATE, TOTALT_FARG

DOLD_LEGEND = (f"Dolt: {config.get().suppressed_marker} = 0–{config.get().suppression_threshold - 1}, "
               f"{config.get().dold_marker} = dold för att skydda ett litet tal")


def _dold_legend(values) -> str:
    """The hidden bars' legend, with ".." (not shown) when a bar has it."""
    ej = config.get().ej_visad_marker
    return DOLD_LEGEND + (f", {ej} = visas inte alls" if ej in values else "")


def _bars(name: str, labels: list[str], values: list, colour: str,
          first_hidden: bool, legend: str) -> list[dict]:
    """Two bars sharing one slot of the group: the shown values in ``colour``; the hidden
    ones as an empty slot at zero labelled with their marker (so the legend keeps the kön's
    own colour)."""
    hidden = [dolt(v) for v in values]
    common = {"type": "bar", "y": labels, "orientation": "h", "offsetgroup": name,
              "textposition": "outside", "cliponaxis": False}
    shown = {"name": name, "x": [None if h else v for h, v in zip(hidden, values)],
             "marker": {"color": colour},
             "text": [None if h else fmt.heltal(v) for h, v in zip(hidden, values)],
             "hovertemplate": "%{y}: %{text}<extra>" + name + "</extra>", **common}
    if not any(hidden):
        return [shown]
    dold = {"name": legend, "legendgroup": "dolt", "showlegend": first_hidden,
            "legendrank": 2000, "x": [0 if h else None for h in hidden],
            "marker": {"color": DOLD_FARG}, "text": [v if h else None for h, v in zip(hidden, values)],
            "hovertemplate": "%{y}: %{text} (dolt)<extra>" + name + "</extra>", **common}
    return [shown, dold]


DELAD_NAMN = "Kvinnor och män (könen döljs)"


def by_kon(df: pd.DataFrame, label_col: str, title: str | None) -> dict:
    """Grouped horizontal bars per kön (or the total only, when the table has no kön).
    ``title=None`` on a page whose section heading names the chart: on a phone the legend
    wraps onto a title above it (an image download keeps its title).

    A category whose kön split is hidden but whose total is published is one neutral bar of
    the total across its group (``dolda.Kategori.bara_totalt``): a hidden split never hides
    a published size. A hidden count has no bar, only its marker at zero.

    A figure dict (``{"data", "layout"}``, what ``dcc.Graph`` and ``go.Figure`` take), not a
    ``go.Figure``: plotly's validation of every property was most of Målgrupp's time (six
    charts a page); ``go.Figure(by_kon(...))`` validates it (the image download, the tests)
    and gives the same JSON, the project's template included."""
    labels = df[label_col].tolist()
    kats = dolda.kategorier(df, label_col)
    whole = [k.bara_totalt for k in kats]
    series = [(KON_NAMN[k], [None if w else v for w, v in zip(whole, df[k].tolist())],
               KON_FARG[k]) for k in KON_FARG if k in df.columns] \
        if "kvinna" in df.columns else [("Totalt", df["totalt"].tolist(), TOTALT_FARG)]
    bars, legend_done = [], False
    legend = _dold_legend({v for _, values, _ in series for v in values if dolt(v)})
    for name, values, colour in series:
        bars += _bars(name, labels, values, colour, not legend_done, legend)
        legend_done = legend_done or any(dolt(v) for v in values)
    if any(whole):  # across the group's slots: one bar where the kön bars would be
        x = [k.totalt if w else None for k, w in zip(kats, whole)]
        bars.append({"type": "bar", "name": DELAD_NAMN, "y": labels, "x": x,
                     "orientation": "h", "offsetgroup": series[0][0], "offset": -0.4,
                     "width": 0.8, "marker": {"color": DELAD_FARG},
                     "text": [None if v is None else fmt.heltal(v) for v in x],
                     "textposition": "outside", "cliponaxis": False, "legendrank": 1500,
                     "hovertemplate": "%{y}: %{text}<extra>Kvinnor och män</extra>"})
    slots = len(series)
    return {"data": bars, "layout": liggande_layout(
        bars, "antal", max(300, 130 + len(labels) * (20 * slots + 12)), 90 if title else 70,
        title)}


def liggande_layout(bars: list, x_title: str, height: int, top_margin: int,
                    title: str | None = None) -> dict:
    """The layout of grouped horizontal bars of counts (categories top down): whole-number
    ticks, the legend on top."""
    drawn = [v for b in bars for v in b["x"] if v is not None and not dolt(v)]
    top = max(drawn, default=0)
    return {
        **({"title": {"text": title, "font": {"size": 16}}} if title else {}),
        "barmode": "group", "separators": ", ",
        "yaxis": {"autorange": "reversed", "automargin": True},
        # whole numbers only: below ten steps of 1 or 2 (plotly's own would be "0 0 1 1")
        "xaxis": {"title": {"text": x_title}, "tickformat": ",d", "rangemode": "tozero",
                  **({"dtick": 1 if top <= 5 else 2} if top <= 10 else {})},
        # the legend on top: seen with the first bars, clear of the axis title below
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0,
                   "traceorder": "normal"},
        "margin": {"l": 10, "r": 40, "t": top_margin, "b": 50}, "font": FONT,
        "height": height, "template": TEMPLATE}


def trend(df: pd.DataFrame, title: str) -> go.Figure:
    """Avslutade per quarter (bars) and the share to arbete/studier (line, right axis)."""
    x = [fmt.kvartal_axel(p) for p in df["period"]]
    hidden = [dolt(v) for v in df["avslutade"]]
    share = [None if dolt(v) or v is None or v != v else v * 100
             for v in df["andel_arbete_studier"]]
    fig = go.Figure([
        go.Bar(name="Avslutade", x=x, y=[0 if h else v for h, v in zip(hidden, df["avslutade"])],
               marker={"color": TOTALT_FARG},
               text=[v if h else fmt.heltal(v) for h, v in zip(hidden, df["avslutade"])],
               textposition="outside", hovertemplate="%{x}: %{text} avslutade<extra></extra>"),
        go.Scatter(name="Andel till arbete/studier", x=x, y=share, yaxis="y2",
                   mode="lines+markers", line={"color": KON_FARG["kvinna"], "width": 3},
                   marker={"symbol": "diamond", "size": 10}, connectgaps=False,
                   hovertemplate="%{x}: %{y:.0f} %<extra>till arbete/studier</extra>"),
    ])
    fig.layout = go.Layout(
        title={"text": title, "font": {"size": 16}}, separators=", ",
        yaxis={"title": "avslutade", "rangemode": "tozero", "tickformat": ",d"},
        yaxis2={"title": "andel (%)", "overlaying": "y", "side": "right", "range": [0, 100],
                "tickmode": "linear", "tick0": 0, "dtick": 20, "showgrid": False},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        margin={"l": 60, "r": 60, "t": 90, "b": 50}, height=380, font=FONT,
    )
    return fig


def utfall_mot_mal(df: pd.DataFrame, mal: float) -> go.Figure:
    """Per individinsats: the share of the avslutade with a handlingsplan (against the goal,
    a line) and the share to work or studies. A hidden share has no bar, only its marker."""
    labels = list(df["kortnamn"])
    bars = []
    for col, name, colour in (("andel_handlingsplan", "Handlingsplan vid avslut", TOTALT_FARG),
                              ("andel_arbete_studier", "Till arbete eller studier",
                               KON_FARG["kvinna"])):
        vals = list(df[col])
        hidden = [dolt(v) or v is None or v != v for v in vals]
        bars.append(go.Bar(
            name=name, y=labels, x=[0 if h else v * 100 for h, v in zip(hidden, vals)],
            orientation="h", marker={"color": colour}, cliponaxis=False,
            text=[(v if dolt(v) else "–") if h else fmt.procent(v)
                  for h, v in zip(hidden, vals)], textposition="outside", hoverinfo="skip"))
    fig = go.Figure(bars)
    fig.layout = go.Layout(
        barmode="group", separators=", ", font={"size": 18},
        xaxis={"title": "andel av de avslutade (%)", "range": [0, 112]},
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"l": 10, "r": 60, "t": 70, "b": 40}, height=max(380, 100 + 60 * len(labels)))
    fig.add_vline(x=mal * 100, line={"color": "#b3261e", "dash": "dash", "width": 3},
                  annotation_text=f"mål handlingsplan {fmt.procent(mal)}",
                  annotation_position="bottom right")
    return fig
