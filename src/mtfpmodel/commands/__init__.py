"""One module per ``mtfp`` subcommand: HELP, DESCRIPTION, add_arguments(parser), main(args).

Lives here: the thin command layer the ``mtfp`` CLI (``mtfpmodel.cli``) dispatches to. May import: every
other package (outputs, analysis, results, engine, scenario).
"""
from __future__ import annotations

import sys

from mtfpmodel.scenario.errors import Problem
from mtfpmodel.scenario.limits import MAX_PROBLEMS


def print_problems(problems: list[Problem]) -> None:
    """Errors go to stderr, one per line; after MAX_PROBLEMS, a count of the rest."""
    for problem in problems[:MAX_PROBLEMS]:
        print(f"error: {problem}", file=sys.stderr)
    if len(problems) > MAX_PROBLEMS:
        print(f"error: ... and {len(problems) - MAX_PROBLEMS:,} more problems (fix these first)", file=sys.stderr)


def print_warnings(warnings: list[Problem]) -> None:
    """Warnings go to stderr, one per line, never dropped."""
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)

