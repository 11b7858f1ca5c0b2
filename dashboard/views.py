"""The data contract's views: ``view(con, scope, filters) -> DataFrame``.

Pages, the CLI export and the PM all call these, so one filter gives one number everywhere.
The viewer scope (which kommuner, whether small numbers are suppressed) is applied here and
nowhere else; it comes from the server side (CLI flags, later the login session), never from
what a browser sends.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd
from cachetools import LRUCache

from . import codes, config, inlast, periods, publicering, sql
from .inlast import (  # noqa: F401  (what is loaded: asked through the views too)
    NoData,
    bip_indikatorer,
    data_version,
    latest_period,
    perioder,
    senaste_uttag,
)
from .publicerat import andel, dolt
from .urval import NO_FILTER, Filter, Scope


def resolve(con: duckdb.DuckDBPyConnection, f: Filter) -> tuple[periods.Range, Filter]:
    """The filter's range of quarters for the loaded data (``inlast.resolve``)."""
    return inlast.resolve(perioder(con), f)


def _params(con: duckdb.DuckDBPyConnection, scope: Scope, f: Filter) -> dict:
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
_cache: LRUCache = LRUCache(maxsize=_CACHE_SIZE)
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
    inlast.clear_cache()
    publicering.clear_cache()


def cached(fn):
    @functools.wraps(fn)
    def wrapper(con, scope, f=NO_FILTER, *args, **kwargs):
        version = data_version(con)
        if version is None:
            return fn(con, scope, f, *args, **kwargs)
        key = (fn.__name__, version, config.get(), scope, f, args, tuple(sorted(kwargs.items())))
        with _cache_lock:
            hit = _cache.get(key)
        if hit is None:
            hit = fn(con, scope, f, *args, **kwargs)
            with _cache_lock:
                _cache[key] = hit
        return hit.copy()  # deep: callers add columns; attrs are copied too
    return wrapper


# --- the views ---------------------------------------------------------------------------------


@cached
def mal(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    return sql.run(con, "mal", **_params(con, scope, f))


@cached
def kvalitet(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    return sql.run(con, "kvalitet", **_params(con, scope, f))


@cached
def budget(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    df = sql.run(con, "budget", **_params(con, scope, f))
    thresholds = config.get().budget
    kvot = df["forbrukningskvot"].astype(object).where(df["forbrukningskvot"].notna(), None)
    df["forbrukningskvot"] = kvot
    df["lampa"] = [thresholds.lampa(k) for k in kvot]
    return df


@cached
def budget_prognos(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """A year-end forecast per insats ("Så räknas siffrorna"): the year-to-date utfall plus
    the rest of the year's budget spent at the last two quarters' rate. The rest of the year's
    budget is the year-to-date budget's quarterly mean times the quarters left. Columns:
    insats_id, prognos_utfall_tkr, prognos_budget_tkr, prognos_kvot, prognos_lampa,
    overfort_tkr (the year to date)."""
    df = sql.run(con, "budget_prognos", **_params(con, scope, f))
    _, f = resolve(con, f)
    left = 3 - periods.parse(f.till) % 4  # quarters of the year after `to`
    mean = df["ack_budget_tkr"] / df["kvartal"]
    rate = (df["senaste_utfall_tkr"] / df["senaste_budget_tkr"]).where(
        df["senaste_budget_tkr"] > 0, df["ack_utfall_tkr"] / df["ack_budget_tkr"])
    df["prognos_budget_tkr"] = df["ack_budget_tkr"] + mean * left
    df["prognos_utfall_tkr"] = df["ack_utfall_tkr"] + mean * left * rate.fillna(0)
    kvot = df["prognos_utfall_tkr"] / df["prognos_budget_tkr"]
    df["prognos_kvot"] = kvot.astype(object).where(df["prognos_budget_tkr"] > 0, None)
    thresholds = config.get().budget
    df["prognos_lampa"] = [thresholds.lampa(k) for k in df["prognos_kvot"]]
    return df[["insats_id", "prognos_utfall_tkr", "prognos_budget_tkr", "prognos_kvot",
               "prognos_lampa", "overfort_tkr"]]


DELTAGARE_COUNTS = [
    "deltagare_totalt", "avslutade_totalt", "deltagare_period", "avslutade_period",
    "till_arbete_studier", "kvinnor_arbete_studier", "man_arbete_studier", "med_handlingsplan",
    "pagaende", "anonyma", "volym",
]


@cached
def deltagare(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    df = sql.run(con, "deltagare", **_params(con, scope, f))
    for c in DELTAGARE_COUNTS + ["annan_arbete_studier"]:
        df[c] = df[c].astype(int)
    totals = privacy_free_totals(df, DELTAGARE_COUNTS)
    ej_publicerat = []
    if scope.suppress:
        pub, rng = _publication(con, f, kon_allowed=False)
        ej_publicerat = [c for c in ("anonyma", "volym") if not pub.publicerad(rng, "anon")]
        for c in ej_publicerat:
            del totals[c]
        _protect(df, [c for c in DELTAGARE_COUNTS if c not in ej_publicerat], totals,
                 lambda c, ids: pub.deltagare(rng, c, ids))
    df = df.drop(columns=["annan_arbete_studier"])
    df["andel_arbete_studier"] = shares(df["till_arbete_studier"], df["avslutade_period"])
    df["andel_handlingsplan"] = shares(df["med_handlingsplan"], df["avslutade_period"])
    out = df[[
        "insats_id", "kortnamn", "forrehab", "deltagare_totalt", "avslutade_totalt",
        "deltagare_period", "avslutade_period", "till_arbete_studier", "kvinnor_arbete_studier",
        "man_arbete_studier", "andel_arbete_studier", "med_handlingsplan", "andel_handlingsplan",
        "pagaende", "anonyma", "volym",
    ]].drop(columns=ej_publicerat)
    out.attrs["totalt"] = totals
    if ej_publicerat:  # columns published per calendar year only: left out, and why
        out.attrs["ej_publicerat"] = publicering.PER_AR_TEXT
    return out


def privacy_free_totals(df: pd.DataFrame, columns: list[str]) -> dict:
    """Column totals as the kansli's own (unsuppressed) view shows them."""
    return {c: int(df[c].sum()) for c in columns}


def _protect(df: pd.DataFrame, columns: list[str], totals: dict, published) -> None:
    """The one place a table with a row per insats gets the publication's cells: each of
    ``columns`` for each row's insats, and ``totals`` for all of them
    (``published(column, insatser)``: int or marker)."""
    ids = list(df["insats_id"])
    for c in columns:
        df[c] = pd.Series([published(c, [i]) for i in ids], index=df.index, dtype=object)
        totals[c] = published(c, ids)


def _publication(con, f: Filter, kon_allowed: bool = True):
    """The extract's publication and the range, for a suppressed view; a filter that is not
    part of the publication is refused with a message (never other numbers)."""
    rng, f = resolve(con, f)
    pub = publicering.get(con)
    pub.check(rng)
    if f.kon and (not kon_allowed or len(f.kon) != 1 or f.kon[0] == "annan"):
        raise publicering.EjPublicerad(
            "Filtret på kön visar bara kvinnor eller män, och bara i Målgrupp och "
            "Avslutsorsaker: tabellerna har redan kolumner för kvinnor och män, och fler "
            "uppdelningar skulle låta små tal räknas fram.")
    return pub, rng


share = andel  # n / total as published (publicerat.andel)


def shares(n: pd.Series, total: pd.Series) -> pd.Series:
    return pd.Series([share(a, b) for a, b in zip(n, total)], index=n.index, dtype=object)


KON_COUNTS = ["kvinna", "man", "annan", "totalt"]


def _summa_columns(counts: list[str]) -> list[str]:
    """A Summa row's columns outside the kansli: the rows' own (totalt = kvinnor + män, no
    annat kön) and "samtliga", everyone."""
    return [c for c in counts if c != "annan"] + ["samtliga"]


def _kol(column: str, kon: tuple | None) -> str | None:
    """The publication's kön column for a shown column under a kön filter (None: nothing)."""
    wanted = set(publicering.SUMMA_KONS[column]) & set(kon or publicering.SUMMA_KONS["samtliga"])
    return next((k for k, v in publicering.SUMMA_KONS.items() if set(v) == wanted), None)


def _by_kon(df: pd.DataFrame, scope: Scope, totals_of: dict, cell_of=None,
            counts: list[str] = KON_COUNTS, kon: tuple | None = None) -> pd.DataFrame:
    """A kön table as published. Kansli: the counts as they are. Others: kvinnor, män and
    their sum per row (annat kön only inside the Summa's "samtliga"), each cell as the
    publication decided. ``cell_of(row, column)`` gives the published value; ``totals_of``:
    {total key: {column: published value or int}}, the Summa rows."""
    for c in counts:
        if df[c].dtype != np.int64:
            df[c] = df[c].astype(int)
    if not scope.suppress:
        df.attrs["totalt"] = totals_of
        return df
    cols = [c for c in counts if c != "annan"]
    out = df.drop(columns=[c for c in ("annan",) if c in df.columns]).copy()
    rows = list(df.itertuples())
    for c in cols:
        kol = _kol(c, kon)
        out[c] = pd.Series([cell_of(r, kol) if kol else 0 for r in rows],
                           index=df.index, dtype=object)
    out.attrs["totalt"] = totals_of
    return out


def malgrupp_total_key(dimension: str) -> str:
    """Every dimension but tid_i_insats counts the same active episodes: one shared total."""
    return "avslutade" if dimension == "tid_i_insats" else "aktiva"


def _selection(con, scope: Scope, f: Filter) -> list[str]:
    return list(insatser(con, scope, f)["insats_id"])


@cached
def avslutsorsaker(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    if not scope.suppress:
        df = sql.run(con, "avslutsorsaker", **_params(con, scope, f), omfattningar=None)
        return _by_kon(df, scope, {None: privacy_free_totals(df, KON_COUNTS)})
    pub, rng = _publication(con, f)
    # the publication's rows whatever the selection: a row's presence tells nothing
    df = sql.run(con, "avslutsorsaker", **_params(con, scope, f), omfattningar=pub.omfattningar)
    if not pub.publicerad(rng, "reg"):  # no rows, and why
        out = _by_kon(df.iloc[:0].copy(), scope, {None: {}}, kon=f.kon)
        out.attrs["ej_publicerat"] = publicering.PER_AR_TEXT
        return out
    ids = _selection(con, scope, f)

    def cell(row, kol):
        return pub.avslut(rng, row.avslutsorsak, kol, ids)

    totals = {None: {c: pub.avslut(rng, "summa", kol, ids)
                     for c in _summa_columns(KON_COUNTS) if (kol := _kol(c, f.kon))}}
    return _by_kon(df, scope, totals, cell, kon=f.kon)


def _grov(df: pd.DataFrame) -> pd.DataFrame:
    """The detailed målgrupp rows summed into the coarse categories of ``codes.GROV``, in its
    order (a few dozen rows: summed in Python, a pandas groupby costs more than the sums)."""
    sums: dict[tuple[str, str], list[int]] = {}
    columns = [df[c].tolist() for c in KON_COUNTS]
    for i, (d, k) in enumerate(zip(df["dimension"].tolist(), df["kategori"].tolist())):
        row = sums.setdefault((d, codes.grov_kategori(d, k)), [0] * len(KON_COUNTS))
        for j, values in enumerate(columns):
            row[j] += values[i]
    keys = sorted(sums, key=lambda dk: codes.grov_order(*dk))  # stable: first seen first
    return pd.DataFrame({"dimension": [d for d, _ in keys], "kategori": [k for _, k in keys],
                         **{c: np.array([sums[dk][j] for dk in keys], dtype=np.int64)
                            for j, c in enumerate(KON_COUNTS)}})


@cached
def malgrupp(con, scope: Scope, f: Filter = NO_FILTER, indelning: str = "") -> pd.DataFrame:
    """``indelning``: '' the detailed categories; 'grov' the coarser ones of ``codes.GROV``
    (summed before suppression, so a small selection keeps more of its numbers);
    'grov_totalt' coarser and without the split by kön (only ``totalt``)."""
    grov = indelning in ("grov", "grov_totalt")
    pub, rng = _publication(con, f) if scope.suppress else (None, None)
    # outside the kansli the publication's month bands whatever the selection: the number of
    # rows tells nothing about the longest stay in it
    df = sql.run(con, "malgrupp", **_params(con, scope, f), tid_band=pub and pub.tid_band)
    if grov:
        df = _grov(df)
    counts = ["totalt"] if indelning == "grov_totalt" else KON_COUNTS
    if indelning == "grov_totalt":
        df = df[["dimension", "kategori", "totalt"]].copy()
    if not scope.suppress:
        # a total key's sums from the first dimension that counts it
        dims = df["dimension"].to_numpy()
        totals: dict = {}
        for d in dict.fromkeys(dims.tolist()):
            key = malgrupp_total_key(d)
            if key not in totals:
                totals[key] = privacy_free_totals(df[dims == d], counts)
        return _by_kon(df, scope, totals, counts=counts)
    ids = _selection(con, scope, f)
    tid = pub.publicerad(rng, "tid")
    if not tid:  # Tid i insats is published per calendar year only: no rows, and why
        df = df[df["dimension"] != "tid_i_insats"]

    def cell(row, kol):
        return pub.malgrupp(rng, row.dimension, row.kategori, kol, ids, grov)

    totals = {key: {c: pub.malgrupp(rng, dim, "summa", kol, ids)
                    for c in _summa_columns(counts) if (kol := _kol(c, f.kon))}
              for key, dim in (("aktiva", "alder"), ("avslutade", "tid_i_insats"))
              if tid or dim != "tid_i_insats"}
    out = _by_kon(df, scope, totals, cell, counts=counts, kon=f.kon)
    if not tid:
        out.attrs["ej_publicerat"] = {"tid_i_insats": publicering.PER_AR_TEXT}
    return out


# --- what the pages need beside the contract's views ------------------------------------------


def kommuner(con, scope: Scope) -> list[str]:
    """The kommuner the register names (not länsövergripande), within the viewer's scope."""
    names = [k for k in sql.run(con, "kommuner")["kommun"] if k != codes.LANSOVERGRIPANDE]
    return names if scope.kommuner is None else [k for k in names if k in scope.kommuner]


@cached
def insatser(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """The register of the selected insatser with their status in the range."""
    return sql.run(con, "insatser", **_params(con, scope, f))


@cached
def lampor(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """The goal light of each insats in every quarter of the range."""
    return sql.run(con, "lampor", **_params(con, scope, f))


@cached
def malen(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """Each insats's goals (mal.csv) as reported for the `to` quarter."""
    return sql.run(con, "malen", **_params(con, scope, f))


@cached
def budget_kvartal(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
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
def deltagare_kvartal(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """Avslutade and till arbete/studier per quarter (episodes of individinsatser), with the
    share; each quarter's counts as the publication decided them."""
    p = _params(con, scope, f)
    rng, _ = resolve(con, f)
    df = sql.run(con, "deltagare_kvartal", first_q=trend_first(con, rng), **p)
    counts = ["avslutade", "till_arbete_studier"]
    for c in counts:
        df[c] = df[c].astype(int)
    if scope.suppress:
        pub, _ = _publication(con, f, kon_allowed=False)
        ids = _selection(con, scope, f)
        for c, measure in zip(counts, ("avslutade_period", "till_arbete_studier")):
            quarters = [periods.Range(q, q) for q in df["q"]]
            df[c] = pd.Series([pub.deltagare(r, measure, pub.members(ids, r))
                               for r in quarters],
                              index=df.index, dtype=object)
    df["andel_arbete_studier"] = shares(df["till_arbete_studier"], df["avslutade"])
    return df


AVVIKELSER = ("avvikelse_budget", "avvikelse_mal")


@cached
def andringar(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """What changed in the `to` quarter against the quarter before: goal lights that changed,
    avvikelser reported now but not then, insatser that started or ended in the quarter.
    Columns: insats_id, kortnamn, slag ('lampa' | 'avvikelse_budget' | 'avvikelse_mal' |
    'startad' | 'avslutad'), fore, nu (the lights for 'lampa', else None)."""
    _, f = resolve(con, f)
    to_q = periods.parse(f.till)
    now = replace(f, fran=f.till)
    before = replace(f, fran=periods.label(to_q - 1), till=periods.label(to_q - 1))
    rows = []
    lights = lampor(con, scope, replace(now, fran=before.fran))
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


BIP_COUNTS = ["deltagare", "matta", "med_uppfoljning", "stegforflyttning",
              "kvinna_stegforflyttning", "man_stegforflyttning"]


@cached
def bip(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """Progression per insats with measurements (the contract's ``bip`` view): active
    episodes, measured, with uppföljning, with stegförflyttning (and by kön), their shares and
    the median days from the first to the latest measurement. ``attrs['totalt']``: the same
    over every row (the selection)."""
    ep = sql.run(con, "bip_matningar", **_params(con, scope, f))
    ep["matta"] = ep["datum"] >= 1
    ep["med_uppfoljning"] = ep["datum"] >= 2
    ep["stegforflyttning"] = ep["med_uppfoljning"] & ep["steg"]
    for k in ("kvinna", "man"):
        ep[f"{k}_stegforflyttning"] = ep["stegforflyttning"] & (ep["kon"] == k)
    ep["deltagare"] = True
    g = ep.groupby("insats_id")
    df = g[BIP_COUNTS].sum().astype(int)
    median = ep[ep["med_uppfoljning"]].groupby("insats_id")["dagar"].median()
    reg = insatser(con, scope, f)[["insats_id", "kortnamn"]]
    if scope.suppress:
        pub, rng = _publication(con, f, kon_allowed=False)
        # the rows whatever the period: the selection's individinsatser running in it that use
        # BIP at all (a row only where someone was measured would say "at least 1")
        rows = [i for i in pub.members(reg["insats_id"], rng) if i in pub.bip_insatser]
        df = df.reindex(rows, fill_value=0)
    else:
        df = df[df["matta"] > 0]
    df["dagar_median"] = median.reindex(df.index)
    df.index.name = "insats_id"
    df = reg.merge(df.reset_index(), on="insats_id")  # the register's order
    totals = privacy_free_totals(df, BIP_COUNTS)
    with_f = ep[ep["insats_id"].isin(df["insats_id"]) & ep["med_uppfoljning"]]["dagar"]
    totals["dagar_median"] = float(with_f.median()) if len(with_f) else None
    if scope.suppress:
        _protect(df, BIP_COUNTS, totals, lambda c, ids: pub.bip(rng, c, ids))
        # a median over a hidden group is hidden with it
        df["dagar_median"] = [m if not dolt(n) else n
                              for m, n in zip(df["dagar_median"], df["med_uppfoljning"])]
        if dolt(totals["med_uppfoljning"]):
            totals["dagar_median"] = totals["med_uppfoljning"]
    df["andel_matta"] = shares(df["matta"], df["deltagare"])
    df["andel_stegforflyttning"] = shares(df["stegforflyttning"], df["med_uppfoljning"])
    totals["andel_matta"] = share(totals["matta"], totals["deltagare"])
    totals["andel_stegforflyttning"] = share(totals["stegforflyttning"],
                                             totals["med_uppfoljning"])
    df.attrs["totalt"] = totals
    return df


@cached
def bip_indikator(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """Per indicator of the current list (``bip_indikatorer``, in its order; the contract's
    ``bip_indikator`` view), over the selection's episodes with uppföljning measuring it on
    both their first and latest date: med_uppfoljning (how many), medel_forsta,
    medel_senaste, and how many got better, stayed and got worse. Outside the kansli the count
    is the publication's cell (``bip``, ``ja:<code>``) and the means are shown only with it,
    and so is each direction of the change (``battre:<code>``...)."""
    raw = sql.run(con, "bip_indikator", **_params(con, scope, f))
    rows = []
    for code, namn in bip_indikatorer(con):
        r = raw[raw["indikator"] == code]
        n = int(r["antal"].sum())
        rows.append({
            "indikator": code, "namn": namn, "med_uppfoljning": n,
            "medel_forsta": (r["varde_forsta"] * r["antal"]).sum() / n if n else None,
            "medel_senaste": (r["varde_senaste"] * r["antal"]).sum() / n if n else None,
            "battre": int(r.loc[r["forandring"] > 0, "antal"].sum()),
            "samma": int(r.loc[r["forandring"] == 0, "antal"].sum()),
            "samre": int(r.loc[r["forandring"] < 0, "antal"].sum()),
        })
    df = pd.DataFrame(rows)
    if scope.suppress:
        pub, rng = _publication(con, f, kon_allowed=False)
        ids = list(bip(con, scope, f)["insats_id"])
        for col in ("med_uppfoljning", "medel_forsta", "medel_senaste", "battre", "samma",
                    "samre"):
            df[col] = df[col].astype(object)
        for i, code in df["indikator"].items():
            n = pub.bip_indikator(rng, "ja", code, ids)
            if dolt(n):  # the means of a hidden group are hidden with it
                df.loc[i, ["med_uppfoljning", "medel_forsta", "medel_senaste"]] = n
            for r in publicering.RIKTNINGAR:
                df.loc[i, r] = pub.bip_indikator(rng, r, code, ids)
    return df


VIEWS = {
    "mal": mal,
    "budget": budget,
    "deltagare": deltagare,
    "avslutsorsaker": avslutsorsaker,
    "malgrupp": malgrupp,
    "kvalitet": kvalitet,
    "bip": bip,
    "bip_indikator": bip_indikator,
}


# --- the slutrapport of an ended insats, and Kvalitet's Registreringskvalitet -------------------
#
# The board's figures are cells of the publication (``beslut.HELA_DELT``, ``KVAL_DELT``, the
# whole time's Målgrupp and avslutsorsaker), read as any other; the kansli's own are counted
# from the episodes (its own SQL), so that a test can hold the two against each other and
# against the Deltagare view over the same quarters.

SLUT_DELTAGARE = ["deltagare_totalt", "kvinnor", "man", "avslutade_totalt", "deltagare_period",
                  "avslutade_period", "till_arbete_studier", "med_handlingsplan", "oppna"]


def avslutade_insatser(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """The insatser in the viewer's scope (and ``f``'s kommun, typ and insats) that have ended
    by the latest loaded quarter and after the first (within the loaded data): the register's
    columns, and ``fran``, ``till`` (quarter labels) of each one's whole time
    (``periods.hela_tiden``), the period its slutrapport covers. In the register's order."""
    loaded = perioder(con)
    first, last = periods.parse(loaded[0]), periods.parse(loaded[-1])
    reg = insatser(con, scope, replace(f, fran=loaded[-1], till=loaded[-1], statuser=()))
    rng = [periods.hela_tiden(periods.of_date(a), periods.of_date(b), first, last)
           for a, b in zip(reg["startdatum"], reg["slutdatum"])]
    reg = reg.assign(fran=[r and periods.label(r.first) for r in rng],
                     till=[r and periods.label(r.last) for r in rng])
    return reg[np.array([r is not None for r in rng], dtype=bool)].reset_index(drop=True)


def slutrapport_insats(con, scope: Scope, insats_id: str) -> dict | None:
    """The register row of an ended insats in the viewer's scope (``avslutade_insatser``) as a
    dict, with its whole time as ``rng`` (periods.Range) and ``filter`` (a Filter of that
    range and insats); None when it has not ended or is not the viewer's."""
    df = avslutade_insatser(con, scope, Filter(insatser=(insats_id,)))
    if not len(df):
        return None
    r = df.iloc[0].to_dict()
    r["rng"] = periods.Range(periods.parse(r["fran"]), periods.parse(r["till"]))
    r["filter"] = Filter(r["fran"], r["till"], insatser=(insats_id,))
    return r


def slutrapport_deltagare(con, scope: Scope, insats_id: str) -> dict | None:
    """An ended individinsats's participants over its whole time (SLUT_DELTAGARE, with the
    shares to work or studies and with a handlingsplan of those who ended in it): the
    kansli's counted from the episodes, everyone else's the publication's cells. None for an
    insats without a slutrapport or without participants (not an individinsats)."""
    r = slutrapport_insats(con, scope, insats_id)
    if r is None or r["typ"] != "individ":
        return None
    rng = r["rng"]
    if not scope.suppress:
        row = sql.run(con, "slutrapport_deltagare", insats_id=insats_id,
                      from_date=rng.from_date, to_date=rng.to_date).iloc[0]
        out = {c: int(row[c]) for c in SLUT_DELTAGARE}
    else:
        pub = publicering.get(con)
        out = {c: pub.slutrapport_deltagare(insats_id, rng, c) for c in SLUT_DELTAGARE}
    out["andel_arbete_studier"] = share(out["till_arbete_studier"], out["avslutade_period"])
    out["andel_handlingsplan"] = share(out["med_handlingsplan"], out["avslutade_period"])
    return out


def slutrapport_avslutsorsaker(con, scope: Scope, insats_id: str) -> pd.DataFrame | None:
    """An ended individinsats's avslutsorsaker (registrations of those who ended in its whole
    time) by group and code, ``arbetar`` of every omfattning in one row: rad (the group
    'grupp:<grupp>' or the code), totalt (outside the kansli kvinnor and män; annat kön only
    in the Summa's "samtliga"); ``attrs['totalt']`` the Summa. None as
    ``slutrapport_deltagare``."""
    r = slutrapport_insats(con, scope, insats_id)
    if r is None or r["typ"] != "individ":
        return None
    rng = r["rng"]
    if not scope.suppress:
        df = avslutsorsaker(con, scope, r["filter"])
        n = dict(zip(df["avslutsorsak"], df["totalt"]))
        rows = [(name, int(sum(n.get(m, 0) for m in members)))
                for name, members in publicering.slutrapport_avslut_rader(n) if name != "summa"]
        out = pd.DataFrame(rows, columns=["rad", "totalt"])
        out.attrs["totalt"] = {"totalt": int(df["totalt"].sum())}
        return out
    pub = publicering.get(con)

    def cell(name, kol):
        return pub.slutrapport_avslut(insats_id, rng, name, kol)
    rows = [(name, cell(name, "totalt")) for name, _ in publicering.slutrapport_avslut_rader(())
            if name != "summa"]
    out = pd.DataFrame(rows, columns=["rad", "totalt"])
    out["totalt"] = out["totalt"].astype(object)
    out.attrs["totalt"] = {"totalt": cell("summa", "totalt"), "samtliga": cell("summa", "samtliga")}
    return out


def slutrapport_malgrupp(con, scope: Scope, insats_id: str) -> pd.DataFrame | None:
    """An ended individinsats's participants (active in its whole time) in Målgrupp's coarse
    categories, without the split by kön (``malgrupp(..., "grov_totalt")`` without Tid i
    insats): dimension, kategori, totalt (outside the kansli kvinnor and män, annat kön in
    the Summa's "samtliga" only); ``attrs['totalt']`` the Summa. The kansli's is that view
    over the whole time, everyone else's the publication's cells. None as
    ``slutrapport_deltagare``."""
    r = slutrapport_insats(con, scope, insats_id)
    if r is None or r["typ"] != "individ":
        return None
    if not scope.suppress:
        df = malgrupp(con, scope, r["filter"], "grov_totalt")
        out = df[df["dimension"] != "tid_i_insats"].reset_index(drop=True)
        out.attrs["totalt"] = dict(df.attrs["totalt"]["aktiva"])
        return out
    rng = r["rng"]
    pub = publicering.get(con)

    def cell(d, kategori, kol):
        return pub.slutrapport_malgrupp(insats_id, rng, d, kategori, kol)
    rows = [(d, code, cell(d, code, "totalt"))
            for d in publicering.MALGRUPP_AKTIVA for code, _, _ in codes.GROV[d]]
    out = pd.DataFrame(rows, columns=["dimension", "kategori", "totalt"])
    out["totalt"] = out["totalt"].astype(object)
    out.attrs["totalt"] = {kol: cell("", "summa", kol) for kol in ("totalt", "samtliga")}
    return out


def slutrapport_budget(con, scope: Scope, insats_id: str) -> dict | None:
    """An ended insats's economy over its whole time (the Budget view's sums over its quarters,
    as loaded): budget_tkr, utfall_tkr, overfort_tkr, aterfort_tkr, forbrukningskvot (utfall ÷
    budget over the whole time; None without budget), beviljat_tkr, and the quarters summed
    (``fran``, ``till``: from the first loaded quarter when it started earlier)."""
    r = slutrapport_insats(con, scope, insats_id)
    if r is None:
        return None
    b = budget(con, scope, r["filter"])
    sums = {c: float(b[c].sum()) for c in ("budget_tkr", "utfall_tkr", "overfort_tkr",
                                            "aterfort_tkr")}
    sums["forbrukningskvot"] = sums["utfall_tkr"] / sums["budget_tkr"] \
        if sums["budget_tkr"] else None
    return {**sums, "beviljat_tkr": float(r["beviljat_tkr"]), "fran": r["fran"],
            "till": r["till"]}


REGISTRERING_SLAG = {  # a problem of registration (registrering_rader.sql) in words
    "oppen_efter_slut": "Öppna fast insatsen har avslutats",
    "oppen_lange": "Öppna länge",
    "utan_handlingsplan": "Pågående utan handlingsplan",
}
RATTELSE_SLAG = {"sent_avslut": "Avslut registrerat sent", "kon": "Kön ändrat",
                 "handlingsplan": "Handlingsplan ändrad"}
REGISTRERING_RADER = ("Raderna bakom talen visas bara i kansliets egen vy (slå på den i "
                      "sidhuvudet).")


def _senaste(con, scope: Scope, f: Filter) -> tuple[Filter, dict]:
    """``f``'s kommun, typ and insats at the latest loaded quarter (the registration of the
    extract is about now, whatever period a page shows), and its SQL parameters."""
    latest = latest_period(con)
    g = replace(f, fran=latest, till=latest, statuser=(), kon=())
    return g, _params(con, scope, g)


def _bara_kansliet(scope: Scope) -> None:
    if scope.suppress:
        raise publicering.EjPublicerad(REGISTRERING_RADER)


def registrering_rader(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """The episodes behind Registreringskvalitet's counts (registrering_rader.sql), the kansli's
    own view only (``EjPublicerad`` for everyone else: rows of persons are never shown)."""
    _bara_kansliet(scope)
    g, p = _senaste(con, scope, f)
    q = periods.parse(g.till)
    months = config.get().registrering.oppen_kvartal
    return sql.run(con, "registrering_rader", kommuner=p["kommuner"], typer=p["typer"],
                   insatser=p["insatser"], slut=p["to_date"], kvartal_start=p["from_date"],
                   grans=periods.last_day(q - months))


def registrering_rattelser(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """What the current extract corrects in earlier quarters against the load before it
    (registrering_rattelser.sql), the kansli's own view only (as ``registrering_rader``)."""
    _bara_kansliet(scope)
    g, p = _senaste(con, scope, f)
    return sql.run(con, "registrering_rattelser", kommuner=p["kommuner"], typer=p["typer"],
                   insatser=p["insatser"], slut=p["to_date"], kvartal_start=p["from_date"])


def _andel_anonyma(anonyma, registrerade):
    """Anonyma of everyone (anonyma and registered); a marker when either count is hidden."""
    if anonyma is None:
        return None
    if dolt(anonyma) or dolt(registrerade):
        return anonyma if dolt(anonyma) else registrerade
    return share(anonyma, anonyma + registrerade)


def registrering(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """Registreringskvalitet per individinsats of the current extract (``f``'s kommun, typ and
    insats; always the latest quarter): those running in it and those that have ended within
    the loaded data, whatever their counts (a row's presence says nothing).

    Columns: insats_id, kortnamn, forrehab, avslutad (ended by the latest quarter),
    i_kvartalet (running in it), the counts of ``REGISTRERING_SLAG`` (None where a count does
    not apply: open after the end for an ended insats, the others for one running in the
    latest quarter, handlingsplan for förrehabiliterande ones), anonyma and registrerade (the
    latest whole calendar year, as anonyma are published; None when the insats did not run in
    it), andel_anonyma (of both), rattelser (the kansli: corrections of earlier quarters
    against the load before; everyone else: True/False, whether there are any, never how
    many: corrections are differences between two loads' figures, and their counts would let
    a reader subtract them from the figures published before). Outside the kansli every count
    is the publication's cell; ``attrs['ar']``: the calendar year of the anonyma (a
    ``Filter``), ``attrs['manader']``: the months counted as open long (None: not published)."""
    g, _ = _senaste(con, scope, f)
    last = periods.parse(g.till)
    reg = insatser(con, scope, g)
    hela = avslutade_insatser(con, scope, g).set_index("insats_id")
    reg = reg[(reg["typ"] == "individ") & (reg["i_perioden"] | reg["insats_id"].isin(hela.index))]
    reg = reg.reset_index(drop=True)
    reg["avslutad"] = reg["insats_id"].isin(hela.index)
    reg["i_kvartalet"] = reg["i_perioden"].astype(bool)
    manader = config.get().registrering.oppen_manader
    if not scope.suppress:
        rows = registrering_rader(con, scope, g)
        n = rows.groupby(["insats_id", "slag"]).size().to_dict()

        def count(i, slag):
            return int(n.get((i, slag), 0))
    else:
        pub = publicering.get(con)
        if not pub.har_slutrapporter:  # decided before these cells were published
            raise publicering.EjPublicerad(publicering.SLUT_EJ_BESLUTAD)
        if pub.oppen_manader != manader:
            manader = None

        def count(i, slag):
            if slag == "oppen_efter_slut":
                t = periods.parse(hela.loc[i, "till"])
                rng = pub.hela(i)
                if rng is None or rng.last != t:
                    return None
                return pub.slutrapport_deltagare(i, rng, "oppna")
            if slag == "oppen_lange":
                if manader is None:
                    return None
                return pub.registrering(i, "pagaende_lange", manader)
            return pub.registrering(i, "pagaende_utan_handlingsplan", manader)
    for slag in REGISTRERING_SLAG:
        applies = reg["avslutad"] if slag == "oppen_efter_slut" else reg["i_kvartalet"] & (
            reg["forrehab"] if slag == "utan_handlingsplan" else True)
        reg[slag] = pd.Series([count(i, slag) if a else None
                               for i, a in zip(reg["insats_id"], applies)],
                              index=reg.index, dtype=object)
    # anonyma against the registered, for the latest whole calendar year (anonyma are
    # published per calendar year only)
    rng = periods.Range(last, last)
    ar = publicering.ar_period(*publicering.ends(perioder(con)), rng)
    reg["anonyma"] = reg["registrerade"] = reg["andel_anonyma"] = None
    ar_f = None
    if ar is not None:
        ar_f = replace(g, fran=periods.label(ar.first), till=periods.label(ar.last))
        d = deltagare(con, scope, ar_f).set_index("insats_id")
        for col, src in (("anonyma", "anonyma"), ("registrerade", "deltagare_period")):
            reg[col] = pd.Series([d.loc[i, src] if i in d.index else None
                                  for i in reg["insats_id"]], index=reg.index, dtype=object)
        reg["andel_anonyma"] = pd.Series(
            [_andel_anonyma(a, r) for a, r in zip(reg["anonyma"], reg["registrerade"])],
            index=reg.index, dtype=object)
    if not scope.suppress:
        ratt = registrering_rattelser(con, scope, g).groupby("insats_id").size()
        reg["rattelser"] = [int(ratt.get(i, 0)) for i in reg["insats_id"]]
    else:
        # whether there are any, from the kansli's own count: said per insats, never how many
        ratt = set(registrering_rattelser(con, Scope.kansli(), g)["insats_id"])
        reg["rattelser"] = pd.Series([i in ratt for i in reg["insats_id"]], index=reg.index,
                                     dtype=object)
    out = reg[["insats_id", "kortnamn", "forrehab", "avslutad", "i_kvartalet",
               *REGISTRERING_SLAG, "anonyma", "registrerade", "andel_anonyma", "rattelser"]]
    out.attrs["ar"] = ar_f
    out.attrs["manader"] = manader
    return out
# --- försörjning före och efter (the contract's ``forsorjning`` view) ---------------------------

FORS_PER_AR_TEXT = ("Försörjning före och efter redovisas utanför kansliet bara per helt "
                    "kalenderår, inte för ett kvartal, ett halvår eller året hittills. Skälet: "
                    "små antal avslut i perioder som ligger i varandra skulle annars kunna "
                    "räknas fram.")
FORS_EJ_I_UTTAGET = ("Uttaget har ingen uppgift om försörjning vid avslut (den valfria "
                     "kolumnen forsorjning_slut i deltagare.csv).")
SUMMA, SAKNAS = "summa", "saknas"


def forsorjning_i_uttaget(con) -> bool:
    """Whether the current data registers a source of support at avslut at all (an extract
    without the optional column has none: the pages say the figure is not in the extract)."""
    return bool(sql.run(con, "forsorjning_i_uttaget")["i_uttaget"].iloc[0])


def _fors_publication(con, f: Filter, kon_allowed: bool):
    """The publication and the range for a suppressed view of the ``fors`` family, and whether
    it is published for the range: per whole calendar year only (``publicering.PER_AR``), as
    Tid i insats."""
    pub, rng = _publication(con, f, kon_allowed=kon_allowed)
    return pub, rng, pub.publicerad(rng, "fors")


def _lamnat(df: pd.DataFrame) -> dict:
    """The kansli's "lämnat offentlig försörjning" from the before × after rows: of those with
    public support at start (and a registered source at avslut), how many had lön or
    studiemedel at avslut; per kön column."""
    pair = df[(df["forsorjning_start"] != SUMMA) & (df["forsorjning_slut"] != SUMMA)]
    offentlig = pair[pair["forsorjning_start"].map(codes.offentlig)]
    egen = offentlig[offentlig["forsorjning_slut"].isin(codes.EGEN_FORSORJNING)]
    cols = [c for c in KON_COUNTS if c in df.columns]
    return {"offentlig": {c: int(offentlig[c].sum()) for c in cols},
            "lamnat": {c: int(egen[c].sum()) for c in cols}}


@cached
def forsorjning(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """The source of support before the insats × at avslut, by kön, for the episodes avslutade
    in the range with a registered source at avslut (the contract's ``forsorjning`` view; rows
    as ``queries/forsorjning.sql``'s, 'summa' the margins). ``attrs``: ``totalt`` (the Summa
    row by kön, with "samtliga" outside the kansli), ``lamnat`` ({"offentlig": by kön,
    "lamnat": by kön, "andel"}: of those with public support at start, how many had lön or
    studiemedel at avslut), ``i_uttaget`` (False: the extract has no source at avslut),
    ``saknas`` (the kansli's: avslutade without a registered source; None outside it), and
    ``ej_publicerat`` (outside the kansli for a period that is not a whole calendar year: no
    rows, and why)."""
    df = sql.run(con, "forsorjning", **_params(con, scope, f))
    missing = df[df["forsorjning_slut"] == SAKNAS]
    df = df[df["forsorjning_slut"] != SAKNAS].reset_index(drop=True)
    summa = df.index[(df["forsorjning_start"] == SUMMA) & (df["forsorjning_slut"] == SUMMA)][0]
    if not scope.suppress:
        out = _by_kon(df, scope, {None: {c: int(df.loc[summa, c]) for c in KON_COUNTS}})
        lamnat = _lamnat(df)
        saknas = int(missing["totalt"].sum())
    else:
        pub, rng, published = _fors_publication(con, f, kon_allowed=True)
        saknas = None
        if not published:  # no rows, and why
            out = _by_kon(df.iloc[:0].copy(), scope, {None: {}}, kon=f.kon)
            out.attrs.update(ej_publicerat=FORS_PER_AR_TEXT, lamnat=None, saknas=None,
                             i_uttaget=forsorjning_i_uttaget(con))
            return out
        ids = _selection(con, scope, f)

        def cell(row, kol):
            return pub.fors(rng, row.forsorjning_start, row.forsorjning_slut, kol, ids)

        totals = {None: {c: pub.fors(rng, SUMMA, SUMMA, kol, ids)
                         for c in _summa_columns(KON_COUNTS) if (kol := _kol(c, f.kon))}}
        out = _by_kon(df, scope, totals, cell, kon=f.kon)
        lamnat = {name: {c: pub.fors(rng, "offentlig", efter, kol, ids)
                         if (kol := _kol(c, f.kon)) else 0
                         for c in ("kvinna", "man", "totalt")}
                  for name, efter in (("offentlig", SUMMA), ("lamnat", "egen"))}
    lamnat["andel"] = share(lamnat["lamnat"]["totalt"], lamnat["offentlig"]["totalt"])
    out.attrs.update(lamnat=lamnat, saknas=saknas, i_uttaget=forsorjning_i_uttaget(con))
    return out


FORS_INSATS_COUNTS = ["avslutade", "offentlig", "lamnat", "kvinna_lamnat", "man_lamnat"]
# each column's cell of the publication: (row, column, kön). Avslutade counts everyone, as the
# Deltagare table's (annat kön too: "samtliga"); the rest kvinnor and män, as table rows do.
FORS_INSATS_SPEC = {"avslutade": (SUMMA, SUMMA, "samtliga"),
                    "offentlig": ("offentlig", SUMMA, "totalt"),
                    "lamnat": ("offentlig", "egen", "totalt"),
                    "kvinna_lamnat": ("offentlig", "egen", "kvinna"),
                    "man_lamnat": ("offentlig", "egen", "man")}


@cached
def forsorjning_insats(con, scope: Scope, f: Filter = NO_FILTER) -> pd.DataFrame:
    """Per individinsats (the Deltagare table's rows), of the episodes avslutade in the range:
    ``avslutade`` with a registered source at avslut, ``offentlig`` (of them, public support
    at start), ``lamnat`` (of those, lön or studiemedel at avslut; ``kvinna_lamnat``,
    ``man_lamnat``) and ``andel_lamnat``; the kansli's also ``saknas`` (avslutade without a
    registered source). ``attrs['totalt']``: the same over the rows. Outside the kansli
    published for whole calendar years only: for another period no rows, and why
    (``attrs['ej_publicerat']``). Without a source at avslut in the extract
    (``attrs['i_uttaget']`` False) no share is computed."""
    df = sql.run(con, "forsorjning_insats", **_params(con, scope, f),
                 offentlig=[k for k in codes.codes("forsorjning_start") if codes.offentlig(k)],
                 egen=list(codes.EGEN_FORSORJNING))
    counts = FORS_INSATS_COUNTS + ["annan_lamnat", "saknas"]
    for c in counts:
        df[c] = df[c].astype(int)
    totals = privacy_free_totals(df, counts)
    if scope.suppress:
        pub, rng, published = _fors_publication(con, f, kon_allowed=False)
        df = df.drop(columns=["annan_lamnat", "saknas"])
        if not published:  # no rows, and why
            df = df.iloc[:0].assign(andel_lamnat=None)
            df.attrs.update(totalt={}, ej_publicerat=FORS_PER_AR_TEXT,
                            i_uttaget=forsorjning_i_uttaget(con))
            return df
        totals = {}
        _protect(df, FORS_INSATS_COUNTS, totals,
                  lambda c, insatser: pub.fors(rng, *FORS_INSATS_SPEC[c], insatser))
    i_uttaget = forsorjning_i_uttaget(con)
    df["andel_lamnat"] = shares(df["lamnat"], df["offentlig"]) if i_uttaget else None
    totals["andel_lamnat"] = share(totals["lamnat"], totals["offentlig"]) if i_uttaget else None
    df.attrs.update(totalt=totals, i_uttaget=i_uttaget)
    return df


VIEWS["forsorjning"] = forsorjning
VIEWS["forsorjning_insats"] = forsorjning_insats
