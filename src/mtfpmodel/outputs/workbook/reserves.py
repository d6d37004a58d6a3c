"""The Reserves sheet: every reserve's year in the contract's order, the totals and each year's status.

For each projection year t and reserve r (open = last year's closing balance), in this order:

    1. contributions[r,t]                                   (Expenditure sheet: spending)
    2. planned[r,t] = MIN(planned_use[r,t], open + contributions)
       savings_still_to_find[t] = net_gap[t] - sum of planned[r,t]
    3. costs[r,t] = MIN(reserve-funded implementation costs[t], open + contributions - planned)
                    for the first reserve that meets gaps (column D), else 0
    4. available[r,t] = open + contributions - planned - costs, if r meets gaps, else 0
       need[t] = MAX(savings_still_to_find[t], 0)
    5. unplanned[r,t] = MIN(available[r,t], MAX(need[t] - sum of available of the reserves above, 0))
       surplus[r,t] = MAX(-savings_still_to_find[t], 0) for the first reserve that meets gaps
    6. closing[r,t] = open + contributions - planned - costs - unplanned + surplus   (never below 0)

The first reserve that meets gaps is the first listed that meets them, else the first general
reserve that is not ring-fenced (MATCH over column D). Then, summed over the usable reserves
(not ring-fenced) or over all: closing and minimum reserves, reserves drawn = planned + unplanned,
unfunded_gap = (costs no reserve met) + MAX(need - sum of available, 0), and the status.
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.engine.projection import STATUSES
from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model
from mtfpmodel.outputs.workbook.grid import Formula, Ref, column_range
from mtfpmodel.scenario.reserves import first_gap_reserve

SHEET = "Reserves"


class _Plan:
    """The reserves and where their inputs are (the mapping form has no contributions or planned use)."""

    def __init__(self, model: Model):
        self.items = model.result.scenario.reserve_list
        self.names = [reserve.name for _, reserve in self.items]
        self.flows = model.r.reserve_flows
        self.inputs = model.inputs

    def input(self, n: int, field: str) -> Ref | None:
        return self.inputs.get(f"{self.items[n][0]}.{field}")


def reserves_sheet(model: Model) -> None:
    r, rows = model.r, model.rows
    sheet = model.sheet(SHEET)
    plan = _Plan(model)
    sheet.heading("From the other sheets", gap=False)
    net = model.link(sheet, "Net gap", "Gap sheet", rows["net_gap"], r.net_gap)
    spend = model.link(sheet, "Net expenditure", "Expenditure sheet", rows["net_expenditure"], r.net_expenditure)
    costs = model.link(sheet, "Implementation costs to be met from reserves", "Savings sheet",
                       rows["reserve_funded_costs"], r.reserve_funded_costs)
    flags = _settings(model, sheet, plan)
    steps = _steps(model, sheet, plan, net, costs, flags)
    _totals(model, sheet, plan, steps, spend, costs, flags)


def _settings(model: Model, sheet: Sheet, plan: _Plan) -> dict:
    """Column D: whether each reserve meets gaps, is general and usable, comes first, is usable."""
    R = len(plan.items)
    out: dict = {"meets": [], "general": [], "first": [], "usable": []}
    if not R:
        return out
    sheet.heading("Each reserve's settings (column D, from the Inputs sheet)")
    first = first_gap_reserve([reserve for _, reserve in plan.items])
    for n, (prefix, reserve) in enumerate(plan.items):
        ring, meets = plan.input(n, "ring_fenced"), plan.input(n, "meets_gap")
        text = "Use_reserves_to_balance" if meets is None else f"AND(NOT({ring.value(SHEET)}),{meets.value(SHEET)})"
        out["meets"].append(sheet.write(reserve.name, "meets a gap the plan leaves", "TRUE/FALSE",
                                        value=Formula(text, reserve.meets_gaps), value_kind="text"))
    for n, (prefix, reserve) in enumerate(plan.items):
        kind, ring = plan.input(n, "kind"), plan.input(n, "ring_fenced")
        value: object = (True if kind is None else
                         Formula(f'AND({kind.value(SHEET)}="general",NOT({ring.value(SHEET)}))',
                                 reserve.kind == "general" and not reserve.ring_fenced))
        out["general"].append(sheet.write(reserve.name, "general and not ring-fenced",
                                          "TRUE/FALSE", value=value, value_kind="text", role="structure"))
    meets, general = (column_range(out[k][0], out[k][-1], 3, SHEET) for k in ("meets", "general"))
    position = sheet.write("First reserve that meets gaps", "its place in the list (0: none)", "place",
                           value=Formula(f"IFERROR(MATCH(TRUE,{meets},0),IFERROR(MATCH(TRUE,{general},0),0))",
                                         0 if first is None else first + 1), value_kind="int")
    top = sheet.row
    for n, (_, reserve) in enumerate(plan.items):
        out["first"].append(sheet.write(reserve.name, "the first reserve that meets gaps?", "TRUE/FALSE",
                                        value=Formula(f"ROWS($D${top + 1}:$D{sheet.row + 1})={position.value(SHEET)}",
                                                      n == first), value_kind="text"))
    for n, (_, reserve) in enumerate(plan.items):
        ring = plan.input(n, "ring_fenced")
        value = 1 if ring is None else Formula(f"IF({ring.value(SHEET)},0,1)", 0 if reserve.ring_fenced else 1)
        out["usable"].append(sheet.write(reserve.name, "usable (1: not ring-fenced)", "1/0", value=value,
                                         value_kind="int", role="structure"))
    out["some"] = sheet.write("Some reserve meets gaps", "", "TRUE/FALSE", value=Formula(
        f"OR({meets})", any(reserve.meets_gaps for _, reserve in plan.items)), value_kind="text")
    return out


def _block(model: Model, sheet: Sheet, plan: _Plan, heading: str, detail: str, formula, values, key: str,
           start: int = 1) -> list[Ref]:
    """One row per reserve: ``formula(n, t)`` with cached ``values[n]``."""
    if not plan.items:
        return []
    sheet.heading(heading)
    return [model.row(sheet, name, detail, lambda t, n=n: formula(n, t), values[0, n], start=start,
                      key=f"{key}:{name}") for n, name in enumerate(plan.names)]


def _sum(refs: list[Ref], t: int) -> str:
    return f"SUM({column_range(refs[0], refs[-1], None, SHEET, t)})" if refs else "0"


def _steps(model: Model, sheet: Sheet, plan: _Plan, net: Ref, costs: Ref, flags: dict) -> dict:
    R, f = len(plan.items), plan.flows
    heading_row = sheet.row + 1 if R else sheet.row           # the opening block's place, written at the end
    opening = [Ref(SHEET, heading_row + 1 + n) for n in range(R)]
    sheet.row = heading_row + 1 + R if R else sheet.row
    contributions = {n: model.rows[f"contribution:{name}"] for n, name in enumerate(plan.names)
                     if f"contribution:{name}" in model.rows}

    def held(n: int, t: int) -> str:        # the balance after contributions
        return opening[n].year(t, SHEET) + (f"+{contributions[n].year(t, SHEET)}" if n in contributions else "")

    def planned_formula(n: int, t: int) -> str:
        wanted = plan.input(n, "planned_use")
        return "0" if wanted is None else f"MIN(MAX({wanted.year(t, SHEET)},0),{held(n, t)})"

    steps: dict = {"opening": opening}
    steps["contributions"] = _block(model, sheet, plan, "1. Contributions to each reserve (Expenditure sheet)",
                                    "contribution", lambda n, t: contributions[n].year(t, SHEET) if n in contributions
                                    else "0", f.contributions, "reserve_contribution")
    steps["planned"] = _block(model, sheet, plan, "2. Planned use: as planned, up to the balance", "planned use",
                              planned_formula, f.planned_use, "planned_use")
    planned = model.row(sheet, "Planned use of reserves", "all reserves", lambda t: _sum(steps["planned"], t),
                        model.r.planned_reserves_use, start=1, total=True, key="planned_reserves_use")
    still_values = _still(model)
    still = model.row(sheet, "Savings still to find", "net gap - planned use of reserves",
                      lambda t: f"{net.year(t, SHEET)}-{planned.year(t, SHEET)}", still_values, start=1, total=True,
                      key="savings_still_to_find")

    def after_planned(n: int, t: int) -> str:
        return f"{held(n, t)}-{steps['planned'][n].year(t, SHEET)}"

    steps["costs"] = _block(model, sheet, plan, "3. Implementation costs: from the first reserve that meets gaps",
                            "implementation costs", lambda n, t: (
                                f"IF({flags['first'][n].value(SHEET)},MIN({costs.year(t, SHEET)},"
                                f"{after_planned(n, t)}),0)"), f.implementation_costs, "implementation_costs")
    available = _block(model, sheet, plan, "4. Available to meet the gap: reserves that meet gaps", "available",
                       lambda n, t: (f"IF({flags['meets'][n].value(SHEET)},{after_planned(n, t)}"
                                     f"-{steps['costs'][n].year(t, SHEET)},0)"),
                       _available(model, plan), "available")
    steps["available"] = available
    need = model.row(sheet, "Gap to meet from reserves", "savings still to find, if positive",
                     lambda t: f"MAX({still.year(t, SHEET)},0)", np.maximum(still_values, 0.0), start=1)
    steps["need"] = need
    steps["unplanned"] = _block(model, sheet, plan, "5. Unplanned use: the reserves that meet gaps, in order",
                                "unplanned use", lambda n, t: (
                                    f"MIN({available[n].year(t, SHEET)},MAX({need.year(t, SHEET)}"
                                    + (f"-{_sum(available[:n], t)}" if n else "") + ",0)"),
                                f.unplanned_use, "unplanned_use")
    steps["surplus"] = _block(model, sheet, plan, "5. A surplus goes to the first reserve that meets gaps",
                              "surplus added", lambda n, t: (f"IF({flags['first'][n].value(SHEET)},"
                                                             f"MAX(-{still.year(t, SHEET)},0),0)"),
                              f.surplus_added, "surplus_added")
    steps["closing"] = _block(model, sheet, plan, "6. Closing balance (column E: the opening balance)",
                              "closing balance", lambda n, t: plan.input(n, "opening").value(SHEET) if t == 0 else (
                                  f"{after_planned(n, t)}-{steps['costs'][n].year(t, SHEET)}"
                                  f"-{steps['unplanned'][n].year(t, SHEET)}+{steps['surplus'][n].year(t, SHEET)}"),
                              f.closing, "closing", start=0)
    end = sheet.row
    if R:
        sheet.row = heading_row - 1 if heading_row > sheet.first_row else heading_row
        sheet.heading("Opening balance of each year (last year's closing balance)")
        for n, name in enumerate(plan.names):
            model.row(sheet, name, "opening balance", lambda t, n=n: steps["closing"][n].year(t - 1, SHEET),
                      f.opening[0, n], start=1, key=f"opening:{name}")
        assert sheet.row == heading_row + 1 + R, "the opening block must fill the rows kept for it"
        sheet.row = end
    return steps


def _still(model: Model) -> np.ndarray:
    still = np.array(model.values(model.r.savings_still_to_find), dtype=float)
    still[0] = 0.0                       # the base year is the approved budget (gap table convention)
    return still


def _available(model: Model, plan: _Plan) -> np.ndarray:
    f = plan.flows
    meets = np.array([reserve.meets_gaps for _, reserve in plan.items], dtype=bool)
    before = f.opening + f.contributions - f.planned_use - f.implementation_costs
    return np.where(meets[None, :, None], before, 0.0)


def _totals(model: Model, sheet: Sheet, plan: _Plan, steps: dict, spend: Ref, costs: Ref, flags: dict) -> None:
    r = model.r
    usable = flags["usable"]
    weights = column_range(usable[0], usable[-1], 3, SHEET) if usable else None

    def usable_sum(refs: list[Ref], t: int) -> str:
        return f"SUMPRODUCT({weights},{column_range(refs[0], refs[-1], None, SHEET, t)})" if refs else "0"

    sheet.heading("Usable reserves (not ring-fenced) and their minimum")
    closing = model.row(sheet, "Closing usable reserves", "closing balances of the usable reserves",
                        lambda t: usable_sum(steps["closing"], t), r.closing_reserves, total=True,
                        key="closing_reserves")
    minimums = []
    for n, (prefix, reserve) in enumerate(plan.items):
        level = plan.input(n, "minimum")
        if reserve.minimum_share is not None:
            formula = (lambda t, level=level: f"{level.value(SHEET)}*{spend.year(t, SHEET)}")
        else:
            formula = (lambda t, level=level: level.value(SHEET))
        minimums.append(model.row(sheet, reserve.name, "minimum level", formula, r.reserve_minimum[0, n]))
    minimum = model.row(sheet, "Minimum reserves", "minimum levels of the usable reserves",
                        lambda t: usable_sum(minimums, t), r.minimum_reserves, key="minimum_reserves")
    model.row(sheet, "Usable reserves, % of net expenditure", "", lambda t: f"{closing.year(t, SHEET)}/"
              f"{spend.year(t, SHEET)}", r.usable_reserves_pct, unit="%", kind="rate", key="usable_reserves_pct")
    model.row(sheet, "Minimum, % of net expenditure", "", lambda t: f"{minimum.year(t, SHEET)}/{spend.year(t, SHEET)}",
              r.minimum_reserves / r.net_expenditure, unit="%", kind="rate", key="minimum_pct")
    sheet.heading("The year's use of reserves and what is left unfunded")
    f = plan.flows
    for key, label, refs, values in (
            ("unplanned_reserves_use", "Unplanned use of reserves", steps["unplanned"], r.unplanned_reserves_use),
            ("reserve_costs_met", "Implementation costs met from reserves", steps["costs"],
             f.implementation_costs.sum(axis=1)),
            ("surplus_added", "Surplus added to reserves", steps["surplus"], f.surplus_added.sum(axis=1))):
        model.row(sheet, label, "all reserves", lambda t, refs=refs: _sum(refs, t), values, start=1, key=key)
    planned, unplanned = model.rows["planned_reserves_use"], model.rows["unplanned_reserves_use"]
    drawn = model.row(sheet, "Reserves drawn", "planned + unplanned use",
                      lambda t: f"{planned.year(t, SHEET)}+{unplanned.year(t, SHEET)}", r.reserves_drawn, start=1,
                      key="reserves_drawn")
    met = model.rows["reserve_costs_met"]
    unmet = model.row(sheet, "Implementation costs reserves cannot meet", "costs - costs met",
                      lambda t: f"{costs.year(t, SHEET)}-{met.year(t, SHEET)}",
                      r.reserve_funded_costs - f.implementation_costs.sum(axis=1), start=1,
                      key="unfunded_implementation_costs")
    need, available = steps["need"], steps["available"]
    left = model.row(sheet, "Gap no reserve can meet", "gap to meet - available",
                     lambda t: f"MAX({need.year(t, SHEET)}-{_sum(available, t)},0)",
                     r.unfunded_gap - (r.reserve_funded_costs - f.implementation_costs.sum(axis=1)), start=1)
    unfunded = model.row(sheet, "Unfunded gap", "costs reserves cannot meet + gap no reserve can meet",
                         lambda t: f"{unmet.year(t, SHEET)}+{left.year(t, SHEET)}", r.unfunded_gap, start=1,
                         total=True, key="unfunded_gap")
    some = flags["some"].value(SHEET) if "some" in flags else "FALSE()"
    statuses = [""] + [STATUSES[s] for s in r.status[0, 1:]]
    model.row(sheet, "Status", "the first that applies", lambda t: _status(
        unfunded.year(t, SHEET), some, closing.year(t, SHEET), minimum.year(t, SHEET), drawn.year(t, SHEET)),
        statuses, start=1, kind="text", key="status")
    _gap_table_rows(model, sheet)


def _status(unfunded: str, some: str, closing: str, minimum: str, drawn: str) -> str:
    return (f'IF({unfunded}>0,IF({some},"reserves exhausted","unbalanced"),'
            f'IF({closing}<{minimum},"below minimum reserves",'
            f'IF({drawn}>0,"balanced with reserves","balanced")))')


def _gap_table_rows(model: Model, sheet: Sheet) -> None:
    sheet.heading("For the gap table")
    still = model.rows["savings_still_to_find"]
    values = model.figures["savings_still_to_find"]
    model.row(sheet, "Savings still to find in the year", "change from last year (base year: 0)",
              lambda t: f"{still.year(t, SHEET)}-{still.year(t - 1, SHEET)}", np.diff(values, prepend=0.0), start=1,
              key="savings_still_to_find_in_year")
    model.row(sheet, "Surplus added to reserves", "a negative savings still to find",
              lambda t: f"MAX(-{still.year(t, SHEET)},0)", np.maximum(-values, 0.0), start=1,
              key="surplus_to_reserves")
