"""Helpers shared by the HTTP-level tests: the Dash page-router request (the load test's
own), layout search, serving a database to fresh users, and logging a client in."""

from __future__ import annotations

from bench.last import page_router_body  # noqa: F401  (the tests' request too)


def find_props(node, component_id) -> dict | None:
    """The props of the component with this id in a Dash layout (JSON)."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == component_id:
            return props
        for v in (props.get("children"), *node.values()):
            found = find_props(v, component_id) if isinstance(v, (dict, list)) else None
            if found is not None:
                return found
    elif isinstance(node, list):
        for v in node:
            found = find_props(v, component_id)
            if found is not None:
                return found
    return None


def find_children(node, component_id):
    """The children of the component with this id in a Dash layout (JSON)."""
    return (find_props(node, component_id) or {}).get("children")


def as_json(layout) -> dict:
    """A page's layout as the browser gets it (Dash components as JSON)."""
    import json

    import plotly

    return json.loads(json.dumps(layout, cls=plotly.utils.PlotlyJSONEncoder))


def text(node) -> str:
    """All text under a layout node (JSON)."""
    if isinstance(node, str):
        return node
    if isinstance(node, (int, float)):
        return str(node)
    if isinstance(node, list):
        return "".join(text(n) for n in node)
    if isinstance(node, dict):
        return text(node.get("props", {}).get("children") or "")
    return ""


def lights(response_json: dict) -> dict:
    """Översikt's light counts from a page-router response."""
    layout = response_json["response"]["_pages_content"]["children"]
    return {k: find_children(layout, f"oversikt-antal-{k}") for k in ("gron", "gul", "rod")}


def logged_in(user: str, password: str, address: str):
    """A Flask test client of the app, logged in through the login form from ``address``."""
    import re

    import app

    c = app.server.test_client()
    c.environ_base["REMOTE_ADDR"] = address
    page = c.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    c.post("/login", data={"csrf": token, "username": user, "password": password})
    return c


def serve_database(db_path, folder, users: list[tuple]) -> None:
    """Point the app at ``db_path`` with a users file of its own in ``folder`` holding
    ``users`` (``auth.add_user`` arguments); demo mode off."""
    import os

    from dashboard import auth, config

    os.environ["INSATSKOLLEN_DB"] = str(db_path)
    os.environ["INSATSKOLLEN_USERS"] = str(folder / "users.json")
    os.environ.pop("INSATSKOLLEN_DEMO", None)
    config.get.cache_clear()
    for user in users:
        auth.add_user(*user)
