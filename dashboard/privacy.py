"""Small-number suppression, primary and complementary.

Primary: every count of persons from 1 to threshold-1 is hidden.
Complementary: a table has linear relations a reader knows (totalt = kvinna + man + annan;
a column's cells add up to a total published elsewhere; deltagare = avslutade + pågående).
A hidden cell must not be recomputable from them. We check that exactly: a hidden cell is
recomputable iff its unit vector lies in the row space of the relation matrix restricted to
the cells the reader does not know. While some hidden cell is recomputable, the smallest
non-zero visible cell in one of its relations is hidden too.

Cells may be *implicit*: counts the table does not show but which take part in its relations
(e.g. the participants *without* a handlingsplan). A small implicit count is protected like a
shown one. Column totals are *fixed*: published elsewhere, so known, and never hidden here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

SHOWN, IMPLICIT, FIXED = "shown", "implicit", "fixed"


@dataclass
class Grid:
    values: dict  # cell key -> int
    kinds: dict  # cell key -> SHOWN | IMPLICIT | FIXED
    relations: list  # list of dict cell key -> coefficient (sum of coef * value == 0)


def protect(grid: Grid, threshold: int) -> set:
    """The set of cells to hide: primary and complementary, shown or implicit."""
    small = {c for c, v in grid.values.items() if 1 <= v < threshold}
    hidden = set(small)  # protected or suppressed as complement
    unknown = set(hidden) | {c for c, k in grid.kinds.items() if k == IMPLICIT}
    by_cell: dict = defaultdict(list)
    for i, rel in enumerate(grid.relations):
        for c in rel:
            by_cell[c].append(i)

    def candidates(rel_ids) -> list:
        cells = {c for i in rel_ids for c in grid.relations[i]}
        return [c for c in cells if grid.kinds[c] == SHOWN and c not in hidden]

    def hide_one_beside(cell, rel_ids) -> bool:
        """Hide a visible cell in ``rel_ids``; failing that, in relations reached from them
        through unknown cells (the ones that carry the information to ``cell``)."""
        seen_rels, frontier = set(rel_ids), list(rel_ids)
        cands = candidates(frontier)
        while not cands and frontier:
            nxt = {j for i in frontier for c in grid.relations[i] if c in unknown
                   for j in by_cell[c]} - seen_rels
            seen_rels |= nxt
            frontier = list(nxt)
            cands = candidates(frontier)
        if not cands:
            return False
        # smallest non-zero value first; a zero hides nothing, so only as a last resort
        best = min(cands, key=lambda c: (grid.values[c] == 0, grid.values[c], str(c)))
        hidden.add(best)
        unknown.add(best)
        return True

    while True:
        # Cheap pass: a relation with exactly one unknown cell reveals it.
        changed = True
        while changed:
            changed = False
            for i, rel in enumerate(grid.relations):
                unk = [c for c in rel if c in unknown]
                if len(unk) == 1 and unk[0] in hidden:
                    if not hide_one_beside(unk[0], [i]):
                        return hidden
                    changed = True
        # Exact check on what is left.
        revealed = _recomputable(grid.relations, unknown, hidden)
        if not revealed:
            return hidden
        cell = revealed[0]
        if not hide_one_beside(cell, by_cell[cell]):
            return hidden


def _recomputable(relations: list, unknown: set, hidden: set) -> list:
    """Hidden cells whose value follows from the relations (given every known cell)."""
    cols = sorted(unknown, key=str)
    if not cols:
        return []
    index = {c: j for j, c in enumerate(cols)}
    rows = [rel for rel in relations if any(c in index for c in rel)]
    if not rows:
        return []
    a = np.zeros((len(rows), len(cols)))
    for i, rel in enumerate(rows):
        for c, coef in rel.items():
            if c in index:
                a[i, index[c]] = coef
    _, s, vt = np.linalg.svd(a, full_matrices=False)
    rank = int((s > 1e-9 * max(1.0, s[0] if len(s) else 0)).sum())
    if rank == 0:
        return []
    proj_diag = (vt[:rank] ** 2).sum(axis=0)  # diagonal of the projector onto the row space
    return [c for c in cols if c in hidden and proj_diag[index[c]] > 1 - 1e-9]


def suppress_frame(
    df: pd.DataFrame,
    *,
    counts: list[str],
    implicit: dict[str, pd.Series] | None = None,
    row_relations: list[tuple[str, list[str]]] = (),
    column_totals: list[str] = (),
    group: str | None = None,
    threshold: int,
) -> pd.DataFrame:
    """Boolean mask (same index, columns ``counts``) of the shown cells to hide.

    ``implicit``: extra per-row counts that take part in relations but are not shown.
    ``row_relations``: (total, [parts]) meaning total = sum(parts) on every row.
    ``column_totals``: columns whose sum (per ``group`` if given) is known to the reader.
    """
    implicit = implicit or {}
    values, kinds, relations = {}, {}, []
    for col in counts:
        for idx, v in df[col].items():
            values[(idx, col)] = int(v)
            kinds[(idx, col)] = SHOWN
    for col, series in implicit.items():
        for idx, v in series.items():
            values[(idx, col)] = int(v)
            kinds[(idx, col)] = IMPLICIT
    for total, parts in row_relations:
        for idx in df.index:
            rel = {(idx, total): 1}
            for p in parts:
                rel[(idx, p)] = rel.get((idx, p), 0) - 1
            relations.append(rel)
    groups = df.groupby(group, sort=False).groups if group else {None: df.index}
    for g, idxs in groups.items():
        for col in column_totals:
            key = (("__total__", g), col)
            values[key] = int(sum(values[(i, col)] for i in idxs))
            kinds[key] = FIXED
            rel = {key: 1}
            rel.update({(i, col): -1 for i in idxs})
            relations.append(rel)
    hidden = protect(Grid(values, kinds, relations), threshold)
    mask = pd.DataFrame(False, index=df.index, columns=counts)
    for idx, col in hidden:
        if col in mask.columns and idx in mask.index and kinds.get((idx, col)) == SHOWN:
            mask.loc[idx, col] = True
    return mask


def apply_mask(df: pd.DataFrame, mask: pd.DataFrame, marker: str) -> pd.DataFrame:
    """Replace hidden cells by the marker (e.g. "<5"); other counts stay integers."""
    out = df.copy()
    for col in mask.columns:
        if mask[col].any():
            out[col] = out[col].astype(object).where(~mask[col], marker)
    return out
