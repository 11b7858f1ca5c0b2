"""Dataladdning in a real browser: the kansli uploads an extract, sees the problems of a
broken one, the preview of a clean one, stores it, and makes the earlier load current again."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard import ingest

ROOT = Path(__file__).resolve().parents[2]
TRAPS = ROOT / "tests" / "fixtures" / "traps"


@pytest.fixture(scope="module")
def base(serve, tmp_path_factory):
    d = tmp_path_factory.mktemp("ladda")
    ingest.ingest_file(TRAPS, d / "t.duckdb", loaded_by="kansli1")
    return serve(d / "t.duckdb")


def files(edit=None) -> list[dict]:
    out = []
    for p in sorted(TRAPS.iterdir()):
        data = p.read_bytes()
        if edit and p.name in edit:
            data = data.replace(*edit[p.name])
        out.append({"name": p.name, "mimeType": "text/csv", "buffer": data})
    return out


def upload(page, payload) -> None:
    page.set_input_files("#dataladdning-upload input[type=file]", files=payload)


def test_kansli_loads_a_quarter_and_goes_back(base, page, login):
    login(page, base, "kansli1")
    page.click("#nav-dataladdning")
    page.wait_for_url(base + "/dataladdning")
    expect(page.locator("#dataladdning-inlasningar tbody tr")).to_have_count(1)
    # broken: a negative budget -> the problem with file, row and column; nothing stored
    upload(page, files({"budget.csv": (b"A;2020-Q4;100;80", b"A;2020-Q4;-5;80")}))
    expect(page.locator("#dataladdning-avvisat")).to_be_visible()
    row = page.locator("#dataladdning-problem tbody tr").first
    expect(row).to_contain_text("budget.csv")
    expect(row.locator("td").nth(1)).to_have_text("budget_tkr")
    # clean, with A's Q4 prognos nej: the preview shows the light that changes
    upload(page, files({"kvartalsrapport.csv": (b"A;2020-Q4;Ja;Ja;", b"A;2020-Q4;Ja;nej;")}))
    expect(page.locator("#dataladdning-felfritt")).to_be_visible()
    expect(page.locator("#dataladdning-lampor_andras tbody tr")).to_have_count(1)
    expect(page.locator("#dataladdning-lampor_andras tbody tr")).to_contain_text("■ Röd")
    # the decision sits on top of what it changes, in the first screen, naming the quarter
    expect(page.locator("#dataladdning-las-in")).to_have_text("Läs in kvartal 4 2020")
    box = page.locator("#dataladdning-las-in").bounding_box()
    assert box and box["y"] + box["height"] <= 768
    expect(page.locator("#dataladdning-fakta")).to_contain_text("Rader per fil: ")
    page.click("#dataladdning-las-in")
    expect(page.locator("#dataladdning-inlast")).to_contain_text("kvartal 4 2020 är inläst")
    expect(page.locator("#dataladdning-inlasningar tbody tr")).to_have_count(2)
    page.goto(base + "/")
    expect(page.locator("#oversikt-antal-rod")).to_have_text("2")  # A and C
    # the first load current again
    page.goto(base + "/dataladdning")
    page.locator("#dataladdning-inlasningar button", has_text="Gör aktuell").click()
    expect(page.locator("#dataladdning-aktiverad")).to_be_visible()
    page.goto(base + "/")
    expect(page.locator("#oversikt-antal-rod")).to_have_text("1")
    assert page.console_errors == []


def test_others_cannot_load(base, page, login):
    login(page, base, "styrelse1")
    expect(page.locator("#nav-dataladdning")).to_be_hidden()
    page.goto(base + "/dataladdning")
    expect(page.locator("#dataladdning-ej-behorig")).to_be_visible()
    assert page.locator("#dataladdning-upload").count() == 0
