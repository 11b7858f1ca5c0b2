"""Dataladdning (kansli only): upload a quarter's extract, see every problem or a preview
of what changes, store it on confirmation; the load history, and making an earlier load of
a quarter current again. The logic is ``dashboard.laddning``; this page lays out and wires.

The upload is kept in the request (``upload``: the role, then the files staged); checking it
(``kontrollera``) and storing it (``las_in``) read and validate the whole extract, which for
a large one takes longer than a request should, so they run as Dash background callbacks
(``dashboard.bakgrund``): the page shows each step as it begins and stays usable, and the
check can be cancelled. A job has no request of its own: it checks the role of the user who
started it (``bakgrund.anvandare``), reads the database on a connection of its own
(``laddning.own_reader``), and answers every failure with a Swedish message."""

from __future__ import annotations

import base64
import contextlib
import json
import time
from pathlib import PurePath

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from .. import audit, bakgrund, codes, config, fmt, ingest, laddning, schema, tables, web_auth
from ..begaran import database
from ..components.tabell import scrollbar, tabell

PAGE = "dataladdning"
dash.register_page(__name__, path="/dataladdning", name="Dataladdning",
                   title="Dataladdning – Insatskollen", order=8)


def _lampa(value) -> str:
    return "ny i uttaget" if value == "ny" else codes.lampa_text(value)


def _kansli() -> str | None:
    user = web_auth.kansli()
    return user.username if user else None


def _kansli_i_jobb() -> str | None:
    """In a background job: the kansli who started it, else None (the role was looked up in
    the request that started the job)."""
    user = bakgrund.anvandare()
    return user.username if user is not None and user.role == "kansli" else None


EJ_BEHORIG = "Bara kansliet kan läsa in uttag."
# the steps the kansli sees (laddning.STEG's words), for a check and for a load
MOTTA = "Tar emot filerna…"
KONTROLL = ["lasa", "kontrollera", "jamfora"]
INLASNING = ["lasa", "kontrollera", "spara", "skydd"]


def steg(keys: list[str], current: int, first: str | None = None) -> html.Ol:
    """The steps of a job, those done ticked, the current one bold with a spinner; past the
    last step, "Klart"."""
    texts = ([first] if first else []) + [laddning.STEG[k] for k in keys]
    items = []
    for i, text in enumerate(texts):
        if i < current:
            items.append(html.Li([html.Span("✓ ", **{"aria-hidden": "true"}), text.rstrip("…"),
                                  html.Span(" (klart)", className="visually-hidden")],
                                 className="text-body-secondary"))
        elif i == current:
            items.append(html.Li([html.Span(className="spinner-border spinner-border-sm me-2",
                                            **{"aria-hidden": "true"}),
                                  html.Strong(text)], **{"aria-current": "step"}))
        else:
            items.append(html.Li([html.Span("○ ", **{"aria-hidden": "true"}), text.rstrip("…")],
                                 className="text-body-secondary"))
    if current >= len(texts):
        items.append(html.Li(html.Strong("Klart"), **{"aria-current": "step"}))
    return html.Ol(items, className="list-unstyled mb-2")


def _progress(set_progress, keys: list[str], first: str | None = None):
    """on_step for laddning: each step as it begins, to the page's step list."""
    offset = 1 if first else 0

    def on_step(key: str) -> None:
        if key in keys:
            set_progress(steg(keys, keys.index(key) + offset, first))

    return on_step


def layout(**_query):
    if _kansli() is None:
        return html.Main([html.H1("Dataladdning", className="h3"),
                          dbc.Alert(EJ_BEHORIG, color="warning",
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
        # the staged upload waiting for its check; the checked one waiting for Läs in; the one
        # whose load was asked for
        dcc.Store(id=f"{PAGE}-mottaget"),
        dcc.Store(id=f"{PAGE}-token"),
        dcc.Store(id=f"{PAGE}-begard"),
        # what a job is doing, shown while it runs (the callbacks' running= and progress=)
        html.Div([
            html.H2("Pågår", className="visually-hidden"),
            html.Div(id=f"{PAGE}-steg", role="status"),
            html.Button("Avbryt kontrollen", id=f"{PAGE}-avbryt-kontroll", type="button",
                        className="d-none"),
        ], id=f"{PAGE}-forlopp", className="d-none"),
        html.Div(id=f"{PAGE}-resultat"),
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


def history_table(con=None) -> html.Div:
    """Every load; ``con`` a connection of the caller's own (a job's), else this request's."""
    df = laddning.history(database() if con is None else con)
    rows = []
    for r in df.itertuples():
        counts = json.loads(r.row_counts) if isinstance(r.row_counts, str) else {}
        sums = json.loads(r.checksums) if isinstance(r.checksums, str) else {}
        rows.append(html.Tr([
            html.Th(fmt.kvartal(r.period), scope="row"),
            html.Td(f"{r.loaded_at:%Y-%m-%d %H:%M}", className="text-nowrap"),
            html.Td(r.loaded_by or "–"),
            html.Td(html.Span(kalla(r.source, r.period), title=r.source)),
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


def kalla(source: str, period: str) -> str:
    """The file or folder's own name (the whole path on hover); a folder named after its
    quarter ("2022-Q4", as the demo's are) says "mapp": the quarter is written once, in
    words, in its own column."""
    name = PurePath(source).name or source
    return "mapp" if name == period else name


def _files(contents, names) -> list[tuple[str, bytes]]:
    out = []
    for content, name in zip(contents or [], names or []):
        out.append((name, base64.b64decode(content.split(",", 1)[1])))
    return out


FORLOPP = "border rounded p-3 mb-3"  # the step list, while a job runs
AVBRYT_KONTROLL = "btn btn-outline-secondary btn-sm"


def _error(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="danger", id=f"{PAGE}-fel")


def _fel(exc: Exception, user: str) -> dbc.Alert:
    """A failed upload or check, logged and told to the kansli: our own errors say it
    themselves; anything else (the environment) is ``ingest.fel_text``, never a traceback."""
    if isinstance(exc, (laddning.UploadError, laddning.LoadFailed)):
        message = str(exc)
    else:
        message = ingest.fel_text(exc)
    audit.log_quietly("inlasning_fel", anvandare=user, kalla="webb", fel=message)
    return _error(message)


def _klart(start: float, what: str) -> html.P:
    """'Klart', and how long it took: ``what`` holds {s}, the seconds."""
    seconds = fmt.heltal(max(1, round(time.monotonic() - start)))
    return html.P("Klart: " + what.format(s=seconds) + ".",
                  className="small text-body-secondary mb-2", id=f"{PAGE}-klart")


@callback(
    Output(f"{PAGE}-resultat", "children"),
    Output(f"{PAGE}-token", "data"),
    Output(f"{PAGE}-mottaget", "data"),
    Input(f"{PAGE}-upload", "contents"),
    State(f"{PAGE}-upload", "filename"),
    running=[(Output(f"{PAGE}-forlopp", "className"), FORLOPP, "d-none"),
             (Output(f"{PAGE}-steg", "children"), steg(KONTROLL, 0, MOTTA), None)],
    prevent_initial_call=True,
)
def upload(contents, names):
    """The files are received in the request (the role first); their check is a job."""
    user = _kansli()
    if user is None:
        return dbc.Alert(EJ_BEHORIG, color="warning"), None, no_update
    if not contents:
        return no_update, no_update, no_update
    try:
        token = laddning.stage(_files(contents, names), user)
    except Exception as exc:  # noqa: BLE001  never a traceback: a message
        return _fel(exc, user), None, no_update
    return None, None, token  # a new token starts ``kontrollera``


@callback(
    Output(f"{PAGE}-resultat", "children", allow_duplicate=True),
    Output(f"{PAGE}-token", "data", allow_duplicate=True),
    Input(f"{PAGE}-mottaget", "data"),
    background=True,
    interval=500,
    progress=Output(f"{PAGE}-steg", "children"),
    running=[(Output(f"{PAGE}-forlopp", "className"), FORLOPP, "d-none"),
             (Output(f"{PAGE}-steg", "children"), steg(KONTROLL, 1, MOTTA), None),
             (Output(f"{PAGE}-avbryt-kontroll", "className"), AVBRYT_KONTROLL, "d-none"),
             (Output(f"{PAGE}-upload", "disabled"), True, False)],
    cancel=[Input(f"{PAGE}-avbryt-kontroll", "n_clicks")],
    prevent_initial_call=True,
)
def kontrollera(set_progress, token):
    """Check the staged upload off the request (a background job)."""
    if not token:
        return no_update, no_update
    return check_job(set_progress, token, _kansli_i_jobb())


def check_job(set_progress, token: str, user: str | None):
    """Validate the staged upload as the CLI does and show every problem (the upload is
    then discarded) or what loading it would change (it waits for Läs in); each step as it
    begins to ``set_progress``. -> (result, the token Läs in will store, or None)."""
    if user is None:
        return dbc.Alert(EJ_BEHORIG, color="warning"), None
    start = time.monotonic()
    try:
        with laddning.own_reader() as con:
            p = laddning.preview(con, laddning.staged_path(token, user),
                                 _progress(set_progress, KONTROLL, MOTTA))
        set_progress(steg(KONTROLL, len(KONTROLL) + 1, MOTTA))
        if p.clean:
            return [_klart(start, "uttaget kontrollerades på {s} s"), preview_view(p)], token
        laddning.discard(token, user)
        audit.log("inlasning_avvisad", anvandare=user, kalla="webb", problem=len(p.problems))
        return [_klart(start, "uttaget kontrollerades på {s} s"), problems_view(p)], None
    except Exception as exc:  # noqa: BLE001  never a traceback: a message
        _discard(token, user)
        return _fel(exc, user), None


def _discard(token: str, user: str) -> None:
    """The upload removed from staging, if it is still there and this user's."""
    with contextlib.suppress(laddning.UploadError):  # not this user's, or gone already
        laddning.discard(token, user)


@callback(
    Output(f"{PAGE}-resultat", "children", allow_duplicate=True),
    Input(f"{PAGE}-avbryt-kontroll", "n_clicks"),
    State(f"{PAGE}-mottaget", "data"),
    prevent_initial_call=True,
)
def avbryt_kontroll(clicks, token):
    """The check cancelled (Dash ends its job): the upload is discarded."""
    user = _kansli()
    if user is None or not clicks or not token:
        return no_update
    _discard(token, user)
    return dbc.Alert("Kontrollen avbröts; ingenting sparades.", color="secondary",
                     id=f"{PAGE}-avbrutet")


@callback(
    Output(f"{PAGE}-resultat", "children", allow_duplicate=True),
    Output(f"{PAGE}-token", "data", allow_duplicate=True),
    Input(f"{PAGE}-avbryt", "n_clicks"),
    State(f"{PAGE}-token", "data"),
    prevent_initial_call=True,
)
def avbryt(clicks, token):
    """The checked upload is not wanted: discarded, nothing stored."""
    user = _kansli()
    if user is None or not token or not clicks:
        return no_update, no_update
    _discard(token, user)
    return dbc.Alert("Avbrutet; ingenting sparades.", color="secondary"), None


@callback(
    Output(f"{PAGE}-begard", "data"),
    Input(f"{PAGE}-las-in", "n_clicks"),
    State(f"{PAGE}-token", "data"),
    prevent_initial_call=True,
)
def begar(clicks, token):
    """Läs in pressed: the load starts (a job). Dash calls this also when the button appears
    (its output was already on the page), so a job is never started for nothing."""
    if not clicks or not token or _kansli() is None:
        return no_update
    return token


@callback(
    Output(f"{PAGE}-resultat", "children", allow_duplicate=True),
    Output(f"{PAGE}-token", "data", allow_duplicate=True),
    Output(f"{PAGE}-historik", "children", allow_duplicate=True),
    Input(f"{PAGE}-begard", "data"),
    background=True,
    interval=500,
    progress=Output(f"{PAGE}-steg", "children"),
    running=[(Output(f"{PAGE}-forlopp", "className"), FORLOPP, "d-none"),
             (Output(f"{PAGE}-steg", "children"), steg(INLASNING, 0), None),
             (Output(f"{PAGE}-las-in", "disabled"), True, False),
             (Output(f"{PAGE}-avbryt", "disabled"), True, False),
             (Output(f"{PAGE}-upload", "disabled"), True, False)],
    prevent_initial_call=True,
)
def las_in(set_progress, token):
    """Store the checked upload off the request (a background job)."""
    if not token:
        return no_update, no_update, no_update
    return load_job(set_progress, token, _kansli_i_jobb())


def load_job(set_progress, token: str, user: str | None):
    """Store the checked upload (the CLI's load: validated again, one transaction, swapped in
    whole), each step as it begins to ``set_progress``. -> (result, token, history)."""
    if user is None:
        return dbc.Alert(EJ_BEHORIG, color="warning"), None, no_update
    start = time.monotonic()
    try:
        result = laddning.confirm(token, user, _progress(set_progress, INLASNING))
    except laddning.UploadError as exc:
        return _error(str(exc)), None, no_update
    except ingest.ExtractRejected as exc:
        return _error(f"Uttaget avvisades ({len(exc.problems)} problem); ingenting ändrades. "
                      "Ladda upp det igen för att se problemen."), None, no_update
    except laddning.LoadFailed as exc:
        return _error(f"Inläsningen misslyckades; ingenting ändrades: {exc}."), None, no_update
    except Exception as exc:  # noqa: BLE001  never a traceback: a message
        audit.log_quietly("inlasning_fel", anvandare=user, kalla="webb", fel=ingest.fel_text(exc))
        return _error(f"Inläsningen misslyckades; ingenting ändrades: {ingest.fel_text(exc)}."), \
            None, no_update
    done = [_klart(start, "inläsningen tog {s} s"),
            dbc.Alert(f"{fmt.kvartal(result.period)} är inläst "
                      f"({fmt.heltal(sum(result.row_counts.values()))} rader).",
                      color="success", id=f"{PAGE}-inlast")]
    try:
        with laddning.own_reader() as con:
            return done, None, history_table(con)
    except Exception:  # noqa: BLE001  stored: the list shows on the next visit
        return done, None, no_update


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
