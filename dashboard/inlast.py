"""What is loaded: the data version, the quarters, the newest extract and the BIP indicators of
the database's current data. Below the views and the publication, which both ask it; each
answer is kept per data version (a load or an activation makes a new one).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

import duckdb
import pandas as pd
from cachetools import LRUCache

from . import db, periods, sql
from .urval import Filter


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


@dataclass(frozen=True)
class Laget:
    """What is loaded, resolved once per request (``laget``) and handed down: the quarters a
    filter may choose, the newest extract. A page and its components read it, never the
    database again."""

    perioder: tuple[str, ...]
    uttag: dict  # forbund, period, uttagsdatum (a date or None), loaded_at

    @property
    def senaste(self) -> str:
        return self.perioder[-1]

    def resolve(self, f: Filter) -> tuple[periods.Range, Filter]:
        return resolve(self.perioder, f)


def laget(con) -> Laget:
    """What is loaded in ``con``'s current data (``NoData`` when nothing is)."""
    return Laget(tuple(perioder(con)), senaste_uttag(con))


def resolve(loaded, f: Filter) -> tuple[periods.Range, Filter]:
    """The filter's range of quarters among the ``loaded`` ones, the one place every page,
    callback, download, the PM and the CLI get it from: missing ends default to the latest
    loaded quarter (a lone ``till`` also starts there), and both ends are clamped to the loaded
    quarters, so no URL can ask for a range the data does not have (``1000-Q1..9999-Q4`` is
    the whole data, ``2099-Q1`` the latest quarter). A text that is not a quarter, or a range
    that ends before it starts, is a ValueError (the URL's parser has already put such a range
    in order)."""
    first, last = periods.parse(loaded[0]), periods.parse(loaded[-1])
    a = periods.parse(f.fran) if f.fran else None
    b = periods.parse(f.till) if f.till else None
    if (f.fran and a is None) or (f.till and b is None):
        raise ValueError(f"Ogiltig period: {f.fran!r}..{f.till!r}; förväntat ÅÅÅÅ-Qn")
    if a is not None and b is not None and a > b:
        raise ValueError(f"Perioden börjar ({f.fran}) efter att den slutar ({f.till})")
    a, b = (None if q is None else min(max(q, first), last) for q in (a, b))
    b = last if b is None else b
    a = b if a is None else a
    return periods.Range(a, b), replace(f, fran=periods.label(a), till=periods.label(b))
