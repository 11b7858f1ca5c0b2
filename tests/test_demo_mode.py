"""Demo mode (password-less demo users) runs only on the demo's own data: the demo database
is marked when it is made, a real load removes the mark, and the app refuses to start in
demo mode on anything else."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from dashboard import config, db, ingest

ROOT = Path(__file__).resolve().parents[1]
TRAPS = ROOT / "tests" / "fixtures" / "traps"


def marked(path: Path) -> bool:
    con = duckdb.connect(str(path.resolve()), read_only=True)
    try:
        return db.is_demo(con)
    finally:
        con.close()


def start(db_path: Path, tmp: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "INSATSKOLLEN_DB": str(db_path), "INSATSKOLLEN_DEMO": "1",
           "INSATSKOLLEN_USERS": str(tmp / "users.json"), "PORT": "0"}
    return subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_demo_data_is_marked_and_a_real_load_unmarks_it(demo_db, tmp_path):
    assert marked(demo_db[1])
    copy = tmp_path / "d.duckdb"
    copy.write_bytes(demo_db[1].resolve().read_bytes())
    ingest.ingest_file(TRAPS, copy)
    assert not marked(copy)


def test_demo_mode_refuses_a_real_database(tmp_path):
    real = tmp_path / "real.duckdb"
    ingest.ingest_file(TRAPS, real)
    res = start(real, tmp_path)
    assert res.returncode != 0
    assert "Demoläget (INSATSKOLLEN_DEMO=1) startar bara på demodata" in res.stderr
    assert "Traceback" not in res.stderr


def test_no_demo_login_on_real_data_even_if_the_environment_says_demo(tmp_path, monkeypatch):
    real = tmp_path / "real.duckdb"
    ingest.ingest_file(TRAPS, real)
    monkeypatch.setenv("INSATSKOLLEN_DB", str(real))
    monkeypatch.setenv("INSATSKOLLEN_DEMO", "1")
    monkeypatch.setenv("INSATSKOLLEN_USERS", str(tmp_path / "users.json"))
    config.get.cache_clear()
    try:
        import app

        c = app.server.test_client()
        page = c.get("/login").get_data(as_text=True)
        assert "demo-styrelse" not in page and 'name="demo"' not in page
        import re

        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        r = c.post("/login", data={"csrf": token, "demo": "demo-kansli"})
        assert r.status_code == 401
    finally:
        config.get.cache_clear()


def test_an_older_demo_database_is_marked_by_its_migration(demo_db, tmp_path):
    copy = tmp_path / "old.duckdb"
    copy.write_bytes(demo_db[1].resolve().read_bytes())
    con = duckdb.connect(str(copy))
    con.execute("DELETE FROM meta WHERE key = 'demo'")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.close()
    with db.writer(copy):
        pass
    assert marked(copy)
