"""``mtfp solve``: goal seek — the value of an input that meets a target; savings needed."""
from __future__ import annotations

import argparse
import sys
from typing import NamedTuple

import pandas as pd

from mtfpmodel.analysis import goalseek
from mtfpmodel.analysis.batch import Batch, project_batch
from mtfpmodel.analysis.paths import label, value_text
from mtfpmodel.commands import print_warnings
from mtfpmodel.commands._analysis import (
    add_common,
    check_path,
    prepare,
    value_arg,
)
from mtfpmodel.outputs.csvfiles import write_csv
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.results.result import run
from mtfpmodel.scenario.errors import AnalysisError, UsageError
from mtfpmodel.scenario.series import plan_years
from mtfpmodel.scenario.units import figure, rounded_money

HELP = "goal seek: the council tax rise (or any input) that closes the gap; savings needed"
DESCRIPTION = """\
Find the value of one input (--by, any numeric path) that brings a result to a
target (--target METRIC=VALUE; METRIC one of net_gap, gross_gap,
risk_adjusted_net_gap, incremental_gap, savings_still_to_find, closing_reserves,
reserves_above_minimum (closing less minimum reserves, less any gap left
unfunded so far); VALUE in the scenario
unit). A ladder of candidate values across a sane range (rates -10% to 50%) is
projected in one batched call to find where the result crosses the target, then
Brent's method pins the value down; it is plugged back in and checked.

  --year 2026/27   one value, used in every projection year, that meets the target
                   in 2026/27 (e.g. the steady council tax rise that closes the
                   final-year gap);
  --year all       (default) for a per-year input, each year's value in turn so that
                   every year meets the target; for a single number, the value at
                   which the worst year just meets it.

If no value in the range works, it says so (exit 1), as it does when the value found
is one the scenario could not hold (a Band D below £0, a stream's reduction above
100%, fewer than 0 posts): it names the rule broken. A council tax increase above
the scenario's referendum_limit is flagged.

--savings-needed: the extra recurring savings to find in each year so that every
year balances without reserves. Recurring savings stay in the budget, so the level
needed by year t is the largest net gap so far, and the new savings in year t are
its increase: new[t] = max(level[t-1], net_gap[t], 0) - level[t-1].

  mtfp solve scenarios/durham.yaml --target net_gap=0 --by funding.council_tax.increase.core
  mtfp solve scenarios/durham.yaml --target net_gap=0 --by assumptions.pay --year 2028/29
  mtfp solve scenarios/durham.yaml --savings-needed
  mtfp solve scenarios/durham.yaml --target reserves_above_minimum=0 --by "reserves[MTFP support reserve].opening"

Writes solve.csv and/or savings_needed.csv into --out (default outputs/<scenario name>/).
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--target", metavar="METRIC=VALUE", default="net_gap=0",
                        help="result and the value it should reach (default net_gap=0)")
    parser.add_argument("--by", metavar="PATH", help="the input to vary, e.g. funding.council_tax.increase.core")
    parser.add_argument("--year", default="all", metavar="YEAR|all",
                        help="projection year the target applies to, e.g. 2026/27, or all (default)")
    parser.add_argument("--range", dest="bracket", metavar="LOW..HIGH",
                        help="search range for the input, e.g. 0%%..20%% (default: rates -10%%..50%%)")
    parser.add_argument("--savings-needed", action="store_true",
                        help="also report the extra recurring savings needed each year to balance")


def main(args: argparse.Namespace) -> int:
    prep = prepare(args)
    if not args.by and not args.savings_needed:
        raise UsageError("give --by PATH (the input to solve for) and/or --savings-needed")
    if not args.by:             # --savings-needed alone: the goal-seek options would change nothing
        unused = [f"{option} {value}" for option, value, default in (
            ("--target", args.target, "net_gap=0"), ("--year", args.year, "all"), ("--range", args.bracket, None))
            if value != default]
        if unused:
            raise UsageError(f"{', '.join(unused)}: used only with --by PATH (the input to solve for); "
                             "--savings-needed works from the plan's net gap: add --by, or leave them out")
    goal = _goal(prep, args) if args.by else None      # every argument checked before anything is printed
    scenario, labels = prep.scenario, prep.labels
    title = scenario.council or scenario.scenario
    print(f"{title}: {scenario.scenario} — goal seek, {plan_years(labels)}")
    tables: dict[str, pd.DataFrame] = {}
    if goal is not None:
        tables["solve.csv"] = _solve(prep, goal)
    if args.savings_needed:
        tables["savings_needed.csv"] = _savings_needed(prep)
    with staged_output(prep.out) as staging:
        for name, frame in tables.items():
            write_csv(frame, staging.path(name))
        staging.wrote(tables)
    print(f"\nOutputs written to {prep.out}/")
    return 0


class Goal(NamedTuple):
    """What --target, --by, --year and --range ask for, checked."""

    metric: str
    target: float                       # scenario unit
    path: str
    year: int | None                    # None: every year
    bracket: tuple[float, float] | None


def _goal(prep, args) -> Goal:
    metric, _, target_text = args.target.partition("=")
    metric = metric.strip()
    if metric not in goalseek.METRICS or not target_text.strip():
        raise UsageError(f"--target {args.target!r}: write METRIC=VALUE with METRIC one of "
                         f"{', '.join(goalseek.METRICS)}, e.g. net_gap=0")
    if target_text.strip().endswith("%"):      # every metric is money: 1% of £000 would be £10
        raise UsageError(f"--target {args.target}: {metric} is money in the scenario's unit ({prep.unit}), not a "
                         f"rate; write an amount, such as {metric}=0 or {metric}=500")
    target = value_arg(target_text.strip(), "--target")
    path = check_path(prep, args.by)
    year = _year(args.year, prep.labels)
    bracket = _bracket(args.bracket) if args.bracket else None
    return Goal(metric, target, path, year, bracket)


def _solve(prep, goal: Goal) -> pd.DataFrame:
    metric, target, path, year, bracket = goal
    param = prep.params[path]
    solution = goalseek.solve(prep.scenario, prep.params, path, metric, target, year, bracket, prep.labels)
    _check_holdable(prep, path, param, solution, year)

    check = project_batch(prep.scenario, prep.params,
                          Batch(prep.params, 1).set(path, solution.series).overrides())
    achieved = goalseek.metric_values(check, metric)[0]
    unit, labels = prep.unit, prep.labels
    what = f"{metric} = {rounded_money(target, unit)}" if target else f"{metric} = 0"
    if not _one_value(param, year):
        print(f"\nTo reach {what}, {label(path)} ({path}) would need to be:")
        for t, value in zip(solution.years, solution.values):
            as_planned = param.value[t - 1] if param.is_series else param.value
            print(f"  {labels[t]}: {value_text(value, param, prep.scenario)} "
                  f"(planned {value_text(float(as_planned), param, prep.scenario)}); "
                  f"{metric} then {rounded_money(achieved[t], unit)}")
    else:                                   # one number for the whole plan: the worst year just meets the target
        print(f"\nTo reach {what} in the worst year, {label(path)} ({path}) would need to be "
              f"{value_text(float(solution.values[0]), param, prep.scenario)} "
              f"(planned {value_text(float(param.value), param, prep.scenario)}); {metric} then:")
        for t in solution.years:
            print(f"  {labels[t]}: {rounded_money(achieved[t], unit)}")
    if year is not None and param.is_series:
        print(f"  (one value used in every year, so that the target is met in {labels[year]})")
    for message in _referendum(prep, path, solution):
        print(f"  {message}")
    zigzag = _zigzag_warning(prep, param, solution, labels)
    if zigzag:
        print(f"warning: {zigzag}", file=sys.stderr)
    unfunded = [t for t in range(1, len(labels)) if check.unfunded_gap[0, t] > 0]
    if unfunded:          # the target is met, but the plan still leaves something unfunded
        years = ", ".join(f"{labels[t]} ({rounded_money(float(check.unfunded_gap[0, t]), unit)})" for t in unfunded)
        print(f"warning: at this value the plan still leaves a gap unfunded in {years}: see the reserves "
              f"statement of 'mtfp run --set {path}=...'", file=sys.stderr)
    return pd.DataFrame({"year": [labels[t] for t in solution.years], "path": path, "value": solution.values,
                         "metric": metric, "target": target, "achieved": [achieved[t] for t in solution.years]})


def _one_value(param, year: int | None) -> bool:
    """Whether the answer is one number for the whole plan (a Band D solved so that the worst year meets the
    target), shown once rather than against each year."""
    return not param.is_series and year is None


def _check_holdable(prep, path: str, param, solution, year: int | None) -> None:
    """Raise AnalysisError when the value found is one the scenario could not hold (a Band D below
    £0, a negative number of posts): no value it can take meets the target."""
    from mtfpmodel.analysis.holding import refusals, rule

    refused = refusals(prep.loaded, prep.params, {path: solution.series})
    if refused:
        if not _one_value(param, year):
            found = ", ".join(f"{value_text(value, param, prep.scenario)} in {prep.labels[t]}"
                              for t, value in zip(solution.years, solution.values))
        else:
            found = value_text(float(solution.values[0]), param, prep.scenario)
        when = f"in {prep.labels[year]}" if year is not None else "in every year"
        raise AnalysisError(f"no {label(path)} that the scenario can hold meets the target {when}: it would need "
                            f"to be {found}, and {rule(refused[path])}")


def _year(text: str, labels) -> int | None:
    if text == "all":
        return None
    if text not in labels[1:]:
        raise UsageError(f"--year {text!r} is not a projection year (they are {', '.join(labels[1:])}, or all)")
    return labels.index(text)


def _bracket(text: str) -> tuple[float, float]:
    low, sep, high = text.partition("..")
    if not sep:
        raise UsageError(f"--range {text!r}: write LOW..HIGH, e.g. 0%..20%")
    low_value, high_value = value_arg(low, "--range"), value_arg(high, "--range")
    if not low_value < high_value:
        raise UsageError(f"--range {text!r}: LOW must be below HIGH")
    return low_value, high_value


def _referendum(prep, path: str, solution) -> list[str]:
    """Messages for years where the solved council tax increase takes the total above the limit."""
    breaches = goalseek.referendum_breaches(prep.scenario, prep.params, path, solution.series, prep.labels)
    name = label(path).removeprefix("council tax ")
    return [breach.sentence(name) for breach in breaches]


def _zigzag_warning(prep, param, solution, labels) -> str | None:
    """A warning when the year-by-year answer rises and falls, with what to try instead."""
    if len(solution.years) < 3 or not goalseek.zigzags(solution.values, param.kind):
        return None
    values = ", ".join(value_text(v, param, prep.scenario) for v in solution.values)
    return (f"the answer rises and falls from year to year ({values}): each year's value closes that year "
            f"given the years before, so a year that overshoots is pulled back the next; for one steady value "
            f"use --year {labels[-1]} (or any year)")


def _savings_needed(prep) -> pd.DataFrame:
    result = run(prep.loaded)
    print_warnings(result.warnings)
    gap = result.results.net_gap[0]
    new, level = goalseek.savings_needed(gap)
    unit, labels = prep.unit, prep.labels
    decimals = 1 if unit == "£m" else 0
    print(f"\nExtra recurring savings needed to balance every year without reserves ({unit}):")
    print(f"  {'year':<10}{'net gap':>14}{'new savings':>14}{'cumulative':>14}")
    for t in range(1, len(labels)):
        cells = (figure(gap[t], decimals), figure(new[t - 1], decimals), figure(level[t - 1], decimals))
        print(f"  {labels[t]:<10}" + "".join(f"{cell:>14}" for cell in cells))    # a surplus in brackets
    print(f"  In all, {rounded_money(level[-1], unit)} of recurring savings by {labels[-1]}.")
    return pd.DataFrame({"year": list(labels[1:]), "net_gap": gap[1:], "new_recurring_savings": new,
                         "cumulative_recurring_savings": level})
