"""Dataladdning's background jobs (the check and the load of an uploaded extract), called as
Dash calls them in their own process: with a ``set_progress`` that records what the page
would show. And the manager itself, for real: a job forked, its progress and result read
back from the cache on disk, the user of the starting request known in the job.
(tests/browser/test_dataladdning*.py drive the same through a browser.)"""

from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
import sys
import time

import plotly
import pytest
from test_laddning import TRAPS, edited, loaded  # noqa: F401  (the fixture)

import app  # noqa: F401  (registers the pages)
from dashboard import audit, auth, bakgrund, laddning, web_auth
from dashboard.pages import dataladdning as page

KANSLI = auth.User("kansli1", "kansli")
STYRELSE = auth.User("styrelse1", "styrelse")


def as_json(node):
    return json.loads(json.dumps(node, cls=plotly.utils.PlotlyJSONEncoder))


def text(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return " ".join(text(n) for n in node)
    if isinstance(node, dict):
        return text(node.get("props", {}).get("children") or "")
    return ""


def current_step(steps) -> str:
    """The step a progress report marks as under way (aria-current)."""
    items = as_json(steps)["props"]["children"]
    return next(text(li).strip() for li in items if li["props"].get("aria-current") == "step")


def test_the_check_reports_each_step_then_the_preview_arrives(loaded, tmp_path):  # noqa: F811
    token = laddning.stage(edited(tmp_path), "kansli1")
    seen = []
    result, kept = page.check_job(seen.append, token, "kansli1")
    assert [current_step(s) for s in seen] == [
        "Läser filerna…", "Kontrollerar rader…", "Jämför med inlästa data…", "Klart"]
    body = text(as_json(result))
    assert "Klart: uttaget kontrollerades på" in body
    assert "Uttaget för kvartal 4 2020 är felfritt" in body and "Läs in kvartal 4 2020" in body
    assert kept == token and laddning.staged_path(token, "kansli1").exists()  # for Läs in


def test_a_broken_extract_lists_its_problems_and_nothing_is_kept(loaded, tmp_path):  # noqa: F811
    files = dict(edited(tmp_path))
    files["budget.csv"] = files["budget.csv"].replace(b"A;2020-Q4;100;90", b"A;2020-Q4;-5;90")
    before = loaded.resolve().read_bytes()
    token = laddning.stage(list(files.items()), "kansli1")
    seen = []
    result, kept = page.check_job(seen.append, token, "kansli1")
    assert [current_step(s) for s in seen][:2] == ["Läser filerna…", "Kontrollerar rader…"]
    assert "Uttaget kan inte läsas in: 1 problem" in text(as_json(result)) and kept is None
    assert not (laddning.staging_root() / token).exists()
    assert audit.read()[-1]["handelse"] == "inlasning_avvisad"
    assert loaded.resolve().read_bytes() == before  # a check never changes the database


def test_the_load_reports_each_step_and_stores(loaded, tmp_path):  # noqa: F811
    token = laddning.stage(edited(tmp_path), "kansli1")
    seen = []
    result, kept, history = page.load_job(seen.append, token, "kansli1")
    assert [current_step(s) for s in seen] == [
        "Läser filerna…", "Kontrollerar rader…", "Sparar i databasen…",
        "Beslutar skyddet av små tal…"]
    assert "kvartal 4 2020 är inläst" in text(as_json(result)) and kept is None
    assert text(as_json(history)).count("kvartal 4 2020") == 2  # both loads of the quarter
    assert audit.read()[-1]["handelse"] == "inlasning"
    assert not (laddning.staging_root() / token).exists()


def test_the_history_writes_a_quarter_in_words_only(tmp_path):
    """A folder named after its quarter (as the demo's are) is "mapp" in Källa, beside
    "kvartal 4 2020": never "2020-Q4" as well; another name is shown as it is."""
    import shutil

    from dashboard import db, ingest

    folder = tmp_path / "uttag" / "2020-Q4"
    shutil.copytree(TRAPS, folder)
    ingest.ingest_file(folder, tmp_path / "t.duckdb", loaded_by="kansli1")
    shown = text(as_json(page.history_table(db.reader(tmp_path / "t.duckdb"))))
    assert "kvartal 4 2020" in shown and "mapp" in shown and "2020-Q4" not in shown
    assert page.kalla("/srv/uttag/uttag-2020Q4.zip", "2020-Q4") == "uttag-2020Q4.zip"


@pytest.mark.parametrize("user", [None, STYRELSE, auth.User("anna", "lokus", ("Heby",))])
def test_only_the_kansli_checks_and_loads(loaded, tmp_path, monkeypatch, user):  # noqa: F811
    """The jobs' own check, on the user of the request that started them: the same refusal
    as the page's, nothing read, nothing stored."""
    token = laddning.stage(edited(tmp_path), "kansli1")
    before = loaded.resolve().read_bytes()
    monkeypatch.setattr(bakgrund, "_anvandare", user)
    seen = []
    result, kept = page.kontrollera(seen.append, token)
    assert text(as_json(result)) == "Bara kansliet kan läsa in uttag." and kept is None
    result, kept, _ = page.las_in(seen.append, token)
    assert text(as_json(result)) == "Bara kansliet kan läsa in uttag." and kept is None
    assert seen == [] and loaded.resolve().read_bytes() == before
    # the kansli's own upload, started by the kansli: checked
    monkeypatch.setattr(bakgrund, "_anvandare", KANSLI)
    assert page.kontrollera(seen.append, token)[1] == token


def test_a_fault_is_a_swedish_message_never_a_traceback(loaded, tmp_path, monkeypatch):  # noqa: F811
    def broken(*_a, **_k):
        raise RuntimeError("hemligt internt fel")

    files = edited(tmp_path)
    token = laddning.stage(files, "kansli1")
    monkeypatch.setattr(laddning, "preview", broken)
    result, kept = page.check_job(lambda _: None, token, "kansli1")
    body = text(as_json(result))
    assert body == "Oväntat fel (RuntimeError); ingenting ändrades" and kept is None
    assert not (laddning.staging_root() / token).exists()  # the upload is not kept
    assert audit.read()[-1]["handelse"] == "inlasning_fel"
    # the load
    token = laddning.stage(files, "kansli1")
    monkeypatch.setattr(laddning.ingest, "ingest_file", broken)
    result, kept, history = page.load_job(lambda _: None, token, "kansli1")
    assert text(as_json(result)) == ("Inläsningen misslyckades; ingenting ändrades: Oväntat fel "
                                     "(RuntimeError); ingenting ändrades.")
    assert "hemligt" not in json.dumps(as_json(result))


def test_a_job_runs_in_a_process_of_its_own_with_its_progress_and_user(loaded, monkeypatch):  # noqa: F811
    """Dash's DiskcacheManager as the app has it: the job forked, its progress and result on
    disk (any worker can read them), the user looked up in the starting request."""
    manager = bakgrund.Manager()
    monkeypatch.setattr(web_auth, "current_user", lambda: KANSLI)

    def fn(set_progress, value):
        set_progress(["Läser filerna…"])
        time.sleep(0.3)
        return [value, bakgrund.anvandare().username, os.getpid()]

    job_fn = manager.make_job_fn(fn, True)
    key = secrets.token_hex(16)
    pid = manager.call_job_fn(key, job_fn, ["uttag"], {})
    assert pid != os.getpid()
    deadline = time.time() + 30
    while not manager.result_ready(key):
        assert time.time() < deadline, "the job never answered"
        time.sleep(0.05)
    assert manager.get_progress(key) == ["Läser filerna…"]
    value, user, job_pid = manager.get_result(key, pid)
    assert (value, user, job_pid) == ("uttag", "kansli1", pid)
    assert bakgrund.anvandare() is None  # the worker itself never takes the job's user
    # the cache lives in the staging folder, the server's user's only
    folder = laddning.staging_root() / bakgrund.FOLDER
    assert manager.handle.directory == str(folder)
    for f in (laddning.staging_root(), folder):
        assert stat.S_IMODE(f.stat().st_mode) == 0o700
    # an entry nobody fetched is forgotten after a day, like an upload
    manager.handle.set("glomd", 1)
    _, expires = manager.handle.get("glomd", expire_time=True)
    assert abs(expires - (time.time() + laddning.STAGING_HOURS * 3600)) < 60
    # the sweep of forgotten uploads leaves the jobs' folder alone
    day_ago = time.time() - 25 * 3600
    os.utime(folder, (day_ago, day_ago))
    laddning.stage([(p.name, p.read_bytes()) for p in TRAPS.glob("*.csv")], "kansli1")
    assert folder.exists()


def test_a_job_that_ends_between_dashs_two_looks_is_still_fetched(loaded):  # noqa: F811
    """Dash asks for the result, then whether the job runs. A job that writes its result and
    ends between the two looks is not a cancelled job: the browser keeps asking and gets the
    result (before, the poll answered 204 and the page waited for ever, now and then)."""
    manager = bakgrund.Manager()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # the job's process has ended
    key = secrets.token_hex(16)
    assert manager.get_result(key, None) is manager.UNDEFINED  # the first look: nothing yet
    manager.handle.set(key, ["förhandsvisningen"])  # the job writes its result and ends
    assert manager.job_running(ended.pid)  # the second look: keep asking
    assert manager.get_result(key, None) == ["förhandsvisningen"]  # the next poll has it
    # a job that ended without a result (cancelled) is not running
    assert manager.get_result(secrets.token_hex(16), None) is manager.UNDEFINED
    assert not manager.job_running(ended.pid)


PASSWORD = "jobb-test-lösenord-123"


def test_through_dash_the_job_knows_who_started_it(loaded, tmp_path, monkeypatch):  # noqa: F811
    """The whole way, as the browser asks: the check of the kansli's upload started by the
    kansli gives the preview; the same request from the board's user (with the kansli's
    token) gives the refusal. The job is a process of its own; the user is the session's."""
    from urllib.parse import urlencode

    from helpers import logged_in, serve_database

    for name in ("INSATSKOLLEN_USERS", "INSATSKOLLEN_DEMO"):  # as they were, afterwards
        monkeypatch.delenv(name, raising=False)
    serve_database(loaded, tmp_path, [("kansli-jobb", "kansli", PASSWORD),
                                      ("styrelse-jobb", "styrelse", PASSWORD)])
    token = laddning.stage(edited(tmp_path), "kansli-jobb")
    answers = {}
    for n, user in enumerate(("styrelse-jobb", "kansli-jobb")):
        c = logged_in(user, PASSWORD, f"127.0.3.{n + 1}")
        assert c.get("/dataladdning").status_code == 200  # the app sets itself up
        key = next(k for k, v in app.app.callback_map.items()
                   if v["inputs"] == [{"id": "dataladdning-mottaget", "property": "data"}])
        body = {"output": key, "state": [], "changedPropIds": ["dataladdning-mottaget.data"],
                "outputs": [dict(zip(("id", "property"), o.split(".", 1)))
                            for o in key.strip(".").split("...")],
                "inputs": [{"id": "dataladdning-mottaget", "property": "data", "value": token}]}
        started = c.post("/_dash-update-component", json=body).get_json()
        assert set(started) >= {"cacheKey", "job"}  # the request only starts the job
        query = urlencode({"cacheKey": started["cacheKey"], "job": started["job"]})
        deadline = time.time() + 60
        while True:
            r = c.post(f"/_dash-update-component?{query}", json=body)
            assert r.status_code == 200
            if "response" in r.get_json():
                break
            assert time.time() < deadline, "the job never answered"
            time.sleep(0.2)
        answers[user] = r.get_json()["response"]
    refusal = json.dumps(answers["styrelse-jobb"], ensure_ascii=False)
    assert "Bara kansliet kan läsa in uttag." in refusal and "felfritt" not in refusal
    preview = json.dumps(answers["kansli-jobb"], ensure_ascii=False)
    assert "Uttaget för kvartal 4 2020 är felfritt" in preview and token in preview
