"""The MTFP workbook ``DIR/mtfp.xlsx``: a live model of the plan, with the engine's figures cached.

Sheets, in the order of the tabs (the ICAEW Financial Modelling Code's separation of inputs,
calculations and outputs; docs/user-guide.md, "Working in Excel", shows them):

    outputs       Summary, Gap table, Reserves statement, Council tax
    inputs        Inputs             every input of the scenario, one per row
    calculations  Expenditure, Workforce, Contracts, Capital, Funding, Financing, Savings, Gap,
                  Reserves
    checks        Checks             identities that must read zero
    notes         Warnings, Guide

Every calculated cell is a formula over the Inputs sheet and carries the engine's value as its
cached result (one number, one place: the values come from this run's ``Result``), so the
file reads the same in pandas or a mail viewer as in Excel after it recalculates. A new
block of the scenario adds its rows to ``inputs.py`` and a calculation module of its own.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:       # for the annotations only: mtfp import reads grid.py's names without loading the results
    from mtfpmodel.outputs.outdir import Staging
    from mtfpmodel.results.result import Result

FILENAME = "mtfp.xlsx"


def write_workbook(result: Result, staging: Staging) -> list[str]:
    """Write ``mtfp.xlsx`` into the staging area; return its name."""
    build_workbook(result, staging.path(FILENAME))
    return [FILENAME]


def build_workbook(result: Result, path) -> None:
    """Write the workbook for ``result`` to ``path``."""
    from mtfpmodel.outputs.workbook.book import Book
    from mtfpmodel.outputs.workbook.capital import capital_sheet
    from mtfpmodel.outputs.workbook.checks import checks_sheet
    from mtfpmodel.outputs.workbook.context import Model
    from mtfpmodel.outputs.workbook.contracts import contracts_sheet
    from mtfpmodel.outputs.workbook.counciltax import council_tax_sheet
    from mtfpmodel.outputs.workbook.expenditure import expenditure_sheet, price_indices
    from mtfpmodel.outputs.workbook.financing import financing_sheet
    from mtfpmodel.outputs.workbook.funding import funding_sheet
    from mtfpmodel.outputs.workbook.gap import gap_sheet
    from mtfpmodel.outputs.workbook.inputs import inputs_sheet
    from mtfpmodel.outputs.workbook.notes import guide_sheet, warnings_sheet
    from mtfpmodel.outputs.workbook.reserves import reserves_sheet
    from mtfpmodel.outputs.workbook.savings import savings_sheet
    from mtfpmodel.outputs.workbook.statement import statement_sheet
    from mtfpmodel.outputs.workbook.summary import GAP_TABLE, SUMMARY, gap_table_sheet, output_sheets, summary_sheet
    from mtfpmodel.outputs.workbook.workforce import workforce_sheet

    book = Book(path, result.labels, result.units, _title(result))
    outputs = output_sheets(book)
    inputs = inputs_sheet(book, result)
    model = Model(book, result, inputs.map, inputs.params)
    model.sheets = {**outputs, **calculation_sheets(book)}
    price_indices(model)            # the Contracts sheet needs the lines' price indices
    for build in (workforce_sheet, contracts_sheet, capital_sheet, expenditure_sheet, funding_sheet, financing_sheet,
                  savings_sheet, gap_sheet, reserves_sheet):
        build(model)
    summary_sheet(model, outputs[SUMMARY])
    gap_table_sheet(model, outputs[GAP_TABLE])
    statement_sheet(model)
    council_tax_sheet(model)
    checks_sheet(model)
    warnings_sheet(book, result)
    guide_sheet(book)
    book.close()


CALCULATIONS = (   # (sheet, heading, column headings A-D), in tab order after the Inputs sheet
    ("Expenditure", "Net expenditure: budget lines by part, pressures, capital lines, contributions to reserves",
     ("Budget line", "Part", "Unit", "")),
    ("Workforce", "The workforce: each pay group's pay bill and on-costs", ("Pay group", "", "Unit", "")),
    ("Contracts", "Indexed contracts: uplift within cap and collar, cost by year", ("Contract", "", "Unit", "")),
    ("Capital", "The capital programme: spend by source, MRP and interest on each year's borrowing",
     ("Scheme", "", "Unit", "Principal")),
    ("Funding", "Funding: council tax, business rates and grants", ("Source", "", "Unit", "")),
    ("Financing", "Financing invest-to-save capital: each year's borrowing repaid over the asset's life",
     ("Savings stream", "Tranche", "Unit", "Principal")),
    ("Savings", "Savings programme: gross saving by kind, financing, net saving", ("Savings stream", "", "Unit", "")),
    ("Gap", "The budget gap before and after savings", ("", "", "Unit", "")),
    ("Reserves", "Reserves: each reserve's year in the contract's order, the totals and the status",
     ("Reserve", "", "Unit", "")),
    ("Checks", "Checks: every identity must read zero", ("Check", "Identity", "Unit", "Failing")),
)


def calculation_sheets(book) -> dict:
    """Create the calculation sheets and the Checks sheet in tab order (each is filled in later)."""
    from mtfpmodel.outputs.workbook.book import Sheet

    sheets = {}
    for name, heading, columns in CALCULATIONS:
        checks = name == "Checks"
        sheets[name] = Sheet(book, name, heading, columns=columns, year_numbers=not checks,
                             note="Each row is the difference between two ways of getting a figure; column D counts "
                                  "the years above the check tolerance (Inputs sheet)." if checks else "")
    return sheets


def _title(result: Result) -> str:
    s = result.scenario
    who = f"{s.council}: {s.scenario}" if s.council else s.scenario
    from mtfpmodel.scenario.series import plan_years

    return f"{who}, {plan_years(result.labels)} ({result.units})"
