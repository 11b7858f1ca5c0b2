"""This request: who is looking, and at which database: the server side's answer, never the
browser's.

The viewer scope comes from the logged-in user (``web_auth``), looked up on the server for
every request; nothing a browser sends can widen it.
"""

from __future__ import annotations

from . import config, db
from .urval import Scope


def viewer_scope() -> Scope:
    from . import web_auth

    user = web_auth.current_user()
    if user is None:  # the gate stops such requests before they get here; be safe anyway
        raise PermissionError("Inte inloggad")
    return user.scope(unsuppressed=web_auth.unsuppressed())


def database():
    """A read-only cursor for this request."""
    return db.reader(config.get().db_path)
