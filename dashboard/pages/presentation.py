"""Presentation mode for the board meeting: one view per slide (every light; each insats
needing attention with its goal strip, burn chart, participants and comments; budget per
insats; outcomes against their goals; what changed since the quarter before; the kansli's
closing assessment when written), large type,
keyboard navigation (assets/20-presentation.js), the filters of the URL kept."""

from __future__ import annotations

from dataclasses import replace

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from .. import codes, fmt, nyckeltal, tables, texter, views
from ..components.lampa import lampa
from ..components.sida import period_text, render_page, urval_text
from ..figures.budget import burn, per_insats
from ..figures.deltagare import utfall_mot_mal
from ..publicering import EjPublicerad
from .oversikt import LJUS

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


def graf(fig, height: int) -> dcc.Graph:
    fig.layout.height = height
    return dcc.Graph(figure=fig, config=STATIC, style={"height": f"{height}px"})


def lage_slide(con, scope, state, k) -> list:
    """Every light at once: the counts on goal and budget, and every insats with both."""
    alla = tables.insatser_lampor(con, scope, state).df
    rows = [html.Tr([html.Td(lampa(r.lampa)), html.Td(lampa(r.budget_lampa
                                                           if isinstance(r.budget_lampa, str)
                                                           else None)),
                     html.Td(r.kortnamn)]) for r in alla.itertuples()]
    counts = html.Table([
        html.Thead(html.Tr([html.Th("")] + [html.Th(lampa(key)) for key, _ in LJUS])),
        html.Tbody([html.Tr([html.Th(name)] + [html.Td(str(k[what][key]),
                                                       id=f"{PAGE}-{prefix}antal-{key}")
                                               for key, _ in LJUS])
                    for name, what, prefix in (("Mål", "lampor", ""),
                                               ("Budget", "budget_lampor", "budget-"))]),
    ], className="ik-slide-lage")
    u = nyckeltal.rubrikutfall(con, scope, state.filters())
    ar = html.Div([
        html.P(f"Hittills i år ({u['till'][:4]})", className="ik-slide-delt mt-4 mb-1 fw-semibold"),
        html.P([html.Span(fmt.procent(u["andel_handlingsplan"]), className="ik-slide-tal"),
                f" hade en handlingsplan vid avslut (mål minst {fmt.procent(u['mal_handlingsplan'])})"],
               className="ik-slide-delt mb-2"),
        html.P([html.Span(fmt.procent(u["andel_arbete_studier"]), className="ik-slide-tal"),
                " gick till arbete eller studier"], className="ik-slide-delt"),
    ])
    return [dbc.Row([
        dbc.Col([counts, ar], width=5),
        dbc.Col(html.Table([html.Thead(html.Tr([html.Th("Mål"), html.Th("Budget"),
                                                html.Th("Insats")])),
                            html.Tbody(rows)], className="ik-slide-alla"), width=7),
    ])]


def insats_slide(con, scope, state, f, r, text: texter.Text | None) -> list:
    """One insats needing attention: why, its goal strip, burn chart, participants, the
    styrgrupp's comment and the kansli's own text when it has written one."""
    strip = tables.lampor(con, scope, state, r.insats_id)
    quarters = [k for k in strip.kolumner[1:]][-5:]
    rec = strip.df.iloc[0].to_dict() if len(strip.df) else {}
    remsa = html.Table([html.Tr([html.Th([k.rubrik.rsplit(" ", 1)[0], html.Br(),
                                          k.rubrik.rsplit(" ", 1)[1]]) for k in quarters]),
                        html.Tr([html.Td(tables.cell(rec.get(k.key), "lampa"),
                                         className=f"lampa lampa-{codes.lampa_key(rec.get(k.key))}")
                                 for k in quarters])], className="ik-slide-remsa")
    burn_t = tables.budget_kvartal(con, scope, state, r.insats_id)
    left = [html.Ul([html.Li(x) for x in r.skal], className="ik-slide-skal"), remsa,
            html.Blockquote("Styrgruppen: " + (r.kommentar or "ingen kommentar."),
                            className="ik-slide-kommentar")]
    if text is not None:
        left.append(html.Blockquote([html.P(("Kansliet: " if i == 0 else "") + p)
                                     for i, p in enumerate(text.stycken)],
                                    className="ik-slide-kommentar ik-slide-kansli"))
    try:
        d = views.deltagare(con, scope, replace(nyckeltal.ar_hittills(con, f),
                                                insatser=(r.insats_id,), kon=()))
    except EjPublicerad:
        d = None
    if d is not None and len(d):
        x = d.iloc[0]
        left.append(html.P(
            f"Hittills i år: {fmt.heltal(x['deltagare_period'])} deltagare, "
            f"{fmt.heltal(x['avslutade_period'])} avslutade, varav "
            f"{fmt.heltal(x['till_arbete_studier'])} till arbete eller studier.",
            className="ik-slide-delt"))
    return [dbc.Row([dbc.Col(left, width=6),
                     dbc.Col(graf(burn(burn_t.df, "Budget och utfall hittills i år"), 580),
                             width=6)])]


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


def render(con, scope, state):
    f = state.filters()
    period = period_text(con, state)
    k = nyckeltal.oversikt(con, scope, f)
    d = k["deltagare"]
    watch = nyckeltal.uppmarksamhet(con, scope, f)
    _, g = views.resolve(con, f)
    texts = texter.aktuella(con, g.till)
    urval = urval_text(scope, state)  # a LOKUS group's kommun: the projected slide says so
    slides = [(f"Läget {period}" + (f" · {urval}" if urval else ""),
               lage_slide(con, scope, state, k))]
    for r in watch.itertuples():
        lights = [x for name, v in (("Mål", r.lampa), ("Budget", r.budget_lampa))
                  if v in ("rod", "gul") for x in (f" · {name} ", lampa(v))]
        slides.append(([r.kortnamn, *lights], insats_slide(
            con, scope, state, f, r, texts.get((texter.INSATS, r.insats_id)))))
    bud = views.budget(con, scope, nyckeltal.ar_hittills(con, f))
    running = tables.insatser_lampor(con, scope, state).df["insats_id"]
    bud = bud[bud["insats_id"].isin(running)]
    slides.append(("Budget per insats, hittills i år", [graf(per_insats(bud), 560)]))
    u = nyckeltal.rubrikutfall(con, scope, f)
    try:
        per = views.deltagare(con, scope, replace(nyckeltal.ar_hittills(con, f), kon=()))
    except EjPublicerad as e:
        slides.append(("Utfall mot mål", [html.P(str(e), className="fs-3")]))
    else:
        slides.append((f"Utfall mot mål, hittills i år ({u['till'][:4]})", [
            html.P(f"{fmt.procent(u['andel_handlingsplan'])} av de avslutade hade en "
                   f"handlingsplan (mål minst {fmt.procent(u['mal_handlingsplan'])}); "
                   f"{fmt.procent(u['andel_arbete_studier'])} gick till arbete eller studier "
                   f"({fmt.heltal(u['till_arbete_studier'])} av {fmt.heltal(u['avslutade'])}).",
                   className="ik-slide-delt"),
            graf(utfall_mot_mal(per, u["mal_handlingsplan"]), 470),
            html.P(tables.sma_tal_text(), className="small")]))
    changes = tables.andringar(con, scope, state).df
    items = [html.Li(f"{r.kortnamn}: {r.andring.lower()}" + (f" ({r.detalj})" if r.detalj else ""))
             for r in changes.itertuples()]
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
                items.append(html.Li(f"{name.capitalize()}: {ch[0]} {ch[1]} {w}"))
    slides.append(("Vad har ändrats sedan förra kvartalet", [
        html.Ul(items or [html.Li("Inga ändringar.")], className="ik-slide-andringar")]))
    analys = texts.get(("analys", ""))
    if analys is not None:  # the kansli's closing words (the PM's last chapter)
        slides.append(("Kansliets bedömning", analys_slide(analys, k, u)))
    return html.Main([
        *[slide(n, title, *body) for n, (title, body) in enumerate(slides)],
        html.Div([html.Span("→ nästa · ← föregående · F helskärm · Esc avsluta"),
                  html.Span(f"1 / {len(slides)}", id=f"{PAGE}-raknare", **{"aria-live": "polite"})],
                 className="ik-slide-fot"),
    ], className="ik-presentation", id=f"{PAGE}-bilder")
