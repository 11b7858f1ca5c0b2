"""PM: the follow-up PM for the period and filter, and the kansli's own texts that go in it
(one per PM section, seed 004's prose under Tabell 2, 4, 5, 6 and its closing analysis), with
which insatser have a text of their own. Everyone reads; the kansli writes (``texter``)."""

from __future__ import annotations

import dash
from dash import html

from .. import fmt, inlast, rapport, texter, views
from ..components.sida import heading, insats_href, section
from ..kontroller.pm import pm_knapp
from ..kontroller.sida import render_page
from ..kontroller.texter import kansliets_text
from ..publicering import EjPublicerad

PAGE = "pm"
dash.register_page(__name__, path="/pm", name="PM", title="PM – Insatskollen", order=7)


def layout(**query):
    return render_page(render, query)


def render(con, scope, state):
    laget = inlast.laget(con)  # what is loaded: once for the page
    from .. import web_auth

    kansli = web_auth.kansli() is not None
    _, f = views.resolve(con, state.filters())
    texts = texter.aktuella(con, f.till)
    reg = views.insatser(con, scope, state.filters())
    reg = reg[reg["i_perioden"]].sort_values("kortnamn")
    insatser = html.Ul([html.Li([
        html.A(r.kortnamn, href=insats_href(r.insats_id, state)), ": ",
        (f"skriven {texts[(texter.INSATS, r.insats_id)].skriven:%Y-%m-%d}"
         if (texter.INSATS, r.insats_id) in texts else
         html.Span("ingen text ännu", className="text-body-secondary")),
    ]) for r in reg.itertuples()], id=f"{PAGE}-insatser", className="ik-kolumner")
    return html.Main([
        html.Div([heading(PAGE, "PM", laget, scope, state), pm_knapp(PAGE)],
                 className="d-flex flex-wrap justify-content-between align-items-start "
                           "column-gap-3"),
        html.P(f"Kansliets egna texter till uppföljnings-PM:et. De gäller {fmt.kvartal(f.till)}, "
               "kvartalet som perioden slutar med, och står likadant i PM:et, i presentationen "
               "och på insatsernas sidor." + (" Skriv under varje rubrik; varje sparning blir "
                                              "en ny version." if kansli else ""),
               className="text-body-secondary", id=f"{PAGE}-intro"),
        section("Vad siffrorna säger", *_siffror(con, scope, state), id=f"{PAGE}-siffror"),
        *[section(a.rubrik, html.P(f"Står {a.plats}.", className="small text-body-secondary mb-1"),
                  kansliets_text(con, f.till, key, kan_skriva=kansli,
                                 rubrik="Kansliets text" + (texter.HELA_FORBUNDET
                                                            if scope.kommuner else "")),
                  id=f"{PAGE}-{key}")
          for key, a in texter.AVSNITT.items()],
        section("Texter per insats", html.P(
            "Kansliets bedömning av en insats skrivs på insatsens sida och står i PM:et (under "
            "Tabell 2, eller under Avslutade insatser) och på insatsens bild i presentationen.",
            className="small text-body-secondary mb-1"), insatser),
    ], className="container-fluid py-2 ik-pm")


def _siffror(con, scope, state) -> list:
    """The PM's generated Sammanfattning: what the kansli writes its texts beside."""
    try:
        return [html.P(s) for s in rapport.sammanfattning(con, scope, state)]
    except EjPublicerad as e:
        return [html.P(str(e))]
