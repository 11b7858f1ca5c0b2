"""Progression: BIP (or SMAIL) measurements per insats: how many are measured and how many
moved forward (stegförflyttning), each against its goal; the first and latest mean per
indicator; how each indicator changed; protected like every count."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from .. import fmt, inlast, nyckeltal, tables
from ..components.diagram import diagram
from ..components.riktning import riktning
from ..components.sida import delade_not, heading, info, insats_links, section
from ..components.tabell import tabell
from ..figures.bip import forandring, med_dolt, radar
from ..kontroller.sida import render_page
from ..publicerat import dolt

PAGE = "progression"
PATH = "/progression"  # its default period: urlstate.STANDARDPERIOD[PATH]
dash.register_page(__name__, path=PATH, name="Progression",
                   title="Progression – Insatskollen", order=6)


def layout(**query):
    return render_page(render, query, path=PATH)


def lasning(t: tables.Tabell) -> str:
    """The page's one line, from the Samtliga row (or the one insats)."""
    if not len(t.df):
        return "Inga BIP-mätningar i urvalet för perioden."
    r = t.df.iloc[-1]
    return (f"{fmt.procent(r['andel_matta'])} av deltagarna är mätta; av de "
            f"{fmt.heltal(r['med_uppfoljning'])} med uppföljning har "
            f"{fmt.procent(r['andel_stegforflyttning'])} tagit steg framåt.")


def render(con, scope, state):
    laget = inlast.laget(con)  # what is loaded: once for the page
    t = tables.bip(con, scope, state)
    ind = tables.bip_indikator(con, scope, state)
    links = insats_links([i for i in t.df["insats_id"] if isinstance(i, str)], state)
    shown = [v for v in ind.df["medel_forsta"] if not dolt(v) and v == v]
    parts = [
        heading(PAGE, "Progression", laget, scope, state,
                "Deltagarnas mätningar med BIP: hur många som är mätta och hur många som tagit "
                "steg framåt mellan första och senaste mätningen. " + tables.sma_tal_text()),
        html.P(lasning(t), className="fs-5 mb-1", id=f"{PAGE}-lasning"),
        delade_not(tables.delade_deltagare(con, scope, state), PAGE),
        html.Div([riktning(f"{PAGE}-{name}-riktning", nyckeltal.jamforda(
                      con, state.filters(), lambda g, key=key: nyckeltal.bip(con, scope, g)[key]),
                      "andel", namn=namn)
                  for name, key, namn in (("matta", "andel_matta", "Mätta"),
                                          ("steg", "andel_stegforflyttning", "Stegförflyttning"))],
                 className="mb-2"),
        section([t.rubrik, info("progression", "progressionen")], tabell(t, PAGE, links=links)),
    ]
    if len(t.df):
        if shown:
            up = sum(1 for a, b in zip(ind.df["medel_forsta"], ind.df["medel_senaste"])
                     if not dolt(a) and a == a and b > a)
            text = f"{len(shown)} indikatorer visas; medelvärdet steg på {up} av dem."
            parts.append(section(ind.rubrik, diagram(
                PAGE, ind, radar(ind.df, "Första och senaste mätningen, medel per indikator"),
                text)))
        else:
            parts.append(section(ind.rubrik, dbc.Alert(
                "För få med uppföljning för att visa medelvärden per indikator.", color="info"),
                tabell(ind, PAGE)))
        dolda = int(med_dolt(ind.df).sum())
        if dolda < len(ind.df):
            text = ("Antal med uppföljning per indikator vars värde blev bättre, samma eller "
                    "sämre." + (f" {dolda} indikatorer med ett dolt antal visas bara i tabellen."
                                if dolda else ""))
            parts.append(section("Förändring per indikator", html.Div(
                diagram(PAGE, ind, forandring(ind.df),
                        text, id=f"{PAGE}-forandring-diagram", siffror=False))))
    return html.Main(parts, className="container-fluid py-2")
