"""Database handling: schema, connections, and the write path that readers never see half-done.

Storage model
-------------
Every load writes its rows, tagged with ``load_id``, into ``*_raw`` tables; nothing is ever
deleted. deltagare's rows are stored once, in ``episoder_raw``, each with what the load
derives per episode (age, months, till arbete/studier). Views give the current state:

- register and participant snapshots (``insatser``, ``deltagare``, ``avslut``, ``bip``) come
  from the *snapshot load*: the load of the latest quarter, the newest one if it was loaded
  more than once; so do the BIP indicators (``bip_indikatorer``: the snapshot load's own
  list from ``bip_indikatorer.csv``, else the default one of ``codes.BIP_INDIKATOR``);
- quarterly tables (``kvartalsrapport``, ``mal``, ``budget``, ``anonyma``) take, for each
  insats and quarter, the rows of the newest load that holds that insats and quarter.

"Newest" is ``loads.active_seq`` (the load order; making an older load current again gives it
a new sequence number).

Writes
------
Readers (web workers) open the database read-only. The database path is a symlink to the
current version; a write copies it to a new version, writes there in one transaction and
atomically repoints the symlink, under an exclusive lock file. A failed or rejected write
leaves everything untouched. Readers open each version under its own name (so DuckDB's
per-path instance cache can never hand them a replaced file).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
import uuid
import weakref
from pathlib import Path

import duckdb
import pyarrow as pa

from . import codes, schema

# Ordered steps that bring a database made by an earlier version to today's shape: (the version
# it reaches, what changed, its statements with their named parameters). A new database is
# created in today's shape (``schema.ddl``) and marked with the latest version; every step is
# idempotent, so running one on a table that already has its shape changes nothing.
MIGRATIONS: list[tuple[int, str, tuple[tuple[str, dict | None], ...]]] = [
    (4, "mal.berakning: a goal whose utfall is computed from the data",
     (("ALTER TABLE mal_raw ADD COLUMN IF NOT EXISTS berakning VARCHAR", None),)),
    (5, "the demo mark: a database whose every load is the demo's synthetic förbund",
     (("""INSERT OR IGNORE INTO meta SELECT 'demo', 'ja'
          WHERE (SELECT count(*) FROM loads) > 0 AND NOT EXISTS (
              SELECT 1 FROM loads WHERE loaded_by IS DISTINCT FROM 'demo'
                  OR forbund <> $demo_forbund)""", {"demo_forbund": codes.DEMO_FORBUND}),)),
    (6, "the BIP macros bip_episod and bip_par (created with the views; no table changes)", ()),
    (7, "texter: the kansli's own texts, every version kept (created with the tables)", ()),
    (8, "bip_indikatorer_raw: a load's own BIP indicators (created with the tables) and the "
        "view bip_indikatorer", ()),
    (9, "the macro kvartal_etikett (created with the views; no table changes)", ()),
    (10, "deltagare stored once: every load's deltagare rows are in episoder_raw already, "
         "with their derived columns; the copy in deltagare_raw goes",
     (("DROP TABLE IF EXISTS deltagare_raw", None),)),
    (11, "skydd, skydd_atom, skydd_enhet, skydd_status, skydd_harledd: the protection of small numbers, "
         "decided in the write and stored with the data (created with the tables; a database "
         "without it is decided off the request: beslut.besluta_i_bakgrunden)", ()),
    (12, "episoder_raw.forsorjning_slut: the source of support at avslut (deltagare.csv's "
         "optional column; NULL for every load before it, as for an extract without it)",
     (("ALTER TABLE episoder_raw ADD COLUMN IF NOT EXISTS forsorjning_slut VARCHAR", None),)),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS kod (
    domain VARCHAR, code VARCHAR, label VARCHAR, grupp VARCHAR, sort INTEGER,
    PRIMARY KEY (domain, code));
CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY,
    active_seq INTEGER NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by VARCHAR,
    source VARCHAR NOT NULL,
    forbund VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    q INTEGER NOT NULL,
    uttagsdatum DATE,
    kalla VARCHAR,
    checksums VARCHAR NOT NULL,   -- JSON {file: sha256}
    row_counts VARCHAR NOT NULL   -- JSON {table: rows}
);
-- The kansli's own words (dashboard/texter.py): one row per version, never changed or
-- deleted; the newest version of (kvartal, avsnitt, insats_id) is the text ('' = removed).
CREATE TABLE IF NOT EXISTS texter (
    kvartal VARCHAR NOT NULL,     -- the quarter it is about ('2022-Q4')
    avsnitt VARCHAR NOT NULL,     -- texter.AVSNITT, or 'insats'
    insats_id VARCHAR NOT NULL,   -- '' for a PM section's text
    version INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    skriven_av VARCHAR NOT NULL,
    skriven TIMESTAMP NOT NULL,
    PRIMARY KEY (kvartal, avsnitt, insats_id, version)
);
-- The protection of small numbers for the current data (dashboard/beslut.py decides it in
-- the write that changes the data; dashboard/publicering.py reads it): how it was decided
-- ('beslut': JSON with the data and threshold it is of), the atoms' counts, each published
-- spec's atoms per insats, and each decided cell's status.
CREATE TABLE IF NOT EXISTS skydd (nyckel VARCHAR PRIMARY KEY, varde VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS skydd_atom (
    atom INTEGER PRIMARY KEY, nyckel VARCHAR NOT NULL, antal INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS skydd_enhet (
    familj VARCHAR NOT NULL, forsta INTEGER NOT NULL, sista INTEGER NOT NULL,
    namn VARCHAR NOT NULL,        -- the spec after its family and range, joined by '|'
    insats_id VARCHAR NOT NULL, atomer INTEGER[] NOT NULL, implicit BOOLEAN NOT NULL);
CREATE TABLE IF NOT EXISTS skydd_status (
    familj VARCHAR NOT NULL, atomer INTEGER[] NOT NULL,
    status VARCHAR NOT NULL);     -- privacy.PRIMARY | SECONDARY | VISIBLE | UNPUBLISHED
-- cells not shown whose value what is shown gives away (privacy.derived)
CREATE TABLE IF NOT EXISTS skydd_harledd (familj VARCHAR NOT NULL, atomer INTEGER[] NOT NULL);
"""

SNAPSHOT_TABLES = ("insatser", "deltagare", "avslut", "bip", "episoder")
QUARTERLY_TABLES = ("kvartalsrapport", "mal", "budget", "anonyma")

_VIEWS = (
    """CREATE OR REPLACE VIEW snapshot_load AS
       SELECT load_id FROM loads ORDER BY q DESC, active_seq DESC LIMIT 1""",
    *(
        f"""CREATE OR REPLACE VIEW {t} AS
            SELECT {', '.join(n for n, _ in schema.stored_columns(t))} FROM {schema.raw_table(t)}
            WHERE load_id = (SELECT load_id FROM snapshot_load)"""
        for t in SNAPSHOT_TABLES if t != "episoder"
    ),
    """CREATE OR REPLACE VIEW episoder AS
       SELECT * EXCLUDE (load_id) FROM episoder_raw
       WHERE load_id = (SELECT load_id FROM snapshot_load)""",
    *(
        f"""CREATE OR REPLACE VIEW {t} AS
            SELECT r.* EXCLUDE (load_id, active_seq, newest) FROM (
                SELECT r.*, l.active_seq,
                       max(l.active_seq) OVER (PARTITION BY r.insats_id, r.q) AS newest
                FROM {t}_raw r JOIN loads l USING (load_id)) r
            WHERE r.active_seq = r.newest"""
        for t in QUARTERLY_TABLES
    ),
    # The BIP indicators of the current data (data-contract.md, bip.csv): the snapshot load's
    # own list, else the default one (a load without bip_indikatorer.csv, or none yet).
    """CREATE OR REPLACE VIEW bip_indikatorer AS
       SELECT indikator, namn, ordning FROM bip_indikatorer_raw
       WHERE load_id = (SELECT load_id FROM snapshot_load)
       UNION ALL
       SELECT code, label, sort + 1 FROM kod
       WHERE domain = 'bip_indikator' AND NOT EXISTS (
           SELECT 1 FROM bip_indikatorer_raw WHERE load_id = (SELECT load_id FROM snapshot_load))""",
    # The insatser a filter selects. A kommun filter matches an insats that covers any of the
    # chosen kommuner, and every länsövergripande insats (it covers them all).
    # Status is relative to the range p_from..p_to: 'startad' (startdatum inside it),
    # 'avslutad' (slutdatum inside it), 'pagaende' (running at its last day); a list of
    # statuses selects an insats having any of them.
    f"""CREATE OR REPLACE MACRO urval(p_kommuner, p_typer, p_insatser, p_status, p_from, p_to)
        AS TABLE
        SELECT i.*, t.sort AS typ_sort FROM insatser i
        JOIN kod t ON t.domain = 'typ' AND t.code = i.typ
        WHERE (p_kommuner IS NULL OR list_has_any(i.kommuner, p_kommuner)
               OR list_contains(i.kommuner, '{codes.LANSOVERGRIPANDE}'))
          AND (p_typer IS NULL OR list_contains(p_typer, i.typ))
          AND (p_insatser IS NULL OR list_contains(p_insatser, i.insats_id))
          AND (p_status IS NULL
               OR (list_contains(p_status, 'startad') AND i.startdatum BETWEEN p_from AND p_to)
               OR (list_contains(p_status, 'avslutad') AND i.slutdatum BETWEEN p_from AND p_to)
               OR (list_contains(p_status, 'pagaende')
                   AND i.startdatum <= p_to AND i.slutdatum > p_to))""",
    # BIP (data-contract.md, bip.csv) as at a day: each measured episode's first and latest
    # measurement date up to it and how many dates; and, for the episodes with uppföljning (two
    # dates or more), each indicator measured on both its first and its latest date.
    """CREATE OR REPLACE MACRO bip_episod(p_to) AS TABLE
        SELECT deltagare_id, insats_id, min(matdatum) AS forsta, max(matdatum) AS senaste,
               count(DISTINCT matdatum) AS datum
        FROM bip WHERE matdatum <= p_to GROUP BY deltagare_id, insats_id""",
    """CREATE OR REPLACE MACRO bip_par(p_to) AS TABLE
        SELECT d.deltagare_id, d.insats_id, m1.indikator, m1.varde AS varde_forsta,
               m2.varde AS varde_senaste
        FROM bip_episod(p_to) d
        JOIN bip m1 ON m1.deltagare_id = d.deltagare_id AND m1.insats_id = d.insats_id
                   AND m1.matdatum = d.forsta
        JOIN bip m2 ON m2.deltagare_id = d.deltagare_id AND m2.insats_id = d.insats_id
                   AND m2.matdatum = d.senaste AND m2.indikator = m1.indikator
        WHERE d.datum >= 2""",
    # A quarter's index as its label, '2020-Q4' (periods.label)
    """CREATE OR REPLACE MACRO kvartal_etikett(q) AS
        CAST(q // 4 AS VARCHAR) || '-Q' || CAST(q % 4 + 1 AS VARCHAR)""",
    # The contract's goal light: green = i fas and prognos ja, yellow = not i fas but
    # prognos ja, red = prognos nej; NULL when the quarter's report is missing.
    """CREATE OR REPLACE MACRO lampa(i_fas, prognos) AS
        CASE WHEN prognos IS NULL THEN NULL WHEN NOT prognos THEN 'rod'
             WHEN i_fas THEN 'gron' ELSE 'gul' END""",
)


# by name: a column a migration added sits at the table's end in an older database
_INSERT_DELTAGARE = """
INSERT INTO episoder_raw BY NAME
SELECT d.*,
       year(d.startdatum) - d.fodelsear AS alder,
       {age_band} AS alder_band,
       -- months in the insats, at least 1 (a month = 30.4375 days), for ended episodes
       CASE WHEN d.slutdatum IS NOT NULL THEN
            greatest(1, CAST(ceil(date_diff('day', d.startdatum, d.slutdatum) / 30.4375)
                             AS INTEGER)) END AS manader,
       (d.deltagare_id, d.insats_id) IN (
           SELECT (a.deltagare_id, a.insats_id) FROM avslut_raw a
           WHERE a.load_id = $load_id AND a.avslutsorsak IN (
               SELECT code FROM kod
               WHERE domain = 'avslutsorsak' AND list_contains($grupper, grupp))
       ) AS till_arbete_studier
FROM ({deltagare}) d
"""


def insert_deltagare(con: duckdb.DuckDBPyConnection, load_id: int) -> None:
    """Store a validated deltagare file (registered as ``src``) with what its load derives
    per episode, from the load's avslut (stored first; call inside the load's transaction)."""
    con.execute(_INSERT_DELTAGARE.format(
        age_band=schema.age_band_sql("year(d.startdatum) - d.fodelsear"),
        deltagare=schema.select_sql("deltagare")),
        {"load_id": load_id, "grupper": list(codes.ARBETE_STUDIER_GRUPPER)})


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The version a database was made or last upgraded by; None for an empty database, 1 for
    one from before versions were recorded."""
    try:
        rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    except duckdb.CatalogException:
        return None
    if rows:
        return int(rows[0][0])
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return 1 if "loads" in tables else None


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create tables (today's shape), run the migrations an older database needs, and
    (re)create reference codes, views and macros. Idempotent."""
    before = schema_version(con)
    con.execute(_TABLES)
    con.execute(schema.ddl())
    for version, _, steps in MIGRATIONS:
        if before is not None and before < version:
            for stmt, params in steps:
                con.execute(stmt, params)
    con.execute("DELETE FROM kod")
    # as one table: executemany costs a round trip per row (a tenth of a second here)
    kod = pa.Table.from_pylist([dict(zip(("domain", "code", "label", "grupp", "sort"), r))
                                for r in codes.reference_rows()])
    con.register("kod_rader", kod)
    try:
        con.execute("INSERT INTO kod BY NAME SELECT * FROM kod_rader")
    finally:
        con.unregister("kod_rader")
    for stmt in _VIEWS:
        con.execute(stmt)
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
    )
    # who this database is (kept by the versioned copies), for the views' result cache
    con.execute("INSERT INTO meta SELECT 'instance', CAST(uuid() AS VARCHAR) "
                "WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'instance')")


def memory() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the schema (tests, previews)."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    return con


def mark_demo(con: duckdb.DuckDBPyConnection) -> None:
    """Mark a database as made of the synthetic demo data (``demo.load_series``); any other
    load removes the mark (``ingest.load.store``)."""
    con.execute("INSERT OR REPLACE INTO meta VALUES ('demo', 'ja')")


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database holds only the demo data (demo mode serves nothing else)."""
    try:
        return bool(con.execute("SELECT 1 FROM meta WHERE key = 'demo'").fetchall())
    except duckdb.CatalogException:
        return False


def has_data(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return con.execute("SELECT count(*) FROM loads").fetchall()[0][0] > 0
    except duckdb.CatalogException:
        return False


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database's views and macros are this code's (else write once to update)."""
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    return bool(rows) and rows[0][0] == str(SCHEMA_VERSION)


# --- writing -----------------------------------------------------------------------------


class Upptagen(RuntimeError):
    """Another write held the database longer than the writer would wait."""


def _lock(fh, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise Upptagen(f"waited {timeout:g} s for the write lock") from None
            time.sleep(0.1)


@contextlib.contextmanager
def writer(path: Path, lock_timeout: float = 120):
    """Connection to a new version of the database at ``path``; on success it becomes current.

    ``path`` is a symlink to the current version (``<name>.<id>.gen``). A write copies the
    current version to a new file, writes there, and atomically points ``path`` at it; a
    reader opens versions by their own names, so it can never meet a half-written file nor
    a cached database instance of a replaced one. If the block raises, the new version is
    removed and nothing changed. Exclusive across processes (a lock file beside ``path``).
    Versions older than the previous one are removed after a successful write.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "w") as lock:
        _lock(lock, lock_timeout)
        try:
            current = path.resolve() if path.exists() else None
            new = path.with_name(f"{path.name}.{uuid.uuid4().hex[:12]}.gen")
            try:
                if current is not None:
                    shutil.copyfile(current, new)
                con = duckdb.connect(str(new))
                try:
                    create_schema(con)
                    yield con
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                os.chmod(new, 0o600)  # participants' data: the server's user only
                link = path.with_name(path.name + ".link-tmp")
                link.unlink(missing_ok=True)
                os.symlink(new.name, link)
                os.replace(link, path)  # atomic: readers see the old or the new version
            except BaseException:
                new.unlink(missing_ok=True)
                Path(str(new) + ".wal").unlink(missing_ok=True)
                raise
            keep = {new.name} | ({current.name} if current is not None else set())
            for old in path.parent.glob(f"{path.name}.*.gen"):
                if old.name not in keep:
                    old.unlink(missing_ok=True)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --- reading -----------------------------------------------------------------------------

_readers: dict[str, tuple[str, duckdb.DuckDBPyConnection]] = {}
_readers_lock = threading.Lock()
# the version file each reader's cursor reads (read-only: its data never changes)
_cursor_file: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def version_file(con) -> str | None:
    """The version file a cursor of ``reader`` reads; None for any other connection."""
    try:
        return _cursor_file.get(con)
    except TypeError:
        return None


def reader(path: Path) -> duckdb.DuckDBPyConnection:
    """A cursor on a shared read-only connection to the current version of ``path``; one
    cursor per request/thread. A new version (after a write) gets a new connection."""
    path = Path(path)
    version = str(path.resolve(strict=True))
    with _readers_lock:
        cached = _readers.get(str(path))
        if cached is None or cached[0] != version:
            # The old connection is not closed: cursors still in use keep it alive.
            _readers[str(path)] = (version, duckdb.connect(version, read_only=True))
        cursor = _readers[str(path)][1].cursor()
        _cursor_file[cursor] = version
        return cursor
