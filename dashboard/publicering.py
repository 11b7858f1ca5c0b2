"""The fixed publication: every participant count anyone but the kansli can fetch, protected
together once per loaded extract (see docs/sekretess.md).

What is published, for every period of the grid (``perioder``: each quarter, each half-year,
each year to date at every quarter; for counts of events in ``PER_AR``, only each calendar
year and the latest year to date, see ``kalenderar``) and every selection of insatser in
``urval`` (all, each kommun, each typ, each kommun × typ, each insats):
- ``aktiva``: Målgrupp's tables (episodes active in the period) by dimension, detailed and
  coarse category and kön (kvinna, man, totalt), with their Summa;
- ``delt``: the Deltagare table's columns (individinsatser), with its quarterly trend;
- ``tid``: Tid i insats (every insats) by band of months and kön, with its Summa;
- ``reg``: avslutsorsaker (registrations) by code and kön, with their Summa;
- ``anon``: anonyma and volym;
- ``bip``: progression (measured, with uppföljning, with stegförflyttning by kön).
Kön ``annan`` is inside every total but never a column of its own: an implicit cell, protected.

Each family is one system of cells over *atoms* (the finest counts, e.g. the episodes of one
insats, kön and category), decided by ``privacy.decide``. A view asks ``status`` for the atoms
its cell sums: a cell of the publication reads as decided; any other selection (several
kommuner, a status filter) is the sum of its insatser's cells, shown when all of them are
shown and hidden ("X") otherwise, so it adds nothing a reader could not already compute.
"""

from __future__ import annotations

import threading
from collections import defaultdict

import pandas as pd

from . import codes, config, periods, privacy, sql

OPEN = 10**6  # eq of a pågående episode

# The kön columns of a published row: kvinnor, män and their sum. Annat kön is counted only in
# a table's Summa ("samtliga"), so no row lets a reader subtract it (``annan`` is implicit).
KONS = {"kvinna": ("kvinna",), "man": ("man",), "totalt": ("kvinna", "man")}
SUMMA_KONS = {**KONS, "samtliga": ("kvinna", "man", "annan"), "annan": ("annan",)}
COLUMN = {"alder": "alder_band"}  # the episode column of a dimension, where it differs
MALGRUPP_AKTIVA = [d for d, _, _ in codes.MALGRUPP_DIMENSIONER if d != "tid_i_insats"]


# Counts of events in a period that are published per calendar year only (Tid i insats,
# avslutsorsaker, anonyma and volym): periods that lie inside each other (four quarters and
# their year) tie small counts of events together so that the markers' bounds pin them.
PER_AR = ("tid", "reg", "anon")
# families of individinsatser's tables: a row per insats (``members``) and their Samtliga
INDIVID = ("delt", "anon", "bip")
PER_AR_TEXT = ("Tid i insats, avslutsorsaker, anonyma och volym redovisas utanför kansliet bara "
               "per kalenderår och för året hittills, inte för ett kvartal eller ett halvår. "
               "Skälet: små antal avslut i perioder som ligger i varandra (kvartalen och deras "
               "år) skulle annars kunna räknas fram.")


class EjPublicerad(ValueError):
    """A filter whose figures are not part of the publication (a Swedish message for the user)."""


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
    for the first year) or the year to date at ``last``: disjoint, none inside another."""
    first = min(r.first for r in grid)
    return [r for r in grid if r.first == max(first, periods.year_start(r.last))
            and (r.last == last or r.last - periods.year_start(r.last) == 3)]


def tid_band(manader: int) -> str:
    low = (int(manader) - 1) // 5 * 5 + 1
    return f"{low}_{low + 4}"


class Publication:
    def __init__(self, con, threshold: int, keep_systems: bool = False):
        """``keep_systems``: keep each family's cells and decision (for the benchmark's
        audit of what the markers' bounds reveal)."""
        self.threshold = threshold
        self.systems: list | None = [] if keep_systems else None
        ep = sql.run(con, "publicering_episoder")
        reg = sql.run(con, "publicering_avslut")
        anon = sql.run(con, "publicering_anonyma")
        reg_ister = sql.run(con, "publicering_insatser")
        self.typ = dict(zip(reg_ister["insats_id"], reg_ister["typ"]))
        self.kommuner = {i: list(k) for i, k in zip(reg_ister["insats_id"], reg_ister["kommuner"])}
        self.runs = {i: (int(a), int(b)) for i, a, b in zip(reg_ister["insats_id"],
                                                           reg_ister["sq"], reg_ister["eq"])}
        from .views import latest_period  # noqa: PLC0415
        from .views import perioder as view_perioder
        self.last = periods.parse(latest_period(con))
        # from the first quarter with data, and at least the latest quarter's whole year
        self.first = min(periods.parse(view_perioder(con)[0]), periods.year_start(self.last))
        self.grid = perioder(self.first, self.last)
        self.ar_grid = kalenderar(self.grid, self.last)
        self._grid, self._ar = set(self.grid), set(self.ar_grid)
        self.urval = self._urval()
        self.atoms: dict = {}  # atom tuple -> id
        self.values: dict = {}  # id -> value
        self.unit: dict = {}  # (family, insats, spec) -> tuple of atom ids
        self.status: dict = {}  # (family, atoms tuple) -> privacy status
        self.ringas_in: list = []  # protected cells repair could not free (none expected)
        self.source: dict = {}  # a forced cell's key -> the keys it was decided from
        self.implicit: set = set()  # specs protected but never published (e.g. annat kön)
        self.lagade: dict = {}  # family -> how many cells ``privacy.repair`` hid or left unshown
        self._build_aktiva(ep)
        self._build_delt(ep)
        self._build_tid(ep)
        self._build_reg(reg)
        self._build_anon(anon)
        self._build_bip(con)

    # --- selections ------------------------------------------------------------------------

    def _urval(self) -> list[frozenset]:
        ids = sorted(self.typ)
        kommuner = sorted({k for ks in self.kommuner.values() for k in ks
                           if k != codes.LANSOVERGRIPANDE})

        def covers(i, k):
            return k in self.kommuner[i] or codes.LANSOVERGRIPANDE in self.kommuner[i]

        sets = [frozenset(ids)]
        for k in kommuner:
            sets.append(frozenset(i for i in ids if covers(i, k)))
        for t in sorted(set(self.typ.values())):
            sets.append(frozenset(i for i in ids if self.typ[i] == t))
            for k in kommuner:
                sets.append(frozenset(i for i in ids if self.typ[i] == t and covers(i, k)))
        sets += [frozenset([i]) for i in ids]
        return list(dict.fromkeys(s for s in sets if s))

    def members(self, insatser, spec: tuple) -> list[str]:
        """The rows of the Deltagare table (individinsatser running in the spec's range) among
        ``insatser``: what its Samtliga row sums."""
        f, t = spec[1], spec[2]
        return sorted(i for i in insatser if self.typ.get(i) == "individ"
                      and self.runs[i][0] <= t and self.runs[i][1] >= f)

    # --- atoms -----------------------------------------------------------------------------

    def _atom(self, key: tuple, value: int) -> None:
        aid = self.atoms.get(key)
        if aid is None:
            aid = self.atoms[key] = len(self.atoms)
            self.values[aid] = 0
        self.values[aid] += int(value)

    def _atoms_per_insats(self, tag: str, counts: pd.Series) -> dict:
        """Atoms from a group-by count whose first key is the insats: {insats: [(key, id)]}."""
        per_insats = defaultdict(list)
        for key, n in counts.items():
            self._atom((tag,) + tuple(key), n)
            per_insats[key[0]].append((key, self.atoms[(tag,) + tuple(key)]))
        return per_insats

    def _cells(self, family: str, specs: list,
               origin: dict | None = None) -> list[privacy.Cell]:
        """The published cells of ``specs`` for every selection (sets of insatser), deduplicated
        by their atoms. A spec is (spec key, priority, implicit). ``origin`` collects each
        cell's (spec, insatser)."""
        cells = []
        for spec, weight, implicit in specs:
            if implicit:
                self.implicit.add(spec)
            nonempty = {i for i in self.typ if self.unit.get((family, i, spec))}
            if not nonempty:
                continue  # zero everywhere: shown as 0, nothing to decide
            nq = spec_range(spec)
            made: dict = {}
            uses: dict = defaultdict(list)
            for s in self.urval:
                members = self.members(s, spec) if family in INDIVID else sorted(s)
                part = tuple(sorted(nonempty.intersection(members)))
                if not part:
                    continue
                priority = (30 * (len(s) == len(self.typ)) + 30 * min(nq, 4) + weight
                            + len(members) / 100)
                uses[part].append((spec, tuple(members)))
                if part in made:
                    made[part].priority = max(made[part].priority, priority)
                    continue
                atoms = tuple(sorted(a for i in part for a in self.unit[(family, i, spec)]))
                made[part] = privacy.Cell(key=(family, atoms), atoms=frozenset(atoms),
                                          value=sum(self.values[a] for a in atoms),
                                          priority=priority, implicit=implicit)
            if origin is not None:
                for part, cell in made.items():
                    origin.setdefault(cell.key, []).extend(uses[part])
            cells += made.values()
        # a cell both published and implicit (the same atoms) is published
        out: dict = {}
        for c in cells:
            if c.key not in out or out[c.key].implicit and not c.implicit:
                out[c.key] = c
            elif c.priority > out[c.key].priority and c.implicit == out[c.key].implicit:
                out[c.key] = c
        return list(out.values())

    def _decide(self, cells: list[privacy.Cell], known: list[dict] = (),
                forced: dict | None = None) -> None:
        d = privacy.decide(cells, self.threshold, known, forced)
        # decide guarantees every protected cell can move, repair that it can move a whole
        # count; it may hide a cell decided in another family (forced): hidden there too
        hidden, left = privacy.repair(cells, d.status, self.threshold, list(known))
        self.ringas_in += left
        family = cells[0].key[0] if cells else ""
        self.lagade[family] = self.lagade.get(family, 0) + len(hidden)
        if self.systems is not None:
            self.systems.append((cells, d.status, list(known)))
        self.status.update(d.status)
        if any(key in self.source for key in hidden):
            self._hide_sources()

    def _hide_sources(self) -> None:
        """Cells hidden or not shown after their family's decision (``repair``): the same for
        what they were decided from, and every cell decided from that. Either only widens
        what a reader can bound, so every family stays protected."""
        changed = True
        while changed:
            changed = False
            for key, srcs in self.source.items():
                st = {self.status.get(k) for k in (key, *srcs)}
                if privacy.UNPUBLISHED in st and len(st) > 1:
                    to = privacy.UNPUBLISHED
                elif privacy.SECONDARY in st and privacy.VISIBLE in st:
                    to = privacy.SECONDARY
                else:
                    continue
                for k in (key, *srcs):
                    if to == privacy.UNPUBLISHED or self.status.get(k) == privacy.VISIBLE:
                        self.status[k] = to
                changed = True

    def _build_aktiva(self, ep: pd.DataFrame) -> None:
        cats = {d: [c for c, _ in codes.DOMAINS[d]] if d != "alder" else [c for c, _ in codes.AGE_BANDS]
                for d in MALGRUPP_AKTIVA}
        for rng in self.grid:
            act = ep[(ep["sq"] <= rng.last) & (ep["eq"].isna() | (ep["eq"] >= rng.first))]
            units = defaultdict(list)
            known = []
            for d in MALGRUPP_AKTIVA:
                g = act.groupby(["insats_id", "kon", _annan_alla(act, COLUMN.get(d, d))],
                                dropna=False).size()
                for (i, k, c), n in g.items():
                    key = ("a", rng.first, rng.last, i, k, d, c)
                    self._atom(key, n)
                    units[(i, d, c, k)].append(self.atoms[key])
            # every dimension counts the same episodes: their sums are equal (known)
            for i, k in act.groupby(["insats_id", "kon"]).groups:
                base = {a: 1 for c in cats["alder"] + [ALLA] for a in units.get((i, "alder", c, k), ())}
                for d in MALGRUPP_AKTIVA[1:]:
                    rel = dict(base)
                    for c in cats[d] + [ALLA]:
                        for a in units.get((i, d, c, k), ()):
                            rel[a] = rel.get(a, 0) - 1
                    rel = {a: v for a, v in rel.items() if v}
                    if rel:
                        known.append(rel)
            specs = []
            for d in MALGRUPP_AKTIVA:
                groups = [(c, (c,)) for c in cats[d]] + [
                    ("grov:" + code, members) for code, _, members in codes.GROV[d]]
                for name, members in groups:
                    for kol, kons in KONS.items():
                        spec = ("aktiva", rng.first, rng.last, d, name, kol)
                        for i in self.typ:
                            self.unit[("aktiva", i, spec)] = tuple(
                                a for c in members for k in kons for a in units.get((i, d, c, k), ()))
                        specs.append((spec, 3 + (kol == "totalt") + name.startswith("grov:"),
                                      False))
            for kol, kons in SUMMA_KONS.items():
                spec = ("aktiva", rng.first, rng.last, "summa", "", kol)
                for i in self.typ:
                    self.unit[("aktiva", i, spec)] = tuple(
                        a for c in cats["alder"] + [ALLA] for k in kons
                        for a in units.get((i, "alder", c, k), ()))
                specs.append((spec, 8 + (kol == "samtliga"), kol == "annan"))
            self._decide(self._cells("aktiva", specs), known)

    def _build_delt(self, ep: pd.DataFrame) -> None:
        """The Deltagare table (individinsatser): atoms are episodes by insats, start and end
        quarter, kön, till arbete/studier and handlingsplan."""
        e = ep.copy()
        e["sqb"] = e["sq"].clip(lower=self.first - 1)
        e["eqb"] = e["eq"].fillna(OPEN).astype(int)
        g = e.groupby(["insats_id", "sqb", "eqb", "kon", "till_arbete_studier", "handlingsplan"],
                      dropna=False).size()
        per_insats = self._atoms_per_insats("d", g)
        specs = []
        for rng in self.grid:
            f, t = rng.first, rng.last
            for measure, (weight, pred) in DELT_MEASURES.items():
                spec = ("delt", f, t, measure)
                for i, atoms in per_insats.items():
                    self.unit[("delt", i, spec)] = tuple(
                        a for key, a in atoms if pred(f, t, *key[1:6]))
                specs.append((spec, weight, measure in DELT_IMPLICIT))
        origin: dict = {}
        cells = self._cells("delt", specs, origin=origin)
        # deltagare_period is Målgrupp's Summa of the same episodes: decided there
        forced = {}
        for key, uses in origin.items():
            for spec, members in uses:
                if spec[3] == "deltagare_period":
                    src = ("aktiva", ("aktiva", spec[1], spec[2], "summa", "", "samtliga"),
                           members)
                    _, forced[key], self.source[key] = self._decided(*src)
        self._decide(cells, forced=forced)

    def _build_tid(self, ep: pd.DataFrame) -> None:
        """Tid i insats (every insats): atoms are ended episodes by insats, end quarter, kön
        and band of months. Its Summa for individinsatser is the Deltagare table's avslutade:
        decided there."""
        e = ep[ep["eq"].notna()].copy()
        e["band"] = [tid_band(m) for m in e["manader"]]
        e["band"] = _annan_alla(e, "band")
        g = e.groupby(["insats_id", "eq", "kon", "band"]).size()
        per_insats = self._atoms_per_insats("t", g)
        bands = sorted(set(e["band"]) - {ALLA}, key=lambda b: int(b.split("_")[0]))
        # the rows every Tid i insats table has outside the kansli (see ``views.malgrupp``)
        self.tid_band = max((int(b.split("_")[0]) - 1) // 5 + 1 for b in bands) if bands else 0
        specs = []
        for rng in self.ar_grid:
            f, t = rng.first, rng.last
            for name, members in [(b, (b,)) for b in bands] + [
                    ("grov:" + code, tuple(b for b in bands if codes.grov_kategori(
                        "tid_i_insats", b) == code)) for _, code, _ in codes.TID_GROV] + [
                    ("summa", (*bands, ALLA))]:
                for kol, kons in (SUMMA_KONS if name == "summa" else KONS).items():
                    spec = ("tid", f, t, name, kol)
                    for i, atoms in per_insats.items():
                        self.unit[("tid", i, spec)] = tuple(
                            a for key, a in atoms
                            if f <= key[1] <= t and key[2] in kons and key[3] in members)
                    specs.append((spec, 2 + (kol == "totalt") + 5 * (name == "summa"),
                                  kol == "annan"))
        origin: dict = {}
        cells = self._cells("tid", specs, origin=origin)
        forced = {}
        for key, uses in origin.items():
            for spec, members in uses:
                if spec[3:] == ("summa", "samtliga") and all(
                        self.typ[i] == "individ" for i in members):
                    src = ("delt", ("delt", spec[1], spec[2], "avslutade_period"),
                           self.members(members, spec))
                    _, forced[key], self.source[key] = self._decided(*src)
        self._decide(cells, forced=forced)

    def _build_reg(self, reg: pd.DataFrame) -> None:
        g = reg.groupby(["insats_id", "eq", "kon", _annan_alla(reg, "avslutsorsak")]).size()
        per_insats = self._atoms_per_insats("r", g)
        rows = sorted(set(reg["avslutsorsak"])) + ["summa"]
        # the arbetar_N rows every Avslutsorsaker table has outside the kansli
        self.omfattningar = sorted(int(r.split("_")[1]) for r in rows if r.startswith("arbetar_"))
        specs = []
        for rng in self.ar_grid:
            for row in rows:
                for kol, kons in (SUMMA_KONS if row == "summa" else KONS).items():
                    spec = ("reg", rng.first, rng.last, row, kol)
                    for i, atoms in per_insats.items():
                        self.unit[("reg", i, spec)] = tuple(
                            a for key, a in atoms if rng.first <= key[1] <= rng.last
                            and key[2] in kons and (row == "summa" or key[3] == row))
                    specs.append((spec, 3 + (kol == "totalt") + 5 * (row == "summa"),
                                  kol == "annan"))
        self._decide(self._cells("reg", specs))

    def _build_anon(self, anon: pd.DataFrame) -> None:
        specs = []
        for kind in ("anonyma", "volym"):
            for i, q, n in zip(anon["insats_id"], anon["q"], anon[kind]):
                if n:
                    self._atom(("n", kind, i, int(q)), n)
            for rng in self.ar_grid:
                spec = ("anon", rng.first, rng.last, kind)
                for i in self.typ:
                    self.unit[("anon", i, spec)] = tuple(
                        self.atoms[k] for q in range(rng.first, rng.last + 1)
                        if (k := ("n", kind, i, q)) in self.atoms)
                specs.append((spec, 1, False))
        self._decide(self._cells("anon", specs))

    def _build_bip(self, con) -> None:
        """Progression (individinsatser): per period, atoms are the active episodes by insats,
        kön and BIP state at the period's last day. Each period is its own table (the state
        changes with the last day, and active episodes of two periods have no known sum);
        its "deltagare" is the Deltagare table's deltagare_period: decided there."""
        from .views import bip_indikatorer  # noqa: PLC0415
        indikatorer = [code for code, _ in bip_indikatorer(con)]
        # the insatser that use BIP at all: the Progression table's rows outside the kansli
        self.bip_insatser: set = set()
        states, pairs = {}, {}
        for t in sorted({r.last for r in self.grid}):
            states[t] = sql.run(con, "publicering_bip", to_date=periods.last_day(t))
            pairs[t] = sql.run(con, "publicering_bip_par", to_date=periods.last_day(t))
        for rng in self.grid:
            f, t = rng.first, rng.last
            b = states[t]
            act = b[(b["sq"] <= t) & (b["eq"].isna() | (b["eq"] >= f))]
            state = pd.Series("ej", index=act.index)
            state[act["datum"] == 1] = "matt"
            state[act["datum"] >= 2] = "uppf"
            state[(act["datum"] >= 2) & act["steg"]] = "steg"
            units = defaultdict(list)
            for (i, k, st), n in act.groupby([act["insats_id"], act["kon"], state]).size().items():
                if st != "ej":
                    self.bip_insatser.add(i)
                key = ("b", f, t, i, k, st)
                self._atom(key, n)
                units[(i, k, st)].append(self.atoms[key])
            specs = []
            for measure, (weight, in_state, kons, implicit) in BIP_MEASURES.items():
                spec = ("bip", f, t, measure)
                for i in self.typ:
                    self.unit[("bip", i, spec)] = tuple(
                        a for k in kons for st in in_state for a in units.get((i, k, st), ()))
                specs.append((spec, weight, implicit))
            # the radar's n per indicator ("ja"): the episodes with uppföljning that measured
            # it on both dates, by the direction of the change (RIKTNINGAR); the rest of them
            # ("ej") is implicit. Together they are the insats's med_uppfoljning (a relation
            # the reader knows).
            p = pairs[t]
            p = p[(p["sq"] <= t) & (p["eq"].isna() | (p["eq"] >= f))]
            n_ind = p.groupby(["insats_id", "indikator", "riktning"])["antal"].sum()
            known = []
            for i in self.typ:
                uppf = [a for k in ALLA_KON for st in ("uppf", "steg")
                        for a in units.get((i, k, st), ())]
                total = sum(self.values[a] for a in uppf)
                if not total:
                    continue
                for code in indikatorer:
                    parts = {r: int(n_ind.get((i, code, r), 0)) for r in RIKTNINGAR}
                    parts["ej"] = total - sum(parts.values())
                    rel = {a: -1 for a in uppf}
                    for part, n in parts.items():
                        if n:
                            key = ("bi", f, t, i, code, part)
                            self._atom(key, n)
                            self.unit[("bip", i, ("bip", f, t, f"{part}:{code}"))] = (
                                self.atoms[key],)
                            rel[self.atoms[key]] = 1
                    self.unit[("bip", i, ("bip", f, t, f"ja:{code}"))] = tuple(
                        a for r in RIKTNINGAR for a in self.unit.get(
                            ("bip", i, ("bip", f, t, f"{r}:{code}")), ()))
                    known.append(rel)
            for code in indikatorer:
                specs.append((("bip", f, t, f"ja:{code}"), 3, False))
                specs += [(("bip", f, t, f"{r}:{code}"), 2, False) for r in RIKTNINGAR]
                specs.append((("bip", f, t, f"ej:{code}"), 0, True))
            origin: dict = {}
            cells = self._cells("bip", specs, origin=origin)
            forced = {}
            for key, uses in origin.items():
                for spec, members in uses:
                    if spec[3] == "deltagare":
                        src = ("delt", ("delt", f, t, "deltagare_period"), members)
                        _, forced[key], self.source[key] = self._decided(*src)
            self._decide(cells, known, forced=forced)

    # --- lookups ---------------------------------------------------------------------------

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
        value, st, _ = self._decided(family, spec, insatser)
        if value == 0 and st != privacy.UNPUBLISHED and any(  # ".." stays unshown
                self.runs[i][0] <= spec[2] and self.runs[i][1] >= spec[1]
                for i in insatser if i in self.runs):
            return 0, privacy.PRIMARY
        return value, st

    def _decided(self, family: str, spec: tuple, insatser) -> tuple[int, str, list]:
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


# Annat kön is never split by category outside the kansli (only the Summa counts it): its
# atoms are one per insats and period (category ALLA), so the protection assumes no more
# knowledge of how annat kön spreads over categories than a reader has (zeros included).
ALLA = "*"


def _annan_alla(df: pd.DataFrame, column: str) -> pd.Series:
    """``column`` with annat kön's categories merged into ALLA."""
    return df[column].where(df["kon"] != "annan", ALLA)


def spec_range(spec: tuple) -> int:
    return spec[2] - spec[1] + 1


def _avsl(f, t, sq, eq):
    return f <= eq <= t


# measure -> (weight, predicate(first, last, sq, eq, kon, till, handlingsplan))
DELT_MEASURES = {
    "deltagare_totalt": (7, lambda f, t, sq, eq, k, ti, hp: sq <= t),
    "avslutade_totalt": (7, lambda f, t, sq, eq, k, ti, hp: eq <= t),
    "deltagare_period": (8, lambda f, t, sq, eq, k, ti, hp: sq <= t and eq >= f),
    "avslutade_period": (8, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq)),
    "till_arbete_studier": (9, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) and ti),
    "kvinnor_arbete_studier": (5, lambda f, t, sq, eq, k, ti, hp:
                               _avsl(f, t, sq, eq) and ti and k == "kvinna"),
    "man_arbete_studier": (5, lambda f, t, sq, eq, k, ti, hp:
                           _avsl(f, t, sq, eq) and ti and k == "man"),
    "med_handlingsplan": (6, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) and hp),
    "pagaende": (6, lambda f, t, sq, eq, k, ti, hp: sq <= t and eq > t),
    # implicit: never shown, protected
    "annan_arbete_studier": (0, lambda f, t, sq, eq, k, ti, hp:
                             _avsl(f, t, sq, eq) and ti and k == "annan"),
    "ej_arbete_studier": (0, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) and not ti),
    "utan_handlingsplan": (0, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) and not hp),
    "startade": (0, lambda f, t, sq, eq, k, ti, hp: f <= sq <= t),
}
DELT_IMPLICIT = {"annan_arbete_studier", "ej_arbete_studier", "utan_handlingsplan", "startade"}


ALLA_KON = ("kvinna", "man", "annan")
# the direction of an indicator's change from the first to the latest measurement (the
# progression's "bättre, samma, sämre"), as publicering_bip_par.sql names it
RIKTNINGAR = ("battre", "samma", "samre")

# measure -> (weight, BIP states counted, kön counted, implicit). States at the period's last
# day: "ej" not measured, "matt" one measurement date, "uppf" two or more without
# stegförflyttning, "steg" with stegförflyttning.
BIP_MEASURES = {
    "deltagare": (8, ("ej", "matt", "uppf", "steg"), ALLA_KON, False),
    "matta": (7, ("matt", "uppf", "steg"), ALLA_KON, False),
    "med_uppfoljning": (6, ("uppf", "steg"), ALLA_KON, False),
    "stegforflyttning": (7, ("steg",), ALLA_KON, False),
    "kvinna_stegforflyttning": (4, ("steg",), ("kvinna",), False),
    "man_stegforflyttning": (4, ("steg",), ("man",), False),
    # implicit: never shown, protected
    "ej_matta": (0, ("ej",), ALLA_KON, True),
    "matta_utan_uppfoljning": (0, ("matt",), ALLA_KON, True),
    "utan_stegforflyttning": (0, ("uppf",), ALLA_KON, True),
    "annan_stegforflyttning": (0, ("steg",), ("annan",), True),
}


_cache: dict = {}
_cache_lock = threading.Lock()


def get(con) -> Publication:
    """The publication of the database's current data, built once per data version."""
    from .views import data_version  # noqa: PLC0415
    key = (data_version(con), config.get().suppression_threshold)
    with _cache_lock:
        pub = _cache.get(key)
        if pub is None:
            pub = Publication(con, config.get().suppression_threshold)
            _cache.clear()
            _cache[key] = pub
    return pub
