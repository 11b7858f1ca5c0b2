"""What a viewer may see and what they chose: ``Scope`` (the server side's answer: which
kommuner, whether small numbers are protected) and ``Filter`` (the one filter type, as the
URL, the pages, the CLI, the PM and the downloads all carry it). Below the views and the web
layer, which both use them.

A filter's periods are ``'2020-Q4'`` (None = the latest loaded quarter); an empty tuple = no
choice. Whatever it says is only a wish: the viewer's scope still wins in ``views``, and
``urlstate.parse`` drops values it does not know."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from urllib.parse import urlencode


@dataclass(frozen=True)
class Scope:
    """What a viewer may see. ``kommuner=None`` means every kommun."""

    kommuner: frozenset[str] | None = None
    suppress: bool = True

    @classmethod
    def kansli(cls) -> Scope:
        return cls(None, suppress=False)

    @classmethod
    def styrelse(cls) -> Scope:
        return cls(None, suppress=True)

    @classmethod
    def lokus(cls, *kommuner: str) -> Scope:
        return cls(frozenset(kommuner), suppress=True)


STATUSER = ("pagaende", "startad", "avslutad")  # an insats's status in a range
INDELNINGAR = ("", "grov", "grov_totalt")  # Målgrupp: detailed | coarser | coarser without kön


@dataclass(frozen=True)
class Filter:
    fran: str | None = None
    till: str | None = None
    kommuner: tuple[str, ...] = ()
    typer: tuple[str, ...] = ()
    statuser: tuple[str, ...] = ()  # 'pagaende' | 'startad' | 'avslutad'
    insatser: tuple[str, ...] = ()
    kon: tuple[str, ...] = ()  # participants' kön; the participant views only
    indelning: str = ""  # Målgrupp's grouping: '' | 'grov' | 'grov_totalt'
    # how the pages are shown: '' | 'projektor' (large type, high contrast). Not a filter of
    # the figures: carried in the URL so that a link keeps it, dropped by ``filters()``.
    visning: str = ""

    def __post_init__(self):
        for f in fields(self):  # None and () both mean "no choice": one spelling
            if f.type.startswith("tuple") and getattr(self, f.name) is None:
                object.__setattr__(self, f.name, ())

    def filters(self, insatser: tuple[str, ...] | None = None) -> Filter:
        """This filter (without the display mode), or with a page's own insats (the insats
        page) instead of its own."""
        f = replace(self, visning="") if self.visning else self
        return replace(f, insatser=tuple(insatser)) if insatser else f

    def query(self) -> str:
        """The URL's query string, ``''`` when nothing is chosen; lists comma-separated."""
        pairs = [("fran", self.fran), ("till", self.till), ("kommun", ",".join(self.kommuner)),
                 ("typ", ",".join(self.typer)), ("status", ",".join(self.statuser)),
                 ("insats", ",".join(self.insatser)), ("kon", ",".join(self.kon)),
                 ("indelning", self.indelning), ("visning", self.visning)]
        pairs = [(k, v) for k, v in pairs if v]
        return "?" + urlencode(pairs, safe=",|-:") if pairs else ""


NO_FILTER = Filter()  # nothing chosen: the latest quarter, everything in scope
