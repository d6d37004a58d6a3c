"""Monte Carlo benchmark: 100,000 draws of the Durham-style plan with its savings streams and
capital programme (the borrowing rate drawn, so MRP and interest are worked out for every draw).

Prints
  (a) the wall time of ``mtfp montecarlo``'s simulation (sampling, chunked engine calls, keeping
      each draw's net gap and reserves);
  (b) how many times faster that is than a Python loop of single deterministic runs
      (200 calls of ``mtfpmodel.run`` with drawn overrides, timed and scaled to 100,000);
  (c) how many times slower it is than the floor: a minimal hand-written numpy kernel doing only
      the core arithmetic of the plan on pre-built input arrays;
and the peak memory (tracemalloc, and the process's maximum resident set size).
Targets: (b) at least 200x, (c) at most 3x, about 1 s, under 2 GiB.

    .venv/bin/python benchmarks/montecarlo.py [--draws 100000] [--scenario scenarios/durham-risk.yaml]
"""
from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np

import mtfpmodel
from mtfpmodel.analysis import montecarlo
from mtfpmodel.engine.financing import financing_cost
from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.engine.parameters import collect

ROOT = Path(__file__).resolve().parent.parent


def best_of(repeats: int, fn) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def sampled_chunks(scenario, params, config, draws: int, seed: int):
    """Pre-built engine inputs for each chunk of draws (the floor kernel's starting point)."""
    rng = np.random.default_rng(seed)
    size = montecarlo.chunk_size(scenario)
    chunks = []
    for start in range(0, draws, size):
        n = min(size, draws - start)
        overrides, multiplier = montecarlo.sample(scenario, params, config, rng, n)
        inputs = replace(build_inputs(scenario, overrides, params), delivery=multiplier)
        chunks.append(prebuilt(inputs, n))
    return chunks


def prebuilt(inputs, n: int) -> dict:
    """Full-size arrays for the kernel: every input expanded to n draws, stream gross terms ready."""
    def full(array):
        return np.ascontiguousarray(np.broadcast_to(array, (n,) + array.shape[1:]))
    streams = inputs.streams
    kinds = [s.kind.__name__.rsplit(".", 1)[1] for s in streams]
    return {
        "base": full(inputs.component_base), "rate": full(inputs.component_rate),
        "demand": full(inputs.line_demand[:, inputs.component_line, :]), "line_of": inputs.component_line,
        "pressure": full(np.where(inputs.pressure_recurring[None, :, None], np.cumsum(inputs.pressure_amount, -1),
                                  inputs.pressure_amount)).sum(axis=1),
        "tax_base": full(inputs.tax_base), "tb_growth": full(inputs.tax_base_growth), "band_d": full(inputs.band_d),
        "increase": full(inputs.band_d_increase), "fund": full(inputs.collection_fund),
        "src_base": full(inputs.source_base), "src_growth": full(inputs.source_growth),
        "src_values": given_with_base(full(inputs.source_values), full(inputs.source_base)), "src_given": inputs.source_given,
        "streams": [(kind, {k: full(np.asarray(v)) if isinstance(v, np.ndarray) and v.ndim else v
                            for k, v in vars(s.arrays).items()}) for kind, s in zip(kinds, streams)],
        "financing": sum((financing_cost(s.capital, s.interest_rate, s.life, s.method) for s in streams
                          if s.capital is not None), np.zeros((1, inputs.years + 1))),
        "one_off": sum((s.implementation_cost for s in streams if s.funded_by == "revenue"), np.zeros((1, 1))),
        "from_reserves": sum((s.implementation_cost for s in streams if s.funded_by == "reserves"), np.zeros((1, 1))),
        "delivery": full(inputs.delivery), "unit": inputs.unit, "opening": full(inputs.reserves_opening),
        "minimum": full(inputs.reserves_minimum),
        "capital": prebuilt_capital(inputs.capital, full),
    }


def prebuilt_capital(capital, full) -> dict:
    """The capital programme's inputs: each scheme's borrowing, the borrowing rate by year (drawn),
    the existing debt charges and revenue contributions, all at full size."""
    return {"schemes": [(full(capital.spend[:, c, 0]), life, method)
                        for c, (life, method) in enumerate(zip(capital.life, capital.method))],
            "rate": full(capital.rate), "existing": full(capital.existing),
            "revenue": full(capital.spend[:, :, 3].sum(axis=1))}


def capital_cost(c: dict) -> np.ndarray:
    """Existing debt charges + revenue contributions + each year's borrowing repaid from the year
    after at that year's rate: annuity P*r/(1-(1+r)**-n) (rates here are above 0) or straight line
    P/n + r*P*(1-(k-1)/n), k = 1..n."""
    total = c["existing"] + c["revenue"]
    horizon = total.shape[1] - 1
    for borrowing, life, method in c["schemes"]:
        for s in range(1, horizon):
            k = np.arange(1, min(life, horizon - s) + 1)
            principal, r = borrowing[:, s:s + 1], c["rate"][:, s:s + 1]
            if method == "straight_line":
                payment = principal / life + r * principal * (1 - (k - 1) / life)
            else:
                payment = principal * r / (1 - (1 + r) ** -life)
            total[:, s + 1:s + 1 + k.size] += payment
    return total


def given_with_base(values: np.ndarray, base: np.ndarray) -> np.ndarray:
    values[:, :, 0] = base
    return values


def kernel(a: dict) -> tuple[np.ndarray, np.ndarray]:
    """The plan's arithmetic and nothing else: net gap and closing reserves per draw."""
    cost = a["base"][:, :, None] * np.cumprod((1 + a["rate"]) * (1 + a["demand"]), axis=-1)
    spend = cost.sum(axis=1) + a["pressure"] + capital_cost(a["capital"])
    tax = a["tax_base"][:, None] * np.cumprod(1 + a["tb_growth"], -1) * a["band_d"][:, None] \
        * np.cumprod(1 + a["increase"], -1) / a["unit"] + a["fund"]
    grown = a["src_base"][:, :, None] * np.cumprod(1 + a["src_growth"], -1)
    sources = np.where(a["src_given"][None, :, None], a["src_values"], grown).sum(axis=1)
    gross = []
    for kind, s in a["streams"]:
        if kind == "fixed":
            gross.append(np.cumsum(s["saving"], -1) if s["recurring"] else s["saving"])
        elif kind == "share_of_line":
            on = cost[:, s["component"]] if s["component"] is not None else cost[:, a["line_of"] == s["line"]].sum(1)
            gross.append(on * s["reduction"][:, None] * s["phasing"])
        else:
            gross.append(s["volume"] * ((s["cost_from"] - s["cost_to"]) * s["periods"] / s["unit"])[:, None]
                         * np.cumprod(1 + s["growth"], -1))
    savings = (np.stack(gross, axis=1) * a["delivery"]).sum(axis=1) - a["financing"]
    savings[:, 0] = 0
    gap = spend - tax - sources - savings + a["one_off"]
    drawn = np.maximum(gap, 0)
    change = np.maximum(-gap, 0) - drawn - a["from_reserves"]
    change[:, 0] = 0
    return gap, a["opening"][:, None] + np.cumsum(change, -1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "durham-risk.yaml"))
    parser.add_argument("--loop-runs", type=int, default=200)
    args = parser.parse_args()

    loaded = mtfpmodel.load(args.scenario)
    scenario = loaded.scenario
    params = collect(scenario)
    config = scenario.monte_carlo
    draws, seed = args.draws, 1
    print(f"scenario {scenario.scenario}: {len(scenario.expenditure)} lines, {len(scenario.savings)} savings streams, "
          f"{len(config.distributions)} uncertain inputs, {draws:,} draws, chunks of {montecarlo.chunk_size(scenario):,}")

    montecarlo.simulate(scenario, params, config, 2_000, seed)           # warm up imports and caches
    wall = best_of(3, lambda: montecarlo.simulate(scenario, params, config, draws, seed))
    print(f"(a) Monte Carlo, {draws:,} draws: {wall:.3f} s  ({wall / draws * 1e6:.1f} µs a draw)")

    pay = np.random.default_rng(seed).uniform(0.02, 0.05, args.loop_runs)
    single = best_of(3, lambda: [mtfpmodel.run(scenario, {"assumptions.pay": p}) for p in pay]) / args.loop_runs
    loop = single * draws
    print(f"(b) Python loop of single runs: {single * 1e3:.2f} ms a run → {loop:,.0f} s for {draws:,}; "
          f"batched is {loop / wall:,.0f}x faster (target ≥ 200x)")

    chunks = sampled_chunks(scenario, params, config, draws, seed)
    gap, _ = kernel(chunks[0])
    floor = best_of(3, lambda: [kernel(c) for c in chunks])
    print(f"(c) floor (hand-written numpy kernel on pre-built arrays): {floor:.3f} s; "
          f"the full simulation is {wall / floor:.2f}x the floor (target ≤ 3x)")
    sim = montecarlo.simulate(scenario, params, config, montecarlo.chunk_size(scenario), seed)
    check = np.abs(sim.net_gap - gap).max()
    print(f"    kernel and engine agree on the first chunk's net gap to {check:.2e} [{scenario.units}]")

    tracemalloc.start()
    montecarlo.simulate(scenario, params, config, draws, seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"peak memory: {peak / 2**20:,.0f} MiB allocated by the simulation (tracemalloc); "
          f"process maximum resident {rss:,.2f} GiB (target < 2 GiB)")


if __name__ == "__main__":
    main()
