"""The tables the pages show, as data: one builder per table, used by the page that renders
it and by the download of that table, so a download holds exactly what the page shows.

A builder is ``(con, scope, state, insats_id) -> Tabell``. Values stay raw in ``df``; each
column's ``slag`` says how it is shown (``cell``) and exported (``export_frame``).
Nothing here knows about Dash.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import InitVar, dataclass, replace

import numpy as np
import pandas as pd

from . import codes, config, fmt, nyckeltal, periods, rapport_text, schema, views
from .publicerat import SKYDDAR, Dolt, dolt
from .urval import Filter

EJ_AKTIV = "ej_aktiv"  # a light strip's quarter in which the insats did not run
EJ_I_KVARTALET = "ej_i_kvartalet"  # a budget row of an insats that did not run in the quarter
ANDRING_TEXT = {
    "lampa": "Mållampan har ändrats",
    "avvikelse_budget": "Ny avvikelse gällande budget",
    "avvikelse_mal": "Ny avvikelse gällande mål/målgrupp",
    "startad": "Insatsen har startat",
    "avslutad": "Insatsen har avslutats",
}
NUMERIC = {"heltal", "decimal", "tkr", "tkr_decimal", "procent"}  # right-aligned kinds


@dataclass(frozen=True)
class Kolumn:
    key: str
    rubrik: str
    slag: str = "text"  # text | heltal | decimal | tkr | procent | lampa | janej | kvartal | datum
    titel: str | None = None  # the full wording when the heading is short
    av: tuple[str, str] | None = None  # a share's (n, N) columns: shown "67 % (4 av 6)"
    # Where the column is on screen (the download and the PM always hold every column):
    # 1 = a key column, shown at every width (a phone's card too); 2 = shown from a tablet's
    # width up (the board's 1024 px projector included); 3 = one click away ("Visa alla
    # kolumner"). A table with a column above 1 is a card per row on a phone.
    prio: int = 1


# The marks of a table's cells live in its rows, one hidden column per kind (the keys of the
# row's marked columns), so that a mark travels with its row through any sort or selection.
MARKERINGAR = {"avvikande": "_avvikande", "kannedom": "_kannedom", "skiljer": "_skiljer"}


@dataclass
class Tabell:
    namn: str
    rubrik: str
    df: pd.DataFrame
    kolumner: list[Kolumn]
    fotnot: str | None = None
    # (row index, column key) cells, of ``df`` as given, that deviate from what is expected
    # and ask for action (⚠), those that deviate but are for information (ℹ; Kvalitet: e.g. a
    # submitted avvikelse), and those whose computed figure differs from the reported one by
    # more than a tenth (≠). Stored in the rows (``markera``); read back, for the rows as they
    # are then, as ``t.avvikande``, ``t.kannedom`` and ``t.skiljer``.
    avvikande: InitVar[Iterable] = ()
    kannedom: InitVar[Iterable] = ()
    skiljer: InitVar[Iterable] = ()
    totalt: dict | None = None  # the view's protected column totals, where a page needs them
    tom: str | None = None  # why a table has no rows: its figures are not published for this

    def __post_init__(self, avvikande: Iterable, kannedom: Iterable, skiljer: Iterable) -> None:
        self.markera("avvikande", avvikande)
        self.markera("kannedom", kannedom)
        self.markera("skiljer", skiljer)

    def markera(self, slag: str, celler: Iterable) -> None:
        """Mark ``celler`` ((row index, column key) of ``df`` as it is now) as ``slag`` (a
        key of ``MARKERINGAR``), in the rows themselves."""
        per_rad: dict = {}
        for i, key in celler:
            per_rad.setdefault(i, set()).add(key)
        col = MARKERINGAR[slag]
        if not per_rad and col not in self.df.columns:
            return
        old = self.df[col].tolist() if col in self.df.columns else [frozenset()] * len(self.df)
        self.df = self.df.copy(deep=False)
        self.df[col] = pd.Series(
            [frozenset(o if isinstance(o, frozenset) else ()) | per_rad.get(i, set())
             for i, o in zip(self.df.index, old)], index=self.df.index, dtype=object)

    def markerade(self, slag: str) -> set:
        """The cells marked ``slag``: (row index, column key) of ``df`` as it is now."""
        col = MARKERINGAR[slag]
        if col not in self.df.columns:
            return set()
        return {(i, key) for i, keys in zip(self.df.index, self.df[col].tolist())
                if isinstance(keys, frozenset) for key in keys}


# read-only views of the marks, defined after the dataclass (whose __init__ takes the same
# names as init-only arguments)
Tabell.avvikande = property(lambda self: self.markerade("avvikande"))
Tabell.kannedom = property(lambda self: self.markerade("kannedom"))
Tabell.skiljer = property(lambda self: self.markerade("skiljer"))


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v is pd.NA


def cell(value, slag: str) -> str:
    """A value as the page shows it (Swedish formats). A marker such as "<5" passes through."""
    if isinstance(value, str) and slag not in ("text", "lampa", "kvartal"):
        return value
    if slag == "lampa":
        return "–" if value == EJ_AKTIV else "Avslutad" if value == EJ_I_KVARTALET \
            else codes.lampa_text(value)
    if _missing(value):
        return "–"
    if slag == "heltal":
        return fmt.heltal(value)
    if slag == "tkr":
        return fmt.tkr(value)
    if slag == "procent":
        return fmt.procent(value)
    if slag == "decimal":
        return fmt.decimal(value)
    if slag == "tkr_decimal":
        return fmt.decimal(value) + fmt.NBSP + "tkr"
    if slag == "janej":
        return "Ja" if value else "Nej"
    if slag == "kvartal":
        return fmt.kvartal(value)
    if slag == "datum":
        return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)
    return str(value)


def cell_of(rec: dict, k: Kolumn) -> str:
    """A cell of a row as shown; a share with its "n av N" beside it."""
    text = cell(rec[k.key], k.slag)
    if k.av and not (dolt(rec[k.key]) or _missing(rec[k.key])):
        text += f" ({cell(rec[k.av[0]], 'heltal')} av {cell(rec[k.av[1]], 'heltal')})"
    return text


def rader(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    """The rows of ``df`` as dicts of ``columns`` (default: all), values as ``Series.tolist``
    gives them; read a column at a time, each once (pandas' ``to_dict("records")`` reads
    every column for every row, and a frame's attrs are deep-copied on every read of a
    column)."""
    columns = list(df.columns) if columns is None else columns
    df = _utan_attrs(df) if df.attrs else df
    values = [df[c].tolist() for c in columns]
    return [dict(zip(columns, row)) for row in zip(*values)] if columns else \
        [{} for _ in range(len(df))]


def _utan_attrs(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` without its attrs (a shallow copy): pandas deep-copies a frame's attrs into
    every column and row selection made from it."""
    out = df.copy(deep=False)
    out.attrs = {}
    return out


def records(t: Tabell) -> list[dict]:
    """The rows of ``t.df`` as dicts of the columns the table shows (and ``insats_id``, for
    links)."""
    keys = [k.key for k in t.kolumner] + [c for k in t.kolumner if k.av for c in k.av]
    return rader(t.df, [c for c in dict.fromkeys(keys + ["insats_id"]) if c in t.df.columns])


def export_value(value, slag: str):
    """A value as a download holds it: the shown figure as a number (tkr and % rounded as
    shown), words for lights and ja/nej, the marker as text."""
    if isinstance(value, str) and slag not in ("text", "lampa", "kvartal"):
        return value
    if slag == "lampa":
        return "pågick inte" if value == EJ_AKTIV else "avslutad" if value == EJ_I_KVARTALET \
            else cell(value, slag).split(" ", 1)[1]
    if _missing(value):
        return None
    if slag in ("heltal", "tkr"):
        return int(round(value))
    if slag == "procent":
        return int(round(value * 100))
    if slag in ("decimal", "tkr_decimal"):
        return round(float(value), 1)
    if slag == "janej":
        return "ja" if value else "nej"
    if slag in ("datum", "kvartal"):  # a quarter as everywhere else: "kvartal 4 2022"
        return cell(value, slag)
    return value


def export_frame(t: Tabell) -> pd.DataFrame:
    """The table as shown, column headings included (% and tkr named in the heading)."""
    out = {}
    for k in t.kolumner:
        head = (k.titel or k.rubrik).replace("\u00ad", "") + {
            "tkr": " (tkr)", "tkr_decimal": " (tkr)", "procent": " (%)"}.get(k.slag, "")
        out[head] = [export_value(v, k.slag) for v in t.df[k.key]]
    return pd.DataFrame(out, columns=list(out))


# --- builders --------------------------------------------------------------------------------


def _filters(state: Filter, insats_id: str | None) -> Filter:
    return state.filters((insats_id,) if insats_id else None)


def _typ(df: pd.DataFrame) -> pd.Series:
    return df["typ"].map(codes.labels("typ"))


def _kommuner(df: pd.DataFrame) -> pd.Series:
    return df["kommuner"].str.replace("|", ", ", regex=False)


def insatser_lampor(con, scope, state: Filter, insats_id=None) -> Tabell:
    """Every insats running in the `to` quarter with its goal and budget lights: red first,
    then yellow, then the rest (Översikt)."""
    df = nyckeltal.kvartalets_insatser(con, scope, _filters(state, insats_id))
    df = df[df["i_kvartalet"]]
    order = {"rod": 0, "gul": 1, "gron": 2}
    df = df.assign(ordning=[min(order.get(a, 3), order.get(b, 3) + 0.5)
                            for a, b in zip(df["lampa"], df["budget_lampa"])])
    df = df.sort_values(["ordning"], kind="stable").reset_index(drop=True)
    df["typ_namn"] = _typ(df)
    df["kommun_namn"] = _kommuner(df)
    return Tabell("insatser_lampor", "Alla insatser med mål- och budgetlampa", df, [
        Kolumn("kortnamn", "Insats"), Kolumn("typ_namn", "Typ", prio=2),
        Kolumn("kommun_namn", "Kommun", prio=2), Kolumn("lampa", "Mål", "lampa"),
        Kolumn("budget_lampa", "Budget", "lampa"),
        Kolumn("forbrukningskvot", "Förbrukning hittills i år", "procent", prio=2),
        Kolumn("kommentar", "Styrgruppens kommentar", prio=2),
    ])


def mal(con, scope, state: Filter, insats_id=None) -> Tabell:
    df = views.mal(con, scope, _filters(state, insats_id))
    df["typ_namn"] = _typ(df)
    df["kommun_namn"] = _kommuner(df)
    df["kommentar"] = df["kommentar"].fillna("")
    # the light first after the name: what a board and a phone need without scrolling sideways
    return Tabell("mal", "Måluppfyllelse per insats", df, [
        Kolumn("kortnamn", "Insats"), Kolumn("lampa", "Lampa", "lampa"),
        Kolumn("kommun_namn", "Kommun", prio=2), Kolumn("typ_namn", "Typ", prio=2),
        Kolumn("i_fas", "I fas", "janej", prio=2),
        Kolumn("prognos", "Prognos: målen nås", "janej", prio=2),
        Kolumn("kommentar", "Styrgruppens kommentar", prio=2),
    ])


def malen(con, scope, state: Filter, insats_id=None) -> Tabell:
    df = views.malen(con, scope, _filters(state, insats_id))
    df["maltyp_namn"] = df["maltyp"].map(codes.labels("maltyp"))
    df["bedomning_namn"] = df["bedomning"].map(codes.labels("bedomning"))
    enhet = {"procent": " %", "antal": " st"}
    for c in ("malvarde", "utfall"):
        df[c + "_text"] = [
            "" if _missing(v) else fmt.heltal(v) if float(v).is_integer() else
            f"{v:.1f}".replace(".", ",")
            for v in df[c]]
        df[c + "_text"] = [t + enhet.get(e, "") if t else "" for t, e in
                           zip(df[c + "_text"], df["enhet"].where(df["enhet"].notna(), None))]
    df["kommentar"] = df["kommentar"].fillna("")
    # a goal measured from the data: its utfall computed, with a light (nyckeltal)
    f = _filters(state, insats_id)
    computed = nyckeltal.beraknade_utfall(con, scope, f, [
        (i, b if isinstance(b, str) else "") for i, b in zip(df["insats_id"], df["berakning"])])
    df["beraknat_text"] = [
        "" if v is None else v if isinstance(v, str) else
        fmt.procent(v) if e == "procent" else fmt.heltal(v) + enhet.get(e, "")
        for v, e in zip(computed, df["enhet"])]
    df["beraknad_lampa"] = [nyckeltal.mal_lampa(v, m, e) if isinstance(b, str) and b else
                            EJ_AKTIV for v, m, e, b in zip(computed, df["malvarde"], df["enhet"],
                                                          df["berakning"])]
    skiljer = {(i, "beraknat_text") for i, v, r, e in zip(df.index, computed, df["utfall"],
                                                           df["enhet"])
               if nyckeltal.skiljer_sig(v, r, e)}
    # computed (with its light) and reported side by side; on a phone the goal and both utfall
    return Tabell("malen", "Insatsens mål" if insats_id else "Insatsernas mål", df, [
        *([] if insats_id else [Kolumn("kortnamn", "Insats")]),
        Kolumn("mal_nr", "Mål nr", prio=3), Kolumn("maltyp_namn", "Måltyp", prio=3),
        Kolumn("beskrivning", "Mål"), Kolumn("malvarde_text", "Målvärde", prio=2),
        Kolumn("beraknat_text", "Beräknat utfall",
               titel="Räknat ur uttaget för året hittills, där insatsens mål säger hur"),
        Kolumn("beraknad_lampa", "Lampa (beräknad)", "lampa", prio=2),
        Kolumn("utfall_text", "Rapporterat utfall", titel="Som styrgruppen rapporterat det"),
        Kolumn("bedomning_namn", "Bedömning", prio=2), Kolumn("kommentar", "Kommentar", prio=3),
    ], fotnot="Rapporterat utfall: som styrgruppen angett det. Beräknat utfall: räknat ur "
              "uttaget för insatsen och året hittills (för mål som anger hur de räknas), med "
              "lampa: grön när målvärdet nås, gul inom en tiondel, röd annars; ≠ = skiljer sig "
              "från det rapporterade med mer än en tiondel. – : målet beräknas inte.",
        skiljer=skiljer)


def lampor(con, scope, state: Filter, insats_id=None) -> Tabell:
    """The goal light per insats and quarter: the range, or the last views.TREND_MIN quarters
    ending at `to` when the range is shorter, so that a trend is visible."""
    f = _filters(state, insats_id)
    rng, f = views.resolve(con, f)
    first = views.trend_first(con, rng)
    wide = replace(f, fran=periods.label(first), statuser=None)
    reg = views.insatser(con, scope, replace(f, statuser=f.statuser))
    long = views.lampor(con, scope, wide)
    kvartal = [periods.label(q) for q in range(first, rng.last + 1)]
    grid = long.pivot(index="insats_id", columns="period", values="lampa") if len(long) else \
        pd.DataFrame()
    # insatser that ran in some quarter of the strip; outside their own run a quarter is
    # EJ_AKTIV, inside it a missing report is None ("Saknas")
    def day(d) -> pd.Timestamp:
        return pd.Timestamp(d)

    df = reg[(reg["startdatum"] <= day(periods.last_day(rng.last)))
             & (reg["slutdatum"] >= day(periods.first_day(first)))].copy()
    for p in kvartal:
        q = periods.parse(p)
        df[p] = pd.Series([grid.at[i, p] if p in grid.columns and i in grid.index
                 and isinstance(grid.at[i, p], str)
                 else None if start <= day(periods.last_day(q)) and slut >= day(periods.first_day(q))
                 else EJ_AKTIV
                 for i, start, slut in zip(df["insats_id"], df["startdatum"], df["slutdatum"])],
                          index=df.index, dtype=object)
    df = df[["insats_id", "kortnamn"] + kvartal].reset_index(drop=True)
    return Tabell("lampor", f"Mållampor kvartal för kvartal, {fmt.kvartal(kvartal[0])} – "
                  f"{fmt.kvartal(kvartal[-1])}", df,
                  # the latest two quarters on a phone, eight from a tablet's width up
                  [Kolumn("kortnamn", "Insats")] + [
                      Kolumn(p, fmt.kvartal(p), "lampa",
                             prio=1 if n < 2 else 2 if n < 8 else 3)
                      for n, p in zip(range(len(kvartal) - 1, -1, -1), kvartal)],
                  fotnot="○ Saknas: ingen kvartalsrapport för kvartalet. – : insatsen pågick "
                         "inte under kvartalet.")


def budget(con, scope, state: Filter, insats_id=None) -> Tabell:
    f = _filters(state, insats_id)
    df = views.budget(con, scope, f)
    prognos = views.budget_prognos(con, scope, f).rename(columns={"overfort_tkr": "overfort_ar_tkr"})
    df = df.merge(prognos, on="insats_id", how="left")
    df["typ_namn"] = _typ(df)
    df["kommun_namn"] = _kommuner(df)
    # the quarter's lights are those of the insatser running in it (nyckeltal): a row of one
    # that ended earlier says so instead of a light the counts elsewhere leave out
    kvartalets = nyckeltal.kvartalets_insatser(con, scope, f)
    ovriga = kvartalets[~kvartalets["i_kvartalet"]]
    slut = ~df["insats_id"].isin(kvartalets.loc[kvartalets["i_kvartalet"], "insats_id"])
    for c in ("lampa", "prognos_lampa"):
        df[c] = df[c].astype(object).where(~slut, EJ_I_KVARTALET)
    b = config.get().budget
    # the light and the kvot first after the name: the status without scrolling sideways
    return Tabell("budget", "Budget och utfall per insats", df, [
        Kolumn("kortnamn", "Insats"), Kolumn("lampa", "Budgetlampa", "lampa"),
        Kolumn("forbrukningskvot", "Förbrukningskvot", "procent"),
        Kolumn("kommun_namn", "Kommun", prio=3), Kolumn("typ_namn", "Typ", prio=3),
        Kolumn("budget_tkr", "Budget perioden", "tkr", prio=3),
        Kolumn("utfall_tkr", "Utfall perioden", "tkr", prio=3),
        Kolumn("ack_budget_tkr", "Budget hittills i år", "tkr", prio=2),
        Kolumn("ack_utfall_tkr", "Utfall hittills i år", "tkr", prio=2),
        Kolumn("prognos_kvot", "Prognos helår", "procent",
               "Förbrukningskvot vid årets slut om resten av året går som de två senaste "
               "kvartalen", prio=2),
        Kolumn("prognos_lampa", "Lampa vid årets slut", "lampa", prio=3),
        Kolumn("overfort_ar_tkr", "Överfört till nästa år", "tkr", prio=2),
        Kolumn("aterfort_tkr", "Återfört", "tkr", prio=2),
    ], fotnot="Förbrukningskvot = utfall ÷ budget från 1 januari till periodens sista "
              f"kvartal. {b.describe()}. Prognos helår: utfallet hittills plus resten av årets "
              "budget (årets kvartalsbudget i snitt) förbrukad i samma takt som de två senaste "
              "kvartalen. Överfört till nästa år: hittills i år." + avslutade_not(con, f, ovriga)
              + delad_not(df, urval(scope, state)))


def avslutade_not(con, f: Filter, ovriga: pd.DataFrame) -> str:
    """Which insatser of a budget table did not run in the quarter (``kvartalets_insatser``'s
    rows with ``i_kvartalet`` False), when they ended, and that their lights count nowhere."""
    if not len(ovriga):
        return ""
    _, f = views.resolve(con, f)
    names = [f"{k} ({d:%Y-%m-%d})" if hasattr(d, "strftime") else k
             for k, d in zip(ovriga["kortnamn"], ovriga["slutdatum"])]
    names = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
    return (f" Avslutad: {names} pågick inte under {fmt.kvartal(f.till)}; budget och utfall "
            "ingår i summorna, men lampan räknas inte bland kvartalets.")


def urval(scope, state: Filter) -> tuple[str, ...]:
    """The kommuner a page is about when it is not all of them: the chosen ones, else a LOKUS
    group's own; () for everything."""
    return tuple(state.kommuner) or (tuple(sorted(scope.kommuner)) if scope.kommuner else ())


def delade(df: pd.DataFrame, kommuner: tuple[str, ...] = ()) -> list[tuple[str, tuple]]:
    """The insatser of ``df`` (kortnamn, kommuner) that serve more kommuner than
    ``kommuner`` (or, with none, more than one): ``[(kortnamn, the other kommuner)]``; a
    länsövergripande insats has ``(LANSOVERGRIPANDE,)``."""
    out = []
    for namn, kom in zip(df["kortnamn"], df["kommuner"]):
        if not isinstance(kom, str):
            continue
        if kom == codes.LANSOVERGRIPANDE:
            out.append((namn, (kom,)))
            continue
        others = tuple(k for k in kom.split("|") if k not in kommuner)
        if (kommuner and others) or (not kommuner and len(others) > 1):
            out.append((namn, others))
    return out


def _och(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def _genitiv(namn: str) -> str:
    return namn if namn[-1:] in "sxz" else namn + "s"


def delad_not(df: pd.DataFrame, kommuner: tuple[str, ...] = (), vad: str = "budget och utfall"
              ) -> str:
    """The note a figure needs when an insats it counts serves more kommuner than the page is
    about (a LOKUS group's, a kommun filter), or, on a page about every kommun, more than one:
    its ``vad`` are the whole insats's, not a kommun's share. Names the other kommuner. ''
    when none is shared. Budget's note; the participant pages say the same of their
    figures (``vad="deltagare"``)."""
    shared = delade(df, kommuner)
    if not shared:
        return ""
    base = f" Delade insatser ({', '.join(n for n, _ in shared)}) visas med hela insatsens {vad}"
    if not kommuner:
        return f"{base}, inte en kommuns andel; Kommun-kolumnen säger vilka kommuner de når."
    named = [f"{n} är länsövergripande" if others == (codes.LANSOVERGRIPANDE,)
             else f"{n} delas med {_och(list(others))}" for n, others in shared]
    whose = _och([_genitiv(k) for k in kommuner])
    if len(shared) == 1:
        return f" {named[0]}: insatsens {vad} räknas hela, inte bara {whose}."
    return f"{base}, inte bara {whose}: {_och(named)}."


def delade_deltagare(con, scope, state: Filter) -> str:
    """``delad_not`` for a page's participant figures: the individinsatser of the selection
    that ran in the period and serve kommuner beyond those the page is about. '' on a page
    about every kommun."""
    kommuner = urval(scope, state)
    if not kommuner:
        return ""
    reg = views.insatser(con, scope, state.filters())
    reg = reg[(reg["typ"] == "individ") & reg["i_perioden"].astype(bool)]
    return delad_not(reg, kommuner, "deltagare").strip()


def _per(utfall, n):
    """tkr per person; hidden ("X": a "<5" would read as under 5 tkr) when the count is,
    None without anyone."""
    if dolt(n):
        return Dolt(SKYDDAR)
    return None if not n or utfall is None or utfall != utfall else utfall / n


def kostnad(con, scope, state: Filter, insats_id=None) -> Tabell:
    """Cost per participant and per person to work or studies, per individinsats and for them
    all: for the period and for the insats's whole time up to the period's end. A cost on a
    hidden count is hidden with it (it would give the count back)."""
    _, f = views.resolve(con, _filters(state, insats_id))  # clamped to the loaded range
    delt = views.deltagare(con, scope, f)
    first = views.perioder(con)[0]
    period = views.budget(con, scope, f).set_index("insats_id")["utfall_tkr"]
    hela = views.budget(con, scope, replace(f, fran=first)).set_index("insats_id")["utfall_tkr"]
    rows = []
    for r in delt.to_dict("records"):
        u, h = period.get(r["insats_id"]), hela.get(r["insats_id"])
        rows.append({"insats_id": r["insats_id"], "kortnamn": r["kortnamn"], "utfall_tkr": u,
                     "per_deltagare": _per(u, r["deltagare_period"]),
                     "per_arbete_studier": _per(u, r["till_arbete_studier"]),
                     "utfall_hela_tkr": h, "per_deltagare_hela": _per(h, r["deltagare_totalt"])})
    tot = delt.attrs["totalt"]
    if len(rows) > 1:
        u = sum(x["utfall_tkr"] or 0 for x in rows)
        h = sum(x["utfall_hela_tkr"] or 0 for x in rows)
        rows.append({"insats_id": None, "kortnamn": "Individinsatser", "utfall_tkr": u,
                     "per_deltagare": _per(u, tot["deltagare_period"]),
                     "per_arbete_studier": _per(u, tot["till_arbete_studier"]),
                     "utfall_hela_tkr": h, "per_deltagare_hela": _per(h, tot["deltagare_totalt"])})
    df = pd.DataFrame(rows, columns=["insats_id", "kortnamn", "utfall_tkr", "per_deltagare",
                                     "per_arbete_studier", "utfall_hela_tkr",
                                     "per_deltagare_hela"])
    return Tabell("kostnad", "Kostnad per deltagare och per person till arbete eller studier",
                  df, [
                      Kolumn("kortnamn", "Insats"),
                      Kolumn("utfall_tkr", "Utfall perioden", "tkr", prio=2),
                      Kolumn("per_deltagare", "Per deltagare", "tkr_decimal"),
                      Kolumn("per_arbete_studier", "Per person till arbete/studier",
                             "tkr_decimal"),
                      Kolumn("utfall_hela_tkr", "Utfall sedan start", "tkr", prio=3),
                      Kolumn("per_deltagare_hela", "Per deltagare sedan start", "tkr_decimal",
                             prio=2),
                  ], fotnot="Utfall ÷ antal deltagare under perioden (eller till arbete/studier "
                            "bland de avslutade); sedan start: allt utfall i uttaget till "
                            "periodens slut ÷ alla deltagare. Insatserna har olika målgrupper "
                            "och mål: jämför med försiktighet.", totalt=tot)


def budget_typ(con, scope, state: Filter, insats_id=None) -> Tabell:
    """Budget and utfall per typ, with each typ's share of the period's budget (the PM's
    "75 % of the funding to individinsatser")."""
    df = views.budget(con, scope, _filters(state, insats_id))
    g = df.groupby("typ", sort=False)[["budget_tkr", "utfall_tkr", "ack_budget_tkr",
                                      "ack_utfall_tkr"]].sum()
    g = g.reindex([t for t in codes.codes("typ") if t in g.index]).reset_index()
    total = g["budget_tkr"].sum()
    g["andel_budget"] = g["budget_tkr"] / total if total else None
    g["forbrukningskvot"] = [u / b if b else None for u, b in
                             zip(g["ack_utfall_tkr"], g["ack_budget_tkr"])]
    g["typ_namn"] = _typ(g)
    return Tabell("budget_typ", "Budget per typ av insats", g, [
        Kolumn("typ_namn", "Typ"), Kolumn("budget_tkr", "Budget perioden", "tkr"),
        Kolumn("andel_budget", "Andel av budgeten", "procent", prio=2),
        Kolumn("utfall_tkr", "Utfall perioden", "tkr", prio=2),
        Kolumn("forbrukningskvot", "Förbrukningskvot hittills i år", "procent"),
    ])


def budget_kvartal(con, scope, state: Filter, insats_id=None) -> Tabell:
    df = views.budget_kvartal(con, scope, _filters(state, insats_id))
    return Tabell("budget_kvartal", "Budget och utfall kvartal för kvartal, ackumulerat", df, [
        Kolumn("period", "Kvartal", "kvartal"), Kolumn("budget_tkr", "Budget", "tkr", prio=2),
        Kolumn("utfall_tkr", "Utfall", "tkr", prio=2),
        Kolumn("ack_budget_tkr", "Ackumulerad budget", "tkr"),
        Kolumn("ack_utfall_tkr", "Ackumulerat utfall", "tkr"),
    ])


PM_KVALITET = {3: "Förutsättningar för utfall", 5: "Kvalitetssäkring"}
# The checklist's columns on screen: those asking for action are key (Kolumn.prio 1); these
# two for information are one click away, as the lists above the table say them in words
KVALITET_PRIO = {"start_i_tid": 3, "vakans_forbundsmedel": 3, "vakans_egenfinansierad": 3}


def kvalitet(con, scope, state: Filter, insats_id=None, pm_tabell: int | None = None) -> Tabell:
    """Every answer of the checklist (the Kvalitet page), or those of one of the PM's tables
    (``pm_tabell`` 3 or 5, as seed 004 splits them; without the comment)."""
    df = views.kvalitet(con, scope, _filters(state, insats_id))
    df["kommentar"] = df["kommentar"].fillna("")
    fragor = [c for c in schema.CHECKLISTA if pm_tabell is None or c.pm_tabell == pm_tabell]
    deviating = {c: {i for i, v in zip(df.index, df[c.name].tolist())
                     if not _missing(v) and bool(v) != c.expected} for c in fragor}
    return Tabell("kvalitet", PM_KVALITET.get(pm_tabell, "Styrgruppernas svar"), df,
                  [Kolumn("kortnamn", "Insats")]
                  + [Kolumn(c.name, c.short, "janej", c.label,
                            prio=1 if c.atgard else KVALITET_PRIO.get(c.name, 2))
                     for c in fragor]
                  + ([Kolumn("kommentar", "Kommentar", prio=3)] if pm_tabell is None else []),
                  fotnot="⚠ och fet stil: åtgärd krävs (t.ex. \"Nej\" på styrgruppsmöten "
                         "enligt avtal). ℹ: för kännedom, svaret avviker men styrgruppen har "
                         "gjort det den ska (t.ex. \"Ja\" på inlämnad avvikelse). "
                         "– : ingen kvartalsrapport.",
                  avvikande={(i, c.name) for c, rows in deviating.items() if c.atgard for i in rows},
                  kannedom={(i, c.name) for c, rows in deviating.items() if not c.atgard
                            for i in rows})


def andringar(con, scope, state: Filter, insats_id=None) -> Tabell:
    df = views.andringar(con, scope, _filters(state, insats_id))
    df["andring"] = df["slag"].map(ANDRING_TEXT)
    df["detalj"] = [f"{codes.lampa_text(a)} → {codes.lampa_text(b)}"
                    if s == "lampa" else "" for s, a, b in zip(df["slag"], df["fore"], df["nu"])]
    return Tabell("andringar", "Vad har ändrats sedan förra kvartalet", df, [
        Kolumn("kortnamn", "Insats"), Kolumn("andring", "Ändring"), Kolumn("detalj", "Lampa"),
    ])


# --- participants (Deltagare, Målgrupp) ---------------------------------------------------------



def deltagare(con, scope, state: Filter, insats_id=None) -> Tabell:
    """Tabell 6 per individinsats, with a "Samtliga" row from the view's protected totals."""
    df = views.deltagare(con, scope, _filters(state, insats_id))
    tot, ej_publicerat = df.attrs["totalt"], df.attrs.get("ej_publicerat")
    if len(df) > 1:
        total = {"insats_id": None, "kortnamn": "Samtliga", "forrehab": None, **tot}
        for num, col in (("till_arbete_studier", "andel_arbete_studier"),
                         ("med_handlingsplan", "andel_handlingsplan")):
            total[col] = views.share(tot[num], tot["avslutade_period"])
        df = pd.concat([df, pd.DataFrame([total])], ignore_index=True)
    low = {(i, "andel_handlingsplan") for i, r in df.iterrows()
           if r["forrehab"] in (True,) and isinstance(r["andel_handlingsplan"], float)
           and r["andel_handlingsplan"] < codes.MAL_HANDLINGSPLAN}
    t = Tabell("deltagare", "Deltagare per individinsats", df, [
        Kolumn("kortnamn", "Insats"),
        Kolumn("deltagare_totalt", "Totalt sedan start", "heltal", prio=3),
        Kolumn("avslutade_totalt", "Avslutade totalt sedan start", "heltal", prio=3),
        Kolumn("deltagare_period", "Under perioden", "heltal"),
        Kolumn("avslutade_period", "Avslutade", "heltal", prio=2),
        Kolumn("till_arbete_studier", "Till arbete/studier", "heltal", prio=3),
        Kolumn("andel_arbete_studier", "Andel till arbete/studier", "procent",
               av=("till_arbete_studier", "avslutade_period")),
        Kolumn("kvinnor_arbete_studier", "varav kvinnor", "heltal",
               "Kvinnor bland dem som gick till arbete eller studier", prio=3),
        Kolumn("man_arbete_studier", "varav män", "heltal",
               "Män bland dem som gick till arbete eller studier", prio=3),
        Kolumn("andel_handlingsplan", "Andel med handlingsplan", "procent",
               av=("med_handlingsplan", "avslutade_period")),
        Kolumn("pagaende", "Pågående vid periodens slut", "heltal", prio=2),
        Kolumn("anonyma", "Anonyma", "heltal", prio=2), Kolumn("volym", "Volym", "heltal", prio=2),
    ], fotnot="Andelar räknas på de avslutade under perioden. Förbundets mål: minst "
              f"{codes.MAL_HANDLINGSPLAN:.0%} av deltagarna i förrehabiliterande insatser har en "
              "handlingsplan vid avslut; ⚠ = under målet.".replace("%", "\u00a0%")
              + ("" if insats_id else " " + delade_deltagare(con, scope, state)).rstrip(),
        avvikande=low)
    if ej_publicerat:  # anonyma and volym left out for this period: why
        t.kolumner = [k for k in t.kolumner if k.key in df.columns]
        t.fotnot = f"{t.fotnot} {ej_publicerat}"
    return t


def bip_mal(con, scope, state: Filter) -> dict:
    """Each insats's goals for BIP as fractions: {(insats_id, 'bip_matta' |
    'bip_stegforflyttning'): goal}, from mal.csv where its ``berakning`` says so."""
    m = views.malen(con, scope, state.filters())
    m = m[m["berakning"].isin(["bip_matta", "bip_stegforflyttning"]) & m["malvarde"].notna()]
    return {(i, b): float(v) / 100 for i, b, v in zip(m["insats_id"], m["berakning"],
                                                       m["malvarde"])}


def bip(con, scope, state: Filter, insats_id=None) -> Tabell:
    """Progression per insats (BIP): measured and stegförflyttning, each against its goal (the
    insats's own from mal.csv, else the förbund's), with a "Samtliga" row."""
    df = views.bip(con, scope, _filters(state, insats_id))
    tot = df.attrs["totalt"]
    goals = bip_mal(con, scope, state)
    df["mal_matta"] = [goals.get((i, "bip_matta"), codes.MAL_BIP_MATTA) for i in df["insats_id"]]
    df["mal_steg"] = [goals.get((i, "bip_stegforflyttning"), codes.MAL_BIP_STEGFORFLYTTNING)
                      for i in df["insats_id"]]
    if len(df) > 1:
        df = pd.concat([df, pd.DataFrame([{"insats_id": None, "kortnamn": "Samtliga", **tot,
                                           "mal_matta": None, "mal_steg": None}])],
                       ignore_index=True)
    under = {(i, col) for i, r in df.iterrows() for col, goal in (
        ("andel_matta", "mal_matta"), ("andel_stegforflyttning", "mal_steg"))
        if isinstance(r[col], float) and isinstance(r[goal], float)
        and round(r[col] * 100) < round(r[goal] * 100)}
    return Tabell("bip", "Progression per insats (BIP)", df, [
        Kolumn("kortnamn", "Insats"),
        Kolumn("deltagare", "Deltagare under perioden", "heltal", prio=2),
        Kolumn("andel_matta", "Mätta", "procent", av=("matta", "deltagare")),
        Kolumn("mal_matta", "Mål mätta", "procent", prio=2),
        Kolumn("med_uppfoljning", "Med uppföljning", "heltal",
               "Minst två mättillfällen till och med periodens slut", prio=2),
        Kolumn("andel_stegforflyttning", "Steg\u00adförflyttning", "procent",
               "Andel av dem med uppföljning vars medelvärde är högre vid senaste mätningen",
               av=("stegforflyttning", "med_uppfoljning")),
        Kolumn("mal_steg", "Mål steg\u00adförflyttning", "procent", prio=2),
        Kolumn("kvinna_stegforflyttning", "varav kvinnor", "heltal",
               "Kvinnor bland dem med stegförflyttning", prio=3),
        Kolumn("man_stegforflyttning", "varav män", "heltal", "Män bland dem med stegförflyttning",
               prio=3),
        Kolumn("dagar_median", "Dagar mellan mätningarna", "heltal",
               "Median av antalet dagar från första till senaste mätningen, för dem med "
               "uppföljning", prio=3),
    ], fotnot="Mätta: minst en mätning till och med periodens slut. Målen är insatsens egna "
              "där målet säger att de räknas ur BIP, annars förbundets (mätta "
              f"{fmt.procent(codes.MAL_BIP_MATTA)}, stegförflyttning "
              f"{fmt.procent(codes.MAL_BIP_STEGFORFLYTTNING)}). ⚠ = under målet.",
        avvikande=under, totalt=tot)


def bip_indikator(con, scope, state: Filter, insats_id=None) -> Tabell:
    df = views.bip_indikator(con, scope, _filters(state, insats_id))
    lo, hi = config.get().bip_skala
    return Tabell("bip_indikator", "Medelvärde per indikator vid första och senaste mätningen",
                  df, [
                      Kolumn("namn", "Indikator"),
                      Kolumn("med_uppfoljning", "Antal (n)", "heltal",
                             "Med uppföljning, mätta på indikatorn båda gångerna"),
                      Kolumn("medel_forsta", "Medel första", "decimal"),
                      Kolumn("medel_senaste", "Medel senaste", "decimal"),
                      Kolumn("battre", "Bättre", "heltal", prio=2),
                      Kolumn("samma", "Samma", "heltal", prio=2),
                      Kolumn("samre", "Sämre", "heltal", prio=2),
                  ], fotnot=f"Skala {lo}–{hi}. Bättre, samma och sämre jämför deltagarens "
                            "första och senaste värde på indikatorn.")


def avslutsorsaker(con, scope, state: Filter, insats_id=None) -> Tabell:
    df = views.avslutsorsaker(con, scope, _filters(state, insats_id))
    df["grupp_namn"] = df["grupp"].map(codes.labels("avslut_grupp"))
    df["orsak"] = df["avslutsorsak"].map(codes.avslut_label)
    t = Tabell("avslutsorsaker", "Avslutsorsaker (registreringar) efter kön", df, [
        Kolumn("orsak", "Avslutsorsak"), Kolumn("grupp_namn", "Grupp", prio=2),
        *_kon_kolumner(df, df.attrs["totalt"].get(None, {})),
    ], fotnot="Tabellen räknar registreringar: en deltagare kan ha flera avslutsorsaker "
              "(t.ex. subventionerat arbete och arbetar 100 %), medan andelen till arbete/studier "
              "räknar varje deltagare en gång." + _samtliga_not(df.attrs["totalt"].get(None, {})),
        tom=df.attrs.get("ej_publicerat"))
    t.totalt = df.attrs["totalt"].get(None)
    return t


def _kon_kolumner(df: pd.DataFrame, totalt: dict) -> list[Kolumn]:
    """Kvinnor, män (annat kön only in the kansli's own view) and the row's total, which
    outside the kansli counts kvinnor and män (annat kön is in the Summa's "samtliga")."""
    total = Kolumn("totalt", "Kvinnor och män" if "samtliga" in totalt else "Totalt", "heltal")
    if "kvinna" not in df.columns:
        return [total]
    cols = [Kolumn("kvinna", "Kvinnor", "heltal"), Kolumn("man", "Män", "heltal")]
    if "annan" in df.columns:
        cols.append(Kolumn("annan", "Annat kön", "heltal"))
    return cols + [total]


def sma_tal_text() -> str:
    """The small-numbers note, the one wording every page, the PM and the presentation use."""
    c = config.get()
    return (f"Antal från 0 till {c.suppression_threshold - 1} visas som \"{c.suppressed_marker}\" "
            f"utom i kansliets egen vy; \"{c.dold_marker}\" är ett tal som döljs för att skydda "
            "ett litet tal, så att det inte kan räknas fram.")


def dolda_not(t: Tabell) -> str | None:
    """The note beside a table that has a cell hidden to protect another ("X") or not shown
    ("..")."""
    c = config.get()
    # every cell at once (a column at a time would copy the frame's attrs for each column)
    values = {v for v in [*t.df.to_numpy(dtype=object).ravel(), *(t.totalt or {}).values()]
              if dolt(v)}
    notes = [text for marker, text in (
        (c.dold_marker, f"{c.dold_marker} = dold för att skydda ett litet tal."),
        (c.ej_visad_marker, c.ej_visad_text)) if marker in values]
    return " ".join(notes) or None


def _samtliga_not(totalt: dict) -> str:
    """Where rows count kvinnor and män only: the Summa with annat kön, said once."""
    if "samtliga" not in totalt:
        return ""
    return (f" Deltagare med annat kön än kvinna eller man ingår bara i summan för samtliga: "
            f"{cell(totalt['samtliga'], 'heltal')}.")


def deltagare_kvartal(con, scope, state: Filter, insats_id=None) -> Tabell:
    df = views.deltagare_kvartal(con, scope, _filters(state, insats_id))
    return Tabell("deltagare_kvartal", "Avslutade och andel till arbete/studier per kvartal", df, [
        Kolumn("period", "Kvartal", "kvartal"), Kolumn("avslutade", "Avslutade", "heltal"),
        Kolumn("till_arbete_studier", "Till arbete/studier", "heltal", prio=2),
        Kolumn("andel_arbete_studier", "Andel", "procent",
               av=("till_arbete_studier", "avslutade")),
    ])


def malgrupp_dimension(con, scope, state: Filter, dimension: str, df=None) -> Tabell:
    """One målgrupp breakdown (``df``: the view's result, when the page already has it)."""
    if df is None:
        df = views.malgrupp(con, scope, _filters(state, None), state.indelning)
    part = df.iloc[np.flatnonzero(df["dimension"].to_numpy() == dimension)]
    return _malgrupp_tabell(dimension, _med_namn(part, state), df.attrs["totalt"],
                            df.attrs.get("ej_publicerat", {}).get(dimension))


def malgrupp_tabeller(con, scope, state: Filter, df=None) -> dict[str, Tabell]:
    """Every målgrupp breakdown, ``{dimension: Tabell}`` in the order of
    ``codes.MALGRUPP_DIMENSIONER``: the same tables as ``malgrupp_dimension``, from one pass
    over the view's result (the Målgrupp page shows them all)."""
    if df is None:
        df = views.malgrupp(con, scope, _filters(state, None), state.indelning)
    rows = _med_namn(df, state)
    parts = dict(iter(rows.groupby("dimension", sort=False)))
    return {d: _malgrupp_tabell(d, parts[d] if d in parts else rows.iloc[:0], df.attrs["totalt"],
                                df.attrs.get("ej_publicerat", {}).get(d))
            for d, _, _ in codes.MALGRUPP_DIMENSIONER}


def _med_namn(rows: pd.DataFrame, state: Filter) -> pd.DataFrame:
    """Målgrupp rows with their categories' Swedish names (``kategori_namn``), without the
    view's attrs (a table's totals are its ``totalt``)."""
    grov = state.indelning in ("grov", "grov_totalt")
    out = _utan_attrs(rows)
    out["kategori_namn"] = [codes.malgrupp_label(d, k, grov) for d, k in
                            zip(out["dimension"].tolist(), out["kategori"].tolist())]
    return out


def _malgrupp_tabell(dimension: str, part: pd.DataFrame, totals: dict,
                     tom: str | None = None) -> Tabell:
    """``tom``: why the dimension has no rows (not published for the period)."""
    part = part.reset_index(drop=True)
    heading = dict((d, h) for d, h, _ in codes.MALGRUPP_DIMENSIONER)[dimension]
    totalt = {} if tom else totals.get(views.malgrupp_total_key(dimension),
                                       {c: 0 for c in views.KON_COUNTS})
    t = Tabell(f"malgrupp_{dimension}", heading, part,
               [Kolumn("kategori_namn", heading)] + _kon_kolumner(part, totalt),
               fotnot=_samtliga_not(totalt).strip() or None, tom=tom)
    t.totalt = totalt
    return t


# --- försörjning före och efter ------------------------------------------------------------------

FORANDRING_NOT = "– i Förändring: ett av talen döljs, så förändringen visas inte."


def forandring(fore, efter):
    """After minus before, as shown: None ("–") when either is hidden (a difference of a
    hidden count is never shown)."""
    if dolt(fore) or dolt(efter) or _missing(fore) or _missing(efter):
        return None
    return int(efter) - int(fore)


def _fors_tom(df: pd.DataFrame) -> str | None:
    """Why the figures are not shown: not published for the period, or not in the extract."""
    if df.attrs.get("ej_publicerat"):
        return df.attrs["ej_publicerat"]
    if not df.attrs.get("i_uttaget", True):
        return views.FORS_EJ_I_UTTAGET
    return None


def forsorjning(con, scope, state: Filter, insats_id=None) -> Tabell:
    """Försörjning före och efter, as the national follow-up (SUS Standardrapport deltagare)
    lays it out: per source of support, how many of those avslutade in the period had it
    before the insats and at avslut, by kön, each one's share, and the change in number; a
    Samtliga row. Outside the kansli per whole calendar year only (``tom`` says why, as it
    does when the extract has no source at avslut)."""
    df = views.forsorjning(con, scope, _filters(state, insats_id))
    tom = _fors_tom(df)
    totalt = df.attrs["totalt"].get(None, {})
    kons = [c for c in ("kvinna", "man", "totalt") if c in df.columns]
    rows = []
    if not tom:
        pos = {(a, b): i for i, (a, b) in enumerate(zip(df["forsorjning_start"],
                                                         df["forsorjning_slut"]))}
        recs = rader(df)
        summa = recs[pos[(views.SUMMA, views.SUMMA)]]
        labels = codes.labels("forsorjning_start")
        for code in [*codes.codes("forsorjning_start"), views.SUMMA]:
            fore = recs[pos[(code, views.SUMMA)]]
            efter = recs[pos[(views.SUMMA, code)]]
            row = {"kod": code, "forsorjning": labels.get(code, "Samtliga"),
                   **{f"fore_{k}": fore[k] for k in kons},
                   **{f"efter_{k}": efter[k] for k in kons}}
            row["forandring"] = forandring(fore["totalt"], efter["totalt"])
            row["fore_andel"] = views.share(fore["totalt"], summa["totalt"])
            row["efter_andel"] = views.share(efter["totalt"], summa["totalt"])
            rows.append(row)
    out = pd.DataFrame(rows, columns=["kod", "forsorjning", *(f"{a}_{k}" for a in ("fore", "efter")
                                                               for k in kons),
                                      "forandring", "fore_andel", "efter_andel"])
    total = ("kvinnor och män" if "samtliga" in totalt else "totalt")
    kol = [Kolumn("forsorjning", "Försörjning")]
    for when, word, title in (("fore", "Före", "Före insatsen"), ("efter", "Efter", "Vid avslut")):
        kol += [Kolumn(f"{when}_{k}", f"{word}, {namn}", "heltal", f"{title}: {namn}", prio=3)
                for k, namn in (("kvinna", "kvinnor"), ("man", "män")) if k in kons]
        kol.append(Kolumn(f"{when}_totalt", word, "heltal", f"{title}: {total}"))
    kol += [Kolumn("forandring", "Förändring", "heltal", "Efter minus före, i antal"),
            Kolumn("fore_andel", "Andel före", "procent",
                   "Andel av de avslutade med uppgift, före insatsen", prio=2),
            Kolumn("efter_andel", "Andel efter", "procent",
                   "Andel av de avslutade med uppgift, vid avslut", prio=2)]
    fotnot = ("Deltagare avslutade under perioden med registrerad försörjning vid avslut: deras "
              "huvudsakliga försörjning före insatsen och vid avslut. Lön räknar också eget "
              "företag.")
    saknas = df.attrs.get("saknas")
    if saknas:  # the kansli's: a registration-quality item
        fotnot += (f" {fmt.antal(saknas, 'avslutad deltagare saknar', 'avslutade deltagare saknar')}"
                   " försörjning vid avslut i uttaget och ingår inte.")
    if any(r["forandring"] is None for r in rows):
        fotnot += " " + FORANDRING_NOT
    fotnot += _samtliga_not(totalt)
    t = Tabell("forsorjning", "Försörjning före och efter insatsen", out, kol, fotnot=fotnot,
               tom=tom)
    t.totalt = totalt
    return t


def forsorjning_flode(con, scope, state: Filter, insats_id=None) -> Tabell:
    """From each source of support before the insats to each at avslut (kvinnor and män
    together outside the kansli): a row per source before, a column per source at avslut,
    with their sums."""
    df = views.forsorjning(con, scope, _filters(state, insats_id))
    tom = _fors_tom(df)
    labels = codes.labels("forsorjning_start")
    koder = codes.codes("forsorjning_start")
    rows = []
    if not tom:
        value = {(a, b): v for a, b, v in zip(df["forsorjning_start"], df["forsorjning_slut"],
                                              df["totalt"])}
        for a in [*koder, views.SUMMA]:
            rows.append({"forsorjning": labels.get(a, "Samtliga"),
                         **{b: value[(a, b)] for b in [*koder, views.SUMMA]}})
    out = pd.DataFrame(rows, columns=["forsorjning", *koder, views.SUMMA])
    egen = set(codes.EGEN_FORSORJNING)
    return Tabell("forsorjning_flode", "Från försörjning före insatsen till försörjning vid "
                  "avslut", out,
                  [Kolumn("forsorjning", "Före insatsen",
                          titel="Rader: försörjning före insatsen; kolumner: vid avslut")]
                  # on a projector: who went to lön or studiemedel, and the sum; every other
                  # source at avslut one click away (Visa alla kolumner)
                  + [Kolumn(k, labels[k], "heltal", f"Vid avslut: {labels[k].lower()}",
                            prio=1 if k in egen else 3) for k in koder]
                  + [Kolumn(views.SUMMA, "Summa", "heltal", "Alla med uppgift vid avslut")],
                  fotnot="En rad per försörjning före insatsen, en kolumn per försörjning vid "
                         "avslut" + (": kvinnor och män" if "samtliga" in df.attrs["totalt"].get(
                             None, {}) else "") + ".", tom=tom)


# outside the kansli the lämnat tables count kvinnor and män (annat kön only in Avslutade)
LAMNAT_KON_NOT = ("Avslutade räknar alla; offentlig försörjning före och lämnat räknar kvinnor "
                  "och män (deltagare med annat kön ingår bara i Avslutade).")


def _lamnat_kolumner(under: str, offentlig_prio: int) -> list[Kolumn]:
    """Avslutade, offentlig försörjning före and lämnat offentlig försörjning (n av N) of
    those avslutade ``under`` ("perioden", "året"): the per-insats and the per-year table's."""
    return [Kolumn("avslutade", "Avslutade", "heltal",
                   f"Avslutade under {under} med registrerad försörjning vid avslut", prio=2),
            Kolumn("offentlig", "Offentlig försörjning före", "heltal",
                   "Av dem: offentlig försörjning före insatsen (inte lön, studiemedel eller "
                   "ingen)", prio=offentlig_prio),
            Kolumn("andel_lamnat", "Lämnat offentlig försörjning", "procent",
                   "Andel av dem med offentlig försörjning före som hade lön eller studiemedel "
                   "vid avslut", av=("lamnat", "offentlig"))]


def forsorjning_insatser(con, scope, state: Filter, insats_id=None) -> Tabell:
    """Per individinsats: of those avslutade with public support at start, how many had lön
    or studiemedel at avslut ("lämnat offentlig försörjning", n av N), with a Samtliga row;
    the kansli's also how many avslutade lack a registered source."""
    df = views.forsorjning_insats(con, scope, _filters(state, insats_id))
    tot, tom = df.attrs["totalt"], _fors_tom(df)
    if tom:
        df = df.iloc[:0]
    elif len(df) > 1:
        df = pd.concat([df, pd.DataFrame([{"insats_id": None, "kortnamn": "Samtliga", **tot}])],
                       ignore_index=True)
    kol = [Kolumn("kortnamn", "Insats"), *_lamnat_kolumner("perioden", offentlig_prio=3),
           Kolumn("kvinna_lamnat", "varav kvinnor", "heltal",
                  "Kvinnor bland dem som lämnat offentlig försörjning", prio=3),
           Kolumn("man_lamnat", "varav män", "heltal",
                  "Män bland dem som lämnat offentlig försörjning", prio=3)]
    fotnot = ("Lämnat offentlig försörjning: hade offentlig försörjning före insatsen "
              "(aktivitetsersättning, sjukpenning, ekonomiskt bistånd, arbetslöshetsersättning, "
              "aktivitetsstöd, etableringsersättning eller annan) och lön eller studiemedel vid "
              "avslut. Räknas på de avslutade under perioden med registrerad försörjning vid "
              "avslut.")
    if "saknas" not in df.columns:  # outside the kansli the rows count kvinnor and män
        fotnot += " " + LAMNAT_KON_NOT
    saknas = set()
    if "saknas" in df.columns:  # the kansli's registration-quality column
        kol.append(Kolumn("saknas", "Saknar uppgift", "heltal",
                          "Avslutade utan registrerad försörjning vid avslut", prio=2))
        saknas = {(i, "saknas") for i, n, ins in zip(df.index, df["saknas"], df["insats_id"])
                  if n and isinstance(ins, str)}
        if saknas:
            fotnot += (" ⚠ Saknar uppgift: avslutade utan registrerad försörjning vid avslut; "
                       "komplettera registreringen.")
    return Tabell("forsorjning_insatser", "Lämnat offentlig försörjning per insats", df, kol,
                  fotnot=fotnot, totalt=tot, tom=tom, avvikande=saknas)


def forsorjning_ar(con, scope, insats_id: str, rng: periods.Range) -> Tabell:
    """Lämnat offentlig försörjning of one insats per calendar year of ``rng`` (an ended
    insats's whole time, in its slutrapport): the publication has these figures per whole
    calendar year only, so a row per year the loaded quarters cover whole; the years they
    don't are named in the footnote."""
    loaded = set(views.perioder(con))
    rows, utanfor, tom = [], [], None
    for year in range(rng.first // 4, rng.last // 4 + 1):
        if not {f"{year}-Q1", f"{year}-Q4"} <= loaded:
            utanfor.append(str(year))
            continue
        df = views.forsorjning_insats(con, scope, Filter(f"{year}-Q1", f"{year}-Q4",
                                                         insatser=(insats_id,)))
        tom = _fors_tom(df)
        if tom:
            break
        if len(df):
            rows.append({"ar": str(year), **df.iloc[0][
                ["avslutade", "offentlig", "lamnat", "andel_lamnat"]].to_dict()})
    df = pd.DataFrame(rows, columns=["ar", "avslutade", "offentlig", "lamnat", "andel_lamnat"])
    fotnot = ("Per kalenderår (siffrorna publiceras bara för hela kalenderår): de avslutade "
              "under året med registrerad försörjning vid avslut; lämnat = hade offentlig "
              "försörjning före insatsen och lön eller studiemedel vid avslut.")
    if scope.suppress:  # as the table per insats
        fotnot += " " + LAMNAT_KON_NOT
    if utanfor:
        fotnot += f" {rapport_text.lista(utanfor)} finns inte hela i de inlästa uttagen."
    return Tabell("forsorjning_ar", "Försörjning före och efter", df.iloc[:0] if tom else df,
                  [Kolumn("ar", "År"), *_lamnat_kolumner("året", offentlig_prio=2)],
                  fotnot=fotnot, tom=tom or (None if rows else "Inga avslutade under de "
                                             "inlästa kalenderåren."))


def _malgrupp_builder(dimension: str):
    def build(con, scope, state: Filter, insats_id=None) -> Tabell:
        return malgrupp_dimension(con, scope, state, dimension)
    build.__name__ = f"malgrupp_{dimension}"
    return build


def registrering(con, scope, state: Filter, insats_id=None) -> Tabell:
    """Kvalitet's Registreringskvalitet: per individinsats what in the current extract makes the
    figures less true (``views.registrering``), each count the kansli can act on; outside the
    kansli the counts are the publication's, and corrections only whether there are any."""
    df = views.registrering(con, scope, _filters(state, insats_id))
    c = config.get()
    manader = df.attrs["manader"]
    df["alla"] = [None if a is None else r if dolt(r) else a if dolt(a)
                  else a + r for a, r in zip(df["anonyma"], df["registrerade"])]
    ar = df.attrs["ar"]
    over = {(i, "andel_anonyma") for i, v in zip(df.index, df["andel_anonyma"])
            if isinstance(v, float) and round(v * 100) > c.registrering.anonyma_procent}
    atgard = {(i, k) for k in views.REGISTRERING_SLAG for i, v in zip(df.index, df[k])
              if v is not None and not dolt(v) and v > 0}
    atgard |= {(i, "rattelser") for i, v in zip(df.index, df["rattelser"])
               if v is True or (v is not False and not dolt(v) and v > 0)}
    ar_text = fmt.kvartal(ar.till).rsplit(" ", 1)[-1] if ar is not None else "–"
    lange = (f"Öppna {manader} månader eller längre" if manader else "Öppna länge")
    fotnot = (
        "Uttagets läge vid det senaste kvartalet, oavsett vald period. Öppna fast insatsen "
        "avslutats: deltagare utan slutdatum i en avslutad insats. "
        + (f"{lange}: utan slutdatum och startade för minst {manader} månader sedan "
           "(insatsernas vanliga tid; ändras i insatskollen.toml, [registrering]). "
           if manader else "Öppna länge: uttaget är för kort för att säga, eller gränsen har "
                           "ändrats sedan uttaget lästes in. ")
        + "Pågående utan handlingsplan: i förrehabiliterande insatser, där förbundets mål är "
          f"att minst {fmt.procent(codes.MAL_HANDLINGSPLAN)} har en handlingsplan vid avslut. "
          f"Anonyma: andelen av alla deltagare {ar_text} som registrerats utan personuppgifter "
          f"(ℹ över {c.registrering.anonyma_procent}\u00a0%: en hög andel gör alla andelar för "
          "insatsen osäkra). Rättelser: deltagare vars avslut, kön eller handlingsplan för ett "
          "tidigare kvartal ändrats sedan förra uttaget. – : gäller inte insatsen. Avslut utan "
          "avslutsorsak, och avslutsorsak utan slutdatum, avvisas när ett uttag läses in och "
          "kan därför inte finnas här.")
    if scope.suppress:
        fotnot += (" Styrelsen ser för rättelser bara om det finns några (Ja/Nej), inte hur "
                   "många: en rättelse är skillnaden mellan två uttags siffror, och antalet "
                   "skulle låta ett dolt tal i förra kvartalets tabeller räknas fram.")
    return Tabell("registrering", "Registreringskvalitet per insats", df, [
        Kolumn("kortnamn", "Insats"),
        Kolumn("oppen_efter_slut", "Öppna fast insatsen avslutats", "heltal"),
        Kolumn("oppen_lange", lange, "heltal"),
        Kolumn("utan_handlingsplan", "Pågående utan handlingsplan", "heltal"),
        Kolumn("andel_anonyma", f"Anonyma av alla {ar_text}", "procent",
               av=("anonyma", "alla"), prio=2),
        Kolumn("rattelser", "Rättelser sedan förra uttaget",
               "janej" if scope.suppress else "heltal", prio=2),
    ], fotnot=fotnot, avvikande=atgard, kannedom=over)


def registrering_rader(con, scope, state: Filter, insats_id=None) -> Tabell:
    """The episodes behind Registreringskvalitet's counts: the kansli's own view only."""
    df = views.registrering_rader(con, scope, _filters(state, insats_id))
    df["problem"] = df["slag"].map(views.REGISTRERING_SLAG)
    df["kon_namn"] = df["kon"].map(codes.labels("kon"))
    return Tabell("registrering_rader", "Deltagarna bakom talen", df, [
        Kolumn("kortnamn", "Insats"), Kolumn("problem", "Att se över"),
        Kolumn("deltagare_id", "Deltagar-id"), Kolumn("startdatum", "Startdatum", "datum"),
        Kolumn("kon_namn", "Kön", prio=3), Kolumn("handlingsplan", "Handlingsplan", "janej", prio=3),
    ], fotnot="Deltagar-id som i SUS-uttaget (pseudonym). Bara i kansliets egen vy.")


def registrering_rattelser(con, scope, state: Filter, insats_id=None) -> Tabell:
    """What the current extract corrects in earlier quarters: the kansli's own view only."""
    df = views.registrering_rattelser(con, scope, _filters(state, insats_id))
    df["rattelse"] = df["slag"].map(views.RATTELSE_SLAG)
    return Tabell("registrering_rattelser", "Rättelser av tidigare kvartal sedan förra uttaget",
                  df, [
                      Kolumn("kortnamn", "Insats"), Kolumn("kvartal", "Kvartal", "kvartal"),
                      Kolumn("rattelse", "Rättelse"), Kolumn("deltagare_id", "Deltagar-id"),
                      Kolumn("fore", "Förra uttaget", prio=2), Kolumn("efter", "Nu", prio=2),
                  ], fotnot="Jämfört med det förra inlästa uttaget. Kvartal: det kvartal vars "
                            "siffror rättelsen ändrar (slutdatum för sent avslut och handlingsplan, "
                            "startdatum för kön).")


BUILDERS = {b.__name__: b for b in (
    insatser_lampor, mal, malen, lampor, budget, budget_typ, budget_kvartal, kvalitet,
    andringar, deltagare, avslutsorsaker, deltagare_kvartal, bip, bip_indikator, kostnad,
    registrering, registrering_rader, registrering_rattelser,
    forsorjning, forsorjning_flode, forsorjning_insatser,
    *(_malgrupp_builder(d) for d, _, _ in codes.MALGRUPP_DIMENSIONER),
)}
