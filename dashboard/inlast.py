"""What is loaded: the data version, the quarters, the newest extract and the BIP indicators of
the database's current data. Below the views and the publication, which both ask it; each
answer is kept per data version (a load or an activation makes a new one).
"""

from __future__ import annotations

import threading

import duckdb
import pandas as pd
from cachetools import LRUCache

from . import db, periods, sql


class NoData(LookupError):
    """The database holds no loaded extract."""


_lock = threading.Lock()
_file_versions: LRUCache = LRUCache(maxsize=16)  # a read-only version file's data version
_perioder: LRUCache = LRUCache(maxsize=8)


def clear_cache() -> None:
    with _lock:
        _perioder.clear()


def data_version(con) -> tuple | None:
    """(database instance, newest active_seq, number of loads, the stored protection's hash);
    None when unknown. A reader's
    cursor (``db.reader``) reads one version file that never changes: asked once per file,
    not on every view of every request."""
    file = db.version_file(con)
    if file is not None:
        with _lock:
            hit = _file_versions.get(file)
        if hit is None:
            hit = _query_version(con)
            if hit is not None:
                with _lock:
                    _file_versions[file] = hit
        return hit
    return _query_version(con)


def _query_version(con) -> tuple | None:
    try:
        row = sql.rows(con, "dataversion")[0]
    except duckdb.Error:
        return None
    return None if row[0] is None else tuple(row)


def perioder(con) -> list[str]:
    """Every quarter from the first one with quarterly data to the latest loaded one (asked on
    every view call: kept per data version)."""
    version = data_version(con)
    if version is not None:
        with _lock:
            hit = _perioder.get(version)
        if hit is not None:
            return list(hit)
    out = _perioder_of(con)
    if version is not None:
        with _lock:
            _perioder[version] = tuple(out)
    return out


def _perioder_of(con) -> list[str]:
    df = sql.run(con, "perioder")
    if not len(df):
        raise NoData("Inget uttag är inläst ännu")
    last = periods.parse(df["period"].iat[0])
    first = df["forsta_q"].iat[0]
    first = last if pd.isna(first) else int(first)
    return [periods.label(q) for q in range(min(first, last), last + 1)]


def latest_period(con: duckdb.DuckDBPyConnection) -> str:
    """The latest loaded quarter ('ÅÅÅÅ-Qn'): the last of ``perioder``, kept per data version."""
    return perioder(con)[-1]


def senaste_uttag(con: duckdb.DuckDBPyConnection) -> dict:
    """The newest loaded extract: forbund, period, uttagsdatum (a date or None), loaded_at."""
    df = sql.run(con, "senaste_uttag")
    if not len(df):
        raise NoData("Inget uttag är inläst ännu")
    rec = df.iloc[0].to_dict()
    d = rec["uttagsdatum"]
    rec["uttagsdatum"] = None if d is None or d != d else pd.Timestamp(d).date()
    return rec


def bip_indikatorer(con) -> list[tuple[str, str]]:
    """The BIP indicators of the current data, (code, label) in display order: the snapshot
    load's own list (its extract's ``bip_indikatorer.csv``), else the default eleven."""
    df = sql.run(con, "bip_indikatorer")
    return list(zip(df["indikator"], df["namn"]))
