"""Shared fixtures: databases built from the hand-made fixture extracts, and the demo database
built once per run; and how the tests are shared between processes.

``make test`` runs the suite on two processes (pytest-xdist's workers). A worker takes a
module at a time, so a module's fixtures are built on one worker only; the longest modules
first (``FIRST``). Run in one process, the tests run in the same order.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from dashboard import db, ingest

FIXTURES = Path(__file__).parent / "fixtures"

# Each module is a group a worker takes whole (its fixtures are made once, in one process),
# but for a test named in ALONE, a group of its own (a minute or more that shares nothing with
# its module's other tests). The longest groups start first, so that neither worker is left
# with a long one at the end (`make test --durations` lists them); the rest follow by their
# number of tests. The demo database and its stored decision are shared by every worker
# (``demo_db``), so no module needs another's process.
ALONE = {
    "tests/test_attacker.py::"
    "test_forsorjning_gives_away_neither_a_small_cell_nor_those_missing_a_source",
}
FIRST = (
    "tests/test_attacker.py", "tests/test_attacker_laddningar.py", *sorted(ALONE),
    "tests/browser/test_board_pages.py", "tests/test_demo.py",
    "tests/browser/test_anvandarguide.py", "tests/browser/test_oversikt.py",
    "tests/test_urls.py", "tests/test_participant_privacy.py",
    "tests/browser/test_dataladdning_forlopp.py", "tests/browser/test_delivery.py",
)
assert all((FIXTURES.parent.parent / m.split("::")[0]).exists() for m in FIRST), \
    "a module of FIRST moved"


def group(nodeid: str) -> str:
    """A test's group: its module, or the test itself when it is in ALONE."""
    return nodeid if nodeid in ALONE else nodeid.split("::", 1)[0]


def pytest_configure(config):
    """Tests never write the audit log or users of a real installation (subprocesses too)."""
    tmp = Path(tempfile.mkdtemp(prefix="insatskollen-test-"))
    os.environ["INSATSKOLLEN_AUDIT"] = str(tmp / "audit.log")
    os.environ.setdefault("INSATSKOLLEN_USERS", str(tmp / "users.json"))


def pytest_collection_modifyitems(config, items):
    """``browser`` on tests/browser. The groups one after another: ``FIRST``, then the rest
    by their number of tests, most first (a group's tests in their own order)."""
    members: dict[str, list] = {}
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)
        members.setdefault(group(item.nodeid), []).append(item)

    def rank(g: str) -> tuple[int, int]:
        return (FIRST.index(g), 0) if g in FIRST else (len(FIRST), -len(members[g]))

    items[:] = [item for g in sorted(members, key=rank) for item in members[g]]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Workers take whole groups, in the order collected (the longest first). (xdist's own
    ``--dist loadgroup`` reads groups from ``xdist_group`` marks, but no longer groups with
    pytest 9.2's node ids: pytest-dev/pytest-xdist#1386.)"""
    from xdist.scheduler import LoadScopeScheduling

    class Groups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group(nodeid)

    config.option.loadscopereorder = False  # (it would sort the groups by their size)
    return Groups(config, log)


@pytest.fixture
def traps_con():
    """In-memory database with tests/fixtures/traps (period 2020-Q4) loaded."""
    con = db.memory()
    ingest.ingest_into(con, FIXTURES / "traps")
    return con


@pytest.fixture(scope="session")
def traps_db(tmp_path_factory) -> Path:
    """A database file with tests/fixtures/traps loaded, made once per process, for tests
    to copy (``traps_copy``). The copies are one database to the views' cache (one data
    version): a test that loads into its copy reads no view afterwards."""
    path = tmp_path_factory.mktemp("traps-db") / "t.duckdb"
    ingest.ingest_file(FIXTURES / "traps", path)
    return path


@pytest.fixture
def traps_copy(traps_db, tmp_path) -> Path:
    """A copy of ``traps_db`` in a folder of this test's own (the link and its version)."""
    shutil.copytree(traps_db.parent, tmp_path / "db", symlinks=True)
    return tmp_path / "db" / traps_db.name


def _run_folder(tmp_path_factory) -> Path:
    """A folder of this run that every worker sees (xdist's workers have their base
    temporary folders side by side in it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> tuple[Path, Path]:
    """The demo's 16 extracts (folder) and a database with all of them loaded: built once
    per run, by the first worker that asks (the others wait on the lock), then only read.
    Open it read-only (``db.reader``, ``duckdb.connect(..., read_only=True)``); a test that
    changes a database copies it first."""
    from filelock import FileLock

    from dashboard import demo

    d = _run_folder(tmp_path_factory) / "demo"
    with FileLock(str(d) + ".lock"):
        if not (d / "klar").exists():
            assert demo.write_series(d / "uttag") == 16
            demo.load_series(d / "uttag", d / "demo.duckdb")
            (d / "klar").touch()
    return d / "uttag", d / "demo.duckdb"


@pytest.fixture(scope="session")
def demo_con(demo_db):
    """A read-only cursor on the demo database."""
    return db.reader(demo_db[1])
