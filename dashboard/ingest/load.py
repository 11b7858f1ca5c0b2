"""Store a validated extract: one transaction, every row tagged with its load, nothing deleted."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
import pandas as pd

from .. import db, periods
from .read import RawExtract
from .validate import Validated

# Column lists of each raw table after load_id, in table order, as SQL expressions over the
# validated DataFrame registered as ``src``. Table names are fixed here, never from input.
_COLUMNS: dict[str, list[str]] = {
    "insatser": ["insats_id", "namn", "kortnamn", "typ", "CAST(forrehab AS BOOLEAN)",
                 "CAST(kommuner AS VARCHAR[])", "insatsagare",
                 "CAST(coalesce(samverkansparter, []) AS VARCHAR[])",
                 "CAST(startdatum AS DATE)", "CAST(slutdatum AS DATE)", "beviljat_tkr"],
    "kvartalsrapport": ["insats_id", "period_label", "CAST(period AS INTEGER)",
                        "CAST(i_fas AS BOOLEAN)", "CAST(prognos AS BOOLEAN)",
                        "CAST(start_i_tid AS BOOLEAN)", "CAST(vakans_forbundsmedel AS BOOLEAN)",
                        "CAST(vakans_egenfinansierad AS BOOLEAN)",
                        "CAST(avvikelse_budget AS BOOLEAN)",
                        "CAST(styrgruppsmoten_enligt_avtal AS BOOLEAN)",
                        "CAST(ordinarie_ledamoter AS BOOLEAN)",
                        "CAST(uppfoljning_enligt_avtal AS BOOLEAN)",
                        "CAST(kontroll_malgrupp_metod AS BOOLEAN)", "CAST(jamstalldhet AS BOOLEAN)",
                        "CAST(avvikelse_mal AS BOOLEAN)", "kommentar"],
    "mal": ["insats_id", "period_label", "CAST(period AS INTEGER)", "CAST(mal_nr AS INTEGER)",
            "maltyp", "beskrivning", "CAST(malvarde AS DOUBLE)", "enhet",
            "CAST(utfall AS DOUBLE)", "bedomning", "kommentar"],
    "budget": ["insats_id", "period_label", "CAST(period AS INTEGER)", "budget_tkr",
               "utfall_tkr", "overfort_tkr", "aterfort_tkr"],
    "deltagare": ["deltagare_id", "insats_id", "kon", "CAST(fodelsear AS INTEGER)",
                  "CAST(startdatum AS DATE)", "CAST(slutdatum AS DATE)", "remittent",
                  "forsorjning_start", "forsorjningstid", "utbildning",
                  "CAST(handlingsplan AS BOOLEAN)"],
    "avslut": ["deltagare_id", "insats_id", "avslutsorsak", "CAST(omfattning AS INTEGER)"],
    "anonyma": ["insats_id", "period_label", "CAST(period AS INTEGER)",
                "CAST(anonyma AS INTEGER)", "CAST(volym AS INTEGER)"],
    "bip": ["deltagare_id", "insats_id", "CAST(matdatum AS DATE)", "indikator",
            "CAST(varde AS INTEGER)"],
}


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
        for stem, cols in _COLUMNS.items():
            df = v.tables.get(stem)
            if df is None:
                counts[stem] = 0
                continue
            src = df.reset_index(drop=True)
            if "period" in src.columns:
                src = src.assign(period_label=src["period"].map(lambda q: periods.label(int(q))))
            con.register("src", src)
            try:
                con.execute(
                    f"INSERT INTO {stem}_raw SELECT {load_id}, {', '.join(cols)} FROM src"
                )
            finally:
                con.unregister("src")
            counts[stem] = len(src)
        db.derive(con, load_id)
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
