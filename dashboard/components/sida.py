"""What every page says the same way: its heading (the period, the kommuner, the extract), why
figures are not shown and which published periods to pick instead, links to an insats page
that keep the filters. It draws what it is handed (``inlast.Laget``: what is loaded)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

import dash_bootstrap_components as dbc
from dash import dcc, html

from .. import fmt, inlast, periods, publicering, urlstate, urval
from ..publicering import Forbereds


def ej_publicerad(laget: inlast.Laget, state: urval.Filter, e: Exception) -> dbc.Alert:
    """Why the page's participant figures are not shown, and published periods to pick (none
    while the protection is being decided: no period has figures yet)."""
    choices = [] if isinstance(e, Forbereds) else [
        html.P(published_choices(laget, state), className="mb-0")]
    return dbc.Alert([html.P(str(e))] + choices, color="info", className="m-3",
                     id="ej-publicerad")


def ej_per_period(laget: inlast.Laget, state: urval.Filter, text: str, id_: str) -> dbc.Alert:
    """Instead of figures published per whole calendar year only: why, and the year to
    choose."""
    return dbc.Alert([text, " ", *published_choices(laget, state, per_ar=True)], color="info",
                     className="py-2", id=id_)


def published_choices(laget: inlast.Laget, state: urval.Filter, per_ar: bool = False) -> list:
    """Links to the same page for published periods without the kön filter, in this order:
    the year to date and the half-year ending at the chosen quarter, and the whole year
    before it (``per_ar``: for figures published per whole calendar year only, the year the
    publication shows them for, ``publicering.ar_period``); the chosen period itself only
    when the link drops a kön filter."""
    latest = laget.senaste
    rng, now = laget.resolve(state.filters())
    if per_ar:
        ar = publicering.ar_period(*publicering.ends(laget.perioder), rng)
        options = [] if ar is None else [(f"Hela {ar.last // 4}", replace(
            state, fran=periods.label(ar.first), till=periods.label(ar.last)))]
    else:
        options = [(urlstate.PRESETS[p], urlstate.preset(p, state, latest, latest))
                   for p in ("ar", "halvar")]
        year = periods.year_start(rng.last) - 4
        if year >= periods.parse(laget.perioder[0]):
            options.append((f"Hela {year // 4}", replace(
                state, fran=periods.label(year), till=periods.label(year + 3))))
    # the year to date first; the same period stays a choice when it drops the kön filter
    links = [html.A(text, href=replace(s, kon=()).query() or "?") for text, s in options
             if (s.fran, s.till) != (now.fran, now.till) or state.kon]
    if not links:  # the period shown is already the one published: nothing to offer
        return []
    out = ["Visa i stället: "]
    for i, link in enumerate(links):
        out += [" eller " if i == len(links) - 1 and i else ", " if i else "", link]
    return out + ["."]


def period_text(laget: inlast.Laget, state: urval.Filter) -> str:
    """``'kvartal 4 2022'`` or ``'kvartal 3 2022 – kvartal 4 2022'``."""
    _, f = laget.resolve(state.filters())
    if f.fran == f.till:
        return fmt.kvartal(f.till)
    return f"{fmt.kvartal(f.fran)} – {fmt.kvartal(f.till)}"


def insats_href(insats_id: str, state: urval.Filter) -> str:
    return f"/insats/{quote(insats_id, safe='')}{state.query()}"


def insats_links(ids, state: urval.Filter) -> dict[str, str]:
    return {i: insats_href(i, state) for i in ids}


def uttag_text(laget: inlast.Laget) -> str:
    """``'Uttag kvartal 4 2022, uttagsdatum 2023-01-15'``: where the figures come from."""
    u = laget.uttag
    text = f"Uttag {fmt.kvartal(u['period'])}"
    return text + (f", uttagsdatum {u['uttagsdatum']:%Y-%m-%d}" if u["uttagsdatum"] else "")


def urval_text(scope: urval.Scope, state: urval.Filter) -> str:
    """The kommuner a page is about when it is not all of them: the chosen ones, else a LOKUS
    group's own (``'Heby'``); ``''`` for everything."""
    kommuner = state.kommuner or (sorted(scope.kommuner) if scope.kommuner else ())
    return ", ".join(kommuner)


def filnamn_urval(urval: str) -> str:
    """The kommuner a file is about, for its name (``'-Heby'``; ``''`` for everything)."""
    return "".join("-" + k for k in urval.replace(",", " ").split())


def heading(page: str, title: str, laget: inlast.Laget, scope: urval.Scope,
            state: urval.Filter, intro: str | None = None):
    valt = urval_text(scope, state)
    parts = [html.H1(f"{title} {period_text(laget, state)}" + (f" · {valt}" if valt else ""),
                     className="h3 mb-0", id=f"{page}-rubrik"),
             html.Div(uttag_text(laget), className="ik-uttag text-body-secondary mb-2",
                      id=f"{page}-uttag")]
    if intro:
        parts.append(html.P(intro, className="text-body-secondary mb-3"))
    return html.Div(parts)


def delade_not(text: str, page: str) -> html.P | None:
    """Beside participant figures about some kommuner: which insatser they count whole that
    other kommuner share (``tables.delade_deltagare``), or nothing."""
    return html.P(text, className="small mb-1 ik-delade", id=f"{page}-delade") if text else None


def section(title: str, *children, id: str | None = None) -> html.Section:
    kw = {"id": id} if id else {}
    return html.Section([html.H2(title, className="h5 mt-3")] + list(children),
                        className="mb-4", **kw)


# Dash's dropdown texts, in Swedish (its own are English)
DROPDOWN_TEXTER = {
    "select_all": "Välj alla", "deselect_all": "Avmarkera alla",
    "selected_count": "{num_selected} valda", "search": "Sök", "clear_search": "Rensa sökningen",
    "clear_selection": "Rensa valet", "no_options_found": "Inga val hittades",
}


def dropdown(**kw) -> dcc.Dropdown:
    """A dropdown that speaks Swedish; every page's dropdowns are made here."""
    return dcc.Dropdown(labels=DROPDOWN_TEXTER, searchable=False, **kw)


BERAKNING = "/sa-raknas-siffrorna"


def info_href(anchor: str) -> str:
    return f"{BERAKNING}#{anchor}"


def info(anchor: str, what: str) -> html.A:
    """The (i) beside a figure: how it is counted, on the page "Så räknas siffrorna"."""
    return html.A("i", href=info_href(anchor), className="ik-info ms-2",
                  title=f"Så räknas {what}", **{"aria-label": f"Så räknas {what}"})
