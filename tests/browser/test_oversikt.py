"""Översikt in a real browser, on the demo data."""

from __future__ import annotations

from pathlib import Path

import expected as figures
import pytest


def expected_lights_q4(folder, kommun=None):
    return figures.lights(folder, "2022-Q4", kommun=kommun)


def test_oversikt_shows_the_lights_of_the_latest_quarter(demo_db, serve, page, login):
    folder, db_path = demo_db
    expected = expected_lights_q4(folder)
    assert sum(expected.values()) >= 3  # the demo has reports to count
    base = serve(db_path)
    login(page, base, "styrelse1")
    page.wait_for_selector("#oversikt-antal-gron")
    assert page.inner_text("#oversikt-rubrik") == "Översikt kvartal 4 2022"
    for key, n in expected.items():
        assert page.inner_text(f"#oversikt-antal-{key}") == str(n), key
    assert page.get_attribute("html", "lang") == "sv"
    assert page.console_errors == []


def test_lokus_sees_only_its_kommun(demo_db, serve, page, login):
    folder, db_path = demo_db
    expected = expected_lights_q4(folder, kommun="Heby")
    everyone = expected_lights_q4(folder)
    assert expected != everyone  # the test can tell the scopes apart
    base = serve(db_path)
    login(page, base, "lokus-heby")
    page.wait_for_selector("#oversikt-antal-gron")
    assert "LOKUS Heby" in page.inner_text("#inloggad-som")
    for key, n in expected.items():
        assert page.inner_text(f"#oversikt-antal-{key}") == str(n), key
    page.click("text=Logga ut")
    page.wait_for_selector("#username")
    assert page.console_errors == []


def test_login_page_has_no_console_errors(demo_db, serve, page):
    _, db_path = demo_db
    base = serve(db_path)
    page.goto(base + "/")
    page.wait_for_selector("#username")
    assert page.url.startswith(base + "/login")
    assert page.get_attribute("html", "lang") == "sv"
    assert page.console_errors == []


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """The trap fixture with HTML and script in an insats name and a comment."""
    import shutil

    from dashboard import ingest

    d = tmp_path_factory.mktemp("hostile")
    src = Path(__file__).resolve().parents[1] / "fixtures" / "traps"
    shutil.copytree(src, d / "uttag")
    p = d / "uttag" / "insatser.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(
        ";Gamma;struktur;", ";<img src=x onerror=\"window.hacked=1\">Gamma;struktur;"),
        encoding="utf-8")
    ingest.ingest_file(d / "uttag", d / "h.duckdb")
    return d / "h.duckdb"


def test_text_from_extracts_is_shown_as_text(hostile_db, serve, page, login):
    base = serve(hostile_db)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, base, "styrelse1")
    page.wait_for_selector("#oversikt-att-folja-upp")
    text = page.inner_text("#oversikt-att-folja-upp")
    # C (red) first with its hostile name and comment, shown literally; then B (yellow)
    assert text.index('<img src=x onerror="window.hacked=1">Gamma') < text.index("Beta")
    assert "<script>alert(1)</script> =SUM(A1)" in text
    assert page.evaluate("window.hacked") is None and dialogs == []
    assert page.locator("#oversikt-att-folja-upp img").count() == 0
    assert page.console_errors == []


def test_kansli_switches_to_its_own_view(demo_db, serve, page, login):
    _, db_path = demo_db
    base = serve(db_path)
    login(page, base, "kansli1")
    assert page.inner_text("#kansli-sma-tal") == "Visa små tal"
    page.click("#kansli-sma-tal")
    page.wait_for_selector("#kansli-sma-tal:has-text('Dölj små tal')")
    page.click("#kansli-sma-tal")
    page.wait_for_selector("#kansli-sma-tal:has-text('Visa små tal')")
    assert page.console_errors == []


def test_other_roles_have_no_switch(demo_db, serve, page, login):
    _, db_path = demo_db
    base = serve(db_path)
    login(page, base, "styrelse1")
    page.wait_for_selector("#oversikt-antal-gron")
    assert page.locator("#kansli-sma-tal").count() == 0
