"""Store a validated extract: one transaction, every row tagged with its load, nothing deleted."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
import pandas as pd
import pyarrow as pa

from .. import db, schema, sql
from .read import RawExtract
from .validate import Validated


def store(con: duckdb.DuckDBPyConnection, raw: RawExtract, v: Validated,
          loaded_by: str | None = None) -> int:
    """Write a clean extract in one transaction; return its load_id."""
    u = v.uttag
    # stored rows have no order (every query orders its own): DuckDB then writes a big file
    # on both cores, in half the time
    con.execute("SET preserve_insertion_order = false")
    con.execute("BEGIN TRANSACTION")
    try:
        [(load_id, seq)] = sql.rows(con, "nasta_laddning")
        counts = {s: len(v.tables[s]) if s in v.tables else 0 for s in schema.STORED_FILES}
        # deltagare last: what a load derives per episode needs the load's avslut
        for stem in sorted(schema.STORED_FILES, key=lambda s: s == "deltagare"):
            df = v.tables.get(stem)
            if df is None:
                continue
            # as Arrow: DuckDB scans it in place, twice as fast as a DataFrame of it
            con.register("src", pa.Table.from_pandas(df, preserve_index=False))
            try:
                if stem == "deltagare":
                    db.insert_deltagare(con, load_id)
                else:
                    con.execute(schema.insert_sql(stem), {"load_id": load_id})
            finally:
                con.unregister("src")
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
    finally:
        con.execute("RESET preserve_insertion_order")  # the caller's connection as it was
    return load_id
