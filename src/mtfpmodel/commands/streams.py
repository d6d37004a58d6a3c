"""``mtfp streams``: the savings programme, stream by stream, with invest-to-save appraisal."""
from __future__ import annotations

import argparse

from mtfpmodel.commands import print_warnings
from mtfpmodel.results.result import run
from mtfpmodel.scenario.loader import load
from mtfpmodel.scenario.units import figure, money, percent

HELP = "print each savings stream: savings by year, financing, payback and NPV"
DESCRIPTION = """\
For each savings stream: its kind and RAG rating, gross saving by year, financing
cost and net saving by year, and for invest-to-save streams the payback year and the
NPV at the scenario's discount_rate (default 3.5%). Amounts in the scenario unit.

  mtfp streams scenarios/durham.yaml
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="scenario YAML file")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override one value before running; repeatable")


def main(args: argparse.Namespace) -> int:
    result = run(load(args.scenario, args.overrides))
    print_warnings(result.warnings)
    unit = result.units
    decimals = 1 if unit == "£m" else 0
    years = list(result.labels[1:])
    savings = result.savings
    streams = result.streams
    if streams.empty:
        print("This scenario has no savings streams.")
        return 0
    width = 12
    for _, row in streams.iterrows():
        rag = f"{row['rag']} " if row["rag"] else ""
        print(f"{row['stream']}  [{row['kind']}, {rag}{percent(row['confidence'], 0)} confidence]")
        print(f"  {'(' + unit + ')':<22}" + "".join(f"{y:>{width}}" for y in years))
        rows = savings[savings["stream"] == row["stream"]]
        for label, column in (("gross saving", "gross_saving"), ("financing cost", "financing_cost"),
                              ("implementation cost", "implementation_cost"), ("net saving", "net_saving")):
            print(f"  {label:<22}" + "".join(f"{figure(v, decimals):>{width}}" for v in rows[column]))
        if row["capital"]:
            print(f"  capital {money(row['capital'], unit)}; payback {row['payback_year']} (net of financing), "
                  f"{row['capital_payback_year']} (savings cover the capital); "
                  f"NPV {money(row['npv'], unit)} at {percent(result.scenario.discount_rate, 1)}")
        print()
    total = savings.groupby("year", sort=False)["net_saving"].sum()
    print(f"  {'total net saving':<22}" + "".join(f"{figure(v, decimals):>{width}}" for v in total))
    return 0
