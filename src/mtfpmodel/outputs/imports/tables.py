"""Read budget-book tables (layouts.py) into the scenario being imported, cell by cell.

Values go in as the officer typed them (a number, ``3%``, ``amber``, an assumption's name);
the scenario's own validation then checks them and names the cell of every problem. What only
the table can know — an unknown column, a row without a name, a year heading that is not a
financial year — is reported here, also by cell.
"""
from __future__ import annotations

import difflib
import re

from mtfpmodel.outputs.imports.cells import Cell, Table
from mtfpmodel.outputs.imports.document import Document
from mtfpmodel.outputs.imports.layouts import (
    BOOLEANS,
    MAIN_BY_KIND,
    SHARE_OR_AMOUNT,
    YES_NO,
    Layout,
    Settings,
    normal,
)
from mtfpmodel.outputs.imports.yamltext import percent_text
from mtfpmodel.scenario.limits import shown
from mtfpmodel.scenario.series import check_year_label

_YEAR = re.compile(r"^(?P<field>.*?)\s*(?P<year>\d{4}\s*/\s*\d{2})$")
_PAY_FROM = re.compile(r"^\s*pay\s+from\s*:?\s*(?P<group>.+?)\s*%?\s*$", re.IGNORECASE)
TOTALS = {"total", "totals", "grand total", "net total"}


def _year_heading(text) -> tuple[str, str] | None:
    """('demand', '2025/26') for 'Demand 2025/26'; ('', '2025/26') for a bare year; else None."""
    match = _YEAR.match(str(text).strip())
    if not match:
        return None
    return normal(match["field"]), match["year"].replace(" ", "")


def _bare_year(text) -> bool:
    """Whether ``text`` is a year heading on its own ('2025/26'), as a column of values by year is."""
    year = _year_heading(text or "")
    return year is not None and year[0] == ""


def _header_row(table: Table, wanted: set[str]) -> int | None:
    for r in range(1, min(len(table.rows), 10) + 1):
        if any(normal(c.value) in wanted for c in table.rows[r - 1] if not c.empty):
            return r
    return None


def read_layout(table: Table, layout: Layout, doc: Document, years: set[str]) -> None:
    """Put every row of a record table into ``doc``; year headings seen go into ``years``."""
    header = _header_row(table, set(layout.name_headings))
    if header is None:
        doc.problem(table.cell(1, 1).where, f"no header row naming the columns of the {layout.name} table",
                    hint=f"the first row should head the name column '{layout.name_headings[0].title()}'")
        return
    doc.read.append(_shown(table))
    columns = _columns(table, header, layout, doc, years)
    if columns is None:
        return
    name_col, scalars, per_year, mix = columns
    width = table.width
    headed = {cell.col for cell in table.rows[header - 1] if not cell.empty}
    for r in range(header + 1, len(table.rows) + 1):
        row = [table.cell(r, c) for c in range(1, width + 1)]
        if all(c.empty for c in row):
            continue
        for cell in row:                  # read by no column: an error, as an unknown key is
            if not cell.empty and cell.col not in headed:
                doc.problem(cell.where, f"a value ({shown(cell.value)}) in a column with no heading",
                            hint="head the column with what it holds, or delete the value")
        name_cell = table.cell(r, name_col)
        if name_cell.empty:
            doc.problem(name_cell.where, f"a row with figures but no {layout.name_headings[0]} name",
                        hint="give every row a name, or delete the row")
            continue
        name = str(name_cell.value).strip()
        if normal(name) in TOTALS:
            continue                                   # a budget book's total row: mtfp adds up itself
        _row(table, r, name, name_cell, layout, doc, scalars, per_year, mix)


def _columns(table: Table, header: int, layout: Layout, doc: Document, years: set[str]):
    """(name column, {key: col}, {key: {year: col}}, {part: col}) from the header row; None on problems."""
    known = {h: c for c in layout.columns for h in c.headings}
    series_keys = {c.key for c in layout.columns if c.series} | {c.by_year for c in layout.columns if c.by_year}
    name_col, scalars, per_year, mix, ok = None, {}, {}, {}, True
    for cell in table.rows[header - 1]:
        if cell.empty:
            continue
        heading = normal(cell.value)
        year = _year_heading(cell.value)
        if name_col is None and heading in layout.name_headings:
            name_col = cell.col
        elif year is not None:
            field, label = year
            try:
                check_year_label(label)
            except ValueError as exc:
                doc.problem(cell.where, str(exc).replace(" (write it like '2024/25', in quotes)", ""),
                            hint="head year columns like 2025/26")
                ok = False
                continue
            key = layout.main if field == "" else (known[field].by_year or known[field].key if field in known else None)
            if field == "" and layout.main is None and layout.name == "savings":
                key = "*main"                          # saving, phasing or volume, by each row's kind
            if key is None or (field and key not in series_keys):
                doc.problem(cell.where, f"unknown per-year column '{cell.value}'",
                            hint=f"per-year columns here are {_list(sorted(h for h, c in known.items() if c.series))}"
                                 " followed by a year")
                ok = False
                continue
            years.add(label)
            per_year.setdefault(key, {})[label] = cell.col
        elif heading in known:
            scalars[known[heading].key] = cell.col
        elif layout.pay_from and (match := _PAY_FROM.match(str(cell.value))):
            mix[("pay_from", match["group"])] = cell.col
        elif layout.mix and heading.endswith("%"):
            part = heading[:-1].strip().replace(" ", "_")
            mix["none" if part in ("none", "no_inflation") else part] = cell.col
        else:
            close = difflib.get_close_matches(heading, list(known) + list(layout.name_headings), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"the columns are {_list(sorted(known))}"
            if layout.mix:
                hint += "; a cost-mix share column is headed like 'pay %'"
            doc.problem(cell.where, f"unknown column '{cell.value}'", hint=hint)
            ok = False
    if name_col is None:
        doc.problem(table.cell(header, 1).where, "no name column", hint=f"head it '{layout.name_headings[0]}'")
        ok = False
    return (name_col, scalars, per_year, mix) if ok else None


def _list(items) -> str:
    return ", ".join(f"'{i}'" for i in items)


def _row(table: Table, r: int, name: str, name_cell: Cell, layout: Layout, doc: Document,
         scalars: dict, per_year: dict, mix: dict) -> None:
    if layout.name == "grants" and normal(name) == "business rates":
        steps: list = ["funding", "business_rates"]
    elif layout.keyed:
        steps = [*layout.section, name]
    else:
        steps = [*layout.section, (name,)]
    if not doc.first_row(steps, name, name_cell):
        return
    if layout.keyed:
        doc.put(steps, {}, name_cell.where)
    elif isinstance(steps[-1], tuple):           # a named item of a list (not business rates' own block)
        doc.put(steps + ["name"], name, name_cell.where)
    doc.note_row(tuple(steps), name_cell.row_where())
    words = {c.key: c.words for c in layout.columns}
    kind = None
    for key, col in scalars.items():
        cell = table.cell(r, col)
        if cell.empty or key == "source":
            continue
        value = _cell_value(key, cell, words.get(key))
        if key == "kind":
            kind = value
        if key in per_year and any(not table.cell(r, c).empty for c in per_year[key].values()):
            doc.problem(cell.where, f"'{key}' is given both in one column and year by year",
                        hint="fill in one or the other")
            continue
        doc.put(steps + _key(layout, key), value, cell.where)
    for key, cols in per_year.items():
        if key == "*main":
            key = MAIN_BY_KIND.get(kind) if isinstance(kind, str) else None
            if key is None:            # an unknown kind is reported by the validation, at its cell
                first = next((table.cell(r, c) for c in cols.values() if not table.cell(r, c).empty), None)
                if first is not None and kind is None:
                    doc.problem(first.where, "year columns need the stream's kind to say what they are",
                                hint="give the kind: fixed (saving), share_of_line (phasing) or unit_cost (volume)")
                continue
        given = {label: table.cell(r, c) for label, c in cols.items() if not table.cell(r, c).empty}
        if given:
            first = next(iter(given.values()))
            doc.put(steps + _key(layout, key), {label: c.value for label, c in sorted(given.items())}, first.where)
    for part, col in mix.items():
        cell = table.cell(r, col)
        if not cell.empty:            # a cost-mix share, or ('pay_from', group): the share of a pay group
            doc.put(steps + (list(part) if isinstance(part, tuple) else ["cost_mix", part]), cell.value, cell.where)
    source = table.cell(r, scalars["source"]).value if "source" in scalars else None
    text = str(source).strip() if source is not None else ""
    place = name_cell.row_where()
    doc.put(steps + ["source"], f"{text} (from {place})" if text else f"From {place}",
            table.cell(r, scalars.get("source", name_cell.col)).where)


def _word(key: str, value, words: dict | None):
    """A cell's value with friendly words turned into the scenario's ('share of line', 'yes')."""
    if isinstance(value, str):
        if words:
            value = words.get(normal(value), value)
        if key.rsplit(".", 1)[-1] in BOOLEANS:
            value = YES_NO.get(normal(value), value)
    return value


def _cell_value(key: str, cell, words: dict | None):
    """A cell's value for ``key``: its words turned into the scenario's (:func:`_word`), and a
    percentage typed in Excel kept as one where a key takes a share or an amount (5% is a share,
    not 0.05 of a unit)."""
    value = _word(key, cell.value, words)
    return percent_text(value) if key in SHARE_OR_AMOUNT and cell.percent else value


def _key(layout: Layout, key: str) -> list[str]:
    steps = key.split(".")
    return [layout.value_key] if layout.keyed and key == layout.value_key else steps


def read_settings(table: Table, settings: Settings, doc: Document, years: set[str]) -> None:
    """Put every row of a key/value table (Item | Value | years...) into ``doc``."""
    header = None
    for r in range(1, min(len(table.rows), 10) + 1):      # a title above it ('... 2024/25') is not a heading
        cells = table.rows[r - 1]
        if any(normal(c.value) == "value" or _bare_year(c.value) for c in cells if not c.empty):
            header = r
            break
    if header is None:
        doc.problem(table.cell(1, 1).where, f"no header row in the {settings.name} table",
                    hint="head the columns like: Item | Value (and year columns 2025/26 ... for values by year)")
        return
    doc.read.append(_shown(table))
    value_col, year_cols = None, {}
    for cell in table.rows[header - 1]:
        if normal(cell.value) == "value":
            value_col = cell.col
        elif not cell.empty and (year := _year_heading(cell.value)) and year[0] == "":
            year_cols[year[1]] = cell.col
            years.add(year[1])
    for r in range(header + 1, len(table.rows) + 1):
        row = [c for c in table.rows[r - 1] if not c.empty]
        if not row:
            continue
        key_cell = row[0]
        target = _setting(settings, normal(key_cell.value))
        if target is None:
            close = difflib.get_close_matches(normal(key_cell.value), list(settings.items), n=1)
            doc.problem(key_cell.where, f"unknown item '{key_cell.value}' in the {settings.name} table",
                        hint=f"did you mean '{close[0]}'?" if close else f"items are {_list(settings.items)}")
            continue
        key, series = target
        steps = [*settings.section, *key.split(".")]
        given = {label: table.cell(r, c) for label, c in year_cols.items() if not table.cell(r, c).empty}
        value_cell = table.cell(r, value_col) if value_col else None
        if series and given:
            doc.put(steps, {label: c.value for label, c in sorted(given.items())}, next(iter(given.values())).where)
        elif value_cell is not None and not value_cell.empty:
            doc.put(steps, _cell_value(key, value_cell, None), value_cell.where)
        else:
            doc.problem(key_cell.where, f"'{key_cell.value}' has no value", hint="fill in the Value column")
        if settings.section:
            doc.note_row(tuple(settings.section), key_cell.row_where())


def _setting(settings: Settings, item: str) -> tuple[str, bool] | None:
    if item in settings.items:
        return settings.items[item]
    for prefix, key in settings.prefixes.items():
        if item.startswith(prefix):
            return key + item[len(prefix):].replace(" ", "_"), True
        if item.endswith(" " + prefix.strip()):                       # 'core increase'
            return key + item[: -len(prefix.strip())].strip().replace(" ", "_"), True
    return None


def _shown(table: Table) -> str:
    """How the header comment names a table read: 'sheet Lines' or 'lines.csv'."""
    from pathlib import Path

    return f"sheet {table.sheet}" if table.sheet else Path(table.file).name
