"""Explainers for the capital programme: the plan's capital lines and capital.csv's figures.

``lines[Capital financing (MRP and interest)].cost[year]`` and
``lines[Revenue contributions to capital].cost[year]`` (the plan's lines), and
``capital[<scheme>].<debt_charges|mrp|interest|revenue>[year]`` (``capital[Existing debt]
.debt_charges[year]`` for the charges on old debt). Numbers are the engine's own (draw 0).
"""
from __future__ import annotations

from typing import Callable

from mtfpmodel.analysis.explain.context import Context, Explanation, capital_item_names, sum_lines
from mtfpmodel.analysis.explain.lines import line_cost as budget_line_cost
from mtfpmodel.engine.capital import BORROWING, REVENUE
from mtfpmodel.engine.financing import schedule_factors
from mtfpmodel.results.capital import EXISTING
from mtfpmodel.scenario.capital import CONTRIBUTIONS_LINE, FINANCING_LINE
from mtfpmodel.scenario.units import percent

def _scheme(ctx: Context, name: str) -> int:
    return [s.name for s in ctx.result.scenario.capital_programme].index(name)


def line_cost(ctx: Context, name: str, t: int, path: str) -> Explanation:
    """A budget line, or one of the plan's two capital lines."""
    if name == FINANCING_LINE:
        return _financing_line(ctx, t, path)
    if name == CONTRIBUTIONS_LINE:
        return _contributions_line(ctx, t, path)
    return budget_line_cost(ctx, name, t, path)


def _financing_line(ctx: Context, t: int, path: str) -> Explanation:
    r, year = ctx.r, ctx.year(t)
    names = capital_item_names(ctx.result.scenario, "debt_charges")
    parts = [(n, float(r.capital_mrp[0, c, t] + r.capital_interest[0, c, t]))
             for c, n in enumerate(names) if n != EXISTING]
    if EXISTING in names:
        parts.append((EXISTING, float(r.existing_debt_charges[0, t])))
    value = float(r.capital_financing[0, t])
    return Explanation(path, value, ctx.result.units,
                       "capital financing = existing debt charges + sum over schemes of (MRP + interest)",
                       sum_lines(ctx, parts, value), tuple(f"capital[{n}].debt_charges[{year}]" for n in names))


def _contributions_line(ctx: Context, t: int, path: str) -> Explanation:
    r, year = ctx.r, ctx.year(t)
    schemes = ctx.result.scenario.capital_programme
    parts = [(s.name, float(r.capital_spend[0, c, REVENUE, t])) for c, s in enumerate(schemes)]
    value = float(r.revenue_contributions[0, t])
    return Explanation(path, value, ctx.result.units,
                       "revenue contributions to capital = sum over schemes of spend financed from revenue",
                       sum_lines(ctx, parts, value), tuple(f"capital[{s.name}].revenue[{year}]" for s in schemes))


def debt_charges(ctx: Context, name: str, t: int, path: str) -> Explanation:
    r, year = ctx.r, ctx.year(t)
    if name == EXISTING:
        value = float(r.existing_debt_charges[0, t])
        given = ctx.result.scenario.capital_financing.existing_debt_charges
        how = "the base-year amount (base:)" if t == 0 or given.values is None else "the profile given (values:)"
        return Explanation(path, value, ctx.result.units, f"existing debt charges = {how}", (f"= {ctx.money(value)}",))
    c = _scheme(ctx, name)
    mrp, interest = float(r.capital_mrp[0, c, t]), float(r.capital_interest[0, c, t])
    return Explanation(path, mrp + interest, ctx.result.units, "debt_charges = MRP + interest",
                       (f"= {ctx.money(mrp)} + {ctx.money(interest)} = {ctx.money(mrp + interest)}",),
                       (f"capital[{name}].mrp[{year}]", f"capital[{name}].interest[{year}]"))


def _tranches(ctx: Context, name: str, t: int, which: int) -> tuple[str, tuple[str, ...]]:
    """Working for MRP (which = 0) or interest (1): one row per tranche borrowed before year t."""
    capital = ctx.inputs.capital
    c = _scheme(ctx, name)
    scheme = ctx.result.scenario.capital_programme[c]
    rows = []
    for s in range(1, t):
        k = t - s
        principal = float(capital.spend[0, c, BORROWING, s])
        if not principal or k > scheme.life:
            continue
        rate = float(capital.rate[0, s])
        factor = float(schedule_factors(capital.rate[:1, s], scheme.life, scheme.method, k)[which][0, k - 1])
        what = "MRP" if which == 0 else "interest"
        rows.append(f"  borrowed {ctx.money(principal)} in {ctx.year(s)} at {percent(rate, 2)}: {what} in year "
                    f"{k} of {scheme.life} = {ctx.money(principal)} × {factor:.6f} = {ctx.money(principal * factor)}")
    rule = ({"annuity": "annuity MRP P×r×(1+r)^(k−1)/((1+r)^n − 1)", "straight_line": "straight-line MRP P/n"}
            [scheme.method] if which == 0 else "interest r × the balance still owed after earlier MRP")
    return (f"sum over each year's borrowing of its {rule} (n = {scheme.life} years), from the year after "
            "it is borrowed"), tuple(rows)


def _schedule(which: int, array: str) -> Callable:
    def handler(ctx: Context, name: str, t: int, path: str) -> Explanation:
        value = float(getattr(ctx.r, array)[0, _scheme(ctx, name), t])
        equation, rows = _tranches(ctx, name, t, which)
        return Explanation(path, value, ctx.result.units, f"{('mrp', 'interest')[which]} = {equation}",
                           rows + (f"= {ctx.money(value)}",))
    return handler


def revenue(ctx: Context, name: str, t: int, path: str) -> Explanation:
    value = float(ctx.r.capital_spend[0, _scheme(ctx, name), REVENUE, t])
    return Explanation(path, value, ctx.result.units,
                       "revenue = spend financed from the revenue budget, as given (revenue spending in its year)",
                       (f"= {ctx.money(value)}",))


CAPITAL_HANDLERS = {
    ("lines", "cost"): line_cost, ("capital", "debt_charges"): debt_charges,
    ("capital", "mrp"): _schedule(0, "capital_mrp"), ("capital", "interest"): _schedule(1, "capital_interest"),
    ("capital", "revenue"): revenue,
}
