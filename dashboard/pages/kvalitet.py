"""Kvalitet: the styrgrupp checklist (PM Tabell 3 and 5) as a ja/nej matrix, the answers
that deviate from the expected one marked, with the comments; the ended insatser whose
slutrapport is missing a month after the end; and the registration quality of the extract
(what makes the participant figures less true: counts for everyone, the rows behind them for
the kansli's own view only)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from .. import fmt, inlast, nyckeltal, schema, slutrapport, tables, views
from ..components.sida import heading, info, insats_href, insats_links, section
from ..components.tabell import tabell
from ..kontroller.sida import render_page
from ..publicering import EjPublicerad

PAGE = "kvalitet"
dash.register_page(__name__, path="/kvalitet", name="Kvalitet", title="Kvalitet – Insatskollen",
                   order=3)


def layout(**query):
    return render_page(render, query)


def render(con, scope, state):
    laget = inlast.laget(con)  # what is loaded: once for the page
    t = tables.kvalitet(con, scope, state)
    links = insats_links(t.df["insats_id"], state)
    return html.Main([
        heading(PAGE, "Kvalitet", laget, scope, state,
                "Styrgruppernas svar på kontrollfrågorna för periodens sista kvartal."),
        dbc.Row([
            dbc.Col(lista(t, links, atgard=True), md=6),
            dbc.Col(lista(t, links, atgard=False), md=6),
        ]),
        section(t.rubrik, tabell(t, PAGE, links=links)),
        html.Details([
            html.Summary("Frågorna i sin helhet, och vilket svar som är det förväntade"),
            html.Dl([x for c in schema.CHECKLISTA for x in (
                html.Dt(c.short.replace("\u00ad", ""), className="col-sm-3"),
                html.Dd(f"{c.label} (förväntat: {'ja' if c.expected else 'nej'}; annars "
                        f"{'åtgärd krävs' if c.atgard else 'för kännedom'})",
                        className="col-sm-9"))],
                className="row small mt-2"),
        ], id=f"{PAGE}-fragor", open=True),
        saknade(con, scope, state),
        registrering(con, scope, state, laget),
    ], className="container-fluid py-2")


def saknade(con, scope, state) -> html.Section:
    """The ended insatser without a slutrapport a month after the end (its template's
    deadline): none of its texts written."""
    df = slutrapport.saknas(con, scope, state.filters())
    items = [html.Li([html.A(r.kortnamn, href=insats_href(r.insats_id, state)),
                      f", avslutad {r.slutdatum:%Y-%m-%d}"]) for r in df.itertuples()]
    return html.Section([
        html.H2(f"{slutrapport.SAKNAS_RUBRIK} ({len(items)})" if items
                else slutrapport.SAKNAS_RUBRIK, className="h5 mt-3", id=f"{PAGE}-slutrapport-rubrik"),
        html.P(f"Avslutade insatser vars slutrapport inte har någon text en månad efter avslut. "
               f"{slutrapport.SENAST} Texterna skrivs under Slutrapport på insatsens sida.",
               className="small text-body-secondary mb-1"),
        html.Ul(items, className="ik-kolumner", id=f"{PAGE}-slutrapport") if items else
        html.P("Inga.", id=f"{PAGE}-slutrapport"),
    ], className="mb-4", id=f"{PAGE}-slutrapporter")


def registrering(con, scope, state, laget: inlast.Laget) -> html.Section:
    """Registreringskvalitet: per insats the counts, and for the kansli's own view the rows
    behind them and the corrections of earlier quarters."""
    try:
        t = tables.registrering(con, scope, state)
    except EjPublicerad as e:
        return section("Registreringskvalitet", html.P(str(e)),
                       id=f"{PAGE}-registreringskvalitet")
    links = insats_links(t.df["insats_id"], state)
    parts = [html.P(f"Det som gör siffrorna mindre sanna i uttaget för "
                    f"{fmt.kvartal(laget.senaste)}: "
                    "deltagare som borde ha avslutats, saknade handlingsplaner, anonyma och "
                    "rättelser i efterhand. Talen är sådant kansliet kan be insatsen rätta i SUS.",
                    className="small text-body-secondary mb-1"),
             tabell(t, PAGE, links=links)]
    if not scope.suppress:
        rader = tables.registrering_rader(con, scope, state)
        ratt = tables.registrering_rattelser(con, scope, state)
        parts += [
            html.Details([html.Summary(f"Deltagarna bakom talen ({len(rader.df)})"),
                          tabell(rader, PAGE)], id=f"{PAGE}-registrering-rader", className="mb-2"),
            html.Details([html.Summary(f"Rättelser av tidigare kvartal ({len(ratt.df)})"),
                          tabell(ratt, PAGE)], id=f"{PAGE}-registrering-rattelser"),
        ]
    else:
        from .. import web_auth

        if web_auth.kansli() is not None:
            parts.append(html.P(views.REGISTRERING_RADER, className="small"))
    return html.Section([html.H2("Registreringskvalitet", className="h5 mt-3")] + parts,
                        className="mb-4", id=f"{PAGE}-registreringskvalitet")


def lista(t: tables.Tabell, links: dict, atgard: bool) -> html.Section:
    """The insatser with answers that ask for action (or are for information), in words."""
    title = "Åtgärd krävs" if atgard else "För kännedom"
    key = "atgard" if atgard else "kannedom"
    items = []
    for row in tables.rader(t.df):
        why = nyckeltal.avvikelser(row, atgard)
        if why:
            items.append(html.Li([html.A(row["kortnamn"], href=links[row["insats_id"]]), ": ",
                                  ", ".join(why) + "."]))
    n = len(items)
    return html.Section([
        html.H2([f"{title} ({n} {'insats' if n == 1 else 'insatser'})",
                 info("kvalitet", "kvalitetslistorna")], className="h5 mt-2",
                id=f"{PAGE}-{key}-rubrik"),
        html.Ul(items, id=f"{PAGE}-{key}", className="mb-2") if items else
        html.P("Inga." if atgard else "Inget.", id=f"{PAGE}-{key}", className="mb-2"),
    ], className=f"ik-{key}")
