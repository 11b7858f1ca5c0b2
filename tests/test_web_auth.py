"""Access control through the HTTP interface (Flask test client; no network)."""

from __future__ import annotations

import itertools
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import lights, page_router_body

from dashboard import audit, auth, config, sessions

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "rätt-lösenord-123"
_addr = itertools.count(2)


@pytest.fixture
def users_env(tmp_path, traps_copy, monkeypatch):
    monkeypatch.setenv("INSATSKOLLEN_DB", str(traps_copy))
    monkeypatch.setenv("INSATSKOLLEN_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("INSATSKOLLEN_DEMO", raising=False)
    config.get.cache_clear()
    auth.add_user("styrelse1", "styrelse", PASSWORD)
    auth.add_user("lokus-heby", "lokus", PASSWORD, ["Heby"])
    auth.add_user("kansli1", "kansli", PASSWORD)
    yield tmp_path
    config.get.cache_clear()


def fresh_client():
    import app

    # each client its own loopback address, so the limit per address counts per client
    c = app.server.test_client()
    c.environ_base["REMOTE_ADDR"] = f"127.0.0.{next(_addr)}"
    return c


@pytest.fixture
def client(users_env):
    return fresh_client()


def csrf(client) -> str:
    html = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client, user="styrelse1", password=PASSWORD, **extra):
    return client.post("/login", data={"csrf": csrf(client), "username": user,
                                       "password": password, **extra})


def test_unauthenticated_gets_only_the_login_page(client):
    r = client.get("/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    assert client.get("/login").status_code == 200
    assert client.get("/assets/00-bootstrap.min.css").status_code == 200
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-dependencies").status_code == 401
    r = client.post("/_dash-update-component", json={"output": "x", "inputs": []})
    assert r.status_code == 401


def test_login_and_logout(client):
    r = login(client)
    assert r.status_code == 302 and r.headers["Location"] == "/"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    assert client.post("/logout", data={"csrf": token}).status_code == 302
    assert client.get("/_dash-layout").status_code == 401


def test_wrong_password_and_unknown_user(client):
    r = login(client, password="fel-lösenord-99")
    assert r.status_code == 401 and "Fel användarnamn eller lösenord" in r.get_data(as_text=True)
    assert login(client, user="finns-inte").status_code == 401
    assert client.get("/").status_code == 302


def test_login_needs_the_csrf_token(client):
    r = client.post("/login", data={"username": "styrelse1", "password": PASSWORD})
    assert r.status_code == 400


def test_no_open_redirect_after_login(client):
    r = login(client, next="https://elak.example/")
    assert r.headers["Location"] == "/"
    r = login(client, next="//elak.example/x")
    assert r.headers["Location"] == "/"


def test_failed_logins_are_limited_per_account(client):
    codes = [login(client, password=f"fel-{i}-lösenordet").status_code for i in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    assert login(client).status_code == 429  # even the right password, for a quarter
    # from another address, and for another account, logins still work
    other = fresh_client()
    assert login(other).status_code == 429  # the account is what is limited
    assert login(other, user="kansli1").status_code == 302


def test_failed_logins_are_limited_per_address(client):
    for i in range(30):
        login(client, user=f"okand{i}", password="fel-lösenordet-1")
    assert login(client, user="kansli1").status_code == 429
    assert login(fresh_client(), user="kansli1").status_code == 302


def test_successful_logins_are_not_counted(client):
    assert all(login(client).status_code == 302 for _ in range(15))


def test_logout_ends_every_copy_of_the_cookie(client):
    login(client)
    thief = fresh_client()
    thief.set_cookie("insatskollen", client.get_cookie("insatskollen").value)
    assert thief.get("/").status_code == 200
    client.post("/logout", data={"csrf": csrf(client)})
    assert thief.get("/").status_code == 302


def test_a_new_password_ends_the_sessions(client):
    login(client, user="kansli1")
    assert client.get("/").status_code == 200
    auth.add_user("kansli1", "kansli", "ett-nytt-lösenord-456")
    assert client.get("/").status_code == 302


def set_session_times(**fields) -> None:
    con = sqlite3.connect(config.get().sessions_file)
    con.execute(f"UPDATE sessions SET {', '.join(f'{k} = ?' for k in fields)}",
                tuple(fields.values()))
    con.commit()
    con.close()


def test_idle_session_ends(client):
    login(client)
    set_session_times(seen=time.time() - 31 * 60)
    assert client.get("/").status_code == 302


def test_a_busy_session_ends_after_its_lifetime(client):
    login(client)
    set_session_times(created=time.time() - 13 * 3600)  # used a minute ago, started 13 h ago
    assert client.get("/").status_code == 302


def test_removed_user_is_logged_out_at_once(client):
    login(client, user="kansli1")
    assert client.get("/").status_code == 200
    auth.remove_user("kansli1")
    assert client.get("/").status_code == 302


def test_demo_users_only_in_demo_mode(client, monkeypatch):
    r = client.post("/login", data={"csrf": csrf(client), "demo": "demo-kansli"})
    assert r.status_code == 401  # not in demo mode
    monkeypatch.setenv("INSATSKOLLEN_DEMO", "1")
    config.get.cache_clear()
    # on real data (the traps extract) demo mode offers nothing (tests/test_demo_mode.py)
    assert "demo-demo-kansli" not in client.get("/login").get_data(as_text=True)
    from dashboard import db

    with db.writer(config.get().db_path) as con:  # now it is the demo's database
        db.mark_demo(con)
    assert "demo-demo-kansli" in client.get("/login").get_data(as_text=True)
    r = client.post("/login", data={"csrf": csrf(client), "demo": "demo-kansli"})
    assert r.status_code == 302


def test_scope_per_role():
    from dashboard.urval import Scope

    assert auth.User("a", "lokus", ("Heby",)).scope() == Scope(frozenset({"Heby"}), True)
    assert auth.User("b", "styrelse").scope() == Scope(None, True)
    assert auth.User("c", "kansli").scope() == Scope(None, True)
    assert auth.User("c", "kansli").scope(unsuppressed=True) == Scope(None, False)
    assert auth.User("d", "lokus", ("Heby",)).scope(unsuppressed=True).suppress is True


def test_passwords_are_stored_hashed(users_env):
    text = (users_env / "users.json").read_text(encoding="utf-8")
    assert PASSWORD not in text and "scrypt:" in text
    assert oct((users_env / "users.json").stat().st_mode)[-3:] == "600"


def test_user_cli(users_env):
    env = {"INSATSKOLLEN_USERS": str(users_env / "users.json"), "PATH": "/usr/bin:/bin"}

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "dashboard", "user", *args], cwd=ROOT,
                              input=stdin, capture_output=True, text=True, env=env, timeout=60)

    r = run("add", "lokus-tierp", "--roll", "lokus", "--kommun", "Tierp", "--losenord-stdin",
            stdin="ett-långt-lösenord\n")
    assert r.returncode == 0, r.stderr
    assert auth.authenticate("lokus-tierp", "ett-långt-lösenord").kommuner == ("Tierp",)
    r = run("add", "x1", "--roll", "lokus", "--losenord-stdin", stdin="ett-långt-lösenord\n")
    assert r.returncode == 1 and "minst en kommun" in r.stderr
    r = run("add", "x2", "--roll", "kansli", "--losenord-stdin", stdin="kort\n")
    assert r.returncode == 1 and "minst 10 tecken" in r.stderr
    out = run("list").stdout
    assert "lokus-tierp" in out and "Tierp" in out and "scrypt" not in out
    assert run("remove", "lokus-tierp").returncode == 0
    assert auth.get("lokus-tierp") is None


def test_security_headers(client):
    for path in ("/login", "/"):
        h = client.get(path).headers
        assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
        assert "script-src 'self' 'sha256-" in h["Content-Security-Policy"]
        assert "unsafe-inline" not in h["Content-Security-Policy"].split("script-src")[1].split(";")[0]
        assert h["X-Frame-Options"] == "DENY" and h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "same-origin"


def test_the_page_says_laddar_before_its_scripts_run(client):
    """Dash's own entry says "Loading..."; ours says it in Swedish, and the stylesheet words
    the renderer's own "Loading..." (shown while a page's layout loads) the same."""
    login(client)
    html = client.get("/").get_data(as_text=True)
    assert '<div class="_dash-loading">Laddar…</div>' in html and "Loading..." not in html
    css = client.get("/assets/10-insatskollen.css").get_data(as_text=True)
    assert '._dash-loading::after { content: "Laddar…"' in css


def test_extract_text_is_rendered_as_text(client):
    """A login error or a name with HTML shows literally (Jinja autoescape)."""
    r = login(client, user="<script>alert(1)</script>")
    body = r.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body


def crafted_page_request(client, search: str = "") -> dict:
    """The request the browser's page router sends, built by hand."""
    r = client.post("/_dash-update-component", json=page_router_body("/", search))
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return lights(r.get_json())


def test_crafted_callback_requests_respect_the_scope(client):
    # Trap fixture, 2020-Q4: A (Heby|Tierp) green, B (Uppsala) yellow, C (länsövergripande) red.
    login(client, user="lokus-heby")
    assert crafted_page_request(client) == {"gron": "1", "gul": "0", "rod": "1"}
    # asking for another kommun in the URL never shows it to a LOKUS user: Uppsala's B
    # (yellow) stays out; the filter only narrows Heby's view (to the länsövergripande C)
    assert crafted_page_request(client, "?kommun=Uppsala") == {"gron": "0", "gul": "0", "rod": "1"}
    assert crafted_page_request(client, "?kommun=Uppsala,Heby") == {"gron": "1", "gul": "0", "rod": "1"}
    client.post("/logout", data={"csrf": csrf_from_session(client)})
    login(client, user="styrelse1")
    assert crafted_page_request(client) == {"gron": "1", "gul": "1", "rod": "1"}


def test_crafted_callback_without_session_gets_nothing(client):
    r = client.post("/_dash-update-component", json={"output": "x", "outputs": [], "inputs": []})
    assert r.status_code == 401 and b"oversikt" not in r.data


def csrf_from_session(client) -> str:
    with client.session_transaction() as s:
        return s["csrf"]


def test_audit_log_records_logins(client):
    before = len(audit.read())
    login(client, user="lokus-heby", password="fel-lösenord-xx")
    login(client, user="lokus-heby")
    client.post("/logout", data={"csrf": csrf_from_session(client)})
    events = [(e["handelse"], e.get("anvandare")) for e in audit.read()[before:]]
    assert events == [("inloggning_misslyckad", "lokus-heby"), ("inloggning", "lokus-heby"),
                      ("utloggning", "lokus-heby")]
    assert all("ip" in e and "tid" in e for e in audit.read()[before:])


def test_only_the_kansli_may_show_small_numbers(client):
    login(client, user="styrelse1")
    assert client.post("/kansli/sma-tal", data={"csrf": csrf_from_session(client)}).status_code == 403
    client.post("/logout", data={"csrf": csrf_from_session(client)})
    login(client, user="kansli1")
    before = len(audit.read())
    r = client.post("/kansli/sma-tal", data={"csrf": csrf_from_session(client), "next": "/"})
    assert r.status_code == 302
    with client.session_transaction() as s:
        assert sessions.get(s["sid"]).osuppressat is True  # kept on the server
        assert "osuppressat" not in s  # not in the cookie, where a copy could carry it
    assert audit.read()[before]["handelse"] == "sma_tal_visas"
    assert client.post("/kansli/sma-tal", data={}).status_code == 400  # no CSRF token


def test_viewer_scope_comes_from_the_session(users_env):
    from flask import session

    import app
    from dashboard import begaran as viewer
    from dashboard.urval import Scope

    def scope_of(user=None, osuppressat=False, **cookie):
        """The viewer scope in a request whose cookie carries ``cookie`` and, for ``user``,
        the id of a server-side session with the kansli's switch as given."""
        if user:
            cookie["sid"] = sessions.start(user)
            sessions.set_unsuppressed(cookie["sid"], osuppressat)
        with app.server.test_request_context("/"):
            session.update(cookie)
            return viewer.viewer_scope()

    assert scope_of(user="kansli1") == Scope(None, suppress=True)
    assert scope_of(user="kansli1", osuppressat=True) == Scope(None, suppress=False)
    # the flag means nothing for another role
    assert scope_of(user="lokus-heby", osuppressat=True) == Scope(
        frozenset({"Heby"}), suppress=True)
    with pytest.raises(PermissionError):
        scope_of()
    with app.server.test_request_context("/"):  # a name in the cookie is no session
        session.update({"user": "kansli1", "osuppressat": True})
        with pytest.raises(PermissionError):
            viewer.viewer_scope()


def test_a_forwarded_address_is_not_trusted_without_a_configured_proxy(client):
    for i in range(30):
        client.post("/login", data={"csrf": csrf(client), "username": f"okand{i}",
                                    "password": "fel-lösenordet-1"},
                    headers={"X-Forwarded-For": f"10.0.0.{i}"})
    assert login(client, user="kansli1").status_code == 429
