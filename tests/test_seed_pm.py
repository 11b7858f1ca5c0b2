"""The Uppsala PM (seed 004) rebuilt as an extract gives the PM's own tables.

The expected figures below are copied from the PM's Tabell 4 and Tabell 2, not computed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import db, ingest, views
from dashboard.urval import Filter, Scope

FIXTURES = Path(__file__).parent / "fixtures"

# kortnamn -> (Q3-Q4 budget, Q3-Q4 utfall, ack budget, ack utfall, förbr.kvot %, överfört)
TABELL_4 = {
    "Enköping, Jobbcentrum": (985, 789, 1969, 1607, 82, 0),
    "Heby, Individstöd i samverkan": (700, 694, 1400, 1324, 95, 0),
    "Håbo, Framsteget": (1420, 1353, 2840, 2674, 94, 0),
    "Knivsta, En väg in – flera vägar ut": (884, 679, 1768, 1524, 86, 192),
    "Uppsala, Ung Intro": (1177, 1017, 2354, 2268, 96, 0),
    "Älvkarleby, Lokussamordnare": (68, 52, 135, 105, 78, 0),
    "Östhammar, Bryggan": (775, 742, 1550, 1550, 100, 0),
    "Studie REKO Ortopedmottagningen": (296, 257, 592, 592, 100, 0),
    "Tierp, Växtverket": (1070, 1341, 2140, 2140, 100, 0),
    "Uppsala, Lokussamordnare": (180, 146, 360, 322, 90, 0),
    "Uppsala, Impl. av rutin för flerpartssamverkan": (425, 319, 1050, 890, 85, 0),
    "Nya vägar för samverkan": (280, 242, 280, 242, 86, 0),
    "Reg.Ex.Pro": (288, 55, 288, 55, 19, 233),
    "Uppsala, Kartläggning av sjukskrivna utan SGI": (200, 200, 200, 200, 100, 0),
    "Uppsala, Samverkan Gottsunda": (167, 250, 333, 333, 100, 0),
}

# Tabell 2: kortnamn -> (i fas, prognos); the PM marks nej/ja yellow and nej/nej red.
TABELL_2 = {
    "Enköping, Jobbcentrum": ("Ja", "Ja"), "Håbo, Framsteget": ("Ja", "Ja"),
    "Knivsta, En väg in – flera vägar ut": ("Ja", "Ja"), "Uppsala, Ung Intro": ("Ja", "Ja"),
    "Östhammar, Bryggan": ("Ja", "Ja"), "Tierp, Växtverket": ("Ja", "Ja"),
    "Studie REKO Ortopedmottagningen": ("Ja", "Ja"),
    "Älvkarleby, Lokussamordnare": ("Nej", "Ja"), "Uppsala, Lokussamordnare": ("Ja", "Ja"),
    "Uppsala, Impl. av rutin för flerpartssamverkan": ("Nej", "Nej"),
    "Nya vägar för samverkan": ("Ja", "Ja"), "Reg.Ex.Pro": ("Ja", "Ja"),
}
PM_COLOUR = {("Ja", "Ja"): "gron", ("Nej", "Ja"): "gul", ("Nej", "Nej"): "rod",
             ("Ja", "Nej"): "rod"}


@pytest.fixture(scope="module")
def pm_con():
    con = db.memory()
    ingest.ingest_into(con, FIXTURES / "pm_uppsala_2020")
    return con


def test_tabell_4_forbrukningskvoter(pm_con):
    df = views.budget(pm_con, Scope.styrelse(), Filter("2020-Q3", "2020-Q4"))
    got = {r["kortnamn"]: r for r in df.to_dict("records")}
    assert set(got) == set(TABELL_4)
    for name, (hb, hu, ab, au, pct, ov) in TABELL_4.items():
        r = got[name]
        assert round(r["budget_tkr"]) == hb and round(r["utfall_tkr"]) == hu, name
        assert round(r["ack_budget_tkr"]) == ab and round(r["ack_utfall_tkr"]) == au, name
        assert round(r["forbrukningskvot"] * 100) == pct, name
        assert round(r["overfort_tkr"]) == ov, name


def test_tabell_4_budget_lights_follow_the_policy(pm_con):
    # defaults: green 90-105 %, yellow 75-90 or 105-115 %, red otherwise
    df = views.budget(pm_con, Scope.styrelse(), Filter("2020-Q3", "2020-Q4"))
    lights = dict(zip(df["kortnamn"], df["lampa"]))
    for name, (*_, pct, _ov) in TABELL_4.items():
        want = "gron" if 90 <= pct <= 105 else "gul" if 75 <= pct < 90 else "rod"
        assert lights[name] == want, (name, pct)
    assert lights["Reg.Ex.Pro"] == "rod" and lights["Älvkarleby, Lokussamordnare"] == "gul"


def test_tabell_2_goal_lights(pm_con):
    df = views.mal(pm_con, Scope.styrelse(), Filter("2020-Q3", "2020-Q4"))
    lights = dict(zip(df["kortnamn"], df["lampa"]))
    for name, answer in TABELL_2.items():
        assert lights[name] == PM_COLOUR[answer], name
    # insatser that ended during Q4 without a Q4 report are listed with no light
    assert pd.isna(lights["Heby, Individstöd i samverkan"])


# Tabell 1 as the PM groups it (copied from the PM; "Framsteget Arbetskonsulent", ended in Q4,
# is not in the fixture's register)
TABELL_1 = {
    "Individinsatser": {"Enköping, Jobbcentrum", "Håbo, Framsteget",
                        "Knivsta, En väg in – flera vägar ut", "Uppsala, Ung Intro",
                        "Östhammar, Bryggan", "Tierp, Växtverket"},
    "Strukturinsatser": {"Studie REKO Ortopedmottagningen", "Älvkarleby, Lokussamordnare",
                         "Uppsala, Lokussamordnare",
                         "Uppsala, Impl. av rutin för flerpartssamverkan",
                         "Nya vägar för samverkan", "Reg.Ex.Pro"},
    "Avslutade under kvartal 3–4 2020": {"Heby, Individstöd i samverkan",
                                         "Uppsala, Samverkan Gottsunda",
                                         "Uppsala, Kartläggning av sjukskrivna utan SGI"},
}


def test_tabell_1_groups_as_the_pm_and_one_set_in_tabell_1_4_and_avslutade(pm_con):
    from dashboard import rapport

    state = Filter("2020-Q3", "2020-Q4")
    reg = rapport.pm_insatser(pm_con, Scope.styrelse(), state)
    t1 = rapport.insatser_tabell(pm_con, Scope.styrelse(), state, reg)
    grupper = rapport.typ_grupper(reg, "Avslutade under kvartal 3–4 2020")
    got: dict = {}
    for i, namn in zip(t1.df["insats_id"], t1.df["namn"]):
        got.setdefault(grupper[i], []).append(namn)
    assert {g: set(n) for g, n in got.items()} == TABELL_1
    assert list(got) == list(TABELL_1)  # in the PM's order of groups; each insats once
    assert sum(len(n) for n in got.values()) == len(set(t1.df["insats_id"])) == 15
    # the same insatser in Tabell 4 (the PM's Tabell 4 lists these 15) and, for those
    # ended, in Avslutade insatser
    t4 = rapport.budget_tabell(pm_con, Scope.styrelse(), state, reg)
    assert set(t4.df["kortnamn"]) == set(TABELL_4)
    ended = set(reg.loc[reg["avslutad"], "kortnamn"])
    assert ended == TABELL_1["Avslutade under kvartal 3–4 2020"]
