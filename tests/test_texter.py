"""The kansli's own texts: versions, history and the audit trail; where they stand in the PM
(under Tabell 2, 4, 5, 6 and the closing chapter) and the presentation; a placeholder only
the kansli's PM shows; only the kansli can save through the web; a load keeps them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import logged_in, page_router_body, serve_database

from dashboard import audit, config, db, ingest, rapport, texter
from dashboard.urval import Filter, Scope

ROOT = Path(__file__).resolve().parents[1]
TRAPS = ROOT / "tests" / "fixtures" / "traps"
H2 = Filter("2020-Q3", "2020-Q4")
PASSWORD = "text-test-lösenord-123"


@pytest.fixture
def traps_db(tmp_path) -> Path:
    ingest.ingest_file(TRAPS, tmp_path / "t.duckdb")
    return tmp_path / "t.duckdb"


def _events():
    return [e for e in audit.read() if e["handelse"] == "text_sparad"]


def test_every_save_is_a_version_and_the_history_keeps_them(traps_db):
    before = len(_events())
    assert texter.spara("2020-Q4", "mal", None, "Första\r\nraden.\n\n\n\nAndra stycket.  ",
                        "kansli1", traps_db) == 1
    # the same text spelled differently (line ends, blank lines, trailing space): no version
    assert texter.spara("2020q4", "mal", "", "Första\nraden.\n\nAndra stycket.\n",
                        "kansli2", traps_db) is None
    assert texter.spara("2020-Q4", "mal", None, "Ny bedömning.", "kansli2", traps_db) == 2
    assert texter.spara("2020-Q4", "insats", "A", "Om Alfa.", "kansli1", traps_db) == 1
    assert texter.spara("2020-Q3", "mal", None, "Kvartal 3.", "kansli1", traps_db) == 1
    con = db.reader(traps_db)
    now = texter.aktuella(con, "2020-Q4")
    assert set(now) == {("mal", ""), (texter.INSATS, "A")}
    mal = now[("mal", "")]
    assert (mal.text, mal.skriven_av, mal.version, mal.versioner) == (
        "Ny bedömning.", "kansli2", 2, 2)
    hist = texter.historik(con, "2020-Q4", "mal")
    assert [(t.version, t.text, t.skriven_av) for t in hist] == [
        (2, "Ny bedömning.", "kansli2"), (1, "Första\nraden.\n\nAndra stycket.", "kansli1")]
    assert hist[1].stycken == ["Första\nraden.", "Andra stycket."]
    assert texter.aktuell(con, "2020-Q3", "mal").text == "Kvartal 3."  # its own quarter
    # removing is a version too: the text is gone, its history is not
    assert texter.spara("2020-Q4", "mal", None, "  \n ", "kansli1", traps_db) == 3
    con = db.reader(traps_db)
    assert texter.aktuell(con, "2020-Q4", "mal") is None
    assert [t.text for t in texter.historik(con, "2020-Q4", "mal")] == [
        "", "Ny bedömning.", "Första\nraden.\n\nAndra stycket."]
    events = _events()[before:]
    assert [(e["avsnitt"], e.get("insats"), e["kvartal"], e["version"], e["anvandare"])
            for e in events] == [
        ("mal", None, "2020-Q4", 1, "kansli1"), ("mal", None, "2020-Q4", 2, "kansli2"),
        ("insats", "A", "2020-Q4", 1, "kansli1"), ("mal", None, "2020-Q3", 1, "kansli1"),
        ("mal", None, "2020-Q4", 3, "kansli1")]


@pytest.mark.parametrize("args, message", [
    (("2020-Q5", "mal", None, "x"), "Okänt kvartal"),
    (("2020-Q4", "okänt", None, "x"), "Okänt avsnitt"),
    (("2020-Q4", "insats", None, "x"), "insatsens id"),
    (("2020-Q4", "insats", "Z", "x"), "Insatsen 'Z' finns inte"),
    (("2020-Q4", "mal", None, "x" * (texter.MAX_TECKEN + 1)), "högst 20\u00a0000"),
])
def test_a_text_that_cannot_be_saved_changes_nothing(traps_db, args, message):
    version = traps_db.resolve()
    with pytest.raises(texter.TextFel, match=message):
        texter.spara(*args, "kansli1", traps_db)
    assert traps_db.resolve() == version  # the database file was not replaced


def test_a_load_keeps_the_texts(traps_db, tmp_path):
    texter.spara("2020-Q4", "analys", None, "Året i korthet.", "kansli1", traps_db)
    ingest.ingest_file(TRAPS, traps_db)  # the same quarter loaded again
    assert texter.aktuell(db.reader(traps_db), "2020-Q4", "analys").text == "Året i korthet."


def _chapters(html: str) -> dict[str, str]:
    """{chapter heading: its HTML}."""
    parts = re.split(r'<section class="kapitel[^"]*" id="kapitel-\d+">\s*<h2>', html)[1:]
    return {p.split("</h2>", 1)[0]: p for p in parts}


def test_the_pm_prints_each_text_where_seed_004_has_its_prose(traps_db):
    for avsnitt, text in (("mal", "MÅLTEXT om <b>målen</b>"), ("budget", "BUDGETTEXT"),
                          ("kvalitet", "KVALITETSTEXT"), ("deltagare", "DELTAGARTEXT"),
                          ("analys", "ANALYSTEXT rad ett\nrad två\n\nandra stycket")):
        texter.spara("2020-Q4", avsnitt, None, text, "kansli1", traps_db)
    texter.spara("2020-Q4", "insats", "A", "ALFATEXT", "kansli1", traps_db)
    con = db.reader(traps_db)
    html, _ = rapport.build_html(con, Scope.styrelse(), H2)
    ch = _chapters(html)
    assert list(ch)[-1] == "8. Sammanfattning och reflektioner"

    def after(chapter: str, first: str, then: str) -> bool:
        body = ch[chapter]
        return first in body and then in body and body.index(first) < body.index(then)

    assert after("3. Resultat av mål", "Tabell 2.", "MÅLTEXT om &lt;b&gt;målen&lt;/b&gt;")
    assert "<b>målen" not in html  # plain text, escaped
    assert after("3. Resultat av mål", "MÅLTEXT", "Kansliet om Alfa")
    assert after("3. Resultat av mål", "Kansliet om Alfa", "ALFATEXT")
    assert after("4. Utfall av beviljad budget", "Tabell 4.", "BUDGETTEXT")
    assert after("5. Kvalitetssäkring", "Tabell 5.", "KVALITETSTEXT")
    assert after("6. Statistik och kostnader", "Tabell 6.", "DELTAGARTEXT")
    assert after("6. Statistik och kostnader", "DELTAGARTEXT", "Tabell 7.")
    assert "<p>ANALYSTEXT rad ett<br>rad två</p><p>andra stycket</p>" in ch[
        "8. Sammanfattning och reflektioner"]
    assert "version 1" in ch["3. Resultat av mål"]  # who and when, in the PM too
    # each text once: the PM is not padded with copies
    for t in ("MÅLTEXT", "BUDGETTEXT", "KVALITETSTEXT", "DELTAGARTEXT", "ANALYSTEXT", "ALFATEXT"):
        assert html.count(t) == 1, t


def test_a_missing_text_is_a_placeholder_for_the_kansli_and_nothing_for_others(traps_db):
    texter.spara("2020-Q4", "mal", None, "Bara mål.", "kansli1", traps_db)
    con = db.reader(traps_db)
    kansli, _ = rapport.build_html(con, Scope.styrelse(), H2, kansli=True)
    board, _ = rapport.build_html(con, Scope.styrelse(), H2)
    missing = [texter.saknas_text("2020-Q4", a) for a in ("budget", "kvalitet", "deltagare",
                                                          "analys")]
    for m in missing:
        assert m in kansli and m not in board
    assert texter.saknas_text("2020-Q4", "mal") not in kansli  # it exists
    # the board's PM: no heading without a text under it, no closing chapter without its text
    assert board.count("<h3>Kansliets bedömning</h3>") == 1  # the one under Tabell 2
    assert "Sammanfattning och reflektioner" not in board
    assert "8. Sammanfattning och reflektioner" in kansli


@pytest.fixture
def web(traps_db, tmp_path):
    serve_database(traps_db, tmp_path, [("kansli-t", "kansli", PASSWORD),
                                        ("styrelse-t", "styrelse", PASSWORD),
                                        ("lokus-t", "lokus", PASSWORD, ["Uppsala"])])
    import app  # noqa: F401  (registers the pages and callbacks)

    yield {u: logged_in(u, PASSWORD, f"127.0.3.{i}")
           for i, u in enumerate(("kansli-t", "styrelse-t", "lokus-t"), start=1)}
    config.get.cache_clear()


def _save(client, avsnitt: str, insats: str, text: str) -> dict:
    """The request the Spara button sends."""
    import app

    key = {"kvartal": "2020-Q4", "avsnitt": avsnitt, "insats": insats}
    ids = {s: {"type": f"kansli-text-{s}", **key} for s in ("visning", "status", "spara",
                                                              "falt")}
    output = next(k for k in app.app.callback_map if "kansli-text-visning" in k)
    body = {"output": output,
            "outputs": [{"id": ids["visning"], "property": "children"},
                        {"id": ids["status"], "property": "children"}],
            "inputs": [{"id": ids["spara"], "property": "n_clicks", "value": 1}],
            "state": [{"id": ids["falt"], "property": "value", "value": text},
                      {"id": ids["spara"], "property": "id", "value": ids["spara"]}],
            "changedPropIds": [json.dumps(ids["spara"], separators=(",", ":"),
                                          sort_keys=True) + ".n_clicks"]}
    r = client.post("/_dash-update-component", json=body)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.get_json()["response"]


def test_only_the_kansli_saves_and_everyone_reads(web, traps_db):
    out = _save(web["styrelse-t"], "mal", "", "Styrelsen skriver.")
    assert "Bara kansliet" in json.dumps(out, ensure_ascii=False)
    out = _save(web["lokus-t"], "insats", "B", "LOKUS skriver.")
    assert "Bara kansliet" in json.dumps(out, ensure_ascii=False)
    assert texter.aktuella(db.reader(traps_db), "2020-Q4") == {}  # nothing was saved
    out = json.dumps(_save(web["kansli-t"], "insats", "B", "Beta <script>x</script>"),
                     ensure_ascii=False)
    assert "Sparad som version 1." in out and "Beta <script>x</script>" in out  # a text node
    # the LOKUS group of Uppsala reads it on Beta's page, the board too
    for user in ("lokus-t", "styrelse-t"):
        page = web[user].post("/_dash-update-component",
                              json=page_router_body("/insats/B", "?till=2020-Q4"))
        body = json.dumps(page.get_json(), ensure_ascii=False)
        assert "Beta <script>x</script>" in body and "kansli-text-falt" not in body, user
    # the kansli's page has the field to write in
    page = web["kansli-t"].post("/_dash-update-component",
                                json=page_router_body("/insats/B", "?till=2020-Q4"))
    assert "kansli-text-falt" in json.dumps(page.get_json())


def test_the_presentation_carries_the_kanslis_words(web, traps_db):
    _save(web["kansli-t"], "insats", "C", "GAMMATEXT: kansliet har träffat styrgruppen.")
    _save(web["kansli-t"], "analys", "", "ANALYSTEXT\n\nandra stycket")
    page = web["styrelse-t"].post("/_dash-update-component", json=page_router_body(
        "/presentation", "?fran=2020-Q3&till=2020-Q4"))
    slides = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if node.get("type") == "Section" and "aria-label" in props:
                slides.append((props["aria-label"], json.dumps(props, ensure_ascii=False)))
            for v in props.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(page.get_json()["response"]["_pages_content"]["children"])
    # Gamma is red in 2020-Q4: its slide has the kansli's text; the last slide is the analysis
    gamma = [body for label, body in slides if label == "Gamma"]
    assert len(gamma) == 1 and "Kansliet: GAMMATEXT: kansliet har träffat styrgruppen." in gamma[0]
    assert slides[-1][0] == "Kansliets bedömning"
    assert "ANALYSTEXT" in slides[-1][1] and "andra stycket" in slides[-1][1]
    assert sum("ANALYSTEXT" in body for _, body in slides) == 1
