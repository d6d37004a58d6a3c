"""``mtfp compare``: several scenarios side by side — net gap and reserves on one chart."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from mtfpmodel.commands import print_warnings
from mtfpmodel.commands.run import safe_name
from mtfpmodel.outputs.csvfiles import write_csv
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.results.comparison import budgets, compare_table, names
from mtfpmodel.results.result import run
from mtfpmodel.scenario.errors import UsageError
from mtfpmodel.scenario.loader import load
from mtfpmodel.scenario.units import figure

HELP = "compare scenarios: net gap and reserves of each on one chart"
DESCRIPTION = """\
Run two or more scenarios (for example a central case and its variants written with
'extends:') and compare their net gap and closing reserves year by year. Prints one
table per measure and writes, into --out (default outputs/compare-<file>-<file>.../,
named after the scenario files compared), atomically:

  compare.csv   scenario, year, net_gap, closing_reserves, status (one row per
                scenario and projection year; figures unrounded, in the first
                scenario's unit)
  compare.png   the chart (300 dpi) and compare.svg

Scenarios in other units are converted to the first one's unit. Each --set is
applied to every scenario.

  mtfp compare scenarios/durham.yaml scenarios/durham-optimistic.yaml   (→ outputs/compare-durham-durham-optimistic/)
  mtfp compare scenarios/durham.yaml scenarios/darlington.yaml --out outputs/north-east
"""
MAX_NAME = 80     # characters of the default folder name


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="two or more scenario YAML files")
    parser.add_argument("--out", metavar="DIR",
                        help="output folder (default outputs/compare-<first>-<second>.../, from the file names)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override one value in every scenario, e.g. assumptions.pay=4%%; repeatable")


def main(args: argparse.Namespace) -> int:
    if len(args.scenarios) < 2:
        raise UsageError("give at least two scenario files to compare")
    results = [run(_load(path, args.overrides)) for path in args.scenarios]
    for result in results:
        print_warnings(result.warnings)
    unit = results[0].units
    labels = names(results, args.scenarios)
    for result, label in zip(results, labels):
        if result.units != unit:
            print(f"note: {label} is in {result.units}; shown in {unit}", file=sys.stderr)
    table = compare_table(results, labels, unit)
    print(f"Scenario comparison ({unit}); --set {', '.join(args.overrides)}" if args.overrides
          else f"Scenario comparison ({unit})")
    for column, title in (("net_gap", "Net gap"), ("closing_reserves", "Closing reserves")):
        print(f"\n{title}")
        print(wide(table, column, unit))
    from mtfpmodel.outputs.charts import compare_chart
    from mtfpmodel.outputs.chartstyle import save, scale_for

    out = Path(args.out) if args.out else default_out(args.scenarios)
    scale = scale_for(unit, budgets(results, unit))
    with staged_output(out) as staging:
        write_csv(table, staging.path("compare.csv"))
        staging.wrote(["compare.csv"])
        save(compare_chart(table, scale), staging.path("compare.png").with_suffix(""))
        staging.wrote(["compare.png", "compare.svg"])
    print(f"\nOutputs written to {out}/")
    return 0


def default_out(paths: list[str]) -> Path:
    """outputs/compare-<stem>-<stem>...: the files compared, in order; past MAX_NAME characters,
    outputs/compare-<first stem>-and-<n>-more."""
    name = "compare-" + "-".join(safe_name(Path(p).stem) for p in paths)
    if len(name) > MAX_NAME:
        name = f"compare-{safe_name(Path(paths[0]).stem)}-and-{len(paths) - 1}-more"
    return Path("outputs") / name


def wide(table: pd.DataFrame, column: str, unit: str) -> str:
    """A fixed-width table: scenarios down, years across."""
    pivot = table.pivot(index="scenario", columns="year", values=column).reindex(table["scenario"].unique())
    decimals = 1 if unit == "£m" else 0
    width = max(len(str(n)) for n in pivot.index) + 2
    lines = [f"{'(' + unit + ')':<{width}}" + "".join(f"{y:>12}" for y in pivot.columns)]
    for name, row in pivot.iterrows():
        lines.append(f"{name:<{width}}" + "".join(f"{'–' if pd.isna(v) else figure(v, decimals):>12}" for v in row))
    return "\n".join(lines)


def _load(path: str, overrides: list[str]):
    """``load``, with a --set that one of several scenarios cannot take named with that scenario."""
    try:
        return load(path, overrides)
    except UsageError as exc:
        if not overrides:
            raise
        raise UsageError(f"{path}: {exc}") from None
