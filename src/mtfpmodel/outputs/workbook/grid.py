"""The workbook's grid: one column layout on every sheet, and rows of (formula, cached value).

Every sheet has the same columns (the ICAEW Financial Modelling Code's "consistent
placement"), so a year is in the same column everywhere:

    A item   B detail   C unit   D value (one number for the row)   E base year   F.. projection years

A calculated cell is written as a :class:`Formula`: the Excel formula and the value the engine
computed for it, stored together as the cell's cached result, so a reader that does not
calculate (pandas, file previews, mail viewers) shows the engine's numbers and Excel or
LibreOffice, recalculating, reproduce them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

LABEL, DETAIL, UNIT, VALUE, BASE = range(5)    # 0-based columns A-E; year t is in column BASE + t
TITLE_ROW, NOTE_ROW, HEADING_ROW, YEAR_NUMBER_ROW = 0, 1, 2, 3
FIRST_ROW = 5                                  # first row of content (0-based), below the headings
INPUTS_SHEET = "Inputs"                        # the sheet of inputs, one per row...
PATH_HEADING = "mtfp path"                     # ...the heading of its path column (mtfp import reads both)


@dataclass(frozen=True)
class Formula:
    """An Excel formula (without the leading '=') and the engine's value for it."""

    text: str
    value: Any


Cell = Formula | float | int | str | bool | None


def column_letter(col: int) -> str:
    """0 → 'A', 25 → 'Z', 26 → 'AA'."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_prefix(sheet: str, here: str) -> str:
    """'' on the same sheet, else 'Inputs!' or "'Gap table'!" (quoted when not a plain word)."""
    if sheet == here:
        return ""
    return f"{sheet}!" if sheet.isalnum() else f"'{sheet}'!"


@dataclass(frozen=True)
class Ref:
    """Where a row is: its sheet and 0-based row index; gives A1 references into it."""

    sheet: str
    row: int

    def cell(self, col: int, here: str, absolute: bool = False) -> str:
        dollar = "$" if absolute else ""
        return f"{sheet_prefix(self.sheet, here)}{dollar}{column_letter(col)}{dollar}{self.row + 1}"

    def year(self, t: int, here: str) -> str:
        """Year t of the row, relative (so the formula copies across the years)."""
        return self.cell(BASE + t, here)

    def value(self, here: str) -> str:
        """The row's one number (column D), absolute."""
        return self.cell(VALUE, here, absolute=True)

    def base(self, here: str) -> str:
        """The row's base-year cell (column E), absolute."""
        return self.cell(BASE, here, absolute=True)

    def through(self, t: int, here: str) -> str:
        """The base year to year t of the row, e.g. Inputs!$E12:G12 (a running total copies across)."""
        return f"{sheet_prefix(self.sheet, here)}${column_letter(BASE)}{self.row + 1}:{column_letter(BASE + t)}{self.row + 1}"

    def span(self, first: int, last: int, here: str) -> str:
        """Years first..last of the row (absolute), e.g. Inputs!$F$12:$I$12."""
        return (f"{sheet_prefix(self.sheet, here)}${column_letter(BASE + first)}${self.row + 1}:"
                f"${column_letter(BASE + last)}${self.row + 1}")


def column_range(first: Ref, last: Ref, col: int | None, here: str, t: int | None = None) -> str:
    """Rows first..last in one column: column ``col`` absolute, or year ``t`` relative (copies across)."""
    prefix = sheet_prefix(first.sheet, here)
    if t is not None:
        letter = column_letter(BASE + t)
        return f"{prefix}{letter}${first.row + 1}:{letter}${last.row + 1}"
    letter = column_letter(col)
    return f"{prefix}${letter}${first.row + 1}:${letter}${last.row + 1}"


def across(years: int, formula: Callable[[int], str | None], values: Sequence[float] | None,
           start: int = 0) -> list[Cell]:
    """One cell per year t = 0..years-1: ``formula(t)`` with cached ``values[t]``; blank before ``start``."""
    cells: list[Cell] = []
    for t in range(years):
        text = formula(t) if t >= start else None
        cells.append(None if text is None else Formula(text, _plain(values[t]) if values is not None else 0))
    return cells


def _plain(value: Any) -> Any:
    """numpy scalars → Python floats (XlsxWriter writes the cached value with str())."""
    if isinstance(value, (str, bool)):
        return value
    return float(value)


def safe_name(text: str) -> str:
    """A defined-name fragment: letters, digits and underscores ('Children's social care' → Childrens_social_care)."""
    out = "".join(ch if ch.isalnum() else ("" if ch in "'’" else "_") for ch in text)
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_") or "item"
