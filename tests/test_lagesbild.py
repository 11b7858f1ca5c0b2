"""Översikt's first screen on tests/fixtures/traps, against figures worked out by hand (the
fixture's budget, reports and people are listed in test_tables.py and test_views.py).

2020-Q4: goal lights A ja/ja green, B i_fas nej yellow, C prognos nej red (D ended in Q2).
Budget 2020 to date: A 375 of 400 tkr = 94 % green (överfört 15), B 90 of 200 = 45 % red
(återfört 10), C 80 of 90 = 89 % yellow. Kvalitet Q4 answers asking for action: B ordinarie
ledamöter nej; C styrgruppsmöten nej and kontroll nej. B's vakans and avvikelse budget, and C's
avvikelse mål, are for information only (the styrgrupp reported them, as it should).
"""

from __future__ import annotations

from dashboard import nyckeltal
from dashboard.urval import Filter, Scope

Q4 = Filter("2020-Q4", "2020-Q4")
H2 = Filter("2020-Q3", "2020-Q4")
KANSLI = Scope.kansli()
NB = "\u00a0"


def test_lights_on_goal_and_on_budget_count_the_running_insatser(traps_con):
    k = nyckeltal.oversikt(traps_con, KANSLI, Q4)
    assert {c: k["lampor"][c] for c in ("gron", "gul", "rod")} == {"gron": 1, "gul": 1, "rod": 1}
    # D has budget rows in 2020 but did not run in Q4: not counted
    assert k["budget_lampor"] == {"gron": 1, "gul": 1, "rod": 1}


def test_attention_list_names_every_insats_needing_attention_and_why(traps_con):
    df = nyckeltal.uppmarksamhet(traps_con, KANSLI, Q4)
    # A is green on both and its styrgrupp answered as expected: not listed. B and C both have
    # a red light: C's is on its goal, B's on its budget; red on goal comes first (the order
    # of Översikt's table of every insats and of the presentation)
    assert list(df["insats_id"]) == ["C", "B"]
    c, b = (df.iloc[i].to_dict() for i in (0, 1))
    assert (b["lampa"], b["budget_lampa"]) == ("gul", "rod")
    assert b["skal"] == [
        "Målen: inte i fas, men prognosen är att de nås",
        f"Budget: 45{NB}% förbrukat i år (grönt 90–105{NB}%), 10{NB}tkr återfört",
        "Kvalitet: ordinarie ledamöter har inte deltagit",
    ]
    assert (c["lampa"], c["budget_lampa"]) == ("rod", "gul")
    assert c["skal"] == [
        "Målen: prognosen är att de inte nås",
        f"Budget: 89{NB}% förbrukat i år (grönt 90–105{NB}%)",
        "Kvalitet: styrgruppen har inte mötts enligt avtal, målgrupp och metod inte kontrollerade",
    ]
    assert c["kommentar"] == "<script>alert(1)</script> =SUM(A1)"
    # the list is about the `to` quarter, whatever the range's start
    assert list(nyckeltal.uppmarksamhet(traps_con, KANSLI, H2)["insats_id"]) == ["C", "B"]


def test_attention_list_is_scoped_like_everything_else(traps_con):
    # LOKUS Uppsala sees B (Uppsala) and C (länsövergripande), not A (Heby, Tierp)
    df = nyckeltal.uppmarksamhet(traps_con, Scope.lokus("Uppsala"), Q4)
    assert list(df["insats_id"]) == ["C", "B"]
    df = nyckeltal.uppmarksamhet(traps_con, Scope.lokus("Heby"), Q4)
    assert list(df["insats_id"]) == ["C"]


def test_a_quarter_before_shows_the_quarter_before(traps_con):
    # 2020-Q3: A i_fas nej (yellow), B and C green. Budget to Q3: A 295/300 = 98 % green,
    # B 90/150 = 60 % red, C 70/60 = 117 % red. No answer asks for action.
    df = nyckeltal.uppmarksamhet(traps_con, KANSLI, Filter("2020-Q3", "2020-Q3"))
    got = {r.insats_id: (r.lampa, r.budget_lampa) for r in df.itertuples()}
    assert got == {"A": ("gul", "gron"), "B": ("gron", "rod"), "C": ("gron", "rod")}
    assert list(df["insats_id"]) == ["B", "C", "A"]  # red before yellow


def test_headline_outcome_of_the_year(traps_con):
    # ended in 2020: p1 A, p2 A, p5 A, p6 A, p7 A, p7 B, p9 B = 7 episodes; to work or
    # studies: p1 (subventionerat arbete), p2 (studier), p7 B (arbete), p9 (eget företag) = 4;
    # a plan at avslut: p1, p2, p7 A, p7 B, p9 = 5 of 7 = 71 %, under the 80 % goal
    u = nyckeltal.rubrikutfall(traps_con, KANSLI, Q4)
    assert (u["fran"], u["till"]) == ("2020-Q1", "2020-Q4")
    assert (u["avslutade"], u["till_arbete_studier"], u["med_handlingsplan"]) == (7, 4, 5)
    assert round(u["andel_handlingsplan"] * 100) == 71
    assert u["nar_malet"] is False


def test_headline_outcome_is_protected_for_the_board(traps_con):
    # 4 to work or studies is small (<5); without a plan 7 - 5 = 2 is small too, so
    # "avslutade" (7) and "med handlingsplan" (5) are never both shown, and each one shown is
    # exact. Shares built on a hidden count are hidden; no verdict on the goal.
    u = nyckeltal.rubrikutfall(traps_con, Scope.styrelse(), Q4)
    assert u["till_arbete_studier"] == "<5"
    assert u["avslutade"] in (7, "X") and u["med_handlingsplan"] in (5, "X")
    assert "X" in (u["avslutade"], u["med_handlingsplan"])
    assert u["andel_arbete_studier"] == "<5" and u["andel_handlingsplan"] == "X"
    assert u["nar_malet"] is None


def test_a_change_is_an_arrow_a_number_and_words():
    assert nyckeltal.forandring(5, 3) == ("▲", "2 fler")
    assert nyckeltal.forandring(1000, 2234) == ("▼", f"1{NB}234 färre")
    assert nyckeltal.forandring(4, 4) == ("=", "lika många")
    # shares compare the whole percents the reader sees: 41.6 % and 42.4 % both read 42 %
    assert nyckeltal.forandring(0.416, 0.424, "andel") == ("=", "samma andel")
    assert nyckeltal.forandring(0.42, 0.45, "andel") == ("▼", "3 procentenheter lägre")
    assert nyckeltal.forandring(0.46, 0.45, "andel") == ("▲", "1 procentenhet högre")
    # a hidden count is never compared
    assert nyckeltal.forandring("<5", 3) is None and nyckeltal.forandring(7, "X") is None
    assert nyckeltal.forandring(None, 0.4, "andel") is None


def test_compared_with_the_quarter_before_and_a_year_earlier(traps_con):
    # the fixture's data start in 2019-Q4 (D's budget)
    got = [(k, w, g.fran, g.till) for k, w, g in nyckeltal.jamforelser(traps_con, Q4)]
    assert got == [("kvartal", "än kvartal 3 2020", "2020-Q3", "2020-Q3"),
                   ("ar", "än kvartal 4 2019", "2019-Q4", "2019-Q4")]
    # a range: no "quarter before"; a year earlier is before the data
    assert nyckeltal.jamforelser(traps_con, H2) == []


def test_lights_of_the_quarter_before(traps_con):
    # 2020-Q3: goal A yellow, B and C green; budget to Q3: A 98 % green, B 60 % red, C 117 % red
    k = nyckeltal.oversikt(traps_con, KANSLI, Filter("2020-Q3", "2020-Q3"))
    assert {c: k["lampor"][c] for c in ("gron", "gul", "rod")} == {"gron": 2, "gul": 1, "rod": 0}
    assert k["budget_lampor"] == {"gron": 1, "gul": 0, "rod": 2}
