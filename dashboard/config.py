"""Configuration: paths, thresholds and limits, read in one place.

Defaults below; a TOML file overrides them (``INSATSKOLLEN_CONFIG`` or ``insatskollen.toml``
in the project root), and a few environment variables override the file:

- ``INSATSKOLLEN_DB``: the database file; ``INSATSKOLLEN_USERS``: the users file;
- ``INSATSKOLLEN_DEMO=1``: demo mode (demo users offered at login);
- ``INSATSKOLLEN_SECURE_COOKIES=1``: session cookie only over HTTPS.

Example ``insatskollen.toml``::

    db_path = "/srv/insatskollen/insatskollen.duckdb"
    suppression_threshold = 5          # counts 1..4 are shown as "<5"
    bip_skala = [1, 5]                 # the BIP/SMAIL tool's scale (bip.csv's varde)

    [granser]                          # what one extract may spend (see Limits)
    fil_mb = 256
    totalt_mb = 1024

    [budget_lampa]                     # förbrukningskvot in whole percent
    gron = [90, 105]
    gul = [[75, 90], [105, 115]]

    [registrering]                     # Kvalitet's Registreringskvalitet
    oppen_manader = 24                 # an episode open this long asks for a look (whole quarters)
    anonyma_procent = 20               # a share of anonyma above this is marked
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BudgetThresholds:
    """Budget light bands on the förbrukningskvot, in whole percent, bounds inclusive.

    The kvot is rounded to a whole percent before it is compared, so the light always agrees
    with the percentage the reader sees (89.6 % is shown as "90 %" and is green).
    """

    gron: tuple[float, float] = (90, 105)
    gul: tuple[tuple[float, float], ...] = ((75, 90), (105, 115))

    def lampa(self, kvot: float | None) -> str | None:
        if kvot is None or kvot != kvot:  # None or NaN: no budget to compare against
            return None
        pct = round(kvot * 100)
        lo, hi = self.gron
        if lo <= pct <= hi:
            return "gron"
        if any(a <= pct <= b for a, b in self.gul):
            return "gul"
        return "rod"

    def describe(self) -> str:
        """Swedish one-liner for legends."""
        gul = " eller ".join(f"{a:g}–{b:g} %" for a, b in self.gul)
        return f"Grön {self.gron[0]:g}–{self.gron[1]:g} %, gul {gul}, röd annars"


@dataclass(frozen=True)
class Limits:
    """What reading one extract may spend; exceeding one is a problem naming it (``namn``).
    Set in the config file's ``[granser]`` table under the Swedish key of each field."""

    fil_mb: float = 256  # one file, uncompressed (a zip member counted as it is inflated)
    totalt_mb: float = 1024  # every file of the extract together, uncompressed
    filer: int = 50  # files (members) in a zip
    kvot: int = 100  # how many times a zip member may inflate
    rader: int = 2_000_000  # rows per file
    problem: int = 1000  # problems listed; the rest are counted per kind

    NAMN = {"fil_mb": "största fil", "totalt_mb": "största uttag", "filer": "flest filer",
            "kvot": "största packningskvot", "rader": "flest rader per fil",
            "problem": "flest listade problem"}

    def namn(self, key: str) -> str:
        """How a message names a bound: its meaning and its config key."""
        return f"{self.NAMN[key]}, granser.{key} = {getattr(self, key):g}"


@dataclass(frozen=True)
class Registrering:
    """What Kvalitet's *Registreringskvalitet* marks: an episode still open after
    ``oppen_manader`` months (the insatser's usual time; whole quarters, since figures are
    published per quarter), and a share of anonyma above ``anonyma_procent`` of everyone
    registered (a high share makes every outcome share uncertain)."""

    oppen_manader: int = 24
    anonyma_procent: int = 20

    @property
    def oppen_kvartal(self) -> int:
        return self.oppen_manader // 3


@dataclass(frozen=True)
class Config:
    db_path: Path = ROOT / "data" / "insatskollen.duckdb"
    suppression_threshold: int = 5
    limits: Limits = field(default_factory=Limits)
    budget: BudgetThresholds = field(default_factory=BudgetThresholds)
    registrering: Registrering = field(default_factory=Registrering)
    users_path: Path = ROOT / "data" / "users.json"
    secret_key_path: Path = ROOT / "data" / "secret_key"
    audit_path: Path = ROOT / "data" / "audit.log"
    idle_minutes: int = 30  # a session unused this long is logged out
    session_hours: int = 12  # and any session after this long, however busy
    session_path: Path | None = None  # the sessions' store (default: beside the users file)
    proxy_count: int = 0  # reverse proxies in front that set X-Forwarded-For (trusted)
    secure_cookies: bool = False  # set true behind HTTPS (INSATSKOLLEN_SECURE_COOKIES=1)
    demo: bool = False  # offer demo users on the login page (INSATSKOLLEN_DEMO=1)
    # the scale of the progression tool's values (bip.csv's varde; 1 = far from, 5 = close to
    # the labour market in BIP), lowest and highest, both allowed
    bip_skala: tuple[int, int] = (1, 5)

    @property
    def sessions_file(self) -> Path:
        return self.session_path or self.users_path.with_name("sessions.sqlite")

    @property
    def suppressed_marker(self) -> str:
        return f"<{self.suppression_threshold}"

    @property
    def dold_marker(self) -> str:
        """A cell hidden only to protect a small one (its value may be anything)."""
        return "X"

    @property
    def ej_visad_marker(self) -> str:
        """A cell not shown at all, not even as small or hidden: both would let a small
        count be worked out (rare; see ``privacy.repair``)."""
        return ".."

    @property
    def ej_visad_text(self) -> str:
        """What ".." means, beside every table and chart that has one."""
        return (f"\"{self.ej_visad_marker}\" = visas inte alls: också \"{self.suppressed_marker}\" "
                f"eller \"{self.dold_marker}\" skulle här låta ett litet tal räknas fram.")


def _from_file(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


class ConfigError(ValueError):
    """The configuration file has a key or value that cannot be used (a Swedish message)."""


def _whole(lo: int, hi: int):
    def conv(v):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v):
            raise ValueError("ett heltal förväntas")
        if not lo <= int(v) <= hi:
            raise ValueError(f"förväntat {lo}–{hi}")
        return int(v)
    return conv


def _bool(v):
    if not isinstance(v, bool):
        raise ValueError("true eller false förväntas")
    return v


def _path(v):
    if not isinstance(v, str) or not v:
        raise ValueError("en sökväg förväntas")
    return Path(v)


def _positive(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
        raise ValueError("ett tal större än 0 förväntas")
    return v


def _skala(v):
    if not isinstance(v, list) or len(v) != 2:
        raise ValueError("[lägsta, högsta] förväntas, t.ex. [1, 5]")
    lo, hi = (_whole(-1000, 1000)(x) for x in v)
    if lo >= hi:
        raise ValueError("det lägsta värdet ska vara mindre än det högsta")
    return lo, hi


def _limits(table):
    if not isinstance(table, dict):
        raise ValueError("en tabell [granser] förväntas")
    unknown = sorted(set(table) - set(Limits.NAMN))
    if unknown:
        raise ValueError(f"okänd nyckel {', '.join(unknown)} (kända: {', '.join(Limits.NAMN)})")
    return Limits(**{k: (float(_positive(v)) if k.endswith("_mb") else _whole(1, 10**9)(v))
                     for k, v in table.items()})


def _budget(table):
    if not isinstance(table, dict) or set(table) - {"gron", "gul"}:
        raise ValueError("en tabell med gron och gul förväntas")
    gron = tuple(float(_positive(x)) for x in table.get("gron", BudgetThresholds.gron))
    gul = tuple(tuple(float(_positive(x)) for x in band)
                for band in table.get("gul", BudgetThresholds.gul))
    if len(gron) != 2 or any(len(b) != 2 for b in gul):
        raise ValueError("band skrivs [från, till]")
    return BudgetThresholds(gron=gron, gul=gul)


def _registrering(table):
    if not isinstance(table, dict) or set(table) - {"oppen_manader", "anonyma_procent"}:
        raise ValueError("en tabell med oppen_manader och anonyma_procent förväntas")
    manader = _whole(3, 240)(table.get("oppen_manader", Registrering.oppen_manader))
    if manader % 3:
        raise ValueError("oppen_manader räknas i hela kvartal: 3, 6, … 24, …")
    return Registrering(oppen_manader=manader, anonyma_procent=_whole(1, 100)(
        table.get("anonyma_procent", Registrering.anonyma_procent)))


# Every key the file may have: the Config field it sets and how its value is read.
FILE_KEYS = {
    "db_path": ("db_path", _path),
    "users_path": ("users_path", _path),
    "secret_key_path": ("secret_key_path", _path),
    "audit_path": ("audit_path", _path),
    "suppression_threshold": ("suppression_threshold", _whole(2, 100)),
    "idle_minutes": ("idle_minutes", _whole(1, 24 * 60)),
    "session_hours": ("session_hours", _whole(1, 24 * 7)),
    "session_path": ("session_path", _path),
    "proxy_count": ("proxy_count", _whole(0, 5)),
    "secure_cookies": ("secure_cookies", _bool),
    "bip_skala": ("bip_skala", _skala),
    "granser": ("limits", _limits),
    "budget_lampa": ("budget", _budget),
    "registrering": ("registrering", _registrering),
    "max_file_mb": (None, _positive),  # the key of earlier versions: granser.fil_mb
}


@lru_cache(maxsize=1)
def get() -> Config:
    """The configuration in force (cached; call ``get.cache_clear()`` after changing env).
    A key the file should not have, or a value that cannot be used, is a ``ConfigError``
    naming the file, the key and what was expected."""
    raw: dict = {}
    cfg_file = os.environ.get("INSATSKOLLEN_CONFIG")
    path = Path(cfg_file) if cfg_file else ROOT / "insatskollen.toml"
    if path.exists():
        try:
            raw = _from_file(path)
        except (tomllib.TOMLDecodeError, OSError) as exc:
            raise ConfigError(f"{path} går inte att läsa: {exc}") from None
    unknown = sorted(set(raw) - set(FILE_KEYS))
    if unknown:
        raise ConfigError(f"Okänd nyckel i {path}: {', '.join(unknown)} "
                          f"(kända: {', '.join(FILE_KEYS)})")
    if "max_file_mb" in raw:
        raw.setdefault("granser", {})
        raw["granser"] = {"fil_mb": raw["max_file_mb"], **raw["granser"]}
    kwargs: dict = {}
    for key, value in raw.items():
        field_name, conv = FILE_KEYS[key]
        if field_name is None:
            continue
        try:
            kwargs[field_name] = conv(value)
        except (TypeError, ValueError) as exc:
            where = f"[{key}]" if isinstance(value, dict) else key  # a table by its heading
            raise ConfigError(f"{path}: {where} = {value!r} går inte att använda: {exc}") \
                from None
    if os.environ.get("INSATSKOLLEN_DB"):
        kwargs["db_path"] = Path(os.environ["INSATSKOLLEN_DB"])
    if os.environ.get("INSATSKOLLEN_USERS"):
        kwargs["users_path"] = Path(os.environ["INSATSKOLLEN_USERS"])
    if os.environ.get("INSATSKOLLEN_AUDIT"):
        kwargs["audit_path"] = Path(os.environ["INSATSKOLLEN_AUDIT"])
    if os.environ.get("INSATSKOLLEN_SECURE_COOKIES") == "1":
        kwargs["secure_cookies"] = True
    if os.environ.get("INSATSKOLLEN_DEMO") == "1":
        kwargs["demo"] = True
    return Config(**kwargs)


def chromium() -> str:
    """Debian's Chromium (PDF and chart images); ``CHROMIUM`` overrides the path."""
    return os.environ.get("CHROMIUM", "/usr/bin/chromium")
