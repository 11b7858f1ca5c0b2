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
