"""Read the Inputs sheet of a workbook ``mtfp run`` wrote: one input per row, found by its mtfp path.

The path column says where each row's value goes (``expenditure[Adult social care].base``), so a
new block of the scenario needs no code here once the workbook writes its rows. A row holds its
value in the Value column (D), the base-year column (E: base budgets, Band D...), or one cell
per projection year; a year cell that links to an assumption's row (``=F12``) in every year is
read back as that assumption's name, so ``growth: prices`` survives the round trip.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from mtfpmodel.outputs.imports.cells import Cell, Table
from mtfpmodel.outputs.imports.document import Document
from mtfpmodel.outputs.imports.yamltext import percent_text
from mtfpmodel.outputs.workbook.grid import PATH_HEADING
from mtfpmodel.scenario.limits import shown
from mtfpmodel.scenario.loader import parse_path
from mtfpmodel.scenario.series import check_year_label

_LINK = re.compile(r"^=\$?([A-Z]{1,3})\$?(\d+)$")
_FOLLOWS = re.compile(r"\s*(—\s*)?follows \S+ \(type a value to override\)\s*$")
_PLACE = re.compile(r"\s*\(?from [^()]*, rows? \d+\)?\s*$", re.IGNORECASE)   # added by an earlier import
SOURCE_ITEMS = ("expenditure", "pressures", "savings", "grants", "groups", "contracts", "reserves",
                "capital_programme")                               # named items that take a source
SOURCE_BLOCKS = (("funding", "business_rates"), ("funding", "council_tax", "parish_precepts"),
                 ("capital_financing", "existing_debt_charges"), ("capital_financing",))   # blocks that take one
OPTIONAL = ("ends",)          # fields a blank cell leaves out (a grant with no last year)
EMPTY = {"reserves": "none"}  # a section written as this word is an empty list (reserves: [])


def may_be_register(sheet: str) -> bool:
    """Whether a sheet of this name may be the Inputs sheet: 'Inputs', or a name with 'input' in it
    (an officer's 'Inputs flexed', Excel's copy 'Inputs (2)'), in any case."""
    return "input" in sheet.casefold()


def is_register(table: Table) -> bool:
    """A workbook's sheet of inputs, as ``mtfp run`` writes it: found by its mtfp path column."""
    return table.sheet is not None and may_be_register(table.name) and _header(table) is not None


def one_register(registers: list[Table], sources: list[Path], files: list[Path], doc: Document) -> None:
    """The Inputs sheet holds the whole plan, so nothing else given can be read with it: a second
    sheet of inputs, or another file given beside the workbook (or in its folder), is a problem
    rather than left unread. ``files`` are those ``sources`` name, folders' contents included."""
    first = registers[0]
    for other in registers[1:]:
        if other.file == first.file:
            doc.problem(f"{other.file}, sheet {other.name}",
                        f"a second sheet of inputs (it has an '{PATH_HEADING}' column, as sheet {first.name} has)",
                        hint="keep one: delete the other sheet, or its mtfp path column")
    whole = f"a workbook mtfp run wrote, whose sheet {first.name} holds the whole plan"
    alone = "import the workbook on its own, or the budget book's files without it"
    workbook = os.path.realpath(first.file)
    for source in sources:
        if not source.is_dir():
            if os.path.realpath(source) != workbook:
                doc.problem(str(source), f"given beside {first.file}, {whole}: this file would not be read", hint=alone)
            continue
        inside = [f for f in files if os.path.realpath(f.parent) == os.path.realpath(source)]
        others = [f.name for f in inside if os.path.realpath(f) != workbook]
        if not others:
            continue
        named = ", ".join(others[:4]) + (", ..." if len(others) > 4 else "")
        if len(others) < len(inside):
            doc.problem(str(source), f"this folder holds {first.file}, {whole}, and other files that would "
                                     f"not be read ({named})",
                        hint=f"import the workbook on its own: mtfp import {first.file}")
        else:
            doc.problem(str(source), f"given beside {first.file}, {whole}: the files in this folder would not be "
                                     f"read ({named})", hint=alone)


def _header(table: Table) -> tuple[int, dict[str, int]] | None:
    """(header row, {heading: column}) of the register, if the sheet is one."""
    for r in range(1, min(len(table.rows), 10) + 1):
        headings = {str(c.value).strip(): c.col for c in table.rows[r - 1] if not c.empty}
        if PATH_HEADING in headings:
            return r, headings
    return None


def read_register(table: Table, doc: Document) -> None:
    """Put every row of the register into ``doc``."""
    header, headings = _header(table)
    years = sorted((col, label) for label, col in headings.items() if _is_year(label))
    if len(years) < 2:
        doc.problem(table.cell(header, 1).where, "the Inputs sheet has no year columns (2024/25, 2025/26, ...)")
        return
    base_col = years[0][0]
    year_cols = [col for col, _ in years[1:]]
    path_col, source_col = headings[PATH_HEADING], headings.get("Source")
    value_col = headings.get("Value", base_col - 1)
    unit_col = headings.get("Unit", value_col - 1)
    doc.put(["base_year"], years[0][1], table.cell(header, base_col).where)
    doc.put(["years"], len(year_cols), table.cell(header, year_cols[-1]).where)
    rows, first = {}, {}
    for r in range(header + 1, len(table.rows) + 1):
        path = table.cell(r, path_col).value
        if not (isinstance(path, str) and path.strip()):
            continue
        path = path.strip()
        if path in first:              # a second row would silently overwrite the first
            doc.problem(table.cell(r, path_col).where, f"{shown(path)} is given twice on this sheet "
                        f"(the first is row {first[path]})", hint="delete one of the two rows")
            continue
        first[path] = r
        rows[r] = path
    assumption_rows = {r: p.removeprefix("assumptions.") for r, p in rows.items() if p.startswith("assumptions.")}
    doc.read.append(f"sheet {table.sheet}")
    for r, path in rows.items():
        try:
            steps = parse_path(path)
        except KeyError as exc:
            doc.problem(table.cell(r, path_col).where, f"not an mtfp path ({exc.args[0]})")
            continue
        if steps and steps[0] in ("base_year", "years"):
            continue                      # the year columns say these
        if steps[-1] in OPTIONAL and all(table.cell(r, c).empty for c in [value_col, base_col, *year_cols]):
            continue
        value, at = _value(table, r, value_col, base_col, year_cols, assumption_rows, doc)
        if at is None:
            continue
        if path in EMPTY and isinstance(value, str) and value.strip().lower() == EMPTY[path]:
            value = []
        if steps[0] == "reserves" and steps[-1] == "minimum" and "%" in str(table.cell(r, unit_col).value or ""):
            value = percent_text(value) if isinstance(value, (int, float)) else value
        if steps[0] == "assumptions":
            steps = steps + ["value"]
        doc.put(steps, value, at)
        item = _item(steps)
        if item:
            doc.note_row(item, table.cell(r, 1).row_where())
            source = table.cell(r, source_col).value if source_col else None
            if isinstance(source, str) and _FOLLOWS.sub("", source).strip() and not doc.has(item + ["source"]):
                doc.put(item + ["source"], _source(source, table.cell(r, source_col)), table.cell(r, source_col).where)
    for item, place in doc.rows.items():        # an item with no evidence text still says where it came from
        if not doc.has(list(item) + ["source"]):
            doc.put(list(item) + ["source"], f"From {place}", place)


def _is_year(label: str) -> bool:
    try:
        check_year_label(label)
        return True
    except ValueError:
        return False


def _value(table: Table, r: int, value_col: int, base_col: int, year_cols: list[int],
           assumption_rows: dict[int, str], doc: Document):
    """The row's value and where it is: a series, the base-year amount, or the Value cell."""
    cells = [table.cell(r, c) for c in year_cols]
    if any(not c.empty for c in cells):
        linked = [_linked(c, assumption_rows) for c in cells]
        if linked[0] is not None and all(name == linked[0] for name in linked):
            return linked[0], cells[0].where
        missing = [c for c in cells if c.empty]
        for c in missing:
            doc.problem(c.where, "no value for this year", hint="give a value in every year of the row")
        unsaved = [c for c in cells if c.formula and c.value is None]
        for c in unsaved:
            doc.problem(c.where, "a formula with no saved value",
                        hint="open the file in Excel or LibreOffice and save it, so its values are stored")
        if missing or unsaved:
            return None, None
        return [c.value for c in cells], cells[0].where
    for col in (base_col, value_col):
        cell = table.cell(r, col)
        if not cell.empty:
            if cell.formula and cell.value is None:
                doc.problem(cell.where, "a formula with no saved value",
                            hint="open the file in Excel or LibreOffice and save it, so its values are stored")
                return None, None
            return cell.value, cell.where
    doc.problem(table.cell(r, value_col).where, "this input has no value", hint="fill in the Value column")
    return None, None


def _linked(cell: Cell, assumption_rows: dict[int, str]) -> str | None:
    """The assumption a cell links to (=F12 in column F, row 12 an assumption), or None."""
    match = _LINK.match(cell.formula or "")
    if not match or match[1] != cell.coordinate.rstrip("0123456789"):
        return None
    return assumption_rows.get(int(match[2]))


def _item(steps: list) -> list | None:
    """The steps of the item a value belongs to, if that item takes a ``source:``."""
    if steps[0] == "assumptions":
        return steps[:2]
    for block in SOURCE_BLOCKS:
        if tuple(steps[:len(block)]) == block and not any(isinstance(step, tuple) for step in steps):
            return list(block)
    for n, step in enumerate(steps):
        if isinstance(step, tuple):
            return steps[:n + 1] if steps[n - 1] in SOURCE_ITEMS else None
    return None


def _source(text: str, cell: Cell) -> str:
    """The evidence text, with the place it was read from (replacing a place added by an earlier import)."""
    text = _PLACE.sub("", _FOLLOWS.sub("", text)).strip()
    return f"{text} (from {cell.row_where()})" if text else f"From {cell.row_where()}"
