"""The kansli's own text about a PM section or an insats (``dashboard.texter``), as every page
shows it: its paragraphs, who wrote it and when, every earlier version; for the kansli a field
to write it in and a button that saves a new version. One callback saves for every page."""

from __future__ import annotations

from dash import MATCH, Input, Output, State, callback, dcc, html, no_update

from .. import db, fmt, texter


def _id(slag: str, kvartal: str, avsnitt: str, insats_id: str) -> dict:
    return {"type": f"kansli-text-{slag}", "kvartal": kvartal, "avsnitt": avsnitt,
            "insats": insats_id}


def _stycke(text: str) -> html.P:
    lines = text.split("\n")
    out: list = []
    for i, line in enumerate(lines):
        out += ([html.Br()] if i else []) + [line]
    return html.P(out)


def _meta(t: texter.Text) -> str:
    return f"{t.skriven_av}, {t.skriven:%Y-%m-%d %H:%M} · version {t.version}"


def visning(con, kvartal: str, avsnitt: str, insats_id: str = "") -> list:
    """The text's paragraphs and its history, or the placeholder when there is none."""
    return _visning(con, texter.aktuell(con, kvartal, avsnitt, insats_id), kvartal, avsnitt,
                    insats_id)


def _visning(con, nu: texter.Text | None, kvartal: str, avsnitt: str, insats_id: str) -> list:
    if nu is None:
        old = texter.historik(con, kvartal, avsnitt, insats_id)
        return [html.P(texter.saknas_text(kvartal, avsnitt), className="ik-text-saknas mb-1")] + (
            [_historik(old)] if old else [])
    out = [html.Div([_stycke(p) for p in nu.stycken], className="ik-text"),
           html.P("Skriven av " + _meta(nu), className="small text-body-secondary mb-1")]
    if nu.versioner > 1:
        out.append(_historik(texter.historik(con, kvartal, avsnitt, insats_id)[1:]))
    return out


def _historik(old: list[texter.Text]) -> html.Details:
    return html.Details([
        html.Summary(f"Tidigare versioner ({len(old)})", className="small"),
        html.Ol([html.Li([html.Div(_meta(t), className="small text-body-secondary"),
                          html.Div([_stycke(p) for p in t.stycken] if t.text
                                   else html.P("(texten togs bort)"), className="ik-text")])
                 for t in old], reversed=True, className="small"),
    ], className="mb-1")


def kansliets_text(con, kvartal: str, avsnitt: str, insats_id: str = "", *,
                   kan_skriva: bool, rubrik: str = "Kansliets bedömning",
                   id: str | None = None) -> html.Section:
    """The text with its heading; with ``kan_skriva`` (the kansli) the field to write it."""
    kvartal_id = texter.nyckel(kvartal, avsnitt, insats_id)[0]
    nu = texter.aktuell(con, kvartal_id, avsnitt, insats_id)
    parts = [html.H3(rubrik, className="h6 mt-2 mb-1"),
             html.Div(_visning(con, nu, kvartal_id, avsnitt, insats_id),
                      id=_id("visning", kvartal_id, avsnitt, insats_id))]
    if kan_skriva:
        label = f"Kansliets text ({fmt.kvartal(kvartal_id)})"
        parts.append(html.Details([
            html.Summary("Skriv eller ändra texten", className="small"),
            html.Label([  # the label around the field names it for screen readers
                html.Span(label, className="d-block small mt-2 mb-1"),
                dcc.Textarea(id=_id("falt", kvartal_id, avsnitt, insats_id),
                             value=nu.text if nu else "", maxLength=texter.MAX_TECKEN,
                             className="form-control", style={"minHeight": "8em"})],
                className="d-block"),
            html.Div([
                html.Button("Spara", id=_id("spara", kvartal_id, avsnitt, insats_id),
                            type="button", className="btn btn-primary btn-sm mt-2 me-2"),
                html.Span(id=_id("status", kvartal_id, avsnitt, insats_id), role="status",
                          className="small"),
            ]),
            html.P("Stycken skiljs åt av en tom rad. Varje sparning blir en ny version; de "
                   "tidigare finns kvar. Styrelsen och LOKUS-grupperna läser texten: skriv "
                   "inga antal personer under 5 och inget som pekar ut en deltagare.",
                   className="small text-body-secondary mt-1 mb-0"),
        ], className="ik-text-skriv"))
    kw = {"id": id} if id else {}
    return html.Section(parts, className="ik-kansli-text mb-3", **kw)


@callback(
    Output(_id("visning", MATCH, MATCH, MATCH), "children"),
    Output(_id("status", MATCH, MATCH, MATCH), "children"),
    Input(_id("spara", MATCH, MATCH, MATCH), "n_clicks"),
    State(_id("falt", MATCH, MATCH, MATCH), "value"),
    State(_id("spara", MATCH, MATCH, MATCH), "id"),
    prevent_initial_call=True,
)
def spara(clicks, value, key):
    """Save a new version, as the logged-in kansli user (checked here, on the server)."""
    from .. import web_auth
    from ..begaran import database

    if not clicks:
        return no_update, no_update
    user = web_auth.kansli()
    if user is None:
        return no_update, "Bara kansliet kan skriva texterna."
    k = (key["kvartal"], key["avsnitt"], key["insats"])
    try:
        version = texter.spara(*k, value or "", user.username)
    except texter.TextFel as e:
        return no_update, str(e)
    except db.Upptagen:
        return no_update, ("Ett uttag läses in just nu; texten är inte sparad. Försök igen om "
                           "en stund (det du skrev finns kvar i rutan).")
    status = "Ingen ändring att spara." if version is None else f"Sparad som version {version}."
    return visning(database(), *k), status
