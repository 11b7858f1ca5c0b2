"""The PM (rapport) from the trap fixture: its text holds the right figures (worked out by
hand in test_tables.py), in the PM's structure, with the contents' page numbers right."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pm_html import groups, pm_tables, records, table
from pypdf import PdfReader

from dashboard import db, ingest, rapport
from dashboard.urval import Filter, Scope

ROOT = Path(__file__).resolve().parents[1]
H2 = Filter("2020-Q3", "2020-Q4")
CHAPTERS = ["Sammanfattning", "Insatser", "Resultat av mål", "Utfall av beviljad budget",
            "Kvalitetssäkring", "Statistik och kostnader", "Avslutade insatser",
            "Sammanfattning och reflektioner"]  # the kansli's PM (the command line's) has it


def plain(text: str) -> str:
    """Text of a PDF page as words: no-break spaces and ligatures ("ﬂ") as plain letters."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_summary_sentences(traps_con):
    s = rapport.sammanfattning(traps_con, Scope.kansli(), H2)
    # running at some time in 2020-Q3..Q4: A (2019-01-01..2021-12-31), B (2020-01-01..), C
    # (2020-04-01..2021-06-30); D ended 2020-06-30, before the period. None started or ended
    # in it.
    assert s[0] == ("Under kvartal 3–4 2020 har 3 finansierade insatser varit i gång "
                    "(2 individinsatser och 1 strukturinsats). Ingen avslutades och ingen "
                    "startade under perioden.")
    assert s[1] == ("För periodens sista kvartal bedömde styrgrupperna 1 insats som grön "
                    "(i fas), 1 som gul och 1 som röd.")
    # A+B+C+D year to date: 585 of 730 tkr
    assert plain(s[2]) == ("Hittills i år har 585 tkr av en budget på 730 tkr förbrukats, en "
                           "förbrukningskvot på 80 %.")
    assert plain(s[3]) == ("I individinsatserna deltog 9 personer under perioden och 6 "
                           "avslutades, varav 4 (67 %) till arbete eller studier.")
    board = rapport.sammanfattning(traps_con, Scope.styrelse(), H2)
    assert "varav färre än 5 till arbete eller studier" in plain(board[3])  # no "<5 (<5)"


@pytest.fixture(scope="module")
def pdf_text(tmp_path_factory) -> tuple[list[str], bytes]:
    d = tmp_path_factory.mktemp("pm")
    ingest.ingest_file(ROOT / "tests" / "fixtures" / "traps", d / "t.duckdb")
    out = d / "pm.pdf"
    r = subprocess.run([sys.executable, "-m", "dashboard", "rapport", "--db", str(d / "t.duckdb"),
                        "--from", "2020-Q3", "--to", "2020-Q4", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    data = out.read_bytes()
    return [plain(p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages], data


@pytest.mark.slow  # a PDF made by the CLI in a subprocess
def test_pdf_has_the_pm_structure_and_figures(pdf_text):
    pages, _ = pdf_text
    first = pages[0]
    assert "Uppföljning av insatser kvartal 3 2020 – kvartal 4 2020" in first
    assert "Testförbundet" in first and "uttagsdatum 2021-01-15" in first
    assert "Alla insatser i förbundet" in first  # the filters are printed
    assert "docs/sekretess.md" not in first  # the board cannot open the repository
    assert pages[-1].endswith(f"Sida {len(pages)} av {len(pages)}")
    # the contents give each chapter's page: the first page after the contents that holds
    # its heading (chapters follow on, so that no chapter's end leaves a page mostly empty)
    for n, title in enumerate(CHAPTERS, start=1):
        start = next(i for i, p in enumerate(pages[1:], start=2) if f"{n}. {title} " in p + " ")
        assert f"{n}. {title} {start}" in first, (title, start)
    assert pages[1].startswith("1. Sammanfattning")
    text = " ".join(pages)
    assert "Tabell 2. Måluppfyllelse per insats" in text
    assert "Gamma: <script>alert(1)</script> =SUM(A1)" in text  # the red one's comment, as text
    assert "förbrukningskvot på 80 %" in text
    # seed 004: Tabell 3 the förutsättningar grouped by typ, Tabell 4 budget per insats with
    # its kommun
    assert ("Tabell 3. Förutsättningar för utfall Insats Start i tid Vakans förb. Vakans egen "
            "Avvik. budget Individinsatser Alfa Ja Nej Nej Nej") in text
    assert "Tabell 4. Budget och utfall per insats Insats Budgetlampa Förbrukningskvot Kommun Typ" in text
    assert "Individinsats 300 tkr 83 %" in text
    # Tabell 1: the full names, grouped as seed 004 groups them
    assert ("Tabell 1. Insatser under perioden Insats Kommun Dnr Insatsägare Start Avslut "
            "Beviljat Individinsatser Alfa – individinsats i Heby och Tierp Heby, Tierp A Heby "
            "kommun 2019-01-01 2021-12-31") in text
    assert "Tabell 6. Deltagare per individinsats" in text and "Tabell 7." in text
    # the board's view (the CLI's default): Beta's 3 participants (3 since start, 2 ended
    # since start, 3 in the range) are small ("<5"); Alfa's 7 since start, its 5 ended since
    # start and its 6 in the range are hidden to protect them ("X", else Samtliga's 10 and 9
    # would give Beta away); its 4 ended in the range are small ("<5"); the note says what X
    # means
    assert "Beta <5 <5 <5 <5" in text and "Alfa X X X <5" in text
    assert "X = dold för att skydda ett litet tal" in text


def page_fill(data: bytes) -> list[float]:
    """How far down each page its text reaches, as a share of the page's height (the footer
    "Sida x av y" left out)."""
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        ys = []

        def seen(text, cm, tm, font, size, ys=ys):
            if text.strip():
                ys.append(tm[4] * cm[2] + tm[5] * cm[3] + cm[5])
        page.extract_text(visitor_text=seen)
        height = float(page.mediabox.height)
        body = [y for y in ys if y > 0.08 * height]  # above the footer
        out.append(1 - min(body) / height if body else 0.0)
    return out


def test_no_page_is_more_than_half_empty_but_the_last(pdf_text):
    pages, data = pdf_text
    fill = page_fill(data)
    assert len(fill) == len(pages) >= 4
    # the cover (page 1) holds the contents; every page after it but the last is at least
    # half full (a chart or two rows of a table alone on a page was the bug)
    for n, share in enumerate(fill[1:-1], start=2):
        assert share >= 0.5, (n, share, pages[n - 1][:80])


def test_html_is_an_editable_document(traps_con):
    html, _ = rapport.build_html(traps_con, Scope.styrelse(), H2)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


def test_insatser_in_the_seeds_order_type_then_kommun_then_name():
    import pandas as pd

    from dashboard import tables

    reg = pd.DataFrame({
        "insats_id": list("abcdef"),
        "typ": ["struktur", "individ", "individ", "individ", "individ", "struktur"],
        "kommuner": ["Uppsala", "Östhammar", "Älvkarleby", "Enköping", "Uppsala", "Håbo"],
        "kortnamn": ["Lokussamordnare", "Bryggan", "Steget", "Jobbcentrum", "Ung Intro",
                     "Samverkan"]})
    t = tables.Tabell("x", "x", pd.concat([reg, pd.DataFrame([{"insats_id": None,
                                                                "kortnamn": "Samtliga"}])]),
                      [tables.Kolumn("kortnamn", "Insats")])
    # Swedish order: å, ä, ö after z (so Håbo before Uppsala, Älvkarleby before Östhammar)
    assert list(rapport.ordna(t, reg).df["kortnamn"]) == [
        "Jobbcentrum", "Ung Intro", "Steget", "Bryggan", "Samverkan", "Lokussamordnare",
        "Samtliga"]


def test_a_selection_without_participants_says_so_instead_of_tables_of_zeros(traps_con):
    html, _ = rapport.build_html(traps_con, Scope.styrelse(), Filter("2020-Q3", "2020-Q4",
                                                                     typer=("struktur",)))
    statistik = html.split("6. Statistik", 2)[2].split("7. Avslutade insatser")[0]
    assert rapport.INGA_DELTAGARE in statistik and "Tabell 6." not in statistik
    assert "Tabell 7." not in statistik and "Målgrupp" not in statistik
    with_people, _ = rapport.build_html(traps_con, Scope.styrelse(), H2)
    assert rapport.INGA_DELTAGARE not in with_people


def test_budget_names_the_kommuner_and_says_shared_insatser_are_whole(traps_con):
    from dashboard import tables

    t = tables.budget(traps_con, Scope.lokus("Heby"), H2)
    # Heby's LOKUS group sees Alfa (Heby and Tierp) and Gamma (länsövergripande): both shared
    assert list(zip(t.df["kortnamn"], t.df["kommun_namn"])) == [
        ("Alfa", "Heby, Tierp"), ("Gamma", "Länsövergripande")]
    assert "Delade insatser (Alfa, Gamma) visas med hela insatsens budget" in t.fotnot
    only_b = tables.budget(traps_con, Scope.lokus("Uppsala"), Filter("2020-Q3", "2020-Q4",
                                                                     typer=("individ",)))
    assert list(only_b.df["kortnamn"]) == ["Beta"] and "Delade" not in only_b.fotnot


def test_tabell_2_says_which_utfall_is_computed_and_which_reported(traps_con):
    import re

    html, _ = rapport.build_html(traps_con, Scope.kansli(), H2)
    kap3 = html.split("3. Resultat av mål</h2>", 1)[1].split("4. Utfall av beviljad budget")[0]
    assert rapport.BERAKNAT_OCH_RAPPORTERAT.replace('"', "&#34;") in kap3
    rows = [re.sub(r"<[^>]+>", "|", r).replace("||", "|").strip("|").split("|")
            for r in re.findall(r"<tr>(.*?)</tr>", kap3.split("Mål som räknas ur uttaget")[1])]
    # (hand-worked in test_tables.test_goals_measured_from_the_data) A: 3 of 5 with a plan =
    # 60 % against 80 (red), reported 75 %; 7 active against 40 (red), reported 41; B: 2 of 2
    # = 100 % against 50 (green), nothing reported. C computes nothing: not in this table.
    assert rows[0] == ["Insats", "Mål", "Målvärde", "Beräknat utfall", "Lampa (beräknad)",
                       "Rapporterat utfall"]
    assert [r[0] for r in rows[1:]] == ["Alfa", "Alfa", "Beta"]
    assert [r[2:] for r in rows[1:]] == [["80 %", "60\u00a0%", "■ Röd", "75 %"],
                                         ["40 st", "7 st", "■ Röd", "41 st"],
                                         ["50 %", "100\u00a0%", "● Grön"]]


def test_the_utfall_paragraph_from_tabell_6s_samtliga(traps_con):
    html, ctx = rapport.build_html(traps_con, Scope.kansli(), H2)
    text = plain(" ".join(d.get("text", "") for k in ctx["kapitel"] for d in k.delar))
    # 2020-Q3..Q4 (by hand from deltagare.csv): active A p1, p2, p3, p4, p6, p7 and B p7, p8,
    # p9 = 9; ended A p1, p2, p6, p7 and B p7, p9 = 6; to work or studies p1 (subventionerat
    # arbete, kvinna), p2 (studier, man), B's p7 (ej subventionerat arbete, man), p9 (eget
    # företag, kvinna) = 4 of 6, 2 kvinnor and 2 män; a plan: p1, p2, A's p7, B's p7, p9 = 5
    # of 6; pågående at 2020-12-31: A p3, p4 and B p8 = 3
    assert ("Under perioden deltog 9 personer (registrerade med personuppgifter i SUS) i "
            "förbundets individinsatser och 6 personer avslutades. Av de avslutade gick 4 av 6 "
            "(67 %) till arbete eller studier: 2 kvinnor (50 %) och 2 män (50 %). Av de "
            "avslutade hade 5 av 6 (83 %) en handlingsplan") in text
    assert "Vid periodens slut pågick 3 deltagare." in text
    # Bakgrund: the extract's source and date; the period
    assert ("Uttaget: SUS 2021-01-15 + kvartalsrapporter, uttagsdatum 2021-01-15. Innehållet "
            "avser kvartal 3–4 2020.") in text
    # the budget's share per typ (H2 budget: A 200 + B 100 = 300 individ, C 60 struktur; D
    # ended before the period, 0)
    assert ("Av de 3 insatser som varit i gång under kvartal 3–4 2020 är 2 individinsatser och "
            "1 strukturinsats. Av periodens budget, 360 tkr, gick 83 % till individinsatser och "
            "17 % till strukturinsatser.") in text


def test_the_boards_prose_never_prints_a_marker_as_a_number(traps_con):
    _, ctx = rapport.build_html(traps_con, Scope.styrelse(), H2)
    prose = [plain(d["text"]) for k in ctx["kapitel"] for d in k.delar
             if d["slag"] in ("text", "lasning")]
    board = " ".join(prose)
    # the board's Samtliga: 9 active hidden (X), 6 ended hidden (X), 4 to work "<5"
    assert ("deltog ett dolt antal personer (registrerade med personuppgifter i SUS) i "
            "förbundets individinsatser och ett dolt antal personer avslutades. Av de avslutade "
            "gick färre än 5 till arbete eller studier.") in board
    for p in prose:
        assert not any(f" {m} " in f" {p} " or f"{m} av" in p or f"({m})" in p
                       for m in ("<5", "X", "..")), p


def test_tabell_1_4_and_the_sammanfattning_count_one_set(traps_con):
    tabs = pm_tables(rapport.build_html(traps_con, Scope.kansli(), H2)[0])
    # running at some time in 2020-Q3..Q4: A, B (individ), C (struktur); D ended 2020-06-30
    assert groups(table(tabs, "Tabell 1.")) == {
        "Individinsatser": ["Alfa – individinsats i Heby och Tierp", "Beta individinsats"],
        "Strukturinsatser": ["Gamma struktur"]}
    assert [r["Insats"] for r in records(table(tabs, "Tabell 4."))] == ["Alfa", "Beta", "Gamma"]
    t4 = rapport.budget_tabell(traps_con, Scope.kansli(), H2,
                               rapport.pm_insatser(traps_con, Scope.kansli(), H2))
    # D's 2020 to date: Q1 and Q2, 20 + 20 tkr budget and 20 + 20 utfall
    assert ("Avslutade före perioden och därför inte i tabellen: Delta (avslutad 2020-06-30); "
            "deras budget och utfall hittills i år, 40\u00a0tkr och 40\u00a0tkr") in t4.fotnot


def test_per_year_figures_for_the_calendar_year_said_in_the_caption(traps_con):
    tabs = pm_tables(rapport.build_html(traps_con, Scope.kansli(), H2)[0])
    # anonyma.csv: A 3 (Q3) + 4 (Q4) = 7, volym 20 (Q4); B 0 and 0; the whole of 2020
    anon = table(tabs, "Tabell 6 b. Anonyma och volym, kvartal 1–4 2020 (hela året)")
    assert [(r["Insats"], r["Anonyma"], r["Volym"]) for r in records(anon)] == [
        ("Alfa", "7", "20"), ("Beta", "0", "0"), ("Samtliga", "7", "20")]
    assert "Anonyma" not in table(tabs, "Tabell 6.")[0]  # not twice, for two periods
    t7 = table(tabs, "Tabell 7. Avslutsorsaker (registreringar) efter kön, kvartal 1–4 2020")
    # 2020's registrations: p5 (ended 2020-06-30, ohälsa) counts for the year, not the half
    assert {r["Avslutsorsak"]: r["Totalt"] for r in records(t7)}["Ohälsa"] == "1"


# --- Avslutade insatser ----------------------------------------------------------------------


def test_an_ended_insats_with_its_parter_period_and_goals(tmp_path):
    shutil.copytree(ROOT / "tests" / "fixtures" / "traps", tmp_path / "t")
    with open(tmp_path / "t" / "mal.csv", "a", encoding="utf-8") as f:
        f.write("D;2020-Q2;1;insatsmal;Tio utbildningstillfällen;10;antal;12;uppnatt;;\n"
                "D;2020-Q2;2;effektmal;Bättre samverkan;;;;delvis;;\n")
    con = db.memory()
    ingest.ingest_into(con, tmp_path / "t")
    # 2020-Q1..Q2: D (Delta, kompetens, Knivsta kommun, no samverkansparter) ended 2020-06-30
    html, ctx = rapport.build_html(con, Scope.kansli(), Filter("2020-Q1", "2020-Q2"))
    kap7 = plain(html.split("7. Avslutade insatser</h2>", 1)[1].split("<section", 1)[0])
    kap7 = plain(re.sub(r"<[^>]+>", " ", kap7))
    assert "Under perioden avslutades 1 insats: Delta." in kap7
    assert "Delta | KOMPETENSHÖJANDE INSATS" in kap7
    assert "Insatsägare och samverkansparter Knivsta kommun" in kap7
    assert "Insatsperiod 2018-01-01 – 2020-06-30 Beviljat 100 tkr" in kap7
    assert "Mål (kvartalsrapporten för kvartal 2 2020)" in kap7
    assert "Av insatsens 2 mål är 1 uppnått och 1 delvis uppnått." in kap7
    # and in Tabell 1's last group, not among the kompetensinsatser
    tabs = pm_tables(html)
    assert groups(table(tabs, "Tabell 1."))["Avslutade under kvartal 1–2 2020"] == [
        "Delta kompetens"]


def test_prose_helpers_by_hand():
    from dashboard import rapport_text as rt

    assert rt.mal_summering(["uppnatt"] * 4 + ["pagar"]) == (
        "Av insatsens 5 mål är 4 uppnådda och 1 pågår.")
    assert rt.mal_summering(["ej_uppnatt"] * 4) == "Inget av insatsens 4 mål är uppnått."
    assert rt.mal_summering(["uppnatt"] * 3) == "Alla insatsens 3 mål är uppnådda."
    assert rt.antal_av(73, 189) == "73 av 189 (39\u00a0%)"
    assert rt.antal_av("<5", 25) == "färre än 5 av 25"
    assert rt.antal_av("X", 25) == "ett dolt antal av 25"
    assert rt.antal_av(5, "X") == "5"
    assert rt.period_text("2022-Q3", "2022-Q4") == "kvartal 3–4 2022"
    assert rt.period_text("2022-Q1", "2022-Q4") == "kvartal 1–4 2022 (hela året)"
    assert rt.period_text("2021-Q3", "2022-Q2") == "kvartal 3 2021 – kvartal 2 2022"
    assert rt.parter("Tierps kommun", "Försäkringskassan|Tierps kommun|Region Uppsala") == (
        "Tierps kommun, Försäkringskassan och Region Uppsala")

