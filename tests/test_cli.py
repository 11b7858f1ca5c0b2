"""The command line end to end, as the kansli would run it (real subprocesses)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
TRAPS = ROOT / "tests" / "fixtures" / "traps"


def cli(*args, check=True) -> subprocess.CompletedProcess:
    res = subprocess.run([sys.executable, "-m", "dashboard", *map(str, args)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    if check and res.returncode != 0:
        raise AssertionError(f"exit {res.returncode}\n{res.stdout}\n{res.stderr}")
    return res


@pytest.fixture(scope="module")
def dbfile(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    res = cli("ingest", TRAPS, "--db", path, "--user", "kansliet")
    assert "Inläst: period 2020-Q4" in res.stdout
    return path


def test_ingest_rejects_with_every_problem_and_exit_1(tmp_path, dbfile):
    bad = tmp_path / "bad"
    shutil.copytree(TRAPS, bad)
    text = (bad / "deltagare.csv").read_text(encoding="utf-8")
    (bad / "deltagare.csv").write_text(text.replace("p2,A,man", "p2,A,mann"), encoding="utf-8")
    (bad / "mal.csv").unlink()
    before = dbfile.read_bytes()
    res = cli("ingest", bad, "--db", dbfile, check=False)
    assert res.returncode == 1
    assert "AVVISADES: 2 problem" in res.stderr
    assert "deltagare.csv, rad 3, kolumn kon" in res.stderr and "'mann'" in res.stderr
    assert "mal.csv: Filen mal saknas i uttaget" in res.stderr
    assert dbfile.read_bytes() == before


def test_export_json_suppressed(dbfile):
    res = cli("export", "deltagare", "--db", dbfile, "--from", "2020-Q3", "--to", "2020-Q4",
              "--format", "json")
    rows = json.loads(res.stdout)
    a = next(r for r in rows if r["insats_id"] == "A")
    # 4: small ("<5"), or, in this fixture of tiny groups where the markers' bounds alone
    # would pin it, not shown at all (".."); never the number
    assert a["avslutade_period"] in ("<5", "..")
    # anonyma and volym are published per calendar year only: a half-year leaves them out,
    # and says why
    assert "anonyma" not in a and "per helt kalenderår" in res.stderr
    res = cli("export", "deltagare", "--db", dbfile, "--from", "2020-Q1", "--to", "2020-Q4",
              "--format", "json")
    a = next(r for r in json.loads(res.stdout) if r["insats_id"] == "A")
    assert a["anonyma"] == 3 + 4 and a["volym"] == 20  # anonyma.csv: A in 2020-Q3 and Q4


def test_export_json_unsuppressed_for_the_kansli(dbfile):
    res = cli("export", "deltagare", "--db", dbfile, "--from", "2020-Q3", "--to", "2020-Q4",
              "--format", "json", "--unsuppressed")
    a = next(r for r in json.loads(res.stdout) if r["insats_id"] == "A")
    assert (a["avslutade_period"], a["till_arbete_studier"], a["andel_arbete_studier"]) == (4, 2, 0.5)
    assert a["forrehab"] == "ja"


def test_export_csv_with_filters(dbfile):
    res = cli("export", "mal", "--db", dbfile, "--kommun", "Tierp")  # default: latest quarter
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(r["insats_id"], r["lampa"]) for r in rows] == [("A", "gron"), ("C", "rod")]
    res = cli("export", "budget", "--db", dbfile, "--from", "2020-Q3", "--to", "2020-Q4",
              "--typ", "individ")
    rows = {r["insats_id"]: r for r in csv.DictReader(io.StringIO(res.stdout))}
    assert set(rows) == {"A", "B"} and float(rows["A"]["forbrukningskvot"]) == 0.9375


def test_export_neutralises_formulas(dbfile, tmp_path):
    res = cli("export", "kvalitet", "--db", dbfile, "--insats", "C")
    [row] = list(csv.DictReader(io.StringIO(res.stdout)))
    assert row["kommentar"] == "<script>alert(1)</script> =SUM(A1)"  # does not start with =
    out = tmp_path / "k.xlsx"
    cli("export", "mal", "--db", dbfile, "--format", "xlsx", "--out", out)
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]][:3] == ["insats_id", "kortnamn", "typ"]
    from dashboard import export

    assert export.neutralise("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert export.neutralise("-2+3") == "'-2+3" and export.neutralise("@SUM") == "'@SUM"
    assert export.neutralise(-5) == -5  # numbers stay numbers


def test_xlsx_formula_cell_is_text(tmp_path):
    import pandas as pd

    from dashboard import export

    data = export.to_bytes(pd.DataFrame({"namn": ["=1+1", "+A1", "ok"], "n": [1, -2, 3]}), "xlsx")
    path = tmp_path / "f.xlsx"
    path.write_bytes(data)
    ws = load_workbook(path).active
    assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["'=1+1", "'+A1", "ok"]
    assert [ws.cell(r, 1).data_type for r in (2, 3)] == ["s", "s"]
    assert ws.cell(3, 2).value == -2


def test_export_every_view(dbfile):
    for view in ("mal", "budget", "deltagare", "avslutsorsaker", "malgrupp", "kvalitet", "bip",
                 "bip_indikator", "forsorjning", "forsorjning_insats"):
        rows = json.loads(cli("export", view, "--db", dbfile, "--format", "json").stdout)
        assert rows, view


def test_export_bip_views_as_the_contract_names_them(dbfile):
    # H2 2020 for the kansli (see test_bip.py): A 6 active, 5 measured, 4 with uppföljning,
    # 3 with stegförflyttning (1 kvinna, 2 män); jobbredo over 5 episodes, 2.6 -> 3.8
    args = ("--db", dbfile, "--from", "2020-Q3", "--to", "2020-Q4", "--format", "json",
            "--unsuppressed")
    rows = {r["insats_id"]: r for r in json.loads(cli("export", "bip", *args).stdout)}
    a = rows["A"]
    assert {k: a[k] for k in ("deltagare", "matta", "med_uppfoljning", "stegforflyttning",
                               "kvinna_stegforflyttning", "man_stegforflyttning")} == {
        "deltagare": 6, "matta": 5, "med_uppfoljning": 4, "stegforflyttning": 3,
        "kvinna_stegforflyttning": 1, "man_stegforflyttning": 2}
    assert a["andel_matta"] == pytest.approx(5 / 6) and a["kortnamn"] == "Alfa"
    ind = {r["indikator"]: r for r in json.loads(cli("export", "bip_indikator", *args).stdout)}
    j = ind["jobbredo"]
    assert (j["namn"], j["med_uppfoljning"]) == ("Jobbredo (arbetsberedskap)", 5)
    assert (j["medel_forsta"], j["medel_senaste"]) == (pytest.approx(2.6), pytest.approx(3.8))
    # the board's export: the same cells the page shows, small ones as markers
    board = json.loads(cli("export", "bip", "--db", dbfile, "--from", "2020-Q3", "--to",
                           "2020-Q4", "--format", "json").stdout)
    # A's one unmeasured (6 - 5) is protected: its 6 active is hidden (its 5 measured may be
    # shown, or hidden too); B's are small
    cells = {r["insats_id"]: (r["deltagare"], r["matta"]) for r in board}
    assert cells["A"] in (("X", 5), ("X", "X")) and cells["B"] == ("<5", "<5")


def test_bad_period_is_a_clear_error(dbfile):
    res = cli("export", "mal", "--db", dbfile, "--to", "2020-Q9", check=False)
    assert res.returncode == 2 and "Ogiltig period" in res.stderr


def test_missing_database_is_explained(tmp_path):
    res = cli("export", "mal", "--db", tmp_path / "none.duckdb", check=False)
    assert res.returncode == 2 and "Läs in ett uttag först" in res.stderr


def test_help_is_in_swedish():
    out = cli("--help").stdout
    assert "ingest" in out and "export" in out and "demo" in out
    out = cli("export", "--help").stdout
    assert "--unsuppressed" in out and "kansliets egen vy" in out and "Tabell 4" in out
    assert "Slutkod 0" in cli("ingest", "--help").stdout
    out = cli("rapport", "--help").stdout
    assert "sammanfattning, insatser, mål, budget" in out and "öppnas i Word" in out


def test_rapport_refuses_other_file_types(dbfile, tmp_path):
    res = cli("rapport", "--db", dbfile, "--out", tmp_path / "pm.docx", check=False)
    assert res.returncode == 2 and ".pdf eller .html" in res.stderr
    assert not (tmp_path / "pm.docx").exists()


def test_unsuppressed_exports_and_ingests_are_audited(dbfile):
    from dashboard import audit, config

    config.get.cache_clear()
    before = len(audit.read())
    cli("export", "deltagare", "--db", dbfile, "--unsuppressed", "--format", "json")
    cli("export", "deltagare", "--db", dbfile, "--format", "json")  # suppressed: not logged
    events = audit.read()[before:]
    assert [e["handelse"] for e in events] == ["export_osupprimerad"]
    assert events[0]["vy"] == "deltagare"
    assert any(e["handelse"] == "inlasning" and e["anvandare"] == "kansliet"
               for e in audit.read())


def test_export_marks_a_protecting_cell_x(dbfile):
    # Alfa's 6 participants in the range are hidden to protect Beta's 3 (Samtliga 9 is
    # shown): "X", not the false "<5"; Beta's 3 is "<5"
    res = cli("export", "deltagare", "--db", dbfile, "--from", "2020-Q3", "--to", "2020-Q4",
              "--format", "json")
    rows = {r["insats_id"]: r for r in json.loads(res.stdout)}
    assert rows["A"]["deltagare_period"] == "X" and rows["B"]["deltagare_period"] == "<5"


def test_a_filter_the_board_may_not_use_is_refused(dbfile):
    res = cli("export", "malgrupp", "--db", dbfile, "--from", "2020-Q3", "--to", "2020-Q4",
              "--kon", "annan", check=False)
    assert res.returncode == 2 and "Filtret på kön" in res.stderr
    res = cli("export", "deltagare", "--db", dbfile, "--from", "2019-Q1", "--to", "2020-Q4",
              check=False)  # two years: not a period the participant figures are published for
    # (clamped to the loaded quarters, which start 2019-Q4)
    assert res.returncode == 2 and "Perioden kvartal 4 2019 – kvartal 4 2020 finns inte" in res.stderr
    # the kansli's own view has no such limits
    assert cli("export", "malgrupp", "--db", dbfile, "--from", "2020-Q3", "--to", "2020-Q4",
               "--kon", "annan", "--unsuppressed").returncode == 0


@pytest.mark.parametrize("args", [
    ["--from", "2020-Q3", "--to", "2020-Q4"],
    ["--to", "2020-Q4", "--kommun", "Heby"],
    ["--from", "2020-Q3", "--to", "2020-Q4", "--kon", "kvinna", "--indelning", "grov"],
    ["--from", "2020-Q4", "--to", "2020-Q4", "--status", "pagaende", "--typ", "individ"],
    ["--from", "2020-Q1", "--to", "2020-Q4", "--insats", "A", "--indelning", "grov_totalt"],
])
def test_export_prints_the_cells_the_boards_page_shows(dbfile, args):
    """The same filter on the Målgrupp and Avslutsorsaker pages (their table builders, as the
    board sees them) and in the export: the same cells, markers included."""
    import duckdb

    from dashboard import tables, urlstate
    from dashboard.urval import Scope

    con = duckdb.connect(str(dbfile), read_only=True)
    query = {"--from": "fran", "--to": "till", "--kommun": "kommun", "--kon": "kon",
             "--indelning": "indelning", "--status": "status", "--typ": "typ",
             "--insats": "insats"}
    state = urlstate.parse({query[k]: v for k, v in zip(args[::2], args[1::2])})
    for view in ("malgrupp", "avslutsorsaker"):
        res = cli("export", view, "--db", dbfile, "--format", "json", *args, check=False)
        if view == "avslutsorsaker":
            tom = tables.avslutsorsaker(con, Scope.styrelse(), state).tom
            if tom:  # not published for this period (a calendar year's table): the page and
                # the export say so in the same words, and the export gives no rows
                assert res.returncode == 2 and tom in res.stderr and not res.stdout
                continue
        assert res.returncode == 0, res.stderr
        rows = json.loads(res.stdout)
        if view == "malgrupp":
            page = [r for d, _, _ in __import__("dashboard").codes.MALGRUPP_DIMENSIONER
                    for r in tables.malgrupp_dimension(con, Scope.styrelse(), state, d)
                    .df.to_dict("records")]
        else:
            page = tables.avslutsorsaker(con, Scope.styrelse(), state).df.to_dict("records")
        cols = [c for c in ("kvinna", "man", "annan", "totalt") if c in rows[0]]
        assert "annan" not in cols  # never a column outside the kansli
        assert [[r[c] for c in cols] for r in rows] == [[r[c] for c in cols] for r in page]
