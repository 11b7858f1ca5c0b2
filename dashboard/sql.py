"""Named SQL from ``queries/*.sql``, run with bound parameters only.

``run(con, "budget", kommuner=[...], to_q=...)`` binds the named parameters that the query
mentions (``$name``) and returns a DataFrame (``rows``: tuples, ``arrow``: an Arrow table).
Values never become part of the SQL text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

QUERIES = Path(__file__).resolve().parent.parent / "queries"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@cache
def load_sql(name: str) -> tuple[str, frozenset[str]]:
    """The text of ``queries/<name>.sql`` and the parameter names it uses."""
    if not re.fullmatch(r"[a-z_]+", name):
        raise ValueError(f"bad query name {name!r}")
    text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    code = "\n".join(line.split("--", 1)[0] for line in text.splitlines())
    return text, frozenset(_PARAM.findall(code))


def _bound(name: str, params: dict) -> tuple[str, dict]:
    text, needed = load_sql(name)
    missing = needed - params.keys()
    if missing:
        raise TypeError(f"query {name} needs parameters {sorted(missing)}")
    return text, {k: params[k] for k in needed}


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    return con.execute(*_bound(name, params)).df()


def rows(con: duckdb.DuckDBPyConnection, name: str, **params) -> list[tuple]:
    """The query's rows as tuples (small answers, and statements that change data)."""
    return con.execute(*_bound(name, params)).fetchall()


def arrow(con: duckdb.DuckDBPyConnection, name: str, **params):
    """The query's rows as an Arrow table (many rows read at once, without pandas)."""
    text, bound = _bound(name, params)
    return con.sql(text, params=bound or None).to_arrow_table()
