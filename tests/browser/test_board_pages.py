"""Every board page in a real browser on the demo data: each filter changes a number to the
value worked out from the CSV extracts (tests/browser/expected.py), the filters live in the
URL (bookmarks, back/forward, moving between pages), downloads, no console errors, axe-core
(WCAG 2 A/AA) on every page, and no sideways scrolling on a phone."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import expected
import pytest
from playwright.sync_api import expect

# (/insats/2017:48 ended before the latest quarter: its slutrapport instead of the period's)
PAGES = ["/", "/mal", "/budget", "/kvalitet", "/insats/2019:11", "/insats/2017:48", "/deltagare",
         "/malgrupp", "/progression", "/pm", "/sa-raknas-siffrorna", "/presentation",
         "/dataladdning"]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def base(demo_db, serve):
    return serve(demo_db[1])


def open_filters(page) -> None:
    """The filter bar starts closed (its line says what is chosen): open it once."""
    page.wait_for_selector("#filter-visa")
    if page.get_attribute("#filter-visa", "aria-expanded") != "true":
        page.click("#filter-visa")
    # opened, and done moving (a click while Bootstrap's "collapsing" runs can miss)
    expect(page.locator("#filter-collapse")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def choose(page, dropdown: str, option: str) -> None:
    """Pick an option of a Dash dropdown as a person does: open it, click the option."""
    if dropdown.startswith("filter-"):
        open_filters(page)
    options = page.locator("[role=option]").filter(has_text=re.compile(f"^{re.escape(option)}$"))
    page.click(f"#{dropdown}")
    if not options.first.is_visible():  # a slow machine: the menu may need a moment
        options.first.wait_for(state="visible", timeout=10_000)
    options.first.click()
    page.keyboard.press("Escape")


def light_counts(page) -> dict[str, int]:
    return {k: int(page.inner_text(f"#oversikt-antal-{k}")) for k in ("gron", "gul", "rod")}


def expect_lights(page, counts: dict[str, int]) -> None:
    for k, n in counts.items():
        expect(page.locator(f"#oversikt-antal-{k}")).to_have_text(str(n))


def test_kommun_filter_lives_in_the_url(demo_db, base, page, login):
    folder = demo_db[0]
    everyone = expected.lights(folder, "2022-Q4")
    heby = expected.lights(folder, "2022-Q4", kommun="Heby")
    assert heby != everyone
    login(page, base, "styrelse1")
    expect_lights(page, everyone)
    choose(page, "filter-kommun", "Heby")
    page.wait_for_url(re.compile(r"/\?kommun=Heby$"))
    expect_lights(page, heby)
    # back and forward
    page.go_back()
    page.wait_for_url(base + "/")
    expect_lights(page, everyone)
    expect(page.locator("#filter-kommun")).to_contain_text("Alla kommuner")
    page.go_forward()
    expect_lights(page, heby)
    expect(page.locator("#filter-kommun")).to_contain_text("Heby")
    # moving to another page keeps the filter; the Mål table lists Heby's insatser
    page.click("#nav-mal")
    page.wait_for_url(re.compile(r"/mal\?kommun=Heby$"))
    expect(page.locator("#mal-mal tbody tr")).to_have_count(sum(heby.values()))
    # a bookmark opens exactly that view
    page.goto(base + "/?kommun=Heby")
    expect_lights(page, heby)
    assert page.console_errors == []


def test_period_filter_and_presets(demo_db, base, page, login):
    folder = demo_db[0]
    login(page, base, "styrelse1")
    choose(page, "filter-till", "kvartal 3 2022")  # 'från' follows: the range is 2022-Q3
    page.wait_for_url(re.compile(r"fran=2022-Q3&till=2022-Q3"))
    expect(page.locator("#oversikt-rubrik")).to_have_text("Översikt kvartal 3 2022")
    expect_lights(page, expected.lights(folder, "2022-Q3"))
    # 'Hittills i år' ends at the chosen quarter
    open_filters(page)
    page.click("#filter-preset-ar")
    page.wait_for_url(re.compile(r"fran=2022-Q1&till=2022-Q3"))
    expect(page.locator("#oversikt-rubrik")).to_have_text(
        "Översikt kvartal 1 2022 – kvartal 3 2022")
    page.click("#nav-budget")
    row = page.locator("#budget-budget tbody tr", has_text="Tierp, Växtverket")
    want = expected.budget_sum(folder, "2019:11", ["2022-Q1", "2022-Q2", "2022-Q3"], "budget_tkr")
    # after the light, the kvot, Kommun and Typ
    expect(row.locator("td").nth(4)).to_have_text(expected.tkr(want))
    # 'Senaste kvartalet' goes back to the default, which keeps the URL free of periods
    open_filters(page)
    page.click("#filter-preset-kvartal")
    page.wait_for_url(base + "/budget")
    expect(page.locator("#budget-rubrik")).to_have_text("Budget kvartal 4 2022")
    assert page.console_errors == []


def test_typ_and_status_filters(demo_db, base, page, login):
    folder = demo_db[0]
    login(page, base, "styrelse1")
    choose(page, "filter-typ", "Strukturinsats")
    page.wait_for_url(re.compile(r"typ=struktur"))
    expect_lights(page, expected.lights(folder, "2022-Q4", typ="struktur"))
    page.goto(base + "/kvalitet")
    choose(page, "filter-status", "Avslutade")
    page.wait_for_url(re.compile(r"/kvalitet\?status=avslutad$"))
    q4 = (date(2022, 10, 1), date(2022, 12, 31))
    ended = expected.ended_in(folder, *q4) & expected.running_in(folder, *q4)
    assert ended  # the demo ends insatser in its last quarter
    expect(page.locator("#kvalitet-kvalitet tbody tr")).to_have_count(len(ended))
    assert page.console_errors == []


def test_burn_chart_for_one_insats_and_its_table(demo_db, base, page, login):
    folder = demo_db[0]
    login(page, base, "styrelse1", "/budget")
    choose(page, "budget-diagram-insats", "Tierp, Växtverket")
    page.locator("#budget-diagram").get_by_text("Visa diagrammets siffror som tabell").click()
    last = page.locator("#budget-budget_kvartal tbody tr").last
    ack = expected.budget_sum(folder, "2019:11", [f"2022-Q{n}" for n in range(1, 5)], "utfall_tkr")
    expect(last.locator("td").nth(3)).to_have_text(expected.tkr(ack))
    expect(page.locator("#budget-brannkurva .main-svg").first).to_be_visible()
    assert page.console_errors == []


def test_download_is_what_the_table_shows(demo_db, base, page, login):
    login(page, base, "styrelse1", "/budget?kommun=Heby")
    rows = page.locator("#budget-budget tbody tr")
    expect(rows.first).to_be_visible()
    names = [rows.nth(i).locator("th").inner_text() for i in range(rows.count())]
    with page.expect_download() as dl:
        page.locator("#budget-budget").locator("xpath=../..").get_by_text("Ladda ner CSV").click()
    d = dl.value
    assert d.suggested_filename == "insatskollen-budget-2022-Q4-Heby.csv"  # the kommun named
    lines = Path(d.path()).read_text(encoding="utf-8-sig").splitlines()
    assert [ln.split(";")[0] for ln in lines[1:]] == names
    assert page.console_errors == []


def test_clicking_an_insats_opens_its_page_with_the_filters(base, page, login):
    login(page, base, "styrelse1", "/mal?typ=individ")
    link = page.locator("#mal-mal tbody tr th a").first
    name = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/insats/[^?]+\?typ=individ$"))
    expect(page.locator("#insats-rubrik")).to_have_text(name)
    assert page.console_errors == []


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run({exclude: [['.dash-dropdown-focus-target']]},
            {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
                                      nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return result


@pytest.fixture
def axe_page(browser):
    """A page whose context lets the test inject axe-core despite the app's CSP."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="sv-SE",
                              bypass_csp=True)
    pg = ctx.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    yield pg
    ctx.close()


@pytest.mark.parametrize("width", [1024, 390])  # the board's projector, a phone
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_violations(base, axe_page, login, path, width):
    assert AXE.exists(), "run the README's test command (it installs axe-core with npm)"
    axe_page.set_viewport_size({"width": width, "height": 768 if width > 1000 else 844})
    login(axe_page, base, "kansli1", path)
    axe_page.wait_for_selector("main h1")
    axe_page.wait_for_timeout(300)
    violations = run_axe(axe_page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)
    assert axe_page.console_errors == []


def test_dropdowns_are_named_by_their_label(base, page, login):
    """Dash names a dropdown by its value; assets/40-namn.js puts the label first."""
    login(page, base, "styrelse1", "/budget")
    page.click("#filter-visa")
    for label in ("Från", "Till", "Kommun", "Typ", "Status", "Insats", "Visa"):
        expect(page.get_by_role("button", name=re.compile(f"^{label} "))).to_have_count(1)
    expect(page.get_by_role("button", name=re.compile("^Kommun Alla kommuner"))).to_have_count(1)
    assert page.console_errors == []


def test_axe_on_the_login_page(base, axe_page):
    axe_page.goto(base + "/login")
    assert run_axe(axe_page) == []


# every table (those behind a "Visa" too) against the box it sits in: px it is wider by
WIDER_TABLES = """() => {
  document.querySelectorAll('main details:not(.ik-visa-alla)').forEach(d => { d.open = true; });
  return [...document.querySelectorAll('main table')].filter(t => t.offsetParent).map(t => {
    const box = t.closest('.table-responsive') || t.parentElement;
    return [t.id || t.className, t.scrollWidth - box.clientWidth];
  }).filter(([, px]) => px > 1);
}"""


@pytest.mark.parametrize("width", [390, 1024])  # a phone; the board's projector
def test_no_sideways_scrolling(base, browser, width):
    """Neither the page nor any table with its default columns (tables.Kolumn.prio) is wider
    than the screen: at 1024 px the key columns are on screen, on a phone a card per row."""
    ctx = browser.new_context(viewport={"width": width, "height": 800}, locale="sv-SE")
    pg = ctx.new_page()
    from conftest import _login

    _login(pg, base, "styrelse1")
    for path in PAGES:
        pg.goto(base + path)
        pg.wait_for_selector("main h1")
        pg.wait_for_timeout(300)
        wide = pg.evaluate("document.documentElement.scrollWidth - "
                           "document.documentElement.clientWidth")
        assert wide <= 0, f"{path} scrolls sideways by {wide} px at {width} px"
        assert pg.evaluate(WIDER_TABLES) == [], f"{path}: tables wider than the screen"
    ctx.close()


def test_phone_menu_and_filter_open_on_demand(base, browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 800}, locale="sv-SE")
    pg = ctx.new_page()
    from conftest import _login

    _login(pg, base, "styrelse1", "/?kommun=Heby")
    expect(pg.locator("#filter-visa")).to_have_text("Filter: kvartal 4 2022 · Heby")
    expect(pg.locator("#filter-kommun")).to_be_hidden()
    pg.click("#filter-visa")
    expect(pg.locator("#filter-kommun")).to_be_visible()
    expect(pg.locator("#nav-mal")).to_be_hidden()
    pg.click("#nav-meny")
    expect(pg.locator("#nav-mal")).to_be_visible()
    pg.click("#nav-mal")
    pg.wait_for_url(re.compile(r"/mal\?kommun=Heby$"))
    expect(pg.locator("#nav-mal")).to_be_hidden()  # the menu closes on moving
    ctx.close()


def kansli_own_view(page, base, login) -> None:
    login(page, base, "kansli1")
    if page.inner_text("#kansli-sma-tal") == "Visa små tal":
        page.click("#kansli-sma-tal")
        page.wait_for_selector("#kansli-sma-tal:has-text('Dölj små tal')")


def test_deltagare_kon_filter(demo_db, base, page, login):
    folder = demo_db[0]
    ytd = (date(2022, 1, 1), date(2022, 12, 31))  # the participant pages' default period
    women = expected.active_episodes(folder, *ytd, kon="kvinna")
    everyone = expected.active_episodes(folder, *ytd)
    assert 0 < len(women) < len(everyone)
    kansli_own_view(page, base, login)
    page.goto(base + "/deltagare")
    expect(page.locator("#deltagare-sammanfattning")).to_contain_text(
        f"{expected.heltal(len(everyone))} deltagare under perioden")
    choose(page, "filter-kon", "Kvinna")
    page.wait_for_url(re.compile(r"/deltagare\?kon=kvinna$"))
    expect(page.locator("#deltagare-sammanfattning")).to_contain_text(
        f"{expected.heltal(len(women))} deltagare under perioden")
    expect(page.locator("#deltagare-avslutsorsaker-diagram .main-svg").first).to_be_visible()
    assert page.console_errors == []


def test_malgrupp_coarser_grouping_and_reading(demo_db, base, page, login):
    folder = demo_db[0]
    rows = expected.active_episodes(folder, date(2022, 1, 1), date(2022, 12, 31))  # default: ytd
    young = sum(1 for r in rows if int(r["startdatum"][:4]) - int(r["fodelsear"]) < 30)
    kansli_own_view(page, base, login)
    page.goto(base + "/malgrupp?kommun=Heby")
    page.click("#malgrupp-indelning-grov")
    page.wait_for_url(re.compile(r"/malgrupp\?kommun=Heby&indelning=grov$"))
    expect(page.locator("#malgrupp-indelning-grov")).to_have_class(re.compile("active"))
    page.goto(base + "/malgrupp?indelning=grov")
    expect(page.locator("#malgrupp-alder-lasning")).to_contain_text(
        f"{expected.percent(young, len(rows))} yngre än 30")
    # another filter keeps the page's grouping
    choose(page, "filter-typ", "Individinsats")
    page.wait_for_url(re.compile(r"typ=individ&indelning=grov$"))
    expect(page.locator("#malgrupp-alder-lasning")).to_contain_text(
        f"{expected.percent(young, len(rows))} yngre än 30")  # all participants are in individinsatser
    assert page.console_errors == []


def test_pm_from_the_overview(base, page, login):
    from io import BytesIO

    from pypdf import PdfReader

    login(page, base, "styrelse1", "/?kommun=Heby")
    with page.expect_download(timeout=60_000) as dl:
        page.click("#oversikt-pm button")
    d = dl.value
    assert d.suggested_filename == "uppfoljning-2022-Q4_2022-Q4-Heby.pdf"  # the scope named
    reader = PdfReader(BytesIO(Path(d.path()).read_bytes()))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Uppföljning av insatser kvartal 4 2022" in first and "kommun Heby" in first
    assert page.console_errors == []


# A slide's content bottom; how much of it is empty below its heading, column by column (the
# area below each column's last content, to the footer at 740 px, of the whole); and the size
# in px of every text of its charts
SLIDE_FILL = """i => {
  const s = document.querySelector('#presentation-bild-' + i);
  const top = s.querySelector('h1').getBoundingClientRect().bottom, foot = 740;
  const lowest = el => Math.max(top, ...[...el.querySelectorAll('*')].map(e => {
    const r = e.getBoundingClientRect(); return r.width && r.height ? r.bottom : 0; }));
  const cols = [...s.querySelectorAll('.row > [class*=col]')];
  let empty = 0, all = 0;
  for (const c of (cols.length ? cols : [s])) {
    const w = c.getBoundingClientRect().width;
    empty += Math.max(0, foot - lowest(c)) * w; all += (foot - top) * w; }
  const fonts = [...s.querySelectorAll('svg text')].map(
    t => parseFloat(getComputedStyle(t).fontSize)).filter(x => x > 0);
  return [lowest(s), empty / all, fonts];
}"""


def test_presentation_mode_with_the_keyboard(demo_db, base, page, login):
    folder = demo_db[0]
    lights = expected.lights(folder, "2022-Q4", kommun="Tierp")
    watch = expected.attention(folder, "2022-Q4", kommun="Tierp")
    assert len(watch) >= 2  # the test sees the attention slides
    login(page, base, "styrelse1")
    page.set_viewport_size({"width": 1024, "height": 768})  # the board's projector
    page.goto(base + "/?kommun=Tierp")
    page.click("#oversikt-presentera")
    page.wait_for_url(re.compile(r"/presentation\?kommun=Tierp"))
    slides = page.locator(".ik-slide")
    # every light; one slide per insats needing attention; budget, outcomes, changes, and the
    # kansli's closing assessment (the demo has one)
    expect(slides).to_have_count(1 + len(watch) + 4)
    n = slides.count()
    expect(page.locator("#presentation-raknare")).to_have_text(f"1 / {n}")
    expect(page.locator(".ik-navbar")).to_be_hidden()
    expect(page.locator("#presentation-antal-rod")).to_have_text(str(lights["rod"]))
    page.wait_for_timeout(500)
    for i in range(1, n + 1):  # no slide more than a third empty, none running off the screen
        page.wait_for_selector(f"#presentation-bild-{i}:visible .ik-slide, #presentation-bild-{i}")
        bottom, empty, fonts = page.evaluate(SLIDE_FILL, i)
        assert bottom <= 740, f"slide {i}: content ends at {bottom:.0f} px"
        assert empty <= 1 / 3, f"slide {i}: {empty:.0%} empty"
        assert min(fonts, default=18) >= 18, f"slide {i}: chart text of {min(fonts)} px"
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#presentation-raknare")).to_have_text(f"2 / {n}")
    expect(page.locator("#presentation-bild-2")).to_be_visible()
    expect(page.locator("#presentation-bild-1")).to_be_hidden()
    # red on goal first (Växtverket: red on both), then red on budget (Arbetslivsstöd)
    expect(page.locator("#presentation-bild-2 h1")).to_contain_text("Tierp, Växtverket")
    expect(page.locator("#presentation-bild-3 h1")).to_contain_text("Norra länet, Arbetslivsstöd")
    page.keyboard.press("End")
    expect(page.locator(f"#presentation-bild-{n} h1")).to_have_text("Kansliets bedömning")
    expect(page.locator(f"#presentation-bild-{n - 1} h1")).to_have_text(
        "Vad har ändrats sedan förra kvartalet")
    page.keyboard.press("ArrowRight")  # stays on the last
    expect(page.locator("#presentation-raknare")).to_have_text(f"{n} / {n}")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#presentation-raknare")).to_have_text(f"{n - 1} / {n}")
    page.keyboard.press("Escape")
    page.wait_for_url(base + "/?kommun=Tierp")
    expect(page.locator("#oversikt-rubrik")).to_be_visible()
    assert page.console_errors == []


def test_insats_filter(demo_db, base, page, login):
    folder = demo_db[0]
    login(page, base, "styrelse1", "/budget")
    choose(page, "filter-insats", "Tierp, Växtverket")
    page.wait_for_url(re.compile(r"/budget\?insats=2019:11$"))
    rows = page.locator("#budget-budget tbody tr")
    expect(rows).to_have_count(1)
    want = expected.budget_sum(folder, "2019:11", ["2022-Q4"], "utfall_tkr")
    expect(rows.first.locator("td").nth(5)).to_have_text(expected.tkr(want))  # Utfall perioden
    assert page.console_errors == []


def test_participant_pages_open_on_the_year_to_date(base, page, login):
    login(page, base, "styrelse1")
    page.click("#nav-deltagare")
    expect(page.locator("#deltagare-rubrik")).to_have_text("Deltagare kvartal 1 2022 – kvartal 4 2022")
    expect(page.locator("#filter-visa")).to_have_text("Filter: kvartal 1 2022 – kvartal 4 2022")
    # the latest quarter on its own is a choice the URL keeps
    open_filters(page)
    page.click("#filter-preset-kvartal")
    page.wait_for_url(re.compile(r"/deltagare\?fran=2022-Q4&till=2022-Q4$"))
    expect(page.locator("#deltagare-rubrik")).to_have_text("Deltagare kvartal 4 2022")
    # back on Översikt the default is the latest quarter again
    page.goto(base + "/")
    expect(page.locator("#oversikt-rubrik")).to_have_text("Översikt kvartal 4 2022")
    assert page.console_errors == []
