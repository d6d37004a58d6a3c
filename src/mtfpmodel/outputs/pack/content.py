"""The cabinet pack as content: sections of headings, paragraphs, tables and figures.

One model, rendered twice — to HTML through the jinja2 template (:mod:`.html`) and to Word
through python-docx (:mod:`.word`) — so the two documents can never disagree. Every figure
is already text here, rounded for display from the run's own numbers; the renderers only lay
it out. A section is built by a function of the run (see :mod:`.sections`), so a new section
is a new function added to the pack's list.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Union


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
    """A table row: its label, its cells, and ``kind`` '' | 'total' | 'sub' (indented detail)."""

    label: str
    cells: tuple[Cell, ...]
    kind: str = ""
    note: str = ""          # a smaller line under the label

    @staticmethod
    def of(label: str, cells, kind: str = "", note: str = "") -> "Row":
        return Row(label, tuple(cell(c) for c in cells), kind, note)


@dataclass(frozen=True)
class Table:
    """A table: a header (the first entry heads the label column), rows, a name for tests and
    links (``id``), and whether its columns are years (evenly spaced figures)."""

    id: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    years: bool = True
    label_width: int = 34       # % of the width given to the label column

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

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]


def kind(block: Block) -> str:
    """The block's type name in lower case, for the template: 'table', 'figure'..."""
    return type(block).__name__.lower()
