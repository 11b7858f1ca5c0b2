"""Översikt (start page, made for a projector): key figures for the chosen period, every
insats with its goal and budget light (red and yellow first, with the styrgrupp's comment),
and what changed since the quarter before."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from .. import codes, fmt, nyckeltal, tables
from ..components.lampa import lampa, lampa_card, legend
from ..components.sida import heading, insats_href, insats_links, render_page, section
from ..components.tabell import tabell

PAGE = "oversikt"
dash.register_page(__name__, path="/", name="Översikt", title="Översikt – Insatskollen", order=0)


def layout(**query):
    return render_page(render, query)


def kpi(id_: str, value: str, label: str, sub: str | None = None) -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        html.Div(value, className="kpi-value", id=f"{PAGE}-{id_}"),
        html.Div(label, className="kpi-label"),
        html.Div(sub, className="small text-body-secondary", id=f"{PAGE}-{id_}-detalj")
        if sub else None,
    ]), className="kpi-card h-100")


def render(con, scope, state):
    f = state.filters()
    k = nyckeltal.oversikt(con, scope, f)
    lights = [
        dbc.Col(lampa_card(PAGE, key, k["lampor"][key], text), xs=12, sm=4, className="mb-3")
        for key, text in [("gron", "i fas"), ("gul", "under uppsikt"), ("rod", "behöver åtgärd")]
    ]
    typer = codes.labels("typ")
    ins = k["insatser"]
    b, d = k["budget"], k["deltagare"]
    share = k["andel_arbete_studier"]
    figures = [
        kpi("pagaende", fmt.heltal(sum(v["pagaende"] for v in ins.values())),
            "insatser pågår vid periodens slut",
            ", ".join(f"{typer[t].split()[0].lower()} {v['pagaende']}" for t, v in ins.items())),
        kpi("startade-avslutade",
            f"{sum(v['startad'] for v in ins.values())} / "
            f"{sum(v['avslutad'] for v in ins.values())}",
            "insatser startade / avslutade under perioden"),
        dbc.Card(dbc.CardBody([
            html.Div(fmt.procent(b["forbrukningskvot"]), className="kpi-value",
                     id=f"{PAGE}-forbrukning"),
            html.Div(["förbrukat hittills i år ", lampa(b["lampa"])], className="kpi-label"),
            html.Div(f"{fmt.tkr(b['ack_utfall_tkr'])} av {fmt.tkr(b['ack_budget_tkr'])}",
                     className="small text-body-secondary", id=f"{PAGE}-forbrukning-detalj"),
        ]), className="kpi-card h-100"),
        kpi("arbete-studier", fmt.procent(share), "av de avslutade gick till arbete/studier",
            f"{fmt.heltal(d['till_arbete_studier'])} av {fmt.heltal(d['avslutade_period'])}"
            " avslutade deltagare"),
        kpi("deltagare", fmt.heltal(d["deltagare_period"]), "deltagare under perioden",
            f"{fmt.heltal(d['pagaende'])} pågående vid periodens slut"),
        kpi("anonyma", f"{fmt.heltal(d['anonyma'])} / {fmt.heltal(d['volym'])}",
            "anonyma deltagare / nådda i volym"),
    ]
    alla = tables.insatser_lampor(con, scope, state)
    links = insats_links(alla.df["insats_id"], state)
    watch = alla.df[alla.df["lampa"].isin(["rod", "gul"])]
    changes = tables.andringar(con, scope, state)
    return html.Main([
        html.Div([
            html.A("Presentera", href=f"/presentation{state.query()}", id=f"{PAGE}-presentera",
                   className="btn btn-outline-secondary btn-sm",
                   title="Helskärmsläge för styrelsemötet (piltangenter, Esc)"),
            html.Button("Skapa PM (PDF)", id=f"{PAGE}-pm", type="button",
                        className="btn btn-outline-secondary btn-sm",
                        title="Uppföljnings-PM för perioden och filtret, som PDF"),
            dcc.Loading(dcc.Download(id=f"{PAGE}-pm-fil"), type="circle"),
        ], className="float-end d-print-none d-flex gap-2 align-items-center"),
        heading(PAGE, "Översikt", con, state),
        legend(PAGE),
        dbc.Row(lights),
        html.P(f"{k['lampor']['saknas']} insatser saknar kvartalsrapport för kvartalet.",
               id=f"{PAGE}-saknas", className="text-body-secondary")
        if k["lampor"]["saknas"] else None,
        dbc.Row([dbc.Col(c, xs=12, sm=6, lg=4, xl=2, className="mb-3") for c in figures]),
        dbc.Row([
            dbc.Col(section("Röda och gula insatser",
                            attention_list(watch, state) if len(watch) else
                            html.P("Alla insatser är i fas.", id=f"{PAGE}-alla-i-fas")),
                    lg=6),
            dbc.Col(section(changes.rubrik, tabell(changes, PAGE)
                            if len(changes.df) else
                            html.P("Inga ändringar sedan förra kvartalet.",
                                   id=f"{PAGE}-inga-andringar")), lg=6),
        ]),
        section(alla.rubrik, tabell(alla, PAGE, links=links)),
        html.P("Deltagare räknas per insats (en person i två insatser räknas i båda). "
               + tables.sma_tal_text(), className="small text-body-secondary"),
    ], className="container-fluid py-2")


def attention_list(df, state) -> dbc.ListGroup:
    """Red first, then yellow; each with the styrgrupp's comment. Text is passed as text
    (React escapes it), never as HTML."""
    items = []
    for row in df.itertuples():
        comment = row.kommentar if isinstance(row.kommentar, str) and row.kommentar else \
            "Ingen kommentar från styrgruppen."
        items.append(dbc.ListGroupItem([
            html.Div([lampa(row.lampa), " ",
                      html.A(html.Strong(row.kortnamn), href=insats_href(row.insats_id, state))]),
            html.Div(comment, className="text-body-secondary small"),
        ], id={"type": f"{PAGE}-insats", "id": row.insats_id}))
    return dbc.ListGroup(items, id=f"{PAGE}-att-folja-upp")


@callback(
    Output(f"{PAGE}-pm-fil", "data"),
    Input(f"{PAGE}-pm", "n_clicks"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def make_pm(clicks, search):
    """The PM for this page's filters, with the viewer's own scope; written to the audit log."""
    if not clicks:
        return dash.no_update
    from .. import audit, rapport, urlstate, views, web_auth
    from ..session import database, viewer_scope

    scope = viewer_scope()
    state = urlstate.parse(search or "")
    con = database()
    _, f = views.resolve(con, state.filters())
    pdf = rapport.build_pdf(con, scope, state)
    user = web_auth.current_user()
    audit.log("rapport", anvandare=user.username if user else None, filter=search or "",
              osupprimerad=not scope.suppress)
    return dcc.send_bytes(pdf, f"uppfoljning-{f.fran}_{f.till}.pdf")
