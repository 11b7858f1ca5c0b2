"""Read an extract (folder of CSV files, .zip, or .xlsx) into raw string tables.

Nothing here judges the content beyond what is needed to read it: every value comes out as
a string (empty string for an empty cell); ``validate`` does the rest. Problems in reading
(encoding, ragged rows, unsafe zip entries, oversize files) are collected, not raised.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from .. import config
from ..config import Limits
from .problems import Problem, os_fel

# Arrow's default allocator (mimalloc) keeps the memory it freed for reuse, so an extract's
# text, read and dropped file by file, would stay in the process; the system allocator gives
# it back. That keeps a 200 MB extract's ingest within 1 GB (README, "Inläsning").
pa.set_memory_pool(pa.system_memory_pool())

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
    "bip_indikatorer",
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


def read(path: str | Path, limits: Limits | None = None) -> RawExtract:
    """Read an extract within ``limits`` (the configured ones by default). Faults of the file
    system (a name too long, no permission) are problems too; nothing here raises for input."""
    limits = limits or config.get().limits
    path = Path(path)
    out = RawExtract(source=str(path))
    budget = _Budget(limits)
    try:
        if not path.exists():
            out.problems.append(Problem(str(path), None, None, "Hittar inte filen eller mappen"))
        elif path.is_dir():
            _read_folder(path, out, budget)
        elif path.suffix.lower() == ".zip":
            _read_zip(path, out, budget)
        elif path.suffix.lower() == ".xlsx":
            data = _read_capped(path, budget, out)
            if data is not None:
                _read_xlsx(path.name, data, out, budget)
        else:
            out.problems.append(Problem(
                path.name, None, None, "Okänt format; förväntat en mapp, en .zip eller en .xlsx"))
    except OSError as exc:
        out.problems.append(Problem(path.name[:80], None, None, os_fel(exc)))
    except _Stop:
        pass  # a bound of the whole extract was reached: its problem is listed
    return out


class _Stop(Exception):
    """A bound of the whole extract was reached; reading stops."""


class _Budget:
    """The bounds of one read, and what has been spent of them."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.file_bytes = int(limits.fil_mb * 1024 * 1024)
        self.total_bytes = int(limits.totalt_mb * 1024 * 1024)
        self.spent = 0

    def spend(self, name: str, n: int, out: RawExtract) -> None:
        self.spent += n
        if self.spent > self.total_bytes:
            out.problems.append(Problem(name, None, None, (
                f"Uttaget är större än {self.limits.totalt_mb:g} MB uppackat "
                f"(gräns: {self.limits.namn('totalt_mb')}); resten lästes inte")))
            raise _Stop


def _too_big(name: str, size: int, limits: Limits) -> Problem:
    return Problem(name, None, None, f"Filen är för stor: större än {limits.fil_mb:g} MB "
                   f"({size / 1024 / 1024:.1f} MB eller mer; gräns: {limits.namn('fil_mb')})")


def _read_capped(path: Path, budget: _Budget, out: RawExtract) -> bytes | None:
    size = path.stat().st_size
    if size > budget.file_bytes:
        out.problems.append(_too_big(path.name, size, budget.limits))
        return None
    budget.spend(path.name, size, out)
    with path.open("rb") as fh:
        return fh.read(budget.file_bytes)


def _add_csv(stem: str, name: str, data: bytes, out: RawExtract, limits: Limits) -> None:
    if stem in out.tables:
        out.problems.append(Problem(name, None, None, f"Filen {stem} finns mer än en gång i uttaget"))
        return
    out.tables[stem] = RawTable(name, parse_csv(name, data, out.problems, limits), _sha256(data))


def _read_folder(path: Path, out: RawExtract, budget: _Budget) -> None:
    files = [f for f in sorted(path.iterdir())
             if f.is_file() and f.suffix.lower() == ".csv" and not f.name.startswith(".")]
    if len(files) > budget.limits.filer:
        out.problems.append(Problem(path.name, None, None, (
            f"Mappen har {len(files)} CSV-filer (gräns: {budget.limits.namn('filer')})")))
        return
    for f in files:
        data = _read_capped(f, budget, out)
        if data is not None:
            _add_csv(f.stem.lower(), f.name, data, out, budget.limits)


# what reading a damaged or hostile zip member can raise
_ZIP_FEL = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError, OverflowError)
_CHUNK = 1024 * 1024


def _open_zip(path_or_bytes, name: str, out: RawExtract) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(path_or_bytes)
    except (*_ZIP_FEL, OSError):
        out.problems.append(Problem(name, None, None, "Filen är inte en giltig zip-fil"))
        return None


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: _Budget,
             out: RawExtract) -> bytes | None:
    """A member's bytes, read in chunks and checked against the bounds as they come (the
    sizes a zip declares are not trusted)."""
    lim = budget.limits
    buf = bytearray()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                buf += chunk
                budget.spend(where, len(chunk), out)
                if len(buf) > budget.file_bytes:
                    out.problems.append(_too_big(where, len(buf), lim))
                    return None
                if _bomb(len(buf), info, where, lim, out):
                    return None
    except _ZIP_FEL as exc:
        out.problems.append(Problem(where, None, None, (
            f"Filen i zip-arkivet är skadad och går inte att packa upp ({type(exc).__name__}); "
            "packa uttaget på nytt")))
        return None
    return bytes(buf)


def _bomb(size: int, info: zipfile.ZipInfo, where: str, lim: Limits, out: RawExtract) -> bool:
    """Whether a member inflated to ``size`` bytes passes the packing ratio (a problem if so)."""
    if size <= _CHUNK or size <= lim.kvot * max(info.compress_size, 1):
        return False
    out.problems.append(Problem(where, None, None, (
        f"Filen packas upp mer än {lim.kvot} gånger sin packade storlek; den ser ut som en "
        f"zip-bomb (gräns: {lim.namn('kvot')})")))
    return True


def _safe_member(info: zipfile.ZipInfo, where: str, out: RawExtract) -> PurePosixPath | None:
    member = PurePosixPath(info.filename.replace("\\", "/"))
    if member.is_absolute() or ".." in member.parts or ":" in member.parts[0]:
        out.problems.append(
            Problem(where, None, None, "Otillåten sökväg i zip-filen (pekar utanför uttaget)"))
        return None
    if member.name.startswith(".") or "__MACOSX" in member.parts:
        return None
    return member


def _read_zip(path: Path, out: RawExtract, budget: _Budget) -> None:
    """Members are read in memory, never extracted, so no entry can write anywhere."""
    if path.stat().st_size > budget.file_bytes:
        out.problems.append(_too_big(path.name, path.stat().st_size, budget.limits))
        return
    zf = _open_zip(path, path.name, out)
    if zf is None:
        return
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > budget.limits.filer:
            out.problems.append(Problem(path.name, None, None, (
                f"Zip-filen har {len(infos)} filer (gräns: {budget.limits.namn('filer')})")))
            return
        for info in infos:
            where = f"{path.name}: {info.filename[:120]}"
            member = _safe_member(info, where, out)
            if member is None or member.suffix.lower() != ".csv":
                continue
            data = _inflate(zf, info, where, budget, out)
            if data is not None:
                _add_csv(member.stem.lower(), member.name, data, out, budget.limits)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# a well-formed UTF-8 sequence of two to four bytes (RFC 3629)
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
SPARA_SOM = "spara filen som ”CSV UTF-8 (kommaavgränsad)” i Excel"


def _where_bytes(data: bytes, start: int, end: int) -> tuple[int, str]:
    """The line of byte ``start`` and the offending bytes with a little context."""
    line = data.count(b"\n", 0, start) + 1
    bad = " ".join(f"0x{b:02X}" for b in data[start:end])
    ctx = data[max(0, start - 15):end + 15].decode("utf-8", "replace")  # the byte as �
    return line, f"{bad} i ”{ctx.replace(chr(10), ' ')}”"


def _utf8_error(data: bytes) -> UnicodeDecodeError | None:
    """Where ``data`` is not UTF-8, checked a megabyte at a time (a whole file's text is
    never built for it), with the error's positions in the whole of ``data``."""
    dec = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        pending = len(dec.getstate()[0])  # bytes of a character cut by the previous chunk
        try:
            dec.decode(view[start:start + _CHUNK], final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            off = start - pending
            return UnicodeDecodeError("utf-8", data, off + exc.start, off + exc.end, exc.reason)
    return None


def decode(name: str, data: bytes, problems: list[Problem]) -> tuple[str | None, str] | None:
    """The text and the encoding it was read in: UTF-16 with a BOM; UTF-8 (with or without
    BOM) when the file is valid UTF-8 (its text is then None: the bytes are the text);
    Windows-1252 (Excel's Swedish default) only when the file has no UTF-8 character at all.
    A file that mixes them is refused, with the line and the bytes."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            problems.append(Problem(name, line, None,
                                    f"Filen är UTF-16 men går inte att avkoda; {SPARA_SOM}"))
            return None
    if b"\x00" in data[:65536]:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        problems.append(Problem(name, line, None, (
            "Filen innehåller nolltecken: den är inte en textfil, eller UTF-16 utan "
            f"byte-ordningsmärke; {SPARA_SOM}")))
        return None
    bad = _utf8_error(data)
    if bad is None:
        return None, "utf-8"
    if _UTF8_MULTI.search(data):
        line, what = _where_bytes(data, bad.start, bad.end)
        problems.append(Problem(name, line, None, (
            f"Filen blandar teckenkodningar: den har UTF-8-tecken men också bytes som inte är "
            f"UTF-8 ({what}); {SPARA_SOM}")))
        return None
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line, what = _where_bytes(data, exc.start, exc.end)
        problems.append(Problem(name, line, None, (
            f"Okänd teckenkodning, varken UTF-8 eller Windows-1252 ({what}); {SPARA_SOM}")))
        return None


def sniff_separator(header_line: str) -> str:
    return ";" if header_line.count(";") >= header_line.count(",") and ";" in header_line else ","


def parse_csv(name: str, data: bytes, problems: list[Problem],
              limits: Limits | None = None) -> pd.DataFrame | None:
    limits = limits or config.get().limits
    rows = data.count(b"\n")
    if rows > limits.rader + 1:
        problems.append(Problem(name, None, None, (
            f"Filen har {rows} rader (gräns: {limits.namn('rader')})")))
        return None
    decoded = decode(name, data, problems)
    if decoded is None:
        return None
    text, encoding = decoded
    if text is None:  # UTF-8: only the header line is needed as text
        text = data[:data.find(b"\n") if b"\n" in data else len(data)].decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        problems.append(Problem(name, 1, None, "Rubrikrad saknas (första raden är tom)"))
        return None
    sep = sniff_separator(first_line)
    try:
        header = next(csv.reader([first_line.rstrip("\r")], delimiter=sep), [])
    except csv.Error as exc:  # e.g. a lone carriage return inside the header
        problems.append(Problem(name, 1, None, (
            f"Rubrikraden går inte att läsa som CSV ({exc}); kontrollera radslut och "
            "citattecken")))
        return None
    # the parser reads UTF-8 bytes: the file's own when it is UTF-8 (decoded once, above)
    utf8 = data.removeprefix(codecs.BOM_UTF8) if encoding == "utf-8" else text.encode("utf-8")
    del text  # the text is rebuilt only to report ragged rows
    try:
        df = _arrow_csv(utf8, sep, header)
    except pa.ArrowInvalid as exc:
        if "columns" not in str(exc):  # e.g. an unclosed quote
            problems.append(Problem(name, None, None, (
                "Filen går inte att läsa som CSV (ett citattecken som inte avslutas?): "
                f"{str(exc)[:160]}")))
            return None
        _report_ragged(name, utf8.decode("utf-8"), sep, problems, limits.problem)
        return None
    return _normalise_columns(name, df, problems)


def _arrow_csv(data: bytes, sep: str, header: list[str]) -> pd.DataFrame:
    """Every field as text (Arrow's multi-threaded reader; a row whose field count differs
    from the header's raises ``pa.ArrowInvalid``). A line break inside a value needs a
    quoted value, and looking for one makes the reader three times slower: it looks only in
    a file that has a quote character at all (a participant file has none)."""
    names = [f"c{i}" for i in range(len(header))]  # the header's own names may repeat
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
        parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=b'"' in data),
        convert_options=pacsv.ConvertOptions(
            # large_string: pandas' own string type, so no column is cast (copied) after
            column_types={n: pa.large_string() for n in names}, strings_can_be_null=False,
            quoted_strings_can_be_null=False))
    df = table.to_pandas(
        types_mapper={pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get)
    df.columns = header
    return df


def _report_ragged(name: str, text: str, sep: str, problems: list[Problem], cap: int) -> None:
    """The rows whose field count differs from the header's (the C parser stops at one): the
    first ``cap`` of them, and how many there are."""
    rows = csv.reader(io.StringIO(text), delimiter=sep)
    more = 0
    try:
        header = next(rows)
        for i, row in enumerate(rows, start=2):
            if row and len(row) != len(header):
                if more < cap:
                    problems.append(Problem(
                        name, i, None, f"Raden har {len(row)} fält; rubrikraden har {len(header)}"))
                more += 1
    except csv.Error as exc:  # e.g. a field longer than any real one
        problems.append(Problem(name, rows.line_num, None, (
            f"Raden går inte att läsa som CSV ({exc}); kontrollera citattecken och avgränsare")))
    if more > cap:
        problems.append(Problem(name, None, None, (
            f"… och {more - cap} rader till med fel antal fält (fel avgränsare? förväntat ; "
            "eller ,)")))


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


FORMEL_UTAN_VARDE = "formel utan beräknat värde: öppna filen i Excel och spara igen"


def _xlsx_bounds(name: str, data: bytes, budget: _Budget, out: RawExtract) -> bool:
    """A workbook is a zip: the same bounds before openpyxl inflates it (openpyxl reads no more
    than the sizes the zip declares, so checking them bounds it)."""
    zf = _open_zip(io.BytesIO(data), name, out)
    if zf is None:
        return False
    lim = budget.limits
    with zf:
        infos = zf.infolist()
        if len(infos) > 10 * lim.filer:
            out.problems.append(Problem(name, None, None, (
                f"Arbetsboken har {len(infos)} delar (gräns: tio gånger {lim.namn('filer')})")))
            return False
        for info in infos:
            if info.file_size > budget.file_bytes:
                out.problems.append(_too_big(f"{name}: {info.filename[:120]}", info.file_size, lim))
                return False
            if _bomb(info.file_size, info, f"{name}: {info.filename[:120]}", lim, out):
                return False
        budget.spend(name, sum(i.file_size for i in infos) - len(data), out)
    return True


def _read_xlsx(name: str, data: bytes, out: RawExtract, budget: _Budget) -> None:
    """Every known sheet, cell values as text. Formulas give their cached value; a formula
    Excel never computed is a problem. XML is parsed by defusedxml (openpyxl uses it when it is
    installed): no DTD, no entity expansion, no external entity."""
    import openpyxl  # imported here: only xlsx loads need it
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:
        out.problems.append(Problem(name, None, None, (
            "Arbetsböcker kan inte läsas säkert på den här servern (defusedxml saknas eller är "
            "avstängt med OPENPYXL_DEFUSEDXML); läs in uttaget som CSV-filer")))
        return
    if not _xlsx_bounds(name, data, budget, out):
        return
    checksum = _sha256(data)
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001  openpyxl raises many kinds for a broken workbook
        out.problems.append(Problem(name, None, None, _xlsx_fel(exc)))
        return
    try:
        for ws, wf in zip(values.worksheets, formulas.worksheets):
            stem = ws.title.strip().lower()
            if stem not in KNOWN_FILES:
                continue
            where = f"{name}, blad {ws.title}"
            if stem in out.tables:
                out.problems.append(Problem(where, None, None, "Bladet finns mer än en gång"))
                continue
            df = _read_sheet(where, ws, wf, out, budget.limits)
            if df is not None:
                out.tables[stem] = RawTable(where, df, checksum)
    except Exception as exc:  # noqa: BLE001  the sheets' XML is parsed while iterating
        out.problems.append(Problem(name, None, None, _xlsx_fel(exc)))
    finally:
        values.close()
        formulas.close()


def _xlsx_fel(exc: Exception) -> str:
    import defusedxml

    cause, seen = exc, 0
    while cause is not None and seen < 10:  # openpyxl wraps the parser's exception
        if isinstance(cause, defusedxml.DefusedXmlException):
            break
        cause, seen = cause.__cause__ or cause.__context__, seen + 1
    if isinstance(cause, defusedxml.DefusedXmlException):
        return ("Arbetsboken innehåller otillåten XML (DTD, entiteter eller externa referenser) "
                "och läses inte; spara den på nytt i Excel")
    return f"Kan inte läsa arbetsboken ({type(exc).__name__}); spara den på nytt i Excel"


def _read_sheet(where: str, ws, wf, out: RawExtract, limits: Limits) -> pd.DataFrame | None:
    from openpyxl.utils import get_column_letter

    rows = ws.iter_rows(values_only=True)
    frows = wf.iter_rows(values_only=True)
    header = next(rows, None)
    next(frows, None)
    if header is None or all(h is None for h in header):
        out.problems.append(Problem(where, 1, None, "Rubrikrad saknas"))
        return None
    width = max(i + 1 for i, h in enumerate(header) if h is not None)
    names = [_cell_text(h) for h in header[:width]]
    body = []
    uncomputed = 0
    for n, (r, f) in enumerate(zip(rows, frows), start=2):
        if n > limits.rader + 1:
            out.problems.append(Problem(where, None, None, (
                f"Bladet har fler än {limits.rader} rader (gräns: {limits.namn('rader')})")))
            return None
        vals = [_cell_text(v) for v in r[:width]]
        vals += [""] * (width - len(vals))
        for j, v in enumerate(f[:width]):
            if isinstance(v, str) and v.startswith("=") and r[j] is None:
                if uncomputed < limits.problem:
                    out.problems.append(Problem(
                        where, n, names[j] or get_column_letter(j + 1),
                        f"Cell {get_column_letter(j + 1)}{n}: {FORMEL_UTAN_VARDE}", v))
                uncomputed += 1
        body.append(vals)
    while body and not any(body[-1]):
        body.pop()  # trailing empty rows Excel keeps
    df = pd.DataFrame(body, columns=names, dtype=str)
    return _normalise_columns(where, df, out.problems)
