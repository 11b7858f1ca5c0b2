"""Users and roles: who may see what. Passwords are stored only as salted scrypt hashes.

Roles (issue 3):
- ``styrelse``: every kommun, small numbers suppressed.
- ``lokus``: only the kommuner named for the user (and insatser covering them), suppressed.
- ``kansli``: everything; small numbers suppressed unless the kansli asks for its own view.

Users live in a JSON file (``users_path`` in the configuration, default ``data/users.json``),
written with ``python -m dashboard user add``. An external identity provider (OIDC) would
replace ``authenticate``; the rest (role -> scope) stays.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from . import config, sessions
from .urval import Scope

ROLES = ("styrelse", "lokus", "kansli")
_NAME = re.compile(r"^[a-zA-Z0-9._@-]{2,64}$")


@dataclass(frozen=True)
class User:
    username: str
    role: str
    kommuner: tuple[str, ...] = field(default_factory=tuple)
    namn: str = ""

    def scope(self, unsuppressed: bool = False) -> Scope:
        """The viewer scope of this user; ``unsuppressed`` only counts for the kansli."""
        if self.role == "kansli":
            return Scope(None, suppress=not unsuppressed)
        if self.role == "lokus":
            return Scope(frozenset(self.kommuner), suppress=True)
        return Scope.styrelse()


class UserError(ValueError):
    pass


def _path() -> Path:
    return config.get().users_path


def _load() -> dict:
    p = _path()
    if not p.exists():
        return {}
    return json.loads(p.read_text(encoding="utf-8"))


def _save(data: dict) -> None:
    p = _path()
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, p)


def add_user(username: str, role: str, password: str, kommuner: list[str] | None = None,
             namn: str = "") -> User:
    if not _NAME.match(username):
        raise UserError("Användarnamnet får innehålla a–z, 0–9 och . _ @ - (2–64 tecken)")
    if role not in ROLES:
        raise UserError(f"Okänd roll {role!r}; välj {', '.join(ROLES)}")
    kommuner = [k.strip() for k in (kommuner or []) if k.strip()]
    if role == "lokus" and not kommuner:
        raise UserError("En LOKUS-användare måste ha minst en kommun (--kommun)")
    if len(password) < 10:
        raise UserError("Lösenordet måste ha minst 10 tecken")
    data = _load()
    user = User(username, role, tuple(kommuner), namn)
    existed = username in data
    data[username] = {**asdict(user), "kommuner": kommuner,
                      "password_hash": generate_password_hash(password)}
    _save(data)
    if existed:  # a new password or role: every session of the old one ends
        sessions.end_for(username)
    return user


def remove_user(username: str) -> bool:
    data = _load()
    if username not in data:
        return False
    del data[username]
    _save(data)
    sessions.end_for(username)
    return True


def users() -> list[User]:
    return [_user(u) for u in _load().values()]


def _user(d: dict) -> User:
    return User(d["username"], d["role"], tuple(d.get("kommuner", ())), d.get("namn", ""))


def get(username: str) -> User | None:
    d = _load().get(username)
    return _user(d) if d else None


# A hash to compare against when the user does not exist, so that a wrong user name takes as
# long as a wrong password (no user enumeration by timing).
_DUMMY_HASH = generate_password_hash("insatskollen-no-such-user")


def authenticate(username: str, password: str) -> User | None:
    d = _load().get(username)
    if d is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return _user(d) if check_password_hash(d["password_hash"], password) else None


# Demo users: offered on the login page only when the app runs in demo mode (make run).
DEMO_USERS = {
    "demo-styrelse": User("demo-styrelse", "styrelse", (), "Förbundsstyrelsen (demo)"),
    "demo-lokus-heby": User("demo-lokus-heby", "lokus", ("Heby",), "LOKUS Heby (demo)"),
    "demo-kansli": User("demo-kansli", "kansli", (), "Kansliet (demo)"),
}
