"""The "Skapa PM (PDF)" button, on any page: the PM for the URL's filters with the viewer's
own scope (``rapport``), written to the audit log. One callback serves every page."""

from __future__ import annotations

from dash import MATCH, Input, Output, State, callback, dcc, html, no_update


def pm_knapp(page: str) -> html.Div:
    return html.Div([
        html.Button("Skapa PM (PDF)", id={"type": "skapa-pm", "sida": page}, type="button",
                    className="btn btn-outline-secondary btn-sm",
                    title="Uppföljnings-PM för perioden och filtret, som PDF"),
        dcc.Loading(dcc.Download(id={"type": "skapa-pm-fil", "sida": page}), type="circle"),
    ], className="d-inline-flex gap-2 align-items-center", id=f"{page}-pm")


@callback(
    Output({"type": "skapa-pm-fil", "sida": MATCH}, "data"),
    Input({"type": "skapa-pm", "sida": MATCH}, "n_clicks"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
def make_pm(clicks, search):
    if not clicks:
        return no_update
    from .. import audit, rapport, urlstate, views, web_auth
    from ..begaran import database, viewer_scope
    from ..components.sida import filnamn_urval, urval_text

    scope = viewer_scope()
    state = urlstate.parse(search or "")
    con = database()
    _, f = views.resolve(con, state.filters())
    pdf = rapport.build_pdf(con, scope, state, kansli=web_auth.kansli() is not None)
    user = web_auth.current_user()
    # the period, and the kommuner when the PM is about some (a LOKUS group's, the chosen)
    name = f"uppfoljning-{f.fran}_{f.till}{filnamn_urval(urval_text(scope, state))}.pdf"
    audit.log("rapport", anvandare=user.username if user else None, filter=search or "",
              osupprimerad=not scope.suppress, fil=name)
    return dcc.send_bytes(pdf, name)
