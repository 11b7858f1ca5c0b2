"""Serving for real: gunicorn with several worker processes on loopback, and a quarter loaded
while it serves. Readers open the database read-only; the load replaces the file atomically,
and every worker sees the new data on its next request."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from helpers import lights, page_router_body

from dashboard import auth, config, ingest

ROOT = Path(__file__).resolve().parent.parent
TRAPS = ROOT / "tests" / "fixtures" / "traps"
GUNICORN = Path(sys.executable).with_name("gunicorn")
PASSWORD = "gunicorn-test-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path, monkeypatch):
    dbp = tmp_path / "g.duckdb"
    ingest.ingest_file(TRAPS, dbp)
    env = {**os.environ, "INSATSKOLLEN_DB": str(dbp),
           "INSATSKOLLEN_USERS": str(tmp_path / "users.json")}
    monkeypatch.setenv("INSATSKOLLEN_USERS", env["INSATSKOLLEN_USERS"])
    config.get.cache_clear()
    auth.add_user("lokus-heby", "lokus", PASSWORD, ["Heby"])
    auth.add_user("styrelse1", "styrelse", PASSWORD)
    port = free_port()
    proc = subprocess.Popen(
        [str(GUNICORN), "--workers", "3", "--bind", f"127.0.0.1:{port}", "--timeout", "60",
         "app:server"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/login", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail(proc.stdout.read().decode()[-2000:])
    yield base, dbp
    config.get.cache_clear()
    proc.terminate()
    proc.wait(timeout=20)


class Browser:
    """A cookie-keeping HTTP client, as a script would attack the server."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=20).read().decode()

    def post(self, path: str, data: dict | None = None, body: dict | None = None) -> bytes:
        if body is not None:
            req = urllib.request.Request(self.base + path, data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        else:
            req = urllib.request.Request(self.base + path,
                                         data=urllib.parse.urlencode(data).encode())
        return self.opener.open(req, timeout=20).read()

    def login(self, user: str) -> None:
        token = re.search(r'name="csrf" value="([^"]+)"', self.get("/login")).group(1)
        self.post("/login", {"csrf": token, "username": user, "password": PASSWORD})

    def lights(self) -> dict:
        return lights(json.loads(self.post("/_dash-update-component", body=page_router_body())))


def test_several_workers_and_a_load_while_serving(server, tmp_path):
    base, dbp = server
    b = Browser(base)
    with pytest.raises(urllib.error.HTTPError) as exc:
        b.post("/_dash-update-component", body={"output": "x", "inputs": []})
    assert exc.value.code == 401
    b.login("lokus-heby")
    # every request may land on another worker: ask several times
    assert all(b.lights() == {"gron": "1", "gul": "0", "rod": "1"} for _ in range(6))
    s = Browser(base)
    s.login("styrelse1")
    assert s.lights() == {"gron": "1", "gul": "1", "rod": "1"}

    # a corrected Q4 (B now in fas) is loaded while the workers serve
    fixed = tmp_path / "v2"
    shutil.copytree(TRAPS, fixed)
    text = (fixed / "kvartalsrapport.csv").read_text(encoding="utf-8")
    (fixed / "kvartalsrapport.csv").write_text(text.replace("B;2020-Q4;nej;ja", "B;2020-Q4;ja;ja"),
                                              encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "dashboard", "ingest", str(fixed), "--db", str(dbp)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert all(s.lights() == {"gron": "2", "gul": "0", "rod": "1"} for _ in range(6))
    assert b.lights() == {"gron": "1", "gul": "0", "rod": "1"}  # B is not Heby's
