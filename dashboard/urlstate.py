"""The filter state as it lives in the URL's query string.

``?fran=2022-Q3&till=2022-Q4&kommun=Heby,Tierp&typ=individ&status=pagaende``: a LOKUS group
bookmarks its view, a link in a board mail opens exactly that view, back/forward works.
Whatever a URL says is only a wish: unknown values are dropped here, and the viewer's scope
(from the server side) still wins over the kommun filter in ``views``.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs

from . import codes, periods
from .urval import INDELNINGAR, Filter

STATUS_LABELS = {"pagaende": "Pågående", "startad": "Startade", "avslutad": "Avslutade"}
PRESETS = {
    "kvartal": "Senaste kvartalet",
    "halvar": "Halvåret",
    "ar": "Hittills i år",
    "allt": "Hela insatstiden",
}
VISNINGAR = ("projektor",)
# a page's period when the URL names none: the latest quarter, but the year to date on the
# participant pages (a single quarter of a small kommun is mostly hidden small numbers)
STANDARDPERIOD = {"/deltagare": "ar", "/malgrupp": "ar", "/progression": "ar"}
_MAX_ITEMS = 50
_MAX_LEN = 80


def _values(raw) -> list[str]:
    if raw is None:
        return []
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    out: list[str] = []
    for item in items:
        out += [v.strip() for v in str(item).split(",") if v.strip()]
    return [v for v in out if len(v) <= _MAX_LEN][:_MAX_ITEMS]


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def parse(query: dict | str | None) -> Filter:
    """The state of a query (a ``dict`` as Dash Pages passes it, or the string itself)."""
    if isinstance(query, str):
        query = {k: v for k, v in parse_qs(query.lstrip("?")).items()}
    query = query or {}
    fran = next((p for p in _values(query.get("fran")) if periods.parse(p) is not None), None)
    till = next((p for p in _values(query.get("till")) if periods.parse(p) is not None), None)
    fran = periods.label(periods.parse(fran)) if fran else None
    till = periods.label(periods.parse(till)) if till else None
    if fran and till and periods.parse(fran) > periods.parse(till):
        fran, till = till, fran
    typer = [t for t in _values(query.get("typ")) if t in codes.codes("typ")]
    statuser = [s for s in _values(query.get("status")) if s in STATUS_LABELS]
    kon = [k for k in _values(query.get("kon")) if k in codes.codes("kon")]
    indelning = next((v for v in _values(query.get("indelning")) if v in INDELNINGAR), "")
    visning = next((v for v in _values(query.get("visning")) if v in VISNINGAR), "")
    return Filter(fran, till, _unique(_values(query.get("kommun"))), _unique(typer),
                 _unique(statuser), _unique(_values(query.get("insats"))), _unique(kon),
                 indelning, visning)


def preset(name: str, state: Filter, latest: str, first: str) -> Filter:
    """The period of a preset. 'kvartal' is the latest loaded quarter; the others end at the
    chosen `till` quarter: 'halvar' its calendar half-year, 'ar' the year to date, 'allt'
    from ``first`` (the start of the insatser in view)."""
    till = latest if name == "kvartal" else (state.till or latest)
    q = periods.parse(till)
    start = {
        "kvartal": q,
        "halvar": q - (q % 4) % 2,
        "ar": periods.year_start(q),
        "allt": min(periods.parse(first), q),
    }[name]
    return replace(state, fran=periods.label(start), till=till)


def standard_range(path: str | None, latest: str) -> tuple[str, str]:
    """(fran, till) of a page's default period (``STANDARDPERIOD``)."""
    name = STANDARDPERIOD.get(path or "", "kvartal")
    s = preset(name, Filter(), latest, latest)
    return s.fran, s.till


def with_standard(state: Filter, path: str | None, latest: str) -> Filter:
    """The state with the page's default period when the URL names none (other pages keep
    None: the latest quarter, so that their links keep following it)."""
    if state.fran or state.till or (path or "") not in STANDARDPERIOD:
        return state
    fran, till = standard_range(path, latest)
    return replace(state, fran=fran, till=till)


def without_standard(state: Filter, path: str | None, latest: str) -> Filter:
    """For a link to the same page: the default period left out, so it keeps following it."""
    if (state.fran, state.till) == standard_range(path, latest):
        return replace(state, fran=None, till=None)
    return state
