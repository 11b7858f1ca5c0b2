"""Försörjning före och efter as a chart: each source of support's count before the insats and
at avslut side by side. The two bars of a source differ by more than colour: the before bar
is hatched and lighter, the legend names both, and the before bar is always the upper one. A
hidden count has no bar, only its marker at zero (as every participant chart)."""

from __future__ import annotations

import pandas as pd

from .. import dolda, fmt
from ..publicerat import dolt
from .deltagare import _bars, _dold_legend, liggande_layout
from .palett import TOTALT_FARG

FORE_FARG = "#8fa8c2"  # lighter than TOTALT_FARG, and hatched
SERIER = (("fore_totalt", "Före insatsen", FORE_FARG, "/"),
          ("efter_totalt", "Vid avslut", TOTALT_FARG, ""))


def fore_efter(df: pd.DataFrame) -> dict:
    """Grouped horizontal bars from ``tables.forsorjning``'s rows (its Samtliga row left out).
    A figure dict, as ``figures.deltagare.by_kon``."""
    rows = df[df["kod"] != "summa"]
    labels = rows["forsorjning"].tolist()
    legend = _dold_legend({v for key, *_ in SERIER for v in rows[key] if dolt(v)})
    bars, legend_done = [], False
    for key, name, colour, hatch in SERIER:
        values = rows[key].tolist()
        traces = _bars(name, labels, values, colour, not legend_done, legend)
        if hatch:
            traces[0]["marker"]["pattern"] = {"shape": hatch, "fgcolor": TOTALT_FARG,
                                              "fgopacity": 0.45, "size": 7}
        bars += traces
        legend_done = legend_done or any(dolt(v) for v in values)
    return {"data": bars, "layout": liggande_layout(
        bars, "antal avslutade", max(300, 110 + len(labels) * 52), 50)}


def lasning(df: pd.DataFrame) -> str:
    """The chart in words: the largest increase and decrease, judged by what the shown cells
    and the markers' bounds allow (``dolda.golv``, ``dolda.tak``), a hidden count in words
    ("Störst ökning: Lön, från färre än 5 till 103."); "bland det som visas" when a hidden
    one may have changed more."""
    rows = df[df["kod"] != "summa"]
    out = []
    pairs = list(zip(rows["fore_totalt"], rows["efter_totalt"]))
    for word, (a, b) in (("ökning", (0, 1)), ("minskning", (1, 0))):
        # the least and the most each source can have changed in this direction (from a to b)
        least = [dolda.golv(p[b]) - dolda.tak(p[a]) for p in pairs]
        most = [dolda.tak(p[b]) - dolda.golv(p[a]) for p in pairs]
        best = max(range(len(rows)), key=lambda i: least[i], default=None)
        if best is None or least[best] <= 0:
            continue
        r = rows.iloc[best]
        osaker = any(most[i] > least[best] for i in range(len(rows)) if i != best)
        out.append(f"Störst {word}{' bland det som visas' if osaker else ''}: "
                   f"{r['forsorjning']}, från {fmt.antal_i_text(r['fore_totalt'])} till "
                   f"{fmt.antal_i_text(r['efter_totalt'])}.")
    return " ".join(out) or "Ingen förändring som kan visas."
