"""The half-year / quarterly follow-up PM (the structure of seed 004) as HTML and PDF.

Every figure comes from the same table builders the pages use (``tables``), with the same
filters and the viewer's scope, so the PM says what the dashboard says. The HTML is a
complete, editable document (Word opens it); the PDF is that HTML printed by Debian's
Chromium (A4, page numbers "Sida x av y"), printed twice so that the table of contents
carries the page each chapter starts on.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import jinja2
import pandas as pd

from . import (
    codes,
    config,
    fmt,
    nyckeltal,
    periods,
    publicering,
    rapport_text,
    schema,
    tables,
    texter,
    urval,
    views,
)
from .publicerat import dolt
from .urval import Filter

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class Kapitel:
    nr: int
    rubrik: str
    delar: list[dict] = field(default_factory=list)
    # starts on a new page: the first after the cover; the others follow on (a chapter's end
    # would otherwise leave its page mostly empty, as a chart alone on a page)
    ny_sida: bool = False

    def text(self, t: str, slag: str = "text") -> None:
        self.delar.append({"slag": slag, "text": t})

    def kansli(self, text: texter.Text | None, saknas: str | None, rubrik: str | None = None
               ) -> None:
        """The kansli's own text (its paragraphs, each line kept); where there is none, the
        placeholder ``saknas`` (the kansli's own PM) or nothing at all (never an empty
        heading)."""
        if text is None and saknas is None:
            return
        if rubrik:
            self.text(rubrik, "rubrik")
        if text is None:
            self.delar.append({"slag": "kansli_saknas", "text": saknas})
            return
        self.delar.append({"slag": "kansli", "stycken": [p.split("\n") for p in text.stycken],
                           "meta": f"Skriven av {text.skriven_av}, {text.skriven:%Y-%m-%d}, "
                                   f"version {text.version}"})

    def tabell(self, t: tables.Tabell, smal: bool = False, rubrik: bool = True,
               nummer: int | str | None = None, grupper: dict | None = None) -> None:
        """``nummer``: the PM's table number ("Tabell 3. …"). ``grupper``: insats_id -> the
        heading of its group (seed 004's "Individinsatser", "Strukturinsatser"): a heading
        row above each group, in the rows' order."""
        if rubrik:
            self.text(f"Tabell {nummer}. {t.rubrik}" if nummer else t.rubrik, "rubrik")
        if t.tom and not len(t.df):  # not published for the period: why, not an empty table
            self.text(t.tom)
            return
        # the marks as stored in the rows (they travel with them through ``ordna``)
        avvikande, kannedom = t.avvikande, t.kannedom
        rader, grupp = [], None
        for i, rec in zip(t.df.index, tables.records(t)):
            if grupper and rec.get("insats_id") in grupper and grupper[rec["insats_id"]] != grupp:
                grupp = grupper[rec["insats_id"]]
                rader.append({"grupp": grupp})
            rad = []
            for k in t.kolumner:
                klass = []
                if k.slag in tables.NUMERIC:
                    klass.append("tal")
                if k.slag == "datum":
                    klass.append("datum")
                if k.slag == "lampa":
                    klass.append(f"lampa-{codes.lampa_key(rec[k.key])}")
                text = tables.cell_of(rec, k)
                if (i, k.key) in avvikande:
                    klass.append("avvikande")
                    text = "⚠ " + text
                elif (i, k.key) in kannedom:
                    klass.append("kannedom")
                    text = "ℹ " + text
                rad.append({"text": text, "klass": " ".join(klass)})
            rader.append({"celler": rad})
        self.delar.append({
            "slag": "tabell",
            # a short table is kept whole on one page (no orphaned rows on the next)
            "klass": " ".join(c for c in ("smal" if smal else "",
                                          "hel" if len(rader) <= HEL_TABELL else "") if c),
            "rubriker": [{"text": k.rubrik,  # soft hyphens kept: narrow columns break there
                          "klass": "tal" if k.slag in tables.NUMERIC else ""} for k in t.kolumner],
            "rader": rader,
            "fotnot": " ".join(x for x in (t.fotnot, tables.dolda_not(t)) if x) or None})
        if not rader:
            self.text("Inga rader för urvalet.")


HEL_TABELL = 16  # rows of a table that is never split over two pages


def _svg(fig) -> str:
    fig.layout.width, fig.layout.height, fig.layout.title = 900, 340, None
    return fig.to_image(format="svg").decode("utf-8")


def _urval(state: Filter, scope: urval.Scope) -> str:
    parts = []
    if state.kommuner:
        parts.append("kommun " + ", ".join(state.kommuner))
    if scope.kommuner is not None:
        parts.append("behörighet " + ", ".join(sorted(scope.kommuner)))
    if state.typer:
        parts.append(", ".join(codes.labels("typ")[t] for t in state.typer))
    if state.statuser:
        parts.append(", ".join(s for s in state.statuser))
    if state.insatser:
        parts.append("insats " + ", ".join(state.insatser))
    return "; ".join(parts) or "Alla insatser i förbundet"


def pm_insatser(con, scope, state: Filter) -> pd.DataFrame:
    """The PM's one set of insatser: every selected insats running at some time in the
    period. Tabell 1, Tabell 4, *Avslutade insatser* and the Sammanfattning's counts are of
    this set (an insats that ended before the period is in none of them)."""
    reg = views.insatser(con, scope, state.filters())
    return reg[reg["i_perioden"]].reset_index(drop=True)


def _per_typ(reg: pd.DataFrame) -> dict[str, int]:
    return {t: int((reg["typ"] == t).sum()) for t in codes.codes("typ")}


def sammanfattning(con, scope, state: Filter) -> list[str]:
    """Sentences generated from the figures (the PM's Sammanfattning)."""
    f = state.filters()
    _, rf = views.resolve(con, f)
    k = nyckeltal.oversikt(con, scope, f)
    reg = pm_insatser(con, scope, state)
    out = [rapport_text.sammanfattning_insatser(
        _per_typ(reg), int(reg["avslutad"].sum()), int(reg["startad"].sum()),
        rapport_text.period_text(rf.fran, rf.till))]
    lamp = k["lampor"]

    out.append(f"För periodens sista kvartal bedömde styrgrupperna "
               f"{fmt.antal(lamp['gron'], 'insats', 'insatser')} som "
               f"{codes.lampa_ord('gron', lamp['gron'])} (i fas), "
               f"{lamp['gul'] or 'ingen'} som {codes.lampa_ord('gul', lamp['gul'] or 1)} och "
               f"{lamp['rod'] or 'ingen'} som {codes.lampa_ord('rod', lamp['rod'] or 1)}"
               + (f"; {lamp['saknas']} saknar kvartalsrapport." if lamp["saknas"] else "."))
    b = k["budget"]
    if b["forbrukningskvot"] is not None:
        out.append(f"Hittills i år har {fmt.tkr(b['ack_utfall_tkr'])} av en budget på "
                   f"{fmt.tkr(b['ack_budget_tkr'])} förbrukats, en förbrukningskvot på "
                   f"{fmt.procent(b['forbrukningskvot'])}.")
    d = k["deltagare"]
    out.append(f"I individinsatserna deltog {fmt.antal_i_text(d['deltagare_period'])} personer "
               f"under perioden och {fmt.antal_i_text(d['avslutade_period'])} avslutades, varav "
               f"{rapport_text.antal_andel(d['till_arbete_studier'], d['avslutade_period'])} "
               "till arbete eller studier.")
    return out


_SV = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})  # å < ä < ö after z


def sv_key(text: str) -> str:
    """A sort key in Swedish alphabetical order (å, ä, ö last)."""
    return (text or "").lower().translate(_SV)


def ordna(t: tables.Tabell, reg, avslutade_sist: bool = False) -> tables.Tabell:
    """A table's rows in the seed PM's order: by type of insats, then kommun, then name
    (``reg``: the register rows); with ``avslutade_sist`` those ended in the period after
    the rest (Tabell 1's last group); a row of no insats ("Samtliga") stays last. The rows'
    marks (⚠, ℹ) move with them: they are stored in the rows (``tables.Tabell.markera``)."""
    typ = {c: i for i, (c, *_) in enumerate(codes.TYP)}
    key = {r.insats_id: (avslutade_sist and bool(r.avslutad), typ.get(r.typ, 99),
                         sv_key(r.kommuner), sv_key(r.kortnamn)) for r in reg.itertuples()}
    ids = t.df["insats_id"].tolist()
    names = t.df["kortnamn"].tolist() if "kortnamn" in t.df.columns else [""] * len(ids)

    def order(i: int) -> tuple:
        if ids[i] in key:
            return key[ids[i]]
        # an insats outside ``reg`` (a table of a longer period) after the others by name;
        # a row of no insats last
        return (True, 99, "", sv_key(names[i])) if isinstance(ids[i], str) else (True, 100, "", "")
    t.df = t.df.iloc[sorted(range(len(ids)), key=order)].reset_index(drop=True)
    return t


def typ_grupper(reg, avslutade: str | None = None) -> dict[str, str]:
    """insats_id -> its group heading in the PM's tables: "Individinsatser",
    "Strukturinsatser", "Kompetenshöjande insatser"; with ``avslutade`` (a heading), those
    ended in the period in a group of their own (seed 004's Tabell 1)."""
    return {r.insats_id: avslutade if avslutade and r.avslutad else
            rapport_text.typ_plural(r.typ).capitalize() for r in reg.itertuples()}


def utan_typ(t: tables.Tabell) -> tables.Tabell:
    """A grouped table without its Typ column (the group headings say it)."""
    t.kolumner = [k for k in t.kolumner if k.key != "typ_namn"]
    return t


def insatser_tabell(con, scope, state: Filter, reg=None) -> tables.Tabell:
    """Tabell 1: the PM's insatser (``pm_insatser``) with their full names, those ended in
    the period last."""
    reg = (pm_insatser(con, scope, state) if reg is None else reg).copy()
    reg["kommun_namn"] = reg["kommuner"].str.replace("|", ", ", regex=False)
    return ordna(tables.Tabell("insatser", "Insatser under perioden", reg, [
        tables.Kolumn("namn", "Insats"), tables.Kolumn("kommun_namn", "Kommun"),
        tables.Kolumn("insats_id", "Dnr"), tables.Kolumn("insatsagare", "Insatsägare"),
        tables.Kolumn("startdatum", "Start", "datum"), tables.Kolumn("slutdatum", "Avslut", "datum"),
        tables.Kolumn("beviljat_tkr", "Beviljat", "tkr"),
    ]), reg, avslutade_sist=True)


def i_urvalet(t: tables.Tabell, reg) -> tuple[tables.Tabell, pd.DataFrame]:
    """The table's rows of the PM's insatser (``reg``), and the rows left out."""
    keep = t.df["insats_id"].isin(set(reg["insats_id"])) | t.df["insats_id"].isna()
    out = t.df[~keep]
    t.df = t.df[keep].reset_index(drop=True)
    return t, out


def budget_tabell(con, scope, state: Filter, reg) -> tables.Tabell:
    """Tabell 4 for the PM's insatser; those that ended earlier in the year (whose year to
    date the Sammanfattning's sum holds) are named under it with their sums."""
    t = tables.budget(con, scope, state)
    alla = t.df
    t, utanfor = i_urvalet(t, reg)
    t.fotnot = t.fotnot.replace(tables.delad_not(alla), tables.delad_not(t.df))
    if len(utanfor):
        namn = rapport_text.lista(f"{r.kortnamn} (avslutad {r.slutdatum:%Y-%m-%d})"
                                  for r in reg_of(con, scope, state, utanfor).itertuples())
        t.fotnot = (f"{t.fotnot} Avslutade före perioden och därför inte i tabellen: {namn}; "
                    f"deras budget och utfall hittills i år, "
                    f"{fmt.tkr(utanfor['ack_budget_tkr'].sum())} och "
                    f"{fmt.tkr(utanfor['ack_utfall_tkr'].sum())}, ingår i Sammanfattningens "
                    "summa för året.")
    return t


def reg_of(con, scope, state: Filter, rows: pd.DataFrame) -> pd.DataFrame:
    """The register rows of the insatser of ``rows`` (every status), in the rows' order."""
    reg = views.insatser(con, scope, state.filters()).set_index("insats_id")
    return reg.loc[[i for i in rows["insats_id"] if i in reg.index]].reset_index()


BERAKNAT_OCH_RAPPORTERAT = (
    "Tabell 2:s lampa är styrgruppens egen bedömning (i fas och prognos). För målen nedan "
    "räknas utfallet också ur uttaget, för året hittills: \"Beräknat\" är det uträknade "
    "utfallet med lampa mot målvärdet, \"Rapporterat\" är vad styrgruppen angav i "
    "kvartalsrapporten.")


def beraknade(kap: Kapitel, malen: tables.Tabell) -> None:
    """Goals measured from the data (mal.csv ``berakning``): computed beside reported."""
    rows = malen.df[malen.df["berakning"].fillna("") != ""].reset_index(drop=True)
    if not len(rows):
        return
    keep = ("kortnamn", "beskrivning", "malvarde_text", "beraknat_text", "beraknad_lampa",
            "utfall_text")
    kap.text("Mål som räknas ur uttaget", "rubrik")
    kap.text(BERAKNAT_OCH_RAPPORTERAT)
    kap.tabell(tables.Tabell("malen", "Mål som räknas ur uttaget", rows,
                             [k for k in malen.kolumner if k.key in keep], fotnot=malen.fotnot),
               rubrik=False)


INGA_DELTAGARE = "Inga deltagaruppgifter i uttaget för urvalet."


def arsperiod(con, state: Filter) -> Filter | None:
    """The period of the figures published per calendar year only (Tid i insats,
    avslutsorsaker, anonyma and volym, ``publicering.PER_AR``): the PM's own period when it is
    a whole year, else the year it ends in when that is whole, else the latest whole year
    before it; None when there is none (the publication's rule, for every viewer, so the
    kansli's copy has the same tables as the board's)."""
    rng, _ = views.resolve(con, state.filters())
    ar = publicering.ar_period(*publicering.ends(views.perioder(con)), rng)
    if ar is None:
        return None
    return replace(state, fran=periods.label(ar.first), till=periods.label(ar.last))


def ar_not(ar: Filter) -> str:
    return (f"Anonyma, volym, avslutsorsaker och tid i insats avser "
            f"{rapport_text.period_text(ar.fran, ar.till)}, eftersom de redovisas per helt "
            "kalenderår.")


def malgrupp_tabell(con, scope, state: Filter, dim: str
                    ) -> tuple[tables.Tabell, str, str | None]:
    """A målgrupp breakdown as the PM shows it: the detailed one, or where that would be
    mostly hidden small numbers the coarser one, or the coarser one without kön (as the
    Målgrupp page offers them), with a sentence saying so; the last tried when all are.
    (table, its indelning, the sentence or None)."""
    order = list(dict.fromkeys([state.indelning, "grov", "grov_totalt"]))
    order = order[order.index(state.indelning):]
    for n, indelning in enumerate(order):
        s = replace(state, indelning=indelning)
        t = tables.malgrupp_dimension(con, scope, s, dim,
                                      views.malgrupp(con, scope, s.filters(), indelning))
        if t.tom or not nyckeltal.mostly_hidden(t.df) or n == len(order) - 1:
            break
    why = None
    if indelning != state.indelning:
        why = ("Den detaljerade indelningen skulle mest visa dolda små tal; tabellen visar "
               + ("grövre kategorier." if indelning == "grov"
                  else "grövre kategorier utan uppdelning på kön."))
    return t, indelning, why


def statistik(kap: Kapitel, con, scope, state: Filter, reg,
              efter_tabell_6=lambda: None) -> None:
    """Chapter 6 from Utfall för deltagare on: the paragraph generated from Tabell 6's
    protected Samtliga, Tabell 6 (then ``efter_tabell_6``: the kansli's text), Tabell 7, the
    målgrupp tables with their readings and Progression (BIP); the figures published per
    calendar year only for the year (``arsperiod``), said where they stand; one sentence
    instead of tables of zeros when the selection has no participants."""
    kap.text("Utfall för deltagare", "rubrik")
    delt = views.deltagare(con, scope, state.filters())
    if not len(delt) or delt.attrs["totalt"]["deltagare_totalt"] == 0:
        kap.text(INGA_DELTAGARE)
        efter_tabell_6()
        return
    for s in rapport_text.utfall_deltagare(delt.attrs["totalt"], codes.MAL_HANDLINGSPLAN):
        kap.text(s)
    ar = arsperiod(con, state)
    eget = ar is not None and (ar.fran, ar.till) == _fran_till(con, state)  # the PM's own
    t6 = ordna(tables.deltagare(con, scope, state), reg)
    if ar is not None and not eget:  # anonyma and volym for the year, in a table of their own
        t6.kolumner = [k for k in t6.kolumner if k.key not in ("anonyma", "volym")]
        t6.fotnot = t6.fotnot.replace(" " + publicering.PER_AR_TEXT, "") + " " + ar_not(ar)
    kap.tabell(t6, smal=True, nummer=6)
    if ar is not None and not eget:
        anon = ordna(tables.deltagare(con, scope, ar), reg)
        anon.kolumner = [k for k in anon.kolumner if k.key in ("kortnamn", "anonyma", "volym")]
        anon.fotnot = ("Anonyma: deltagare registrerade utan personuppgifter. Volym: personer "
                       "som nåtts i volym- eller gruppaktiviteter. " + ar_not(ar))
        tidigare = anon.df[anon.df["insats_id"].notna() & ~anon.df["insats_id"].isin(
            set(reg["insats_id"]))]
        if len(tidigare):  # ran in the year, ended before the PM's period
            anon.fotnot += " Avslutade före perioden och därför inte i Tabell 1: " + \
                rapport_text.lista(f"{r.kortnamn} ({r.slutdatum:%Y-%m-%d})" for r in
                                   reg_of(con, scope, state, tidigare).itertuples()) + "."
        anon.rubrik = f"Anonyma och volym, {rapport_text.period_text(ar.fran, ar.till)}"
        kap.tabell(anon, nummer="6 b")
        nummer = "6 c"
    else:
        nummer = "6 b"
    forsorjning(kap, con, scope, ar or state, reg, nummer, eget=ar is None or eget)
    efter_tabell_6()
    t7 = tables.avslutsorsaker(con, scope, ar or state)
    if ar is not None and not eget:
        t7.rubrik += f", {rapport_text.period_text(ar.fran, ar.till)}"
    kap.tabell(t7, nummer=7)
    kap.text("Målgrupp", "rubrik")
    for dim, title, _ in codes.MALGRUPP_DIMENSIONER:
        s = ar if dim == "tid_i_insats" and ar is not None else state
        t, indelning, why = malgrupp_tabell(con, scope, s, dim)
        t.rubrik = f"Målgrupp: {title.lower()}" + (
            f", {rapport_text.period_text(s.fran, s.till)}" if s is not state else "")
        kap.text(t.rubrik, "underrubrik")
        if t.tom:  # not published for the period: why
            kap.text(t.tom)
            continue
        if nyckeltal.mostly_hidden(t.df):  # even the coarsest: a sentence instead of a table
            kap.text(rapport_text.mest_dolt(t.df["kategori_namn"], t.df["totalt"]))
            continue
        lasning = nyckeltal.malgrupp_lasning(dim, t.df, t.totalt, indelning.startswith("grov"))
        if lasning != nyckeltal.INGET_ATT_LASA:  # beside a table that is mostly shown
            kap.text(lasning, "lasning")
        if why:
            kap.text(why)
        kap.tabell(t, rubrik=False)
    bip = tables.bip(con, scope, state)
    measured = [v for i, v in zip(bip.df["insats_id"], bip.df["matta"]) if i is not None]
    kap.text("Progression (BIP)", "rubrik")
    if not any(dolt(v) or v for v in measured):
        kap.text("Inga BIP-mätningar i uttaget för urvalet.")
        return
    kap.tabell(ordna(bip, reg), smal=True, rubrik=False)
    kap.tabell(tables.bip_indikator(con, scope, state))


def forsorjning(kap: Kapitel, con, scope, state: Filter, reg=None, nummer: str = "6 b",
                eget: bool = True, insats_id: str | None = None) -> None:
    """Försörjning före och efter for ``state``'s period (outside the kansli a whole calendar
    year: the PM's ``arsperiod``; ``eget`` False adds the period to the headings), as the
    national follow-up (SUS Standardrapport deltagare) lays it out: how many of those with
    public support before left it, then per source of support the numbers before and at
    avslut by kön, their shares and the change (Tabell ``nummer``), then per insats "lämnat
    offentlig försörjning", n av N (the next letter; ``reg``: the PM's insatser, for their
    order). With ``insats_id`` the one insats's (the slutrapport's), without the per-insats
    table. Why, instead, when the figures are not published or not in the extract."""
    t = tables.forsorjning(con, scope, state, insats_id)
    if not eget:
        t.rubrik += f", {rapport_text.period_text(state.fran, state.till)}"
    if t.tom:
        kap.tabell(t, nummer=nummer)
        return
    per = tables.forsorjning_insatser(con, scope, state, insats_id)
    kap.text(t.rubrik if insats_id else f"Tabell {nummer}. {t.rubrik}", "rubrik")
    kap.text(rapport_text.lamnat_text(per.totalt["lamnat"], per.totalt["offentlig"]))
    kap.tabell(t, rubrik=False)
    if insats_id is None and len(per.df) > 1:
        if reg is not None:
            per = ordna(per, reg)
        if not eget:
            per.rubrik += f", {rapport_text.period_text(state.fran, state.till)}"
        kap.tabell(per, smal=True, nummer=nummer[:-1] + chr(ord(nummer[-1]) + 1)
                   if nummer[-1].isalpha() else f"{nummer} b")


def _fran_till(con, state: Filter) -> tuple[str, str]:
    _, f = views.resolve(con, state.filters())
    return f.fran, f.till


def _fragor(pm_tabell: int) -> str:
    """The full wording of a checklist table's short headings."""
    return "Frågorna: " + "; ".join(
        f"{c.short.replace(chr(173), '')} = {c.label} (förväntat {'ja' if c.expected else 'nej'})"
        for c in schema.CHECKLISTA if c.pm_tabell == pm_tabell) + "."


def kvalitet_tabell(kap: Kapitel, con, scope, state: Filter, reg, pm_tabell: int) -> None:
    """Tabell 3 or 5, grouped by typ, with the deviating answers in words under it."""
    t = ordna(tables.kvalitet(con, scope, state, pm_tabell=pm_tabell), reg)
    kap.tabell(t, nummer=pm_tabell, smal=pm_tabell == 5, grupper=typ_grupper(reg))
    for s in rapport_text.kvalitet_text(
            tables.rader(t.df), [c for c in schema.CHECKLISTA if c.pm_tabell == pm_tabell]):
        kap.text(s)
    kap.text(_fragor(pm_tabell), "fotnot")


def registreringskvalitet(kap: Kapitel, con, scope, state: Filter, reg) -> None:
    """Kvalitet's Registreringskvalitet in the kansli's PM: the counts per insats as the
    PM's scope shows them (never the rows behind them: a PM is a document that travels)."""
    kap.text("Registreringskvalitet", "rubrik")
    try:
        t = tables.registrering(con, scope, state)
    except publicering.EjPublicerad as e:
        kap.text(str(e))
        return
    kap.text("Det som gör deltagarsiffrorna mindre sanna i det senaste uttaget, per "
             "individinsats: sådant kansliet kan be insatsen rätta i SUS. Raderna bakom talen "
             "finns på sidan Kvalitet, i kansliets egen vy.")
    kap.tabell(ordna(t, reg), smal=True, rubrik=False)


def avslutade_insatser(kap: Kapitel, con, scope, state: Filter, reg, own) -> None:
    """Chapter 7 (seed 004's *Avslutade insatser*): for each insats of the PM's set that ended
    in the period, its typ, owner and samverkansparter, period and grant, the kansli's
    summary, and its goals as its last quarterly report assessed them."""
    ended = ordna(tables.Tabell("avslutade", "", reg[reg["avslutad"]].copy(),
                                [tables.Kolumn("kortnamn", "Insats")]), reg).df
    if not len(ended):
        kap.text("Inga insatser avslutades under perioden.")
        return
    _, f = views.resolve(con, state.filters())
    kap.text(f"Under perioden avslutades "
             f"{fmt.antal(len(ended), 'insats', 'insatser')}: "
             f"{rapport_text.lista(ended['kortnamn'])}.")
    for r in ended.itertuples():
        kap.delar.append({"slag": "ruta"})  # an insats's facts and goals on one page
        kap.text(f"{r.kortnamn} | {codes.labels('typ')[r.typ].upper()}", "rubrik")
        kap.delar.append({"slag": "fakta", "rader": [
            ("Insats", f"{r.namn} (dnr {r.insats_id})"),
            ("Insatsägare och samverkansparter",
             rapport_text.parter(r.insatsagare, r.samverkansparter)),
            ("Kommun", r.kommuner.replace("|", ", ")),
            ("Insatsperiod", f"{r.startdatum:%Y-%m-%d} – {r.slutdatum:%Y-%m-%d}"),
            ("Beviljat", fmt.tkr(r.beviljat_tkr)),
        ]})
        own(kap, texter.INSATS, r.insats_id, rubrik="Sammanfattning")
        malen, q = sista_malen(con, scope, state, r.insats_id, r.slutdatum)
        kap.text("Mål" + (f" (kvartalsrapporten för {fmt.kvartal(q)})" if q else ""),
                 "underrubrik")
        kap.text(rapport_text.mal_summering(list(malen.df["bedomning"]) if malen else []))
        if malen is not None and len(malen.df):
            malen.kolumner = [k for k in malen.kolumner if k.key in (
                "maltyp_namn", "beskrivning", "malvarde_text", "utfall_text", "bedomning_namn")]
            malen.fotnot = None
            kap.tabell(malen, rubrik=False)
        kap.delar.append({"slag": "ruta_slut"})


def sista_malen(con, scope, state: Filter, insats_id: str, slutdatum):
    """An ended insats's goals as its last quarterly report within the period gave them:
    (table, quarter), or (None, None) when no report in the period has goals."""
    _, f = views.resolve(con, state.filters())
    a, b = periods.parse(f.fran), periods.parse(f.till)
    for q in range(min(b, periods.of_date(slutdatum)), a - 1, -1):
        s = replace(state, fran=periods.label(q), till=periods.label(q), insatser=(insats_id,),
                    statuser=())
        t = tables.malen(con, scope, s, insats_id)
        if len(t.df):
            return t, periods.label(q)
    return None, None


def build_html(con, scope: urval.Scope, state: Filter, kansli: bool = False
               ) -> tuple[str, dict]:
    """(HTML without page numbers in the contents, context to render it again). ``kansli``:
    the kansli's own PM, with a placeholder where its own text is still missing."""
    _, f = views.resolve(con, state.filters())
    texts = texter.aktuella(con, f.till)

    def own(kapitel: Kapitel, avsnitt: str, insats_id: str = "",
            rubrik: str | None = None) -> None:
        missing = texter.saknas_text(f.till, avsnitt) + (
            " Skriv den på sidan PM." if avsnitt != texter.INSATS
            else " Skriv den på insatsens sida.")
        if rubrik and avsnitt != texter.INSATS and scope.kommuner is not None:
            rubrik += texter.HELA_FORBUNDET  # a LOKUS group's PM: the text is not Heby's
        kapitel.kansli(texts.get((avsnitt, insats_id)),
                       missing if kansli else None, rubrik)

    period = (fmt.kvartal(f.till) if f.fran == f.till
              else f"{fmt.kvartal(f.fran)} – {fmt.kvartal(f.till)}")
    ptext = rapport_text.period_text(f.fran, f.till)
    load = views.senaste_uttag(con)
    kap = [Kapitel(1, "Sammanfattning", ny_sida=True), Kapitel(2, "Insatser"),
           Kapitel(3, "Resultat av mål"),
           Kapitel(4, "Utfall av beviljad budget"), Kapitel(5, "Kvalitetssäkring"),
           Kapitel(6, "Statistik och kostnader"), Kapitel(7, "Avslutade insatser")]
    for s in sammanfattning(con, scope, state):
        kap[0].text(s)
    kap[0].text("Bakgrund", "rubrik")
    for s in rapport_text.bakgrund(load["forbund"], load["kalla"], load["uttagsdatum"], ptext):
        kap[0].text(s)
    reg = pm_insatser(con, scope, state)
    kap[1].text(rapport_text.insatser_intro(len(reg), ptext))
    kap[1].tabell(insatser_tabell(con, scope, state, reg), nummer=1,
                  grupper=typ_grupper(reg, f"Avslutade under {ptext}"))
    kap[2].text(MAL_INTRO)
    mal = utan_typ(ordna(tables.mal(con, scope, state), reg))
    kap[2].tabell(mal, nummer=2, grupper=typ_grupper(reg))
    watch = mal.df[mal.df["lampa"].isin(["rod", "gul"])].sort_values("lampa", key=lambda s:
                                                                       s.map({"rod": 0, "gul": 1}))
    if len(watch):
        kap[2].text("Styrgruppernas kommentarer för röda och gula insatser", "rubrik")
    for r in watch.itertuples():
        kap[2].delar.append({"slag": "kommentar", "lampa": r.lampa,
                             "lampa_text": codes.lampa_text(r.lampa), "namn": r.kortnamn,
                             "text": r.kommentar or "Ingen kommentar."})
    beraknade(kap[2], ordna(tables.malen(con, scope, state), reg))
    own(kap[2], "mal", rubrik="Kansliets bedömning")
    for r in reg[[(texter.INSATS, i) in texts and not a
                  for i, a in zip(reg["insats_id"], reg["avslutad"])]].itertuples():
        own(kap[2], texter.INSATS, r.insats_id, rubrik=f"Kansliet om {r.kortnamn}")
    kap[3].text(BUDGET_INTRO)
    kvalitet_tabell(kap[3], con, scope, state, reg, 3)
    t4 = ordna(budget_tabell(con, scope, state, reg), reg)
    kap[3].tabell(t4, smal=True, nummer=4)
    for s in rapport_text.budget_flytt(tables.rader(t4.df)):
        kap[3].text(s)
    own(kap[3], "budget", rubrik="Kansliets bedömning")
    from .figures.budget import burn

    burn_t = tables.budget_kvartal(con, scope, state)
    kap[3].text(burn_t.rubrik, "rubrik")
    kap[3].delar.append({"slag": "svg", "svg": _svg(burn(burn_t.df, burn_t.rubrik))})
    kap[4].text(KVALITET_INTRO)
    kvalitet_tabell(kap[4], con, scope, state, reg, 5)
    own(kap[4], "kvalitet", rubrik="Kansliets bedömning")
    if kansli:  # the kansli's own PM: what in the extract makes the figures less true
        registreringskvalitet(kap[4], con, scope, state, reg)
    kap[5].text("Beviljade insatser i förhållande till förbundets mål", "rubrik")
    typ_t = tables.budget_typ(con, scope, state)
    for s in rapport_text.budget_per_typ(_per_typ(reg), tables.rader(typ_t.df), ptext):
        kap[5].text(s)
    kap[5].tabell(typ_t, rubrik=False)
    try:
        statistik(kap[5], con, scope, state, reg,
                  lambda: own(kap[5], "deltagare", rubrik="Kansliets bedömning"))
    except publicering.EjPublicerad as e:  # the other chapters stand; this one says why
        kap[5].text(str(e))
    avslutade_insatser(kap[6], con, scope, state, reg, own)
    if ("analys", "") in texts or kansli:
        kap.append(Kapitel(8, texter.AVSNITT["analys"].rubrik))
        own(kap[7], "analys")
    context = {
        "titel": f"Uppföljning av insatser {period}",
        "forbund": load["forbund"], "period": period, "urval": _urval(state, scope),
        "uttag": f"{load['kalla'] or 'Uttaget'} (uttagsdatum {rapport_text.datum(load['uttagsdatum'])}, "
                 f"inläst {load['loaded_at']:%Y-%m-%d %H:%M})",
        "sma_tal": ("Visas (kansliets egen vy – sprid inte rapporten)" if not scope.suppress
                    else tables.sma_tal_text() + " Sidan Så räknas siffrorna i Insatskollen "
                                                 "förklarar skyddet."),
        "skapad": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "kapitel": kap, "sidor": {},
    }
    return render(context), context


MAL_INTRO = (
    "Här redovisas hur varje insats ligger till mot de mål som angavs i ansökan till "
    "förbundet, enligt styrgruppens kvartalsrapport för periodens sista kvartal. Grönt: i fas "
    "med ansökan; gult: behöver hållas under uppsikt (inte i fas, men prognosen är att målen "
    "nås); rött: behöver åtgärdas eller en avvikelserapport lämnas (prognosen är att målen "
    "inte nås).")
BUDGET_INTRO = (
    "Här redovisas hur insatserna förhåller sig till sin budget, om någon insats inte har "
    "nyttjat beviljade resurser eller inte startat i tid, och prognosen för budgetutfallet "
    "framåt.")
KVALITET_INTRO = (
    "Här redovisas styrgruppernas arbete med insatserna, som de besvarat förbundets frågor i "
    "kvartalsrapporten: styrgruppsmöten, deltagande, uppföljning, kontroll av målgrupp och "
    "metod, jämlikhet och jämställdhet, och avvikelser.")


def render(context: dict, template: str = "rapport.html") -> str:
    """A document of templates/ (the PM's by default; the slutrapport's too): both print their
    chapters' parts with the same macro (templates/delar.html)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    return env.get_template(template).render(**context)


FOOTER = ('<div style="font-size:8pt;width:100%;text-align:center;color:#555;">'
          'Sida <span class="pageNumber"></span> av <span class="totalPages"></span></div>')


def _printer():
    """Debian's Chromium, and a function that prints HTML to A4 PDF with page numbers."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(
        executable_path=config.chromium(), headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--no-first-run"])
    page = browser.new_page()

    def print_pdf(html: str) -> bytes:
        page.set_content(html, wait_until="load")
        return page.pdf(format="A4", print_background=True, display_header_footer=True,
                        header_template="<span></span>", footer_template=FOOTER,
                        margin={"top": "16mm", "bottom": "18mm", "left": "15mm",
                                "right": "15mm"})

    def close() -> None:
        browser.close()
        pw.stop()

    return print_pdf, close


def chapter_pages(pdf: bytes, kapitel: list[Kapitel]) -> dict[int, int]:
    """The page each chapter starts on: the first page after the contents with a line that
    is the chapter's heading."""
    from pypdf import PdfReader

    found = {}
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        text = unicodedata.normalize("NFKC", page.extract_text() or "")  # "ﬂ" is "fl"
        lines = [line.strip() for line in text.splitlines()]
        for k in kapitel:
            if k.nr not in found and n > 1 and f"{k.nr}. {k.rubrik}" in lines:
                found[k.nr] = n
    return found


def build_pdf(con, scope: urval.Scope, state: Filter, kansli: bool = False) -> bytes:
    """Printed twice by one browser: the second time with the contents' page numbers."""
    html, context = build_html(con, scope, state, kansli)
    print_pdf, close = _printer()
    try:
        context["sidor"] = chapter_pages(print_pdf(html), context["kapitel"])
        return print_pdf(render(context))
    finally:
        close()
