"""The fixed publication: every participant count anyone but the kansli can fetch, with the
protection of small numbers decided for it (see docs/sekretess.md). Decided once per write of
the data (``beslut.py``, in the same atomic write as the data) and stored in the database's
``skydd*`` tables; this module reads it and answers the views' lookups. No process decides it
on a request.

What is published, for every period of the grid (``perioder``: each quarter, each half-year,
each year to date at every quarter; for counts of events in ``PER_AR``, only each calendar
year and the latest year to date, see ``kalenderar``) and every selection of insatser (all,
each kommun, each typ, each kommun × typ, each insats):
- ``aktiva``: Målgrupp's tables (episodes active in the period) by dimension, detailed and
  coarse category and kön (kvinna, man, totalt), with their Summa;
- ``delt``: the Deltagare table's columns (individinsatser), with its quarterly trend;
- ``tid``: Tid i insats (every insats) by band of months and kön, with its Summa;
- ``reg``: avslutsorsaker (registrations) by code and kön, with their Summa;
- ``anon``: anonyma and volym;
- ``bip``: progression (measured, with uppföljning, with stegförflyttning by kön);
- ``fors``: försörjning före och efter (avslutade by source of support at start × at avslut
  and kön, the margins, the Summa, and those who left public support for lön or studiemedel).
Kön ``annan`` is inside every total but never a column of its own: an implicit cell, protected.

Each cell is a sum of *atoms* (the finest counts, e.g. the episodes of one insats, kön and
category). A view asks ``cell`` for a spec over a set of insatser: a cell of the publication
reads as decided; any other selection (several kommuner, a status filter) is the sum of its
insatser's cells, shown when all of them are shown and hidden ("X") otherwise, so it adds
nothing a reader could not already compute.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

from . import codes, config, inlast, periods, privacy, sql
from .publicerat import Dolt, visat

OPEN = 10**6  # eq of a pågående episode

# The kön columns of a published row: kvinnor, män and their sum. Annat kön is counted only in
# a table's Summa ("samtliga"), so no row lets a reader subtract it (``annan`` is implicit).
KONS = {"kvinna": ("kvinna",), "man": ("man",), "totalt": ("kvinna", "man")}
SUMMA_KONS = {**KONS, "samtliga": ("kvinna", "man", "annan"), "annan": ("annan",)}

# Counts of events in a period that are published per calendar year only (Tid i insats,
# avslutsorsaker, anonyma and volym, försörjning före och efter): periods that lie inside each
# other (four quarters and their year) tie small counts of events together so that the
# markers' bounds pin them.
PER_AR = ("tid", "reg", "anon", "fors")
# families of individinsatser's tables: a row per insats (``members``) and their Samtliga
INDIVID = ("delt", "anon", "bip")
# the direction of an indicator's change from the first to the latest measurement (the
# progression's "bättre, samma, sämre"), as publicering_bip_par.sql names it
RIKTNINGAR = ("battre", "samma", "samre")
PER_AR_TEXT = ("Tid i insats, avslutsorsaker, anonyma och volym redovisas utanför kansliet bara "
               "per helt kalenderår, inte för ett kvartal, ett halvår eller året hittills. "
               "Skälet: små antal avslut i perioder som ligger i varandra (kvartalen, året "
               "hittills och hela året, också i PM från tidigare kvartal) skulle annars kunna "
               "räknas fram.")
# Målgrupp's dimensions of participants active in a period (Tid i insats counts events)
MALGRUPP_AKTIVA = [d for d, _, _ in codes.MALGRUPP_DIMENSIONER if d != "tid_i_insats"]
# The slutrapport of an ended insats: its whole time's cells (``beslut.HELA_DELT``) are named
# by HELA and the insats, at the quarter it ended (``Publication.slutrapport_*``)
HELA = "hela"


def kval_namn(measure: str, manader: int) -> str:
    """The published name of a Registreringskvalitet measure (``beslut.KVAL_DELT``): the
    months counted are in the name, so a decision made for another ``oppen_manader`` is never
    read as this one's."""
    return f"{measure}_{manader}" if measure in ("pagaende_lange", "pagaende_korta") else measure


def slutrapport_avslut_rader(present) -> list[tuple[str, tuple]]:
    """The slutrapport's avslutsorsaker rows, coarse: (name, the row values it sums) for each
    group of codes ("grupp:arbete", ... as codes.AVSLUT_GRUPP; ``arbetar_N`` under arbete)
    and the Summa. ``present``: the avslutsorsak codes there are."""
    present = sorted(set(present))
    grupp = {c: g for c, _, g in codes.AVSLUTSORSAK}
    out = [(f"grupp:{g}", tuple(r for r in present if grupp.get(
        "arbetar" if r.startswith("arbetar_") else r) == g)) for g, _ in codes.AVSLUT_GRUPP]
    out.append(("summa", tuple(present)))
    return out


FORBEREDS_TEXT = ("Deltagaruppgifterna förbereds: skyddet av små tal beslutas för de inlästa "
                  "uppgifterna. Det tar en halv minut; ladda om sidan strax.")


SLUT_EJ_BESLUTAD = ("Slutrapportens deltagaruppgifter är inte beslutade för de inlästa "
                    "uppgifterna ännu: skyddet av små tal beslutas för dem när nästa uttag läses "
                    "in (eller med python -m dashboard skydd i en ny databas).")


class EjPublicerad(ValueError):
    """A filter whose figures are not part of the publication (a Swedish message for the user)."""


class Forbereds(EjPublicerad):
    """No decision is stored for the current data yet (an older database, a new threshold):
    it is being decided off the request (``beslut.besluta_i_bakgrunden``)."""

    def __init__(self, text: str = FORBEREDS_TEXT):
        super().__init__(text)


def perioder(first: int, last: int) -> list[periods.Range]:
    """The grid a non-kansli viewer may choose from: every quarter, every half-year (to date)
    and every year to date at each quarter, from ``first`` to ``last``."""
    out: dict = {}
    for q in range(first, last + 1):
        for a in (q, max(first, q - (q % 4) % 2), max(first, periods.year_start(q))):
            out[(a, q)] = periods.Range(a, q)
    return sorted(out.values(), key=lambda r: (r.last, r.first))


def kalenderar(grid: list[periods.Range], last: int) -> list[periods.Range]:
    """The periods of ``grid`` that are a whole calendar year (from the grid's first quarter,
    for the first year): disjoint, none inside another, and none that a later load replaces
    by a longer one (a year to date would be: the next quarter's load would publish the year
    to date with one quarter more, and a reader holding both subtracts that quarter)."""
    first = min(r.first for r in grid)
    return [r for r in grid if r.first == max(first, periods.year_start(r.last))
            and r.last - periods.year_start(r.last) == 3]


def ends(loaded) -> tuple[int, int]:
    """The grid's first and last quarter for the ``loaded`` quarters (``inlast.perioder``):
    from the first quarter with data, and at least the latest quarter's whole year."""
    last = periods.parse(loaded[-1])
    return min(periods.parse(loaded[0]), periods.year_start(last)), last


def ar_period(first: int, last: int, rng: periods.Range) -> periods.Range | None:
    """The calendar year PER_AR families are shown for beside ``rng``: ``rng`` itself when it
    is one, else the year ``rng`` ends in when that is whole and loaded, else the latest
    whole one before it (None when there is none)."""
    years = kalenderar(perioder(first, last), last)
    own = [r for r in years if r.first <= rng.last <= r.last]
    if own:
        return own[0]
    before = [r for r in years if r.last < rng.last]
    return before[-1] if before else None


@dataclass
class Publication:
    """The decided publication of one data version: its atoms' values, each spec's atoms per
    insats (``unit``) and each decided cell's status, keyed by (family, its atoms)."""

    threshold: int
    first: int  # the grid's first and last quarter
    last: int
    typ: dict  # insats -> typ
    kommuner: dict  # insats -> [kommun]
    runs: dict  # insats -> (first quarter, last quarter) it runs
    values: list = field(default_factory=list)  # atom -> count
    unit: dict = field(default_factory=dict)  # (family, insats, spec) -> tuple of atoms
    status: dict = field(default_factory=dict)  # (family, atoms tuple) -> privacy status
    # cells not shown whose value what is shown gives away (``privacy.derived``)
    harledda: set = field(default_factory=set)
    implicit: set = field(default_factory=set)  # specs protected but never published
    tid_band: int = 0  # the Tid i insats rows every table has outside the kansli
    omfattningar: list = field(default_factory=list)  # the arbetar_N rows of Avslutsorsaker
    bip_insatser: set = field(default_factory=set)  # the insatser that use BIP at all
    ringas_in: list = field(default_factory=list)  # cells repair could not free (none expected)
    lagade: dict = field(default_factory=dict)  # family -> cells ``privacy.repair`` changed
    meta: dict = field(default_factory=dict)  # how and when it was decided (``beslut.py``)
    # periods of PER_AR families published by an earlier load and no longer (the year to date
    # of an earlier quarter): still in the decision, so the new cells keep them protected
    historik: list = field(default_factory=list)

    def __post_init__(self):
        self.grid = perioder(self.first, self.last)
        self.ar_grid = kalenderar(self.grid, self.last)
        self._grid, self._ar = set(self.grid), set(self.ar_grid)

    # --- lookups ---------------------------------------------------------------------------

    def members(self, insatser, rng: periods.Range) -> list[str]:
        """The rows of the Deltagare table (individinsatser running in ``rng``) among
        ``insatser``: what its Samtliga row sums."""
        return sorted(i for i in insatser if self.typ.get(i) == "individ"
                      and self.runs[i][0] <= rng.last and self.runs[i][1] >= rng.first)

    # --- the tables, by name: each builds its cells' specs here and nowhere else ------------

    def deltagare(self, rng: periods.Range, kolumn: str, insatser) -> int | Dolt:
        """A column of the Deltagare table (DELT_COLUMNS; anonyma and volym included)."""
        family = "anon" if kolumn in ("anonyma", "volym") else "delt"
        return visat(*self.cell(family, (family, rng.first, rng.last, kolumn), insatser))

    def malgrupp(self, rng: periods.Range, dimension: str, kategori: str, kol: str, insatser,
                 grov: bool = False) -> int | Dolt:
        """A cell of Målgrupp: a dimension's category (``grov``: a coarse one) or its Summa
        (``kategori`` 'summa'), by kön column (KONS, SUMMA_KONS)."""
        name = "summa" if kategori == "summa" else "grov:" + kategori if grov else kategori
        if dimension == "tid_i_insats":
            spec = ("tid", rng.first, rng.last, name, kol)
        elif kategori == "summa":
            spec = ("aktiva", rng.first, rng.last, "summa", "", kol)
        else:
            spec = ("aktiva", rng.first, rng.last, dimension, name, kol)
        return visat(*self.cell(spec[0], spec, insatser))

    def avslut(self, rng: periods.Range, rad: str, kol: str, insatser) -> int | Dolt:
        """A cell of Avslutsorsaker: a code's row (arbetar_N by omfattning) or 'summa'."""
        return visat(*self.cell("reg", ("reg", rng.first, rng.last, rad, kol), insatser))

    def bip(self, rng: periods.Range, kolumn: str, insatser) -> int | Dolt:
        """A column of Progression (BIP_COLUMNS)."""
        return visat(*self.cell("bip", ("bip", rng.first, rng.last, kolumn), insatser))

    def bip_indikator(self, rng: periods.Range, del_: str, kod: str, insatser) -> int | Dolt:
        """Of one BIP indicator: how many measured it on both dates ('ja') and how many of
        them got better, stayed or got worse (RIKTNINGAR)."""
        return visat(*self.cell("bip", ("bip", rng.first, rng.last, f"{del_}:{kod}"), insatser))

    # --- the slutrapport of an ended insats (its whole time) and Registreringskvalitet -------

    def hela(self, insats: str) -> periods.Range | None:
        """The whole time of an ended insats as this decision published its slutrapport (None:
        it published none for it, e.g. it was decided before the insats ended)."""
        r = self.meta.get("hela", {}).get(insats)
        return periods.Range(*r) if r else None

    @property
    def har_slutrapporter(self) -> bool:
        """Whether the decision publishes slutrapporter and Registreringskvalitet at all (one
        made before they were published does not)."""
        return "hela" in self.meta

    @property
    def oppen_manader(self) -> int | None:
        """The months Registreringskvalitet's open-long count was decided for (None: the data
        was too short to tell, or the decision has none)."""
        return self.meta.get("registrering", {}).get("oppen_manader")

    def _hela_spec(self, insats: str, rng: periods.Range, *rest) -> tuple:
        if self.hela(insats) != rng:
            raise EjPublicerad(SLUT_EJ_BESLUTAD)
        return (rng.last, rng.last, *rest)

    def slutrapport_deltagare(self, insats: str, rng: periods.Range, kolumn: str
                              ) -> int | Dolt:
        """A participant count of an ended individinsats over its whole time ``rng``
        (``beslut.HELA_DELT``: deltagare_totalt, kvinnor, man, avslutade, oppna, ...)."""
        spec = ("delt", *self._hela_spec(insats, rng, HELA, insats, kolumn))
        return visat(*self.cell("delt", spec, [insats]))

    def slutrapport_avslut(self, insats: str, rng: periods.Range, rad: str, kol: str
                           ) -> int | Dolt:
        """An ended individinsats's avslutsorsaker over its whole time: a group's row
        ('grupp:<grupp>', ``slutrapport_avslut_rader``) or 'summa', by kön column."""
        spec = ("slut", *self._hela_spec(insats, rng, insats, "avslutsorsak", rad, kol))
        return visat(*self.cell("slut", spec, [insats]))

    def slutrapport_malgrupp(self, insats: str, rng: periods.Range, dimension: str,
                             kategori: str, kol: str) -> int | Dolt:
        """An ended individinsats's participants over its whole time in a Målgrupp dimension's
        coarse category (kvinnor and män: ``kol`` 'totalt'), or their Summa (``kategori``
        'summa', by kön column)."""
        rest = ("summa", "", kol) if kategori == "summa" else (dimension, f"grov:{kategori}", kol)
        spec = ("aktiva", *self._hela_spec(insats, rng, HELA, insats, *rest))
        return visat(*self.cell("aktiva", spec, [insats]))

    def registrering(self, insats: str, measure: str, manader: int) -> int | Dolt:
        """Registreringskvalitet's count of one insats at the latest quarter
        (``beslut.KVAL_DELT``: 'pagaende_lange', open ``manader`` months or longer, or
        'pagaende_utan_handlingsplan')."""
        spec = ("delt", self.last, self.last, kval_namn(measure, manader))
        return visat(*self.cell("delt", spec, [insats]))
    def fors(self, rng: periods.Range, fore: str, efter: str, kol: str, insatser) -> int | Dolt:
        """A cell of Försörjning före och efter: the source of support at start (``fore``) ×
        at avslut (``efter``), 'summa' for a margin or the Summa, by kön column (KONS, and
        SUMMA_KONS for the Summa); ``fore`` 'offentlig' with ``efter`` 'summa' or 'egen': of
        those with public support at start, everyone and those with lön or studiemedel at
        avslut ("lämnat offentlig försörjning")."""
        spec = ("fors", rng.first, rng.last, fore, efter, kol)
        return visat(*self.cell("fors", spec, insatser))

    def was_published(self, family: str, spec: tuple) -> bool:
        """Whether this publication had ``spec`` (shown or among those it kept from before)."""
        rng = periods.Range(spec[1], spec[2])
        if family in PER_AR:
            return rng in self._ar or rng in self.historik
        return rng in self._grid

    def ar_for(self, rng: periods.Range) -> periods.Range | None:
        return ar_period(self.first, self.last, rng)

    def publicerad(self, rng: periods.Range, family: str) -> bool:
        """Whether ``family`` is published for ``rng`` (a period of the grid)."""
        return family not in PER_AR or rng in self._ar

    def check(self, rng: periods.Range, family: str | None = None) -> None:
        if family and not self.publicerad(rng, family):
            raise EjPublicerad(PER_AR_TEXT)
        if rng not in self._grid:
            from . import fmt  # noqa: PLC0415

            raise EjPublicerad(
                f"Perioden {fmt.kvartal(periods.label(rng.first))} – "
                f"{fmt.kvartal(periods.label(rng.last))} finns inte bland "
                "de perioder deltagaruppgifter publiceras för (ett kvartal, ett halvår eller året "
                "hittills). Skälet: tal för perioder som överlappar kan dras från varandra och "
                "avslöja små tal.")

    def cell(self, family: str, spec: tuple, insatser) -> tuple[int, str]:
        """(value, status) of the cell ``spec`` summed over ``insatser``, as published: a 0
        reads "<5" (PRIMARY) unless none of ``insatser`` runs in the period (a zero everyone
        can see in the register). Were a 0 shown as 0, every "<5" would be known to be at
        least 1, and four "<5" under a "<5" of four would all be 1 whatever is hidden."""
        self.check(periods.Range(spec[1], spec[2]), family)  # never a 0 for "not published"
        value, st, _ = self.decided(family, spec, insatser)
        if value == 0 and st != privacy.UNPUBLISHED and any(  # ".." stays unshown
                self.runs[i][0] <= spec[2] and self.runs[i][1] >= spec[1]
                for i in insatser if i in self.runs):
            return 0, privacy.PRIMARY
        return value, st

    def decided(self, family: str, spec: tuple, insatser) -> tuple[int, str, list]:
        """(value, status, keys) of the cell ``spec`` over ``insatser`` as decided: a cell of
        the publication reads as decided (keys: its own); any other is the sum of its
        insatser's cells (keys: theirs), shown when all of them are and hidden otherwise."""
        parts = {i: self.unit.get((family, i, spec), ()) for i in insatser}
        atoms = tuple(sorted(a for p in parts.values() for a in p))
        value = sum(self.values[a] for a in atoms)
        st = self.status.get((family, atoms))
        if st is not None:
            return value, st, [(family, atoms)]
        keys = [(family, tuple(sorted(p))) for p in parts.values() if p]
        st = {self.status.get(k) for k in keys}
        if privacy.UNPUBLISHED in st:
            return value, privacy.UNPUBLISHED, keys
        return value, privacy.VISIBLE if st <= {privacy.VISIBLE} else privacy.SECONDARY, keys


# --- the stored decision -------------------------------------------------------------------------

def spec_text(spec: tuple) -> str:
    """A spec's name as stored: what follows its family and range, joined by '|'."""
    return "|".join(str(x) for x in spec[3:])


def stored_fingerprint(con) -> dict | None:
    """The data a stored decision was made for, and its threshold; None when none is stored."""
    try:
        rows = sql.rows(con, "skydd_beslut")
    except Exception:  # noqa: BLE001  a database from before the stored decision
        return None
    return json.loads(rows[0][0]) if rows else None


def data_fingerprint(con) -> dict:
    """What a decision is of: the loads that make the current data (a load or an activation
    changes it)."""
    seq, n = sql.rows(con, "skydd_data")[0]
    return {"active_seq": seq, "loads": n}


def load(con, threshold: int | None = None, any_data: bool = False) -> Publication | None:
    """The stored decision, or None when there is none for the current data and ``threshold``
    (the configured one by default). ``any_data``: the stored one whatever data it was made
    for (the previous publication, when a write decides the next)."""
    threshold = config.get().suppression_threshold if threshold is None else threshold
    meta = stored_fingerprint(con)
    if meta is None or meta["threshold"] != threshold or "system" not in meta:
        return None  # none, another threshold's, or one of an older shape: decided anew
    if not any_data and meta["data"] != data_fingerprint(con):
        return None
    values = sql.arrow(con, "skydd_atomer").column("antal").to_pylist()
    pub = Publication(
        threshold=threshold, first=meta["first"], last=meta["last"],
        typ={i: t for i, t, _, _, _ in meta["insatser"]},
        kommuner={i: k for i, _, k, _, _ in meta["insatser"]},
        runs={i: (a, b) for i, _, _, a, b in meta["insatser"]},
        values=values, tid_band=meta["tid_band"], omfattningar=meta["omfattningar"],
        bip_insatser=set(meta["bip_insatser"]), ringas_in=meta["ringas_in"],
        lagade=meta["lagade"], meta=meta,
        historik=[periods.Range(f, t) for f, t in meta.get("historik", [])])
    t = sql.arrow(con, "skydd_enheter")
    specs: dict = {}  # one tuple per spec, shared by its insatser
    unit = pub.unit
    for family, f, t_, name, insats, atoms, implicit in zip(
            *(t.column(c).to_pylist() for c in ("familj", "forsta", "sista", "namn",
                                                 "insats_id")),
            _tuples(t.column("atomer")), t.column("implicit").to_pylist()):
        spec = specs.get((family, f, t_, name))
        if spec is None:
            spec = specs[(family, f, t_, name)] = (family, f, t_, *name.split("|"))
            if implicit:
                pub.implicit.add(spec)
        unit[(family, insats, spec)] = atoms
    t = sql.arrow(con, "skydd_statusar")
    pub.status = dict(zip(zip(t.column("familj").to_pylist(), _tuples(t.column("atomer"))),
                          t.column("status").to_pylist()))
    t = sql.arrow(con, "skydd_harledda")
    pub.harledda = set(zip(t.column("familj").to_pylist(), _tuples(t.column("atomer"))))
    return pub


def _tuples(column) -> list[tuple]:
    """An Arrow column of integer lists as tuples (from its offsets and values at once)."""
    out: list = []
    for chunk in column.chunks:
        offsets = chunk.offsets.to_numpy()
        values = chunk.values.to_numpy().tolist()
        out += [tuple(values[a:b]) for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]
    return out


_cache: dict = {}
_cache_lock = threading.Lock()


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def get(con) -> Publication:
    """The publication of the database's current data, as stored with it (read once per data
    version). ``Forbereds`` when none is stored for this data and threshold yet."""
    key = (inlast.data_version(con), config.get().suppression_threshold)
    with _cache_lock:
        pub = _cache.get(key)
        if pub is None:
            pub = load(con)
            if pub is None:
                raise Forbereds()
            _cache.clear()
            _cache[key] = pub
    return pub


def ready(con) -> bool:
    """Whether the current data has its decision stored (for the configured threshold)."""
    meta = stored_fingerprint(con)
    return (meta is not None and meta["threshold"] == config.get().suppression_threshold
            and meta["data"] == data_fingerprint(con))
