"""``mtfp run``: project a scenario, print the MTFP table, write the output files."""
from __future__ import annotations

import argparse
from pathlib import Path

from mtfpmodel.commands import print_warnings, progress
from mtfpmodel.iotools.csvfiles import write_csvs
from mtfpmodel.iotools.outdir import staged_output
from mtfpmodel.loader import load
from mtfpmodel.model import run
from mtfpmodel.terminal import mtfp_table, verdict

HELP = "project a scenario and write its outputs"
DESCRIPTION = """\
Project the plan over its years, print the MTFP table and write, into --out
(default outputs/<scenario name>/): summary.csv, lines.csv, funding.csv,
savings.csv and streams.csv. Files are written atomically: if anything fails,
the previous outputs are left as they were.

  mtfp run scenarios/example.yaml
  mtfp run scenarios/durham.yaml --out outputs/durham-pay4 --set assumptions.pay=4%
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="scenario YAML file")
    parser.add_argument("--out", metavar="DIR", help="output folder (default outputs/<scenario name>/)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override one value, e.g. assumptions.pay=3.5%% or "
                             "'expenditure[Children's social care].demand=6%%'; repeatable")


def main(args: argparse.Namespace) -> int:
    loaded = load(args.scenario, args.overrides)
    result = run(loaded)
    print_warnings(result.warnings)
    out = Path(args.out) if args.out else Path("outputs") / safe_name(result.scenario.scenario)
    title = result.scenario.council or result.scenario.scenario
    print(f"{title}: {result.scenario.scenario} — MTFP {result.labels[1]} to {result.labels[-1]}")
    for override in args.overrides:
        print(f"  with --set {override}")
    print()
    print(mtfp_table(result))
    print()
    print(verdict(result))
    with staged_output(out) as staging:
        written = write_csvs(result, staging)
        progress(f"wrote {', '.join(written)}")
    print(f"\nOutputs written to {out}/")
    return 0


def safe_name(name: str) -> str:
    """A folder name from a scenario name: letters, digits, '-', '_' and '.' only."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name.strip())
    return cleaned.strip("-.") or "scenario"
