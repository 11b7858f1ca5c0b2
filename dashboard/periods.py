"""Quarters ("2020-Q4"): parsing, ordering and their dates.

A quarter is stored as its text form and as an integer index ``year * 4 + (n - 1)`` so that
ranges compare with plain integers in SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]\s*([1-4])\s*$")


YEARS = (1900, 2999)  # a quarter outside these is not one any extract or filter can mean


def parse(text: str) -> int | None:
    """Quarter index of ``'2020-Q4'`` (also ``2020q4``, ``2020-q4``); None if not a quarter
    (or its year is outside ``YEARS``)."""
    m = _PERIOD_RE.match(text or "")
    if not m or not YEARS[0] <= int(m.group(1)) <= YEARS[1]:
        return None
    return int(m.group(1)) * 4 + int(m.group(2)) - 1


def label(q: int) -> str:
    """``'2020-Q4'`` for an index."""
    return f"{q // 4}-Q{q % 4 + 1}"


def text_sv(q: int) -> str:
    """Swedish display form: ``'kvartal 4 2020'``."""
    return f"kvartal {q % 4 + 1} {q // 4}"


def first_day(q: int) -> date:
    return date(q // 4, (q % 4) * 3 + 1, 1)


def last_day(q: int) -> date:
    return first_day(q + 1) - timedelta(days=1)


def of_date(d: date) -> int:
    return d.year * 4 + (d.month - 1) // 3


def year_start(q: int) -> int:
    """Index of Q1 of the same year (start of the budget's "ack")."""
    return (q // 4) * 4


@dataclass(frozen=True)
class Range:
    """A range of quarters ``first``..``last`` (indices, inclusive)."""

    first: int
    last: int

    @classmethod
    def of(cls, from_text: str, to_text: str) -> Range:
        a, b = parse(from_text), parse(to_text)
        if a is None or b is None:
            raise ValueError(f"Ogiltig period: {from_text!r}..{to_text!r}; förväntat ÅÅÅÅ-Qn")
        if a > b:
            raise ValueError(f"Perioden börjar ({from_text}) efter att den slutar ({to_text})")
        return cls(a, b)

    @property
    def from_date(self) -> date:
        return first_day(self.first)

    @property
    def to_date(self) -> date:
        return last_day(self.last)

    def params(self) -> dict:
        """SQL parameters every view query may use."""
        return {
            "from_q": self.first,
            "to_q": self.last,
            "year_q": year_start(self.last),
            "from_date": self.from_date,
            "to_date": self.to_date,
            "to_q_start": first_day(self.last),
        }


def hela_tiden(start_q: int, end_q: int, first: int, last: int) -> Range | None:
    """The whole time of an insats that has ended by quarter ``last`` (its slutrapport's
    period): from its start quarter, but not before ``first`` (the first loaded quarter: the
    views have nothing earlier), to the quarter it ended. None while it runs after ``last``,
    and when it ended before ``first`` (before the loaded data)."""
    if end_q > last or end_q < first:
        return None
    return Range(max(start_q, first), end_q)
