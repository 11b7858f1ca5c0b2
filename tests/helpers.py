"""Helpers shared by the HTTP-level tests: the Dash page-router request and layout search."""

from __future__ import annotations


def page_router_body(pathname: str = "/", search: str = "") -> dict:
    """The request the browser's page router sends to /_dash-update-component."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def find_children(node, component_id):
    """The children of the component with this id in a Dash layout (JSON)."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == component_id:
            return props.get("children")
        for v in (props.get("children"), *node.values()):
            found = find_children(v, component_id) if isinstance(v, (dict, list)) else None
            if found is not None:
                return found
    elif isinstance(node, list):
        for v in node:
            found = find_children(v, component_id)
            if found is not None:
                return found
    return None


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
