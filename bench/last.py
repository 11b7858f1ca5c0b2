"""The load test of ``make bench`` (``python -m bench last``): a board of simulated users
against the app served by gunicorn on 127.0.0.1, on the demo data; and how soon the board's
participant pages are usable after a start and after a load (``python -m bench redo``).

Each simulated user logs in, then opens pages one after another the way a board member does:
the page (its layout, rendered by the page router's callback), then a few seconds of reading
(``THINK_S``, drawn at random around it). What is timed is the page's callback, the request
that renders the page. Every user stops after ``PAGES_PER_USER`` pages or ``MAX_S`` seconds,
whichever comes first; only this machine's loopback is ever asked.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from dashboard import auth, config, demo

PAGES = ["/", "/mal", "/budget", "/kvalitet", "/deltagare", "/malgrupp", "/insats/2019:11"]
QUERIES = ["", "?kommun=Heby", "?fran=2022-Q1&till=2022-Q4", "?typ=individ"]
THINK_S = 5.0
PAGES_PER_USER = 12
MAX_S = 120
PASSWORD = "lasttest-lösenord-123"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_router_body(pathname: str = "/", search: str = "") -> dict:
    """The request the browser's page router sends to /_dash-update-component (the tests'
    clients send it too)."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def _login(base: str, name: str):
    """A cookie-keeping client logged in as ``name``."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=30).read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf": token, "username": name,
                                   "password": PASSWORD}).encode()
    opener.open(base + "/login", data=data, timeout=30).read()
    return opener


def _page_request(base: str, pathname: str, search: str) -> urllib.request.Request:
    return urllib.request.Request(
        base + "/_dash-update-component",
        data=json.dumps(page_router_body(pathname, search)).encode(),
        headers={"Content-Type": "application/json"})


def _user(base: str, name: str, seed: int, times: list, errors: list, lock) -> None:
    rnd = random.Random(seed)
    try:
        opener = _login(base, name)
    except OSError as exc:
        with lock:
            errors.append(f"login: {exc}")
        return
    time.sleep(rnd.uniform(0, THINK_S))  # people do not all arrive in the same second
    start = time.monotonic()
    for _ in range(PAGES_PER_USER):
        if time.monotonic() - start > MAX_S:
            break
        req = _page_request(base, rnd.choice(PAGES), rnd.choice(QUERIES))
        t0 = time.perf_counter()
        try:
            with opener.open(req, timeout=60) as r:
                r.read()
                ok = r.status == 200
        except OSError as exc:
            ok = False
            with lock:
                errors.append(str(exc))
        took = time.perf_counter() - t0
        with lock:
            if ok:
                times.append(took)
        time.sleep(rnd.uniform(0.5 * THINK_S, 1.5 * THINK_S))


def _wait_warm(base: str, limit_s: float = 240) -> None:
    """Until participant pages answer in under a second eight times in a row (both workers
    have read the protection), or ``limit_s``."""
    opener = _login(base, "ledamot0")
    deadline, fast = time.monotonic() + limit_s, 0
    while fast < 8 and time.monotonic() < deadline:
        t0 = time.perf_counter()
        try:
            with opener.open(_page_request(base, "/malgrupp", ""), timeout=120) as r:
                r.read()
            fast = fast + 1 if time.perf_counter() - t0 < 1 else 0
        except OSError:
            fast = 0
            time.sleep(1)


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p * (len(s) - 1))))]


@contextlib.contextmanager
def served(d: Path, users: int, workers: int = 2, threads: int = 4):
    """The demo data in ``d`` served by gunicorn on 127.0.0.1 (as docs/drift.md runs it), with
    ``users`` board members ledamot0..; yields (base URL, the database, the moment gunicorn
    was started)."""
    demo.write_series(d / "uttag")
    demo.load_series(d / "uttag", d / "demo.duckdb")
    env = {**os.environ, "INSATSKOLLEN_DB": str(d / "demo.duckdb"),
           "INSATSKOLLEN_USERS": str(d / "users.json"),
           "INSATSKOLLEN_AUDIT": str(d / "audit.log")}
    env.pop("INSATSKOLLEN_DEMO", None)
    old = {k: os.environ.get(k) for k in ("INSATSKOLLEN_USERS", "INSATSKOLLEN_DB",
                                          "INSATSKOLLEN_AUDIT")}
    os.environ.update({k: env[k] for k in old})
    config.get.cache_clear()
    for i in range(users):
        auth.add_user(f"ledamot{i}", "styrelse", PASSWORD)
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--threads", str(threads),
         "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--timeout", "120",
         "app:server"], cwd=config.ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}", d / "demo.duckdb", started
    finally:
        proc.terminate()
        proc.wait(30)
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        config.get.cache_clear()


def _up(base: str, limit_s: float = 120) -> None:
    deadline = time.time() + limit_s
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/login", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)


def run(levels=(10, 25, 50), workers: int = 2, threads: int = 4) -> list[dict]:
    """p50/p95 of the page callback per number of simulated users."""
    out = []
    with tempfile.TemporaryDirectory(prefix="insatskollen-last-") as tmp, \
            served(Path(tmp), max(levels), workers, threads) as (base, _, _):
        _up(base)
        _wait_warm(base)
        for n in levels:
            times: list = []
            errors: list = []
            lock = threading.Lock()
            users = [threading.Thread(target=_user, args=(base, f"ledamot{i}", 1000 * n + i,
                                                          times, errors, lock))
                     for i in range(n)]
            t0 = time.monotonic()
            for u in users:
                u.start()
            for u in users:
                u.join(MAX_S + 120)
            for e in sorted(set(errors)):
                print(f"fel ({n} användare): {e}", file=sys.stderr)
            out.append({"anvandare": n, "sidor": len(times), "fel": len(errors),
                        "p50_s": statistics.median(times) if times else float("nan"),
                        "p95_s": _pct(times, 0.95) if times else float("nan"),
                        "tid_s": time.monotonic() - t0})
    return out


# --- ready in seconds ---------------------------------------------------------------------

PROBES = 4  # board members asking at once, so that both workers answer
PROBE_PAGES = ["/deltagare", "/malgrupp", "/", "/progression"]


def _probe(base: str, name: str, seen: list, stop: threading.Event, started: float) -> None:
    """Open the board's participant pages one after another until ``stop``: (when the request
    began, seconds after gunicorn's start; how long it took; whether it answered)."""
    opener = None
    while opener is None and not stop.is_set():
        try:
            opener = _login(base, name)
        except OSError:
            time.sleep(0.1)
    n = 0
    while not stop.is_set():
        t0 = time.monotonic()
        try:
            with opener.open(_page_request(base, PROBE_PAGES[n % len(PROBE_PAGES)], ""),
                             timeout=120) as r:
                body = r.read()
                ok = r.status == 200 and b"f\\u00f6rbereds" not in body and b"f\xc3\xb6rbereds" \
                    not in body
        except OSError:
            ok = False
        seen.append((t0 - started, time.monotonic() - t0, ok))
        n += 1
        time.sleep(0.2)


def _ready_at(seen: list, after: float, until: float) -> float | None:
    """The first moment from ``after`` on when every page request begun until ``until``
    answered, with its figures, within a second (at least eight of them)."""
    window = sorted(x for x in seen if after <= x[0] < until)
    for j, (t, _, _) in enumerate(window):
        rest = window[j:]
        if len(rest) >= 8 and all(ok and took < 1 for _, took, ok in rest):
            return t
    return None


def _cli(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=config.ROOT, check=True,
                   capture_output=True)
    return time.perf_counter() - t0


def redo(workers: int = 2, threads: int = 4, runs: int = 3) -> dict:
    """How soon the board's participant pages are usable: after gunicorn starts, and after a
    load while it serves (the latest quarter loaded again with one styrgrupp comment
    changed), with the slowest request in between; and a board export on the command line
    against the same export --unsuppressed (medians of ``runs``)."""
    with tempfile.TemporaryDirectory(prefix="insatskollen-redo-") as tmp, \
            served(Path(tmp), PROBES, workers, threads) as (base, path, started):
        seen: list = []
        stop = threading.Event()
        probes = [threading.Thread(target=_probe, args=(base, f"ledamot{i}", seen, stop,
                                                        started)) for i in range(PROBES)]
        for p in probes:
            p.start()
        time.sleep(15)
        # a new load while serving
        extract = Path(tmp) / "omladdning"
        shutil.copytree(Path(tmp) / "uttag" / "2022-Q4", extract)
        rapport = extract / "kvartalsrapport.csv"
        rapport.write_text(rapport.read_text(encoding="utf-8").replace(
            "följs upp.", "följs upp i januari.", 1), encoding="utf-8")
        load_from = time.monotonic() - started
        _cli(["ingest", str(extract), "--db", str(path), "--user", "bench"])
        load_to = time.monotonic() - started
        time.sleep(15)
        stop.set()
        for p in probes:
            p.join(150)
        end = time.monotonic() - started
        first = min(t for t, _, ok in seen if ok) if any(ok for _, _, ok in seen) else None
        start_ready = _ready_at(seen, 0, load_from)
        load_ready = _ready_at(seen, load_to, end)
        between = [took for t, took, _ in seen if start_ready is not None and t >= start_ready]
        export = {k: statistics.median(_cli(["export", "deltagare", "--db", str(path),
                                             *extra]) for _ in range(runs))
                  for k, extra in (("styrelse", []), ("kansli", ["--unsuppressed"]))}
    return {"forsta_svar_s": first, "efter_start_s": start_ready,
            "inlasning_s": load_to - load_from,
            "efter_inlasning_s": None if load_ready is None else max(0.0, load_ready - load_to),
            "langsammast_s": max(between) if between else None, "export": export,
            "fragor": len(seen)}


def main_redo(workers: int = 2, threads: int = 4) -> int:
    r = redo(workers, threads)

    def s(x):
        return "aldrig" if x is None else f"{x:.1f} s"

    print(f"Redo: gunicorn {workers} processer × {threads} trådar, demodata; {PROBES} ledamöter "
          f"öppnar {', '.join(PROBE_PAGES)} om och om igen ({r['fragor']} sidor); användbar = "
          "varje sida svarar inom 1 s, med sina siffror")
    print(f"  efter start                    {s(r['efter_start_s'])} (första svaret "
          f"{s(r['forsta_svar_s'])})")
    print(f"  efter en inläsning             {s(r['efter_inlasning_s'])} (inläsningen, med "
          f"skyddet, tog {s(r['inlasning_s'])})")
    print(f"  långsammaste sidan däremellan  {s(r['langsammast_s'])}")
    e = r["export"]
    print(f"  export deltagare, kommandoraden: styrelsen {e['styrelse']:.2f} s, kansliets egen "
          f"(--unsuppressed) {e['kansli']:.2f} s, kvot {e['styrelse'] / e['kansli']:.1f}×")
    return 0


def main(workers: int = 2, threads: int = 4) -> int:
    res = run(workers=workers, threads=threads)
    print(f"Lasttest: gunicorn {workers} processer × {threads} trådar, demodata; varje "
          f"simulerad ledamot öppnar upp till {PAGES_PER_USER} sidor med ~{THINK_S:g} s läsning "
          "emellan; tid = sidans callback")
    print(f"{'användare':>10} {'sidor':>6} {'fel':>4} {'p50 s':>7} {'p95 s':>7}")
    for r in res:
        print(f"{r['anvandare']:>10} {r['sidor']:>6} {r['fel']:>4} {r['p50_s']:>7.2f} "
              f"{r['p95_s']:>7.2f}")
    return 0
