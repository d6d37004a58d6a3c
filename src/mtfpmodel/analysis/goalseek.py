"""Goal seek: the value of one input that makes a result meet a target, and savings needed.

``solve`` finds x with ``metric[t](x) = target``. It first projects a ladder of candidate
values across a sane range in one batched engine call to find where the result crosses the
target, then refines with Brent's method (scipy.optimize.brentq) to 1e-12. With a year, one
value is used in every projection year; with every year (``year=None``) a per-year input is
solved year by year (each year's value closes that year, given the years before), and a
single-number input is solved so that the worst year just meets the target.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
from scipy.optimize import brentq

from mtfpmodel.analysis.batch import Batch, project_batch, project_chunks
from mtfpmodel.analysis.paths import label, value_text
from mtfpmodel.engine.parameters import Parameter, collect, series_values
from mtfpmodel.results.counciltax import above_limit
from mtfpmodel.results.reserves import unmet_costs
from mtfpmodel.scenario.errors import AnalysisError
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.units import money, percent

METRICS = ("net_gap", "gross_gap", "risk_adjusted_net_gap", "incremental_gap", "savings_still_to_find",
           "closing_reserves", "reserves_above_minimum")
RESERVE_METRICS = ("closing_reserves", "reserves_above_minimum")   # the lowest year matters
LADDER = 241
RATE_RANGE = (-0.10, 0.50)


@dataclass(frozen=True)
class Solution:
    path: str
    metric: str
    target: float
    years: tuple[int, ...]          # projection-year indices t solved for (1..T)
    values: np.ndarray              # (len(years),) the value found for each
    series: np.ndarray              # the whole input as solved: (T,) or () [its unit]


class NoRoot(AnalysisError):
    """No value in the range meets the target."""


def solve(scenario: Scenario, params: Mapping[str, Parameter], path: str, metric: str, target: float,
          year: int | None, bracket: tuple[float, float] | None = None, labels=(),
          fixed: Mapping[str, float] | None = None) -> Solution:
    """The value of ``path`` that brings ``metric`` to ``target`` in projection year ``year`` (or every year),
    with the inputs ``fixed`` (path: value) held at those values in every trial."""
    param = params[path]
    fixed = dict(fixed or {})
    lo, hi = bracket or default_bracket(param, scenario)
    if year is None and param.is_series:
        series = np.array(param.value, dtype=float)
        for t in range(1, scenario.years + 1):
            def with_year_value(x, t=t):
                x = np.asarray(x, dtype=float)
                trial = np.broadcast_to(series, x.shape + series.shape).copy()
                trial[..., t - 1:] = x[..., None]
                return trial
            series[t - 1:] = _root(scenario, params, path, metric, target, [t], with_year_value, lo, hi, labels,
                                   fixed)
        return Solution(path, metric, target, tuple(range(1, scenario.years + 1)), series.copy(), series)
    years = [year] if year is not None else list(range(1, scenario.years + 1))
    shape = param.value.shape

    def constant(x):
        return np.multiply.outer(x, np.ones(shape)) if np.ndim(x) else np.full(shape, x)
    x = _root(scenario, params, path, metric, target, years, constant, lo, hi, labels, fixed)
    return Solution(path, metric, target, tuple(years), np.full(len(years), x), constant(x))


def default_bracket(param: Parameter, scenario: Scenario) -> tuple[float, float]:
    """Rates: -10% to 50%. Other values: ten times their size either way, at least +/- the base budget."""
    if param.kind == "rate":
        return RATE_RANGE
    size = float(np.abs(param.value).max()) if param.value.size else 0.0
    budget = abs(float(project_batch(scenario, collect(scenario), {}).net_expenditure[0, 0]))
    reach = 10 * size + budget
    return (-reach, reach) if param.kind in ("scalar", "amount") else (0.0, reach)


def _worst(metric: str):
    """Reserves: the lowest year matters; gaps: the highest."""
    return np.min if metric in RESERVE_METRICS else np.max


def metric_values(results, metric: str) -> np.ndarray:
    """(D, T+1) values of ``metric``; ``reserves_above_minimum`` is closing less minimum reserves,
    less the gaps reserves could not meet so far: the balance above the minimum had reserves been
    able to go below zero (with one pot of reserves exactly so; as the Monte Carlo's reserves
    needed). A plan whose reserves are empty and a gap unfunded is not "at its minimum of 0".
    Implementation costs the reserve that pays them could not meet are not counted: more in
    another reserve would not pay them (``mtfp solve`` warns when some are left unfunded)."""
    if metric == "reserves_above_minimum":
        gap_unmet = results.unfunded_gap - unmet_costs(results)
        return results.closing_reserves - results.minimum_reserves - np.cumsum(gap_unmet, axis=-1)
    return getattr(results, metric)


def _root(scenario, params, path, metric, target, years, make, lo, hi, labels, fixed) -> float:
    """x in [lo, hi] where the worst of ``metric`` over ``years`` equals ``target`` (``fixed`` held)."""
    worst = _worst(metric)
    cols = np.asarray(years)

    def excess(values: np.ndarray) -> np.ndarray:
        def fill(batch: Batch, first: int) -> None:
            batch.set(path, make(values[first:first + batch.draws]))
            for other, value in fixed.items():
                batch.set(other, value)
        result = project_chunks(scenario, params, values.size, fill, lambda results: metric_values(results, metric))
        return worst(result[:, cols], axis=1) - target

    ladder = np.linspace(lo, hi, LADDER)
    base = float(np.mean(params[path].value))
    ladder = np.unique(np.append(ladder, base if lo <= base <= hi else lo))
    found = excess(ladder)
    exact = np.flatnonzero(found == 0)
    crossings = np.flatnonzero(np.sign(found[:-1]) * np.sign(found[1:]) < 0)
    candidates = np.concatenate([exact.astype(float), crossings + 0.5])
    if candidates.size == 0:
        raise NoRoot(_no_root_message(path, metric, target, years, lo, hi, ladder, found, params[path], labels,
                                      scenario))
    nearest = candidates[np.argmin(np.abs(ladder[np.floor(candidates).astype(int)] - base))]
    if nearest == int(nearest):
        return float(ladder[int(nearest)])
    i = int(nearest)
    return brentq(lambda x: float(excess(np.array([x]))[0]), ladder[i], ladder[i + 1], xtol=1e-14, rtol=1e-14)


def _no_root_message(path, metric, target, years, lo, hi, ladder, found, param, labels, scenario) -> str:
    unit = scenario.units
    show = lambda v: value_text(v, param, scenario)  # noqa: E731
    when = f"in {labels[years[0]]}" if len(years) == 1 and labels else "in every year"
    if np.ptp(found) <= 1e-9 * max(1.0, float(np.abs(found).max())):     # the same at every value tried
        return (f"{label(path)} does not move {metric}: at any value it stays "
                f"{money(abs(float(found[0])), unit)} {'above' if found[0] > 0 else 'below'} the target (choose "
                f"another --by; {label(path)} moves other figures, such as the risk-adjusted net gap, or none)")
    best = int(np.argmin(np.abs(found)))
    side = "above" if found[best] > 0 else "below"
    what = "closes the gap" if metric.endswith("gap") and target == 0 else f"brings {metric} to {money(target, unit)}"
    return (f"no {label(path)} between {show(lo)} and {show(hi)} {what} {when}: the nearest, {show(ladder[best])}, "
            f"still leaves {metric} {money(abs(found[best]), unit)} {side} the target "
            f"(widen the search with --range LOW..HIGH, or choose another --by)")


def savings_needed(net_gap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(new recurring savings in each year, their cumulative level) that balance every year.

    Recurring savings stay in the budget, so the level needed by year t is the largest gap so far:
    ``level[t] = max(level[t-1], net_gap[t], 0)`` and ``new[t] = level[t] - level[t-1]`` (t = 1..T),
    in the scenario unit. A year whose gap falls needs no new savings (savings are not reversed).
    """
    level = np.maximum.accumulate(np.maximum(np.asarray(net_gap, dtype=float)[1:], 0.0))
    return np.diff(level, prepend=0.0), level


ZIGZAG_RATE = 0.0025      # a move of more than 0.25 percentage points counts as a rise or a fall
ZIGZAG_SHARE = 0.01       # ... or, for an amount, more than 1% of the largest value


def zigzags(values: np.ndarray, kind: str) -> bool:
    """True when year-by-year answers rise then fall (or fall then rise), each move a real one.

    Solving year by year makes each year's value close that year given the years before, so a
    value that overshoots one year is pulled back the next: 4.3%, 3.5%, 3.5%, 4.6% is a zigzag
    (down 0.8pt, then up 1.1pt); 3%, 3.5%, 4% is not. Moves of ``ZIGZAG_RATE`` or less (rates) or
    ``ZIGZAG_SHARE`` of the largest value or less (other inputs) are ignored.
    """
    values = np.asarray(values, dtype=float)
    if values.size < 3:
        return False
    tolerance = ZIGZAG_RATE if kind == "rate" else ZIGZAG_SHARE * float(np.abs(values).max())
    moves = np.diff(values)
    signs = np.sign(moves[np.abs(moves) > tolerance])
    return bool(np.any(signs[1:] != signs[:-1]))


@dataclass(frozen=True)
class Breach:
    """Years in which a council tax increase takes the total Band D rise above the referendum limit."""

    years: tuple[str, ...]
    own: float          # the solved part's increase
    total: float        # every part together
    limit: float

    def sentence(self, part: str) -> str:
        return (f"a {part} increase of {percent(self.own)} would be needed in {', '.join(self.years)} — a total Band D "
                f"rise of {percent(self.total)}, above the {percent(self.limit)} referendum limit (it would need a local "
                f"referendum)")


def referendum_breaches(scenario: Scenario, params: Mapping[str, Parameter], path: str, series: np.ndarray,
                        labels) -> list[Breach]:
    """Where ``series`` for the council tax part ``path`` (with the other parts as planned) goes above
    the scenario's ``referendum_limit``; empty for other paths or without a limit."""
    tax = scenario.funding.council_tax
    if not path.startswith("funding.council_tax.increase.") or tax.referendum_limit is None:
        return []
    T = scenario.years
    others = sum((params[f"funding.council_tax.increase.{p}"].value for p in tax.increase
                  if f"funding.council_tax.increase.{p}" != path), np.zeros(T))
    limit = series_values(tax.referendum_limit, params, T)
    total = np.broadcast_to(series, (T,)) + others
    breached = above_limit(total, limit)
    above: dict[tuple[float, float, float], list[str]] = {}
    for t in range(T):
        if breached[t]:
            key = (round(total[t] - others[t], 6), round(total[t], 6), round(limit[t], 6))
            above.setdefault(key, []).append(labels[t + 1])
    return [Breach(tuple(years), own, whole, cap) for (own, whole, cap), years in above.items()]
