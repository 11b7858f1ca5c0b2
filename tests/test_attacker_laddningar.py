"""The attacker with two consecutive loads: the board holds last quarter's publication (its PM,
its exports) and this quarter's. SUS extracts correct earlier quarters (an avslut registered
late with an earlier slutdatum, a corrected kön or handlingsplan: the demo series has a few
a quarter, ``demo.fel``), so a cell of an earlier period may differ between the two loads,
and a difference of 1..4 is a count of persons: whose avslut came late, whose kön changed.

The attacker of ``test_attacker`` (sums, differences, the markers' bounds, by linear
programming) is given both publications, with each load's own relations, and is told which
cells did not change between the loads (the strongest reader: one who guesses right which
ones a correction touched); for a cell that did change, the change is a count of its own.
No count of 1..4 of either load, and no change of 1..4, may be pinned. A control decides the
same second load as if nothing had been published before, and the attacker finds changes.
"""

from __future__ import annotations

import shutil

import pytest
from test_attacker import EVENTS, System, T, collect

from dashboard import beslut, db, demo, ingest, publicering

A_RANGES = [("2022-Q1", "2022-Q3"), ("2022-Q3", "2022-Q3"), ("2022-Q1", "2022-Q2")]
B_RANGES = A_RANGES + [("2022-Q4", "2022-Q4"), ("2022-Q1", "2022-Q4"), ("2022-Q3", "2022-Q4")]


@pytest.fixture(scope="module")
def loads(tmp_path_factory):
    """The demo series loaded through 2022-Q3 (one write), then 2022-Q4 as its own write (its
    decision given the one before), and the same data decided afresh."""
    d = tmp_path_factory.mktemp("laddningar")
    demo.write_series(d / "uttag")
    quarters = sorted(p for p in (d / "uttag").iterdir() if p.is_dir())
    with db.writer(d / "a.duckdb") as con:
        for q in quarters[:-1]:
            ingest.ingest_into(con, q, loaded_by="demo", skydd=False)
        beslut.besluta_och_spara(con)
    shutil.copyfile((d / "a.duckdb").resolve(), d / "b.gen")
    (d / "b.duckdb").symlink_to("b.gen")
    ingest.ingest_file(quarters[-1], d / "b.duckdb")
    shutil.copyfile((d / "b.duckdb").resolve(), d / "f.gen")
    (d / "f.duckdb").symlink_to("f.gen")
    with db.writer(d / "f.duckdb") as con:
        beslut.spara(con, beslut.besluta(con, previous=None), 0.0)
    return {k: db.reader(d / f"{k}.duckdb") for k in "abf"}


def both(a: System, b: System) -> System:
    """One system of two loads' cells: ("A", cell) and ("B", cell), each load's relations; a
    cell in both is one unknown where its count did not change, else the two are tied by a
    change of its own (oriented so that its true value is at least 0)."""
    out = System()
    for tag, s in (("A", a), ("B", b)):
        for k, v in s.true.items():
            key = (tag, *k)
            out.true[key] = v
            if k in s.shown:
                out.shown[key] = s.shown[k]
            if k in s.bounds:
                out.bounds[key] = s.bounds[k]
            if k in s.marker:
                out.marker[key] = s.marker[k]
        out.relations += [{(tag, *k): c for k, c in r.items()} for r in s.relations]
    for k in a.true.keys() & b.true.keys():
        ka, kb = ("A", *k), ("B", *k)
        if a.true[k] == b.true[k]:
            out.relation({ka: 1, kb: -1})
        else:
            sign = 1 if b.true[k] > a.true[k] else -1
            change = ("andring", *k)
            out.true[change] = abs(b.true[k] - a.true[k])
            out.bounds[change] = (None, None)
            out.relation({change: 1, kb: -sign, ka: sign})
    return out


def year_to_date_adds_up(s: System) -> None:
    """The year to date at Q4 is the one at Q3 and the fourth quarter (counts of events)."""
    ytd, q3, q4 = ("2022-Q1", "2022-Q4"), ("2022-Q1", "2022-Q3"), ("2022-Q4", "2022-Q4")
    for k in list(s.true):
        if k[0] == "dl" and k[1] == ytd and k[3] in EVENTS:
            parts = [(k[0], r, *k[2:]) for r in (q3, q4)]
            if all(p in s.true for p in parts):
                s.relation({k: 1, **{p: -1 for p in parts}})


@pytest.fixture(scope="module")
def seen(loads) -> dict:
    """What the board fetches of each load (the attacker's collection): the first load, the
    second as decided, and the second as if nothing had been published before."""
    out = {"a": collect(loads["a"], 2022, A_RANGES)}
    for k in "bf":
        out[k] = collect(loads[k], 2022, B_RANGES)
        year_to_date_adds_up(out[k])
    return out


def differences(a: System, b: System) -> dict:
    """Cells both loads show as numbers, that differ by 1..4 (a change of a few persons, by
    subtraction); and cells the first load hid that the second shows unchanged (what the
    first hid, given away)."""
    out = {}
    for k in a.true.keys() & b.true.keys():
        if k in a.shown and k in b.shown and 0 < abs(a.shown[k] - b.shown[k]) < T:
            out[k] = (a.shown[k], b.shown[k])
        if k in a.marker and k in b.shown and a.true[k] == b.true[k]:
            out[k] = (a.marker[k], b.shown[k])
    return out


def test_the_loads_differ_where_the_extract_corrected_an_earlier_quarter(seen):
    """The demo's corrections reach the board's tables: 2022-Q3's cells differ between the
    loads, each by a few persons."""
    a, b = seen["a"], seen["b"]
    changed = {k: b.true[k] - a.true[k] for k in a.true.keys() & b.true.keys()
               if a.true[k] != b.true[k]}
    assert changed and all(abs(v) <= 2 * demo.FEL_SENT_AVSLUT for v in changed.values())
    # 3 avslut registered late (Q3's extract had them as pågående), so Q3's avslutade grew
    q3 = ("2022-Q3", "2022-Q3")
    alla = [k for k in changed if k[:2] == ("dl", q3) and k[3] == "avslutade_period"
            and len(k[2]) > 1]
    assert alla and changed[alla[0]] == demo.FEL_SENT_AVSLUT


def test_no_change_of_a_few_persons_can_be_read_off_two_loads(seen):
    """Subtracting last quarter's figure from this quarter's gives no change of 1..4, and no
    figure hidden last quarter is shown now."""
    assert differences(seen["a"], seen["b"]) == {}


def test_the_changes_show_when_the_history_is_ignored(seen, loads):
    """Control: the same second load decided as if nothing had been published before shows
    corrected cells as numbers beside the first load's: the changes can be read off."""
    assert differences(seen["a"], seen["f"])
    assert publicering.get(loads["b"]).meta["foregaende"] == publicering.get(
        loads["a"]).meta["hash"]


@pytest.mark.xfail(strict=True, reason=(
    "the protection over two loads holds cell by cell (a cell shown or given away then, and "
    "unchanged, is known now), not for a sum of cells that a correction split: quarter 3's "
    "kvinnor and annat kön till arbete/studier summed (known from the first load's total "
    "minus its män, both changed by one late avslut) pins the fourth quarter's annat kön. "
    "Closing it needs atoms of the two loads' episodes together (docs/sekretess.md)"))
def test_nothing_small_can_be_derived_from_two_consecutive_loads(seen):
    """The attacker's linear programmes over both loads, told which cells did not change."""
    s = both(seen["a"], seen["b"])
    hidden_small = [k for k in s.bounds if s.true[k] and 1 <= s.true[k] < T]
    assert len(hidden_small) > 50  # the attack has something to attack
    assert dict(s.pinned()) == {}
