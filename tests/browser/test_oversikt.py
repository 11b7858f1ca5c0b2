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


def expected_lights(extract: Path) -> dict[str, int]:
    """The contract's rule applied by hand to the last extract's kvartalsrapport.csv:
    green = i_fas ja and prognos ja, yellow = i_fas nej and prognos ja, red = prognos nej."""
    counts = {"gron": 0, "gul": 0, "rod": 0}
    with open(extract / "kvartalsrapport.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            if row["period"] != "2022-Q4":
                continue
            if row["prognos"] == "nej":
                counts["rod"] += 1
            elif row["i_fas"] == "ja":
                counts["gron"] += 1
            else:
                counts["gul"] += 1
    return counts


def test_oversikt_shows_the_lights_of_the_latest_quarter(demo_db, serve, page):
    folder, db_path = demo_db
    expected = expected_lights(folder / "2022-Q4")
    assert sum(expected.values()) >= 3  # the demo has reports to count
    base = serve(db_path)
    page.goto(base + "/")
    page.wait_for_selector("#oversikt-antal-gron")
    assert page.inner_text("#oversikt-rubrik") == "Översikt kvartal 4 2022"
    for key, n in expected.items():
        assert page.inner_text(f"#oversikt-antal-{key}") == str(n), key
    assert page.get_attribute("html", "lang") == "sv"
    assert page.console_errors == []
