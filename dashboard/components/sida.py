"""What every page does the same way: read its filter state, say which period it shows,
link to the insats page keeping the filters, and say so when no data is loaded."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

import dash_bootstrap_components as dbc
from dash import html

from .. import fmt, urlstate, views
from ..publicering import EjPublicerad
from ..session import database, viewer_scope


def render_page(render, query: dict, **kw):
    """``layout(**query)`` of a page: its render function with this request's database,
    the viewer's scope (server side) and the filter state from the URL."""
    con = database()
    try:
        views.latest_period(con)
    except views.NoData:
        return dbc.Alert("Inget uttag är inläst ännu.", color="warning", className="m-3")
    state = urlstate.parse(query)
    try:
        return render(con, viewer_scope(), state, **kw)
    except EjPublicerad as e:
        return ej_publicerad(con, state, e)


def ej_publicerad(con, state: urlstate.State, e: Exception) -> dbc.Alert:
    """Why the page's participant figures are not shown, and published periods to pick."""
    return dbc.Alert([html.P(str(e)), html.P(_published_choices(con, state), className="mb-0")],
                     color="info", className="m-3", id="ej-publicerad")


def _published_choices(con, state: urlstate.State) -> list:
    """Links to the same page for the year to date and the half-year ending at the chosen
    quarter, without the kön filter: periods the participant figures are published for."""
    latest = views.latest_period(con)
    links = [html.A(urlstate.PRESETS[p], href=replace(
        urlstate.preset(p, state, latest, latest), kon=()).query() or "?")
        for p in ("ar", "halvar")]
    return ["Visa i stället: ", links[0], " eller ", links[1], "."]


def period_text(con, state: urlstate.State) -> str:
    """``'kvartal 4 2022'`` or ``'kvartal 3 2022 – kvartal 4 2022'``."""
    _, f = views.resolve(con, state.filters())
    if f.fran == f.till:
        return fmt.kvartal(f.till)
    return f"{fmt.kvartal(f.fran)} – {fmt.kvartal(f.till)}"


def insats_href(insats_id: str, state: urlstate.State) -> str:
    return f"/insats/{quote(insats_id, safe='')}{state.query()}"


def insats_links(ids, state: urlstate.State) -> dict[str, str]:
    return {i: insats_href(i, state) for i in ids}


def uttag_text(con) -> str:
    """``'Uttag kvartal 4 2022, uttagsdatum 2023-01-15'``: where the figures come from."""
    u = views.senaste_uttag(con)
    text = f"Uttag {fmt.kvartal(u['period'])}"
    return text + (f", uttagsdatum {u['uttagsdatum']:%Y-%m-%d}" if u["uttagsdatum"] else "")


def urval_text(scope: views.Scope, state: urlstate.State) -> str:
    """The kommuner a page is about when it is not all of them: the chosen ones, else a LOKUS
    group's own (``'Heby'``); ``''`` for everything."""
    kommuner = state.kommuner or (sorted(scope.kommuner) if scope.kommuner else ())
    return ", ".join(kommuner)


def heading(page: str, title: str, con, scope: views.Scope, state: urlstate.State,
            intro: str | None = None):
    urval = urval_text(scope, state)
    parts = [html.H1(f"{title} {period_text(con, state)}" + (f" · {urval}" if urval else ""),
                     className="h3 mb-0", id=f"{page}-rubrik"),
             html.Div(uttag_text(con), className="ik-uttag text-body-secondary mb-2",
                      id=f"{page}-uttag")]
    if intro:
        parts.append(html.P(intro, className="text-body-secondary mb-3"))
    return html.Div(parts)


def section(title: str, *children, id: str | None = None) -> html.Section:
    kw = {"id": id} if id else {}
    return html.Section([html.H2(title, className="h5 mt-3")] + list(children),
                        className="mb-4", **kw)
