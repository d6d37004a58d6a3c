"""``mtfp paths``: every value an analysis or ``--set`` can address, with its planned value."""
from __future__ import annotations

import argparse
import fnmatch

from mtfpmodel.analysis.paths import unit_of
from mtfpmodel.engine.parameters import collect
from mtfpmodel.results.result import labels_of
from mtfpmodel.scenario.errors import UsageError
from mtfpmodel.scenario.loader import load
from mtfpmodel.scenario.units import figure, percent

HELP = "list the paths of every value that --set, sensitivity and Monte Carlo can vary"
DESCRIPTION = """\
List every addressable value of a scenario with its kind and
planned value: rates in %, amounts in the scenario unit, Band D, unit costs, salaries
and the NI threshold in £, volumes and FTE as plain numbers.
A field that names an assumption shows it (→ assumptions.pay) and follows it.

  mtfp paths scenarios/example.yaml
  mtfp paths scenarios/example.yaml 'savings[*'      only the savings streams' paths
"""

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="scenario YAML file")
    parser.add_argument("pattern", nargs="?", default="*", help="only paths matching this glob pattern")


def main(args: argparse.Namespace) -> int:
    scenario = load(args.scenario).scenario
    labels = labels_of(scenario)[1:]
    shown = {path: param for path, param in collect(scenario).items() if fnmatch.fnmatchcase(path, args.pattern)}
    if not shown:
        raise UsageError(f"no path of {args.scenario} matches {args.pattern!r} (patterns are case-sensitive globs, "
                         f"e.g. 'funding.*' or '*demand'; run mtfp paths {args.scenario} to list them all)")
    width = max([len("path"), *map(len, shown)])     # the longest path shown sets the column
    print(f"{'path':<{width}} {'kind':<7} value ({labels[0]} to {labels[-1]} for series)")
    for path, param in shown.items():
        unit = unit_of(path, param, scenario)
        if unit == "%":
            show = percent
        elif unit == "£":
            show = lambda v: f"£{figure(v, 2)}"  # noqa: E731
        elif unit == "":
            show = lambda v: figure(v, 2)  # noqa: E731
        else:
            show = lambda v: f"{figure(v, 1)} {unit}"  # noqa: E731
        values = [param.value] if param.value.ndim == 0 else list(param.value)
        text = ", ".join(show(float(v)) for v in values)
        if param.ref:
            text += f"  (→ {param.ref})"
        print(f"{path:<{width}} {param.kind:<7} {text}")
    return 0
