"""``mtfp sensitivity``: one-way table, tornado chart and optional two-way grid."""
from __future__ import annotations

import argparse

import numpy as np

from mtfpmodel.analysis import grid as grids
from mtfpmodel.analysis import sensitivity
from mtfpmodel.analysis.holding import at, refusals, rule
from mtfpmodel.analysis.paths import label, one_way_paths, value_text
from mtfpmodel.commands._analysis import (
    add_common,
    check_path,
    prepare,
    value_arg,
)
from mtfpmodel.outputs import riskcharts
from mtfpmodel.outputs.chartstyle import scale_of
from mtfpmodel.outputs.csvfiles import write_csv
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.results.result import run
from mtfpmodel.scenario.errors import UsageError
from mtfpmodel.scenario.riskconfig import SensitivityConfig
from mtfpmodel.scenario.series import plan_years
from mtfpmodel.scenario.units import figure, rounded_money

HELP = "how much each assumption moves the gap: one-way table, tornado and two-way grid"
DESCRIPTION = """\
One-way sensitivity: every rate the scenario sets — assumptions, council tax
increase parts, tax base growth, grant and business rates growth, line demand — is
moved by --step (default 1 percentage point, in every year), one at a time, and the
change in each year's net gap is reported, with three figures that sum it up:

  each +1% on pay: +£1.7m in 2025/26, +£7.8m a year by 2028/29

The first-year change is the council's usual "each 1% on pay is about £1.7m a
year": one point on one year's rate costs that much in that year and every year
after. With the rate a point higher in every year it builds up, so the final
year's gap is higher by the final-year figure (a yearly figure, not a total); the
"sum of years" column adds every year's change (the one-off money to meet them
all). Rates the scenario leaves at their default (a line with no demand: 0%) are
left out unless --all. All shifted plans are projected in one batched engine call.

Tornado: the final-year net gap with each input at a low and a high value, widest
swing first. The low/high values come from the scenario's `sensitivity.ranges`
(each value is the input in every year, e.g. 'assumptions.pay': [2%, 5%]), or
else are the plan's values -/+ the step.

Two-way grid (--grid): the final-year net gap for every pair of values of two
inputs; each value is the input in every projection year:

  mtfp sensitivity scenarios/durham-risk.yaml
  mtfp sensitivity scenarios/durham.yaml --step 0.5% --all
  mtfp sensitivity scenarios/durham.yaml --grid assumptions.pay=2%..5%:0.5% \\
      funding.council_tax.increase.core=1.99%..4.99%:1%

Writes sensitivity.csv (one row per input and shift: the change in each year's net
gap, first_year_change, final_year_change, sum_of_years_change), tornado.csv,
tornado.png/.svg and with --grid grid.csv, grid.png/.svg into --out (default
outputs/<scenario name>/). Money in the scenario unit in CSV files (unrounded);
rounded with its unit on screen.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--step", metavar="PTS", help="percentage points each rate is moved by "
                        "(default: the scenario's sensitivity.step, else 1%%)")
    parser.add_argument("--grid", nargs=2, metavar=("PATH_A=LO..HI:STEP", "PATH_B=LO..HI:STEP"),
                        help="two inputs and their values for a two-way grid of the final-year net gap")
    parser.add_argument("--all", dest="everything", action="store_true",
                        help="also move the rates the scenario leaves at their default (e.g. a line with no demand)")
    parser.add_argument("--top", type=int, default=8, metavar="N",
                        help="how many inputs to describe in words (default 8); the table lists all")


def main(args: argparse.Namespace) -> int:
    if args.top < 0:
        raise UsageError(f"--top {args.top} must be 0 or more (the number of inputs described in words)")
    prep = prepare(args)
    scenario, params, labels, unit = prep.scenario, prep.params, prep.labels, prep.unit
    config = scenario.sensitivity or SensitivityConfig()
    step = value_arg(args.step, "--step") if args.step else config.step
    if not 0 < step <= 0.5:
        raise UsageError(f"--step {step:.2%} must be above 0% and at most 50%")
    grid_specs = [_grid_arg(prep, text) for text in args.grid] if args.grid else None
    if grid_specs and grid_specs[0][0] == grid_specs[1][0]:
        raise UsageError(f"--grid names {grid_specs[0][0]} twice: a two-way grid needs two different inputs "
                         "(for one input alone, see its row of the one-way table or its tornado bar)")

    paths = one_way_paths(params, scenario, args.everything)
    one_way = sensitivity.one_way(scenario, params, paths, step)
    tornado = sensitivity.tornado(scenario, params, config.ranges, one_way)
    grid = grids.two_way(scenario, params, *grid_specs[0], *grid_specs[1]) if grid_specs else None

    def named(path: str, value: float) -> str:       # a grid input's value, on the terminal and the heatmap alike
        return value_text(value, params[path], scenario)

    title = scenario.council or scenario.scenario
    print(f"{title}: {scenario.scenario} — sensitivity of the net gap, {plan_years(labels)}")
    for override in args.overrides:
        print(f"  with --set {override}")
    print()
    print(_one_way_table(one_way, labels, unit))
    print()
    print(_sentences(one_way, labels, unit, args.top))
    print()
    print(_tornado_text(tornado, labels[-1], unit, bool(config.ranges)))
    if grid is not None:
        print()
        print(_grid_text(grid, labels[-1], unit, named))

    scale = scale_of(run(prep.loaded))
    with staged_output(prep.out) as staging:
        written = ["sensitivity.csv", "tornado.csv"]
        write_csv(one_way.table(labels), staging.path("sensitivity.csv"))
        write_csv(tornado.table(), staging.path("tornado.csv"))
        riskcharts.tornado_chart(tornado, scale, labels[-1], staging.path("tornado"),
                                 f"{title}: what moves the {labels[-1]} net gap")
        written.append("tornado.png/.svg")
        if grid is not None:
            write_csv(grid.table(labels), staging.path("grid.csv"))
            riskcharts.grid_heatmap(grid, scale, labels[-1], staging.path("grid"),
                                    f"{title}: {labels[-1]} net gap, {label(grid.path_a)} × {label(grid.path_b)}",
                                    named)
            written += ["grid.csv", "grid.png/.svg"]
        staging.wrote(written)
    print(f"\nOutputs written to {prep.out}/")
    return 0


def _grid_arg(prep, text: str) -> tuple[str, np.ndarray]:
    """The path and values of one --grid argument; a UsageError for a path the scenario does not have
    or a value it could not hold there (a vacancy above 100%)."""
    try:
        path, values = grids.parse_range(text)
    except ValueError as exc:
        raise UsageError(f"--grid {exc}") from None
    param = prep.params[check_path(prep, path)]
    for end in (values.min(), values.max()):
        refused = refusals(prep.loaded, prep.params, {path: at(param, end)})
        if refused:
            raise UsageError(f"--grid {text!r} reaches a value the scenario cannot hold at {path}: "
                             f"{rule(refused[path])}")
    return path, values


def _one_way_table(one_way, labels, unit: str) -> str:
    shift = f"{one_way.step * 100:g}pt"
    years = list(labels[1:]) + ["sum of years"]
    width = max(12, max(len(label(p)) for p in one_way.paths) + 2) if one_way.paths else 12
    widths = [12] * (len(years) - 1) + [14]
    header = f"{'+' + shift + ' on (' + unit + ')':<{width}}" + "".join(f"{y:>{w}}" for y, w in zip(years, widths))
    lines = [f"Change in the net gap when each input is {shift} higher in every year "
             f"(a cost rise adds to the gap; brackets: the gap falls)", header, "-" * len(header)]
    decimals = 1 if unit == "£m" else 0
    for p, path in enumerate(one_way.paths):
        cells = list(one_way.change_up[p, 1:]) + [one_way.sum_of_years_change[p]]
        lines.append(f"{label(path):<{width}}" + "".join(f"{figure(v, decimals):>{w}}" for v, w in zip(cells, widths)))
    if not one_way.paths:
        lines.append("(the scenario sets no rate to move; --all moves the defaults too)")
    return "\n".join(lines)


def _sentences(one_way, labels, unit: str, top: int) -> str:
    shift = f"{one_way.step * 100:g}%"
    lines = [f"Largest effects (each input {shift} higher in every year; the {labels[1]} figure is also "
             f"about what {shift} on one year's rate costs every year):"]
    lines += [f"  {one_way.sentence(p, labels, unit)}" for p in one_way.largest(top)]
    return "\n".join(lines)


def _tornado_text(tornado, year: str, unit: str, from_ranges: bool) -> str:
    source = "the scenario's sensitivity.ranges" if from_ranges else "the plan's values -/+ the step"
    lines = [f"Tornado: net gap in {year} with each input at its low and high value ({source}); "
             f"planned {rounded_money(tornado.base, unit)}"]
    low_width = max([7, *map(len, tornado.low_labels)])       # ranges' values ('3%') keep 7 characters
    high_width = max([7, *map(len, tornado.high_labels)])
    names = [label(path) for path in tornado.paths]
    name_width = max([40, *map(len, names)])                  # the longest name sets the column
    for p, name in enumerate(names):
        lines.append(f"  {name:<{name_width}} {tornado.low_labels[p]:>{low_width}} → "
                     f"{rounded_money(tornado.low[p], unit):>9}"
                     f"   {tornado.high_labels[p]:>{high_width}} → {rounded_money(tornado.high[p], unit):>9}"
                     f"   swing {rounded_money(tornado.swing[p], unit)}")
    return "\n".join(lines)


def _grid_text(grid, year: str, unit: str, named) -> str:
    decimals = 1 if unit == "£m" else 0
    head = f"{label(grid.path_a)} \\ {label(grid.path_b)}"
    rows = [named(grid.path_a, a) for a in grid.values_a]
    columns = [named(grid.path_b, b) for b in grid.values_b]
    cells = [[figure(v, decimals) for v in row] for row in grid.final]
    width = max(len(head), 10, *map(len, rows)) + 2
    cell = max(10, *map(len, columns), *(len(c) for row in cells for c in row)) + 1
    lines = [f"Net gap in {year} ({unit}) for each pair of values (each the input in every year)",
             f"{head:<{width}}" + "".join(f"{c:>{cell}}" for c in columns)]
    lines += [f"{name:<{width}}" + "".join(f"{c:>{cell}}" for c in row) for name, row in zip(rows, cells)]
    return "\n".join(lines)
