"""The six views on tests/fixtures/traps, against figures worked out by hand.

Range 2020-Q3..2020-Q4 = 2020-07-01..2020-12-31 unless a test says otherwise.

The fixture's people (episode = deltagare_id x insats_id):
  A p1 kvinna 1995  2019-03-01..2020-08-15  avslut subventionerat_arbete + arbetar 100, plan ja
  A p2 man    1960  2020-02-01..2020-11-30  studier, plan ja
  A p3 annan  2000  2020-07-01..(pågående)  plan nej
  A p4 kvinna 1955  2020-12-31..(pågående)  starts on the range's last day, plan ja
  A p5 man    2005  2020-01-10..2020-06-30  ended the day before the range: not active in it
  A p6 kvinna 2006  2020-05-05..2020-07-01  ended on the range's first day: active + avslutad
  A p7 man    1980  2020-09-01..2020-12-31  aktivt_arbetssokande (not arbete/studier), plan ja
  B p7 man    1980  2020-03-01..2020-10-15  ej_subventionerat_arbete: same person, 2nd insats
  B p8 kvinna 1990  2020-10-01..(pågående)  plan nej
  B p9 kvinna 1985  2020-06-01..2020-09-30  eget_foretag, plan ja
Insats A covers Heby|Tierp, B Uppsala, C (struktur) is länsövergripande, D (kompetens)
Knivsta and ended 2020-06-30.
"""

from __future__ import annotations

import pytest

from dashboard import db, views
from dashboard.urval import Filter, Scope

H2 = Filter("2020-Q3", "2020-Q4")
KANSLI = Scope.kansli()


def by_id(df, key="insats_id"):
    return {r[key]: r for r in df.to_dict("records")}


def test_mal_lights_for_the_to_quarter(traps_con):
    # Q4 answers: A ja/ja, B nej/ja, C ja/nej. D ended in Q2, so it is not listed.
    df = views.mal(traps_con, KANSLI, H2)
    assert list(df["insats_id"]) == ["A", "B", "C"]
    assert dict(zip(df["insats_id"], df["lampa"])) == {"A": "gron", "B": "gul", "C": "rod"}
    assert by_id(df)["A"]["kommuner"] == "Heby|Tierp"
    # Q3 answers: A nej/ja -> gul, B and C ja/ja -> gron
    q3 = views.mal(traps_con, KANSLI, Filter("2020-Q3", "2020-Q3"))
    assert dict(zip(q3["insats_id"], q3["lampa"])) == {"A": "gul", "B": "gron", "C": "gron"}


def test_default_period_is_the_latest_loaded_quarter(traps_con):
    df = views.mal(traps_con, KANSLI)
    assert dict(zip(df["insats_id"], df["lampa"])) == {"A": "gron", "B": "gul", "C": "rod"}


def test_the_quarters_a_filter_may_choose(traps_con):
    # from the first quarter with a budget or a quarterly report (D's budget for 2019-Q4) to
    # the latest loaded one; before any load, none
    assert views.perioder(traps_con) == ["2019-Q4", "2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
    assert views.latest_period(traps_con) == "2020-Q4"
    with pytest.raises(views.NoData):
        views.latest_period(db.memory())


def test_budget_sums_ack_and_lights(traps_con):
    df = by_id(views.budget(traps_con, KANSLI, H2))
    a = df["A"]  # Q3+Q4 100+100 / 95+80; ack Q1..Q4 400 / 375 -> 93.75 % green
    assert (a["budget_tkr"], a["utfall_tkr"]) == (200, 175)
    assert (a["ack_budget_tkr"], a["ack_utfall_tkr"]) == (400, 375)
    assert a["forbrukningskvot"] == pytest.approx(0.9375)
    assert a["lampa"] == "gron" and a["overfort_tkr"] == 15
    b = df["B"]  # Q4 utfall empty = 0; ack 200 / 90 = 45 % red; 10 återfört
    assert (b["utfall_tkr"], b["ack_utfall_tkr"], b["aterfort_tkr"]) == (40, 90, 10)
    assert b["forbrukningskvot"] == pytest.approx(0.45) and b["lampa"] == "rod"
    c = df["C"]  # ack Q2..Q4 90 / 80 = 88.9 % -> 89 % yellow
    assert c["forbrukningskvot"] == pytest.approx(80 / 90) and c["lampa"] == "gul"
    d = df["D"]  # no rows in the range, but 40/40 in the year to date; 2019-Q4 is not counted
    assert (d["budget_tkr"], d["ack_budget_tkr"], d["ack_utfall_tkr"]) == (0, 40, 40)


def test_deltagare_counts_episodes(traps_con):
    df = by_id(views.deltagare(traps_con, KANSLI, H2))
    assert set(df) == {"A", "B"}  # individinsatser only
    a = df["A"]
    assert a["deltagare_totalt"] == 7  # p1..p7 started by 2020-12-31
    assert a["avslutade_totalt"] == 5  # p1 p2 p5 p6 p7
    assert a["deltagare_period"] == 6  # all but p5 (ended 06-30)
    assert a["avslutade_period"] == 4  # p1 p2 p6 p7
    assert a["till_arbete_studier"] == 2  # p1 (two arbete rows, once), p2 studier
    assert (a["kvinnor_arbete_studier"], a["man_arbete_studier"]) == (1, 1)
    assert a["andel_arbete_studier"] == pytest.approx(2 / 4)
    assert a["med_handlingsplan"] == 3 and a["andel_handlingsplan"] == pytest.approx(3 / 4)
    assert a["pagaende"] == 2  # p3, p4; p7 ended on the last day
    assert (a["anonyma"], a["volym"]) == (7, 20)  # 3 + 4 over Q3..Q4
    b = df["B"]  # p7 counts here too (person in two insatser)
    assert (b["deltagare_totalt"], b["avslutade_period"], b["till_arbete_studier"]) == (3, 2, 2)
    assert (b["kvinnor_arbete_studier"], b["man_arbete_studier"], b["pagaende"]) == (1, 1, 1)


def test_avslutsorsaker_counts_registrations(traps_con):
    df = views.avslutsorsaker(traps_con, KANSLI, H2).set_index("avslutsorsak")
    assert df.loc["subventionerat_arbete", "kvinna"] == 1
    assert df.loc["arbetar_100", "kvinna"] == 1  # p1's second registration
    assert df.loc["ej_subventionerat_arbete", "man"] == 1
    assert df.loc["eget_foretag", "kvinna"] == 1
    assert df.loc["studier", "man"] == 1
    assert df.loc["aktivt_arbetssokande", "man"] == 1
    assert df.loc["avbrott", "kvinna"] == 1
    assert df.loc["ohalsa", "totalt"] == 0  # p5 ended before the range
    assert df["totalt"].sum() == 7  # 7 registrations for 6 persons
    assert df.loc["studier", "grupp"] == "studier"


def test_malgrupp_age_bands_and_kon_annan(traps_con):
    df = views.malgrupp(traps_con, KANSLI, H2)
    alder = df[df["dimension"] == "alder"].set_index("kategori")
    # active episodes (age = the start's year - fodelsear) in five-year bands, under 15 and
    # 65 and over apart: p1 24 kvinna and p3 20 annan: 20_24; p2 60 man: 60_64; p4 65
    # kvinna: 65_plus; p6 14 kvinna: under_15; p7 40 man, in A and in B: 40_44 twice;
    # p8 30 kvinna: 30_34; p9 35 kvinna: 35_39 (p5 ended before the range)
    got = {k: (r["kvinna"], r["man"], r["annan"]) for k, r in alder.iterrows() if r["totalt"]}
    assert got == {"under_15": (1, 0, 0), "20_24": (1, 0, 1), "30_34": (1, 0, 0),
                   "35_39": (1, 0, 0), "40_44": (0, 2, 0), "60_64": (0, 1, 0),
                   "65_plus": (1, 0, 0)}
    assert alder.loc["20_24", "totalt"] == 2  # annan counts in the total
    assert alder["totalt"].sum() == 9
    assert list(alder.index[:2]) == ["under_15", "15_19"]  # code-list order, zeros kept


def test_malgrupp_tid_i_insats(traps_con):
    df = views.malgrupp(traps_con, KANSLI, H2)
    tid = df[df["dimension"] == "tid_i_insats"].set_index("kategori")
    # episodes avslutade in the range; days from start to slut counted on a calendar, then
    # months = days / 30.4375 rounded up, in bands 1_5, 6_10, ...:
    # p1 2019-03-01..2020-08-15: 366 + 167 = 533 days, 17.5 -> 18 months, kvinna: 16_20
    # p2 2020-02-01..11-30: 303 days, 9.95 -> 10, man: 6_10
    # p6 05-05..07-01: 57 days, 1.9 -> 2, kvinna: 1_5
    # p7 in A 09-01..12-31: 121 days, 3.98 -> 4, man: 1_5
    # p7 in B 03-01..10-15: 228 days, 7.49 -> 8, man: 6_10
    # p9 06-01..09-30: 121 days -> 4, kvinna: 1_5
    got = {k: (r["kvinna"], r["man"]) for k, r in tid.iterrows() if r["totalt"]}
    assert got == {"1_5": (2, 1), "6_10": (0, 2), "16_20": (1, 0)}
    assert tid["totalt"].sum() == 6


def test_kvalitet_for_the_to_quarter(traps_con):
    df = by_id(views.kvalitet(traps_con, KANSLI, H2))
    assert df["B"]["ordinarie_ledamoter"] == False  # noqa: E712
    assert df["C"]["avvikelse_mal"] == True  # noqa: E712
    assert df["C"]["kommentar"] == "<script>alert(1)</script> =SUM(A1)"  # stored as text
    assert df["A"]["kommentar"] == 'I fas; "bra" kvartal'


def test_kommun_filter_includes_multi_kommun_and_lansovergripande(traps_con):
    tierp = views.mal(traps_con, KANSLI, Filter("2020-Q4", "2020-Q4", kommuner=("Tierp",)))
    assert list(tierp["insats_id"]) == ["A", "C"]  # A covers Heby|Tierp; C the whole county
    heby = views.deltagare(traps_con, KANSLI, Filter("2020-Q3", "2020-Q4", kommuner=("Heby",)))
    assert list(heby["insats_id"]) == ["A"]
    upp = views.budget(traps_con, KANSLI, Filter("2020-Q3", "2020-Q4", kommuner=("Uppsala",)))
    assert list(upp["insats_id"]) == ["B", "C"]


def test_typ_and_insats_filters(traps_con):
    s = views.budget(traps_con, KANSLI, Filter("2020-Q3", "2020-Q4", typer=("struktur",)))
    assert list(s["insats_id"]) == ["C"]
    one = views.malgrupp(traps_con, KANSLI, Filter("2020-Q3", "2020-Q4", insatser=("B",)))
    assert one[one["dimension"] == "alder"]["totalt"].sum() == 3  # p7, p8, p9 in B


def test_lokus_scope_wins_over_the_filter(traps_con):
    heby = Scope(frozenset({"Heby"}), suppress=False)
    # asking for Uppsala does not widen a Heby viewer's scope
    df = views.mal(traps_con, heby, Filter("2020-Q4", "2020-Q4", kommuner=("Uppsala",)))
    assert "B" not in set(df["insats_id"])
    df = views.mal(traps_con, heby, H2)
    assert set(df["insats_id"]) == {"A", "C"}


def test_bad_period_is_a_clear_error(traps_con):
    with pytest.raises(ValueError, match="Ogiltig period"):
        views.mal(traps_con, KANSLI, Filter("2020-Q5", "2020-Q4"))
    with pytest.raises(ValueError, match="börjar"):
        views.mal(traps_con, KANSLI, Filter("2021-Q1", "2020-Q4"))
