"""House style of the workbook: titles, year headers, number formats, frozen panes, widths.

Money is shown in the scenario unit with thousands separators, negatives in brackets and zero
as a dash (the cells keep full precision); rates as percentages.
"""
from __future__ import annotations

from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.styles import Font as _Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FIRST_YEAR_COLUMN = 3            # column C: A is the item, B its key or detail
SAVINGS_FIRST_YEAR_COLUMN = 5     # the Savings sheet has stream, measure, confidence, funded by first


def col(t: int, first: int = FIRST_YEAR_COLUMN) -> str:
    """Column letter of year index t (t = 0 the base year) on a money sheet whose years start at ``first``."""
    return get_column_letter(first + t)
YEAR_WIDTH = 13
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
BLOCK_FILL = PatternFill("solid", fgColor="D9E1F2")
TOTAL_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))
PERCENT = "0.00%"
FONT = "Calibri"


def Font(**style) -> _Font:
    """A font in the workbook's face (an unnamed font would fall back to a serif in some programs)."""
    return _Font(name=FONT, **style)


def money_format(unit: str) -> str:
    """Excel number format for money in ``unit``: 1,234 / (1,234) / – (one decimal for £m)."""
    digits = "#,##0.0" if unit == "£m" else "#,##0"
    return f'{digits};({digits});"–"'


def title(ws: Worksheet, text: str) -> None:
    ws.cell(1, 1, text).font = Font(bold=True, size=13, color="1F3864")
    ws.row_dimensions[1].height = 22


def header(ws: Worksheet, row: int, labels, years, unit: str, first_year_column: int = FIRST_YEAR_COLUMN,
           label_unit: bool = True) -> None:
    """Column headings: ``labels`` (the first carries the unit) then one per financial year."""
    cells = list(labels)
    if label_unit:
        cells[0] = f"{cells[0]} ({unit})".strip()
    for c, text in enumerate(cells, start=1):
        ws.cell(row, c, text)
    for t, year in enumerate(years):
        ws.cell(row, first_year_column + t, year)
    last = max(len(cells), first_year_column + len(years) - 1)
    for c in range(1, last + 1):
        cell = ws.cell(row, c)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="right" if c >= first_year_column and years else "left",
                                   vertical="center")


def style_row(ws: Worksheet, row: int, years: int, unit: str, first_year_column: int = FIRST_YEAR_COLUMN,
              total: bool = False, number_format: str | None = None, percent_column: int | None = None) -> None:
    """Number format on the year cells; bold with a rule above for totals; grey key column."""
    for t in range(years):
        cell = ws.cell(row, first_year_column + t)
        cell.number_format = number_format or money_format(unit)
        if total:
            cell.font = Font(bold=True)
            cell.border = TOTAL_BORDER
    ws.cell(row, 2).font = Font(color="808080", size=9)
    if total:
        ws.cell(row, 1).font = Font(bold=True)
    if percent_column:
        ws.cell(row, percent_column).number_format = "0%"


def write_block_heading(ws: Worksheet, row: int, text: str) -> None:
    cell = ws.cell(row, 1, text)
    cell.font = Font(bold=True, color="1F3864")
    cell.fill = BLOCK_FILL


def rates_block(ws: Worksheet, row: int, labels: tuple[str, str], years, rows) -> int:
    """A header then one row per (name, note, rates by projection year); returns the next free row."""
    header(ws, row, labels, years, "", label_unit=False)
    for name, note, values in rows:
        row += 1
        ws.cell(row, 1, name)
        ws.cell(row, 2, note).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row, 1).alignment = Alignment(vertical="top")
        for t, value in enumerate(values):
            cell = ws.cell(row, FIRST_YEAR_COLUMN + t, float(value))
            cell.number_format = PERCENT
            cell.alignment = Alignment(vertical="top")
    return row + 2


def finish(ws: Worksheet, freeze: str, widths: dict[str, float], wrap: bool = False) -> None:
    """Freeze the header rows (and label columns), set column widths, landscape A4 printing."""
    ws.freeze_panes = freeze
    for column in range(1, ws.max_column + 1):
        letter = get_column_letter(column)
        ws.column_dimensions[letter].width = widths.get(letter, YEAR_WIDTH)
    if wrap:
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
