"""``mtfp run``: project a scenario, print the MTFP table, write the output files."""
from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

from mtfpmodel.analysis.holding import checked_run
from mtfpmodel.commands import print_warnings
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.scenario.loader import load
from mtfpmodel.scenario.series import plan_years

HELP = "project a scenario and write its outputs"
DESCRIPTION = """\
Project the plan over its years, print the MTFP table, the gap table and the
reserves statement, and write, into --out (default outputs/<scenario name>/):
summary.csv, lines.csv, funding.csv, savings.csv, streams.csv, gap_table.csv
(the gap table in the shape cabinet papers print it: gap before savings,
savings identified by category, planned use of each reserve, savings still to
find, unplanned use, unfunded gap), reserves.csv (each reserve's opening,
contributions, planned and unplanned use, implementation costs, surplus and
closing balance by year) and council_tax.csv (tax base, Band D by part, the
rise a year and a week, yield, Bands A to H); workforce.csv, contracts.csv and
capital.csv when the scenario has a workforce:, contracts: or capital programme.
--detail also prints the council tax table, the budget lines by group (for a
plan built from cost drivers), the workforce table and the capital programme.
Then, unless turned off,
  charts/      gap, bridge, savings and reserves charts, each as PNG (300 dpi) and SVG
  mtfp.xlsx    the workbook: a live model (Inputs sheet, formulas, Checks) with the
               figures cached, so it reads the same before and after recalculating
  report.html  the cabinet report: verdict, tables, charts, assumptions, warnings;
               one self-contained file that prints to A4
--no-charts skips the charts (the report is then written without them);
--no-report skips both documents for people, report.html and mtfp.xlsx.
A plan with a capital programme also writes capital.csv (each scheme's spend by
financing source, MRP, interest and capital financing requirement by year); --detail
prints the programme by year.

--real INDEX shows every money figure on screen at base-year prices, deflated by
the assumption INDEX (e.g. prices or CPI): figure[t] / prod over s <= t of
(1 + INDEX[s]), labelled with the unit and the base year (e.g. "£000, 2024/25
prices" for a 2024/25 base); the CSV files gain real-terms variants
(summary_real.csv, lines_real.csv, ...); the charts and report.html show the
plan at those prices too (council tax bills stay in cash); the workbook stays in
cash, a live model of the plan.
Files are written atomically: if anything fails, the previous outputs are left as
they were. Once they are in place, a line for each file written goes to stderr. A
file of an earlier run that this one does not write (mtfp.xlsx and report.html after
--no-report, the charts after --no-charts, workforce.csv once the plan has no
workforce, the *_real.csv files without --real) is removed, and said so, so that the
folder never holds a stale file beside the new ones; other commands' files are left. Only
a file an earlier run wrote and nobody has changed since is removed (the run records what it
wrote in the hidden file .mtfp-files); your own file of such a name is kept, with a note.

  mtfp run scenarios/example.yaml
  mtfp run scenarios/durham.yaml --detail
  mtfp run scenarios/durham.yaml --out outputs/durham-pay4 --set assumptions.pay=4%
  mtfp run scenarios/durham.yaml --set "reserves[MTFP support reserve].planned_use=[5000, 0, 0, 0]"
  mtfp run scenarios/durham.yaml --real prices
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="scenario YAML file")
    parser.add_argument("--out", metavar="DIR", help="output folder (default outputs/<scenario name>/)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override one value, e.g. assumptions.pay=3.5%% or "
                             "'expenditure[Children's social care].demand=6%%'; repeatable")
    parser.add_argument("--real", metavar="INDEX",
                        help="show figures (terminal, charts, report.html) at base-year prices, deflated by the "
                             "assumption INDEX (e.g. prices), and write *_real.csv variants of the CSV files")
    parser.add_argument("--detail", action="store_true",
                        help="also print the council tax table (tax base, Band D by part, Bands A to H), the "
                             "budget lines by group, the workforce table and the capital programme")
    parser.add_argument("--no-charts", action="store_true", help="do not draw the charts (faster)")
    parser.add_argument("--no-report", action="store_true",
                        help="do not write report.html or the workbook mtfp.xlsx (CSV files only, plus charts)")


def main(args: argparse.Namespace) -> int:
    result = checked_run(load(args.scenario, args.overrides))     # as validate checks it
    shown = result.in_real_terms(args.real) if args.real else result
    print_warnings(result.warnings)
    out = Path(args.out) if args.out else Path("outputs") / safe_name(result.scenario.scenario)
    with staged_output(out, "run") as staging, start_charts(shown, staging, not args.no_charts) as charts:
        # The charts are drawn in a background process from here on (importing matplotlib is
        # much of their cost); this one meanwhile prints the tables and writes the other files.
        show(shown, args)
        from mtfpmodel.outputs.csvfiles import run_csv_names, write_csvs

        written = write_csvs(result, staging)
        if shown.real:
            written += write_csvs(shown, staging, suffix="_real")
        staging.wrote(written)
        write_documents(result, staging, charts, report=not args.no_report, shown=shown)
        from mtfpmodel.outputs.charts import chart_files

        pack = (out / "report.docx").exists()       # the folder of a cabinet pack: its report.html stays
        documents = ["mtfp.xlsx"] if pack else RUN_DOCUMENTS
        staging.own(run_csv_names() + documents + [name for names in chart_files() for name in names])
    if pack and not args.no_report:
        print(f"note: {out} holds a cabinet pack (report.docx): its report.html is now this run's report; run "
              "'mtfp report' again to bring the pack's pages back in step", file=sys.stderr)
    print(f"\nOutputs written to {out}/")
    return 0


def show(shown, args: argparse.Namespace) -> None:
    """Print the MTFP table, the gap table, the reserves statement (and ``--detail``) and the verdict."""
    from mtfpmodel.outputs.statements import reserves_statement_text
    from mtfpmodel.outputs.terminal import gap_table_text, mtfp_table, verdict

    title = shown.scenario.council or shown.scenario.scenario
    print(f"{title}: {shown.scenario.scenario} — MTFP {plan_years(shown.labels)}")
    for override in args.overrides:
        print(f"  with --set {override}")
    if shown.real:
        print(f"  in real terms: {shown.unit_label}, deflated by {shown.real.index}")
    print()
    print(mtfp_table(shown))
    print()
    print("Budget gap and how it is met (cumulative)")
    print(gap_table_text(shown))
    print()
    print("Reserves statement")
    print(reserves_statement_text(shown))
    print()
    if args.detail:
        print_detail(shown)
    print(verdict(shown))


def print_detail(result) -> None:
    """``--detail``: the council tax table, the budget lines by group and the workforce table (for a
    plan built from cost drivers) and the capital programme (when it has one)."""
    from mtfpmodel.outputs.drivertext import line_table_text, workforce_text
    from mtfpmodel.outputs.statements import council_tax_text
    from mtfpmodel.outputs.terminal import capital_table_text
    from mtfpmodel.results.linetable import uses_drivers

    print("Council tax")
    print(council_tax_text(result))
    print()
    if uses_drivers(result):
        print(line_table_text(result))
        print()
    if result.scenario.workforce is not None:
        print(workforce_text(result))
        print()
    if result.has_capital:
        print("Capital programme and its financing")
        print(capital_table_text(result))
        print()


def start_charts(shown, staging, charts: bool):
    """The charts of ``shown`` being drawn into ``staging`` in the background (a context manager
    that waits for them, or stops them on an error); a stand-in doing nothing with ``charts`` off."""
    if not charts:
        return nullcontext(None)
    from mtfpmodel.outputs.charts import draw_in_background

    return draw_in_background(shown, staging)


def write_documents(result, staging, charts, report: bool, shown=None) -> None:
    """Workbook, charts and report, each announced on stderr (imported here: only runs that write them
    pay). ``charts`` is the charts' background drawing (from :func:`start_charts`) or None for none:
    the workbook is written and the report laid out while they are drawn. ``shown`` is the plan as
    printed (in real terms with ``--real``): the charts and report show it, the workbook (a live
    model) stays in cash."""
    shown = shown or result
    written = []
    if report:
        from mtfpmodel.outputs.report import write_report
        from mtfpmodel.outputs.workbook import write_workbook

        workbook = write_workbook(result, staging)
        page = write_report(shown, staging, "charts" if charts is not None else None,
                            drawn=charts.wait if charts is not None else None)
        written = [workbook, page]
    elif charts is not None:
        charts.wait()
    if charts is not None:
        from mtfpmodel.outputs.charts import chart_files

        for names in chart_files():
            staging.wrote(names)
    for names in written:
        staging.wrote(names)


RUN_DOCUMENTS = ["mtfp.xlsx", "report.html"]


FOLDER_NAME = 100      # characters at most of a default output folder's name: any system can make it
FOLDER_BYTES = 200     # and bytes at most in UTF-8 (systems count a name's limit, 255, in bytes)


def safe_name(name: str) -> str:
    """A folder name from a scenario name: letters, digits, '-', '_' and '.' only, at most
    :data:`FOLDER_NAME` characters and :data:`FOLDER_BYTES` bytes (a scenario may be named at
    length, in any script; a folder name may not)."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name.strip())[:FOLDER_NAME]
    while len(cleaned.encode("utf-8")) > FOLDER_BYTES:
        cleaned = cleaned[:-1]
    return cleaned.strip("-.") or "scenario"
