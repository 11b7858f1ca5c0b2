"""The contract's code lists, their Swedish labels, and the mapping from display forms.

One source of truth: the ingest validates against these, the database gets them as the
reference table ``kod`` (for ordering and labels), and the pages label with them.
"""

from __future__ import annotations

import unicodedata

# Each list: (code, Swedish label[, group]) in display order.
TYP = [
    ("individ", "Individinsats"),
    ("struktur", "Strukturinsats"),
    ("kompetens", "Kompetenshöjande insats"),
]
KON = [("kvinna", "Kvinna"), ("man", "Man"), ("annan", "Annan")]
# Names that keep their capital letter inside a sentence (the authorities)
EGENNAMN = {"Försäkringskassan", "Arbetsförmedlingen"}
REMITTENT = [
    ("forsakringskassan", "Försäkringskassan"),
    ("arbetsformedlingen", "Arbetsförmedlingen"),
    ("kommun", "Kommun"),
    ("region", "Region"),
    ("egen", "Egen anmälan"),
    ("annan", "Annan"),
]
# The main source of support, at start (forsorjning_start) and at avslut (forsorjning_slut):
# one code list for both. ``lon`` is income from work, own business included.
FORSORJNING = [
    ("aktivitetsersattning", "Aktivitetsersättning"),
    ("sjukpenning", "Sjukpenning"),
    ("ekonomiskt_bistand", "Ekonomiskt bistånd"),
    ("arbetsloshetsersattning", "Arbetslöshetsersättning"),
    ("aktivitetsstod", "Aktivitetsstöd"),
    ("etableringsersattning", "Etableringsersättning"),
    ("lon", "Lön"),
    ("studiemedel", "Studiemedel"),
    ("ingen", "Ingen"),
    ("annan", "Annan"),
]
FORSORJNING_START = FORSORJNING
# Own support (egen försörjning): work or studies. Public support (offentlig försörjning) is
# every source but these and ``ingen`` ("annan" counts as public: another benefit).
EGEN_FORSORJNING = ("lon", "studiemedel")
EJ_OFFENTLIG = (*EGEN_FORSORJNING, "ingen")


def offentlig(code: str) -> bool:
    """Whether a source of support is public (a benefit): neither own nor none."""
    return code not in EJ_OFFENTLIG

FORSORJNINGSTID = (
    [(f"upp_till_{n}_ar", f"Upp till {n} år") for n in range(1, 10)]
    + [("9_ar_eller_mer", "9 år eller mer"), ("ej_tillampligt", "Ej tillämpligt")]
)
UTBILDNING = [
    ("grundskola", "Grundskola"),
    ("gymnasium", "Gymnasium"),
    ("eftergymnasial_annan", "Annan eftergymnasial utbildning"),
    ("hogskola_upp_till_1_ar", "Högskola/universitet upp till 1 år"),
    ("hogskola_upp_till_3_ar", "Högskola/universitet upp till 3 år"),
    ("hogskola_mer_an_3_ar", "Högskola/universitet mer än 3 år"),
    ("saknas", "Saknas/okänd"),
]
MALTYP = [
    ("overgripande", "Övergripande mål"),
    ("effektmal", "Effektmål"),
    ("insatsmal", "Insatsmål"),
    ("resultatmal", "Resultatmål"),
]
ENHET = [("procent", "Procent"), ("antal", "Antal")]
BEDOMNING = [
    ("uppnatt", "Uppnått"),
    ("delvis", "Delvis uppnått"),
    ("ej_uppnatt", "Ej uppnått"),
    ("pagar", "Pågår"),
]
AVSLUTSORSAK = [
    ("subventionerat_arbete", "Subventionerat arbete", "arbete"),
    ("ej_subventionerat_arbete", "Ej subventionerat arbete", "arbete"),
    ("eget_foretag", "Eget företag", "arbete"),
    ("arbetar", "Arbetar", "arbete"),
    ("studier", "Studier", "studier"),
    ("aktivt_arbetssokande", "Aktivt arbetssökande", "arbetssokande"),
    ("ater_remittent", "Åter till remittent", "annat"),
    ("annan_insats", "Annan insats", "annat"),
    ("ohalsa", "Ohälsa", "annat"),
    ("flyttat", "Flyttat", "annat"),
    ("avbrott", "Avbrott", "annat"),
    ("annat", "Annat", "annat"),
]
AVSLUT_GRUPP = [
    ("arbete", "Arbete"),
    ("studier", "Studier"),
    ("arbetssokande", "Arbetssökande"),
    ("annat", "Annat"),
]
# Groups that count as "till arbete/studier".
ARBETE_STUDIER_GRUPPER = ("arbete", "studier")

# BIP employability indicators (the Danish "Beskæftigelsesindikatorprojektet", used in
# Swedish finsam as "BIP-indikatorerna"), the eleven codes this project documents: the default
# list, which an extract's own bip_indikatorer.csv replaces for its load (SMAIL or another
# tool). Values are integers on the tool's scale (``config.Config.bip_skala``).
BIP_INDIKATOR = [
    ("jobbredo", "Jobbredo (arbetsberedskap)"),
    ("jobbsokning", "Jobbsökning"),
    ("kvalifikationer", "Yrkeskvalifikationer"),
    ("samarbetsformaga", "Samarbetsförmåga"),
    ("stabilitet", "Stabilitet"),
    ("sjalvtillit", "Självtillit"),
    ("inlarningsformaga", "Inlärningsförmåga"),
    ("personlig_omsorg", "Personlig omsorg"),
    ("halsa", "Hälsa"),
    ("sociala_relationer", "Sociala relationer och nätverk"),
    ("boende_vardag", "Boende och vardagsliv"),
]

# The förbund's goals the pages measure against, where an insats's mal.csv does not compute its
# own (``berakning``): a plan at avslut in förrehabiliterande insatser (seed 004), every
# participant measured with BIP and 80 % stegförflyttning (seed 003).
MAL_HANDLINGSPLAN = 0.80
MAL_BIP_MATTA = 1.0
MAL_BIP_STEGFORFLYTTNING = 0.80

# How a goal's utfall is computed from the data (mal.csv's optional ``berakning``).
BERAKNING = [
    ("bip_matta", "Andel mätta med BIP (%)"),
    ("bip_stegforflyttning", "Andel med stegförflyttning (%)"),
    ("andel_arbete_studier", "Andel avslutade till arbete eller studier (%)"),
    ("andel_handlingsplan", "Andel avslutade med handlingsplan (%)"),
    ("deltagare", "Antal aktiva deltagare"),
    ("andel_egen_forsorjning", "Andel avslutade som lämnat offentlig försörjning (%)"),
]

AGE_BANDS = (
    [("under_15", "Under 15")]
    + [(f"{a}_{a + 4}", f"{a}–{a + 4}") for a in range(15, 65, 5)]
    + [("65_plus", "65+")]
)

# Dimensions of the målgrupp view, in display order, with their Swedish headings.
MALGRUPP_DIMENSIONER = [
    ("alder", "Ålder", AGE_BANDS),
    ("forsorjningstid", "Tid i offentlig försörjning", FORSORJNINGSTID),
    ("utbildning", "Utbildningsnivå", UTBILDNING),
    ("forsorjning_start", "Försörjning vid start", FORSORJNING_START),
    ("remittent", "Remittent", REMITTENT),
    ("tid_i_insats", "Tid i insats (månader)", None),  # bands generated from the data
]

# A coarser grouping per målgrupp dimension, for small selections (a LOKUS group's kommun)
# where the detailed table would be mostly "<5": (coarse code, label, the detailed codes).
GROV: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "alder": [
        ("under_30", "Under 30", ("under_15", "15_19", "20_24", "25_29")),
        ("30_49", "30–49", ("30_34", "35_39", "40_44", "45_49")),
        ("50_plus", "50 eller äldre", ("50_54", "55_59", "60_64", "65_plus")),
    ],
    "forsorjningstid": [
        ("upp_till_1_ar", "Upp till 1 år", ("upp_till_1_ar",)),
        ("1_3_ar", "1–3 år", ("upp_till_2_ar", "upp_till_3_ar")),
        ("mer_an_3_ar", "Mer än 3 år",
         tuple(f"upp_till_{n}_ar" for n in range(4, 10)) + ("9_ar_eller_mer",)),
        ("ej_tillampligt", "Ej tillämpligt", ("ej_tillampligt",)),
    ],
    "utbildning": [
        ("grundskola_saknas", "Grundskola eller okänd", ("grundskola", "saknas")),
        ("gymnasium", "Gymnasium", ("gymnasium",)),
        ("eftergymnasial", "Eftergymnasial", ("eftergymnasial_annan", "hogskola_upp_till_1_ar",
                                              "hogskola_upp_till_3_ar", "hogskola_mer_an_3_ar")),
    ],
    "forsorjning_start": [
        ("fk", "Ersättning från Försäkringskassan", ("aktivitetsersattning", "sjukpenning")),
        ("af", "Ersättning via Arbetsförmedlingen",
         ("arbetsloshetsersattning", "aktivitetsstod", "etableringsersattning")),
        ("ekonomiskt_bistand", "Ekonomiskt bistånd", ("ekonomiskt_bistand",)),
        ("egen", "Lön eller studiemedel", EGEN_FORSORJNING),
        ("ingen_annan", "Ingen eller annan", ("ingen", "annan")),
    ],
    "remittent": [
        ("forsakringskassan", "Försäkringskassan", ("forsakringskassan",)),
        ("arbetsformedlingen", "Arbetsförmedlingen", ("arbetsformedlingen",)),
        ("kommun_region", "Kommun eller region", ("kommun", "region")),
        ("egen_annan", "Egen anmälan eller annan", ("egen", "annan")),
    ],
}
TID_GROV = [(10, "1_10", "1–10"), (20, "11_20", "11–20"), (None, "21_plus", "21 eller fler")]


def grov_kategori(dimension: str, kategori: str) -> str:
    """The coarse category of a detailed one (month bands 'M_N' by their lower bound)."""
    if dimension == "tid_i_insats":
        low = int(kategori.split("_")[0])
        return next(code for upper, code, _ in TID_GROV if upper is None or low <= upper)
    return next(code for code, _, members in GROV[dimension] if kategori in members)


def grov_order(dimension: str, kategori: str) -> tuple[int, int]:
    """Sort key of a coarse category: its dimension's place, then the GROV list's order."""
    dims = [d for d, _, _ in MALGRUPP_DIMENSIONER]
    codes_ = [c for _, c, _ in TID_GROV] if dimension == "tid_i_insats" else \
        [c for c, _, _ in GROV[dimension]]
    return dims.index(dimension), codes_.index(kategori)


def malgrupp_label(dimension: str, kategori: str, grov: bool = False) -> str:
    """Swedish label of a målgrupp category (detailed or coarse)."""
    if dimension == "tid_i_insats":
        if grov:
            return next(lab for _, code, lab in TID_GROV if code == kategori)
        a, b = kategori.split("_")
        return f"{a}–{b}"
    if grov:
        return next(lab for code, lab, _ in GROV[dimension] if code == kategori)
    return labels(dimension).get(kategori, kategori)


DOMAINS: dict[str, list[tuple]] = {
    "typ": TYP,
    "kon": KON,
    "remittent": REMITTENT,
    "forsorjning_start": FORSORJNING,
    "forsorjning_slut": FORSORJNING,
    "forsorjningstid": FORSORJNINGSTID,
    "utbildning": UTBILDNING,
    "maltyp": MALTYP,
    "enhet": ENHET,
    "bedomning": BEDOMNING,
    "avslutsorsak": AVSLUTSORSAK,
    "avslut_grupp": AVSLUT_GRUPP,
    "bip_indikator": BIP_INDIKATOR,
    "berakning": BERAKNING,
    "alder": AGE_BANDS,
}

# Traffic lights never rely on colour alone: each has a symbol and a word.
LAMPOR = {
    "gron": ("●", "Grön"),
    "gul": ("▲", "Gul"),
    "rod": ("■", "Röd"),
    "saknas": ("○", "Saknas"),  # no report for the quarter
}


# the three lights in order, with their words (a count per light: Översikt, the presentation)
LJUSEN = tuple((k, LAMPOR[k][1]) for k in ("gron", "gul", "rod"))


def lampa_key(value) -> str:
    """'gron' | 'gul' | 'rod', or 'saknas' for anything else (None, NaN)."""
    return value if value in ("gron", "gul", "rod") else "saknas"


# A light's colour in a sentence, one and several ("1 gul", "5 gröna")
LAMPA_ORD = {"gron": ("grön", "gröna"), "gul": ("gul", "gula"), "rod": ("röd", "röda")}


def lampa_ord(key: str, n: int) -> str:
    return LAMPA_ORD[key][n != 1]


def lampa_text(value) -> str:
    """``'● Grön'``, ``'○ Saknas'``, …"""
    symbol, word = LAMPOR[lampa_key(value)]
    return f"{symbol} {word}"


JA = {"ja", "j", "1", "yes", "y", "true", "sant"}
NEJ = {"nej", "n", "0", "no", "false", "falskt"}

LANSOVERGRIPANDE = "Länsövergripande"
DEMO_FORBUND = "Samordningsförbundet Demolän (påhittade data)"  # the synthetic demo's förbund


def fold(text: str) -> str:
    """Lower-case ASCII key of a display form: ``'Ekonomiskt bistånd'`` -> ``'ekonomiskt_bistand'``."""
    t = unicodedata.normalize("NFKD", text.strip().lower())
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    out = []
    for ch in t:
        out.append(ch if ch.isalnum() else "_")
    return "_".join(filter(None, "".join(out).split("_")))


def lookup(domain: str, items: list[tuple] | None = None) -> dict[str, str]:
    """Every accepted spelling (code, label, folded label) -> code, for one domain; ``items``
    in place of the domain's list when an extract gives its own (``bip_indikatorer.csv``)."""
    table: dict[str, str] = {}
    for row in DOMAINS[domain] if items is None else items:
        code, lab = row[0], row[1]
        for key in (code, lab.lower(), fold(lab), fold(code)):
            table.setdefault(key, code)
    return table


def labels(domain: str) -> dict[str, str]:
    return {row[0]: row[1] for row in DOMAINS[domain]}


def codes(domain: str) -> list[str]:
    return [row[0] for row in DOMAINS[domain]]


def avslut_label(code: str) -> str:
    """Label of an avslutsorsaker row, including the split ``arbetar_75`` -> ``Arbetar 75 %``."""
    if code.startswith("arbetar_"):
        return f"Arbetar {code.split('_', 1)[1]} %"
    return labels("avslutsorsak").get(code, code)


def reference_rows() -> list[tuple[str, str, str, str | None, int]]:
    """Rows for the database table ``kod(domain, code, label, grupp, sort)``."""
    rows = []
    for domain, items in DOMAINS.items():
        for i, row in enumerate(items):
            grupp = row[2] if len(row) > 2 else None
            rows.append((domain, row[0], row[1], grupp, i))
    return rows
