"""Explainers for budget lines and their drivers: a line's cost, a pay group, a contract.

Paths: ``lines[<line>].cost[year]``, ``workforce[<group>].<pay_bill|employer_ni|employer_pension|
apprenticeship_levy|total_cost>[year]`` and ``contracts[<contract>].cost[year]``. Each reads the
engine's own arrays (draw 0).
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.analysis.explain.context import Context, Explanation
from mtfpmodel.analysis.explain.context import one_plus, pct as _pct
from mtfpmodel.engine.workforce import MEASURES
from mtfpmodel.scenario.units import fixed

WORKFORCE_FIGURES = (*MEASURES, "total_cost")


def _at(array: np.ndarray, i: int, t: int) -> float:
    return float(array[0, i, t])


def line_cost(ctx: Context, name: str, t: int, path: str) -> Explanation:
    """The cost-mix parts (grown by inflation and volume), plus the workforce share and contracts."""
    inputs, r = ctx.inputs, ctx.r
    line = inputs.layout.line_index(name)
    spec = ctx.result.scenario.expenditure[line]
    value = _at(r.line_cost, line, t)
    volume_line = spec.volume is not None
    rows, parts, terms = [], [], []
    for k in np.flatnonzero(inputs.component_line == line):
        part = inputs.layout.components[k][1]
        now = _at(r.component_cost, k, t)
        parts.append(now)
        if t == 0:
            rows.append(f"  {part} ({_pct(spec.cost_mix[part])} of the {'cost' if volume_line else 'rest of the base'})"
                        f" = {ctx.money(now)}")
            continue
        rate = float(inputs.component_rate[0, k, t])
        before = _at(r.component_cost, k, t - 1)
        if volume_line:
            growth = _at(r.line_volume, line, t) / _at(r.line_volume, line, t - 1) - 1.0 if _at(
                r.line_volume, line, t - 1) else 0.0
            rows.append(f"  {part}: {ctx.money(before)} × ({one_plus(rate)} {part}) × ({one_plus(growth)} volume)"
                        f" = {ctx.money(now)}")
        else:
            demand = float(inputs.volumes.growth[0, line, t])
            rows.append(f"  {part}: {ctx.money(before)} × ({one_plus(rate)} {part}) × ({one_plus(demand)} demand)"
                        f" = {ctx.money(now)}")
    for label, array in (("workforce share (pay_from)", r.line_workforce), ("contracts", r.line_contracts)):
        amount = _at(array, line, t)
        if amount:
            rows.append(f"  {label} = {ctx.money(amount)}")
            parts.append(amount)
    terms += [f"contracts[{c.name}].cost[{ctx.year(t)}]" for c in ctx.result.scenario.contracts if c.line == name]
    terms += [f"workforce[{g}].total_cost[{ctx.year(t)}]" for g in spec.pay_from]
    if volume_line:
        unit = float(r.line_unit_cost[0, line, t])
        rows.insert(0, f"  volume {fixed(_at(r.line_volume, line, t), 1)} × £{fixed(unit, 2)} a period × "
                       f"{spec.periods_per_year:g} periods / {fixed(inputs.unit, 0)} = {ctx.money(value)}")
        equation = "cost = volume × unit cost (inflated by the cost mix) × periods_per_year / unit"
    elif t == 0:
        equation = "cost = the base-year budget: its workforce share and contracts, and the rest split by cost mix"
    else:
        equation = f"cost = sum over cost-mix parts of cost[{ctx.year(t - 1)}] × (1 + inflation) × (1 + demand)"
    if len(parts) > len(np.flatnonzero(inputs.component_line == line)):
        equation += ", plus the workforce share and contracts"
    total = (f"= {' + '.join(ctx.money(p) for p in parts)} = {ctx.money(value)}",) if len(parts) > 1 else ()
    return Explanation(path, value, ctx.result.units, equation, tuple(rows) + total, tuple(terms))


def workforce_figure(figure: str):
    """Explainer of one workforce figure of a pay group."""
    def handler(ctx: Context, name: str, t: int, path: str) -> Explanation:
        return _WORKFORCE[figure](ctx, name, t, path)
    return handler


def _group(ctx: Context, name: str):
    workforce = ctx.result.scenario.workforce
    g = [group.name for group in workforce.groups].index(name)
    return g, workforce.groups[g], ctx.inputs.workforce


def _pay_bill(ctx, name, t, path):
    g, group, w = _group(ctx, name)
    salary = float(w.salary[0, g] * np.cumprod(1.0 + w.award[0, g])[t])
    value = _at(ctx.r.pay_bill, g, t)
    return Explanation(path, value, ctx.result.units,
                       "pay_bill = fte × average salary (with pay awards) × (1 + drift) × (1 − vacancy) / unit",
                       (f"= {fixed(group.fte, 1)} × £{fixed(salary, 2)} × ({one_plus(float(w.drift[0, g]))}) × "
                        f"(1 − {_pct(float(w.vacancy[0, g]))}) / {fixed(w.unit, 0)} = {ctx.money(value)}",))


def _employer_ni(ctx, name, t, path):
    g, group, w = _group(ctx, name)
    value = _at(ctx.r.employer_ni, g, t)
    employees = float(w.headcount[0, g] * (1.0 - w.vacancy[0, g]))
    pay = _at(ctx.r.pay_bill, g, t) * w.unit / employees if employees else 0.0
    rate, threshold = float(w.ni_rate[0, t]), float(w.ni_threshold[0, t])
    return Explanation(path, value, ctx.result.units,
                       "employer_ni = rate × max(pay per employee − secondary threshold, 0) × employees / unit",
                       (f"= {_pct(rate)} × max(£{fixed(pay, 2)} − £{fixed(threshold, 0)}, 0) × {fixed(employees, 1)} / "
                        f"{fixed(w.unit, 0)} = {ctx.money(value)}",),
                       (f"workforce[{name}].pay_bill[{ctx.year(t)}]",))


def _employer_pension(ctx, name, t, path):
    g, _, w = _group(ctx, name)
    value, pay = _at(ctx.r.employer_pension, g, t), _at(ctx.r.pay_bill, g, t)
    return Explanation(path, value, ctx.result.units, "employer_pension = pension rate × pay_bill",
                       (f"= {_pct(float(w.pension_rate[0, t]))} × {ctx.money(pay)} = {ctx.money(value)}",),
                       (f"workforce[{name}].pay_bill[{ctx.year(t)}]",))


def _levy(ctx, name, t, path):
    g, _, w = _group(ctx, name)
    value, pay = _at(ctx.r.apprenticeship_levy, g, t), _at(ctx.r.pay_bill, g, t)
    total = float(ctx.r.pay_bill[0, :, t].sum())
    allowance = float(w.levy_allowance[0])
    return Explanation(path, value, ctx.result.units,
                       "apprenticeship_levy = rate × max(whole pay bill − allowance, 0) × this group's share of the pay bill",
                       (f"= {_pct(float(w.levy_rate[0]))} × max({ctx.money(total)} − {ctx.money(allowance)}, 0) × "
                        f"{ctx.money(pay)} / {ctx.money(total)} = {ctx.money(value)}",),
                       (f"workforce[{name}].pay_bill[{ctx.year(t)}]",))


def _total(ctx, name, t, path):
    g, _, _ = _group(ctx, name)
    parts = [_at(getattr(ctx.r, m), g, t) for m in MEASURES]
    value = sum(parts)
    return Explanation(path, value, ctx.result.units,
                       "total_cost = pay_bill + employer_ni + employer_pension + apprenticeship_levy",
                       ("= " + " + ".join(ctx.money(p) for p in parts) + f" = {ctx.money(value)}",),
                       tuple(f"workforce[{name}].{m}[{ctx.year(t)}]" for m in MEASURES))


_WORKFORCE = {"pay_bill": _pay_bill, "employer_ni": _employer_ni, "employer_pension": _employer_pension,
              "apprenticeship_levy": _levy, "total_cost": _total}


def contract_cost(ctx: Context, name: str, t: int, path: str) -> Explanation:
    """contract[t] = contract[t-1] × (1 + uplift[t]); the uplift from the clause or the line's prices."""
    contracts = ctx.result.scenario.contracts
    n = [c.name for c in contracts].index(name)
    spec, c = contracts[n], ctx.inputs.contracts
    value = _at(ctx.r.contract_cost, n, t)
    if t == 0:
        return Explanation(path, value, ctx.result.units, "cost = the contract's base-year value (part of its line)",
                           (f"= {ctx.money(value)}",))
    before, uplift = _at(ctx.r.contract_cost, n, t - 1), _at(ctx.r.contract_uplift, n, t)
    if c.in_term[n, t]:
        lagged = float(c.index[0, n, max(t - spec.lag, 0)])
        bounds = ", ".join(x for x in (f"collar {_pct(spec.collar)}" if spec.collar is not None else "",
                                       f"cap {_pct(spec.cap)}" if spec.cap is not None else "") if x) or "no cap or collar"
        how = f"uplift = index {spec.lag} year(s) before ({_pct(lagged)}), within {bounds} = {_pct(uplift)}"
    else:
        how = f"outside the contract's term: uplift = the rise in its line's prices = {_pct(uplift)}"
    return Explanation(path, value, ctx.result.units, f"cost = cost[{ctx.year(t - 1)}] × (1 + uplift)",
                       (f"  {how}", f"= {ctx.money(before)} × ({one_plus(uplift)}) = {ctx.money(value)}"),
                       (f"contracts[{name}].cost[{ctx.year(t - 1)}]",))


LINE_HANDLERS = {
    ("lines", "cost"): line_cost, ("contracts", "cost"): contract_cost,
    **{("workforce", figure): workforce_figure(figure) for figure in WORKFORCE_FIGURES},
}
