"""A published count: a number, or a marker that says it is not shown and what it means.

Everyone but the kansli reads counts through the publication (``publicering.py``); a count
it does not show is a ``Dolt``: the marker's text as configured ("<5", "X", ".."), which is
what tables, downloads, exports and the PM print, and what the marker means (``slag``) and
what a reader may conclude of it (``granser``), which charts and sentences use. Tables,
figures, exports and the PM ask ``dolt(v)`` (and ``som_dolt(v)`` for what it means), never
whether a value is a string.
"""

from __future__ import annotations

from . import config, privacy

LITET, SKYDDAR, EJ_VISAD = "litet", "skyddar", "ej_visad"
SLAG = {privacy.PRIMARY: LITET, privacy.SECONDARY: SKYDDAR, privacy.UNPUBLISHED: EJ_VISAD}


class Dolt(str):
    """A count not shown. A ``str`` (its marker), so every table, download and JSON export
    prints it as it is; ``slag``: ``LITET`` (a small count, 0..threshold-1), ``SKYDDAR``
    (hidden to protect one, at least the threshold) or ``EJ_VISAD`` (nothing said of it)."""

    slag: str

    def __new__(cls, slag: str):
        c = config.get()
        marker = {LITET: c.suppressed_marker, SKYDDAR: c.dold_marker,
                  EJ_VISAD: c.ej_visad_marker}[slag]
        obj = super().__new__(cls, marker)
        obj.slag = slag
        return obj

    def __reduce__(self):  # pickled (background jobs, caches) as what it is
        return Dolt, (self.slag,)

    @property
    def granser(self) -> tuple[int, int | None]:
        """What a reader may conclude of the count: (lowest, highest or None)."""
        t = config.get().suppression_threshold
        return {LITET: (0, t - 1), SKYDDAR: (t, None), EJ_VISAD: (0, None)}[self.slag]


def visat(value: int, status: str) -> int | Dolt:
    """A count as published: its value, or its marker (the publication's status)."""
    slag = SLAG.get(status)
    return int(value) if slag is None else Dolt(slag)


def _slag() -> dict:
    c = config.get()
    return {c.suppressed_marker: LITET, c.dold_marker: SKYDDAR, c.ej_visad_marker: EJ_VISAD}


def dolt(value) -> bool:
    """Whether a published value is a marker, not a number. Also its bare text: pandas gives
    a column of nothing but markers its string type, which keeps the text only."""
    return isinstance(value, Dolt) or (isinstance(value, str) and value in _slag())


def som_dolt(value) -> Dolt:
    """A marker as a ``Dolt`` (with its meaning), whether it kept its type or not."""
    return value if isinstance(value, Dolt) else Dolt(_slag()[value])


def andel(n, total):
    """n / total as published: the marker when either is hidden (n's first), None when the
    total is 0."""
    if dolt(n) or dolt(total):
        return n if dolt(n) else total
    return None if not total else n / total
