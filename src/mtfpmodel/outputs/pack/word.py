"""The pack as a Word document, ``report.docx``, from the same content as the HTML page.

Plainly styled so it drops into a committee report template: the built-in Title, Heading 1,
Heading 2, Normal, Caption and List Bullet styles and the "Table Grid" table style, nothing
else, so pasting into (or attaching the styles of) a council's template restyles it all.
Tables are native Word tables — header row repeated on each page, rows kept together — and
charts are pictures 170 mm wide. A4 portrait, 20 mm margins; landscape for a plan of more than
twelve years, whose tables of years portrait cannot hold at a legible size.
"""
from __future__ import annotations

import math
from pathlib import Path

from mtfpmodel.outputs.pack.content import (
    MM_PER_PT,
    Block,
    Bullets,
    Figure,
    KeyFigures,
    Pack,
    Paragraph,
    Subheading,
    Table,
    ems,
)
from mtfpmodel.outputs.pack.content import column_widths as shared_widths

TEXT_WIDTH_MM = 170
LANDSCAPE_TEXT_WIDTH_MM = 257
PORTRAIT_TEXT_HEIGHT_MM, LANDSCAPE_TEXT_HEIGHT_MM = 240, 160      # room for a chart and its caption
# Type and cell padding of a table, by its density (content.Table.density: '' for up to eight
# columns of figures, 'dense' for a ten-year plan's, 'denser' beyond), as on the HTML page.
TYPE_PT = {"dense": 7.0, "denser": 5.5}      # '' keeps 9pt, 8pt from seven columns
PADDING_MM = {"": 1.9, "dense": 0.8, "denser": 0.5}      # each side of a cell ("Table Grid" has 1.9)
SMALLEST_PT = 4.5
BADGE_FILLS = {"ok": "009E73", "green": "009E73", "warn": "E69F00", "amber": "E69F00", "bad": "D55E00",
               "red": "D55E00", "none": "DFE6EE"}
DARK_TEXT = {"warn", "amber", "none"}
GROUP_FILL = "EEF2F8"


def write(pack: Pack, path: Path) -> None:
    """Build the document and save it at ``path``."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    wide = pack.landscape
    section.orientation = WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if wide else (Mm(210), Mm(297))
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    document.core_properties.title = f"{pack.council}: {pack.title}" if pack.council else pack.title
    document.core_properties.author = pack.generator
    if pack.council:
        document.add_paragraph(pack.council, style="Subtitle")
    document.add_heading(pack.title, level=0)
    for line in pack.meta:
        _small(document.add_paragraph(line))
    for part in pack.sections:
        if part.new_page:
            document.add_page_break()
        if part.heading:
            document.add_heading(part.heading, level=1)
        for block in part.blocks:
            _block(document, block, wide)
    _small(document.add_paragraph(pack.footer))
    document.save(path)


def picture_width(png: Path, wide: bool) -> float:
    """[mm] a chart's width: 170 mm (the portrait text width, on either page), narrower if it would
    then be taller than the page holds (a ``wide``, landscape, page holds less)."""
    from mtfpmodel.outputs.pngfile import png_size

    across, down = png_size(png)
    room = LANDSCAPE_TEXT_HEIGHT_MM if wide else PORTRAIT_TEXT_HEIGHT_MM
    return min(TEXT_WIDTH_MM, room * across / down) if across and down else TEXT_WIDTH_MM


def _block(document, block: Block, wide: bool = False) -> None:
    from docx.shared import Mm

    if isinstance(block, Paragraph):
        paragraph = document.add_paragraph(block.text)
        if block.style.startswith("verdict"):
            for run in paragraph.runs:
                run.bold = True
        elif block.style in ("meta", "note"):
            _small(paragraph)
    elif isinstance(block, Subheading):
        document.add_heading(block.text, level=2)
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, KeyFigures):
        _key_figures(document, block)
    elif isinstance(block, Table):
        _table(document, block, LANDSCAPE_TEXT_WIDTH_MM if wide else TEXT_WIDTH_MM)
    elif isinstance(block, Figure):
        document.add_picture(str(block.png), width=Mm(picture_width(block.png, wide)))
        document.paragraphs[-1].paragraph_format.keep_with_next = True
        document.add_paragraph(block.caption, style="Caption")


def _key_figures(document, block: KeyFigures) -> None:
    """The headline cards as a one-row table: label above, figure below in bold."""
    table = document.add_table(rows=1, cols=len(block.items))
    table.style = "Table Grid"
    for cell, (label, value) in zip(table.rows[0].cells, block.items):
        cell.paragraphs[0].text = label
        _small(cell.paragraphs[0])
        run = cell.add_paragraph().add_run(value)
        run.bold = True
    document.add_paragraph()


def _table(document, block: Table, text_width: float = TEXT_WIDTH_MM) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    columns = len(block.header)
    table = document.add_table(rows=1 + len(block.rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = column_widths(block, text_width)
    size = type_size(block, widths)
    if block.density:
        _padding(table, PADDING_MM[block.density])
    # python-docx rebuilds every row for table.rows[r] and every cell of a row for row.cells:
    # each is taken once here, or a table of a few hundred rows takes seconds.
    rows = list(table.rows)
    grid = [row.cells for row in rows]
    for c, text in enumerate(block.header):
        if block.density and c:              # '2025/26' may break after the '/' in a narrow column
            text = text.replace("/", "/" + BREAK)
        _write(grid[0][c], text, bold=True, right=not block.text_column(c), size=size)
    _repeat_header(rows[0])
    for r, row in enumerate(block.rows, start=1):
        cells = grid[r]
        _write(cells[0], row.label, bold=row.kind in ("total", "group"), note=row.note, size=size)
        if row.kind == "sub":
            cells[0].paragraphs[0].paragraph_format.left_indent = Mm(4)
        elif row.kind == "group":           # a heading inside the table, shaded as on the page
            for c in cells:
                _shade(c, GROUP_FILL)
        for c, item in enumerate(row.cells, start=1):
            _write(cells[c], item.text, bold=row.kind == "total", right=not (item.badge or item.left), note=item.note,
                   size=size)
            if item.badge:
                _badge(cells[c], item.badge.split()[-1])
    for c, width in enumerate(widths):
        table.columns[c].width = Mm(width)          # the grid, which LibreOffice reads
    for r, (row, cells) in enumerate(zip(rows, grid)):
        _keep_together(row, last=r == len(rows) - 1)
        for c, width in enumerate(widths):
            cells[c].width = Mm(width)              # each cell, which Word reads
    document.add_paragraph()


BREAK = "\u200b"       # a zero-width space: a line may break there, nothing is shown


def column_widths(block: Table, text_width: float = TEXT_WIDTH_MM) -> list[float]:
    """[mm] each column (:func:`~.content.column_widths`), a text column (such as a source) taking
    2.2 shares to a figure's one, the headings in the table's own type."""
    return shared_widths(block, text_width, heading_pt=base_size(block), padding=PADDING_MM[block.density],
                         text_shares=2.2)


def base_size(block: Table) -> float:
    """[pt] the table's type before :func:`type_size` makes a figure fit: 9pt (8pt from seven
    columns), 7pt dense, 5.5pt denser."""
    return TYPE_PT.get(block.density, 9.0 if len(block.header) < 7 else 8.0)


def type_size(block: Table, widths: list[float]) -> float:
    """[pt] the table's type: 9pt (8pt from seven columns), 7pt dense, 5.5pt denser, and smaller
    still (to :data:`SMALLEST_PT`) if the longest word in a column of figures would not fit its
    width, so that a figure such as '(1,234,567)' is never broken across two lines in a narrow
    column. Headings do not count: they may wrap (a year heading after its '/')."""
    size = base_size(block)
    for c in range(1, len(block.header)):
        if block.text_column(c):             # words of text (a source) may wrap; figures may not
            continue
        texts = [(row.cells[c - 1].text, row.kind == "total") for row in block.rows if c - 1 < len(row.cells)]
        longest = max((ems(word, bold) for text, bold in texts for word in text.split()), default=0.0)
        room = widths[c] - 2 * PADDING_MM[block.density]
        if longest:
            size = min(size, room / (longest * MM_PER_PT))
    return max(SMALLEST_PT, math.floor(size * 2) / 2)       # in half points, rounded down


def _write(cell, text: str, bold: bool = False, right: bool = False, note: str = "", size: float = 9) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    if note:
        extra = cell.add_paragraph()
        extra.alignment = paragraph.alignment
        small = extra.add_run(note)
        small.font.size = Pt(size - 1.5)


def _small(paragraph) -> None:
    from docx.shared import Pt, RGBColor

    for run in paragraph.runs:
        run.font.size = Pt(8.5)
        run.font.color.rgb = RGBColor(0x5F, 0x6B, 0x7A)


def _badge(cell, name: str) -> None:
    """Shade a RAG or status cell in its colour (white text on the dark fills)."""
    from docx.shared import RGBColor

    _shade(cell, BADGE_FILLS.get(name, "DFE6EE"))
    if name not in DARK_TEXT:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _padding(table, mm: float) -> None:
    """Left and right padding of every cell of ``table`` (``mm`` each side)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(round(mm / MM_PER_PT * 20)))      # twentieths of a point
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.append(margins)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _keep_together(row, last: bool) -> None:
    """Rows may not split across pages, and each keeps with the next, so a table stays whole."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    no_split = OxmlElement("w:cantSplit")
    no_split.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(no_split)
    if not last:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
