"""Every validation rule of the contract, each with a broken copy of the trap fixture.

A rejected extract must name file, row (Excel numbering: header = 1) and column, and leave
the database exactly as it was.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from dashboard import db, ingest

FIXTURES = Path(__file__).parent / "fixtures"


def copy_traps(tmp_path: Path) -> Path:
    dst = tmp_path / "uttag"
    shutil.copytree(FIXTURES / "traps", dst)
    return dst


def _sep(path: Path) -> str:
    return ";" if ";" in path.read_text(encoding="utf-8").splitlines()[0] else ","


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter=_sep(path)))


def write_rows(path: Path, rows: list[list[str]], sep: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=sep, lineterminator="\n").writerows(rows)


def set_cell(folder: Path, file: str, excel_row: int, column: str, value: str) -> None:
    path = folder / file
    sep = _sep(path)
    rows = rows_of(path)
    rows[excel_row - 1][rows[0].index(column)] = value
    write_rows(path, rows, sep)


def add_row(folder: Path, file: str, values: dict) -> int:
    path = folder / file
    sep = _sep(path)
    rows = rows_of(path)
    rows.append([values.get(c, "") for c in rows[0]])
    write_rows(path, rows, sep)
    return len(rows)


def drop_row(folder: Path, file: str, excel_row: int) -> None:
    path = folder / file
    sep = _sep(path)
    rows = rows_of(path)
    del rows[excel_row - 1]
    write_rows(path, rows, sep)


def drop_column(folder: Path, file: str, column: str) -> None:
    path = folder / file
    sep = _sep(path)
    rows = rows_of(path)
    i = rows[0].index(column)
    write_rows(path, [r[:i] + r[i + 1:] for r in rows], sep)


# (id, edit(folder) -> None, expected file, row, column, text in the message)
CASES = [
    ("unknown code", lambda f: set_cell(f, "insatser.csv", 2, "typ", "individuell"),
     "insatser.csv", 2, "typ", "individ, struktur, kompetens"),
    ("misspelt kon", lambda f: set_cell(f, "deltagare.csv", 3, "kon", "kvinnna"),
     "deltagare.csv", 3, "kon", "kvinna, man, annan"),
    ("bad date", lambda f: set_cell(f, "deltagare.csv", 2, "startdatum", "2020-13-01"),
     "deltagare.csv", 2, "startdatum", "ÅÅÅÅ-MM-DD"),
    ("date in another form", lambda f: set_cell(f, "insatser.csv", 3, "startdatum", "1/1/2020"),
     "insatser.csv", 3, "startdatum", "ÅÅÅÅ-MM-DD"),
    ("bad year", lambda f: set_cell(f, "deltagare.csv", 4, "fodelsear", "19x5"),
     "deltagare.csv", 4, "fodelsear", "heltal"),
    ("negative budget", lambda f: set_cell(f, "budget.csv", 2, "budget_tkr", "-5"),
     "budget.csv", 2, "budget_tkr", "minst 0"),
    ("ambiguous number", lambda f: set_cell(f, "budget.csv", 3, "utfall_tkr", "1,234.5"),
     "budget.csv", 3, "utfall_tkr", "tal"),
    ("bad ja/nej", lambda f: set_cell(f, "kvartalsrapport.csv", 2, "i_fas", "kanske"),
     "kvartalsrapport.csv", 2, "i_fas", "ja eller nej"),
    ("quarter that does not exist", lambda f: set_cell(f, "mal.csv", 2, "period", "2020-Q5"),
     "mal.csv", 2, "period", "ÅÅÅÅ-Qn"),
    ("quarter after the extract", lambda f: set_cell(f, "kvartalsrapport.csv", 6, "period", "2021-Q1"),
     "kvartalsrapport.csv", 6, "period", "efter uttagets period 2020-Q4"),
    ("unknown insats", lambda f: set_cell(f, "budget.csv", 4, "insats_id", "Z"),
     "budget.csv", 4, "insats_id", "finns inte i insatser"),
    ("avslut for unknown participant", lambda f: set_cell(f, "avslut.csv", 4, "deltagare_id", "p99"),
     "avslut.csv", 4, "deltagare_id", "finns inte i deltagare"),
    ("duplicate participant episode",
     lambda f: add_row(f, "deltagare.csv", dict(zip(rows_of(f / "deltagare.csv")[0],
                                                     rows_of(f / "deltagare.csv")[4]))),
     "deltagare.csv", 5, "deltagare_id, insats_id", "Dubblett"),
    ("duplicate budget quarter",
     lambda f: add_row(f, "budget.csv", {"insats_id": "A", "period": "2020-Q1", "budget_tkr": "1"}),
     "budget.csv", 2, "insats_id, period", "raderna 2, 16"),
    ("slutdatum before startdatum", lambda f: set_cell(f, "deltagare.csv", 3, "slutdatum", "2020-01-01"),
     "deltagare.csv", 3, "slutdatum", "före startdatum"),
    ("insats ends before it starts", lambda f: set_cell(f, "insatser.csv", 4, "slutdatum", "2019-01-01"),
     "insatser.csv", 4, "slutdatum", "före startdatum"),
    ("ended participant without avslut", lambda f: drop_row(f, "avslut.csv", 4),
     "deltagare.csv", 3, "slutdatum", "saknar rad i avslut"),
    ("pågående participant with avslut",
     lambda f: add_row(f, "avslut.csv", {"deltagare_id": "p3", "insats_id": "A",
                                         "avslutsorsak": "studier"}),
     "deltagare.csv", 4, "slutdatum", "pågående"),
    ("arbetar without omfattning", lambda f: set_cell(f, "avslut.csv", 3, "omfattning", ""),
     "avslut.csv", 3, "omfattning", "krävs"),
    ("omfattning out of range", lambda f: set_cell(f, "avslut.csv", 3, "omfattning", "150"),
     "avslut.csv", 3, "omfattning", "mellan 10 och 100"),
    ("omfattning on studier", lambda f: set_cell(f, "avslut.csv", 4, "omfattning", "50"),
     "avslut.csv", 4, "omfattning", "bara när avslutsorsak är arbetar"),
    ("participant starts after the period",
     lambda f: set_cell(f, "deltagare.csv", 10, "startdatum", "2021-02-01"),
     "deltagare.csv", 10, "startdatum", "efter uttagets period"),
    ("required value missing", lambda f: set_cell(f, "insatser.csv", 2, "namn", " "),
     "insatser.csv", 2, "namn", "saknas"),
    ("required column missing", lambda f: drop_column(f, "deltagare.csv", "kon"),
     "deltagare.csv", 1, "kon", "saknas i rubrikraden"),
    ("required file missing", lambda f: (f / "mal.csv").unlink(),
     "mal.csv", None, None, "saknas i uttaget"),
    ("uttag with two rows",
     lambda f: add_row(f, "uttag.csv", {"forbund": "X", "period": "2020-Q4", "uttagsdatum": "2021-01-01"}),
     "uttag.csv", None, None, "exakt en datarad"),
    ("bad bip indicator",
     lambda f: (f / "bip.csv").write_text(
         "deltagare_id;insats_id;matdatum;indikator;varde\np1;A;2020-01-01;lycka;3\n",
         encoding="utf-8"),
     "bip.csv", 2, "indikator", "jobbredo"),
    ("ragged row",
     lambda f: (f / "anonyma.csv").write_text(
         "insats_id;period;anonyma;volym\nA;2020-Q3;3;;9\nA;2020-Q4;4;20\nB;2020-Q4;0;0;1\n",
         encoding="utf-8"),
     "anonyma.csv", 2, None, "5 fält; rubrikraden har 4"),
]


def db_fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def loaded_db(traps_copy) -> Path:
    """A database file that already holds the trap extract."""
    return traps_copy


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_rule_rejects_and_names_the_place(case, tmp_path, loaded_db):
    _id, edit, file, row, column, text = case
    folder = copy_traps(tmp_path)
    edit(folder)
    before = db_fingerprint(loaded_db)
    with pytest.raises(ingest.ExtractRejected) as exc:
        ingest.ingest_file(folder, loaded_db)
    problems = exc.value.problems
    hits = [p for p in problems if p.file == file and p.row == row and p.column == column
            and text in p.message]
    assert hits, "\n".join(str(p) for p in problems)
    assert db_fingerprint(loaded_db) == before  # nothing stored, nothing changed
    assert len(list(loaded_db.parent.glob(loaded_db.name + ".*.gen"))) == 1  # no stray version


def test_every_problem_is_reported_at_once(tmp_path):
    folder = copy_traps(tmp_path)
    set_cell(folder, "insatser.csv", 2, "typ", "fel")
    set_cell(folder, "deltagare.csv", 3, "kon", "fel")
    set_cell(folder, "budget.csv", 2, "budget_tkr", "-1")
    (folder / "mal.csv").unlink()
    raw, v = ingest.check(folder)
    places = {(p.file, p.row, p.column) for p in v.problems}
    assert {("insatser.csv", 2, "typ"), ("deltagare.csv", 3, "kon"),
            ("budget.csv", 2, "budget_tkr"), ("mal.csv", None, None)} <= places


def test_problem_text_is_plain_swedish_with_the_place(tmp_path):
    folder = copy_traps(tmp_path)
    set_cell(folder, "deltagare.csv", 3, "kon", "kvinnna")
    _, v = ingest.check(folder)
    text = str(v.problems[0])
    assert text.startswith("deltagare.csv, rad 3, kolumn kon: Ogiltigt värde; förväntat en av:")
    assert "'kvinnna'" in text


def test_failed_load_into_open_connection_changes_nothing(traps_con, tmp_path):
    before = traps_con.execute("SELECT count(*) FROM episoder_raw").fetchall()
    folder = copy_traps(tmp_path)
    set_cell(folder, "deltagare.csv", 3, "kon", "fel")
    with pytest.raises(ingest.ExtractRejected):
        ingest.ingest_into(traps_con, folder)
    assert traps_con.execute("SELECT count(*) FROM episoder_raw").fetchall() == before
    assert traps_con.execute("SELECT count(*) FROM loads").fetchall() == [(1,)]


def test_error_during_store_rolls_back(tmp_path, monkeypatch):
    """A failure half-way through writing leaves the database file as it was."""
    path = tmp_path / "x.duckdb"
    ingest.ingest_file(FIXTURES / "traps", path)
    before = db_fingerprint(path)
    def boom(con, raw, v, loaded_by=None):
        con.execute("INSERT INTO loads VALUES (99, 99, now(), NULL, 'x', 'x', 'x', 1, NULL, "
                    "NULL, '{}', '{}')")
        raise RuntimeError("disk full")

    monkeypatch.setattr("dashboard.ingest.store", boom)
    with pytest.raises(RuntimeError):
        ingest.ingest_file(FIXTURES / "traps", path)
    assert db_fingerprint(path) == before
    assert len(list(path.parent.glob(path.name + ".*.gen"))) == 1  # the failed version is gone
    con = db.reader(path)
    assert con.execute("SELECT count(*) FROM loads").fetchall() == [(1,)]


def test_many_duplicates_are_listed_up_to_the_cap_and_counted(tmp_path):
    """60 duplicated keys: the first 50 in the order of their first row, each with its rows,
    then how many more there are."""
    from dashboard.ingest.validate import MAX_PER_COLUMN

    folder = copy_traps(tmp_path)
    path = folder / "budget.csv"
    rows = rows_of(path)
    header = rows[0]
    start = len(rows) + 1  # Excel row of the first added row
    for k in range(60):  # each key twice, on consecutive rows
        for _ in range(2):
            rows.append([{"insats_id": "A", "period": f"{1990 + k // 4}-Q{k % 4 + 1}",
                          "budget_tkr": "1"}.get(c, "") for c in header])
    write_rows(path, rows, _sep(path))
    _, v = ingest.check(folder)
    dup = [p for p in v.problems if "Dubblett" in p.message or "dubbletter" in p.message]
    assert len(dup) == MAX_PER_COLUMN + 1
    assert dup[0].row == start and "period=1990-Q1" in dup[0].message
    assert f"raderna {start}, {start + 1};" in dup[0].message
    assert dup[49].row == start + 98 and "period=2002-Q2" in dup[49].message
    assert dup[-1].message == "... och 10 dubbletter till"
