"""Each web process reads what a load stored before a board member asks: at start and as soon
as a load moves the database to a new version (app.warm_up), the stored protection is read
and the board's first pages are laid out, so no request pays for it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from dashboard import config, db, ingest, inlast, publicering

FIXTURES = Path(__file__).parent / "fixtures"


def _wait_until(cond, limit_s: float = 90.0) -> bool:
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


def _read_for(path: Path):
    """Whether this process holds the publication of ``path``'s current version."""
    key = (inlast.data_version(db.reader(path)), config.get().suppression_threshold)
    return lambda: key in publicering._cache


def test_the_publication_is_read_at_start_and_after_a_load(traps_copy, monkeypatch):
    monkeypatch.setenv("INSATSKOLLEN_DB", str(traps_copy))
    monkeypatch.delenv("INSATSKOLLEN_DEMO", raising=False)
    config.get.cache_clear()
    import app

    publicering.clear_cache()
    stop = threading.Event()
    thread = app.warm_up(poll_s=0.05, stop=stop)
    try:
        assert _wait_until(_read_for(traps_copy))  # at start, no request made
        before = traps_copy.resolve()
        ingest.ingest_file(FIXTURES / "traps", traps_copy)  # a load: a new version
        assert traps_copy.resolve() != before
        assert _wait_until(_read_for(traps_copy))  # read again, no request made
    finally:
        stop.set()
        thread.join(10)
        config.get.cache_clear()
    assert not thread.is_alive()
