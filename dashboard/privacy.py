"""Small-number suppression over a whole publication at once (primary and complementary).

The model (the one of Statistics Norway's GaussSuppression): every published cell is a sum of
*atoms*, the finest counts the publication is built from (e.g. the participants of one insats,
one kön, one category). A reader knows how cells are built, so any linear combination of the
published cells is known to them. A hidden cell is safe when its vector of atoms is not in the
span of the published cells' vectors (and of any ``known`` relations).

Atoms whose count is 0 are treated as known to the reader (dropped). That is cautious, and it
makes the true point an interior one: every remaining atom is at least 1, so a cell that is not
linearly determined can move both ways, and bounds (linear programming) pin nothing more than
the linear algebra does, except through the markers' own bounds, which ``decide`` checks too
(a "<5" cell is 1..threshold-1, an "X" cell is at least the threshold).

The greedy: primaries (1..threshold-1) are hidden; every other cell, most wanted first, is
published unless publishing it would put a protected cell in the span of what is published,
in which case it is hidden (a complement, shown as "X"). Exact integer Gaussian elimination
on sparse vectors; deterministic (order given by the caller, ties broken by key).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from math import gcd

PRIMARY, SECONDARY, VISIBLE = "primar", "sekundar", "synlig"


@dataclass
class Cell:
    key: object  # any hashable, sortable through str()
    atoms: frozenset  # atom ids (each with coefficient 1)
    value: int
    priority: float = 0.0  # higher = published first, hidden last
    implicit: bool = False  # not published, but protected (e.g. kön annan)


@dataclass
class Decision:
    status: dict = field(default_factory=dict)  # cell key -> PRIMARY | SECONDARY | VISIBLE


def _normalise(v: dict) -> dict:
    g = 0
    for c in v.values():
        g = gcd(g, c)
        if g == 1:
            return v
    return {k: c // g for k, c in v.items()} if g > 1 else v


def _combine(a: dict, ca: int, b: dict, cb: int) -> dict:
    """ca * a - cb * b, zeros dropped."""
    out = {k: ca * c for k, c in a.items()}
    for k, c in b.items():
        x = out.get(k, 0) - cb * c
        if x:
            out[k] = x
        else:
            out.pop(k, None)
    return out


class Span:
    """A growing span of sparse integer vectors, kept in reduced echelon form, and a set of
    protected vectors kept reduced against it (a protected vector reduced to zero is
    determined by the span)."""

    def __init__(self):
        self.basis: dict = {}  # pivot -> vector (contains the pivot, no other pivot)
        self.occ: dict = defaultdict(set)  # coordinate -> pivots whose vector has it
        self.prot: dict = {}  # protected key -> reduced vector
        self.pocc: dict = defaultdict(set)  # coordinate -> protected keys having it

    def reduce(self, v: dict) -> dict:
        v = dict(v)
        for j in [k for k in v if k in self.basis]:
            if j in v:
                b = self.basis[j]
                v = _combine(v, b[j], b, v[j])
        return _normalise(v) if v else v

    def protect(self, key, v: dict) -> bool:
        """Add a protected vector; False when it is already determined."""
        r = self.reduce(v)
        if not r:
            return False
        self.prot[key] = r
        for k in r:
            self.pocc[k].add(key)
        return True

    def exposes(self, r: dict) -> list:
        """Protected keys that adding the reduced vector ``r`` would determine: those whose
        residual is a multiple of ``r``."""
        rare = min(r, key=lambda k: (len(self.pocc.get(k, ())), str(k)))
        out = []
        for p in self.pocc.get(rare, ()):
            res = self.prot[p]
            if len(res) != len(r):
                continue
            # proportional: res * r[rare] == r * res[rare]
            if all(res.get(k, 0) * r[rare] == c * res[rare] for k, c in r.items()):
                out.append(p)
        return out

    def add(self, r: dict) -> None:
        """Add a reduced, non-zero vector to the span."""
        j = min(r, key=lambda k: (len(self.occ.get(k, ())) + len(self.pocc.get(k, ())), str(k)))
        for piv in list(self.occ.get(j, ())):  # keep the basis reduced
            b = self.basis[piv]
            nb = _normalise(_combine(b, r[j], r, b[j]))
            self._set_basis(piv, nb, old=b)
        for p in list(self.pocc.get(j, ())):
            old = self.prot[p]
            new = _normalise(_combine(old, r[j], r, old[j]))
            for k in old:
                if k not in new:
                    self.pocc[k].discard(p)
            for k in new:
                self.pocc[k].add(p)
            self.prot[p] = new  # never empty: exposes() was asked first
        self._set_basis(j, r, old=None)

    def _set_basis(self, piv, new: dict, old: dict | None) -> None:
        if old:
            for k in old:
                if k not in new:
                    self.occ[k].discard(piv)
        for k in new:
            self.occ[k].add(piv)
        self.basis[piv] = new


def decide(cells: list[Cell], threshold: int, known: list[dict] = (),
           forced: dict | None = None) -> Decision:
    """Which cells to hide. ``cells``: published and implicit cells (implicit ones are never
    published, only protected), whose atoms are those with a count above 0 (the caller
    leaves out the zeros: the reader is taken to know them); ``known``: relations between
    atoms a reader knows, as sparse vectors equal to zero (e.g. every dimension of a table
    counts the same people);
    ``forced``: cell key -> status decided elsewhere (a cell shared with another system):
    a visible one is known, a hidden one stays hidden and undetermined."""
    out = Decision()
    span = Span()
    forced = forced or {}
    bykey: dict = {}
    for c in cells:
        bykey.setdefault(c.key, c)
    for v in list(known) + [{a: 1 for a in bykey[k].atoms} for k in sorted(forced, key=str)
                            if forced[k] == VISIBLE and k in bykey]:
        r = span.reduce(v)
        if r:
            span.add(r)
    out.status.update(forced)
    small = [c for c in bykey.values() if 1 <= c.value < threshold and c.key not in forced]
    small += [bykey[k] for k in forced if forced[k] != VISIBLE and k in bykey]
    for c in sorted(small, key=lambda c: str(c.key)):
        span.protect(c.key, {a: 1 for a in c.atoms})
        if not c.implicit and c.key not in out.status:
            out.status[c.key] = PRIMARY
    candidates = [c for c in bykey.values() if not c.implicit and c.key not in out.status]
    candidates.sort(key=lambda c: (-c.priority, -c.value, str(c.key)))
    for c in candidates:
        if c.value == 0:  # its atoms are all known zeros
            out.status[c.key] = VISIBLE
            continue
        r = span.reduce({a: 1 for a in c.atoms})
        if not r:
            out.status[c.key] = VISIBLE  # already determined by what is published
            continue
        if span.exposes(r):
            out.status[c.key] = SECONDARY
            continue
        span.add(r)
        out.status[c.key] = VISIBLE
    # A complement that what was published later determines anyway tells nothing new: show it.
    for c in candidates:
        if out.status[c.key] == SECONDARY and not span.reduce({a: 1 for a in c.atoms}):
            out.status[c.key] = VISIBLE
    return out


# --- bounds: what the markers themselves tell ----------------------------------------------------
#
# A reader knows more than the linear relations: a "<5" cell is 1..threshold-1, an "X" cell is
# at least the threshold, every count is at least 0. Those bounds can meet at a point (two
# "<5" cells whose known sum is 2 are both 1). ``decide`` does not yet prevent that (see
# docs/sekretess.md); ``audit`` measures it, by linear programming over the atoms (HiGHS via
# scipy): a few programmes with seeded random objectives first (a cell that moves in any of
# them is free), then the remaining cells one by one. The benchmark prints its count.

def _lp_system(cells: dict, status: dict, known: list[dict], threshold: int):
    from scipy.sparse import csr_matrix

    atoms = sorted({a for c in cells.values() for a in c.atoms} | {a for v in known for a in v})
    col = {a: j for j, a in enumerate(atoms)}
    eq_rows, eq_b, ub_rows, ub_b = [], [], [], []
    for v in known:
        eq_rows.append({col[a]: c for a, c in v.items()})
        eq_b.append(0)
    for key in sorted(cells, key=str):
        c = cells[key]
        if not c.atoms or c.implicit:
            continue
        row = {col[a]: 1 for a in c.atoms}
        st = status.get(key)
        if st == VISIBLE:
            eq_rows.append(row)
            eq_b.append(c.value)
        elif st == PRIMARY:
            ub_rows += [row, {j: -1 for j in row}]
            ub_b += [threshold - 1, -1]
        elif st == SECONDARY:
            ub_rows.append({j: -1 for j in row})
            ub_b.append(-threshold)

    def matrix(rows):
        data, ri, ci = [], [], []
        for i, r in enumerate(rows):
            for j, v in r.items():
                ri.append(i)
                ci.append(j)
                data.append(v)
        return csr_matrix((data, (ri, ci)), shape=(len(rows), len(atoms)))

    return atoms, col, matrix(eq_rows), eq_b, matrix(ub_rows), ub_b


def audit(cells: list[Cell], status: dict, threshold: int, known: list[dict] = ()) -> list:
    """Protected cells (small ones, shown as "<5" or implicit) whose value the published
    cells, the relations and the markers' bounds pin down."""
    import numpy as np
    from scipy.optimize import linprog

    bykey = {}
    for c in cells:
        bykey.setdefault(c.key, c)
    targets = [c for c in bykey.values() if 1 <= c.value < threshold and c.atoms
               and (c.implicit or status.get(c.key) == PRIMARY)]
    if not targets:
        return []
    atoms, col, a_eq, b_eq, a_ub, b_ub = _lp_system(bykey, status, list(known), threshold)
    kw = {"A_eq": a_eq if a_eq.shape[0] else None, "b_eq": b_eq or None,
          "A_ub": a_ub if a_ub.shape[0] else None, "b_ub": b_ub or None,
          "bounds": (0, None), "method": "highs"}
    tvec = {c.key: np.array([col[a] for a in c.atoms]) for c in targets}
    free: set = set()
    rng = np.random.default_rng(20260101)
    for _ in range(3):
        obj = rng.standard_normal(len(atoms))
        for sign in (1, -1):
            res = linprog(sign * obj, **kw)
            if res.status != 0:
                continue
            for c in targets:
                if abs(res.x[tvec[c.key]].sum() - c.value) > 0.5:
                    free.add(c.key)
    pinned = []
    for c in sorted(targets, key=lambda c: str(c.key)):
        if c.key in free:
            continue
        obj = np.zeros(len(atoms))
        obj[tvec[c.key]] = 1
        lo = linprog(obj, **kw)
        hi = linprog(-obj, **kw)
        if lo.status == 0 and hi.status == 0 and -hi.fun - lo.fun < 0.5:
            pinned.append(c.key)
        for res in (lo, hi):  # what moved here is free too
            if res.status == 0:
                for t in targets:
                    if abs(res.x[tvec[t.key]].sum() - t.value) > 0.5:
                        free.add(t.key)
    return pinned
