"""Hypothesis properties: identities of the plan, monotonic drivers, batched = single runs.

Most properties vary inputs the way sensitivity and Monte Carlo do: overrides with a leading
draws axis, passed to ``inputs.build_inputs`` and run in one engine call.
"""
from __future__ import annotations

import tempfile
import textwrap
from pathlib import Path

import numpy as np
from conftest import SCENARIOS
from hypothesis import given, settings
from hypothesis import strategies as st

import mtfpmodel
from mtfpmodel.engine import parameters as P
from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.engine.projection import project

T = 4
FAST = settings(max_examples=25, deadline=None)

STREAMS = mtfpmodel.load(SCENARIOS / "streams.yaml").scenario
HAND = mtfpmodel.load(SCENARIOS / "hand.yaml").scenario
STREAM_PARAMS = P.collect(STREAMS)
HAND_PARAMS = P.collect(HAND)


def random_overrides(params, rng: np.random.Generator, draws: int) -> dict[str, np.ndarray]:
    """Every parameter drawn around its base value, one row per draw."""
    out = {}
    for path, param in params.items():
        if param.kind == "rate":
            out[path] = rng.uniform(-0.05, 0.15, (draws, T))
        elif param.kind in ("amount", "volume"):
            out[path] = rng.uniform(0, 2, (draws, T)) * np.maximum(param.value, 10)
        elif path.endswith(("confidence", "reduction")):
            out[path] = rng.uniform(0, 1, draws)
        elif path.endswith("interest_rate"):
            out[path] = rng.uniform(0, 0.1, draws)
        else:
            out[path] = rng.uniform(0.5, 1.5, draws) * float(param.value)
    return out


def engine(scenario, params, overrides):
    return project(build_inputs(scenario, overrides, params))


draws_and_seed = dict(seed=st.integers(0, 2**32 - 1), draws=st.integers(1, 6))


@FAST
@given(**draws_and_seed)
def test_identities(seed, draws):
    r = engine(STREAMS, STREAM_PARAMS, random_overrides(STREAM_PARAMS, np.random.default_rng(seed), draws))
    close = lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-9)
    close(r.gross_gap, r.net_expenditure - r.funding)
    close(r.net_gap, r.gross_gap - r.savings + r.one_off_costs)
    close(r.savings, r.stream_net.sum(axis=1))
    close(r.stream_net, r.stream_gross - r.stream_financing)
    close(r.incremental_gap[:, 1:], np.diff(r.net_gap, axis=1))
    # closing reserves carry forward from year to year and never go below zero (one pot here)
    f = r.reserve_flows
    change = f.contributions + f.surplus_added - f.planned_use - f.implementation_costs - f.unplanned_use
    close(f.closing[:, :, 1:], f.opening[:, :, 1:] + change[:, :, 1:])
    close(f.opening[:, :, 2:], f.closing[:, :, 1:-1])
    assert (f.closing >= 0).all()
    close(r.reserves_drawn, r.planned_reserves_use + r.unplanned_reserves_use)
    close(r.savings_still_to_find, r.net_gap - r.planned_reserves_use)


@FAST
@given(**draws_and_seed)
def test_batched_draws_equal_single_runs(seed, draws):
    overrides = random_overrides(STREAM_PARAMS, np.random.default_rng(seed), draws)
    batched = engine(STREAMS, STREAM_PARAMS, overrides)
    for d in range(draws):
        single = engine(STREAMS, STREAM_PARAMS, {path: value[d] for path, value in overrides.items()})
        for name in ("net_gap", "risk_adjusted_net_gap", "closing_reserves", "stream_net", "line_cost", "status"):
            np.testing.assert_allclose(getattr(batched, name)[d], getattr(single, name)[0], rtol=1e-12)
        assert batched.balances[d] == single.balances[0] and batched.sustainable[d] == single.sustainable[0]


@settings(max_examples=10, deadline=None)
@given(draws=st.integers(1, 8))
def test_identical_draws_equal_the_single_run(draws):
    single = engine(STREAMS, STREAM_PARAMS, None)
    tiled = {"assumptions.energy": np.tile(STREAM_PARAMS["assumptions.energy"].value, (draws, 1)),
             "expenditure[Back office].demand": np.tile(STREAM_PARAMS["expenditure[Back office].demand"].value,
                                                        (draws, 1)),
             "reserves.opening": np.full(draws, 500.0)}
    batched = engine(STREAMS, STREAM_PARAMS, tiled)
    assert batched.net_gap.shape == (draws, T + 1)
    for name in ("net_gap", "closing_reserves", "stream_net", "risk_adjusted_net_gap"):
        assert np.array_equal(getattr(batched, name), np.broadcast_to(getattr(single, name), getattr(batched, name).shape))


@FAST
@given(seed=st.integers(0, 2**32 - 1))
def test_no_inflation_demand_or_growth_leaves_costs_flat(seed):
    overrides = random_overrides(HAND_PARAMS, np.random.default_rng(seed), 3)
    for path in HAND_PARAMS:
        if path.startswith("assumptions.") or path.endswith(".demand"):
            overrides[path] = 0.0
    r = engine(HAND, HAND_PARAMS, overrides)
    np.testing.assert_allclose(r.line_cost, np.repeat(r.line_cost[:, :, :1], T + 1, axis=2), rtol=1e-14)
    np.testing.assert_allclose(r.line_cost[:, 0, 0], overrides["expenditure[Adults].base"])


@FAST
@given(low=st.floats(-0.1, 0.3), high=st.floats(-0.1, 0.3), seed=st.integers(0, 2**32 - 1))
def test_a_higher_council_tax_increase_never_raises_the_net_gap(low, high, seed):
    low, high = min(low, high), max(low, high)
    overrides = random_overrides(HAND_PARAMS, np.random.default_rng(seed), 1)
    overrides["funding.council_tax.increase.core"] = np.array([[low] * T, [high] * T])
    gap = engine(HAND, HAND_PARAMS, overrides).net_gap
    assert (gap[1] <= gap[0] + 1e-9).all()


@FAST
@given(low=st.floats(-0.2, 0.5), step=st.floats(0.001, 0.5))
def test_higher_energy_inflation_increases_the_energy_saving(low, step):
    energy = np.array([[low] * T, [low + step] * T])
    r = engine(STREAMS, STREAM_PARAMS, {"assumptions.energy": energy})
    led = STREAMS.savings.index(next(s for s in STREAMS.savings if s.name == "LED"))
    gross = r.stream_gross[:, led, 1:]
    assert (gross[1] > gross[0]).all()


@FAST
@given(**draws_and_seed)
def test_zero_reduction_saves_nothing(seed, draws):
    overrides = random_overrides(STREAM_PARAMS, np.random.default_rng(seed), draws)
    overrides["savings[LED].reduction"] = np.zeros(draws)
    overrides["savings[Shared ICT].reduction"] = 0.0
    r = engine(STREAMS, STREAM_PARAMS, overrides)
    names = [s.name for s in STREAMS.savings]
    assert (r.stream_gross[:, [names.index("LED"), names.index("Shared ICT")]] == 0).all()


@FAST
@given(**draws_and_seed)
def test_with_confidence_one_the_risk_adjusted_gap_is_the_net_gap(seed, draws):
    overrides = random_overrides(STREAM_PARAMS, np.random.default_rng(seed), draws)
    for path in STREAM_PARAMS:
        if path.endswith(".confidence"):
            overrides[path] = 1.0
    r = engine(STREAMS, STREAM_PARAMS, overrides)
    np.testing.assert_allclose(r.risk_adjusted_net_gap, r.net_gap, rtol=1e-12, atol=1e-9)


PARENT = """\
scenario: parent
base_year: "2024/25"
assumptions: {pay: [%(pay)s], prices: %(prices)s}
expenditure:
  - {name: A, base: %(base)s, cost_mix: {pay: 70%%, prices: 30%%}, demand: %(demand)s}
pressures: [{name: P, amount: %(pressure)s}]
funding: {council_tax: {tax_base: 1000, band_d: 1000, increase: {core: %(core)s}}}
reserves: {opening: %(opening)s}
savings: [{name: S, kind: share_of_line, line: A, component: pay, reduction: %(reduction)s}]
"""
rate = st.floats(-0.05, 0.2).map(lambda x: round(x, 4))


@settings(max_examples=15, deadline=None)
@given(pay=st.lists(rate, min_size=T, max_size=T), prices=rate, demand=rate, core=rate,
       base=st.floats(1, 1e6).map(lambda x: round(x, 2)), pressure=st.floats(0, 100).map(lambda x: round(x, 2)),
       opening=st.floats(0, 1e4).map(lambda x: round(x, 2)), reduction=st.floats(0, 1).map(lambda x: round(x, 4)))
def test_extending_with_no_overrides_gives_identical_results(pay, prices, demand, core, base, pressure, opening,
                                                             reduction):
    text = PARENT % dict(pay=", ".join(map(str, pay)), prices=prices, demand=demand, core=core, base=base,
                         pressure=pressure, opening=opening, reduction=reduction)
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "parent.yaml").write_text(text)
        Path(folder, "child.yaml").write_text(textwrap.dedent("extends: parent.yaml\n"))
        parent = mtfpmodel.run(Path(folder, "parent.yaml"))
        child = mtfpmodel.run(Path(folder, "child.yaml"))
    for frame in ("summary", "lines", "funding", "savings", "streams"):
        assert getattr(parent, frame).equals(getattr(child, frame)), frame


@FAST
@given(draws=st.integers(2, 6), seed=st.integers(0, 2**32 - 1))
def test_varying_one_input_gives_every_result_the_draws_axis(draws, seed):
    # before the fix varying only reserves.opening left net_gap with one row but closing_reserves
    # with D rows, and results.draws was 1
    opening = np.random.default_rng(seed).uniform(0, 3000, draws)
    r = engine(STREAMS, STREAM_PARAMS, {"reserves.opening": opening})
    assert r.draws == draws
    for name in ("net_gap", "gross_gap", "stream_net", "closing_reserves", "status", "balances"):
        assert getattr(r, name).shape[0] == draws, name
    for d in range(draws):
        single = engine(STREAMS, STREAM_PARAMS, {"reserves.opening": opening[d]})
        np.testing.assert_allclose(r.closing_reserves[d], single.closing_reserves[0])
        np.testing.assert_array_equal(r.net_gap[d], single.net_gap[0])
