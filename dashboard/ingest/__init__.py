"""Ingest of the quarterly extract: read -> validate -> load (one transaction).

``check(path)`` reads and validates without storing; ``ingest_into(con, path)`` stores a clean
extract into an open database; ``ingest_file(path, db_path)`` does it safely on the database
file (copy, load, atomic replace). A rejected extract raises ``ExtractRejected`` with every
problem and changes nothing. ``on_step`` (optional) is told each step as it begins: "lasa"
(reading the files), "kontrollera" (validating the rows), "spara" (storing), "skydd"
(deciding the protection of small numbers for the new data, stored in the same write), for a
progress display (the web's Dataladdning).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .. import beslut, config, db
from .load import store
from .problems import ExtractRejected, Problem, capped, fel_text
from .read import RawExtract, read
from .validate import Validated, validate

__all__ = ["ExtractRejected", "Problem", "LoadResult", "check", "ingest_into", "ingest_file",
           "fel_text"]


@dataclass
class LoadResult:
    load_id: int
    period: str
    row_counts: dict[str, int]


Steg = Callable[[str], None] | None


def check(path: str | Path, on_step: Steg = None) -> tuple[RawExtract, Validated]:
    limits = config.get().limits
    if on_step:
        on_step("lasa")
    raw = read(path, limits)
    if on_step:
        on_step("kontrollera")
    v = validate(raw)
    v.problems = capped(v.problems, limits.problem)
    return raw, v


def _clean(path: str | Path, on_step: Steg = None) -> tuple[RawExtract, Validated]:
    """Read and validate; raise ExtractRejected with every problem if there is any."""
    raw, v = check(path, on_step)
    if v.problems:
        raise ExtractRejected(v.problems)
    return raw, v


def _result(load_id: int, v: Validated) -> LoadResult:
    return LoadResult(load_id, v.uttag["period"], {k: len(t) for k, t in v.tables.items()})


def ingest_into(con: duckdb.DuckDBPyConnection, path: str | Path,
                loaded_by: str | None = None, skydd: bool = True) -> LoadResult:
    """Store a clean extract into ``con`` and (``skydd``) decide the protection of the data it
    makes; a caller that stores several extracts in one write decides once, after the last."""
    raw, v = _clean(path)
    result = _result(store(con, raw, v, loaded_by), v)
    if skydd:
        beslut.besluta_och_spara(con)
    return result


def ingest_file(path: str | Path, db_path: str | Path, loaded_by: str | None = None,
                on_step: Steg = None, skydd: bool = True) -> LoadResult:
    """``skydd``: decide the protection in the same write (always, but for the benchmark's
    timing of the ingest alone, which decides it right after)."""
    raw, v = _clean(path, on_step)  # validate before touching the database at all
    if on_step:
        on_step("spara")
    with db.writer(Path(db_path)) as con:
        load_id = store(con, raw, v, loaded_by)
        if skydd:
            beslut.besluta_och_spara(con, on_step)
    return _result(load_id, v)
