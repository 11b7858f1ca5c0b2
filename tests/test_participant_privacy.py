"""What the participant pages send to the browser, inspected response by response on the
demo data: no deltagare_id, and no count of 1-4 persons anywhere a count is shown (tables,
"n av N", the insats page's figures, chart bars and labels, downloads) when suppression is
on. The kansli's own view is the control: there small counts do appear, so the check can fail.
"""

from __future__ import annotations

import itertools
import json
import re

import duckdb
import pytest
from helpers import find_children, logged_in, page_router_body, serve_database

from dashboard import config, tables
from dashboard.kontroller import nedladdning
from dashboard.publicering import EjPublicerad
from dashboard.urval import Scope

# slow: the demo publication is decided for them (a group of tests/conftest.py)
pytestmark = pytest.mark.slow

PASSWORD = "integritet-test-123"
SMALL = {"1", "2", "3", "4"}
QUERIES = ["", "?kommun=Heby", "?kon=annan", "?fran=2022-Q1&till=2022-Q4",
           "?indelning=grov", "?indelning=grov_totalt&kommun=Heby", "?typ=individ&kon=kvinna"]
PATHS = ["/deltagare", "/malgrupp", "/insats/2021:05"]  # 2021:05: Heby and Tierp
_addr = itertools.count(100)


@pytest.fixture(scope="module")
def served(demo_db, tmp_path_factory):
    serve_database(demo_db[1], tmp_path_factory.mktemp("priv"), [
        ("styrelse1", "styrelse", PASSWORD), ("lokus-heby", "lokus", PASSWORD, ["Heby"]),
        ("kansli1", "kansli", PASSWORD)])
    con = duckdb.connect(str(demo_db[1].resolve()), read_only=True)
    ids = {r[0] for r in con.execute("SELECT DISTINCT deltagare_id FROM episoder_raw").fetchall()}
    con.close()
    yield ids
    config.get.cache_clear()


def client_for(user: str, unsuppressed: bool = False):
    c = logged_in(user, PASSWORD, f"127.0.1.{next(_addr)}")
    if unsuppressed:
        with c.session_transaction() as s:
            token = s["csrf"]
        c.post("/kansli/sma-tal", data={"csrf": token, "next": "/"})
    return c


def strings(node, inside_table=False, out=None):
    """(text, where) of every string in a layout: 'cell' for table cells and description
    values, 'figure' for chart text and numbers."""
    out = [] if out is None else out
    if isinstance(node, dict):
        kind = node.get("type")
        props = node.get("props", {})
        if kind == "Graph":
            for trace in props.get("figure", {}).get("data", []):
                if trace.get("type") == "bar":
                    for v in list(trace.get("x") or []) + list(trace.get("y") or []):
                        if isinstance(v, (int, float)) and not isinstance(v, bool):
                            out.append((str(v).removesuffix(".0"), "figure"))
                    for t in trace.get("text") or []:
                        if t is not None:
                            out.append((str(t), "figure"))
            return out
        cell = inside_table or kind in ("Td", "Th", "Dd")
        for v in props.values():
            strings(v, cell, out)
    elif isinstance(node, list):
        for v in node:
            strings(v, inside_table, out)
    elif isinstance(node, str):
        out.append((node, "cell" if inside_table else "text"))
    return out


def small_counts(layout) -> list[str]:
    """Shown counts of 1-4: a cell that is just such a number, an "(n av N)" with one, or a
    chart bar or label with one."""
    found = []
    for text, where in strings(layout):
        t = text.replace("\u00a0", " ").strip()
        if where in ("cell", "figure") and t in SMALL:
            found.append(t)
        for a, b in re.findall(r"\((\S+) av (\S+)\)", t):
            found += [x for x in (a, b) if x in SMALL]
    return found


def fetch(c, path: str, search: str):
    r = c.post("/_dash-update-component", json=page_router_body(path, search))
    assert r.status_code == 200, (path, search, r.status_code)
    body = r.get_data(as_text=True)
    layout = json.loads(body)["response"]["_pages_content"]["children"]
    if path.startswith("/insats/"):  # the participant part of the insats page
        layout = find_children(layout, "insats-deltagare")
        assert layout is not None, (path, search)
    return body, layout


@pytest.mark.parametrize("user", ["styrelse1", "lokus-heby", "kansli1"])
def test_no_small_count_and_no_person_reaches_the_browser(served, user):
    ids = served
    c = client_for(user)
    checked = 0
    for path, search in itertools.product(PATHS, QUERIES):
        body, layout = fetch(c, path, search)
        assert not set(re.findall(r"D\d{7}", body)) & ids, (path, search)
        assert small_counts(layout) == [], (path, search)
        checked += 1
    assert checked == len(PATHS) * len(QUERIES)


def test_the_check_can_fail_the_kansli_own_view_has_small_counts(served):
    c = client_for("kansli1", unsuppressed=True)
    found = []
    for search in QUERIES:
        _, layout = fetch(c, "/malgrupp", search)
        found += small_counts(layout)
    assert found, "the kansli's own view shows small counts: the check must see them"


@pytest.mark.parametrize("name", [n for n in tables.BUILDERS if n.startswith(
    ("deltagare", "avslutsorsaker", "malgrupp"))])
def test_downloads_hold_no_small_count(served, name):
    """The download's count columns (the same builder the download uses)."""
    from dashboard import db, urlstate

    con = db.reader(config.get().db_path)
    for scope, search in itertools.product((Scope.styrelse(), Scope.lokus("Heby")), QUERIES):
        try:
            t = tables.BUILDERS[name](con, scope, urlstate.parse(search), None)
        except EjPublicerad:  # a filter outside the publication: refused, never other numbers
            assert "kon=" in search, (name, search)
            continue
        out = tables.export_frame(t)
        counts = [c for c, k in zip(out.columns, t.kolumner) if k.slag == "heltal"]
        assert counts
        small = [v for c in counts for v in out[c] if not isinstance(v, str) and 1 <= v <= 4]
        assert small == [], (name, search)
        # and the file itself is that table
        _, data = nedladdning.build_file(con, scope, name, "csv", search, "")
        assert len(data.decode("utf-8-sig").splitlines()) == len(out) + 1


def _derived(values: dict, total: str, parts: list[str]):
    """total - sum(parts) when all are shown (a reader's subtraction), else None."""
    vals = [values[total]] + [values[p] for p in parts]
    if any(isinstance(v, str) for v in vals):
        return None
    return vals[0] - sum(vals[1:])


@pytest.mark.parametrize("scope", [Scope.styrelse(), Scope.lokus("Heby")])
def test_no_small_count_by_subtraction_in_rows_or_totals(served, scope):
    """What a reader gets by subtracting shown numbers (kön annat = till arbete/studier -
    kvinnor - män; ej till arbete/studier; utan handlingsplan), in every row and in the
    published totals, is never 1-4. (A total of an unshown column once gave "1" away.)"""
    from dashboard import db, urlstate, views

    con = db.reader(config.get().db_path)
    checks = [("till_arbete_studier", ["kvinnor_arbete_studier", "man_arbete_studier"]),
              ("avslutade_period", ["till_arbete_studier"]),
              ("avslutade_period", ["med_handlingsplan"])]
    seen = 0
    more = ["?fran=2021-Q1&till=2021-Q4", "?fran=2022-Q3&till=2022-Q4", "?fran=2022-Q1&till=2022-Q3"]
    for search in QUERIES + more:
        try:
            df = views.deltagare(con, scope, urlstate.parse(search).filters())
        except EjPublicerad:  # kön on the Deltagare table: refused outside the kansli
            assert "kon=" in search
            continue
        for values in df.to_dict("records") + [df.attrs["totalt"]]:
            for total, parts in checks:
                d = _derived(values, total, parts)
                if d is not None:
                    seen += 1
                    assert not 1 <= d <= 4, (search, values.get("kortnamn", "totalt"), total, d)
    assert seen > 0  # the check looked at real subtractions (few for one small kommun)
