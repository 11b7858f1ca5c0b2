"""The protection itself (``privacy.decide``): hand-worked cases, and a property test on random
small tables checked by an independent method (numpy's SVD instead of the engine's integer
elimination): no primary cell is in the span of what is published."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dashboard import privacy
from dashboard.privacy import PRIMARY, SECONDARY, UNPUBLISHED, VISIBLE, Cell

T = 5


def test_a_small_cell_and_its_total_need_a_complement():
    # t = a + b with a = 3: a is small; b = 7 would give a = t - b, so b is hidden ("X");
    # t, the most wanted, stays
    cells = [Cell("a", frozenset({1}), 3), Cell("b", frozenset({2}), 7),
             Cell("t", frozenset({1, 2}), 10, priority=1)]
    assert privacy.decide(cells, T).status == {"a": PRIMARY, "b": SECONDARY, "t": VISIBLE}


def test_an_implicit_small_cell_is_protected_but_never_published():
    # kvinna 6 + man 7 + annan 2 = samtliga 15; annan is no column: one of the others goes
    cells = [Cell("k", frozenset({1}), 6), Cell("m", frozenset({2}), 7),
             Cell("s", frozenset({1, 2, 3}), 15, priority=2), Cell("a", frozenset({3}), 2,
                                                                   implicit=True)]
    status = privacy.decide(cells, T).status
    assert "a" not in status and status["s"] == VISIBLE
    assert sorted(status[c] for c in "km") == [SECONDARY, VISIBLE]


def test_a_complement_that_becomes_known_anyway_is_shown():
    # a = 2 (small), b = 8, c = 9; published a+b = 10, b alone would expose a; c is free.
    cells = [Cell("a", frozenset({1}), 2), Cell("ab", frozenset({1, 2}), 10, priority=3),
             Cell("b", frozenset({2}), 8), Cell("c", frozenset({3}), 9)]
    status = privacy.decide(cells, T).status
    assert status == {"a": PRIMARY, "ab": VISIBLE, "b": SECONDARY, "c": VISIBLE}


def test_known_relations_count():
    # two dimensions counting the same 12 people: x1 + x2 = y1 + y2 is known; x1 = 3
    cells = [Cell("x1", frozenset({1}), 3), Cell("x2", frozenset({2}), 9),
             Cell("y1", frozenset({3}), 6), Cell("y2", frozenset({4}), 6)]
    known = [{1: 1, 2: 1, 3: -1, 4: -1}]
    status = privacy.decide(cells, T, known).status
    # publishing x2, y1 and y2 would give x1 = y1 + y2 - x2
    assert status["x1"] == PRIMARY and SECONDARY in {status["x2"], status["y1"], status["y2"]}


def _table_cells(values: np.ndarray) -> list[Cell]:
    """An r x c table of atoms with row, column and grand totals (atoms of count 0 are left
    out: the reader is taken to know them, as ``decide`` expects)."""
    r, c = values.shape
    aid = {(i, j): i * c + j for i in range(r) for j in range(c) if values[i, j]}
    cells = [Cell(("cell", i, j), frozenset({aid[i, j]} & set(aid.values())), int(values[i, j]))
             if (i, j) in aid else Cell(("cell", i, j), frozenset(), 0)
             for i in range(r) for j in range(c)]
    cells += [Cell(("row", i), frozenset(aid[i, j] for j in range(c) if (i, j) in aid),
                   int(values[i].sum()), 1) for i in range(r)]
    cells += [Cell(("col", j), frozenset(aid[i, j] for i in range(r) if (i, j) in aid),
                   int(values[:, j].sum()), 1) for j in range(c)]
    cells.append(Cell(("all",), frozenset(aid.values()), int(values.sum()), 2))
    return cells


def _in_span(vectors: list[np.ndarray], v: np.ndarray) -> bool:
    if not vectors:
        return not v.any()
    a = np.array(vectors).T
    x, *_ = np.linalg.lstsq(a, v, rcond=None)
    return np.allclose(a @ x, v, atol=1e-8)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 4), st.integers(2, 4), st.data())
def test_no_primary_is_in_the_span_of_what_is_published(r, c, data):
    values = np.array(data.draw(st.lists(st.integers(0, 12), min_size=r * c, max_size=r * c))
                      ).reshape(r, c)
    cells = _table_cells(values)
    status = privacy.decide(cells, T).status
    n = r * c
    nonzero = [a for a in range(n) if values.flat[a]]  # zero atoms are known: dropped

    def vec(cell):
        return np.array([1.0 if a in cell.atoms else 0.0 for a in nonzero])

    published = [vec(x) for x in cells if status[x.key] == VISIBLE]
    for x in cells:
        if 1 <= x.value < T:
            assert status[x.key] == PRIMARY
            assert not _in_span(published, vec(x)), (values.tolist(), x.key)
        if status[x.key] == VISIBLE and x.value:
            assert not (1 <= x.value < T)
    # deterministic: the same input gives the same decision
    assert privacy.decide(list(reversed(cells)), T).status == status


def test_every_cell_gets_a_status():
    values = np.array(list(itertools.islice(itertools.cycle([0, 3, 8, 1, 12]), 9))).reshape(3, 3)
    cells = _table_cells(values)
    status = privacy.decide(cells, T).status
    assert set(status) == {x.key for x in cells}


def _two_dimensions(kon: list[str], d1: list[int], d2: list[int]):
    """People with kön and two categorised dimensions (three categories each), published as
    each dimension by category and kön (kvinnor, män, totalt) with one Summa; a reader knows
    that both dimensions count the same people (per kön)."""
    atoms, vals = {}, {}
    for dim, arr in (("A", d1), ("B", d2)):
        for k, c in zip(kon, arr):
            key = (dim, c, k)
            atoms.setdefault(key, len(atoms))
            vals[key] = vals.get(key, 0) + 1
    cells = {}
    groups = [((dim, cat), [(dim, cat)]) for dim in "AB" for cat in range(3)]
    groups.append((("S",), [("A", cat) for cat in range(3)]))
    for name, parts in groups:
        for kol, kons in (("k", "k"), ("m", "m"), ("t", "km")):
            keys = [p + (k,) for p in parts for k in kons if p + (k,) in atoms]
            at = frozenset(atoms[x] for x in keys)
            cell = Cell(name + (kol,), at, sum(vals[x] for x in keys), 8 if name == ("S",) else 3)
            cells.setdefault(at, cell)  # the same atoms: one cell
    known = []
    for k in "km":
        rel = {atoms[("A", c, k)]: 1 for c in range(3) if ("A", c, k) in atoms}
        rel.update({atoms[("B", c, k)]: -1 for c in range(3) if ("B", c, k) in atoms})
        if rel:
            known.append(rel)
    return list(cells.values()), known


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_the_markers_bounds_pin_no_small_count(data):
    """With the markers' bounds ("<5" is 0..4, since a 0 reads "<5" too; "X" at least 5),
    linear programming (``audit``, independent of ``decide``'s elimination) pins no small
    count."""
    n = data.draw(st.integers(3, 14))
    kon = data.draw(st.lists(st.sampled_from("km"), min_size=n, max_size=n))
    d1 = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    d2 = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    cells, known = _two_dimensions(kon, d1, d2)
    status = privacy.decide(cells, T, known).status
    assert privacy.audit(cells, status, T, known) == [], (kon, d1, d2)


def test_four_ones_under_a_four_are_not_pinned_when_a_zero_reads_small():
    """Kvinnor and män of two categories, one person each, and their total 4 (all "<5"). Were
    "<5" 1..4, each would be 1 whatever is published (the sum is at most 4, each part at least
    1). A 0 reads "<5" too, so each part is 0..4 and none is pinned."""
    cells, known = _two_dimensions(list("kmkm"), [0, 0, 1, 1], [0, 0, 0, 0])
    status = privacy.decide(cells, T, known).status
    by_key = {c.key: c for c in cells}
    assert status[("S", "t")] == PRIMARY and by_key[("S", "t")].value == 4
    assert status[("A", 0, "k")] == PRIMARY and by_key[("A", 0, "k")].value == 1
    assert privacy.audit(cells, status, T, known) == []
    # the same with the old meaning ("<5" at least 1, as a row known to be non-zero gives it)
    ones = [next(iter(c.atoms)) for c in cells if c.value == 1]
    assert ("A", 0, "k") in _pinned(cells, status, known, at_least=ones)


def _pinned(cells, status, known, at_least=()):
    """Independent of ``privacy``: the "<5" and implicit cells of 1..4 that linear programming
    (scipy, dense) keeps less than one whole count from their true value, given the published
    cells, "<5" 0..4, "X" at least 5, atoms at least 0 and each atom of ``at_least`` at least
    1."""
    import numpy as np
    from scipy.optimize import linprog

    atoms = sorted({a for c in cells for a in c.atoms} | {a for v in known for a in v})
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for v in known:
        a_eq.append([v.get(a, 0) for a in atoms])
        b_eq.append(0)
    for c in cells:
        row = [1 if a in c.atoms else 0 for a in atoms]
        st = status.get(c.key)
        if c.implicit or st in (None, UNPUBLISHED):
            continue
        if st == VISIBLE:
            a_eq.append(row)
            b_eq.append(c.value)
        elif st == PRIMARY:
            a_ub.append(row)
            b_ub.append(T - 1)
        else:
            a_ub.append([-x for x in row])
            b_ub.append(-T)
    for a in at_least:
        a_ub.append([-1 if b == a else 0 for b in atoms])
        b_ub.append(-1)
    out = []
    for c in cells:
        if not (1 <= c.value < T) or not (c.implicit or status.get(c.key) in (PRIMARY,
                                                                             UNPUBLISHED)):
            continue
        obj = np.array([1.0 if a in c.atoms else 0.0 for a in atoms])
        kw = {"A_eq": a_eq or None, "b_eq": b_eq or None, "A_ub": a_ub or None,
              "b_ub": b_ub or None, "method": "highs"}
        lo, hi = linprog(obj, **kw), linprog(-obj, **kw)
        assert lo.status == 0, "the published cells contradict each other"
        if hi.status == 0 and lo.fun > c.value - 1 + 1e-6 and -hi.fun < c.value + 1 - 1e-6:
            out.append(c.key)
    return out


def _two_insatser(rng):
    """Like one period of Målgrupp: people of two insatser, kön k, m or a (annat kön: counted
    only in the Summa, one atom per insats), two dimensions of three categories; published
    per insats and for both: every category by kvinnor, män, totalt, and the Summa (with
    "samtliga"); annat kön implicit; a reader knows both dimensions count the same people."""
    n = int(rng.integers(4, 20))
    ins = rng.integers(0, 2, size=n)
    kon = rng.choice(["k", "m", "a"], p=[.45, .45, .1], size=n)
    dims = {"A": rng.integers(0, 3, size=n), "B": rng.integers(0, 3, size=n)}
    atoms, vals = {}, {}
    for d, arr in dims.items():
        for i in range(n):
            key = (int(ins[i]), d, int(arr[i]) if kon[i] != "a" else "*", kon[i])
            atoms.setdefault(key, len(atoms))
            vals[key] = vals.get(key, 0) + 1
    cells = {}

    def add(name, keys, prio, implicit=False):
        keys = [k for k in keys if k in atoms]
        at = frozenset(atoms[k] for k in keys)
        if not at:
            return
        c = Cell(name, at, sum(vals[k] for k in keys), prio, implicit)
        if at not in cells or (cells[at].implicit and not implicit):
            cells[at] = c

    for sel in ((0,), (1,), (0, 1)):
        for d in "AB":
            for cat in range(3):
                for kol, ks in (("k", "k"), ("m", "m"), ("t", "km")):
                    add((sel, d, cat, kol), [(i, d, cat, k) for i in sel for k in ks],
                        3 + (len(sel) == 2))
        for kol, ks in (("k", "k"), ("m", "m"), ("t", "km"), ("s", "kma")):
            add((sel, "S", kol), [(i, "A", c, k) for i in sel for c in (0, 1, 2, "*")
                                  for k in ks], 8)
        add((sel, "S", "a"), [(i, "A", "*", "a") for i in sel], 0, True)
    known = []
    for i in (0, 1):
        for k in "kma":
            cats = (0, 1, 2) if k != "a" else ("*",)
            rel = {atoms[(i, "A", c, k)]: 1 for c in cats if (i, "A", c, k) in atoms}
            for c in cats:
                if (i, "B", c, k) in atoms:
                    rel[atoms[(i, "B", c, k)]] = rel.get(atoms[(i, "B", c, k)], 0) - 1
            rel = {a: v for a, v in rel.items() if v}
            if rel:
                known.append(rel)
    return list(cells.values()), known


@pytest.mark.slow
@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.integers(0, 2**32 - 1))
@example(5264)  # the markers alone pin a count: only not showing a cell frees it
@example(1055)
def test_decide_and_repair_leave_every_small_count_a_whole_count_of_room(seed):
    """``decide`` lets every protected cell move; ``repair`` hides more until each can be a
    whole count away from its true value (a reader knows counts are whole numbers), and where
    the markers' bounds alone pin it, leaves a cell unshown (".."). Checked by an independent
    programme. Derandomized: the same examples on every run (CI is reproducible); seeds once
    found by random search are the examples."""
    import numpy as np

    cells, known = _two_insatser(np.random.default_rng(seed))
    status = privacy.decide(cells, T, known).status
    hidden, left = privacy.repair(cells, status, T, known)
    assert set(_pinned(cells, status, known)) <= set(left)
    assert not left, left


def test_repair_frees_a_count_decide_leaves_less_than_one_whole_count_of_room():
    """One of those extracts (found by the property above): after ``decide`` alone a small
    count can move, but by less than one; ``repair`` hides more and it is free."""
    import numpy as np

    cells, known = _two_insatser(np.random.default_rng(29))
    status = privacy.decide(cells, T, known).status
    assert _pinned(cells, status, known)
    hidden, left = privacy.repair(cells, status, T, known)
    assert hidden and not left
    assert all(status[k] == SECONDARY for k in hidden)
    assert _pinned(cells, status, known) == []


def test_a_count_the_markers_alone_pin_is_freed_by_not_showing_a_cell():
    """An extract (found by the property above) where the markers' bounds alone ("<5" at most
    4, "X" at least 5) pin a count: hiding every cell that is shown leaves it pinned. Repair
    leaves a cell unshown (".."), and nothing is pinned."""
    import numpy as np

    cells, known = _two_insatser(np.random.default_rng(5264))
    status = privacy.decide(cells, T, known).status
    value = {c.key: c.value for c in cells}
    every_hidden = {k: SECONDARY if st == VISIBLE and value[k] >= T else st
                    for k, st in status.items()}
    assert _pinned(cells, every_hidden, known)
    changed, left = privacy.repair(cells, status, T, known)
    assert not left and UNPUBLISHED in {status[k] for k in changed}
    assert _pinned(cells, status, known) == []
