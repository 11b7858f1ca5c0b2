"""Budget: budget against utfall per insats (PM Tabell 4), the förbrukningskvot with its
light, överfört/återfört, a burn chart for all selected insatser or one, and the totals per
typ."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html

from .. import codes, fmt, inlast, nyckeltal, tables, urlstate
from ..begaran import database, viewer_scope
from ..components.diagram import diagram, forbrukning
from ..components.lampa import lampa, legend
from ..components.riktning import riktning
from ..components.sida import dropdown, heading, info, insats_links, section
from ..components.tabell import tabell
from ..figures.budget import burn
from ..kontroller.sida import render_page
from ..publicering import EjPublicerad

PAGE = "budget"
dash.register_page(__name__, path="/budget", name="Budget", title="Budget – Insatskollen",
                   order=2)


def layout(**query):
    return render_page(render, query)


def render(con, scope, state):
    laget = inlast.laget(con)  # what is loaded: once for the page
    per_insats = tables.budget(con, scope, state)
    per_typ = tables.budget_typ(con, scope, state)
    options = [{"label": "Alla valda insatser", "value": ""}] + [
        {"label": r.kortnamn, "value": r.insats_id} for r in per_insats.df.itertuples()]
    return html.Main([
        heading(PAGE, "Budget", laget, scope, state,
                "Belopp i tusental kronor (tkr). Förbrukningskvoten räknas från 1 januari till "
                "periodens sista kvartal."),
        forbrukat(con, scope, state),
        budgetlampor(con, scope, state),
        legend(PAGE),
        section([per_insats.rubrik, info("budget", "förbrukningen")],
                tabell(per_insats, PAGE, links=insats_links(per_insats.df["insats_id"], state))),
        section(per_typ.rubrik, tabell(per_typ, PAGE)),
        section(["Kostnad per deltagare", info("kostnad", "kostnaden")],
                kostnad_tabell(con, scope, state)),
        dbc.Row(dbc.Col(section("Förbrukning över tid", html.Div([
            dbc.Label("Visa", html_for=f"{PAGE}-diagram-insats", className="small mb-0"),
            dropdown(id=f"{PAGE}-diagram-insats", options=options, value="",
                     clearable=False, className="mb-2"),
            html.Div(burn_card(con, scope, state, ""), id=f"{PAGE}-diagram"),
        ])), xl=9)),
    ], className="container-fluid py-2")


def forbrukat(con, scope, state) -> html.Div:
    """The year to date's förbrukningskvot of everything selected, with its light and its
    change since the same time last year."""
    f = state.filters()
    b = nyckeltal.budget(con, scope, f)
    return html.Div([
        html.Div([html.Span(fmt.procent(b["forbrukningskvot"]), className="fw-bold"),
                  f" förbrukat hittills i år ({fmt.tkr(b['ack_utfall_tkr'])} av "
                  f"{fmt.tkr(b['ack_budget_tkr'])}) ", lampa(b["lampa"])],
                 className="fs-5", id=f"{PAGE}-forbrukat"),
        riktning(f"{PAGE}-forbrukat-riktning", nyckeltal.jamforda(
            con, f, lambda g: nyckeltal.budget(con, scope, g)["forbrukningskvot"], ("ar",)),
            "andel"),
    ], className="mb-2")


def budgetlampor(con, scope, state) -> html.Div:
    """The quarter's budget lights in one line: the same insatser and counts as Översikt's
    (``nyckeltal.kvartalets_insatser``), and how many rows of the table have none."""
    f = state.filters()
    urval = nyckeltal.kvartalets_insatser(con, scope, f)
    n = nyckeltal.lampantal(urval)["budget_lampor"]
    parts = []
    for key, _ in codes.LJUSEN:
        parts += [" · " if parts else "", lampa(key, text=f"{n[key]} {codes.lampa_ord(key, n[key])}")]
    running = int(urval["i_kvartalet"].sum())
    ovriga = len(urval) - running
    return html.Div([
        f"Budgetlampor för kvartalets {fmt.antal(running, 'insats', 'insatser')}: ", *parts,
        f" (och {fmt.antal(ovriga, 'insats', 'insatser')} som avslutats före kvartalet, utan lampa)"
        if ovriga else "",
    ], className="mb-2", id=f"{PAGE}-lampor")


def kostnad_tabell(con, scope, state):
    """Cost per participant, or why it is not shown for this period."""
    try:
        t = tables.kostnad(con, scope, state)
    except EjPublicerad as e:
        return html.P(str(e), className="text-body-secondary", id=f"{PAGE}-kostnad-ej")
    return tabell(t, PAGE, links=insats_links([i for i in t.df["insats_id"] if isinstance(i, str)],
                                              state))


def burn_card(con, scope, state, insats_id: str) -> html.Div:
    """The burn chart of one insats (or all), with its numbers as a table and downloads."""
    t = tables.budget_kvartal(con, scope, state, insats_id or None)
    return diagram(PAGE, t, burn(t.df, t.rubrik), forbrukning(t.df), insats_id,
                   id=f"{PAGE}-brannkurva")


@callback(
    Output(f"{PAGE}-diagram", "children"),
    Input(f"{PAGE}-diagram-insats", "value"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def choose_insats(insats_id, search):
    return burn_card(database(), viewer_scope(), urlstate.parse(search or ""), insats_id or "")
