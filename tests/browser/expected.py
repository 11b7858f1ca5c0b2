"""Expected figures read straight from the demo's CSV extracts, independently of the code
under test: plain csv parsing and the contract's rules applied by hand."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

LANS = "Länsövergripande"


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def register(folder: Path) -> dict[str, dict]:
    """insatser.csv of the latest extract, by insats_id."""
    latest = sorted(p for p in folder.iterdir() if p.is_dir())[-1]
    return {r["insats_id"]: r for r in _rows(latest / "insatser.csv")}


def quarterly(folder: Path, file: str) -> dict[tuple[str, str], dict]:
    """(insats_id, period) -> row; a later extract's row replaces an earlier one's."""
    out: dict[tuple[str, str], dict] = {}
    for extract in sorted(p for p in folder.iterdir() if p.is_dir()):
        if (extract / file).exists():
            for r in _rows(extract / file):
                out[(r["insats_id"], r["period"])] = r
    return out


def selected(reg: dict, kommun: str | None = None, typ: str | None = None) -> set[str]:
    ids = set()
    for i, r in reg.items():
        k = r["kommuner"].split("|")
        if kommun and kommun not in k and LANS not in k:
            continue
        if typ and r["typ"] != typ:
            continue
        ids.add(i)
    return ids


def lights(folder: Path, period: str, kommun: str | None = None,
           typ: str | None = None) -> dict[str, int]:
    """green = i_fas ja and prognos ja, yellow = i_fas nej and prognos ja, red = prognos nej."""
    reg = register(folder)
    ids = selected(reg, kommun, typ)
    counts = {"gron": 0, "gul": 0, "rod": 0}
    for (i, p), r in quarterly(folder, "kvartalsrapport.csv").items():
        if p != period or i not in ids:
            continue
        if r["prognos"] == "nej":
            counts["rod"] += 1
        elif r["i_fas"] == "ja":
            counts["gron"] += 1
        else:
            counts["gul"] += 1
    return counts


def number(text: str) -> float:
    return float(text.replace(" ", "").replace(",", ".")) if text else 0.0


def budget_sum(folder: Path, insats: str, periods: list[str], column: str) -> float:
    rows = quarterly(folder, "budget.csv")
    return sum(number(rows[(insats, p)][column]) for p in periods if (insats, p) in rows)


def ended_in(folder: Path, first: date, last: date) -> set[str]:
    return {i for i, r in register(folder).items()
            if first <= date.fromisoformat(r["slutdatum"]) <= last}


def running_in(folder: Path, first: date, last: date) -> set[str]:
    return {i for i, r in register(folder).items()
            if date.fromisoformat(r["startdatum"]) <= last
            and date.fromisoformat(r["slutdatum"]) >= first}


def active_episodes(folder: Path, first: date, last: date, kon: str | None = None) -> list[dict]:
    """deltagare.csv rows of the latest extract active in first..last (the contract's rule:
    startdatum <= last and (no slutdatum or slutdatum >= first))."""
    latest = sorted(p for p in folder.iterdir() if p.is_dir())[-1]
    out = []
    for r in _rows(latest / "deltagare.csv"):
        start = date.fromisoformat(r["startdatum"])
        end = date.fromisoformat(r["slutdatum"]) if r["slutdatum"] else None
        if start <= last and (end is None or end >= first) and (kon is None or r["kon"] == kon):
            out.append(r)
    return out


def heltal(n: float) -> str:
    """A whole number as the pages show it: 1 234 with a no-break space."""
    return f"{round(n):,}".replace(",", "\u00a0")


def tkr(n: float) -> str:
    return heltal(n) + "\u00a0tkr"


def percent(n: int, d: int) -> str:
    """Swedish whole percent, as the pages show it (half away from zero is not used:
    Python's round, like the pages)."""
    return f"{round(n / d * 100)}\u00a0%"


ATGARD = ("styrgruppsmoten_enligt_avtal", "ordinarie_ledamoter", "uppfoljning_enligt_avtal",
          "kontroll_malgrupp_metod", "jamstalldhet")  # "nej" asks for action


def budget_light(kvot: float) -> str:
    """The default bands on the whole percent: green 90–105, yellow 75–90 or 105–115."""
    pct = round(kvot * 100)
    if 90 <= pct <= 105:
        return "gron"
    return "gul" if 75 <= pct <= 90 or 105 <= pct <= 115 else "rod"


def attention(folder: Path, period: str, kommun: str | None = None) -> set[str]:
    """Insatser running in the quarter that are red or yellow on goal or budget (year to
    date), lack a report, or answered "nej" to a question that asks for action."""
    reg = register(folder)
    year, n = period.split("-Q")
    first = date(int(year), 3 * int(n) - 2, 1)
    last = date(int(year) + (n == "4"), (3 * int(n)) % 12 + 1, 1)
    from datetime import timedelta
    last = last - timedelta(days=1)
    ids = selected(reg, kommun) & running_in(folder, first, last)
    reports = quarterly(folder, "kvartalsrapport.csv")
    ytd = [f"{year}-Q{q}" for q in range(1, int(n) + 1)]
    out = set()
    for i in ids:
        r = reports.get((i, period))
        if r is None:
            out.add(i)
            continue
        light = "rod" if r["prognos"] == "nej" else "gron" if r["i_fas"] == "ja" else "gul"
        b = budget_sum(folder, i, ytd, "budget_tkr")
        u = budget_sum(folder, i, ytd, "utfall_tkr")
        if light != "gron" or (b and budget_light(u / b) != "gron") \
                or any(r[c] == "nej" for c in ATGARD):
            out.add(i)
    return out
