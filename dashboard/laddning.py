"""Loading an extract from the browser (the kansli's Dataladdning page), without Dash.

``stage`` keeps the uploaded files in a staging folder owned by the uploader; ``preview``
validates them exactly as the CLI does and, when clean, says what would change against the
loaded data; ``confirm`` stores them (the same ``ingest_file`` as the CLI: one transaction,
a new database version swapped in atomically); ``activate`` makes an earlier load of a
quarter the current one again. Nothing is stored before ``confirm``; every step is audited.
``preview`` and ``confirm`` say each step as it begins (``on_step``, the keys of ``STEG``), so
the page can show how far they are; the page runs them off the request (``bakgrund``).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from . import audit, beslut, config, db, ingest, periods, sql
from .ingest.problems import os_fel

SINGLE = (".zip", ".xlsx")
_NAME = re.compile(r"^[\w .,()åäöÅÄÖ-]+\.(csv|zip|xlsx)$", re.IGNORECASE)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_NAME = 120  # characters of an uploaded file's name (file systems allow 255 bytes)


class UploadError(ValueError):
    """The upload itself is unusable (names, sizes, mix of kinds)."""


class LoadFailed(RuntimeError):
    """A load failed for a reason outside the extract (its Swedish message); nothing changed."""


# the steps of a preview and a load, as the kansli reads them (ingest's keys, and our own)
STEG = {
    "lasa": "Läser filerna…",
    "kontrollera": "Kontrollerar rader…",
    "jamfora": "Jämför med inlästa data…",
    "spara": "Sparar i databasen…",
    "skydd": "Beslutar skyddet av små tal…",
}


def staging_root() -> Path:
    return config.get().db_path.parent / "staging"


def private_folder(name: str | None = None) -> Path:
    """The staging folder (or a folder ``name`` in it), made if missing; the server's user
    only (0700): it holds uploads and what is worked out from them."""
    root = staging_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(root, 0o700)
    if name is None:
        return root
    folder = root / name
    folder.mkdir(exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder


def stage(files: list[tuple[str, bytes]], user: str) -> str:
    """Keep the files for a preview; returns a token. One .zip or .xlsx, or CSV files."""
    if not files:
        raise UploadError("Inga filer valdes.")
    limit = config.get().limits.fil_mb * 1024 * 1024
    names = []
    for name, data in files:
        base = name
        if len(name) > MAX_NAME:
            raise UploadError(f"{name[:40]}…: filnamnet är längre än {MAX_NAME} tecken; byt till "
                              "ett kortare namn.")
        if "/" in name or "\\" in name or name.startswith(".") or not _NAME.match(name):
            raise UploadError(f"{name}: filnamnet går inte att använda (bara .csv, .zip, .xlsx).")
        if len(data) > limit:
            raise UploadError(f"{base}: filen är större än {config.get().limits.fil_mb} MB.")
        names.append(base)
    singles = [n for n in names if n.lower().endswith(SINGLE)]
    if singles and len(names) > 1:
        raise UploadError("Välj antingen en .zip, en .xlsx eller uttagets CSV-filer, inte en blandning.")
    if len(set(n.lower() for n in names)) != len(names):
        raise UploadError("Samma filnamn förekommer två gånger.")
    _sweep()
    token = secrets.token_urlsafe(24)
    folder = staging_root() / token
    try:
        private_folder()
        folder.mkdir(mode=0o700)
        (folder / "uttag").mkdir(mode=0o700)
        _write_private(folder / "owner", user.encode("utf-8"))
        for base, (_, data) in zip(names, files):
            _write_private(folder / "uttag" / base, data)
    except OSError as exc:  # a full disk, no rights: nothing of the upload stays
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadError(f"Uppladdningen kunde inte sparas: {os_fel(exc)}.") \
            from None
    return token


def _write_private(path: Path, data: bytes) -> None:
    """A file only the server's user can read (uploads hold personal data)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


STAGING_HOURS = 24


def _sweep() -> None:
    """Forget uploads left unconfirmed for a day (a closed tab never says Avbryt)."""
    root = staging_root()
    if not root.exists():
        return
    limit = time.time() - STAGING_HOURS * 3600
    for folder in root.iterdir():  # uploads only (the background jobs' folder is not one)
        if _TOKEN.match(folder.name) and folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


def staged_path(token: str, user: str) -> Path:
    """The staged extract (folder, or the one file in it), only for its uploader."""
    if not _TOKEN.match(token or ""):
        raise UploadError("Okänd uppladdning.")
    folder = staging_root() / token
    owner = folder / "owner"
    if not owner.exists() or owner.read_text(encoding="utf-8") != user:
        raise UploadError("Okänd uppladdning.")
    files = list((folder / "uttag").iterdir())
    return files[0] if len(files) == 1 and files[0].suffix.lower() in SINGLE else folder / "uttag"


def discard(token: str, user: str) -> None:
    path = staged_path(token, user)
    shutil.rmtree(path.parent if path.name == "uttag" else path.parent.parent, ignore_errors=True)


@dataclass
class Preview:
    period: str | None = None
    problems: pd.DataFrame | None = None  # file, row, column, message, value
    nya_insatser: list[str] = field(default_factory=list)
    lampor: pd.DataFrame | None = None  # kortnamn, period, fore, nu
    budget: pd.DataFrame | None = None  # kortnamn, period, what, fore, nu
    deltagare_nya: int = 0
    deltagare_avslutade: int = 0
    rader: dict[str, int] = field(default_factory=dict)
    ersatter: bool = False  # a load of this quarter exists: this one will supersede it

    @property
    def clean(self) -> bool:
        return self.problems is None


def own_reader(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the current version of the database, on a DuckDB instance
    of its own. For a background job, whose process is forked from a web worker: it must not
    use the worker's shared reader (``db.reader``), nor anything another of the worker's
    threads held when it was forked. An empty in-memory database when there is none yet."""
    path = Path(path or config.get().db_path)
    con = duckdb.connect(":memory:")
    if path.exists():
        con.execute("ATTACH ? AS uttag (READ_ONLY)", [str(path.resolve(strict=True))])
        con.execute("USE uttag")
    return con


def preview(con, path: Path, on_step: ingest.Steg = None) -> Preview:
    """Validate as the CLI does; when clean, what would change against ``con``'s data."""
    try:
        _, v = ingest.check(path, on_step)
    except Exception as exc:  # noqa: BLE001  the environment (memory, disk): a message
        raise LoadFailed(ingest.fel_text(exc)) from None
    if v.problems:
        rows = [(p.file, p.row, p.column, p.message, p.value) for p in v.problems]
        df = pd.DataFrame(rows, columns=["fil", "rad", "kolumn", "problem", "varde"])
        df["rad"] = df["rad"].astype("Int64")  # a row number, never "2.0"
        return Preview(problems=df)
    if on_step:
        on_step("jamfora")
    out = Preview(period=v.uttag["period"], rader={k: len(t) for k, t in v.tables.items()})
    has = db.has_data(con)
    names = dict(zip(v.tables["insatser"]["insats_id"], v.tables["insatser"]["kortnamn"]))
    cur_ids = set()
    if has:
        cur_ids = {i for (i,) in sql.rows(con, "laddning_insatser")}
        out.ersatter = bool(sql.rows(con, "laddning_period_inlast", period=out.period)[0][0])
    out.nya_insatser = [f"{names[i]} ({i})" for i in names if i not in cur_ids]
    # lights: against the same quarter when loaded (a correction), else the quarter before
    # (the contract's rule is the database's lampa() macro, for the new rows too)
    cur = {}
    if has:
        cur = {(i, q): light for i, q, light in sql.rows(con, "laddning_lampor")}
    k = v.tables["kvartalsrapport"]
    lights = [r[0] for r in sql.rows(
        con, "laddning_lampor_nya",
        i_fas=[None if x is None or x != x else bool(x) for x in k["i_fas"]],
        prognos=[None if x is None or x != x else bool(x) for x in k["prognos"]])]
    rows = []
    for r, now in zip(k.itertuples(), lights):
        q = int(r.period)  # validated: the quarter index
        before = cur.get((r.insats_id, q), cur.get((r.insats_id, q - 1), "ny"))
        if before != now:
            rows.append((names.get(r.insats_id, r.insats_id), periods.label(q), before, now))
    out.lampor = pd.DataFrame(rows, columns=["kortnamn", "period", "fore", "nu"])
    # budget rows that differ from the loaded ones (or are new)
    cols = ["budget_tkr", "utfall_tkr", "overfort_tkr", "aterfort_tkr"]
    old = {}
    if has:
        old = {(r[0], r[1]): r[2:] for r in sql.rows(con, "laddning_budget")}
    rows = []
    for r in v.tables["budget"].itertuples():
        key = (r.insats_id, int(r.period))
        new = tuple(0.0 if x != x or x is None else float(x) for x in (getattr(r, c) for c in cols))
        prev = old.get(key)
        prev = None if prev is None else tuple(float(x or 0) for x in prev)
        if prev != new:
            for c, a, b in zip(cols, prev or (None,) * 4, new):
                if a != b:
                    rows.append((names.get(r.insats_id, r.insats_id), periods.label(key[1]),
                                 c, a, b))
    out.budget = pd.DataFrame(rows, columns=["kortnamn", "period", "falt", "fore", "nu"])
    # participants: episodes not loaded before, and episodes that ended since
    d = v.tables["deltagare"][["deltagare_id", "insats_id", "slutdatum"]]
    if has:
        known = sql.run(con, "laddning_deltagare")
        m = d.merge(known, on=["deltagare_id", "insats_id"], how="left", indicator=True)
        out.deltagare_nya = int((m["_merge"] == "left_only").sum())
        out.deltagare_avslutade = int(((m["_merge"] == "both") & m["slutdatum"].notna()
                                       & ~m["slutad"].astype(bool)).sum())
    else:
        out.deltagare_nya = len(d)
    return out


def confirm(token: str, user: str, on_step: ingest.Steg = None) -> ingest.LoadResult:
    path = staged_path(token, user)
    try:
        result = ingest.ingest_file(path, config.get().db_path, loaded_by=user, on_step=on_step)
    except ingest.ExtractRejected as exc:
        audit.log("inlasning_avvisad", anvandare=user, kalla="webb", problem=len(exc.problems))
        discard(token, user)
        raise
    except Exception as exc:  # noqa: BLE001  the environment: a message, never a traceback
        msg = ingest.fel_text(exc)
        audit.log_quietly("inlasning_fel", anvandare=user, kalla="webb", fel=msg)
        discard(token, user)
        raise LoadFailed(msg) from None
    audit.log("inlasning", anvandare=user, kalla="webb", period=result.period,
              laddning=result.load_id, rader=result.row_counts)
    discard(token, user)
    return result


def history(con) -> pd.DataFrame:
    """Every load, newest first, and whether it is the current one for its quarter."""
    return sql.run(con, "laddning_historik")


def activate(load_id: int, user: str) -> str:
    """Make an earlier load of a quarter the current one again (nothing is deleted)."""
    try:
        with db.writer(config.get().db_path) as con:
            rows = sql.rows(con, "laddning_period", load_id=int(load_id))
            if not rows:
                raise UploadError(f"Inläsning {load_id} finns inte.")
            sql.rows(con, "laddning_aktivera", load_id=int(load_id))
            beslut.besluta_och_spara(con)  # the data it makes current, protected with it
    except UploadError:
        raise
    except Exception as exc:  # noqa: BLE001  the environment: a message, never a traceback
        raise LoadFailed(ingest.fel_text(exc)) from None
    audit.log("inlasning_aktiverad", anvandare=user, laddning=int(load_id), period=rows[0][0])
    return rows[0][0]
