"""A problem found in an extract: where it is and what was expected, in plain Swedish."""

from __future__ import annotations

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
