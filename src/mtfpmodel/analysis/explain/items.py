"""Explainers for the figures of one item: a pressure, a funding source, a savings stream.

Each takes (context, item name, year index t, path) and returns an
:class:`~mtfpmodel.analysis.explain.context.Explanation` built from the engine's arrays (draw 0). See
:mod:`mtfpmodel.analysis.explain` for the path spelling.
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.analysis.explain.context import Context, Explanation, sum_lines
from mtfpmodel.analysis.explain.context import one_plus, pct as _pct
from mtfpmodel.engine.financing import payment_factors
from mtfpmodel.engine.parameters import funding_sources
from mtfpmodel.scenario.units import fixed


def pressure_level(ctx: Context, name: str, t: int, path: str) -> Explanation:
    """Level = sum of amounts arising up to t (recurring) or that year's amount (one-off)."""
    i = [p.name for p in ctx.result.scenario.pressures].index(name)
    amounts = ctx.inputs.pressure_amount[0, i]
    value = float(ctx.r.pressure_level[0, i, t])
    if not ctx.inputs.pressure_recurring[i]:
        return Explanation(path, value, ctx.result.units, "level = the amount arising this year (one-off pressure)",
                           (f"= {ctx.money(value)}",))
    parts = [(f"arising {ctx.year(s)}", float(amounts[s])) for s in range(1, t + 1)]
    return Explanation(path, value, ctx.result.units,
                       f"level = sum of the amounts arising up to {ctx.year(t)} (recurring pressure)",
                       sum_lines(ctx, parts, value))


def source_amount(ctx: Context, name: str, t: int, path: str) -> Explanation:
    """Council tax, business rates or a grant."""
    if name == "council_tax":
        return _council_tax(ctx, t, path)
    prefixes = [p for p, _ in funding_sources(ctx.result.scenario)]
    s = [("business_rates" if p == "funding.business_rates" else p[len("funding.grants["):-1]) for p in prefixes].index(name)
    value = float(ctx.r.source_amount[0, s, t])
    if t == 0:
        return Explanation(path, value, ctx.result.units, "base-year amount as given (base:)", (f"= {ctx.money(value)}",))
    if ctx.inputs.source_given[s]:
        return Explanation(path, value, ctx.result.units, "amount as given year by year (values:)",
                           (f"= {ctx.money(value)}",))
    before, growth = float(ctx.r.source_amount[0, s, t - 1]), float(ctx.inputs.source_growth[0, s, t])
    return Explanation(path, value, ctx.result.units, f"amount = amount[{ctx.year(t - 1)}] × (1 + growth)",
                       (f"= {ctx.money(before)} × ({one_plus(growth)}) = {ctx.money(value)}",),
                       (f"funding[{name}].amount[{ctx.year(t - 1)}]",))


def _council_tax(ctx: Context, t: int, path: str) -> Explanation:
    r, unit = ctx.r, ctx.inputs.unit
    base, band_d = float(r.tax_base[0, t]), float(r.band_d[0, t])
    fund = float(ctx.inputs.collection_fund[0, t])
    value = float(r.council_tax[0, t])
    return Explanation(path, value, ctx.result.units,
                       f"council tax = tax_base × band_d / {fixed(unit, 0)} + collection_fund",
                       (f"= {fixed(base, 1)} × £{fixed(band_d, 2)} / {fixed(unit, 0)} + {ctx.money(fund)} = {ctx.money(value)}",),
                       (f"funding[council_tax].tax_base[{ctx.year(t)}]", f"funding[council_tax].band_d[{ctx.year(t)}]"))


def tax_base(ctx: Context, name: str, t: int, path: str) -> Explanation:
    value = float(ctx.r.tax_base[0, t])
    if t == 0:
        return Explanation(path, value, "Band D equivalents", "tax_base as given for the base year",
                           (f"= {fixed(value, 1)}",))
    before, growth = float(ctx.r.tax_base[0, t - 1]), float(ctx.inputs.tax_base_growth[0, t])
    return Explanation(path, value, "Band D equivalents", f"tax_base = tax_base[{ctx.year(t - 1)}] × (1 + tax_base_growth)",
                       (f"= {fixed(before, 1)} × ({one_plus(growth)}) = {fixed(value, 1)}",),
                       (f"funding[council_tax].tax_base[{ctx.year(t - 1)}]",))


def band_d(ctx: Context, name: str, t: int, path: str) -> Explanation:
    value = float(ctx.r.band_d[0, t])
    if t == 0:
        return Explanation(path, value, "£", "band_d as given for the base year", (f"= £{fixed(value, 2)}",))
    params = ctx.result.params
    parts = {p: float(params[f"funding.council_tax.increase.{p}"].value[t - 1])
             for p in ctx.result.scenario.funding.council_tax.increase}
    increase = " + ".join(f"{_pct(v)} {p}" for p, v in parts.items()) or "0%"
    before = float(ctx.r.band_d[0, t - 1])
    return Explanation(path, value, "£", f"band_d = band_d[{ctx.year(t - 1)}] × (1 + sum of increase parts)",
                       (f"= £{fixed(before, 2)} × (1 + {increase}) = £{fixed(value, 2)}",),
                       (f"funding[council_tax].band_d[{ctx.year(t - 1)}]",))


# --- savings streams ---------------------------------------------------------------------------

def _stream(ctx: Context, name: str):
    n = [s.name for s in ctx.result.scenario.savings].index(name)
    return n, ctx.result.scenario.savings[n], ctx.inputs.streams[n]


def _at(array: np.ndarray, n: int, t: int) -> float:
    return float(array[min(0, array.shape[0] - 1), n, t])


def net_saving(ctx: Context, name: str, t: int, path: str) -> Explanation:
    n, _, _ = _stream(ctx, name)
    gross, financing = _at(ctx.r.stream_gross, n, t), _at(ctx.r.stream_financing, n, t)
    value = _at(ctx.r.stream_net, n, t)
    year = ctx.year(t)
    return Explanation(path, value, ctx.result.units, "net_saving = gross_saving − financing_cost",
                       (f"= {ctx.money(gross)} − {ctx.money(financing)} = {ctx.money(value)}",),
                       (f"savings[{name}].gross_saving[{year}]", f"savings[{name}].financing_cost[{year}]"))


def gross_saving(ctx: Context, name: str, t: int, path: str) -> Explanation:
    n, stream, compiled = _stream(ctx, name)
    value = _at(ctx.r.stream_gross, n, t)
    if t == 0:
        return Explanation(path, value, ctx.result.units, "no savings in the base year", ("= 0",))
    equation, working = _KINDS.get(stream.kind, _generic)(ctx, stream, compiled.arrays, t)
    return Explanation(path, value, ctx.result.units, equation, working + (f"= {ctx.money(value)}",))


def _fixed(ctx, stream, a, t):
    saving = a.saving[0]
    if not a.recurring:
        return "gross_saving = the saving delivered this year (one-off)", ()
    parts = " + ".join(ctx.money(float(saving[s])) for s in range(1, t + 1))
    return f"gross_saving = sum of new savings delivered up to {ctx.year(t)} (recurring)", (f"= {parts}",)


def _share_of_line(ctx, stream, a, t):
    r = ctx.r
    cost = float(r.line_cost[0, a.line, t] if a.component is None else r.component_cost[0, a.component, t])
    what = stream.line if stream.component is None else f"{stream.component} part of {stream.line}"
    return ("gross_saving = projected cost × reduction × phasing",
            (f"= {ctx.money(cost)} ({what}) × {_pct(float(a.reduction[0]))} × {_pct(float(a.phasing[0, t]))}",))


def _unit_cost(ctx, stream, a, t):
    index = float(np.cumprod(1.0 + a.growth[0])[t])
    if a.moves_from is not None:
        line = a.moves_from
        volume, moved = float(ctx.r.line_volume[0, line, t]), float(a.volume[0, t])
        unit = float(ctx.r.line_unit_cost[0, line, t])
        periods = float(ctx.inputs.volumes.periods[0, line])
        low = float(a.cost_to[0]) * index
        return (f"gross_saving = moved volume × ({stream.moves_from} unit cost × its periods − unit_cost_to, "
                "grown, × periods_per_year) / unit",
                (f"= {min(moved, volume):g} × (£{fixed(unit, 2)} × {periods:g} − £{fixed(low, 2)} × {float(a.periods[0]):g})"
                 f" / {fixed(a.unit, 0)}",))
    high, low = float(a.cost_from[0]) * index, float(a.cost_to[0]) * index
    return ("gross_saving = volume × (unit_cost_from − unit_cost_to, grown) × periods_per_year / unit",
            (f"= {float(a.volume[0, t]):g} × (£{fixed(high, 2)} − £{fixed(low, 2)}) × {float(a.periods[0]):g} / {fixed(a.unit, 0)}",))


def _generic(ctx, stream, a, t):
    return f"gross_saving as computed by the '{stream.kind}' kind", ()


_KINDS = {"fixed": _fixed, "share_of_line": _share_of_line, "unit_cost": _unit_cost}


def financing_cost(ctx: Context, name: str, t: int, path: str) -> Explanation:
    n, stream, compiled = _stream(ctx, name)
    value = _at(ctx.r.stream_financing, n, t)
    if compiled.capital is None:
        return Explanation(path, value, ctx.result.units, "no capital: no financing cost", ("= 0",))
    cap = stream.capital
    factors = payment_factors(compiled.interest_rate[:1], compiled.life, compiled.method)[0]
    rows = []
    for s in range(1, t):
        k = t - s
        amount = float(compiled.capital[0, s])
        if amount and k <= compiled.life:
            rows.append(f"  capital {ctx.money(amount)} spent {ctx.year(s)}: repayment {k} of {cap.life} = "
                        f"{ctx.money(amount)} × {factors[k - 1]:.6f} = {ctx.money(amount * factors[k - 1])}")
    return Explanation(path, value, ctx.result.units,
                       f"financing_cost = sum over each year's capital spend of its {cap.method} repayment "
                       f"({cap.life} years at {_pct(float(compiled.interest_rate[0]))}), from the year after spend",
                       tuple(rows) + (f"= {ctx.money(value)}",))


def implementation_cost(ctx: Context, name: str, t: int, path: str) -> Explanation:
    n, stream, _ = _stream(ctx, name)
    value = _at(ctx.r.stream_implementation, n, t)
    where = {"revenue": "adds to one_off_costs and so to the net gap", "reserves": "drawn from reserves",
             "capital_receipts": "met from capital receipts, outside the revenue account"}[stream.funded_by]
    return Explanation(path, value, ctx.result.units,
                       f"implementation_cost as given; funded_by {stream.funded_by}: {where}", (f"= {ctx.money(value)}",))


ITEM_HANDLERS = {
    ("pressures", "level"): pressure_level,
    ("funding", "amount"): source_amount, ("funding", "tax_base"): tax_base, ("funding", "band_d"): band_d,
    ("savings", "net_saving"): net_saving, ("savings", "gross_saving"): gross_saving,
    ("savings", "financing_cost"): financing_cost, ("savings", "implementation_cost"): implementation_cost,
}
