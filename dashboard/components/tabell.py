"""A table from ``tables.Tabell`` as accessible HTML, with its CSV and Excel download.

The download buttons carry the table's name; one callback (``components.nedladdning``)
rebuilds that table from the URL's filters and the viewer's own scope and sends it.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from ..codes import lampa_key
from ..tables import NUMERIC, Tabell, cell_of, dolda_not, records


def download_buttons(namn: str, insats: str = "", chart: bool = False) -> html.Div:
    """CSV and Excel of the table; with ``chart`` also the chart as PNG and SVG."""
    kinds = [("csv", "CSV", "Tabellen"), ("xlsx", "Excel", "Tabellen")]
    if chart:
        kinds += [("png", "PNG", "Diagrammet"), ("svg", "SVG", "Diagrammet")]
    return html.Div([
        html.Button(f"Ladda ner {label}", className="btn btn-outline-secondary btn-sm me-2 mb-1",
                    id={"type": "ladda-ner", "tabell": namn, "format": fmt, "insats": insats},
                    title=f"{what} som {label}-fil")
        for fmt, label, what in kinds
    ], className="mt-2 d-print-none")


def scrollbar(table, namn: str) -> html.Div:
    """A wide table's sideways scroll, reachable by keyboard: a named region in the tab order
    (its arrow keys scroll it), as axe asks of a scrollable area."""
    return html.Div(table, className="table-responsive", tabIndex="0", role="region",
                    **{"aria-label": namn})


def tabell(t: Tabell, page: str, insats: str = "", links: dict[str, str] | None = None,
           download: bool = True, caption: bool = True,
           empty: str = "Inga rader för det valda filtret.") -> html.Div:
    """``links``: insats_id -> href, to make the first column a link to the insats page."""
    head = html.Thead(html.Tr([
        html.Th(html.Abbr(k.rubrik, title=k.titel) if k.titel else k.rubrik, scope="col",
                className="text-end" if k.slag in NUMERIC else None)
        for k in t.kolumner]))
    rows = []
    # a column's classes once, not per cell
    classes = [" ".join(["text-end text-nowrap"] * (k.slag in NUMERIC)
                        + ["text-nowrap"] * (k.slag in ("janej", "lampa"))) for k in t.kolumner]
    for i, rec in zip(t.df.index, records(t)):
        cells = []
        for j, k in enumerate(t.kolumner):
            text = cell_of(rec, k)
            cls = classes[j]
            content: object = text
            if k.slag == "lampa":  # a span: Bootstrap's table cells set their own colour
                content = html.Span(text, className=f"lampa lampa-{lampa_key(rec[k.key])}")
            if t.avvikande and (i, k.key) in t.avvikande:
                cls = f"{cls} avvikande".strip()
                content = [html.Span("⚠ ", **{"aria-hidden": "true"}), content,
                           html.Span(" (åtgärd krävs)", className="visually-hidden")]
            elif t.kannedom and (i, k.key) in t.kannedom:
                cls = f"{cls} kannedom".strip()
                content = [html.Span("ℹ ", **{"aria-hidden": "true"}), content,
                           html.Span(" (för kännedom)", className="visually-hidden")]
            if j == 0 and links and rec.get("insats_id") in links:
                content = html.A(text, href=links[rec["insats_id"]])
            if j == 0:
                cells.append(html.Th(content, className=cls or None, scope="row"))
            else:
                cells.append(html.Td(content, className=cls or None))
        rows.append(html.Tr(cells))
    table = dbc.Table(
        ([html.Caption(t.rubrik, className="visually-hidden")] if caption else [])
        + [head, html.Tbody(rows)],
        id=f"{page}-{t.namn}", striped=True, hover=True, size="sm",
        className="ik-tabell mb-1 align-middle")
    parts = [scrollbar(table, t.rubrik)]
    if not rows:
        parts = [html.P(t.tom or empty, className="text-body-secondary",
                        id=f"{page}-{t.namn}-tom")]
    if t.fotnot:
        parts.append(html.P(t.fotnot, className="small text-body-secondary mb-1"))
    note = dolda_not(t)
    if note:
        parts.append(html.P(note, className="small text-body-secondary mb-1 dold-not"))
    if download:
        parts.append(download_buttons(t.namn, insats))
    return html.Div(parts)
