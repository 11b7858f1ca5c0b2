"""The extract's files and columns in Swedish, written from ``schema`` and ``codes`` (the one
place they are written): the generated part of docs/uttagsformat.md. A test keeps the page
equal to this; ``python -m dashboard.uttagsformat`` rewrites it after a schema change."""

from __future__ import annotations

from pathlib import Path

from . import codes, config, schema

DOC = config.ROOT / "docs" / "uttagsformat.md"
START = "<!-- schema: början (skrivs av python -m dashboard.uttagsformat) -->"
END = "<!-- schema: slut -->"

ONE_ROW = {
    "uttag": "uttaget självt (en rad)",
    "insatser": "insats (hela registret varje kvartal)",
    "kvartalsrapport": "insats och kvartal",
    "mal": "mål, insats och kvartal",
    "budget": "insats och kvartal",
    "deltagare": "deltagare och insats (SUS, allt fram till periodens slut)",
    "avslut": "avslutsregistrering (flera per deltagare går bra)",
    "anonyma": "insats och kvartal",
    "bip": "deltagare, insats, mätdatum och indikator",
    "bip_indikatorer": "indikator",
}
KIND = {
    "text": "text", "list": "lista, avgränsad med `\\|`", "date": "datum `ÅÅÅÅ-MM-DD`",
    "janej": "ja/nej", "number": "tal (decimalkomma eller -punkt)", "int": "heltal",
    "period": "kvartal `ÅÅÅÅ-Qn`",
}


def _typ(stem: str, c: schema.Col) -> str:
    if c.kind.startswith("code:"):
        domain = c.kind[5:]
        own = next((f for f, (d, *_) in schema.CODE_LISTS.items() if d == domain), None)
        text = "kod: " + ", ".join(f"`{k}`" for k in codes.codes(domain))
        return text + (f" (eller koderna i `{own}.csv` när uttaget har den)" if own else "")
    text = KIND[c.kind]
    if c.config_bounds:
        lo, hi = getattr(config.Config(), c.config_bounds)
        return text + f" inom inställningen `{c.config_bounds}` (standard {lo}–{hi})"
    if c.min is not None and c.max is not None:
        return text + f", {c.min:g}–{c.max:g}"
    if c.min is not None:
        return text + f", minst {c.min:g}"
    return text


def _och(names: list[str]) -> str:
    words = [f"`{n}`" for n in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def tabeller() -> str:
    """Markdown: one section per file with its columns."""
    out = []
    for stem, cols in schema.FILES.items():
        krav = "obligatorisk" if stem in schema.REQUIRED_FILES else "valfri"
        key = schema.KEYS.get(stem)
        out += [f"### {stem}.csv", "",
                f"En rad per {ONE_ROW[stem]}. Filen är {krav}."
                + (f" Samma {_och(key)} får bara finnas på en rad." if key else ""), "",
                "| kolumn | typ | måste fyllas i | betyder |", "|---|---|---|---|"]
        out += [f"| `{c.name}` | {_typ(stem, c)} | {'ja' if c.required else 'nej'} | "
                f"{c.label} |" for c in cols]
        out.append("")
    return "\n".join(out).rstrip("\n")


def rewrite(path: Path = DOC) -> None:
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{tabeller()}\n{END}{tail}", encoding="utf-8")


def generated(path: Path = DOC) -> str:
    """The page's generated part as it stands."""
    return path.read_text(encoding="utf-8").split(START, 1)[1].split(END, 1)[0].strip("\n")


if __name__ == "__main__":
    rewrite()
    print(f"Skrev {DOC}")
