"""Read an extract (folder of CSV files, .zip, or .xlsx) into raw string tables.

Nothing here judges the content beyond what is needed to read it: every value comes out as
a string (empty string for an empty cell); ``validate`` does the rest. Problems in reading
(encoding, ragged rows, unsafe zip entries, oversize files) are collected, not raised.
"""

from __future__ import annotations

import csv
import hashlib
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

import pandas as pd

from .problems import Problem

KNOWN_FILES = (
    "uttag",
    "insatser",
    "kvartalsrapport",
    "mal",
    "budget",
    "deltagare",
    "avslut",
    "anonyma",
    "bip",
)


@dataclass
class RawTable:
    name: str  # how problems name the file
    data: pd.DataFrame | None  # all columns str, lower-case stripped names; None if unreadable
    checksum: str


@dataclass
class RawExtract:
    source: str
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def checksums(self) -> dict[str, str]:
        return {t.name: t.checksum for t in self.tables.values()}


def read(path: str | Path, max_bytes: int) -> RawExtract:
    path = Path(path)
    out = RawExtract(source=str(path))
    if not path.exists():
        out.problems.append(Problem(str(path), None, None, "Hittar inte filen eller mappen"))
    elif path.is_dir():
        _read_folder(path, out, max_bytes)
    elif path.suffix.lower() == ".zip":
        _read_zip(path, out, max_bytes)
    elif path.suffix.lower() == ".xlsx":
        data = _read_capped(path, max_bytes, out)
        if data is not None:
            _read_xlsx(path.name, data, out)
    else:
        out.problems.append(
            Problem(path.name, None, None, "Okänt format; förväntat en mapp, en .zip eller en .xlsx")
        )
    return out


def _too_big(name: str, size: int, max_bytes: int) -> Problem:
    return Problem(
        name,
        None,
        None,
        f"Filen är för stor ({size / 1e6:.0f} MB); gränsen är {max_bytes / 1e6:.0f} MB",
    )


def _read_capped(path: Path, max_bytes: int, out: RawExtract) -> bytes | None:
    size = path.stat().st_size
    if size > max_bytes:
        out.problems.append(_too_big(path.name, size, max_bytes))
        return None
    return path.read_bytes()


def _add_csv(stem: str, name: str, data: bytes, out: RawExtract) -> None:
    if stem in out.tables:
        out.problems.append(Problem(name, None, None, f"Filen {stem} finns mer än en gång i uttaget"))
        return
    out.tables[stem] = RawTable(name, parse_csv(name, data, out.problems), _sha256(data))


def _read_folder(path: Path, out: RawExtract, max_bytes: int) -> None:
    for f in sorted(path.iterdir()):
        if f.is_file() and f.suffix.lower() == ".csv" and not f.name.startswith("."):
            data = _read_capped(f, max_bytes, out)
            if data is not None:
                _add_csv(f.stem.lower(), f.name, data, out)


def _read_zip(path: Path, out: RawExtract, max_bytes: int) -> None:
    """Members are read in memory, never extracted, so no entry can write anywhere."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        out.problems.append(Problem(path.name, None, None, "Filen är inte en giltig zip-fil"))
        return
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            member = PurePosixPath(info.filename.replace("\\", "/"))
            where = f"{path.name}: {info.filename}"
            if member.is_absolute() or ".." in member.parts or ":" in member.parts[0]:
                out.problems.append(
                    Problem(where, None, None, "Otillåten sökväg i zip-filen (pekar utanför uttaget)")
                )
                continue
            if member.name.startswith(".") or "__MACOSX" in member.parts:
                continue
            if member.suffix.lower() != ".csv":
                continue
            if info.file_size > max_bytes:
                out.problems.append(_too_big(where, info.file_size, max_bytes))
                continue
            with zf.open(info) as fh:
                data = fh.read(max_bytes + 1)  # never trust the declared size alone
            if len(data) > max_bytes:
                out.problems.append(_too_big(where, len(data), max_bytes))
                continue
            _add_csv(member.stem.lower(), member.name, data, out)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(name: str, data: bytes, problems: list[Problem]) -> str | None:
    """UTF-8 (with or without BOM), else Windows-1252 (Excel's Swedish default)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(name, line, None, "Okänd teckenkodning; spara filen som UTF-8 eller Windows-1252")
        )
        return None


def sniff_separator(header_line: str) -> str:
    return ";" if header_line.count(";") >= header_line.count(",") and ";" in header_line else ","


def parse_csv(name: str, data: bytes, problems: list[Problem]) -> pd.DataFrame | None:
    text = decode(name, data, problems)
    if text is None:
        return None
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        problems.append(Problem(name, 1, None, "Rubrikrad saknas (första raden är tom)"))
        return None
    sep = sniff_separator(first_line)
    try:
        with warnings.catch_warnings():
            # pandas only warns when a row is longer than the header; for us it is an error
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=True,
                index_col=False,  # an over-long first row must be an error, not an index
                engine="c",
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        _report_ragged(name, text, sep, problems)
        return None
    except pd.errors.EmptyDataError:
        problems.append(Problem(name, 1, None, "Filen är tom; en rubrikrad krävs"))
        return None
    return _normalise_columns(name, df, problems)


def _report_ragged(name: str, text: str, sep: str, problems: list[Problem]) -> None:
    """Every row whose field count differs from the header's (the C parser stops at one)."""
    rows = csv.reader(io.StringIO(text), delimiter=sep)
    header = next(rows)
    for i, row in enumerate(rows, start=2):
        if row and len(row) != len(header):
            problems.append(
                Problem(name, i, None, f"Raden har {len(row)} fält; rubrikraden har {len(header)}")
            )


def _normalise_columns(name: str, df: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame | None:
    cols = [str(c).replace("\ufeff", "").strip().lower() for c in df.columns]
    seen: set[str] = set()
    for c in cols:
        if c in seen:
            problems.append(Problem(name, 1, c, "Kolumnen förekommer två gånger i rubrikraden"))
            return None
        seen.add(c)
    df.columns = cols
    # Rows shorter than the header come back as NaN from the C parser.
    short = df.isna().any(axis=1)
    if short.any():
        for idx in df.index[short][:200]:
            problems.append(Problem(name, int(idx) + 2, None, "Raden har för få fält"))
        df = df.fillna("")
    return df


# --- xlsx ----------------------------------------------------------------------------------


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() else repr(v)
    return str(v)


def _read_xlsx(name: str, data: bytes, out: RawExtract) -> None:
    import openpyxl  # imported here: only xlsx loads need it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        out.problems.append(Problem(name, None, None, f"Kan inte läsa arbetsboken: {exc}"))
        return
    checksum = _sha256(data)
    try:
        for ws in wb.worksheets:
            stem = ws.title.strip().lower()
            if stem not in KNOWN_FILES:
                continue
            where = f"{name}, blad {ws.title}"
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None or all(h is None for h in header):
                out.problems.append(Problem(where, 1, None, "Rubrikrad saknas"))
                continue
            width = max(i + 1 for i, h in enumerate(header) if h is not None)
            body = []
            for r in rows:
                vals = [_cell_text(v) for v in r[:width]]
                vals += [""] * (width - len(vals))
                body.append(vals)
            while body and not any(body[-1]):
                body.pop()  # trailing empty rows Excel keeps
            df = pd.DataFrame(body, columns=[_cell_text(h) for h in header[:width]], dtype=str)
            df = _normalise_columns(where, df, out.problems)
            if stem in out.tables:
                out.problems.append(Problem(where, None, None, "Bladet finns mer än en gång"))
                continue
            out.tables[stem] = RawTable(where, df, checksum)
    finally:
        wb.close()
