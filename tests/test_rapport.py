"""The PM (rapport) from the trap fixture: its text holds the right figures (worked out by
hand in test_tables.py), in the PM's structure, with the contents' page numbers right."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from dashboard import ingest, rapport
from dashboard.urlstate import State
from dashboard.views import Scope

ROOT = Path(__file__).resolve().parents[1]
H2 = State("2020-Q3", "2020-Q4")
CHAPTERS = ["Sammanfattning", "Insatser", "Resultat av mål", "Utfall av beviljad budget",
            "Kvalitetssäkring", "Statistik", "Avslutade insatser"]


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_summary_sentences(traps_con):
    s = rapport.sammanfattning(traps_con, Scope.kansli(), H2)
    assert s[0] == ("Vid periodens slut pågick 3 insatser (2 individinsatser, 1 strukturinsats). "
                    "Under perioden startade 0 och avslutades 0.")
    assert s[1] == ("För periodens sista kvartal bedömde styrgrupperna 1 insats som grön "
                    "(i fas), 1 som gul och 1 som röd.")
    # A+B+C+D year to date: 585 of 730 tkr
    assert plain(s[2]) == ("Hittills i år har 585 tkr av en budget på 730 tkr förbrukats, en "
                           "förbrukningskvot på 80 %.")
    assert plain(s[3]) == ("I individinsatserna deltog 9 personer under perioden och 6 "
                           "avslutades, varav 4 (67 %) till arbete eller studier.")
    board = rapport.sammanfattning(traps_con, Scope.styrelse(), H2)
    assert "varav <5 till arbete eller studier" in plain(board[3])  # never "<5 (<5)"


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


def test_pdf_has_the_pm_structure_and_figures(pdf_text):
    pages, _ = pdf_text
    first = pages[0]
    assert "Uppföljning av insatser kvartal 3 2020 – kvartal 4 2020" in first
    assert "Testförbundet" in first and "uttagsdatum 2021-01-15" in first
    assert "Alla insatser i förbundet" in first  # the filters are printed
    assert pages[-1].endswith(f"Sida {len(pages)} av {len(pages)}")
    # the contents give each chapter's first page, and that page starts with it
    for n, title in enumerate(CHAPTERS, start=1):
        start = next(i for i, p in enumerate(pages[1:], start=2) if p.startswith(f"{n}. {title}"))
        assert f"{n}. {title} {start}" in first, (title, start)
    text = " ".join(pages)
    assert "Tabell 2. Måluppfyllelse per insats" in text
    assert "Gamma: <script>alert(1)</script> =SUM(A1)" in text  # the red one's comment, as text
    assert "förbrukningskvot på 80 %" in text
    assert "Tabell 4. Budget per typ av insats" in text and "Individinsats 300 tkr 83 %" in text
    assert "Tabell 6. Deltagare per individinsats" in text and "Tabell 7." in text
    # the board's view (the CLI's default): Beta's 3 participants (3 since start, 2 ended) are
    # small ("<5"); Alfa's 7 since start and 6 in the range are hidden to protect them ("X",
    # else Samtliga's 10 and 9 would give Beta away), its 4 ended are small; the note says so
    assert "Beta <5 <5 <5" in text and "Alfa X X <5" in text
    assert "X = dold för att skydda ett litet tal" in text


def test_html_is_an_editable_document(traps_con):
    html, _ = rapport.build_html(traps_con, Scope.styrelse(), H2)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
