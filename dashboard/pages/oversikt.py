"""Översikt (start page, made for a projector): key figures for the chosen period, every
insats with its goal and budget light (red and yellow first, with the styrgrupp's comment),
and what changed since the quarter before."""

from __future__ import annotations

import math
from dataclasses import replace

import dash
import dash_bootstrap_components as dbc
from dash import html

from .. import codes, fmt, inlast, nyckeltal, publicering, rapport_text, slutrapport, tables, urval
from ..components.lampa import lampa, legend
from ..components.riktning import riktning
from ..components.sida import (
    delade_not,
    heading,
    info,
    insats_href,
    insats_links,
    period_text,
    section,
    urval_text,
)
from ..components.tabell import tabell
from ..kontroller.pm import pm_knapp
from ..kontroller.sida import render_page
from ..publicerat import dolt

PAGE = "oversikt"
dash.register_page(__name__, path="/", name="Översikt", title="Översikt – Insatskollen", order=0)


def layout(**query):
    return render_page(render, query)


def kpi(id_: str, value: str, label: str, sub: str | None = None, trend=None,
        mening: str | None = None) -> dbc.Card:
    """A key figure; ``mening``: instead of a hidden value, a sentence saying what is known
    ("Färre än 5 av 25 avslutade gick till arbete eller studier"), not a bare "<5" or "X"."""
    if mening is not None:
        return dbc.Card(dbc.CardBody([
            html.Div(mening, className="kpi-mening", id=f"{PAGE}-{id_}"),
            html.Div(sub, className="small text-body-secondary", id=f"{PAGE}-{id_}-detalj")
            if sub else None,
        ]), className="kpi-card h-100")
    return dbc.Card(dbc.CardBody([
        html.Div(value, className="kpi-value", id=f"{PAGE}-{id_}"),
        html.Div(label, className="kpi-label"),
        html.Div(sub, className="small text-body-secondary", id=f"{PAGE}-{id_}-detalj")
        if sub else None,
        trend,
    ]), className="kpi-card h-100")


def lage(k: dict, fore: tuple[str, dict] | None) -> dbc.Card:
    """How many insatser are green, yellow and red, on goal and on budget: one small table,
    each count with its change against the quarter before (arrow in the cell, words below)."""
    changes = []

    def antal(id_: str, what: str, key: str, word: str) -> html.Td:
        n = k[what][key]
        cell = [html.Span(str(n), id=id_)]
        if fore:
            arrow, words = nyckeltal.forandring(n, fore[1][what][key])
            if arrow != "=":
                cell.append(html.Span(f" {arrow}{words.split()[0]}", className="ik-delta",
                                      **{"aria-hidden": "true"}))
                changes.append(f"{words} {word.lower()} på {'mål' if what == 'lampor' else 'budget'}")
        return html.Td(cell, className=f"ik-antal text-center{' ik-antal-0' if not n else ''}")

    rows = [html.Tr([html.Th("Mål", scope="row")]
                    + [antal(f"{PAGE}-antal-{key}", "lampor", key, w) for key, w in codes.LJUSEN]),
            html.Tr([html.Th("Budget", scope="row")]
                    + [antal(f"{PAGE}-budget-antal-{key}", "budget_lampor", key, w)
                       for key, w in codes.LJUSEN])]
    saknas = k["lampor"]["saknas"]
    andring = None
    if fore:
        andring = html.P((f"Mot {fore[0][3:]}: " + ", ".join(changes) + ".") if changes
                         else f"Samma som {fore[0][3:]}.", className="small mb-0 mt-1",
                         id=f"{PAGE}-lage-andring")
    return dbc.Card(dbc.CardBody([
        html.H2(["Insatser under kvartalet", info("mallampa", "lamporna")], className="h6 mb-1"),
        html.Table([
            html.Thead(html.Tr([html.Th(html.Span("Lampa", className="visually-hidden"))]
                               + [html.Th(lampa(key), scope="col", className="text-center")
                                  for key, _ in codes.LJUSEN])),
            html.Tbody(rows),
        ], className="ik-lage w-100 mb-0", id=f"{PAGE}-lage"),
        andring,
        html.P(f"{saknas} {'insats saknar' if saknas == 1 else 'insatser saknar'} "
               "kvartalsrapport för kvartalet.", id=f"{PAGE}-saknas",
               className="small mb-0 mt-1") if saknas else None,
    ], className="py-2"), className="mb-2")


def rubrikutfall(u: dict, fjol: tuple[str, dict] | None, lanet: dict | None = None,
                 delade: str = "", fors: dict | None = None) -> dbc.Card:
    """The year's headline outcome: plans at avslut against the goal, work or studies, and
    (``fors``: ``nyckeltal.lamnat_offentlig``, with "fore": the year before's) how many left
    public support; for some kommuner (a LOKUS group, a kommun filter) the whole förbund's
    beside them."""
    n = fmt.heltal(u["avslutade"])
    if u["nar_malet"] is None:
        status = None
    else:
        status = html.Span(codes.lampa_text("gron" if u["nar_malet"] else "rod").split()[0]
                           + (" målet nått" if u["nar_malet"] else " under målet"),
                           className=f"lampa lampa-{'gron' if u['nar_malet'] else 'rod'}")
    ar = fmt.kvartal(u["till"]).rsplit(" ", 1)[-1]
    plan = html.Div([html.Span(fmt.procent(u["andel_handlingsplan"]), className="kpi-value me-2",
                               id=f"{PAGE}-handlingsplan"),
                     html.Span(["hade en handlingsplan vid avslut · mål minst ",
                                fmt.procent(u["mal_handlingsplan"]), " ", status],
                               className="kpi-label")])
    if dolt(u["andel_handlingsplan"]):  # hidden: what is known, in a sentence
        plan = html.Div(mening(
            f"{fmt.antal_i_text(u['med_handlingsplan'])} av {fmt.antal_i_text(u['avslutade'])} "
            f"avslutade hade en handlingsplan vid avslut (mål minst "
            f"{fmt.procent(u['mal_handlingsplan'])})"), className="kpi-mening",
            id=f"{PAGE}-handlingsplan")
    arbete = html.Div([html.Span(fmt.procent(u["andel_arbete_studier"]),
                                 className="kpi-value me-2", id=f"{PAGE}-ar-arbete-studier"),
                       html.Span(f"gick till arbete eller studier "
                                 f"({fmt.heltal(u['till_arbete_studier'])} av {n} avslutade)",
                                 className="kpi-label")])
    if dolt(u["andel_arbete_studier"]):
        arbete = html.Div(mening(
            f"{fmt.antal_i_text(u['till_arbete_studier'])} av {fmt.antal_i_text(u['avslutade'])}"
            " avslutade gick till arbete eller studier"), className="kpi-mening",
            id=f"{PAGE}-ar-arbete-studier")
    return dbc.Card(dbc.CardBody([
        html.H2([f"Hittills i år ({ar})", info("handlingsplan", "handlingsplan och arbete/studier")],
                className="h6 mb-1"),
        plan,
        riktning(f"{PAGE}-handlingsplan-riktning", [
            (fjol[0], u["andel_handlingsplan"], fjol[1]["andel_handlingsplan"])] if fjol else [],
            "andel"),
        arbete,
        riktning(f"{PAGE}-ar-arbete-studier-riktning", [
            (fjol[0], u["andel_arbete_studier"], fjol[1]["andel_arbete_studier"])] if fjol else [],
            "andel"),
        lamnat(fors) if fors else None,
        html.Div(f"Hela förbundet: {fmt.procent(lanet['andel_handlingsplan'])} med "
                 f"handlingsplan, {fmt.procent(lanet['andel_arbete_studier'])} till arbete "
                 "eller studier" + (f", {fmt.procent(lanet['lamnat'])} lämnade offentlig "
                                    "försörjning" if lanet.get("lamnat") is not None else "")
                 + ".", className="small text-body-secondary mt-1",
                 id=f"{PAGE}-hela-forbundet") if lanet else None,
        html.Div(delade, className="small mt-1 ik-delade", id=f"{PAGE}-ar-delade")
        if delade else None,
    ], className="py-2"), className="kpi-card ik-rubrikutfall mb-2")


def lamnat(fors: dict) -> html.Div | None:
    """Beside "till arbete eller studier": how many of those with public support before left
    it (lön or studiemedel at avslut), for the year to date when it is a whole year, else for
    the latest whole year, said so; a sentence when the extract has no source at avslut."""
    gid = f"{PAGE}-lamnat"
    if not fors["i_uttaget"]:
        return html.Div("Försörjning vid avslut finns inte i uttaget.", id=gid,
                        className="small text-body-secondary mt-1")
    if fors["fran"] is None:
        return None
    ar = "" if fors["hittills"] else f"Helåret {fors['ar']}: "
    if dolt(fors["andel"]) or fors["andel"] is None:
        value = html.Div(rapport_text.lamnat_ar_text(fors), className="kpi-mening", id=gid)
    else:
        value = html.Div([
            html.Span(ar, className="kpi-label") if ar else None,
            html.Span(fmt.procent(fors["andel"]), className="kpi-value me-2", id=gid),
            html.Span([f"lämnade offentlig försörjning för lön eller studiemedel "
                       f"({fmt.heltal(fors['lamnat'])} av {fmt.heltal(fors['offentlig'])})",
                       info("forsorjning", "lämnat offentlig försörjning")],
                      className="kpi-label")])
    fore = fors.get("fore")
    return html.Div([value, riktning(f"{gid}-riktning", [
        (f"än {fore['ar']}", fors["andel"], fore["andel"])]
        if fore and fore.get("fran") else [], "andel")])


def _hela_forbundet(con, scope, state) -> dict | None:
    """The whole förbund's headline outcome (and share that left public support) when the
    page is about some kommuner, with the same protection (the cells the board sees)."""
    if not urval_text(scope, state):
        return None
    alla = urval.Scope(None, suppress=scope.suppress)
    f = replace(state.filters(), kommuner=())
    fors = nyckeltal.lamnat_offentlig(con, alla, f)
    return {**nyckeltal.rubrikutfall(con, alla, f),
            "lamnat": fors["andel"] if fors.get("fran") else None}


def _lamnat(con, scope, f, laget: inlast.Laget) -> dict:
    """``nyckeltal.lamnat_offentlig`` for the page's year, with the year before's ("fore")."""
    out = nyckeltal.lamnat_offentlig(con, scope, f)
    if out.get("fran"):
        before = replace(f, fran=f"{int(out['ar']) - 1}-Q4", till=f"{int(out['ar']) - 1}-Q4")
        if before.till >= laget.perioder[0]:
            out["fore"] = nyckeltal.lamnat_offentlig(con, scope, before)
    return out


def render(con, scope, state):
    laget = inlast.laget(con)  # what is loaded: once for the page
    f = state.filters()
    # the protection not yet decided for this data (an older database, a new threshold): the
    # lights stand, the participant figures say they are being prepared
    forbereds = None
    if scope.suppress:
        try:
            publicering.get(con)
        except publicering.Forbereds as e:
            forbereds = dbc.Alert(str(e), color="info", id=f"{PAGE}-forbereds")
    k = nyckeltal.oversikt(con, scope, f)
    # direction: the quarter before (one quarter shown) and the same period a year earlier
    jmf = nyckeltal.jamforelser(con, f)
    others = [(kind, words, nyckeltal.oversikt(con, scope, g)) for kind, words, g in jmf]
    fore = next(((w, o) for kind, w, o in others if kind == "kvartal"), None)
    fjol_f = next((g for kind, _, g in jmf if kind == "ar"), None)
    fjol = None
    if fjol_f is not None:
        u = nyckeltal.rubrikutfall(con, scope, fjol_f)
        fjol = (f"än samma tid {u['till'][:4]}", u)
    typer = codes.labels("typ")
    ins = k["insatser"]
    b, d = k["budget"], k["deltagare"]
    share = k["andel_arbete_studier"]
    figures = [
        kpi("pagaende", fmt.heltal(sum(v["pagaende"] for v in ins.values())),
            "insatser pågår vid periodens slut",
            ", ".join(f"{typer[t].split()[0].lower()} {v['pagaende']}" for t, v in ins.items())),
        kpi("startade-avslutade",
            f"{sum(v['startad'] for v in ins.values())} startade",
            f"{fmt.antal(sum(v['avslutad'] for v in ins.values()), 'insats', 'insatser')} "
            "avslutades under perioden"),
        dbc.Card(dbc.CardBody([
            html.Div(fmt.procent(b["forbrukningskvot"]), className="kpi-value",
                     id=f"{PAGE}-forbrukning"),
            html.Div(["förbrukat hittills i år ", lampa(b["lampa"]),
                      info("budget", "förbrukningen")], className="kpi-label"),
            html.Div(f"{fmt.tkr(b['ack_utfall_tkr'])} av {fmt.tkr(b['ack_budget_tkr'])}",
                     className="small text-body-secondary", id=f"{PAGE}-forbrukning-detalj"),
            riktning(f"{PAGE}-forbrukning-riktning", [
                (w, b["forbrukningskvot"], o["budget"]["forbrukningskvot"])
                for kind, w, o in others if kind == "ar"], "andel"),
        ]), className="kpi-card h-100"),
        kpi("arbete-studier", fmt.procent(share), "av de avslutade gick till arbete/studier",
            None if dolt(share) else  # the sentence says it
            f"{fmt.heltal(d['till_arbete_studier'])} av {fmt.heltal(d['avslutade_period'])}"
            " avslutade deltagare",
            riktning(f"{PAGE}-arbete-studier-riktning", [
                (w, share, o["andel_arbete_studier"]) for _, w, o in others], "andel"),
            mening=mening(f"{fmt.antal_i_text(d['till_arbete_studier'])} av "
                          f"{fmt.antal_i_text(d['avslutade_period'])} avslutade gick till arbete "
                          "eller studier") if dolt(share) else None),
        kpi("deltagare", fmt.heltal(d["deltagare_period"]), "deltagare under perioden",
            f"{fmt.antal_i_text(d['pagaende'])} pågående vid periodens slut",
            riktning(f"{PAGE}-deltagare-riktning", [
                (w, d["deltagare_period"], o["deltagare"]["deltagare_period"])
                for _, w, o in others]),
            mening=mening(f"{fmt.antal_i_text(d['deltagare_period'])} deltagare under "
                          "perioden") if dolt(d["deltagare_period"]) else None),
        kpi("anonyma", fmt.heltal(d["anonyma"]), "anonyma deltagare under perioden",
            f"{fmt.antal_i_text(d['volym'])} nådda i volym- och gruppaktiviteter",
            mening=mening(f"{fmt.antal_i_text(d['anonyma'])} anonyma deltagare under perioden")
            if dolt(d["anonyma"]) else None)
        if "anonyma" in d else  # published per whole calendar year only
        kpi("anonyma", "–", "anonyma deltagare",
            "Redovisas bara per helt kalenderår."),
    ]
    alla = tables.insatser_lampor(con, scope, state)
    links = insats_links(alla.df["insats_id"], state)
    watch = nyckeltal.uppmarksamhet(con, scope, f)
    saknas = slutrapport.saknas(con, scope, f)
    changes = tables.andringar(con, scope, state)
    return html.Main([
        html.Div([
            heading(PAGE, "Översikt", laget, scope, state),
            html.Div([
                html.A("Presentera", href=f"/presentation{state.query()}",
                       id=f"{PAGE}-presentera", className="btn btn-outline-secondary btn-sm",
                       title="Helskärmsläge för styrelsemötet (piltangenter, Esc)"),
                pm_knapp(PAGE),
            ], className="d-print-none d-flex gap-2 align-items-center mb-2"),
        ], className="d-flex flex-wrap justify-content-between align-items-start column-gap-3"),
        dbc.Row([
            dbc.Col([lage(k, fore), forbereds or rubrikutfall(
                nyckeltal.rubrikutfall(con, scope, f), fjol, _hela_forbundet(con, scope, state),
                tables.delade_deltagare(con, scope, replace(
                    state, fran=nyckeltal.ar_hittills(con, f).fran)),
                _lamnat(con, scope, f, laget))],
                    xs=12, lg=5, xl=4),
            dbc.Col(html.Section([
                html.H2([f"Behöver uppmärksamhet ({len(watch)})" if len(watch)
                         else "Behöver uppmärksamhet", info("uppmarksamhet", "listan")],
                        className="h5 mb-1", id=f"{PAGE}-uppmarksamhet-rubrik"),
                attention_list(watch, state, reserv=SAKNAS_RAD if len(saknas) else 0)
                if len(watch) else
                html.P("Alla insatser är i fas, inom budget och utan anmärkning.",
                       id=f"{PAGE}-alla-i-fas"),
                slutrapport_saknas(saknas, state),
            ], **{"aria-labelledby": f"{PAGE}-uppmarksamhet-rubrik"}), xs=12, lg=7, xl=8),
        ]),
        legend(PAGE),
        html.H2(f"Perioden {period_text(laget, state)}", className="h5 mt-2"),
        dbc.Row([dbc.Col(c, xs=12, sm=6, lg=4, xl=2, className="mb-3") for c in figures]),
        delade_not(tables.delade_deltagare(con, scope, state), PAGE),
        section(changes.rubrik, tabell(changes, PAGE) if len(changes.df) else
                html.P("Inga ändringar sedan förra kvartalet.", id=f"{PAGE}-inga-andringar")),
        section(alla.rubrik, tabell(alla, PAGE, links=links)),
        html.P("Deltagare räknas per insats (en person i två insatser räknas i båda). "
               + tables.sma_tal_text(), className="small text-body-secondary"),
    ], className="container-fluid py-2")


SAKNAS_RAD = 48  # px the line of missing slutrapporter takes from the first screen


def slutrapport_saknas(df, state) -> html.P | None:
    """One line under the attention list: the ended insatser whose slutrapport has no text a
    month after the end (the template's deadline), the whole list on Kvalitet."""
    if not len(df):
        return None
    return html.P([html.Strong(f"{slutrapport.SAKNAS_RUBRIK} ({len(df)}): "),
                   slutrapport.saknas_text(df), ". ",
                   html.A("Alla på Kvalitet", href=f"/kvalitet{state.query()}#kvalitet-slutrapporter")],
                  className="small mt-2 mb-0", id=f"{PAGE}-slutrapport-saknas")


def mening(text: str) -> str:
    """A card's sentence, with a capital."""
    return text[:1].upper() + text[1:] + "."


# The first screen at 1024×768 below the list's heading, in px, and each mode's type: (px
# per line of the reasons, characters per line of the list's column, px per other line)
FORSTA_SKARMEN = 530
TYPSNITT = {"": (22.8, 74, 24), "projektor": (26.4, 60, 28)}


def ryms(df, visning: str, reserv: int = 0) -> int:
    """How many of the attention list's items fit the first screen of a 1024×768 projector
    (an estimate from their text: a line for the name and lights, the reasons' lines, a line
    for the comment); at least one. ``reserv``: px under the list taken by something else."""
    line, chars, other = TYPSNITT.get(visning, TYPSNITT[""])
    used, n = float(reserv), 0
    for row in df.itertuples():
        reasons = "; ".join(row.skal) + "."
        lights = sum(v in ("rod", "gul") for v in (row.lampa, row.budget_lampa))
        name = math.ceil((len(row.kortnamn) + 16 * lights) / chars)  # "Budget ■ Röd" ≈ 16
        height = name * other + math.ceil(len(reasons) / chars) * line + (
            other if row.kommentar else 0) + 14
        if used + height > FORSTA_SKARMEN and n:
            break
        used += height
        n += 1
    return n


def attention_list(df, state, reserv: int = 0) -> html.Div:
    """Red first, then yellow, then the rest; each with its two lights named, why in words and
    the styrgrupp's comment. Those that would not fit the projector's first screen are "+ N
    till" (their names), one click away. Text is passed as text (React escapes it), never as
    HTML."""
    items = []
    for row in df.itertuples():
        lights = []
        for name, value in (("Mål", row.lampa), ("Budget", row.budget_lampa)):
            if value in ("rod", "gul"):
                # the light's name and badge never apart (the projector's large type wraps)
                lights += [" · " if lights else "",
                           html.Span([f"{name} ", lampa(value)], className="text-nowrap")]
        items.append(dbc.ListGroupItem([
            html.Div([html.A(html.Strong(row.kortnamn), href=insats_href(row.insats_id, state),
                             className="me-2"),
                      html.Span(lights)]),
            html.Div("; ".join(row.skal) + ".", className="ik-skal"),
            html.Div(f"Styrgruppen: {row.kommentar}", className="ik-kommentar text-body-secondary",
                     title=row.kommentar) if row.kommentar else None,
        ], id={"type": f"{PAGE}-insats", "id": row.insats_id}))
    n = ryms(df, state.visning, reserv)
    rest = list(df["kortnamn"])[n:]
    return html.Div([
        dbc.ListGroup(items[:n], id=f"{PAGE}-att-folja-upp", className="ik-uppmarksamhet"),
        html.Details([
            html.Summary(f"+ {len(rest)} till: {', '.join(rest)}", id=f"{PAGE}-fler"),
            dbc.ListGroup(items[n:], className="ik-uppmarksamhet mt-1"),
        ], className="mt-1") if rest else None,
    ])
