"""``mtfp run``: project a scenario, print the MTFP table, write the output files."""
from __future__ import annotations

import argparse
from pathlib import Path

from mtfpmodel.analysis.paths import check_scenario
from mtfpmodel.commands import print_warnings, progress
from mtfpmodel.engine.parameters import collect
from mtfpmodel.outputs.csvfiles import write_csvs
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.outputs.terminal import gap_table_text, mtfp_table, verdict
from mtfpmodel.results.result import run
from mtfpmodel.scenario.loader import load

HELP = "project a scenario and write its outputs"
DESCRIPTION = """\
Project the plan over its years, print the MTFP table and write, into --out
(default outputs/<scenario name>/): summary.csv, lines.csv, funding.csv,
savings.csv, streams.csv and gap_table.csv (the gap table in the shape
cabinet papers print it: gap before savings, savings identified by category,
planned use of reserves, savings still to find); then, unless turned off,
  charts/      gap, bridge, savings and reserves charts, each as PNG (300 dpi) and SVG
  mtfp.xlsx    the workbook: detail sheets and a Summary of live formulas over them
  report.html  the cabinet report: verdict, tables, charts, assumptions, warnings;
               one self-contained file that prints to A4
--no-charts skips the charts (the report is then written without them);
--no-report skips both documents for people, report.html and mtfp.xlsx.
Files are written atomically: if anything fails, the previous outputs are left as
they were. A progress line for each file goes to stderr.

  mtfp run scenarios/example.yaml
  mtfp run scenarios/durham.yaml --out outputs/durham-pay4 --set assumptions.pay=4%
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="scenario YAML file")
    parser.add_argument("--out", metavar="DIR", help="output folder (default outputs/<scenario name>/)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override one value, e.g. assumptions.pay=3.5%% or "
                             "'expenditure[Children's social care].demand=6%%'; repeatable")
    parser.add_argument("--no-charts", action="store_true", help="do not draw the charts (faster)")
    parser.add_argument("--no-report", action="store_true",
                        help="do not write report.html or the workbook mtfp.xlsx (CSV files only, plus charts)")


def main(args: argparse.Namespace) -> int:
    loaded = load(args.scenario, args.overrides)
    check_scenario(loaded.scenario, collect(loaded.scenario), loaded.where)   # as validate does
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
    print("Budget gap and how it is met (cumulative)")
    print(gap_table_text(result))
    print()
    print(verdict(result))
    with staged_output(out) as staging:
        written = write_csvs(result, staging)
        progress(f"wrote {', '.join(written)}")
        write_documents(result, staging, charts=not args.no_charts, report=not args.no_report)
    print(f"\nOutputs written to {out}/")
    return 0


def write_documents(result, staging, charts: bool, report: bool) -> None:
    """Charts, workbook and report, each announced on stderr (imported here: only runs that write them pay)."""
    if charts:
        from mtfpmodel.outputs.charts import write_charts

        write_charts(result, staging, announce=lambda names: progress(f"wrote {', '.join(names)}"))
    if report:
        from mtfpmodel.outputs.report import write_report
        from mtfpmodel.outputs.workbook import write_workbook

        progress(f"wrote {', '.join(write_workbook(result, staging))}")
        progress(f"wrote {', '.join(write_report(result, staging, 'charts' if charts else None))}")


def safe_name(name: str) -> str:
    """A folder name from a scenario name: letters, digits, '-', '_' and '.' only."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name.strip())
    return cleaned.strip("-.") or "scenario"
