"""The MTFP workbook ``DIR/mtfp.xlsx``: detail sheets of figures and a Summary of live formulas.

Sheets: Summary, Lines, Pressures, Funding, Savings, Gap table, Assumptions, Warnings. Every
money sheet has the financial years across (base year first) and items down. The detail sheets
hold the engine's figures; the Summary's rows are Excel formulas over them, so an officer can
audit each total and change an input to see it flow through:

    net_expenditure = Lines total + Pressures total        funding = Funding total
    gross_gap       = net_expenditure - funding             savings = Savings net_saving total
    one_off_costs   = SUMIF(funded by "revenue", implementation costs)
    net_gap         = gross_gap - savings + one_off_costs   incremental_gap = net_gap - previous
    risk_adjusted_net_gap = gross_gap - SUMPRODUCT(confidence, net_saving) + one_off_costs + grants at risk
    savings_still_to_find = net_gap - planned_reserves_use
    reserves_drawn  = planned_reserves_use + unplanned_reserves_use
    usable_reserves_pct = closing_reserves / net_expenditure

The reserves' own figures (contributions, planned and unplanned use, unfunded gap, closing and
minimum reserves, status) follow each named reserve's year steps and are values from the engine
(see :mod:`mtfpmodel.outputs.summaryformulas`); net expenditure adds the contributions.

On the Funding sheet council tax is itself a formula: tax base x Band D / unit + collection fund.
Column B of every formula row holds the spec's name for the figure (as in summary.csv).
"""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from mtfpmodel.engine import parameters
from mtfpmodel.outputs.outdir import Staging
from mtfpmodel.outputs.summaryformulas import summary_rows
from mtfpmodel.outputs.workbookstyle import (
    FIRST_YEAR_COLUMN,
    SAVINGS_FIRST_YEAR_COLUMN,
    col,
    finish,
    header,
    rates_block,
    style_row,
    title,
    write_block_heading,
)
from mtfpmodel.results.capital import plan_lines
from mtfpmodel.results.result import Result
from mtfpmodel.results.tables import grant_name, source_label

FILENAME = "mtfp.xlsx"


def write_workbook(result: Result, staging: Staging) -> list[str]:
    """Write ``mtfp.xlsx`` into the staging area; return its name."""
    book = build_workbook(result)
    book.save(staging.path(FILENAME))
    return [FILENAME]


def build_workbook(result: Result) -> Workbook:
    book = Workbook()
    summary = book.active
    summary.title = "Summary"
    refs = {
        "lines": lines_sheet(book.create_sheet("Lines"), result),
        "pressures": pressures_sheet(book.create_sheet("Pressures"), result),
        "funding": funding_sheet(book.create_sheet("Funding"), result),
        **savings_sheet(book.create_sheet("Savings"), result),
    }
    summary_sheet(summary, result, refs)
    gap_table_sheet(book.create_sheet("Gap table"), result)
    assumptions_sheet(book.create_sheet("Assumptions"), result)
    warnings_sheet(book.create_sheet("Warnings"), result)
    return book


def _sheet_title(result: Result, what: str) -> str:
    s = result.scenario
    who = f"{s.council}: {s.scenario}" if s.council else s.scenario
    return f"{what} — {who}, {result.labels[1]} to {result.labels[-1]} ({result.units})"


def _items(ws: Worksheet, result: Result, heading: str, what: str, rows, note: str = "") -> tuple[int, int, int]:
    """Write a title, a header and one row per (name, detail, values); a SUM total row.

    Returns (first item row, last item row, total row). With no items the total is 0.
    """
    title(ws, _sheet_title(result, heading))
    header(ws, 2, [what, note], result.labels, result.units)
    first = row = 3
    for name, detail, values in rows:
        ws.cell(row, 1, name)
        ws.cell(row, 2, detail)
        for t, value in enumerate(values):
            ws.cell(row, FIRST_YEAR_COLUMN + t, float(value))
        style_row(ws, row, len(result.labels), result.units)
        row += 1
    last = row - 1
    ws.cell(row, 1, "Total")
    ws.cell(row, 2, "total")
    for t in range(len(result.labels)):
        ws.cell(row, FIRST_YEAR_COLUMN + t, f"=SUM({col(t)}{first}:{col(t)}{last})" if last >= first else 0)
    style_row(ws, row, len(result.labels), result.units, total=True)
    return first, last, row


def lines_sheet(ws: Worksheet, result: Result) -> int:
    """Cost of each budget line by year; returns the total row."""
    r = result.results
    rows = [(line.name, ", ".join(f"{k} {v:.0%}" for k, v in line.cost_mix.items()), r.line_cost[0, i])
            for i, line in enumerate(result.scenario.expenditure)]
    rows += [(name, "capital programme", values[0]) for name, values in plan_lines(r, result.scenario)]
    *_, total = _items(ws, result, "Net expenditure by budget line", "Budget line", rows, "cost mix")
    finish(ws, "C3", widths={"A": 42, "B": 34})
    return total


def pressures_sheet(ws: Worksheet, result: Result) -> int:
    """Level of each pressure in the budget by year; returns the total row."""
    r = result.results
    rows = [(p.name, "recurring" if p.recurring else "one-off", r.pressure_level[0, i])
            for i, p in enumerate(result.scenario.pressures)]
    *_, total = _items(ws, result, "Cost pressures (level in the budget)", "Pressure", rows, "kind")
    finish(ws, "C3", widths={"A": 48, "B": 12})
    return total


def funding_sheet(ws: Worksheet, result: Result) -> int:
    """Funding by source, council tax as a formula over its build-up; returns the total row."""
    r = result.results
    names = [grant_name(p) if p.startswith("funding.grants[") else "business_rates"
             for p, _ in parameters.funding_sources(result.scenario)]
    rows = [(source_label("council_tax"), "tax base x Band D / unit + collection fund", r.council_tax[0])]
    rows += [(source_label(name), "grant" if name != "business_rates" else "", r.source_amount[0, i])
             for i, name in enumerate(names)]
    first, _, total = _items(ws, result, "Funding by source", "Source", rows)
    base = total + 2
    write_block_heading(ws, base, "Council tax build-up")
    build = [("Tax base", "Band D equivalents", r.tax_base[0], "#,##0.0"),
             ("Band D", "£ a year", r.band_d[0], "£#,##0.00"),
             ("Collection fund", "surplus (+) or deficit (-)", collection_fund(result), None)]
    for k, (name, detail, values, fmt) in enumerate(build, start=1):
        ws.cell(base + k, 1, name)
        ws.cell(base + k, 2, detail)
        for t, value in enumerate(values):
            ws.cell(base + k, FIRST_YEAR_COLUMN + t, float(value))
        style_row(ws, base + k, len(result.labels), result.units, number_format=fmt)
    unit = int(result.scenario.unit)
    for t in range(len(result.labels)):
        c = col(t)
        ws.cell(first, FIRST_YEAR_COLUMN + t, f"={c}{base + 1}*{c}{base + 2}/{unit}+{c}{base + 3}")
    finish(ws, "C3", widths={"A": 34, "B": 40})
    return total


def collection_fund(result: Result) -> list[float]:
    """Collection fund surplus (+) or deficit (-) by year t = 0..T [scenario unit], 0 in the base year."""
    values = parameters.collect(result.scenario)["funding.council_tax.collection_fund"].value
    return [0.0, *map(float, values)]


def savings_sheet(ws: Worksheet, result: Result) -> dict[str, object]:
    """Blocks of gross saving, financing cost, net saving (formulas) and implementation cost."""
    r = result.results
    streams = list(result.scenario.savings)
    years = len(result.labels)
    S = SAVINGS_FIRST_YEAR_COLUMN
    title(ws, _sheet_title(result, "Savings programme by stream"))
    header(ws, 2, ["Stream", "measure", "confidence", "funded by"], result.labels, result.units, first_year_column=S)
    row = 3
    blocks: dict[str, tuple[int, int, int]] = {}
    for key, heading, values in (("gross_saving", "Gross saving", r.stream_gross[0]),
                                 ("financing_cost", "Financing cost of capital", r.stream_financing[0]),
                                 ("net_saving", "Net saving (gross less financing)", r.stream_net[0]),
                                 ("implementation_cost", "Implementation costs (one-off)", r.stream_implementation[0])):
        write_block_heading(ws, row, heading)
        first = row + 1
        for n, stream in enumerate(streams):
            row += 1
            ws.cell(row, 1, stream.name)
            ws.cell(row, 2, key)
            ws.cell(row, 3, result.scenario.confidence(stream))
            ws.cell(row, 4, stream.funded_by)
            for t in range(years):
                if key == "net_saving":
                    g, f = blocks["gross_saving"][0] + n, blocks["financing_cost"][0] + n
                    ws.cell(row, S + t, f"={col(t, S)}{g}-{col(t, S)}{f}")
                else:
                    ws.cell(row, S + t, float(values[n, t]))
            style_row(ws, row, years, result.units, first_year_column=S, percent_column=3)
        last = row
        row += 1
        ws.cell(row, 1, "Total")
        ws.cell(row, 2, f"{key} total")
        for t in range(years):
            ws.cell(row, S + t, f"=SUM({col(t, S)}{first}:{col(t, S)}{last})" if streams else 0)
        style_row(ws, row, years, result.units, first_year_column=S, total=True)
        blocks[key] = (first, last, row)
        row += 2
    finish(ws, "E3", widths={"A": 44, "B": 20, "C": 11, "D": 16})
    return {"savings": blocks}


def summary_sheet(ws: Worksheet, result: Result, refs: dict) -> None:
    """The MTFP table as formulas over the detail sheets, the reserves' figures as values."""

    title(ws, _sheet_title(result, "Medium-Term Financial Plan"))
    header(ws, 2, ["", "summary.csv column"], result.labels, result.units)
    summary_rows(ws, result, refs)
    finish(ws, "C3", widths={"A": 44, "B": 24})


def gap_table_sheet(ws: Worksheet, result: Result) -> None:
    """The gap table in the shape cabinet papers print it (figures, from mtfpmodel.results.gaptable)."""
    from mtfpmodel.results.gaptable import SUBTOTALS

    table = result.gap_table
    years = list(result.labels[1:])
    title(ws, _sheet_title(result, "Budget gap and how it is met (cumulative)"))
    header(ws, 2, ["", "key"], years, result.units, first_year_column=3)
    for i, row in enumerate(table.itertuples(index=False), start=3):
        ws.cell(i, 1, row.item)
        ws.cell(i, 2, row.key)
        for t, year in enumerate(years):
            ws.cell(i, 3 + t, float(table.loc[i - 3, year]))
        style_row(ws, i, len(years), result.units, total=row.key in SUBTOTALS)
    finish(ws, "C3", widths={"A": 46, "B": 28})


def assumptions_sheet(ws: Worksheet, result: Result) -> None:
    """Every named assumption with its source; then every other rate in the scenario."""

    scenario = result.scenario
    params = parameters.collect(scenario)
    years = list(result.labels[1:])
    title(ws, f"Assumptions and their sources — {scenario.scenario}")
    rows = [(name, a.source or "(no source given)", params[f"assumptions.{name}"].value)
            for name, a in scenario.assumptions.items()]
    row = rates_block(ws, 2, ("Assumption", "Source"), years, rows)
    others = [(p.path, f"follows {p.ref}" if p.ref else "", p.value) for p in params.values()
              if p.kind == "rate" and not p.path.startswith("assumptions.")]
    rates_block(ws, row + 1, ("Other rates in the scenario", "Note"), years, others)
    finish(ws, "C3", widths={"A": 52, "B": 70})


def warnings_sheet(ws: Worksheet, result: Result) -> None:
    """One row per warning: file, line, field, what, hint."""
    title(ws, f"Warnings — {result.scenario.scenario}")
    header(ws, 2, ["File", "Line", "Field", "Warning", "Hint"], (), result.units, label_unit=False)
    if not result.warnings:
        ws.cell(3, 1, "No warnings.")
    for i, w in enumerate(result.warnings, start=3):
        for c, value in enumerate((w.file, w.line, w.path, w.message, w.hint), start=1):
            ws.cell(i, c, value)
    finish(ws, "A3", widths={"A": 30, "B": 7, "C": 34, "D": 80, "E": 50}, wrap=True)
