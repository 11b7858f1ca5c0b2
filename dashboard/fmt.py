"""Swedish display formats: ``1 234 tkr``, ``82 %``, ``kvartal 4 2020``."""

from __future__ import annotations

from . import periods

NBSP = "\u00a0"


def heltal(n) -> str:
    """``1234567`` -> ``'1 234 567'`` (non-breaking spaces); text (e.g. "<5") passes through."""
    if isinstance(n, str):
        return n
    if n is None:
        return "–"
    s = f"{round(n):,}".replace(",", NBSP)
    return s.replace("-", "\u2212")


def antal_i_text(n) -> str:
    """A count inside a sentence: a hidden one in words ("färre än 5", "ett dolt antal"), since
    a bare "<5" or "X" in running prose reads as a typo."""
    from . import config

    if n == config.get().suppressed_marker:
        return f"färre än {config.get().suppression_threshold}"
    if n in (config.get().dold_marker, config.get().ej_visad_marker):
        return "ett dolt antal"
    return heltal(n)


def decimal(x) -> str:
    """One decimal with a Swedish comma: ``2.63`` -> ``'2,6'``; text passes through."""
    if isinstance(x, str):
        return x
    if x is None or x != x:
        return "–"
    return f"{x:.1f}".replace(".", ",")


def tkr(n) -> str:
    return "–" if n is None else f"{heltal(n)}{NBSP}tkr"


def procent(x) -> str:
    """A fraction as a whole percent: ``0.816`` -> ``'82 %'``."""
    if isinstance(x, str):
        return x
    if x is None or x != x:
        return "–"
    return f"{heltal(x * 100)}{NBSP}%"


def kvartal(period: str) -> str:
    q = periods.parse(period)
    return period if q is None else periods.text_sv(q)


def kvartal_axel(period: str) -> str:
    """A chart's tick: the same words on two lines (``'kvartal 4<br>2020'``)."""
    head, _, year = kvartal(period).rpartition(" ")
    return f"{head}<br>{year}" if head else year


def antal(n, singular: str, plural: str) -> str:
    """``'1 insats'``, ``'3 insatser'``; a marker (``'<5'``) takes the plural."""
    return f"{heltal(n)} {singular if n == 1 else plural}"


def plural(label: str) -> str:
    """The plural of a code list's label: ``'Strukturinsats'`` -> ``'strukturinsatser'``."""
    word = label.lower()
    return word + "er" if word.endswith("insats") else word
