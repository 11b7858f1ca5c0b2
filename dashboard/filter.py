"""The one filter type: what a viewer chose, as the URL, the pages, the CLI, the PM and the
downloads all carry it. Periods as ``'2020-Q4'`` (None = the latest loaded quarter); an empty
tuple = no choice. Whatever it says is only a wish: the viewer's scope still wins in
``views``, and ``urlstate.parse`` drops values it does not know."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from urllib.parse import urlencode


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
