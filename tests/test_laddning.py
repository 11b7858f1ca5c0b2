"""Loading from the browser, without the browser: staging, validation, the preview of what
changes, confirmation, history, making an earlier load current again. The trap fixture is
loaded first; a copy with known edits is then previewed and stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import config, db, ingest, laddning, views
from dashboard.urval import Filter, Scope

ROOT = Path(__file__).resolve().parents[1]
TRAPS = ROOT / "tests" / "fixtures" / "traps"


@pytest.fixture
def loaded(tmp_path, monkeypatch):
    dbp = tmp_path / "db" / "t.duckdb"
    dbp.parent.mkdir()
    monkeypatch.setenv("INSATSKOLLEN_DB", str(dbp))
    config.get.cache_clear()
    ingest.ingest_file(TRAPS, dbp, loaded_by="kansli1")
    yield dbp
    config.get.cache_clear()


def edited(tmp_path) -> list[tuple[str, bytes]]:
    """The traps with: A's Q4 prognos nej (green -> red), A's Q4 utfall 80 -> 90, a new insats
    E, p3 in A ended 2020-12-15 (with an avslut row), a new participant p10 in B."""
    d = tmp_path / "edit"
    shutil.copytree(TRAPS, d)

    def sub(name, old, new):
        p = d / name
        text = p.read_text(encoding="utf-8")
        assert old in text, (name, old)
        p.write_text(text.replace(old, new), encoding="utf-8")

    sub("kvartalsrapport.csv", "A;2020-Q4;Ja;Ja;", "A;2020-Q4;Ja;nej;")
    sub("budget.csv", "A;2020-Q4;100;80;15;", "A;2020-Q4;100;90;15;")
    sub("insatser.csv", "D;Delta kompetens", "E;Epsilon;Epsilon;struktur;nej;Heby;Heby kommun;;"
        "2020-10-01;2021-12-31;50;\nD;Delta kompetens")
    sub("deltagare.csv", "p3,A,annan,2000,2020-07-01,,", "p3,A,annan,2000,2020-07-01,2020-12-15,")
    sub("deltagare.csv", "p8,B,kvinna,1990,2020-10-01,,annan",
        "p10,B,man,1970,2020-11-01,,kommun,ingen,upp_till_1_ar,grundskola,nej\n"
        "p8,B,kvinna,1990,2020-10-01,,annan")
    sub("avslut.csv", "p5;A;ohalsa;", "p3;A;flyttat;\np5;A;ohalsa;")
    return [(p.name, p.read_bytes()) for p in sorted(d.iterdir())]


def test_preview_says_what_changes_then_confirm_stores(loaded, tmp_path):
    token = laddning.stage(edited(tmp_path), "kansli1")
    p = laddning.preview(db.reader(loaded), laddning.staged_path(token, "kansli1"))
    assert p.clean and p.period == "2020-Q4" and p.ersatter
    assert p.nya_insatser == ["Epsilon (E)"]
    assert [tuple(r) for r in p.lampor.itertuples(index=False)] == [
        ("Alfa", "2020-Q4", "gron", "rod")]
    assert [tuple(r) for r in p.budget.itertuples(index=False)] == [
        ("Alfa", "2020-Q4", "utfall_tkr", 80.0, 90.0)]
    assert (p.deltagare_nya, p.deltagare_avslutade) == (1, 1)
    # nothing stored yet
    assert views.mal(db.reader(loaded), Scope.kansli(), Filter())["lampa"].tolist()[0] == "gron"
    result = laddning.confirm(token, "kansli1")
    assert result.period == "2020-Q4"
    mal = views.mal(db.reader(loaded), Scope.kansli(), Filter())
    assert dict(zip(mal["insats_id"], mal["lampa"]))["A"] == "rod"
    hist = laddning.history(db.reader(loaded))
    assert list(hist["aktuell"]) == [True, False] and list(hist["loaded_by"]) == ["kansli1"] * 2
    assert not (laddning.staging_root() / token).exists()
    # the first load of the quarter made current again: A is green again
    first = int(hist["load_id"].iloc[1])
    assert laddning.activate(first, "kansli1") == "2020-Q4"
    mal = views.mal(db.reader(loaded), Scope.kansli(), Filter())
    assert dict(zip(mal["insats_id"], mal["lampa"]))["A"] == "gron"
    assert laddning.history(db.reader(loaded))["aktuell"].tolist() == [True, False]


def test_problems_are_listed_and_nothing_is_stored(loaded, tmp_path):
    files = dict(edited(tmp_path))
    files["budget.csv"] = files["budget.csv"].replace(b"A;2020-Q4;100;90", b"A;2020-Q4;-5;90")
    before = loaded.resolve().read_bytes()
    token = laddning.stage(list(files.items()), "kansli1")
    p = laddning.preview(db.reader(loaded), laddning.staged_path(token, "kansli1"))
    assert not p.clean
    row = p.problems.iloc[0]
    assert (row["fil"], row["rad"], row["kolumn"]) == ("budget.csv", 5, "budget_tkr")
    assert loaded.resolve().read_bytes() == before


def test_staging_is_the_uploaders_own(loaded, tmp_path):
    token = laddning.stage(edited(tmp_path), "kansli1")
    with pytest.raises(laddning.UploadError):
        laddning.staged_path(token, "kansli2")
    with pytest.raises(laddning.UploadError):
        laddning.staged_path("../../etc", "kansli1")
    with pytest.raises(laddning.UploadError):
        laddning.stage([("../x.csv", b"a")], "kansli1")
    with pytest.raises(laddning.UploadError):
        laddning.stage([("a.zip", b"x"), ("b.csv", b"y")], "kansli1")
    with pytest.raises(laddning.UploadError):
        laddning.stage([("uttag.exe", b"x")], "kansli1")


def test_forgotten_uploads_are_swept_after_a_day(loaded, tmp_path):
    import os
    import time

    files = edited(tmp_path)
    old = laddning.stage(files, "kansli1")
    folder = laddning.staging_root() / old
    day_ago = time.time() - 25 * 3600
    os.utime(folder, (day_ago, day_ago))
    new = laddning.stage(files, "kansli1")
    assert not folder.exists() and (laddning.staging_root() / new).exists()


def test_preview_and_load_say_each_step_as_it_begins(loaded, tmp_path):
    """The page shows these as they happen (dashboard.pages.dataladdning, bakgrund)."""
    files = edited(tmp_path)
    steps: list[str] = []
    token = laddning.stage(files, "kansli1")
    con = laddning.own_reader()
    laddning.preview(con, laddning.staged_path(token, "kansli1"), steps.append)
    assert steps == ["lasa", "kontrollera", "jamfora"]
    steps.clear()
    laddning.confirm(token, "kansli1", steps.append)
    assert steps == ["lasa", "kontrollera", "spara", "skydd"]
    # a broken extract: nothing to compare
    broken = dict(files)
    broken["budget.csv"] = broken["budget.csv"].replace(b"A;2020-Q4;100;90", b"A;2020-Q4;-5;90")
    token = laddning.stage(list(broken.items()), "kansli1")
    steps.clear()
    assert not laddning.preview(con, laddning.staged_path(token, "kansli1"), steps.append).clean
    assert steps == ["lasa", "kontrollera"]
    assert set(laddning.STEG) >= {"lasa", "kontrollera", "jamfora", "spara", "skydd"}


def test_a_jobs_own_reader_sees_the_current_data_and_cannot_write(loaded, tmp_path):
    """A background job's connection: a DuckDB instance of its own on the current version,
    read-only; the preview on it is the preview on the web's shared reader."""
    token = laddning.stage(edited(tmp_path), "kansli1")
    path = laddning.staged_path(token, "kansli1")
    before = loaded.resolve().read_bytes()
    own = laddning.own_reader()
    a, b = laddning.preview(own, path), laddning.preview(db.reader(loaded), path)
    assert (a.period, a.nya_insatser, a.ersatter) == (b.period, b.nya_insatser, b.ersatter)
    assert a.lampor.equals(b.lampor) and a.budget.equals(b.budget)
    assert (a.deltagare_nya, a.deltagare_avslutade) == (b.deltagare_nya, b.deltagare_avslutade)
    with pytest.raises(Exception, match="read-only"):
        own.execute("CREATE TABLE skrivs (a INTEGER)")
    own.close()
    assert loaded.resolve().read_bytes() == before
