"""Small-number suppression: no count 1..4 leaves a suppressed view, and no hidden cell can be
recomputed from what is published.

The check is independent of ``dashboard.privacy`` (which uses a row-space test): an attacker's
linear programme. It takes the published table, the relations a reader knows, and the totals a
reader can get elsewhere (taken from the unsuppressed view), and bounds every hidden cell from
below and above. A hidden cell is protected when those bounds differ.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog

from dashboard import config, db, demo, privacy, views
from dashboard.views import Filters, Scope

MARK = config.get().suppressed_marker


@pytest.fixture(scope="module")
def demo_con(tmp_path_factory):
    d = tmp_path_factory.mktemp("demo")
    demo.write_series(d / "uttag")
    demo.load_series(d / "uttag", d / "demo.duckdb")
    return db.reader(d / "demo.duckdb")


class Attack:
    """Unknowns are named; each relation is {name_or_value: coefficient} summing to zero."""

    def __init__(self):
        self.unknowns: dict = {}
        self.rows: list[tuple[dict, float]] = []

    def term(self, key, value):
        """A published value, or an unknown if it is hidden."""
        if value == MARK or value is None:
            self.unknowns.setdefault(key, len(self.unknowns))
            return key, None
        return key, float(value)

    def unknown(self, key):
        self.unknowns.setdefault(key, len(self.unknowns))
        return key, None

    def relation(self, terms: list[tuple[tuple, int]]):
        coefs, const = {}, 0.0
        for (key, value), c in terms:
            if value is None:
                coefs[key] = coefs.get(key, 0) + c
            else:
                const += c * value
        if coefs:
            self.rows.append((coefs, -const))

    def pinned(self, keys) -> list:
        n = len(self.unknowns)
        if not n or not self.rows:
            return []
        a = np.zeros((len(self.rows), n))
        b = np.zeros(len(self.rows))
        for i, (coefs, rhs) in enumerate(self.rows):
            for k, c in coefs.items():
                a[i, self.unknowns[k]] = c
            b[i] = rhs
        out = []
        for key in keys:
            j = self.unknowns[key]
            c = np.zeros(n)
            c[j] = 1
            lo = linprog(c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
            hi = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
            assert lo.status == 0, "the published table contradicts its own relations"
            if hi.status == 0 and abs(-hi.fun - lo.fun) < 0.5:
                out.append((key, lo.fun))
        return out


KON = ("kvinna", "man", "annan", "totalt")


def kon_table_attack(pub, group: str | None, total_key) -> tuple[Attack, list]:
    """Relations a reader knows: totalt = kvinna + man + annan on each row, and each column
    adds up to the published total (the same total for groups that count the same people)."""
    atk, hidden = Attack(), []
    for i, row in pub.iterrows():
        cells = {c: atk.term((i, c), row[c]) for c in KON}
        hidden += [(i, c) for c in cells if row[c] == MARK]
        atk.relation([(cells["totalt"], 1), (cells["kvinna"], -1), (cells["man"], -1),
                      (cells["annan"], -1)])
    totals = pub.attrs["totalt"]
    groups = pub.groupby(group).groups if group else {None: pub.index}
    for g, idx in groups.items():
        key = total_key(g)
        for c in KON:
            tot = atk.term(("T", key, c), totals[key][c])
            atk.relation([(tot, -1)] + [(atk.term((i, c), pub.at[i, c]), 1) for i in idx])
    for key, cols in totals.items():  # the Summa row obeys the row relation too
        t = {c: atk.term(("T", key, c), cols[c]) for c in KON}
        hidden += [("T", key, c) for c in KON if cols[c] == MARK]
        atk.relation([(t["totalt"], 1), (t["kvinna"], -1), (t["man"], -1), (t["annan"], -1)])
    return atk, hidden


def deltagare_attack(pub) -> tuple[Attack, list]:
    atk, hidden = Attack(), []
    counts = [c for c in views.DELTAGARE_COUNTS]
    for i, row in pub.iterrows():
        t = {c: atk.term((i, c), row[c]) for c in counts}
        hidden += [(i, c) for c in counts if row[c] == MARK]
        annan = atk.unknown((i, "annan_as"))
        ej = atk.unknown((i, "ej_as"))
        utan = atk.unknown((i, "utan_hp"))
        atk.relation([(t["deltagare_totalt"], 1), (t["avslutade_totalt"], -1), (t["pagaende"], -1)])
        atk.relation([(t["deltagare_period"], 1), (t["avslutade_period"], -1), (t["pagaende"], -1)])
        atk.relation([(t["till_arbete_studier"], 1), (t["kvinnor_arbete_studier"], -1),
                      (t["man_arbete_studier"], -1), (annan, -1)])
        atk.relation([(t["avslutade_period"], 1), (t["till_arbete_studier"], -1), (ej, -1)])
        atk.relation([(t["avslutade_period"], 1), (t["med_handlingsplan"], -1), (utan, -1)])
    for c in counts:
        tot = atk.term(("T", c), pub.attrs["totalt"][c])
        hidden += [("T", c)] if pub.attrs["totalt"][c] == MARK else []
        atk.relation([(tot, -1)] + [(atk.term((i, c), pub.at[i, c]), 1) for i in pub.index])
    return atk, hidden


FILTERS = [
    Filters("2022-Q4", "2022-Q4"),
    Filters("2022-Q3", "2022-Q4"),
    Filters("2021-Q1", "2021-Q4"),
    Filters("2020-Q1", "2020-Q1"),
    Filters("2022-Q1", "2022-Q4", kommuner=("Tierp",)),
    Filters("2021-Q3", "2021-Q4", kommuner=("Knivsta",)),
    Filters("2022-Q3", "2022-Q4", insatser=("2019:11",)),
]
SCOPES = [Scope.styrelse(), Scope.lokus("Heby"), Scope.lokus("Östhammar")]
CASES = list(itertools.product(range(len(FILTERS)), range(len(SCOPES))))


def unsuppressed(scope: Scope) -> Scope:
    return Scope(scope.kommuner, suppress=False)


def no_small_numbers_in(values):
    for v in values:
        assert v == MARK or not (1 <= int(v) <= 4), v


def no_small_numbers(df, cols):
    for c in cols:
        for v in df[c]:
            assert v == MARK or not (1 <= int(v) <= 4), (c, v)


@pytest.mark.parametrize("fi,si", CASES)
def test_kon_tables_hide_small_numbers_for_good(demo_con, fi, si):
    f, scope = FILTERS[fi], SCOPES[si]
    for fn, group, key in ((views.malgrupp, "dimension", views.malgrupp_total_key),
                           (views.avslutsorsaker, None, lambda g: None)):
        pub = fn(demo_con, scope, f)
        full = fn(demo_con, unsuppressed(scope), f)
        no_small_numbers(pub, list(KON))
        for cols in pub.attrs["totalt"].values():
            no_small_numbers_in(cols.values())
        atk, hidden = kon_table_attack(pub, group, key)
        assert atk.pinned(hidden) == []
        # something hidden means something was small (no blanket wipe-out)
        cells = [h for h in hidden if h[0] != "T"]
        if cells:
            assert any(1 <= full.at[i, c] <= 4 for i, c in cells)


@pytest.mark.parametrize("fi,si", CASES)
def test_deltagare_hides_small_numbers_for_good(demo_con, fi, si):
    f, scope = FILTERS[fi], SCOPES[si]
    pub = views.deltagare(demo_con, scope, f)
    full = views.deltagare(demo_con, unsuppressed(scope), f)
    no_small_numbers(pub, views.DELTAGARE_COUNTS)
    no_small_numbers_in(pub.attrs["totalt"].values())
    atk, hidden = deltagare_attack(pub)
    assert len(full) == len(pub)
    assert atk.pinned(hidden) == []
    for _, row in pub.iterrows():  # shares built on a hidden count are hidden too
        if row["till_arbete_studier"] == MARK or row["avslutade_period"] == MARK:
            assert row["andel_arbete_studier"] == MARK


def test_kansli_view_is_not_suppressed(traps_con):
    df = views.deltagare(traps_con, Scope.kansli(), Filters("2020-Q3", "2020-Q4"))
    assert (df["avslutade_period"] == [4, 2]).all()


def test_suppression_is_not_a_blanket(demo_con):
    """On the demo's busiest view most cells stay visible."""
    pub = views.malgrupp(demo_con, Scope.styrelse(), Filters("2021-Q1", "2021-Q4"))
    shown = (pub[["kvinna", "man", "totalt"]] != MARK).to_numpy().mean()
    assert shown > 0.6


def test_protect_a_classic_two_by_two():
    """totalt = a + b with a small: hiding a alone would reveal it; b must go too."""
    g = privacy.Grid(
        values={"a": 3, "b": 40, "t": 43},
        kinds={"a": privacy.SHOWN, "b": privacy.SHOWN, "t": privacy.SHOWN},
        relations=[{"t": 1, "a": -1, "b": -1}],
    )
    assert privacy.protect(g, 5) == {"a", "b"}


def test_protect_implicit_small_cell():
    """The share with a handlingsplan reveals those without one: 19 of 20 means 1 without."""
    g = privacy.Grid(
        values={"n": 20, "med": 19, "utan": 1},
        kinds={"n": privacy.SHOWN, "med": privacy.SHOWN, "utan": privacy.IMPLICIT},
        relations=[{"n": 1, "med": -1, "utan": -1}],
    )
    hidden = privacy.protect(g, 5)
    assert "utan" in hidden and ({"med", "n"} & hidden)


def test_threshold_comes_from_configuration(tmp_path, monkeypatch, traps_con):
    cfg = tmp_path / "c.toml"
    cfg.write_text("suppression_threshold = 3\n", encoding="utf-8")
    monkeypatch.setenv("INSATSKOLLEN_CONFIG", str(cfg))
    config.get.cache_clear()
    try:
        df = views.avslutsorsaker(traps_con, Scope.styrelse(), Filters("2020-Q3", "2020-Q4"))
        assert "<3" in set(df["kvinna"].astype(str))
    finally:
        monkeypatch.delenv("INSATSKOLLEN_CONFIG")
        config.get.cache_clear()
    assert Path(cfg).exists()
