"""Server-side sessions and failed logins, in one SQLite file that every worker process on the
host shares (``config.sessions_file``, beside the users file; mode 0600).

The browser's cookie (signed by Flask) carries only a random session id and the form token.
Who is logged in, since when, when last seen, and the kansli's switch live here: logging out
deletes the row, so a copied cookie is worth nothing afterwards; a new password or a removed
user ends every session of that user (``auth``); a session ends after ``idle_minutes``
without a request and, however busy, after ``session_hours``.

Failed logins are counted here too, per account and per client address, so the limit holds
across workers: ``ACCOUNT_LIMIT`` failures for one account or ``ADDRESS_LIMIT`` from one
address within ``WINDOW_S`` block further attempts (successful logins are not counted).
For several hosts the same two tables belong in a shared store (docs/drift.md).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass

from . import config

ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 30
WINDOW_S = 15 * 60
SEEN_EVERY_S = 60  # the idle clock is written at most this often

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    sid TEXT PRIMARY KEY, user TEXT NOT NULL, created REAL NOT NULL, seen REAL NOT NULL,
    osuppressat INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user);
CREATE TABLE IF NOT EXISTS failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_key ON failures (key, at);
"""
_ready: set = set()
_ready_lock = threading.Lock()
_local = threading.local()  # each thread's connections, by store path


def _db() -> sqlite3.Connection:
    """This thread's connection to the store: opened once per thread, not per request (the
    store itself is made once per process). Autocommit; ``with`` it as before."""
    path = config.get().sessions_file
    cons = _local.__dict__.setdefault("cons", {})
    con = cons.get(str(path))
    if con is None:
        with _ready_lock:
            if str(path) not in _ready:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
                setup = sqlite3.connect(path, timeout=10)
                setup.execute("PRAGMA journal_mode=WAL")
                setup.executescript(_SCHEMA)
                setup.close()
                _ready.add(str(path))
        con = cons[str(path)] = sqlite3.connect(path, timeout=10, isolation_level=None)
    return con


@dataclass(frozen=True)
class Session:
    sid: str
    user: str
    created: float
    seen: float
    osuppressat: bool


def start(user: str) -> str:
    sid = secrets.token_urlsafe(32)
    now = time.time()
    with _db() as con:
        con.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, 0)", (sid, user, now, now))
    return sid


def get(sid: str | None) -> Session | None:
    """The live session of ``sid``; an expired one is ended and gives None."""
    if not sid:
        return None
    cfg = config.get()
    now = time.time()
    with _db() as con:
        row = con.execute("SELECT sid, user, created, seen, osuppressat FROM sessions "
                          "WHERE sid = ?", (sid,)).fetchone()
        if row is None:
            return None
        s = Session(row[0], row[1], row[2], row[3], bool(row[4]))
        if now - s.seen > cfg.idle_minutes * 60 or now - s.created > cfg.session_hours * 3600:
            con.execute("DELETE FROM sessions WHERE sid = ?", (sid,))
            return None
        if now - s.seen > SEEN_EVERY_S:
            con.execute("UPDATE sessions SET seen = ? WHERE sid = ?", (now, sid))
    return s


def set_unsuppressed(sid: str, value: bool) -> None:
    with _db() as con:
        con.execute("UPDATE sessions SET osuppressat = ? WHERE sid = ?", (int(value), sid))


def end(sid: str | None) -> None:
    if sid:
        with _db() as con:
            con.execute("DELETE FROM sessions WHERE sid = ?", (sid,))


def end_for(user: str) -> int:
    """End every session of ``user`` (a new password, a removed user); how many ended."""
    with _db() as con:
        return con.execute("DELETE FROM sessions WHERE user = ?", (user,)).rowcount


def failed(account: str, address: str | None) -> None:
    now = time.time()
    with _db() as con:
        con.executemany("INSERT INTO failures VALUES (?, ?)",
                        [(f"konto:{account.lower()}", now), (f"adress:{address}", now)])
        con.execute("DELETE FROM failures WHERE at < ?", (now - WINDOW_S,))


def blocked(account: str, address: str | None) -> bool:
    since = time.time() - WINDOW_S
    with _db() as con:
        def n(key):
            return con.execute("SELECT count(*) FROM failures WHERE key = ? AND at >= ?",
                               (key, since)).fetchone()[0]
        return (n(f"konto:{account.lower()}") >= ACCOUNT_LIMIT
                or n(f"adress:{address}") >= ADDRESS_LIMIT)
