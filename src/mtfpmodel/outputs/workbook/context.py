"""What every sheet builder shares: the book, the run's results, where the inputs and rows are."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mtfpmodel.engine import parameters as P
from mtfpmodel.outputs.workbook.book import Book, Sheet
from mtfpmodel.outputs.workbook.grid import Cell, Ref, across, column_range
from mtfpmodel.outputs.workbook.register import InputMap
from mtfpmodel.results.result import Result


@dataclass
class Model:
    """The workbook being built. ``rows`` maps a figure's name to its row, e.g. rows['net_gap']."""

    book: Book
    result: Result
    inputs: InputMap
    params: dict[str, P.Parameter]       # every input of the scenario by path, with its values (projection years)
    rows: dict[str, Ref] = field(default_factory=dict)
    groups: dict[str, list[Ref]] = field(default_factory=dict)   # per line, per stream, per category...
    figures: dict[str, np.ndarray] = field(default_factory=dict)  # the cached values of rows[key]
    sheets: dict[str, Sheet] = field(default_factory=dict)        # every sheet, created in tab order

    def sheet(self, name: str) -> Sheet:
        return self.sheets[name]

    def input_values(self, path: str) -> np.ndarray:
        """An input series as T+1 values, 0 in the base year."""
        return np.concatenate([[0.0], np.asarray(self.params[path].value, dtype=float)])

    @property
    def r(self):
        """The engine's arrays (draw 0 is used)."""
        return self.result.results

    @property
    def years(self) -> int:
        return self.book.years

    @property
    def unit(self) -> str:
        return self.book.unit

    def values(self, array) -> np.ndarray:
        """A (D, T+1) engine array (or one broadcast to it) as draw 0's T+1 values."""
        array = np.asarray(array)
        return np.broadcast_to(array, (array.shape[0], self.years))[0] if array.ndim == 2 else array

    def row(self, sheet: Sheet, label: str, detail: str, formula, values, *, unit: str | None = None,
            start: int = 0, kind: str = "money", total: bool = False, value: Cell = None,
            value_kind: str | None = None, key: str | None = None) -> Ref:
        """A calculated row: ``formula(t)`` in each year from ``start``, cached ``values``."""
        cells = across(self.years, formula, None if values is None else self.values(values), start)
        ref = sheet.write(label, detail, self.unit if unit is None else unit, years=cells, kind=kind,
                          total=total, value=value, value_kind=value_kind)
        if key:
            self.rows[key] = ref
            self.figures[key] = np.zeros(self.years) if values is None else np.asarray(self.values(values))
        return ref

    def link(self, sheet: Sheet, label: str, detail: str, source: Ref, values, *, unit: str | None = None,
             start: int = 0, kind: str = "money", total: bool = False, key: str | None = None) -> Ref:
        """A row that brings a figure from another sheet, year by year."""
        return self.row(sheet, label, detail, lambda t: source.year(t, sheet.name), values, unit=unit,
                        start=start, kind=kind, total=total, key=key)

    def publish(self, key: str, ref: Ref, values) -> Ref:
        """Name a row written another way (``rows[key]``) with its cached values."""
        self.rows[key] = ref
        self.figures[key] = np.asarray(self.values(values), dtype=float)
        return ref


def sum_rows(first: Ref, last: Ref, t: int, here: str) -> str:
    """SUM of year t over rows first..last of one sheet (relative column)."""
    return f"SUM({column_range(first, last, None, here, t)})"
