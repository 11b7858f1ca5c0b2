"""Reading every accepted form of an extract, and what loading it again does."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from dashboard import db, ingest, views
from dashboard.config import Limits
from dashboard.ingest.read import read
from dashboard.urval import Filter, Scope

FIXTURES = Path(__file__).parent / "fixtures"
TRAPS = FIXTURES / "traps"
H2 = Filter("2020-Q3", "2020-Q4")


def figures(con) -> dict:
    """A few numbers from every view, to compare loads of the same data in other forms."""
    k = Scope.kansli()
    return {
        "mal": views.mal(con, k, H2)[["insats_id", "lampa"]].values.tolist(),
        "budget": views.budget(con, k, H2)[["insats_id", "ack_utfall_tkr"]].values.tolist(),
        "deltagare": views.deltagare(con, k, H2)[["insats_id", "till_arbete_studier"]].values.tolist(),
        "namn": sorted(con.execute("SELECT namn FROM insatser").fetchall()),
    }


@pytest.fixture
def reference(traps_con):
    return figures(traps_con)


def load(path) -> object:
    con = db.memory()
    ingest.ingest_into(con, path)
    return con


def test_windows_1252_and_bom(tmp_path, reference):
    dst = tmp_path / "u"
    shutil.copytree(TRAPS, dst)
    text = (dst / "insatser.csv").read_text(encoding="utf-8")
    assert "–" in text and "ö" in text  # an en dash and Swedish letters: cp1252 != latin-1
    (dst / "insatser.csv").write_bytes(text.encode("cp1252"))
    (dst / "deltagare.csv").write_bytes(
        b"\xef\xbb\xbf" + (dst / "deltagare.csv").read_bytes())
    assert figures(load(dst)) == reference


def test_upper_case_headers_and_file_names(tmp_path, reference):
    dst = tmp_path / "u"
    shutil.copytree(TRAPS, dst)
    p = dst / "budget.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].upper()
    p.unlink()
    (dst / "Budget.CSV").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert figures(load(dst)) == reference


def test_zip_with_a_folder_inside(tmp_path, reference):
    z = tmp_path / "uttag.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in TRAPS.iterdir():
            zf.write(f, f"2020-Q4/{f.name}")
    assert figures(load(z)) == reference


def test_a_quoted_comment_keeps_its_line_break_and_a_bare_break_is_a_ragged_row(tmp_path):
    # the reader looks for line breaks inside values only in a file with a quote character
    dst = tmp_path / "u"
    shutil.copytree(TRAPS, dst)
    p = dst / "kvartalsrapport.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(
        "Rekrytering försenad", '"Rekrytering försenad;\nny start i maj"'), encoding="utf-8")
    con = load(dst)
    assert con.execute("SELECT kommentar FROM kvartalsrapport_raw WHERE insats_id = 'A' "
                       "AND period = '2020-Q3'").fetchall() == [
        ("Rekrytering försenad;\nny start i maj",)]
    d = dst / "deltagare.csv"
    lines = d.read_text(encoding="utf-8").splitlines(keepends=True)
    assert '"' not in "".join(lines)
    cut = lines[3].index(",", lines[3].index(",") + 1)
    lines[3] = lines[3][:cut] + "\n" + lines[3][cut:]  # a break in the third data row
    d.write_text("".join(lines), encoding="utf-8")
    _, v = ingest.check(dst)
    ragged = [(p.row, p.message) for p in v.problems if p.file == "deltagare.csv"]
    assert ragged and ragged[0][0] == 4 and "fält; rubrikraden har" in ragged[0][1]


def test_zip_entry_cannot_point_outside(tmp_path):
    z = tmp_path / "evil.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in TRAPS.iterdir():
            zf.write(f, f.name)
        zf.writestr("../../evil.csv", "x\n1\n")
        zf.writestr("/etc/evil.csv", "x\n1\n")
    raw, v = ingest.check(z)
    bad = [p for p in v.problems if "Otillåten sökväg" in p.message]
    assert len(bad) == 2
    assert not (tmp_path.parent / "evil.csv").exists()
    with pytest.raises(ingest.ExtractRejected):
        ingest.ingest_into(db.memory(), z)


def test_xlsx_workbook_with_typed_cells(tmp_path, reference):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for f in sorted(TRAPS.glob("*.csv")):
        ws = wb.create_sheet(f.stem)
        sep = ";" if ";" in f.read_text(encoding="utf-8").splitlines()[0] else ","
        with f.open(encoding="utf-8") as fh:
            for i, row in enumerate(csv.reader(fh, delimiter=sep)):
                cells = []
                for v in row:  # as Excel would store them: dates and numbers typed
                    if i and len(v) == 10 and v[4] == "-" and v[:4].isdigit():
                        cells.append(date.fromisoformat(v))
                    elif i and v.isdigit():
                        cells.append(int(v))
                    else:
                        cells.append(v or None)
                ws.append(cells)
    ws = wb.create_sheet("Anteckningar")  # other sheets are ignored
    ws.append(["fri text"])
    path = tmp_path / "uttag.xlsx"
    wb.save(path)
    assert figures(load(path)) == reference


def test_size_limit_refuses_big_files(tmp_path):
    raw = read(TRAPS, Limits(fil_mb=200 / 1024 / 1024))
    big = [p for p in raw.problems if "för stor" in p.message]
    assert {p.file for p in big} >= {"deltagare.csv", "kvartalsrapport.csv"}


def test_every_load_is_recorded(tmp_path):
    path = tmp_path / "d.duckdb"
    ingest.ingest_file(TRAPS, path, loaded_by="kansliet")
    con = db.reader(path)
    [(period, by, checksums, counts)] = con.execute(
        "SELECT period, loaded_by, checksums, row_counts FROM loads").fetchall()
    assert (period, by) == ("2020-Q4", "kansliet")
    import hashlib

    assert json.loads(checksums)["deltagare.csv"] == hashlib.sha256(
        (TRAPS / "deltagare.csv").read_bytes()).hexdigest()
    assert json.loads(counts)["deltagare"] == 10 and json.loads(counts)["avslut"] == 8


def test_reloading_a_quarter_supersedes_but_deletes_nothing(tmp_path, traps_con):
    fixed = tmp_path / "v2"
    shutil.copytree(TRAPS, fixed)
    text = (fixed / "kvartalsrapport.csv").read_text(encoding="utf-8")
    (fixed / "kvartalsrapport.csv").write_text(
        text.replace("B;2020-Q4;nej;ja", "B;2020-Q4;ja;ja"), encoding="utf-8")
    text = (fixed / "budget.csv").read_text(encoding="utf-8")
    (fixed / "budget.csv").write_text(text.replace("A;2020-Q4;100;80;15;", "A;2020-Q4;100;100;;"),
                                      encoding="utf-8")
    ingest.ingest_into(traps_con, fixed)
    lights = dict(views.mal(traps_con, Scope.kansli(), H2)[["insats_id", "lampa"]].values)
    assert lights["B"] == "gron"  # the newer load wins
    a = views.budget(traps_con, Scope.kansli(), H2).set_index("insats_id").loc["A"]
    assert a["ack_utfall_tkr"] == 90 + 110 + 95 + 100 and a["overfort_tkr"] == 0
    # both loads' rows are still stored
    assert traps_con.execute("SELECT count(*) FROM budget_raw").fetchall() == [(28,)]
    assert traps_con.execute("SELECT count(*) FROM loads").fetchall() == [(2,)]


def test_catch_up_of_an_earlier_quarter(tmp_path, traps_con):
    """A Q3 extract loaded after Q4 corrects Q3 but leaves the register and SUS data of Q4."""
    q3 = tmp_path / "q3"
    shutil.copytree(TRAPS, q3)
    (q3 / "uttag.csv").write_text(
        "forbund;period;uttagsdatum;kalla\nTestförbundet;2020-Q3;2020-10-15;rättelse\n",
        encoding="utf-8")
    (q3 / "kvartalsrapport.csv").write_text(
        (TRAPS / "kvartalsrapport.csv").read_text(encoding="utf-8").splitlines()[0]
        + "\nA;2020-Q3;ja;nej;ja;nej;nej;nej;ja;ja;ja;ja;ja;nej;rättad\n", encoding="utf-8")
    for name in ("mal", "budget", "anonyma"):
        (q3 / f"{name}.csv").write_text(
            (TRAPS / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0] + "\n",
            encoding="utf-8")
    # SUS up to Q3's end: only participants who started by then, nobody ended after it
    (q3 / "deltagare.csv").write_text(
        "deltagare_id,insats_id,kon,fodelsear,startdatum,slutdatum,remittent,forsorjning_start,"
        "forsorjningstid,utbildning,handlingsplan\n"
        "p1,A,kvinna,1995,2019-03-01,2020-08-15,kommun,ingen,upp_till_1_ar,gymnasium,ja\n",
        encoding="utf-8")
    (q3 / "avslut.csv").write_text("deltagare_id;insats_id;avslutsorsak;omfattning\np1;A;studier;\n",
                                   encoding="utf-8")
    (q3 / "bip.csv").unlink()  # optional; the fixture's measurements reach into Q4
    ingest.ingest_into(traps_con, q3)
    q3_lights = dict(views.mal(traps_con, Scope.kansli(), Filter("2020-Q3", "2020-Q3"))
                     [["insats_id", "lampa"]].values)
    assert q3_lights == {"A": "rod", "B": "gron", "C": "gron"}  # A corrected, B/C kept
    # the Q4 load still provides the register and the participants
    assert views.latest_period(traps_con) == "2020-Q4"
    assert traps_con.execute("SELECT count(*) FROM deltagare").fetchall() == [(10,)]


@pytest.mark.slow
def test_no_figure_depends_on_the_order_rows_come_in(tmp_path, demo_db):
    """Rows are stored without keeping their order (ingest.load.store): the same extract
    with its participant files' rows shuffled gives every view and the whole protection
    decision exactly as before."""
    import random

    from dashboard import publicering

    folder = demo_db[0] / "2022-Q4"
    shuffled = tmp_path / "blandat"
    shutil.copytree(folder, shuffled)
    rng = random.Random(7)
    for stem in ("deltagare", "avslut", "bip"):
        lines = (shuffled / f"{stem}.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        body = lines[1:]
        rng.shuffle(body)
        assert body != lines[1:]
        (shuffled / f"{stem}.csv").write_text("".join(lines[:1] + body), encoding="utf-8")

    def everything(extract: Path, path: Path) -> dict:
        ingest.ingest_file(extract, path)
        con = db.reader(path)
        views.clear_cache()
        # the stored decision, by the atoms' keys (ids are numbered as rows come)
        out = {"status": publicering.load(con).meta["hash"]}
        for scope in (Scope.kansli(), Scope.styrelse(), Scope.lokus("Heby")):
            for f in (Filter("2022-Q1", "2022-Q4"), Filter("2022-Q4", "2022-Q4")):
                for name, fn in views.VIEWS.items():
                    df = fn(con, scope, f).astype(object)
                    out[(name, scope, f)] = df.where(df.notna(), None).to_dict("records")
        return out

    before = everything(folder, tmp_path / "a.duckdb")
    assert len(publicering.load(db.reader(tmp_path / "a.duckdb")).status) > 1000
    assert any(before[k] for k in before if k != "status")
    assert everything(shuffled, tmp_path / "b.duckdb") == before
