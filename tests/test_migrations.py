"""A database made by an earlier version is upgraded by the ordered steps of db.MIGRATIONS, and
every load and figure in it is intact afterwards; the schema of a new database is the one
written in dashboard/schema.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import codes, db, ingest, publicering, schema, views
from dashboard.urval import Filter, Scope

TRAPS = Path(__file__).parent / "fixtures" / "traps"


KANSLI = Scope.kansli()


def snapshot(path: Path, scope: Scope = KANSLI) -> dict:
    """Every stored row of every file ("rader <file>"), and the kansli's (or ``scope``'s) view
    of every page's figures."""
    con = duckdb.connect(str(path.resolve()), read_only=True)
    out = {}
    for stem in schema.STORED_FILES:
        cols = [n for n, _ in schema.table_columns(stem) if n != "berakning"]
        out["rader " + stem] = con.execute(f"SELECT load_id, {', '.join(cols)} "
                                f"FROM {schema.raw_table(stem)} ORDER BY ALL").fetchall()
    out["loads"] = con.execute("SELECT * FROM loads ORDER BY load_id").fetchall()
    views.clear_cache()
    for name, fn in views.VIEWS.items():
        df = fn(con, scope, Filter("2020-Q1", "2020-Q4")).astype(object)
        out[name] = df.where(df.notna(), None).to_dict("records")  # NaN != NaN: compare None
    con.close()
    return out


def make_version(path: Path, version: int, *undo: str) -> None:
    """The database as ``version`` left it: the statements ``undo`` what came after it."""
    con = duckdb.connect(str(path.resolve()))
    for stmt in undo:
        con.execute(stmt)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
    con.close()


def make_version_3(path: Path) -> None:
    """The database as version 3 left it: mal_raw without berakning."""
    make_version(path, 3, "ALTER TABLE mal_raw DROP COLUMN berakning")


def columns(path: Path, table: str) -> list[str]:
    con = duckdb.connect(str(path.resolve()), read_only=True)
    out = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    con.close()
    return out


def test_a_version_3_database_is_upgraded_with_every_figure_intact(tmp_path):
    path = tmp_path / "d.duckdb"
    ingest.ingest_file(TRAPS, path, loaded_by="kansliet")
    make_version_3(path)
    assert "berakning" not in columns(path, "mal_raw")
    before = snapshot(path)
    assert before["rader deltagare"] and before["rader budget"] and before["rader mal"]

    with db.writer(path):  # any write (the app does one at start) runs the migrations
        pass

    con = duckdb.connect(str(path.resolve()), read_only=True)
    assert db.schema_version(con) == db.SCHEMA_VERSION == 12
    assert con.execute("SELECT count(*), count(berakning) FROM mal_raw").fetchone() == (
        len(before["rader mal"]), 0)
    assert con.execute("SELECT count(*) FROM texter").fetchone() == (0,)  # v7: room for texts
    assert con.execute("SELECT count(*) FROM bip_indikatorer").fetchone() == (11,)  # v8
    con.close()
    assert snapshot(path) == before

    # and the upgraded database takes a new load that uses the new column
    folder = tmp_path / "uttag"
    folder.mkdir()
    for f in TRAPS.glob("*.csv"):
        (folder / f.name).write_bytes(f.read_bytes())
    mal = pd.read_csv(folder / "mal.csv", sep=None, engine="python", dtype=str,
                      keep_default_na=False)
    mal["berakning"] = ["andel_arbete_studier"] + [""] * (len(mal) - 1)
    mal.to_csv(folder / "mal.csv", sep=";", index=False)
    ingest.ingest_file(folder, path)
    con = duckdb.connect(str(path.resolve()), read_only=True)
    assert con.execute("SELECT berakning FROM mal WHERE berakning IS NOT NULL").fetchall() == [
        ("andel_arbete_studier",)]
    con.close()


def test_a_version_7_database_gets_room_for_a_loads_own_bip_indicators(tmp_path):
    path = tmp_path / "d.duckdb"
    ingest.ingest_file(TRAPS, path)
    make_version(path, 7, "DROP VIEW bip_indikatorer", "DROP TABLE bip_indikatorer_raw")

    with db.writer(path):
        pass

    con = duckdb.connect(str(path.resolve()), read_only=True)
    assert db.schema_version(con) == db.SCHEMA_VERSION
    assert con.execute("SELECT count(*) FROM bip_indikatorer_raw").fetchone() == (0,)
    # the loads from before have the default eleven, in their order
    assert views.bip_indikatorer(con) == [(c, n) for c, n in codes.BIP_INDIKATOR]
    con.close()


def test_a_version_8_database_gets_the_quarter_label_macro(tmp_path):
    path = tmp_path / "d.duckdb"
    ingest.ingest_file(TRAPS, path)
    before = snapshot(path)
    make_version(path, 8, "DROP MACRO kvartal_etikett")

    with db.writer(path):
        pass

    con = duckdb.connect(str(path.resolve()), read_only=True)
    assert db.schema_version(con) == db.SCHEMA_VERSION
    assert con.execute("SELECT kvartal_etikett(2020 * 4 + 3)").fetchone() == ("2020-Q4",)
    con.close()
    assert snapshot(path) == before  # the quarterly views use it: every figure as before


def test_a_version_9_database_keeps_its_deltagare_once(tmp_path):
    path = tmp_path / "d.duckdb"
    ingest.ingest_file(TRAPS, path)
    ingest.ingest_file(TRAPS, path)  # two loads: each one's rows stay its own
    before = snapshot(path)
    # version 9 stored deltagare's rows twice: in deltagare_raw and in episoder_raw
    cols = ", ".join(["load_id"] + [n for n, _ in schema.stored_columns("deltagare")])
    make_version(path, 9, f"CREATE TABLE deltagare_raw AS SELECT {cols} FROM episoder_raw")
    assert len(before["rader deltagare"]) == 2 * 10

    with db.writer(path):
        pass

    con = duckdb.connect(str(path.resolve()), read_only=True)
    assert db.schema_version(con) == db.SCHEMA_VERSION
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "deltagare_raw" not in tables and "episoder_raw" in tables
    assert con.execute("SELECT count(*) FROM deltagare").fetchone() == (10,)
    con.close()
    assert snapshot(path) == before  # every stored row and every page's figures


def test_a_version_10_database_gets_its_protection_decided_off_the_request(tmp_path):
    """Before version 11 the protection was decided by every process on its first request; now
    it is stored with the data. An older database has none: the pages say the figures are
    being prepared (never a wait), and ``python -m dashboard skydd`` (which the web starts in
    the background) decides and stores it: the board then sees what a fresh load gives."""
    path = tmp_path / "d.duckdb"
    ingest.ingest_file(TRAPS, path)
    board = snapshot(path, Scope.styrelse())
    make_version(path, 10, *(f"DROP TABLE {t}" for t in
                             ("skydd", "skydd_atom", "skydd_enhet", "skydd_status",
                              "skydd_harledd")))

    with db.writer(path):  # the app's start
        pass

    con = duckdb.connect(str(path.resolve()), read_only=True)
    assert db.schema_version(con) == db.SCHEMA_VERSION
    assert not publicering.ready(con)
    views.clear_cache()
    with pytest.raises(publicering.Forbereds, match="förbereds"):
        views.deltagare(con, Scope.styrelse(), Filter("2020-Q1", "2020-Q4"))
    assert len(views.deltagare(con, Scope.kansli(), Filter("2020-Q1", "2020-Q4")))  # unhindered
    con.close()

    out = subprocess.run([sys.executable, "-m", "dashboard", "skydd", "--db", str(path)],
                         cwd=Path(__file__).parents[1], capture_output=True, text=True)
    assert out.returncode == 0 and "beslutades" in out.stdout
    assert snapshot(path, Scope.styrelse()) == board
    again = subprocess.run([sys.executable, "-m", "dashboard", "skydd", "--db", str(path)],
                           cwd=Path(__file__).parents[1], capture_output=True, text=True)
    assert again.returncode == 0 and "redan beslutat" in again.stdout


def test_a_version_11_database_gets_the_source_of_support_at_avslut(tmp_path):
    """Version 12 stores deltagare.csv's optional forsorjning_slut. An older database's
    episodes get the column (empty: no earlier extract had it, as for an extract without it),
    at the table's end, every figure as before; and its next load, with the column, stores it
    by name (the tests/fixtures/fors extract: the traps with forsorjning_slut, where p1 A,
    p7 B and p9 B had lön at avslut)."""
    path = tmp_path / "d.duckdb"
    ingest.ingest_file(TRAPS, path)
    before = snapshot(path)
    make_version(path, 11, "ALTER TABLE episoder_raw DROP COLUMN forsorjning_slut")
    assert "forsorjning_slut" not in columns(path, "episoder_raw")

    with db.writer(path):
        pass

    con = duckdb.connect(str(path.resolve()), read_only=True)
    assert db.schema_version(con) == db.SCHEMA_VERSION
    assert con.execute("SELECT count(*), count(forsorjning_slut) FROM episoder_raw"
                       ).fetchone() == (10, 0)
    con.close()
    assert columns(path, "episoder_raw")[-1] == "forsorjning_slut"  # added at the end
    assert snapshot(path) == before

    folder = tmp_path / "uttag"
    shutil.copytree(TRAPS, folder)
    shutil.copy(Path(__file__).parent / "fixtures" / "fors" / "deltagare.csv", folder)
    ingest.ingest_file(folder, path)
    con = duckdb.connect(str(path.resolve()), read_only=True)
    assert con.execute("SELECT deltagare_id, insats_id FROM deltagare WHERE forsorjning_slut "
                       "= 'lon' ORDER BY ALL").fetchall() == [("p1", "A"), ("p7", "B"),
                                                              ("p9", "B")]
    # and the figures of the other columns are where they were (an insert by position would
    # have put forsorjning_slut's values in forsorjningstid's place)
    assert con.execute("SELECT forsorjningstid FROM deltagare WHERE deltagare_id = 'p1'"
                       ).fetchone() == ("upp_till_2_ar",)
    con.close()


def test_migrations_are_ordered_and_a_new_database_is_at_the_latest_version(tmp_path):
    versions = [v for v, _, _ in db.MIGRATIONS]
    assert versions == sorted(set(versions))
    path = tmp_path / "new.duckdb"
    ingest.ingest_file(TRAPS, path)
    con = duckdb.connect(str(path.resolve()), read_only=True)
    assert db.schema_version(con) == db.SCHEMA_VERSION
    con.close()
    # the tables have exactly the columns the schema writes, in its order
    for stem in schema.STORED_FILES:
        assert columns(path, schema.raw_table(stem)) == ["load_id"] + [
            n for n, _ in schema.table_columns(stem)]
    assert columns(path, "episoder_raw") == ["load_id"] + [
        n for n, _ in schema.stored_columns("deltagare") + schema.EPISOD_DERIVED]


def test_age_bands_in_sql_agree_with_the_code_list():
    con = duckdb.connect()
    sql = schema.age_band_sql("a")
    got = dict(con.execute(f"SELECT a, {sql} FROM range(0, 100) t(a)").fetchall())
    for age in range(100):
        want = ("under_15" if age < 15 else "65_plus" if age >= 65
                else f"{age // 5 * 5}_{age // 5 * 5 + 4}")
        assert got[age] == want, age
