"""Charts as image files (PNG, SVG): the same figure the page draws, from the same table,
rendered by kaleido with Debian's Chromium."""

from __future__ import annotations

import plotly.graph_objects as go

from .. import tables
from ..figures.bip import radar
from ..figures.budget import burn
from ..figures.deltagare import by_kon, trend

FIGURES = {
    "budget_kvartal": lambda t: burn(t.df, t.rubrik),
    "avslutsorsaker": lambda t: by_kon(t.df, "orsak", t.rubrik),
    "deltagare_kvartal": lambda t: trend(t.df, t.rubrik),
    "bip_indikator": lambda t: radar(t.df, t.rubrik),
    **{name: (lambda t: by_kon(t.df, "kategori_namn", t.rubrik))
       for name in tables.BUILDERS if name.startswith("malgrupp_")},
}
FORMATS = ("png", "svg")


def image(t: tables.Tabell, fmt: str) -> bytes:
    if t.namn not in FIGURES or fmt not in FORMATS:
        raise ValueError(f"inget diagram {t.namn!r} som {fmt!r}")
    fig = go.Figure(FIGURES[t.namn](t))  # by_kon gives a figure dict
    height = fig.layout.height or 420
    return fig.to_image(format=fmt, width=1200, height=height, scale=2 if fmt == "png" else 1)
