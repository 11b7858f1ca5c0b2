"""The PM's marks (⚠ action needed, ℹ for information, ⚠ under a goal) sit on their own rows
in every table, however the PM orders the rows (issue 27: Tabell 5 marked Norra länet for
Håbo's "Nej", the BIP table Håbo's 86 % for Norra länet's 76 %)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pm_html import mark, pm_tables, records, table

from dashboard import db, ingest, rapport, schema
from dashboard.urval import Filter, Scope

ROOT = Path(__file__).resolve().parents[1]
H2 = Filter("2020-Q3", "2020-Q4")


@pytest.fixture
def reordered_con(tmp_path):
    """The trap fixture with Beta renamed "Abeta": the views list it before Alfa (by name),
    the PM after it (by kommun: Heby before Uppsala), so every PM table is re-sorted."""
    shutil.copytree(ROOT / "tests" / "fixtures" / "traps", tmp_path / "t")
    p = tmp_path / "t" / "insatser.csv"
    p.write_text(p.read_text(encoding="utf-8").replace(";Beta;", ";Abeta;"), encoding="utf-8")
    con = db.memory()
    ingest.ingest_into(con, tmp_path / "t")
    return con


def test_each_marked_cell_is_its_own_rows(reordered_con):
    from dashboard import views

    assert list(views.kvalitet(reordered_con, Scope.kansli(), H2)["kortnamn"]) == [
        "Abeta", "Alfa", "Gamma"]  # the views' order, which the PM changes
    tabs = pm_tables(rapport.build_html(reordered_con, Scope.kansli(), H2)[0])
    # Tabell 3 and 5: a cell is marked exactly when its own answer is not the expected one,
    # ⚠ where that asks for action, ℹ where it is for information
    checked = 0
    for nr in (3, 5):
        head, rows = table(tabs, f"Tabell {nr}.")
        for r in records((head, rows)):
            for c in schema.CHECKLISTA:
                if c.pm_tabell != nr:
                    continue
                m, answer = mark(r[c.short.replace("\u00ad", "")])
                deviates = (answer == "Ja") != c.expected
                assert m == (("⚠" if c.atgard else "ℹ") if deviates else None), (r, c.name)
                checked += m is not None
    # by hand (kvartalsrapport.csv, Q4): Abeta (B) ordinarie nej (⚠), vakans förb. ja and
    # avvikelse budget ja (ℹ); Gamma styrgruppsmöten nej and kontroll nej (⚠), avvikelse mål
    # ja (ℹ); Alfa as expected
    assert checked == 6
    t5 = {r["Insats"]: r for r in records(table(tabs, "Tabell 5."))}
    assert t5["Abeta"]["Ordinarie"] == "⚠ Nej" and t5["Alfa"]["Ordinarie"] == "Ja"
    assert [r["Insats"] for r in records(table(tabs, "Tabell 5."))] == ["Alfa", "Abeta", "Gamma"]
    # Tabell 6: handlingsplan under the 80 % goal in a förrehabiliterande insats (A only:
    # B is not) is marked: A 3 of 4 = 75 %, B 2 of 2 = 100 %
    forrehab = {"Alfa": True, "Abeta": False, "Samtliga": False}
    for r in records(table(tabs, "Tabell 6.")):
        m, value = mark(r["Andel med handlingsplan"])
        low = int(value.split("\u00a0%")[0]) < 80
        assert m == ("⚠" if low and forrehab[r["Insats"]] else None), r
    assert mark(records(table(tabs, "Tabell 6."))[0]["Andel med handlingsplan"])[0] == "⚠"
    # Progression: a share is marked when under its own row's goal
    bip = records(next(v for k, v in tabs.items() if "Mål mätta" in v[0]))
    for r in bip:
        for share, goal in (("Mätta", "Mål mätta"), ("Stegförflyttning", "Mål stegförflyttning")):
            m, value = mark(r[share])
            under = r[goal] != "–" and int(value.split("\u00a0%")[0]) < int(r[goal].split("\u00a0%")[0])
            assert m == ("⚠" if under else None), (r["Insats"], share)
    # by hand (bip.csv): A 5 of 6 measured (83 % < 100), 3 of 4 stegförflyttning (75 % < 80)
    alfa = next(r for r in bip if r["Insats"] == "Alfa")
    assert mark(alfa["Mätta"])[0] == mark(alfa["Stegförflyttning"])[0] == "⚠"


def test_marks_travel_with_their_rows():
    import pandas as pd

    from dashboard import tables

    df = pd.DataFrame({"insats_id": ["a", "b", "c", None],
                       "kortnamn": ["Östhammar", "Håbo", "Enköping", "Samtliga"],
                       "typ": ["individ"] * 3 + [None], "kommuner": ["Östhammar", "Håbo",
                                                                   "Enköping", None],
                       "varde": [0.5, 0.9, 0.7, 0.6]})
    t = tables.Tabell("x", "x", df, [tables.Kolumn("kortnamn", "Insats"),
                                     tables.Kolumn("varde", "Värde", "procent")],
                      avvikande={(0, "varde"), (2, "varde")}, kannedom={(1, "kortnamn")})
    reg = df.dropna()
    rapport.ordna(t, reg)
    assert list(t.df["kortnamn"]) == ["Enköping", "Håbo", "Östhammar", "Samtliga"]
    # the marked cells are still Östhammar's and Enköping's 50 % and 70 %, Håbo's name
    assert sorted((t.df.at[i, "kortnamn"], k) for i, k in t.avvikande) == [
        ("Enköping", "varde"), ("Östhammar", "varde")]
    assert {(t.df.at[i, "kortnamn"], k) for i, k in t.kannedom} == {("Håbo", "kortnamn")}
    # any other sort or selection of the frame keeps them too
    t.df = t.df.sort_values("varde").reset_index(drop=True)
    assert sorted(t.df.at[i, "varde"] for i, _ in t.avvikande) == [0.5, 0.7]
    t.df = t.df[t.df["varde"] > 0.6]
    assert [t.df.at[i, "kortnamn"] for i, _ in t.avvikande] == ["Enköping"]
    assert "_avvikande" not in tables.export_frame(t).columns  # never shown or exported
