"""The data contract's views: ``view(con, scope, filters) -> DataFrame``.

Pages, the CLI export and the PM all call these, so one filter gives one number everywhere.
The viewer scope (which kommuner, whether small numbers are suppressed) is applied here and
nowhere else; it comes from the server side (CLI flags, later the login session), never from
what a browser sends.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

import duckdb
import pandas as pd

from . import codes, config, periods, privacy, sql


@dataclass(frozen=True)
class Scope:
    """What a viewer may see. ``kommuner=None`` means every kommun."""

    kommuner: frozenset[str] | None = None
    suppress: bool = True

    @classmethod
    def kansli(cls) -> Scope:
        return cls(None, suppress=False)

    @classmethod
    def styrelse(cls) -> Scope:
        return cls(None, suppress=True)

    @classmethod
    def lokus(cls, *kommuner: str) -> Scope:
        return cls(frozenset(kommuner), suppress=True)


@dataclass(frozen=True)
class Filters:
    """What the viewer chose. Periods as ``'2020-Q4'``; None = the latest loaded quarter."""

    from_period: str | None = None
    to_period: str | None = None
    kommuner: tuple[str, ...] | None = None
    typer: tuple[str, ...] | None = None
    insatser: tuple[str, ...] | None = None
    statuser: tuple[str, ...] | None = None  # 'pagaende' | 'startad' | 'avslutad'
    kon: tuple[str, ...] | None = None  # participants' kön; the participant views only


STATUSER = ("pagaende", "startad", "avslutad")


class NoData(LookupError):
    """The database holds no loaded extract."""


def latest_period(con: duckdb.DuckDBPyConnection) -> str:
    rows = con.execute("SELECT period FROM loads ORDER BY q DESC, active_seq DESC LIMIT 1").fetchall()
    if not rows:
        raise NoData("Inget uttag är inläst ännu")
    return rows[0][0]


def resolve(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[periods.Range, Filters]:
    """Fill in default periods (the latest loaded quarter)."""
    if f.from_period is None or f.to_period is None:
        latest = latest_period(con)
        f = replace(f, from_period=f.from_period or f.to_period or latest,
                    to_period=f.to_period or latest)
    return periods.Range.of(f.from_period, f.to_period), f


def _params(con: duckdb.DuckDBPyConnection, scope: Scope, f: Filters) -> dict:
    rng, f = resolve(con, f)
    chosen = list(f.kommuner) if f.kommuner else None
    if scope.kommuner is not None:  # the scope always wins over the filter
        chosen = sorted(scope.kommuner & set(chosen)) if chosen else sorted(scope.kommuner)
    return {
        **rng.params(),
        "kommuner": chosen,
        "typer": list(f.typer) if f.typer else None,
        "insatser": list(f.insatser) if f.insatser else None,
        "statuser": list(f.statuser) if f.statuser else None,
        "kon": list(f.kon) if f.kon else None,
    }


# --- a cache of results: pages ask the same view several times per layout (Översikt's key
# figures, its list and its changes), and the same filters come back as people move between
# pages. A result is keyed by the database's identity and data version (a load or an
# activation changes it), the configuration, the scope and the filters; callers get copies.

_CACHE_SIZE = 256
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def data_version(con) -> tuple | None:
    """(database instance, newest active_seq, number of loads); None when unknown."""
    try:
        row = con.execute("SELECT (SELECT value FROM meta WHERE key = 'instance'), "
                          "(SELECT max(active_seq) FROM loads), (SELECT count(*) FROM loads)"
                          ).fetchall()[0]
    except duckdb.Error:
        return None
    return None if row[0] is None else tuple(row)


def cached(fn):
    @functools.wraps(fn)
    def wrapper(con, scope, f=Filters(), *args, **kwargs):
        version = data_version(con)
        if version is None:
            return fn(con, scope, f, *args, **kwargs)
        key = (fn.__name__, version, config.get(), scope, f, args, tuple(sorted(kwargs.items())))
        with _cache_lock:
            hit = _cache.get(key)
            if hit is not None:
                _cache.move_to_end(key)
        if hit is None:
            hit = fn(con, scope, f, *args, **kwargs)
            with _cache_lock:
                _cache[key] = hit
                while len(_cache) > _CACHE_SIZE:
                    _cache.popitem(last=False)
        return hit.copy()  # deep: callers add columns; attrs are copied too
    return wrapper


def _marker() -> str:
    return config.get().suppressed_marker


# --- the views ---------------------------------------------------------------------------------


@cached
def mal(con, scope: Scope, f: Filters = Filters()) -> pd.DataFrame:
    return sql.run(con, "mal", **_params(con, scope, f))


@cached
def kvalitet(con, scope: Scope, f: Filters = Filters()) -> pd.DataFrame:
    return sql.run(con, "kvalitet", **_params(con, scope, f))


@cached
def budget(con, scope: Scope, f: Filters = Filters()) -> pd.DataFrame:
    df = sql.run(con, "budget", **_params(con, scope, f))
    thresholds = config.get().budget
    kvot = df["forbrukningskvot"].astype(object).where(df["forbrukningskvot"].notna(), None)
    df["forbrukningskvot"] = kvot
    df["lampa"] = [thresholds.lampa(k) for k in kvot]
    return df


DELTAGARE_COUNTS = [
    "deltagare_totalt", "avslutade_totalt", "deltagare_period", "avslutade_period",
    "till_arbete_studier", "kvinnor_arbete_studier", "man_arbete_studier", "med_handlingsplan",
    "pagaende", "anonyma", "volym",
]


@cached
def deltagare(con, scope: Scope, f: Filters = Filters()) -> pd.DataFrame:
    df = sql.run(con, "deltagare", **_params(con, scope, f))
    for c in DELTAGARE_COUNTS + ["annan_arbete_studier"]:
        df[c] = df[c].astype(int)
    mask = pd.DataFrame(False, index=df.index, columns=DELTAGARE_COUNTS)
    totals = privacy.column_sums(df, DELTAGARE_COUNTS)
    if scope.suppress and len(df):
        mask, totals = privacy.suppress_frame(
            df,
            counts=DELTAGARE_COUNTS,
            implicit={
                "annan_arbete_studier": df["annan_arbete_studier"],
                "ej_arbete_studier": df["avslutade_period"] - df["till_arbete_studier"],
                "utan_handlingsplan": df["avslutade_period"] - df["med_handlingsplan"],
            },
            row_relations=[
                ("deltagare_totalt", ["avslutade_totalt", "pagaende"]),
                ("deltagare_period", ["avslutade_period", "pagaende"]),
                ("till_arbete_studier",
                 ["kvinnor_arbete_studier", "man_arbete_studier", "annan_arbete_studier"]),
                ("avslutade_period", ["till_arbete_studier", "ej_arbete_studier"]),
                ("avslutade_period", ["med_handlingsplan", "utan_handlingsplan"]),
            ],
            column_totals=DELTAGARE_COUNTS,
            threshold=config.get().suppression_threshold,
        )
    df = privacy.apply_mask(df.drop(columns=["annan_arbete_studier"]), mask, _marker())
    df["andel_arbete_studier"] = shares(df["till_arbete_studier"], df["avslutade_period"])
    df["andel_handlingsplan"] = shares(df["med_handlingsplan"], df["avslutade_period"])
    out = df[[
        "insats_id", "kortnamn", "forrehab", "deltagare_totalt", "avslutade_totalt",
        "deltagare_period", "avslutade_period", "till_arbete_studier", "kvinnor_arbete_studier",
        "man_arbete_studier", "andel_arbete_studier", "med_handlingsplan", "andel_handlingsplan",
        "pagaende", "anonyma", "volym",
    ]].copy()
    out.attrs["totalt"] = _published(totals[None])
    return out


def share(n, total):
    """n / total as published: the marker when either is hidden, None when total is 0."""
    if isinstance(n, str) or isinstance(total, str):
        return _marker()
    return None if not total else n / total


def shares(n: pd.Series, total: pd.Series) -> pd.Series:
    return pd.Series([share(a, b) for a, b in zip(n, total)], index=n.index, dtype=object)


def _published(totals: dict) -> dict:
    """Totals as they may be shown: a hidden one becomes the marker."""
    return {c: _marker() if v is None else v for c, v in totals.items()}


KON_COUNTS = ["kvinna", "man", "annan", "totalt"]


def _by_kon(df: pd.DataFrame, scope: Scope, group: str | None = None,
            total_key=lambda g: g, counts: list[str] = KON_COUNTS) -> pd.DataFrame:
    """Suppress a kön table; its column totals (per ``total_key`` of the group) go to
    ``attrs["totalt"]``, protected the same way, for pages that show a Summa row."""
    for c in counts:
        df[c] = df[c].astype(int)
    totals = privacy.column_sums(df, counts, group, total_key)
    if scope.suppress and len(df):
        mask, totals = privacy.suppress_frame(
            df,
            counts=counts,
            row_relations=[("totalt", ["kvinna", "man", "annan"])] if "kvinna" in counts else [],
            column_totals=counts,
            group=group,
            total_key=total_key,
            threshold=config.get().suppression_threshold,
        )
        df = privacy.apply_mask(df, mask, _marker())
    df.attrs["totalt"] = {k: _published(v) for k, v in totals.items()}
    return df


def malgrupp_total_key(dimension: str) -> str:
    """Every dimension but tid_i_insats counts the same active episodes: one shared total."""
    return "avslutade" if dimension == "tid_i_insats" else "aktiva"


@cached
def avslutsorsaker(con, scope: Scope, f: Filters = Filters()) -> pd.DataFrame:
    df = sql.run(con, "avslutsorsaker", **_params(con, scope, f))
    return _by_kon(df, scope)


INDELNINGAR = ("", "grov", "grov_totalt")  # detailed | coarser | coarser without kön


@cached
def malgrupp(con, scope: Scope, f: Filters = Filters(), indelning: str = "") -> pd.DataFrame:
    """``indelning``: '' the detailed categories; 'grov' the coarser ones of ``codes.GROV``
    (summed before suppression, so a small selection keeps more of its numbers);
    'grov_totalt' coarser and without the split by kön (only ``totalt``)."""
    grov = indelning in ("grov", "grov_totalt")
    df = sql.run(con, "malgrupp", **_params(con, scope, f))
    if grov:
        df["kategori"] = [codes.grov_kategori(d, k) for d, k in zip(df["dimension"], df["kategori"])]
        df = df.groupby(["dimension", "kategori"], sort=False, as_index=False)[KON_COUNTS].sum()
        df = df.iloc[sorted(range(len(df)), key=lambda i: (
            codes.grov_order(df["dimension"].iat[i], df["kategori"].iat[i]), i))].reset_index(
            drop=True)
    if indelning == "grov_totalt":
        return _by_kon(df[["dimension", "kategori", "totalt"]].copy(), scope, group="dimension",
                       total_key=malgrupp_total_key, counts=["totalt"])
    return _by_kon(df, scope, group="dimension", total_key=malgrupp_total_key)


# --- what the pages need beside the contract's views ------------------------------------------


def perioder(con) -> list[str]:
    """Every quarter from the first one with quarterly data to the latest loaded one."""
    last = periods.parse(latest_period(con))
    rows = con.execute("SELECT min(q) FROM (SELECT q FROM kvartalsrapport UNION ALL "
                       "SELECT q FROM budget)").fetchall()
    first = rows[0][0] if rows and rows[0][0] is not None else last
    return [periods.label(q) for q in range(min(first, last), last + 1)]


def kommuner(con, scope: Scope) -> list[str]:
    """The kommuner the register names (not länsövergripande), within the viewer's scope."""
    names = [k for k in sql.run(con, "kommuner")["kommun"] if k != codes.LANSOVERGRIPANDE]
    return names if scope.kommuner is None else [k for k in names if k in scope.kommuner]


@cached
def insatser(con, scope: Scope, f: Filters = Filters()) -> pd.DataFrame:
    """The register of the selected insatser with their status in the range."""
    return sql.run(con, "insatser", **_params(con, scope, f))


@cached
def lampor(con, scope: Scope, f: Filters = Filters()) -> pd.DataFrame:
    """The goal light of each insats in every quarter of the range."""
    return sql.run(con, "lampor", **_params(con, scope, f))


@cached
def malen(con, scope: Scope, f: Filters = Filters()) -> pd.DataFrame:
    """Each insats's goals (mal.csv) as reported for the `to` quarter."""
    return sql.run(con, "malen", **_params(con, scope, f))


@cached
def budget_kvartal(con, scope: Scope, f: Filters = Filters()) -> pd.DataFrame:
    """Budget and utfall per quarter with running totals, from the start of the range or of
    the `to` year, whichever is earlier (so the chart always shows the year to date)."""
    p = _params(con, scope, f)
    return sql.run(con, "budget_kvartal", first_q=min(p["from_q"], p["year_q"]), **p)


TREND_MIN = 8  # quarters a trend shows at least (ending at `to`)


def trend_first(con, rng: periods.Range) -> int:
    """First quarter of a trend: the range, or TREND_MIN quarters ending at its end, never
    before the first quarter with data."""
    first = min(rng.first, rng.last - TREND_MIN + 1)
    return max(first, periods.parse(perioder(con)[0]))


@cached
def deltagare_kvartal(con, scope: Scope, f: Filters = Filters()) -> pd.DataFrame:
    """Avslutade and till arbete/studier per quarter (episodes of individinsatser), with the
    share; suppressed like the other participant views (ej = avslutade - till is implicit)."""
    p = _params(con, scope, f)
    rng, _ = resolve(con, f)
    df = sql.run(con, "deltagare_kvartal", first_q=trend_first(con, rng), **p)
    counts = ["avslutade", "till_arbete_studier"]
    for c in counts:
        df[c] = df[c].astype(int)
    mask = pd.DataFrame(False, index=df.index, columns=counts)
    if scope.suppress and len(df):
        mask, _ = privacy.suppress_frame(
            df, counts=counts,
            implicit={"ej_arbete_studier": df["avslutade"] - df["till_arbete_studier"]},
            row_relations=[("avslutade", ["till_arbete_studier", "ej_arbete_studier"])],
            threshold=config.get().suppression_threshold)
    df = privacy.apply_mask(df, mask, _marker())
    df["andel_arbete_studier"] = shares(df["till_arbete_studier"], df["avslutade"])
    return df


AVVIKELSER = ("avvikelse_budget", "avvikelse_mal")


@cached
def andringar(con, scope: Scope, f: Filters = Filters()) -> pd.DataFrame:
    """What changed in the `to` quarter against the quarter before: goal lights that changed,
    avvikelser reported now but not then, insatser that started or ended in the quarter.
    Columns: insats_id, kortnamn, slag ('lampa' | 'avvikelse_budget' | 'avvikelse_mal' |
    'startad' | 'avslutad'), fore, nu (the lights for 'lampa', else None)."""
    _, f = resolve(con, f)
    to_q = periods.parse(f.to_period)
    now = replace(f, from_period=f.to_period)
    before = replace(f, from_period=periods.label(to_q - 1), to_period=periods.label(to_q - 1))
    rows = []
    lights = lampor(con, scope, replace(now, from_period=before.from_period))
    prev = lights[lights["q"] == to_q - 1].set_index("insats_id")
    names = insatser(con, scope, replace(now, statuser=None)).set_index("insats_id")["kortnamn"]
    for r in lights[lights["q"] == to_q].itertuples():
        had = prev.loc[r.insats_id] if r.insats_id in prev.index else None
        before_light = None if had is None else had["lampa"]
        if had is not None and before_light != r.lampa:
            rows.append((r.insats_id, "lampa", before_light, r.lampa))
        for col in AVVIKELSER:
            if getattr(r, col) and (had is None or not had[col]):
                rows.append((r.insats_id, col, None, None))
    reg = insatser(con, scope, now)
    for r in reg.itertuples():
        for col in ("startad", "avslutad"):
            if getattr(r, col):
                rows.append((r.insats_id, col, None, None))
    out = pd.DataFrame(rows, columns=["insats_id", "slag", "fore", "nu"])
    out.insert(1, "kortnamn", out["insats_id"].map(names))
    return out


VIEWS = {
    "mal": mal,
    "budget": budget,
    "deltagare": deltagare,
    "avslutsorsaker": avslutsorsaker,
    "malgrupp": malgrupp,
    "kvalitet": kvalitet,
}
