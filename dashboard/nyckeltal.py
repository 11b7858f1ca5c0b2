"""The Översikt's key figures for a filter: counts of insatser, lights, burn, participants.

Built only from the views, so a figure here is the same as in the pages' tables and in an
export with the same filter.
"""

from __future__ import annotations

from . import codes, config, views


def oversikt(con, scope: views.Scope, f: views.Filters) -> dict:
    reg = views.insatser(con, scope, f)
    per_typ = {
        typ: {s: int(reg.loc[reg["typ"] == typ, s].sum()) for s in views.STATUSER}
        for typ in codes.codes("typ")
    }
    mal = views.mal(con, scope, f)
    lampor = {k: int((mal["lampa"] == k).sum()) for k in ("gron", "gul", "rod")}
    lampor["saknas"] = int(mal["lampa"].isna().sum())
    bud = views.budget(con, scope, f)
    ack_budget, ack_utfall = float(bud["ack_budget_tkr"].sum()), float(bud["ack_utfall_tkr"].sum())
    kvot = ack_utfall / ack_budget if ack_budget else None
    delt = views.deltagare(con, scope, f).attrs["totalt"]
    return {
        "insatser": per_typ,
        "lampor": lampor,
        "budget": {"ack_budget_tkr": ack_budget, "ack_utfall_tkr": ack_utfall,
                   "forbrukningskvot": kvot, "lampa": config.get().budget.lampa(kvot)},
        "deltagare": {k: delt[k] for k in (
            "deltagare_period", "avslutade_period", "till_arbete_studier", "pagaende",
            "anonyma", "volym")},
        "andel_arbete_studier": _share(delt["till_arbete_studier"], delt["avslutade_period"]),
    }


def _share(n, total):
    """n / total; the marker when either is hidden, None when nobody ended."""
    if isinstance(n, str) or isinstance(total, str):
        return config.get().suppressed_marker
    return None if not total else n / total

