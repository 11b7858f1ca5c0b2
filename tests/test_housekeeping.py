"""Housekeeping: one audit vocabulary (the code's lists, docs/loggning.md, and what the log
accepts agree), and files that hold participants' data or the log readable by the server's
user only."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from dashboard import audit, config, ingest, laddning

ROOT = Path(__file__).resolve().parents[1]
TRAPS = ROOT / "tests" / "fixtures" / "traps"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def doc_table(heading: str) -> dict[str, str]:
    text = (ROOT / "docs" / "loggning.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([a-z_]+)` \| (.+?) \|$", section, flags=re.M))


def test_the_documented_vocabulary_is_the_code_s():
    assert doc_table("Händelser") == audit.EVENTS
    assert doc_table("Nycklar") == audit.KEYS


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("INSATSKOLLEN_DB", str(tmp_path / "data" / "d.duckdb"))
    monkeypatch.setenv("INSATSKOLLEN_AUDIT", str(tmp_path / "data" / "audit.log"))
    config.get.cache_clear()
    yield tmp_path
    config.get.cache_clear()


def test_the_log_refuses_words_outside_the_vocabulary(env):
    with pytest.raises(ValueError, match="unknown audit event"):
        audit.log("ingest", anvandare="x")
    with pytest.raises(ValueError, match="unknown audit keys"):
        audit.log("inlasning", user="x")
    audit.log("inlasning", anvandare="x", period="2020-Q4")
    assert audit.read()[-1]["handelse"] == "inlasning"


def test_private_files(env):
    ingest.ingest_file(TRAPS, config.get().db_path)
    folder = config.get().db_path.parent
    assert mode(folder) == 0o700
    gens = list(folder.glob("d.duckdb.*.gen"))
    assert gens and all(mode(g) == 0o600 for g in gens)
    audit.log("inlasning", anvandare="x")
    assert mode(config.get().audit_path) == 0o600
    token = laddning.stage([(p.name, p.read_bytes()) for p in TRAPS.glob("*.csv")], "kansliet")
    staged = laddning.staged_path(token, "kansliet")
    assert mode(laddning.staging_root()) == 0o700
    assert mode(staged) == 0o700 and mode(staged.parent) == 0o700
    assert all(mode(f) == 0o600 for f in staged.iterdir())


def test_the_extract_format_page_says_what_the_schema_says():
    """docs/uttagsformat.md's column tables are written from dashboard/schema.py; after a
    schema change, `python -m dashboard.uttagsformat` rewrites them."""
    from dashboard import schema, uttagsformat

    assert uttagsformat.generated() == uttagsformat.tabeller(), \
        "kör python -m dashboard.uttagsformat"
    text = uttagsformat.DOC.read_text(encoding="utf-8")
    for stem, cols in schema.FILES.items():
        section = text.split(f"### {stem}.csv", 1)[1].split("###", 1)[0]
        assert all(f"| `{c.name}` |" in section for c in cols), stem
