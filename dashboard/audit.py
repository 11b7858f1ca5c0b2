"""Audit log: who did what, one JSON object per line in ``audit_path`` (data/audit.log).

Logged: logins, failed logins, logouts, ingests (accepted and rejected), the kansli switching
to unsuppressed numbers, and every export of unsuppressed data. Appends only; lines are short
enough to be written whole even with several processes.
"""

from __future__ import annotations

import getpass
import json
import logging
from datetime import UTC, datetime

from . import config

# Every event the log knows (the same name from the web and the command line).
EVENTS = {
    "inloggning": "inloggning",
    "inloggning_misslyckad": "misslyckad inloggning",
    "utloggning": "utloggning",
    "sma_tal_visas": "kansliet visar små tal",
    "sma_tal_doljs": "kansliet döljer små tal",
    "inlasning": "uttag inläst",
    "inlasning_avvisad": "uttag avvisat (problem i innehållet)",
    "inlasning_fel": "inläsning misslyckad (miljön: disk, behörighet, låst databas)",
    "inlasning_aktiverad": "tidigare inläsning gjord aktuell",
    "nedladdning": "nedladdning av tabell eller diagram",
    "export_osupprimerad": "export utan skydd av små tal",
    "rapport": "PM skapad",
}

_loggers: dict[str, logging.Logger] = {}


def _logger() -> logging.Logger:
    path = config.get().audit_path
    key = str(path)
    if key not in _loggers:
        path.parent.mkdir(parents=True, exist_ok=True)
        logger = logging.getLogger(f"insatskollen.audit.{len(_loggers)}")
        logger.setLevel(logging.INFO)
        logger.propagate = False
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        _loggers[key] = logger
    return _loggers[key]


def log(event: str, **fields) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    record = {"tid": datetime.now(UTC).isoformat(timespec="seconds"), "handelse": event}
    record.update({k: v for k, v in fields.items() if v is not None})
    _logger().info(json.dumps(record, ensure_ascii=False, default=str))


def log_quietly(event: str, **fields) -> None:
    """Log on a path that is already failing (e.g. a full disk): never raise."""
    try:
        log(event, **fields)
    except OSError:
        pass


def os_user() -> str:
    """Who runs a command-line action."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "okänd"


def read() -> list[dict]:
    path = config.get().audit_path
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
