"""The protection itself (``privacy.decide``): hand-worked cases, and a property test on random
small tables checked by an independent method (numpy's SVD instead of the engine's integer
elimination): no primary cell is in the span of what is published."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import privacy
from dashboard.privacy import PRIMARY, SECONDARY, VISIBLE, Cell

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
def test_the_markers_bounds_pin_only_what_they_pin_alone(data):
    """With the markers' bounds ("<5" is 1..4, "X" at least 5), linear programming (``audit``,
    independent of ``decide``'s elimination) pins no small count, except one that the markers
    pin whatever is published: with only the "<5" cells, the zeros and the cells of exactly
    the threshold (shown or "X", they are at least the threshold) known, it is pinned too."""
    n = data.draw(st.integers(3, 14))
    kon = data.draw(st.lists(st.sampled_from("km"), min_size=n, max_size=n))
    d1 = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    d2 = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    cells, known = _two_dimensions(kon, d1, d2)
    status = privacy.decide(cells, T, known).status
    pinned = set(privacy.audit(cells, status, T, known))
    if not pinned:
        return
    alone = {c.key: PRIMARY for c in cells if status.get(c.key) == PRIMARY}
    alone.update({c.key: VISIBLE for c in cells if c.value == 0 and not c.implicit})
    alone.update({c.key: SECONDARY for c in cells if c.value == T and not c.implicit})
    assert pinned <= set(privacy.audit(cells, alone, T, known)), (kon, d1, d2)


def test_four_ones_under_a_four_are_pinned_by_the_markers_alone():
    """The structure the property above allows: kvinnor and män of two categories, one person
    each, and their total 4 (all "<5"): each is 1 whatever is published."""
    cells, known = _two_dimensions(list("kmkm"), [0, 0, 1, 1], [0, 0, 0, 0])
    status = privacy.decide(cells, T, known).status
    by_key = {c.key: c for c in cells}
    assert status[("S", "t")] == PRIMARY and by_key[("S", "t")].value == 4
    assert ("A", 0, "k") in privacy.audit(cells, status, T, known)
