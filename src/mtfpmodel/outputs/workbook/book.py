"""Writing the workbook with XlsxWriter: sheets in the common layout, formats, names, validation.

XlsxWriter (imported only when a workbook is written) is used because it stores a formula
together with its cached result. Its worksheets round numbers to 16 significant digits; the
inputs are written with Python's shortest exact form instead (``ExactWorksheet``), so a rate of
2.99% read back from the file is the same float the engine used.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Sequence

from mtfpmodel.outputs.workbook import style
from mtfpmodel.outputs.workbook.grid import (
    BASE,
    DETAIL,
    FIRST_ROW,
    HEADING_ROW,
    LABEL,
    NOTE_ROW,
    TITLE_ROW,
    UNIT,
    VALUE,
    YEAR_NUMBER_ROW,
    Cell,
    Formula,
    Ref,
)


@lru_cache(maxsize=1)
def exact_worksheet_class():
    """An XlsxWriter Worksheet that writes numbers exactly (shortest repr), not to 16 digits."""
    from xlsxwriter.worksheet import Worksheet

    class ExactWorksheet(Worksheet):
        def _xml_number_element(self, number, attributes=()):  # noqa: D401 - XlsxWriter's hook
            if not math.isfinite(number):
                raise ValueError(f"cannot write {number!r} to a workbook cell")
            attr = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes)
            self.fh.write(f"<c{attr}><v>{float(number)!r}</v></c>")

    return ExactWorksheet


MAX_NAME = 250          # characters of a defined name: Excel's limit is 255, less room for a '_2' suffix


class Book:
    """The XlsxWriter workbook plus what every sheet shares: years, unit, formats, names."""

    def __init__(self, path, labels: tuple[str, ...], unit: str, title: str):
        import xlsxwriter

        self.xl = xlsxwriter.Workbook(str(path))
        self.labels = labels
        self.unit = unit
        self.title = title
        self.names: dict[str, str] = {}
        self._taken: set[str] = set()        # the names, lower-cased: Excel compares them so
        self._formats: dict = {}

    @property
    def years(self) -> int:
        """Columns of years, base year included (T + 1)."""
        return len(self.labels)

    @property
    def source_col(self) -> int:
        return BASE + self.years

    @property
    def path_col(self) -> int:
        return BASE + self.years + 1

    def format(self, props: dict):
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.xl.add_format(dict(props))
        return self._formats[key]

    def style(self, role: str, kind: str = "money", bold: bool = False, total: bool = False,
              extra: dict | None = None):
        return self.format({**style.cell_style(role, kind, self.unit, bold, total), **(extra or {})})

    def define_name(self, name: str, ref: str) -> str:
        """A workbook-level defined name; a clash gets a numeric suffix. Returns the name used.
        Excel takes names of up to 255 characters: a longer one (from a long line name) is cut."""
        name = name[:MAX_NAME]
        base, n = name, 2
        while name.lower() in self._taken:
            name, n = f"{base}_{n}", n + 1
        self.names[name] = ref
        self._taken.add(name.lower())
        self.xl.define_name(name, f"={ref}")
        return name

    def close(self) -> None:
        self.xl.close()


class Sheet:
    """One worksheet in the common column layout, written top to bottom."""

    def __init__(self, book: Book, name: str, heading: str, columns: Sequence[str] = ("", "", "Unit", "Value"),
                 note: str = "", year_numbers: bool = True, extra: Sequence[str] = ()):
        self.book = book
        self.name = name
        self.ws = book.xl.add_worksheet(name, worksheet_class=exact_worksheet_class())
        self.first_row = FIRST_ROW if year_numbers else YEAR_NUMBER_ROW   # outputs start under the headings
        self.row = self.first_row
        ws = self.ws
        ws.write(TITLE_ROW, LABEL, f"{heading} — {book.title}", book.format(style.TITLE))
        ws.set_row(TITLE_ROW, 20)
        if note:
            ws.write(NOTE_ROW, LABEL, note, book.format(style.NOTE))
        header = book.format(style.HEADER)
        for col, text in enumerate(columns):
            ws.write(HEADING_ROW, col, text, header)
        for t, label in enumerate(book.labels):
            ws.write(HEADING_ROW, BASE + t, label, book.format(style.HEADER_RIGHT))
        for k, text in enumerate(extra):
            ws.write(HEADING_ROW, book.source_col + k, text, header)
        if year_numbers:
            ws.write(YEAR_NUMBER_ROW, LABEL, "Year number (0 = base year)", book.format(style.NOTE))
            for t in range(book.years):
                ws.write_number(YEAR_NUMBER_ROW, BASE + t, t, book.format(style.YEAR_NUMBER))
        ws.freeze_panes(self.first_row, BASE)
        self.widths(label=style.WIDTHS["label"], detail=style.WIDTHS["detail"])
        ws.set_landscape()                   # printed: A4 landscape, one page wide, headings on every page
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(TITLE_ROW, HEADING_ROW)
        ws.set_footer("&L&8&A&R&8Page &P of &N")

    def year_number(self, t: int, absolute: bool = False) -> str:
        """Reference to year t's number in the header row (row absolute; column too if ``absolute``)."""
        from mtfpmodel.outputs.workbook.grid import column_letter

        return f"{'$' if absolute else ''}{column_letter(BASE + t)}${YEAR_NUMBER_ROW + 1}"

    def previous(self, t: int) -> str:
        """Last year's cell (year t-1, relative) of the row being written.

        A row that grows year on year refers to its own previous column: x[t] = x[t-1] * (1 + rate[t]).
        The formulas of a row are built before :meth:`write` moves on, so ``self.row`` is that row.
        """
        return Ref(self.name, self.row).year(t - 1, self.name)

    def widths(self, label: float, detail: float, unit: float = style.WIDTHS["unit"],
               value: float = style.WIDTHS["value"], year: float = style.WIDTHS["year"]) -> None:
        ws = self.ws
        ws.set_column(LABEL, LABEL, label)
        ws.set_column(DETAIL, DETAIL, detail)
        ws.set_column(UNIT, UNIT, unit)
        ws.set_column(VALUE, VALUE, value)
        ws.set_column(BASE, BASE + self.book.years - 1, year)

    def one_page(self, label: float, detail: float, unit: float, value: float, year: float) -> None:
        """An output sheet printed on one page: these column widths, the rows written so far, fitted."""
        self.widths(label, detail, unit, value, year)
        self.ws.fit_to_pages(1, 1)
        self.ws.print_area(0, 0, self.row - 1, BASE + self.book.years - 1)

    def heading(self, text: str, gap: bool = True) -> None:
        """A block heading across the row (a blank row above it unless ``gap`` is false)."""
        if gap and self.row > self.first_row:
            self.row += 1
        fmt = self.book.format(style.BLOCK)
        for col in range(BASE + self.book.years):
            self.ws.write_blank(self.row, col, None, fmt)
        self.ws.write(self.row, LABEL, text, fmt)
        self.row += 1

    def note(self, text: str) -> None:
        self.ws.write(self.row, LABEL, text, self.book.format(style.NOTE))
        self.row += 1

    def write(self, label: str, detail: str = "", unit: str = "", *, value: Cell = None,
              years: Sequence[Cell] | None = None, role: str = "calc", kind: str = "money",
              value_kind: str | None = None, bold: bool = False, total: bool = False,
              blank_years: str | None = None, source: str | None = None, path: str | None = None,
              extra: dict | None = None) -> Ref:
        """Write one row; return where it is.

        ``role`` styles the row's constants (input, structure or calc); formulas are always
        styled as calculations. ``blank_years`` styles empty year cells (e.g. 'not_used');
        ``extra`` adds format properties to the year cells (e.g. wrapping).
        """
        book, ws, row = self.book, self.ws, self.row
        label_fmt = book.style("label", "text", bold=bold or total)
        ws.write_string(row, LABEL, label, label_fmt)
        if detail:
            ws.write_string(row, DETAIL, detail, book.style("label", "text"))
        if unit:
            ws.write_string(row, UNIT, unit, book.style("structure", "text"))
        self._cell(row, VALUE, value, role, value_kind or kind, bold, total)
        for t, cell in enumerate(years or ()):
            if cell is None and blank_years:
                ws.write_blank(row, BASE + t, None, book.style(blank_years, kind))
            else:
                self._cell(row, BASE + t, cell, role, kind, bold, total, extra)
        if source:
            ws.write_string(row, book.source_col, source, book.style("note", "text"))
        if path:
            ws.write_string(row, book.path_col, path, book.style("path", "text"))
        self.row += 1
        return Ref(self.name, row)

    def _cell(self, row: int, col: int, cell: Cell, role: str, kind: str, bold: bool, total: bool,
              extra: dict | None = None) -> None:
        if cell is None:
            if total:
                self.ws.write_blank(row, col, None, self.book.style("calc", kind, bold, total, extra))
            return
        ws = self.ws
        if isinstance(cell, Formula):
            fmt = self.book.style("calc", kind, bold, total, extra)
            ws.write_formula(row, col, f"={cell.text}", fmt, cell.value)
            return
        text = isinstance(cell, (str, bool)) and kind != "year"
        fmt = self.book.style(role, "text" if text else kind, bold, total, extra)
        if isinstance(cell, bool):
            ws.write_boolean(row, col, cell, fmt)
        elif isinstance(cell, str):
            ws.write_string(row, col, cell, fmt)
        else:
            ws.write_number(row, col, float(cell), fmt)

    def validate(self, ref: Ref, col: int, options: dict) -> None:
        """Excel data validation (a drop-down list or a rule) on one input cell."""
        self.ws.data_validation(ref.row, col, ref.row, col, options)
