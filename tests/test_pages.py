"""The pages' render functions and the download, called directly on the trap fixture
(see test_tables.py for the hand-worked figures they must show)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import plotly
import pytest
from helpers import find_children
from openpyxl import load_workbook

import app  # noqa: F401  (registers the pages)
from dashboard import urlstate
from dashboard.components import nedladdning
from dashboard.figures.budget import burn
from dashboard.pages import budget, deltagare, insats, kvalitet, mal, malgrupp, oversikt, progression
from dashboard.views import Scope

KANSLI = Scope.kansli()
H2 = urlstate.State("2020-Q3", "2020-Q4")


def as_json(layout) -> dict:
    return json.loads(json.dumps(layout, cls=plotly.utils.PlotlyJSONEncoder))


def text(node) -> str:
    """All text under a layout node."""
    if isinstance(node, str):
        return node
    if isinstance(node, (int, float)):
        return str(node)
    if isinstance(node, list):
        return "".join(text(n) for n in node)
    if isinstance(node, dict):
        return text(node.get("props", {}).get("children") or "")
    return ""


def find(layout, component_id) -> str:
    return text(find_children(layout, component_id))


def test_oversikt_shows_the_key_figures(traps_con):
    page = as_json(oversikt.render(traps_con, KANSLI, H2))
    assert find(page, "oversikt-rubrik") == "Översikt kvartal 3 2020 – kvartal 4 2020"
    assert [find(page, f"oversikt-antal-{k}") for k in ("gron", "gul", "rod")] == ["1", "1", "1"]
    assert find(page, "oversikt-pagaende") == "3"  # A, B, C run at 2020-12-31
    assert find(page, "oversikt-forbrukning") == "80\u00a0%"  # 585 / 730
    assert find(page, "oversikt-forbrukning-detalj") == "585\u00a0tkr av 730\u00a0tkr"
    assert find(page, "oversikt-arbete-studier") == "67\u00a0%"
    assert find(page, "oversikt-arbete-studier-detalj") == "4 av 6 avslutade deltagare"
    assert find(page, "oversikt-anonyma") == "7"
    assert find(page, "oversikt-anonyma-detalj") == "20 nådda i volym- och gruppaktiviteter"
    # the changes: three lights and two new avvikelser
    changes = find(page, "oversikt-andringar")
    assert changes.count("Mållampan har ändrats") == 3 and "Ny avvikelse gällande budget" in changes


def test_oversikt_for_the_board_hides_small_numbers(traps_con):
    page = as_json(oversikt.render(traps_con, Scope.styrelse(), H2))
    assert find(page, "oversikt-arbete-studier") == "<5"
    assert find(page, "oversikt-arbete-studier-detalj").startswith("<5 av ")


def test_kommun_filter_changes_the_overview(traps_con):
    # Heby: A (Heby|Tierp) and the länsövergripande C; not Uppsala's B
    page = as_json(oversikt.render(traps_con, KANSLI, urlstate.State("2020-Q3", "2020-Q4",
                                                                     ("Heby",))))
    assert [find(page, f"oversikt-antal-{k}") for k in ("gron", "gul", "rod")] == ["1", "0", "1"]
    assert find(page, "oversikt-forbrukning") == "93\u00a0%"  # (375 + 80) / (400 + 90) = 92.9 %


def test_mal_page(traps_con):
    page = as_json(mal.render(traps_con, KANSLI, H2))
    table = find(page, "mal-mal")
    assert "Alfa" in table and "■ Röd" in table and "▲ Gul" in table
    assert "Gemensam rutin antagen" in find(page, "mal-malen")
    assert find(page, "mal-lampor").count("■ Röd") == 1


def test_budget_page_and_chart(traps_con):
    page = as_json(budget.render(traps_con, KANSLI, H2))
    assert "375\u00a0tkr" in find(page, "budget-budget")  # A's utfall hittills i år
    assert "83\u00a0%" in find(page, "budget-budget_typ")  # individ 300 of 360
    fig = burn(budget.tables.budget_kvartal(traps_con, KANSLI, H2).df, "t")
    assert list(fig.data[1].y) == [130, 325, 495, 585]
    assert list(fig.data[0].y) == [170, 370, 550, 730]
    card = as_json(budget.burn_card(traps_con, KANSLI, H2, "C"))
    assert "35\u00a0tkr" in find(card, "budget-budget_kvartal")


def test_kvalitet_page(traps_con):
    page = as_json(kvalitet.render(traps_con, KANSLI, H2))
    # Q4 (see test_tables.py): action needed for B (ordinarie nej) and C (styrgruppsmöten nej,
    # kontroll nej); for information B (i_fas nej, vakans förb. ja, avvikelse budget ja) and
    # C (prognos nej, avvikelse mål ja). A answered as expected.
    assert find(page, "kvalitet-atgard-rubrik") == "Åtgärd krävs (2 insatser)i"  # (i): how
    assert find(page, "kvalitet-atgard") == (
        "Beta: ordinarie ledamöter har inte deltagit."
        "Gamma: styrgruppen har inte mötts enligt avtal, målgrupp och metod inte kontrollerade.")
    assert find(page, "kvalitet-kannedom-rubrik") == "För kännedom (2 insatser)i"
    assert find(page, "kvalitet-kannedom") == (
        "Beta: inte i fas med målen, vakans i tjänst finansierad av förbundet, avvikelse om "
        "budget inlämnad.Gamma: prognosen är att målen inte nås, avvikelse om mål/målgrupp "
        "inlämnad.")
    table = find(page, "kvalitet-kvalitet")
    assert table.count("⚠") == 3 and table.count("ℹ") == 5


def test_insats_page(traps_con):
    page = as_json(insats.render(traps_con, KANSLI, H2, "A"))
    assert find(page, "insats-rubrik") == "Alfa"
    assert "Heby, Tierp" in find(page, "insats-fakta")
    assert find(page, "insats-mallampa") == "Mål: ● Grön"
    assert "94\u00a0%" in find(page, "insats-budgetlampa")
    assert "Avslutade under perioden4" in find(page, "insats-deltagare")
    # an insats outside a LOKUS group's kommuner looks the same as one that does not exist
    other = as_json(insats.render(traps_con, Scope.lokus("Heby"), H2, "B"))
    missing = as_json(insats.render(traps_con, Scope.lokus("Heby"), H2, "nope"))
    assert "finns inte" in find(other, "insats-saknas")
    assert find(other, "insats-saknas").replace("'B'", "") == \
        find(missing, "insats-saknas").replace("'nope'", "")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_download_holds_what_the_page_shows(traps_con, fmt):
    name, data = nedladdning.build_file(traps_con, KANSLI, "budget", fmt,
                                        "?fran=2020-Q3&till=2020-Q4", "")
    assert name == f"insatskollen-budget-2020-Q3_2020-Q4.{fmt}"
    if fmt == "csv":
        lines = data.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Insats;Budgetlampa;Förbrukningskvot (%);Kommun;Typ;"
                                   "Budget perioden (tkr);Utfall perioden (tkr)")
        # light and förbrukning (375 / 400 = 94 %) first, then kommun, typ, the amounts, the
        # year-end forecast (Q4: the year itself) and its light, överfört to next year, återfört
        assert lines[1] == "Alfa;Grön;94;Heby, Tierp;Individinsats;200;175;400;375;94;Grön;15;0"
    else:
        ws = load_workbook(io.BytesIO(data)).active
        assert [c.value for c in ws[2]] == ["Alfa", "Grön", 94, "Heby, Tierp", "Individinsats",
                                             200, 175, 400, 375, 94, "Grön", 15, 0]


def test_a_download_about_some_kommuner_names_them():
    from dashboard.components.sida import filnamn_urval

    assert filnamn_urval("Heby") == "-Heby"
    assert filnamn_urval("Heby, Älvkarleby") == "-Heby-Älvkarleby"
    assert filnamn_urval("") == ""


def test_a_lokus_groups_download_is_named_for_its_kommun(traps_con):
    from dashboard.views import Scope

    name, _ = nedladdning.build_file(traps_con, Scope.lokus("Heby"), "budget", "csv",
                                     "?fran=2020-Q3&till=2020-Q4", "")
    assert name == "insatskollen-budget-2020-Q3_2020-Q4-Heby.csv"
    name, _ = nedladdning.build_file(traps_con, KANSLI, "mal", "xlsx", "?kommun=Uppsala", "")
    assert name == "insatskollen-mal-2020-Q4-Uppsala.xlsx"


def test_download_rejects_unknown_tables(traps_con):
    with pytest.raises(ValueError):
        nedladdning.build_file(traps_con, KANSLI, "__import__", "csv", "", "")


def test_deltagare_page(traps_con):
    page = as_json(deltagare.render(traps_con, KANSLI, H2))
    # Samtliga: 9 active, 6 ended, 4 to work/studies (A p1, p2; B p7, p9)
    assert find(page, "deltagare-sammanfattning") == (
        "9 deltagare under perioden, 6 avslutade, varav 67\u00a0% (4 av 6) till arbete eller "
        "studier.")
    # the board: B's 3 active is "<5", so A's 6 is hidden ("X"); the true total 9 is shown or
    # "X" (on this tiny fixture the protection may hide more), never "<5"; 4 to work/studies
    # is small ("<5", true); the 6 ended (A 4 + B 2, both "<5") is either shown or "X"
    board = as_json(deltagare.render(traps_con, Scope.styrelse(), H2))
    text = find(board, "deltagare-sammanfattning")
    assert text.split(" deltagare under perioden, ")[0] in ("9", "X")
    assert text.endswith(" avslutade, varav <5 till arbete eller studier.")
    assert text.split(", ")[1] in ("6 avslutade", "X avslutade")


def test_malgrupp_page_offers_coarser_groupings(traps_con):
    page = as_json(malgrupp.render(traps_con, Scope.styrelse(), H2))
    # mostly hidden for the board on the tiny fixture: the coarser grouping is offered
    assert "Visa med grövre kategorier" in find(page, "malgrupp-alder-rad")
    coarse = as_json(malgrupp.render(traps_con, Scope.styrelse(),
                                     urlstate.State("2020-Q3", "2020-Q4", indelning="grov")))
    assert "Visa med grövre, utan uppdelning på kön" in find(coarse, "malgrupp-alder-rad")
    kansli = as_json(malgrupp.render(traps_con, KANSLI, H2))
    assert find(kansli, "malgrupp-alder-lasning").endswith("33\u00a0% yngre än 30.")
    assert find_children(kansli, "malgrupp-alder-rad") is None


@pytest.mark.slow
def test_charts_download_as_images(traps_con):
    name, svg = nedladdning.build_file(traps_con, KANSLI, "budget_kvartal", "svg",
                                       "?fran=2020-Q3&till=2020-Q4", "")
    assert name.endswith(".svg") and svg.lstrip().startswith(b"<svg")
    _, png = nedladdning.build_file(traps_con, KANSLI, "deltagare_kvartal", "png", "", "")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # the board's age chart: every count of the fixture is hidden, so the image shows the
    # marker and none of the numbers 1-4 as a label
    _, board = nedladdning.build_file(traps_con, Scope.styrelse(), "malgrupp_alder", "svg",
                                      "?fran=2020-Q3&till=2020-Q4", "")
    import re

    labels = set(re.findall(r'<text class="bartext[^"]*"[^>]*>([^<]*)</text>', board.decode()))
    assert "&#60;5" in labels and not {"1", "2", "3", "4"} & labels  # (axis ticks aside)
    with pytest.raises(ValueError):
        nedladdning.build_file(traps_con, KANSLI, "kvalitet", "png", "", "")  # no chart


def test_kon_chart_is_a_figure_plotly_accepts_as_it_is(traps_con):
    # by_kon gives a figure dict (plotly's validation was most of Målgrupp's time): plotly
    # accepts every property of it, and the page sends what the validated figure would
    import plotly.graph_objects as go

    from dashboard import tables
    from dashboard.figures.deltagare import by_kon

    for scope in (KANSLI, Scope.styrelse()):  # the board's has hidden cells: their own bars
        for indelning in ("", "grov_totalt"):
            state = urlstate.State("2020-Q3", "2020-Q4", indelning=indelning)
            t = tables.malgrupp_dimension(traps_con, scope, state, "alder")
            spec = by_kon(t.df, "kategori_namn", t.rubrik)
            assert as_json(spec) == as_json(go.Figure(spec))  # go.Figure raises on a bad key


def test_excel_has_number_formats_and_bold_headers(traps_con):
    _, data = nedladdning.build_file(traps_con, KANSLI, "budget", "xlsx",
                                     "?fran=2020-Q3&till=2020-Q4", "")
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"
    assert ws["F2"].value == 200 and ws["F2"].number_format == '#,##0" tkr"'
    assert ws["C2"].value == 94 and ws["C2"].number_format == '0" %"'


def test_a_period_outside_the_publication_says_why_and_offers_published_ones(traps_con):
    from dashboard.components import sida

    state = urlstate.State("2019-Q4", "2020-Q4")  # two years' quarters: not published
    alert = as_json(dbc_alert_of(sida, traps_con, state))
    text = " ".join(t for t in _texts(alert))
    assert "Perioden kvartal 4 2019 – kvartal 4 2020 finns inte bland" in text
    hrefs = _hrefs(alert)
    # the year to date and the half-year ending at the chosen quarter, both published
    assert hrefs == ["?fran=2020-Q1&till=2020-Q4", "?fran=2020-Q3&till=2020-Q4"]


def dbc_alert_of(sida, con, state):
    from dashboard.publicering import EjPublicerad

    try:
        deltagare.render(con, Scope.styrelse(), state)
    except EjPublicerad as e:
        return sida.ej_publicerad(con, state, e)  # what render_page shows
    raise AssertionError("the board was shown figures for a period outside the publication")


def _texts(node):
    if isinstance(node, dict):
        for v in node.get("props", {}).values():
            yield from _texts(v)
    elif isinstance(node, list):
        for v in node:
            yield from _texts(v)
    elif isinstance(node, str):
        yield node


def _hrefs(node):
    out = []
    if isinstance(node, dict):
        if "href" in node.get("props", {}):
            out.append(node["props"]["href"])
        for v in node.get("props", {}).values():
            out += _hrefs(v)
    elif isinstance(node, list):
        for v in node:
            out += _hrefs(v)
    return out


def test_progression_page(traps_con):
    # H2 (test_bip.py): 7 of 9 measured (78 %), 4 of the 5 with uppföljning moved forward
    page = as_json(progression.render(traps_con, KANSLI, H2))
    assert find(page, "progression-lasning") == (
        "78\u00a0% av deltagarna är mätta; av de 5 med uppföljning har 80\u00a0% tagit steg "
        "framåt.")
    assert "83\u00a0% (5 av 6)" in find(page, "progression-bip")  # A measured
    assert find(page, "progression-forandring-diagram-lasning").startswith("Antal med")
    # the board: every indicator of the fixture has a small (hidden) part of its change, and
    # a stacked bar without it would have a made-up length: no chart, the table has them
    board = as_json(progression.render(traps_con, Scope.styrelse(), H2))
    assert "progression-forandring-diagram" not in json.dumps(board)


def test_mal_and_budget_pages_give_the_direction(demo_db):
    """The demo's figures read from its CSV files (tests/browser/expected.py), not by the
    code; the sentences written out by hand from them."""
    import sys

    import duckdb

    sys.path.insert(0, str(Path(__file__).parent / "browser"))
    import expected

    folder, path = demo_db
    con = duckdb.connect(str(path.resolve()), read_only=True)
    board = Scope.styrelse()
    # lights: 2022-Q4 has one more yellow and one red fewer than 2022-Q3, as many green
    assert expected.lights(folder, "2022-Q4") == {"gron": 5, "gul": 1, "rod": 1}
    assert expected.lights(folder, "2022-Q3") == {"gron": 5, "gul": 0, "rod": 2}
    page = as_json(mal.lage(con, board, urlstate.State(till="2022-Q4")))
    assert find(page, "mal-lage-andring") == (
        "Mot kvartal 3 2022: = lika många gröna, ▲ 1 fler gul, ▼ 1 färre röd.")
    assert find(page, "mal-lage").startswith("● 5 gröna")

    # budget: utfall / budget of every insats over the year to date at Q4, that is the year:
    # 2022 9 926.2 / 10 604 tkr = 93.6 % (94), 2021 16 573.4 / 18 354 = 90.3 % (90): 4 points
    ids = list(expected.register(folder))

    def summa(year: int, column: str) -> float:
        return sum(expected.budget_sum(folder, i, [f"{year}-Q{n}" for n in range(1, 5)], column)
                   for i in ids)

    assert (round(summa(2022, "utfall_tkr"), 1), round(summa(2022, "budget_tkr"), 1)) == (
        9926.2, 10604)
    assert (round(summa(2021, "utfall_tkr"), 1), round(summa(2021, "budget_tkr"), 1)) == (
        16573.4, 18354)
    page = as_json(budget.forbrukat(con, board, urlstate.State(till="2022-Q4")))
    assert find(page, "budget-forbrukat").startswith("94\u00a0% förbrukat hittills i år")
    assert find(page, "budget-forbrukat-riktning") == (
        "▲ 4 procentenheter högre än kvartal 4 2021")


def test_every_default_period_belongs_to_a_page():
    """urlstate.STANDARDPERIOD names pages by path: each is a registered page's PATH."""
    import dash

    paths = {p["path"] for p in dash.page_registry.values()}
    assert set(urlstate.STANDARDPERIOD) <= paths
    assert {deltagare.PATH, malgrupp.PATH, progression.PATH} == set(urlstate.STANDARDPERIOD)
