"""Dataladdning (kansli only): upload a quarter's extract, see every problem or a preview
of what changes, store it on confirmation; the load history, and making an earlier load of
a quarter current again. The logic is ``dashboard.laddning``; this page lays out and wires."""

from __future__ import annotations

import base64
import json
from pathlib import PurePath

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from .. import audit, codes, config, fmt, ingest, laddning, schema, tables, web_auth
from ..components.tabell import scrollbar, tabell
from ..session import database

PAGE = "dataladdning"
dash.register_page(__name__, path="/dataladdning", name="Dataladdning",
                   title="Dataladdning – Insatskollen", order=8)


def _lampa(value) -> str:
    return "ny i uttaget" if value == "ny" else codes.lampa_text(value)


def _kansli() -> str | None:
    user = web_auth.kansli()
    return user.username if user else None


def layout(**_query):
    if _kansli() is None:
        return html.Main([html.H1("Dataladdning", className="h3"),
                          dbc.Alert("Bara kansliet kan läsa in uttag.", color="warning",
                                    id=f"{PAGE}-ej-behorig")], className="container-fluid py-3")
    return html.Main([
        html.H1("Dataladdning", className="h3 mb-2", id=f"{PAGE}-rubrik"),
        html.P("Välj kvartalets uttag: alla CSV-filer i mappen, en .zip eller en .xlsx. Filerna "
               "kontrolleras på samma sätt som på kommandoraden; ingenting sparas förrän du har "
               "sett förhandsvisningen och tryckt på Läs in.", className="text-body-secondary"),
        # the label names the upload's file input for screen readers
        html.Label([html.Span("Uttagets filer", className="visually-hidden"), dcc.Upload(
            html.Div(["Dra hit filerna eller ", html.Span("välj filer",
                                                          className="text-decoration-underline")]),
            id=f"{PAGE}-upload", multiple=True, max_size=config.get().limits.fil_mb * 1024 * 1024,
            className="ik-upload mb-3")], className="d-block"),
        dcc.Store(id=f"{PAGE}-token"),
        dcc.Loading(html.Div(id=f"{PAGE}-resultat"), type="default"),
        html.H2("Inläsningar", className="h5 mt-4"),
        html.Div(history_table(), id=f"{PAGE}-historik"),
    ], className="container-fluid py-2")


def problems_view(p: laddning.Preview) -> html.Div:
    t = tables.Tabell("problem", f"{len(p.problems)} problem", p.problems, [
        tables.Kolumn("fil", "Fil"), tables.Kolumn("rad", "Rad", "heltal"),
        tables.Kolumn("kolumn", "Kolumn"),
        tables.Kolumn("problem", "Vad som förväntades"), tables.Kolumn("varde", "Värde i filen")])
    return html.Div([
        dbc.Alert(f"Uttaget kan inte läsas in: {len(p.problems)} problem. Rätta filerna och "
                  "välj dem igen. Ingenting har sparats.", color="danger", id=f"{PAGE}-avvisat"),
        tabell(t, PAGE, download=False),
    ])


def preview_view(p: laddning.Preview) -> html.Div:
    """What loading the extract would change, with the decision at the top."""
    lamp = p.lampor.assign(fore=p.lampor["fore"].map(_lampa), nu=p.lampor["nu"].map(_lampa))
    falt = {c.name: c.label.replace(" (tkr)", "") for c in schema.FILES["budget"]}
    bud = p.budget.assign(falt=p.budget["falt"].map(lambda f: falt.get(f, f)))
    kvartal = fmt.kvartal(p.period)
    facts = [
        f"Period: {kvartal}"
        + (" (ersätter den tidigare inläsningen av kvartalet)" if p.ersatter else ""),
        "Rader per fil: " + ", ".join(f"{k}.csv {fmt.heltal(n)}" for k, n in p.rader.items()),
        "Nya insatser: " + (", ".join(p.nya_insatser) or "inga"),
        f"Deltagare: {fmt.heltal(p.deltagare_nya)} nya, {fmt.heltal(p.deltagare_avslutade)} "
        "har avslutats sedan förra inläsningen",
    ]
    return html.Div([
        dbc.Alert([
            html.P(f"Uttaget för {kvartal} är felfritt. Kontrollera ändringarna nedan och läs "
                   "sedan in det: då visar alla sidor det nya kvartalet.", className="mb-2"),
            html.Button(f"Läs in {kvartal}", id=f"{PAGE}-las-in", type="button",
                        className="btn btn-primary me-2"),
            html.Button("Avbryt", id=f"{PAGE}-avbryt", type="button",
                        className="btn btn-outline-secondary"),
        ], color="success", id=f"{PAGE}-felfritt"),
        html.Ul([html.Li(x) for x in facts], id=f"{PAGE}-fakta"),
        html.H3("Lampor som ändras", className="h6"),
        tabell(tables.Tabell("lampor_andras", "Lampor som ändras", lamp, [
            tables.Kolumn("kortnamn", "Insats"), tables.Kolumn("period", "Kvartal", "kvartal"),
            tables.Kolumn("fore", "Före"), tables.Kolumn("nu", "Nu")]), PAGE, download=False,
            empty="Inga lampor ändras."),
        html.H3("Budgetrader som skiljer sig", className="h6"),
        tabell(tables.Tabell("budget_andras", "Budgetrader som skiljer sig", bud, [
            tables.Kolumn("kortnamn", "Insats"), tables.Kolumn("period", "Kvartal", "kvartal"),
            tables.Kolumn("falt", "Fält"), tables.Kolumn("fore", "Före (tkr)", "heltal"),
            tables.Kolumn("nu", "Nu (tkr)", "heltal")]), PAGE, download=False,
            empty="Inga budgetrader skiljer sig."),
    ])


def history_table() -> html.Div:
    df = laddning.history(database())
    rows = []
    for r in df.itertuples():
        counts = json.loads(r.row_counts) if isinstance(r.row_counts, str) else {}
        sums = json.loads(r.checksums) if isinstance(r.checksums, str) else {}
        rows.append(html.Tr([
            html.Th(fmt.kvartal(r.period), scope="row"),
            html.Td(f"{r.loaded_at:%Y-%m-%d %H:%M}", className="text-nowrap"),
            html.Td(r.loaded_by or "–"),
            # the file or folder's own name; the whole path on hover
            html.Td(html.Span(PurePath(r.source).name or r.source, title=r.source)),
            html.Td(fmt.heltal(sum(counts.values())), className="text-end"),
            html.Td(html.Span(", ".join(f"{k[:12]} {v[:8]}" for k, v in list(sums.items())[:3]),
                              title="\n".join(f"{k}: {v}" for k, v in sums.items())),
                    className="small text-break"),
            html.Td("Aktuell" if r.aktuell else html.Button(
                "Gör aktuell", type="button", className="btn btn-outline-secondary btn-sm",
                id={"type": f"{PAGE}-aktivera", "load": int(r.load_id)})),
        ]))
    return scrollbar(dbc.Table([
        html.Thead(html.Tr([html.Th(h, scope="col") for h in (
            "Kvartal", "Inläst", "Av", "Källa", "Rader", "Kontrollsummor (sha256)",
            "Status")])),
        html.Tbody(rows)], size="sm", striped=True, id=f"{PAGE}-inlasningar",
        className="ik-tabell"), "Inläsningar")


def _files(contents, names) -> list[tuple[str, bytes]]:
    out = []
    for content, name in zip(contents or [], names or []):
        out.append((name, base64.b64decode(content.split(",", 1)[1])))
    return out


@callback(
    Output(f"{PAGE}-resultat", "children"),
    Output(f"{PAGE}-token", "data"),
    Output(f"{PAGE}-historik", "children"),
    Input(f"{PAGE}-upload", "contents"),
    State(f"{PAGE}-upload", "filename"),
    prevent_initial_call=True,
)
def upload(contents, names):
    user = _kansli()
    if user is None:
        return dbc.Alert("Bara kansliet kan läsa in uttag.", color="warning"), None, no_update
    if not contents:
        return no_update, no_update, no_update
    token = None
    try:
        token = laddning.stage(_files(contents, names), user)
        p = laddning.preview(database(), laddning.staged_path(token, user))
    except (laddning.UploadError, laddning.LoadFailed) as exc:
        if token:
            laddning.discard(token, user)
        audit.log_quietly("inlasning_fel", anvandare=user, kalla="webb", fel=str(exc))
        return dbc.Alert(str(exc), color="danger", id=f"{PAGE}-fel"), None, no_update
    if not p.clean:
        laddning.discard(token, user)
        audit.log("inlasning_avvisad", anvandare=user, kalla="webb", problem=len(p.problems))
        return problems_view(p), None, no_update
    return preview_view(p), token, no_update


@callback(
    Output(f"{PAGE}-resultat", "children", allow_duplicate=True),
    Output(f"{PAGE}-token", "data", allow_duplicate=True),
    Output(f"{PAGE}-historik", "children", allow_duplicate=True),
    Input(f"{PAGE}-las-in", "n_clicks"),
    Input(f"{PAGE}-avbryt", "n_clicks"),
    State(f"{PAGE}-token", "data"),
    prevent_initial_call=True,
)
def decide(load_clicks, cancel_clicks, token):
    user = _kansli()
    if user is None or not token or not (load_clicks or cancel_clicks):
        return no_update, no_update, no_update
    if ctx.triggered_id == f"{PAGE}-avbryt":
        laddning.discard(token, user)
        return dbc.Alert("Avbrutet; ingenting sparades.", color="secondary"), None, no_update
    try:
        result = laddning.confirm(token, user)
    except laddning.UploadError as exc:
        return dbc.Alert(str(exc), color="danger", id=f"{PAGE}-fel"), None, no_update
    except ingest.ExtractRejected as exc:
        return dbc.Alert(f"Uttaget avvisades ({len(exc.problems)} problem); ingenting ändrades. "
                         "Ladda upp det igen för att se problemen.", color="danger",
                         id=f"{PAGE}-fel"), None, no_update
    except laddning.LoadFailed as exc:
        return dbc.Alert(f"Inläsningen misslyckades; ingenting ändrades: {exc}.",
                         color="danger", id=f"{PAGE}-fel"), None, no_update
    return (dbc.Alert(f"{fmt.kvartal(result.period)} är inläst "
                      f"({fmt.heltal(sum(result.row_counts.values()))} rader).",
                      color="success", id=f"{PAGE}-inlast"), None, history_table())


@callback(
    Output(f"{PAGE}-historik", "children", allow_duplicate=True),
    Output(f"{PAGE}-resultat", "children", allow_duplicate=True),
    Input({"type": f"{PAGE}-aktivera", "load": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def activate(_clicks):
    user = _kansli()
    if user is None or not ctx.triggered or not ctx.triggered[0].get("value"):
        return no_update, no_update
    try:
        period = laddning.activate(ctx.triggered_id["load"], user)
    except (laddning.UploadError, laddning.LoadFailed) as exc:
        return no_update, dbc.Alert(str(exc), color="danger", id=f"{PAGE}-fel")
    return history_table(), dbc.Alert(
        f"Inläsning {ctx.triggered_id['load']} av {fmt.kvartal(period)} är aktuell igen.",
        color="success", id=f"{PAGE}-aktiverad")
