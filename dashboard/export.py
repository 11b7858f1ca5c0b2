"""Write a view's DataFrame as CSV, JSON or Excel.

Booleans become ``ja``/``nej`` (the contract's form). A text cell that begins with ``=``,
``+``, ``-``, ``@`` (or a tab or carriage return) gets a leading apostrophe so that Excel
shows it as text instead of running it as a formula. Numbers are left alone.
"""

from __future__ import annotations

import io
import json
import math
from datetime import date, datetime

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "json", "xlsx")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _plain(value):
    """A cell as a plain JSON/CSV value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return _plain(value.item())
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def records(df: pd.DataFrame, formulas_safe: bool = True) -> list[dict]:
    out = []
    for row in df.astype(object).itertuples(index=False, name=None):
        cells = [_plain(v) for v in row]
        if formulas_safe:
            cells = [neutralise(v) for v in cells]
        out.append(dict(zip(df.columns, cells)))
    return out


def to_bytes(df: pd.DataFrame, fmt: str, sheet: str = "data", swedish_csv: bool = False,
             number_formats: dict[str, str] | None = None) -> bytes:
    """``swedish_csv``: semicolon-separated with a BOM, as Swedish Excel opens it (the
    dashboard's downloads); otherwise comma-separated UTF-8 (the CLI's machine form)."""
    if fmt == "json":
        # JSON is not opened by Excel: values as they are (a suppressed count is "<5").
        return json.dumps(records(df, formulas_safe=False), ensure_ascii=False, indent=1).encode()
    rows = records(df)
    if fmt == "csv":
        buf = io.StringIO()
        # object columns: a whole number beside an empty cell stays whole ("800", not "800.0")
        pd.DataFrame(rows, columns=df.columns, dtype=object).to_csv(
            buf, index=False, lineterminator="\n", sep=";" if swedish_csv else ",")
        return buf.getvalue().encode("utf-8-sig" if swedish_csv else "utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = sheet[:31]
        ws.append(list(df.columns))
        for r in rows:
            ws.append(list(r.values()))
        formats = number_formats or {}
        for cell_row in ws.iter_rows(min_row=2):
            for cell, col in zip(cell_row, df.columns):
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # always text, never a formula
                elif col in formats and isinstance(cell.value, (int, float)):
                    cell.number_format = formats[col]
        from openpyxl.styles import Font

        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, col in enumerate(df.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, width)
        ws.freeze_panes = "A2"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    raise ValueError(f"okänt format {fmt!r}; välj {', '.join(FORMATS)}")
