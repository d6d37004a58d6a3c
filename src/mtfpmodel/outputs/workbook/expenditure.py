"""The Expenditure sheet: each budget line part by part, the pressures, the plan's other lines.

Written in two passes: :func:`price_indices` first (the Contracts sheet needs a line's price
index), then :func:`expenditure_sheet`, once the Workforce, Contracts and Capital sheets exist.
For line L, cost-mix part c (share w), t = 0 the base year:

    index[a,t] = index[a,t-1] * (1 + rate[a,t]);  index[a,0] = 1           (an assumption a)
    price[L,t] = sum over c of w[c] * index[c,t]
    rest[L] = base[L] - workforce[L,0] - contracts[L,0]                    (base-budget lines)
    cost[L,c,0] = rest[L] * w[c];  cost[L,c,t] = cost[L,c,t-1] * (1 + rate[c,t]) * (1 + demand[L,t])
    cost[L,c,t] = volume[L,t] * unit_cost[L] * periods[L] / pounds per unit * w[c] * index[c,t]
                                                                           (volume-driven lines)
    unit_cost[L,t] = unit_cost[L] * price[L,t]                              [£ per period]
    workforce[L,t] = sum over groups g of pay_from[L,g] * total_cost[g,t]   (Workforce sheet)
    line_cost[L,t] = sum over c of cost[L,c,t] + workforce[L,t] + contracts[L,t]
    level[P,t] = sum of amount[P,s] for s <= t (recurring), or amount[P,t] (one-off)
    net_expenditure[t] = sum of line_cost + sum of level + capital financing
                         + revenue contributions to capital + contributions to reserves
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model, sum_rows
from mtfpmodel.outputs.workbook.grid import across
from mtfpmodel.scenario.capital import CONTRIBUTIONS_LINE, FINANCING_LINE

SHEET = "Expenditure"


def price_indices(model: Model) -> None:
    """Inflation indices of the assumptions, and the price index of each line that needs one."""
    sheet, scenario = model.sheet(SHEET), model.result.scenario
    contract_lines = {c.line for c in scenario.contracts}
    lines = [line for line in scenario.expenditure if line.volume is not None or line.name in contract_lines]
    if not lines:
        return
    sheet.heading("Price indices: each assumption compounded from the base year (= 1)", gap=False)
    used = list(dict.fromkeys(part for line in lines for part in line.cost_mix if part != "none"))
    for name in used:
        rate = model.inputs[f"assumptions.{name}"]
        index = np.cumprod(1.0 + model.input_values(f"assumptions.{name}"))
        cells = [1.0] + across(model.years, lambda t: f"{sheet.previous(t)}*(1+{rate.year(t, SHEET)})", index,
                               1)[1:]
        model.publish(f"index:{name}", sheet.write(name, "index", "index", years=cells, kind="ratio",
                                                   role="structure"), index)
    for line in lines:
        prefix = f"expenditure[{line.name}]"
        parts = [(model.inputs[f"{prefix}.cost_mix.{part}"], model.rows.get(f"index:{part}")) for part in line.cost_mix]
        price = sum((share * (model.figures[f"index:{part}"] if part != "none" else 1.0)
                     for part, share in line.cost_mix.items()), np.zeros(model.years))

        def formula(t: int, parts=parts) -> str:
            return "+".join(f"{share.value(SHEET)}*{index.year(t, SHEET)}" if index else share.value(SHEET)
                            for share, index in parts)

        model.row(sheet, line.name, "price index (cost-mix shares x indices)", formula, price, unit="index",
                  kind="ratio", key=f"price:{line.name}")


def expenditure_sheet(model: Model) -> None:
    sheet = model.sheet(SHEET)
    _carried(model, sheet)
    _volumes(model, sheet)
    _components(model, sheet)
    _lines(model, sheet)
    _pressures(model, sheet)
    _other_lines(model, sheet)
    sheet.heading("Net expenditure")
    parts = [model.rows[k] for k in ("lines_total", "pressures_total", "capital_financing", "revenue_contributions",
                                     "reserve_contributions") if k in model.rows]
    model.row(sheet, "Net expenditure", "lines + pressures + capital + contributions to reserves",
              lambda t: "+".join(p.year(t, SHEET) for p in parts), model.r.net_expenditure, total=True,
              key="net_expenditure")


def _carried(model: Model, sheet: Sheet) -> None:
    """Each line's share of the pay groups (Workforce sheet) and its contracts (Contracts sheet)."""
    scenario, r = model.result.scenario, model.r
    staffed = [(i, line) for i, line in enumerate(scenario.expenditure) if line.pay_from]
    if staffed:
        sheet.heading("Workforce carried by each line: share of each pay group's whole cost (Workforce sheet)")
    for i, line in staffed:
        terms = [(model.inputs[f"expenditure[{line.name}].pay_from.{g}"], model.rows[f"group_total:{g}"])
                 for g in line.pay_from]
        model.row(sheet, line.name, "workforce", lambda t, terms=terms: "+".join(
            f"{share.value(SHEET)}*{total.year(t, SHEET)}" for share, total in terms), r.line_workforce[0, i],
            key=f"line_workforce:{line.name}")
    contracted = [(i, line) for i, line in enumerate(scenario.expenditure)
                  if any(c.line == line.name for c in scenario.contracts)]
    if contracted:
        sheet.heading("Indexed contracts within each line (Contracts sheet)")
    for i, line in contracted:
        refs = [model.rows[f"contract:{c.name}"] for c in scenario.contracts if c.line == line.name]
        model.row(sheet, line.name, "contracts", lambda t, refs=refs: "+".join(c.year(t, SHEET) for c in refs),
                  r.line_contracts[0, i], key=f"line_contracts:{line.name}")


def _volumes(model: Model, sheet: Sheet) -> None:
    """Volume-driven lines: units bought, and the unit cost inflated by the line's price index."""
    scenario, r, inputs = model.result.scenario, model.r, model.inputs
    driven = [(i, line) for i, line in enumerate(scenario.expenditure) if line.volume is not None]
    if not driven:
        return
    sheet.heading("Volume-driven lines: volume (units) and unit cost (£ per period, base year x price index)")
    for i, line in driven:
        p = f"expenditure[{line.name}]"
        base = inputs[f"{p}.volume.base"]
        if line.volume.values is not None:
            given = inputs[f"{p}.volume.values"]
            formula = (lambda t, given=given, base=base: base.base(SHEET) if t == 0 else given.year(t, SHEET))
        else:
            growth = inputs[f"{p}.volume.growth"]
            formula = (lambda t, growth=growth, base=base: base.base(SHEET) if t == 0
                       else f"{sheet.previous(t)}*(1+{growth.year(t, SHEET)})")
        model.row(sheet, line.name, "volume", formula, r.line_volume[0, i], unit="units", kind="number",
                  key=f"volume:{line.name}")
        cost, price = inputs[f"{p}.unit_cost"], model.rows[f"price:{line.name}"]
        model.row(sheet, line.name, "unit cost", lambda t, cost=cost, price=price: (
            f"{cost.value(SHEET)}*{price.year(t, SHEET)}"), r.line_unit_cost[0, i], unit="£ per period",
            kind="pounds", key=f"unit_cost:{line.name}")


def _components(model: Model, sheet: Sheet) -> None:
    inputs, r = model.inputs, model.r
    sheet.heading("Cost of each line by cost-mix part: the rest of the line x share, then x (1 + inflation) "
                  "x (1 + demand); volume x unit cost x periods x share x index")
    k = 0
    for line in model.result.scenario.expenditure:
        prefix = f"expenditure[{line.name}]"
        parts = []
        for part in line.cost_mix:
            share = inputs[f"{prefix}.cost_mix.{part}"]
            formula = (_volume_part(model, line, share, part) if line.volume is not None
                       else _base_part(model, line, share, part, sheet))
            parts.append(model.row(sheet, line.name, "no inflation" if part == "none" else part, formula,
                                   r.component_cost[0, k]))
            k += 1
        model.groups[f"components:{line.name}"] = parts


def _base_part(model: Model, line, share, part: str, sheet: Sheet):
    prefix = f"expenditure[{line.name}]"
    base, demand = model.inputs[f"{prefix}.base"], model.inputs[f"{prefix}.demand"]
    rate = model.inputs.get(f"assumptions.{part}")
    carved = [model.rows[k] for k in (f"line_workforce:{line.name}", f"line_contracts:{line.name}") if k in model.rows]

    def formula(t: int) -> str:
        if t == 0:
            rest = base.base(SHEET) + "".join(f"-{c.base(SHEET)}" for c in carved)
            return f"({rest})*{share.value(SHEET)}" if carved else f"{rest}*{share.value(SHEET)}"
        inflation = f"*(1+{rate.year(t, SHEET)})" if rate is not None else ""
        return f"{sheet.previous(t)}{inflation}*(1+{demand.year(t, SHEET)})"

    return formula


def _volume_part(model: Model, line, share, part: str):
    prefix = f"expenditure[{line.name}]"
    volume = model.rows[f"volume:{line.name}"]
    cost, periods = model.inputs[f"{prefix}.unit_cost"], model.inputs[f"{prefix}.periods_per_year"]
    index = model.rows.get(f"index:{part}")

    def formula(t: int) -> str:
        inflation = f"*{index.year(t, SHEET)}" if index is not None else ""
        return (f"{volume.year(t, SHEET)}*{cost.value(SHEET)}*{periods.value(SHEET)}/Pounds_per_unit"
                f"*{share.value(SHEET)}{inflation}")

    return formula


def _lines(model: Model, sheet: Sheet) -> None:
    sheet.heading("Cost of each budget line (its cost-mix parts + workforce + contracts)")
    rows = []
    for i, line in enumerate(model.result.scenario.expenditure):
        parts = model.groups[f"components:{line.name}"]
        carved = [model.rows[k] for k in (f"line_workforce:{line.name}", f"line_contracts:{line.name}")
                  if k in model.rows]
        rows.append(model.row(sheet, line.name, "", lambda t, p=parts, c=carved: sum_rows(p[0], p[-1], t, SHEET)
                              + "".join(f"+{x.year(t, SHEET)}" for x in c), model.r.line_cost[0, i],
                              key=f"line:{line.name}"))
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


def _other_lines(model: Model, sheet: Sheet) -> None:
    """The capital lines of the plan (Capital sheet) and the budgeted contributions to reserves."""
    r = model.r
    lines = [line for line in (
        ("capital_financing", "capital:financing", FINANCING_LINE, "existing debt charges + MRP + interest",
         r.capital_financing),
        ("revenue_contributions", "capital:contributions", CONTRIBUTIONS_LINE, "schemes financed from revenue",
         r.revenue_contributions)) if line[1] in model.rows]
    if lines:
        sheet.heading("Capital lines of the plan (Capital sheet)")
    for key, source, label, detail, values in lines:
        model.link(sheet, label, detail, model.rows[source], values, key=key)
    sheet.heading("Contributions to reserves (budgeted: spending in the year)")
    rows = []
    for n, (prefix, reserve) in enumerate(model.result.scenario.reserve_list):
        given = model.inputs.get(f"{prefix}.contributions")
        if given is None:
            continue
        rows.append(model.row(sheet, reserve.name, "contribution", lambda t, g=given: f"MAX({g.year(t, SHEET)},0)",
                              r.reserve_flows.contributions[0, n], start=1, key=f"contribution:{reserve.name}"))
    if not rows:
        rows.append(sheet.write("(no reserve takes contributions in this scenario)", "", model.unit))
    model.row(sheet, "Contributions to reserves", "", lambda t: sum_rows(rows[0], rows[-1], t, SHEET),
              r.reserve_contributions, start=0, total=True, key="reserve_contributions")
