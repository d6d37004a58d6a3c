"""``mtfp montecarlo``: how likely the plan is to hold, from the scenario's monte_carlo block."""
from __future__ import annotations

import argparse
import sys
from functools import partial

from mtfpmodel.analysis import montecarlo
from mtfpmodel.commands._analysis import add_common, check_set_values_used, prepare
from mtfpmodel.outputs import riskcharts
from mtfpmodel.outputs.chartstyle import pyplot, scale_of
from mtfpmodel.outputs.outdir import Staging, staged_output
from mtfpmodel.outputs.parallel import Background
from mtfpmodel.results.result import run
from mtfpmodel.scenario.errors import AnalysisError, Problem, ScenarioError, UsageError
from mtfpmodel.scenario.units import figure, percent, rounded_money

SOBOL_SAMPLES = 1024       # --sobol's base sample unless --sobol-samples says

HELP = "Monte Carlo: P10/P50/P90 of the gap and reserves, and the chance the plan holds"
DESCRIPTION = """\
Simulate thousands of plausible plans from the scenario's `monte_carlo:` block:

  monte_carlo:
    draws: 20000
    seed: 2025
    distributions:
      assumptions.pay: {pert: [2%, 3%, 5%]}                 # the pay award each year
      assumptions.prices: {normal: {mean: 0%, sd: 0.75%}, apply: shift, shock: by_year}
      expenditure[Children looked after placements].demand: {triangular: [-2%, 0%, 3%], apply: shift}
    correlation:
      assumptions.pay: {assumptions.prices: 0.6}
    slippage: {delivers: 50%, delay_years: 1}

Families: normal {mean, sd}, triangular [low, mode, high], uniform [low, high],
pert [low, mode, high]. A drawn value is the input itself in every year, unless
`apply: shift` (then it is added to the plan's own values, in percentage points
for a rate; a --set on such an input then moves what each draw is added to,
while a --set on an input drawn as a value is refused, as the draw would
replace it). `shock: persistent` (default) draws once for the whole plan;
`shock: by_year` draws each year afresh. Correlations use a Gaussian copula and
must be consistent (a positive semi-definite matrix). Each savings stream is
delivered with probability equal to its confidence, else it slips: it delivers
`slippage.delivers` (default 50%) of its saving, `delay_years` later (default 0).
With `grant_loss: true`, each indicative or assumed grant is lost (in every year)
with probability 1 - its certainty share (grant_confidence: 90% and 70%).

Prints and writes (montecarlo.csv) the P10, P50 and P90 of the net gap and of
closing reserves by year; the probability that the plan balances in every year,
that reserves stay above the minimum, and that reserves have run out (a gap left
unfunded) by each year; and the opening reserves needed for 80% and 90%
confidence. The same seed gives exactly the same results. With --sobol: first and total order Sobol indices
of the final-year net gap and of the sum of net gaps (sobol.csv, sobol.png).

  mtfp montecarlo scenarios/durham-risk.yaml
  mtfp montecarlo scenarios/durham-risk.yaml --draws 100000 --seed 7 --sobol

Writes montecarlo.csv, montecarlo_headline.csv, fan_chart.png/.svg (and sobol.csv,
sobol.png/.svg) into --out (default outputs/<scenario name>/).
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--draws", type=int, metavar="N", help="number of simulated plans (default: the scenario's)")
    parser.add_argument("--seed", type=int, metavar="S", help="random seed (default: the scenario's, else random "
                                                              "and printed so the run can be repeated)")
    parser.add_argument("--sobol", action="store_true", help="also compute Sobol indices: which uncertainties "
                                                             "drive the gap")
    parser.add_argument("--sobol-samples", type=int, metavar="N",
                        help="with --sobol: the Sobol base sample, a power of 2 (default 1024; N x (factors + 2) "
                             "projections, at most 5,000,000)")


def main(args: argparse.Namespace) -> int:
    prep = prepare(args)
    scenario, labels, unit = prep.scenario, prep.labels, prep.unit
    config = scenario.monte_carlo
    if config is None:
        raise AnalysisError(f"{args.scenario} has no monte_carlo: block; add one with the distributions of the "
                            "uncertain inputs (see 'mtfp montecarlo --help' or scenarios/durham-risk.yaml)")
    check_set_values_used(prep.loaded, prep.params)
    draws = args.draws if args.draws is not None else config.draws
    _check_draws(prep, draws, from_file=args.draws is None)
    if args.sobol_samples is not None and not args.sobol:
        raise UsageError(f"--sobol-samples {args.sobol_samples} is used only with --sobol: add --sobol to compute "
                         "the Sobol indices, or leave --sobol-samples out")
    samples = SOBOL_SAMPLES if args.sobol_samples is None else args.sobol_samples
    if args.sobol and (samples < 2 or samples & (samples - 1)):
        raise UsageError(f"--sobol-samples {samples} must be a power of 2, such as 512 or 1024")
    if args.seed is not None and args.seed < 0:
        raise UsageError(f"--seed {args.seed} must be 0 or more")
    if args.sobol:
        from mtfpmodel.analysis.sobol import check_samples   # before the simulation, not after it

        check_samples(scenario, config, samples)
    seed = args.seed if args.seed is not None else config.seed

    title = scenario.council or scenario.scenario
    # The charts are drawn by a process started now, which imports matplotlib while this one
    # simulates, then takes a share of the simulation; it is handed the few figures the fan chart
    # needs once they are known, and draws it while this one prints and writes the CSV files.
    with staged_output(prep.out) as staging, Background(pyplot) as writer:
        long_run = draws > montecarlo.chunk_size(scenario) and sys.stderr.isatty()
        sim = montecarlo.simulate(scenario, prep.params, config, draws, seed, _ProgressBar() if long_run else None,
                                  helper=writer)      # which, once ready, projects chunks too
        table = montecarlo.by_year_columns(sim, labels)
        head = montecarlo.headline(sim)
        scale = scale_of(run(prep.loaded))
        writer.send(partial(riskcharts.draw_fan, riskcharts.fan_bands(sim, table, scale), sim.draws, labels, scale,
                            staging.path("fan_chart"), f"{title}: range of outcomes"))
        written = ["montecarlo.csv", "montecarlo_headline.csv", "fan_chart.png/.svg"]

        plans = f"{sim.draws:,} simulated plan{'s' if sim.draws != 1 else ''}"
        print(f"{title}: {scenario.scenario} — Monte Carlo, {plans} (seed {sim.seed})")
        for override in args.overrides:
            print(f"  with --set {override}")
        print()
        print(_quantile_table(table, unit))
        print()
        print(_headline_text(head, table, labels, unit))
        from mtfpmodel.outputs.csvfiles import write_csv      # pandas: imported once the figures are known

        write_csv(montecarlo.frame(table), staging.path("montecarlo.csv"))
        write_csv(montecarlo.headline_table(head, sim), staging.path("montecarlo_headline.csv"))
        if args.sobol:
            indices = _sobol(prep, config, samples, sim.seed)
            writer.send(partial(_write_sobol, staging, indices, f"{title}: what drives the {labels[-1]} net gap"))
            written += ["sobol.csv", "sobol.png/.svg"]
        writer.wait()
        staging.wrote(written)
    print(f"\nOutputs written to {prep.out}/")
    return 0


def _write_sobol(staging: Staging, indices, title: str) -> None:
    from mtfpmodel.outputs.csvfiles import write_csv

    write_csv(indices.table(), staging.path("sobol.csv"))
    riskcharts.sobol_chart(indices, staging.path("sobol"), title)


def _check_draws(prep, draws: int, from_file: bool) -> None:
    try:
        montecarlo.check_draws(prep.scenario, draws)
    except AnalysisError as exc:
        if not from_file:
            raise UsageError(f"--draws {draws}: {exc}") from None
        mark = prep.loaded.where.children.get("monte_carlo", prep.loaded.where)
        mark = mark.children.get("draws", mark)
        raise ScenarioError([Problem(str(exc), file=mark.file, line=mark.line, path="monte_carlo.draws")]) from None


class _ProgressBar:
    """simulating [########............] 40% 40,000 of 100,000 draws — on stderr, rewritten in place."""

    def __call__(self, done: int, total: int) -> None:
        filled = round(30 * done / total)
        print(f"\rsimulating [{'#' * filled}{'.' * (30 - filled)}] {done / total:4.0%} {done:,} of {total:,} draws",
              end="\n" if done >= total else "", file=sys.stderr, flush=True)


def _quantile_table(table, unit: str) -> str:
    decimals = 1 if unit == "£m" else 0
    years = list(table["year"])
    width = 40
    header = f"{'(' + unit + ')':<{width}}" + "".join(f"{y:>12}" for y in years)
    lines = [header, "-" * len(header)]
    for name, heading in (("net_gap", "Net gap"), ("closing_reserves", "Closing reserves")):
        for q, text in (("p10", "P10 (1 in 10 lower)"), ("p50", "P50 (median)"), ("p90", "P90 (1 in 10 higher)")):
            lines.append(f"{heading + ' ' + text:<{width}}" + "".join(f"{figure(v, decimals):>12}"
                                                                for v in table[f"{name}_{q}"]))
    lines.append(f"{'Chance reserves have run out by then':<{width}}" + "".join(f"{percent(v, 1):>12}" for v in table["p_reserves_exhausted_by_year"]))
    return "\n".join(lines)


def _headline_text(head, table, labels, unit: str) -> str:
    money = lambda v: rounded_money(v, unit)  # noqa: E731
    facts = (("the plan balances in every year (reserves never run out)", head.p_balances),
             ("reserves stay at or above the minimum in every year", head.p_above_minimum),
             (f"reserves have run out by {labels[-1]}", head.p_exhausted_by_end))
    lines = [f"Chance {text + ':':<58}{percent(p, 1):>7}" for text, p in facts]
    lines.append(f"Opening reserves needed (planned {money(head.opening_reserves)}):")
    for p in montecarlo.CONFIDENCE:
        lines.append(f"  for {p:.0%} confidence: {money(head.needed_to_last[p])} never to run out, "
                     f"{money(head.needed_above_minimum[p])} to stay above the minimum")
    return "\n".join(lines)


def _sobol(prep, config, samples: int, seed: int):
    from mtfpmodel.analysis import sobol     # scipy.stats: imported only when --sobol asks for it

    if not config.distributions and not (config.savings_delivery and prep.scenario.savings):
        raise AnalysisError("--sobol needs at least one distribution or savings stream to vary")
    if config.correlation:
        print("\nnote: Sobol indices treat the inputs as independent; the correlations are ignored for them.")
    indices = sobol.sobol(prep.scenario, prep.params, config, prep.labels, samples, seed)
    table = indices.table()
    print(f"\nWhat drives the {prep.labels[-1]} net gap (Sobol indices, {indices.samples:,} projections):")
    shown = table.head(12)
    width = max([48, *(len(factor) + 1 for factor in shown["factor"])])     # whole names: 'Adult home ... 2026/27'
    print(f"  {'factor':<{width}}{'first order':>12}{'total order':>12}")
    for _, row in shown.iterrows():
        print(f"  {row['factor']:<{width}}{row['first_order_final_year_net_gap']:>12.3f}"
              f"{row['total_order_final_year_net_gap']:>12.3f}")
    return indices
