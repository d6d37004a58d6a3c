"""Every analysis the cabinet pack shows, run once for ``mtfp report``.

Nothing here is new arithmetic: each figure comes from the analysis that owns it — the
one-way table, the ladder and the tornado (:mod:`.sensitivity`, :mod:`.grid`), the variants'
own runs, the Monte Carlo simulation and its headline (:mod:`.montecarlo`), the Sobol
indices (:mod:`.sobol`) and goal seek (:mod:`.goalseek`) — and the pack only lays them out.

Options to close the gap, each on its own (money in the scenario unit):

    council tax alone   the one steady rise of the first council tax part, used in every year,
                        that brings the final year's net gap to 0 (goal seek), with the years
                        it takes the Band D rise above the referendum limit
    savings alone       new recurring savings each year: goalseek.savings_needed(net_gap)
    reserves alone      every year's positive net gap drawn from reserves (planned and unplanned
                        use together), and the opening balance of usable reserves in total that
                        would keep them at or above the minimum in every year (goal seek on the
                        opening balance of the reserve that meets gaps drawn last, never below 0)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from mtfpmodel.analysis import goalseek, grid, montecarlo, sensitivity
from mtfpmodel.analysis.batch import Batch, project_batch
from mtfpmodel.analysis.paths import one_way_paths
from mtfpmodel.engine.parameters import collect
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.errors import AnalysisError
from mtfpmodel.scenario.riskconfig import SensitivityConfig

SOBOL_SAMPLES = 512


@dataclass(frozen=True)
class Risk:
    """The Monte Carlo page: the simulation, its table by year, its headline and Sobol indices."""

    simulation: montecarlo.Simulation
    by_year: object                  # montecarlo.by_year's DataFrame
    headline: montecarlo.Headline
    sobol: object | None             # sobol.SobolIndices, or None when there is nothing to vary


@dataclass(frozen=True)
class CouncilTaxOption:
    path: str
    planned: np.ndarray              # (T,) the part's planned increase
    solution: goalseek.Solution | None
    net_gap: np.ndarray | None       # (T+1,) with the solved increase
    breaches: tuple[goalseek.Breach, ...]
    limit: np.ndarray | None         # (T,) the referendum limit, if the scenario has one
    others: np.ndarray               # (T,) the other parts' increases, as planned
    failure: str = ""                # why there is no solution


@dataclass(frozen=True)
class ReservesOption:
    drawn: np.ndarray                # (T+1,) drawn to meet each year's gap
    opening_path: str | None
    opening_needed: float | None     # usable reserves in total at the start to stay at or above the minimum
    failure: str = ""


@dataclass(frozen=True)
class Options:
    council_tax: CouncilTaxOption | None
    new_savings: np.ndarray          # (T,) new recurring savings in each year
    savings_level: np.ndarray        # (T,) their cumulative level
    reserves: ReservesOption


@dataclass(frozen=True)
class Cabinet:
    one_way: sensitivity.OneWay
    ladder: grid.Ladder
    tornado: sensitivity.Tornado
    tornado_from_ranges: bool
    variants: tuple[Result, ...]
    risk: Risk | None
    options: Options


def analyse(result: Result, variants: Sequence[Result] = (), draws: int | None = None,
            sobol_samples: int = SOBOL_SAMPLES, everything: bool = False) -> Cabinet:
    """Run the pack's analyses on ``result`` (a plan run from its file, so its paths are known)."""
    scenario = result.scenario
    params = collect(scenario)
    config = scenario.sensitivity or SensitivityConfig()
    paths = one_way_paths(params, scenario, everything)
    one_way = sensitivity.one_way(scenario, params, paths, config.step)
    tornado = sensitivity.tornado(scenario, params, config.ranges, one_way)
    return Cabinet(
        one_way=one_way, ladder=grid.ladder(scenario, params, paths), tornado=tornado,
        tornado_from_ranges=bool(config.ranges), variants=tuple(variants),
        risk=risk(result, params, draws, sobol_samples) if scenario.monte_carlo is not None else None,
        options=options(result, params),
    )


def risk(result: Result, params, draws: int | None, sobol_samples: int) -> Risk:
    from mtfpmodel.analysis import sobol

    scenario, config = result.scenario, result.scenario.monte_carlo
    count = montecarlo.check_draws(scenario, draws if draws is not None else config.draws)
    simulation = montecarlo.simulate(scenario, params, config, count, config.seed)
    varied = config.distributions or (config.savings_delivery and scenario.savings)
    indices = sobol.sobol(scenario, params, config, result.labels, sobol_samples, simulation.seed) \
        if varied and sobol_samples else None
    return Risk(simulation, montecarlo.by_year(simulation, result.labels), montecarlo.headline(simulation), indices)


def options(result: Result, params) -> Options:
    gap = result.results.net_gap[0]
    new, level = goalseek.savings_needed(gap)
    return Options(council_tax_option(result, params), new, level, reserves_option(result, params))


def council_tax_option(result: Result, params) -> CouncilTaxOption | None:
    """The steady rise of the first council tax part that closes the final year's gap."""
    scenario, labels = result.scenario, result.labels
    tax = scenario.funding.council_tax
    if not tax.increase:
        return None
    part = next(iter(tax.increase))
    path = f"funding.council_tax.increase.{part}"
    T = scenario.years
    others = sum((params[f"funding.council_tax.increase.{p}"].value for p in tax.increase if p != part), np.zeros(T))
    limit = None
    if tax.referendum_limit is not None:
        from mtfpmodel.engine.parameters import series_values

        limit = series_values(tax.referendum_limit, params, T)
    planned = params[path].value
    try:
        solution = goalseek.solve(scenario, params, path, "net_gap", 0.0, T, labels=labels)
    except AnalysisError as exc:
        return CouncilTaxOption(path, planned, None, None, (), limit, others, failure=str(exc))
    gap = _net_gap_with(result, params, path, solution.series)
    breaches = tuple(goalseek.referendum_breaches(scenario, params, path, solution.series, labels))
    return CouncilTaxOption(path, planned, solution, gap, breaches, limit, others)


def reserves_option(result: Result, params) -> ReservesOption:
    """Reserves drawn to meet every year's gap, and the opening balance of usable reserves in total
    that would keep them at or above their minimum in every year (usable reserves against the
    minimum in total, as the Monte Carlo's reserves needed).

    It is solved on the opening balance of the reserve that meets gaps drawn last (the last listed),
    the others as planned: gaps are met from those reserves in order and implementation costs from
    the first, so that one is the plan's last resort and moving it changes nothing else. An opening
    balance is never below zero: where the last reserve could open at nothing and the rest would
    still do, it is held at zero and the one before it solved, and so on. The total is the openings
    as solved (the base year's usable reserves are the sum of them), comparable with the planned total.
    """
    drawn = np.maximum(result.results.net_gap[0], 0.0)
    drawn[0] = 0.0                                      # the base year is the approved budget
    meeting = [f"{prefix}.opening" for prefix, reserve in result.scenario.reserve_list if reserve.meets_gaps]
    if not meeting:
        return ReservesOption(drawn, None, None, "the scenario has no reserve that meets gaps")
    planned = float(result.results.closing_reserves[0, 0])       # the openings in total
    held: dict[str, float] = {}                                   # reserves that open at nothing
    for path in reversed(meeting):
        if _lowest_above_minimum(result, params, {**held, path: 0.0}) < 0:
            reach = goalseek.default_bracket(params[path], result.scenario)[1]
            try:
                solution = goalseek.solve(result.scenario, params, path, "reserves_above_minimum", 0.0, None,
                                          bracket=(0.0, max(reach, float(params[path].value))),
                                          labels=result.labels, fixed=held)
            except AnalysisError as exc:
                return ReservesOption(drawn, path, None, str(exc))
            return ReservesOption(drawn, path, planned + _change(params, {**held, path: float(solution.series)}))
        held[path] = 0.0
    return ReservesOption(drawn, meeting[0], planned + _change(params, held))


def _lowest_above_minimum(result: Result, params, openings: dict[str, float]) -> float:
    """The lowest year's usable reserves above the minimum (goal seek's ``reserves_above_minimum``)
    with the reserves' ``openings`` (path: balance) in place of the planned ones."""
    batch = Batch(params, 1)
    for path, value in openings.items():
        batch.set(path, value)
    results = project_batch(result.scenario, params, batch.overrides())
    return float(goalseek.metric_values(results, "reserves_above_minimum")[0, 1:].min())


def _change(params, openings: dict[str, float]) -> float:
    """How much the ``openings`` (path: balance) add to the planned openings in total."""
    return sum(value - float(params[path].value) for path, value in openings.items())


def _net_gap_with(result: Result, params, path: str, series: np.ndarray) -> np.ndarray:
    batch = Batch(params, 1).set(path, series)
    return project_batch(result.scenario, params, batch.overrides()).net_gap[0]


def options_table(options: Options, labels: Sequence[str]) -> pd.DataFrame:
    """options.csv: option, measure, unit, then a column per projection year (unrounded)."""
    rows = []
    tax = options.council_tax
    if tax is not None and tax.solution is not None:
        rows += [("council_tax", f"{tax.path} (steady, every year)", "rate", tax.solution.series),
                 ("council_tax", "band_d_increase_all_parts", "rate", tax.solution.series + tax.others),
                 ("council_tax", "net_gap_with_this_increase", "scenario unit", tax.net_gap[1:])]
    rows += [("savings", "new_recurring_savings", "scenario unit", options.new_savings),
             ("savings", "cumulative_recurring_savings", "scenario unit", options.savings_level),
             ("reserves", "reserves_drawn_to_meet_the_gap", "scenario unit", options.reserves.drawn[1:])]
    if options.reserves.opening_needed is not None:
        rows.append(("reserves", "opening_reserves_to_stay_above_minimum", "scenario unit",
                     np.full(len(labels) - 1, options.reserves.opening_needed)))
    data = [[option, measure, unit, *map(float, np.broadcast_to(values, (len(labels) - 1,)))]
            for option, measure, unit, values in rows]
    return pd.DataFrame(data, columns=["option", "measure", "unit", *labels[1:]])
