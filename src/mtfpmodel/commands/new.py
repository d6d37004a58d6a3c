"""``mtfp new``: write a commented starter scenario to edit."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from mtfpmodel.outputs.starter import starter_text
from mtfpmodel.outputs.textfile import check_file, write_text_atomic
from mtfpmodel.scenario.errors import AnalysisError, UsageError
from mtfpmodel.scenario.limits import text_problem
from mtfpmodel.scenario.yamlfile import name_problem

HELP = "write a commented starter scenario file"
DESCRIPTION = """\
Write NAME.yaml (or NAME, if it already ends in .yaml or .yml): a complete, valid
scenario with a comment on every key saying what it means and its unit, ready to edit
into your council's plan. With --from, start instead from a copy of an existing
scenario (its comments kept, 'scenario:' set to the new name).

If a scenario.schema.json is found in the file's folder or a folder above it, the first
line points your editor at it (completion and inline errors in VS Code's YAML extension).
An existing file is never overwritten unless you give --force.

  mtfp new scenarios/northbrook-2026
  mtfp new scenarios/pay-4pc --from scenarios/example.yaml
  mtfp validate scenarios/northbrook-2026.yaml
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="file to write (.yaml is added if missing)")
    parser.add_argument("--from", dest="source", metavar="SCENARIO", help="copy this scenario instead of the starter")
    parser.add_argument("--force", action="store_true", help="overwrite NAME.yaml if it exists")


def main(args: argparse.Namespace) -> int:
    if not args.name.strip() or "\0" in args.name:
        raise UsageError(f"NAME {args.name!r}: give a file name, such as scenarios/northbrook-2026")
    target = Path(args.name)
    if target.name in ("", ".", "..") or args.name.endswith(("/", os.sep)):
        raise UsageError(f"NAME {args.name!r} is a folder: give a file name in it, such as "
                         f"{(target / 'northbrook-2026').as_posix()}")
    if target.suffix not in (".yaml", ".yml"):
        target = target.with_name(target.name + ".yaml")
    check_file(target)
    unusable = name_problem(target.stem) or text_problem(target.stem)
    if unusable:
        raise UsageError(f"NAME {args.name!r}: the file's name is the scenario's name, and {unusable}; "
                         "give a name of letters, digits, spaces and punctuation")
    if target.exists() and not args.force:
        raise AnalysisError(f"{target} already exists; nothing was written (choose another name, "
                            f"or add --force to overwrite it)")
    text = starter_text(target, Path(args.source) if args.source else None)
    write_text_atomic(target, text)
    print(f"wrote {target}: edit it, then check it with 'mtfp validate {target}' and run it with "
          f"'mtfp run {target}'")
    return 0
