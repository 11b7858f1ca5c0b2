"""Försörjning före och efter (data-contract.md: deltagare.csv's optional forsorjning_slut, the
``forsorjning`` view) on the traps extract with the column (tests/fixtures/fors/deltagare.csv
replaces the traps' deltagare.csv; everything else is the traps'), and on the traps as they
are (an extract without the column).

The fixture's episodes avslutade in 2020 (kön, source at start -> at avslut):

  p1 A  kvinna  sjukpenning             -> lon ("Lön", the display form)
  p2 A  man     aktivitetsstod          -> studiemedel
  p5 A  man     ingen                   -> ingen            (2020-06-30, not in H2)
  p6 A  kvinna  ekonomiskt_bistand      -> ekonomiskt_bistand
  p7 A  man     sjukpenning             -> (empty: a registration-quality item)
  p7 B  man     sjukpenning             -> lon
  p9 B  kvinna  arbetsloshetsersattning -> lon ("Lön")

and p3 A (annat kön), p4 A, p8 B are pågående (empty, as the contract says). So for 2020:
6 with a source at avslut (3 kvinnor, 3 män), 1 without. Before: sjukpenning 2 (k1, m1),
aktivitetsstöd 1 (m), ingen 1 (m), ekonomiskt bistånd 1 (k), arbetslöshetsersättning 1 (k).
After: lön 3 (k2, m1), studiemedel 1 (m), ingen 1 (m), ekonomiskt bistånd 1 (k). Public
support at start: all but p5 (ingen): 5 (k3, m2); of them lön or studiemedel at avslut: p1,
p2, p7 B, p9 = 4 (k2, m2), 80 %. Per insats: A 4 with a source, 3 public, 2 left (p1, p2),
1 missing; B 2, 2, 2 (p7 B, p9).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import codes, db, ingest, nyckeltal, tables, views
from dashboard.urval import Filter, Scope

FIXTURES = Path(__file__).parent / "fixtures"
AR = Filter("2020-Q1", "2020-Q4")
H2 = Filter("2020-Q3", "2020-Q4")
KANSLI, BOARD = Scope.kansli(), Scope.styrelse()


def extract(tmp_path: Path, deltagare: str | None = None) -> Path:
    """The traps extract with the fixture's deltagare.csv (or ``deltagare``, its text)."""
    folder = tmp_path / "uttag"
    shutil.copytree(FIXTURES / "traps", folder)
    shutil.copy(FIXTURES / "fors" / "deltagare.csv", folder)
    if deltagare is not None:
        (folder / "deltagare.csv").write_text(deltagare, encoding="utf-8")
    return folder


@pytest.fixture
def fors_con(tmp_path):
    con = db.memory()
    ingest.ingest_into(con, extract(tmp_path))
    return con


def cells(df, kol="totalt") -> dict:
    """{(start, slut): count} of the non-zero cells of the forsorjning view."""
    return {(a, b): v for a, b, v in zip(df["forsorjning_start"], df["forsorjning_slut"], df[kol])
            if v}


def test_the_source_at_avslut_is_stored_in_its_codes(fors_con):
    rows = dict(((d, i), s) for d, i, s in fors_con.execute(
        "SELECT deltagare_id, insats_id, forsorjning_slut FROM deltagare").fetchall())
    assert rows == {("p1", "A"): "lon", ("p2", "A"): "studiemedel", ("p3", "A"): None,
                    ("p4", "A"): None, ("p5", "A"): "ingen", ("p6", "A"): "ekonomiskt_bistand",
                    ("p7", "A"): None, ("p7", "B"): "lon", ("p8", "B"): None,
                    ("p9", "B"): "lon"}


def test_the_code_list_has_lon_and_studiemedel_for_both_columns():
    for domain in ("forsorjning_start", "forsorjning_slut"):
        labels = codes.labels(domain)
        assert labels["lon"] == "Lön" and labels["studiemedel"] == "Studiemedel"
        assert codes.lookup(domain)["lön"] == "lon"
    assert [c for c in codes.codes("forsorjning_start") if not codes.offentlig(c)] == [
        "lon", "studiemedel", "ingen"]
    # the coarse grouping covers every code (Målgrupp's "Grövre kategorier")
    assert {codes.grov_kategori("forsorjning_start", c) for c in ("lon", "studiemedel")} == {
        "egen"}


def test_a_pagaende_participant_with_a_source_at_avslut_is_rejected(tmp_path):
    text = (FIXTURES / "fors" / "deltagare.csv").read_text(encoding="utf-8")
    # p3 A is pågående (row 4 of the file)
    bad = text.replace("p3,A,annan,2000,2020-07-01,,kommun,Ekonomiskt bistånd,,",
                       "p3,A,annan,2000,2020-07-01,,kommun,Ekonomiskt bistånd,lon,")
    bad = bad.replace("p6,A,kvinna,2006,2020-05-05,2020-07-01,kommun,ekonomiskt_bistand,"
                      "ekonomiskt_bistand,", "p6,A,kvinna,2006,2020-05-05,2020-07-01,kommun,"
                      "ekonomiskt_bistand,lonebidrag,")
    con = db.memory()
    with pytest.raises(ingest.ExtractRejected) as e:
        ingest.ingest_into(con, extract(tmp_path, bad))
    found = {(p.row, p.column) for p in e.value.problems}
    assert found == {(4, "forsorjning_slut"), (7, "forsorjning_slut")}
    assert any("pågående" in p.message for p in e.value.problems if p.row == 4)
    assert any("lon" in p.message and p.value == "lonebidrag" for p in e.value.problems
               if p.row == 7)


def test_the_kansli_sees_every_source_before_and_after(fors_con):
    df = views.forsorjning(fors_con, KANSLI, AR)
    assert len(df) == 10 * 10 + 10 + 10 + 1  # every pair, both margins, the Summa
    summa = "summa"
    assert cells(df[(df["forsorjning_start"] != summa) & (df["forsorjning_slut"] != summa)]) == {
        ("sjukpenning", "lon"): 2, ("aktivitetsstod", "studiemedel"): 1, ("ingen", "ingen"): 1,
        ("ekonomiskt_bistand", "ekonomiskt_bistand"): 1, ("arbetsloshetsersattning", "lon"): 1}
    assert cells(df[df["forsorjning_slut"] == summa], "kvinna") == {
        ("sjukpenning", summa): 1, ("ekonomiskt_bistand", summa): 1,
        ("arbetsloshetsersattning", summa): 1, (summa, summa): 3}
    assert cells(df[df["forsorjning_start"] == summa], "kvinna") == {
        (summa, "lon"): 2, (summa, "ekonomiskt_bistand"): 1, (summa, summa): 3}
    assert cells(df[df["forsorjning_start"] == summa], "man") == {
        (summa, "lon"): 1, (summa, "studiemedel"): 1, (summa, "ingen"): 1, (summa, summa): 3}
    assert df.attrs["totalt"] == {None: {"kvinna": 3, "man": 3, "annan": 0, "totalt": 6}}
    assert df.attrs["lamnat"] == {"offentlig": {"kvinna": 3, "man": 2, "annan": 0, "totalt": 5},
                                  "lamnat": {"kvinna": 2, "man": 2, "annan": 0, "totalt": 4},
                                  "andel": 0.8}
    assert df.attrs["saknas"] == 1 and df.attrs["i_uttaget"] is True
    # H2: p5 (ended 2020-06-30) is out; the other five all had public support, four left it
    h2 = views.forsorjning(fors_con, KANSLI, H2).attrs
    assert (h2["lamnat"]["lamnat"]["totalt"], h2["lamnat"]["offentlig"]["totalt"]) == (4, 5)
    assert h2["totalt"][None]["totalt"] == 5


def test_per_insats_n_av_n(fors_con):
    df = views.forsorjning_insats(fors_con, KANSLI, AR)
    got = {r["insats_id"]: (r["avslutade"], r["offentlig"], r["lamnat"], r["kvinna_lamnat"],
                            r["man_lamnat"], r["saknas"], r["andel_lamnat"])
           for r in df.to_dict("records")}
    assert got == {"A": (4, 3, 2, 1, 1, 1, 2 / 3), "B": (2, 2, 2, 1, 1, 0, 1.0)}
    tot = df.attrs["totalt"]
    assert (tot["avslutade"], tot["offentlig"], tot["lamnat"], tot["saknas"],
            tot["andel_lamnat"]) == (6, 5, 4, 1, 0.8)


def test_the_table_as_the_national_report_lays_it_out(fors_con):
    t = tables.forsorjning(fors_con, KANSLI, Filter("2020-Q1", "2020-Q4"))
    rows = {r["kod"]: (r["fore_totalt"], r["efter_totalt"], r["forandring"])
            for r in t.df.to_dict("records")}
    assert rows["lon"] == (0, 3, 3)
    assert rows["sjukpenning"] == (2, 0, -2)
    assert rows["ekonomiskt_bistand"] == (1, 1, 0)
    assert rows["summa"] == (6, 6, 0)
    assert t.df.iloc[-1]["forsorjning"] == "Samtliga"
    assert t.df.set_index("kod").loc["lon", "efter_andel"] == 0.5  # 3 of 6
    assert "1 avslutad deltagare saknar försörjning vid avslut" in t.fotnot


def test_the_board_sees_the_small_counts_hidden_and_the_missing_one_protected(fors_con):
    """Every count of the fixture is small but the Summa (6). Tid i insats's Summa counts the
    seven avslutade (the one without a source too): were it shown beside the Summa of 6, the
    one missing a source would be 7 - 6 = 1; so one of them is hidden."""
    df = views.forsorjning(fors_con, BOARD, AR)
    shown = [v for c in ("kvinna", "man", "totalt") for v in df[c] if not isinstance(v, str)]
    assert shown == [6]
    tot = df.attrs["totalt"][None]
    assert (tot["totalt"], tot["samtliga"]) == (6, 6)
    tid = views.malgrupp(fors_con, BOARD, AR).attrs["totalt"]["avslutade"]
    assert isinstance(tid["samtliga"], str)  # the 7
    assert df.attrs["saknas"] is None  # the kansli's alone
    # a year to date that is not a whole year is not published: no rows, and why
    h2 = views.forsorjning(fors_con, BOARD, H2)
    assert not len(h2) and h2.attrs["ej_publicerat"] == views.FORS_PER_AR_TEXT
    assert tables.forsorjning(fors_con, BOARD, Filter("2020-Q3", "2020-Q4")).tom == \
        views.FORS_PER_AR_TEXT


def test_an_extract_without_the_column_loads_and_says_the_figure_is_not_there(traps_con):
    assert views.forsorjning_i_uttaget(traps_con) is False
    df = views.forsorjning(traps_con, KANSLI, AR)
    assert df.attrs["i_uttaget"] is False and df.attrs["saknas"] == 7  # every avslutad
    for builder in (tables.forsorjning, tables.forsorjning_flode, tables.forsorjning_insatser):
        t = builder(traps_con, KANSLI, Filter("2020-Q1", "2020-Q4"))
        assert t.tom == views.FORS_EJ_I_UTTAGET and not len(t.df)
    assert views.forsorjning_insats(traps_con, KANSLI, AR)["andel_lamnat"].isna().all()
    assert nyckeltal.lamnat_offentlig(traps_con, BOARD, AR) == {"i_uttaget": False}


def test_the_goal_is_computed_for_the_insats_and_the_year_to_date(fors_con, traps_con):
    """andel_egen_forsorjning: A 2 of 3, B 2 of 2 (2020 to date at 2020-Q4, the whole year);
    not computed without the column; hidden for the board where its counts are small."""
    goals = [("A", "andel_egen_forsorjning"), ("B", "andel_egen_forsorjning")]
    f = Filter("2020-Q4", "2020-Q4")
    assert nyckeltal.beraknade_utfall(fors_con, KANSLI, f, goals) == [2 / 3, 1.0]
    assert nyckeltal.beraknade_utfall(traps_con, KANSLI, f, goals) == [None, None]
    assert nyckeltal.beraknade_utfall(fors_con, BOARD, f, goals) == ["<5", "<5"]


# --- where it is shown -----------------------------------------------------------------------


def test_the_pm_has_the_national_reports_table_after_tabell_6(fors_con, traps_con):
    """A PM of H2 2020: the figures published per calendar year are the whole of 2020's."""
    from pm_html import pm_tables, records, table

    from dashboard import rapport

    html = rapport.build_html(fors_con, KANSLI, Filter("2020-Q3", "2020-Q4"))[0]
    heading = "Tabell 6 c. Försörjning före och efter insatsen, kvartal 1–4 2020 (hela året)"
    assert html.index("Tabell 6 b.") < html.index(heading) < html.index("Tabell 7.")
    assert ("Av 5 avslutade med offentlig försörjning före insatsen hade 4 (80\u00a0%) lön "
            "eller studiemedel vid avslut.") in html
    tabs = pm_tables(html)
    rows = {r["Försörjning"]: (r["Före"], r["Efter"], r["Förändring"], r["Andel efter"])
            for r in records(table(tabs, heading))}
    assert rows["Lön"] == ("0", "3", "3", "50\u00a0%")
    assert rows["Sjukpenning"] == ("2", "0", "\u22122", "0\u00a0%")
    assert rows["Samtliga"] == ("6", "6", "0", "100\u00a0%")
    per = records(table(tabs, "Tabell 6 d. Lämnat offentlig försörjning per insats"))
    assert [(r["Insats"], r["Lämnat offentlig försörjning"], r["Saknar uppgift"]) for r in per] \
        == [("Alfa", "67\u00a0% (2 av 3)", "⚠ 1"), ("Beta", "100\u00a0% (2 av 2)", "0"),
            ("Samtliga", "80\u00a0% (4 av 5)", "1")]  # ⚠: p7 A's registration to complete
    # without the column: the heading and why, no table of zeros
    html = rapport.build_html(traps_con, KANSLI, Filter("2020-Q3", "2020-Q4"))[0]
    assert not any(k.startswith("Tabell 6 c") for k in pm_tables(html))
    rest = html[html.index(heading):]
    assert views.FORS_EJ_I_UTTAGET in rest[:rest.index("Tabell 7.")]


def test_the_pages_say_it_and_say_when_it_is_not_in_the_extract(fors_con, traps_con):
    import json

    import plotly
    from test_pages import find

    import app  # noqa: F401  (registers the pages)
    from dashboard.pages import deltagare, insats, oversikt, presentation

    def page(module, con, state, *args):
        return json.loads(json.dumps(module.render(con, KANSLI, state, *args),
                                     cls=plotly.utils.PlotlyJSONEncoder))

    ar, q4 = Filter("2020-Q1", "2020-Q4"), Filter("2020-Q4", "2020-Q4")
    d = page(deltagare, fors_con, ar)
    assert find(d, "deltagare-forsorjning-lamnat") == (
        "Av 5 avslutade med offentlig försörjning före insatsen hade 4 (80\u00a0%) lön eller "
        "studiemedel vid avslut.")
    assert find(d, "deltagare-forsorjning-diagram-lasning") == (
        "Störst ökning: Lön, från 0 till 3. Störst minskning: Sjukpenning, från 2 till 0.")
    # Översikt's year to date at 2020-Q4 is the whole year; the insats page has A's 2 of 3
    assert find(page(oversikt, fors_con, q4), "oversikt-lamnat") == "80\u00a0%"
    assert "Lämnat offentlig försörjning, helår 20202 av 3 (67\u00a0%) med offentlig" in find(
        page(insats, fors_con, q4, "A"), "insats-deltagare")
    assert find(page(presentation, fors_con, q4), "presentation-lamnat").startswith(
        "Av 5 avslutade med offentlig försörjning")
    # the traps have no forsorjning_slut
    assert find(page(deltagare, traps_con, ar), "deltagare-forsorjning-tom") == \
        views.FORS_EJ_I_UTTAGET
    assert find(page(oversikt, traps_con, q4), "oversikt-lamnat") == \
        "Försörjning vid avslut finns inte i uttaget."
    assert find(page(presentation, traps_con, q4), "presentation-lamnat") == ""


def test_the_command_line_exports_it_with_every_filter(tmp_path):
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "dashboard", *map(str, args)], cwd=root,
                              capture_output=True, text=True, timeout=120)

    path = tmp_path / "d.duckdb"
    assert cli("ingest", extract(tmp_path), "--db", path).returncode == 0
    base = ("--db", path, "--format", "json")
    rows = json.loads(cli("export", "forsorjning", *base, "--from", "2020-Q1", "--to", "2020-Q4",
                          "--unsuppressed").stdout)
    lon = next(r for r in rows if (r["forsorjning_start"], r["forsorjning_slut"]) == (
        "summa", "lon"))
    assert (lon["kvinna"], lon["man"], lon["annan"], lon["totalt"]) == (2, 1, 0, 3)
    # every page filter: Beta alone (kommun Uppsala), kvinnor alone
    rows = json.loads(cli("export", "forsorjning", *base, "--from", "2020-Q1", "--kommun",
                          "Uppsala", "--kon", "kvinna", "--unsuppressed").stdout)
    assert {(r["forsorjning_start"], r["forsorjning_slut"]): r["totalt"] for r in rows
            if r["totalt"]} == {("arbetsloshetsersattning", "lon"): 1,
                                ("arbetsloshetsersattning", "summa"): 1, ("summa", "lon"): 1,
                                ("summa", "summa"): 1}
    per = json.loads(cli("export", "forsorjning_insats", *base, "--typ", "individ",
                         "--unsuppressed").stdout)
    assert [(r["insats_id"], r["lamnat"], r["offentlig"]) for r in per] == [("A", 2, 3),
                                                                            ("B", 2, 2)]
    # the board: the same cells the page shows; a half-year is not published, and why
    board = json.loads(cli("export", "forsorjning", *base, "--from", "2020-Q1", "--to",
                           "2020-Q4").stdout)
    assert {r["totalt"] for r in board if r["forsorjning_start"] != "summa"} == {"<5"}
    res = cli("export", "forsorjning", *base, "--from", "2020-Q3", "--to", "2020-Q4")
    assert res.returncode == 2 and views.FORS_PER_AR_TEXT in res.stderr and not res.stdout


def test_the_slutrapport_of_an_ended_insats_has_its_years_of_forsorjning(tmp_path):
    """Alfa made to end on 2020-12-31: its slutrapport has försörjning före och efter per
    calendar year of its time that the loaded quarters cover whole (2019-Q4..2020-Q4 are
    loaded: 2020 only, 2019 named as not whole). 2020, from the module's table: A has 4
    avslutade with a source (p1, p2, p5, p6; p7 A has none), 3 of them with public support
    at start (p1 sjukpenning, p2 aktivitetsstöd, p6 ekonomiskt bistånd; p5 ingen), 2 of those
    left it (p1 lön, p2 studiemedel): 67 %. The board sees every one of them as a small count."""
    from dashboard import slutrapport
    from dashboard.publicerat import dolt

    folder = extract(tmp_path)
    register = folder / "insatser.csv"
    register.write_text(register.read_text(encoding="utf-8").replace(
        "2019-01-01;2021-12-31", "2019-01-01;2020-12-31"), encoding="utf-8")
    path = tmp_path / "a.duckdb"
    ingest.ingest_file(folder, path)
    con = db.reader(path)
    t = slutrapport.bygg(con, KANSLI, "A").forsorjning
    assert [tuple(r) for r in t.df[["ar", "avslutade", "offentlig", "lamnat"]].itertuples(
        index=False)] == [("2020", 4, 3, 2)]
    assert round(t.df["andel_lamnat"].iloc[0], 4) == round(2 / 3, 4)
    assert "2019 finns inte hela" in t.fotnot
    board = slutrapport.bygg(con, BOARD, "A").forsorjning.df.iloc[0]
    assert all(dolt(board[c]) and board[c] == "<5" for c in ("avslutade", "offentlig", "lamnat"))
    html = slutrapport.build_html(con, KANSLI, "A", kansli=True)
    assert "Försörjning före och efter" in html and "67\u00a0% (2 av 3)" in html
