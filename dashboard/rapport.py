"""The half-year / quarterly follow-up PM (the structure of seed 004) as HTML and PDF.

Every figure comes from the same table builders the pages use (``tables``), with the same
filters and the viewer's scope, so the PM says what the dashboard says. The HTML is a
complete, editable document (Word opens it); the PDF is that HTML printed by Debian's
Chromium (A4, page numbers "Sida x av y"), printed twice so that the table of contents
carries the page each chapter starts on.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import jinja2

from . import codes, config, fmt, nyckeltal, publicering, schema, tables, texter, views
from .urlstate import State

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class Kapitel:
    nr: int
    rubrik: str
    delar: list[dict] = field(default_factory=list)
    ny_sida: bool = True  # starts on a new page (the short Sammanfattning does not stand alone)

    def text(self, t: str, slag: str = "text") -> None:
        self.delar.append({"slag": slag, "text": t})

    def kansli(self, text: texter.Text | None, saknas: str | None, rubrik: str | None = None
               ) -> None:
        """The kansli's own text (its paragraphs, each line kept); where there is none, the
        placeholder ``saknas`` (the kansli's own PM) or nothing at all (never an empty
        heading)."""
        if text is None and saknas is None:
            return
        if rubrik:
            self.text(rubrik, "rubrik")
        if text is None:
            self.delar.append({"slag": "kansli_saknas", "text": saknas})
            return
        self.delar.append({"slag": "kansli", "stycken": [p.split("\n") for p in text.stycken],
                           "meta": f"Kansliet ({text.skriven_av}), {text.skriven:%Y-%m-%d}, "
                                   f"version {text.version}"})

    def tabell(self, t: tables.Tabell, smal: bool = False, rubrik: bool = True,
               nummer: int | None = None) -> None:
        """``nummer``: the PM's table number ("Tabell 3. …")."""
        if rubrik:
            self.text(f"Tabell {nummer}. {t.rubrik}" if nummer else t.rubrik, "rubrik")
        if t.tom and not len(t.df):  # not published for the period: why, not an empty table
            self.text(t.tom)
            return
        rader = []
        for i, rec in zip(t.df.index, t.df.to_dict("records")):
            rad = []
            for k in t.kolumner:
                klass = []
                if k.slag in tables.NUMERIC:
                    klass.append("tal")
                if k.slag == "datum":
                    klass.append("datum")
                if k.slag == "lampa":
                    klass.append(f"lampa-{codes.lampa_key(rec[k.key])}")
                text = tables.cell_of(rec, k)
                if (i, k.key) in t.avvikande:
                    klass.append("avvikande")
                    text = "⚠ " + text
                elif (i, k.key) in t.kannedom:
                    klass.append("kannedom")
                    text = "ℹ " + text
                rad.append({"text": text, "klass": " ".join(klass)})
            rader.append(rad)
        self.delar.append({
            "slag": "tabell", "klass": "smal" if smal else "",
            "rubriker": [{"text": k.rubrik,  # soft hyphens kept: narrow columns break there
                          "klass": "tal" if k.slag in tables.NUMERIC else ""} for k in t.kolumner],
            "rader": rader,
            "fotnot": " ".join(x for x in (t.fotnot, tables.dolda_not(t)) if x) or None})
        if not rader:
            self.text("Inga rader för urvalet.")


def _svg(fig) -> str:
    fig.layout.width, fig.layout.height, fig.layout.title = 900, 420, None
    return fig.to_image(format="svg").decode("utf-8")


def _urval(state: State, scope: views.Scope) -> str:
    parts = []
    if state.kommuner:
        parts.append("kommun " + ", ".join(state.kommuner))
    if scope.kommuner is not None:
        parts.append("behörighet " + ", ".join(sorted(scope.kommuner)))
    if state.typer:
        parts.append(", ".join(codes.labels("typ")[t] for t in state.typer))
    if state.statuser:
        parts.append(", ".join(s for s in state.statuser))
    if state.insatser:
        parts.append("insats " + ", ".join(state.insatser))
    return "; ".join(parts) or "Alla insatser i förbundet"


def sammanfattning(con, scope, state: State) -> list[str]:
    """Sentences generated from the figures (the PM's Sammanfattning)."""
    f = state.filters()
    k = nyckeltal.oversikt(con, scope, f)
    ins = k["insatser"]
    typer = codes.labels("typ")
    running = sum(v["pagaende"] for v in ins.values())
    started = sum(v["startad"] for v in ins.values())
    ended = sum(v["avslutad"] for v in ins.values())
    per_typ = ", ".join(fmt.antal(v["pagaende"], typer[t].lower(), fmt.plural(typer[t]))
                        for t, v in ins.items() if v["pagaende"])
    out = [f"Vid periodens slut pågick {fmt.antal(running, 'insats', 'insatser')} ({per_typ}). "
           f"Under perioden startade {started} och avslutades {ended}."
           if running else f"Inga insatser pågick vid periodens slut; {ended} avslutades."]
    lamp = k["lampor"]

    out.append(f"För periodens sista kvartal bedömde styrgrupperna "
               f"{fmt.antal(lamp['gron'], 'insats', 'insatser')} som "
               f"{codes.lampa_ord('gron', lamp['gron'])} (i fas), "
               f"{lamp['gul']} som {codes.lampa_ord('gul', lamp['gul'])} och "
               f"{lamp['rod']} som {codes.lampa_ord('rod', lamp['rod'])}"
               + (f"; {lamp['saknas']} saknar kvartalsrapport." if lamp["saknas"] else "."))
    b = k["budget"]
    if b["forbrukningskvot"] is not None:
        out.append(f"Hittills i år har {fmt.tkr(b['ack_utfall_tkr'])} av en budget på "
                   f"{fmt.tkr(b['ack_budget_tkr'])} förbrukats, en förbrukningskvot på "
                   f"{fmt.procent(b['forbrukningskvot'])}.")
    d = k["deltagare"]
    andel = k["andel_arbete_studier"]
    out.append(f"I individinsatserna deltog {fmt.antal_i_text(d['deltagare_period'])} personer "
               f"under perioden och {fmt.antal_i_text(d['avslutade_period'])} avslutades, varav "
               f"{fmt.antal_i_text(d['till_arbete_studier'])}"
               # a share on a hidden count is the count's own marker: say it once
               + ("" if isinstance(andel, str) else f" ({fmt.procent(andel)})")
               + " till arbete eller studier.")
    return out


_SV = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})  # å < ä < ö after z


def sv_key(text: str) -> str:
    """A sort key in Swedish alphabetical order (å, ä, ö last)."""
    return (text or "").lower().translate(_SV)


def ordna(t: tables.Tabell, reg) -> tables.Tabell:
    """A table's rows in the seed PM's order: by type of insats, then kommun, then name
    (``reg``: the register rows of the period); a row of no insats ("Samtliga") stays last."""
    typ = {c: i for i, (c, *_) in enumerate(codes.TYP)}
    key = {r.insats_id: (typ.get(r.typ, 99), sv_key(r.kommuner), sv_key(r.kortnamn))
           for r in reg.itertuples()}
    last = (100, "", "")
    t.df = t.df.iloc[sorted(range(len(t.df)), key=lambda i: key.get(
        t.df["insats_id"].iloc[i], last))].reset_index(drop=True)
    return t


def insatser_tabell(con, scope, state: State, which: str = "i_perioden") -> tables.Tabell:
    """Tabell 1: the insatser running in the period (``which``: or those 'avslutad' in it)."""
    reg = views.insatser(con, scope, state.filters())
    reg = reg[reg[which]].reset_index(drop=True)
    reg["typ_namn"] = reg["typ"].map(codes.labels("typ"))
    reg["kommun_namn"] = reg["kommuner"].str.replace("|", ", ", regex=False)
    return ordna(tables.Tabell("insatser", "Insatser under perioden", reg, [
        tables.Kolumn("kortnamn", "Insats"), tables.Kolumn("kommun_namn", "Kommun"),
        tables.Kolumn("typ_namn", "Typ"), tables.Kolumn("insats_id", "Dnr"),
        tables.Kolumn("insatsagare", "Insatsägare"),
        tables.Kolumn("startdatum", "Start", "datum"), tables.Kolumn("slutdatum", "Avslut", "datum"),
        tables.Kolumn("beviljat_tkr", "Beviljat", "tkr"),
    ]), reg)


BERAKNAT_OCH_RAPPORTERAT = (
    "Tabell 2:s lampa är styrgruppens egen bedömning (i fas och prognos). För målen nedan "
    "räknas utfallet också ur uttaget, för året hittills: \"Beräknat\" är det uträknade "
    "utfallet med lampa mot målvärdet, \"Rapporterat\" är vad styrgruppen angav i "
    "kvartalsrapporten.")


def beraknade(kap: Kapitel, malen: tables.Tabell) -> None:
    """Goals measured from the data (mal.csv ``berakning``): computed beside reported."""
    rows = malen.df[malen.df["berakning"].fillna("") != ""].reset_index(drop=True)
    if not len(rows):
        return
    keep = ("kortnamn", "beskrivning", "malvarde_text", "beraknat_text", "beraknad_lampa",
            "utfall_text")
    kap.text("Mål som räknas ur uttaget", "rubrik")
    kap.text(BERAKNAT_OCH_RAPPORTERAT)
    kap.tabell(tables.Tabell("malen", "Mål som räknas ur uttaget", rows,
                             [k for k in malen.kolumner if k.key in keep], fotnot=malen.fotnot),
               rubrik=False)


INGA_DELTAGARE = "Inga deltagaruppgifter i uttaget för urvalet."


def statistik(kap: Kapitel, con, scope, state: State, reg, efter_tabell_6=lambda: None) -> None:
    """Chapter 6: Tabell 6 (then ``efter_tabell_6``: the kansli's text), Tabell 7, the målgrupp
    tables with their readings and Progression (BIP); one sentence instead of tables of
    zeros when the selection has no participants."""
    delt = views.deltagare(con, scope, state.filters())
    if not len(delt) or delt.attrs["totalt"]["deltagare_totalt"] == 0:
        kap.text(INGA_DELTAGARE)
        efter_tabell_6()
        return
    kap.tabell(ordna(tables.deltagare(con, scope, state), reg), smal=True, nummer=6)
    efter_tabell_6()
    kap.tabell(tables.avslutsorsaker(con, scope, state), nummer=7)
    mg = views.malgrupp(con, scope, state.filters(), state.indelning)
    for dim, title, _ in codes.MALGRUPP_DIMENSIONER:
        t = tables.malgrupp_dimension(con, scope, state, dim, mg)
        t.rubrik = f"Målgrupp: {title.lower()}"
        kap.text(t.rubrik, "rubrik")
        if t.tom:  # not published for the period: why
            kap.text(t.tom)
            continue
        kap.text(nyckeltal.malgrupp_lasning(dim, t.df, t.totalt,
                                            state.indelning.startswith("grov")), "lasning")
        kap.tabell(t, rubrik=False)
    bip = tables.bip(con, scope, state)
    measured = [v for i, v in zip(bip.df["insats_id"], bip.df["matta"]) if i is not None]
    kap.text("Progression (BIP)", "rubrik")
    if not any(isinstance(v, str) or v for v in measured):
        kap.text("Inga BIP-mätningar i uttaget för urvalet.")
        return
    kap.tabell(ordna(bip, reg), smal=True, rubrik=False)
    kap.tabell(tables.bip_indikator(con, scope, state))


def _fragor(pm_tabell: int) -> str:
    """The full wording of a checklist table's short headings."""
    return "Frågorna: " + "; ".join(
        f"{c.short.replace(chr(173), '')} = {c.label} (förväntat {'ja' if c.expected else 'nej'})"
        for c in schema.CHECKLISTA if c.pm_tabell == pm_tabell) + "."


def build_html(con, scope: views.Scope, state: State, kansli: bool = False
               ) -> tuple[str, dict]:
    """(HTML without page numbers in the contents, context to render it again). ``kansli``:
    the kansli's own PM, with a placeholder where its own text is still missing."""
    _, f = views.resolve(con, state.filters())
    texts = texter.aktuella(con, f.till)

    def own(kapitel: Kapitel, avsnitt: str, insats_id: str = "",
            rubrik: str | None = None) -> None:
        missing = texter.saknas_text(f.till, avsnitt) + (
            " Skriv den på sidan PM." if avsnitt != texter.INSATS
            else " Skriv den på insatsens sida.")
        if rubrik and avsnitt != texter.INSATS and scope.kommuner is not None:
            rubrik += texter.HELA_FORBUNDET  # a LOKUS group's PM: the text is not Heby's
        kapitel.kansli(texts.get((avsnitt, insats_id)),
                       missing if kansli else None, rubrik)

    period = (fmt.kvartal(f.till) if f.fran == f.till
              else f"{fmt.kvartal(f.fran)} – {fmt.kvartal(f.till)}")
    load = con.execute("SELECT forbund, uttagsdatum, kalla, loaded_at FROM loads "
                       "ORDER BY q DESC, active_seq DESC LIMIT 1").fetchall()[0]
    kap = [Kapitel(1, "Sammanfattning"), Kapitel(2, "Insatser", ny_sida=False),
           Kapitel(3, "Resultat av mål"),
           Kapitel(4, "Utfall av beviljad budget"), Kapitel(5, "Kvalitetssäkring"),
           Kapitel(6, "Statistik"), Kapitel(7, "Avslutade insatser")]
    for s in sammanfattning(con, scope, state):
        kap[0].text(s)
    running_t = insatser_tabell(con, scope, state)
    reg = running_t.df
    kap[1].tabell(running_t, nummer=1)
    mal = ordna(tables.mal(con, scope, state), reg)
    kap[2].tabell(mal, nummer=2)
    watch = mal.df[mal.df["lampa"].isin(["rod", "gul"])].sort_values("lampa", key=lambda s:
                                                                       s.map({"rod": 0, "gul": 1}))
    if len(watch):
        kap[2].text("Styrgruppernas kommentarer för röda och gula insatser", "rubrik")
    for r in watch.itertuples():
        kap[2].delar.append({"slag": "kommentar", "lampa": r.lampa,
                             "lampa_text": codes.lampa_text(r.lampa), "namn": r.kortnamn,
                             "text": r.kommentar or "Ingen kommentar."})
    beraknade(kap[2], ordna(tables.malen(con, scope, state), reg))
    own(kap[2], "mal", rubrik="Kansliets bedömning")
    for r in reg[[(texter.INSATS, i) in texts for i in reg["insats_id"]]].itertuples():
        own(kap[2], texter.INSATS, r.insats_id, rubrik=f"Kansliet om {r.kortnamn}")
    kap[3].tabell(ordna(tables.kvalitet(con, scope, state, pm_tabell=3), reg), nummer=3)
    kap[3].text(_fragor(3), "fotnot")
    kap[3].tabell(ordna(tables.budget(con, scope, state), reg), smal=True, nummer=4)
    own(kap[3], "budget", rubrik="Kansliets bedömning")
    kap[3].tabell(tables.budget_typ(con, scope, state))
    from .figures.budget import burn

    burn_t = tables.budget_kvartal(con, scope, state)
    kap[3].text(burn_t.rubrik, "rubrik")
    kap[3].delar.append({"slag": "svg", "svg": _svg(burn(burn_t.df, burn_t.rubrik))})
    kap[4].tabell(ordna(tables.kvalitet(con, scope, state, pm_tabell=5), reg), smal=True,
                  nummer=5)
    kap[4].text(_fragor(5), "fotnot")
    own(kap[4], "kvalitet", rubrik="Kansliets bedömning")
    try:
        statistik(kap[5], con, scope, state, reg,
                  lambda: own(kap[5], "deltagare", rubrik="Kansliets bedömning"))
    except publicering.EjPublicerad as e:  # the other chapters stand; this one says why
        kap[5].text(str(e))
    ended = insatser_tabell(con, scope, state, "avslutad")
    ended.rubrik = "Insatser som avslutades under perioden"
    kap[6].tabell(ended)
    for r in ended.df.itertuples():  # seed 004: a Sammanfattning per ended insats
        own(kap[6], texter.INSATS, r.insats_id, rubrik=r.kortnamn)
    if ("analys", "") in texts or kansli:
        kap.append(Kapitel(8, texter.AVSNITT["analys"].rubrik))
        own(kap[7], "analys")
    context = {
        "titel": f"Uppföljning av insatser {period}",
        "forbund": load[0], "period": period, "urval": _urval(state, scope),
        "uttag": f"{load[2]} (uttagsdatum {load[1]:%Y-%m-%d}, inläst {load[3]:%Y-%m-%d %H:%M})",
        "sma_tal": ("Visas (kansliets egen vy – sprid inte rapporten)" if not scope.suppress
                    else tables.sma_tal_text() + " Se docs/sekretess.md."),
        "skapad": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "kapitel": kap, "sidor": {},
    }
    return render(context), context


def render(context: dict) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    return env.get_template("rapport.html").render(**context)


FOOTER = ('<div style="font-size:8pt;width:100%;text-align:center;color:#555;">'
          'Sida <span class="pageNumber"></span> av <span class="totalPages"></span></div>')


def _printer():
    """Debian's Chromium, and a function that prints HTML to A4 PDF with page numbers."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(
        executable_path=config.chromium(), headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--no-first-run"])
    page = browser.new_page()

    def print_pdf(html: str) -> bytes:
        page.set_content(html, wait_until="load")
        return page.pdf(format="A4", print_background=True, display_header_footer=True,
                        header_template="<span></span>", footer_template=FOOTER,
                        margin={"top": "16mm", "bottom": "18mm", "left": "15mm",
                                "right": "15mm"})

    def close() -> None:
        browser.close()
        pw.stop()

    return print_pdf, close


def chapter_pages(pdf: bytes, kapitel: list[Kapitel]) -> dict[int, int]:
    """The page each chapter starts on: the first page after the contents with a line that
    is the chapter's heading."""
    from pypdf import PdfReader

    found = {}
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        text = unicodedata.normalize("NFKC", page.extract_text() or "")  # "ﬂ" is "fl"
        lines = [line.strip() for line in text.splitlines()]
        for k in kapitel:
            if k.nr not in found and n > 1 and f"{k.nr}. {k.rubrik}" in lines:
                found[k.nr] = n
    return found


def build_pdf(con, scope: views.Scope, state: State, kansli: bool = False) -> bytes:
    """Printed twice by one browser: the second time with the contents' page numbers."""
    html, context = build_html(con, scope, state, kansli)
    print_pdf, close = _printer()
    try:
        context["sidor"] = chapter_pages(print_pdf(html), context["kapitel"])
        return print_pdf(render(context))
    finally:
        close()
