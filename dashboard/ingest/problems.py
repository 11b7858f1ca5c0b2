"""A problem found in an extract: where it is and what was expected, in plain Swedish."""

from __future__ import annotations

import errno
from collections import Counter
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    file: str  # e.g. "deltagare.csv" or "uttag.xlsx, blad deltagare"
    row: int | None  # 1 = the header row; data starts on row 2 (as Excel numbers them)
    column: str | None
    message: str  # what is wrong and what was expected
    value: str | None = None  # the value found, if any

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column:
            where.append(f"kolumn {self.column}")
        text = f"{', '.join(where)}: {self.message}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f" (värde: {shown!r})"
        return text

    def as_dict(self) -> dict:
        return asdict(self)


class ExtractRejected(Exception):
    """The extract has problems; nothing was stored."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"Uttaget avvisades: {len(problems)} problem")


def capped(problems: list[Problem], cap: int) -> list[Problem]:
    """The first ``cap`` problems, then one line per kind (file and message) of the rest."""
    if len(problems) <= cap:
        return problems
    rest = Counter((p.file, p.column, p.message) for p in problems[cap:])
    return problems[:cap] + [
        Problem(f, None, c, f"… och {n} problem till av samma slag: {m} (bara de första {cap} "
                "problemen listas; gräns: granser.problem)")
        for (f, c, m), n in rest.items()]


def os_fel(exc: OSError) -> str:
    """A Swedish sentence for a fault of the file system."""
    return {
        errno.ENOSPC: "Disken är full; frigör utrymme och försök igen",
        errno.EDQUOT: "Diskkvoten är slut; frigör utrymme och försök igen",
        errno.EACCES: "Saknar behörighet att läsa eller skriva filen",
        errno.EPERM: "Saknar behörighet att läsa eller skriva filen",
        errno.ENAMETOOLONG: "Filnamnet är för långt; byt till ett kortare namn",
        errno.ENOENT: "Hittar inte filen eller mappen",
        errno.EROFS: "Filsystemet går bara att läsa",
    }.get(exc.errno, f"Filen kunde inte läsas eller skrivas ({exc.strerror or type(exc).__name__})")


def fel_text(exc: BaseException) -> str:
    """What a user is told when a load fails for a reason other than the extract's content
    (the environment: disk, permissions, a locked database). Never a traceback."""
    import duckdb

    from .. import db

    if isinstance(exc, OSError):
        return os_fel(exc)
    if isinstance(exc, db.Upptagen):
        return "Databasen är upptagen av en annan inläsning; försök igen om en stund"
    if isinstance(exc, MemoryError):
        return "Minnet tog slut under inläsningen; uttaget är för stort för servern"
    if isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower():
        return "Databasen är låst av en annan process; försök igen om en stund"
    if isinstance(exc, duckdb.Error):
        return f"Databasen kunde inte skrivas ({type(exc).__name__}); ingenting ändrades"
    return f"Oväntat fel ({type(exc).__name__}); ingenting ändrades"
