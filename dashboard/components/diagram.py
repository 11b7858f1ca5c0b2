"""A chart as every page shows it: named for a screen reader, with a one-line reading in
words under it, its numbers as a table behind a "Visa" and its downloads (PNG, SVG, CSV,
Excel). Plotly's toolbar is off: its texts are English, it adds tab stops, and the downloads
below do what it did."""

from __future__ import annotations

from dash import dcc, html

from .. import fmt, tables
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
    """``'Flest: Studier (12).'`` over the shown values; a hidden value is never guessed."""
    shown = [(v, lab) for lab, v in zip(labels, values)
             if not isinstance(v, str) and v is not None and v == v]
    hidden = len(shown) < len(list(values))
    if not shown or not max(shown)[0]:
        return "Alla värden är dolda eller noll." if hidden else "Inga värden."
    v, lab = max(shown, key=lambda x: x[0])
    text = f"Flest{(' ' + what) if what else ''}: {lab} ({fmt.heltal(v)})."
    return text + (" Några värden är dolda (små tal)." if hidden else "")


def forbrukning(df) -> str:
    """The burn chart in words: the year to date at its last quarter."""
    if not len(df):
        return "Ingen budget i urvalet."
    r = df.iloc[-1]
    kvot = r["ack_utfall_tkr"] / r["ack_budget_tkr"] if r["ack_budget_tkr"] else None
    return (f"Till och med {fmt.kvartal(r['period'])}: utfall {fmt.tkr(r['ack_utfall_tkr'])} av "
            f"budget {fmt.tkr(r['ack_budget_tkr'])}"
            + (f" ({fmt.procent(kvot)})." if kvot is not None else "."))
