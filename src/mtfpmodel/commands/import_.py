"""``mtfp import``: build a scenario file from a workbook, a budget book or CSV files."""
from __future__ import annotations

import argparse
from pathlib import Path

from mtfpmodel.outputs.imports import import_scenario
from mtfpmodel.outputs.textfile import check_file, write_text_atomic
from mtfpmodel.scenario.errors import AnalysisError

HELP = "build a scenario file from spreadsheets (a budget book, CSV files, or mtfp.xlsx)"
DESCRIPTION = """\
Read budget lines, grants, the savings tracker and the rest of a plan from spreadsheets and
write a commented scenario file. SOURCE is one of:
  mtfp.xlsx           the workbook `mtfp run` wrote (its Inputs sheet), with your changes;
                      import it on its own: it holds the whole plan
  budget.xlsx         a budget book: sheets named Lines, Grants, Savings and, if wanted,
                      Settings, Assumptions, Pressures, Council tax, Business rates, Reserves
  lines.csv ...       the same tables as CSV files named after them (lines.csv, grants.csv...)
  FOLDER              every .csv (or .xlsx) file in a folder
The layout of each table is in the user guide ("Working in Excel"). Every problem names its
file, sheet, cell and field; nothing is written unless the whole scenario is valid. Each item's
source: says which sheet and row it came from. Without --out the YAML is printed.
An existing file is never overwritten unless you give --force.

  mtfp import budget.xlsx --out scenarios/northbrook.yaml
  mtfp import assumptions.csv lines.csv council_tax.csv grants.csv savings.csv --out scenarios/northbrook.yaml
  mtfp import outputs/example/mtfp.xlsx --out scenarios/example-flexed.yaml
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sources", nargs="+", metavar="SOURCE", help="workbook, CSV file or folder of CSV files")
    parser.add_argument("--out", metavar="FILE", help="scenario file to write (default: print the YAML)")
    parser.add_argument("--name", help="scenario name when no Settings table gives one (default: the file name)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def main(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else None
    if out is not None:
        check_file(out)                    # before the books are read, not after
    if out is not None and out.exists() and not args.force:
        raise AnalysisError(f"{out} already exists; nothing was written (choose another file, "
                            f"or add --force to overwrite it)")
    name = args.name or (out.stem if out is not None else None)
    imported = import_scenario([Path(s) for s in args.sources], name)
    if out is None:
        print(imported.text, end="")
        return 0
    write_text_atomic(out, imported.text)
    s = imported.loaded.scenario
    print(f"wrote {out}: {len(s.expenditure)} budget lines, {len(s.funding.grants)} grants, "
          f"{len(s.savings)} savings streams, {s.base_year} base year and {s.years} projection years.")
    print(f"Check it with 'mtfp validate {out}' and run it with 'mtfp run {out}'.")
    return 0
