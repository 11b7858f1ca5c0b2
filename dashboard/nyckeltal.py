"""The Översikt's key figures for a filter: counts of insatser, lights, burn, participants.

Built only from the views, so a figure here is the same as in the pages' tables and in an
export with the same filter.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from . import codes, config, dolda, fmt, inlast, periods, publicering, schema, urval, views
from .publicerat import LITET, SKYDDAR, Dolt, dolt, som_dolt


def kvartalets_insatser(con, scope: urval.Scope, f: urval.Filter) -> pd.DataFrame:
    """The one set of insatser a quarter's lights count, on every page, the PM and the
    presentation: those running in the filter's `to` quarter (and any other that reported
    for it: the goal table's rows), each with its goal light and its budget light on the year
    to date. After them, marked ``i_kvartalet`` False, the insatser that have budget figures
    in the range or the year to date but did not run in the quarter (ended earlier in the
    year, or during a longer range): their figures count in sums, their lights nowhere.

    Columns: insats_id, kortnamn, typ, kommuner, slutdatum, i_kvartalet, lampa (goal; None
    when the quarter's report is missing or the insats did not run), budget_lampa,
    forbrukningskvot, kommentar ('' when none). Rows in the goal table's order."""
    mal = views.mal(con, scope, f)
    bud = views.budget(con, scope, f)[["insats_id", "kortnamn", "typ", "kommuner",
                                       "forbrukningskvot", "lampa"]]
    running = mal[["insats_id", "kortnamn", "typ", "kommuner", "lampa", "kommentar"]].merge(
        bud[["insats_id", "forbrukningskvot", "lampa"]].rename(columns={"lampa": "budget_lampa"}),
        on="insats_id", how="left")
    running["i_kvartalet"] = True
    ovriga = bud[~bud["insats_id"].isin(mal["insats_id"])].rename(
        columns={"lampa": "budget_lampa"})
    ovriga = ovriga.assign(lampa=None, kommentar="", i_kvartalet=False)
    df = pd.concat([running, ovriga], ignore_index=True) if len(ovriga) else running
    reg = views.insatser(con, scope, f)[["insats_id", "slutdatum"]]
    df = df.merge(reg, on="insats_id", how="left")
    df["kommentar"] = df["kommentar"].fillna("")
    for c in ("lampa", "budget_lampa"):
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    df["i_kvartalet"] = df["i_kvartalet"].astype(bool)
    return df[["insats_id", "kortnamn", "typ", "kommuner", "slutdatum", "i_kvartalet", "lampa",
               "budget_lampa", "forbrukningskvot", "kommentar"]]


def lampantal(df: pd.DataFrame) -> dict:
    """How many of ``kvartalets_insatser`` are green, yellow and red on goal (and how many
    lack the quarter's report) and on budget: ``{"lampor": {...}, "budget_lampor": {...}}``."""
    running = df[df["i_kvartalet"]]
    lampor = {k: int((running["lampa"] == k).sum()) for k, _ in codes.LJUSEN}
    lampor["saknas"] = int(running["lampa"].isna().sum())
    return {"lampor": lampor,
            "budget_lampor": {k: int((running["budget_lampa"] == k).sum()) for k, _ in codes.LJUSEN}}


def oversikt(con, scope: urval.Scope, f: urval.Filter) -> dict:
    reg = views.insatser(con, scope, f)
    per_typ = {
        typ: {s: int(reg.loc[reg["typ"] == typ, s].sum()) for s in urval.STATUSER}
        for typ in codes.codes("typ")
    }
    d = deltagare(con, scope, f)
    return {
        "insatser": per_typ,
        **lampantal(kvartalets_insatser(con, scope, f)),
        "budget": budget(con, scope, f),
        "deltagare": {k: d[k] for k in (
            "deltagare_period", "avslutade_period", "till_arbete_studier", "pagaende",
            "anonyma", "volym") if k in d},  # anonyma, volym: per calendar year only
        "andel_arbete_studier": d["andel_arbete_studier"],
    }


def bip(con, scope: urval.Scope, f: urval.Filter) -> dict:
    """The selection's BIP totals (Progression's "Samtliga"): andel_matta and
    andel_stegforflyttning among them; hidden when the period is not published."""
    try:
        return views.bip(con, scope, f).attrs["totalt"]
    except publicering.EjPublicerad:
        return {"andel_matta": Dolt(SKYDDAR), "andel_stegforflyttning": Dolt(SKYDDAR)}


def mal_lampor(con, scope: urval.Scope, f: urval.Filter) -> dict:
    """How many insatser running in the `to` quarter are green, yellow and red on goal, and how
    many lack the quarter's report."""
    return lampantal(kvartalets_insatser(con, scope, f))["lampor"]


def budget(con, scope: urval.Scope, f: urval.Filter) -> dict:
    """The year to date's budget and utfall of the selection, its förbrukningskvot and light."""
    bud = views.budget(con, scope, f)
    ack_budget, ack_utfall = float(bud["ack_budget_tkr"].sum()), float(bud["ack_utfall_tkr"].sum())
    kvot = ack_utfall / ack_budget if ack_budget else None
    return {"ack_budget_tkr": ack_budget, "ack_utfall_tkr": ack_utfall,
            "forbrukningskvot": kvot, "lampa": config.get().budget.lampa(kvot)}


def deltagare(con, scope: urval.Scope, f: urval.Filter) -> dict:
    """The selection's participant totals (the Deltagare table's protected "Samtliga") and
    the share to work or studies; every count hidden when the period is not published."""
    try:
        delt = views.deltagare(con, scope, f).attrs["totalt"]
    except publicering.EjPublicerad:  # not a published period: hidden, the page says why
        delt = {k: Dolt(SKYDDAR) for k in views.DELTAGARE_COUNTS}
    return {**delt, "andel_arbete_studier": views.share(delt["till_arbete_studier"],
                                                        delt["avslutade_period"])}


def jamforelser(con, f: urval.Filter) -> list[tuple[str, str, urval.Filter]]:
    """The periods a figure is compared with: ``(kind, words, filter)`` for the quarter
    before (kind 'kvartal', when one quarter is shown) and the same period a year earlier
    (kind 'ar'), when loaded."""
    _, f = views.resolve(con, f)
    first = periods.parse(views.perioder(con)[0])
    a, b = periods.parse(f.fran), periods.parse(f.till)
    out = []
    if a == b and a - 1 >= first:
        out.append(("kvartal", f"än {fmt.kvartal(periods.label(a - 1))}",
                    replace(f, fran=periods.label(a - 1), till=periods.label(a - 1))))
    if a - 4 >= first:
        then = replace(f, fran=periods.label(a - 4), till=periods.label(b - 4))
        text = fmt.kvartal(then.till) if a == b else f"{fmt.kvartal(then.fran)} – {fmt.kvartal(then.till)}"
        out.append(("ar", f"än {text}", then))
    return out


def forandring(nu, da, slag: str = "antal") -> tuple[str, str] | None:
    """A change in an arrow and words: ``('▲', '12 fler')``, ``('▼', '3 procentenheter
    lägre')``, ``('=', 'lika många')``. None when either value is hidden or missing: a
    hidden count is never compared."""
    if any(dolt(v) or v is None or v != v for v in (nu, da)):
        return None
    if slag == "andel":
        d = round(nu * 100) - round(da * 100)  # the shown whole percents
        if not d:
            return "=", "samma andel"
        return ("▲" if d > 0 else "▼"), f"{abs(d)} procentenhet{'er' if abs(d) != 1 else ''} " \
            + ("högre" if d > 0 else "lägre")
    d = round(nu) - round(da)
    if not d:
        return "=", "lika många"
    return ("▲" if d > 0 else "▼"), f"{fmt.heltal(abs(d))} " + ("fler" if d > 0 else "färre")


def ar_hittills(con, f: urval.Filter) -> urval.Filter:
    """The year to date at the filter's `to` quarter (a published period)."""
    _, f = views.resolve(con, f)
    return replace(f, fran=periods.label(periods.year_start(periods.parse(f.till))))


def rubrikutfall(con, scope: urval.Scope, f: urval.Filter) -> dict:
    """The year's headline outcome at the `to` quarter: of the participants who ended this
    year, how many went to work or studies, and how many had a plan (the verksamhetsplan's
    goal: at least 80 %). Counts as the board sees them (a hidden count stays hidden)."""
    ytd = ar_hittills(con, f)
    try:
        t = views.deltagare(con, scope, replace(ytd, kon=())).attrs["totalt"]
    except publicering.EjPublicerad:
        t = {k: Dolt(SKYDDAR) for k in views.DELTAGARE_COUNTS}
    plan = views.share(t["med_handlingsplan"], t["avslutade_period"])
    return {
        "fran": ytd.fran, "till": ytd.till,
        "avslutade": t["avslutade_period"],
        "till_arbete_studier": t["till_arbete_studier"],
        "andel_arbete_studier": views.share(t["till_arbete_studier"], t["avslutade_period"]),
        "med_handlingsplan": t["med_handlingsplan"],
        "andel_handlingsplan": plan,
        "mal_handlingsplan": codes.MAL_HANDLINGSPLAN,
        "nar_malet": None if dolt(plan) or plan is None
        else bool(plan >= codes.MAL_HANDLINGSPLAN),
    }


def forsorjning_ar(con, f: urval.Filter) -> urval.Filter | None:
    """The period Översikt, the presentation and the PM show försörjning före och efter for
    beside the year to date at the filter's `to` quarter: that year to date when it is a whole
    calendar year, else the latest whole year before it (the figures are published per
    calendar year: ``views.forsorjning``); None when no whole year is loaded. The same for
    every viewer, so the kansli's copy says what the board's says."""
    ytd = ar_hittills(con, f)
    rng, ytd = views.resolve(con, ytd)
    ar = publicering.ar_period(*publicering.ends(inlast.perioder(con)), rng)
    if ar is None:
        return None
    return replace(ytd, fran=periods.label(ar.first), till=periods.label(ar.last), kon=())


def lamnat_offentlig(con, scope: urval.Scope, f: urval.Filter) -> dict:
    """Of those avslutade in the year of ``forsorjning_ar`` with public support at start, how
    many had lön or studiemedel at avslut, as the viewer sees them: {"i_uttaget", "fran",
    "till", "ar" (the year, e.g. '2022'), "hittills" (the year is the year to date),
    "lamnat", "offentlig", "andel"}; "i_uttaget" False (and nothing else) when the extract
    has no source at avslut, None for "fran" when no whole year is loaded."""
    g = forsorjning_ar(con, f)
    if not views.forsorjning_i_uttaget(con):
        return {"i_uttaget": False}
    if g is None:
        return {"i_uttaget": True, "fran": None}
    lamnat = views.forsorjning(con, scope, g).attrs["lamnat"]
    return {"i_uttaget": True, "fran": g.fran, "till": g.till, "ar": g.till[:4],
            "hittills": g.till == ar_hittills(con, f).till,
            "lamnat": lamnat["lamnat"]["totalt"], "offentlig": lamnat["offentlig"]["totalt"],
            "andel": lamnat["andel"]}


BERAKNING_KOLUMN = {  # berakning -> (view, its column)
    "bip_matta": ("bip", "andel_matta"),
    "bip_stegforflyttning": ("bip", "andel_stegforflyttning"),
    "andel_arbete_studier": ("deltagare", "andel_arbete_studier"),
    "andel_handlingsplan": ("deltagare", "andel_handlingsplan"),
    "deltagare": ("deltagare", "deltagare_period"),
    "andel_egen_forsorjning": ("forsorjning_insats", "andel_lamnat"),
}


def beraknade_utfall(con, scope: urval.Scope, f: urval.Filter,
                     goals: list[tuple[str, str]]) -> list:
    """Goals' utfall computed from the extract (mal.csv's ``berakning``), for ``[(insats_id,
    berakning)]`` in their order: each for its insats and the year to date at the filter's
    `to` quarter, as the pages show it (a fraction for a share, a count, a marker when hidden,
    None when the insats has no such figure or the berakning is not one the dashboard knows).
    Each view is fetched once over the goals' insatser (an insats's row of such a table is
    its own figures, the same published cells), not once per goal."""
    wanted: dict[str, set] = {}
    for insats_id, berakning in goals:
        if berakning in BERAKNING_KOLUMN:
            wanted.setdefault(BERAKNING_KOLUMN[berakning][0], set()).add(insats_id)
    rows: dict[str, dict | str] = {}
    for view, ids in wanted.items():
        g = replace(ar_hittills(con, f), insatser=tuple(sorted(ids)), kon=(), kommuner=(),
                    typer=(), statuser=())
        try:
            df = views.VIEWS[view](con, scope, g)
        except publicering.EjPublicerad:
            rows[view] = Dolt(SKYDDAR)
            continue
        if df.attrs.get("ej_publicerat") and not len(df):  # per calendar year only: none
            rows[view] = config.get().dold_marker
            continue
        rows[view] = {r["insats_id"]: r for r in df.to_dict("records")}
    out = []
    for insats_id, berakning in goals:
        if berakning not in BERAKNING_KOLUMN:
            out.append(None)
            continue
        view, col = BERAKNING_KOLUMN[berakning]
        found = rows[view]
        if dolt(found):
            out.append(found)
            continue
        v = found[insats_id][col] if insats_id in found else None
        out.append(None if v is None or (not dolt(v) and v != v) else v)
    return out


def mal_lampa(utfall, malvarde, enhet: str | None) -> str | None:
    """The light of a computed goal: green when it reaches its målvärde, yellow within a tenth
    of it, red below; None when either is missing or hidden."""
    if dolt(utfall) or utfall is None or malvarde is None or malvarde != malvarde:
        return None
    value = utfall * 100 if enhet == "procent" else utfall
    if round(value) >= malvarde:
        return "gron"
    return "gul" if round(value) >= 0.9 * malvarde else "rod"


def skiljer_sig(beraknat, rapporterat, enhet: str | None) -> bool:
    """Whether a goal's computed utfall (a fraction for a share, a count) and the one the
    styrgrupp reported (in the goal's unit: 75 for 75 %) differ by more than a tenth of the
    reported, as shown (whole numbers). Never for a hidden or missing value: a hidden count
    is never compared."""
    if dolt(beraknat) or beraknat is None or beraknat != beraknat:
        return False
    if dolt(rapporterat) or rapporterat is None or rapporterat != rapporterat:
        return False
    value = round(beraknat * 100 if enhet == "procent" else beraknat)
    return abs(value - rapporterat) > abs(rapporterat) / 10


def avvikelser(row, atgard: bool) -> list[str]:
    """The checklist answers of a quarterly report that deviate from what is expected, in
    words: those asking for action (``atgard``) or those for information."""
    out = []
    for c in schema.CHECKLISTA:
        v = row[c.name]
        if c.atgard == atgard and v is not None and v == v and bool(v) != c.expected:
            out.append(c.avvikelse)
    return out


ORDNING = {"rod": 0, "gul": 1}


def uppmarksamhet(con, scope: urval.Scope, f: urval.Filter) -> pd.DataFrame:
    """The one attention list of the `to` quarter: every insats whose goal or budget light is
    red or yellow, whose quarterly report is missing, or whose styrgrupp answered a Kvalitet
    question in a way that asks for action; why, in words. Red (on either light) first, then
    yellow, then the rest; within each in the order of the goal table.

    Columns: insats_id, kortnamn, lampa (goal), budget_lampa, forbrukningskvot, skal (list
    of reasons in Swedish), kommentar (the styrgrupp's, '' when none)."""
    _, f = views.resolve(con, f)
    mal = views.mal(con, scope, f)
    bud = views.budget(con, scope, ar_hittills(con, f)).set_index("insats_id")
    kval = views.kvalitet(con, scope, f).set_index("insats_id")
    band = config.get().budget
    rows = []
    for r in mal.itertuples():
        skal = []
        if r.lampa in ORDNING:
            skal.append("Målen: " + ("prognosen är att de inte nås" if r.lampa == "rod"
                                     else "inte i fas, men prognosen är att de nås"))
        elif r.lampa is None or r.lampa != r.lampa:
            skal.append("Kvartalsrapport saknas")
        b = bud.loc[r.insats_id] if r.insats_id in bud.index else None
        b_lampa = None if b is None else b["lampa"]
        if b_lampa in ORDNING:
            flytt = [f", {fmt.tkr(b[c])} {w}" for c, w in (("overfort_tkr", "överfört"),
                                                          ("aterfort_tkr", "återfört")) if b[c]]
            skal.append(f"Budget: {fmt.procent(b['forbrukningskvot'])} förbrukat i år "
                        f"(grönt {band.gron[0]:g}–{band.gron[1]:g}{fmt.NBSP}%)" + "".join(flytt))
        if r.insats_id in kval.index:
            atgard = avvikelser(kval.loc[r.insats_id], atgard=True)
            skal += ["Kvalitet: " + ", ".join(atgard)] if atgard else []
        if not skal:
            continue
        # the all-insatser table's order: red on goal, red on budget, yellow on goal, ...
        rank = min(ORDNING.get(r.lampa, 2), ORDNING.get(b_lampa, 2) + 0.5)
        rows.append((rank, r.insats_id, r.kortnamn, r.lampa, b_lampa,
                     None if b is None else b["forbrukningskvot"], skal,
                     r.kommentar if isinstance(r.kommentar, str) else ""))
    df = pd.DataFrame(rows, columns=["rank", "insats_id", "kortnamn", "lampa", "budget_lampa",
                                     "forbrukningskvot", "skal", "kommentar"])
    df = df.sort_values("rank", kind="stable")  # within a rank: the goal table's order
    return df.drop(columns="rank").reset_index(drop=True)


INGET_ATT_LASA = "De flesta talen är för små för att visas."  # a reading with nothing shown
YOUNG = ("under_15", "15_19", "20_24", "25_29")  # "yngre än 30" (and the coarse under_30)


KON_ORD = {"kvinna": "kvinnor", "man": "män", "annan": "annat kön"}


def kon_lasning(totalt: dict) -> str:
    """The kön split of everyone a breakdown counts ("45 % kvinnor, 54 % män"), from the
    table's published totals; a share of a hidden count is said to be hidden, never left out
    (a lone "60 % män" reads as if the rest were kvinnor). '' without a kön split or a
    published total."""
    n = totalt.get("samtliga", totalt.get("totalt"))
    if dolt(n) or not n or "kvinna" not in totalt:
        return ""
    shares, hidden = [], []
    for k, w in KON_ORD.items():
        v = totalt.get(k)
        if dolt(v):
            hidden.append(w)
        elif k in totalt and (v or k != "annan"):
            shares.append(f"{fmt.procent(v / n)} {w}")
    text = ", ".join(shares)
    if hidden:
        text += (" (" if text else "") + f"andelen {' och '.join(hidden)} döljs för att skydda " \
            "ett litet tal" + (")" if text else "")
    return text


def _och(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def kategori_lasning(dimension: str, part, totalt: dict, grov: bool = False) -> str:
    """What a breakdown's categories say, in words built from shown numbers only: for ålder
    the share younger than 30, else the most common category, named only when no hidden one
    can be larger (``dolda.storsta``; otherwise which may be, so the words above a chart say
    when its largest bar may not be the largest group). '' when nothing can be said."""
    n = totalt.get("totalt")
    n = None if dolt(n) or not n else n

    def amount(v) -> str:
        return fmt.procent(v / n) if n else fmt.heltal(v)

    if not len(part):
        return ""
    cats = dict(zip(part["kategori"], part["totalt"]))
    if dimension == "alder":  # the share younger than 30, else the largest age band
        young = [cats[k] for k in (*YOUNG, "under_30") if k in cats]
        if young and not any(dolt(v) for v in young) and sum(young):
            return f"{amount(sum(young))} yngre än 30"
    kats = dolda.kategorier(part.assign(_kod=part["kategori"]), "_kod", summa=totalt)
    top, maybe = dolda.storsta(kats)
    if top is None:
        return ""

    def label(kod: str) -> str:
        text = codes.malgrupp_label(dimension, kod, grov)
        if dimension == "tid_i_insats":  # "1–10" alone reads as a range of anything
            return text + " månader"
        return text if text in codes.EGENNAMN else text.lower()

    text = f"vanligast: {label(top.namn)} ({amount(top.minst)})"
    if maybe:
        text = (f"flest bland de som visas: {label(top.namn)} ({amount(top.minst)}); "
                f"{_och([label(k.namn) for k in maybe])} döljs och kan vara fler")
    return text


def malgrupp_lasning(dimension: str, part, totalt: dict, grov: bool = False) -> str:
    """The PM's one-line reading of a breakdown, e.g. "45 % kvinnor, 55 % män; 48 % yngre
    än 30": ``kon_lasning`` and ``kategori_lasning``, from shown numbers only."""
    n = totalt.get("samtliga", totalt.get("totalt"))
    if dolt(n) or not n:
        if not dolt(n):
            return "Inga deltagare i urvalet."
        # "<5": few; "X": hidden to protect small numbers beside it, not few
        return ("För få deltagare för att beskriva gruppen." if som_dolt(n).slag == LITET
                else INGET_ATT_LASA)
    parts = [p for p in (kon_lasning(totalt), kategori_lasning(dimension, part, totalt, grov))
             if p]
    return ("; ".join(parts) + ".") if parts else INGET_ATT_LASA


def mostly_hidden(part) -> bool:
    """Whether a chart of the breakdown would be mostly gaps: more than half of its
    categories with anything in them without a bar (a category whose kön split is hidden
    is drawn by its published total: ``dolda``)."""
    return dolda.mest_dolt(dolda.kategorier(part, None))


def jamforda(con, f: urval.Filter, value, kinds: tuple[str, ...] = ("kvartal", "ar")) -> list[tuple]:
    """One figure (``value`` gives it for a filter) against the comparisons of
    ``jamforelser`` of the given kinds: (words for the other period, now, then), what
    ``components.riktning`` draws."""
    now = value(f)
    return [(words, now, value(g)) for kind, words, g in jamforelser(con, f) if kind in kinds]
