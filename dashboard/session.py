"""Who is looking, and at which database: the server side's answer, never the browser's.

Until logins exist (issue 3) every viewer gets the board's scope: all kommuner, small
numbers suppressed.
"""

from __future__ import annotations

from . import config, db
from .views import Scope


def viewer_scope() -> Scope:
    return Scope.styrelse()


def database():
    """A read-only cursor for this request."""
    return db.reader(config.get().db_path)
