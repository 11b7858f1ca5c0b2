"""Deciding the protection of small numbers for the current data, as one more step of the write
that changes the data (ingest, activating a load, the demo), and storing it with the data in
the same atomic write (the ``skydd*`` tables ``publicering.load`` reads).

The publication (``publicering.py`` says what it holds) is built from the current data as
systems of cells over atoms, one per family and period where periods share no atoms, and
each system is decided by ``privacy.decide`` and made whole-number safe by ``privacy.repair``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from . import codes, config, db, inlast, periods, privacy, publicering, sql
from .publicering import (
    HELA,
    INDIVID,
    KONS,
    MALGRUPP_AKTIVA,
    OPEN,
    RIKTNINGAR,
    SUMMA_KONS,
    Publication,
    data_fingerprint,
    kval_namn,
    slutrapport_avslut_rader,
    spec_text,
)

# Where annat kön (or another small count) forces one of a row's kvinnor and män to be hidden,
# the same column should take it in every row: the column sums then need no further hidden
# cell. So män is published first where they tie (a slightly higher weight), and kvinnor
# takes the hiding: a fixed rule, the same in every table.
MAN = 0.5
COLUMN = {"alder": "alder_band"}  # the episode column of a dimension, where it differs
# Annat kön is never split by category outside the kansli (only the Summa counts it): its
# atoms are one per insats and period (category ALLA), so the protection assumes no more
# knowledge of how annat kön spreads over categories than a reader has (zeros included).
ALLA = "*"
ALLA_KON = ("kvinna", "man", "annan")
# the periods of a PER_AR family in the decision: published now, published by an earlier load
# (kept with its status), and the rest of a year to date after such a one (protected)
SHOWN, GONE, REST = "visad", "tidigare", "rest"
# Försörjning före och efter: the row and column of those without a registered source at
# avslut, and of everyone avslutad (both never shown: implicit)
SAKNAS, ALLA_AVSLUTADE = "saknas", "alla"


def tid_band(manader: int) -> str:
    low = (int(manader) - 1) // 5 * 5 + 1
    return f"{low}_{low + 4}"


def _annan_alla(df: pd.DataFrame, column: str) -> pd.Series:
    """``column`` with annat kön's categories merged into ALLA."""
    return df[column].where(df["kon"] != "annan", ALLA)


def spec_range(spec: tuple) -> int:
    return spec[2] - spec[1] + 1


def _range(spec: tuple) -> periods.Range:
    return periods.Range(spec[1], spec[2])


def _avsl(f, t, sq, eq):
    return (f <= eq) & (eq <= t)


# measure -> (weight, condition on the atoms' arrays (first, last, sq, eq, kon, till,
# handlingsplan)); eq is OPEN for a pågående episode
DELT_MEASURES = {
    "deltagare_totalt": (7, lambda f, t, sq, eq, k, ti, hp: sq <= t),
    "avslutade_totalt": (7, lambda f, t, sq, eq, k, ti, hp: eq <= t),
    "deltagare_period": (8, lambda f, t, sq, eq, k, ti, hp: (sq <= t) & (eq >= f)),
    "avslutade_period": (8, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq)),
    "till_arbete_studier": (9, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) & ti),
    "kvinnor_arbete_studier": (5, lambda f, t, sq, eq, k, ti, hp:
                               _avsl(f, t, sq, eq) & ti & (k == "kvinna")),
    "man_arbete_studier": (5 + MAN, lambda f, t, sq, eq, k, ti, hp:
                           _avsl(f, t, sq, eq) & ti & (k == "man")),
    "med_handlingsplan": (6, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) & hp),
    "pagaende": (6, lambda f, t, sq, eq, k, ti, hp: (sq <= t) & (eq > t)),
    # implicit: never shown, protected
    "annan_arbete_studier": (0, lambda f, t, sq, eq, k, ti, hp:
                             _avsl(f, t, sq, eq) & ti & (k == "annan")),
    "ej_arbete_studier": (0, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) & ~ti),
    "utan_handlingsplan": (0, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) & ~hp),
    "startade": (0, lambda f, t, sq, eq, k, ti, hp: (f <= sq) & (sq <= t)),
}
DELT_IMPLICIT = {"annan_arbete_studier", "ej_arbete_studier", "utan_handlingsplan", "startade"}

# The slutrapport (dashboard/slutrapport.py): each ended insats over its whole time
# (``periods.hela_tiden``: from its start, or the first loaded quarter, to the quarter it ended),
# as cells of the families whose atoms they sum, each for that insats alone. A spec's range is
# the quarter the insats ended, (b, b), a period of the grid, so that the publication's lookups
# (``Publication.cell``) and the next load's history (``_history``) treat it as any cell; what
# it counts is the insats's whole time, named by HELA and the insats (``Publication``'s
# lookups ``slutrapport_*`` read them):
#   ("delt", b, b, HELA, insats, measure)    the participants (in the Deltagare table's system)
#   ("aktiva", b, b, HELA, insats, dimension, "grov:<code>", "totalt") and
#   ("aktiva", b, b, HELA, insats, "summa", "", kön column)  Målgrupp's coarse categories
#                                             (a system of its own, or the grid's cells when
#                                             they count the same episodes)
#   ("slut", b, b, insats, "avslutsorsak", row, kön column)  avslutsorsaker by group (in the
#                                             avslutsorsaker's system)
# what the slutrapport publishes is wanted before the earlier periods of the grid (a year to
# date weighs 30 a quarter): below the latest quarter's cells (200), above the rest
HELA_VIKT = 90
# measure -> (weight, condition on the atoms' arrays (first, last, sq, eq, kon, till,
# handlingsplan) for the whole time first..last, implicit); eq is OPEN for a pågående episode
HELA_DELT = {
    "deltagare_totalt": (12, lambda f, t, sq, eq, k, ti, hp: sq <= t, False),
    "avslutade_totalt": (12, lambda f, t, sq, eq, k, ti, hp: eq <= t, False),
    "kvinnor": (11, lambda f, t, sq, eq, k, ti, hp: (sq <= t) & (k == "kvinna"), False),
    "man": (11 + MAN, lambda f, t, sq, eq, k, ti, hp: (sq <= t) & (k == "man"), False),
    "deltagare_period": (12, lambda f, t, sq, eq, k, ti, hp: (sq <= t) & (eq >= f), False),
    "avslutade_period": (12, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq), False),
    "till_arbete_studier": (11, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) & ti,
                            False),
    "med_handlingsplan": (10, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) & hp, False),
    # still open in the extract (an episode of an ended insats that should have an avslut:
    # Kvalitet's Registreringskvalitet)
    "oppna": (6, lambda f, t, sq, eq, k, ti, hp: eq == OPEN, False),
    # implicit: never shown, protected
    "annan": (0, lambda f, t, sq, eq, k, ti, hp: (sq <= t) & (k == "annan"), True),
    "ej_arbete_studier": (0, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) & ~ti, True),
    "utan_handlingsplan": (0, lambda f, t, sq, eq, k, ti, hp: _avsl(f, t, sq, eq) & ~hp, True),
}
# Kvalitet's Registreringskvalitet for the latest quarter t, in the Deltagare table's system:
# episodes open since at least config.registrering.oppen_manader (started in quarter t - K or
# before: open that long at t's last day), and open ones without a handlingsplan (förrehab
# insatser only); each with its rest, implicit. Names: ``publicering.kval_namn``.
KVAL_DELT = {
    "pagaende_lange": (5, lambda t, k, sq, eq, hp: (sq <= t - k) & (eq > t), False),
    "pagaende_korta": (0, lambda t, k, sq, eq, hp: (sq > t - k) & (sq <= t) & (eq > t), True),
    "pagaende_utan_handlingsplan": (5, lambda t, k, sq, eq, hp: (sq <= t) & (eq > t) & ~hp,
                                    False),
    "pagaende_med_handlingsplan": (0, lambda t, k, sq, eq, hp: (sq <= t) & (eq > t) & hp, True),
}
KVAL_FORREHAB = ("pagaende_utan_handlingsplan", "pagaende_med_handlingsplan")


def hela_avslut_rader(present) -> list[tuple[str, tuple, float]]:
    """The slutrapport's avslutsorsaker rows (``publicering.slutrapport_avslut_rader``) with
    their weights: (name, the atoms' row values it sums, weight)."""
    return [(name, members, 6 if name == "summa" else 4)
            for name, members in slutrapport_avslut_rader(present)]


def hela_perioder(runs: dict, typ: dict, first_loaded: int, last: int) -> dict:
    """{insats: its whole time (periods.Range)} of every insats that has ended by ``last``
    and after ``first_loaded`` (those with a slutrapport); an id with '|' (the stored spec's
    separator) has none."""
    out = {}
    for i, (a, b) in runs.items():
        rng = periods.hela_tiden(a, b, first_loaded, last)
        if rng is not None and "|" not in i:
            out[i] = rng
    return out


# measure -> (weight, BIP states counted, kön counted, implicit). States at the period's last
# day: "ej" not measured, "matt" one measurement date, "uppf" two or more without
# stegförflyttning, "steg" with stegförflyttning.
BIP_MEASURES = {
    "deltagare": (8, ("ej", "matt", "uppf", "steg"), ALLA_KON, False),
    "matta": (7, ("matt", "uppf", "steg"), ALLA_KON, False),
    "med_uppfoljning": (6, ("uppf", "steg"), ALLA_KON, False),
    "stegforflyttning": (7, ("steg",), ALLA_KON, False),
    "kvinna_stegforflyttning": (4, ("steg",), ("kvinna",), False),
    "man_stegforflyttning": (4 + MAN, ("steg",), ("man",), False),
    # implicit: never shown, protected
    "ej_matta": (0, ("ej",), ALLA_KON, True),
    "matta_utan_uppfoljning": (0, ("matt",), ALLA_KON, True),
    "utan_stegforflyttning": (0, ("uppf",), ALLA_KON, True),
    "annan_stegforflyttning": (0, ("steg",), ("annan",), True),
}


class Builder:
    """Builds the publication of ``con``'s current data and decides it, family by family."""

    def __init__(self, con, threshold: int, keep_systems: bool = False,
                 previous: Publication | None = None):
        """``keep_systems``: keep each system's cells and decision (for the benchmark's
        audit of what the markers' bounds reveal). ``previous``: the publication of the data
        before this write (``_history``)."""
        self.threshold = threshold
        self.previous = previous if previous and previous.threshold == threshold else None
        self.systems: list | None = [] if keep_systems else None
        self._all: list = []  # every system's (cells, known)
        ep = sql.run(con, "publicering_episoder")
        reg = sql.run(con, "publicering_avslut")
        anon = sql.run(con, "publicering_anonyma")
        reg_ister = sql.run(con, "publicering_insatser")
        first, last = publicering.ends(inlast.perioder(con))
        ids = list(reg_ister["insats_id"])
        self.pub = pub = Publication(
            threshold=threshold, first=first, last=last,
            typ=dict(zip(ids, reg_ister["typ"])),
            kommuner={i: list(k) for i, k in zip(ids, reg_ister["kommuner"])},
            runs={i: (int(a), int(b)) for i, a, b in zip(ids, reg_ister["sq"], reg_ister["eq"])})
        self.typ, self.grid, self.ar_grid = pub.typ, pub.grid, pub.ar_grid
        self.first, self.last = first, last
        self.unit, self.status, self.values = pub.unit, pub.status, pub.values
        self.atoms: dict = {}  # atom key -> id
        self.atom_text: list = []  # atom id -> its key as stored (``_text``)
        self.fingerprints: list = []  # each system's (``_fingerprint``), in order
        self.source: dict = {}  # a forced cell's key -> the keys it was decided from
        self.urval = self._urval()
        self._members_cache: dict = {}
        self.forrehab = dict(zip(ids, reg_ister["forrehab"].astype(bool)))
        self.oppen_manader: int | None = None  # what ``_kval_delt`` counted as open long
        self.hela = hela_perioder(pub.runs, pub.typ, periods.parse(inlast.perioder(con)[0]),
                                  last)
        # the periods of PER_AR families in the decision: the published ones and those an
        # earlier publication had (a year to date of an earlier quarter), kept as cells never
        # shown again, so that what is published now cannot be subtracted from them
        if self.previous is not None:
            pub.historik = sorted(
                {r for r in self.previous.ar_grid + self.previous.historik
                 if r not in pub._ar and first <= r.first and r.last <= last},
                key=lambda r: (r.last, r.first))
        # and what a reader holding both subtracts: the rest of a year to date after an
        # earlier one of the same year (the fourth quarter, after the third's year to date),
        # never published, protected when small
        rests = sorted({periods.Range(h.last + 1, r.last) for h in pub.historik
                        for r in self.ar_grid if r.first == h.first and h.last < r.last},
                       key=lambda r: (r.last, r.first))
        self.per_ar = ([(r, SHOWN) for r in self.ar_grid] + [(r, GONE) for r in pub.historik]
                       + [(r, REST) for r in rests])
        self.gone: set = set()  # the specs of the periods published before
        self._prev_fingerprints: set = set()
        self._prev_ids: dict = {}  # the previous publication's atoms by their keys
        if self.previous is not None:
            self._prev_fingerprints = set(self.previous.meta.get("system", ()))
            self._prev_ids = {k: a for a, k, _ in sql.rows(con, "skydd_atomer")}
        self.reused = 0  # systems whose cells are all as the previous publication had them
        self._build_delt(ep)
        self._build_aktiva(con)
        self._build_hela_aktiva(con)
        self._build_tid(ep)
        self._build_fors(ep)
        self._build_reg(reg)
        self._build_anon(anon)
        self._build_bip(con)
        # what a reader of this publication knows besides what it shows (by the final
        # statuses): the next load's decision takes it as known
        pub.harledda = {k for cells, known in self._all for k in privacy.derived(
            cells, self.status, known)}

    # --- selections ------------------------------------------------------------------------

    def _urval(self) -> list[frozenset]:
        ids = sorted(self.typ)
        kommuner = sorted({k for ks in self.pub.kommuner.values() for k in ks
                           if k != codes.LANSOVERGRIPANDE})

        def covers(i, k):
            ks = self.pub.kommuner[i]
            return k in ks or codes.LANSOVERGRIPANDE in ks

        sets = [frozenset(ids)]
        for k in kommuner:
            sets.append(frozenset(i for i in ids if covers(i, k)))
        for t in sorted(set(self.typ.values())):
            sets.append(frozenset(i for i in ids if self.typ[i] == t))
            for k in kommuner:
                sets.append(frozenset(i for i in ids if self.typ[i] == t and covers(i, k)))
        sets += [frozenset([i]) for i in ids]
        return list(dict.fromkeys(s for s in sets if s))

    # --- atoms -----------------------------------------------------------------------------

    def _atom(self, key: tuple, value: int) -> None:
        aid = self.atoms.get(key)
        if aid is None:
            aid = self.atoms[key] = len(self.atoms)
            self.values.append(0)
            self.atom_text.append(_text(key))
        self.values[aid] += int(value)

    def _atoms_of(self, tag: str, keys: pd.DataFrame, counts) -> np.ndarray:
        """Atoms for the rows of ``keys`` (first column: the insats), each with its count;
        their ids, in row order."""
        out = np.empty(len(keys), dtype=np.int64)
        for j, (key, n) in enumerate(zip(keys.itertuples(index=False, name=None), counts)):
            key = (tag, *(x.item() if isinstance(x, np.generic) else x for x in key))
            self._atom(key, n)
            out[j] = self.atoms[key]
        return out

    def _per_insats(self, family: str, spec: tuple, ids: np.ndarray, insats: np.ndarray,
                    mask: np.ndarray) -> None:
        """``unit`` of ``spec`` for every insats: the atoms ``ids`` where ``mask`` holds, by
        their insats (``insats``: each atom's)."""
        sel = np.flatnonzero(mask)
        for i in self.typ:
            self.unit[(family, i, spec)] = ()
        if not len(sel):
            return
        ins, at = insats[sel], ids[sel]
        cut = np.flatnonzero(ins[1:] != ins[:-1]) + 1  # atoms are sorted by insats
        for part_ins, part in zip(np.split(ins, cut), np.split(at, cut)):
            self.unit[(family, str(part_ins[0]), spec)] = tuple(part.tolist())

    def _members(self, family: str, spec: tuple) -> list[tuple]:
        """Every selection's members for ``spec`` (its individinsatser running in the period,
        for the families with a row per insats), in ``urval``'s order."""
        key = (family in INDIVID, spec[1], spec[2])
        hit = self._members_cache.get(key)
        if hit is None:
            hit = self._members_cache[key] = [
                (len(s) == len(self.typ), tuple(self.pub.members(s, _range(spec)))
                 if key[0] else tuple(sorted(s))) for s in self.urval]
        return hit

    def _cells(self, family: str, specs: list,
               origin: dict | None = None) -> list[privacy.Cell]:
        """The published cells of ``specs`` for every selection (sets of insatser), deduplicated
        by their atoms. A spec is (spec key, priority, implicit). ``origin`` collects each
        cell's (spec, insatser)."""
        cells = []
        values = self.values
        for spec, weight, implicit in specs:
            if implicit:
                self.pub.implicit.add(spec)
            units = {i: u for i in self.typ if (u := self.unit.get((family, i, spec)))}
            if not units:
                continue  # zero everywhere: shown as 0, nothing to decide
            # what the board looks at first: the latest quarter's periods (the year to date
            # above all), all insatser, long periods, totals
            base = 200 * (spec[2] == self.last) + 30 * min(spec_range(spec), 4) + weight
            made: dict = {}
            uses: dict = defaultdict(list)
            for alla, members in self._members(family, spec):
                part = tuple(i for i in members if i in units)
                if not part:
                    continue
                priority = base + 30 * alla + len(members) / 100
                uses[part].append((spec, members))
                cell = made.get(part)
                if cell is not None:
                    cell.priority = max(cell.priority, priority)
                    continue
                atoms = tuple(sorted(a for i in part for a in units[i]))
                made[part] = privacy.Cell(key=(family, atoms), atoms=frozenset(atoms),
                                          value=sum(values[a] for a in atoms),
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

    def _decide(self, cells: list[privacy.Cell], origin: dict, known: list[dict] = (),
                forced: dict | None = None) -> None:
        self._decide_all([(cells, origin, known, forced)])

    def _decide_all(self, systems: list[tuple]) -> None:
        """Decide systems that share no atoms, (cells, origin, known, forced) each, and take
        their statuses in order. A system as published before is taken as it was; the
        others are decided by ``privacy.decide`` and ``privacy.repair``, on both cores when
        there is enough of them (the result is the same)."""
        jobs, todo = [], []
        for cells, origin, known, forced in systems:
            forced = dict(forced or {})
            fp = self._fingerprint(cells, known, forced)
            self.fingerprints.append(fp)
            before = self._same_system(cells, fp)
            if before is None:
                before = self._history(cells, origin, forced)
            jobs.append((cells, known, forced, before))
            if before is None:
                todo.append((cells, known, forced, self.threshold))
        results = iter(_solve_many(todo))
        for cells, known, forced, before in jobs:
            if before is not None:  # everything as published before: decided as it was then
                status, hidden = {**before, **forced}, []
            else:
                status, hidden, left = next(results)
                self.pub.ringas_in += left
            family = cells[0].key[0] if cells else ""
            self.pub.lagade[family] = self.pub.lagade.get(family, 0) + len(hidden)
            if self.systems is not None:
                self.systems.append((cells, status, list(known)))
            self._all.append((cells, list(known)))
            self.status.update(status)
            # repair may hide a cell decided in another family (forced): hidden there too
            if any(key in self.source for key in hidden):
                self._hide_sources()

    def _fingerprint(self, cells: list[privacy.Cell], known: list[dict], forced: dict) -> str:
        """A system's content, whatever its atoms are numbered: its cells (their atoms' keys
        and counts, implicit or not), the relations known among them and the statuses decided
        elsewhere."""
        text, values = self.atom_text, self.values
        atoms = {c.key: tuple(sorted((text[a], values[a]) for a in c.atoms)) for c in cells}
        h = hashlib.sha256(f"{self.threshold}".encode())
        for row in sorted((atoms[c.key], c.implicit) for c in cells):
            h.update(repr(row).encode())
        for rel in sorted(tuple(sorted((text[a], v) for a, v in r.items())) for r in known):
            h.update(repr(rel).encode())
        for row in sorted((atoms[k], st) for k, st in forced.items() if k in atoms):
            h.update(repr(row).encode())
        return h.hexdigest()[:32]

    def _same_system(self, cells: list[privacy.Cell], fp: str) -> dict | None:
        """The previous publication's statuses of a system with the same content, cell by cell
        (None when it had no such system)."""
        prev = self.previous
        if prev is None or fp not in self._prev_fingerprints:
            return None
        ids, text = self._prev_ids, self.atom_text
        out = {}
        for c in cells:
            try:
                key = (c.key[0], tuple(sorted(ids[text[a]] for a in c.atoms)))
            except KeyError:
                return None
            st = prev.status.get(key)
            if st is None and not c.implicit:
                return None
            if st is not None:
                out[c.key] = st
        self.reused += 1
        return out

    def _history(self, cells: list[privacy.Cell], origin: dict, forced: dict) -> dict | None:
        """What the previous publication (the data before this write) tells a reader of these
        cells, added to ``forced`` (cells decided in another family stay as decided there):

        - a cell it published with the same value keeps its status, and a reader knows it
          whatever is hidden now (``Cell.fixed``), as one not shown whose value what was
          shown gave away (``privacy.derived``: a complement, or a cell never published);
        - a cell whose value changed (a correction of an earlier quarter) is hidden when it
          was hidden then, or when a reader knew it and it changed by less than the
          threshold (the change is a small count: the old and the new figure show it);
        - a new cell (a new period) is decided as any.

        Returns the previous statuses when every shown cell is as it was (nothing to decide:
        the publication of this system is the one already out), else None."""
        prev = self.previous
        if prev is None:
            return None
        t = self.threshold
        before, same = {}, True
        for c in cells:
            uses = origin.get(c.key, ())
            never = c.implicit and not any(spec in self.gone for spec, _ in uses)
            # (value, status, whether a reader knew it) then, for each way it was asked
            olds = []
            for spec, members in uses:
                if prev.was_published(c.key[0], spec):
                    v, st, keys = prev.decided(c.key[0], spec, members)
                    olds.append((v, st, st == privacy.VISIBLE or (
                        len(keys) == 1 and keys[0] in prev.harledda)))
            if not olds:
                same = same and c.implicit
                continue
            known = any(k for _, _, k in olds)
            if all(v == c.value for v, _, _ in olds):
                c.fixed = known  # the same count: known now if it was then
                if not never:
                    st = privacy.VISIBLE if any(st == privacy.VISIBLE for _, st, _ in olds) \
                        else olds[0][1]
                    forced.setdefault(c.key, st)
                    before[c.key] = st
                continue
            same = same and c.implicit
            if any(0 < abs(v - c.value) < t for v, _, k in olds if k) or (
                    not never and any(st != privacy.VISIBLE for _, st, _ in olds)):
                forced.setdefault(c.key, privacy.UNPUBLISHED if any(
                    st == privacy.UNPUBLISHED for _, st, _ in olds) else privacy.PRIMARY
                    if c.value < t else privacy.SECONDARY)
        if same and all(forced[k] == st for k, st in before.items()):
            self.reused += 1
            return before
        return None


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

    def _forced(self, cells: list[privacy.Cell], origin: dict, source_of) -> dict:
        """Cells decided in another family: {cell key: status there}. ``source_of(spec,
        members)`` names the cell there, (family, spec, insatser), or None; it is the same
        cell only when it counts the same (else this family decides its own)."""
        value = {c.key: c.value for c in cells}
        forced = {}
        for key, uses in origin.items():
            for spec, members in uses:
                src = source_of(spec, members)
                if src is not None:
                    v, st, keys = self.pub.decided(*src)
                    if v == value[key]:
                        forced[key], self.source[key] = st, keys
        return forced

    # --- the families ------------------------------------------------------------------------

    def _build_aktiva(self, con) -> None:
        """Målgrupp (every insats): per period, atoms are the active episodes by insats, kön,
        dimension and category. Each period is its own system: every dimension counts the
        same episodes (a relation the reader knows), and active episodes of two periods have
        no known sum."""
        cats = {d: [c for c, _ in codes.DOMAINS[d]] if d != "alder" else [c for c, _ in codes.AGE_BANDS]
                for d in MALGRUPP_AKTIVA}
        counts = sql.run(con, "publicering_aktiva", forsta=[r.first for r in self.grid],
                         sista=[r.last for r in self.grid])
        ids = self._atoms_of("a", counts[["forsta", "sista", "insats_id", "kon", "dimension",
                                           "kategori"]], counts["antal"])
        self._aktiva_counts = counts  # (the slutrapport's whole time compares with them)
        by_period = defaultdict(lambda: defaultdict(list))
        for f, t, i, k, d, c, a in zip(counts["forsta"], counts["sista"], counts["insats_id"],
                                       counts["kon"], counts["dimension"], counts["kategori"],
                                       ids.tolist()):
            by_period[(int(f), int(t))][(i, d, c, k)].append(a)
        systems = []
        for rng in self.grid:
            units = by_period.get((rng.first, rng.last), {})
            # every dimension counts the same episodes: their sums are equal (known)
            known = []
            for i, k in sorted({(i, k) for i, _, _, k in units}):
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
                        specs.append((spec, 3 + (kol == "totalt") + MAN * (kol == "man")
                                      + name.startswith("grov:"), False))
            for kol, kons in SUMMA_KONS.items():
                spec = ("aktiva", rng.first, rng.last, "summa", "", kol)
                for i in self.typ:
                    self.unit[("aktiva", i, spec)] = tuple(
                        a for c in cats["alder"] + [ALLA] for k in kons
                        for a in units.get((i, "alder", c, k), ()))
                specs.append((spec, 8 + (kol == "samtliga"), kol == "annan"))
            origin: dict = {}
            cells = self._cells("aktiva", specs, origin)
            # the Summa is the Deltagare table's deltagare_period (the same episodes): decided
            # there, with the Deltagare table's periods that nest (the events between them)
            forced = self._forced(cells, origin, lambda spec, members: (
                "delt", ("delt", spec[1], spec[2], "deltagare_period"),
                self.pub.members(members, _range(spec)))
                if spec[3:] == ("summa", "", "samtliga") else None)
            systems.append((cells, origin, known, forced))
        self._decide_all(systems)

    def _build_hela_aktiva(self, con) -> None:
        """Målgrupp's coarse categories of each ended individinsats over its whole time (the
        slutrapport), for that insats alone: each category's kvinnor and män together, and the
        Summa by kön. When the whole time is a period of the grid, or counts the same episodes as one
        (as many active in it as in a period inside it: no one active outside that period),
        its specs are that period's cells (the same counts: one decision, never two for one
        table); else a system of its own, as a period's, whose Summa is the Deltagare
        table's whole time (decided there)."""
        todo = {i: r for i, r in sorted(self.hela.items()) if self.typ[i] == "individ"}
        cats = {d: [c for c, _ in codes.DOMAINS[d]] if d != "alder"
                else [c for c, _ in codes.AGE_BANDS] for d in MALGRUPP_AKTIVA}
        own = sorted({r for r in todo.values() if r not in set(self.grid)},
                     key=lambda r: (r.last, r.first))
        if not own:
            hela = None
        else:
            hela = sql.run(con, "publicering_aktiva", forsta=[r.first for r in own],
                           sista=[r.last for r in own])
        grid = self._aktiva_counts
        n_grid = grid[grid["dimension"] == "alder"].groupby(
            ["insats_id", "forsta", "sista"])["antal"].sum().to_dict()
        systems = []
        for i, rng in todo.items():
            b = rng.last
            same = rng if rng in set(self.grid) else None
            rows = None
            if same is None:
                rows = hela[(hela["insats_id"] == i) & (hela["forsta"] == rng.first)
                            & (hela["sista"] == b)]
                n = int(rows.loc[rows["dimension"] == "alder", "antal"].sum())
                inside = [p for p in self.grid if rng.first <= p.first and p.last <= b
                          and n_grid.get((i, p.first, p.last), 0) == n]
                # the longest, latest such period (any has the same counts)
                same = max(inside, key=lambda p: (p.last - p.first, p.last), default=None)
            if same is not None:
                for spec in self._hela_aktiva_specs(i, b):
                    src = ("aktiva", same.first, same.last, *spec[0][5:])
                    self.unit[("aktiva", i, spec[0])] = self.unit.get(("aktiva", i, src), ())
                continue
            units = defaultdict(list)
            for k, d, c, n in zip(rows["kon"], rows["dimension"], rows["kategori"],
                                  rows["antal"]):
                key = ("a", rng.first, b, i, k, d, c)
                self._atom(key, n)
                units[(d, c, k)].append(self.atoms[key])
            known = []  # every dimension counts the same episodes
            for k in sorted({k for _, _, k in units}):
                base = {a: 1 for c in cats["alder"] + [ALLA] for a in units.get(("alder", c, k), ())}
                for d in MALGRUPP_AKTIVA[1:]:
                    rel = dict(base)
                    for c in cats[d] + [ALLA]:
                        for a in units.get((d, c, k), ()):
                            rel[a] = rel.get(a, 0) - 1
                    rel = {a: v for a, v in rel.items() if v}
                    if rel:
                        known.append(rel)
            specs = []
            for spec, weight, implicit in self._hela_aktiva_specs(i, b):
                d, name, kol = spec[5:]
                members = cats["alder"] + [ALLA] if d == "summa" else \
                    dict((c, m) for c, _, m in codes.GROV[d])[name.split(":", 1)[1]]
                kons = (SUMMA_KONS if d == "summa" else KONS)[kol]
                self.unit[("aktiva", i, spec)] = tuple(
                    a for c in members for k in kons
                    for a in units.get(("alder" if d == "summa" else d, c, k), ()))
                specs.append((spec, weight, implicit))
            origin: dict = {}
            cells = self._cells("aktiva", specs, origin)
            forced = self._forced(cells, origin, lambda spec, members: (
                "delt", ("delt", spec[2], spec[2], HELA, spec[4], "deltagare_period"), [spec[4]])
                if spec[5:] == ("summa", "", "samtliga") else None)
            systems.append((cells, origin, known, forced))
        self._decide_all(systems)

    @staticmethod
    def _hela_aktiva_specs(i: str, b: int) -> list[tuple]:
        """The slutrapport's Målgrupp specs of insats ``i`` (ended in quarter ``b``): (spec,
        weight, implicit), each coarse category (kvinnor and män: annat kön is never split by
        category), and the Summa by kön."""
        out = []
        for d in MALGRUPP_AKTIVA:
            for code, _, _ in codes.GROV[d]:
                out.append((("aktiva", b, b, HELA, i, d, f"grov:{code}", "totalt"), 5, False))
        for kol in SUMMA_KONS:
            out.append((("aktiva", b, b, HELA, i, "summa", "", kol),
                        8 + (kol == "samtliga"), kol == "annan"))
        return out

    def _build_delt(self, ep: pd.DataFrame) -> None:
        """The Deltagare table (individinsatser): atoms are episodes by insats, start and end
        quarter, kön, till arbete/studier and handlingsplan."""
        # start quarters before the grid are one (nothing counts them apart), except those
        # Registreringskvalitet's open-long count tells apart (``_kval_delt``)
        oldest = min(self.first - 1, self.last - config.get().registrering.oppen_kvartal)
        e = pd.DataFrame({"insats_id": ep["insats_id"],
                          "sqb": ep["sq"].clip(lower=oldest).astype(int),
                          "eqb": ep["eq"].fillna(OPEN).astype(int), "kon": ep["kon"],
                          "ti": ep["till_arbete_studier"].astype(bool),
                          "hp": ep["handlingsplan"].astype(bool)})
        g = e.groupby(list(e.columns)).size().reset_index(name="n")  # sorted by insats
        ids = self._atoms_of("d", g.drop(columns="n"), g["n"])
        cols = [g[c].to_numpy() for c in ("sqb", "eqb", "kon", "ti", "hp")]
        insats = g["insats_id"].to_numpy()
        specs = []
        for rng in self.grid:
            f, t = rng.first, rng.last
            for measure, (weight, cond) in DELT_MEASURES.items():
                spec = ("delt", f, t, measure)
                self._per_insats("delt", spec, ids, insats, cond(f, t, *cols))
                specs.append((spec, weight, measure in DELT_IMPLICIT))
        specs += self._hela_delt(ids, insats, cols) + self._kval_delt(ids, insats, cols)
        origin: dict = {}
        self._decide(self._cells("delt", specs, origin=origin), origin)

    def _hela_delt(self, ids: np.ndarray, insats: np.ndarray, cols: list) -> list:
        """The slutrapport's participants (HELA_DELT) of each ended individinsats over its
        whole time, each for that insats alone; where one counts what a cell of the grid
        counts (the same atoms) it is that cell."""
        specs = []
        for i, rng in sorted(self.hela.items()):
            if self.typ[i] != "individ":
                continue
            own = insats == i
            for measure, (weight, cond, implicit) in HELA_DELT.items():
                spec = ("delt", rng.last, rng.last, HELA, i, measure)
                self._per_insats("delt", spec, ids, insats,
                                 own & cond(rng.first, rng.last, *cols))
                specs.append((spec, weight + HELA_VIKT * (not implicit), implicit))
        return specs

    def _kval_delt(self, ids: np.ndarray, insats: np.ndarray, cols: list) -> list:
        """Kvalitet's Registreringskvalitet for the latest quarter (KVAL_DELT): the episodes
        open longer than the insatser's usual time and those open without a handlingsplan in
        förrehabiliterande insatser."""
        t, reg = self.last, config.get().registrering
        k = reg.oppen_kvartal
        sq, eq, _, _, hp = cols  # (start quarters as far back as t - k told apart: _build_delt)
        self.oppen_manader = reg.oppen_manader
        forrehab = np.array([bool(self.forrehab.get(i)) for i in insats], dtype=bool)
        specs = []
        for measure, (weight, cond, implicit) in KVAL_DELT.items():
            mask = cond(t, k, sq, eq, hp)
            if measure in KVAL_FORREHAB:
                mask = mask & forrehab
            spec = ("delt", t, t, kval_namn(measure, reg.oppen_manader))
            self._per_insats("delt", spec, ids, insats, mask)
            specs.append((spec, weight, implicit))
        return specs

    def _hela_reg(self, ids: np.ndarray, insats: np.ndarray, eq: np.ndarray, kon: np.ndarray,
                  what: np.ndarray) -> tuple[str, list]:
        """The slutrapport's avslutsorsaker (registrations of episodes ended in its whole time)
        of each ended individinsats, for that insats alone: kvinnor and män per group of
        codes, the Summa by kön (annat kön in its "samtliga" only, as everywhere)."""
        rows = hela_avslut_rader(what.tolist())
        specs = []
        for i, rng in sorted(self.hela.items()):
            if self.typ[i] != "individ":
                continue
            inside = (insats == i) & (rng.first <= eq) & (eq <= rng.last)
            for name, members, weight in rows:
                of = inside & np.isin(what, list(members))
                kols = SUMMA_KONS if name == "summa" else {"totalt": KONS["totalt"]}
                for kol, kons in kols.items():
                    spec = ("slut", rng.last, rng.last, i, "avslutsorsak", name, kol)
                    self._per_insats("slut", spec, ids, insats, of & np.isin(kon, kons))
                    specs.append((spec, weight + (kol == "samtliga") + HELA_VIKT * (kol != "annan"),
                                  kol == "annan"))
        return "slut", specs

    def _events(self, family: str, tag: str, df: pd.DataFrame, row: str, rows: list,
                weight: float, forced_of=None, extra=None) -> None:
        """Tid i insats and avslutsorsaker (every insats), published per calendar year: atoms
        are events by insats, end quarter, kön and ``row`` (a band of months, an avslut code;
        annat kön's merged), cells each of ``rows`` (name, the ``row`` values it sums) by kön,
        their Summa by kön and "samtliga"."""
        g = df.assign(row=_annan_alla(df, row)).groupby(
            ["insats_id", "eq", "kon", "row"]).size().reset_index(name="n")
        ids = self._atoms_of(tag, g.drop(columns="n"), g["n"])
        insats, eq = g["insats_id"].to_numpy(), g["eq"].to_numpy()
        kon, what = g["kon"].to_numpy(), g["row"].to_numpy()
        specs = []
        for rng, kind in self.per_ar:
            f, t = rng.first, rng.last
            inside = (f <= eq) & (eq <= t)
            for name, members in rows:
                of = inside & np.isin(what, list(members))
                for kol, kons in (SUMMA_KONS if name == "summa" else KONS).items():
                    spec = (family, f, t, name, kol)
                    self._per_insats(family, spec, ids, insats, of & np.isin(kon, kons))
                    specs.append((spec, weight + (kol == "totalt") + MAN * (kol == "man")
                                  + 5 * (name == "summa"), kol == "annan" or kind != SHOWN))
                    if kind == GONE:
                        self.gone.add(spec)
        origin: dict = {}
        cells = self._cells(family, specs, origin=origin)
        if extra is not None:  # cells of another family over the same atoms: one system
            other, more = extra(ids, insats, eq, kon, what)
            cells += self._cells(other, more, origin=origin)
        forced = self._forced(cells, origin, forced_of) if forced_of else None
        self._decide(cells, origin, forced=forced)

    def _build_tid(self, ep: pd.DataFrame) -> None:
        """Tid i insats (every insats): atoms are ended episodes by insats, end quarter, kön
        and band of months. Its Summa for individinsatser is the Deltagare table's avslutade:
        decided there."""
        e = ep[ep["eq"].notna()]
        e = pd.DataFrame({"insats_id": e["insats_id"], "eq": e["eq"].astype(int),
                          "kon": e["kon"], "band": [tid_band(m) for m in e["manader"]]})
        bands = sorted(set(e.loc[e["kon"] != "annan", "band"]),
                       key=lambda b: int(b.split("_")[0]))
        # the rows every Tid i insats table has outside the kansli (see ``views.malgrupp``)
        self.pub.tid_band = max((int(b.split("_")[0]) - 1) // 5 + 1 for b in bands) if bands else 0
        rows = [(b, (b,)) for b in bands] + [
            ("grov:" + code, tuple(b for b in bands
                                   if codes.grov_kategori("tid_i_insats", b) == code))
            for _, code, _ in codes.TID_GROV] + [("summa", (*bands, ALLA))]
        self._events("tid", "t", e, "band", rows, 2, lambda spec, members: (
            "delt", ("delt", spec[1], spec[2], "avslutade_period"),
            self.pub.members(members, _range(spec)))
            if spec[3:] == ("summa", "samtliga") and all(
                self.typ[i] == "individ" for i in members)
            and _range(spec) in self.pub._ar else None)

    def _build_fors(self, ep: pd.DataFrame) -> None:
        """Försörjning före och efter (every insats; the contract's ``forsorjning`` view):
        atoms are ended episodes by insats, end quarter, kön, source of support at start and
        at avslut (SAKNAS when none is registered); annat kön's sources are merged into ALLA,
        its SAKNAS kept apart. Published per calendar year, as Tid i insats (events in nested
        periods would pin each other's small counts): per year a system of its own, with the
        before × after table by kön, its margins (by source at start, by source at avslut),
        its Summa (with "samtliga"), and of those with public support at start
        (``offentlig``) how many had lön or studiemedel at avslut (``offentlig|egen``, the
        "lämnat offentlig försörjning"). Implicit: annat kön, those without a registered
        source, and everyone avslutad (``alla``): Tid i insats's Summa, the same episodes,
        decided there (the reader knows it, so what is missing a source is protected)."""
        e = ep[ep["eq"].notna()]
        slut = e["forsorjning_slut"].fillna(SAKNAS)
        annan = (e["kon"] == "annan").to_numpy()
        df = pd.DataFrame({"insats_id": e["insats_id"], "eq": e["eq"].astype(int),
                           "kon": e["kon"], "fore": e["forsorjning_start"].where(~annan, ALLA),
                           "efter": slut.where(~annan | (slut == SAKNAS), ALLA)})
        g = df.groupby(list(df.columns)).size().reset_index(name="n")  # sorted by insats
        ids = self._atoms_of("f", g.drop(columns="n"), g["n"])
        insats, eq = g["insats_id"].to_numpy(), g["eq"].to_numpy()
        kon, fore, efter = (g[c].to_numpy() for c in ("kon", "fore", "efter"))
        koder = codes.codes("forsorjning_start")
        med = efter != SAKNAS
        offentlig = np.isin(fore, [k for k in koder if codes.offentlig(k)]) & med
        # (row, column, the atoms it counts, its kön columns, weight); then the implicit ones
        rows = ([(s, t, (fore == s) & (efter == t), KONS, 1) for s in koder for t in koder]
                + [(s, "summa", (fore == s) & med, KONS, 3) for s in koder]
                + [("summa", t, efter == t, KONS, 3) for t in koder]
                + [("offentlig", "summa", offentlig, KONS, 4),
                   ("offentlig", "egen", offentlig & np.isin(efter, codes.EGEN_FORSORJNING),
                    KONS, 4),
                   ("summa", "summa", med, SUMMA_KONS, 6)])
        implicit = [(SAKNAS, SAKNAS, ~med), (ALLA_AVSLUTADE, ALLA_AVSLUTADE, np.ones_like(med))]
        years = defaultdict(list)  # the periods of one calendar year share atoms
        for rng, kind in self.per_ar:
            years[periods.year_start(rng.last)].append((rng, kind))
        systems = []
        for _, ranges in sorted(years.items()):
            specs = []
            for rng, kind in ranges:
                inside = (rng.first <= eq) & (eq <= rng.last)
                for s, t, which, kols, weight in rows + [(*r, SUMMA_KONS, 0) for r in implicit]:
                    for kol, kons in kols.items():
                        spec = ("fors", rng.first, rng.last, s, t, kol)
                        self._per_insats("fors", spec, ids, insats,
                                         inside & which & np.isin(kon, kons))
                        specs.append((spec, weight + (kol == "totalt") + MAN * (kol == "man"),
                                      not weight or kol == "annan" or kind != SHOWN))
                        if kind == GONE:
                            self.gone.add(spec)
            origin: dict = {}
            cells = self._cells("fors", specs, origin)
            forced = self._forced(cells, origin, lambda spec, members: (
                "tid", ("tid", spec[1], spec[2], "summa", spec[5]), members)
                if spec[3] == ALLA_AVSLUTADE and spec[5] != "annan" else None)
            if cells:  # (a year without avslut has nothing to decide)
                systems.append((cells, origin, [], forced))
        self._decide_all(systems)

    def _build_reg(self, reg: pd.DataFrame) -> None:
        codes_ = sorted(set(reg["avslutsorsak"]))
        # the arbetar_N rows every Avslutsorsaker table has outside the kansli
        self.pub.omfattningar = sorted(int(r.split("_")[1]) for r in codes_
                                       if r.startswith("arbetar_"))
        rows = [(r, (r,)) for r in codes_] + [("summa", (*codes_, ALLA))]
        self._events("reg", "r", reg.astype({"eq": int}), "avslutsorsak", rows, 3,
                     extra=self._hela_reg)

    def _build_anon(self, anon: pd.DataFrame) -> None:
        specs = []
        for kind in ("anonyma", "volym"):
            for i, q, n in zip(anon["insats_id"], anon["q"], anon[kind]):
                if n:
                    self._atom(("n", kind, i, int(q)), n)
            for rng, shown in self.per_ar:
                spec = ("anon", rng.first, rng.last, kind)
                for i in self.typ:
                    self.unit[("anon", i, spec)] = tuple(
                        self.atoms[k] for q in range(rng.first, rng.last + 1)
                        if (k := ("n", kind, i, q)) in self.atoms)
                specs.append((spec, 1, shown != SHOWN))
                if shown == GONE:
                    self.gone.add(spec)
        origin: dict = {}
        self._decide(self._cells("anon", specs, origin), origin)

    def _build_bip(self, con) -> None:
        """Progression (individinsatser): per period, atoms are the active episodes by insats,
        kön and BIP state at the period's last day. Each period is its own table (the state
        changes with the last day, and active episodes of two periods have no known sum);
        its "deltagare" is the Deltagare table's deltagare_period: decided there."""
        indikatorer = [code for code, _ in inlast.bip_indikatorer(con)]
        states, pairs = {}, {}
        for t in sorted({r.last for r in self.grid}):
            states[t] = sql.run(con, "publicering_bip", to_date=periods.last_day(t))
            pairs[t] = sql.run(con, "publicering_bip_par", to_date=periods.last_day(t))
        systems = []
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
                    self.pub.bip_insatser.add(i)
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
            forced = self._forced(cells, origin, lambda spec, members: (
                "delt", ("delt", spec[1], spec[2], "deltagare_period"), members)
                if spec[3] == "deltagare" else None)
            systems.append((cells, origin, known, forced))
        self._decide_all(systems)

def _solve(job: tuple) -> tuple[dict, list, list]:
    """Decide one system and make it whole-number safe: (statuses, cells ``repair`` hid or
    left unshown, cells still pinned)."""
    cells, known, forced, threshold = job
    d = privacy.decide(cells, threshold, known, forced)
    hidden, left = privacy.repair(cells, d.status, threshold, list(known))
    return d.status, hidden, left


def _yield_cpu() -> None:
    """A helper process deciding the protection gives the cores to the web's requests first
    (a load while the board reads)."""
    os.nice(10)


PARALLEL_CELLS = 20_000  # below this many cells, a second process costs more than it saves


def _solve_many(jobs: list[tuple]) -> list:
    """``_solve`` for each job, in order; on both cores when there is enough to decide (each
    job's result is the same wherever it is decided)."""
    workers = min(len(jobs), os.cpu_count() or 1, 2)
    if workers < 2 or sum(len(j[0]) for j in jobs) < PARALLEL_CELLS:
        return [_solve(j) for j in jobs]
    try:
        # fork: the children run only privacy.py's code (Python and HiGHS), never DuckDB, so
        # the parent's DuckDB threads do not matter to them; and a fork needs no importable
        # main module, as spawn does
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_yield_cpu)
    except (OSError, AssertionError, ValueError):  # no processes to be had: one core it is
        return [_solve(j) for j in jobs]
    with pool:
        # the largest first, so the two cores end together
        order = sorted(range(len(jobs)), key=lambda j: -len(jobs[j][0]))
        done = dict(zip(order, pool.map(_solve, [jobs[j] for j in order])))
    return [done[j] for j in range(len(jobs))]


def _text(key: tuple) -> str:
    return "|".join(str(x) for x in key)


def besluta(con, threshold: int | None = None, keep_systems: bool = False,
            previous: Publication | None = None) -> Builder:
    """Build and decide the publication of ``con``'s current data, given the ``previous``
    publication (of the data before the write; None: as if nothing had been published); the
    builder holds it (``.pub``) and its atoms' keys."""
    threshold = config.get().suppression_threshold if threshold is None else threshold
    return Builder(con, threshold, keep_systems=keep_systems, previous=previous)


def decision_hash(pub: Publication, text: list, family: str | None = None) -> str:
    """What was decided, independent of how atoms are numbered: every decided cell's status
    with the keys of its atoms (``text``: each atom's, as stored). Equal hashes, equal
    publications. ``family``: of that family's cells alone."""
    h = hashlib.sha256()
    for fam, atoms, st in sorted((k[0], repr(sorted(text[a] for a in k[1])), s)
                                 for k, s in pub.status.items()
                                 if family is None or k[0] == family):
        h.update(f"{fam}\x1f{atoms}\x1f{st}\n".encode())
    return h.hexdigest()[:16]


def spara(con, b: Builder, seconds: float) -> None:
    """Store the builder's decision in ``con`` (inside the caller's write), replacing any."""
    pub, keys = b.pub, b.atom_text
    meta = {
        "data": data_fingerprint(con), "threshold": pub.threshold, "first": pub.first,
        "last": pub.last, "insatser": [[i, pub.typ[i], pub.kommuner[i], *pub.runs[i]]
                                       for i in sorted(pub.typ)],
        "tid_band": pub.tid_band, "omfattningar": pub.omfattningar,
        "bip_insatser": sorted(pub.bip_insatser), "ringas_in": [str(k) for k in pub.ringas_in],
        "lagade": pub.lagade, "hash": decision_hash(pub, keys), "sekunder": round(seconds, 2),
        "historik": [[r.first, r.last] for r in pub.historik],
        # the slutrapport's whole time of each ended insats, and the months Kvalitet's
        # Registreringskvalitet counts as open long (None: the data is too short to tell), as
        # decided: the views read their cells only when these match (``views.slutrapport``)
        "hela": {i: [r.first, r.last] for i, r in sorted(b.hela.items())},
        "registrering": {"oppen_manader": b.oppen_manader},
        "system": b.fingerprints,
        "foregaende": b.previous.meta.get("hash") if b.previous else None,
        "ateranvanda_system": b.reused,
        "beslutat": datetime.now().isoformat(timespec="seconds"),
    }
    enhet = [(key, atoms) for key, atoms in pub.unit.items() if atoms]
    tables = {
        "skydd_atom": pa.table({"atom": pa.array(range(len(keys)), pa.int32()),
                                "nyckel": keys,
                                "antal": pa.array(pub.values, pa.int32())}),
        "skydd_enhet": pa.table({
            "familj": [f for (f, _, _), _ in enhet],
            "forsta": pa.array([s[1] for (_, _, s), _ in enhet], pa.int32()),
            "sista": pa.array([s[2] for (_, _, s), _ in enhet], pa.int32()),
            "namn": [spec_text(s) for (_, _, s), _ in enhet],
            "insats_id": [i for (_, i, _), _ in enhet],
            "atomer": pa.array([list(a) for _, a in enhet], pa.list_(pa.int32())),
            "implicit": [s in pub.implicit for (_, _, s), _ in enhet]}),
        "skydd_status": pa.table({
            "familj": [k[0] for k in pub.status],
            "atomer": pa.array([list(k[1]) for k in pub.status], pa.list_(pa.int32())),
            "status": list(pub.status.values())}),
        "skydd_harledd": pa.table({
            "familj": [k[0] for k in pub.harledda],
            "atomer": pa.array([list(k[1]) for k in pub.harledda], pa.list_(pa.int32()))}),
    }
    for name, table in tables.items():
        con.execute(f"DELETE FROM {name}")
        con.register("skydd_rader", table)
        try:
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM skydd_rader")
        finally:
            con.unregister("skydd_rader")
    con.execute("INSERT OR REPLACE INTO skydd VALUES ('beslut', ?), ('hash', ?)",
                [json.dumps(meta), meta["hash"]])


def besluta_och_spara(con, on_step=None) -> Publication:
    """Decide the protection of the data in ``con`` (a write's connection) and store it there:
    the write's last step, so data and decision become current together."""
    if on_step:
        on_step("skydd")
    t0 = time.perf_counter()
    # the publication the write replaces: what readers may already hold
    b = besluta(con, previous=publicering.load(con, any_data=True))
    spara(con, b, time.perf_counter() - t0)
    return b.pub


def besluta_fil(path: Path) -> float | None:
    """Decide and store the protection for the current data of the database file ``path``,
    unless it is stored already (``python -m dashboard skydd``, and the background job a web
    worker starts for a database without it). Seconds it took, or None when it was there."""
    path = Path(path)
    con = duckdb.connect(str(path.resolve(strict=True)), read_only=True)
    try:
        if not db.has_data(con) or publicering.ready(con):
            return None
    finally:
        con.close()
    with db.writer(path) as con:
        if publicering.ready(con):  # another process decided it while this one waited
            return None
        t0 = time.perf_counter()
        besluta_och_spara(con)
        return time.perf_counter() - t0


_started: set = set()


def besluta_i_bakgrunden(path: Path) -> None:
    """Decide the protection for ``path`` in a process of its own, off every request (once per
    process and file; a second process finds the first one's lock and leaves)."""
    path = Path(path)
    if str(path) in _started:
        return
    _started.add(str(path))
    subprocess.Popen([sys.executable, "-m", "dashboard", "skydd", "--db", str(path),
                      "--tyst"], cwd=config.ROOT, start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
