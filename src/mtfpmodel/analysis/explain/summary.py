"""Explainers for the summary columns: net gap, gross gap, net expenditure, reserves..."""
from __future__ import annotations

from typing import Callable

import numpy as np

from mtfpmodel.analysis.explain.context import (
    Context,
    Explanation,
    item_names,
    sum_lines,
)
from mtfpmodel.analysis.explain.context import summary_path as _spath
from mtfpmodel.analysis.explain.context import summary_value as _s
from mtfpmodel.analysis.explain.reserves import SUMMARY as RESERVE_SUMMARY
from mtfpmodel.results.capital import plan_lines
from mtfpmodel.scenario.units import percent

# --- the summary ----------------------------------------------------------------------------

def _summary(column: str) -> Callable:
    def handler(ctx: Context, item, t: int, path: str) -> Explanation:
        return _SUMMARY[column](ctx, t, path)
    return handler


def _net_gap(ctx, t, path):
    g, s, o, v = (_s(ctx, c, t) for c in ("gross_gap", "savings", "one_off_costs", "net_gap"))
    return Explanation(path, v, ctx.result.units, "net_gap = gross_gap − savings + one_off_costs",
                       (f"= {ctx.money(g)} − {ctx.money(s)} + {ctx.money(o)} = {ctx.money(v)}",),
                       tuple(_spath(c, ctx, t) for c in ("gross_gap", "savings", "one_off_costs")))


def _gross_gap(ctx, t, path):
    e, f, v = (_s(ctx, c, t) for c in ("net_expenditure", "funding", "gross_gap"))
    return Explanation(path, v, ctx.result.units, "gross_gap = net_expenditure − funding",
                       (f"= {ctx.money(e)} − {ctx.money(f)} = {ctx.money(v)}",),
                       (_spath("net_expenditure", ctx, t), _spath("funding", ctx, t)))


def _net_expenditure(ctx, t, path):
    scenario, r = ctx.result.scenario, ctx.r
    parts = [(line.name, float(r.line_cost[0, i, t])) for i, line in enumerate(scenario.expenditure)]
    parts += [(f"pressure: {p.name}", float(r.pressure_level[0, i, t])) for i, p in enumerate(scenario.pressures)]
    terms = [f"lines[{line.name}].cost[{ctx.year(t)}]" for line in scenario.expenditure]
    terms += [f"pressures[{p.name}].level[{ctx.year(t)}]" for p in scenario.pressures]
    capital = plan_lines(r, scenario)
    parts += [(name, float(values[0, t])) for name, values in capital]
    terms += [f"lines[{name}].cost[{ctx.year(t)}]" for name, _ in capital]
    contributions = _s(ctx, "reserve_contributions", t)
    if contributions:
        parts.append(("contributions to reserves", contributions))
        terms.append(_spath("reserve_contributions", ctx, t))
    return Explanation(path, _s(ctx, "net_expenditure", t), ctx.result.units,
                       "net_expenditure = sum of line costs + sum of pressure levels"
                       + (" + capital financing" if capital else "") + " + reserve contributions",
                       sum_lines(ctx, parts, _s(ctx, "net_expenditure", t)), tuple(terms))


def _funding(ctx, t, path):
    names = item_names(ctx.result, ("funding", "amount"))
    amounts = [float(ctx.r.council_tax[0, t])] + [float(x) for x in ctx.r.source_amount[0, :, t]]
    return Explanation(path, _s(ctx, "funding", t), ctx.result.units,
                       "funding = council tax + business rates + grants",
                       sum_lines(ctx, list(zip(names, amounts)), _s(ctx, "funding", t)),
                       tuple(f"funding[{n}].amount[{ctx.year(t)}]" for n in names))


def _stream_sum(column: str, array: str, what: str, only: str | None = None):
    def handler(ctx, t, path):
        streams = ctx.result.scenario.savings
        chosen = [(n, s) for n, s in enumerate(streams) if only is None or s.funded_by == only]
        values = np.broadcast_to(getattr(ctx.r, array), (ctx.r.draws, len(streams), ctx.r.net_gap.shape[1]))
        parts = [(s.name, float(values[0, n, t])) for n, s in chosen]
        return Explanation(path, _s(ctx, column, t), ctx.result.units, what,
                           sum_lines(ctx, parts, _s(ctx, column, t)),
                           tuple(f"savings[{s.name}].{_COLUMN[array]}[{ctx.year(t)}]" for _, s in chosen))
    return handler


_COLUMN = {"stream_net": "net_saving", "stream_implementation": "implementation_cost"}


def _incremental(ctx, t, path):
    now, before = _s(ctx, "net_gap", t), _s(ctx, "net_gap", t - 1)
    previous = _spath("net_gap", ctx, t - 1) if t > 1 else f"the base-year gross gap ({ctx.year(0)})"
    return Explanation(path, _s(ctx, "incremental_gap", t), ctx.result.units,
                       f"incremental_gap = net_gap[{ctx.year(t)}] − net_gap[{ctx.year(t - 1)}]",
                       (f"= {ctx.money(now)} − {ctx.money(before)} = {ctx.money(now - before)}  (previous: {previous})",),
                       (_spath("net_gap", ctx, t),) + ((_spath("net_gap", ctx, t - 1),) if t > 1 else ()))


def _risk_adjusted(ctx, t, path):
    """gross_gap − confidence-weighted savings + one-off costs + the uncertain grants' share at risk
    (``result.grants``: (1 − certainty share) × grant)."""
    scenario, r = ctx.result.scenario, ctx.r
    net = np.broadcast_to(r.stream_net, (r.draws,) + r.stream_net.shape[1:])
    parts = [(f"{s.name}: {percent(scenario.confidence(s), 0)} × {ctx.money(net[0, n, t])}",
              scenario.confidence(s) * float(net[0, n, t])) for n, s in enumerate(scenario.savings)]
    g, o = _s(ctx, "gross_gap", t), _s(ctx, "one_off_costs", t)
    counted = sum(v for _, v in parts)
    lines = sum_lines(ctx, parts, counted)
    equation = "risk_adjusted_net_gap = gross_gap − sum of (confidence × net saving) + one_off_costs"
    grants = ctx.result.grants
    held = grants[(grants["year"] == ctx.year(t)) & (grants["share"] < 1)]
    if held.empty:
        sums = f"= {ctx.money(g)} − {ctx.money(counted)} + {ctx.money(o)} = {ctx.money(g - counted + o)}"
        return Explanation(path, _s(ctx, "risk_adjusted_net_gap", t), ctx.result.units, equation, lines + (sums,),
                           (_spath("gross_gap", ctx, t), _spath("one_off_costs", ctx, t)))
    risk = float(held["at_risk"].sum())
    at_risk = tuple(f"  grant at risk: {row['grant']}: (1 − {percent(row['share'], 0)}) × {ctx.money(row['amount'])} "
                    f"= {ctx.money(row['at_risk'])}" for _, row in held.iterrows())
    sums = (f"= {ctx.money(g)} − {ctx.money(counted)} + {ctx.money(o)} + {ctx.money(risk)} "
            f"= {ctx.money(g - counted + o + risk)}")
    terms = (_spath("gross_gap", ctx, t), _spath("one_off_costs", ctx, t),
             *(f"funding[{name}].amount[{ctx.year(t)}]" for name in held["grant"]))
    return Explanation(path, _s(ctx, "risk_adjusted_net_gap", t), ctx.result.units,
                       equation + " + sum of ((1 − certainty share) × grant)",
                       lines + at_risk + (sums,), terms)


_SUMMARY = {
    "net_gap": _net_gap, "gross_gap": _gross_gap, "net_expenditure": _net_expenditure, "funding": _funding,
    "savings": _stream_sum("savings", "stream_net", "savings = sum of each stream's net saving"),
    "one_off_costs": _stream_sum("one_off_costs", "stream_implementation",
                                 "one_off_costs = sum of implementation costs of streams funded_by revenue", "revenue"),
    "incremental_gap": _incremental, "risk_adjusted_net_gap": _risk_adjusted, **RESERVE_SUMMARY,
}

SUMMARY_HANDLERS: dict[tuple[str, str], Callable] = {("summary", c): _summary(c) for c in _SUMMARY}
