"""Deltagare (utfall): per individinsats the contract's deltagare view (PM Tabell 6), the
avslutsorsaker by kön (Tabell 7), and the trend per quarter."""

from __future__ import annotations

import dash
from dash import html

from .. import fmt, inlast, nyckeltal, rapport_text, tables, views
from ..components.diagram import diagram, fore_efter_diagram, kon_diagram, storst
from ..components.riktning import riktning
from ..components.sida import (
    delade_not,
    ej_per_period,
    heading,
    info,
    insats_links,
    published_choices,
    section,
)
from ..components.tabell import tabell
from ..figures.deltagare import trend
from ..kontroller.sida import render_page
from ..publicerat import dolt

PAGE = "deltagare"
PATH = "/deltagare"  # its default period: urlstate.STANDARDPERIOD[PATH]
dash.register_page(__name__, path=PATH, name="Deltagare", title="Deltagare – Insatskollen",
                   order=4)


def layout(**query):
    return render_page(render, query, path=PATH)


def summary(t: tables.Tabell) -> str:
    """One line over the table: from its "Samtliga" row (or its one insats)."""
    if not len(t.df):
        return "Inga individinsatser i urvalet."
    r = t.df.iloc[-1]
    share = next(k for k in t.kolumner if k.key == "andel_arbete_studier")
    # a hidden count in words: a bare "X" or "<5" in a sentence reads as a typo
    arbete = fmt.antal_i_text(r["till_arbete_studier"]) \
        if dolt(r["andel_arbete_studier"]) else tables.cell_of(r.to_dict(), share)
    text = (f"{fmt.antal_i_text(r['deltagare_period'])} deltagare under perioden, "
            f"{fmt.antal_i_text(r['avslutade_period'])} avslutade, varav "
            f"{arbete} till arbete eller studier.")
    return text[:1].upper() + text[1:]


def render(con, scope, state):
    laget = inlast.laget(con)  # what is loaded: once for the page
    t = tables.deltagare(con, scope, state)
    links = insats_links([i for i in t.df["insats_id"] if isinstance(i, str)], state)
    avslut = tables.avslutsorsaker(con, scope, state)
    kvartal = tables.deltagare_kvartal(con, scope, state)
    return html.Main([
        heading(PAGE, "Deltagare", laget, scope, state,
                "Deltagare i individinsatser. En person i två insatser räknas i båda. "
                + tables.sma_tal_text()),
        html.P(summary(t), className="fs-5 mb-1", id=f"{PAGE}-sammanfattning"),
        delade_not(tables.delade_deltagare(con, scope, state), PAGE),
        html.Div([riktning(f"{PAGE}-{name}-riktning", nyckeltal.jamforda(
                      con, state.filters(), lambda g, key=key: nyckeltal.deltagare(con, scope, g)[key]),
                      slag, namn=namn)
                  for name, key, slag, namn in (
                      ("deltagare", "deltagare_period", "antal", "Deltagare"),
                      ("arbete-studier", "andel_arbete_studier", "andel",
                       "Till arbete eller studier"))],
                 className="mb-2"),
        section([t.rubrik, info("perioder", "deltagarna")], tabell(t, PAGE, links=links)),
        section([avslut.rubrik, info("arbete-studier", "avslutsorsakerna")],
                ej_per_period(laget, state, avslut.tom, f"{PAGE}-{avslut.namn}-tom")
                if avslut.tom
                else kon_diagram(PAGE, avslut, "orsak",
                                 storst(avslut.df["orsak"], avslut.df["totalt"], "registreringar"),
                                 published_choices(laget, state, per_ar=True))),
        forsorjning(con, scope, state, laget),
        section(kvartal.rubrik, diagram(
            PAGE, kvartal, trend(kvartal.df, kvartal.rubrik),
            storst([fmt.kvartal(p) for p in kvartal.df["period"]], kvartal.df["avslutade"],
                   "avslutade"))),
    ], className="container-fluid py-2")


def forsorjning(con, scope, state, laget) -> html.Section:
    """Försörjning före och efter: how many of those with public support before left it, the
    sources before and at avslut side by side (or, mostly hidden, a sentence and the table),
    per insats, and from each source to each one click away. Per calendar year outside the
    kansli; a sentence when the extract has no source at avslut."""
    t = tables.forsorjning(con, scope, state)
    rubrik = [t.rubrik, info("forsorjning", "försörjningen före och efter")]
    gid = f"{PAGE}-forsorjning"
    if t.tom == views.FORS_EJ_I_UTTAGET:
        return section(rubrik, html.P(t.tom, id=f"{gid}-tom"), id=f"{gid}-avsnitt")
    if t.tom:
        return section(rubrik, ej_per_period(laget, state, t.tom, f"{gid}-tom"),
                       id=f"{gid}-avsnitt")
    per = tables.forsorjning_insatser(con, scope, state)
    flode = tables.forsorjning_flode(con, scope, state)
    chart = fore_efter_diagram(PAGE, t, published_choices(laget, state, per_ar=True),
                               f"{gid}-diagram")
    return section(rubrik, html.P(rapport_text.lamnat_text(per.totalt["lamnat"],
                                                           per.totalt["offentlig"]),
                                  className="fs-5 mb-1", id=f"{gid}-lamnat"),
                   chart,
                   html.H3(per.rubrik, className="h6 mt-3"),
                   tabell(per, PAGE, links=insats_links(
                       [i for i in per.df["insats_id"] if isinstance(i, str)], state)),
                   html.Details([html.Summary(flode.rubrik, id=f"{gid}-flode-visa"),
                                 tabell(flode, PAGE)], className="mt-2"),
                   id=f"{gid}-avsnitt")
