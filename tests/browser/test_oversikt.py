"""Översikt in a real browser, on the demo data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dashboard import demo


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("demo")
    demo.write_series(d / "uttag")
    demo.load_series(d / "uttag", d / "demo.duckdb")
    return d / "uttag", d / "demo.duckdb"


def expected_lights(extract: Path, kommun: str | None = None) -> dict[str, int]:
    """The contract's rule applied by hand to the last extract's kvartalsrapport.csv:
    green = i_fas ja and prognos ja, yellow = i_fas nej and prognos ja, red = prognos nej.
    With a kommun: only insatser naming it, or länsövergripande ones."""
    with open(extract / "insatser.csv", encoding="utf-8") as fh:
        kommuner = {r["insats_id"]: r["kommuner"].split("|")
                    for r in csv.DictReader(fh, delimiter=";")}
    counts = {"gron": 0, "gul": 0, "rod": 0}
    with open(extract / "kvartalsrapport.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            if row["period"] != "2022-Q4":
                continue
            k = kommuner[row["insats_id"]]
            if kommun and kommun not in k and "Länsövergripande" not in k:
                continue
            if row["prognos"] == "nej":
                counts["rod"] += 1
            elif row["i_fas"] == "ja":
                counts["gron"] += 1
            else:
                counts["gul"] += 1
    return counts


def test_oversikt_shows_the_lights_of_the_latest_quarter(demo_db, serve, page, login):
    folder, db_path = demo_db
    expected = expected_lights(folder / "2022-Q4")
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
    expected = expected_lights(folder / "2022-Q4", kommun="Heby")
    everyone = expected_lights(folder / "2022-Q4")
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
