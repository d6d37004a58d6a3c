"""``mtfp explain``: how one figure of the plan is made up, with the numbers."""
from __future__ import annotations

import argparse

from mtfpmodel.analysis.explain import Explanation, explain_tree
from mtfpmodel.commands import print_warnings
from mtfpmodel.results.result import run
from mtfpmodel.scenario.errors import UsageError
from mtfpmodel.scenario.loader import load
from mtfpmodel.scenario.units import figure, fixed, percent

HELP = "show how a figure is made up: its equation with the numbers"
DESCRIPTION = """\
Show the equation behind one figure of the plan, with the run's own numbers, then the
figures it is made of, down --depth levels (default 2; zero figures are skipped).
Name the figure the way the output CSVs do, with the year in brackets:

  summary.<column>[YEAR]        net_gap, gross_gap, net_expenditure, funding, savings,
                                one_off_costs, incremental_gap, risk_adjusted_net_gap,
                                reserves_drawn, closing_reserves, minimum_reserves,
                                reserve_contributions, planned_reserves_use,
                                savings_still_to_find, unplanned_reserves_use,
                                unfunded_gap, usable_reserves_pct
  lines[LINE].cost[YEAR]        a budget line (base year allowed)
  pressures[NAME].level[YEAR]   a pressure
  funding[SOURCE].amount[YEAR]  council_tax, business_rates or a grant by name
  funding[council_tax].tax_base[YEAR], funding[council_tax].band_d[YEAR]
  savings[STREAM].gross_saving[YEAR]  (also net_saving, financing_cost,
                                implementation_cost)
  lines[Capital financing (MRP and interest)].cost[YEAR]   the plan's capital lines
  capital[SCHEME].debt_charges[YEAR]  (also mrp, interest, revenue; SCHEME may be
                                'Existing debt' for debt_charges)
  reserves[RESERVE].closing[YEAR]  (also opening, contributions, planned_use,
                                implementation_costs, unplanned_use, surplus_added)

Quote the path in the shell. An unknown path is an error naming the closest one.

  mtfp explain scenarios/example.yaml 'summary.net_gap[2027/28]'
  mtfp explain scenarios/example.yaml "lines[Children's social care].cost[2026/27]" --depth 0
  mtfp explain scenarios/example.yaml 'funding[council_tax].amount[2025/26]'
  mtfp explain scenarios/durham.yaml 'reserves[MTFP support reserve].closing[2025/26]'
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="scenario YAML file")
    parser.add_argument("path", metavar="PATH", help="the figure, e.g. 'summary.net_gap[2027/28]'")
    parser.add_argument("--depth", type=int, default=2, metavar="N",
                        help="levels of component figures to show (default 2; 0 shows only the figure)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override one value before running; repeatable")


def main(args: argparse.Namespace) -> int:
    if args.depth < 0:
        raise UsageError(f"--depth {args.depth} must be 0 or more (0 shows only the figure)")
    result = run(load(args.scenario, args.overrides))
    print_warnings(result.warnings)
    blocks = [render(item, level) for level, item in explain_tree(result, args.path, args.depth)]
    print("\n\n".join(blocks))
    return 0


def render(item: Explanation, level: int) -> str:
    pad = "  " * level
    lines = [f"{pad}{item.path} = {show(item.value, item.unit)}", f"{pad}  {item.equation}"]
    lines += [f"{pad}  {'  ' if w.startswith('=') else ''}{w}" for w in item.working]
    return "\n".join(lines)


def show(value: float, unit: str) -> str:
    """A value with its unit: money in the scenario unit, Band D in pounds, tax base in Band D equivalents."""
    if unit == "£":
        return f"£{fixed(value, 2)}"
    if unit == "Band D equivalents":
        return f"{fixed(value, 1)} Band D equivalents"
    if unit == "fraction":            # a share such as usable_reserves_pct
        return percent(value)
    return f"{figure(value, 1 if unit == '£m' else 0)} {unit}"
