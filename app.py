"""Insatskollen: the Dash app. ``python app.py`` serves it on http://127.0.0.1:8050.

On first start with an empty database it writes and loads the demo data, so there is
always something to show.
"""

from __future__ import annotations

import os

import dash
import dash_bootstrap_components as dbc
from dash import Dash, html

from dashboard import config, db

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


def navbar() -> dbc.Navbar:
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in dash.page_registry.values()
    ]
    return dbc.Navbar(
        dbc.Container([dbc.NavbarBrand("Insatskollen", href="/"), dbc.Nav(links)], fluid=True),
        color="#1f3b57", className="ik-navbar mb-2", dark=True,
    )


def create_app() -> Dash:
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="dashboard/pages",
        title="Insatskollen",
        update_title=None,
        serve_locally=True,
    )
    app.index_string = INDEX
    app.layout = html.Div([navbar(), dash.page_container])
    return app


app = create_app()
server = app.server

if __name__ == "__main__":
    ensure_data()
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 8050)),
            debug=False)
