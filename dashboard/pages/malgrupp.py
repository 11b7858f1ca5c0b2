"""Målgrupp: who the participants are, by kön: ålder, tid i offentlig försörjning,
utbildning, försörjning vid start, remittent, tid i insats; each with the PM's one-line
reading, a chart, its table and downloads. A small selection gets coarser groupings."""

from __future__ import annotations

from dataclasses import replace

import dash
import dash_bootstrap_components as dbc
from dash import html

from .. import codes, inlast, nyckeltal, tables, urlstate, views
from ..components.diagram import kon_diagram
from ..components.sida import delade_not, ej_per_period, heading, section
from ..kontroller.sida import render_page

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
    laget = inlast.laget(con)  # what is loaded: once for the page
    df = views.malgrupp(con, scope, state.filters(), state.indelning)
    here = urlstate.without_standard(state, "/malgrupp", views.latest_period(con))
    grov = state.indelning in ("grov", "grov_totalt")
    nxt = {"": "grov", "grov": "grov_totalt"}.get(state.indelning)
    coarser = [html.A(f"Visa med {INDELNING_NAMN[nxt].lower()}",
                      href=f"/malgrupp{replace(here, indelning=nxt).query()}"), "."] if nxt \
        else ["Välj fler kommuner eller en längre period."]
    sections = []
    tabeller = tables.malgrupp_tabeller(con, scope, state, df)
    for dim, title, _ in codes.MALGRUPP_DIMENSIONER:
        t = tabeller[dim]
        if t.tom:  # not published for the period: why, instead of a reading and a chart
            sections.append(dbc.Col(section(
                title, ej_per_period(laget, state, t.tom, f"{PAGE}-{dim}-tom")), xl=6))
            continue
        # the kön split of everyone is said once above; tid i insats counts the avslutade
        kon = nyckeltal.kon_lasning(t.totalt) if dim == "tid_i_insats" else ""
        reading = "; ".join(p for p in (kon, nyckeltal.kategori_lasning(dim, t.df, t.totalt, grov))
                            if p)
        reading = (reading[:1].upper() + reading[1:] + ".") if reading else \
            "Diagrammets siffror står i tabellen under det."
        what = "avslutade under perioden" if dim == "tid_i_insats" else "aktiva under perioden"
        sections.append(dbc.Col(section(
            title,
            html.P([html.Strong(reading)], id=f"{PAGE}-{dim}-lasning", className="mb-1"),
            html.P(f"Deltagare {what}.", className="small text-body-secondary mb-1"),
            # the reading above says when the largest group may be hidden
            kon_diagram(PAGE, t, "kategori_namn", reading, coarser,
                        id=f"{PAGE}-{t.namn}-diagram", ovanfor=False),
        ), xl=6))
    aktiva = next((t.totalt for d, t in tabeller.items() if d != "tid_i_insats" and not t.tom),
                  {})
    kon = nyckeltal.kon_lasning(aktiva)
    return html.Main([
        heading(PAGE, "Målgrupp", laget, scope, state,
                "Vilka deltagarna är, efter kön. " + tables.sma_tal_text()
                + " Välj en grövre indelning när urvalet är litet."),
        html.P(f"Deltagare aktiva under perioden: {kon}.", className="fs-5 mb-1",
               id=f"{PAGE}-kon") if kon else None,
        delade_not(tables.delade_deltagare(con, scope, state), PAGE),
        choices(here),
        dbc.Row(sections),
    ], className="container-fluid py-2")
