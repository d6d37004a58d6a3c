"""``mtfp import``: build a scenario file from spreadsheets.

Two ways in, both documented in docs/user-guide.md ("Working in Excel"):

- the workbook ``mtfp run`` wrote (its Inputs sheet, read by each row's mtfp path), with any
  changes an officer made to it;
- a budget book: sheets (or CSV files) named Settings, Assumptions, Lines, Pressures,
  Council tax, Business rates, Grants, Reserves, Savings, and for the cost drivers and capital
  Pay groups, On-costs, Contracts, Capital programme and Capital financing, laid out as in
  ``layouts.py``.

Every value is marked with its cell, so the scenario's own validation names the file, sheet,
cell and field of every problem; nothing is written unless the whole scenario is valid, and
the YAML written is read back and checked to give the same scenario.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mtfpmodel.scenario.errors import Problem, ScenarioError
from mtfpmodel.scenario.loader import Loaded

SPREADSHEETS = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Imported:
    text: str          # the commented YAML
    loaded: Loaded     # the scenario it validates to


def import_scenario(sources: list[Path], name: str | None = None) -> Imported:
    """Read ``sources`` (workbooks, CSV files or folders of CSV files) into a validated scenario."""
    from mtfpmodel.outputs.imports.cells import read_csv, read_xlsx
    from mtfpmodel.outputs.imports.document import Document
    from mtfpmodel.outputs.imports.layouts import Layout, find_layout, table_names
    from mtfpmodel.outputs.imports.register import is_register, may_be_register, one_register, read_register
    from mtfpmodel.outputs.imports.tables import read_layout, read_settings

    def wanted(table: str) -> bool:       # only a table's sheet is read: not a ledger beside it
        return may_be_register(table) or find_layout(table) is not None

    files = _files(sources)
    tables = []
    for path in files:
        tables += (read_xlsx(path, str(path), wanted) if path.suffix.lower() in SPREADSHEETS
                   else [read_csv(path, str(path), wanted)])
    origin = ", ".join(str(p) for p in sources)
    doc = Document(origin)
    registers = [t for t in tables if is_register(t)]
    if registers:
        one_register(registers, sources, files, doc)
        read_register(registers[0], doc)
    else:
        years: set[str] = set()
        known = [(t, find_layout(t.name, _headings(t))) for t in tables]
        for table, layout in known:
            if layout is None and table.sheet is None:
                doc.problem(table.file, f"no table is called '{table.name}'",
                            hint=f"name CSV files after the tables: {table_names().lower()}")
            elif isinstance(layout, Layout):
                read_layout(table, layout, doc, years)
            elif layout is not None:
                read_settings(table, layout, doc, years)
        if not any(layout for _, layout in known):
            doc.problem(origin, "found none of the tables mtfp import reads",
                        hint=f"name the sheets (or CSV files) {table_names()}")
        else:
            _required(doc)
        _years(doc, years)
    if "scenario" not in doc.data:
        doc.put(["scenario"], name or sources[0].stem or "scenario", origin)
    if doc.problems:
        raise ScenarioError(doc.problems)
    return _checked(doc)


def _headings(table) -> set[str]:
    """The normalised text of a table's first rows (to tell a list of reserves from a key/value table)."""
    from mtfpmodel.outputs.imports.layouts import normal

    return {normal(cell.value) for row in table.rows[:10] for cell in row if isinstance(cell.value, str)}


def _files(sources: list[Path]) -> list[Path]:
    files = []
    for source in sources:
        if source.is_dir():
            found = sorted(p for p in source.iterdir() if p.suffix.lower() in (".csv", *SPREADSHEETS))
            if not found:
                raise ScenarioError([Problem("this folder holds no .csv or .xlsx files", file=str(source))])
            files += found
        elif source.suffix.lower() in (".csv", *SPREADSHEETS):
            files.append(source)
        else:
            raise ScenarioError([Problem("not a spreadsheet: give .xlsx workbooks, .csv files or a folder of them",
                                         file=str(source))])
    once = {}                             # a file given twice (or also in a folder given) is read once
    for path in files:
        once.setdefault(os.path.realpath(path), path)
    return list(once.values())


def _required(doc) -> None:
    """The two tables a plan cannot do without, named in words rather than as missing keys."""
    if "expenditure" not in doc.data:
        doc.problem(doc.origin, "no budget lines were found", hint="add a sheet (or CSV file) named Lines")
    if "council_tax" not in (doc.data.get("funding") or {}):
        doc.problem(doc.origin, "no council tax was found",
                    hint="add a sheet (or CSV file) named Council tax with rows Tax base and Band D")


def _years(doc, years: set[str]) -> None:
    """The base year and plan length: from a Settings table, else from the year columns."""
    from mtfpmodel.scenario.series import year_labels

    if "base_year" in doc.data:
        if years and "years" not in doc.data:
            try:
                labels = year_labels(str(doc.data["base_year"]), len(years))
            except ValueError:
                return                       # the validation says what is wrong with the base year
            if set(labels) == years:
                doc.put(["years"], len(years), doc.origin)
        return
    if not years:
        doc.problem(doc.origin, "cannot tell the base year: no table has year columns",
                    hint="add a Settings table with a row: base year | 2024/25")
        return
    first = min(years)
    start = int(first[:4]) - 1
    base = f"{start}/{(start + 1) % 100:02d}"
    labels = year_labels(base, len(years))
    if set(labels) != years:
        doc.problem(doc.origin, f"the year columns ({', '.join(sorted(years))}) are not consecutive years",
                    hint="give every year from the first projection year to the last")
        return
    doc.put(["base_year"], base, doc.origin)
    if "years" not in doc.data:
        doc.put(["years"], len(years), doc.origin)


def _checked(doc) -> Imported:
    """Validate the data as ``mtfp validate`` would (problems name their cells), write the YAML, and
    check it reads back the same."""
    from mtfpmodel.analysis.holding import checked_run
    from mtfpmodel.outputs.imports.defaults import drop_defaults
    from mtfpmodel.outputs.imports.yamltext import scenario_yaml
    from mtfpmodel.scenario.loader import validate
    from mtfpmodel.scenario.yamlfile import parse_yaml

    drop_defaults(doc.data)
    loaded = validate(doc.data, doc.where, Path(doc.origin))
    checked_run(loaded)           # what the figures must hold too: a line's carved-out parts within its base
    text = scenario_yaml(doc.data, doc.rows, doc.origin, doc.read)
    data, where = parse_yaml(text, "imported scenario")
    again = validate(data, where, Path(doc.origin))
    if again.scenario != loaded.scenario:
        raise RuntimeError("the YAML written does not read back as the scenario imported")
    return Imported(text, again)
