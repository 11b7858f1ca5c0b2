"""Översikt in a real browser, on the demo data."""

from __future__ import annotations

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


def test_a_page_says_laddar_while_it_loads(demo_db, serve, page, login):
    """While the page's layout is on its way (held here), Dash's renderer shows its own
    "Loading...": the stylesheet says "Laddar…" instead."""
    base = serve(demo_db[1])
    login(page, base, "styrelse1")
    page.route("**/_dash-layout", lambda route: None)  # never answered
    page.goto(base + "/mal")
    loading = page.locator("._dash-loading")
    loading.wait_for(state="attached")
    assert loading.evaluate("e => getComputedStyle(e, '::after').content") == '"Laddar…"'
    assert loading.evaluate("e => getComputedStyle(e).visibility") == "hidden"  # "Loading..."


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


def _in_viewport(pg, selector: str) -> dict:
    """The element's box against the window: fully visible without scrolling?"""
    return pg.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, height: innerHeight,
                inside: r.top >= 0 && r.bottom <= innerHeight && r.height > 0}; }""", selector)


@pytest.mark.parametrize("visning", ["", "?visning=projektor"])
def test_projector_first_screen_holds_the_status_and_the_attention_list(
        demo_db, serve, browser, visning):
    """At 1024×768, without scrolling: the lights on goal and budget, the headline outcome and
    the one attention list, its first insats with why and the styrgrupp's comment, every
    insats on it either shown or named."""
    from conftest import _login

    _, db_path = demo_db
    base = serve(db_path)
    ctx = browser.new_context(viewport={"width": 1024, "height": 768}, locale="sv-SE")
    pg = ctx.new_page()
    _login(pg, base, "styrelse1", "/" + visning)
    pg.wait_for_selector("#oversikt-att-folja-upp")
    for s in ("#oversikt-lage", "#oversikt-handlingsplan", "#oversikt-ar-arbete-studier",
              "#oversikt-uppmarksamhet-rubrik", "#oversikt-att-folja-upp > :first-child"):
        box = _in_viewport(pg, s)
        assert box["inside"], f"{s} is not in the first screen: {box}"
    # every item on the first screen, in projector mode too: those that do not fit are named
    # in one line ("+ 2 till: …"), one click away; the styrgrupp's comments stay
    box = _in_viewport(pg, "#oversikt-att-folja-upp")
    assert box["inside"], f"the attention list does not fit the first screen: {box}"
    shown = pg.locator("#oversikt-att-folja-upp > *").count()
    rest = pg.inner_text("#oversikt-fler") if pg.locator("#oversikt-fler").count() else ""
    if rest:
        assert _in_viewport(pg, "#oversikt-fler")["inside"]
    assert shown + (int(rest.split()[1]) if rest else 0) == 6  # the demo's six (Översikt)
    assert pg.locator("#oversikt-att-folja-upp .ik-kommentar").first.is_visible()
    first = pg.inner_text("#oversikt-att-folja-upp > :first-child")
    assert "Röd" in first and ("Målen:" in first or "Budget:" in first)
    assert pg.evaluate("document.body.classList.contains('ik-projektor')") == bool(visning)
    ctx.close()


def test_projector_mode_is_one_click_and_stays_in_the_url(demo_db, serve, page, login):
    _, db_path = demo_db
    base = serve(db_path)
    login(page, base, "styrelse1")
    page.wait_for_selector("#oversikt-att-folja-upp")
    page.click("#visning-projektor")
    page.wait_for_url(base + "/?visning=projektor")
    page.wait_for_function("() => document.body.classList.contains('ik-projektor')")
    # yellow reads as yellow: a solid yellow badge with black text
    page.wait_for_selector("#oversikt-lage .lampa-gul")
    bg = page.evaluate(
        "getComputedStyle(document.querySelector('#oversikt-lage .lampa-gul')).backgroundColor")
    assert bg == "rgb(255, 212, 0)"
    page.click("#nav-budget")
    page.wait_for_url(base + "/budget?visning=projektor")
    page.wait_for_selector("#budget-rubrik")
    assert page.evaluate("document.body.classList.contains('ik-projektor')")
    assert page.inner_text("#visning-projektor") == "Vanligt läge"
    page.click("#visning-projektor")
    page.wait_for_url(base + "/budget")
    page.wait_for_function("() => !document.body.classList.contains('ik-projektor')")
    assert page.console_errors == []


def test_lokus_sees_its_kommun_named(demo_db, serve, page, login):
    _, db_path = demo_db
    base = serve(db_path)
    login(page, base, "lokus-heby")
    page.wait_for_selector("#oversikt-att-folja-upp")
    assert page.inner_text("#oversikt-rubrik") == "Översikt kvartal 4 2022 · Heby"
    assert page.inner_text("#filter-visa") == "Filter: kvartal 4 2022 · Heby"
    page.click("#filter-visa")
    assert "Heby" in page.inner_text("#filter-kommun")
    assert "Alla kommuner" not in page.inner_text("#filter-kommun")
