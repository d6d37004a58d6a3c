"""The cabinet pack as content: sections of headings, paragraphs, tables and figures.

One model, rendered twice — to HTML through the jinja2 template (:mod:`.html`) and to Word
through python-docx (:mod:`.word`) — so the two documents can never disagree. Every figure
is already text here, rounded for display from the run's own numbers; the renderers only lay
it out. A section is built by a function of the run (see :mod:`.sections`), so a new section
is a new function added to the pack's list.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Union


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, an optional smaller second line, and an optional badge
    ('rag green', 'status bad'...) drawn as a coloured label."""

    text: str
    note: str = ""
    badge: str = ""
    left: bool = False      # text, not a figure: aligned left


def cell(value: "Cell | str") -> Cell:
    return value if isinstance(value, Cell) else Cell(str(value))


@dataclass(frozen=True)
class Row:
    """A table row: its label, its cells, and ``kind`` '' | 'total' | 'sub' (indented detail) |
    'group' (a heading inside the table, no figures)."""

    label: str
    cells: tuple[Cell, ...]
    kind: str = ""
    note: str = ""          # a smaller line under the label

    @staticmethod
    def of(label: str, cells, kind: str = "", note: str = "") -> "Row":
        return Row(label, tuple(cell(c) for c in cells), kind, note)


ROOMY_COLUMNS = 8      # columns after the labels at the page's own type size
DENSE_COLUMNS = 13


@dataclass(frozen=True)
class Table:
    """A table: a header (the first entry heads the label column), rows, a name for tests and
    links (``id``), and whether its columns are years (evenly spaced figures)."""

    id: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    years: bool = True
    label_width: int = 34       # % of the width given to the label column

    @property
    def density(self) -> str:
        """'' for up to :data:`ROOMY_COLUMNS` columns after the labels; 'dense' (smaller type, less
        padding, a narrower label column) up to :data:`DENSE_COLUMNS` (a ten-year plan); 'denser'
        beyond (a twenty-year plan): so that a table of many years fits A4's width."""
        columns = len(self.header) - 1
        return "" if columns <= ROOMY_COLUMNS else "dense" if columns <= DENSE_COLUMNS else "denser"

    @property
    def label_share(self) -> int:
        """% of the width given to the label column (narrower in a dense table)."""
        return min(self.label_width, {"": 100, "dense": 20, "denser": 14}[self.density])

    def text_column(self, c: int) -> bool:
        """Whether column ``c`` (0 = the labels) holds text, aligned left, rather than figures."""
        return c == 0 or bool(self.rows and c - 1 < len(self.rows[0].cells) and self.rows[0].cells[c - 1].left)


@dataclass(frozen=True)
class Paragraph:
    """Text; ``style`` is '' | 'verdict' | 'verdict bad' | 'meta' | 'note'."""

    text: str
    style: str = ""
    id: str = ""


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    id: str = ""


@dataclass(frozen=True)
class KeyFigures:
    """The headline cards: (label, figure) pairs."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Figure:
    """A chart: the PNG drawn for it, a caption and the alternative text."""

    png: Path
    caption: str
    alt: str


@dataclass(frozen=True)
class Subheading:
    text: str


Block = Union[Paragraph, Bullets, KeyFigures, Table, Figure, Subheading]


@dataclass(frozen=True)
class Section:
    """A heading and its blocks; ``new_page`` starts it on a fresh page when printed."""

    id: str
    heading: str
    blocks: tuple[Block, ...]
    new_page: bool = False


@dataclass(frozen=True)
class Pack:
    """The whole document: title block, sections, footer."""

    council: str
    title: str
    meta: tuple[str, ...]
    sections: tuple[Section, ...]
    footer: str
    generator: str = ""

    def tables(self) -> list[Table]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    @property
    def landscape(self) -> bool:
        """Whether the document is set on landscape A4 (both the page and the Word copy): when a
        table has more columns of figures than a dense one (a plan of more than twelve years),
        which portrait cannot hold legibly (a twenty-year plan's Band D to the penny)."""
        return any(table.density == "denser" for table in self.tables())

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]


PAGE_ROWS = 26.0       # row heights (one line of 9.5pt text) that fit on an A4 page under a heading
# ... on landscape A4, whose text is 176 mm high against portrait's 263 mm, in a table at the
# page's own type; the smaller rows of a dense or denser table still fit PAGE_ROWS of them.
LANDSCAPE_ROWS = 17.0


def row_height(row: Row, label_width: int = 34) -> float:
    """A row's printed height in plain rows: its label's wrapped lines, and its note's (smaller) lines."""
    per_line = max(12, round(label_width * 0.9))          # characters of 9.5pt text in the label column
    lines = math.ceil(max(len(row.label), 1) / per_line)
    if row.note:
        lines += 0.6 * math.ceil(len(row.note) / (per_line * 1.15))
    return float(lines)


def paged(id: str, header: tuple[str, ...], blocks: Iterable[Iterable[Row]], landscape: bool = False,
          **options) -> list[Table]:
    """Tables of at most :data:`PAGE_ROWS` row heights each (:data:`LANDSCAPE_ROWS` for a table at
    full type on a ``landscape`` page), keeping every block of rows (a group of lines, a pay group, a
    reserve) whole, so that no printed table runs over an A4 page. The first table is ``id``, the
    next ``id-2``...; each repeats the header."""
    label_width = options.get("label_width", 34)
    most = LANDSCAPE_ROWS if landscape and Table(id, header, ()).density == "" else PAGE_ROWS
    pages: list[list[Row]] = [[]]
    used = 0.0
    for block in blocks:
        rows = list(block)
        height = sum(row_height(r, label_width) for r in rows)
        if pages[-1] and used + height > most:
            pages.append([])
            used = 0.0
        pages[-1].extend(rows)
        used += height
    return numbered(id, [Table(id, header, tuple(rows), **options) for rows in pages if rows])


def numbered(id: str, tables: Iterable[Table]) -> list[Table]:
    """``tables`` given the ids ``id``, ``id-2``, ``id-3``... in order: the pages of several
    :func:`paged` runs of one kind (a run for each group of lines), so that no two share an id."""
    return [replace(table, id=id if n == 0 else f"{id}-{n + 1}") for n, table in enumerate(tables)]


def kind(block: Block) -> str:
    """The block's type name in lower case, for the template: 'table', 'figure'..."""
    return type(block).__name__.lower()
