"""A page's layout for this request: its render function with this request's database, the
viewer's scope (server side) and the filter state from the URL; what every page does the same
way when no data is loaded or its figures are not published."""

from __future__ import annotations

import dash_bootstrap_components as dbc

from .. import inlast, urlstate
from ..begaran import database, viewer_scope
from ..components.sida import ej_publicerad
from ..publicering import EjPublicerad


def render_page(render, query: dict, path: str | None = None, **kw):
    """``layout(**query)`` of a page: its render function with this request's database,
    the viewer's scope (server side) and the filter state from the URL (with the page's
    default period, ``urlstate.STANDARDPERIOD``, when the URL names none)."""
    con = database()
    try:
        laget = inlast.laget(con)
    except inlast.NoData:
        return dbc.Alert("Inget uttag är inläst ännu.", color="warning", className="m-3")
    state = urlstate.with_standard(urlstate.parse(query), path, laget.senaste)
    try:
        return render(con, viewer_scope(), state, **kw)
    except EjPublicerad as e:
        return ej_publicerad(laget, state, e)
