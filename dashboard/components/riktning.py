"""Direction beside a key figure: its change against the quarter before and the same period a
year earlier, in arrow, number and words (never colour alone). One way, on every page."""

from __future__ import annotations

from dash import html

from .. import nyckeltal


def riktning(id_: str, pairs: list[tuple[str, object, object]], slag: str = "antal",
             namn: str = ""):
    """Lines like "▲ 12 fler än kvartal 3 2022" (after ``namn``: "Mätta: ▲ …"): a change in
    arrow, number and words, for each (words for the other period, now, then); nothing for a
    hidden value."""
    lines = []
    for words, nu, da in pairs:
        ch = nyckeltal.forandring(nu, da, slag)
        if ch:
            arrow, text = ch
            line = f"{arrow} {text} {words}" if arrow != "=" else f"= {text} som {words[3:]}"
            lines.append(html.Div(f"{namn}: {line}" if namn else line, className="ik-trend"))
    return html.Div(lines, id=id_, className="small") if lines else None
