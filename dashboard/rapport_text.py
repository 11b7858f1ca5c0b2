"""The PM's prose generated from its figures (seed 004's Bakgrund, the Utfall paragraph, the
budget's share per typ, each ended insats's facts and goals).

Every function takes figures the PM already shows (a view's protected totals, a table's rows)
and only words them: a hidden count stays hidden ("färre än 5", "ett dolt antal"), and a share
is given only where both of its counts are shown. Nothing here queries the database.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from . import codes, fmt, periods
from .publicerat import dolt


def _shown(n) -> bool:
    """A value that is there and shown: not a marker ("<5", "X", ".."), not missing."""
    return not dolt(n) and n is not None and not pd.isna(n)


def lista(items: Iterable[str]) -> str:
    """``'a, b och c'``."""
    items = [i for i in items if i]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1] \
        if items else ""


def antal(n, singular: str, plural: str) -> str:
    """A count and its noun inside a sentence; a hidden count in words."""
    if not _shown(n):
        return f"{fmt.antal_i_text(n)} {plural}"
    return fmt.antal(n, singular, plural)


def antal_andel(n, total) -> str:
    """``'73 (39 %)'`` of ``total``; a hidden count in words, without a share."""
    if not _shown(n):
        return fmt.antal_i_text(n)
    andel = f" ({fmt.procent(n / total)})" if _shown(total) and total else ""
    return f"{fmt.heltal(n)}{andel}"


def antal_av(n, total) -> str:
    """``'73 av 189 (39 %)'``; ``'färre än 5 av 189'`` or ``'ett dolt antal av 189'`` for a
    hidden count; without "av" when the total is hidden too."""
    if not _shown(total):
        return fmt.antal_i_text(n)
    if not _shown(n):
        return f"{fmt.antal_i_text(n)} av {fmt.heltal(total)}"
    andel = f" ({fmt.procent(n / total)})" if total else ""
    return f"{fmt.heltal(n)} av {fmt.heltal(total)}{andel}"


def period_text(fran: str, till: str) -> str:
    """``'kvartal 3–4 2022'``, ``'kvartal 1–4 2022 (hela året)'``, ``'kvartal 4 2022'`` or,
    across years, ``'kvartal 3 2021 – kvartal 2 2022'``."""
    a, b = periods.parse(fran), periods.parse(till)
    if a == b:
        return fmt.kvartal(till)
    if a // 4 != b // 4:
        return f"{fmt.kvartal(fran)} – {fmt.kvartal(till)}"
    text = f"kvartal {a % 4 + 1}–{b % 4 + 1} {b // 4}"
    return text + " (hela året)" if (a % 4, b % 4) == (0, 3) else text


def datum(d) -> str:
    """A date as ``2023-01-15``; "okänt" when the extract did not say."""
    return f"{d:%Y-%m-%d}" if hasattr(d, "strftime") else "okänt"


def bakgrund(forbund: str, kalla: str, uttagsdatum, period: str) -> list[str]:
    """Seed 004's Bakgrund: where the figures come from and which period they describe."""
    return [
        f"Detta dokument bygger på uppgifter om de insatser som {forbund} finansierar. "
        "Deltagarstatistiken kommer från SUS (Sektorsövergripande system för uppföljning av "
        "samverkan och finansiell samordning inom rehabiliteringsområdet), bedömningarna från "
        "styrgruppernas kvartalsrapporter och budget och utfall från förbundets ekonomi. "
        f"Uttaget: {kalla or 'uppgift saknas'}, uttagsdatum {datum(uttagsdatum)}.",
        f"Innehållet avser {period}. Uppgifterna har sammanställts av kansliet för att ge en "
        "tydlig bild av läget i insatserna.",
    ]


def insatser_intro(n: int, period: str) -> str:
    vilka = "den insats" if n == 1 else f"de {fmt.heltal(n)} insatser"
    return (f"Nedan följer en lista över {vilka} som varit i gång under perioden, {period}, "
            "och som därmed ingår i uppföljningen. Listan anger insatsernas fullständiga namn, "
            "så som de står i ansökan; i tabellerna och i texten benämns de med sina kortnamn.")


def typ_plural(typ: str) -> str:
    """``'individinsatser'``, ``'kompetenshöjande insatser'``."""
    return fmt.plural(codes.labels("typ")[typ])


def typ_antal(n: int, typ: str) -> str:
    label = codes.labels("typ")[typ].lower()
    return fmt.antal(n, label, fmt.plural(label))


def sammanfattning_insatser(per_typ: dict[str, int], avslutade: int, startade: int,
                            period: str) -> str:
    """Seed 004's first lines: how many insatser ran in the period (per typ), how many ended
    and started. ``per_typ``: {typ: how many ran}, in the code list's order."""
    n = sum(per_typ.values())
    if not n:
        return f"Inga insatser har varit i gång under {period}."
    delar = lista(typ_antal(v, t) for t, v in per_typ.items() if v)
    slut = (f"{fmt.antal(avslutade, 'insats', 'insatser') if avslutade else 'ingen'} "
            f"avslutades och {startade or 'ingen'} startade under perioden.")
    return (f"Under {period} har {fmt.antal(n, 'finansierad insats', 'finansierade insatser')} "
            f"varit i gång ({delar}). {slut[0].upper()}{slut[1:]}")


def budget_per_typ(per_typ: dict[str, int], typ_rows: list[dict], period: str) -> list[str]:
    """Seed 004's "Beviljade insatser i förhållande till förbundets mål": how many insatser
    of each typ ran, and each typ's share of the period's budget (``typ_rows``: the rows of
    ``tables.budget_typ``)."""
    n = sum(per_typ.values())
    out = []
    if n:
        vilka = "den enda insats" if n == 1 else f"de {fmt.heltal(n)} insatser"
        out.append(f"Av {vilka} som varit i gång under {period} är "
                   + lista(typ_antal(v, t) for t, v in per_typ.items() if v) + ".")
    total = sum(r["budget_tkr"] for r in typ_rows)
    if total:
        delar = [f"{fmt.procent(r['andel_budget'])} till {typ_plural(r['typ'])}"
                 for r in typ_rows if r["budget_tkr"]]
        out.append(f"Av periodens budget, {fmt.tkr(total)}, gick {lista(delar)}.")
    return out


def utfall_deltagare(tot: dict, mal_handlingsplan: float) -> list[str]:
    """Seed 004's Utfall paragraph from the Deltagare table's protected Samtliga (``tot``:
    ``views.deltagare(...).attrs['totalt']``): who took part and ended, how many went to work
    or studies and how they split by kön, and the share with a handlingsplan."""
    d, a = tot["deltagare_period"], tot["avslutade_period"]
    till = tot["till_arbete_studier"]
    out = [f"Under perioden deltog {antal(d, 'person', 'personer')} (registrerade med "
           f"personuppgifter i SUS) i förbundets individinsatser och "
           f"{antal(a, 'person', 'personer')} avslutades."]
    if _shown(a) and not a:
        return out
    s = f"Av de avslutade gick {antal_av(till, a)} till arbete eller studier"
    kon = [(tot.get(f"{k}_arbete_studier"), w) for k, w in (("kvinnor", "kvinnor"),
                                                             ("man", "män"))]
    if _shown(till) and till:
        delar = [f"{fmt.heltal(n)} {w} ({fmt.procent(n / till)})" if _shown(n)
                 else f"{fmt.antal_i_text(n)} {w}" for n, w in kon]
        s += f": {lista(delar)}"
    out.append(s + ".")
    med = tot.get("med_handlingsplan")
    if med is not None:
        out.append(f"Av de avslutade hade {antal_av(med, a)} en handlingsplan för vidare "
                   "rehabilitering mot arbete eller studier. Förbundets mål är minst "
                   f"{fmt.procent(mal_handlingsplan)} i de förrehabiliterande insatserna.")
    if "pagaende" in tot:
        out.append(f"Vid periodens slut pågick {antal(tot['pagaende'], 'deltagare', 'deltagare')}"
                   ".")
    return out


BEDOMNING_TEXT = {"uppnatt": "Målet är uppnått", "delvis": "Målet är delvis uppnått",
                  "ej_uppnatt": "Målet är inte uppnått", "pagar": "Pågår"}


def mal_summering(bedomningar: list[str]) -> str:
    """``'Av insatsens 5 mål är 4 uppnådda och 1 pågår.'``"""
    if not bedomningar:
        return "Inga mål finns rapporterade för insatsen under perioden."
    n = len(bedomningar)
    if bedomningar.count("uppnatt") == n:
        return "Insatsens mål är uppnått." if n == 1 else f"Alla insatsens {n} mål är uppnådda."
    if bedomningar.count("ej_uppnatt") == n:
        return ("Insatsens mål är inte uppnått." if n == 1
                else f"Inget av insatsens {n} mål är uppnått.")
    ord_ = {"uppnatt": ("uppnått", "uppnådda"), "delvis": ("delvis uppnått", "delvis uppnådda"),
            "ej_uppnatt": ("inte uppnått", "inte uppnådda"), "pagar": ("pågår", "pågår")}
    delar = [f"{k} {en if k == 1 else flera}" for code, (en, flera) in ord_.items()
             if (k := bedomningar.count(code))]
    return f"Av insatsens {n} mål är {lista(delar)}."


def parter(insatsagare: str, samverkansparter: str | None) -> str:
    """The owner first, then the other parties: ``'Tierps kommun, Försäkringskassan och
    Region Uppsala'``."""
    others = [p for p in (samverkansparter or "").split("|") if p and p != insatsagare]
    return lista([insatsagare, *others])


def kvalitet_text(rows: list[dict], fragor) -> list[str]:
    """Under Tabell 3 and 5: each question answered otherwise than expected, and by whom
    (``rows``: the table's rows with ``kortnamn`` and the answers; ``fragor``: the
    questions, ``schema.CHECKLISTA`` items)."""
    out = []
    saknas = [r["kortnamn"] for r in rows if all(not _shown(r[c.name]) for c in fragor)]
    for c in fragor:
        names = [r["kortnamn"] for r in rows if _shown(r[c.name]) and bool(r[c.name]) != c.expected]
        if names:
            svar = "nej" if c.expected else "ja"
            out.append(f"{c.label}: {svar} för {lista(names)}.")
    if out:
        out.append("Övriga svar är de förväntade." if len(rows) > len(saknas) else "")
    elif len(rows) > len(saknas):
        out.append("Samtliga insatser har svarat som förväntat på frågorna i tabellen.")
    if saknas:
        out.append(f"Kvartalsrapport saknas för {lista(saknas)}.")
    return [s for s in out if s]


def budget_flytt(rows: list[dict]) -> list[str]:
    """Under Tabell 4: the money moved to next year after an avvikelse, and returned to the
    förbund (``rows``: Tabell 4's rows, with ``overfort_ar_tkr`` and ``aterfort_tkr``)."""
    out = []
    for r in rows:
        over, ater = r.get("overfort_ar_tkr") or 0, r.get("aterfort_tkr") or 0
        delar = []
        if over and over == over:
            delar.append(f"fört över {fmt.tkr(over)} till nästa år")
        if ater and ater == ater:
            delar.append(f"återfört {fmt.tkr(ater)} till förbundet")
        if delar:
            out.append(f"{r['kortnamn']} har {lista(delar)}.")
    return out


def mest_dolt(kategorier, antal_) -> str:
    """A breakdown mostly hidden even in its coarsest grouping, as one sentence with what is
    shown of it (``kategorier``: the names, ``antal_``: the counts as published)."""
    delar = [f"{k[0].lower() + k[1:] if k not in codes.EGENNAMN else k}: "
             f"{fmt.antal_i_text(n)}" for k, n in zip(kategorier, antal_)]
    return ("De flesta talen är för små för att visas, även i grövre kategorier utan uppdelning "
            f"på kön ({'; '.join(delar)}).")


def lamnat_text(lamnat, offentlig) -> str:
    """``'Av 407 avslutade med offentlig försörjning före insatsen hade 123 (30 %) lön eller
    studiemedel vid avslut.'``; a hidden count in words, without a share."""
    if not _shown(offentlig) and not _shown(lamnat):
        return (f"{fmt.antal_i_text(lamnat).capitalize()} av {fmt.antal_i_text(offentlig)} "
                "avslutade med offentlig försörjning före insatsen hade lön eller studiemedel "
                "vid avslut.")
    if _shown(offentlig) and not offentlig:
        return "Ingen av de avslutade hade offentlig försörjning före insatsen."
    n = antal_andel(lamnat, offentlig)
    return (f"Av {fmt.antal_i_text(offentlig)} avslutade med offentlig försörjning före insatsen "
            f"hade {n} lön eller studiemedel vid avslut.")


def lamnat_ar_text(fors: dict) -> str:
    """``lamnat_text`` for ``nyckeltal.lamnat_offentlig``'s year, which is named when it is
    not the year to date ("Helåret 2021: av 150 avslutade …")."""
    text = lamnat_text(fors["lamnat"], fors["offentlig"])
    if fors["hittills"]:
        return text
    return f"Helåret {fors['ar']}: " + text[:1].lower() + text[1:]
