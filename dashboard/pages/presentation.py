"""Presentation mode for the board meeting: one view per slide (Översikt, each red or
yellow insats, budget, participants), large type, keyboard navigation
(assets/20-presentation.js), the filters of the URL kept."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from .. import codes, fmt, nyckeltal, tables
from ..components.lampa import lampa, lampa_card
from ..components.sida import period_text, render_page
from ..figures.budget import burn
from ..figures.deltagare import trend
from ..publicering import EjPublicerad

PAGE = "presentation"
dash.register_page(__name__, path="/presentation", name="Presentation",
                   title="Presentation – Insatskollen", order=8)


def layout(**query):
    return render_page(render, query)


def slide(n: int, title: str, *children) -> html.Section:
    return html.Section([html.H1(title)] + list(children), className="ik-slide",
                        hidden=n > 0, id=f"{PAGE}-bild-{n + 1}",
                        **{"aria-roledescription": "bild", "aria-label": title})


def big(value: str, label: str) -> dbc.Card:
    return dbc.Card(dbc.CardBody([html.Div(value, className="kpi-value"),
                                  html.Div(label, className="kpi-label")]), className="kpi-card h-100")


def render(con, scope, state):
    f = state.filters()
    period = period_text(con, state)
    k = nyckeltal.oversikt(con, scope, f)
    b, d = k["budget"], k["deltagare"]
    alla = tables.insatser_lampor(con, scope, state)
    watch = alla.df[alla.df["lampa"].isin(["rod", "gul"])]
    slides = [
        ("Översikt " + period, [
            dbc.Row([dbc.Col(lampa_card(PAGE, key, k["lampor"][key], text), width=4)
                     for key, text in [("gron", "i fas"), ("gul", "under uppsikt"),
                                       ("rod", "behöver åtgärd")]], className="mb-4"),
            dbc.Row([
                dbc.Col(big(fmt.procent(b["forbrukningskvot"]), "av årets budget förbrukad"), width=4),
                dbc.Col(big(fmt.procent(k["andel_arbete_studier"]),
                            f"till arbete/studier ({fmt.heltal(d['till_arbete_studier'])} av "
                            f"{fmt.heltal(d['avslutade_period'])})"), width=4),
                dbc.Col(big(fmt.heltal(d["deltagare_period"]), "deltagare under perioden"), width=4),
            ]),
        ]),
    ]
    for r in watch.itertuples():
        budget_light = r.budget_lampa if isinstance(r.budget_lampa, str) else None
        kvot = r.forbrukningskvot if isinstance(r.forbrukningskvot, float) else None
        slides.append((r.kortnamn, [
            html.P([lampa(r.lampa), " mål · budget ", lampa(budget_light), " ",
                    fmt.procent(kvot), " förbrukat i år"], className="fs-1"),
            html.P(f"{codes.labels('typ')[r.typ]} · {r.kommun_namn}", className="text-body-secondary"),
            html.Blockquote(r.kommentar or "Ingen kommentar från styrgruppen.",
                            className="ik-slide-kommentar"),
        ]))
    burn_t = tables.budget_kvartal(con, scope, state)
    fig = burn(burn_t.df, "")
    fig.update_layout(height=520, font={"size": 20})
    per_typ = tables.budget_typ(con, scope, state)
    slides.append(("Budget", [dbc.Row([
        dbc.Col(dcc.Graph(figure=fig, config={"displayModeBar": False, "staticPlot": True}), width=8),
        dbc.Col(html.Ul([html.Li(f"{r.typ_namn}: {fmt.procent(r.andel_budget)} av budgeten",
                                 className="mb-3") for r in per_typ.df.itertuples()],
                        className="fs-3 mt-5"), width=4),
    ])]))
    try:
        kv = tables.deltagare_kvartal(con, scope, state)
    except EjPublicerad as e:  # the other slides stand; this one says why it is empty
        slides.append(("Deltagare", [html.P(str(e), className="fs-3")]))
    else:
        tfig = trend(kv.df, "")
        tfig.update_layout(height=520, font={"size": 20})
        slides.append(("Deltagare", [
            html.P(f"{fmt.heltal(d['deltagare_period'])} deltagare under perioden, "
                   f"{fmt.heltal(d['avslutade_period'])} avslutade, varav "
                   f"{fmt.procent(k['andel_arbete_studier'])} till arbete eller studier.",
                   className="fs-2"),
            dcc.Graph(figure=tfig, config={"displayModeBar": False, "staticPlot": True}),
        ]))
    return html.Main([
        *[slide(n, title, *body) for n, (title, body) in enumerate(slides)],
        html.Div([html.Span("→ nästa · ← föregående · F helskärm · Esc avsluta"),
                  html.Span(f"1 / {len(slides)}", id=f"{PAGE}-raknare", **{"aria-live": "polite"})],
                 className="ik-slide-fot"),
    ], className="ik-presentation", id=f"{PAGE}-bilder")
