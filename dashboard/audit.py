"""Audit log: who did what, one JSON object per line in ``audit_path`` (data/audit.log).

Logged: logins, failed logins, logouts, ingests (accepted, rejected and failed), the kansli
switching to unsuppressed numbers, downloads, PMs, every export of unsuppressed data and
every save of the kansli's own texts. The vocabulary (``EVENTS``, ``KEYS``) is written here
once; docs/loggning.md lists it for readers and a test keeps the two equal. Appends only, file
mode 0600; lines are short enough to be written whole even with several processes.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
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
    "skydd_beslutat": "skyddet av små tal beslutat för en databas som saknade det",
    "skydd_fel": "skyddet av små tal kunde inte beslutas (miljön: disk, behörighet, låst databas)",
    "nedladdning": "nedladdning av tabell eller diagram",
    "export_osupprimerad": "export utan skydd av små tal",
    "rapport": "PM skapad",
    "slutrapport": "slutrapport skapad",
    "text_sparad": "kansliets text sparad (en ny version)",
}

# Every key an event may carry (besides "tid" and "handelse").
KEYS = {
    "anvandare": "vem (användarnamn, eller datorns användare på kommandoraden)",
    "roll": "användarens roll",
    "ip": "klientens adress",
    "kalla": "varifrån: \"webb\" eller sökvägen på kommandoraden",
    "period": "uttagets kvartal",
    "laddning": "inläsningens nummer",
    "rader": "rader per tabell",
    "problem": "antal problem i ett avvisat uttag",
    "fel": "felet i klartext",
    "vy": "tabellen som exporterades",
    "fran": "periodens början",
    "till": "periodens slut",
    "kommun": "kommunfilter",
    "filter": "filtret som det står i adressen",
    "format": "filformat",
    "fil": "filnamn",
    "osupprimerad": "om små tal visades",
    "kvartal": "kvartalet som texten gäller",
    "avsnitt": "PM-avsnittet, \"insats\" för en text om en insats, eller slutrapportens avsnitt (slut_…)",
    "insats": "insatsens id",
    "version": "textens versionsnummer",
    "sekunder": "hur lång tid det tog",
}

_loggers: dict[str, logging.Logger] = {}


def _logger() -> logging.Logger:
    path = config.get().audit_path
    key = str(path)
    if key not in _loggers:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(path, 0o600)  # also a log an earlier version made readable to all
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
    unknown = set(fields) - set(KEYS)
    if unknown:
        raise ValueError(f"unknown audit keys {sorted(unknown)} for {event!r}")
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
