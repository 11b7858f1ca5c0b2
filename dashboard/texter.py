"""The kansli's own words: a short assessment per PM section and per insats, for a quarter.

Seed 004 is half tables and half the kansli's own prose under them. Here the kansli writes
that prose once, where it looks at the figures (the PM page for the sections, the insats's
page for an insats); the PM, the presentation and the insats page show it. Styrelse and
LOKUS read; only the kansli writes (the web callback checks the role on the server).

Every save is a new version in the ``texter`` table (author, time); nothing is changed or
deleted, so the history of a text is always there, and each save is in the audit log
(``text_sparad``). A text is about the quarter the period ends with (``Filter.till``): the
half-year PM for kvartal 3–4 2022 and the insats page for kvartal 4 2022 show the same text.
Texts are plain text; paragraphs are separated by a blank line, and every output escapes them
(Dash and Jinja's autoescape).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from . import audit, config, db, fmt, periods, sql


@dataclass(frozen=True)
class Avsnitt:
    rubrik: str  # the PM chapter (and the PM page's heading)
    plats: str  # where the text is printed, in the kansli's words


# The PM's sections that carry the kansli's prose (where seed 004 has it), in PM order.
AVSNITT = {
    "mal": Avsnitt("Resultat av mål", "under Tabell 2 i PM:et"),
    "budget": Avsnitt("Utfall av beviljad budget", "under Tabell 4 i PM:et"),
    "kvalitet": Avsnitt("Kvalitetssäkring", "under Tabell 5 i PM:et"),
    "deltagare": Avsnitt("Utfall för deltagare", "under Tabell 6 i PM:et"),
    "analys": Avsnitt("Sammanfattning och reflektioner",
                      "PM:ets sista kapitel och presentationens sista bild"),
}
INSATS = "insats"  # a text about one insats: its page, its slide, and the PM
# The slutrapport's own words (the förbund's template, seeds 000 and 001), in the template's
# order and words: one text per section and ended insats, about the quarter it ended, written
# on the insats's page (by the kansli, or pasted from the styrgrupp's report).
SLUTRAPPORT = {
    "slut_syfte": "Ange syftet med insatsen (såsom det beskrevs i ansökan)",
    "slut_jamstalldhet": "Beskriv hur ni i insatsen resonerat kring jämställdhet och jämlikhet",
    "slut_behov": "Hur har det behov som angavs i ansökan (”Bakgrund”) förändrats i och med "
                  "insatsens genomförande",
    "slut_malgrupp": "Ange hur målgrupp för insatsen definierades i ansökan",
    "slut_malgrupp_andrad": "Har målgruppen förändrats under pågående insats och i så fall hur",
    "slut_metod": "Ange metod/metoder som definierades i ansökan",
    "slut_metod_andrad": "Har metod/metoder förändrats under pågående insats och i så fall hur",
    "slut_metod_utford": "Har aktuella metoder/aktiviteter använts/utförts på det sätt som var "
                         "tänkt",
    "slut_uppfoljning": "Ange metod för uppföljning och utvärdering av målen",
    "slut_tillvaratas": "Ange hur resultaten för insatsen kommer att tas tillvara i ordinarie "
                        "verksamhet",
    "slut_aterfort": "Har medel återförts till förbundet, i så fall varför?",
    "slut_aterfort_konsekvens": "Ifall medel har återförts till förbundet, vad har detta fått "
                                "för konsekvenser för innehållet och utfallet av insatsen?",
    "slut_lardomar": "Vilka lärdomar och erfarenheter har respektive samverkanspart erhållit",
}
MAX_TECKEN = 20_000  # about five pages: an assessment, not a report
# beside a section text's heading where a LOKUS group reads it: the text is the förbund's
HELA_FORBUNDET = " (gäller hela förbundet)"
LAS_TIMEOUT = 15  # seconds a save waits for a load holding the database

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class TextFel(ValueError):
    """A text that cannot be saved; the message is the kansli's, in Swedish."""


@dataclass(frozen=True)
class Text:
    kvartal: str
    avsnitt: str
    insats_id: str
    text: str
    skriven_av: str
    skriven: datetime
    version: int
    versioner: int

    @property
    def stycken(self) -> list[str]:
        """The paragraphs (separated by a blank line); single line breaks are kept in them."""
        return [p.strip() for p in re.split(r"\n\s*\n", self.text) if p.strip()]


def saknas_text(kvartal: str, avsnitt: str) -> str:
    """What stands where a text is missing (the pages' and the kansli's PM's placeholder)."""
    if avsnitt in SLUTRAPPORT:
        return "Avsnittet är inte skrivet ännu."
    om = "insatsen" if avsnitt == INSATS else f"avsnittet {AVSNITT[avsnitt].rubrik}"
    return f"Kansliet har inte skrivit någon bedömning av {om} för {fmt.kvartal(kvartal)}."


def normalise(text: str) -> str:
    """One spelling of a text: Unix line ends, no control characters but line breaks and
    tabs, no trailing spaces on a line, one blank line between paragraphs, none at either
    end."""
    text = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def nyckel(kvartal: str, avsnitt: str, insats_id: str | None) -> tuple[str, str, str]:
    """(kvartal as a label, avsnitt, insats_id or '') of a text; ``TextFel`` when unknown."""
    q = periods.parse(kvartal)
    if q is None:
        raise TextFel(f"Okänt kvartal {kvartal!r}.")
    kvartal = periods.label(q)
    if avsnitt == INSATS or avsnitt in SLUTRAPPORT:
        if not insats_id:
            raise TextFel("En text om en insats behöver insatsens id.")
        return kvartal, avsnitt, insats_id
    if avsnitt not in AVSNITT:
        raise TextFel(f"Okänt avsnitt {avsnitt!r}.")
    return kvartal, avsnitt, ""


def aktuella(con: duckdb.DuckDBPyConnection, kvartal: str) -> dict[tuple[str, str], Text]:
    """Every text about a quarter that is not removed: {(avsnitt, insats_id): Text}."""
    df = sql.run(con, "texter", kvartal=kvartal)
    return {(r.avsnitt, r.insats_id): Text(kvartal, r.avsnitt, r.insats_id, r.text,
                                          r.skriven_av, r.skriven.to_pydatetime(), r.version,
                                          r.versioner)
            for r in df.itertuples() if r.text}


def aktuell(con, kvartal: str, avsnitt: str, insats_id: str | None = None) -> Text | None:
    k = nyckel(kvartal, avsnitt, insats_id)
    return aktuella(con, kvartal).get(k[1:])


def historik(con, kvartal: str, avsnitt: str, insats_id: str | None = None) -> list[Text]:
    """Every version, newest first (a removal is a version with an empty text)."""
    k = nyckel(kvartal, avsnitt, insats_id)
    df = sql.run(con, "text_historik", kvartal=k[0], avsnitt=k[1], insats_id=k[2])
    return [Text(*k, r.text, r.skriven_av, r.skriven.to_pydatetime(), r.version, len(df))
            for r in df.itertuples()]


def spara(kvartal: str, avsnitt: str, insats_id: str | None, text: str, anvandare: str,
          path: Path | None = None) -> int | None:
    """Save a new version (through the database's one write path); None when the text is the
    same as the newest version (nothing to save). Raises ``TextFel`` for a text that cannot
    be saved and ``db.Upptagen`` when a load holds the database longer than ``LAS_TIMEOUT``.
    """
    k = nyckel(kvartal, avsnitt, insats_id)
    text = normalise(text)
    if len(text) > MAX_TECKEN:
        raise TextFel(f"Texten har {fmt.heltal(len(text))} tecken; högst "
                      f"{fmt.heltal(MAX_TECKEN)} får plats.")
    path = path or config.get().db_path
    with db.writer(path, lock_timeout=LAS_TIMEOUT) as con:
        if sql.rows(con, "antal_laddningar")[0][0] == 0:
            raise TextFel("Inget uttag är inläst ännu.")
        if k[2] and not sql.rows(con, "insats_finns", insats_id=k[2]):
            raise TextFel(f"Insatsen {k[2]!r} finns inte i uttaget.")
        newest = sql.run(con, "text_historik", kvartal=k[0], avsnitt=k[1], insats_id=k[2])
        if (newest["text"].iloc[0] if len(newest) else "") == text:
            return None
        version = int(sql.run(con, "text_spara", kvartal=k[0], avsnitt=k[1], insats_id=k[2],
                              text=text, skriven_av=anvandare,
                              skriven=datetime.now().replace(microsecond=0)).iloc[0, 0])
    audit.log("text_sparad", anvandare=anvandare, kvartal=k[0], avsnitt=k[1],
              insats=k[2] or None, version=version)
    return version
