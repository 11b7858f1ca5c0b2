"""Traffic lights that never rely on colour alone: a symbol, a word and a colour."""

from __future__ import annotations

from dash import html

from ..codes import lampa_key, lampa_text


def lampa(value: str | None, text: str | None = None) -> html.Span:
    """The light's symbol and word, or its symbol and ``text`` (e.g. "5 gröna")."""
    shown = lampa_text(value) if text is None else f"{lampa_text(value).split()[0]} {text}"
    return html.Span(shown, className=f"lampa lampa-{lampa_key(value)}")


def legend(page: str, budget: bool = True) -> html.Div:
    """What the lights mean; the budget thresholds are read from the configuration."""
    from .. import config

    items = [
        html.Li([lampa("gron"), " Mål: i fas och prognosen säger att målen nås"]),
        html.Li([lampa("gul"), " Mål: inte i fas, men prognosen är att målen nås"]),
        html.Li([lampa("rod"), " Mål: prognosen säger att målen inte nås"]),
        html.Li([lampa(None), " Ingen kvartalsrapport för kvartalet"]),
    ]
    if budget:
        items.append(html.Li("Budgetlampa på förbrukningskvoten hittills i år: "
                             f"{config.get().budget.describe()}."))
    return html.Details([html.Summary("Förklaring av lamporna"),
                         html.Ul(items, className="list-unstyled small mb-0 mt-1")],
                        className="mb-3", id=f"{page}-forklaring")
