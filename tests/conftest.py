"""Shared fixtures: databases built from the hand-made fixture extracts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from dashboard import db, ingest

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_configure(config):
    """Tests never write the audit log or users of a real installation (subprocesses too)."""
    tmp = Path(tempfile.mkdtemp(prefix="insatskollen-test-"))
    os.environ["INSATSKOLLEN_AUDIT"] = str(tmp / "audit.log")
    os.environ.setdefault("INSATSKOLLEN_USERS", str(tmp / "users.json"))


@pytest.fixture
def traps_con():
    """In-memory database with tests/fixtures/traps (period 2020-Q4) loaded."""
    con = db.memory()
    ingest.ingest_into(con, FIXTURES / "traps")
    return con


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> tuple[Path, Path]:
    """The demo's 16 extracts (folder) and a database with all of them loaded."""
    from dashboard import demo

    d = tmp_path_factory.mktemp("demo")
    demo.write_series(d / "uttag")
    demo.load_series(d / "uttag", d / "demo.duckdb")
    return d / "uttag", d / "demo.duckdb"
