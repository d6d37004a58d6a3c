"""The MTFP workbook ``DIR/mtfp.xlsx``: a live model of the plan, with the engine's figures cached.

Sheets, in the order of the tabs (the ICAEW Financial Modelling Code's separation of inputs,
calculations and outputs; docs/user-guide.md, "Working in Excel", shows them):

    outputs       Summary, Gap table
    inputs        Inputs             every input of the scenario, one per row
    calculations  Expenditure, Funding, Financing, Savings, Gap, Reserves
    checks        Checks             identities that must read zero
    notes         Warnings, Guide

Every calculated cell is a formula over the Inputs sheet and carries the engine's value as its
cached result (one number, one place: the values come from this run's ``Result``), so the
file reads the same in pandas or a mail viewer as in Excel after it recalculates. A new
block of the scenario adds its rows to ``inputs.py`` and a calculation module of its own.
"""
from __future__ import annotations

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
    from mtfpmodel.outputs.workbook.checks import checks_sheet
    from mtfpmodel.outputs.workbook.context import Model
    from mtfpmodel.outputs.workbook.expenditure import expenditure_sheet
    from mtfpmodel.outputs.workbook.financing import financing_sheet
    from mtfpmodel.outputs.workbook.funding import funding_sheet
    from mtfpmodel.outputs.workbook.gap import gap_sheet
    from mtfpmodel.outputs.workbook.inputs import inputs_sheet
    from mtfpmodel.outputs.workbook.notes import guide_sheet, warnings_sheet
    from mtfpmodel.outputs.workbook.reserves import reserves_sheet
    from mtfpmodel.outputs.workbook.savings import savings_sheet
    from mtfpmodel.outputs.workbook.summary import gap_table_sheet, output_sheets, summary_sheet

    book = Book(path, result.labels, result.units, _title(result))
    summary, gap_table = output_sheets(book)
    model = Model(book, result, inputs_sheet(book, result))
    for build in (expenditure_sheet, funding_sheet, financing_sheet, savings_sheet, gap_sheet, reserves_sheet):
        build(model)
    summary_sheet(model, summary)
    gap_table_sheet(model, gap_table)
    checks_sheet(model)
    warnings_sheet(book, result)
    guide_sheet(book)
    book.close()


def _title(result: Result) -> str:
    s = result.scenario
    who = f"{s.council}: {s.scenario}" if s.council else s.scenario
    return f"{who}, {result.labels[1]} to {result.labels[-1]} ({result.units})"
