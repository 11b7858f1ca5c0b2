"""Dataladdning's progress in a real browser: the demo's last quarter uploaded to the demo
database, each step shown while the check runs off the request (a Dash background job, forked
from the server), then the preview; the page stays usable; Avbryt stores nothing."""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import expect
from test_board_pages import AXE, run_axe

STEP = 0.8  # seconds each step is held, so that a person (and the test) can read it


@pytest.fixture(scope="module")
def base(demo_db, serve):
    return serve(demo_db[1])


@pytest.fixture
def slow_steps(base, monkeypatch):
    """Each step held a moment: the demo's quarter is checked in about a second. The job is
    forked from this process, so it takes the patched function along."""
    from dashboard.pages import dataladdning  # the app is made (``serve``) before its pages

    real = dataladdning._progress

    def held(set_progress, keys, first=None):
        on_step = real(set_progress, keys, first)

        def step(key):
            on_step(key)
            time.sleep(STEP)

        return step

    monkeypatch.setattr(dataladdning, "_progress", held)


def test_the_check_shows_each_step_then_the_preview(base, browser, login, demo_db, slow_steps):
    # bypass_csp: axe-core is injected while the steps show
    ctx = browser.new_context(viewport={"width": 1024, "height": 768}, locale="sv-SE",
                              bypass_csp=True)
    page = ctx.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    login(page, base, "kansli1", "/dataladdning")
    quarter = sorted(p for p in demo_db[0].iterdir() if p.is_dir())[-1]
    page.set_input_files("#dataladdning-upload input[type=file]",
                         files=sorted(quarter.glob("*.csv")))
    current = page.locator("#dataladdning-steg [aria-current=step]")
    expect(current).to_have_text("Läser filerna…")
    expect(page.locator("#dataladdning-steg li").first).to_contain_text("Tar emot filerna")
    # while it runs: a new upload waits, the check can be cancelled, the rest of the page works
    expect(page.locator("#dataladdning-upload input[type=file]")).to_be_disabled()
    expect(page.locator("#dataladdning-avbryt-kontroll")).to_be_visible()
    expect(page.locator("#dataladdning-inlasningar tbody tr").first).to_be_visible()
    expect(current).to_have_text("Kontrollerar rader…")
    assert AXE.exists(), "run the README's test command (it installs axe-core with npm)"
    violations = run_axe(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
    expect(current).to_have_text("Jämför med inlästa data…")
    # done: the preview, the steps gone, the upload open again
    expect(page.locator("#dataladdning-felfritt")).to_be_visible()
    expect(page.locator("#dataladdning-las-in")).to_have_text("Läs in kvartal 4 2022")
    expect(page.locator("#dataladdning-klart")).to_contain_text("Klart: uttaget kontrollerades")
    expect(page.locator("#dataladdning-forlopp")).to_be_hidden()
    expect(page.locator("#dataladdning-upload input[type=file]")).to_be_enabled()
    # not wanted after all: nothing stored
    page.click("#dataladdning-avbryt")
    expect(page.locator("#dataladdning-resultat")).to_have_text("Avbrutet; ingenting sparades.")
    expect(page.locator("#dataladdning-inlasningar tbody tr")).to_have_count(16)
    assert errors == []
    ctx.close()
