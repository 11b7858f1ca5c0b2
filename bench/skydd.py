"""The benchmark of the protection of small numbers (``python -m bench skydd``).

- Deciding it: the whole publication of the demo series at 1×, 10× and 300× the
  participants (16 loaded quarters), and of 4, 8 and 16 quarters at 1×, each in a process of
  its own: seconds and peak memory (the process's and its helper processes' VmHWM), against
  a floor measured in the same process (bare DuckDB fetching the rows it is built from).
- A load: the last quarter loaded on top of the other fifteen (its own write, its decision
  given the one before): seconds for the whole ingest, and for the decision in it.
- Information loss in the board's default view (the whole latest year, all insatser): per
  table, how many cells of 5 or more are hidden; for the demo loaded in one write, and for
  the demo loaded quarter by quarter's last step (the decision given last quarter's).
- Two loads: what someone holding last quarter's publication and this quarter's can read off
  by subtraction (cells shown in both that differ by 1..4; cells hidden then and shown now,
  unchanged), with the decision given the previous one and without it.

At the larger scales only the last extract carries the participants (the others only their
quarter's reports): the publication reads the participants of the latest load alone, so the
decision is the same as for a series where every extract carries them, and writing sixteen
extracts of a million episodes each is not what is measured.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dashboard import beslut, config, db, demo, ingest, periods, privacy, publicering

FAMILIES = {"aktiva": "Målgrupp", "tid": "Tid i insats", "delt": "Deltagare (Tabell 6)",
            "reg": "Avslutsorsaker", "anon": "Anonyma/volym", "bip": "Progression (BIP)",
            "fors": "Försörjning före och efter", "slut": "Slutrapporter (hela tiden)"}

# one decision in a process of its own: seconds, floor seconds, peak MB (its own and its
# helpers'), cells; on stdout as JSON
_DECIDE = """
import json, re, resource, sys, time
from pathlib import Path
from dashboard import beslut, db, sql
con = db.reader(Path(sys.argv[1]))
t0 = time.perf_counter()
for q in ("publicering_episoder", "publicering_avslut", "publicering_anonyma",
          "publicering_insatser"):
    sql.run(con, q)
floor = time.perf_counter() - t0
t0 = time.perf_counter()
b = beslut.besluta(con)
sec = time.perf_counter() - t0
hwm = int(re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text()).group(1))
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"s": sec, "golv_s": floor, "topp_mb": hwm / 1024, "hjalp_mb": kids / 1024,
                  "celler": len(b.pub.status)}))
"""


def series(out: Path, scale: float, quarters: int | None = None) -> list[Path]:
    """The demo series at ``scale`` (only the last extract with participants above 1×), its
    first ``quarters`` folders."""
    demo.write_series(out, scale=scale, deltagare_bara_sista=scale > 1)
    folders = sorted(p for p in out.iterdir() if p.is_dir())
    return folders[:quarters] if quarters else folders


def load_in_one_write(folders: list[Path], path: Path, skydd: bool = True) -> None:
    for f in path.parent.glob(path.name + "*"):
        f.unlink()
    with db.writer(path) as con:
        for f in folders:
            ingest.ingest_into(con, f, loaded_by="demo", skydd=False)
        if skydd:
            beslut.besluta_och_spara(con)


def decide_alone(path: Path, runs: int) -> dict:
    """``_DECIDE`` ``runs`` times, each in a process of its own: medians, and the largest
    peak."""
    res = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", _DECIDE, str(path)], cwd=config.ROOT,
                              capture_output=True, text=True, check=True)
        res.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {"s": statistics.median(r["s"] for r in res),
            "golv_s": statistics.median(r["golv_s"] for r in res),
            "topp_mb": max(r["topp_mb"] for r in res), "hjalp_mb": max(r["hjalp_mb"] for r in res),
            "celler": res[0]["celler"]}


def information_loss(pub: publicering.Publication) -> dict:
    """For the board's default view (the latest calendar year to date, every insats): per
    table, how many cells of 5 or more there are and how many of them are hidden; how many
    individinsatser show the Deltagare table's key columns of those that have 5 or more."""
    rng = periods.Range(periods.year_start(pub.last), pub.last)
    alla = sorted(pub.typ)
    out = {}
    specs = dict.fromkeys(spec for (_, _, spec) in pub.unit if spec[1:3] == (rng.first, rng.last))
    for spec in specs:
        family = spec[0]
        if spec in pub.implicit:  # never shown to anyone but the kansli: nothing to lose
            continue
        individ = family in publicering.INDIVID
        members = pub.members(alla, periods.Range(spec[1], spec[2])) if individ else alla
        # a row per insats in individinsatser's tables (Progression's indicators, "ja:<code>",
        # "battre:<code>"..., are shown for the selection only)
        per_insats = individ and ":" not in spec[-1]
        for g in [members] + ([[i] for i in members] if per_insats else []):
            value, status = pub.cell(family, spec, g)
            if value >= pub.threshold:
                keys = [family]
                if family == "fors" and spec[5] == "totalt":  # kvinnor and män together
                    keys.append("fors_marginal" if "summa" in spec[3:5] or spec[3] ==
                                "offentlig" else "fors_inre")
                for k in keys:
                    t = out.setdefault(k, {"celler": 0, "dolda": 0})
                    t["celler"] += 1
                    t["dolda"] += status != privacy.VISIBLE
    key = {"celler": 0, "dolda": 0}
    for measure in ("deltagare_totalt", "avslutade_totalt", "deltagare_period",
                    "avslutade_period", "till_arbete_studier"):
        spec = ("delt", rng.first, rng.last, measure)
        for i in pub.members(alla, rng):
            value, status = pub.cell("delt", spec, [i])
            key["celler"] += value >= pub.threshold
            key["dolda"] += value >= pub.threshold and status != privacy.VISIBLE
    out["nyckel"] = key
    return out


def differences(a: publicering.Publication, b: publicering.Publication) -> dict:
    """What a reader of both subtracts: cells of a period both publish, per insats and for
    every insats together, that both show and that differ by 1..4, and cells ``a`` hid that
    ``b`` shows with the same value."""
    def shown(pub, family, spec):
        rng = periods.Range(spec[1], spec[2])
        return rng in pub._grid and pub.publicerad(rng, family) and spec not in pub.implicit

    out = {"andrade": 0, "sma_andringar": 0, "avslojade": 0}
    specs = {s for (f, _, s) in b.unit if shown(a, f, s) and shown(b, f, s)}
    for spec in sorted(specs, key=str):
        family = spec[0]
        alla = sorted(b.typ)
        members = (b.members(alla, periods.Range(spec[1], spec[2]))
                   if family in publicering.INDIVID else alla)
        for g in [members] + [[i] for i in members]:
            va, sa, _ = a.decided(family, spec, g)
            vb, sb, _ = b.decided(family, spec, g)
            out["andrade"] += va != vb
            if sa == sb == privacy.VISIBLE and 0 < abs(va - vb) < b.threshold:
                out["sma_andringar"] += 1
            if sa != privacy.VISIBLE and sb == privacy.VISIBLE and va == vb:
                out["avslojade"] += 1
    return out


def two_loads(wd: Path) -> dict:
    """The demo series through 2022-Q3 in one write, then 2022-Q4 as a load of its own: the
    load's time and its decision's, what the two publications give away together, and the
    information loss of the second against the same data decided without the first."""
    folders = series(wd / "serie1", 1)
    a = wd / "a.duckdb"
    load_in_one_write(folders[:-1], a)
    b = wd / "b.duckdb"
    for f in wd.glob("b.*"):
        f.unlink()
    shutil.copyfile(a.resolve(), wd / "b.0.gen")
    b.symlink_to("b.0.gen")
    t0 = time.perf_counter()
    ingest.ingest_file(folders[-1], b)
    load_s = time.perf_counter() - t0
    pa, pb = publicering.load(db.reader(a)), publicering.load(db.reader(b))
    fresh = beslut.besluta(db.reader(b), previous=None).pub
    return {"inlasning_s": load_s, "beslut_s": pb.meta["sekunder"],
            "ateranvanda": pb.meta["ateranvanda_system"], "system": len(pb.meta["system"]),
            "med": differences(pa, pb), "utan": differences(pa, fresh),
            "forlust_med": information_loss(pb), "forlust_utan": information_loss(fresh)}


def bounds_audit(con) -> dict:
    """Per family of the whole publication: how many small counts (1..threshold-1, shown as
    "<5" or implicit) there are, how many of them the markers' bounds keep less than one whole
    count from their true value (``privacy.audit`` over every system, with every cell as it is
    finally published), how many cells ``privacy.repair`` hid or left unshown for that, and
    how many are unshown (".."), where the markers alone pinned a count."""
    b = beslut.besluta(con, keep_systems=True)
    pub = b.pub
    t_ = pub.threshold
    out: dict = {}

    def family(f):  # (a system may hold cells of several families: the slutrapport's)
        return out.setdefault(f, {"sma": 0, "ringas_in": 0, "lagade": 0, "ej_visade": 0})
    for cells, status, known in b.systems:
        for c in cells:
            family(c.key[0])["sma"] += 1 <= c.value < t_ and bool(c.atoms)
        final = {k: pub.status.get(k, v) for k, v in status.items()}
        for key in privacy.audit(cells, final, t_, known):
            family(key[0])["ringas_in"] += 1
    for f, n in pub.lagade.items():
        family(f)["lagade"] = n
    for key, st in pub.status.items():
        family(key[0])["ej_visade"] += st == privacy.UNPUBLISHED
    return out


def main_granska(workdir: str | None = None) -> int:
    """``python -m bench granska``: the bounds audit of the whole demo publication."""
    with tempfile.TemporaryDirectory(prefix="insatskollen-granska-") as tmp:
        wd = Path(workdir or tmp)
        load_in_one_write(series(wd / "demo-uttag", 1), wd / "demo.duckdb", skydd=False)
        res = bounds_audit(db.reader(wd / "demo.duckdb"))
    print("Små tal (1–4) i hela publikationen som markörernas gränser håller mindre än ett helt "
          "antal från sitt värde (LP), demodata")
    rows = [(name, res[key]) for key, name in FAMILIES.items() if key in res]
    rows.append(("Totalt", {k: sum(r[k] for r in res.values())
                            for k in ("ringas_in", "sma", "lagade", "ej_visade")}))
    for name, r in rows:
        print(f"  {name:28} {r['ringas_in']:>6} av {r['sma']:>6}   (ändrade av "
              f"skyddsintervallet: {r['lagade']}; inte visade \"..\": {r['ej_visade']})")
    return 0


def _loss_rows(loss: dict) -> list:
    rows = [(name, loss[key]) for key, name in FAMILIES.items() if key in loss]
    rows.append(("Alla tabeller", {k: sum(c[k] for _, c in rows) for k in ("dolda", "celler")}))
    rows.append(("Deltagare: nyckelkolumner per insats", loss["nyckel"]))
    for key, name in (("fors_marginal", "Försörjning: före, efter, lämnat"),
                      ("fors_inre", "Försörjning: från varje till varje")):
        if key in loss:
            rows.append((name + " (kvinnor och män)", loss[key]))
    return rows


def _pct(c: dict) -> str:
    return f"{c['dolda']:>4} av {c['celler']:>4} ({c['dolda'] / max(1, c['celler']):.0%})".replace(
        "%", " %")


def main(workdir: str | None = None, runs: int = 3, scales=(1, 10, 300)) -> int:
    tmp = tempfile.TemporaryDirectory(prefix="insatskollen-skydd-") if not workdir else None
    wd = Path(workdir or tmp.name)
    wd.mkdir(parents=True, exist_ok=True)
    rows = []
    for scale in scales:
        print(f"skydd: {scale}x ...", file=sys.stderr, flush=True)
        folders = series(wd / f"s{scale}", scale)
        path = wd / f"s{scale}.duckdb"
        load_in_one_write(folders, path, skydd=scale == 1)  # 1x: the information loss's
        n = db.reader(path).execute("SELECT count(*) FROM deltagare").fetchall()[0][0]
        rows.append((f"{scale}x, {len(folders)} kvartal", n, decide_alone(path, runs)))
    folders = sorted(p for p in (wd / "s1").iterdir() if p.is_dir())
    for quarters in (4, 8):
        path = wd / f"q{quarters}.duckdb"
        load_in_one_write(folders[:quarters], path, skydd=False)
        n = db.reader(path).execute("SELECT count(*) FROM deltagare").fetchall()[0][0]
        rows.append((f"1x, {quarters} kvartal", n, decide_alone(path, runs)))
    print("skydd: två inläsningar ...", file=sys.stderr, flush=True)
    two = two_loads(wd / "tva")
    print("\nSkyddet av små tal: hela publikationen beslutas (en process var, median av "
          f"{runs}; golv = DuckDB hämtar raderna; topp = processens VmHWM, hjälpprocessernas "
          "inom parentes)")
    print(f"  {'data':22} {'episoder':>9} {'tid s':>7} {'golv s':>7} {'kvot':>6} "
          f"{'topp MB':>8} {'celler':>8}")
    for name, n, r in sorted(rows, key=lambda x: x[0]):
        print(f"  {name:22} {n:>9,} {r['s']:>7.1f} {r['golv_s']:>7.2f} "
              f"{r['s'] / r['golv_s']:>5.0f}× {r['topp_mb']:>5.0f} ({r['hjalp_mb']:.0f}) "
              f"{r['celler']:>8,}".replace(",", " "))
    print(f"\nEn inläsning: 2022-Q4 ovanpå de femton kvartalen före (egen skrivning): "
          f"{two['inlasning_s']:.1f} s, varav skyddet {two['beslut_s']:.1f} s "
          f"({two['ateranvanda']} av {two['system']} system som förra publikationen)")
    demo_pub = publicering.load(db.reader(wd / "s1.duckdb"))
    print("\nInformationsförlust i styrelsens standardvy (hela 2022, alla insatser): dolda av "
          "cellerna med 5 eller mer")
    print(f"  {'':52} {'en skrivning':>20} {'kvartal för kvartal':>22}")
    one = _loss_rows(information_loss(demo_pub))
    seq = dict(_loss_rows(two["forlust_med"]))
    for name, c in one:
        print(f"  {name:52} {_pct(c):>20} {_pct(seq[name]):>22}")
    print("\nTvå inläsningar (2022-Q3, sedan 2022-Q4 med rättelser av tidigare kvartal): vad "
          "den som har båda publikationerna kan räkna fram genom att subtrahera")
    for key, name in (("med", "beslutat med den förra publikationen"),
                      ("utan", "beslutat som om inget publicerats förut")):
        d = two[key]
        print(f"  {name:40} ändringar 1–4 som syns i båda: {d['sma_andringar']:>3}; dolt förut "
              f"men visat nu: {d['avslojade']:>3} (celler som ändrats: {d['andrade']})")
    if tmp:
        tmp.cleanup()
    return 0
