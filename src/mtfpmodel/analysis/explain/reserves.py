"""Explainers for the reserves: each reserve's year (``reserves[<name>].<column>[year]``, the
columns of reserves.csv) and the summary's reserve figures (planned use, savings still to find,
unplanned use, unfunded gap, reserves drawn, closing and minimum reserves, usable %).

Each reads the engine's own arrays (draw 0): the numbers shown are the run's.
"""
from __future__ import annotations

from mtfpmodel.analysis.explain.context import Context, Explanation, sum_lines
from mtfpmodel.analysis.explain.context import summary_path as _spath
from mtfpmodel.analysis.explain.context import summary_value as _s
from mtfpmodel.results.reserves import COLUMNS  # the columns of reserves.csv
from mtfpmodel.scenario.units import percent


def _reserves(ctx: Context):
    return [r for _, r in ctx.result.scenario.reserve_list]


def _index(ctx: Context, name: str) -> int:
    return [r.name for r in _reserves(ctx)].index(name)


def _flow(ctx: Context, column: str, r: int, t: int) -> float:
    return float(getattr(ctx.r.reserve_flows, column)[0, r, t])


def _rpath(name: str, column: str, ctx: Context, t: int) -> str:
    return f"reserves[{name}].{column}[{ctx.year(t)}]"


# --- one reserve's year -----------------------------------------------------------------------

def reserve_figure(column: str):
    def handler(ctx: Context, name: str, t: int, path: str) -> Explanation:
        return _HANDLERS[column](ctx, name, _index(ctx, name), t, path)
    return handler


def _opening(ctx, name, r, t, path):
    value = _flow(ctx, "opening", r, t)
    if t <= 1:
        return Explanation(path, value, ctx.result.units, "opening = the reserve's opening balance as given",
                           (f"= {ctx.money(value)}",))
    return Explanation(path, value, ctx.result.units, f"opening = closing[{ctx.year(t - 1)}]",
                       (f"= {ctx.money(value)}",), (_rpath(name, "closing", ctx, t - 1),))


def _contributions(ctx, name, r, t, path):
    value = _flow(ctx, "contributions", r, t)
    return Explanation(path, value, ctx.result.units, "contributions as given (budgeted: spending, added to net "
                       "expenditure)", (f"= {ctx.money(value)}",))


def _planned(ctx, name, r, t, path):
    value = _flow(ctx, "planned_use", r, t)
    wanted = float(ctx.inputs.reserves.planned_use[0, r, t])
    balance = _flow(ctx, "opening", r, t) + _flow(ctx, "contributions", r, t)
    return Explanation(path, value, ctx.result.units,
                       "planned_use drawn = min(planned use as given, balance after contributions)",
                       (f"= min({ctx.money(wanted)}, {ctx.money(balance)}) = {ctx.money(value)}",),
                       (_rpath(name, "opening", ctx, t), _rpath(name, "contributions", ctx, t)))


def _costs(ctx, name, r, t, path):
    value = _flow(ctx, "implementation_costs", r, t)
    first = ctx.inputs.reserves.first
    if first != r:
        return Explanation(path, value, ctx.result.units, "implementation costs are met only from the first "
                           "reserve that meets gaps; not this one", ("= 0",))
    costs = _s(ctx, "reserve_funded_costs", t)
    balance = _flow(ctx, "opening", r, t) + _flow(ctx, "contributions", r, t) - _flow(ctx, "planned_use", r, t)
    return Explanation(path, value, ctx.result.units,
                       "implementation_costs = min(reserve-funded implementation costs, balance after planned use)",
                       (f"= min({ctx.money(costs)}, {ctx.money(balance)}) = {ctx.money(value)}",),
                       (_rpath(name, "planned_use", ctx, t),))


def _unplanned(ctx, name, r, t, path):
    value = _flow(ctx, "unplanned_use", r, t)
    if not ctx.inputs.reserves.meets_gap[r]:
        return Explanation(path, value, ctx.result.units, "this reserve does not meet gaps (meets_gap false or "
                           "ring-fenced)", ("= 0",))
    before = sum(_flow(ctx, "unplanned_use", k, t) for k in range(r))
    need = max(_s(ctx, "savings_still_to_find", t), 0.0)
    balance = (_flow(ctx, "opening", r, t) + _flow(ctx, "contributions", r, t) - _flow(ctx, "planned_use", r, t)
               - _flow(ctx, "implementation_costs", r, t))
    return Explanation(path, value, ctx.result.units,
                       "unplanned_use = min(savings still to find (0 in a surplus) less what reserves listed "
                       "before met, balance after planned use and costs)",
                       (f"= min({ctx.money(need)} − {ctx.money(before)}, {ctx.money(balance)}) "
                        f"= {ctx.money(value)}",), (_spath("savings_still_to_find", ctx, t),))


def _surplus(ctx, name, r, t, path):
    value = _flow(ctx, "surplus_added", r, t)
    still = _s(ctx, "savings_still_to_find", t)
    if ctx.inputs.reserves.first != r:
        return Explanation(path, value, ctx.result.units, "a surplus goes only to the first reserve that meets "
                           "gaps; not this one", ("= 0",))
    return Explanation(path, value, ctx.result.units, "surplus_added = max(−savings_still_to_find, 0)",
                       (f"= max({ctx.money(-still)}, 0) = {ctx.money(value)}",), (_spath("savings_still_to_find", ctx, t),))


def _closing(ctx, name, r, t, path):
    value = _flow(ctx, "closing", r, t)
    if t == 0:
        return Explanation(path, value, ctx.result.units, "the opening balance of the first projection year",
                           (f"= {ctx.money(value)}",))
    parts = [_flow(ctx, c, r, t) for c in COLUMNS[:-1]]
    o, c, p, i, u, s = parts
    return Explanation(path, value, ctx.result.units,
                       "closing = opening + contributions − planned_use − implementation_costs − unplanned_use "
                       "+ surplus_added",
                       (f"= {ctx.money(o)} + {ctx.money(c)} − {ctx.money(p)} − {ctx.money(i)} − {ctx.money(u)} + "
                        f"{ctx.money(s)} = {ctx.money(value)}",),
                       tuple(_rpath(name, column, ctx, t) for column in COLUMNS[:-1]))


_HANDLERS = {"opening": _opening, "contributions": _contributions, "planned_use": _planned,
             "implementation_costs": _costs, "unplanned_use": _unplanned, "surplus_added": _surplus,
             "closing": _closing}
RESERVE_HANDLERS = {("reserves", column): reserve_figure(column) for column in COLUMNS}


# --- the summary's reserve figures -----------------------------------------------------------

def _over_reserves(column: str, flow: str, equation: str, usable_only: bool = False):
    def handler(ctx: Context, t: int, path: str) -> Explanation:
        chosen = [(r, res) for r, res in enumerate(_reserves(ctx)) if not (usable_only and res.ring_fenced)]
        parts = [(res.name, _flow(ctx, flow, r, t)) for r, res in chosen]
        value = _s(ctx, column, t)
        return Explanation(path, value, ctx.result.units, equation, sum_lines(ctx, parts, value),
                           tuple(_rpath(res.name, flow, ctx, t) for _, res in chosen))
    return handler


def _still_to_find(ctx, t, path):
    gap, planned, value = (_s(ctx, c, t) for c in ("net_gap", "planned_reserves_use", "savings_still_to_find"))
    return Explanation(path, value, ctx.result.units, "savings_still_to_find = net_gap − planned_reserves_use",
                       (f"= {ctx.money(gap)} − {ctx.money(planned)} = {ctx.money(value)}",),
                       (_spath("net_gap", ctx, t), _spath("planned_reserves_use", ctx, t)))


def _unfunded(ctx, t, path):
    value = _s(ctx, "unfunded_gap", t)
    costs = _s(ctx, "reserve_funded_costs", t)
    met = float(ctx.r.reserve_flows.implementation_costs[0, :, t].sum())
    need = max(_s(ctx, "savings_still_to_find", t), 0.0)
    used = _s(ctx, "unplanned_reserves_use", t)
    return Explanation(path, value, ctx.result.units,
                       "unfunded_gap = (reserve-funded costs − costs met) + (savings still to find (0 in a "
                       "surplus) − unplanned use)",
                       (f"= ({ctx.money(costs)} − {ctx.money(met)}) + ({ctx.money(need)} − "
                        f"{ctx.money(used)}) = {ctx.money(value)}",),
                       (_spath("savings_still_to_find", ctx, t), _spath("unplanned_reserves_use", ctx, t)))


def _drawn(ctx, t, path):
    planned, unplanned, value = (_s(ctx, c, t) for c in ("planned_reserves_use", "unplanned_reserves_use",
                                                          "reserves_drawn"))
    return Explanation(path, value, ctx.result.units, "reserves_drawn = planned_reserves_use + unplanned_reserves_use",
                       (f"= {ctx.money(planned)} + {ctx.money(unplanned)} = {ctx.money(value)}",),
                       (_spath("planned_reserves_use", ctx, t), _spath("unplanned_reserves_use", ctx, t)))


def _minimum(ctx, t, path):
    value = _s(ctx, "minimum_reserves", t)
    spend = _s(ctx, "net_expenditure", t)
    parts = []
    for r, res in enumerate(_reserves(ctx)):
        if res.ring_fenced:
            continue
        share = res.minimum_share
        amount = float(ctx.inputs.reserves.minimum[0, r])
        parts.append((f"{res.name}: {percent(amount)} × {ctx.money(spend)}" if share is not None else res.name,
                      amount * spend if share is not None else amount))
    return Explanation(path, value, ctx.result.units, "minimum_reserves = sum over usable reserves of the minimum "
                       "(an amount, or a share of net expenditure)", sum_lines(ctx, parts, value),
                       (_spath("net_expenditure", ctx, t),))


def _pct(ctx, t, path):
    closing, spend, value = (_s(ctx, c, t) for c in ("closing_reserves", "net_expenditure", "usable_reserves_pct"))
    return Explanation(path, value, "fraction", "usable_reserves_pct = closing_reserves / net_expenditure",
                       (f"= {ctx.money(closing)} / {ctx.money(spend)} = {percent(value)}",),
                       (_spath("closing_reserves", ctx, t), _spath("net_expenditure", ctx, t)))


SUMMARY = {
    "reserve_contributions": _over_reserves("reserve_contributions", "contributions",
                                            "reserve_contributions = sum of each reserve's contributions"),
    "planned_reserves_use": _over_reserves("planned_reserves_use", "planned_use",
                                           "planned_reserves_use = sum of each reserve's planned use drawn"),
    "unplanned_reserves_use": _over_reserves("unplanned_reserves_use", "unplanned_use",
                                             "unplanned_reserves_use = sum of each reserve's unplanned use"),
    "closing_reserves": _over_reserves("closing_reserves", "closing",
                                       "closing_reserves = sum of the closing balances of usable (not ring-fenced) "
                                       "reserves", usable_only=True),
    "savings_still_to_find": _still_to_find, "unfunded_gap": _unfunded, "reserves_drawn": _drawn,
    "minimum_reserves": _minimum, "usable_reserves_pct": _pct,
}
