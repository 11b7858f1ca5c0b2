"""Synthetic demo data in the contract's format: a series of 16 quarterly extracts.

Insats names, kommuner and budget sizes are borrowed from the Uppsala PM (seed 004); every
participant is invented (random pseudonyms, random dates). ``scale`` multiplies the number
of participants, for the benchmark (scale 300 is about a million episodes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from . import beslut, codes, config, db, periods, sql
from .ingest import ingest_into
from .schema import CHECKLISTA

FORBUND = codes.DEMO_FORBUND
FIRST_Q = periods.parse("2019-Q1")
LAST_Q = periods.parse("2022-Q4")
DATA_START = date(2018, 1, 1)
RATE_FACTOR = 1.9  # calibrates the demo to about 3,300 episodes


@dataclass(frozen=True)
class DemoInsats:
    insats_id: str
    namn: str
    kortnamn: str
    typ: str
    kommuner: str
    agare: str
    start: str
    slut: str
    tkr_per_kvartal: float
    rate: float = 0.0  # participants per month (individinsatser)
    forrehab: bool = True
    burn: float = 0.95  # typical utfall / budget


SAMVERKAN = "Försäkringskassan|Arbetsförmedlingen|Region Uppsala"
INSATSER = [
    DemoInsats("2017:45", "Enköping, Jobbcentrum – Ung, Jobbcentrum – Rehab", "Enköping, Jobbcentrum",
               "individ", "Enköping", "Enköpings kommun", "2018-02-01", "2021-12-31", 490, 9.0, burn=0.82),
    DemoInsats("2017:50", "Håbo, Framsteget", "Håbo, Framsteget", "individ", "Håbo", "Håbo kommun",
               "2018-01-01", "2022-12-31", 710, 8.0, burn=0.94),
    DemoInsats("2017:48", "Knivsta, En väg in – flera vägar ut", "Knivsta, En väg in",
               "individ", "Knivsta", "Knivsta kommun", "2018-01-01", "2021-12-31", 442, 3.0,
               burn=0.86),
    DemoInsats("2017:53", "Uppsala, Ung Intro", "Uppsala, Ung Intro", "individ", "Uppsala",
               "Uppsala kommun", "2018-05-21", "2021-08-31", 588, 4.0, burn=0.96),
    DemoInsats("2018:02", "Östhammar, Bryggan", "Östhammar, Bryggan", "individ", "Östhammar",
               "Östhammars kommun", "2018-03-01", "2023-08-31", 387, 2.5, burn=1.0),
    DemoInsats("2019:11", "Tierp, Växtverket", "Tierp, Växtverket", "individ", "Tierp",
               "Tierps kommun", "2019-09-01", "2022-12-31", 535, 2.0, burn=1.18),
    DemoInsats("2017:40", "Heby, Individstöd i samverkan", "Heby, Individstöd", "individ", "Heby",
               "Heby kommun", "2018-01-01", "2020-12-31", 350, 3.0, forrehab=False, burn=0.95),
    DemoInsats("2021:05", "Heby och Tierp, Arbetslivsstöd i norra länet", "Norra länet, Arbetslivsstöd",
               "individ", "Heby|Tierp", "Tierps kommun", "2021-01-01", "2023-12-31", 600, 6.0,
               forrehab=False, burn=0.7),
    DemoInsats("2020:20", "Älvkarleby, Steget vidare", "Älvkarleby, Steget vidare", "individ",
               "Älvkarleby", "Älvkarleby kommun", "2020-07-01", "2022-06-30", 260, 2.0, burn=0.9),
    DemoInsats("2019:07", "Studie REKO Ortopedmottagningen", "Studie REKO", "struktur", "Uppsala",
               "Region Uppsala", "2019-07-01", "2021-06-30", 148, burn=1.0),
    DemoInsats("2018:09", "Älvkarleby, Lokussamordnare", "Älvkarleby, Lokussamordnare", "struktur",
               "Älvkarleby", "Älvkarleby kommun", "2018-04-01", "2021-03-31", 34, burn=0.78),
    DemoInsats("2019:20", "Uppsala, Lokussamordnare", "Uppsala, Lokussamordnare", "struktur",
               "Uppsala", "Uppsala kommun", "2020-01-01", "2022-12-31", 90, burn=0.9),
    DemoInsats("2019:21", "Uppsala, Implementering av rutin för flerpartssamverkan",
               "Uppsala, Impl. flerpartsrutin", "struktur", "Uppsala", "Uppsala kommun",
               "2020-01-01", "2021-12-31", 212, burn=0.75),
    DemoInsats("2020:12", "Nya vägar för samverkan", "Nya vägar för samverkan", "struktur",
               codes.LANSOVERGRIPANDE, "Arbetsförmedlingen", "2020-10-01", "2021-12-31", 140,
               burn=0.86),
    DemoInsats("2020:14", "Reg.Ex.Pro", "Reg.Ex.Pro", "struktur", codes.LANSOVERGRIPANDE,
               "Region Uppsala", "2020-10-01", "2023-09-30", 144, burn=0.4),
    DemoInsats("2018:15", "Uppsala, Samverkan Gottsunda", "Uppsala, Samverkan Gottsunda", "struktur",
               "Uppsala", "Uppsala kommun", "2018-06-15", "2020-12-31", 83, burn=1.3),
    DemoInsats("2020:25", "Stoppa våldet – bas- och metodutbildning", "Stoppa våldet", "kompetens",
               codes.LANSOVERGRIPANDE, "Samordningsförbundet", "2020-07-01", "2021-06-30", 50,
               burn=1.0),
    DemoInsats("2021:12", "Genuskompassen i styrgrupperna", "Genuskompassen", "kompetens",
               "Enköping|Håbo|Knivsta", "Enköpings kommun", "2021-01-01", "2022-06-30", 30,
               burn=0.6),
    DemoInsats("2022:01", "Digital samverkan – kompetensinsats för handläggare", "Digital samverkan",
               "kompetens", "Östhammar|Älvkarleby", "Östhammars kommun", "2022-01-01",
               "2023-06-30", 40, burn=1.1),
]
# Studie REKO was extended by three months from 2021-Q1 (slutdatum moves between extracts).
EXTENDED = {"2019:07": ("2021-09-30", periods.parse("2021-Q1"))}

GOALS = [  # (maltyp, beskrivning, malvarde, enhet, berakning: how the extract answers it)
    ("overgripande", "Skapa en gemensam plattform för arbetet med målgruppen", None, None, ""),
    ("effektmal", "80 % av deltagarna ska vid avslut ha en plan mot arbete eller studier", 80,
     "procent", "andel_handlingsplan"),
    ("insatsmal", "Minst 40 deltagare per år tar del av insatsen", 40, "antal", "deltagare"),
    ("resultatmal", "Rutin för samverkan är antagen av alla parter", None, None, ""),
]


def _days(d: str | date) -> int:
    d = date.fromisoformat(d) if isinstance(d, str) else d
    return (d - date(1970, 1, 1)).days


def _date_str(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D")


def participants(rng: np.random.Generator, scale: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every episode up to the end of the last quarter, and their avslut rows."""
    last_day = _days(periods.last_day(LAST_Q))
    frames = []
    for ins in INSATSER:
        if ins.typ != "individ":
            continue
        a = max(_days(ins.start), _days(DATA_START))
        b = min(_days(ins.slut), last_day)
        months = (b - a) / 30.44
        n = rng.poisson(ins.rate * RATE_FACTOR * months * scale)
        start = rng.integers(a, b + 1, n)
        dur = np.maximum(7, rng.lognormal(np.log(250), 0.7, n)).astype(int)
        end = start + dur
        # episodes still running when an insats ends (within the data) close on its last day
        if _days(ins.slut) < last_day:
            end = np.where(end > _days(ins.slut), _days(ins.slut), end)
        end_f = end.astype(float)
        end_f[end > last_day] = np.nan
        frames.append(pd.DataFrame({"insats_id": ins.insats_id, "start": start, "slut": end_f}))
    ep = pd.concat(frames, ignore_index=True)
    n = len(ep)
    ids = np.array([f"D{x:07d}" for x in rng.permutation(n * 2)[:n]])
    # about 3 % of episodes belong to a person already in another insats
    reuse = rng.random(n) < 0.03
    donors = rng.integers(0, n, n)
    ids = np.where(reuse & (ep["insats_id"].to_numpy() != ep["insats_id"].to_numpy()[donors]),
                   ids[donors], ids)
    ep["deltagare_id"] = ids
    ep = ep.drop_duplicates(["deltagare_id", "insats_id"]).reset_index(drop=True)
    n = len(ep)
    start_year = pd.to_datetime(ep["start"], unit="D").dt.year.to_numpy()
    ep["kon"] = rng.choice(["kvinna", "man", "annan"], n, p=[0.45, 0.54, 0.01])
    ages = np.clip(rng.gamma(4.0, 7.5, n) + 14, 14, 70).astype(int)
    # a person keeps one birth year across insatser
    ep["fodelsear"] = start_year - ages
    ep["fodelsear"] = ep.groupby("deltagare_id")["fodelsear"].transform("first")
    ep["kon"] = ep.groupby("deltagare_id")["kon"].transform("first")
    ep["remittent"] = rng.choice(codes.codes("remittent"), n, p=[.3, .25, .3, .08, .05, .02])
    ep["forsorjning_start"] = rng.choice(START_KODER, n, p=[.15, .2, .3, .1, .1, .05, .07, .03])
    ep["forsorjningstid"] = rng.choice(codes.codes("forsorjningstid"), n,
                                       p=[.22, .15, .13, .08, .04, .03, .03, .01, .01, .03, .27])
    ep["utbildning"] = rng.choice(codes.codes("utbildning"), n, p=[.45, .35, .04, .02, .04, .03, .07])
    ep["handlingsplan"] = np.where(rng.random(n) < 0.9, "ja", "nej")
    ep["startdatum"] = _date_str(ep["start"].to_numpy())
    ended = ep["slut"].notna().to_numpy()
    slut = np.where(ended, ep["slut"].fillna(0).to_numpy(), 0).astype(int)
    ep["slutdatum"] = np.where(ended, _date_str(slut), "")
    ep["slut_days"] = np.where(ended, slut, np.iinfo(np.int64).max)
    ep["start_days"] = ep["start"].astype(int)

    # avslut: one main reason per ended episode, sometimes a second registration
    e = ep[ended].reset_index(drop=True)
    m = len(e)
    main_codes = ["subventionerat_arbete", "ej_subventionerat_arbete", "eget_foretag", "arbetar",
                  "studier", "aktivt_arbetssokande", "ater_remittent", "annan_insats", "ohalsa",
                  "flyttat", "avbrott", "annat"]
    p = [.1, .07, .01, .12, .12, .2, .12, .08, .08, .03, .05, .02]
    orsak = rng.choice(main_codes, m, p=p)
    omf_choices = np.array([10, 25, 50, 70, 75, 80, 90, 100])
    omf = rng.choice(omf_choices, m, p=[.01, .04, .07, .03, .07, .02, .01, .75])
    av = pd.DataFrame({"deltagare_id": e["deltagare_id"], "insats_id": e["insats_id"],
                       "avslutsorsak": orsak,
                       "omfattning": np.where(orsak == "arbetar", omf.astype(str), "")})
    second = (orsak == "subventionerat_arbete") & (rng.random(m) < 0.4)
    av2 = pd.DataFrame({"deltagare_id": e["deltagare_id"][second], "insats_id": e["insats_id"][second],
                        "avslutsorsak": "arbetar", "omfattning": omf[second].astype(str)})
    third = (orsak == "studier") & (rng.random(m) < 0.1)
    av3 = pd.DataFrame({"deltagare_id": e["deltagare_id"][third], "insats_id": e["insats_id"][third],
                        "avslutsorsak": "aktivt_arbetssokande", "omfattning": ""})
    avslut = pd.concat([av, av2, av3], ignore_index=True)
    avslut = avslut.merge(ep[["deltagare_id", "insats_id", "slut_days"]], on=["deltagare_id", "insats_id"])
    return forsorjning(ep, av), avslut


# The sources of support at start the demo draws from the main stream (the code list before
# lon and studiemedel joined it; ``forsorjning`` gives a few participants those).
START_KODER = ["aktivitetsersattning", "sjukpenning", "ekonomiskt_bistand",
               "arbetsloshetsersattning", "aktivitetsstod", "etableringsersattning", "ingen",
               "annan"]


@dataclass(frozen=True)
class Overgang:
    """How an insats's participants' support changes by avslut: the chance that one who left
    for work has lön at avslut, one who left for studies studiemedel, and one who left for
    anything else lön, studiemedel or ekonomiskt bistånd (the rest keep their source)."""

    arbete_lon: float
    studier_studiemedel: float
    annat_lon: float = 0.03
    annat_studiemedel: float = 0.01
    annat_ekonomiskt_bistand: float = 0.05


# Different per insats, so that the pages have something to compare: Heby's and Enköping's
# work-first insatser turn work into lön most often; Ung Intro's young participants go to
# studies, and some of them from aktivitetsersättning to ekonomiskt bistånd (seed 001).
OVERGANGAR = {
    "2017:45": Overgang(0.85, 0.6, annat_lon=0.05, annat_ekonomiskt_bistand=0.04),
    "2017:50": Overgang(0.75, 0.7),
    "2017:48": Overgang(0.65, 0.6, annat_ekonomiskt_bistand=0.08),
    "2017:53": Overgang(0.6, 0.85, annat_studiemedel=0.05, annat_ekonomiskt_bistand=0.12),
    "2018:02": Overgang(0.6, 0.6, annat_lon=0.02, annat_ekonomiskt_bistand=0.06),
    "2019:11": Overgang(0.5, 0.5, annat_lon=0.02, annat_ekonomiskt_bistand=0.1),
    "2017:40": Overgang(0.9, 0.6, annat_lon=0.05, annat_ekonomiskt_bistand=0.03),
    "2021:05": Overgang(0.8, 0.5, annat_ekonomiskt_bistand=0.04),
    "2020:20": Overgang(0.55, 0.55, annat_lon=0.02, annat_ekonomiskt_bistand=0.08),
}
STANDARD_OVERGANG = Overgang(0.7, 0.6)
# A registration-quality item the kansli should see: Knivsta's coordinator left forsorjning_slut
# empty for about one in eight of those who ended in 2021 (its last year).
SAKNAS_SLUT = {("2017:48", 2021): 0.12}


def forsorjning(ep: pd.DataFrame, avslut: pd.DataFrame, seed: int = 2030) -> pd.DataFrame:
    """``ep`` with the source of support at avslut (``forsorjning_slut``, '' while pågående)
    and a few participants who had lön or studiemedel already at start. Its own random
    stream, so that the rest of the demo is as before. ``avslut``: each ended episode's main
    avslut row (one per episode)."""
    rng = np.random.default_rng(seed)
    ep = ep.copy()
    n = len(ep)
    # a few had some own income at start: part-time lön, or studiemedel
    draw = rng.random(n)
    ep.loc[draw < 0.02, "forsorjning_start"] = "lon"
    ep.loc[(draw >= 0.02) & (draw < 0.035), "forsorjning_start"] = "studiemedel"
    grupp = dict(zip((c for c, _, _ in codes.AVSLUTSORSAK), (g for _, _, g in codes.AVSLUTSORSAK)))
    main = avslut.drop_duplicates(["deltagare_id", "insats_id"]).set_index(
        ["deltagare_id", "insats_id"])["avslutsorsak"].map(grupp)
    orsak = main.reindex(pd.MultiIndex.from_frame(ep[["deltagare_id", "insats_id"]])).to_numpy()
    slut = ep["forsorjning_start"].to_numpy().copy()
    u = rng.random(n)
    # each episode's insats's chances, as arrays (vectorised: the benchmark's scales)
    o = [OVERGANGAR.get(i, STANDARD_OVERGANG) for i in ep["insats_id"]]
    lon, stud, ekb = (np.array([getattr(x, a) for x in o]) for a in (
        "annat_lon", "annat_studiemedel", "annat_ekonomiskt_bistand"))
    arbete, studier = orsak == "arbete", orsak == "studier"
    annat = ~arbete & ~studier & pd.notna(orsak)
    slut[arbete & (u < np.array([x.arbete_lon for x in o]))] = "lon"
    slut[studier & (u < np.array([x.studier_studiemedel for x in o]))] = "studiemedel"
    slut[annat & (u < lon)] = "lon"
    slut[annat & (u >= lon) & (u < lon + stud)] = "studiemedel"
    slut[annat & (u >= lon + stud) & (u < lon + stud + ekb)] = "ekonomiskt_bistand"
    ended = ep["slutdatum"].to_numpy() != ""
    year = pd.to_numeric(ep["slutdatum"].str[:4], errors="coerce").to_numpy()
    missing = rng.random(n) < np.array([SAKNAS_SLUT.get((i, y), 0.0)
                                        for i, y in zip(ep["insats_id"], year)])
    ep["forsorjning_slut"] = np.where(ended & ~missing, slut, "")
    return ep


def quarterly(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Kvartalsrapport, mål, budget and anonyma rows for every insats and quarter."""
    kv, mal, bud, anon = [], [], [], []
    for ins in INSATSER:
        qa = max(periods.of_date(date.fromisoformat(ins.start)), FIRST_Q - 4)
        qb = min(periods.of_date(date.fromisoformat(ins.slut)), LAST_Q)
        base = rng.normal(0.8, 0.5)  # some insatser do better than others
        health = base
        n_goals = int(rng.integers(2, 5))
        for q in range(qa, qb + 1):
            health = 0.6 * health + 0.4 * (base + rng.normal(0.0, 1.2))
            i_fas = health > 0.4
            prognos = health > -0.1
            row = {c.name: rng.random() < 0.9 for c in CHECKLISTA}
            row.update(i_fas=i_fas, prognos=prognos, avvikelse_mal=rng.random() < 0.05,
                       avvikelse_budget=rng.random() < 0.12, vakans_forbundsmedel=rng.random() < 0.1,
                       vakans_egenfinansierad=rng.random() < 0.05)
            comment = ""
            if not prognos:
                comment = "Styrgruppen bedömer att målet inte nås före avslut; avvikelse lämnas."
            elif not i_fas:
                comment = "Inflödet av deltagare har varit lägre än planerat; följs upp."
            kv.append({"insats_id": ins.insats_id, "period": periods.label(q),
                       **{k: "ja" if v else "nej" for k, v in row.items()}, "kommentar": comment})
            for g in range(n_goals):
                maltyp, text, target, unit, berakning = GOALS[g]
                progress = min(1.0, (q - qa + 1) / max(1, qb - qa + 1))
                utfall = round(target * progress * (0.8 + 0.4 * rng.random())) if target else ""
                bed = ("pagar" if progress < 1 else
                       "uppnatt" if health > 0.3 else "delvis" if health > -0.3 else "ej_uppnatt")
                mal.append({"insats_id": ins.insats_id, "period": periods.label(q), "mal_nr": g + 1,
                            "maltyp": maltyp, "beskrivning": text, "malvarde": target or "",
                            "enhet": unit or "", "utfall": utfall, "bedomning": bed,
                            "kommentar": "",
                            # participant goals are answered from the extract where it has
                            # participants (individinsatser)
                            "berakning": berakning if ins.typ == "individ" else ""})
            if ins.insats_id in BIP_INSATSER:  # a goal the dashboard measures from bip.csv
                mal.append({"insats_id": ins.insats_id, "period": periods.label(q),
                            "mal_nr": n_goals + 1, "maltyp": "effektmal",
                            "beskrivning": "80 % av deltagarna med uppföljning tar steg framåt "
                                           "i BIP", "malvarde": 80, "enhet": "procent",
                            "utfall": "", "bedomning": "pagar", "kommentar": "",
                            "berakning": "bip_stegforflyttning"})
            if ins.insats_id in FORS_MAL:  # a goal the dashboard measures from forsorjning_slut
                mal.append({"insats_id": ins.insats_id, "period": periods.label(q),
                            "mal_nr": n_goals + 1 + (ins.insats_id in BIP_INSATSER),
                            "maltyp": "effektmal",
                            "beskrivning": f"{FORS_MAL[ins.insats_id]} % av de avslutade med "
                                           "offentlig försörjning har lön eller studiemedel vid "
                                           "avslut", "malvarde": FORS_MAL[ins.insats_id],
                            "enhet": "procent", "utfall": "", "bedomning": "pagar",
                            "kommentar": "", "berakning": "andel_egen_forsorjning"})
            budget = ins.tkr_per_kvartal
            utfall = round(budget * ins.burn * rng.normal(1.0, 0.12), 1)
            overfort = aterfort = 0.0
            if q % 4 == 3 and ins.burn < 0.9:  # Q4: unused money moved or returned
                rest = round(max(0.0, budget * 4 * (1 - ins.burn)), 0)
                if rng.random() < 0.5:
                    overfort = rest
                else:
                    aterfort = rest
            bud.append({"insats_id": ins.insats_id, "period": periods.label(q),
                        "budget_tkr": f"{budget:.0f}", "utfall_tkr": f"{utfall:.1f}".replace(".", ","),
                        "overfort_tkr": f"{overfort:.0f}" if overfort else "",
                        "aterfort_tkr": f"{aterfort:.0f}" if aterfort else ""})
            if ins.typ == "individ":
                anon.append({"insats_id": ins.insats_id, "period": periods.label(q),
                             "anonyma": int(rng.poisson(2)),
                             "volym": int(rng.poisson(30)) if ins.insats_id == "2017:50" else ""})
    return {"kvartalsrapport": pd.DataFrame(kv), "mal": pd.DataFrame(mal),
            "budget": pd.DataFrame(bud), "anonyma": pd.DataFrame(anon)}


def _insatser_at(q: int) -> pd.DataFrame:
    rows = []
    for ins in INSATSER:
        if periods.of_date(date.fromisoformat(ins.start)) > q + 1:
            continue  # not yet granted
        slut = ins.slut
        if ins.insats_id in EXTENDED and q >= EXTENDED[ins.insats_id][1]:
            slut = EXTENDED[ins.insats_id][0]
        rows.append({"insats_id": ins.insats_id, "namn": ins.namn, "kortnamn": ins.kortnamn,
                     "typ": ins.typ, "forrehab": "ja" if ins.forrehab else "nej",
                     "kommuner": ins.kommuner, "insatsagare": ins.agare,
                     "samverkansparter": SAMVERKAN, "startdatum": ins.start, "slutdatum": slut,
                     "beviljat_tkr": f"{ins.tkr_per_kvartal * 4 * 3:.0f}"})
    return pd.DataFrame(rows)


def _write(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", sep=";", index=False, encoding="utf-8")


def extract_tables(q: int, ep: pd.DataFrame, avslut: pd.DataFrame, quarters: dict,
                   rng: np.random.Generator, with_bip: bool = True) -> dict[str, pd.DataFrame]:
    """The files of the extract for quarter ``q``: cumulative SUS, that quarter's reports;
    with the registration errors of the quarter (``fel``) that the next extract corrects."""
    end = _days(periods.last_day(q))
    ins = _insatser_at(q)
    d = ep[ep["start_days"] <= end].copy()
    late, kon, hp = fel(q, d, end)
    ended_now = (d["slut_days"] <= end) & ~d.index.isin(late)
    d.loc[~ended_now, "slutdatum"] = ""
    d.loc[~ended_now, "forsorjning_slut"] = ""  # registered at avslut
    d.loc[kon, "kon"] = d.loc[kon, "kon"].map({"kvinna": "man", "man": "kvinna"})
    d.loc[hp, "handlingsplan"] = "nej"
    gone = pd.MultiIndex.from_frame(d.loc[late, ["deltagare_id", "insats_id"]])
    a = avslut[(avslut["slut_days"] <= end) & ~pd.MultiIndex.from_frame(
        avslut[["deltagare_id", "insats_id"]]).isin(gone)]
    tables = {
        "uttag": pd.DataFrame([{"forbund": FORBUND, "period": periods.label(q),
                                "uttagsdatum": periods.first_day(q + 1).replace(day=15).isoformat(),
                                "kalla": "SUS + kvartalsrapporter (påhittade data)"}]),
        "insatser": ins,
        "deltagare": d[["deltagare_id", "insats_id", "kon", "fodelsear", "startdatum", "slutdatum",
                        "remittent", "forsorjning_start", "forsorjning_slut", "forsorjningstid",
                        "utbildning", "handlingsplan"]],
        "avslut": a[["deltagare_id", "insats_id", "avslutsorsak", "omfattning"]],
    }
    ids = set(ins["insats_id"])
    for name, df in quarters.items():
        sel = df[(df["period"].map(periods.parse) == q) & df["insats_id"].isin(ids)]
        if name == "budget" and q % 4 == 1 and q > FIRST_Q:
            # a correction of last quarter's budget rows travels with this extract
            prev = df[(df["period"].map(periods.parse) == q - 1) & df["insats_id"].isin(ids)]
            prev = prev.head(2).copy()
            prev["utfall_tkr"] = prev["utfall_tkr"].map(
                lambda v: str(round(float(v.replace(",", ".")) + 5, 1)))
            sel = pd.concat([sel, prev])
        tables[name] = sel
    if with_bip and len(d):
        key = (id(ep), len(ep), config.get().bip_skala)
        if key not in _BIP_CACHE:  # the same episodes for every quarter of a series
            _BIP_CACHE.clear()
            _BIP_CACHE[key] = bip_series(ep)
        b = _BIP_CACHE[key]
        tables["bip"] = b[b["dag"] <= end].drop(columns="dag")
    return tables


# Registration errors an extract has and the next one corrects, as SUS extracts do (a few a
# quarter): an avslut registered late (ended in the quarter's last weeks, still open in its
# extract; the next one has it, with its earlier slutdatum), a kön registered wrong and a
# handlingsplan not yet registered (both for someone who started in the quarter).
FEL_SENT_AVSLUT, FEL_KON, FEL_HANDLINGSPLAN = 3, 1, 2


def fel(q: int, d: pd.DataFrame, end: int) -> tuple:
    """The rows of ``d`` (the extract of quarter ``q``, ending on day ``end``) with an avslut
    registered late, a wrong kön and a missing handlingsplan: an own random stream per
    quarter, so the rest of the demo is as before."""
    rng = np.random.default_rng([7, q])
    ended_late = d.index[(d["slut_days"] <= end) & (d["slut_days"] > end - 28)]
    started = d[(d["start_days"] > end - 91) & (d["kon"] != "annan")]
    with_plan = started.index[started["handlingsplan"] == "ja"]

    def some(idx, n):
        return idx[np.sort(rng.permutation(len(idx))[:n])] if len(idx) else idx[:0]

    return (some(ended_late, FEL_SENT_AVSLUT), some(started.index, FEL_KON),
            some(with_plan, FEL_HANDLINGSPLAN))


# The insatser that measure progression with BIP in the demo, and how likely a follow-up
# measurement moves an indicator up: Framsteget reaches the 80 % goal for stegförflyttning,
# Arbetslivsstöd does not.
BIP_INSATSER = {"2017:50": 0.88, "2021:05": 0.62}  # share of participants who move forward
BIP_INTERVALL = 91  # days between measurements
# The insatser with a goal for leaving public support (berakning andel_egen_forsorjning), in %:
# Bryggan reaches it in 2022, Arbetslivsstöd does not.
FORS_MAL = {"2018:02": 30, "2021:05": 35}
_BIP_CACHE: dict = {}


def bip_series(ep: pd.DataFrame, seed: int = 2024, per_insats: int = 2000) -> pd.DataFrame:
    """Every BIP measurement of the demo (each extract holds those dated up to its quarter):
    at the start, then every ``BIP_INTERVALL`` days while the episode runs; a few indicators
    missing at some dates. Its own random stream, so that the rest of the demo is unchanged.
    At most ``per_insats`` episodes per insats are measured (the benchmark's large scales
    stay quick to write; the demo itself has fewer)."""
    rng = np.random.default_rng(seed)
    last = _days(periods.last_day(LAST_Q))
    lo, hi = config.get().bip_skala
    rows = []
    chosen = ep[ep["insats_id"].isin(list(BIP_INSATSER))].groupby("insats_id").head(per_insats)
    for r in chosen.itertuples():
        if rng.random() < 0.06:  # not measured at all
            continue
        # one who moves forward drifts up, another stays or slips
        up, down = (0.3, 0.04) if rng.random() < BIP_INSATSER[r.insats_id] else (0.06, 0.12)
        level = {c: int(rng.integers(lo, lo + 3)) for c, _ in codes.BIP_INDIKATOR}
        stop = min(r.slut_days, last)
        for dag in range(r.start_days, stop + 1, BIP_INTERVALL):
            if dag > r.start_days:
                for c in level:
                    move = rng.random()
                    level[c] = int(np.clip(level[c] + (move < up) - (move > 1 - down), lo, hi))
            when = pd.Timestamp("1970-01-01") + pd.Timedelta(days=int(dag))
            for c, v in level.items():
                if dag > r.start_days and rng.random() < 0.05:
                    continue  # an indicator not measured this time
                rows.append((r.deltagare_id, r.insats_id, when.date().isoformat(), c, v, dag))
    return pd.DataFrame(rows, columns=["deltagare_id", "insats_id", "matdatum", "indikator",
                                       "varde", "dag"])


def write_series(out: Path, seed: int = 2020, scale: float = 1.0,
                 deltagare_bara_sista: bool = False) -> int:
    """Write one folder per quarter (``out/2019-Q1`` ...); return how many.
    ``deltagare_bara_sista``: only the last extract carries participants (the benchmark's
    large scales: what is read of participants is the latest load's alone)."""
    rng = np.random.default_rng(seed)
    ep, avslut = participants(rng, scale)
    quarters = quarterly(rng)
    n = 0
    for q in range(FIRST_Q, LAST_Q + 1):
        tables = extract_tables(q, ep, avslut, quarters, rng)
        if deltagare_bara_sista and q < LAST_Q:
            for name in ("deltagare", "avslut", "bip"):
                if name in tables:
                    tables[name] = tables[name].iloc[:0]
        _write(Path(out) / periods.label(q), tables)
        n += 1
    return n


def write_last(out: Path, seed: int = 2020, scale: float = 1.0) -> Path:
    """Only the last quarter's extract (the benchmark's), at ``scale`` times the participants."""
    rng = np.random.default_rng(seed)
    ep, avslut = participants(rng, scale)
    quarters = quarterly(rng)
    folder = Path(out) / periods.label(LAST_Q)
    _write(folder, extract_tables(LAST_Q, ep, avslut, quarters, rng))
    return folder


# The kansli's own words for the demo's last quarter (synthetic, like everything in the demo),
# so that the PM, the presentation and the insats page show where they stand.
DEMO_TEXTER = [
    ("mal", "", "De flesta insatser ligger i fas med sina mål. Tierp, Växtverket bedömer att "
                "målet inte nås före avslut och har lämnat en avvikelse.\n\nKansliet följer upp "
                "med styrgruppen i januari."),
    ("analys", "", "Året har präglats av ett lägre inflöde till individinsatserna, men de som "
                   "deltagit har i hög grad gått vidare till arbete, studier eller en fortsatt "
                   "plan.\n\nKansliet föreslår att styrelsen följer inflödet kvartal för kvartal "
                   "under nästa år."),
    ("insats", "2021:05", "Inflödet har varit lägre än planerat. Kansliet har träffat "
                          "styrgruppen och de överförda medlen används under våren."),
]


# The slutrapport of two ended insatser, written in the template's words (synthetic, like
# everything in the demo; Knivsta's after seed 000): a whole one and one begun.
DEMO_SLUTRAPPORT = [
    ("2017:48", "slut_syfte",
     "Syftet med insatsens första del var att skapa en struktur för samverkan mellan "
     "kommunen, Arbetsförmedlingen, Försäkringskassan och regionen i integrations- och "
     "arbetsmarknadsfrågor, så att fler kommer ut i arbete eller studier.\n\nSyftet med den "
     "andra delen var att operativt stödja individer i behov av samordnad arbetslivsinriktad "
     "rehabilitering, oavsett ersättningsform."),
    ("2017:48", "slut_jamstalldhet",
     "Insatsen har arbetat med Genuskompassen i styrgruppen och i teamet, och har frågat alla "
     "deltagare om våldsutsatthet enligt den nationella satsningen Stoppa våldet."),
    ("2017:48", "slut_behov",
     "Samverkan över myndighetsgränserna har blivit en del av det ordinarie arbetet. Fler "
     "kommuninvånare än de som redan var aktuella hos kommunen har kunnat få stöd."),
    ("2017:48", "slut_malgrupp",
     "Personer 18–64 år i behov av samordnad arbetslivsinriktad rehabilitering, oavsett "
     "ersättningsform."),
    ("2017:48", "slut_malgrupp_andrad", "Nej."),
    ("2017:48", "slut_metod",
     "Kartläggning och planering tillsammans med deltagaren, stöd i arbetssökande, praktik och "
     "studier, och uppföljning var tredje månad. Befintliga verktyg som SIP och gemensam "
     "kartläggning används."),
    ("2017:48", "slut_metod_andrad", "Nej."),
    ("2017:48", "slut_metod_utford", "Ja."),
    ("2017:48", "slut_uppfoljning",
     "Registrering i SUS och kvartalsrapporter till förbundet genom LOKUS-gruppen; från "
     "hösten 2021 även progression med SMAIL."),
    ("2017:48", "slut_tillvaratas",
     "Den operativa avstämningen med alla fyra parter fortsätter i ordinarie verksamhet."),
    ("2017:48", "slut_aterfort",
     "Ja. Vakanser under insatsens första månader gav ett överskott på lönekostnaderna."),
    ("2017:48", "slut_aterfort_konsekvens", "Inga konsekvenser för innehållet eller utfallet."),
    ("2017:48", "slut_lardomar",
     "Kommunen: överenskommelser om vem som kan lämna uppdrag till en insats kan ändras snabbt "
     "när en myndighets uppdrag ändras.\n\nRegionen: en gemensam operativ avstämning gör "
     "samverkan enkel och har gett ett inflöde av uppdrag."),
    ("2020:20", "slut_syfte",
     "Att ge unga vuxna i Älvkarleby ett samordnat stöd mot arbete eller studier."),
]


def load_series(folder: Path, db_path: Path) -> None:
    """Load every quarter folder in order, in one write (all or nothing), with the demo's
    texts of the kansli; the protection of small numbers is decided once, for the last."""
    subdirs = sorted(p for p in Path(folder).iterdir() if p.is_dir())
    with db.writer(db_path) as con:
        for sub in subdirs:
            ingest_into(con, sub, loaded_by="demo", skydd=False)
        beslut.besluta_och_spara(con)
        for avsnitt, insats_id, text in DEMO_TEXTER:
            sql.run(con, "text_spara", kvartal=periods.label(LAST_Q), avsnitt=avsnitt,
                    insats_id=insats_id, text=text, skriven_av="kansliet (demo)",
                    skriven=datetime(2023, 1, 20, 9, 0))
        slut = {i.insats_id: periods.of_date(date.fromisoformat(i.slut)) for i in INSATSER}
        for insats_id, avsnitt, text in DEMO_SLUTRAPPORT:
            sql.run(con, "text_spara", kvartal=periods.label(slut[insats_id]), avsnitt=avsnitt,
                    insats_id=insats_id, text=text, skriven_av="kansliet (demo)",
                    skriven=datetime(2022, 1, 25, 14, 0))
        db.mark_demo(con)
