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


MARKS = (  # (the Tabell's set of cells, class, symbol, what a screen reader hears)
    ("avvikande", "avvikande", "⚠ ", " (åtgärd krävs)"),
    ("kannedom", "kannedom", "ℹ ", " (för kännedom)"),
    ("skiljer", "avvikande", "≠ ", " (skiljer sig från det rapporterade)"),
)


def tabell(t: Tabell, page: str, insats: str = "", links: dict[str, str] | None = None,
           download: bool = True, caption: bool = True,
           empty: str = "Inga rader för det valda filtret.") -> html.Div:
    """``links``: insats_id -> href, to make the first column a link to the insats page.

    Each column's ``prio`` (tables.Kolumn) decides where it is on screen, by CSS
    (assets/10-insatskollen.css): 2 from a tablet's width up, 3 behind *Visa alla kolumner*
    (a switch; every column in the download); a table with such columns is a card per row
    on a phone, each cell named by its column."""
    prios = [max(1, min(3, k.prio)) for k in t.kolumner]
    head = html.Thead(html.Tr([
        html.Th(html.Abbr(k.rubrik, title=k.titel) if k.titel else k.rubrik, scope="col",
                className=" ".join(["text-end"] * (k.slag in NUMERIC)
                                   + [f"ik-prio-{p}"] * (p > 1)) or None)
        for k, p in zip(t.kolumner, prios)]))
    rows = []
    # a column's classes once, not per cell
    classes = [" ".join(["text-end text-nowrap"] * (k.slag in NUMERIC)
                        + ["text-nowrap"] * (k.slag in ("janej", "lampa"))
                        + [f"ik-prio-{p}"] * (p > 1))
               for k, p in zip(t.kolumner, prios)]
    labels = [k.rubrik.replace("\u00ad", "") for k in t.kolumner]
    marks = [(getattr(t, name), cls, symbol, said) for name, cls, symbol, said in MARKS
             if getattr(t, name)]
    for i, rec in zip(t.df.index, records(t)):
        cells = []
        for j, k in enumerate(t.kolumner):
            text = cell_of(rec, k)
            cls = classes[j]
            content: object = text
            if k.slag == "lampa":  # a span: Bootstrap's table cells set their own colour
                content = html.Span(text, className=f"lampa lampa-{lampa_key(rec[k.key])}")
            for cells_of, mark_cls, symbol, said in marks:
                if (i, k.key) in cells_of:
                    cls = f"{cls} {mark_cls}".strip()
                    # one span: a phone's card sets the cell's label and value apart
                    content = html.Span([html.Span(symbol, **{"aria-hidden": "true"}), content,
                                         html.Span(said, className="visually-hidden")])
                    break
            if j == 0 and links and rec.get("insats_id") in links:
                content = html.A(text, href=links[rec["insats_id"]])
            if j == 0:
                cells.append(html.Th(content, className=cls or None, scope="row"))
            else:
                cells.append(html.Td(content, className=cls or None,
                                     **{"data-label": labels[j]}))
        rows.append(html.Tr(cells))
    table = dbc.Table(
        ([html.Caption(t.rubrik, className="visually-hidden")] if caption else [])
        + [head, html.Tbody(rows)],
        id=f"{page}-{t.namn}", striped=True, hover=True, size="sm",
        className="ik-tabell mb-1 align-middle")
    wrap = ["ik-tabell-wrap"] + [f"ik-har-{p}" for p in (2, 3) if p in prios]
    parts = [scrollbar(table, t.rubrik)]
    if len(wrap) > 1:
        wrap.append("ik-stapla")
        switch = f"{page}-{t.namn}-alla-kolumner"
        # a disclosure without content: open, it shows the table's other columns (CSS)
        parts.insert(0, html.Details(html.Summary([
            html.Span("Visa alla kolumner", className="ik-visa"),
            html.Span("Visa färre kolumner", className="ik-dolj")]),
            id=switch, className="ik-visa-alla small d-print-none"))
    if not rows:
        parts = [html.P(t.tom or empty, className="text-body-secondary",
                        id=f"{page}-{t.namn}-tom")]
        wrap = ["ik-tabell-wrap"]
    if t.fotnot:
        parts.append(html.P(t.fotnot, className="small text-body-secondary mb-1"))
    note = dolda_not(t)
    if note:
        parts.append(html.P(note, className="small text-body-secondary mb-1 dold-not"))
    if download:
        parts.append(download_buttons(t.namn, insats))
    return html.Div(parts, className=" ".join(wrap))
