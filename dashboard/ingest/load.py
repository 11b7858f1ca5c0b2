"""Store a validated extract: one transaction, every row tagged with its load, nothing deleted."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
import pandas as pd

from .. import db, schema
from .read import RawExtract
from .validate import Validated


def store(con: duckdb.DuckDBPyConnection, raw: RawExtract, v: Validated,
          loaded_by: str | None = None) -> int:
    """Write a clean extract in one transaction; return its load_id."""
    u = v.uttag
    con.execute("BEGIN TRANSACTION")
    try:
        [(load_id, seq)] = con.execute(
            "SELECT coalesce(max(load_id), 0) + 1, coalesce(max(active_seq), 0) + 1 FROM loads"
        ).fetchall()
        counts = {}
        for stem in schema.STORED_FILES:
            df = v.tables.get(stem)
            if df is None:
                counts[stem] = 0
                continue
            src = df.reset_index(drop=True)
            con.register("src", src)
            try:
                con.execute(schema.insert_sql(stem), {"load_id": load_id})
            finally:
                con.unregister("src")
            counts[stem] = len(src)
        db.derive(con, load_id)
        con.execute("DELETE FROM meta WHERE key = 'demo'")  # real data: no longer a demo
        con.execute(
            "INSERT INTO loads VALUES ($id, $seq, $at, $by, $source, $forbund, $period, $q, "
            "$uttagsdatum, $kalla, $checksums, $counts)",
            {
                "id": load_id, "seq": seq, "at": datetime.now(), "by": loaded_by,
                "source": raw.source, "forbund": u["forbund"], "period": u["period"],
                "q": u["q"], "uttagsdatum": pd.Timestamp(u["uttagsdatum"]).date(),
                "kalla": u.get("kalla"), "checksums": json.dumps(raw.checksums()),
                "counts": json.dumps(counts),
            },
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return load_id
