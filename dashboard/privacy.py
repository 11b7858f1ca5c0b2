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
(a "<5" cell is 0..threshold-1, since a 0 reads "<5" too (see ``publicering.Publication.cell``);
an "X" cell is at least the threshold).

The greedy: primaries (1..threshold-1) are hidden; every other cell, most wanted first, is
published unless publishing it would put a protected cell in the span of what is published,
or tie the markers' bounds together so that they pin a count (see ``decide``), in which case
it is hidden (a complement, shown as "X"). Exact integer Gaussian elimination on sparse
vectors, and small linear programmes (HiGHS) over the relations among cells at their bounds;
deterministic (order given by the caller, ties broken by key).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from math import gcd

PRIMARY, SECONDARY, VISIBLE = "primar", "sekundar", "synlig"
# Not shown at all, not even as "<5" or "X" (the reader learns nothing about it): for the rare
# count that the markers' own bounds would pin whatever else is hidden (see ``repair``).
UNPUBLISHED = "ej_visad"
PROTECTED = (PRIMARY, UNPUBLISHED)  # statuses of a small count that is published at all


@dataclass
class Cell:
    key: object  # any hashable, sortable through str()
    atoms: frozenset  # atom ids (each with coefficient 1)
    value: int
    priority: float = 0.0  # higher = published first, hidden last
    implicit: bool = False  # not published, but protected (e.g. kön annan)
    # known to the reader whatever is decided now (an earlier load published it, or may have
    # let it be derived, with the same value): in the span from the start, at its value in
    # the bounds, and never hidden by ``repair`` to free a count
    fixed: bool = False


@dataclass
class Decision:
    status: dict = field(default_factory=dict)  # cell key -> PRIMARY | SECONDARY | VISIBLE
    # (| UNPUBLISHED, after ``repair``)
    dependent: list = field(default_factory=list)  # tight cells already dependent (see decide)


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
        self.slack: set = set()  # coordinates that are not atoms (see ``decide``): never pivots
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

    def only_slack(self, r: dict) -> bool:
        return all(k in self.slack for k in r)

    def pivot(self, r: dict):
        """The coordinate ``add`` eliminates with ``r``: an atom when it has one."""
        return min([k for k in r if k not in self.slack] or r,
                   key=lambda k: (len(self.occ.get(k, ())) + len(self.pocc.get(k, ())), str(k)))

    def after(self, r: dict) -> dict:
        """The protected keys whose residual adding ``r`` would change, with the new one."""
        j = self.pivot(r)
        return {p: _normalise(_combine(self.prot[p], r[j], r, self.prot[p][j]))
                for p in self.pocc.get(j, ())}

    def add(self, r: dict) -> list:
        """Add a reduced, non-zero vector to the span (the pivot is an atom when it has one,
        so a slack pivot's vector is slack only). Returns the protected keys it determines
        (none, when ``exposes`` was asked first)."""
        j = self.pivot(r)
        for piv in list(self.occ.get(j, ())):  # keep the basis reduced
            b = self.basis[piv]
            nb = _normalise(_combine(b, r[j], r, b[j]))
            self._set_basis(piv, nb, old=b)
        gone = []
        for p in list(self.pocc.get(j, ())):
            old = self.prot[p]
            new = _normalise(_combine(old, r[j], r, old[j]))
            for k in old:
                if k not in new:
                    self.pocc[k].discard(p)
            for k in new:
                self.pocc[k].add(p)
            self.prot[p] = new
            if not new:  # determined (only when the caller adds a relation it must)
                del self.prot[p]
                gone.append(p)
        self._set_basis(j, r, old=None)
        return gone

    def _set_basis(self, piv, new: dict, old: dict | None) -> None:
        if old:
            for k in old:
                if k not in new:
                    self.occ[k].discard(piv)
        for k in new:
            self.occ[k].add(piv)
        self.basis[piv] = new


_local = threading.local()


def _highs(name: str = "rows"):
    """This thread's HiGHS instance ``name``, silent. Not ``highspy.Highs``: its constructor enables
    callbacks, which writes HiGHS's banner to stdout before any option can turn it off
    (ERGO-Code/HiGHS#2749), and the command line writes its CSV to stdout. Its base class,
    the solver itself, does not."""
    h = getattr(_local, name, None)
    if h is None:
        import highspy

        base = next(c for c in highspy.Highs.__mro__ if c.__name__ == "_Highs")
        h = base()
        setattr(_local, name, h)
        h.setOptionValue("output_flag", False)
    return h


def _model(cost: list, rows: list, lower: list, upper: list):
    """A HiGHS model: min cost.x with lo <= row.x <= hi for each (row {column: coefficient},
    lo, hi) of ``rows`` and lower <= x <= upper (None: unbounded)."""
    import highspy
    import numpy as np

    def bound(values, default):
        return np.array([default if v is None else float(v) for v in values])

    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(rows)
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_, lp.col_upper_ = bound(lower, -inf), bound(upper, inf)
    lp.row_lower_ = bound([lo for _, lo, _ in rows], -inf)
    lp.row_upper_ = bound([hi for _, _, hi in rows], inf)
    start, index, value = [0], [], []
    for r, _, _ in rows:
        index += r.keys()
        value += r.values()
        start.append(len(index))
    a = lp.a_matrix_
    a.format_ = highspy.MatrixFormat.kRowwise
    a.num_col_, a.num_row_ = len(cost), len(rows)
    a.start_, a.index_, a.value_ = start, index, np.asarray(value, dtype=float)
    return lp


def _lp(cost: list, rows: list, lower: list, upper: list) -> list | None:
    """The solution of ``_model(cost, rows, lower, upper)`` by HiGHS directly (these
    programmes have a handful of columns, and scipy's linprog costs ten times the solve
    around each), or None when there is none."""
    import highspy

    h = _highs()
    h.clearModel()
    h.passModel(_model(cost, rows, lower, upper))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return list(h.getSolution().col_value)


class _Rows:
    """The relations among the tight cells' movements. Each row says
    sum(row[z_t] * dt) = 0, where dt is how far tight cell t moves from its true value; it
    may only move inward, sign[z_t] * dt >= 0. A hidden tight cell must be able to move
    (lower[z_t] = 1); a cell of exactly the threshold not yet decided need not (0). Whether
    the rows allow that is a small linear programme (HiGHS) over the rows that share tight
    cells with the new one (a component): is there a solution with sign[z_t] * dt >=
    lower[z_t] for all? The last solution of each component is kept: a new row it already
    satisfies needs no programme."""

    def __init__(self, sign: dict, lower: dict):
        self.sign, self.lower = sign, lower
        self.parent: dict = {}
        self.members: dict = {}  # root -> list of rows
        self.sol: dict = {}  # slack -> sign * dt of the component's last solution

    def _find(self, z):
        root = z
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while z != root:
            self.parent[z], z = root, self.parent[z]
        return root

    def _rows(self, zs) -> list:
        roots = {self._find(z) for z in zs}
        return [r for root in sorted(roots, key=str) for r in self.members.get(root, [])]

    def _solve(self, rows: list) -> bool:
        cols = sorted({z for r in rows for z in r}, key=str)
        idx = {z: j for j, z in enumerate(cols)}
        x = _lp([1.0] * len(cols), [({idx[z]: v * self.sign[z] for z, v in r.items()}, 0, 0)
                                     for r in rows],
                [self.lower[z] for z in cols], [None] * len(cols))
        if x is None:
            return False
        self.sol.update(zip(cols, x))
        return True

    def _satisfied(self, row: dict) -> bool:
        if any(self.sol.get(z, -1.0) < self.lower[z] for z in row):
            return False
        return abs(sum(v * self.sign[z] * self.sol[z] for z, v in row.items())) < 1e-9

    def allows(self, row: dict) -> bool:
        fresh = [z for z in row if z not in self.parent]  # in no row yet: free
        if fresh and self._extend(row, fresh):
            return True
        for z in fresh:
            self.sol[z] = float(max(self.lower[z], 1))
        if self._satisfied(row):
            return True
        return self._solve(self._rows(row) + [row])

    def _extend(self, row: dict, fresh: list) -> bool:
        """Without a programme: keep the solution of the rows there are (scaled, as a cone
        allows) and give the new row's fresh cells values that satisfy it."""
        old = [z for z in row if z not in fresh]
        if any(self.sol.get(z, -1.0) < self.lower[z] for z in old):
            return False
        w = {z: row[z] * self.sign[z] for z in row}
        s = sum(w[z] * self.sol[z] for z in old)
        pos = [z for z in fresh if w[z] > 0]
        neg = [z for z in fresh if w[z] < 0]
        if pos and neg:
            k = 1.0
        elif pos and s < 0 or neg and s > 0:  # scale the old solution until it balances
            k = max(1.0, sum(abs(w[z]) for z in fresh) / abs(s))
        else:
            return False
        if k != 1.0:
            for z in self._slacks(old):
                self.sol[z] *= k
            s *= k
        for z in fresh:
            self.sol[z] = 1.0
        rest = s + sum(w[z] for z in fresh)
        if rest:  # raise one fresh cell of the balancing sign
            z = (neg if rest > 0 else pos)[0]
            self.sol[z] += abs(rest) / abs(w[z])
        return True

    def _slacks(self, zs) -> set:
        return {z for r in self._rows(zs) for z in r}

    def add(self, row: dict) -> None:
        roots = sorted({self._find(z) for z in row}, key=str)
        top = roots[0]
        merged = [row]
        for root in roots:
            merged += self.members.pop(root, [])
            self.parent[root] = top
        self.members[top] = merged

    def _movable(self, rows: list, cols: list) -> list:
        """For each of ``cols``: whether its tight cell can move inward at all under ``rows``
        (maximise sum(s) with s <= lam, s <= 1, lam >= 0: s_z = 1 wherever z can move; the
        movements form a cone, so one solution shows every cell that can)."""
        idx = {z: j for j, z in enumerate(cols)}
        n = len(cols)
        eq = [({idx[z]: v * self.sign[z] for z, v in r.items()}, 0, 0) for r in rows]
        ub = [({n + j: 1.0, j: -1.0}, None, 0) for j in range(n)]
        x = _lp([0.0] * n + [-1.0] * n, eq + ub, [0] * (2 * n), [None] * n + [1] * n)
        return [s > 0.5 for s in x[n:]]

    def relax(self, row: dict) -> list:
        """After a row that had to be added: the tight cells of its component that can no
        longer move (lower bound set to 0; the others keep theirs and move)."""
        rows = self._rows(row)
        cols = sorted({z for r in rows for z in r}, key=str)
        stuck = [z for z, ok in zip(cols, self._movable(rows, cols))
                 if not ok and self.lower[z] > 0]
        for z in stuck:
            self.lower[z] = 0
        self._solve(rows)
        return stuck

    def pinned(self, targets: dict, extra: list = ()) -> list:
        """Of ``targets`` (key -> residual over slacks: the cell moves by sum(residual[z] *
        dt_z)), those that cannot move at all while the tight cells move inward as the rows
        (and the ``extra`` rows) allow: pinned by the markers' bounds.

        The movements form a cone K (sign * dt >= 0, the rows). A tight cell with lower bound
        0 is taken not to move (published, or held by others: if it could, this only pins
        more), and one movement of K moves every other one (the rows' programme found it,
        with all of them at least 1). Near that movement K spans the subspace of the rows and
        "the first stay": a target is constant on K exactly when its vector is a combination
        of those equations. Exact integer elimination, as ``Span``."""
        zs = {z for r in extra for z in r} | {z for res in targets.values() for z in res}
        eqs = Span()
        for r in self._rows(zs) + list(extra):
            v = eqs.reduce({z: c * self.sign[z] for z, c in r.items()})
            if v:
                eqs.add(v)
        for z in sorted({z for r in self._rows(zs) for z in r} | zs, key=str):
            if self.lower.get(z, 1) == 0:
                v = eqs.reduce({z: 1})
                if v:
                    eqs.add(v)
        return [p for p, res in targets.items()
                if not eqs.reduce({z: c * self.sign[z] for z, c in res.items()})]

    def component(self, zs) -> set:
        return {self._find(z) for z in zs if z in self.parent}


def decide(cells: list[Cell], threshold: int, known: list[dict] = (),
           forced: dict | None = None) -> Decision:
    """Which cells to hide. ``cells``: published and implicit cells (implicit ones are never
    published, only protected), whose atoms are those with a count above 0 (the caller
    leaves out the zeros: the reader is taken to know them); ``known``: relations between
    atoms a reader knows, as sparse vectors equal to zero (e.g. every dimension of a table
    counts the same people);
    ``forced``: cell key -> status decided elsewhere (a cell shared with another system):
    a visible one is known, a hidden one stays hidden and undetermined.

    Besides sums and differences, a reader knows the markers' bounds: "<5" is 0..threshold-1
    (a 0 reads "<5" too), "X" is at least the threshold. At the true values, a bound holds with
    equality only for a "<5" of threshold-1 and an "X" of exactly the threshold: the *tight*
    cells. Every atom is at least 1 (zeros are dropped), so every other bound has room both ways, and a
    cell is pinned by the bounds only through the tight ones, and whether it is depends on
    the directions the tight cells can move in from the true values. To find them with the
    same elimination, each tight cell t goes into the span as t + z_t, z_t a slack coordinate
    of its own that is never a pivot: a vector then lies in V + span(tight) (V: what is
    published) exactly when what is left of it after reduction is slack only, and in V when
    nothing is left. A slack-only residual of a published cell is a relation among the tight
    cells' movements (``_Rows``). The rule, besides "no protected cell in V": every hidden
    tight cell can move inward while all of them move as the relations allow (a small linear
    programme), and every protected cell whose residual is slack only still moves with them
    (``_Rows.pinned``). What the markers pin whatever is published (with "<5" meaning 1..4, four
    "<5" of 1 under a "<5" of 4; with 0..4, only relations among cells at their bounds alone,
    which take other figures too in any table built of sums) is recorded in ``dependent``.
    Not guaranteed: how far a cell can move; one that can move by less than one whole count
    is pinned for a reader who knows counts are whole numbers (``repair`` hides more).
    """
    return _Greedy(cells, threshold, known, forced or {}).run()


class _Greedy:
    """``decide``'s state and its phases, in the order ``run`` takes them: what the reader
    knows (``_knowledge``), the small counts (``_primaries``), the cells at their markers'
    bounds (``_tight``), then every other cell, most wanted first (``_candidates``), and a
    last look at the complements (``_complements``)."""

    def __init__(self, cells: list[Cell], threshold: int, known: list[dict], forced: dict):
        self.threshold, self.known, self.forced = threshold, list(known), forced
        self.out = Decision()
        self.span = Span()
        # the linear condition alone, as if there were no bounds: no protected cell in the
        # span of what is published. Kept for every protected cell, also those the markers
        # pin by themselves (``dependent``): pinned through bounds, they are still never a
        # difference.
        self.lin = Span()
        self.bykey: dict = {}
        for c in cells:
            self.bykey.setdefault(c.key, c)
        self.sign: dict = {}  # slack -> +1 if its cell may rise from its bound, -1 if it may fall
        self.lower: dict = {}  # slack -> 1 when its cell is hidden, 0 while undecided
        self.rows = _Rows(self.sign, self.lower)
        self.slack: dict = {}  # cell key -> its slack
        self.owner: dict = {}  # slack -> its cell key
        # protected cells whose residual is slack only: they move only as tight cells move,
        # so they too must not be pinned by the tight cells' bounds (``_Rows.pinned``)
        self.slack_prot: set = set()
        self.held: set = set()  # protected cells pinned whatever is published (``dependent``)
        self.small: list = []

    def run(self) -> Decision:
        self._knowledge()
        self._primaries()
        self._tight()
        self._candidates()
        self._complements()
        return self.out

    # --- the phases ------------------------------------------------------------------------

    def _knowledge(self) -> None:
        """What the reader knows before anything is decided: the known relations, the cells
        decided visible elsewhere and those known from before (``Cell.fixed``), in both
        spans; the statuses decided elsewhere stand."""
        bykey, forced = self.bykey, self.forced
        for v in self.known + [{a: 1 for a in bykey[k].atoms} for k in sorted(
                {k for k in forced if forced[k] == VISIBLE and k in bykey}
                | {k for k, c in bykey.items() if c.fixed}, key=str)]:
            r = self.span.reduce(v)
            if r and not self.span.only_slack(r):
                self.span.add(r)
            r = self.lin.reduce(v)
            if r:
                self.lin.add(r)
        self.out.status.update(forced)

    def _primaries(self) -> None:
        """The cells to protect: the small counts (1..threshold-1, shown as "<5" unless
        implicit) and those hidden elsewhere; each is kept out of the linear span."""
        small = [c for c in self.bykey.values()
                 if 1 <= c.value < self.threshold and c.key not in self.forced]
        small += [self.bykey[k] for k in self.forced
                  if self.forced[k] != VISIBLE and k in self.bykey]
        for c in small:
            if not c.implicit and c.key not in self.out.status:
                self.out.status[c.key] = PRIMARY
        small.sort(key=lambda c: str(c.key))
        for c in small:
            self.lin.protect(c.key, {a: 1 for a in c.atoms})
        self.small = small

    def _tight(self) -> None:
        """The cells at their markers' bounds: a "<5" of threshold-1 and a hidden cell of
        exactly the threshold go into the span with a slack of their own (``_add_tight``);
        every other protected cell is protected in it. A candidate of exactly the threshold
        is taken as tight from the start, free to stay (lower 0) until it is hidden. What
        the tight cells' relations pin before anything is published is pinned whatever is
        published: recorded in ``dependent``."""
        t = self.threshold
        for c in self.small:  # "<5" of threshold-1, and cells of others' hidden at the threshold
            if not c.implicit and c.value in (t - 1, t):
                self._add_tight(c, hidden=True)
        for c in self.small:
            if c.key not in self.slack:
                self.span.protect(c.key, {a: 1 for a in c.atoms})
        self.candidates = [c for c in self.bykey.values()
                           if not c.implicit and c.key not in self.out.status]
        self.candidates.sort(key=lambda c: (-c.priority, -c.value, str(c.key)))
        for c in sorted(self.candidates, key=lambda c: str(c.key)):
            if c.value == t:
                self._add_tight(c, hidden=True)
        span = self.span
        self.slack_prot.update(p for p, res in span.prot.items() if span.only_slack(res))
        if self.slack_prot:
            self.held.update(self.rows.pinned(
                {p: span.prot[p] for p in sorted(self.slack_prot, key=str)}))
            self.out.dependent.extend(sorted(self.held, key=str))
            self.slack_prot.difference_update(self.held)

    def _candidates(self) -> None:
        """Every other cell, most wanted first: published unless that would put a protected
        cell in the linear span, or tie the tight cells' bounds so that they pin a protected
        cell (``_pins``); else hidden, a complement ("X")."""
        out, lin, span, lower = self.out, self.lin, self.span, self.lower
        for c in self.candidates:
            if c.value == 0:  # its atoms are all known zeros
                out.status[c.key] = VISIBLE
                continue
            r_lin = lin.reduce({a: 1 for a in c.atoms})
            if not r_lin:
                out.status[c.key] = VISIBLE  # already determined by what is published
                continue
            if lin.exposes(r_lin):
                out.status[c.key] = SECONDARY
                continue
            r = span.reduce({a: 1 for a in c.atoms})
            if not r:
                out.status[c.key] = VISIBLE
                lin.add(r_lin)
                continue
            if span.only_slack(r):
                z = self.slack.get(c.key)
                if z is not None:
                    lower[z] = 0  # published, it need not move
                publish = self._may_depend(r) and not self._pins(r, row=True)
                if z is not None and not publish:
                    lower[z] = 1
            else:
                publish = not span.exposes(r) and not self._pins(r, row=False)
            if not publish:
                out.status[c.key] = SECONDARY
                continue
            self._publish_vector(r)
            lin.add(r_lin)
            out.status[c.key] = VISIBLE

    def _complements(self) -> None:
        """A complement that what was published later determines anyway tells nothing new:
        show it."""
        for c in self.candidates:
            if self.out.status[c.key] == SECONDARY and not self.lin.reduce(
                    {a: 1 for a in c.atoms}):
                self.out.status[c.key] = VISIBLE

    # --- the tight cells' relations -------------------------------------------------------------

    def _pins(self, r: dict, row: bool) -> list:
        """Protected keys that adding ``r`` (a relation among tight cells when ``row``)
        would pin through the tight cells' bounds."""
        span, rows = self.span, self.rows
        new = span.after(r)
        targets = {p: res for p, res in new.items()
                   if res and span.only_slack(res) and p not in self.held}
        if row:  # the component it joins: its slack-only protected cells are at stake too
            roots = rows.component(set(r) | {z for res in targets.values() for z in res})
            for p in self.slack_prot:
                if p not in new and rows.component(span.prot[p]) & roots:
                    targets[p] = span.prot[p]
        if not targets:
            return []
        return rows.pinned(targets, [r] if row else [])

    def _publish_vector(self, r: dict) -> None:
        """Add ``r`` (a published cell's residual) and keep ``slack_prot`` up to date."""
        span = self.span
        touched = list(span.pocc.get(span.pivot(r), ()))  # the keys ``span.after`` changes
        if span.only_slack(r):
            self._depend(r)
        else:
            span.add(r)
        for p in touched:
            if p in span.prot and span.only_slack(span.prot[p]) and p not in self.held:
                self.slack_prot.add(p)
            else:
                self.slack_prot.discard(p)

    def _may_depend(self, row: dict) -> bool:
        return not self.span.exposes(row) and self.rows.allows(row)

    def _depend(self, row: dict) -> None:
        self.rows.add(row)
        self.span.add(row)

    def _add_tight(self, c: Cell, hidden: bool) -> None:
        """``c`` at its marker's bound: into the span as c + z, z a slack of its own; a
        relation it makes among tight cells is kept when the rows allow it, else held
        whatever is published (``_force``)."""
        span = self.span
        z = self.slack[c.key] = ("~", str(c.key))
        self.owner[z] = c.key
        span.slack.add(z)
        self.sign[z] = 1 if c.value >= self.threshold else -1  # "X" may rise, "<5" may fall
        self.lower[z] = int(hidden)
        r = span.reduce({**{a: 1 for a in c.atoms}, z: 1})  # (reduce may scale: z too)
        if not span.only_slack(r):
            span.add(r)
        elif self._may_depend(r):
            self._depend(r)
        else:  # its bound already meets others' (nothing published takes part, nothing
            # hidden helps)
            if hidden:
                self.out.dependent.append(c.key)
            self.lower[z] = 0
            self._force(r)

    def _force(self, row: dict) -> None:
        """A relation that holds whatever is published: keep it, let the tight cells it
        holds still go (they and what they determine are recorded in ``dependent``)."""
        span, rows, out = self.span, self.rows, self.out
        out.dependent.extend(span.add(row))
        rows.add(row)
        for z in rows.relax(row):
            out.dependent.append(self.owner[z])
            r = span.reduce({z: 1})
            if r:
                out.dependent.extend(span.add(r))
                rows.add(r)


# --- bounds: what the markers themselves tell ----------------------------------------------------
#
# A reader knows more than the linear relations: a "<5" cell is 0..threshold-1, an "X" cell is
# at least the threshold, every count is at least 0, and counts are whole numbers. Those
# bounds can meet at a point (two "<5" cells whose known sum is 8 are both 4), or leave a
# count less than one whole step of room (between 3.67 and 4: a reader who knows it is a whole
# number knows it is 4). ``decide`` prevents the first; ``repair`` the second, by hiding more;
# ``audit`` checks both: by linear programming over the atoms (HiGHS via scipy), a few
# programmes with seeded random objectives first (a cell seen a whole count away from its true
# value in any of them is free), then the remaining cells one by one.

_EPS = 1e-6


class _Bounds:
    """What a reader can bound over one system: atoms at least 0, the known relations, the
    published cells at their values, "<5" at most threshold-1, "X" at least threshold. One
    HiGHS model per system, solved again for each objective from the last basis (warm)."""

    def __init__(self, cells: dict, status: dict, known: list[dict], threshold: int):
        import numpy as np

        atoms = sorted({a for c in cells.values() for a in c.atoms}
                       | {a for v in known for a in v})
        col = {a: j for j, a in enumerate(atoms)}
        rows = [({col[a]: c for a, c in v.items()}, 0, 0) for v in known]  # (row, lo, hi)
        self.eq_key = [None] * len(rows)  # the published cell of each row that is one
        self.row_of: dict = {}
        for key in sorted(cells, key=str):
            c = cells[key]
            st = status.get(key)
            if c.fixed and c.atoms:  # known whatever it reads now: its value
                self.row_of[key] = len(rows)
                rows.append(({col[a]: 1 for a in c.atoms}, c.value, c.value))
                self.eq_key.append(key if st == VISIBLE else None)
                continue
            if not c.atoms or c.implicit or st not in (VISIBLE, PRIMARY, SECONDARY):
                continue
            self.row_of[key] = len(rows)
            # published: its value; "<5": 0..threshold-1 (a 0 reads "<5" too); "X": at least
            # the threshold
            rows.append(({col[a]: 1 for a in c.atoms},
                         {VISIBLE: c.value, PRIMARY: 0, SECONDARY: threshold}[st],
                         {VISIBLE: c.value, PRIMARY: threshold - 1, SECONDARY: None}[st]))
            self.eq_key.append(key if st == VISIBLE else None)
        self.rows, self.atoms, self.col, self.threshold = rows, atoms, col, threshold
        self.h = _highs("bounds")
        self.h.clearModel()
        self.h.passModel(_model([0.0] * len(atoms), rows, [0] * len(atoms), [None] * len(atoms)))
        self._costed = np.zeros(0, dtype=np.int32)

    def solve(self, index, cost):
        """Minimise sum(cost * x[index]): x, or None without an optimum."""
        import highspy
        import numpy as np

        h = self.h
        if len(self._costed):
            h.changeColsCost(len(self._costed), self._costed, np.zeros(len(self._costed)))
        index = np.asarray(index, dtype=np.int32)
        h.changeColsCost(len(index), index, np.asarray(cost, dtype=float))
        self._costed = index
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.asarray(h.getSolution().col_value)

    def hide(self, key) -> None:
        """A published cell becomes "X": at least the threshold."""
        import highspy

        i = self.row_of[key]
        self.h.changeRowBounds(i, float(self.threshold), highspy.kHighsInf)
        self.eq_key[i] = None

    def unpublish(self, key) -> None:
        """A published cell is not shown at all: no bound."""
        import highspy

        i = self.row_of[key]
        self.h.changeRowBounds(i, -highspy.kHighsInf, highspy.kHighsInf)
        self.eq_key[i] = None

    def pinned(self, targets: list[Cell]) -> list[Cell]:
        """Those of ``targets`` that cannot be a whole count away from their true value."""
        import numpy as np
        from scipy.sparse import csr_matrix

        if not targets:
            return []
        idx = [np.array([self.col[a] for a in c.atoms], dtype=np.int32) for c in targets]
        tm = csr_matrix((np.ones(sum(len(i) for i in idx)),
                         (np.repeat(np.arange(len(targets)), [len(i) for i in idx]),
                          np.concatenate(idx))), shape=(len(targets), len(self.atoms)))
        value = np.array([c.value for c in targets], dtype=float)
        free = np.zeros(len(targets), dtype=bool)

        def widen(x):
            if x is not None:
                free[np.abs(tm @ x - value) >= 1 - _EPS] = True

        rng = np.random.default_rng(20260101)
        every = np.arange(len(self.atoms))
        for _ in range(3):
            obj = rng.standard_normal(len(self.atoms))
            widen(self.solve(every, obj))
            widen(self.solve(every, -obj))
        out = []
        for j in sorted(range(len(targets)), key=lambda j: str(targets[j].key)):
            if free[j]:
                continue
            lo = self.solve(idx[j], np.ones(len(idx[j])))
            hi = self.solve(idx[j], -np.ones(len(idx[j])))
            widen(lo)
            widen(hi)
            if not free[j] and lo is not None and hi is not None:
                out.append(targets[j])
        return out


def _targets(bykey: dict, status: dict, threshold: int) -> list[Cell]:
    return [c for c in bykey.values() if 1 <= c.value < threshold and c.atoms
            and (c.implicit or status.get(c.key) in PROTECTED)]


def derived(cells: list[Cell], status: dict, known: list[dict] = ()) -> list:
    """The cells not shown (hidden, or never published) whose value what is shown determines
    (sums and differences of published cells and the known relations): what a reader of
    this publication knows besides what it shows. A later publication of the same data takes
    them as known (``beslut.Builder._history``)."""
    span = Span()
    bykey: dict = {}
    for c in cells:
        bykey.setdefault(c.key, c)
    for v in list(known) + [{a: 1 for a in c.atoms} for c in bykey.values()
                            if c.atoms and status.get(c.key) == VISIBLE]:
        r = span.reduce(v)
        if r:
            span.add(r)
    return [c.key for c in bykey.values() if c.atoms and status.get(c.key) != VISIBLE
            and not span.reduce({a: 1 for a in c.atoms})]


def audit(cells: list[Cell], status: dict, threshold: int, known: list[dict] = ()) -> list:
    """Protected cells (small ones, shown as "<5" or implicit) whose value the published
    cells, the relations and the markers' bounds pin to one whole number."""
    bykey = {}
    for c in cells:
        bykey.setdefault(c.key, c)
    targets = _targets(bykey, status, threshold)
    if not targets:
        return []
    return [c.key for c in _Bounds(bykey, status, list(known), threshold).pinned(targets)]


class _Elastic:
    """Which published cells to hide so that a protected cell can reach a value: the bounds'
    programme with every published equality of a cell that may be hidden made elastic
    (row.x - up + down = value, down at most value - threshold: hidden, it is still at least
    the threshold), at a cost per unit that grows with the cell's priority, and one more row,
    the protected cell's own, at the value asked for. The cells whose equality gives way are
    the ones to hide (L1: few of them). Each marker's bound ("<5" at most threshold-1, "X" at
    least the threshold) may give way too, at ``_DROP`` times the cost: the cell is then not
    shown at all. Only when hiding cannot free a count (the markers alone pin it) is that the
    cheapest way, and it always is one: without bounds, a count of 1 or more can move."""

    def __init__(self, b: _Bounds, cells: dict):
        n = len(b.atoms)
        rows = [(dict(r), lo, hi) for r, lo, hi in b.rows]
        cost, upper = [0.0] * n, [None] * n
        self.slack: dict = {}  # cell key -> its columns that hide it ("X")
        self.drop: dict = {}  # cell key -> its column that lets its marker's bound give way

        def column(i, coef, w, ub=None):
            rows[i][0][len(cost)] = coef
            cost.append(w)
            upper.append(ub)
            return len(cost) - 1

        for key, i in sorted(b.row_of.items(), key=lambda kv: kv[1]):
            _, lo, hi = b.rows[i]
            w = 1.0 + cells[key].priority
            if cells[key].fixed:  # known from an earlier publication: neither hidden nor unshown
                continue
            if b.eq_key[i] is not None:  # published: its value; hidden, at least the threshold
                self.slack[key] = (column(i, -1.0, w), column(i, 1.0, w, lo - b.threshold))
            # the marker's bound: an "X" (or a value, hidden) may fall below the threshold,
            # a "<5" rise above threshold-1
            self.drop[key] = column(i, 1.0 if hi is None or b.eq_key[i] is not None else -1.0,
                                    _DROP * w)
        self.target_row = len(rows)
        rows.append(({}, 0, 0))
        self.h = _highs("elastic")
        self.h.clearModel()
        self.h.passModel(_model(cost, rows, [0] * len(cost), upper))
        self._coefs: list = []

    def _free(self, cols) -> None:
        import numpy as np

        cols = np.array(cols, dtype=np.int32)
        self.h.changeColsCost(len(cols), cols, np.zeros(len(cols)))

    def hide(self, key) -> None:
        """Hidden: its equality gives way at no cost (it is at least the threshold)."""
        if key in self.slack:
            self._free(self.slack.pop(key))

    def unpublish(self, key) -> None:
        """Not shown: its bound gives way at no cost too."""
        self.hide(key)
        if key in self.drop:
            self._free([self.drop.pop(key)])

    def cheapest(self, cols, lo: float, hi: float) -> tuple[float, list, list] | None:
        """(cost, cells to hide, cells not to show) for the protected cell of ``cols`` to be
        in lo..hi."""
        import highspy

        h = self.h
        for j in self._coefs:
            h.changeCoeff(self.target_row, int(j), 0.0)
        for j in cols:
            h.changeCoeff(self.target_row, int(j), 1.0)
        self._coefs = list(cols)
        inf = highspy.kHighsInf
        h.changeRowBounds(self.target_row, -inf if lo is None else lo, inf if hi is None else hi)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        x = h.getSolution().col_value
        drop = [k for k, d in self.drop.items() if x[d] > _EPS]
        hide = [k for k, (u, d) in self.slack.items() if (x[u] > _EPS or x[d] > _EPS)
                and k not in drop]
        return h.getInfo().objective_function_value, hide, drop


_DROP = 1e4  # how much dearer not showing a cell is than hiding it, per unit


def repair(cells: list[Cell], status: dict, threshold: int,
           known: list[dict] = ()) -> tuple[list, list]:
    """Hide more published cells (in ``status``, as SECONDARY) until no protected cell is
    pinned to one whole number: for each pinned cell, the cheapest set of published cells
    that, hidden, let it be one whole count higher or lower (``_Elastic``). Where the markers'
    own bounds pin it whatever is hidden, the cheapest set of cells not to show at all
    (UNPUBLISHED). Either only widens what a reader can bound: what is free stays free. A cell
    decided in another system (forced) may change too: the caller changes it there. (cells
    changed, protected cells still pinned: none but for numerical edge cases)."""
    bykey = {}
    for c in cells:
        bykey.setdefault(c.key, c)
    targets = _targets(bykey, status, threshold)
    if not targets:
        return [], []
    lp = _Bounds(bykey, status, list(known), threshold)
    pinned = lp.pinned(targets)
    if not pinned:
        return [], []
    el = _Elastic(lp, bykey)
    changed: list = []
    for _ in range(3):  # one round frees every pinned cell but for numerical edge cases
        for c in pinned:
            cols = [lp.col[a] for a in c.atoms]
            ways = [w for w in (el.cheapest(cols, c.value + 1, None),
                                el.cheapest(cols, None, c.value - 1)) if w is not None]
            if not ways:
                continue
            _, hide, drop = min(ways, key=lambda w: w[0])
            for k in sorted(hide, key=str):
                status[k] = SECONDARY
                lp.hide(k)
                el.hide(k)
            for k in sorted(drop, key=str):
                status[k] = UNPUBLISHED
                lp.unpublish(k)
                el.unpublish(k)
            changed += sorted(hide, key=str) + sorted(drop, key=str)
        pinned = lp.pinned(pinned)
        if not pinned:
            break
    return changed, [c.key for c in pinned]
