"""Reading the PM's HTML in tests: its tables by the heading above them, their rows and group
headings, and the marks (⚠, ℹ) of a cell."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    """Every table of a PM's HTML, after the heading (h3) above it: {heading: (column
    headings, rows)}; a row is a list of cell texts, a group heading row is the string."""

    def __init__(self):
        super().__init__()
        self.tables, self.heading, self.text, self.cells, self.rows = {}, "", None, [], None
        self.head = []
        self.group = False

    def handle_starttag(self, tag, attrs):
        if tag in ("h3", "td", "th"):
            self.text = ""
        if tag == "table":
            self.rows, self.head = [], []
        if tag == "tr":
            self.cells, self.group = [], ("class", "grupp") in attrs

    def handle_data(self, data):
        if self.text is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "h3":
            self.heading, self.text = self.text.strip(), None
        elif tag in ("td", "th"):
            self.cells.append(self.text.replace("\u00ad", "").strip())
            self.text = None
        elif tag == "tr" and self.rows is not None:
            if not self.head:
                self.head = self.cells
            else:
                self.rows.append(self.cells[0] if self.group else self.cells)
        elif tag == "table":
            self.tables[self.heading] = (self.head, self.rows)
            self.rows = None


def pm_tables(html: str) -> dict:
    p = _Tables()
    p.feed(html)
    return p.tables


def table(tables: dict, prefix: str) -> tuple[list, list]:
    return next(v for k, v in tables.items() if k.startswith(prefix))


def records(t) -> list[dict]:
    """The data rows of a table as {column heading: cell}."""
    head, rows = t
    return [dict(zip(head, r)) for r in rows if isinstance(r, list)]


def groups(t) -> dict[str, list[str]]:
    """{group heading: the first cell of its rows}."""
    out, g = {}, None
    for r in t[1]:
        if isinstance(r, str):
            g = out.setdefault(r, [])
        else:
            g.append(r[0])
    return out


def mark(cell: str) -> tuple[str | None, str]:
    """(the cell's mark or None, its text without it)."""
    for m in ("⚠", "ℹ"):
        if cell.startswith(m + " "):
            return m, cell[2:]
    return None, cell
