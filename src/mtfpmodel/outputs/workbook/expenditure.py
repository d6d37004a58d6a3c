"""The Expenditure sheet: each budget line part by part, the pressures, net expenditure.

Part c (share w) of line L, as the engine computes it (t = 0 the base year):

    cost[L,c,0] = base[L] * w[c]
    cost[L,c,t] = cost[L,c,t-1] * (1 + rate[c,t]) * (1 + demand[L,t])
    line_cost[L,t] = sum over c of cost[L,c,t]
    level[P,t] = sum of amount[P,s] for s <= t (recurring), or amount[P,t] (one-off)
    net_expenditure[t] = sum of line_cost[L,t] + sum of level[P,t]
"""
from __future__ import annotations

from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model, sum_rows
from mtfpmodel.outputs.workbook.grid import BASE, column_letter

SHEET = "Expenditure"


def expenditure_sheet(model: Model) -> None:
    sheet = Sheet(model.book, SHEET, "Net expenditure: budget lines by cost-mix part, and pressures",
                  columns=("Budget line", "Cost-mix part", "Unit", ""))
    _components(model, sheet)
    _lines(model, sheet)
    _pressures(model, sheet)
    sheet.heading("Net expenditure")
    lines, pressures = model.rows["lines_total"], model.rows["pressures_total"]
    model.row(sheet, "Net expenditure", "lines + pressures",
              lambda t: f"{lines.year(t, SHEET)}+{pressures.year(t, SHEET)}", model.r.net_expenditure,
              total=True, key="net_expenditure")


def _components(model: Model, sheet: Sheet) -> None:
    inputs, r = model.inputs, model.r
    sheet.heading("Cost of each line by cost-mix part: base x share, then x (1 + inflation) x (1 + demand)",
                  gap=False)
    k = 0
    for i, line in enumerate(model.result.scenario.expenditure):
        prefix = f"expenditure[{line.name}]"
        base, demand = inputs[f"{prefix}.base"], inputs[f"{prefix}.demand"]
        parts = []
        for part in line.cost_mix:
            share = inputs[f"{prefix}.cost_mix.{part}"]
            rate = inputs.get(f"assumptions.{part}")
            here = sheet.row

            def formula(t: int, share=share, rate=rate, here=here) -> str:
                if t == 0:
                    return f"{base.base(SHEET)}*{share.value(SHEET)}"
                previous = f"{column_letter(BASE + t - 1)}{here + 1}"
                inflation = f"*(1+{rate.year(t, SHEET)})" if rate is not None else ""
                return f"{previous}{inflation}*(1+{demand.year(t, SHEET)})"

            parts.append(model.row(sheet, line.name, "no inflation" if part == "none" else part, formula,
                                   r.component_cost[0, k]))
            k += 1
        model.groups[f"components:{line.name}"] = parts


def _lines(model: Model, sheet: Sheet) -> None:
    sheet.heading("Cost of each budget line (sum of its parts)")
    rows = []
    for i, line in enumerate(model.result.scenario.expenditure):
        parts = model.groups[f"components:{line.name}"]
        rows.append(model.row(sheet, line.name, "", lambda t, p=parts: sum_rows(p[0], p[-1], t, SHEET),
                              model.r.line_cost[0, i], key=f"line:{line.name}"))
    model.groups["lines"] = rows
    model.row(sheet, "Budget lines total", "", lambda t: sum_rows(rows[0], rows[-1], t, SHEET),
              model.r.line_cost[0].sum(axis=0), total=True, key="lines_total")


def _pressures(model: Model, sheet: Sheet) -> None:
    inputs, r = model.inputs, model.r
    sheet.heading("Cost pressures: level in the budget (recurring pressures add up year on year)")
    rows = []
    for i, p in enumerate(model.result.scenario.pressures):
        amount = inputs[f"pressures[{p.name}].amount"]
        recurring = inputs[f"pressures[{p.name}].recurring"]

        def formula(t: int, amount=amount, recurring=recurring) -> str:
            running = f"SUM({amount.through(t, SHEET)})"
            return f"IF({recurring.value(SHEET)},{running},{amount.year(t, SHEET)})"

        rows.append(model.row(sheet, p.name, "recurring" if p.recurring else "one-off", formula,
                              r.pressure_level[0, i]))
    if not rows:
        rows.append(sheet.write("(no pressures in this scenario)", "", model.unit))
    model.groups["pressures"] = rows
    model.row(sheet, "Pressures total", "", lambda t: sum_rows(rows[0], rows[-1], t, SHEET),
              r.pressure_level[0].sum(axis=0), total=True, key="pressures_total")
