"""Hidden cells never change what a chart or its words say (dashboard/dolda.py, the kön chart,
the readings). The breakdowns are LOKUS Heby's Målgrupp for 2022 in the demo (grövre
kategorier) as issue 27 saw them, written out here: each expectation follows from these cells
and the markers' bounds (<5: 0-4, X: at least 5) alone."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import dolda, nyckeltal
from dashboard.components.diagram import storst
from dashboard.figures.deltagare import DELAD_NAMN, by_kon
from dashboard.publicerat import LITET, SKYDDAR, Dolt

L, X = Dolt(LITET), Dolt(SKYDDAR)  # "<5" and "X" as the publication gives them

# Tid i insats (months), avslutade: 1-10 X/X (72 published), 11-20 11/12 (23), 21+ <5/<5/<5
TID = pd.DataFrame({"kategori": ["1_10", "11_20", "21_plus"],
                    "kategori_namn": ["1–10", "11–20", "21 eller fler"],
                    "kvinna": [X, 11, L], "man": [X, 12, L],
                    "totalt": [72, 23, L]}, dtype=object)
TID_SUMMA = {"kvinna": X, "man": 58, "totalt": X, "samtliga": 102}
# Ålder, aktiva: under 30 X/30/X, 30-49 45/66/111, 50+ 22/29/51; 210 in all (annat kön too)
ALDER = pd.DataFrame({"kategori": ["under_30", "30_49", "50_plus"],
                      "kategori_namn": ["Under 30", "30–49", "50 eller äldre"],
                      "kvinna": [X, 45, 22], "man": [30, 66, 29],
                      "totalt": [X, 111, 51]}, dtype=object)
ALDER_SUMMA = {"kvinna": X, "man": 125, "totalt": X, "samtliga": 210}


def trace(fig, name):
    return next(t for t in fig["data"] if t["name"] == name)


def test_a_hidden_kon_split_with_a_published_total_is_drawn_as_its_total():
    fig = by_kon(TID, "kategori_namn", None)
    # 1-10: one neutral bar of 72 across the group (no kön bar, no marker); 11-20 by kön;
    # 21+ hidden: a marker at zero per kön, no bar
    total = trace(fig, DELAD_NAMN)
    assert total["x"] == [72, None, None] and (total["offset"], total["width"]) == (-0.4, 0.8)
    assert trace(fig, "Kvinnor")["x"] == [None, 11, None]
    assert trace(fig, "Män")["x"] == [None, 12, None]
    markers = [t for t in fig["data"] if t.get("legendgroup") == "dolt"]
    assert [t["x"] for t in markers] == [[None, None, 0], [None, None, 0]]
    assert [t["text"] for t in markers] == [[None, None, "<5"], [None, None, "<5"]]
    # the biggest drawn bar is the biggest category: 72, not 23
    drawn = [v for t in fig["data"] for v in t["x"] if isinstance(v, int)]
    assert max(drawn) == 72


def test_whole_number_ticks_on_a_small_chart():
    small = TID.assign(kvinna=[L, 2, L], man=[L, 3, L], totalt=[L, 5, L])
    fig = by_kon(small, "kategori_namn", None)
    assert fig["layout"]["xaxis"]["dtick"] == 1  # not plotly's 0.2 shown as "0 0 0 1 1 1"


def test_bounds_from_the_published_cells():
    kats = {k.namn: k for k in dolda.kategorier(ALDER, "kategori_namn", summa=ALDER_SUMMA)}
    # under 30: män 30 shown, kvinnor X (at least 5): at least 35; at most the 210 in all
    # less 30-49's 111 and 50+'s 51: 48
    assert (kats["Under 30"].minst, kats["Under 30"].hogst) == (35, 48)
    top, maybe = dolda.storsta(list(kats.values()))
    assert top.namn == "30–49" and maybe == []  # 48 < 111: surely the largest
    # without the total in all, under 30 could be anything from 35 up
    unbounded = dolda.kategorier(ALDER, "kategori_namn", summa={"totalt": X, "samtliga": X})
    assert unbounded[0].hogst == math.inf
    top, maybe = dolda.storsta(unbounded)
    assert top.namn == "30–49" and [k.namn for k in maybe] == ["Under 30"]


def test_a_chart_that_would_be_mostly_gaps():
    assert not dolda.mest_dolt(dolda.kategorier(TID, "kategori_namn"))  # 2 of 3 drawn
    detailed = pd.DataFrame({"k": ["1–5", "6–10", "11–15"], "kvinna": [X, L, L],
                             "man": [X, L, L], "totalt": [X, L, L]},
                            dtype=object)
    assert dolda.mest_dolt(dolda.kategorier(detailed, "k"))
    assert dolda.allt_dolt(dolda.kategorier(detailed, "k"))


def test_the_readings_say_only_what_the_cells_show():
    # kön of everyone: män 125 of 210 = 59.5 %; kvinnor hidden, said so (not left out)
    assert nyckeltal.kon_lasning(ALDER_SUMMA) == (
        "60\u00a0% män (andelen kvinnor döljs för att skydda ett litet tal)")
    # the categories: 1-10 (72) is the largest (21+ is at most 4); "Kvinnor och män" is hidden,
    # so a count, not a share
    assert nyckeltal.kategori_lasning("tid_i_insats", TID, TID_SUMMA, grov=True) == \
        "vanligast: 1–10 månader (72)"
    # ålder: under 30 is hidden, so no share younger than 30; the largest band instead (under
    # 30 is at most 48 of the 210, so 30-49's 111 is surely the largest)
    assert nyckeltal.kategori_lasning("alder", ALDER, ALDER_SUMMA, grov=True) == \
        "vanligast: 30–49 (111)"


@pytest.mark.parametrize("values, expected", [
    ([27, X, L], "Flest avslutade bland de som visas: k1 (27); k2 döljs och kan vara fler."),
    ([27, 3, L], "Flest avslutade: k1 (27). Några värden är dolda (små tal)."),
    ([X, L, L], "Alla värden är dolda eller noll."),
])
def test_the_largest_is_named_only_when_no_hidden_value_can_be_larger(values, expected):
    assert storst(["k1", "k2", "k3"], values, "avslutade") == expected
