"""Validate a raw extract against the data contract; return typed tables and every problem.

Each file is described by its columns in ``schema.FILES`` (kind, required or not); parsing
is vectorised so a million-row file validates in seconds. Rules between rows and files (keys, references,
dates, avslut for every ended participant, quarters after the extract's period) run on the
parsed values. A file of ``schema.CODE_LISTS`` (``bip_indikatorer``) is parsed first: its codes
are then the valid ones of its domain for the rest of the extract. All problems are collected;
nothing stops at the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from .. import codes, periods, sql
from ..schema import CODE_LISTS, FILES, KEYS, REQUIRED_FILES, ZERO_IF_EMPTY, Col
from .problems import Problem
from .read import RawExtract

MAX_PER_COLUMN = 50  # problems listed per file, column and kind; the rest are summarised
DUCKDB_MINNE = "256MB"  # the checks' own DuckDB (joins, duplicates): beyond it, it spills


# --- column types ----------------------------------------------------------------------------


def _spread(per_value: pd.Series, pos, index: pd.Index) -> pd.Series:
    """Values computed per distinct value, back on the rows (``pos`` from ``pd.factorize``):
    a take on the array itself (Arrow's for strings), never a million Python objects."""
    return pd.Series(per_value.array.take(pos), index=index)


def _strip(s: pd.Series) -> pd.Series:
    return s.astype(str).str.strip()


_NUM_CLEAN = re.compile(r"[\s\u00a0\u202f]")


def parse_number(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``'1 234,5'`` and ``'1234.5'`` -> 1234.5. Both ',' and '.' in one value is ambiguous."""
    t = s.str.replace(_NUM_CLEAN, "", regex=True).str.replace("\u2212", "-", regex=False)
    both = t.str.contains(",", regex=False) & t.str.contains(".", regex=False)
    t = t.str.replace(",", ".", regex=False)
    v = pd.to_numeric(t.where(~both), errors="coerce")
    return v, v.isna()


def parse_date(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    ok_shape = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    v = pd.to_datetime(s.where(ok_shape), format="%Y-%m-%d", errors="coerce")
    return v, v.isna()


def parse_janej(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    low = s.str.lower()
    v = pd.Series(pd.array(np.where(low.isin(codes.JA), True,
                                    np.where(low.isin(codes.NEJ), False, None)), dtype="boolean"),
                  index=s.index)
    return v, v.isna()


def parse_period(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    m = s.str.extract(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")
    q = pd.to_numeric(m[0], errors="coerce") * 4 + pd.to_numeric(m[1], errors="coerce") - 1
    return q, q.isna()


def parse_code(domain: str, s: pd.Series,
               items: list[tuple] | None = None) -> tuple[pd.Series, pd.Series]:
    table = codes.lookup(domain, items)
    low = s.str.lower()
    v = low.map(table)
    miss = v.isna()
    if miss.any():  # try the folded form (ASCII, underscores) for display spellings
        v[miss] = low[miss].map(codes.fold).map(table)
    return v, v.isna()


def parse_list(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    v = s.map(lambda x: [p.strip() for p in x.split("|") if p.strip()])
    return v, v.map(len) == 0


EXPECTED = {
    "date": "ett datum ÅÅÅÅ-MM-DD",
    "period": "en period ÅÅÅÅ-Qn, t.ex. 2020-Q4",
    "janej": "ja eller nej",
    "number": "ett tal, t.ex. 1234,5 eller 1234.5",
    "int": "ett heltal",
    "list": "ett eller flera namn åtskilda med |",
}


@dataclass(frozen=True)
class OwnList:
    """A code list the extract gives itself (a file of ``schema.CODE_LISTS``): (code, label)
    items, or None when the file cannot be used (its problems are listed; the codes that
    refer to it are then not judged)."""

    file: str
    items: list[tuple[str, str]] | None


def _expected(col: Col, lists: dict[str, OwnList] | None = None) -> str:
    if col.kind.startswith("code:"):
        own = (lists or {}).get(col.kind[5:])
        if own is not None and own.items is not None:
            return f"en av koderna i {own.file}: " + ", ".join(c for c, _ in own.items)
        return "en av: " + ", ".join(codes.codes(col.kind[5:]))
    text = EXPECTED.get(col.kind, "ett värde")
    lo, hi = col.bounds()
    if lo is not None and hi is not None:
        text += f" mellan {lo:g} och {hi:g}"
    elif lo is not None:
        text += f" som är minst {lo:g}"
    return text


def parse(col: Col, s: pd.Series,
          lists: dict[str, OwnList] | None = None) -> tuple[pd.Series, pd.Series]:
    """Values of one column and which are not valid; ``lists``: the extract's own code lists
    by domain, in place of the default ones."""
    k = col.kind
    if k == "text":
        return s, pd.Series(False, index=s.index)
    if k == "list":
        return parse_list(s)
    if k == "date":
        return parse_date(s)
    if k == "period":
        return parse_period(s)
    if k == "janej":
        return parse_janej(s)
    if k in ("number", "int"):
        v, bad = parse_number(s)
        if k == "int":
            bad = bad | (v.notna() & (v != v.round()))
        lo, hi = col.bounds()
        if lo is not None:
            bad = bad | (v < lo)
        if hi is not None:
            bad = bad | (v > hi)
        return v, bad
    if k.startswith("code:"):
        own = (lists or {}).get(k[5:])
        if own is not None and own.items is None:
            return s, pd.Series(False, index=s.index)  # the list is unusable: not judged
        return parse_code(k[5:], s, None if own is None else own.items)
    raise ValueError(k)


# --- the collector ---------------------------------------------------------------------------


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add_rows(self, file: str, rows: pd.Index, column: str | None, message: str,
                 values=None) -> None:
        """One problem per row in ``rows`` (data-row positions), capped per call. ``values``:
        the rows' values (a Series, or a function of the row), looked up for the listed rows
        only; a date is shown as one."""
        idx = list(rows)
        for i in idx[:MAX_PER_COLUMN]:
            val = None if values is None else _shown_value(
                values(i) if callable(values) else values.loc[i])
            self.problems.append(Problem(file, int(i) + 2, column, message, val))
        if len(idx) > MAX_PER_COLUMN:
            self.problems.append(Problem(
                file, None, column,
                f"... och {len(idx) - MAX_PER_COLUMN} rader till med samma fel: {message}"))

    def add(self, *args, **kw) -> None:
        self.problems.append(Problem(*args, **kw))


def _shown_value(v) -> str:
    return v.date().isoformat() if isinstance(v, pd.Timestamp) else str(v)


@dataclass
class Validated:
    tables: dict[str, pd.DataFrame]
    uttag: dict
    problems: list[Problem]


def _parse_file(stem: str, name: str, raw: pd.DataFrame, out: _Collector,
                lists: dict[str, OwnList]) -> tuple[pd.DataFrame, dict] | None:
    """The typed table of one file, and per column the rows whose value was present but not
    valid; None when a required column is missing."""
    spec = FILES[stem]
    missing = [c.name for c in spec if c.required and c.name not in raw.columns]
    for c in missing:
        out.add(name, 1, c, f"Kolumnen {c} saknas i rubrikraden")
    if missing:
        return None
    parsed, invalid = {}, {}
    for col in spec:
        column = raw[col.name] if col.name in raw.columns else pd.Series("", index=raw.index)
        column = column.astype("str")
        if col.kind == "text":  # free text and ids: vectorised as it is (Arrow strings)
            s = column.str.strip()
            empty = s == ""
            if col.required:
                out.add_rows(name, raw.index[empty], col.name, "Värde saknas (obligatoriskt)")
            parsed[col.name] = s.where(~empty)
            continue
        # every other kind is parsed once per distinct value (codes, dates and periods
        # repeat thousands of times), then spread back to the rows
        pos, uniq = pd.factorize(column, sort=False)
        us = _strip(pd.Series(uniq, dtype=object))
        emptyu = (us == "").to_numpy()
        vu, badu = parse(col, us, lists)
        badu = badu.to_numpy(dtype=bool) & ~emptyu
        empty, bad = pd.Series(emptyu[pos], index=raw.index), pd.Series(badu[pos], index=raw.index)
        if col.required:
            out.add_rows(name, raw.index[empty], col.name,
                         f"Värde saknas (obligatoriskt); förväntat {_expected(col, lists)}")
        out.add_rows(name, raw.index[bad], col.name,
                     f"Ogiltigt värde; förväntat {_expected(col, lists)}",
                     lambda i, pos=pos, us=us: us.iat[pos[i]])
        if col.kind != "list":
            vu = vu.where(~(badu | emptyu), None)
        if col.name in ZERO_IF_EMPTY.get(stem, ()):
            vu = vu.where(~emptyu, 0)  # the contract: empty means 0
        parsed[col.name] = _spread(vu, pos, raw.index)
        invalid[col.name] = bad
    return pd.DataFrame(parsed, index=raw.index), invalid


def _row_list(rows: pd.Index) -> str:
    nums = [str(int(i) + 2) for i in rows[:6]]
    return ", ".join(nums) + (" …" if len(rows) > 6 else "")


def _check_duplicates(con: duckdb.DuckDBPyConnection, stem: str, name: str, df: pd.DataFrame,
                      out: _Collector) -> None:
    keys = KEYS.get(stem)
    if not keys:
        return
    dups = _duckdb(con, "ingest_dubbletter", t=df[keys].assign(rad=np.arange(len(df))),
                   antal=MAX_PER_COLUMN)
    for n, row in enumerate(dups.itertuples(index=False)):
        shown = ", ".join(f"{k}={_show(v, k)}" for k, v in zip(keys, row))
        rows = df.index[list(row.rader)]
        out.add(name, int(rows[0]) + 2, ", ".join(keys),
                f"Dubblett: {shown} förekommer på raderna {_row_list(rows)}; ska vara unik")
        if n + 1 == MAX_PER_COLUMN and row.nycklar > MAX_PER_COLUMN:
            out.add(name, None, ", ".join(keys),
                    f"... och {row.nycklar - MAX_PER_COLUMN} dubbletter till")


def _duckdb(con: duckdb.DuckDBPyConnection, query: str, **frames_and_params) -> pd.DataFrame:
    """A named query run over DataFrames (registered under their parameter names) in the
    validation's own in-memory DuckDB (``_checks_db``): a join or a grouping over a million
    rows of text runs there in a fraction of pandas' time and memory."""
    params, frames = {}, []
    for k, v in frames_and_params.items():
        if isinstance(v, pd.DataFrame):  # as Arrow: scanned in place, not copied
            con.register(k, pa.Table.from_pandas(v, preserve_index=False))
            frames.append(k)
        else:
            params[k] = v
    try:
        return sql.run(con, query, **params)
    finally:
        for k in frames:
            con.unregister(k)


def _checks_db() -> duckdb.DuckDBPyConnection:
    """The in-memory DuckDB of one validation's checks between rows and files; beyond
    ``DUCKDB_MINNE`` it spills. Its allocator hands back what a check freed at once (it
    would keep up to 128 MB for reuse, on top of the extract's peak)."""
    return duckdb.connect(config={"memory_limit": DUCKDB_MINNE,
                                  "allocator_flush_threshold": "0MB",
                                  "allocator_bulk_deallocation_flush_threshold": "0MB"})


def _show(v, key: str) -> str:
    if key == "period" and isinstance(v, (int, float, np.integer, np.floating)):
        return periods.label(int(v))
    return str(v)


def validate(raw: RawExtract) -> Validated:
    with _checks_db() as con:
        return _validate(con, raw)


def _validate(con: duckdb.DuckDBPyConnection, raw: RawExtract) -> Validated:
    out = _Collector()
    out.problems.extend(raw.problems)
    names = {stem: t.name for stem, t in raw.tables.items()}
    for stem in REQUIRED_FILES:
        if stem not in raw.tables:
            out.add(f"{stem}.csv", None, None,
                    f"Filen {stem} saknas i uttaget (obligatorisk)")
    tables: dict[str, pd.DataFrame] = {}
    invalid: dict[str, dict] = {}  # stem -> column -> rows present but not valid
    lists: dict[str, OwnList] = {}
    for stem in sorted(raw.tables, key=lambda s: s not in CODE_LISTS):  # the lists first
        t = raw.tables[stem]
        df = None
        if stem in FILES and t.data is not None:
            res = _parse_file(stem, t.name, t.data, out, lists)
            t.data = None  # consumed: an extract's text is not kept twice in memory
            if res is not None:
                df, invalid[stem] = res
                _check_duplicates(con, stem, t.name, df, out)
                tables[stem] = df
        if stem in CODE_LISTS:
            lists[CODE_LISTS[stem][0]] = _own_list(stem, t.name, df)

    uttag: dict = {}
    u = tables.get("uttag")
    if u is not None:
        if len(u) != 1:
            out.add(names["uttag"], None, None,
                    f"uttag ska ha exakt en datarad (har {len(u)})")
        elif pd.notna(u["period"].iloc[0]):
            uttag = {k: u[k].iloc[0] for k in u.columns}
            uttag["q"] = int(uttag["period"])
            uttag["period"] = periods.label(uttag["q"])

    _cross_checks(con, tables, invalid, names, uttag, out)
    return Validated(tables, uttag, out.problems)


def _own_list(stem: str, name: str, df: pd.DataFrame | None) -> OwnList:
    """The code list a file of ``schema.CODE_LISTS`` gives, in its order: its rows with a code
    (the first of a repeated one), labelled by their label column (the code where it is
    missing)."""
    _, code, label, order = CODE_LISTS[stem]
    if df is None:
        return OwnList(name, None)
    ok = df[df[code].notna()].drop_duplicates(code)
    ok = ok.sort_values(order, kind="stable", na_position="last")
    items = [(c, lab if isinstance(lab, str) else c) for c, lab in zip(ok[code], ok[label])]
    return OwnList(name, items or None)


def _without_deltagare(con: duckdb.DuckDBPyConnection, a: pd.DataFrame,
                       b: pd.DataFrame) -> np.ndarray:
    """For each row of ``a``: whether ``b`` lacks a row with the same deltagare_id and
    insats_id (a missing id matches a missing one)."""
    key = ["deltagare_id", "insats_id"]
    lacking = _duckdb(con, "ingest_utan_deltagare", a=a[key].assign(rad=np.arange(len(a))),
                      b=b[key])
    out = np.zeros(len(a), dtype=bool)
    out[lacking["rad"].to_numpy()] = True
    return out


def _cross_checks(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame],
                  invalid: dict[str, dict], names: dict[str, str], uttag: dict,
                  out: _Collector) -> None:
    for stem in CODE_LISTS:
        if stem in tables and not len(tables[stem]):
            out.add(names[stem], None, None,
                    "Filen har inga rader; lista koderna i den, eller ta bort filen så gäller "
                    "standardlistan")
    ins = tables.get("insatser")
    ids = set(ins["insats_id"].dropna()) if ins is not None else None
    q_max = uttag.get("q")
    period_end = pd.Timestamp(periods.last_day(q_max)) if q_max is not None else None

    if ins is not None:
        rev = ins["slutdatum"].notna() & ins["startdatum"].notna() & (
            ins["slutdatum"] < ins["startdatum"])
        out.add_rows(names["insatser"], ins.index[rev], "slutdatum",
                     "slutdatum är före startdatum", ins["slutdatum"])

    for stem, df in tables.items():
        name = names[stem]
        if stem != "insatser" and "insats_id" in df.columns and ids is not None:
            unknown = df["insats_id"].notna() & ~df["insats_id"].isin(ids)
            out.add_rows(name, df.index[unknown], "insats_id",
                         "insats_id finns inte i insatser", df["insats_id"])
        if stem != "uttag" and "period" in df.columns and q_max is not None:
            late = df["period"].notna() & (df["period"] > q_max)
            out.add_rows(name, df.index[late], "period",
                         f"Perioden ligger efter uttagets period {periods.label(q_max)}",
                         lambda i, p=df["period"]: periods.label(int(p.loc[i])))

    d = tables.get("deltagare")
    if d is not None:
        name = names["deltagare"]
        rev = d["slutdatum"].notna() & d["startdatum"].notna() & (d["slutdatum"] < d["startdatum"])
        out.add_rows(name, d.index[rev], "slutdatum", "slutdatum är före startdatum",
                     d["slutdatum"])
        if period_end is not None:
            for col in ("startdatum", "slutdatum"):
                late = d[col].notna() & (d[col] > period_end)
                out.add_rows(name, d.index[late], col,
                             f"Datumet ligger efter uttagets period (slutar {period_end.date()})",
                             d[col])
        born_after = d["fodelsear"].notna() & d["startdatum"].notna() & (
            d["fodelsear"] > d["startdatum"].dt.year)
        out.add_rows(name, d.index[born_after], "fodelsear", "Födelseåret är efter startdatum",
                     d["fodelsear"])
        # the source of support at avslut is registered at avslut (an avslutad episode
        # without one is a registration-quality item the pages show, not an error)
        open_ = d["slutdatum"].isna() & ~invalid["deltagare"]["slutdatum"]
        out.add_rows(name, d.index[open_ & d["forsorjning_slut"].notna()], "forsorjning_slut",
                     "Deltagaren är pågående (slutdatum tomt) men har försörjning vid avslut; "
                     "den anges när deltagaren avslutas", d["forsorjning_slut"])

    a = tables.get("avslut")
    if a is not None:
        name = names["avslut"]
        arbetar = a["avslutsorsak"] == "arbetar"
        out.add_rows(name, a.index[arbetar & a["omfattning"].isna()], "omfattning",
                     "omfattning (10–100) krävs när avslutsorsak är arbetar")
        out.add_rows(name, a.index[~arbetar & a["avslutsorsak"].notna() & a["omfattning"].notna()],
                     "omfattning", "omfattning anges bara när avslutsorsak är arbetar",
                     a["omfattning"])
    if a is not None and d is not None:
        orphan = _without_deltagare(con, a, d)
        out.add_rows(names["avslut"], a.index[orphan], "deltagare_id",
                     "Deltagaren finns inte i deltagare för denna insats",
                     a["deltagare_id"])
        has_avslut = ~_without_deltagare(con, d, a)
        ended = d["slutdatum"].notna()
        out.add_rows(names["deltagare"], d.index[ended & ~has_avslut], "slutdatum",
                     "Deltagaren är avslutad (slutdatum satt) men saknar rad i avslut",
                     d["deltagare_id"])
        # a row with an unparseable slutdatum was already reported; do not report it twice
        raw_empty = d["slutdatum"].isna() & ~invalid["deltagare"]["slutdatum"]
        out.add_rows(names["deltagare"], d.index[raw_empty & has_avslut], "slutdatum",
                     "Deltagaren är pågående (slutdatum tomt) men har rad i avslut",
                     d["deltagare_id"])
    b = tables.get("bip")
    if b is not None and d is not None:
        orphan = _without_deltagare(con, b, d)
        out.add_rows(names["bip"], b.index[orphan], "deltagare_id",
                     "Deltagaren finns inte i deltagare för denna insats", b["deltagare_id"])

