"""The "Slutrapport (PDF)" button on an ended insats's page: its slutrapport (``slutrapport``)
with the viewer's own scope, written to the audit log. One callback serves every insats."""

from __future__ import annotations

from dash import MATCH, Input, Output, State, callback, dcc, html, no_update

PAGE = "insats"


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


@callback(
    Output({"type": "slutrapport-fil", "insats": MATCH}, "data"),
    Input({"type": "slutrapport-pdf", "insats": MATCH}, "n_clicks"),
    State({"type": "slutrapport-pdf", "insats": MATCH}, "id"),
    prevent_initial_call=True,
)
def make_pdf(clicks, key):
    if not clicks:
        return no_update
    from .. import audit, slutrapport, web_auth
    from ..begaran import database, viewer_scope

    scope = viewer_scope()
    insats_id = key["insats"]
    pdf = slutrapport.build_pdf(database(), scope, insats_id,
                                kansli=web_auth.kansli() is not None)
    user = web_auth.current_user()
    name = f"slutrapport-{insats_id.replace(':', '-')}.pdf"
    audit.log("slutrapport", anvandare=user.username if user else None, insats=insats_id,
              osupprimerad=not scope.suppress, fil=name)
    return dcc.send_bytes(pdf, name)
