"""The user guide's screenshots (docs/anvandarguide.md), taken again on the demo data by
this test: the guide shows the pages as they are. Each picture is checked for what the guide
says it shows, and the guide must refer to every picture that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "anvandarguide.md"
BILDER = ROOT / "docs" / "anvandarguide"

# file, user, path, width, what must be on screen (selector) before the picture is taken
SHOTS = [
    ("styrelse-oversikt.png", "styrelse1", "/", 1024, "#oversikt-att-folja-upp"),
    ("styrelse-projektor.png", "styrelse1", "/?visning=projektor", 1024, "#oversikt-att-folja-upp"),
    ("lokus-oversikt.png", "lokus-heby", "/", 1024, "#oversikt-att-folja-upp"),
    ("lokus-deltagare.png", "lokus-heby", "/deltagare", 1024, "#deltagare-sammanfattning"),
    ("kansli-kvalitet.png", "kansli1", "/kvalitet", 1024, "#kvalitet-atgard"),
    ("kansli-dataladdning.png", "kansli1", "/dataladdning", 1024, "#dataladdning-inlasningar"),
    ("kansli-pm.png", "kansli1", "/pm?fran=2022-Q3&till=2022-Q4", 1024, "#pm-analys"),
    ("telefon-oversikt.png", "lokus-heby", "/", 390, "#oversikt-att-folja-upp"),
]


@pytest.fixture(scope="module")
def base(demo_db, serve):
    return serve(demo_db[1])


@pytest.mark.parametrize("name,user,path,width,ready", SHOTS, ids=[s[0] for s in SHOTS])
def test_guide_screenshot(base, browser, name, user, path, width, ready):
    from conftest import _login

    ctx = browser.new_context(viewport={"width": width, "height": 768 if width > 500 else 844},
                              locale="sv-SE")
    pg = ctx.new_page()
    errors = []
    pg.on("console", lambda m: m.type == "error" and errors.append(m.text))
    _login(pg, base, user, path)
    pg.wait_for_selector(ready)
    pg.wait_for_load_state("networkidle")
    BILDER.mkdir(exist_ok=True)
    pg.screenshot(path=str(BILDER / name))
    if name == "styrelse-oversikt.png":  # the README's picture is the board's first screen
        pg.screenshot(path=str(ROOT / "docs" / "oversikt.png"))
    ctx.close()
    assert errors == []
    assert f"anvandarguide/{name}" in GUIDE.read_text(encoding="utf-8"), name


def test_guide_refers_to_existing_pictures_only():
    text = GUIDE.read_text(encoding="utf-8")
    used = set(re.findall(r"\(anvandarguide/([a-z-]+\.png)\)", text))
    assert used == {s[0] for s in SHOTS}
    assert "](http" not in text and "../" not in text  # nothing outside the repository
