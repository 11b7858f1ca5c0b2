"""Insatskollen: the Dash app. ``python app.py`` serves it on http://127.0.0.1:8050.

On first start with an empty database it writes and loads the demo data, so there is
always something to show.
"""

from __future__ import annotations

import os

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html

from dashboard import config

try:  # a configuration that cannot be used stops the start with a message naming the key
    config.get()
except config.ConfigError as exc:
    raise SystemExit(f"Insatskollen startar inte: {exc}") from None

from dataclasses import replace  # noqa: E402

from dashboard import bakgrund, db, urlstate, web_auth  # noqa: E402
from dashboard.components.sida import BERAKNING  # noqa: E402
from dashboard.kontroller import filterbar, nedladdning  # noqa: E402, F401  (their callbacks)

INDEX = """<!DOCTYPE html>
<html lang="sv">
<head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}</head>
<body>{%app_entry%}<footer>{%config%}{%scripts%}{%renderer%}</footer></body>
</html>"""
# what the page says before its scripts run (Dash's own says "Loading..."); the renderer's
# own "Loading...", while a page's layout loads, is worded in assets/10-insatskollen.css
APP_ENTRY = '<div id="react-entry-point"><div class="_dash-loading">Laddar…</div></div>'


class Insatskollen(Dash):
    def interpolate_index(self, **kwargs):
        return super().interpolate_index(**{**kwargs, "app_entry": APP_ENTRY})


def ensure_data() -> None:
    """Load the demo extracts when the database is missing or empty."""
    path = config.get().db_path
    if path.exists():
        import duckdb

        con = duckdb.connect(str(path), read_only=True)
        try:
            loaded, current = db.has_data(con), db.has_data(con) and db.is_current(con)
        finally:
            con.close()
        if loaded and not current:
            with db.writer(path):  # a database from an older version: new views and macros
                pass
        if loaded:
            return
    from dashboard import demo

    folder = config.ROOT / "data" / "demo-uttag"
    demo.write_series(folder)
    demo.load_series(folder, path)


ROLE_NAMES = {"styrelse": "förbundsstyrelsen", "lokus": "LOKUS", "kansli": "kansliet"}


def post_button(action: str, label: str, **button) -> html.Form:
    """A button that POSTs to one of the server's state-changing routes, with the CSRF token."""
    return html.Form([
        dcc.Input(type="hidden", name="csrf", value=web_auth.csrf_token()),
        html.Button(label, type="submit", **button),
    ], method="POST", action=action, className="d-inline")


def navbar() -> dbc.Navbar:
    user = web_auth.current_user()
    kansli = web_auth.kansli()
    links = [
        # Dataladdning is the kansli's (its page and callbacks check the role themselves)
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], id=nav_id(page)),
                    className="d-none" if page["path"] == "/dataladdning"
                    and kansli is None else None)
        for page in nav_pages()
    ]
    who: list = []
    if user is not None:
        role = ROLE_NAMES[user.role]
        if user.kommuner:
            role += " " + ", ".join(user.kommuner)
        if kansli is not None:
            visible = web_auth.unsuppressed()
            who.append(post_button(
                "/kansli/sma-tal", "Dölj små tal" if visible else "Visa små tal",
                id="kansli-sma-tal",
                className="btn btn-warning btn-sm me-2" if visible
                else "btn btn-outline-light btn-sm me-2"))
        who += [
            # the role in words; on a narrow screen only a LOKUS group's kommuner (its scope)
            html.Span(user.namn or [user.username, html.Span(
                f" ({role})", className=None if user.kommuner else "d-none d-xl-inline")],
                className="navbar-text me-2", id="inloggad-som", title=f"Roll: {role}"),
            post_button("/logout", "Logga ut", className="btn btn-outline-light btn-sm"),
        ]
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand("Insatskollen", href="/"),
            html.Button(html.Span(className="navbar-toggler-icon"), id="nav-meny", type="button",
                        className="navbar-toggler", title="Meny",
                        **{"aria-label": "Meny", "aria-controls": "nav-collapse"}),
            dbc.Collapse([dbc.Nav(links, className="me-auto", navbar=True),
                          html.Div(who, className="d-flex align-items-center flex-wrap gap-2")],
                         id="nav-collapse", navbar=True, is_open=False),
        ], fluid=True),
        color="#1f3b57", className="ik-navbar mb-2", dark=True, expand="md",
    )


def nav_pages() -> list[dict]:
    return [p for p in dash.page_registry.values()
            if not p.get("path_template") and p["path"] not in ("/presentation", BERAKNING)]


def nav_id(page: dict) -> str:
    return f"nav-{page['module'].rsplit('.', 1)[-1]}"


def filters():
    """The filter bar for this viewer (their kommuner only); nothing before data is loaded."""
    from dashboard import views
    from dashboard.begaran import database, viewer_scope

    if web_auth.current_user() is None:
        return None
    con = database()
    try:
        return filterbar.filter_bar(con, viewer_scope())
    except views.NoData:
        return None


def layout():
    """Built per request, so the navbar shows who is logged in and the filter bar offers
    only their kommuner."""
    return html.Div([html.A("Till innehållet", href="#innehall", className="ik-skip"),
                     navbar(), filters(), html.Div(dash.page_container, id="innehall", tabIndex="-1"),
                     nedladdning.download_component(), dcc.Store(id="visning")])


def register_shell_callbacks(app: Dash) -> None:
    """Carry the URL's filters into the navbar's links, and mark the current page."""
    pages = nav_pages()

    @app.callback(
        Output("nav-collapse", "is_open"),
        Input("nav-meny", "n_clicks"),
        Input("_pages_location", "pathname"),
        State("nav-collapse", "is_open"),
        prevent_initial_call=True,
    )
    def toggle_menu(_clicks, _pathname, is_open):
        """The phone's menu button opens and closes the menu; moving to a page closes it."""
        return not is_open if ctx.triggered_id == "nav-meny" else False

    @app.callback(
        *[Output(nav_id(p), "href") for p in pages],
        *[Output(nav_id(p), "active") for p in pages],
        Input("_pages_location", "pathname"),
        Input("_pages_location", "search"),
    )
    def nav_links(pathname, search):
        search = search or ""
        return ([p["relative_path"] + search for p in pages]
                + [pathname == p["relative_path"] for p in pages])

    @app.callback(
        Output("visning-projektor", "href"),
        Output("visning-projektor", "children"),
        Input("_pages_location", "pathname"),
        Input("_pages_location", "search"),
    )
    def projector_link(pathname, search):
        """The projector switch: this page with the display mode turned on or off."""
        state = urlstate.parse(search or "")
        on = state.visning == "projektor"
        other = replace(state, visning="" if on else "projektor")
        return (pathname or "/") + other.query(), "Vanligt läge" if on else "Projektorläge"

    # the display mode as a class on <body> (assets/30-visning.js): every page, no reload
    app.clientside_callback(ClientsideFunction("ik", "visning"), Output("visning", "data"),
                            Input("_pages_location", "search"))


def create_app() -> Dash:
    app = Insatskollen(
        __name__,
        use_pages=True,
        pages_folder="dashboard/pages",
        title="Insatskollen",
        update_title=None,
        serve_locally=True,
        # pages are laid out per request (per viewer); never call them at start-up
        suppress_callback_exceptions=True,
        # long work (Dataladdning's check and load) runs off the request, with its progress
        background_callback_manager=bakgrund.Manager(),
    )
    app.index_string = INDEX
    app.layout = layout
    register_shell_callbacks(app)
    # a callback's request carries an upload as base64: room for one file of the size limit
    app.server.config["MAX_CONTENT_LENGTH"] = int(config.get().limits.fil_mb * 1024 * 1024 * 1.4) \
        + 1024 * 1024
    web_auth.install(app.server)
    web_auth.security_headers(app.server, app.csp_hashes)
    web_auth.compression(app.server)
    return app


def refuse_demo_on_real_data() -> None:
    """Demo mode offers password-less logins: it starts only on a database of demo data (or
    none yet: the demo's own is made at start)."""
    if not config.get().demo or not config.get().db_path.exists():
        return
    import sys

    import duckdb

    path = config.get().db_path
    con = duckdb.connect(str(path), read_only=True)
    try:
        demo_data = db.is_demo(con)
    finally:
        con.close()
    if not demo_data:
        sys.exit(f"Demoläget (INSATSKOLLEN_DEMO=1) startar bara på demodata, och {path} "
                 "innehåller andra uppgifter. Starta utan INSATSKOLLEN_DEMO, eller peka "
                 "INSATSKOLLEN_DB på en egen fil för demon.")


# the pages a board member opens first, warmed for each new data version (their default view)
WARM_PAGES = ("oversikt", "deltagare", "malgrupp", "progression")


def warm(path) -> None:
    """Make this process ready for the current version of the database at ``path``: read the
    stored protection of small numbers and lay out the board's first pages (so their views
    are cached). A database without a stored decision (an older version, a new threshold)
    has it decided in a process of its own, while the pages say the figures are being
    prepared."""
    import importlib

    from dashboard import beslut, db, publicering
    from dashboard.urval import Filter, Scope

    con = db.reader(path)
    if not db.has_data(con):
        return
    if not publicering.ready(con):
        beslut.besluta_i_bakgrunden(path)
        return
    publicering.get(con)
    for name in WARM_PAGES:
        importlib.import_module(f"dashboard.pages.{name}").render(con, Scope.styrelse(),
                                                                  Filter())


def warm_up(poll_s: float = 1.0, stop=None):
    """``warm`` in the background, at start and again as soon as a load moves the database to
    a new version (looked for every ``poll_s`` seconds until ``stop`` is set), so that no
    board member's request pays for reading what the load stored."""
    import threading

    stop = stop or threading.Event()

    def run():
        path = config.get().db_path
        seen = None
        while not stop.is_set():
            try:
                version = path.resolve(strict=True)
                if version != seen:
                    seen = version  # once per version, whether or not it succeeds
                    warm(path)
            except Exception:  # noqa: BLE001  no data yet, a load under way: try again
                pass
            stop.wait(poll_s)

    thread = threading.Thread(target=run, name="förvärmning", daemon=True)
    thread.start()
    return thread


app = create_app()
server = app.server
if "gunicorn" in os.environ.get("SERVER_SOFTWARE", ""):  # each gunicorn worker, as it starts
    refuse_demo_on_real_data()
    warm_up()

if __name__ == "__main__":
    ensure_data()
    refuse_demo_on_real_data()
    warm_up()
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 8050)),
            debug=False)
