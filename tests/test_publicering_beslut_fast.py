"""What is decided is pinned, family by family. A refactoring of the publication or of the
algorithm must leave every decided cell as it was (issue 28: the typed publication and the
phases of ``privacy.Decision`` decide the demo and the traps exactly as the positional code
did, c9355196184d7d1f and 1f747f70e7884a62 over every family). A new family adds a line
here; a family whose hash changes is a change of what the board sees, to be said in the
commit that changes the pin (and why the families it is linked to changed with it)."""

from __future__ import annotations

from pathlib import Path

from dashboard import beslut, db, ingest, publicering, sql

FIXTURES = Path(__file__).parent / "fixtures"

# per family: the hash of its decided cells (status and the keys of their atoms).
# Issue 29 (the slutrapport of an ended insats, Registreringskvalitet) added cells: the whole
# time of each ended insats in aktiva, delt and the new family slut (decided with reg's
# system), and the latest quarter's open-long and without-handlingsplan counts in delt (whose
# atoms now tell start quarters apart as far back as oppen_manader). Every cell decided before
# kept its value; in the demo 25 delt and 48 reg cells (of 6 698 and 2 900, over every
# selection) changed between shown and hidden to protect, as the systems they share with the
# new cells ask; the traps' delt changed only by its atoms (they have no ended insats).
# Issue 30 (försörjning före och efter) added "fors". The traps have no forsorjning_slut: their
# other families are as before. The demo's data changed with it (a few participants have lön
# or studiemedel at start: Målgrupp's atoms, "aktiva"), and "fors" is tied to Tid i insats's
# Summa (everyone avslutad): decided on the same data with and without "fors", 7 cells of
# tid, delt, aktiva and bip in 2020 go from shown to hidden where "fors"'s repair hid the
# Summa they were decided with; over the demo's 16 loads each decision takes the one before
# as known, so "aktiva"'s change reaches "delt" and "bip" too. "anon" is as it always was;
# "reg" and "slut" as issue 29 left them, "fors", "bip" and "tid" as issue 30 left them.
DEMO = {
    "aktiva": "7d80f0f44dd3e543", "anon": "1c7d516303d81341", "bip": "a90ae85779670088",
    "delt": "8a24e3a064063677", "fors": "eac147d7e9ce4871", "reg": "97b075caae1d6eb3",
    "slut": "10ef1825a1be0ceb", "tid": "e4261ca41ffe36ef",
}
TRAPS = {
    "aktiva": "fc16e80266be3e6f", "anon": "22e1e8eb65ca16c1", "bip": "58d3beb64bca6161",
    "delt": "0b1d07a0ae3e0a70", "fors": "b49318b591973700", "reg": "6ad3d518fb9f94cb",
    "tid": "a21642ea9f23be20",
}


def _per_family(con) -> dict[str, str]:
    pub = publicering.load(con)
    text = sql.arrow(con, "skydd_atomer").column("nyckel").to_pylist()
    assert beslut.decision_hash(pub, text) == pub.meta["hash"]  # the stored hash is this one
    return {f: beslut.decision_hash(pub, text, f) for f in sorted({k[0] for k in pub.status})}


def test_the_demo_is_decided_as_pinned(demo_con):
    assert _per_family(demo_con) == DEMO


def test_the_traps_are_decided_as_pinned(tmp_path):
    path = tmp_path / "t.duckdb"
    ingest.ingest_file(FIXTURES / "traps", path)
    assert _per_family(db.reader(path)) == TRAPS
