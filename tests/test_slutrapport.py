"""The slutrapport of an ended insats and Kvalitet's Registreringskvalitet (issue 29).

Hand-worked figures from tests/fixtures/slut (its README has the participants); the demo's
ended insatser against the Deltagare and Budget views over the same quarters.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from dashboard import config, db, ingest, slutrapport, texter, urval, views
from dashboard.urval import Filter, Scope

FIXTURE = Path(__file__).parent / "fixtures" / "slut"
ROOT = Path(__file__).resolve().parents[1]
KANSLI, BOARD = Scope.kansli(), Scope.styrelse()
T = config.get().suppression_threshold


@pytest.fixture(scope="module")
def slut_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("slut") / "slut.duckdb"
    for q in ("2021-Q1", "2021-Q2"):
        ingest.ingest_file(FIXTURE / q, path, loaded_by="test")
    return path


@pytest.fixture
def con(slut_db):
    views.clear_cache()
    return db.reader(slut_db)


def test_the_ended_insatser_and_their_whole_time(con):
    """E ended 2020-12-31 and G 2020-09-30, both after the first loaded quarter (2020-Q1: the
    first extract's catch-up rows); F runs to 2021-12-31, after the latest (2021-Q2)."""
    df = views.avslutade_insatser(con, KANSLI)
    assert {r.insats_id: (r.fran, r.till) for r in df.itertuples()} == {
        "E": ("2020-Q1", "2020-Q4"), "G": ("2020-Q1", "2020-Q3")}
    assert views.slutrapport_insats(con, KANSLI, "F") is None


def test_the_kansli_s_participants_of_epsilon(con):
    """By hand from the README: started by 2020-12-31 e1–e5 (kvinnor e1, e4; män e2, e3; e5
    annat kön); ended in 2020 e1, e2, e3, e5; to work or studies e1 (studier) and e2
    (subventionerat arbete + arbetar: one person); with a handlingsplan e1, e3, e5 (e2 had
    none): 3 of 4, under the förbund's 80 %; e4 still open though the insats has ended."""
    d = views.slutrapport_deltagare(con, KANSLI, "E")
    assert d == {"deltagare_totalt": 5, "kvinnor": 2, "man": 2, "avslutade_totalt": 4,
                 "deltagare_period": 5, "avslutade_period": 4, "till_arbete_studier": 2,
                 "med_handlingsplan": 3, "oppna": 1, "andel_arbete_studier": 0.5,
                 "andel_handlingsplan": 0.75}
    assert views.slutrapport_deltagare(con, KANSLI, "G") is None  # struktur: no participants


def test_the_kansli_s_figures_equal_the_deltagare_and_budget_views(con):
    f = Filter("2020-Q1", "2020-Q4", insatser=("E",))
    view = views.deltagare(con, KANSLI, f).iloc[0]
    d = views.slutrapport_deltagare(con, KANSLI, "E")
    for c in ("deltagare_totalt", "avslutade_totalt", "avslutade_period", "till_arbete_studier",
              "med_handlingsplan", "andel_arbete_studier", "andel_handlingsplan"):
        assert d[c] == view[c], c
    b = views.slutrapport_budget(con, KANSLI, "E")
    # 2020: budget 4 × 100, utfall 90 + 110 + 95 + 80 = 375, överfört 15 in Q4, none returned
    assert {k: b[k] for k in ("budget_tkr", "utfall_tkr", "overfort_tkr", "aterfort_tkr",
                              "beviljat_tkr")} == {
        "budget_tkr": 400, "utfall_tkr": 375, "overfort_tkr": 15, "aterfort_tkr": 0,
        "beviljat_tkr": 400}
    assert b["forbrukningskvot"] == pytest.approx(375 / 400)
    bud = views.budget(con, KANSLI, f).iloc[0]
    assert (bud["budget_tkr"], bud["utfall_tkr"]) == (400, 375)


def test_avslutsorsaker_and_malgrupp_over_the_whole_time(con):
    """Registrations of e1, e2, e3, e5: arbete e2's two rows, studier e1, arbetssökande e5,
    annat e3 (ohälsa); five in all. Ages at start (year of start − birth): e1 25 and e5 20
    under 30, e3 40 and e4 30 in 30–49, e2 60 over 50."""
    a = views.slutrapport_avslutsorsaker(con, KANSLI, "E")
    assert dict(zip(a["rad"], a["totalt"])) == {
        "grupp:arbete": 2, "grupp:studier": 1, "grupp:arbetssokande": 1, "grupp:annat": 1}
    assert a.attrs["totalt"] == {"totalt": 5}
    m = views.slutrapport_malgrupp(con, KANSLI, "E")
    alder = m[m["dimension"] == "alder"]
    assert dict(zip(alder["kategori"], alder["totalt"])) == {
        "under_30": 2, "30_49": 2, "50_plus": 1}
    assert set(m["dimension"]) == {"alder", "forsorjningstid", "utbildning", "forsorjning_start",
                                   "remittent"}


def test_the_goals_as_the_last_report_gave_them(con):
    """E's last report with goals is 2020-Q4 (2020-Q3 had one goal, pågår): two goals, one
    reached; the handlingsplan goal's share computed over the whole time (3 of 4, 75 %)
    beside the 75 the styrgrupp reported (no ≠)."""
    s = slutrapport.bygg(con, KANSLI, "E")
    assert s.mal_kvartal == "2020-Q4"
    assert (s.mal_totalt, s.mal_uppnadda) == (2, 1)
    t = slutrapport.mal_tabell(s)
    assert list(t.df["bedomning_namn"]) == ["Delvis uppnått", "Uppnått"]
    # (the reported utfall as the Mål page writes it, the computed as fmt.procent)
    assert t.df["utfall_samlat"].iloc[0] == "rapporterat 75 %; beräknat 75\u00a0%"
    assert not t.skiljer


def test_the_board_sees_no_small_count(con):
    """Outside the kansli every participant figure is a cell of the publication: Epsilon's
    counts of 1 to 4 read "<5" (its 5 deltagare may be shown or hidden to protect them), the
    shares of hidden counts are hidden too."""
    d = views.slutrapport_deltagare(con, BOARD, "E")
    for k, v in d.items():
        assert not (isinstance(v, int) and 0 < v < T), (k, v)
    assert d["oppna"] == "<5" and d["till_arbete_studier"] == "<5"
    assert isinstance(d["andel_arbete_studier"], str)
    a = views.slutrapport_avslutsorsaker(con, BOARD, "E")
    assert set(a["totalt"]) == {"<5"}  # 2, 1, 1, 1
    m = views.slutrapport_malgrupp(con, BOARD, "E")
    assert not any(isinstance(v, int) and 0 < v < T for v in m["totalt"])


def test_the_export_has_one_row_per_ended_insats(slut_db):
    out = subprocess.run([sys.executable, "-m", "dashboard", "export", "slutrapport",
                          "--db", str(slut_db), "--format", "json", "--unsuppressed"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    rows = {r["insats_id"]: r for r in json.loads(out.stdout)}
    assert list(rows["E"]) == slutrapport.EXPORT_KOLUMNER
    assert rows["E"] == {
        "insats_id": "E", "kortnamn": "Epsilon", "startdatum": "2020-01-01",
        "slutdatum": "2020-12-31", "beviljat_tkr": 400, "budget_tkr": 400, "utfall_tkr": 375,
        "forbrukningskvot": 0.9375, "overfort_tkr": 15, "aterfort_tkr": 0,
        "deltagare_totalt": 5, "kvinnor": 2, "man": 2, "avslutade_totalt": 4,
        "till_arbete_studier": 2, "andel_arbete_studier": 0.5, "med_handlingsplan": 3,
        "andel_handlingsplan": 0.75, "mal_totalt": 2, "mal_uppnadda": 1}
    # Gamma, struktur: 2020-Q1..Q3 budget 60, utfall 20 + 25 + 10 = 55, 5 returned; its one
    # goal reached; no participant columns
    g = rows["G"]
    assert (g["budget_tkr"], g["utfall_tkr"], g["aterfort_tkr"]) == (60, 55, 5)
    assert (g["mal_totalt"], g["mal_uppnadda"]) == (1, 1)
    assert all(g[c] is None for c in slutrapport.DELTAGAR_KOLUMNER)
    assert set(rows) == {"E", "G"}
    board = subprocess.run([sys.executable, "-m", "dashboard", "export", "slutrapport",
                            "--db", str(slut_db), "--format", "json", "--insats", "E"],
                           cwd=ROOT, capture_output=True, text=True, check=True)
    (e,) = json.loads(board.stdout)
    assert e["till_arbete_studier"] == "<5" and e["budget_tkr"] == 400


def test_registreringskvalitet_for_the_kansli(con):
    """At 2021-Q2 (open long: started on or before 2019-06-30, 24 months before its end):
    Epsilon has ended with e4 open; Fi has f1 open since 2019-06-01 and without a
    handlingsplan (f5's was registered since). Against the load before: f3's avslut
    (2021-03-20) came late, f4's kön and f5's handlingsplan changed: 3 corrections. Anonyma of
    2020 (the latest whole calendar year): Epsilon 4 against 5 registered (4 of 9), Fi 0 of 2
    (f1 and f4 active in 2020)."""
    df = views.registrering(con, KANSLI).set_index("insats_id")
    assert list(df.index) == ["E", "F"]  # individinsatser: running, or ended in the data
    assert df.loc["E", ["oppen_efter_slut", "oppen_lange", "utan_handlingsplan"]].tolist() == [
        1, None, None]
    assert df.loc["F", ["oppen_efter_slut", "oppen_lange", "utan_handlingsplan"]].tolist() == [
        None, 1, 1]
    assert (df.loc["E", "anonyma"], df.loc["E", "registrerade"]) == (4, 5)
    assert df.loc["E", "andel_anonyma"] == pytest.approx(4 / 9)
    assert (df.loc["F", "anonyma"], df.loc["F", "registrerade"]) == (0, 2)
    assert df.loc["E", "rattelser"] == 0 and df.loc["F", "rattelser"] == 3
    rows = views.registrering_rader(con, KANSLI)
    assert sorted(zip(rows["deltagare_id"], rows["slag"])) == [
        ("e4", "oppen_efter_slut"), ("f1", "oppen_lange"), ("f1", "utan_handlingsplan")]
    r = views.registrering_rattelser(con, KANSLI)
    assert sorted(zip(r["deltagare_id"], r["slag"], r["kvartal"], r["fore"], r["efter"])) == [
        ("f3", "sent_avslut", "2021-Q1", "pågående", "2021-03-20"),
        ("f4", "kon", "2020-Q2", "kvinna", "man"),
        ("f5", "handlingsplan", "2021-Q1", "nej", "ja")]


def test_registreringskvalitet_for_the_board(con):
    """Counts of the publication ("<5" for 0 to 4: the 1s here, and the 0 of Fi's anonyma
    too), whether there are corrections but never how many, and never the rows."""
    df = views.registrering(con, BOARD).set_index("insats_id")
    assert df.loc["E", "oppen_efter_slut"] == "<5"
    assert df.loc["F", "oppen_lange"] == "<5" and df.loc["F", "utan_handlingsplan"] == "<5"
    assert df.loc["F", "anonyma"] == "<5"
    assert df.loc["F", "rattelser"] is True and df.loc["E", "rattelser"] is False
    for col in ("oppen_efter_slut", "oppen_lange", "utan_handlingsplan", "anonyma",
                "registrerade"):
        assert not any(isinstance(v, int) and 0 < v < T for v in df[col]), col
    with pytest.raises(views.publicering.EjPublicerad):
        views.registrering_rader(con, BOARD)
    with pytest.raises(views.publicering.EjPublicerad):
        views.registrering_rattelser(con, Scope.lokus("Heby"))


def test_slutrapport_saknas_a_month_after_the_end(slut_db):
    """E ended 2020-12-31 (deadline 2021-01-31), G 2020-09-30 (2020-10-30); once a text of
    E's slutrapport is written, only G is missing."""
    con = db.reader(slut_db)
    assert list(slutrapport.saknas(con, BOARD, idag=date(2021, 1, 15))["insats_id"]) == ["G"]
    assert list(slutrapport.saknas(con, BOARD, idag=date(2021, 2, 1))["insats_id"]) == ["E", "G"]
    texter.spara("2020-Q4", "slut_syfte", "E", "Att pröva en väg in.", "kansli1", slut_db)
    views.clear_cache()
    con = db.reader(slut_db)
    assert list(slutrapport.saknas(con, BOARD, idag=date(2021, 2, 1))["insats_id"]) == ["G"]
    s = slutrapport.bygg(con, BOARD, "E")
    assert s.texter["slut_syfte"].text == "Att pröva en väg in."
    assert s.texter["slut_lardomar"] is None


def test_the_document_in_the_template_s_order(con):
    """Every question of the template in its order; the kansli's copy marks the missing
    texts and, unsuppressed, says so on its first page; the board's copy says what is not
    filled in and shows no small count."""
    html = slutrapport.build_html(con, KANSLI, "E", kansli=True)
    order = [html.index(f"<h2>{q}") for q in (
        "Insatsen", texter.SLUTRAPPORT["slut_syfte"], slutrapport.MAL_FRAGA,
        texter.SLUTRAPPORT["slut_jamstalldhet"], "Insatstid", texter.SLUTRAPPORT["slut_malgrupp"],
        slutrapport.MALGRUPP_DATA, slutrapport.DELTAGARE_FRAGA, texter.SLUTRAPPORT["slut_metod"],
        slutrapport.EKONOMI, texter.SLUTRAPPORT["slut_aterfort"],
        texter.SLUTRAPPORT["slut_lardomar"], "Underskrift")]
    assert order == sorted(order)
    assert html.count("<h2>") == 20  # 13 texts, 6 parts of data, Underskrift
    assert "sprid inte rapporten" in html[:html.index("Insatsens namn")]
    assert html.count('class="kansli-saknas"') >= 12  # (one text may be written already)
    board = slutrapport.build_html(con, BOARD, "E", kansli=False)
    assert 'class="kansli-saknas"' not in board and "Inte ifyllt." in board
    assert "sprid inte rapporten" not in board
    with pytest.raises(ValueError):
        slutrapport.build_html(con, KANSLI, "F")  # still running


# --- the demo's ended insatser ------------------------------------------------------------


def test_the_demo_s_slutrapporter_equal_the_deltagare_and_budget_views(demo_db):
    """For every ended insats of the demo: the kansli's participants are the Deltagare view's
    over its whole time (its start, or the first loaded quarter, to its end quarter), the
    economy is the Budget view's sums over the same quarters, and every figure the board's
    copy shows is the kansli's."""
    con = db.reader(demo_db[1])
    views.clear_cache()
    ended = views.avslutade_insatser(con, KANSLI)
    assert len(ended) >= 10 and (ended["typ"] == "individ").sum() >= 5
    for r in ended.itertuples():
        f = Filter(r.fran, r.till, insatser=(r.insats_id,))
        b = views.slutrapport_budget(con, KANSLI, r.insats_id)
        bud = views.budget(con, KANSLI, f)
        for c in ("budget_tkr", "utfall_tkr", "overfort_tkr", "aterfort_tkr"):
            assert b[c] == pytest.approx(bud[c].sum()), (r.insats_id, c)
        if r.typ != "individ":
            assert views.slutrapport_deltagare(con, KANSLI, r.insats_id) is None
            continue
        d = views.slutrapport_deltagare(con, KANSLI, r.insats_id)
        view = views.deltagare(con, KANSLI, f).iloc[0]
        for c in ("deltagare_totalt", "avslutade_totalt", "deltagare_period", "avslutade_period",
                  "till_arbete_studier", "med_handlingsplan", "andel_arbete_studier",
                  "andel_handlingsplan"):
            assert d[c] == view[c], (r.insats_id, c)
        assert d["kvinnor"] + d["man"] <= d["deltagare_totalt"]
        board = views.slutrapport_deltagare(con, BOARD, r.insats_id)
        for c, v in board.items():
            if not isinstance(v, str):
                assert v == d[c], (r.insats_id, c)
            assert not (isinstance(v, int) and 0 < v < T), (r.insats_id, c)
        m_kansli = views.slutrapport_malgrupp(con, KANSLI, r.insats_id)
        # the Målgrupp view over the same quarters counts the same active episodes
        mg = views.malgrupp(con, KANSLI, f, "grov_totalt")
        assert m_kansli.attrs["totalt"]["totalt"] == mg.attrs["totalt"]["aktiva"]["totalt"] \
            == d["deltagare_period"]


def test_the_command_line_writes_the_slutrapport(slut_db, tmp_path):
    """``python -m dashboard slutrapport``: the kansli's copy as HTML (its missing texts
    marked); an insats still running has none, and says so."""
    out = tmp_path / "e.html"
    res = subprocess.run([sys.executable, "-m", "dashboard", "slutrapport", "--db", str(slut_db),
                          "--insats", "E", "--out", str(out)], cwd=ROOT, capture_output=True,
                         text=True)
    assert res.returncode == 0, res.stderr
    html = out.read_text(encoding="utf-8")
    assert slutrapport.RUBRIK in html and "Epsilon" in html and 'class="kansli-saknas"' in html
    res = subprocess.run([sys.executable, "-m", "dashboard", "slutrapport", "--db", str(slut_db),
                          "--insats", "F", "--out", str(tmp_path / "f.html")], cwd=ROOT,
                         capture_output=True, text=True)
    assert res.returncode == 2 and "har ingen slutrapport" in res.stderr


def test_the_pages_show_them(con):
    """The insats page of Epsilon, ended before the latest quarter: its slutrapport instead of
    the period's lights; Kvalitet lists what is missing and the registration quality, and
    for the kansli's own view the rows behind it; Översikt names the missing slutrapporter."""
    from helpers import as_json as page
    from helpers import find_props, text

    import app  # noqa: F401  (registers the pages)
    from dashboard.pages import insats, kvalitet, oversikt

    state = urval.Filter()
    p = page(insats.render(con, BOARD, state, "E"))
    assert text(find_props(p, "insats-avslutad")["children"]) == "Avslutades 2020-12-31"
    assert find_props(p, "insats-mallampa") is None  # no lights of its own after its end
    deltagare = text(find_props(p, "insats-slutrapport-deltagare")["children"])
    assert "Till arbete eller studierfärre än 5" in deltagare
    assert find_props(p, "insats-slut_syfte") is not None  # the template's first question
    assert find_props(page(insats.render(con, BOARD, state, "F")), "insats-slutrapport") is None
    k = page(kvalitet.render(con, KANSLI, state))
    assert text(find_props(k, "kvalitet-slutrapport")["children"]).count("avslutad") >= 1
    assert find_props(k, "kvalitet-registrering") is not None  # the table
    assert find_props(k, "kvalitet-registrering-rader") is not None  # the kansli's rows
    b = page(kvalitet.render(con, BOARD, state))
    assert find_props(b, "kvalitet-registrering-rader") is None  # never the board's
    o = page(oversikt.render(con, BOARD, state))
    assert "Slutrapport saknas" in text(find_props(o, "oversikt-slutrapport-saknas")["children"])
