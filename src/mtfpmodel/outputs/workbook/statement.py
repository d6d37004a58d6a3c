"""The Reserves statement sheet: the year's use of reserves, each reserve's closing balance, the findings.

It links the Reserves sheet (the base-year column holds the opening balances). The findings, in
column D, are the statement's measures (results/reserves.py):

    run out       the first year whose status is "reserves exhausted" (MATCH over the statuses)
    average fall  (closing_reserves[0] - closing_reserves[T]) / projection years
    years last    closing_reserves[T] / average fall, when usable reserves fall
    final year    reserves_drawn[T]: one-off money the final year still relies on
"""
from __future__ import annotations

import math

import numpy as np

from mtfpmodel.outputs.statements import UNFUNDED_LAST
from mtfpmodel.outputs.workbook.context import Model
from mtfpmodel.outputs.workbook.grid import BASE, HEADING_ROW, Formula, Ref

SHEET = "Reserves statement"
FLOWS = (("Contributions to reserves", "reserve_contributions"),
         ("Planned use of reserves", "planned_reserves_use"),
         ("Unplanned use of reserves", "unplanned_reserves_use"),
         ("Implementation costs met from reserves", "reserve_costs_met"),
         ("Surplus added to reserves", "surplus_added"))
TOTALS = (("Total usable reserves", "closing_reserves", "money"),
          ("Minimum reserves", "minimum_reserves", "money"),
          ("Usable reserves, % of net expenditure", "usable_reserves_pct", "rate"),
          ("Minimum, % of net expenditure", "minimum_pct", "rate"))
RUN_OUT = "Year usable reserves run out"
FALL = "Average yearly fall in usable reserves over the plan"
LAST = "Years the final balance would last at that fall"
FINAL = "Reserves drawn in the final year (one-off money it relies on)"
NONE_RUN_OUT = "they do not run out"
NOT_FALLING = "they do not fall"


def statement_sheet(model: Model) -> None:
    sheet = model.sheet(SHEET)
    years, unit = model.years, model.unit

    def link(label: str, key: str, start: int, kind: str = "money", bold: bool = False) -> None:
        source, values = model.rows[key], np.asarray(model.figures[key], dtype=float)
        cells = [None if t < start else Formula(source.year(t, SHEET), float(values[t])) for t in range(years)]
        model.rows[f"statement:{key}"] = sheet.write(label, "", "%" if kind == "rate" else unit, years=cells,
                                                     kind=kind, total=bold)
        model.figures[f"statement:{key}"] = np.where(np.arange(years) >= start, values, 0.0)

    for label, key in FLOWS:
        link(label, key, 1)
    sheet.heading("Closing balances")
    for prefix, reserve in model.result.scenario.reserve_list:
        label = f"{reserve.name} (ring-fenced)" if reserve.ring_fenced else reserve.name
        link(label, f"closing:{reserve.name}", 0)
        ring = model.inputs.get(f"{prefix}.ring_fenced")
        if ring is not None:        # the label follows the switch: "(ring-fenced)" when it is set
            name = reserve.name.replace('"', '""')
            sheet.ws.write_formula(sheet.row - 1, 0, f'=IF({ring.value(SHEET)},"{name} (ring-fenced)","{name}")',
                                   model.book.style("label", "text"), label)
    for label, key, kind in TOTALS:
        link(label, key, 0, kind, bold=key == "closing_reserves")
    _findings(model, sheet)
    sheet.one_page(label=48, detail=1, unit=8, value=16, year=13)


def _findings(model: Model, sheet) -> None:
    s = model.result.reserves_statement
    T = model.years - 1
    closing, drawn = model.rows["statement:closing_reserves"], model.rows["reserves_drawn"]
    status = model.rows["status"].span(1, T, SHEET)
    labels = Ref(SHEET, HEADING_ROW).span(1, T, SHEET)       # the year labels of the heading row
    sheet.heading("Findings (column D)")
    sheet.write(RUN_OUT, "", "year", value=Formula(
        f'IFERROR(INDEX({labels},MATCH("reserves exhausted",{status},0)),"{NONE_RUN_OUT}")',
        s.run_out or NONE_RUN_OUT), value_kind="text")
    first, final = closing.cell(BASE, SHEET, absolute=True), closing.cell(BASE + T, SHEET, absolute=True)
    fall = sheet.write(FALL, "", model.unit, value=Formula(
        f"({first}-{final})/Projection_years", s.average_fall))
    sheet.write(LAST, "", "years", value=Formula(         # rounded down to 0.1, as the terminal says it
        f'IF(COUNTIF({status},"reserves exhausted")+COUNTIF({status},"unbalanced")>0,"{UNFUNDED_LAST}",'
        f'IF({fall.value(SHEET)}>0,ROUNDDOWN({final}/{fall.value(SHEET)},1),"{NOT_FALLING}"))',
        UNFUNDED_LAST if s.gap_unfunded else math.floor(s.years_last * 10) / 10 if s.years_last is not None
        else NOT_FALLING), value_kind="number")
    sheet.write(FINAL, "", model.unit,
                value=Formula(drawn.cell(BASE + T, SHEET, absolute=True), s.final_year_drawn))
