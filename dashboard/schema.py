"""The extract's files and the database's tables, written once (data-contract.md).

One ``Col`` per column of each file: its name, kind, whether it is required, its bounds and its
Swedish label. From these come the validation (``ingest.validate``), the casts that store a
validated file (``ingest.load``), the ``*_raw`` tables' DDL (``db``), and the styrgrupp
checklist (``tables``). A change of the contract is a change here, plus a migration step in
``db.MIGRATIONS`` when an existing database must change shape.

Kinds: ``text``, ``list`` (names separated by ``|``), ``date`` (ÅÅÅÅ-MM-DD), ``period``
(ÅÅÅÅ-Qn; stored as its label ``period`` and its quarter index ``q``), ``janej``, ``number``,
``int``, ``code:<domain>`` (a code list of ``codes.DOMAINS``, or the extract's own list where
``CODE_LISTS`` names a file that gives it).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import codes, config


@dataclass(frozen=True)
class Col:
    name: str
    kind: str
    required: bool = True  # a value must be present (the column must then exist too)
    min: float | None = None
    max: float | None = None
    label: str = ""
    # the checklist's short heading and the answer expected when all is well (kvartalsrapport)
    short: str = ""
    expected: bool | None = None
    # a deviating answer in words, and whether it asks for action ("Åtgärd krävs") or is for
    # information ("För kännedom": e.g. a submitted avvikelse, the styrgrupp did the right thing)
    avvikelse: str = ""
    atgard: bool = False
    pm_tabell: int = 0  # the seed PM's table of the answer: 2 (mål), 3 (förutsättningar), 5
    config_bounds: str = ""  # a Config field (lowest, highest) bounding the value, not min/max

    def bounds(self) -> tuple[float | None, float | None]:
        """The lowest and highest value allowed (None: unbounded), the configured ones when
        ``config_bounds`` names them."""
        if self.config_bounds:
            return getattr(config.get(), self.config_bounds)
        return self.min, self.max


SQL_TYPE = {"text": "VARCHAR", "list": "VARCHAR[]", "date": "DATE", "janej": "BOOLEAN",
            "number": "DOUBLE", "int": "INTEGER"}

# The styrgrupp checklist (PM Tabell 3 and 5): every ja/nej answer of kvartalsrapport.csv.
CHECKLISTA = [
    Col("i_fas", "janej", label="Insatsen ligger i fas gällande uppsatta mål", short="I fas",
        expected=True, avvikelse="inte i fas med målen", pm_tabell=2),
    Col("prognos", "janej", label="Styrgruppens prognos: målen nås", short="Prognos",
        expected=True, avvikelse="prognosen är att målen inte nås", pm_tabell=2),
    Col("start_i_tid", "janej", label="Insatsen startade i tid", short="Start i tid",
        expected=True, avvikelse="startade inte i tid", pm_tabell=3),
    Col("vakans_forbundsmedel", "janej", label="Vakans (förbundsmedel)", short="Vakans förb.",
        expected=False, avvikelse="vakans i tjänst finansierad av förbundet", pm_tabell=3),
    Col("vakans_egenfinansierad", "janej", label="Vakans (egenfinansierad)",
        short="Vakans egen", expected=False, avvikelse="vakans i egenfinansierad tjänst", pm_tabell=3),
    Col("avvikelse_budget", "janej", label="Inkommen avvikelse gällande budget",
        short="Avvik. budget", expected=False, avvikelse="avvikelse om budget inlämnad", pm_tabell=3),
    Col("styrgruppsmoten_enligt_avtal", "janej", label="Styrgruppsmöten enligt avtal",
        short="Styrgrupps\u00admöten", expected=True,
        avvikelse="styrgruppen har inte mötts enligt avtal", atgard=True, pm_tabell=5),
    Col("ordinarie_ledamoter", "janej", label="Ordinarie ledamöter har deltagit",
        short="Ordinarie", expected=True,
        avvikelse="ordinarie ledamöter har inte deltagit", atgard=True, pm_tabell=5),
    Col("uppfoljning_enligt_avtal", "janej", label="Uppföljning enligt avtal",
        short="Uppföljning", expected=True, avvikelse="uppföljning inte enligt avtal",
        atgard=True, pm_tabell=5),
    Col("kontroll_malgrupp_metod", "janej", label="Kontroll av målgrupp och metod",
        short="Kontroll", expected=True, avvikelse="målgrupp och metod inte kontrollerade",
        atgard=True, pm_tabell=5),
    Col("jamstalldhet", "janej", label="Jämlikhet/jämställdhet behandlad",
        short="Jäm\u00adställdhet", expected=True,
        avvikelse="jämlikhet/jämställdhet inte behandlad", atgard=True, pm_tabell=5),
    Col("avvikelse_mal", "janej", label="Avvikelse gällande mål/målgrupp", short="Avvik. mål",
        expected=False, avvikelse="avvikelse om mål/målgrupp inlämnad", pm_tabell=5),
]

FILES: dict[str, list[Col]] = {
    "uttag": [
        Col("forbund", "text", label="Förbund"), Col("period", "period", label="Period"),
        Col("uttagsdatum", "date", label="Uttagsdatum"),
        Col("kalla", "text", False, label="Källa")],
    "insatser": [
        Col("insats_id", "text", label="Insats-id"), Col("namn", "text", label="Namn"),
        Col("kortnamn", "text", label="Kortnamn"), Col("typ", "code:typ", label="Typ"),
        Col("forrehab", "janej", label="Förrehabilitering"),
        Col("kommuner", "list", label="Kommuner"),
        Col("insatsagare", "text", label="Insatsägare"),
        Col("samverkansparter", "list", False, label="Samverkansparter"),
        Col("startdatum", "date", label="Startdatum"), Col("slutdatum", "date", label="Slutdatum"),
        Col("beviljat_tkr", "number", min=0, label="Beviljat (tkr)"),
    ],
    "kvartalsrapport": [Col("insats_id", "text", label="Insats-id"),
                        Col("period", "period", label="Period")]
    + CHECKLISTA + [Col("kommentar", "text", False, label="Kommentar")],
    "mal": [
        Col("insats_id", "text", label="Insats-id"), Col("period", "period", label="Period"),
        Col("mal_nr", "int", min=1, label="Mål nr"),
        Col("maltyp", "code:maltyp", label="Måltyp"),
        Col("beskrivning", "text", label="Beskrivning"),
        Col("malvarde", "number", False, label="Målvärde"),
        Col("enhet", "code:enhet", False, label="Enhet"),
        Col("utfall", "number", False, label="Utfall"),
        Col("bedomning", "code:bedomning", label="Bedömning"),
        Col("kommentar", "text", False, label="Kommentar"),
        Col("berakning", "code:berakning", False, label="Beräknas ur data"),
    ],
    "budget": [
        Col("insats_id", "text", label="Insats-id"), Col("period", "period", label="Period"),
        Col("budget_tkr", "number", False, min=0, label="Budget (tkr)"),
        Col("utfall_tkr", "number", False, label="Utfall (tkr)"),
        Col("overfort_tkr", "number", False, label="Överfört (tkr)"),
        Col("aterfort_tkr", "number", False, label="Återfört (tkr)"),
    ],
    "deltagare": [
        Col("deltagare_id", "text", label="Deltagar-id"),
        Col("insats_id", "text", label="Insats-id"), Col("kon", "code:kon", label="Kön"),
        Col("fodelsear", "int", min=1900, max=2100, label="Födelseår"),
        Col("startdatum", "date", label="Startdatum"),
        Col("slutdatum", "date", False, label="Slutdatum"),
        Col("remittent", "code:remittent", label="Remittent"),
        Col("forsorjning_start", "code:forsorjning_start", label="Försörjning vid start"),
        # optional (a column an older extract lacks): empty while pågående; an avslutad
        # episode without it is a registration-quality item, not an error
        Col("forsorjning_slut", "code:forsorjning_slut", False, label="Försörjning vid avslut"),
        Col("forsorjningstid", "code:forsorjningstid", label="Tid i offentlig försörjning"),
        Col("utbildning", "code:utbildning", label="Utbildningsnivå"),
        Col("handlingsplan", "janej", label="Handlingsplan"),
    ],
    "avslut": [
        Col("deltagare_id", "text", label="Deltagar-id"),
        Col("insats_id", "text", label="Insats-id"),
        Col("avslutsorsak", "code:avslutsorsak", label="Avslutsorsak"),
        Col("omfattning", "int", False, min=10, max=100, label="Omfattning (%)"),
    ],
    "anonyma": [
        Col("insats_id", "text", label="Insats-id"), Col("period", "period", label="Period"),
        Col("anonyma", "int", False, min=0, label="Anonyma"),
        Col("volym", "int", False, min=0, label="Volym"),
    ],
    "bip": [
        Col("deltagare_id", "text", label="Deltagar-id"),
        Col("insats_id", "text", label="Insats-id"),
        Col("matdatum", "date", label="Mätdatum"),
        Col("indikator", "code:bip_indikator", label="Indikator"),
        Col("varde", "int", config_bounds="bip_skala", label="Värde"),
    ],
    # optional: the extract's own BIP indicators (SMAIL or another tool); for its load they
    # replace the default list (codes.BIP_INDIKATOR): bip.csv's codes, labels and order
    "bip_indikatorer": [
        Col("indikator", "text", label="Indikator"), Col("namn", "text", label="Namn"),
        Col("ordning", "int", label="Ordning"),
    ],
}
REQUIRED_FILES = ("uttag", "insatser", "kvartalsrapport", "mal", "budget", "deltagare", "avslut")
STORED_FILES = tuple(f for f in FILES if f != "uttag")  # uttag goes to ``loads``
ZERO_IF_EMPTY = {"budget": ("budget_tkr", "utfall_tkr", "overfort_tkr", "aterfort_tkr"),
                 "anonyma": ("anonyma", "volym")}
KEYS = {
    "insatser": ["insats_id"],
    "kvartalsrapport": ["insats_id", "period"],
    "mal": ["insats_id", "period", "mal_nr"],
    "budget": ["insats_id", "period"],
    "deltagare": ["deltagare_id", "insats_id"],
    "anonyma": ["insats_id", "period"],
    "bip": ["deltagare_id", "insats_id", "matdatum", "indikator"],
    "bip_indikatorer": ["indikator"],
}
# A file that, when the extract has it, gives a code list in place of the default one:
# file -> (domain, its code column, its label column, its order column).
CODE_LISTS = {"bip_indikatorer": ("bip_indikator", "indikator", "namn", "ordning")}
NOT_NULL = ("insats_id", "deltagare_id")

# What a load derives per episode (deltagare_id × insats_id) beside deltagare's own columns.
EPISOD_DERIVED = [("alder", "INTEGER"), ("alder_band", "VARCHAR"), ("manader", "INTEGER"),
                  ("till_arbete_studier", "BOOLEAN")]


def stored_columns(stem: str) -> list[tuple[str, str]]:
    """(column, SQL type) of the table ``<stem>_raw`` after ``load_id``."""
    out = []
    for c in FILES[stem]:
        if c.kind == "period":
            out += [("period", "VARCHAR"), ("q", "INTEGER")]
        else:
            out.append((c.name, SQL_TYPE.get(c.kind, "VARCHAR")))
    return out


def _ddl(table: str, columns: list[tuple[str, str]]) -> str:
    cols = ", ".join(f"{n} {t}{' NOT NULL' if n in NOT_NULL else ''}" for n, t in columns)
    return f"CREATE TABLE IF NOT EXISTS {table} (load_id INTEGER NOT NULL, {cols});"


def ddl() -> str:
    """CREATE TABLE IF NOT EXISTS of every ``*_raw`` table, in the shape of today's contract."""
    tables = [_ddl(raw_table(s), table_columns(s)) for s in STORED_FILES]
    return "\n".join(tables)


def raw_table(stem: str) -> str:
    """The table a file's rows are stored in: ``<stem>_raw``; deltagare's rows are stored
    once, each with what its load derives per episode, in ``episoder_raw``."""
    return "episoder_raw" if stem == "deltagare" else f"{stem}_raw"


def table_columns(stem: str) -> list[tuple[str, str]]:
    """(column, SQL type) of the table a file's rows are stored in, after ``load_id``."""
    return stored_columns(stem) + (EPISOD_DERIVED if stem == "deltagare" else [])


def cast(c: Col) -> list[str]:
    """SQL expressions over a validated DataFrame that give the stored column(s) of ``c``."""
    if c.kind == "period":
        return ["kvartal_etikett(CAST(period AS INTEGER))", "CAST(period AS INTEGER)"]
    if c.kind == "list":
        return [f"CAST(coalesce({c.name}, []) AS VARCHAR[])" if not c.required
                else f"CAST({c.name} AS VARCHAR[])"]
    if c.kind in SQL_TYPE and c.kind != "text":
        return [f"CAST({c.name} AS {SQL_TYPE[c.kind]})"]
    return [c.name]


def select_sql(stem: str) -> str:
    """A validated file (registered as ``src``) as the stored columns of its load
    (``$load_id``), each under its name."""
    names = ["load_id"] + [n for n, _ in stored_columns(stem)]
    exprs = ["$load_id"] + [e for c in FILES[stem] for e in cast(c)]
    return "SELECT " + ", ".join(f"{e} AS {n}" for e, n in zip(exprs, names)) + " FROM src"


def insert_sql(stem: str) -> str:
    """The INSERT of a validated file (registered as ``src``) into ``<stem>_raw``, by column
    name so that a column added by a migration at the table's end is filled the same way.
    (deltagare: ``db.insert_deltagare``, with its derived columns.)"""
    return f"INSERT INTO {raw_table(stem)} BY NAME {select_sql(stem)}"


def age_band_sql(alder: str) -> str:
    """The age band of ``codes.AGE_BANDS`` as a SQL CASE over the expression ``alder`` (the
    bands are in ascending order, so each one's upper bound decides; NULL stays NULL)."""
    whens = []
    for code, _ in codes.AGE_BANDS:
        low, high = code.split("_")
        if low == "under":
            whens.append(f"WHEN {alder} < {high} THEN '{code}'")
        elif high == "plus":
            whens.append(f"WHEN {alder} >= {low} THEN '{code}'")
        else:
            whens.append(f"WHEN {alder} <= {high} THEN '{code}'")
    return "CASE " + " ".join(whens) + " END"
