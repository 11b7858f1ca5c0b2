"""The benchmark of ingest, views and pages (``python -m bench skala``) on synthetic extracts
10x and 300x the demo.

Each scale runs in its own process (so its peak memory is its own): it writes the last
quarter's extract at that scale, ingests it into a fresh database file (timed, the same path
the CLI takes), then runs every view ``runs`` times for each of a few typical filters and
reports median and p95; then lays out every page for the same filters, as a filter change
in the browser makes the server do (the page's render function and the JSON encoding of its
layout). Prints a table; ``--json`` output is what the parent reads.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import duckdb

from dashboard import beslut, config, db, demo, ingest, sql, views
from dashboard.urval import Filter, Scope

PAGE_STATES = {
    "senaste kvartalet": {},
    "helår 2022, Uppsala": {"fran": "2022-Q1", "till": "2022-Q4", "kommun": "Uppsala"},
    "halvår, individ": {"fran": "2022-Q3", "till": "2022-Q4", "typ": "individ"},
}
FILTERS = {
    "senaste kvartalet": Filter(),
    "helår 2022, Uppsala": Filter("2022-Q1", "2022-Q4", kommuner=("Uppsala",)),
    "halvår, individ": Filter("2022-Q3", "2022-Q4", typer=("individ",)),
}


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p * (len(s) - 1)))]


def run_scale(scale: int, runs: int, workdir: Path) -> dict:
    folder = workdir / f"x{scale}"
    t0 = time.perf_counter()
    extract = demo.write_last(folder, scale=scale)
    gen_s = time.perf_counter() - t0
    db_path = workdir / f"x{scale}.duckdb"
    floors, ingests = [], []
    for _ in range(max(1, min(runs, 3))):  # medians: one run of each is too noisy to quote
        for f in workdir.glob(f"x{scale}.duckdb*"):
            f.unlink()
        floors.append(ingest_floor(extract, workdir / f"golv{scale}.duckdb"))
        t0 = time.perf_counter()
        res = ingest.ingest_file(extract, db_path, skydd=False)
        ingests.append(time.perf_counter() - t0)
    floor_s, ingest_s = statistics.median(floors), statistics.median(ingests)
    skydd_s = beslut.besluta_fil(db_path)  # the load's last step (bench.skydd times it whole)
    rows = sum(res.row_counts.values())
    con = db.reader(db_path)
    episodes = con.execute("SELECT count(*) FROM deltagare").fetchall()[0][0]
    out = {"scale": scale, "episodes": episodes, "rows": rows, "generate_s": gen_s,
           "ingest_s": ingest_s, "golv_s": floor_s, "rows_per_s": rows / ingest_s, "views": {},
           "skydd_s": skydd_s}
    for scope_name, scope in (("styrelse", Scope.styrelse()), ("kansli", Scope.kansli())):
        for fname, f in FILTERS.items():
            for vname, fn in views.VIEWS.items():
                fn(con, scope, f)  # warm-up
                times = []
                for _ in range(runs):
                    views.clear_cache()
                    t0 = time.perf_counter()
                    fn(con, scope, f)
                    times.append((time.perf_counter() - t0) * 1000)
                out["views"][f"{vname} | {fname} | {scope_name}"] = {
                    "median_ms": statistics.median(times), "p95_ms": _pct(times, 0.95)}
    out["pages"] = time_pages(con, max(3, runs // 4))
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def ingest_floor(extract: Path, path: Path) -> float:
    """The floor for ingest: bare DuckDB reading the same CSV files into tables of the types it
    detects, and writing them to a database file (no checks, no derived rows)."""
    path.unlink(missing_ok=True)
    t0 = time.perf_counter()
    con = duckdb.connect(str(path))
    for f in sorted(Path(extract).glob("*.csv")):
        con.execute(f"CREATE TABLE {f.stem} AS SELECT * FROM read_csv($f, header = true)",
                    {"f": str(f)})
    con.execute("CHECKPOINT")
    con.close()
    out = time.perf_counter() - t0
    path.unlink(missing_ok=True)
    return out


# an ingest and a preview, each alone in a process: (seconds, peak RSS in MB) on stdout. The
# peak is the process's own (VmHWM): ru_maxrss keeps the parent's across fork and exec.
_ALONE = """
import re, sys, time
from pathlib import Path
from dashboard import db, ingest, laddning
extract, target = Path(sys.argv[1]), Path(sys.argv[2])
t = time.perf_counter()
if sys.argv[3] == "inlasning":
    ingest.ingest_file(extract, target)
else:
    laddning.preview(db.reader(target), extract)
hwm = re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1)
print(time.perf_counter() - t, int(hwm) / 1024)
"""


def memory_bound(workdir: Path, demo_db: Path, mb: float = 200) -> dict:
    """Ingest and web preview (against the demo database) of one quarter's extract of about
    ``mb`` MB, each in a process of its own: its size, seconds and peak RSS (issue 12's
    bound: within 1 GB and 60 s)."""
    def size(scale: int) -> tuple[Path, float]:
        extract = demo.write_last(workdir / f"minne{scale}", scale=scale)
        return extract, sum(f.stat().st_size for f in Path(extract).glob("*.csv")) / 1e6

    scale, (extract, got) = 20, size(20)
    for _ in range(2):  # the size grows about linearly with the scale
        scale = max(1, round(scale * mb / got))
        extract, got = size(scale)
    out = {"mb": got}
    for step, target in (("inlasning", workdir / "minne.duckdb"), ("forhandsvisning", demo_db)):
        proc = subprocess.run([sys.executable, "-c", _ALONE, str(extract), str(target), step],
                              cwd=config.ROOT, capture_output=True, text=True, check=True)
        sec, peak = (float(x) for x in proc.stdout.strip().splitlines()[-1].split()[-2:])
        out[step] = {"s": sec, "topp_mb": peak}
    return out


def time_pages(con, runs: int) -> dict:
    """Server time of a page's re-render after a filter change: its render function plus
    encoding the layout, with the views' result cache emptied before each run (repeats
    within one layout still hit it, as they do when serving)."""
    import plotly

    import app  # noqa: F401  (registers the pages)
    from dashboard import urlstate
    from dashboard.pages import budget, deltagare, insats, kvalitet, mal, malgrupp, oversikt

    insats_id = con.execute("SELECT insats_id FROM insatser WHERE typ = 'individ' "
                            "ORDER BY insats_id LIMIT 1").fetchall()[0][0]
    pages = {"oversikt": oversikt.render, "mal": mal.render, "budget": budget.render,
             "kvalitet": kvalitet.render, "deltagare": deltagare.render,
             "malgrupp": malgrupp.render,
             "malgrupp grov": lambda c, sc, st: malgrupp.render(c, sc, replace(st, indelning="grov")),
             "insats": lambda c, sc, st: insats.render(c, sc, st, insats_id)}
    # the page's own queries: every named query it runs (queries/*.sql), timed as it runs
    spent = [0.0]
    real_run = sql.run

    def timed_run(*a, **kw):
        t = time.perf_counter()
        try:
            return real_run(*a, **kw)
        finally:
            spent[0] += time.perf_counter() - t

    out = {}
    sql.run = timed_run
    try:
        for scope_name, scope in (("styrelse", Scope.styrelse()), ("kansli", Scope.kansli())):
            for fname, query in PAGE_STATES.items():
                state = urlstate.parse(query)
                for pname, render in pages.items():
                    times, own = [], []
                    for i in range(runs + 1):
                        views.clear_cache()  # a filter change: nothing of it computed before
                        spent[0] = 0.0
                        t0 = time.perf_counter()
                        json.dumps(render(con, scope, state), cls=plotly.utils.PlotlyJSONEncoder)
                        if i:  # the first is a warm-up
                            times.append((time.perf_counter() - t0) * 1000)
                            own.append(spent[0] * 1000)
                    out[f"{pname} | {fname} | {scope_name}"] = {
                        "median_ms": statistics.median(times), "p95_ms": _pct(times, 0.95),
                        "sql_ms": statistics.median(own)}
    finally:
        sql.run = real_run
    return out


def _table(results: list[dict], key: str, heading: str) -> None:
    """One row per measured item, a median / p95 column per scale."""
    print("\n" + heading)
    keys = list(results[0][key])
    width = max(len(k) for k in keys)
    print(" " * width + "".join(f"{str(r['scale']) + 'x':>16}" for r in results))
    for k in keys:
        cells = "".join(f"{r[key][k]['median_ms']:>8.1f} /{r[key][k]['p95_ms']:>6.1f}"
                        for r in results)
        print(f"{k:<{width}}{cells}")


def _print(results: list[dict]) -> None:
    print("\nInläsning (ingest utan skyddet; median av upp till 3 körningar, golvet i samma "
          "körningar; skyddet, inläsningens sista steg, en gång)")
    print(f"{'skala':>6} {'episoder':>10} {'rader':>10} {'tid s':>7} {'golv s':>7} {'kvot':>5} "
          f"{'rader/s':>10} {'skydd s':>8} {'topp MB':>8}   (golv = DuckDB läser samma CSV-filer "
          "till tabeller)")
    for r in results:
        print(f"{r['scale']:>5}x {r['episodes']:>10,} {r['rows']:>10,} {r['ingest_s']:>7.2f} "
              f"{r['golv_s']:>7.2f} {r['ingest_s'] / r['golv_s']:>4.1f}× "
              f"{r['rows_per_s']:>10,.0f} {r['skydd_s']:>8.1f} {r['peak_mb']:>8.0f}"
              .replace(",", " "))
    _table(results, "views", "Frågor (ms, median / p95 av körningarna)")
    _table(results, "pages", "Sidor: omritning vid filterbyte, serverns tid (ms, median / p95)")
    print("\nSidor mot sina egna frågor (queries/*.sql under samma omritning): kvot = sidans "
          "median ÷ frågornas median")
    keys = list(results[0]["pages"])
    width = max(len(k) for k in keys)
    print(" " * width + "".join(f"{str(r['scale']) + 'x':>22}" for r in results))
    for k in keys:
        cells = ""
        for r in results:
            pg = r["pages"][k]
            cells += f"{pg['sql_ms']:>8.1f} ms {pg['median_ms'] / max(pg['sql_ms'], 0.1):>9.1f}×"
        print(f"{k:<{width}}{cells}")
    for r in results:
        worst_page = max(v["median_ms"] for v in r["pages"].values())
        print(f"{r['scale']}x: långsammaste sidan, median {worst_page:.1f} ms")
    for r in results:
        worst = max(v["p95_ms"] for v in r["views"].values())
        print(f"\n{r['scale']}x: sämsta p95 {worst:.1f} ms; inläsning {r['rows_per_s']:,.0f} rader/s"
              .replace(",", " "))


def main(scales: list[int], runs: int = 20, workdir: str | None = None,
         child: bool = False) -> int:
    if child:  # one scale, in this process; JSON on stdout
        wd = Path(workdir)
        print(json.dumps(run_scale(scales[0], runs, wd)))
        return 0
    tmp = tempfile.TemporaryDirectory(prefix="insatskollen-bench-") if not workdir else None
    wd = Path(workdir or tmp.name)
    wd.mkdir(parents=True, exist_ok=True)
    print("demodata (16 kvartal) ...", file=sys.stderr, flush=True)
    demo.write_series(wd / "demo-uttag")
    (wd / "demo.duckdb").unlink(missing_ok=True)
    demo.load_series(wd / "demo-uttag", wd / "demo.duckdb")
    print("ett uttag på 200 MB ...", file=sys.stderr, flush=True)
    minne = memory_bound(wd, wd / "demo.duckdb")
    results = []
    for s in scales:
        print(f"skala {s}x ...", file=sys.stderr, flush=True)
        proc = subprocess.run(
            [sys.executable, "-c", "import sys; from bench import skala; "
             f"sys.exit(skala.main([{s}], {runs}, {str(wd)!r}, child=True))"],
            cwd=config.ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    _print(results)
    print(f"\nEtt uttag på {minne['mb']:.0f} MB (ett kvartal), var för sig i en egen process:")
    for step, name in (("inlasning", "inläsning"), ("forhandsvisning", "förhandsvisning på webben")):
        print(f"  {name:26} {minne[step]['s']:>6.1f} s, topp {minne[step]['topp_mb']:>5.0f} MB")
    if tmp:
        tmp.cleanup()
    return 0
