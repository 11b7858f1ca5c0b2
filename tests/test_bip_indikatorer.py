"""An extract's own BIP indicators (bip_indikatorer.csv, e.g. SMAIL) and the BIP scale from the
configuration (data-contract.md, bip.csv), on a copy of tests/fixtures/traps.

The own list (written out of order; ``ordning`` decides): motivation (1), halsa (2, labelled
"Hälsa och välmående"), sysselsattning (3). Its bip.csv, in H2 2020 (episodes p1 A, p2 A and
p7 B are active then and have two dates):

  p1 A 2020-03-01 -> 2020-08-01: motivation 2->4, halsa 3->2
  p2 A 2020-02-15 -> 2020-11-01: motivation 1->3, sysselsattning 2->2
  p3 A 2020-07-15 only:          halsa 1 (no uppföljning: left out)
  p7 B 2020-03-01 -> 2020-10-01: motivation 3->5 (written "Motivation", the label); halsa 4
                                 only at the latest (left out)

so motivation n=3, first (2+1+3)/3 = 2, latest (4+3+5)/3 = 4, all three better; halsa n=1,
3 -> 2, worse; sysselsattning n=1, 2 -> 2, the same.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from dashboard import codes, config, db, ingest, laddning, tables, views
from dashboard.figures.bip import radar
from dashboard.urval import Filter, Scope

TRAPS = Path(__file__).parent / "fixtures" / "traps"
H2 = Filter("2020-Q3", "2020-Q4")
KANSLI = Scope.kansli()

INDIKATORER = ("indikator;namn;ordning\n"
               "sysselsattning;Sysselsättning;3\n"
               "motivation;Motivation;1\n"
               "halsa;Hälsa och välmående;2\n")
BIP = ("deltagare_id;insats_id;matdatum;indikator;varde\n"
       "p1;A;2020-03-01;motivation;2\n"
       "p1;A;2020-03-01;halsa;3\n"
       "p1;A;2020-08-01;motivation;4\n"
       "p1;A;2020-08-01;halsa;2\n"
       "p2;A;2020-02-15;motivation;1\n"
       "p2;A;2020-02-15;sysselsattning;2\n"
       "p2;A;2020-11-01;motivation;3\n"
       "p2;A;2020-11-01;sysselsattning;2\n"
       "p3;A;2020-07-15;halsa;1\n"
       "p7;B;2020-03-01;motivation;3\n"
       "p7;B;2020-10-01;Motivation;5\n"
       "p7;B;2020-10-01;halsa;4\n")
BIP_ROWS = BIP.count("\n") - 1  # data rows


def extract(tmp_path: Path, name: str = "uttag", **files: str) -> Path:
    """A copy of the traps extract with ``files`` (stem -> text) written into it."""
    folder = tmp_path / name
    shutil.copytree(TRAPS, folder)
    for stem, text in files.items():
        (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    return folder


def smail(tmp_path: Path, name: str = "uttag") -> Path:
    return extract(tmp_path, name, bip_indikatorer=INDIKATORER, bip=BIP)


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def loaded_db(tmp_path) -> Path:
    """A database file that already holds the trap extract (the default indicators)."""
    path = tmp_path / "db" / "test.duckdb"
    ingest.ingest_file(TRAPS, path)
    return path


@pytest.fixture
def skala(tmp_path, monkeypatch):
    """Set the configured BIP scale: ``skala(0, 10)`` (a configuration file of its own)."""
    def set_to(lo: int, hi: int) -> None:
        path = tmp_path / "insatskollen.toml"
        path.write_text(f"bip_skala = [{lo}, {hi}]\n", encoding="utf-8")
        monkeypatch.setenv("INSATSKOLLEN_CONFIG", str(path))
        config.get.cache_clear()
    yield set_to
    monkeypatch.delenv("INSATSKOLLEN_CONFIG", raising=False)
    config.get.cache_clear()


def rejected(folder: Path, db_path: Path) -> list:
    """The problems of an extract that must be rejected, checking that nothing changed."""
    before = fingerprint(db_path)
    with pytest.raises(ingest.ExtractRejected) as exc:
        ingest.ingest_file(folder, db_path)
    assert fingerprint(db_path) == before  # nothing stored, nothing changed
    assert len(list(db_path.parent.glob(db_path.name + ".*.gen"))) == 1  # no stray version
    return exc.value.problems


def at(problems, file, row, column, text) -> bool:
    return any(p.file == file and p.row == row and p.column == column and text in p.message
               for p in problems)


# --- the extract's own list --------------------------------------------------------------


def test_the_own_list_replaces_the_default_in_its_order_with_its_labels(tmp_path):
    con = db.memory()
    ingest.ingest_into(con, smail(tmp_path))
    assert views.bip_indikatorer(con) == [("motivation", "Motivation"),
                                          ("halsa", "Hälsa och välmående"),
                                          ("sysselsattning", "Sysselsättning")]
    df = views.bip_indikator(con, KANSLI, H2)
    assert list(df["indikator"]) == ["motivation", "halsa", "sysselsattning"]
    assert list(df["namn"]) == ["Motivation", "Hälsa och välmående", "Sysselsättning"]
    r = df.set_index("indikator")
    assert (r.loc["motivation", "med_uppfoljning"], r.loc["motivation", "medel_forsta"],
            r.loc["motivation", "medel_senaste"]) == (3, 2.0, 4.0)
    assert (r.loc["motivation", "battre"], r.loc["motivation", "samma"],
            r.loc["motivation", "samre"]) == (3, 0, 0)
    assert (r.loc["halsa", "med_uppfoljning"], r.loc["halsa", "medel_forsta"],
            r.loc["halsa", "medel_senaste"], r.loc["halsa", "samre"]) == (1, 3.0, 2.0, 1)
    assert (r.loc["sysselsattning", "med_uppfoljning"], r.loc["sysselsattning", "medel_forsta"],
            r.loc["sysselsattning", "medel_senaste"], r.loc["sysselsattning", "samma"]) == (
        1, 2.0, 2.0, 1)

    # the Progression page's table and radar show the same labels in the same order
    t = tables.bip_indikator(con, KANSLI, Filter("2020-Q3", "2020-Q4"))
    assert list(t.df["namn"]) == ["Motivation", "Hälsa och välmående", "Sysselsättning"]
    fig = radar(t.df, "x")
    assert [th.split("<br>")[0] for th in fig.data[0].theta] == [
        "Motivation", "Hälsa och välmående", "Sysselsättning", "Motivation"]
    assert list(fig.data[1].r) == [4.0, 2.0, 2.0, 4.0]

    # the board's view is protected over the same list (n 3 and 1 are small)
    board = views.bip_indikator(con, Scope.styrelse(), H2)
    assert list(board["indikator"]) == ["motivation", "halsa", "sysselsattning"]
    assert list(board["med_uppfoljning"]) == ["<5", "<5", "<5"]


def test_a_load_without_the_file_has_the_default_eleven_and_reactivating_brings_back_its_own(
        tmp_path, monkeypatch):
    path = tmp_path / "db" / "ik.duckdb"
    monkeypatch.setenv("INSATSKOLLEN_DB", str(path))
    config.get.cache_clear()
    try:
        first = ingest.ingest_file(smail(tmp_path), path).load_id
        assert [c for c, _ in views.bip_indikatorer(db.reader(path))] == [
            "motivation", "halsa", "sysselsattning"]
        ingest.ingest_file(TRAPS, path)  # the same quarter again, without the file
        con = db.reader(path)
        assert views.bip_indikatorer(con) == list(codes.BIP_INDIKATOR)
        assert list(views.bip_indikator(con, KANSLI, H2)["indikator"]) == codes.codes(
            "bip_indikator")
        laddning.activate(first, "kansli1")  # the earlier load is current again
        con = db.reader(path)
        df = views.bip_indikator(con, KANSLI, H2)
        assert list(df["namn"]) == ["Motivation", "Hälsa och välmående", "Sysselsättning"]
        assert list(df["med_uppfoljning"]) == [3, 1, 1]
    finally:
        config.get.cache_clear()


def test_an_indicator_not_in_the_own_list_is_rejected(tmp_path, loaded_db):
    # jobbredo is a default indicator, but not one of this extract's list
    folder = extract(tmp_path, bip_indikatorer=INDIKATORER,
                     bip=BIP + "p1;A;2020-08-01;jobbredo;3\n")
    problems = rejected(folder, loaded_db)
    row = BIP_ROWS + 2  # the appended row (the header is row 1)
    assert at(problems, "bip.csv", row, "indikator",
              "en av koderna i bip_indikatorer.csv: motivation, halsa, sysselsattning")
    assert len(problems) == 1, problems


def test_the_own_codes_are_not_valid_without_the_file(tmp_path, loaded_db):
    problems = rejected(extract(tmp_path, bip=BIP), loaded_db)
    assert at(problems, "bip.csv", 2, "indikator", "jobbredo")


BAD_LISTS = [
    ("duplicate code", "indikator;namn;ordning\nmotivation;Motivation;1\nhalsa;Hälsa;2\n"
     "sysselsattning;Sysselsättning;3\nmotivation;Motivation igen;4\n", 2, "indikator",
     "raderna 2, 5; ska vara unik"),
    ("empty namn", "indikator;namn;ordning\nmotivation;Motivation;1\nhalsa; ;2\n"
     "sysselsattning;Sysselsättning;3\n", 3, "namn", "Värde saknas"),
    ("ordning not a number", "indikator;namn;ordning\nmotivation;Motivation;1\nhalsa;Hälsa;2\n"
     "sysselsattning;Sysselsättning;tre\n", 4, "ordning", "ett heltal"),
    ("ordning not whole", "indikator;namn;ordning\nmotivation;Motivation;1,5\nhalsa;Hälsa;2\n"
     "sysselsattning;Sysselsättning;3\n", 2, "ordning", "ett heltal"),
    ("empty code", "indikator;namn;ordning\nmotivation;Motivation;1\nhalsa;Hälsa;2\n"
     "sysselsattning;Sysselsättning;3\n;Utan kod;4\n", 5, "indikator", "Värde saknas"),
    ("column missing", "indikator;namn\nmotivation;Motivation\n", 1, "ordning",
     "saknas i rubrikraden"),
    ("no rows", "indikator;namn;ordning\n", None, None, "inga rader"),
]


@pytest.mark.parametrize("text,row,column,message", [c[1:] for c in BAD_LISTS],
                         ids=[c[0] for c in BAD_LISTS])
def test_a_bad_own_list_is_rejected_naming_the_place(tmp_path, loaded_db, text, row, column,
                                                     message):
    problems = rejected(extract(tmp_path, bip_indikatorer=text, bip=BIP), loaded_db)
    assert at(problems, "bip_indikatorer.csv", row, column, message), problems
    # bip.csv is judged by the codes the list does give, or not at all when it gives none:
    # no problem of its own follows from the list's
    assert not [p for p in problems if p.file == "bip.csv"], problems


def test_the_problem_reads_as_plain_swedish(tmp_path):
    folder = extract(tmp_path, bip_indikatorer=INDIKATORER + "halsa;Hälsa;x\n", bip=BIP)
    _, v = ingest.check(folder)
    texts = [str(p) for p in v.problems]
    assert ("bip_indikatorer.csv, rad 5, kolumn ordning: Ogiltigt värde; förväntat ett heltal "
            "(värde: 'x')") in texts
    assert any(t.startswith("bip_indikatorer.csv, rad 4, kolumn indikator: Dubblett: "
                            "indikator=halsa") for t in texts), texts


# --- the scale from the configuration -------------------------------------------------------


def seven(tmp_path: Path) -> Path:
    """Traps with p1 A's latest jobbredo (row 5 of bip.csv) 7 instead of 4."""
    text = (TRAPS / "bip.csv").read_text(encoding="utf-8")
    assert "p1;A;2020-08-01;jobbredo;4\n" in text
    return extract(tmp_path, bip=text.replace("p1;A;2020-08-01;jobbredo;4\n",
                                              "p1;A;2020-08-01;jobbredo;7\n"))


def test_the_default_scale_1_to_5_rejects_7(tmp_path, loaded_db):
    problems = rejected(seven(tmp_path), loaded_db)
    assert at(problems, "bip.csv", 5, "varde", "ett heltal mellan 1 och 5")


def test_a_configured_scale_0_to_10_accepts_7(tmp_path, skala):
    skala(0, 10)
    con = db.memory()
    ingest.ingest_into(con, seven(tmp_path))
    j = views.bip_indikator(con, KANSLI, H2).set_index("indikator").loc["jobbredo"]
    # jobbredo's latest values: p1 7 (was 4), p2 4, p6 1, p7 A 5, p7 B 5
    assert j["medel_senaste"] == pytest.approx(22 / 5)
    assert j["medel_forsta"] == pytest.approx(13 / 5)
    t = tables.bip_indikator(con, KANSLI, Filter("2020-Q3", "2020-Q4"))
    assert t.fotnot.startswith("Skala 0–10.")
    assert tuple(radar(t.df, "x").layout.polar.radialaxis.range) == (0, 10)


def test_a_configured_scale_bounds_both_ends(tmp_path, skala, loaded_db):
    skala(2, 4)
    problems = rejected(extract(tmp_path), loaded_db)  # traps has 1s and 5s
    assert at(problems, "bip.csv", 15, "varde", "ett heltal mellan 2 och 4")  # p3's 1
    assert at(problems, "bip.csv", 21, "varde", "ett heltal mellan 2 och 4")  # p7 A's 5


def test_the_default_scale_is_1_to_5_in_the_table_and_the_radar(traps_con):
    t = tables.bip_indikator(traps_con, KANSLI, Filter("2020-Q3", "2020-Q4"))
    assert t.fotnot.startswith("Skala 1–5.")
    assert tuple(radar(t.df, "x").layout.polar.radialaxis.range) == (1, 5)
