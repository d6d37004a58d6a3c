"""The output sheets: the Summary (the MTFP table, one A4 landscape page) and the Gap table.

Both only link to the calculation sheets (each figure is calculated once, on its own sheet), in
the same columns as every other sheet. Labels are the ones cabinet papers use; the summary.csv
column each row matches is listed in :data:`SUMMARY_ROWS`. The gap table has a planned-use row
for every reserve and the surplus and unmet-costs rows in every plan, so a flexed input that
gives one of them a figure has its row (gap_table.csv shows only the rows with figures).
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.outputs.workbook import style
from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model
from mtfpmodel.outputs.workbook.grid import BASE, DETAIL, HEADING_ROW, LABEL, VALUE, Formula
from mtfpmodel.results.gaptable import category
from mtfpmodel.scenario.reserves import first_gap_reserve

SUMMARY = "Summary"
GAP_TABLE = "Gap table"
SUMMARY_ROWS = (   # (label, summary.csv column = the row's key, first year shown, bold)
    ("Net expenditure", "net_expenditure", 0, False),
    ("   of which contributions to reserves", "reserve_contributions", 1, False),
    ("Funding", "funding", 0, False),
    ("Budget gap before savings", "gross_gap", 0, True),
    ("Savings (net of financing costs)", "savings", 1, False),
    ("One-off implementation costs met from revenue", "one_off_costs", 1, False),
    ("Net budget gap", "net_gap", 0, True),
    ("   change in the year", "incremental_gap", 1, False),
    ("Risk-adjusted net gap (savings and grants at risk)", "risk_adjusted_net_gap", 1, False),
    ("Planned use of reserves", "planned_reserves_use", 1, False),
    ("Savings still to find (surplus)", "savings_still_to_find", 1, True),
    ("Unplanned use of reserves", "unplanned_reserves_use", 1, False),
    ("Unfunded gap", "unfunded_gap", 1, True),
    ("Reserves drawn (planned and unplanned use)", "reserves_drawn", 1, False),
    ("Implementation costs met from reserves", "reserve_costs_met", 1, False),
    ("Closing usable reserves", "closing_reserves", 0, True),
    ("Minimum level of reserves", "minimum_reserves", 0, False),
    ("Usable reserves, % of net expenditure", "usable_reserves_pct", 0, False),
    ("Status", "status", 1, False),
)
KINDS = {"status": "text", "usable_reserves_pct": "rate"}


def summary_sheet(model: Model, sheet: Sheet) -> None:
    """The MTFP table on ``sheet`` (created first, so it opens first), with the verdict and checks."""
    for label, key, start, bold in SUMMARY_ROWS:
        source = model.rows[key]
        kind = KINDS.get(key, "money")
        values = model.figures[key]
        cells = [None if t < start else Formula(source.year(t, SUMMARY), _plain(values[t]))
                 for t in range(model.years)]
        extra = {"text_wrap": True, "align": "right"} if key == "status" else None
        unit = {"text": "", "rate": "%"}.get(kind, model.unit)
        ref = sheet.write(label, "", unit, years=cells, kind=kind, total=bold, extra=extra)
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
    """One A4 landscape page (the sheet's page setup), centred, with narrower margins; the tab that opens."""
    sheet.one_page(label=50, detail=1, unit=6, value=1, year=13)
    ws = sheet.ws
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.activate()


def output_sheets(book) -> dict[str, Sheet]:
    """Create the output sheets first, so they are the first tabs (filled in last)."""
    from mtfpmodel.outputs.workbook.counciltax import OUTPUT as COUNCIL_TAX
    from mtfpmodel.outputs.workbook.statement import SHEET as STATEMENT

    return {
        SUMMARY: Sheet(book, SUMMARY, "Medium-Term Financial Plan", columns=("", "", "Unit", ""), year_numbers=False,
                       note=f"Amounts in {book.unit}; brackets are negative; {book.labels[0]} is the approved "
                            "base-year budget. Every figure is a formula over the Inputs sheet."),
        GAP_TABLE: Sheet(book, GAP_TABLE, "Budget gap and how it is met (cumulative)", columns=("", "", "Unit", ""),
                         year_numbers=False, note="Savings and reserves are negative: each subtotal is the sum of the "
                                                  "rows above it; a bracketed amount still to find is a surplus."),
        STATEMENT: Sheet(book, STATEMENT, "Reserves statement", columns=("", "", "Unit", "Value"), year_numbers=False,
                         note=f"The base-year column ({book.labels[0]}) holds the opening balances; each year's use "
                              "of reserves, then the closing balances and the findings."),
        COUNCIL_TAX: Sheet(book, COUNCIL_TAX, "Council tax table",
                           columns=("", "", "Unit", ""), year_numbers=False,
                           note=f"Charges in £ (this council's element); income in {book.unit}; a week is a "
                                "52nd of a year."),
    }


def gap_table_sheet(model: Model, sheet: Sheet) -> None:
    """The gap table in the shape cabinet papers print it: savings and reserves shown as negatives."""
    sheet.ws.write_blank(HEADING_ROW, BASE, None, model.book.format(style.HEADER))
    table = model.result.gap_table
    engine = {key: np.concatenate([[0.0], [float(table.loc[i, y]) for y in model.book.labels[1:]]])
              for i, key in enumerate(table["key"])}
    rows, figures = model.rows, model.figures
    scenario = model.result.scenario

    def line(label: str, key: str, source: str, sign: str = "", total: bool = False, values=None) -> None:
        ref = rows[source]
        values = engine[key] if key in engine else np.asarray(values, dtype=float)
        cells = [None] + [Formula(f"{sign}{ref.year(t, GAP_TABLE)}", float(values[t])) for t in range(1, model.years)]
        rows[f"gap_table:{key}"] = sheet.write(label, "", model.unit, years=cells, total=total)
        figures[f"gap_table:{key}"] = np.where(np.arange(model.years) >= 1, values, 0.0)

    line("Budget gap before savings", "gross_gap", "gross_gap")
    line("One-off implementation costs", "one_off_costs", "one_off_costs")
    for name in dict.fromkeys(category(s) for s in scenario.savings):
        line(f"Savings identified: {name}", f"savings:{name}", f"category:{name}", sign="-")
    line("Net gap after savings", "net_gap", "net_gap", total=True)
    planned = model.r.reserve_flows.planned_use[0]
    items = scenario.reserve_list
    if items and items[0][0] != "reserves":
        for n, (_, reserve) in enumerate(items):
            line(f"Planned use of reserves: {reserve.name}", f"planned_use:{reserve.name}",
                 f"planned_use:{reserve.name}", sign="-", values=-planned[n])
    else:
        line("Planned use of reserves", "planned_reserves_use", "planned_reserves_use", sign="-",
             values=-model.values(model.r.planned_reserves_use))
    line("Savings still to find, cumulative (surplus)", "savings_still_to_find", "savings_still_to_find", total=True)
    line("Savings still to find in the year (surplus)", "savings_still_to_find_in_year",
         "savings_still_to_find_in_year")
    line("Unplanned use of reserves", "unplanned_reserves_use", "unplanned_reserves_use", sign="-")
    kept = first_gap_reserve([reserve for _, reserve in items]) is not None
    line("Surplus added to reserves" if kept else "Surplus (no reserve to add it to)", "surplus_to_reserves",
         "surplus_to_reserves", values=model.figures["surplus_to_reserves"])
    line("Implementation costs reserves cannot meet", "unfunded_implementation_costs",
         "unfunded_implementation_costs", values=model.figures["unfunded_implementation_costs"])
    line("Unfunded gap", "unfunded_gap", "unfunded_gap", total=True)
    sheet.ws.set_column(LABEL, LABEL, 50)
    sheet.ws.set_column(DETAIL, DETAIL, 1)
    sheet.ws.set_column(VALUE, VALUE, 1)
    sheet.ws.set_column(BASE, BASE, 1)


def _plain(value):
    return value if isinstance(value, str) else float(value)
