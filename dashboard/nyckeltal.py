"""The Översikt's key figures for a filter: counts of insatser, lights, burn, participants.

Built only from the views, so a figure here is the same as in the pages' tables and in an
export with the same filter.
"""

from __future__ import annotations

from . import codes, config, publicering, views


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
    try:
        delt = views.deltagare(con, scope, f).attrs["totalt"]
    except publicering.EjPublicerad:  # not a published period: hidden, the page says why
        delt = {k: config.get().dold_marker for k in views.DELTAGARE_COUNTS}
    return {
        "insatser": per_typ,
        "lampor": lampor,
        "budget": {"ack_budget_tkr": ack_budget, "ack_utfall_tkr": ack_utfall,
                   "forbrukningskvot": kvot, "lampa": config.get().budget.lampa(kvot)},
        "deltagare": {k: delt[k] for k in (
            "deltagare_period", "avslutade_period", "till_arbete_studier", "pagaende",
            "anonyma", "volym")},
        "andel_arbete_studier": views.share(delt["till_arbete_studier"], delt["avslutade_period"]),
    }


YOUNG = ("under_15", "15_19", "20_24", "25_29")  # "yngre än 30" (and the coarse under_30)


def malgrupp_lasning(dimension: str, part, totalt: dict, grov: bool = False) -> str:
    """The PM's one-line reading of a breakdown, e.g. "45 % kvinnor, 55 % män; 48 % yngre
    än 30". Built from shown numbers only: a share that would need a hidden one is left out."""
    from . import fmt

    # kön shares of everyone (outside the kansli "samtliga" holds annat kön, which the rows
    # leave out); category shares of what the rows count ("totalt")
    n = totalt.get("samtliga", totalt.get("totalt"))
    if isinstance(n, str) or not n:
        return "För få deltagare för att beskriva gruppen." if isinstance(n, str) else \
            "Inga deltagare i urvalet."
    parts = []
    words = {"kvinna": "kvinnor", "man": "män", "annan": "annat kön"}
    if "kvinna" in totalt:
        shares = [f"{fmt.procent(totalt[k] / n)} {w}" for k, w in words.items()
                  if k in totalt and not isinstance(totalt[k], str) and (totalt[k] or k != "annan")]
        if shares:
            parts.append(", ".join(shares))
    n = totalt.get("totalt")
    if isinstance(n, str) or not n:
        return ("; ".join(parts) + ".") if parts else "De flesta talen är för små för att visas."
    cats = dict(zip(part["kategori"], part["totalt"]))
    if dimension == "alder":
        young = [cats.get(k, 0) for k in (*YOUNG, "under_30")]
        if not any(isinstance(v, str) for v in young):
            parts.append(f"{fmt.procent(sum(young) / n)} yngre än 30")
    else:
        shown = [(v, k) for k, v in cats.items() if not isinstance(v, str)]
        if shown:
            v, k = max(shown)
            if v:
                parts.append(f"vanligast: {codes.malgrupp_label(dimension, k, grov).lower()} "
                             f"({fmt.procent(v / n)})")
    return ("; ".join(parts) + ".") if parts else "De flesta talen är för små för att visas."


def mostly_hidden(part, threshold_share: float = 0.5) -> bool:
    """Whether more than half of a breakdown's non-zero cells are hidden."""
    cols = [c for c in ("kvinna", "man", "annan", "totalt") if c in part.columns]
    cells = [v for c in cols for v in part[c]]
    nonzero = [v for v in cells if isinstance(v, str) or v]
    return bool(nonzero) and sum(isinstance(v, str) for v in nonzero) / len(nonzero) > threshold_share
