"""The Reserves sheet: today's single usable reserve, the plan's status, and the gap table's rows.

This module is the one to replace when the scenario's reserves become a plan of named reserves:
it reads ``rows['net_gap']``, ``rows['net_expenditure']`` and ``rows['reserve_funded_costs']``
and provides the rows the Summary, Gap table and Checks use — ``reserves_drawn``,
``closing_reserves``, ``minimum_reserves``, ``status``, ``reserves_used``, ``still_to_find``
and ``still_to_find_in_year`` (:data:`PROVIDES`). Equations, for t = 1..T:

    reserves_drawn[t] = max(net_gap[t], 0) if reserves are used to balance, else 0
    closing[t] = closing[t-1] - reserves_drawn[t] + max(-net_gap[t], 0) - reserve-funded costs[t]
    closing[0] = opening reserves;  minimum[t] = share x net_expenditure[t], or the amount
    status[t] = the first that applies: reserves exhausted (closing < 0), unbalanced (a gap and
                reserves not used), below minimum reserves, balanced with reserves (a gap), balanced
    reserves_used[t] = min(reserves_drawn[t], max(closing[t-1] - reserve-funded costs[t], 0))
    still_to_find[t] = net_gap[t] - reserves_used[t];  in the year: still_to_find[t] - still_to_find[t-1]
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.engine.projection import STATUSES
from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model
from mtfpmodel.outputs.workbook.grid import BASE, column_letter
from mtfpmodel.results.gaptable import reserves_used

SHEET = "Reserves"
PROVIDES = ("reserves_drawn", "closing_reserves", "minimum_reserves", "status", "reserves_used",
            "still_to_find", "still_to_find_in_year")


def reserves_sheet(model: Model) -> None:
    r, rows = model.r, model.rows
    sheet = Sheet(model.book, SHEET, "Usable reserves and the plan's status (one reserve balance)",
                  columns=("", "", "Unit", ""))
    sheet.heading("From the other sheets", gap=False)
    net = model.link(sheet, "Net gap", "Gap sheet", rows["net_gap"], r.net_gap)
    spend = model.link(sheet, "Net expenditure", "Expenditure sheet", rows["net_expenditure"], r.net_expenditure)
    funded = model.link(sheet, "Implementation costs met from reserves", "Savings sheet",
                        rows["reserve_funded_costs"], r.reserve_funded_costs)
    sheet.heading("Reserves")
    drawn = model.row(sheet, "Reserves drawn", "the net gap, if reserves balance the budget",
                      lambda t: f"IF(Use_reserves_to_balance,MAX({net.year(t, SHEET)},0),0)", r.reserves_drawn,
                      start=1, key="reserves_drawn")
    surplus = model.row(sheet, "Surplus added to reserves", "a negative net gap",
                        lambda t: f"MAX(-{net.year(t, SHEET)},0)", np.maximum(-model.values(r.net_gap), 0.0),
                        start=1)
    here = sheet.row
    closing = model.row(sheet, "Closing reserves", "last year's - drawn + surplus - implementation costs",
                        lambda t: "Opening_reserves" if t == 0 else
                        (f"{column_letter(BASE + t - 1)}{here + 1}-{drawn.year(t, SHEET)}+{surplus.year(t, SHEET)}"
                         f"-{funded.year(t, SHEET)}"),
                        r.closing_reserves, total=True, key="closing_reserves")
    if model.result.scenario.reserves.minimum_share is not None:
        minimum = model.row(sheet, "Minimum reserves", "share of net expenditure",
                            lambda t: f"Minimum_reserves*{spend.year(t, SHEET)}", r.minimum_reserves,
                            key="minimum_reserves")
    else:
        minimum = model.row(sheet, "Minimum reserves", "amount", lambda t: "Minimum_reserves", r.minimum_reserves,
                            key="minimum_reserves")
    statuses = [""] + [STATUSES[s] for s in r.status[0, 1:]]
    model.row(sheet, "Status", "the first that applies",
              lambda t: _status(closing.year(t, SHEET), net.year(t, SHEET), minimum.year(t, SHEET)),
              statuses, start=1, kind="text", key="status")
    _gap_table_rows(model, sheet, net, drawn, closing, funded)


def _status(closing: str, gap: str, minimum: str) -> str:
    return (f'IF({closing}<0,"reserves exhausted",'
            f'IF(AND({gap}>0,NOT(Use_reserves_to_balance)),"unbalanced",'
            f'IF({closing}<{minimum},"below minimum reserves",'
            f'IF({gap}>0,"balanced with reserves","balanced"))))')


def _gap_table_rows(model: Model, sheet: Sheet, net, drawn, closing, funded) -> None:
    """Reserves meet the net gap only as far as they last; the rest is savings still to find."""
    sheet.heading("For the gap table")
    used_values = reserves_used(model.result)
    used = model.row(sheet, "Planned use of reserves", "drawn, up to last year's closing reserves",
                     lambda t: (f"MIN({drawn.year(t, SHEET)},MAX({closing.year(t - 1, SHEET)}"
                                f"-{funded.year(t, SHEET)},0))"),
                     used_values, start=1, key="reserves_used")
    remaining = model.values(model.r.net_gap) - used_values
    remaining[0] = 0.0
    here = sheet.row
    model.row(sheet, "Savings still to find, cumulative", "net gap - planned use of reserves",
              lambda t: f"{net.year(t, SHEET)}-{used.year(t, SHEET)}", remaining, start=1, total=True,
              key="still_to_find")
    model.row(sheet, "Savings still to find in the year", "change from last year",
              lambda t: f"{column_letter(BASE + t)}{here + 1}-{column_letter(BASE + t - 1)}{here + 1}",
              np.diff(remaining, prepend=remaining[0]), start=1, key="still_to_find_in_year")
