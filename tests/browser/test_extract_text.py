"""Text from an extract (an insats name, a comment) is shown as text in a real browser, never
run as HTML. (A module of its own: it serves a database of its own, and the demo's modules
run together; tests/conftest.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest


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
    # B and C both have a red light (C on goal: first; B on budget); C's hostile name and
    # comment are shown literally
    assert text.index('<img src=x onerror="window.hacked=1">Gamma') < text.index("Beta")
    assert "<script>alert(1)</script> =SUM(A1)" in text
    assert page.evaluate("window.hacked") is None and dialogs == []
    assert page.locator("#oversikt-att-folja-upp img").count() == 0
    assert page.console_errors == []
