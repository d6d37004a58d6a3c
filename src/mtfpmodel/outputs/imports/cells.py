"""Spreadsheet tables as located cells: every value knows its file, sheet and cell.

An .xlsx is read with openpyxl (imported only here, when a file is read): values as saved,
and formulas too, so a link such as ``=F12`` can be recognised. A CSV file is one table named
after the file; its text cells that look like numbers (``1,234``, ``(1,234)``, ``£1,968.00``)
become numbers, while percentages (``3%``) stay text for the scenario's rate rules.

Only the sheets (and CSV files) named as tables are read, within the bounds of
:mod:`mtfpmodel.scenario.limits` (file size, unpacked size, rows and cells of a table); a file
that breaks one, or is not a workbook, or is damaged, is refused naming the file, never a crash.
"""
from __future__ import annotations

import csv
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mtfpmodel.scenario.errors import Problem, ScenarioError
from mtfpmodel.scenario.limits import (
    ECHO,
    MAX_SHEET_BYTES,
    MAX_TABLE_CELLS,
    MAX_TABLE_ROWS,
    MAX_UNPACKED,
    clip,
)
from mtfpmodel.scenario.units import UNITS
from mtfpmodel.scenario.yamlfile import file_problem

_NUMBER = re.compile(r"^\(?-?£?\s*[\d,]*\.?\d+\)?$")


@dataclass(frozen=True)
class Cell:
    """One cell: its value (None if empty), formula (xlsx only) and where it is."""

    value: Any
    file: str
    sheet: str | None
    row: int                 # 1-based
    col: int                 # 1-based
    formula: str | None = None
    percent: bool = False    # a number shown as a percentage (Excel holds 5% as 0.05)

    @property
    def coordinate(self) -> str:
        return f"{column_letter(self.col)}{self.row}"

    @property
    def where(self) -> str:
        """'budget.xlsx, sheet Lines, cell C5' or 'lines.csv, cell C5'."""
        sheet = f", sheet {self.sheet}" if self.sheet else ""
        return f"{self.file}{sheet}, cell {self.coordinate}"

    def row_where(self) -> str:
        sheet = f", sheet {self.sheet}" if self.sheet else ""
        return f"{self.file}{sheet}, row {self.row}"

    @property
    def empty(self) -> bool:
        """Nothing in the cell: no value and no formula (a formula saved without its value is not empty)."""
        blank = self.value is None or (isinstance(self.value, str) and not self.value.strip())
        return blank and self.formula is None


@dataclass
class Table:
    """A sheet (or CSV file) as rows of cells; ``name`` is the sheet name or the CSV file's stem."""

    name: str
    file: str
    sheet: str | None
    rows: list[list[Cell]]

    def cell(self, row: int, col: int) -> Cell:
        """The cell at 1-based (row, col); an empty cell outside the data."""
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return Cell(None, self.file, self.sheet, row, col)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_xlsx(path: Path, shown: str, wanted: Callable[[str], bool] = lambda sheet: True) -> list[Table]:
    """The sheets of an .xlsx workbook that ``wanted`` (given the sheet's name) asks for, values
    as saved plus formulas; other sheets are not read at all.

    A file that is not a workbook (an old .xls, a password-protected workbook, a damaged or
    truncated file), one that unpacks beyond :data:`MAX_UNPACKED`, or a sheet beyond the table
    limits is refused with a message naming the file (and sheet), never a crash.
    """
    _check_file(path, shown, "workbook", ".xlsx workbook")
    _check_archive(path, shown)
    try:
        sheets = _sheet_values(path, wanted)
    except _TooLarge as exc:
        raise ScenarioError([Problem(str(exc), file=shown, hint="mtfp import reads the plan's tables (a few "
                                     "thousand cells); delete the rows and columns below and beside them")]) from None
    except MemoryError:
        raise
    except Exception as exc:   # a damaged workbook: zipfile, the XML parser and openpyxl's checks raise many kinds
        raise ScenarioError([Problem(f"cannot read this workbook ({_reason(exc)})", file=shown,
                                     hint=RESAVE)]) from None
    return [Table(title, shown, title, [[Cell(_plain(value), shown, title, r, c, formula, percent)
                                         for c, (value, formula, percent) in enumerate(row, start=1)]
                                        for r, row in enumerate(rows, start=1)])
            for title, rows in sheets]


RESAVE = "open it in Excel or LibreOffice and save it again as .xlsx"     # the hint for a damaged workbook
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"    # an old .xls, or any workbook saved with a password


def _check_archive(path: Path, shown: str) -> None:
    """An .xlsx is a zip archive of XML parts: refuse anything else, and an archive whose parts
    unpack to more than :data:`MAX_UNPACKED` (a "zip bomb"), before openpyxl opens it."""
    def refuse(message: str, hint: str) -> None:
        raise ScenarioError([Problem(message, file=shown, hint=hint)])

    try:
        with open(path, "rb") as stream:
            head = stream.read(len(OLE_SIGNATURE))
        if head == OLE_SIGNATURE:
            refuse("an old-style .xls workbook or one protected by a password, not an .xlsx",
                   "remove the password, or save it from Excel as an .xlsx workbook")
        if not zipfile.is_zipfile(path):
            refuse("not an .xlsx workbook (it is not a zip archive: empty, damaged or another kind of file)",
                   RESAVE)
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except OSError as exc:
        refuse(f"cannot be read ({_reason(exc)})", "check the file's permissions")
    except zipfile.BadZipFile as exc:
        refuse(f"cannot read this workbook ({_reason(exc)})", RESAVE)
    if unpacked > MAX_UNPACKED:
        refuse(f"the workbook unpacks to {unpacked / 2**20:,.0f} MiB, too large for a budget book "
               f"(at most {MAX_UNPACKED // 2**20} MiB)", "is this the right file?")


class _TooLarge(Exception):
    """A table beyond :data:`MAX_TABLE_ROWS` or :data:`MAX_TABLE_CELLS`: no budget book's."""


def _sheet_values(path: Path, wanted: Callable[[str], bool]) -> list[tuple[str, list[list[tuple[Any, str | None, bool]]]]]:
    """(sheet name, rows of (value, formula or None, shown as a percentage)) for each wanted sheet."""
    import openpyxl

    sheets = []
    with warnings.catch_warnings():
        # openpyxl notes the parts it does not keep (data validation, defined names of lost
        # sheets...): nothing an import reads, and not for the officer to act on.
        warnings.simplefilter("ignore")
        values = openpyxl.load_workbook(path, data_only=True, read_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True)
        try:
            for ws in values.worksheets:
                if not wanted(ws.title):
                    continue
                fs = formulas[ws.title]
                ws.reset_dimensions()      # read the cells there are, not the size the file claims
                fs.reset_dimensions()
                rows, cells = [], 0
                for vrow, frow in zip(ws.iter_rows(), fs.iter_rows(values_only=True)):
                    cells += len(vrow)
                    if len(rows) == MAX_TABLE_ROWS or cells > MAX_TABLE_CELLS:
                        raise _TooLarge(f"sheet {ws.title} is larger than a plan's table (more than "
                                        f"{MAX_TABLE_ROWS:,} rows or {MAX_TABLE_CELLS:,} cells)")
                    rows.append([(cell.value, formula if isinstance(formula, str) and formula.startswith("=") else None,
                                  isinstance(cell.value, (int, float)) and "%" in (cell.number_format or ""))
                                 for cell, formula in zip(vrow, frow)])
                sheets.append((ws.title, rows))
        finally:
            values.close()
            formulas.close()
    return sheets


def read_csv(path: Path, shown: str, wanted: Callable[[str], bool] = lambda table: True) -> Table:
    """A CSV file as one table named after the file (UTF-8, with or without a byte-order mark),
    within the size and table limits; a file whose name ``wanted`` does not ask for is not read
    (its table has no rows)."""
    _check_file(path, shown, "CSV", ".csv file")
    if not wanted(path.stem):
        return Table(path.stem, shown, None, [])
    rows: list[list[Cell]] = []
    cells = 0
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            for r, row in enumerate(reader, start=1):
                cells += len(row)
                if r > MAX_TABLE_ROWS or cells > MAX_TABLE_CELLS:
                    raise ScenarioError([Problem(f"larger than a plan's table (more than {MAX_TABLE_ROWS:,} rows "
                                                 f"or {MAX_TABLE_CELLS:,} cells)", file=shown,
                                                 hint="mtfp import reads the plan's tables (a few thousand cells)")])
                rows.append([Cell(_csv_value(text), shown, None, r, c) for c, text in enumerate(row, start=1)])
    except OSError as exc:
        raise ScenarioError([Problem(f"cannot be read ({_reason(exc)})", file=shown,
                                     hint="check the file's permissions")]) from None
    except UnicodeDecodeError:
        raise ScenarioError([Problem("not a UTF-8 text file", file=shown,
                                     hint="save the CSV as 'CSV UTF-8' from Excel")]) from None
    except csv.Error as exc:
        raise ScenarioError([Problem(f"not a CSV table ({exc}, line {reader.line_num:,})", file=shown,
                                     hint="save the table as 'CSV UTF-8' from Excel")]) from None
    return Table(path.stem, shown, None, rows)


def _check_file(path: Path, shown: str, kind: str, wanted: str) -> None:
    problem = file_problem(path, kind, wanted, MAX_SHEET_BYTES)
    if problem is not None:
        raise ScenarioError([replace(problem, file=shown)])


def _reason(exc: BaseException) -> str:
    """What went wrong, for a message: the system's words for a file error, else the error's
    own, cut to a line."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return clip(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, ECHO * 2)


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if hasattr(value, "isoformat"):          # a date typed into a cell: keep it as text for the message
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)                    # a whole number stays whole (an asset life of 20, not 20.0)
    return value


def _csv_value(text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    if text in UNITS:                        # '£000' is the money unit, not nought pounds
        return text
    if _NUMBER.match(text.replace(" ", "")):
        number = text.replace(",", "").replace("£", "").replace(" ", "")
        negative = number.startswith("(") and number.endswith(")")
        digits = number.strip("()")
        try:   # a whole number stays whole, as a spreadsheet cell gives it (an asset life of 20, not 20.0)
            value = int(digits) if digits.lstrip("+-").isdigit() else float(digits)
        except ValueError:
            return text
        return -value if negative else value
    return text
