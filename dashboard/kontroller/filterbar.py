"""The filter bar: period (with presets), kommun, typ, status. Its state lives in the URL.

One callback keeps the controls and the URL's query string in step both ways: a change of a
control (or a preset) writes the query string, which makes Dash Pages lay the page out again;
a changed URL (a bookmark, back/forward) sets the controls. A second callback carries the
query string into the navbar's links so the filters survive moving between pages.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, html, no_update

from .. import codes, fmt, periods, urlstate, urval, views
from ..begaran import database, viewer_scope
from ..components import sida

PAGE = "filter"
CONTROLS = ("fran", "till", "kommun", "typ", "status", "insats", "kon")
LOCATION = "_pages_location"


def insats_options(con, scope: urval.Scope) -> list[dict]:
    reg = views.insatser(con, scope, urval.Filter())
    return [{"label": r.kortnamn, "value": r.insats_id} for r in reg.itertuples()]


def filter_bar(con, scope: urval.Scope) -> html.Div:
    kvartal = views.perioder(con)
    period_options = [{"label": fmt.kvartal(p), "value": p} for p in reversed(kvartal)]
    kommuner = views.kommuner(con, scope)

    def labelled(key: str, label: str, control, extra: str = "") -> html.Div:
        return html.Div([dbc.Label(label, html_for=control.id, className="small mb-0"), control],
                        className=f"ik-f {extra}")

    def dropdown(key: str, options, multi: bool, placeholder: str):
        return sida.dropdown(id=f"{PAGE}-{key}", options=options, multi=multi, clearable=multi,
                             placeholder=placeholder)

    # closed by default (the projector's first screen is for the figures): a line that says
    # what is chosen opens it
    return html.Div([html.Div([
        html.Button("Filter", id=f"{PAGE}-visa", type="button",
                    className="btn btn-outline-secondary btn-sm ik-filter-visa",
                    **{"aria-controls": f"{PAGE}-collapse", "aria-expanded": "false"}),
        # the display mode (app.py sets its link and text per page)
        html.A("Projektorläge", id="visning-projektor", href="?visning=projektor",
               className="btn btn-outline-secondary btn-sm ms-auto text-nowrap",
               title="Stor text och hög kontrast för styrelsemötets projektor"),
    ], className="d-flex gap-2 align-items-start mb-2"),
                     dbc.Collapse(dbc.Card(dbc.CardBody(html.Div([
        labelled("fran", "Från", dropdown("fran", period_options, False, "Från"), "ik-f-period"),
        labelled("till", "Till", dropdown("till", period_options, False, "Till"), "ik-f-period"),
        html.Div([
            html.Div("Snabbval", className="small mb-0", id=f"{PAGE}-snabbval-rubrik"),
            html.Div([
                html.Button(text, id=f"{PAGE}-preset-{key}", type="button",
                            className="btn btn-outline-secondary btn-sm")
                for key, text in urlstate.PRESETS.items()
            ], className="d-flex flex-wrap gap-1", role="group",
                **{"aria-labelledby": f"{PAGE}-snabbval-rubrik"}),
        ], className="ik-f ik-f-presets"),
        labelled("kommun", "Kommun", dropdown("kommun", kommuner, True, scope_text(scope)),
                 "ik-f-kommun"),
        labelled("typ", "Typ", dropdown("typ", [{"label": lab, "value": c} for c, lab in codes.TYP],
                                        True, "Alla typer")),
        labelled("status", "Status", dropdown(
            "status", [{"label": lab, "value": c} for c, lab in urlstate.STATUS_LABELS.items()],
            True, "Alla")),
        labelled("insats", "Insats", dropdown("insats", insats_options(con, scope), True,
                                              "Alla insatser"), "ik-f-kommun"),
        labelled("kon", "Deltagarnas kön", dropdown(
            "kon", [{"label": lab, "value": c} for c, lab in codes.KON], True, "Alla")),
    ], className="ik-filter"), className="py-2"), className="mb-2"),
        id=f"{PAGE}-collapse", is_open=False)],
        className="container-fluid d-print-none", id=f"{PAGE}-rad", role="search",
        **{"aria-label": "Filter"})


def scope_text(scope: urval.Scope) -> str:  # the kommun control's "nothing chosen"
    """What "no kommun chosen" means for this viewer: all kommuner, or a LOKUS group's own."""
    return ", ".join(sorted(scope.kommuner)) if scope.kommuner else "Alla kommuner"


def summary(s: urval.Filter, latest: str, scope: urval.Scope | None = None) -> str:
    """The filter button: what is chosen, in a few words (a LOKUS group's kommun always)."""
    fran, till = s.fran or s.till or latest, s.till or latest
    parts = [fmt.kvartal(till) if fran == till else f"{fmt.kvartal(fran)} – {fmt.kvartal(till)}"]
    valt = sida.urval_text(scope or urval.Scope(), s)
    parts += [valt] if valt else []
    parts += [codes.labels("typ")[t] for t in s.typer]
    parts += [urlstate.STATUS_LABELS[x] for x in s.statuser]
    parts += [f"{len(s.insatser)} insats{'er' if len(s.insatser) > 1 else ''}"] if s.insatser else []
    parts += [codes.labels("kon")[k] for k in s.kon]
    return "Filter: " + " · ".join(parts)


@callback(
    Output(f"{PAGE}-collapse", "is_open"),
    Output(f"{PAGE}-visa", "aria-expanded"),
    Input(f"{PAGE}-visa", "n_clicks"),
    State(f"{PAGE}-collapse", "is_open"),
    prevent_initial_call=True,
)
def toggle(_clicks, is_open):
    return not is_open, "false" if is_open else "true"


def _preset_first(con, scope, state: urval.Filter, pathname: str | None) -> str:
    """Where 'Hela insatstiden' starts: the insats's start on its own page, else the
    earliest start among the insatser the filter selects; never before the first data."""
    insats = None
    if pathname and pathname.startswith("/insats/"):
        insats = (unquote(pathname[len("/insats/"):]),)
    reg = views.insatser(con, scope, replace_filters(state, insats))
    first_loaded = views.perioder(con)[0]
    if not len(reg):
        return first_loaded
    start = periods.label(periods.of_date(reg["startdatum"].min()))
    return max(start, first_loaded, key=periods.parse)


def replace_filters(state: urval.Filter, insatser) -> urval.Filter:
    f = state.filters(insatser)
    # the range does not matter for who started when; keep the status filter out of it
    return replace(f, fran=None, till=None, statuser=(), kon=(), indelning="")


@callback(
    Output(LOCATION, "search"),
    Output(f"{PAGE}-visa", "children"),
    *[Output(f"{PAGE}-{c}", "value") for c in CONTROLS],
    Input(LOCATION, "search"),
    Input(LOCATION, "pathname"),  # a page's own default period (urlstate.STANDARDPERIOD)
    *[Input(f"{PAGE}-{c}", "value") for c in CONTROLS],
    *[Input(f"{PAGE}-preset-{k}", "n_clicks") for k in urlstate.PRESETS],
)
def sync(search, pathname, fran, till, kommun, typ, status, insats, kon, *rest):
    con = database()
    latest = views.latest_period(con)
    trigger = ctx.triggered_id
    if trigger in (None, LOCATION):  # the URL leads: set the controls from it
        s = urlstate.with_standard(urlstate.parse(search or ""), pathname, latest)
        _, r = views.resolve(con, s.filters())  # the range the pages show: clamped to the data
        s = replace(s, fran=r.fran, till=r.till)
        return (no_update, summary(s, latest, viewer_scope()), s.fran, s.till,
                list(s.kommuner), list(s.typer), list(s.statuser), list(s.insatser),
                list(s.kon))
    if fran and till and periods.parse(fran) > periods.parse(till):
        # a range turned inside out: the control just moved wins, the other one follows
        fran, till = (fran, fran) if trigger == f"{PAGE}-fran" else (till, till)
    s = urlstate.parse({"fran": fran, "till": till, "kommun": kommun or [], "typ": typ or [],
                        "status": status or [], "insats": insats or [], "kon": kon or [],
                        # the page's own choices (Målgrupp's grouping, projector) stay
                        **{k: getattr(urlstate.parse(search or ""), k)
                           for k in ("indelning", "visning")}})
    if isinstance(trigger, str) and trigger.startswith(f"{PAGE}-preset-"):
        name = trigger[len(f"{PAGE}-preset-"):]
        first = _preset_first(con, viewer_scope(), s, pathname) if name == "allt" else latest
        s = urlstate.preset(name, s, latest, first)
    if (s.fran, s.till) == urlstate.standard_range(pathname, latest):
        s = replace(s, fran=None, till=None)  # the page's default: the link keeps following it
    new = s.query()
    shown = urlstate.with_standard(s, pathname, latest)
    return (no_update if new == (search or "") else new, summary(shown, latest, viewer_scope()),
            shown.fran or latest, shown.till or latest, list(s.kommuner), list(s.typer), list(s.statuser),
            list(s.insatser), list(s.kon))
