"""The slutrapport of an ended insats on its page (``slutrapport.bygg``'s parts in the
template's order): the figures over the whole time, the kansli's texts under the template's
questions (the kansli writes them here), and the PDF for the viewer's own scope."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import MATCH, Input, Output, State, callback, dcc, html, no_update

from .. import rapport_text, slutrapport, tables, texter
from .tabell import tabell
from .texter import kansliets_text

PAGE = "insats"


def _dl(rows: list[tuple[str, str]], id_: str | None = None) -> html.Dl:
    kw = {"id": id_} if id_ else {}
    return html.Dl([x for k, v in rows for x in (
        html.Dt(k, className="col-sm-5 col-xl-4"), html.Dd(v, className="col-sm-7 col-xl-8"))],
        className="row mb-1", **kw)


def _liten(t: tables.Tabell) -> dbc.Table:
    """A small table of a category and its count (Målgrupp's coarse groups, side by side): no
    download and no notes of its own (said once under them all)."""
    k0, k1 = t.kolumner
    return dbc.Table([
        html.Caption(t.rubrik, className="visually-hidden"),
        html.Thead(html.Tr([html.Th(k0.rubrik, scope="col"),
                            html.Th(k1.rubrik, scope="col", className="text-end")])),
        html.Tbody([html.Tr([html.Th(tables.cell_of(rec, k0), scope="row",
                                     className="fw-normal"),
                             html.Td(tables.cell_of(rec, k1), className="text-end text-nowrap")])
                    for rec in tables.records(t)]),
    ], size="sm", striped=True, className="ik-tabell mb-2")


def knapp(insats_id: str) -> html.Div:
    """The slutrapport as a PDF, for the viewer's own scope."""
    return html.Div([
        html.Button("Slutrapport (PDF)", id={"type": "slutrapport-pdf", "insats": insats_id},
                    type="button", className="btn btn-outline-secondary btn-sm",
                    title="Slutrapporten som PDF, med samma siffror som här"),
        dcc.Loading(dcc.Download(id={"type": "slutrapport-fil", "insats": insats_id}),
                    type="circle"),
    ], className="d-inline-flex gap-2 align-items-center d-print-none",
        id=f"{PAGE}-slutrapport-pdf")


def _status(s: slutrapport.Slutrapport) -> str:
    skrivna = sum(t is not None for t in s.texter.values())
    deadline = f"{(s.insats['slutdatum'] + pd.DateOffset(months=1)):%Y-%m-%d}"
    return (f"Förbundets mall för slutrapport, med siffrorna över hela insatstiden och "
            f"kansliets texter under mallens frågor. Den ska lämnas in senast en månad efter "
            f"avslutad insats, här {deadline}. {skrivna} av {len(s.texter)} avsnitt är skrivna.")


def sektion(con, scope, insats_id: str, kan_skriva: bool) -> html.Section | None:
    """The page's section *Slutrapport*, or None for an insats that has not ended."""
    s = slutrapport.bygg(con, scope, insats_id)
    if s is None:
        return None
    parts: list = []
    for slag, avsnitt in slutrapport.ORDNING:
        if slag == "text":
            parts.append(kansliets_text(con, s.kvartal, avsnitt, insats_id,
                                        kan_skriva=kan_skriva,
                                        rubrik=texter.SLUTRAPPORT[avsnitt],
                                        id=f"{PAGE}-{avsnitt}"))
        elif slag == "mal":
            parts.append(html.H3(f"{slutrapport.MAL_FRAGA} och om de har uppnåtts",
                                 className="h6 mt-2 mb-1"))
            if s.mal is None:
                parts.append(html.P("Inga mål i insatsens kvartalsrapporter."))
            else:
                parts.append(html.P(rapport_text.mal_summering(list(s.mal.df["bedomning"])),
                                    className="mb-1"))
                parts.append(tabell(slutrapport.mal_tabell(s), PAGE, download=False))
        elif slag == "insatstid":
            parts.append(html.H3("Insatstid", className="h6 mt-2 mb-1"))
            parts.append(_dl([("Startdatum", f"{s.insats['startdatum']:%Y-%m-%d}"),
                              ("Slutdatum", f"{s.insats['slutdatum']:%Y-%m-%d}")]))
        elif slag == "malgrupp" and s.individ:
            parts.append(html.H3(slutrapport.MALGRUPP_DATA, className="h6 mt-2 mb-1"))
            if s.malgrupp is None:
                parts.append(html.P(s.ej_publicerat, className="text-body-secondary"))
            else:
                tabs = list(slutrapport.malgrupp_tabeller(s).values())
                notes = dict.fromkeys(n for n in map(tables.dolda_not, tabs) if n)
                parts += [dbc.Row([dbc.Col(_liten(t), xs=12, md=6, xl=4) for t in tabs],
                                  id=f"{PAGE}-slutrapport-malgrupp"),
                          html.P(" ".join([slutrapport.malgrupp_not(s), *notes]),
                                 className="small text-body-secondary mb-1")]
        elif slag == "deltagare":
            parts.append(html.H3(slutrapport.DELTAGARE_FRAGA, className="h6 mt-2 mb-1"))
            if not s.individ:
                parts.append(html.P("Insatsen har inga registrerade deltagare (den är inte en "
                                    "individinsats)."))
            elif s.deltagare is None:
                parts.append(html.P(s.ej_publicerat, className="text-body-secondary",
                                    id=f"{PAGE}-slutrapport-deltagare"))
            else:
                parts += [html.P(slutrapport.deltagare_mening(s), className="mb-1"),
                          _dl(slutrapport.deltagare_rader(s), f"{PAGE}-slutrapport-deltagare"),
                          html.P(slutrapport.deltagare_not(s),
                                 className="small text-body-secondary mb-1"),
                          tabell(slutrapport.avslutsorsaker_tabell(s), PAGE, download=False)]
                # Försörjning före och efter (issue 30): its table goes here
                if s.forsorjning is not None:
                    parts.append(tabell(s.forsorjning, PAGE, download=False))
        elif slag == "ekonomi":
            parts += [html.H3(slutrapport.EKONOMI, className="h6 mt-2 mb-1"),
                      _dl(slutrapport.ekonomi_rader(s), f"{PAGE}-slutrapport-ekonomi"),
                      html.P(slutrapport.ekonomi_not(s), className="small text-body-secondary")]
    return html.Section([
        html.Div([html.H2("Slutrapport", className="h5 mt-3 mb-1"), knapp(insats_id)],
                 className="d-flex flex-wrap justify-content-between align-items-end gap-2"),
        html.P(_status(s), className="small text-body-secondary", id=f"{PAGE}-slutrapport-status"),
        *parts,
    ], className="mb-4 ik-slutrapport", id=f"{PAGE}-slutrapport")


@callback(
    Output({"type": "slutrapport-fil", "insats": MATCH}, "data"),
    Input({"type": "slutrapport-pdf", "insats": MATCH}, "n_clicks"),
    State({"type": "slutrapport-pdf", "insats": MATCH}, "id"),
    prevent_initial_call=True,
)
def make_pdf(clicks, key):
    if not clicks:
        return no_update
    from .. import audit, web_auth
    from ..session import database, viewer_scope

    scope = viewer_scope()
    insats_id = key["insats"]
    pdf = slutrapport.build_pdf(database(), scope, insats_id,
                                kansli=web_auth.kansli() is not None)
    user = web_auth.current_user()
    name = f"slutrapport-{insats_id.replace(':', '-')}.pdf"
    audit.log("slutrapport", anvandare=user.username if user else None, insats=insats_id,
              osupprimerad=not scope.suppress, fil=name)
    return dcc.send_bytes(pdf, name)

