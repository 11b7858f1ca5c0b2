"""Insats (/insats/<id>): everything about one insats on one page: facts, goals and lights
over time, budget burn, participants. Reached by clicking an insats anywhere."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from .. import (
    codes,
    fmt,
    inlast,
    nyckeltal,
    periods,
    rapport_text,
    slutrapport,
    tables,
    texter,
    urval,
    views,
    web_auth,
)
from ..components.diagram import diagram, forbrukning, fore_efter_diagram
from ..components.lampa import lampa, legend
from ..components.sida import period_text, section
from ..components.slutrapport import sektion as slutrapport_sektion
from ..components.tabell import tabell
from ..figures.budget import burn
from ..kontroller.sida import render_page
from ..kontroller.slutrapport import knapp as slutrapport_knapp
from ..kontroller.texter import kansliets_text
from ..publicerat import dolt
from ..publicering import EjPublicerad

PAGE = "insats"
dash.register_page(__name__, path_template="/insats/<insats_id>", name="Insats",
                   title="Insats – Insatskollen", order=9)


def layout(insats_id: str = "", **query):
    return render_page(render, query, insats_id=unquote(insats_id))


def _fact(label: str, value) -> list:
    return [html.Dt(label, className="col-sm-5 col-xl-4"),
            html.Dd(value, className="col-sm-7 col-xl-8")]


def render(con, scope, state, insats_id: str):
    # the page is about one insats: the kommun/typ/status/insats filters do not narrow it
    # (the viewer's scope still does); period and kön do
    laget = inlast.laget(con)  # what is loaded: once for the page
    links_state = state
    state = replace(state, kommuner=(), typer=(), statuser=(), insatser=())
    f = state.filters((insats_id,))
    reg = views.insatser(con, scope, urval.Filter(f.fran, f.till, insatser=(insats_id,)))
    if not len(reg):  # unknown, or outside the viewer's kommuner: say the same either way
        return html.Main(dbc.Alert(f"Insatsen {insats_id!r} finns inte, eller hör inte till "
                                   "dina kommuner.", color="warning", id=f"{PAGE}-saknas"),
                         className="container-fluid py-3")
    r = reg.iloc[0]
    kansli = web_auth.kansli() is not None
    mal = tables.mal(con, scope, state, insats_id)
    light = mal.df["lampa"].iloc[0] if len(mal.df) else None
    budget = tables.budget(con, scope, state, insats_id)
    b = budget.df.iloc[0] if len(budget.df) else None
    strip = tables.lampor(con, scope, state, insats_id)
    malen = tables.malen(con, scope, state, insats_id)
    burn_t = tables.budget_kvartal(con, scope, state, insats_id)
    facts = html.Dl([
        *_fact("Namn", r["namn"]),
        *_fact("Typ", codes.labels("typ").get(r["typ"], r["typ"])
               + (", förrehabiliterande" if r["forrehab"] else "")),
        *_fact("Kommuner", r["kommuner"].replace("|", ", ")),
        *_fact("Insatsägare", r["insatsagare"]),
        *_fact("Samverkansparter", (r["samverkansparter"] or "–").replace("|", ", ")),
        *_fact("Insatstid", f"{r['startdatum']:%Y-%m-%d} – {r['slutdatum']:%Y-%m-%d}"),
        *_fact("Beviljat", fmt.tkr(r["beviljat_tkr"])),
    ], className="row mb-0", id=f"{PAGE}-fakta")
    comment = mal.df["kommentar"].iloc[0] if len(mal.df) else ""
    rng, _ = laget.resolve(f)
    avslutad = None
    if r["slutdatum"] < pd.Timestamp(periods.first_day(rng.first)):
        # ended before the period: no lights of its own in it, its slutrapport instead
        avslutad = [html.Div(f"Avslutades {r['slutdatum']:%Y-%m-%d}", className="fs-5",
                             id=f"{PAGE}-avslutad"),
                    html.P(["Den har inga lampor för perioden. ",
                            html.A("Slutrapporten", href="#insats-slutrapport"),
                            " nedan gäller hela insatstiden."],
                           className="text-body-secondary mt-2 mb-0")]
    parts = [
        html.H1(r["kortnamn"], className="h3 mb-1", id=f"{PAGE}-rubrik"),
        html.P(f"Diarienummer {insats_id} · {period_text(laget, state)}",
               className="text-body-secondary"),
        dbc.Row([
            dbc.Col(dbc.Card(dbc.CardBody(facts)), lg=7, className="mb-3"),
            dbc.Col(dbc.Card(dbc.CardBody(avslutad if avslutad is not None else [
                html.Div(["Mål: ", lampa(light)], className="fs-5", id=f"{PAGE}-mallampa"),
                html.Div(["Budget: ", lampa(None if b is None else b["lampa"]), " ",
                          fmt.procent(None if b is None else b["forbrukningskvot"]),
                          " förbrukat hittills i år"], className="fs-5",
                         id=f"{PAGE}-budgetlampa"),
                html.P(comment or "Ingen kommentar från styrgruppen.",
                       className="text-body-secondary mt-2 mb-0", id=f"{PAGE}-kommentar"),
            ])), lg=5, className="mb-3"),
        ]),
        # (an insats that ended before the period has its slutrapport instead)
        None if avslutad is not None else
        kansliets_text(con, views.resolve(con, f)[1].till, texter.INSATS, insats_id, kan_skriva=kansli,
                       id=f"{PAGE}-kansliet"),
        # an ended insats: its slutrapport, over its whole time whatever the period
        _slutrapport(con, scope, insats_id, kansli),
    ]
    if avslutad is not None:  # the period's goals, budget and participants: none, it ended
        if len(strip.df):  # (its last lights, while the strip reaches back to them)
            parts += [legend(PAGE), section(strip.rubrik, tabell(strip, PAGE, insats=insats_id))]
        return html.Main(parts, className="container-fluid py-2")
    parts += [
        legend(PAGE),
        section(strip.rubrik, tabell(strip, PAGE, insats=insats_id)),
        section(malen.rubrik, tabell(malen, PAGE, insats=insats_id)),
        section("Budget", tabell(budget, PAGE, insats=insats_id),
                diagram(PAGE, burn_t, burn(burn_t.df, burn_t.rubrik), forbrukning(burn_t.df),
                        insats_id, id=f"{PAGE}-brannkurva")),
    ]
    if r["typ"] == "individ":
        # a shared insats seen by some kommuner: its figures are the whole insats's
        delad = tables.delad_not(reg, tables.urval(scope, links_state), "deltagare").strip()
        parts.append(section("Deltagare", html.P(delad, className="small mb-1 ik-delade",
                                                 id=f"{PAGE}-delade") if delad else None,
                             _deltagare(con, scope, state, links_state, insats_id),
                             id=f"{PAGE}-deltagare-avsnitt"))
    return html.Main(parts, className="container-fluid py-2")


def _slutrapport(con, scope, insats_id: str, kansli: bool) -> html.Section | None:
    """The section *Slutrapport* of an ended insats (None for one that has not ended): its
    figures, the kansli's text under each of the template's questions (the kansli writes them
    here) and the PDF."""
    s = slutrapport.bygg(con, scope, insats_id)
    if s is None:
        return None
    own = {avsnitt: kansliets_text(con, s.kvartal, avsnitt, insats_id, kan_skriva=kansli,
                                   rubrik=rubrik, id=f"{PAGE}-{avsnitt}")
           for avsnitt, rubrik in texter.SLUTRAPPORT.items()}
    return slutrapport_sektion(s, own, slutrapport_knapp(insats_id))


def _deltagare(con, scope, state, links_state, insats_id):
    try:
        df = views.deltagare(con, scope, state.filters((insats_id,)))
    except EjPublicerad as e:
        return html.P(str(e), id=f"{PAGE}-deltagare", className="text-body-secondary")
    if not len(df):
        return html.P("Inga deltagare under perioden.", id=f"{PAGE}-deltagare")
    d = df.iloc[0]
    # a hidden count in words ("färre än 5", "ett dolt antal"), not a bare marker
    rows = [("Deltagare under perioden", fmt.antal_i_text(d["deltagare_period"])),
            ("Avslutade under perioden", fmt.antal_i_text(d["avslutade_period"])),
            ("Till arbete eller studier", fmt.antal_i_text(d["till_arbete_studier"])
             + ("" if dolt(d["andel_arbete_studier"])  # no "<5 (<5)"
                else f" ({fmt.procent(d['andel_arbete_studier'])})")),
            ("Pågående vid periodens slut", fmt.antal_i_text(d["pagaende"])),
            ("Deltagare totalt sedan start", fmt.antal_i_text(d["deltagare_totalt"]))]
    fors = nyckeltal.lamnat_offentlig(con, scope, state.filters((insats_id,)))
    chart = None
    if not fors["i_uttaget"]:
        rows.append(("Lämnat offentlig försörjning", "Försörjning vid avslut finns inte i "
                                                     "uttaget."))
    elif fors["fran"]:
        rows.append((f"Lämnat offentlig försörjning, {_ar(fors)}",
                     rapport_text.antal_av(fors["lamnat"], fors["offentlig"])
                     + " med offentlig försörjning före hade lön eller studiemedel vid avslut"))
        ar_state = replace(state, fran=fors["fran"], till=fors["till"], kon=())
        t = tables.forsorjning(con, scope, ar_state, insats_id)
        if not t.tom:
            chart = html.Div([
                html.H3(f"{t.rubrik}, {_ar(fors)}", className="h6 mt-2"),
                fore_efter_diagram(PAGE, t, [], f"{PAGE}-forsorjning-diagram", insats_id)])
    own = replace(links_state, insatser=(insats_id,)).query()
    return html.Div([
        html.Dl([x for k, v in rows for x in _fact(k, v)], className="row",
                id=f"{PAGE}-deltagare"),
        chart,
        html.P([html.A("Utfall och avslutsorsaker", href=f"/deltagare{own}",
                       id=f"{PAGE}-till-deltagare"), " · ",
                html.A("Målgrupp", href=f"/malgrupp{own}", id=f"{PAGE}-till-malgrupp"), " · ",
                html.A("Progression", href=f"/progression{own}", id=f"{PAGE}-till-progression")]),
    ])


def _ar(fors: dict) -> str:
    """The year försörjning före och efter is shown for (``nyckeltal.lamnat_offentlig``)."""
    return f"helår {fors['ar']}"
