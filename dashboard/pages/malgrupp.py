"""Målgrupp: who the participants are, by kön: ålder, tid i offentlig försörjning,
utbildning, försörjning vid start, remittent, tid i insats; each with the PM's one-line
reading, a chart, its table and downloads. A small selection gets coarser groupings."""

from __future__ import annotations

from dataclasses import replace

import dash
import dash_bootstrap_components as dbc
from dash import html

from .. import codes, nyckeltal, tables, urlstate, views
from ..components.diagram import diagram
from ..components.sida import ej_per_period, heading, render_page, section
from ..figures.deltagare import by_kon

PAGE = "malgrupp"
PATH = "/malgrupp"  # its default period: urlstate.STANDARDPERIOD[PATH]
dash.register_page(__name__, path=PATH, name="Målgrupp", title="Målgrupp – Insatskollen",
                   order=5)

INDELNING_NAMN = {"": "Detaljerad", "grov": "Grövre kategorier",
                  "grov_totalt": "Grövre, utan uppdelning på kön"}


def layout(**query):
    return render_page(render, query, path=PATH)


def choices(state) -> html.Nav:
    """The grouping, as links to this page (the URL's other choices kept)."""
    return html.Nav(dbc.Nav([
        dbc.NavItem(dbc.NavLink(text, href=f"/malgrupp{replace(state, indelning=key).query()}",
                                active=state.indelning == key, id=f"{PAGE}-indelning-{key or 'detaljerad'}"))
        for key, text in INDELNING_NAMN.items()], pills=True, className="mb-2"),
        **{"aria-label": "Indelning"})


def render(con, scope, state):
    df = views.malgrupp(con, scope, state.filters(), state.indelning)
    here = urlstate.without_standard(state, "/malgrupp", views.latest_period(con))
    grov = state.indelning in ("grov", "grov_totalt")
    sections = []
    tabeller = tables.malgrupp_tabeller(con, scope, state, df)
    for dim, title, _ in codes.MALGRUPP_DIMENSIONER:
        t = tabeller[dim]
        if t.tom:  # not published for the period: why, instead of a reading and a chart
            sections.append(dbc.Col(section(
                title, ej_per_period(con, state, t.tom, f"{PAGE}-{dim}-tom")), xl=6))
            continue
        reading = nyckeltal.malgrupp_lasning(dim, t.df, t.totalt, grov)
        advice = None
        if nyckeltal.mostly_hidden(t.df):
            nxt = {"": "grov", "grov": "grov_totalt"}.get(state.indelning)
            advice = dbc.Alert([
                "De flesta talen är för små för att visas. ",
                html.A(f"Visa med {INDELNING_NAMN[nxt].lower()}",
                       href=f"/malgrupp{replace(here, indelning=nxt).query()}")
                if nxt else "Välj fler kommuner eller en längre period.",
            ], color="info", className="py-2", id=f"{PAGE}-{dim}-rad")
        what = "avslutade under perioden" if dim == "tid_i_insats" else "aktiva under perioden"
        sections.append(dbc.Col(section(
            title,
            html.P([html.Strong(reading)], id=f"{PAGE}-{dim}-lasning", className="mb-1"),
            html.P(f"Deltagare {what}.", className="small text-body-secondary mb-1"),
            advice,
            diagram(PAGE, t, by_kon(t.df, "kategori_namn", None), reading),
        ), xl=6))
    return html.Main([
        heading(PAGE, "Målgrupp", con, scope, state,
                "Vilka deltagarna är, efter kön. " + tables.sma_tal_text()
                + " Välj en grövre indelning när urvalet är litet."),
        choices(here),
        dbc.Row(sections),
    ], className="container-fluid py-2")
