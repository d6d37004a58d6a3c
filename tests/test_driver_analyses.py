"""The cost drivers in the analyses: sensitivity rows, goal seek levers and Monte Carlo draws."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS

import mtfpmodel
from mtfpmodel.analysis import montecarlo
from mtfpmodel.analysis.goalseek import solve
from mtfpmodel.analysis.paths import label, one_way_paths
from mtfpmodel.analysis.sensitivity import one_way
from mtfpmodel.engine.parameters import collect
from mtfpmodel.scenario.riskconfig import MonteCarloConfig

LOADED = mtfpmodel.load(SCENARIOS / "drivers.yaml")
PARAMS = collect(LOADED.scenario)


def test_driver_rates_are_sensitivity_rows_with_readable_labels():
    paths = one_way_paths(PARAMS)
    for path in ("expenditure[External placements].volume.growth", "workforce.employer_ni.rate",
                 "workforce.employer_pension.rate"):
        assert path in paths
    # Social workers' pay award is `pay` and the waste contract's index is `rpi`: those rows move
    # them, so they have no row of their own (a second row would count the same point twice)
    for path, assumption in (("workforce.groups[Social workers].pay_award", "assumptions.pay"),
                             ("contracts[Waste contract].index", "assumptions.rpi")):
        assert path not in paths and assumption in paths
    assert label("expenditure[External placements].volume.growth") == "External placements volume growth"
    assert label("workforce.employer_ni.rate") == "employer NI rate"


def test_one_point_on_the_ni_rate_by_hand():
    # +1pt on employer NI in both years: 1% × (30,900 − 5,000) × 20 / 1,000 = 5.18 in 2025/26
    result = one_way(LOADED.scenario, PARAMS, ["workforce.employer_ni.rate"], 0.01)
    assert result.change_up[0, 1] == pytest.approx(5.18)


def test_goal_seek_on_a_volume():
    # the base-year volume of External placements that makes the 2025/26 net gap zero
    solution = solve(LOADED.scenario, PARAMS, "expenditure[External placements].volume.base", "net_gap", 0.0,
                     year=1)
    gap = mtfpmodel.run(LOADED.scenario, {"expenditure[External placements].volume.base": solution.values[0]})
    assert gap.results.net_gap[0, 1] == pytest.approx(0.0, abs=1e-6)


def test_monte_carlo_draws_of_the_drivers_equal_single_runs():
    config = MonteCarloConfig.model_validate({"draws": 4, "seed": 3, "distributions": {
        "expenditure[External placements].volume.growth": {"uniform": ["0%", "20%"]},
        "workforce.groups[Social workers].vacancy": {"uniform": ["0%", "10%"]},
        "contracts[Waste contract].index": {"uniform": ["0%", "8%"]},
        "workforce.employer_pension.rate": {"normal": {"mean": 0, "sd": "1%"}, "apply": "shift", "shock": "by_year"},
    }})
    rng = np.random.default_rng(3)
    overrides, _, _ = montecarlo.sample(LOADED.scenario, PARAMS, config, rng, 4)
    sim = montecarlo.simulate(LOADED.scenario, PARAMS, config, 4, seed=3)
    for d in range(4):
        single = {path: np.asarray(v)[min(d, np.shape(v)[0] - 1)] for path, v in overrides.items()}
        run = mtfpmodel.run(LOADED.scenario, single)
        np.testing.assert_allclose(sim.net_gap[d], run.results.net_gap[0], rtol=1e-12)
