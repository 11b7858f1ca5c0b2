"""A chart as every page shows it: named for a screen reader, with a one-line reading in
words under it, its numbers as a table behind a "Visa" and its downloads (PNG, SVG, CSV,
Excel). Plotly's toolbar is off: its texts are English, it adds tab stops, and the downloads
below do what it did."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from .. import dolda, fmt, tables
from ..figures.deltagare import by_kon
from ..figures.forsorjning import fore_efter, lasning
from .tabell import download_buttons, tabell

CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}


def diagram(page: str, t: tables.Tabell, figure, lasning: str, insats: str = "",
            id: str | None = None, siffror: bool = True) -> html.Div:
    """``siffror=False``: a second chart of a table already shown with its numbers."""
    gid = id or f"{page}-{t.namn}-diagram"
    return html.Div([
        html.Figure([
            html.Div(dcc.Graph(figure=figure, config=CONFIG, id=gid), role="img",
                     **{"aria-label": f"Diagram: {t.rubrik}. {lasning}"}),
            html.Figcaption(lasning, className="small", id=f"{gid}-lasning"),
        ], className="mb-1"),
        *([html.Details([html.Summary("Visa diagrammets siffror som tabell"),
                         tabell(t, page, insats=insats, download=False)]),
           download_buttons(t.namn, insats, chart=True)] if siffror else []),
    ])


def storst(labels, values, what: str = "") -> str:
    """``'Flest: Studier (12).'`` over the shown values; a hidden value is never guessed, and
    a largest one is named only when no hidden value can be larger (``dolda.storsta``)."""
    kats = dolda.kategorier(pd.DataFrame({"namn": list(labels), "v": list(values)}), "namn",
                            "v")
    top, maybe = dolda.storsta(kats)
    hidden = any(not k.totalt_visas for k in kats)
    what = f" {what}" if what else ""
    if top is None:
        return "Alla värden är dolda eller noll." if hidden else "Inga värden."
    if maybe:
        return (f"Flest{what} bland de som visas: {top.namn} ({fmt.heltal(top.minst)}); "
                f"{_namn(maybe)} döljs och kan vara fler.")
    return f"Flest{what}: {top.namn} ({fmt.heltal(top.minst)})." + (
        " Några värden är dolda (små tal)." if hidden else "")


def _namn(kats) -> str:
    names = [k.namn for k in kats]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def dold_storst(kats, id: str) -> html.P | None:
    """Above a chart whose largest category may be hidden: which, in words (a chart of the
    shown bars alone would name another the largest)."""
    top, maybe = dolda.storsta(kats)
    if not maybe:
        return None
    text = (f"Obs: {_namn(maybe)} döljs och kan vara "
            + (f"fler än {top.namn} ({fmt.heltal(top.minst)}), den största stapeln."
               if top else "de största grupperna."))
    return html.P(text, className="small fw-semibold mb-1 ik-dold-storst", id=id)


def kon_diagram(page: str, t: tables.Tabell, label_col: str, lasning: str, instead: list,
                id: str | None = None, ovanfor: bool = True) -> html.Div:
    """A kön breakdown's chart by the rules for hidden cells: mostly hidden, a sentence
    (``instead``: what to choose, e.g. a coarser grouping or a longer period) and the table
    in place of the chart; else the chart, with words above it when its largest category may
    be hidden (``ovanfor=False`` where the page's reading above the chart says it already; a
    category whose kön split is hidden is drawn by its total)."""
    kats = dolda.kategorier(t.df, label_col, summa=t.totalt)
    gid = id or f"{page}-{t.namn}-diagram"
    if dolda.mest_dolt(kats):
        return html.Div([
            html.P(["Diagrammet visas inte: de flesta talen är för små. ", *instead],
                   className="mb-1", id=f"{gid}-i-stallet"),
            html.Details([html.Summary("Visa tabellen"), tabell(t, page, download=False)]),
            download_buttons(t.namn),
        ])
    return html.Div([dold_storst(kats, f"{gid}-dold-storst") if ovanfor else None,
                     diagram(page, t, by_kon(t.df, label_col, None), lasning, id=gid)])


def fore_efter_diagram(page: str, t: tables.Tabell, instead: list, id: str,
                       insats: str = "") -> html.Div:
    """Försörjning före och efter (``tables.forsorjning``) by the rules for hidden cells: each
    source's count before and at avslut side by side; mostly hidden, a sentence (``instead``:
    what to choose) and the table in place of the chart."""
    rows = t.df[t.df["kod"] != "summa"]
    kats = [k for col in ("fore_totalt", "efter_totalt")
            for k in dolda.kategorier(rows, "forsorjning", col)]
    if dolda.mest_dolt(kats):
        return html.Div([
            html.P(["Diagrammet visas inte: de flesta talen är för små. ", *instead],
                   className="mb-1", id=f"{id}-i-stallet"),
            html.Details([html.Summary("Visa tabellen"),
                          tabell(t, page, insats=insats, download=False)]),
            download_buttons(t.namn, insats),
        ])
    return diagram(page, t, fore_efter(t.df), lasning(t.df), insats, id=id)


def forbrukning(df) -> str:
    """The burn chart in words: the year to date at its last quarter."""
    if not len(df):
        return "Ingen budget i urvalet."
    r = df.iloc[-1]
    kvot = r["ack_utfall_tkr"] / r["ack_budget_tkr"] if r["ack_budget_tkr"] else None
    return (f"Till och med {fmt.kvartal(r['period'])}: utfall {fmt.tkr(r['ack_utfall_tkr'])} av "
            f"budget {fmt.tkr(r['ack_budget_tkr'])}"
            + (f" ({fmt.procent(kvot)})." if kvot is not None else "."))
