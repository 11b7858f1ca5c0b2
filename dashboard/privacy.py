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
shown one. Column totals are cells of the table like any other, published with it (a view
returns them beside its rows), so they are protected the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

SHOWN, IMPLICIT = "shown", "implicit"
TOTAL = "__total__"  # first part of a column total's row key


@dataclass
class Grid:
    values: dict  # cell key -> int
    kinds: dict  # cell key -> SHOWN | IMPLICIT
    relations: list  # list of dict cell key -> coefficient (sum of coef * value == 0)


def protect(grid: Grid, threshold: int) -> set:
    """The set of cells to hide: primary and complementary, shown or implicit."""
    hidden: set = set()
    for cells, rels in _components(grid):
        hidden |= _protect_component(grid, cells, rels, threshold)
    return hidden


def _components(grid: Grid):
    """Cells linked by relations, with their relations (solved one at a time: small, fast)."""
    parent = {c: c for c in grid.values}

    def find(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for rel in grid.relations:
        first, *rest = list(rel)
        for c in rest:
            parent[find(c)] = find(first)
    cells: dict = defaultdict(set)
    for c in grid.values:
        cells[find(c)].add(c)
    rels: dict = defaultdict(list)
    for rel in grid.relations:
        rels[find(next(iter(rel)))].append(rel)
    return [(cells[root], rels[root]) for root in cells]


def _protect_component(grid: Grid, cells: set, relations: list, threshold: int) -> set:
    small = {c for c in cells if 1 <= grid.values[c] < threshold}
    hidden = set(small)
    implicit = {c for c in cells if grid.kinds[c] == IMPLICIT}
    if not small or not relations:
        return hidden
    by_cell: dict = defaultdict(list)
    for i, rel in enumerate(relations):
        for c in rel:
            by_cell[c].append(i)

    def exposed(h: set) -> list:
        """Hidden cells (complements included) a reader can pin down: exactly (cheap, every
        round), or else by the counts' non-negativity (linear programmes, only once the exact
        check is clean)."""
        unknown = h | implicit
        exact = _recomputable(relations, unknown, h)
        if exact:
            return exact
        # The true values are a feasible point. Where every unknown is positive it is
        # interior, so a cell that is not exactly determined can move both ways: bounds pin
        # nothing. Only unknowns at 0 can block a move; the cells that become determined when
        # those are held fixed are the only ones that need a linear programme.
        at_zero = {c for c in unknown if grid.values[c] == 0}
        if not at_zero:
            return []
        suspects = _recomputable(relations, unknown - at_zero, h)
        return _pinned_by_bounds(grid, relations, unknown, set(suspects))

    def candidates_near(cell) -> list:
        """Visible cells in the cell's relations; failing that, in relations reached from
        them through unknown cells (the ones that carry the information to ``cell``)."""
        seen, frontier = set(by_cell[cell]), list(by_cell[cell])
        while frontier:
            # a zero is never a complement: hidden, it would be pinned at 0 by its row
            cands = {c for i in frontier for c in relations[i]
                     if grid.kinds[c] == SHOWN and c not in hidden and grid.values[c] > 0}
            if cands:
                # smallest first; a total is hidden only when nothing else will do
                return sorted(cands, key=lambda c: (_is_total(c), grid.values[c], str(c)))
            nxt = {j for i in frontier for c in relations[i] if c in hidden | implicit
                   for j in by_cell[c]} - seen
            seen |= nxt
            frontier = list(nxt)
        return []

    while True:
        bad = exposed(hidden)
        if not bad:
            return hidden
        # Start where the leak is direct: a cell alone (or nearly) among unknowns in a relation.
        unk = hidden | implicit
        cell = min(bad, key=lambda b: (min(sum(c in unk for c in relations[i])
                                           for i in by_cell[b]), str(b)))
        cands = candidates_near(cell)
        if not cands:
            return hidden | {c for c in cells if grid.kinds[c] == SHOWN}
        # the smallest candidate that protects the cell; else the smallest, and go on
        choice = next((c for c in cands[:12]
                       if not _recomputable(relations, hidden | {c} | implicit, {cell, c})), None)
        if choice is None:
            # No single cell does it: complement inside the relation that pins the cell down,
            # the one with the fewest unknowns (the classic "never one alone" rule).
            unk = hidden | implicit
            for i in sorted(by_cell[cell], key=lambda i: sum(c in unk for c in relations[i])):
                inside = [c for c in cands if c in relations[i]]
                if inside:
                    choice = inside[0]
                    break
            else:
                choice = cands[0]
        hidden.add(choice)


def _is_total(cell) -> bool:
    row = cell[0] if isinstance(cell, tuple) else None
    return isinstance(row, tuple) and len(row) == 2 and row[0] == TOTAL


def _system(relations: list, unknown: set, values: dict | None = None):
    """The relations that involve unknown cells, as ``a @ x = b`` over those cells: (the cells
    in column order, cell -> column, a, b). ``b`` moves the known cells' values (``values``)
    to the right-hand side; without ``values`` it is left at zero."""
    cols = sorted(unknown, key=str)
    index = {c: j for j, c in enumerate(cols)}
    rows = [rel for rel in relations if any(c in index for c in rel)]
    a = np.zeros((len(rows), len(cols)))
    b = np.zeros(len(rows))
    for i, rel in enumerate(rows):
        for c, coef in rel.items():
            if c in index:
                a[i, index[c]] = coef
            elif values is not None:
                b[i] -= coef * values[c]
    return cols, index, a, b


def _recomputable(relations: list, unknown: set, protected: set) -> list:
    """Protected cells whose value follows exactly from the relations and the known cells:
    the unit vector of the cell lies in the row space of the relations over the unknowns."""
    cols, index, a, _ = _system(relations, unknown)
    if not len(a):
        return []
    _, s, vt = np.linalg.svd(a, full_matrices=False)
    rank = int((s > 1e-9 * max(1.0, s[0])).sum())
    if rank == 0:
        return []
    proj_diag = (vt[:rank] ** 2).sum(axis=0)  # diagonal of the projector onto the row space
    return [c for c in cols if c in protected and proj_diag[index[c]] > 1 - 1e-9]


def _pinned_by_bounds(grid: Grid, relations: list, unknown: set, protected: set) -> list:
    """Protected cells whose lowest and highest possible values (given that counts are not
    negative) coincide. An exact linear programme per cell (HiGHS via scipy)."""
    from scipy.optimize import linprog

    cols, index, a, b = _system(relations, unknown, grid.values)
    if not len(a) or not protected:
        return []
    protected = protected & unknown
    out = []
    for c in sorted(protected, key=str):
        obj = np.zeros(len(cols))
        obj[index[c]] = 1
        lo = linprog(obj, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        hi = linprog(-obj, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        if lo.status == 0 and hi.status == 0 and (-hi.fun - lo.fun) < 0.5:
            out.append(c)
    return out


def column_sums(df: pd.DataFrame, columns: list[str], group: str | None = None,
                total_key=lambda g: g) -> dict:
    """{total_key(group): {column: sum}}: the totals a table publishes beside its rows."""
    groups = df.groupby(group, sort=False).groups if group else {None: df.index}
    return {total_key(g): {c: int(df.loc[idx, c].sum()) for c in columns}
            for g, idx in groups.items()}


def suppress_frame(
    df: pd.DataFrame,
    *,
    counts: list[str],
    implicit: dict[str, pd.Series] | None = None,
    row_relations: list[tuple[str, list[str]]] = (),
    column_totals: list[str] = (),
    group: str | None = None,
    total_key=lambda g: g,
    threshold: int,
) -> tuple[pd.DataFrame, dict]:
    # Implicit columns have column totals too, unpublished but often derivable from the
    # published ones (total of annan = total - total kvinnor - total män): they are cells
    # of the system, protected like any implicit cell, whenever the shown totals are.
    """The shown cells to hide, and the column totals as they may be published.

    ``implicit``: extra per-row counts that take part in relations but are not shown.
    ``row_relations``: (total, [parts]) meaning total = sum(parts) on every row.
    ``column_totals``: columns whose sum (per ``group`` if given) is published with the table;
    ``total_key(group)`` says which groups count the same people and so share one total.
    Returns (mask with columns ``counts``, {total_key: {column: value or None if hidden}}).
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
    sums = column_sums(df, column_totals, group, total_key)
    totals: dict = {}
    for g, idxs in groups.items():
        for col in column_totals:
            key = ((TOTAL, total_key(g)), col)
            values[key] = sums[total_key(g)][col]
            kinds[key] = SHOWN
            rel = {key: 1}
            rel.update({(i, col): -1 for i in idxs})
            relations.append(rel)
            totals.setdefault(total_key(g), {})[col] = key
        if column_totals:
            for col, series in implicit.items():
                key = ((TOTAL, total_key(g)), col)
                values[key] = int(series.loc[list(idxs)].sum())  # the same for a shared key
                kinds[key] = IMPLICIT
                rel = {key: 1}
                rel.update({(i, col): -1 for i in idxs})
                relations.append(rel)
    hidden = protect(Grid(values, kinds, relations), threshold)
    mask = pd.DataFrame(False, index=df.index, columns=counts)
    for idx, col in hidden:
        if col in mask.columns and idx in mask.index and kinds.get((idx, col)) == SHOWN:
            mask.loc[idx, col] = True
    published = {g: {col: None if key in hidden else values[key] for col, key in cols.items()}
                 for g, cols in totals.items()}
    return mask, published


def apply_mask(df: pd.DataFrame, mask: pd.DataFrame, marker: str) -> pd.DataFrame:
    """Replace hidden cells by the marker (e.g. "<5"); other counts stay integers."""
    out = df.copy()
    for col in mask.columns:
        if mask[col].any():
            out[col] = out[col].astype(object).where(~mask[col], marker)
    return out
