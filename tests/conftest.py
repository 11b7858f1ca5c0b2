"""Shared fixtures: databases built from the hand-made fixture extracts."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import db, ingest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def traps_con():
    """In-memory database with tests/fixtures/traps (period 2020-Q4) loaded."""
    con = db.memory()
    ingest.ingest_into(con, FIXTURES / "traps")
    return con
