"""What a breakdown's published cells say about its hidden ones, so that a chart or a line of
text never says more, or other, than the table beside it.

A breakdown is a table of categories (rows) with counts by kön and their total ("Kvinnor och
män", or the kansli's "Totalt"), each a number or a marker: ``<5`` (0 up to the threshold
less one), ``X`` (hidden to protect a small count: at least the threshold), ``..`` (not
shown: nothing known). Everything here is derived from what the viewer is shown (the cells,
the markers' own bounds and the table's published totals), never from a hidden value, so
whatever it lets a page say could be worked out from the page already.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from . import config
from .publicerat import LITET, dolt, som_dolt

KON = ("kvinna", "man", "annan")


dold = dolt  # a marker rather than a number (a missing value counts as a zero: nothing to draw)


def golv(v) -> float:
    """The least a cell can be: its number, or what its marker says (``X``: the threshold)."""
    if not dold(v):
        return 0.0 if v is None or v != v else float(v)
    return float(som_dolt(v).granser[0])


def tak(v) -> float:
    """The most a cell can be by itself: its number, ``<5``: 4; ``X`` and ``..``: unbounded."""
    if not dold(v):
        return 0.0 if v is None or v != v else float(v)
    high = som_dolt(v).granser[1]
    return math.inf if high is None else float(high)


@dataclass
class Kategori:
    """One row: ``kon`` its counts by kön (empty without a kön split), ``totalt`` its total;
    ``minst``/``hogst`` what the published cells allow its total to be."""

    namn: str
    totalt: object
    kon: dict = field(default_factory=dict)
    minst: float = 0.0
    hogst: float = math.inf

    @property
    def totalt_visas(self) -> bool:
        return not dold(self.totalt)

    @property
    def bara_totalt(self) -> bool:
        """Its kön split is hidden but its total is published: draw the total, once."""
        return self.totalt_visas and any(dold(v) for v in self.kon.values())

    @property
    def ritas(self) -> bool:
        """Whether a chart has a bar for it (its total, or a kön's count)."""
        return self.totalt_visas or any(not dold(v) for v in self.kon.values())

    @property
    def noll(self) -> bool:
        """Published as nothing at all (a 0 the kansli sees)."""
        return self.totalt_visas and not self.totalt


def kategorier(df: pd.DataFrame, label_col: str | None, value_col: str = "totalt",
               summa: dict | None = None) -> list[Kategori]:
    """The rows of a breakdown with the bounds of each total. ``summa``: the table's
    published totals (``Tabell.totalt``: "totalt", and outside the kansli "samtliga", which
    counts annat kön too and so is at least the rows' sum)."""
    kon_cols = [k for k in KON if k in df.columns] if value_col == "totalt" else []
    out = []
    cols = list(dict.fromkeys([c for c in (label_col, value_col, *kon_cols) if c]))
    for rec in df[cols].to_dict("records"):
        parts = {k: rec[k] for k in kon_cols}
        v = rec[value_col]
        low = golv(v) if dold(v) else float(v or 0)
        if dold(v) and parts:
            low = max(low, sum(golv(p) for p in parts.values()))
        high = tak(v)
        if dold(v) and parts and all(not dold(p) or som_dolt(p).slag == LITET for p in parts.values()):
            high = min(high, sum(tak(p) for p in parts.values()))
        out.append(Kategori(str(rec[label_col]) if label_col else "", v, parts, low, high))
    # a hidden total is at most the table's total less what the others are at least
    summa = summa or {}
    total = next((summa[k] for k in (value_col, "samtliga") if k in summa
                  and not dold(summa[k]) and summa[k] is not None), None)
    if total is not None:
        least = sum(k.minst for k in out)
        for k in out:
            if not k.totalt_visas:
                k.hogst = min(k.hogst, float(total) - (least - k.minst))
    return out


def storsta(kats: list[Kategori]) -> tuple[Kategori | None, list[Kategori]]:
    """The largest category shown, and the hidden ones that may be larger than it (by the
    bounds alone). The first is surely the largest when the second is empty."""
    shown = [k for k in kats if k.totalt_visas]
    top = max(shown, key=lambda k: k.minst) if shown and max(k.minst for k in shown) else None
    level = top.minst if top else 0.0
    maybe = [k for k in kats if not k.totalt_visas and k.hogst > level
             and (top is not None or k.hogst >= config.get().suppression_threshold)]
    return top, maybe


def mest_dolt(kats: list[Kategori]) -> bool:
    """More than half of the categories with anything in them would have no bar."""
    some = [k for k in kats if not k.noll]
    return bool(some) and sum(not k.ritas for k in some) / len(some) > 0.5


def allt_dolt(kats: list[Kategori]) -> bool:
    return not any(k.ritas and not k.noll for k in kats)
