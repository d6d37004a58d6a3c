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

from mtfpmodel.analysis.batch import Batch, project_batch
from mtfpmodel.analysis.paths import label
from mtfpmodel.engine.parameters import Parameter, collect
from mtfpmodel.scenario.errors import AnalysisError
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.units import money

METRICS = ("net_gap", "gross_gap", "risk_adjusted_net_gap", "incremental_gap", "closing_reserves")
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
          year: int | None, bracket: tuple[float, float] | None = None, labels=()) -> Solution:
    """The value of ``path`` that brings ``metric`` to ``target`` in projection year ``year`` (or every year)."""
    param = params[path]
    lo, hi = bracket or default_bracket(param, scenario)
    if year is None and param.is_series:
        series = np.array(param.value, dtype=float)
        for t in range(1, scenario.years + 1):
            def with_year_value(x, t=t):
                x = np.asarray(x, dtype=float)
                trial = np.broadcast_to(series, x.shape + series.shape).copy()
                trial[..., t - 1:] = x[..., None]
                return trial
            series[t - 1:] = _root(scenario, params, path, metric, target, [t], with_year_value, lo, hi, labels)
        return Solution(path, metric, target, tuple(range(1, scenario.years + 1)), series.copy(), series)
    years = [year] if year is not None else list(range(1, scenario.years + 1))
    shape = param.value.shape

    def constant(x):
        return np.multiply.outer(x, np.ones(shape)) if np.ndim(x) else np.full(shape, x)
    x = _root(scenario, params, path, metric, target, years, constant, lo, hi, labels)
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
    return np.min if metric == "closing_reserves" else np.max


def _root(scenario, params, path, metric, target, years, make, lo, hi, labels) -> float:
    """x in [lo, hi] where the worst of ``metric`` over ``years`` equals ``target``."""
    worst = _worst(metric)
    cols = np.asarray(years)

    def excess(values: np.ndarray) -> np.ndarray:
        batch = Batch(params, values.size).set(path, make(values))
        result = getattr(project_batch(scenario, params, batch.overrides()), metric)
        result = np.broadcast_to(result, (values.size, result.shape[1]))
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
                                      scenario.units))
    nearest = candidates[np.argmin(np.abs(ladder[np.floor(candidates).astype(int)] - base))]
    if nearest == int(nearest):
        return float(ladder[int(nearest)])
    i = int(nearest)
    return brentq(lambda x: float(excess(np.array([x]))[0]), ladder[i], ladder[i + 1], xtol=1e-14, rtol=1e-14)


def _no_root_message(path, metric, target, years, lo, hi, ladder, found, param, labels, unit) -> str:
    show = (lambda v: f"{v * 100:g}%") if param.kind == "rate" else (lambda v: f"{v:,.6g}")
    when = f"in {labels[years[0]]}" if len(years) == 1 and labels else "in every year"
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
