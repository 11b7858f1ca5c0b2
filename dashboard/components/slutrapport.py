"""The slutrapport of an ended insats on its page: draws what it is handed (``slutrapport.bygg``'s
parts in the template's order, the figures over the whole time), with the kansli's texts under
the template's questions and the PDF button as the page hands them (``kontroller``: they carry
callbacks)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from .. import rapport_text, slutrapport, tables
from .tabell import tabell

PAGE = "insats"


def _med_rubrik(t) -> list:
    """A table of the slutrapport under its own small heading (as in the PDF)."""
    return [html.H4(t.rubrik, className="h6 mt-2 mb-1"), tabell(t, PAGE, download=False)]


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


def _status(s: slutrapport.Slutrapport) -> str:
    skrivna = sum(t is not None for t in s.texter.values())
    deadline = f"{(s.insats['slutdatum'] + pd.DateOffset(months=1)):%Y-%m-%d}"
    return (f"Förbundets mall för slutrapport, med siffrorna över hela insatstiden och "
            f"kansliets texter under mallens frågor. Den ska lämnas in senast en månad efter "
            f"avslutad insats, här {deadline}. {skrivna} av {len(s.texter)} avsnitt är skrivna.")


def sektion(s: slutrapport.Slutrapport, texter: dict, knapp) -> html.Section:
    """The page's section *Slutrapport* of ``s``: ``texter`` the kansli's text of each
    avsnitt of ``texter.SLUTRAPPORT`` as the page draws it (its own text box), ``knapp`` the
    PDF button."""
    parts: list = []
    for slag, avsnitt in slutrapport.ORDNING:
        if slag == "text":
            parts.append(texter[avsnitt])
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
                          *_med_rubrik(slutrapport.avslutsorsaker_tabell(s))]
                if s.forsorjning is not None:
                    parts += _med_rubrik(s.forsorjning)
        elif slag == "ekonomi":
            parts += [html.H3(slutrapport.EKONOMI, className="h6 mt-2 mb-1"),
                      _dl(slutrapport.ekonomi_rader(s), f"{PAGE}-slutrapport-ekonomi"),
                      html.P(slutrapport.ekonomi_not(s), className="small text-body-secondary")]
    return html.Section([
        html.Div([html.H2("Slutrapport", className="h5 mt-3 mb-1"), knapp],
                 className="d-flex flex-wrap justify-content-between align-items-end gap-2"),
        html.P(_status(s), className="small text-body-secondary", id=f"{PAGE}-slutrapport-status"),
        *parts,
    ], className="mb-4 ik-slutrapport", id=f"{PAGE}-slutrapport")
