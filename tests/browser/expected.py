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
