"""Insatskollen: the Dash app. ``python app.py`` serves it on http://127.0.0.1:8050.

On first start with an empty database it writes and loads the demo data, so there is
always something to show.
"""

from __future__ import annotations

import os

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html

from dashboard import config, db, web_auth

INDEX = """<!DOCTYPE html>
<html lang="sv">
<head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}</head>
<body>{%app_entry%}<footer>{%config%}{%scripts%}{%renderer%}</footer></body>
</html>"""


def ensure_data() -> None:
    """Load the demo extracts when the database is missing or empty."""
    path = config.get().db_path
    if path.exists():
        import duckdb

        con = duckdb.connect(str(path), read_only=True)
        try:
            if db.has_data(con):
                return
        finally:
            con.close()
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
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in dash.page_registry.values()
    ]
    user = web_auth.current_user()
    who: list = []
    if user is not None:
        role = ROLE_NAMES[user.role]
        if user.kommuner:
            role += " " + ", ".join(user.kommuner)
        if user.role == "kansli":
            visible = web_auth.unsuppressed()
            who.append(post_button(
                "/kansli/sma-tal", "Dölj små tal" if visible else "Visa små tal",
                id="kansli-sma-tal",
                className="btn btn-warning btn-sm me-3" if visible
                else "btn btn-outline-light btn-sm me-3"))
        who += [
            html.Span(user.namn or f"{user.username} ({role})", className="navbar-text me-3",
                      id="inloggad-som", title=f"Roll: {role}"),
            post_button("/logout", "Logga ut", className="btn btn-outline-light btn-sm"),
        ]
    return dbc.Navbar(
        dbc.Container([dbc.NavbarBrand("Insatskollen", href="/"), dbc.Nav(links, className="me-auto"),
                       html.Div(who, className="d-flex align-items-center")], fluid=True),
        color="#1f3b57", className="ik-navbar mb-2", dark=True,
    )


def layout():
    """Built per request, so the navbar shows who is logged in."""
    return html.Div([navbar(), dash.page_container])


def create_app() -> Dash:
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="dashboard/pages",
        title="Insatskollen",
        update_title=None,
        serve_locally=True,
        # pages are laid out per request (per viewer); never call them at start-up
        suppress_callback_exceptions=True,
    )
    app.index_string = INDEX
    app.layout = layout
    web_auth.install(app.server)
    web_auth.security_headers(app.server, app.csp_hashes)
    return app


app = create_app()
server = app.server

if __name__ == "__main__":
    ensure_data()
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 8050)),
            debug=False)
