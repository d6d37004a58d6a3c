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


# Widths [em] of a figure's characters, regular and bold, at their widest of the fonts a reader
# may have: DejaVu Serif, which LibreOffice sets where Calibri is missing (Calibri's digits are
# 0.51 em). Any other character (a digit, '£', a letter) is CHARACTER_EM wide.
NARROW_EM = {False: {",": 0.32, ".": 0.32, "(": 0.39, ")": 0.39, "-": 0.34, "%": 0.95, "/": 0.34, " ": 0.32},
             True: {",": 0.38, ".": 0.38, "(": 0.46, ")": 0.46, "-": 0.42, "%": 1.0, "/": 0.37, " ": 0.35}}
CHARACTER_EM = {False: 0.64, True: 0.7}
MM_PER_PT = 25.4 / 72


def ems(word: str, bold: bool = False) -> float:
    """The width of ``word`` [em], at most (:data:`NARROW_EM`, :data:`CHARACTER_EM`)."""
    narrow, other = NARROW_EM[bold], CHARACTER_EM[bold]
    return sum(narrow.get(ch, other) for ch in word)


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


def column_widths(block: Table, text_width: float, heading_pt: float, padding: float,
                  text_shares: float = 1.0, badge: float = 0.0) -> list[float]:
    """[mm] each column of ``block`` in a table ``text_width`` wide, as both documents set it: the
    label column ``label_share`` % of it, the rest shared among the others (a text column taking
    ``text_shares`` shares to a figure's one), except that a column whose heading has a word wider
    than its share (in bold type of ``heading_pt``, with ``padding`` each side; in a dense table a
    year heading may break after its '/'), or whose badges are wider (``badge`` mm at least), is
    given that room, taken from the other columns: a heading such as 'Confidence' is never cut,
    broken or run into the next. Where there is not room for every column's need, each column
    gets a share of the room in proportion to its need."""
    label = text_width * block.label_share / 100
    count = len(block.header) - 1
    if not count:
        return [label]
    weights = [text_shares if block.text_column(c) else 1.0 for c in range(1, count + 1)]
    badged = {c for row in block.rows for c, item in enumerate(row.cells) if item.badge}
    needs = [max(_widest_word(heading, block.density != "") * heading_pt * MM_PER_PT, badge if c in badged else 0.0)
             + 2 * padding for c, heading in enumerate(block.header[1:])]
    room = text_width - label
    if sum(needs) >= room:
        return [label] + [need * room / sum(needs) for need in needs]
    fixed: dict[int, float] = {}                 # columns given their need, the rest shared by weight
    while True:
        left = room - sum(fixed.values())
        free = sum(w for c, w in enumerate(weights) if c not in fixed)
        short = [c for c, w in enumerate(weights) if c not in fixed and needs[c] > w * left / free]
        if not short:
            return [label] + [fixed[c] if c in fixed else w * left / free for c, w in enumerate(weights)]
        fixed.update((c, needs[c]) for c in short)


def _widest_word(heading: str, breaks_after_slash: bool) -> float:
    """[em] the widest word of a heading in bold (a word may end at a '/' where it may break there)."""
    text = heading.replace("/", "/ ") if breaks_after_slash else heading
    return max((ems(word, bold=True) for word in text.split()), default=0.0)


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
