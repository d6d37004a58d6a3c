"""Spreadsheet tables as located cells: every value knows its file, sheet and cell.

An .xlsx is read with openpyxl (imported only here, when a file is read): values as saved,
and formulas too, so a link such as ``=F12`` can be recognised. A CSV file is one table named
after the file; its text cells that look like numbers (``1,234``, ``(1,234)``, ``£1,968.00``)
become numbers, while percentages (``3%``) stay text for the scenario's rate rules.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtfpmodel.scenario.errors import Problem, ScenarioError
from mtfpmodel.scenario.units import UNITS

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


def read_xlsx(path: Path, shown: str) -> list[Table]:
    """Every sheet of an .xlsx workbook, values as saved plus formulas."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values = openpyxl.load_workbook(path, data_only=True, read_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True)
    except FileNotFoundError:
        raise ScenarioError([Problem("file not found", file=shown, hint="check the path and spelling")]) from None
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ScenarioError([Problem(f"cannot read this workbook ({exc})", file=shown,
                                     hint="save it from Excel or LibreOffice as .xlsx")]) from None
    tables = []
    for ws in values.worksheets:
        fs = formulas[ws.title]
        rows = []
        for r, (vrow, frow) in enumerate(zip(ws.iter_rows(), fs.iter_rows(values_only=True)), start=1):
            cells = []
            for c, (cell, formula) in enumerate(zip(vrow, frow), start=1):
                text = formula if isinstance(formula, str) and formula.startswith("=") else None
                percent = isinstance(cell.value, (int, float)) and "%" in (cell.number_format or "")
                cells.append(Cell(_plain(cell.value), shown, ws.title, r, c, text, percent))
            rows.append(cells)
        tables.append(Table(ws.title, shown, ws.title, rows))
    values.close()
    formulas.close()
    return tables


def read_csv(path: Path, shown: str) -> Table:
    """A CSV file as one table named after the file (UTF-8, with or without a byte-order mark)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            raw = list(csv.reader(stream))
    except FileNotFoundError:
        raise ScenarioError([Problem("file not found", file=shown, hint="check the path and spelling")]) from None
    except UnicodeDecodeError:
        raise ScenarioError([Problem("not a UTF-8 text file", file=shown,
                                     hint="save the CSV as 'CSV UTF-8' from Excel")]) from None
    rows = [[Cell(_csv_value(text), shown, None, r, c) for c, text in enumerate(row, start=1)]
            for r, row in enumerate(raw, start=1)]
    return Table(path.stem, shown, None, rows)


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
