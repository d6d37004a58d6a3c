"""``mtfp report``: the whole cabinet pack in one go, as report.html and report.docx."""
from __future__ import annotations

import argparse
from pathlib import Path

from mtfpmodel.commands import print_warnings
from mtfpmodel.commands.run import safe_name
from mtfpmodel.scenario.errors import AnalysisError, UsageError
from mtfpmodel.scenario.series import plan_years

HELP = "the cabinet pack: plan, sensitivity, scenarios, risk and options, as report.html and report.docx"
DESCRIPTION = """\
Build the whole cabinet pack in one go, as one self-contained HTML page that prints
to A4 (report.html) and the same pack as a Word document with native tables and
headings (report.docx), plainly styled to drop into a committee report template:

  the verdict and headline figures; the MTFP table; the gap table; the bridge;
  funding (each source and grant by name, with its certainty and cliff edge; the
  council tax table: Band D by part, the rise a year and a week, the referendum
  check, Bands A to H); budget lines by group with pressures, the workforce and
  indexed contracts; the capital programme; the savings programme with RAG; the
  reserves statement with each reserve by year; a sensitivity page (each driver
  the scenario sets: its planned value, each +1 point in the first year and by
  the final year, the net gap at six whole-point values of it, and the tornado);
  a scenarios page (the plan and each --variants file side by side, named best,
  central and worst by the final year's net gap); a risk page when the scenario
  has a monte_carlo: block (fan chart, the chance the plan balances and of
  reserves falling below the minimum, the reserves needed for 80% and 90%
  confidence, the Sobol drivers); options to close the gap (council tax alone
  with its referendum check, savings alone, reserves alone); assumptions and
  sources; warnings.

Writes, into --out (default outputs/<scenario name>-pack/), atomically: the files
of 'mtfp run' (summary.csv ... gap_table.csv and charts/), the CSV behind each
analysis table (sensitivity.csv, sensitivity_grid.csv, tornado.csv, options.csv,
scenarios.csv, montecarlo.csv, montecarlo_headline.csv, sobol.csv), the analysis
charts in charts/, report.html and report.docx. Each --set applies to the plan and
to every variant, as in 'mtfp compare'.

--real INDEX shows the plan's pages at base-year prices, deflated by the
assumption INDEX (as 'mtfp run --real'), every table labelled with the unit and
the base year (e.g. "£000, 2024/25 prices"), and adds *_real.csv copies of the
plan's CSV files; council tax bills stay in cash, and the analysis pages, run on
the plan in cash, say "cash".

Monte Carlo uses the scenario's monte_carlo.draws (or --draws) and its seed, so the
pack is the same each time it is built; Sobol indices use --sobol-samples base
points (default 512; 0 leaves them out).

  mtfp report scenarios/durham-risk.yaml
  mtfp report scenarios/durham-risk.yaml --variants scenarios/durham-optimistic.yaml \\
      scenarios/durham-pessimistic.yaml --out outputs/cabinet-pack
  mtfp report scenarios/durham.yaml --real prices
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="scenario YAML file: the central plan")
    parser.add_argument("--variants", nargs="+", default=[], metavar="FILE",
                        help="variant scenario files for the scenarios page (e.g. optimistic and pessimistic "
                             "cases), covering the plan's years")
    parser.add_argument("--out", metavar="DIR", help="output folder (default outputs/<scenario name>-pack/)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override one value in the plan and every variant, e.g. assumptions.pay=3.5%%; "
                             "repeatable")
    parser.add_argument("--draws", type=int, metavar="N",
                        help="Monte Carlo draws for the risk page (default: the scenario's monte_carlo.draws)")
    parser.add_argument("--sobol-samples", type=int, metavar="N",
                        help="the risk page's Sobol base sample, a power of 2, or 0 for none (default 512; "
                             "N x (factors + 2) projections, at most 5,000,000)")
    parser.add_argument("--real", metavar="INDEX",
                        help="the plan's pages at base-year prices, deflated by the assumption INDEX (e.g. prices); "
                             "also writes *_real.csv copies of the plan's CSV files")
    parser.add_argument("--all", dest="everything", action="store_true",
                        help="sensitivity page: also move the rates the scenario leaves at their default")


def main(args: argparse.Namespace) -> int:
    from mtfpmodel.analysis.cabinet import SOBOL_SAMPLES, analyse
    from mtfpmodel.analysis.holding import check_scenario
    from mtfpmodel.commands._analysis import check_set_values_used
    from mtfpmodel.engine.parameters import collect
    from mtfpmodel.outputs.charts import write_charts
    from mtfpmodel.outputs.csvfiles import write_csvs
    from mtfpmodel.outputs.outdir import staged_output
    from mtfpmodel.outputs.report import write_pack
    from mtfpmodel.outputs.terminal import verdict
    from mtfpmodel.results.result import run
    from mtfpmodel.scenario.loader import load

    samples = SOBOL_SAMPLES if args.sobol_samples is None else args.sobol_samples
    if samples < 0 or (samples and samples & (samples - 1)) or samples == 1:
        raise UsageError(f"--sobol-samples {samples} must be a power of 2 such as 512, or 0 for none")
    loaded = load(args.scenario, args.overrides)
    params = collect(loaded.scenario)
    check_scenario(loaded, params)
    check_set_values_used(loaded, params)      # the risk page would draw over it
    if loaded.scenario.monte_carlo is None:      # (--sobol-samples 0 asks for none: nothing to refuse)
        for option, value in (("--draws", args.draws), ("--sobol-samples", args.sobol_samples or None)):
            if value is not None:
                raise UsageError(f"{option} {value}: {args.scenario} has no monte_carlo: block, so the pack has no "
                                 f"risk page to simulate; add one (see 'mtfp montecarlo --help') or leave {option} out")
    if args.draws is not None and loaded.scenario.monte_carlo is not None:
        from mtfpmodel.analysis.montecarlo import check_draws   # before anything is printed or drawn

        try:
            check_draws(loaded.scenario, args.draws)
        except AnalysisError as exc:
            raise UsageError(f"--draws {args.draws}: {exc}") from None
    if samples and loaded.scenario.monte_carlo is not None:
        from mtfpmodel.analysis.sobol import check_samples   # before the analyses, not after them

        check_samples(loaded.scenario, loaded.scenario.monte_carlo, samples)
    result = run(loaded)
    shown = result.in_real_terms(args.real) if args.real else result
    print_warnings(result.warnings)
    variants = [run(load(path, args.overrides)) for path in args.variants]
    for path, variant in zip(args.variants, variants):
        _check_same_years(result, variant, args.scenario, path)
        print_warnings(variant.warnings)
    scenario = result.scenario
    title = scenario.council or scenario.scenario
    print(f"{title}: {scenario.scenario} — cabinet pack, MTFP {plan_years(result.labels)}")
    for override in args.overrides:
        print(f"  with --set {override}")
    if shown.real:
        print(f"  in real terms: {shown.unit_label}, deflated by {shown.real.index}")
    print(verdict(shown))
    cabinet = analyse(result, variants, args.draws, samples, args.everything)
    out = Path(args.out) if args.out else Path("outputs") / f"{safe_name(scenario.scenario)}-pack"
    with staged_output(out) as staging:
        announce = staging.wrote
        announce(write_csvs(result, staging) + (write_csvs(shown, staging, suffix="_real") if shown.real else []))
        write_charts(shown, staging, announce=announce)
        pack = write_pack(shown, cabinet, staging, announce, cash=result)
    print(f"Pages: {', '.join(s.heading for s in pack.sections if s.heading)}")
    print(f"\nOutputs written to {out}/ (report.html, report.docx)")
    return 0


def _check_same_years(plan, variant, plan_path: str, variant_path: str) -> None:
    """A variant is the plan with other assumptions: it must cover the same years (the scenarios
    page sets them side by side and ranks them by the final year's net gap)."""
    if (variant.scenario.base_year, variant.scenario.years) != (plan.scenario.base_year, plan.scenario.years):
        raise AnalysisError(f"--variants {variant_path}: it covers {plan_years(variant.labels)}, the "
                            f"plan {plan_path} {plan_years(plan.labels)}; a variant must cover the "
                            "same years (give it the plan's base_year and years)")
