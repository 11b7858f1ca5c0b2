"""Presentation mode for the board meeting: one view per slide (every light; each insats
needing attention with its goal strip, burn chart, participants and comments; budget per
insats; outcomes against their goals; what changed since the quarter before; the kansli's
closing assessment when written), large type,
keyboard navigation (assets/20-presentation.js), the filters of the URL kept."""

from __future__ import annotations

import math
from dataclasses import replace

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from .. import codes, fmt, inlast, nyckeltal, periods, rapport_text, tables, texter, views
from ..components.lampa import lampa
from ..components.sida import period_text, urval_text
from ..figures.budget import burn, per_insats
from ..figures.deltagare import utfall_mot_mal
from ..kontroller.sida import render_page
from ..publicerat import dolt
from ..publicering import EjPublicerad

PAGE = "presentation"
dash.register_page(__name__, path="/presentation", name="Presentation",
                   title="Presentation – Insatskollen", order=8)


def layout(**query):
    return render_page(render, query)


def slide(n: int, title, *children) -> html.Section:
    label = title if isinstance(title, str) else title[0]
    return html.Section([html.H1(title)] + list(children), className="ik-slide",
                        hidden=n > 0, id=f"{PAGE}-bild-{n + 1}",
                        **{"aria-roledescription": "bild", "aria-label": label})


STATIC = {"displayModeBar": False, "staticPlot": True}


def big(value: str, label: str) -> dbc.Card:
    return dbc.Card(dbc.CardBody([html.Div(value, className="kpi-value"),
                                  html.Div(label, className="kpi-label")]), className="kpi-card h-100")


SLIDE_FONT = 18  # px: the least a chart's text may be, read from the back of the room


def storre(fig: go.Figure) -> go.Figure:
    """Every text of a chart at least ``SLIDE_FONT`` px: the axes, ticks, legend, bar labels,
    annotations and the title (a page's chart is drawn at 14 px)."""
    size = max(SLIDE_FONT, fig.layout.font.size or 0)
    fig.layout.font.size = size
    if fig.layout.title.text:
        fig.layout.title.font.size = max(size + 4, fig.layout.title.font.size or 0)
    fig.layout.legend.font.size = size
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        axis.tickfont.size = size
        axis.title.font.size = size
    for a in fig.layout.annotations:
        a.font.size = max(size, a.font.size or 0)
    for t in fig.data:
        if "textfont" in t:
            t.textfont.size = size
    return fig


def graf(fig, height: int) -> dcc.Graph:
    fig = storre(fig)
    fig.layout.height = height
    return dcc.Graph(figure=fig, config=STATIC, style={"height": f"{height}px"})


def lage_slide(con, scope, state, k) -> list:
    """Every light at once: the counts on goal and budget, and every insats with both."""
    alla = tables.insatser_lampor(con, scope, state).df
    # few insatser (a LOKUS group's): room for each one's förbrukning and the styrgrupp's
    # comment, and for one or two their goal lights of the last four quarters
    few = len(alla) <= 3
    strip = tables.lampor(con, scope, state) if few else None

    def detalj(r) -> html.Div:
        rec = next((x for x in tables.rader(strip.df) if x["insats_id"] == r.insats_id), {})
        return html.Div([
            f"{fmt.procent(r.forbrukningskvot)} av budgeten förbrukat"
            + (f". Styrgruppen: {r.kommentar}" if r.kommentar else ""),
            remsa(rec, strip.kolumner[1:][-4:]) if len(alla) <= 2 else None,
        ], className="ik-slide-rad-detalj")

    rows = [html.Tr([html.Td(lampa(r.lampa)), html.Td(lampa(r.budget_lampa
                                                           if isinstance(r.budget_lampa, str)
                                                           else None)),
                     html.Td([r.kortnamn, detalj(r) if few else None])])
            for r in alla.itertuples()]
    counts = html.Table([
        html.Thead(html.Tr([html.Th("")] + [html.Th(lampa(key)) for key, _ in codes.LJUSEN])),
        html.Tbody([html.Tr([html.Th(name)] + [html.Td(str(k[what][key]),
                                                       id=f"{PAGE}-{prefix}antal-{key}")
                                               for key, _ in codes.LJUSEN])
                    for name, what, prefix in (("Mål", "lampor", ""),
                                               ("Budget", "budget_lampor", "budget-"))]),
    ], className="ik-slide-lage")
    f = state.filters()
    u = nyckeltal.rubrikutfall(con, scope, f)
    hidden = any(dolt(u[c]) for c in ("andel_handlingsplan", "andel_arbete_studier"))
    delad = tables.delade_deltagare(con, scope, replace(
        state, fran=nyckeltal.ar_hittills(con, f).fran))
    ar = html.Div([
        html.P(f"Hittills i år ({u['till'][:4]})", className="ik-slide-delt mt-4 mb-1 fw-semibold"),
        *([html.P(_hittills_text(u), className="ik-slide-delt")] if hidden else [
            html.P([html.Span(fmt.procent(u["andel_handlingsplan"]), className="ik-slide-tal"),
                    " hade en handlingsplan vid avslut (mål minst "
                    f"{fmt.procent(u['mal_handlingsplan'])})"], className="ik-slide-delt mb-2"),
            html.P([html.Span(fmt.procent(u["andel_arbete_studier"]), className="ik-slide-tal"),
                    " gick till arbete eller studier"], className="ik-slide-delt")]),
        html.P(delad, className="ik-slide-not") if delad else None,
    ])
    return [dbc.Row([
        dbc.Col([counts, ar], width=5),
        dbc.Col(html.Table([html.Thead(html.Tr([html.Th("Mål"), html.Th("Budget"),
                                                html.Th("Insats")])),
                            html.Tbody(rows)], className="ik-slide-alla"), width=7),
    ])]


def remsa(rec: dict, quarters: list) -> html.Table:
    """An insats's goal lights over ``quarters`` (tables.lampor's columns), in a line: the
    latest year's quarters as "kv 1"…, an earlier one's with its year."""
    year = quarters[-1].key[:4]
    return html.Table([
        html.Tr([html.Th(f"kv {q.key[-1]}" + ("" if q.key[:4] == year else f" {q.key[:4]}"))
                 for q in quarters]),
        html.Tr([html.Td(tables.cell(rec.get(q.key), "lampa"),
                         className=f"lampa lampa-{codes.lampa_key(rec.get(q.key))}")
                 for q in quarters])], className="ik-slide-remsa")


class Underlag:
    """What the insats slides read, fetched once for the selection (an insats's row of a
    selection's table is that insats's own figures, the same published cells): its budget
    table, goal-light strip, register, participants of the year to date (None when not
    published), the goals of the insatser needing attention and the kommuner the page is
    about. (A plain class: Dash loads a page module outside sys.modules, where a dataclass
    cannot resolve its annotations.)"""

    def __init__(self, budget: pd.DataFrame, strip: tables.Tabell, register: pd.DataFrame,
                 deltagare: pd.DataFrame | None, malen: tables.Tabell | None, kommuner: tuple):
        self.budget, self.strip, self.register = budget, strip, register
        self.deltagare, self.malen, self.kommuner = deltagare, malen, kommuner

    @classmethod
    def hamta(cls, con, scope, state, f, ids: tuple) -> Underlag:
        try:
            delt = views.deltagare(con, scope, replace(nyckeltal.ar_hittills(con, f), kon=()))
        except EjPublicerad:
            delt = None
        malen = tables.malen(con, scope, replace(state, insatser=ids)) if ids else None
        return cls(tables.budget(con, scope, state).df, tables.lampor(con, scope, state),
                   views.insatser(con, scope, f), delt, malen, tables.urval(scope, state))

    @staticmethod
    def rad(df: pd.DataFrame | None, insats_id: str) -> dict | None:
        """An insats's row of a table, or None."""
        if df is None:
            return None
        return next((r for r in tables.rader(df) if r["insats_id"] == insats_id), None)


def insats_slide(con, scope, state, f, r, text: texter.Text | None, u: Underlag) -> list:
    """One insats needing attention: why, its goal strip, the styrgrupp's comment and the
    kansli's own text when it has written one, its participants; beside them its burn chart,
    budget figures and the goals the extract computes beside what the styrgrupp reported."""
    strip = u.strip
    rec = Underlag.rad(strip.df, r.insats_id) or {}
    burn_t = tables.budget_kvartal(con, scope, state, r.insats_id)
    left = [html.Ul([html.Li(x) for x in r.skal], className="ik-slide-skal"),
            remsa(rec, strip.kolumner[1:][-5:]),
            html.Blockquote("Styrgruppen: " + (r.kommentar or "ingen kommentar."),
                            className="ik-slide-kommentar")]
    if text is not None:
        left.append(html.Blockquote([html.P(("Kansliet: " if i == 0 else "") + p)
                                     for i, p in enumerate(text.stycken)],
                                    className="ik-slide-kommentar ik-slide-kansli"))
    malen = u.malen
    own = malen.df[malen.df["insats_id"] == r.insats_id]
    computed = own[own["beraknat_text"] != ""]
    people = deltagar_siffror(u, r.insats_id, set(computed["berakning"]))
    fig = burn(burn_t.df, "Budget och utfall hittills i år")
    for trace, name in zip(fig.data, ("Budget", "Utfall", None, "Grönt intervall")):
        trace.name = name or trace.name  # short: one line of the legend at the slide's size
    fig.update_layout(title=None, legend={"orientation": "h", "y": 1.02, "yanchor": "bottom",
                                          "x": 0}, margin={"t": 50, "b": 30})
    # the goals with a figure: computed beside reported where the extract answers them
    goals = [html.Li([html.Span(m["beskrivning"], className="fw-semibold"), ": ",
                      ", ".join(x for x in (
                          m["beraknat_text"] and f"beräknat {m['beraknat_text']}",
                          m["utfall_text"] and f"rapporterat {m['utfall_text']}") if x)
                      + (" ≠" if (i, "beraknat_text") in malen.skiljer else "")])
             for i, m in own.iterrows() if m["beraknat_text"] or m["utfall_text"]]
    differs = any((i, "beraknat_text") in malen.skiljer for i in own.index)
    n_goals = len(goals)
    goals = html.Div([html.Ul(goals, className="ik-slide-mal"),
                      html.P("≠: det beräknade skiljer sig med mer än en tiondel från det "
                             "rapporterade.", className="ik-slide-not mt-0") if differs else None]
                     ) if goals else None
    budget = budget_siffror(con, f, u, r.insats_id, people is None)
    if people is None:  # a struktur- or kompetensinsats: its goals and budget on the left
        left += [goals, budget]
        right = [html.P("Budget och utfall hittills i år", className="ik-slide-graf-rubrik"),
                 graf(fig, 540)]
    else:  # the participants beside the comments; the goals under them when there is room
        left.append(people)  # (no text of the kansli's, a short comment), else under the budget
        room = text is None and len(r.kommentar or "") <= 120
        if room:
            left.append(goals)
        right = [html.P("Budget och utfall hittills i år", className="ik-slide-graf-rubrik"),
                 graf(fig, 420 if room else max(200, 330 - 40 * max(0, n_goals - 1))),
                 budget] + ([] if room else [goals])
    return [dbc.Row([dbc.Col(left, width=6), dbc.Col(right, width=6)])]


def _siffertabell(rows: list) -> html.Table | None:
    return html.Table(html.Tbody([html.Tr([html.Th(k, scope="row"), html.Td(v)])
                                  for k, v in rows]),
                      className="ik-slide-siffror-tabell") if rows else None


def budget_siffror(con, f, u: Underlag, insats_id: str, fakta: bool = False
                   ) -> html.Table | None:
    """An insats's budget for its slide: the year to date, the forecast (before Q4) and what
    was moved or returned; with ``fakta`` (room left) also what was granted for its time."""
    x = Underlag.rad(u.budget, insats_id)
    if x is None:
        return None
    rows = [("Hittills i år", f"{fmt.tkr(x['ack_utfall_tkr'])} av {fmt.tkr(x['ack_budget_tkr'])}"
             f" ({fmt.procent(x['forbrukningskvot'])})")]
    if fakta:
        g = Underlag.rad(u.register, insats_id)
        if g is not None:
            rows.append(("Beviljat", f"{fmt.tkr(g['beviljat_tkr'])} för "
                         f"{g['startdatum']:%Y-%m-%d} – {g['slutdatum']:%Y-%m-%d}"))
    if isinstance(x["prognos_kvot"], float) and periods.parse(
            views.resolve(con, f)[1].till) % 4 != 3:  # at Q4 the forecast is the year itself
        rows.append(("Prognos vid årets slut", [fmt.procent(x["prognos_kvot"]), " ",
                                                lampa(x["prognos_lampa"])]))
    flytt = [f"{fmt.tkr(x[c])} {w}" for c, w in (("overfort_ar_tkr", "överfört till nästa år"),
                                                 ("aterfort_tkr", "återfört")) if x[c]]
    if flytt:
        rows.append(("Flyttat", ", ".join(flytt)))
    return _siffertabell(rows)


def deltagar_siffror(u: Underlag, insats_id: str, beraknade: set) -> html.Div | None:
    """An individinsats's participants for its slide, the year to date (a hidden count in
    words); the share with a plan only when no goal computes it already (``beraknade``); and,
    for some kommuner, that a shared insats counts its participants whole."""
    x = Underlag.rad(u.deltagare, insats_id)
    if x is None:
        return None
    rows = [("Deltagare hittills i år", f"{fmt.antal_i_text(x['deltagare_period'])}, varav "
             f"{fmt.antal_i_text(x['avslutade_period'])} avslutade"),
            ("Till arbete eller studier", andel_text(
                x["till_arbete_studier"], x["avslutade_period"], x["andel_arbete_studier"]))]
    if "andel_handlingsplan" not in beraknade:
        rows.append(("Handlingsplan vid avslut", andel_text(
            x["med_handlingsplan"], x["avslutade_period"], x["andel_handlingsplan"])))
    reg = u.register[u.register["insats_id"] == insats_id]
    delad = tables.delad_not(reg, u.kommuner, "deltagare").strip()
    return html.Div([_siffertabell(rows),
                     html.P(delad, className="ik-slide-not") if delad else None])


def andel_text(n, av, andel) -> str:
    """``'16 av 41 (39 %)'``; a hidden count in words (``'färre än 5 av 41'``)."""
    if dolt(andel) or dolt(n):
        return f"{fmt.antal_i_text(n)} av {fmt.antal_i_text(av)}"
    return f"{fmt.heltal(n)} av {fmt.heltal(av)} ({fmt.procent(andel)})"


SLIDE_TECKEN = 1300  # about what fits a slide at a size the back of the room can read


def analys_slide(text: texter.Text, k: dict, u: dict) -> list:
    """The kansli's analysis beside the figures it speaks of (the lights, the year's budget and
    outcomes), in type as large as its length allows; a text longer than a slide shows its
    first paragraphs and says where the rest is."""
    shown, n = [], 0
    for p in text.stycken:
        if shown and n + len(p) > SLIDE_TECKEN:
            break
        shown.append(p)
        n += len(p)
    size = ("ik-slide-kortast" if n <= 250 else "ik-slide-kort" if n <= 450
            else "ik-slide-mellan" if n <= 900 else "ik-slide-lang")
    more = [html.P("Hela texten står i PM:et.", className="small")] \
        if len(shown) < len(text.stycken) else []
    lamp = k["lampor"]
    siffror = html.Ul([
        html.Li([html.Div(fmt.kvartal(u["till"]), className="fw-semibold"),
                 lampa("gron", text=str(lamp["gron"])), " ", lampa("gul", text=str(lamp["gul"])),
                 " ", lampa("rod", text=str(lamp["rod"])), " på mål"]),
        html.Li([html.Div(f"Hittills i år ({u['till'][:4]})", className="fw-semibold"),
                 f"{fmt.procent(k['budget']['forbrukningskvot'])} av budgeten förbrukad"]),
        html.Li(f"{fmt.procent(u['andel_handlingsplan'])} med handlingsplan vid avslut "
                f"(mål {fmt.procent(u['mal_handlingsplan'])})"),
        html.Li(f"{fmt.procent(u['andel_arbete_studier'])} till arbete eller studier"),
    ], className="ik-slide-siffror list-unstyled")
    return [dbc.Row([
        dbc.Col(html.Div([html.P(p) for p in shown] + more,
                         className=f"ik-slide-kansli {size}", id=f"{PAGE}-kansliet"), width=8),
        dbc.Col(siffror, width=4, className="ik-slide-delt"),
    ])]


def budget_slide(con, scope, state, f) -> list:
    """Förbrukningskvot per insats of the quarter's lights (``kvartalets_insatser``) against the
    green band, the selection's year to date above it; with few insatser their figures too."""
    b = nyckeltal.budget(con, scope, f)
    bud = views.budget(con, scope, nyckeltal.ar_hittills(con, f))
    running = nyckeltal.kvartalets_insatser(con, scope, f)
    bud = bud[bud["insats_id"].isin(running.loc[running["i_kvartalet"], "insats_id"])]
    total = html.P([f"{fmt.procent(b['forbrukningskvot'])} av årets budget hittills förbrukad "
                    f"({fmt.tkr(b['ack_utfall_tkr'])} av {fmt.tkr(b['ack_budget_tkr'])}) ",
                    lampa(b["lampa"])], className="ik-slide-delt mb-1")
    if len(bud) > 4:
        return [total, graf(per_insats(bud), 520)]
    t = tables.budget(con, scope, state).df
    t = t[t["insats_id"].isin(bud["insats_id"])]
    rows = [html.Tr([html.Th(x["kortnamn"], scope="row"),
                     html.Td(f"{fmt.tkr(x['ack_utfall_tkr'])} av {fmt.tkr(x['ack_budget_tkr'])}"),
                     html.Td(fmt.procent(x["prognos_kvot"])),
                     html.Td(", ".join(f"{fmt.tkr(x[c])} {w}" for c, w in (
                         ("overfort_ar_tkr", "överfört"), ("aterfort_tkr", "återfört"))
                         if x[c]) or "–")]) for x in tables.rader(t)]
    figures = html.Table([html.Thead(html.Tr([html.Th("Insats"), html.Th("Utfall hittills i år"),
                                              html.Th("Prognos helår"),
                                              html.Th("Till nästa år / tillbaka")])),
                          html.Tbody(rows)], className="ik-slide-tabell")
    return [total, graf(per_insats(bud), 110 + 70 * len(bud)), figures]


def _hittills_text(u: dict) -> list:
    """The year to date's plan and work-or-studies shares in a sentence; a hidden one in
    words."""
    plan = (f"{fmt.procent(u['andel_handlingsplan'])} av de avslutade hade en handlingsplan"
            if not dolt(u["andel_handlingsplan"]) else
            f"{fmt.antal_i_text(u['med_handlingsplan'])} av {fmt.antal_i_text(u['avslutade'])} "
            "avslutade hade en handlingsplan")
    arbete = (f"{fmt.procent(u['andel_arbete_studier'])} gick till arbete eller studier "
              f"({fmt.heltal(u['till_arbete_studier'])} av {fmt.heltal(u['avslutade'])})"
              if not dolt(u["andel_arbete_studier"]) else
              f"{fmt.antal_i_text(u['till_arbete_studier'])} gick till arbete eller studier")
    text = f"{plan} (mål minst {fmt.procent(u['mal_handlingsplan'])}); {arbete}."
    return [text[:1].upper() + text[1:]]


def utfall_slide(con, scope, state, f, u: dict, per) -> list:
    """Each individinsats's shares against the goal: a chart, or, when most of its shares are
    hidden, a sentence (a chart of gaps says nothing); for some kommuner which insatser are
    counted whole."""
    ytd = replace(state, fran=nyckeltal.ar_hittills(con, f).fran)
    delad = tables.delade_deltagare(con, scope, ytd)
    shares = [v for c in ("andel_handlingsplan", "andel_arbete_studier") for v in per[c]]
    hidden = sum(dolt(v) for v in shares)
    lamnat = lamnat_text(nyckeltal.lamnat_offentlig(con, scope, f))
    body = [html.P(_hittills_text(u) + ([" ", html.Span(lamnat, id=f"{PAGE}-lamnat")]
                                        if lamnat else []), className="ik-slide-delt")]
    if not len(per) or hidden * 2 > len(shares):
        body.append(html.P("Andelarna per insats visas inte: de flesta bygger på tal som är "
                           "för små för att visas. Siffrorna för året finns på sidan Deltagare.",
                           className="ik-slide-delt", id=f"{PAGE}-utfall-i-stallet"))
    else:
        # (a full slide's chart gives the sentence on leaving public support its line)
        body.append(graf(utfall_mot_mal(per, u["mal_handlingsplan"]),
                         130 + 70 * len(per) if len(per) <= 4 else 470 - 40 * bool(lamnat)))
    if 0 < len(per) <= 4:  # room for their counts too
        body.append(html.Table([
            html.Thead(html.Tr([html.Th("Insats"), html.Th("Avslutade"),
                                html.Th("Till arbete eller studier"),
                                html.Th("Handlingsplan vid avslut")])),
            html.Tbody([html.Tr([
                html.Th(x["kortnamn"], scope="row"), html.Td(fmt.antal_i_text(x["avslutade_period"])),
                html.Td(andel_text(x["till_arbete_studier"], x["avslutade_period"],
                                   x["andel_arbete_studier"])),
                html.Td(andel_text(x["med_handlingsplan"], x["avslutade_period"],
                                   x["andel_handlingsplan"]))]) for x in tables.rader(per)])],
            className="ik-slide-tabell", id=f"{PAGE}-utfall-tabell"))
    body += [html.P(delad, className="ik-slide-not") if delad else None,
             # the markers explained where the slide has one
             html.P(tables.sma_tal_text(), className="small") if hidden or any(
                 dolt(u[c]) for c in ("avslutade", "till_arbete_studier",
                                                 "med_handlingsplan")) else None]
    return body


def lamnat_text(fors: dict) -> str | None:
    """Beside the year's outcomes: how many of those with public support before left it (for
    the whole year: the figures are published per calendar year)."""
    if not fors["i_uttaget"] or not fors["fran"]:
        return None
    return rapport_text.lamnat_ar_text(fors)


def andringar_slide(con, scope, state, f, k: dict) -> list:
    """What changed since the quarter before, in words; with few changes, the quarter's
    insatser's goal lights over the last four quarters beside them."""
    changes = tables.andringar(con, scope, state).df
    texts = [f"{r.kortnamn}: {r.andring.lower()}" + (f" ({r.detalj})" if r.detalj else "")
             for r in changes.itertuples()]
    d = k["deltagare"]
    jmf = [(w, nyckeltal.oversikt(con, scope, g)) for kind, w, g in nyckeltal.jamforelser(con, f)
           if kind == "kvartal"]
    if jmf:
        w, o = jmf[0]
        for name, nu, da, slag in (("deltagare under kvartalet", d["deltagare_period"],
                                    o["deltagare"]["deltagare_period"], "antal"),
                                   ("till arbete eller studier", k["andel_arbete_studier"],
                                    o["andel_arbete_studier"], "andel")):
            ch = nyckeltal.forandring(nu, da, slag)
            if ch:
                texts.append(f"{name.capitalize()}: {ch[0]} {ch[1]} {w}")
    texts = texts or ["Inga ändringar."]
    strip = tables.lampor(con, scope, state)
    running = nyckeltal.kvartalets_insatser(con, scope, f)
    df = strip.df[strip.df["insats_id"].isin(running.loc[running["i_kvartalet"], "insats_id"])]
    # room for the goal lights of the last four quarters under the list, in its own type or
    # a smaller one: (characters a line, px a line) of each, 50 px a row of the strip, 560 px
    def fits(chars: int, px: int) -> bool:
        return sum(math.ceil(len(t) / chars) for t in texts) * px + (len(df) + 1) * 50 <= 560

    large, with_strip = fits(48, 55), fits(48, 55) or fits(60, 38)
    body = [html.Ul([html.Li(t) for t in texts], className="ik-slide-andringar"
                    + ("" if large or not with_strip else " ik-slide-andringar-kort"))]
    if with_strip:
        quarters = strip.kolumner[1:][-4:]
        body.append(html.Table([
            html.Thead(html.Tr([html.Th("Mållampa")] + [html.Th(q.rubrik) for q in quarters])),
            html.Tbody([html.Tr([html.Th(x["kortnamn"], scope="row")] + [
                html.Td(tables.cell(x[q.key], "lampa"),
                        className=f"lampa lampa-{codes.lampa_key(x[q.key])}")
                for q in quarters]) for x in tables.rader(df)])],
            className="ik-slide-tabell", id=f"{PAGE}-andringar-remsa"))
    return body


def render(con, scope, state):
    laget = inlast.laget(con)  # what is loaded: once for the page
    f = state.filters()
    period = period_text(laget, state)
    k = nyckeltal.oversikt(con, scope, f)
    watch = nyckeltal.uppmarksamhet(con, scope, f)
    _, g = views.resolve(con, f)
    texts = texter.aktuella(con, g.till)
    urval = urval_text(scope, state)  # a LOKUS group's kommun: the projected slide says so
    slides = [(f"Läget {period}" + (f" · {urval}" if urval else ""),
               lage_slide(con, scope, state, k))]
    underlag = Underlag.hamta(con, scope, state, f, tuple(watch["insats_id"]))
    for r in watch.itertuples():
        lights = [x for name, v in (("Mål", r.lampa), ("Budget", r.budget_lampa))
                  if v in ("rod", "gul") for x in (f" · {name} ", lampa(v))]
        slides.append(([r.kortnamn, *lights], insats_slide(
            con, scope, state, f, r, texts.get((texter.INSATS, r.insats_id)), underlag)))
    slides.append(("Budget per insats, hittills i år", budget_slide(con, scope, state, f)))
    u = nyckeltal.rubrikutfall(con, scope, f)
    try:
        per = views.deltagare(con, scope, replace(nyckeltal.ar_hittills(con, f), kon=()))
    except EjPublicerad as e:
        slides.append(("Utfall mot mål", [html.P(str(e), className="fs-3")]))
    else:
        slides.append((f"Utfall mot mål, hittills i år ({u['till'][:4]})",
                       utfall_slide(con, scope, state, f, u, per)))
    slides.append(("Vad har ändrats sedan förra kvartalet", andringar_slide(con, scope, state,
                                                                             f, k)))
    analys = texts.get(("analys", ""))
    if analys is not None:  # the kansli's closing words (the PM's last chapter)
        slides.append(("Kansliets bedömning", analys_slide(analys, k, u)))
    return html.Main([
        *[slide(n, title, *body) for n, (title, body) in enumerate(slides)],
        html.Div([html.Span("→ nästa · ← föregående · F helskärm · Esc avsluta"),
                  html.Span(f"1 / {len(slides)}", id=f"{PAGE}-raknare", **{"aria-live": "polite"})],
                 className="ik-slide-fot"),
    ], className="ik-presentation", id=f"{PAGE}-bilder")
