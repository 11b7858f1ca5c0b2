"""Starting the app on a database written by an older version updates its views and macros
(the pages need urval() with a status and lampa()) without touching the data."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard import config, db, ingest

ROOT = Path(__file__).resolve().parents[1]


def test_an_older_database_is_upgraded_at_start(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    ingest.ingest_file(ROOT / "tests" / "fixtures" / "traps", path)
    with db.writer(path) as con:  # pretend an older version wrote it
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        con.execute("DROP MACRO lampa")
    con = duckdb.connect(str(path.resolve()), read_only=True)
    assert not db.is_current(con)
    con.close()
    monkeypatch.setenv("INSATSKOLLEN_DB", str(path))
    config.get.cache_clear()
    import app

    app.ensure_data()
    con = duckdb.connect(str(path.resolve()), read_only=True)
    assert db.is_current(con)
    assert con.execute("SELECT lampa(true, true), count(*) FROM loads").fetchall() == [("gron", 1)]
    con.close()
    config.get.cache_clear()
