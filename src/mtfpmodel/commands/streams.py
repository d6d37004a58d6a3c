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
cost, implementation (one-off) costs, net saving by year and the net saving after the
one-off costs; for invest-to-save streams the payback year and the NPV at the
scenario's discount_rate (default 3.5%); for streams with one-off costs but no
capital, the year the savings have repaid those costs. Amounts in the scenario unit.

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
        print(f"  {'(' + unit + ')':<25}" + "".join(f"{y:>{width}}" for y in years))
        rows = savings[savings["stream"] == row["stream"]]
        for label, values in (("gross saving", rows["gross_saving"]), ("financing cost", rows["financing_cost"]),
                              ("implementation cost", rows["implementation_cost"]),
                              ("net saving", rows["net_saving"]),
                              ("net after one-off costs", rows["net_saving"] - rows["implementation_cost"])):
            print(f"  {label:<25}" + "".join(f"{figure(v, decimals):>{width}}" for v in values))
        if row["capital"]:
            print(f"  capital {money(row['capital'], unit)}; payback {row['payback_year']} (net of financing), "
                  f"{row['capital_payback_year']} (savings cover the capital); "
                  f"NPV {money(row['npv'], unit)} at {percent(result.scenario.discount_rate, 1)}")
        elif row["implementation_cost"]:
            funded = row["funded_by"].replace("_", " ")
            print(f"  one-off costs {money(row['implementation_cost'], unit)} (met from {funded}); "
                  f"payback {row['payback_year']} (savings cover the one-off costs); "
                  f"{money(row['net_saving_after_one_off_costs'], unit)} net over the plan after them")
        print()
    total = savings.groupby("year", sort=False)["net_saving"].sum()
    print(f"  {'total net saving':<25}" + "".join(f"{figure(v, decimals):>{width}}" for v in total))
    return 0
