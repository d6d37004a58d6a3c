"""The output sheets: the Summary (the MTFP table, one A4 landscape page) and the Gap table.

Both only link to the calculation sheets (each figure is calculated once, on its own sheet), in
the same columns as every other sheet. Labels are the ones cabinet papers use; the summary.csv
column each row matches is listed in :data:`SUMMARY_ROWS`.
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.outputs.workbook import style
from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model
from mtfpmodel.outputs.workbook.grid import BASE, DETAIL, HEADING_ROW, LABEL, UNIT, VALUE, Formula
from mtfpmodel.results.gaptable import gap_table

SUMMARY = "Summary"
GAP_TABLE = "Gap table"
SUMMARY_ROWS = (   # (label, summary.csv column = the row's key, first year shown, bold)
    ("Net expenditure", "net_expenditure", 0, False),
    ("Funding", "funding", 0, False),
    ("Budget gap before savings", "gross_gap", 0, True),
    ("Savings (net of financing costs)", "savings", 1, False),
    ("One-off implementation costs met from revenue", "one_off_costs", 1, False),
    ("Net budget gap", "net_gap", 0, True),
    ("   change in the year", "incremental_gap", 1, False),
    ("Risk-adjusted net gap (savings at their confidence)", "risk_adjusted_net_gap", 1, False),
    ("Reserves drawn to balance the budget", "reserves_drawn", 1, False),
    ("Implementation costs met from reserves", "reserve_funded_costs", 1, False),
    ("Closing usable reserves", "closing_reserves", 0, True),
    ("Minimum level of reserves", "minimum_reserves", 0, False),
    ("Status", "status", 1, False),
)


def summary_sheet(model: Model, sheet: Sheet) -> None:
    """The MTFP table on ``sheet`` (created first, so it opens first), with the verdict and checks."""
    for label, key, start, bold in SUMMARY_ROWS:
        source = model.rows[key]
        kind = "text" if key == "status" else "money"
        values = model.figures[key]
        cells = [None if t < start else Formula(source.year(t, SUMMARY), _plain(values[t]))
                 for t in range(model.years)]
        extra = {"text_wrap": True, "align": "right"} if key == "status" else None
        ref = sheet.write(label, "", "" if kind == "text" else model.unit, years=cells, kind=kind, total=bold,
                          extra=extra)
        model.rows[f"summary:{key}"] = ref
        if kind != "text":
            model.figures[f"summary:{key}"] = np.where(np.arange(model.years) >= start, values, 0.0)
        if key == "status":
            sheet.ws.set_row(ref.row, 27)
    status = model.rows["summary:status"].span(1, model.years - 1, SUMMARY)
    balances = model.result.balances
    sheet.row += 1
    sheet.write("Does the plan balance in every year?", "", "", years=[Formula(
        f'IF(COUNTIF({status},"reserves exhausted")+COUNTIF({status},"unbalanced")=0,'
        f'"Yes: every year is met from savings or reserves","No: in some year reserves cannot meet the gap")',
        "Yes: every year is met from savings or reserves" if balances else
        "No: in some year reserves cannot meet the gap")] + [None] * (model.years - 1), kind="text", bold=True)
    sheet.write("Model checks (Checks sheet)", "", "", years=[Formula(
        'IF(Checks_failing=0,"All checks read zero","Some checks fail: see the Checks sheet")',
        "All checks read zero")] + [None] * (model.years - 1), kind="text")
    _summary_layout(model, sheet)


def _summary_layout(model: Model, sheet: Sheet) -> None:
    ws, last = sheet.ws, BASE + model.years - 1
    ws.set_column(LABEL, LABEL, 46)
    ws.set_column(DETAIL, DETAIL, 1)
    ws.set_column(UNIT, UNIT, 6)
    ws.set_column(VALUE, VALUE, 1)
    ws.set_column(BASE, last, 13)
    ws.set_landscape()
    ws.set_paper(9)                      # A4
    ws.fit_to_pages(1, 1)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.print_area(0, 0, sheet.row - 1, last)
    ws.freeze_panes(sheet.first_row, BASE)
    ws.activate()


def output_sheets(book) -> tuple[Sheet, Sheet]:
    """Create the Summary and Gap table sheets first, so they are the first tabs (filled in last)."""
    summary = Sheet(book, SUMMARY, "Medium-Term Financial Plan", columns=("", "", "Unit", ""), year_numbers=False,
                    note=f"Amounts in {book.unit}; brackets are negative; {book.labels[0]} is the approved "
                         "base-year budget. Every figure is a formula over the Inputs sheet.")
    gap = Sheet(book, GAP_TABLE, "Budget gap and how it is met (cumulative)", columns=("", "", "Unit", ""),
                year_numbers=False, note="Savings and reserves are negative: each figure is the sum of the rows "
                                         "above it; a bracketed amount still to find is a surplus.")
    return summary, gap


def gap_table_sheet(model: Model, sheet: Sheet) -> None:
    """The gap table in the shape cabinet papers print it: savings and reserves shown as negatives."""
    sheet.ws.write_blank(HEADING_ROW, BASE, None, model.book.format(style.HEADER))
    table = gap_table(model.result)
    values = {key: np.concatenate([[0.0], [float(table.loc[i, y]) for y in model.book.labels[1:]]])
              for i, key in enumerate(table["key"])}
    rows = model.rows

    def line(label: str, key: str, source: str, sign: str = "", total: bool = False) -> None:
        ref = model.rows[source]
        cells = [None] + [Formula(f"{sign}{ref.year(t, GAP_TABLE)}", float(values[key][t]))
                          for t in range(1, model.years)]
        rows[f"gap_table:{key}"] = sheet.write(label, "", model.unit, years=cells, total=total)
        model.figures[f"gap_table:{key}"] = values[key]

    line("Budget gap before savings", "gross_gap", "gross_gap")
    line("One-off implementation costs", "one_off_costs", "one_off_costs")
    for stream_category in dict.fromkeys(_categories(model)):
        line(f"Savings identified: {stream_category}", f"savings:{stream_category}", f"category:{stream_category}",
             sign="-")
    line("Net gap after savings", "net_gap", "net_gap", total=True)
    line("Planned use of reserves", "reserves_used", "reserves_used", sign="-")
    line("Savings still to find, cumulative (surplus)", "still_to_find", "still_to_find", total=True)
    line("Savings still to find in the year (surplus)", "still_to_find_in_year", "still_to_find_in_year")
    sheet.ws.set_column(LABEL, LABEL, 46)
    sheet.ws.set_column(DETAIL, DETAIL, 1)
    sheet.ws.set_column(VALUE, VALUE, 1)
    sheet.ws.set_column(BASE, BASE, 1)


def _categories(model: Model) -> list[str]:
    from mtfpmodel.results.gaptable import category

    return [category(s) for s in model.result.scenario.savings]


def _plain(value):
    return value if isinstance(value, str) else float(value)
