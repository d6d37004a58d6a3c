"""Monte Carlo benchmark: 100,000 draws of the Durham-style plan with its savings streams, cost
drivers (volume-driven lines, the workforce with its on-costs, indexed contracts) and capital
programme (the borrowing rate drawn, so MRP and interest are worked out for every draw), with
its named reserves worked year by year (planned use, unplanned use in order, surpluses).

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
        overrides, multiplier, received = montecarlo.sample(scenario, params, config, rng, n)
        inputs = replace(build_inputs(scenario, overrides, params), delivery=multiplier, received=received)
        chunks.append(prebuilt(inputs, n))
    return chunks


def prebuilt(inputs, n: int) -> dict:
    """Full-size arrays for the kernel: every input expanded to n draws, stream gross terms ready."""
    def full(array):
        return np.ascontiguousarray(np.broadcast_to(array, (n,) + array.shape[1:]))
    streams = inputs.streams
    kinds = [s.kind.__name__.rsplit(".", 1)[1] for s in streams]
    v, w, c = inputs.volumes, inputs.workforce, inputs.contracts
    return {
        "share": inputs.component_share, "rate": full(inputs.assumption_rate),
        "assumption": inputs.component_assumption, "line_of": inputs.component_line,
        "scale": full(v.scale), "vol_base": full(v.base), "vol_growth": full(v.growth),
        "vol_values": full(v.values), "vol_given": v.given, "periods": full(v.periods),
        "workforce": None if w is None else {
            "fte": full(w.fte), "headcount": full(w.headcount), "salary": full(w.salary), "award": full(w.award),
            "drift": full(w.drift), "vacancy": full(w.vacancy), "ni_rate": full(w.ni_rate),
            "ni_threshold": full(w.ni_threshold), "pension": full(w.pension_rate), "levy": full(w.levy_rate),
            "allowance": full(w.levy_allowance), "share": w.share},
        "contracts": None if c is None else {
            "value": full(c.value), "index": full(c.index), "lag": c.lag, "cap": full(c.cap),
            "collar": full(c.collar), "in_term": c.in_term, "line": c.line},
        "pressure": full(np.where(inputs.pressure_recurring[None, :, None], np.cumsum(inputs.pressure_amount, -1),
                                  inputs.pressure_amount)).sum(axis=1),
        "tax_base": full(inputs.tax_base), "tb_growth": full(inputs.tax_base_growth), "band_d": full(inputs.band_d),
        "increase": full(inputs.band_d_increase), "fund": full(inputs.collection_fund),
        "src_base": full(inputs.source_base), "src_growth": full(inputs.source_growth),
        "src_values": given_with_base(full(inputs.source_values), full(inputs.source_base)), "src_given": inputs.source_given,
        "src_kept": full(kept_sources(inputs)),
        "streams": [(kind, {k: full(np.asarray(v)) if isinstance(v, np.ndarray) and v.ndim else v
                            for k, v in vars(s.arrays).items()}) for kind, s in zip(kinds, streams)],
        "financing": sum((financing_cost(s.capital, s.interest_rate, s.life, s.method) for s in streams
                          if s.capital is not None), np.zeros((1, inputs.years + 1))),
        "one_off": sum((s.implementation_cost for s in streams if s.funded_by == "revenue"), np.zeros((1, 1))),
        "from_reserves": sum((s.implementation_cost for s in streams if s.funded_by == "reserves"), np.zeros((1, 1))),
        "delivery": full(inputs.delivery), "unit": inputs.unit, "reserves": prebuilt_reserves(inputs.reserves, full),
        "capital": prebuilt_capital(inputs.capital, full),
    }


def kept_sources(inputs) -> np.ndarray:
    """(D, S, T+1) 1 where a funding source is received: 0 after a grant ends or in a draw that loses it."""
    kept = np.broadcast_to(inputs.source_active[None, :, :].astype(float),
                           (1,) + inputs.source_active.shape)
    if inputs.received is not None:
        kept = kept * np.concatenate([np.ones(inputs.received.shape + (1,)),
                                      np.repeat(inputs.received[:, :, None], kept.shape[-1] - 1, axis=-1)], axis=-1)
    return kept


def prebuilt_reserves(r, full) -> dict:
    """Each reserve's opening balance, contributions and planned use at full size, and which reserves
    meet gaps, are usable (not ring-fenced), and are the first that meets gaps."""
    return {"opening": full(r.opening), "contributions": full(r.contributions), "planned_use": full(r.planned_use),
            "meets": r.meets_gap, "usable": ~r.ring_fenced, "first": r.first}


def reserves_kernel(r: dict, gap: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """The reserves plan, year by year over all draws: contributions, planned use, reserve-funded
    costs from the first reserve that meets gaps, unplanned use in order, a surplus back to the
    first; returns closing usable reserves (n, T+1)."""
    bal = r["opening"].copy()
    closing = np.empty(gap.shape)
    closing[:, 0] = bal[:, r["usable"]].sum(axis=1)
    first = r["first"]
    for t in range(1, gap.shape[1]):
        bal += r["contributions"][:, :, t]
        planned = np.minimum(r["planned_use"][:, :, t], bal)
        bal -= planned
        if first is not None:
            bal[:, first] -= np.minimum(costs[:, t], bal[:, first])
        still = gap[:, t] - planned.sum(axis=1)
        available = np.where(r["meets"], bal, 0.0)
        before = np.cumsum(available, axis=1) - available
        bal -= np.clip(np.maximum(still, 0.0)[:, None] - before, 0.0, available)
        if first is not None:
            bal[:, first] += np.maximum(-still, 0.0)
        closing[:, t] = bal[:, r["usable"]].sum(axis=1)
    return closing


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


def workforce_kernel(w: dict, unit: float) -> np.ndarray:
    """Whole cost of each pay group, (n, G, T+1): pay bill, employer NI, pension and levy."""
    salary = w["salary"][:, :, None] * np.cumprod(1 + w["award"], -1)
    pay = (w["fte"] * (1 + w["drift"]) * (1 - w["vacancy"]))[:, :, None] * salary / unit
    each = (w["fte"] * (1 + w["drift"]) / w["headcount"])[:, :, None] * salary
    heads = (w["headcount"] * (1 - w["vacancy"]))[:, :, None]
    ni = w["ni_rate"][:, None] * np.maximum(each - w["ni_threshold"][:, None], 0) * heads / unit
    total_pay = pay.sum(1, keepdims=True)
    levy = w["levy"][:, None, None] * np.maximum(total_pay - w["allowance"][:, None, None], 0) * pay / total_pay
    return pay * (1 + w["pension"][:, None]) + ni + levy


def contracts_kernel(c: dict, price: dict) -> np.ndarray:
    """Each contract's cost, (n, C, T+1): lagged index within cap and collar in its term, else its line's prices."""
    years = c["index"].shape[-1]
    uplift = np.empty_like(c["index"])
    for j, (lag, line) in enumerate(zip(c["lag"], c["line"])):
        lagged = c["index"][:, j, np.maximum(np.arange(years) - lag, 0)]
        clause = np.clip(lagged, c["collar"][:, j, None], c["cap"][:, j, None])
        p = price.get(line)
        other = np.zeros_like(clause) if p is None else np.concatenate([np.zeros_like(p[:, :1]), p[:, 1:] / p[:, :-1] - 1], 1)
        uplift[:, j] = np.where(c["in_term"][j], clause, other)
    uplift[:, :, 0] = 0
    return c["value"][:, :, None] * np.cumprod(1 + uplift, -1)


def kernel(a: dict) -> tuple[np.ndarray, np.ndarray]:
    """The plan's arithmetic and nothing else: net gap and closing reserves per draw."""
    inflation = np.cumprod(1 + a["rate"], -1)
    volume = a["vol_base"][:, :, None] * np.cumprod(1 + a["vol_growth"], -1)
    volume = np.where(a["vol_given"][None, :, None], a["vol_values"], volume)
    lines = a["scale"].shape[1]
    price = {}
    needed = {int(s["moves_from"]) for kind, s in a["streams"] if kind == "unit_cost" and s["moves_from"] is not None}
    needed |= set() if a["contracts"] is None else {int(x) for x in a["contracts"]["line"]}
    for line in needed:
        ks = np.flatnonzero(a["line_of"] == line)
        price[line] = sum(a["share"][k] * inflation[:, a["assumption"][k]] for k in ks)
    carved = np.zeros((a["scale"].shape[0], lines))
    extra = 0.0
    if a["workforce"] is not None:
        staff = np.einsum("lg,ngt->nlt", a["workforce"]["share"], workforce_kernel(a["workforce"], a["unit"]))
        carved += staff[:, :, 0]
        extra = staff.sum(axis=1)
    if a["contracts"] is not None:
        contracts = contracts_kernel(a["contracts"], price)
        np.add.at(carved, (slice(None), a["contracts"]["line"]), contracts[:, :, 0])
        extra = extra + contracts.sum(axis=1)
    base = (a["scale"] - carved)[:, a["line_of"]] * a["share"]
    cost = base[:, :, None] * inflation[:, a["assumption"]] * volume[:, a["line_of"]]
    spend = (cost.sum(axis=1) + extra + a["pressure"] + capital_cost(a["capital"])
             + a["reserves"]["contributions"].sum(axis=1))
    tax = a["tax_base"][:, None] * np.cumprod(1 + a["tb_growth"], -1) * a["band_d"][:, None] \
        * np.cumprod(1 + a["increase"], -1) / a["unit"] + a["fund"]
    grown = a["src_base"][:, :, None] * np.cumprod(1 + a["src_growth"], -1)
    sources = (np.where(a["src_given"][None, :, None], a["src_values"], grown) * a["src_kept"]).sum(axis=1)
    gross = []
    for kind, s in a["streams"]:
        if kind == "fixed":
            gross.append(np.cumsum(s["saving"], -1) if s["recurring"] else s["saving"])
        elif kind == "share_of_line":
            on = cost[:, s["component"]] if s["component"] is not None else cost[:, a["line_of"] == s["line"]].sum(1)
            gross.append(on * s["reduction"][:, None] * s["phasing"])
        elif s["moves_from"] is not None:
            line = int(s["moves_from"])
            moved = np.minimum(s["volume"], volume[:, line])
            cheaper = s["cost_to"][:, None] * np.cumprod(1 + s["growth"], -1) * s["periods"][:, None] / s["unit"]
            gross.append(moved * (a["scale"][:, line, None] * price[line] - cheaper))
        else:
            gross.append(s["volume"] * ((s["cost_from"] - s["cost_to"]) * s["periods"] / s["unit"])[:, None]
                         * np.cumprod(1 + s["growth"], -1))
    savings = (np.stack(gross, axis=1) * a["delivery"]).sum(axis=1) - a["financing"]
    savings[:, 0] = 0
    gap = spend - tax - sources - savings + a["one_off"]
    costs = np.broadcast_to(a["from_reserves"], gap.shape)
    return gap, reserves_kernel(a["reserves"], gap, costs)


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
    drivers = (f"{sum(line.volume is not None for line in scenario.expenditure)} volume-driven, "
               f"{len(scenario.workforce.groups) if scenario.workforce else 0} pay groups, "
               f"{len(scenario.contracts)} contracts")
    print(f"scenario {scenario.scenario}: {len(scenario.expenditure)} lines ({drivers}), "
          f"{len(scenario.savings)} savings streams, "
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
    gap, closing = kernel(chunks[0])
    floor = best_of(3, lambda: [kernel(c) for c in chunks])
    print(f"(c) floor (hand-written numpy kernel on pre-built arrays): {floor:.3f} s; "
          f"the full simulation is {wall / floor:.2f}x the floor (target ≤ 3x)")
    sim = montecarlo.simulate(scenario, params, config, montecarlo.chunk_size(scenario), seed)
    check = np.abs(sim.net_gap - gap).max()
    balances = np.abs(sim.closing_reserves - closing).max()
    print(f"    kernel and engine agree on the first chunk's net gap to {check:.2e} and closing reserves to "
          f"{balances:.2e} [{scenario.units}]")

    tracemalloc.start()
    montecarlo.simulate(scenario, params, config, draws, seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"peak memory: {peak / 2**20:,.0f} MiB allocated by the simulation (tracemalloc); "
          f"process maximum resident {rss:,.2f} GiB (target < 2 GiB)")


if __name__ == "__main__":
    main()
