"""Real-browser fixtures: the app served in a thread, Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run the README's test command "
                    "(it installs Debian's chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


PASSWORD = "webbläsar-test-123"


@pytest.fixture(scope="session")
def serve(tmp_path_factory):
    """serve(db_path) -> base URL of the app reading that database. Users (password PASSWORD):
    styrelse1, lokus-heby (Heby), kansli1."""
    from werkzeug.serving import make_server

    servers = []

    def start(db_path: Path) -> str:
        os.environ["INSATSKOLLEN_DB"] = str(db_path)
        os.environ["INSATSKOLLEN_USERS"] = str(tmp_path_factory.mktemp("u") / "users.json")
        from dashboard import auth, config

        config.get.cache_clear()
        auth.add_user("styrelse1", "styrelse", PASSWORD)
        auth.add_user("lokus-heby", "lokus", PASSWORD, ["Heby"])
        auth.add_user("kansli1", "kansli", PASSWORD)
        import app as app_module
        from dashboard import db, publicering

        publicering.get(db.reader(db_path))  # as the app's warm-up does when it starts
        srv = make_server("127.0.0.1", 0, app_module.server, threaded=True)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_port}"

    yield start
    for s in servers:
        s.shutdown()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="sv-SE")
    pg = ctx.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    ctx.close()


@pytest.fixture
def login():
    """login(page, base, user, path="/"): log in through the login form, as a person would,
    and be on ``path``."""
    return _login


_sessions: dict[tuple[str, str], list] = {}


def _login(page, base: str, user: str, path: str = "/") -> None:
    """Logged in, on ``path``: the first time per user through the form; later by the
    session cookie that login gave (the login form is rate-limited, as it should be), going
    straight to ``path``."""
    cookies = _sessions.get((base, user))
    if cookies:
        # host-only, like the server's own, so that a cookie the server sets replaces it
        page.context.add_cookies([{"name": c["name"], "value": c["value"], "url": base}
                                  for c in cookies])
        page.goto(base + path)
        page.wait_for_selector("#inloggad-som, #username", state="attached")
        if page.locator("#inloggad-som").count():
            return
    page.goto(base + "/")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#inloggad-som", state="attached")
    _sessions[(base, user)] = page.context.cookies()
    if path != "/":
        page.goto(base + path)
