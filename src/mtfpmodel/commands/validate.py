"""``mtfp validate``: check scenario files without running them."""
from __future__ import annotations

import argparse
import sys

from mtfpmodel.analysis.holding import checked_run
from mtfpmodel.commands import print_problems, print_warnings
from mtfpmodel.scenario.errors import MtfpError, ScenarioError
from mtfpmodel.scenario.loader import load
from mtfpmodel.scenario.series import plan_years

HELP = "check scenario files and report every problem"
DESCRIPTION = """\
Load and validate each scenario (including any it extends) and report every problem
as file:line: field: what is wrong (hint). The plan is projected too, as 'mtfp run'
would (without writing anything), so a file that validates runs; the paths named by
its sensitivity: and monte_carlo: blocks are checked. Warnings, such as a council tax
increase above the referendum limit, are shown too. Exit code 1 if any file is invalid.

  mtfp validate scenarios/*.yaml
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario YAML files")


def main(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.scenarios:
        try:
            result = checked_run(load(path))
        except ScenarioError as exc:
            failed += 1
            print_problems(exc.problems)
            continue
        except MtfpError as exc:            # e.g. a projection whose figures are not finite
            failed += 1
            print(f"error: {path}: {exc}", file=sys.stderr)
            continue
        print_warnings(result.warnings)
        print(f"{path}: valid ({result.scenario.scenario}, {plan_years(result.labels)}, "
              f"{_count(len(result.scenario.expenditure), 'line')}, {_count(len(result.scenario.savings), 'savings stream')})")
    if failed:
        print(f"{failed} of {_count(len(args.scenarios), 'file')} invalid.", file=sys.stderr)
    return 1 if failed else 0


def _count(n: int, what: str) -> str:
    """'1 line', '8 lines'."""
    return f"{n} {what}{'' if n == 1 else 's'}"
