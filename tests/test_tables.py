"""The pages' tables and key figures on tests/fixtures/traps, against figures worked out by
hand from the fixture's CSV files (see test_views.py for its people).

Budget rows (budget/utfall tkr): A 2020-Q1..Q4 100/90, 100/110, 100/95, 100/80 (överfört 15
in Q4); B 50/20, 50/30, 50/40, 50/- (återfört 10); C Q2..Q4 30/35, 30/35, 30/10; D 2019-Q4
20/20,5, Q1 20/20, Q2 20/20. Insatser: A individ 2019-01-01..2021-12-31, B individ
2020-01-01..2022-12-31, C struktur 2020-04-01..2021-06-30, D kompetens 2018-01-01..2020-06-30.
Reports: Q3 A nej/ja, B ja/ja, C ja/ja; Q4 A ja/ja, B nej/ja, C ja/nej; D only Q2 ja/ja.
"""

from __future__ import annotations

import pytest

from dashboard import codes, nyckeltal, tables, urval, views
from dashboard.publicerat import LITET, SKYDDAR, Dolt
from dashboard.urval import Filter, Scope

H2 = Filter("2020-Q3", "2020-Q4")
KANSLI = Scope.kansli()


def rows(t, key="insats_id"):
    return {r[key]: r for r in t.df.to_dict("records")}


def test_burn_chart_numbers(traps_con):
    # the range starts in Q3, the chart in Q1 (year to date). Per quarter over A+B+C+D:
    # Q1 100+50+20 / 90+20+20; Q2 100+50+30+20 / 110+30+35+20; Q3 100+50+30 / 95+40+35;
    # Q4 100+50+30 / 80+0+10.
    t = tables.budget_kvartal(traps_con, KANSLI, H2)
    assert list(t.df["period"]) == ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
    assert list(t.df["budget_tkr"]) == [170, 200, 180, 180]
    assert list(t.df["utfall_tkr"]) == [130, 195, 170, 90]
    assert list(t.df["ack_budget_tkr"]) == [170, 370, 550, 730]
    assert list(t.df["ack_utfall_tkr"]) == [130, 325, 495, 585]
    one = tables.budget_kvartal(traps_con, KANSLI, H2, "C")  # starts in Q2: Q1 is zero
    assert list(one.df["ack_utfall_tkr"]) == [0, 35, 70, 80]


def test_budget_per_typ_and_share(traps_con):
    t = rows(tables.budget_typ(traps_con, KANSLI, H2), "typ")
    # range Q3+Q4: individ A 200 + B 100 = 300, struktur C 60, kompetens D 0 of 360
    assert t["individ"]["budget_tkr"] == 300 and t["individ"]["utfall_tkr"] == 175 + 40
    assert t["individ"]["andel_budget"] == pytest.approx(300 / 360)
    assert t["struktur"]["andel_budget"] == pytest.approx(60 / 360)
    assert t["kompetens"]["andel_budget"] == 0
    # year to date: individ (375 + 90) / (400 + 200), struktur 80 / 90, kompetens 40 / 40
    assert t["individ"]["forbrukningskvot"] == pytest.approx(465 / 600)
    assert t["struktur"]["forbrukningskvot"] == pytest.approx(80 / 90)
    assert t["kompetens"]["forbrukningskvot"] == pytest.approx(1.0)


def test_light_strip_marks_missing_reports_and_quarters_outside_the_insats(traps_con):
    # a 2-quarter range shows at least 8 quarters back, but not before the first quarter
    # with data (D's budget for 2019-Q4)
    t = tables.lampor(traps_con, KANSLI, H2)
    quarters = ["2019-Q4", "2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
    assert [k.key for k in t.kolumner[1:]] == quarters
    ej, got = tables.EJ_AKTIV, rows(t)
    assert [got["A"][q] for q in quarters] == [None, None, None, "gul", "gron"]
    assert [got["B"][q] for q in quarters] == [ej, None, None, "gron", "gul"]
    assert [got["C"][q] for q in quarters] == [ej, ej, None, "gron", "rod"]
    assert [got["D"][q] for q in quarters] == [None, None, "gron", ej, ej]
    exported = tables.export_frame(t)
    assert list(exported.iloc[3]) == ["Delta", "Saknas", "Saknas", "Grön", "pågick inte",
                                      "pågick inte"]


def test_what_changed_since_the_quarter_before(traps_con):
    t = tables.andringar(traps_con, KANSLI, H2)
    got = sorted(zip(t.df["insats_id"], t.df["slag"], t.df["fore"].fillna("-"),
                     t.df["nu"].fillna("-")))
    assert got == [
        ("A", "lampa", "gul", "gron"),
        ("B", "avvikelse_budget", "-", "-"),  # nej in Q3, ja in Q4
        ("B", "lampa", "gron", "gul"),
        ("C", "avvikelse_mal", "-", "-"),
        ("C", "lampa", "gron", "rod"),
    ]
    # Q2 against Q1: C started (2020-04-01), D ended (2020-06-30); D's light is new, not changed
    q2 = tables.andringar(traps_con, KANSLI, Filter("2020-Q2", "2020-Q2"))
    assert sorted(zip(q2.df["insats_id"], q2.df["slag"])) == [("C", "startad"), ("D", "avslutad")]


def test_kvalitet_marks_the_deviating_answers(traps_con):
    t = tables.kvalitet(traps_con, KANSLI, H2)
    ids = list(t.df["insats_id"])
    # Q4: A answers as expected. Action needed: B ordinarie nej; C styrgruppsmöten nej,
    # kontroll nej. For information (reported, or shown by the goal light): B i_fas nej,
    # vakans (förbundsmedel) ja, avvikelse budget ja; C prognos nej, avvikelse mål ja
    assert sorted((ids[i], col) for i, col in t.avvikande) == sorted([
        ("B", "ordinarie_ledamoter"), ("C", "styrgruppsmoten_enligt_avtal"),
        ("C", "kontroll_malgrupp_metod"),
    ])
    assert sorted((ids[i], col) for i, col in t.kannedom) == sorted([
        ("B", "i_fas"), ("B", "vakans_forbundsmedel"), ("B", "avvikelse_budget"),
        ("C", "prognos"), ("C", "avvikelse_mal"),
    ])


def test_goals_of_the_to_quarter(traps_con):
    t = tables.malen(traps_con, KANSLI, H2)
    got = [(r["insats_id"], r["mal_nr"], r["malvarde_text"], r["utfall_text"],
            r["bedomning_namn"]) for r in t.df.to_dict("records")]
    assert got == [("A", 1, "80 %", "75 %", "Delvis uppnått"), ("A", 2, "40 st", "41 st", "Uppnått"),
                   ("B", 1, "50 %", "", "Pågår"), ("C", 1, "", "", "Ej uppnått")]


def test_insatser_lampor_puts_red_and_yellow_first(traps_con):
    t = tables.insatser_lampor(traps_con, KANSLI, H2)
    # C red goal; B yellow goal; A green goal (budget 375/400 = 94 % green)
    assert list(t.df["insats_id"]) == ["C", "B", "A"]
    assert rows(t)["A"]["budget_lampa"] == "gron"
    out = tables.export_frame(t)
    assert list(out.columns) == ["Insats", "Typ", "Kommun", "Mål", "Budget",
                                 "Förbrukning hittills i år (%)", "Styrgruppens kommentar"]
    assert list(out.iloc[2][:6]) == ["Alfa", "Individinsats", "Heby, Tierp", "Grön", "Grön", 94]


def test_one_set_of_insatser_for_the_quarters_lights(traps_con):
    # 2020-Q4: A, B and C run in the quarter; D ended 2020-06-30 but has budget in the year to
    # date (Q1, Q2: 40 of 40). Goal lights Q4: A ja/ja green, B nej/ja yellow, C ja/nej red.
    # Budget lights on the year to date: A 375/400 = 94 % green, B 90/200 = 45 % red,
    # C 80/90 = 89 % yellow; D's 100 % is not a light of the quarter.
    urval = nyckeltal.kvartalets_insatser(traps_con, KANSLI, H2.filters())
    assert list(urval["insats_id"]) == ["A", "B", "C", "D"]
    assert list(urval["i_kvartalet"]) == [True, True, True, False]
    counts = nyckeltal.lampantal(urval)
    assert counts == {"lampor": {"gron": 1, "gul": 1, "rod": 1, "saknas": 0},
                      "budget_lampor": {"gron": 1, "gul": 1, "rod": 1}}
    # Översikt, Mål and the Budget table count the same: D's row says it ended instead
    assert nyckeltal.oversikt(traps_con, KANSLI, H2.filters())["budget_lampor"] == \
        counts["budget_lampor"]
    assert nyckeltal.mal_lampor(traps_con, KANSLI, H2.filters()) == counts["lampor"]
    bud = tables.budget(traps_con, KANSLI, H2)
    assert dict(zip(bud.df["insats_id"], bud.df["lampa"])) == {
        "A": "gron", "B": "rod", "C": "gul", "D": tables.EJ_I_KVARTALET}
    assert tables.cell(tables.EJ_I_KVARTALET, "lampa") == "Avslutad"
    assert "Avslutad: Delta (2020-06-30) pågick inte under kvartal 4 2020" in bud.fotnot
    assert list(tables.insatser_lampor(traps_con, KANSLI, H2).df["insats_id"]) == ["C", "B", "A"]


def test_status_filter(traps_con):
    def ids(statuser, fran="2020-Q2", till="2020-Q2"):
        f = Filter(fran, till, statuser=statuser)
        return sorted(views.insatser(traps_con, KANSLI, f)["insats_id"])

    # 2020-Q2 = 2020-04-01..2020-06-30: C starts on its first day, D ends on its last
    assert ids(("startad",)) == ["C"]
    assert ids(("avslutad",)) == ["D"]
    assert ids(("pagaende",)) == ["A", "B", "C"]  # D ended on the last day: not running after
    assert ids(("startad", "avslutad")) == ["C", "D"]
    assert ids(None) == ["A", "B", "C", "D"]
    # the status filter narrows every view: budget of only the ended insats
    bud = views.budget(traps_con, KANSLI, Filter("2020-Q2", "2020-Q2", statuser=("avslutad",)))
    assert list(bud["insats_id"]) == ["D"]


def test_oversikt_key_figures(traps_con):
    k = nyckeltal.oversikt(traps_con, KANSLI, H2.filters())
    assert k["insatser"] == {
        "individ": {"pagaende": 2, "startad": 0, "avslutad": 0},
        "struktur": {"pagaende": 1, "startad": 0, "avslutad": 0},
        "kompetens": {"pagaende": 0, "startad": 0, "avslutad": 0},
    }
    assert k["lampor"] == {"gron": 1, "gul": 1, "rod": 1, "saknas": 0}
    # year to date over A, B, C, D: utfall 375 + 90 + 80 + 40 of budget 400 + 200 + 90 + 40
    assert k["budget"]["ack_budget_tkr"] == 730 and k["budget"]["ack_utfall_tkr"] == 585
    assert k["budget"]["forbrukningskvot"] == pytest.approx(585 / 730)
    assert k["budget"]["lampa"] == "gul"  # 80 %
    # people (see test_views): active A 6 + B 3, ended A 4 + B 2, to work/studies A p1, p2 and
    # B p7, p9; pågående at 12-31 A p3, p4 and B p8; anonyma 3 + 4, volym 20
    assert k["deltagare"] == {"deltagare_period": 9, "avslutade_period": 6,
                              "till_arbete_studier": 4, "pagaende": 3, "anonyma": 7, "volym": 20}
    assert k["andel_arbete_studier"] == pytest.approx(4 / 6)
    # the board's view: 4 to work/studies is a small number, so it and its share are hidden
    s = nyckeltal.oversikt(traps_con, Scope.styrelse(), H2.filters())
    assert s["lampor"] == k["lampor"] and s["budget"] == k["budget"]
    assert s["deltagare"]["till_arbete_studier"] == "<5" and s["andel_arbete_studier"] == "<5"


def test_cells_in_swedish_formats():
    assert tables.cell(1234.4, "tkr") == "1\u00a0234\u00a0tkr"
    assert tables.cell(0.816, "procent") == "82\u00a0%"
    assert tables.cell("<5", "heltal") == "<5"
    assert tables.cell("2020-Q4", "kvartal") == "kvartal 4 2020"
    assert tables.cell(None, "lampa") == "○ Saknas" and tables.cell("rod", "lampa") == "■ Röd"
    assert tables.cell(True, "janej") == "Ja" and tables.cell(None, "tkr") == "–"
    assert tables.export_value(1234.6, "tkr") == 1235 and tables.export_value(0.816, "procent") == 82


# --- participants -----------------------------------------------------------------------------
# Ended episodes of the individinsatser by quarter (test_views.py lists the people):
# 2020-Q2 A p5 (ohälsa); Q3 A p1 (arbete), A p6 (avbrott), B p9 (eget företag);
# Q4 A p2 (studier), A p7 (arbetssökande), B p7 (ej subventionerat arbete).


def test_trend_of_avslutade_and_share(traps_con):
    df = views.deltagare_kvartal(traps_con, KANSLI, H2.filters())
    # at least eight quarters back, but not before the first with data (2019-Q4)
    assert list(df["period"]) == ["2019-Q4", "2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
    assert list(df["avslutade"]) == [0, 0, 1, 3, 3]
    assert list(df["till_arbete_studier"]) == [0, 0, 0, 2, 2]
    assert df["andel_arbete_studier"].iloc[3] == pytest.approx(2 / 3)
    assert df["andel_arbete_studier"].iloc[0] is None
    women = views.deltagare_kvartal(traps_con, KANSLI, Filter("2020-Q3", "2020-Q4",
                                                               kon=("kvinna",)))
    assert list(women["avslutade"]) == [0, 0, 0, 3, 0]  # p1, p6, p9
    assert list(women["till_arbete_studier"]) == [0, 0, 0, 2, 0]
    # the board: 1-3 are hidden, and so is every share built on them; a 0 reads "<5" too while
    # an insats runs (A from 2019-01-01): shown as 0, it would tell that every "<5" is 1-4
    board = views.deltagare_kvartal(traps_con, Scope.styrelse(), H2.filters())
    assert list(board["avslutade"]) == ["<5"] * 5
    assert list(board["andel_arbete_studier"])[2:] == ["<5", "<5", "<5"]


def test_kon_filter_narrows_the_participant_views(traps_con):
    f = Filter("2020-Q3", "2020-Q4", kon=("man",))
    got = {r["insats_id"]: r for r in views.deltagare(traps_con, KANSLI, f).to_dict("records")}
    # men active in the range: A p2, p7; B p7
    assert (got["A"]["deltagare_period"], got["B"]["deltagare_period"]) == (2, 1)
    assert got["B"]["till_arbete_studier"] == 1 and got["A"]["till_arbete_studier"] == 1  # p7 B; p2
    avslut = views.avslutsorsaker(traps_con, KANSLI, f)
    assert int(avslut["kvinna"].sum()) == 0 and int(avslut["man"].sum()) == 3  # p2, p7 A, p7 B
    malgrupp = views.malgrupp(traps_con, KANSLI, f)
    alder = malgrupp[malgrupp["dimension"] == "alder"]
    assert int(alder["totalt"].sum()) == 3 and int(alder["kvinna"].sum()) == 0


def test_coarser_malgrupp(traps_con):
    # active in the range (age = start year - birth year): p1 24, p3 20, p6 14 (under 30);
    # p7 A 40, p7 B 40, p8 30, p9 35 (30-49); p2 60, p4 65 (50+)
    df = views.malgrupp(traps_con, KANSLI, H2.filters(), "grov")
    alder = df[df["dimension"] == "alder"]
    assert list(alder["kategori"]) == ["under_30", "30_49", "50_plus"]
    assert list(alder["totalt"]) == [3, 4, 2]
    assert list(alder["kvinna"]) == [2, 2, 1] and list(alder["annan"]) == [1, 0, 0]
    only = views.malgrupp(traps_con, KANSLI, H2.filters(), "grov_totalt")
    assert "kvinna" not in only.columns
    assert list(only[only["dimension"] == "alder"]["totalt"]) == [3, 4, 2]
    # utbildning: grundskola p2, p6 + saknas p8 | gymnasium p1, p3, p7 A, p7 B |
    # eftergymnasial p4 (högskola), p9 (annan eftergymnasial)
    utb = only[only["dimension"] == "utbildning"]
    assert dict(zip(utb["kategori"], utb["totalt"])) == {
        "grundskola_saknas": 3, "gymnasium": 4, "eftergymnasial": 2}


def test_malgrupp_reading_and_table(traps_con):
    t = tables.malgrupp_dimension(traps_con, KANSLI, H2, "alder")
    # 9 active: kvinnor p1 p4 p6 p8 p9, män p2 p7 p7, annat kön p3; under 30: p1, p3, p6
    assert nyckeltal.malgrupp_lasning("alder", t.df, t.totalt) == \
        "56\u00a0% kvinnor, 33\u00a0% män, 11\u00a0% annat kön; 33\u00a0% yngre än 30."
    r = tables.malgrupp_dimension(traps_con, KANSLI, H2, "remittent")
    # remittent: FK p1, p7 A, p7 B = 3 of 9, the most common
    assert nyckeltal.malgrupp_lasning("remittent", r.df, r.totalt).endswith(
        "vanligast: Försäkringskassan (33\u00a0%).")  # a name keeps its capital
    board = tables.malgrupp_dimension(traps_con, Scope.styrelse(), H2, "alder")
    assert nyckeltal.mostly_hidden(board.df)
    # the board: rows count kvinnor and män (annat kön only in "samtliga", 9); män (3) is
    # small. Kvinnor (5) are one each in five age bands, each "<5" (0-4, since a 0 reads "<5"
    # too): a shown 5 pins none of them. Kvinnor + män (8) and kvinnor (5) are never both
    # shown (8 - 5 is män), nor 8 and samtliga (9 - 8 is annat kön's 1); each shown one is
    # exact. The reading uses shown numbers only: none left
    tot = board.totalt
    assert tot["man"] == "<5"
    assert tot["kvinna"] in (5, "X") and tot["totalt"] in (8, "X") and tot["samtliga"] in (9, "X")
    assert "X" in (tot["kvinna"], tot["totalt"]) and "X" in (tot["totalt"], tot["samtliga"])
    assert nyckeltal.malgrupp_lasning("alder", board.df, board.totalt) == \
        "De flesta talen är för små för att visas."


def test_a_reading_never_names_a_shown_category_the_largest_beside_a_hidden_one():
    import pandas as pd

    # LOKUS Heby's Tid i insats (issue 27): 1–10 months hidden ("X", 72 of 102), 11–20 shown
    # (23): 23 is not "vanligast", it is the largest of those shown
    part = pd.DataFrame({"kategori": ["1_10", "11_20", "21_plus"],
                         "totalt": [Dolt(SKYDDAR), 23, Dolt(LITET)]})
    totalt = {"samtliga": 102, "totalt": 102}
    assert nyckeltal.malgrupp_lasning("tid_i_insats", part, totalt, grov=True) == (
        "flest bland de som visas: 11–20 månader (23\u00a0%); 1–10 månader döljs och kan "
        "vara fler.")
    # beside only "<5" (at most 4) a shown 23 is the largest
    part["totalt"] = [75, 23, Dolt(LITET)]
    assert nyckeltal.malgrupp_lasning("tid_i_insats", part, totalt, grov=True) == (
        "vanligast: 1–10 månader (74\u00a0%).")
    # a shown 4 beside a "<5" (0..4) could be equalled or passed, but with the total shown
    # (9) the hidden one is 9 - 4 - 3 = 2: the 4 is the largest
    part["totalt"] = [4, 3, Dolt(LITET)]
    assert nyckeltal.malgrupp_lasning("tid_i_insats", part, {"totalt": 9}, grov=True) == (
        "vanligast: 1–10 månader (44\u00a0%).")


def test_malgrupp_tables_at_once_are_the_tables_one_by_one(traps_con):
    # the page builds the six breakdowns from one pass over the view; a download builds one
    for scope in (KANSLI, Scope.styrelse()):
        for indelning in urval.INDELNINGAR:
            state = Filter("2020-Q3", "2020-Q4", indelning=indelning)
            alla = tables.malgrupp_tabeller(traps_con, scope, state)
            assert list(alla) == [d for d, _, _ in codes.MALGRUPP_DIMENSIONER]
            for dim, t in alla.items():
                one = tables.malgrupp_dimension(traps_con, scope, state, dim)
                assert (t.namn, t.rubrik, t.kolumner, t.fotnot, t.totalt) == (
                    one.namn, one.rubrik, one.kolumner, one.fotnot, one.totalt)
                rows = t.df.to_dict("records")
                assert t.tom == one.tom and rows == one.df.to_dict("records")
                # rows, or (the board's Tid i insats for a half-year) why there are none
                assert rows or (scope != KANSLI and dim == "tid_i_insats" and t.tom)
                # the rows a table shows, read column by column: as pandas gives them
                shown = tables.records(t)
                assert shown == [{k: r[k] for k in shown[0]} for r in rows]


def test_deltagare_table_with_totals_and_the_handlingsplan_goal(traps_con):
    t = tables.deltagare(traps_con, KANSLI, H2)
    assert list(t.df["kortnamn"]) == ["Alfa", "Beta", "Samtliga"]
    total = t.df.iloc[-1]
    assert (total["deltagare_period"], total["avslutade_period"],
            total["till_arbete_studier"]) == (9, 6, 4)
    assert total["andel_arbete_studier"] == pytest.approx(4 / 6)
    rec = t.df.iloc[0].to_dict()  # A: ended p1, p2, p6, p7; to work/studies p1, p2
    share = next(k for k in t.kolumner if k.key == "andel_arbete_studier")
    assert tables.cell_of(rec, share) == "50\u00a0% (2 av 4)"
    # "Hela insatstiden" (seed 004's Tabell 6): everyone since start, also before the period and
    # before the extract's first quarter (2020-Q4): A's p1-p7 started, p1, p2, p5 (ended
    # 2020-06-30), p6, p7 ended; B's p7, p8, p9 started, p7 and p9 ended
    assert [(r.deltagare_totalt, r.avslutade_totalt) for r in t.df.itertuples()] == [
        (7, 5), (3, 2), (10, 7)]
    assert "Avslutade totalt sedan start" in [k.rubrik for k in t.kolumner]
    # handlingsplan among A's ended: p1, p2, p7 = 3 of 4 = 75 %, A is förrehabiliterande:
    # under the 80 % goal, marked; B (not förrehabiliterande) is not
    assert (0, "andel_handlingsplan") in t.avvikande
    assert not any(i == 1 for i, _ in t.avvikande)


def test_goals_measured_from_the_data(traps_con):
    # 2020 to date. A: ended p1, p2, p5, p6, p7 -- a plan p1, p2, p7: 3 of 5 = 60 % against
    # 80 (red: below 72); active p1..p7: 7 against 40 (red). B: ended p7 (arbete) and p9
    # (eget företag): 2 of 2 = 100 % against 50 (green). C computes nothing.
    t = tables.malen(traps_con, KANSLI, H2)
    got = [(r["insats_id"], r["mal_nr"], r["beraknat_text"], r["beraknad_lampa"], r["utfall_text"])
           for r in t.df.to_dict("records")]
    assert got == [("A", 1, "60\u00a0%", "rod", "75 %"), ("A", 2, "7 st", "rod", "41 st"),
                   ("B", 1, "100\u00a0%", "gron", ""), ("C", 1, "", tables.EJ_AKTIV, "")]
    # the board: A's 3 of 5 and 7 are small counts, so their shares are hidden
    # computed beside reported, marked where they differ by more than a tenth of the reported:
    # A1 60 against 75 (15 > 7.5), A2 7 against 41; B1 has nothing reported
    assert t.skiljer == {(0, "beraknat_text"), (1, "beraknat_text")}
    keys = [k.key for k in t.kolumner]
    assert keys.index("utfall_text") == keys.index("beraknat_text") + 2  # its light between
    board = tables.malen(traps_con, Scope.styrelse(), H2)
    assert all(isinstance(v, str) for v in board.df["beraknat_text"])
    assert all(v is None or v != v for v in list(board.df["beraknad_lampa"])[:3])  # no light
    assert board.skiljer == set()  # a hidden figure is never compared


@pytest.mark.parametrize("beraknat, rapporterat, enhet, differs", [
    (0.55, 50, "procent", False),  # 5 points of 50: a tenth, not more
    (0.56, 50, "procent", True),
    (0.444, 40, "procent", False),  # shown as 44 %
    (44, 40, "antal", False), (45, 40, "antal", True), (77, 33, "antal", True),
    (1, 0, "antal", True), (Dolt(LITET), 3, "antal", False), (12, None, "antal", False),
])
def test_computed_and_reported_differ_by_more_than_a_tenth(beraknat, rapporterat, enhet,
                                                           differs):
    assert nyckeltal.skiljer_sig(beraknat, rapporterat, enhet) is differs


def test_year_end_forecast(traps_con):
    # at Q4 nothing is left of the year: the forecast is the year itself (A 375 / 400)
    q4 = tables.budget(traps_con, KANSLI, Filter("2020-Q4", "2020-Q4"))
    a = rows(q4)["A"]
    assert a["prognos_kvot"] == pytest.approx(375 / 400) and a["prognos_lampa"] == "gron"
    assert a["overfort_ar_tkr"] == 15
    # at Q3 one quarter is left. A: 295 of 300, the last two quarters 205 / 200, so
    # 295 + 100 * 1.025 of 400; B: 90 of 150, rate 70 / 100: 90 + 50 * 0.7 of 200 (62 %,
    # red); C: 70 of 60 over two quarters, rate 70 / 60: 70 + 30 * 70 / 60 of 90 (117 %, red)
    r = rows(tables.budget(traps_con, KANSLI, Filter("2020-Q3", "2020-Q3")))
    assert r["A"]["prognos_kvot"] == pytest.approx(397.5 / 400)
    assert r["B"]["prognos_kvot"] == pytest.approx(125 / 200) and r["B"]["prognos_lampa"] == "rod"
    assert r["C"]["prognos_kvot"] == pytest.approx(105 / 90) and r["C"]["prognos_lampa"] == "rod"


def test_cost_per_participant(traps_con):
    # H2: A's utfall 95 + 80 = 175 over 6 active (p1, p2, p3, p4, p6, p7), 2 of them to work
    # or studies (p1, p2); since start 375 over 7. B: 40 over 3, 2 to work or studies; since
    # start 90 over 3. Both: 215 over 9 and 4; since start 465 over 10.
    t = tables.kostnad(traps_con, KANSLI, Filter("2020-Q3", "2020-Q4"))
    r = {x["kortnamn"]: x for x in t.df.to_dict("records")}
    assert r["Alfa"]["per_deltagare"] == pytest.approx(175 / 6)
    assert r["Alfa"]["per_arbete_studier"] == pytest.approx(87.5)
    assert r["Alfa"]["per_deltagare_hela"] == pytest.approx(375 / 7)
    assert (r["Beta"]["per_deltagare"], r["Beta"]["per_arbete_studier"]) == (
        pytest.approx(40 / 3), pytest.approx(20.0))
    assert r["Individinsatser"]["per_deltagare"] == pytest.approx(215 / 9)
    assert r["Individinsatser"]["per_deltagare_hela"] == pytest.approx(46.5)
    assert tables.cell(r["Alfa"]["per_deltagare"], "tkr_decimal") == "29,2\u00a0tkr"
    # the board: A's 2 to work or studies is small, so the cost per such person is hidden
    board = {x["kortnamn"]: x for x in tables.kostnad(
        traps_con, Scope.styrelse(), Filter("2020-Q3", "2020-Q4")).df.to_dict("records")}
    assert isinstance(board["Alfa"]["per_arbete_studier"], str)
