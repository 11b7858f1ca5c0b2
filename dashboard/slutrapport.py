"""The slutrapport of an ended insats: the förbund's template (seeds 000 and 001, "Slutrapport
samverkansinsatser inom samordningsförbundet") in its order and words, its figures from the
data over the insats's whole time and its prose the kansli's own texts (``texter.SLUTRAPPORT``,
versioned and audited as every text).

One builder (``bygg``) gives the document's parts; the insats page lays them out
(``components/slutrapport.py``), this module prints them as HTML and PDF (as the PM is printed:
Debian's Chromium, ``rapport._printer``) and as one export row per ended insats. Every figure
comes from the views (``views.slutrapport_*``): outside the kansli's own view the
participants are cells of the publication, the whole time of the insats decided with the
rest (``beslut.HELA_DELT``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from . import (
    codes,
    config,
    fmt,
    nyckeltal,
    periods,
    publicering,
    rapport,
    rapport_text,
    tables,
    texter,
    urval,
    views,
)
from .publicerat import dolt
from .urval import Filter

RUBRIK = "Slutrapport samverkansinsatser inom samordningsförbundet"
SENAST = "Slutrapport ska lämnas in till förbundet senast en månad efter avslutad insats."
SAKNAS_RUBRIK = "Slutrapport saknas"
# the template's data questions (the prose questions are texter.SLUTRAPPORT)
MAL_FRAGA = "Ange uppsatta mål för insatsen"
MAL_UPPNATT = "Har målen uppnåtts?"
MAL_UTFALL = "Ange utfall/resultat för respektive mål"
DELTAGARE_FRAGA = "Ange antal deltagare som deltagit i insatsen"
MALGRUPP_DATA = "Deltagarna under insatstiden"
EKONOMI = "Ekonomi"

# The template's order: ("text", avsnitt) is the kansli's text under the template's question;
# the others are parts made of data.
ORDNING = [
    ("fakta", None), ("text", "slut_syfte"), ("mal", None), ("text", "slut_jamstalldhet"),
    ("text", "slut_behov"), ("insatstid", None), ("text", "slut_malgrupp"),
    ("text", "slut_malgrupp_andrad"), ("malgrupp", None), ("deltagare", None),
    ("text", "slut_metod"), ("text", "slut_metod_andrad"), ("text", "slut_metod_utford"),
    ("text", "slut_uppfoljning"), ("text", "slut_tillvaratas"), ("ekonomi", None),
    ("text", "slut_aterfort"), ("text", "slut_aterfort_konsekvens"), ("text", "slut_lardomar"),
]

# the export's columns, exactly (issue 29); the participant ones empty for struktur and
# kompetens insatser
EXPORT_KOLUMNER = [
    "insats_id", "kortnamn", "startdatum", "slutdatum", "beviljat_tkr", "budget_tkr",
    "utfall_tkr", "forbrukningskvot", "overfort_tkr", "aterfort_tkr", "deltagare_totalt",
    "kvinnor", "man", "avslutade_totalt", "till_arbete_studier", "andel_arbete_studier",
    "med_handlingsplan", "andel_handlingsplan", "mal_totalt", "mal_uppnadda",
]
DELTAGAR_KOLUMNER = EXPORT_KOLUMNER[10:18]


@dataclass
class Slutrapport:
    insats: dict  # the register's row (views.slutrapport_insats), with ``rng`` (whole time)
    kvartal: str  # the quarter it ended: the quarter its texts are about
    texter: dict  # avsnitt -> texter.Text | None, every one of texter.SLUTRAPPORT
    mal: tables.Tabell | None  # the goals of its last quarterly report with goals
    mal_kvartal: str | None
    budget: dict
    deltagare: dict | None = None  # an individinsats's participants (views.slutrapport_*)
    avslutsorsaker: pd.DataFrame | None = None
    malgrupp: pd.DataFrame | None = None  # coarse categories (views.slutrapport_malgrupp)
    ej_publicerat: str | None = None  # why the participants are not shown
    # Försörjning före och efter, per calendar year of its time (tables.forsorjning_ar), beside
    # the participants; None for an insats without participants
    forsorjning: tables.Tabell | None = None
    suppress: bool = True
    first_loaded: str = ""  # the first loaded quarter (the economy's and outcomes' start)
    extra: dict = field(default_factory=dict)

    @property
    def individ(self) -> bool:
        return self.insats["typ"] == "individ"

    @property
    def mal_uppnadda(self) -> int:
        return 0 if self.mal is None else int((self.mal.df["bedomning"] == "uppnatt").sum())

    @property
    def mal_totalt(self) -> int:
        return 0 if self.mal is None else len(self.mal.df)

    @property
    def har_texter(self) -> bool:
        return any(t is not None for t in self.texter.values())

    @property
    def avkortad(self) -> bool:
        """Whether it started before the first loaded quarter (the figures of its period,
        avslutade and budget, then count from that quarter)."""
        return self.insats["startdatum"] < pd.Timestamp(periods.first_day(
            periods.parse(self.insats["fran"])))


def sista_malen(con, scope, insats_id: str, rng: periods.Range
                ) -> tuple[tables.Tabell | None, str | None]:
    """The goals as the insats's last quarterly report with goals gave them (its whole
    time, from the quarter it ended back), with the utfall computed where the goal says how,
    as the Mål page does for that quarter: (table, quarter), or (None, None)."""
    for q in range(rng.last, rng.first - 1, -1):
        s = Filter(fran=periods.label(q), till=periods.label(q), insatser=(insats_id,))
        t = tables.malen(con, scope, s, insats_id)
        if len(t.df):
            return t, periods.label(q)
    return None, None


def bygg(con, scope, insats_id: str) -> Slutrapport | None:
    """The slutrapport of an ended insats in the viewer's scope; None when it has none (not
    ended by the latest loaded quarter, or not the viewer's)."""
    r = views.slutrapport_insats(con, scope, insats_id)
    if r is None:
        return None
    rng = r["rng"]
    kvartal = periods.label(rng.last)
    own = texter.aktuella(con, kvartal)
    mal, mal_q = sista_malen(con, scope, insats_id, rng)
    s = Slutrapport(insats=r, kvartal=kvartal,
                    texter={a: own.get((a, insats_id)) for a in texter.SLUTRAPPORT},
                    mal=mal, mal_kvartal=mal_q,
                    budget=views.slutrapport_budget(con, scope, insats_id),
                    suppress=scope.suppress, first_loaded=views.perioder(con)[0])
    if s.individ:
        try:
            s.deltagare = views.slutrapport_deltagare(con, scope, insats_id)
            s.avslutsorsaker = views.slutrapport_avslutsorsaker(con, scope, insats_id)
            s.malgrupp = views.slutrapport_malgrupp(con, scope, insats_id)
            s.forsorjning = tables.forsorjning_ar(con, scope, insats_id, rng)
        except publicering.EjPublicerad as e:
            s.ej_publicerat = str(e)
            s.deltagare = s.avslutsorsaker = s.malgrupp = s.forsorjning = None
    return s


# --- words -----------------------------------------------------------------------------------


def insatstid(s: Slutrapport) -> str:
    r = s.insats
    return f"{r['startdatum']:%Y-%m-%d} – {r['slutdatum']:%Y-%m-%d}"


def fakta(s: Slutrapport) -> list[tuple[str, str]]:
    """The template's first lines: name, diarienummer, owner and parties, and where."""
    r = s.insats
    typ = codes.labels("typ").get(r["typ"], r["typ"]) + (
        ", förrehabiliterande" if r["forrehab"] else "")
    return [("Insatsens namn", r["namn"]), ("Diarienummer", r["insats_id"]),
            ("Insatsägare", r["insatsagare"]),
            ("Samverkansparter", (r["samverkansparter"] or "–").replace("|", ", ")),
            ("Kommuner", r["kommuner"].replace("|", ", ")), ("Typ", typ)]


def deltagare_rader(s: Slutrapport) -> list[tuple[str, str]]:
    """The participants in the template's words, each hidden count in words."""
    d = s.deltagare
    fran = fmt.kvartal(s.insats["fran"])
    rows = [
        ("Deltagare totalt", fmt.antal_i_text(d["deltagare_totalt"])),
        ("varav kvinnor", fmt.antal_i_text(d["kvinnor"])),
        ("varav män", fmt.antal_i_text(d["man"])),
        ("Avslutade totalt", fmt.antal_i_text(d["avslutade_totalt"])),
    ]
    if s.avkortad:
        rows.append((f"Avslutade från {fran}", fmt.antal_i_text(d["avslutade_period"])))
    rows.append(("Till arbete eller studier",
                 rapport_text.antal_av(d["till_arbete_studier"], d["avslutade_period"])))
    plan = rapport_text.antal_av(d["med_handlingsplan"], d["avslutade_period"])
    if s.insats["forrehab"]:
        mal = codes.MAL_HANDLINGSPLAN
        andel = d["andel_handlingsplan"]
        if andel is not None and not dolt(andel):
            plan += (f"; förbundets mål minst {fmt.procent(mal)}: "
                     + ("nått" if round(andel * 100) >= round(mal * 100) else "inte nått"))
        else:
            plan += f"; förbundets mål minst {fmt.procent(mal)}"
    rows.append(("Med handlingsplan vid avslut", plan))
    return rows


def deltagare_mening(s: Slutrapport) -> str:
    """The template's answer in a sentence: how many took part, from start to end."""
    d, r = s.deltagare, s.insats
    return (f"Från insatsens start {r['startdatum']:%Y-%m-%d} till dess slut "
            f"{r['slutdatum']:%Y-%m-%d} har {fmt.antal_i_text(d['deltagare_totalt'])} deltagare "
            f"deltagit i insatsen; {fmt.antal_i_text(d['avslutade_totalt'])} av dem har "
            "avslutats.")


def deltagare_not(s: Slutrapport) -> str:
    """How the participants are counted, and from when."""
    text = ("Deltagare räknas per insats som i SUS: en person räknas en gång oavsett hur många "
            "avslutsorsaker den har. Andelarna räknas på de avslutade.")
    if s.avkortad:
        text += (f" Insatsen började före {fmt.kvartal(s.first_loaded)}, det första inlästa "
                 f"kvartalet: deltagare och avslutade totalt räknas sedan start, utfallen "
                 f"(arbete eller studier, handlingsplan) för dem som avslutades från "
                 f"{fmt.kvartal(s.first_loaded)}.")
    return text


def ekonomi_rader(s: Slutrapport) -> list[tuple[str, str]]:
    b = s.budget
    return [("Beviljat", fmt.tkr(b["beviljat_tkr"])), ("Budget", fmt.tkr(b["budget_tkr"])),
            ("Utfall", fmt.tkr(b["utfall_tkr"])),
            ("Förbrukningskvot (utfall ÷ budget)", fmt.procent(b["forbrukningskvot"])),
            ("Överfört till nästa år", fmt.tkr(b["overfort_tkr"])),
            ("Återfört till förbundet", fmt.tkr(b["aterfort_tkr"]))]


def ekonomi_not(s: Slutrapport) -> str:
    b = s.budget
    text = (f"Budget, utfall, överfört och återfört summerade över insatsens kvartal i "
            f"uttagen, {rapport_text.period_text(b['fran'], b['till'])}.")
    if s.avkortad:
        text += (f" Insatsen började före {fmt.kvartal(s.first_loaded)}; tidigare kvartal "
                 "finns inte i de inlästa uttagen.")
    return text


def avslutsorsaker_tabell(s: Slutrapport) -> tables.Tabell:
    """The avslutsorsaker of those who ended in the whole time, by group (arbete, studier,
    arbetssökande, annat), with the Summa."""
    df = s.avslutsorsaker.copy()
    tot = s.avslutsorsaker.attrs["totalt"]
    grupper = dict(codes.AVSLUT_GRUPP)
    koder = {g: rapport_text.lista([lab.lower() for c, lab, gg in codes.AVSLUTSORSAK if gg == g])
             for g in grupper}
    df["orsak"] = [grupper[r.split(":", 1)[1]] for r in df["rad"]]
    df["koder"] = [koder[r.split(":", 1)[1]] for r in df["rad"]]
    df = pd.concat([df, pd.DataFrame([{"rad": "summa", "orsak": "Summa", "koder": "",
                                       "totalt": tot["totalt"]}])], ignore_index=True)
    samtliga = "samtliga" in tot
    fotnot = ("Registreringar av dem som avslutades under insatstiden: en deltagare kan ha flera "
              "avslutsorsaker.")
    if samtliga:
        fotnot += (" Deltagare med annat kön än kvinna eller man ingår bara i summan för "
                   f"samtliga: {tables.cell(tot['samtliga'], 'heltal')}.")
    t = tables.Tabell("slutrapport_avslutsorsaker", "Avslutsorsaker under insatstiden", df, [
        tables.Kolumn("orsak", "Avslutsorsak"),
        tables.Kolumn("totalt", "Kvinnor och män" if samtliga else "Antal", "heltal"),
        tables.Kolumn("koder", "Omfattar", prio=2)], fotnot=fotnot)
    t.totalt = tot
    return t


def malgrupp_tabeller(s: Slutrapport) -> dict[str, tables.Tabell]:
    """The participants of the whole time in Målgrupp's coarse categories: a small table per
    dimension (the Summa, the same for each, is said once: ``malgrupp_not``)."""
    df, tot = s.malgrupp, s.malgrupp.attrs["totalt"]
    samtliga = "samtliga" in tot
    out = {}
    for d, rubrik, _ in codes.MALGRUPP_DIMENSIONER:
        part = df[df["dimension"] == d]
        if not len(part):
            continue
        rows = pd.DataFrame({"kategori_namn": [codes.malgrupp_label(d, k, grov=True)
                                               for k in part["kategori"]],
                             "totalt": list(part["totalt"])})
        t = tables.Tabell(f"slutrapport_malgrupp_{d}", rubrik, rows, [
            tables.Kolumn("kategori_namn", rubrik),
            tables.Kolumn("totalt", "Kvinnor och män" if samtliga else "Antal", "heltal")])
        t.totalt = tot
        out[d] = t
    return out


def malgrupp_not(s: Slutrapport) -> str:
    """What the Målgrupp tables count, and their Summa (the same for each)."""
    tot = s.malgrupp.attrs["totalt"]
    text = ("Deltagare som var inskrivna någon gång under insatstiden, i grova kategorier; "
            "varje indelning räknar samma deltagare")
    if "samtliga" in tot:
        return (text + f": kvinnor och män {fmt.antal_i_text(tot['totalt'])}, samtliga "
                f"{fmt.antal_i_text(tot['samtliga'])} (deltagare med annat kön än kvinna "
                "eller man ingår bara i samtliga).")
    return text + f", {fmt.antal_i_text(tot['totalt'])}."


# a goal's computed share over the whole time: the slutrapport's own participant figures
HELA_BERAKNING = {"andel_handlingsplan": "andel_handlingsplan",
                  "andel_arbete_studier": "andel_arbete_studier"}


def _fotnot(s: Slutrapport, hela: bool, ar: bool) -> str | None:
    """Where the goals' figures come from."""
    parts = [f"Bedömning, rapporterat utfall och kommentar: styrgruppens kvartalsrapport för "
             f"{fmt.kvartal(s.mal_kvartal)}."]
    if hela:
        parts.append("Beräknade andelar: räknade ur uttaget över hela insatstiden, som under "
                     "antal deltagare nedan.")
    if ar:
        q = periods.parse(s.mal_kvartal)
        period = rapport_text.period_text(periods.label(periods.year_start(q)), s.mal_kvartal)
        parts.append(f"Övriga beräknade utfall: för {period}, som på sidan Mål.")
    return " ".join(parts)


def mal_tabell(s: Slutrapport) -> tables.Tabell:
    """The template's goal table: the goal (and its target), whether it was reached (the
    last bedömning), the utfall (reported, and computed where the goal says how: a share over
    the whole time, anything else as the Mål page computes it for the year of the last
    report) and the styrgrupp's comment; ≠ where the computed differs from the reported."""
    df = s.mal.df.copy()
    beraknat = list(df["beraknat_text"])
    skiljer = {i for i, _ in s.mal.skiljer}
    hela = ar = False
    for j, (i, b, u, e) in enumerate(zip(df.index, df["berakning"], df["utfall"], df["enhet"])):
        if b in HELA_BERAKNING and s.deltagare is not None:
            v = s.deltagare[HELA_BERAKNING[b]]
            beraknat[j] = fmt.procent(v) if v is not None else ""
            skiljer.discard(i)
            if nyckeltal.skiljer_sig(v, u, e):
                skiljer.add(i)
            hela = True
        elif isinstance(b, str) and b:
            ar = True
    df["mal_text"] = [b + (f" (målvärde {m})" if m else "")
                      for b, m in zip(df["beskrivning"], df["malvarde_text"])]
    df["utfall_samlat"] = [
        "; ".join(x for x in (f"rapporterat {u}" if u else "", f"beräknat {c}" if c else "") if x)
        or "–" for u, c in zip(df["utfall_text"], beraknat)]
    note = _fotnot(s, hela, ar)
    if skiljer:
        note += (" ≠ = det beräknade skiljer sig från det rapporterade med mer än en tiondel.")
    # only what the table shows (a hidden figure of the Mål page's left out is not in it)
    df = df[["insats_id", "mal_nr", "bedomning", "mal_text", "bedomning_namn", "utfall_samlat",
             "kommentar"]]
    return tables.Tabell(
        "slutrapport_mal", MAL_FRAGA, df, [
            tables.Kolumn("mal_text", MAL_FRAGA),
            tables.Kolumn("bedomning_namn", MAL_UPPNATT),
            tables.Kolumn("utfall_samlat", MAL_UTFALL),
            tables.Kolumn("kommentar", "Styrgruppens kommentar", prio=2)],
        fotnot=note, skiljer={(i, "utfall_samlat") for i in skiljer})


# --- Slutrapport saknas ------------------------------------------------------------------------


def forfallen(slutdatum, idag: date) -> bool:
    """Whether the template's deadline, a month after the insats ended, has passed."""
    return (pd.Timestamp(slutdatum) + pd.DateOffset(months=1)).date() < idag


def saknas(con, scope, f=urval.NO_FILTER, idag: date | None = None) -> pd.DataFrame:
    """The ended insatser (``views.avslutade_insatser``, of ``f``'s kommun, typ and insats)
    whose slutrapport has no text at all a month after the end (the template's deadline):
    insats_id, kortnamn, slutdatum; the latest ended first."""
    idag = idag or date.today()
    df = views.avslutade_insatser(con, scope, f)
    df = df[np.array([forfallen(d, idag) for d in df["slutdatum"]], dtype=bool)]
    har = set()
    for kvartal in sorted(set(df["till"])):
        har |= {i for (a, i) in texter.aktuella(con, kvartal) if a in texter.SLUTRAPPORT}
    df = df[~df["insats_id"].isin(har)]
    return df.sort_values(["slutdatum", "kortnamn"], ascending=[False, True])[
        ["insats_id", "kortnamn", "slutdatum"]].reset_index(drop=True)


def saknas_text(df: pd.DataFrame, visa: int = 2) -> str:
    """``'Tierp, Växtverket, Genuskompassen och 7 till'``: the latest ended first."""
    names = list(df["kortnamn"])
    if len(names) > visa:
        return ", ".join(names[:visa]) + f" och {len(names) - visa} till"
    return rapport_text.lista(names)


# --- the export ---------------------------------------------------------------------------------


def export_rader(con, scope, f=urval.NO_FILTER) -> pd.DataFrame:
    """One row per ended insats (``f``'s kommun, typ and insats) with EXPORT_KOLUMNER: the
    slutrapport's figures as the board's copy shows them (a hidden count as its marker)
    unless the scope is the kansli's own. Participant columns empty for struktur and kompetens
    insatser."""
    rows = []
    for i in views.avslutade_insatser(con, scope, f)["insats_id"]:
        s = bygg(con, scope, i)
        r, b = s.insats, s.budget
        row = {"insats_id": i, "kortnamn": r["kortnamn"],
               "startdatum": r["startdatum"].date(), "slutdatum": r["slutdatum"].date(),
               # tkr as the extract gives them (one decimal), not a sum's float noise
               **{k: round(b[k], 1) for k in ("beviljat_tkr", "budget_tkr", "utfall_tkr",
                                              "overfort_tkr", "aterfort_tkr")},
               "forbrukningskvot": b["forbrukningskvot"],
               **dict.fromkeys(DELTAGAR_KOLUMNER),
               "mal_totalt": s.mal_totalt, "mal_uppnadda": s.mal_uppnadda}
        if s.deltagare is not None:
            row.update({k: s.deltagare[k] for k in DELTAGAR_KOLUMNER})
        elif s.ej_publicerat:  # not published (yet): not shown, never a zero
            row.update(dict.fromkeys(DELTAGAR_KOLUMNER, config.get().ej_visad_marker))
        rows.append(row)
    # object columns: a count stays a whole number beside the empty cells and the markers
    return pd.DataFrame(rows, columns=EXPORT_KOLUMNER, dtype=object)


# --- HTML and PDF ---------------------------------------------------------------------------


def _kapitel(rubrik: str) -> rapport.Kapitel:
    return rapport.Kapitel(0, rubrik)


def delar(s: Slutrapport, kansli: bool) -> list[rapport.Kapitel]:
    """The document's parts in the template's order (rapport.Kapitel, as the PM's chapters).
    ``kansli``: the kansli's own copy, with a marked placeholder where its text is missing;
    the board's copy says the section is not filled in."""
    out = []
    for slag, avsnitt in ORDNING:
        if slag == "text":
            k = _kapitel(texter.SLUTRAPPORT[avsnitt])
            text = s.texter[avsnitt]
            if text is None:
                if kansli:
                    k.delar.append({"slag": "kansli_saknas", "text": texter.saknas_text(
                        s.kvartal, avsnitt) + " Skriv det på insatsens sida, under Slutrapport."})
                else:
                    k.text("Inte ifyllt.", "fotnot")
            else:
                k.kansli(text, None)
            out.append(k)
        elif slag == "fakta":
            k = _kapitel("Insatsen")
            k.delar.append({"slag": "fakta", "rader": fakta(s)})
            out.append(k)
        elif slag == "mal":
            k = _kapitel(f"{MAL_FRAGA} · {MAL_UPPNATT} · {MAL_UTFALL}")
            if s.mal is None:
                k.text("Inga mål i insatsens kvartalsrapporter.")
            else:
                k.text(rapport_text.mal_summering(list(s.mal.df["bedomning"])))
                t = mal_tabell(s)
                # (the printed table has no ≠ mark of its own: it stands in the text)
                for i, _ in t.skiljer:
                    t.df.loc[i, "utfall_samlat"] = "≠ " + t.df.loc[i, "utfall_samlat"]
                t.df = t.df.drop(columns=[tables.MARKERINGAR["skiljer"]], errors="ignore")
                k.tabell(t, rubrik=False)
            out.append(k)
        elif slag == "insatstid":
            k = _kapitel("Insatstid")
            r = s.insats
            k.delar.append({"slag": "fakta", "rader": [
                ("Startdatum", f"{r['startdatum']:%Y-%m-%d}"),
                ("Slutdatum", f"{r['slutdatum']:%Y-%m-%d}")]})
            out.append(k)
        elif slag == "malgrupp" and s.individ:
            k = _kapitel(MALGRUPP_DATA)
            if s.malgrupp is None:
                k.text(s.ej_publicerat or "Inga deltagaruppgifter.")
            else:
                k.delar.append({"slag": "rutnat_start"})
                notes = {}
                for t in malgrupp_tabeller(s).values():
                    k.tabell(t, rubrik=False, smal=True)
                    notes.update(dict.fromkeys([k.delar[-1].pop("fotnot") or ""]))
                k.delar.append({"slag": "rutnat_slut"})
                k.text(" ".join([malgrupp_not(s), *(n for n in notes if n)]), "fotnot")
            out.append(k)
        elif slag == "deltagare":
            k = _kapitel(DELTAGARE_FRAGA)
            if not s.individ:
                k.text(f"{codes.labels('typ')[s.insats['typ']]}: insatsen har inga "
                       "registrerade deltagare.")
            elif s.deltagare is None:
                k.text(s.ej_publicerat or "Inga deltagaruppgifter.")
            else:
                k.text(deltagare_mening(s))
                k.delar.append({"slag": "fakta", "rader": deltagare_rader(s)})
                k.text(deltagare_not(s), "fotnot")
                k.tabell(avslutsorsaker_tabell(s), smal=True)
                if s.forsorjning is not None:
                    k.tabell(s.forsorjning, smal=True)
            out.append(k)
        elif slag == "ekonomi":
            k = _kapitel(EKONOMI)
            k.delar.append({"slag": "fakta", "rader": ekonomi_rader(s)})
            k.text(ekonomi_not(s), "fotnot")
            out.append(k)
    return out


def build_html(con, scope, insats_id: str, kansli: bool = False) -> str:
    """The slutrapport as a complete HTML document (Word opens it); ``kansli``: the kansli's own
    copy (placeholders where its texts are missing). ValueError when the insats has none."""
    s = bygg(con, scope, insats_id)
    if s is None:
        raise ValueError(f"Insatsen {insats_id!r} har ingen slutrapport: den har inte avslutats "
                         "till och med det senast inlästa kvartalet, eller finns inte.")
    load = views.senaste_uttag(con)
    return rapport.render(dict(
        titel=f"Slutrapport: {s.insats['kortnamn']}", rubrik=RUBRIK, senast=SENAST,
        forbund=load["forbund"], insats=s.insats, insatstid=insatstid(s), delar=delar(s, kansli),
        sma_tal=("Visas (kansliets egen vy, osupprimerad – sprid inte rapporten)"
                 if not scope.suppress else tables.sma_tal_text()),
        uttag=f"{load['kalla'] or 'Uttaget'} (uttagsdatum "
              f"{rapport_text.datum(load['uttagsdatum'])})",
        skapad=datetime.now().strftime("%Y-%m-%d %H:%M"),
        parter=[s.insats["insatsagare"]] + [p for p in (s.insats["samverkansparter"] or "")
                                            .split("|") if p and p != s.insats["insatsagare"]]),
        "slutrapport.html")


def build_pdf(con, scope, insats_id: str, kansli: bool = False) -> bytes:
    html = build_html(con, scope, insats_id, kansli)
    print_pdf, close = rapport._printer()
    try:
        return print_pdf(html)
    finally:
        close()


def write(con, scope, insats_id: str, out: Path, kansli: bool = True) -> None:
    """``out``: .pdf or .html."""
    if out.suffix.lower() == ".pdf":
        out.write_bytes(build_pdf(con, scope, insats_id, kansli))
    else:
        out.write_text(build_html(con, scope, insats_id, kansli), encoding="utf-8")
