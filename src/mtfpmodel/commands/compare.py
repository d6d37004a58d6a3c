"""``mtfp compare``: several scenarios side by side — net gap and reserves on one chart."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from mtfpmodel.commands import print_warnings, progress
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.results.result import Result, run
from mtfpmodel.scenario.errors import UsageError
from mtfpmodel.scenario.loader import load
from mtfpmodel.scenario.schema import UNITS
from mtfpmodel.scenario.units import figure

HELP = "compare scenarios: net gap and reserves of each on one chart"
DESCRIPTION = """\
Run two or more scenarios (for example a central case and its variants written with
'extends:') and compare their net gap and closing reserves year by year. Prints one
table per measure and writes, into --out (default outputs/compare/), atomically:

  compare.csv   scenario, year, net_gap, closing_reserves, status (one row per
                scenario and projection year; figures unrounded, in the first
                scenario's unit)
  compare.png   the chart (300 dpi) and compare.svg

Scenarios in other units are converted to the first one's unit. Each --set is
applied to every scenario.

  mtfp compare scenarios/example.yaml scenarios/example-pay4.yaml
  mtfp compare scenarios/durham.yaml scenarios/darlington.yaml --out outputs/north-east
"""
COLUMNS = ["scenario", "year", "net_gap", "closing_reserves", "status"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="two or more scenario YAML files")
    parser.add_argument("--out", metavar="DIR", default="outputs/compare",
                        help="output folder (default outputs/compare/)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override one value in every scenario, e.g. assumptions.pay=4%%; repeatable")


def main(args: argparse.Namespace) -> int:
    if len(args.scenarios) < 2:
        raise UsageError("give at least two scenario files to compare")
    results = [run(load(path, args.overrides)) for path in args.scenarios]
    for result in results:
        print_warnings(result.warnings)
    unit = results[0].units
    table = compare_table(results, names(results, args.scenarios), unit)
    print(f"Scenario comparison ({unit}); --set {', '.join(args.overrides)}" if args.overrides
          else f"Scenario comparison ({unit})")
    for column, title in (("net_gap", "Net gap"), ("closing_reserves", "Closing reserves")):
        print(f"\n{title}")
        print(wide(table, column, unit))
    from mtfpmodel.outputs.charts import compare_chart
    from mtfpmodel.outputs.chartstyle import save

    with staged_output(args.out) as staging:
        table.to_csv(staging.path("compare.csv"), index=False, float_format="%.17g")
        progress("wrote compare.csv")
        save(compare_chart(table, unit), staging.path("compare.png").with_suffix(""))
        progress("wrote compare.png, compare.svg")
    print(f"\nOutputs written to {args.out}/")
    return 0


def names(results: list[Result], paths: list[str]) -> list[str]:
    """Each scenario's name, or its file name where two scenarios share a name."""
    plain = [r.scenario.scenario for r in results]
    named = [name if plain.count(name) == 1 else Path(path).stem for name, path in zip(plain, paths)]
    return [name if named.count(name) == 1 else f"{name} ({i + 1})" for i, name in enumerate(named)]


def compare_table(results: list[Result], labels: list[str], unit: str) -> pd.DataFrame:
    """One row per scenario and projection year; money converted to ``unit``."""
    frames = []
    for result, label in zip(results, labels):
        factor = UNITS[result.units] / UNITS[unit]
        if factor != 1:
            print(f"note: {label} is in {result.units}; shown in {unit}", file=sys.stderr)
        summary = result.summary
        frames.append(pd.DataFrame({
            "scenario": label, "year": summary["year"], "net_gap": summary["net_gap"] * factor,
            "closing_reserves": summary["closing_reserves"] * factor, "status": summary["status"],
        }))
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def wide(table: pd.DataFrame, column: str, unit: str) -> str:
    """A fixed-width table: scenarios down, years across."""
    pivot = table.pivot(index="scenario", columns="year", values=column).reindex(table["scenario"].unique())
    decimals = 1 if unit == "£m" else 0
    width = max(len(str(n)) for n in pivot.index) + 2
    lines = [f"{'(' + unit + ')':<{width}}" + "".join(f"{y:>12}" for y in pivot.columns)]
    for name, row in pivot.iterrows():
        lines.append(f"{name:<{width}}" + "".join(f"{'–' if pd.isna(v) else figure(v, decimals):>12}" for v in row))
    return "\n".join(lines)
