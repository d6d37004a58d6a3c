"""The Workforce sheet: each pay group's pay bill and on-costs by year (the lines carry shares of them).

For pay group g in year t (salaries and the threshold in £, costs in the scenario unit):

    salary[g,t] = salary[g,t-1] * (1 + pay_award[g,t]);  salary[g,0] = average salary
    pay_bill[g,t] = fte * salary[g,t] * (1 + drift) * (1 - vacancy) / pounds per unit
    employees[g] = headcount * (1 - vacancy)                  (headcount: the FTE when not given)
    pay_per_employee[g,t] = fte * (1 + drift) / headcount * salary[g,t]
    employer_ni[g,t] = ni_rate[t] * MAX(pay_per_employee - threshold[t], 0) * employees / pounds per unit
    employer_pension[g,t] = pension_rate[t] * pay_bill[g,t]
    levy[t] = levy_rate * MAX(sum of pay_bill[t] - allowance / pounds per unit, 0)
    apprenticeship_levy[g,t] = levy[t] * pay_bill[g,t] / sum of pay_bill[t]
    total_cost[g,t] = pay_bill + employer_ni + employer_pension + apprenticeship_levy

The on-cost rates and the threshold take the base-year value in column E and each projection
year's after it.
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model
from mtfpmodel.outputs.workbook.grid import Formula

SHEET = "Workforce"


def workforce_sheet(model: Model) -> None:
    sheet = model.sheet(SHEET)
    w = model.result.scenario.workforce
    if w is None:
        sheet.note("(this plan has no workforce block: lines carry their pay in their base budget and cost mix)")
        return
    rates = _rates(model, sheet)
    groups = [(g, group) for g, group in enumerate(w.groups)]
    pay, per_group = [], {}
    for g, group in groups:
        per_group[group.name] = _group(model, sheet, g, group, rates)
        pay.append(per_group[group.name]["pay_bill"])
    sheet.heading("The council's pay bill and the apprenticeship levy")
    r = model.r
    total_pay = model.row(sheet, "Pay bill of every group", "", lambda t: "+".join(x.year(t, SHEET) for x in pay),
                          r.pay_bill[0].sum(axis=0), total=True, key="workforce:pay_bill")
    levy = model.inputs["workforce.apprenticeship_levy.rate"]
    allowance = model.inputs["workforce.apprenticeship_levy.allowance"]
    levy_total = model.row(sheet, "Apprenticeship levy", "rate x pay bill above the allowance",
                           lambda t: (f"{levy.value(SHEET)}*MAX({total_pay.year(t, SHEET)}"
                                      f"-{allowance.value(SHEET)}/Pounds_per_unit,0)"),
                           r.apprenticeship_levy[0].sum(axis=0), key="workforce:levy")
    sheet.heading("Each group's whole cost (pay bill + employer NI + employer pension + its share of the levy)")
    totals, whole = [], []
    for g, group in groups:
        rows = per_group[group.name]
        share = model.row(sheet, group.name, "levy: its share of the pay bill",
                          lambda t, p=rows["pay_bill"]: (f"IF({total_pay.year(t, SHEET)}>0,{levy_total.year(t, SHEET)}"
                                                         f"*{p.year(t, SHEET)}/{total_pay.year(t, SHEET)},0)"),
                          r.apprenticeship_levy[0, g], key=f"levy:{group.name}")
        parts = [rows["pay_bill"], rows["employer_ni"], rows["employer_pension"], share]
        whole.append(_total(r, g))
        totals.append(model.row(sheet, group.name, "whole cost", lambda t, parts=parts: "+".join(
            p.year(t, SHEET) for p in parts), whole[-1], total=True, key=f"group_total:{group.name}"))
    model.row(sheet, "Workforce total", "every group's whole cost", lambda t: "+".join(x.year(t, SHEET) for x in totals),
              sum(whole, np.zeros(model.years)), total=True, key="workforce:total")
    for measure, key in (("employer NI", "employer_ni"), ("employer pension", "employer_pension")):
        refs = [per_group[group.name][key] for _, group in groups]
        model.row(sheet, f"Total {measure}", "", lambda t, refs=refs: "+".join(x.year(t, SHEET) for x in refs),
                  getattr(r, key)[0].sum(axis=0), key=f"workforce:{key}")


def _total(r, g: int) -> np.ndarray:
    return r.pay_bill[0, g] + r.employer_ni[0, g] + r.employer_pension[0, g] + r.apprenticeship_levy[0, g]


def _rates(model: Model, sheet: Sheet) -> dict:
    """The on-cost rates and NI threshold by year: the base-year input, then each projection year's."""
    sheet.heading("Employer on-costs by year (column E: the base year)", gap=False)
    out = {}
    for key, label, base, series, unit, kind in (
            ("ni_rate", "Employer NI rate", "workforce.employer_ni.base_rate", "workforce.employer_ni.rate",
             "% of pay", "rate"),
            ("threshold", "NI secondary threshold", "workforce.employer_ni.base_threshold",
             "workforce.employer_ni.threshold", "£ a year per employee", "pounds"),
            ("pension", "Employer pension rate", "workforce.employer_pension.base_rate",
             "workforce.employer_pension.rate", "% of pay", "rate")):
        first, later = model.inputs[base], model.inputs[series]
        values = model.input_values(series)
        values[0] = float(model.params[base].value)
        out[key] = model.row(sheet, label, "", lambda t, first=first, later=later: (
            first.base(SHEET) if t == 0 else later.year(t, SHEET)), values, unit=unit, kind=kind)
    return out


def _group(model: Model, sheet: Sheet, g: int, group, rates: dict) -> dict:
    r, inputs = model.r, model.inputs
    p = f"workforce.groups[{group.name}]"
    fte, salary, award = inputs[f"{p}.fte"], inputs[f"{p}.average_salary"], inputs[f"{p}.pay_award"]
    drift, vacancy = inputs[f"{p}.drift"], inputs[f"{p}.vacancy"]
    heads = inputs.get(f"{p}.headcount") or fte
    F, S, D, V, H = (x.value(SHEET) for x in (fte, salary, drift, vacancy, heads))
    sheet.heading(f"{group.name}: pay bill and on-costs")
    pay_rise = model.row(sheet, group.name, "salary per FTE, with pay awards", lambda t: (
        S if t == 0 else f"{sheet.previous(t)}*(1+{award.year(t, SHEET)})"),
        r.average_salary[0, g], unit="£ a year", kind="pounds")
    out = {"pay_bill": model.row(sheet, group.name, "pay bill", lambda t: (
        f"{F}*{pay_rise.year(t, SHEET)}*(1+{D})*(1-{V})/Pounds_per_unit"), r.pay_bill[0, g],
        key=f"pay_bill:{group.name}")}
    employees = float(group.headcount if group.headcount is not None else group.fte) * (1 - group.vacancy)
    per_employee = model.row(sheet, group.name, "pay per employee (D: employees)", lambda t: (
        f"{F}*(1+{D})/{H}*{pay_rise.year(t, SHEET)}"),
        float(group.fte) * (1 + group.drift) / float(group.headcount or group.fte) * r.average_salary[0, g],
        unit="£ a year", kind="pounds", value=Formula(f"{H}*(1-{V})", employees), value_kind="number")
    people = per_employee.value(SHEET)
    ni, threshold, pension = rates["ni_rate"], rates["threshold"], rates["pension"]
    out["employer_ni"] = model.row(sheet, group.name, "employer NI", lambda t: (
        f"{ni.year(t, SHEET)}*MAX({per_employee.year(t, SHEET)}-{threshold.year(t, SHEET)},0)*{people}"
        "/Pounds_per_unit"), r.employer_ni[0, g], key=f"employer_ni:{group.name}")
    out["employer_pension"] = model.row(sheet, group.name, "employer pension", lambda t: (
        f"{pension.year(t, SHEET)}*{out['pay_bill'].year(t, SHEET)}"), r.employer_pension[0, g],
        key=f"employer_pension:{group.name}")
    return out
