"""The Inputs sheet's rows: one input per row, each remembered by its mtfp path.

:class:`Register` writes the rows of every shape (a value in column D, a base-year amount in E,
one value per projection year, a switch, a share) and records where each path's row is, so the
calculation sheets refer to it and ``mtfp import`` reads it back. The blocks are written by
``inputs.py``, ``driverinputs.py`` and ``planinputs.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from mtfpmodel.engine import parameters as P
from mtfpmodel.outputs.workbook import style
from mtfpmodel.outputs.workbook.book import Book, Sheet
from mtfpmodel.outputs.workbook.grid import INPUTS_SHEET as SHEET
from mtfpmodel.outputs.workbook.grid import PATH_HEADING, VALUE, Cell, Formula, Ref
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.series import Series

NOTE = ("Inputs are blue on yellow: change them and every sheet recalculates. Grey italic cells are the "
        "scenario's structure (change it in the scenario file). Rates are % a year; amounts in the "
        "money unit arise in the year shown.")
CHECK_TOLERANCE = 1e-6
FUNDED_BY = ["revenue", "reserves", "capital_receipts"]
METHODS = ["annuity", "straight_line"]
CERTAINTIES = ["confirmed", "indicative", "assumed"]


@dataclass
class InputMap:
    """Where each input's row is, by its mtfp path (and a few named structure rows, by key)."""

    rows: dict[str, Ref] = field(default_factory=dict)

    def __getitem__(self, path: str) -> Ref:
        return self.rows[path]

    def get(self, path: str) -> Ref | None:
        return self.rows.get(path)


class Register:
    """Writes the rows and remembers them; ``params`` gives each path's value."""

    def __init__(self, book: Book, result: Result):
        self.book = book
        self.result = result
        self.params = result.params
        self.map = InputMap()
        self.sheet = Sheet(book, SHEET, "Inputs", columns=("Item", "Input", "Unit", "Value"), note=NOTE,
                           year_numbers=False, extra=("Source", PATH_HEADING))
        ws = self.sheet.ws
        ws.set_column(book.source_col, book.source_col, style.WIDTHS["source"])
        ws.set_column(book.path_col, book.path_col, style.WIDTHS["path"])

    @property
    def unit(self) -> str:
        return self.book.unit

    # --- one row of each shape -----------------------------------------------------------

    def value(self, item: str, label: str, unit: str, path: str | None, value, kind: str = "money",
              role: str = "input", source: str | None = None) -> Ref:
        """A row with one value in column D (remembered by its path, when it has one)."""
        ref = self.sheet.write(item, label, unit, value=value, role=role, kind=kind, source=source, path=path)
        if path:
            self.map.rows[path] = ref
        return ref

    def base(self, item: str, label: str, unit: str, path: str, kind: str = "money",
             source: str | None = None, value: float | None = None) -> Ref:
        """A row with one base-year amount in column E (the approved budget's figure)."""
        amount = float(self.params[path].value) if value is None else float(value)
        cells: list[Cell] = [amount] + [None] * (self.book.years - 1)
        ref = self.sheet.write(item, label, unit, years=cells, role="input", kind=kind, blank_years="not_used",
                               source=source, path=path)
        self.map.rows[path] = ref
        return ref

    def series(self, item: str, label: str, unit: str, path: str, kind: str = "rate",
               source: str | None = None, given: Series | None = None) -> Ref:
        """A row with one value per projection year; a series naming an assumption links to its row.

        ``given`` is the Series itself, for a field that is not an addressable parameter.
        """
        if given is not None:
            ref_path = f"assumptions.{given.ref}" if given.ref and given.ref != "none" else None
            param = P.Parameter(path, "rate", P.series_values(given, self.params, self.book.years - 1), ref_path)
        else:
            param = self.params[path]
        target = self.map.get(param.ref) if param.ref else None
        cells: list[Cell] = [None]
        for t, value in enumerate(param.value, start=1):
            if target is not None:
                cells.append(Formula(target.year(t, SHEET), float(value)))
            else:
                cells.append(float(value))
        if target is not None:
            note = f"follows {param.ref.removeprefix('assumptions.')} (type a value to override)"
            source = f"{source} — {note}" if source else note
        ref = self.sheet.write(item, label, unit, years=cells, role="input", kind=kind, blank_years="not_used",
                               source=source, path=path)
        self.map.rows[path] = ref
        return ref

    def switch(self, item: str, label: str, path: str, value: bool) -> Ref:
        """A TRUE/FALSE input."""
        ref = self.value(item, label, "TRUE/FALSE", path, bool(value), kind="text")
        self.rule(ref, f"=ISLOGICAL({ref.value('')})", "TRUE or FALSE.")
        return ref

    def share(self, item: str, label: str, unit: str, path: str, value: float) -> Ref:
        """A share from 0% to 100% in column D."""
        ref = self.value(item, label, unit, path, float(value), kind="rate")
        self.rule(ref, f"=AND({ref.value('')}>=0,{ref.value('')}<=1)", "A share from 0% to 100%.")
        return ref

    def name(self, name: str, ref: Ref, span: bool = False, col: int = VALUE) -> None:
        """A defined name for an input: its year span (F onwards), or one cell."""
        here = ""                    # not the Inputs sheet: the reference carries the sheet name
        target = ref.span(1, self.book.years - 1, here) if span else ref.cell(col, here, absolute=True)
        self.book.define_name(name, target)

    def choose(self, ref: Ref, options: list[str]) -> None:
        self.sheet.validate(ref, VALUE, {"validate": "list", "source": options})

    def rule(self, ref: Ref, formula: str, message: str) -> None:
        self.sheet.validate(ref, VALUE, {"validate": "custom", "value": formula, "error_message": message})


def life(reg: Register, item: str, label: str, path: str, years: int) -> Ref:
    """An asset life in whole years, 1 to 100."""
    ref = reg.value(item, label, "years", path, years, kind="int")
    reg.sheet.validate(ref, VALUE, {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 100})
    return ref
