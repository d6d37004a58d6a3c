"""Chunked projection: every analysis projects a bounded number of draws per engine call, with the
same figures as one call of every draw.

Before: sensitivity, the tornado, the two-way grid, the pack's ladder and goal seek each made one
engine call of all their draws, and the Monte Carlo's chunks were at least 1,000 draws whatever
the plan's size. The engine's memory grows with draws x the plan's size: `mtfp sensitivity` of a
plan of 3,000 lines (3,600 paths, 7,201 draws in one call) peaked at 4.1 GiB and a 10,000-draw
Monte Carlo of it at 1.9 GiB.
"""
from __future__ import annotations

import numpy as np
import pytest
from conftest import EXAMPLES

import mtfpmodel
from mtfpmodel.analysis import batch, goalseek, montecarlo, sensitivity
from mtfpmodel.analysis import grid as grids
from mtfpmodel.analysis.paths import one_way_paths
from mtfpmodel.engine.parameters import collect

CHUNK = 7            # draws per engine call while the test holds chunks down


@pytest.fixture(scope="module")
def plan():
    scenario = mtfpmodel.load(EXAMPLES / "example.yaml").scenario
    return scenario, collect(scenario)


def analyses(scenario, params):
    """Every batched analysis of the example, as figures to compare."""
    paths = one_way_paths(params, scenario)
    shifted = sensitivity.one_way(scenario, params, paths, 0.01)
    ranges = {"assumptions.pay": [0.02, 0.05], "funding.council_tax.increase.core": [0.0199, 0.0499],
              "assumptions.care_fees": [0.03, 0.08]}
    tornado = sensitivity.tornado(scenario, params, ranges, shifted)
    two_way = grids.two_way(scenario, params, "assumptions.pay", [0.01, 0.02, 0.03, 0.04],
                            "funding.council_tax.increase.core", [0.0199, 0.0299, 0.0399])
    ladder = grids.ladder(scenario, params, paths[:5])
    solved = goalseek.solve(scenario, params, "funding.council_tax.increase.core", "net_gap", 0.0, 4)
    return {"one_way.up": shifted.up, "one_way.down": shifted.down, "one_way.base": shifted.base,
            "tornado.low": tornado.low, "tornado.high": tornado.high, "two_way": two_way.net_gap,
            "ladder": ladder.net_gap, "solve": solved.values}


def test_every_analysis_projects_in_chunks_and_gets_the_same_figures(plan, monkeypatch):
    scenario, params = plan
    whole = analyses(scenario, params)
    monkeypatch.setattr(batch, "MAX_CHUNK_BYTES", CHUNK * batch.engine_bytes(scenario))
    assert batch.chunk_size(scenario) == CHUNK
    calls = []
    project = batch.project_batch

    def counted(scenario, params, overrides, *more):
        calls.append(max((len(value) for value in overrides.values()), default=1))
        return project(scenario, params, overrides, *more)
    monkeypatch.setattr(batch, "project_batch", counted)
    chunked = analyses(scenario, params)
    assert calls and max(calls) <= CHUNK
    assert len(whole["one_way.up"]) * 2 + 1 > CHUNK          # so the one-way table did take several calls
    for name, figures in whole.items():
        np.testing.assert_allclose(chunked[name], figures, rtol=1e-12, atol=1e-9, err_msg=name)


def test_a_chunk_holds_whole_drivers_or_parts_of_them_in_the_ladder(plan, monkeypatch):
    # Chunks of 4 draws cut across the ladder's 6 rungs of each driver: a driver's rungs are split
    # between two chunks and still each lands in its own place.
    scenario, params = plan
    paths = one_way_paths(params, scenario)[:4]
    whole = grids.ladder(scenario, params, paths).net_gap
    monkeypatch.setattr(batch, "MAX_CHUNK_BYTES", 4 * batch.engine_bytes(scenario))
    np.testing.assert_allclose(grids.ladder(scenario, params, paths).net_gap, whole, rtol=1e-12, atol=1e-9)
    assert grids.ladder(scenario, params, []).net_gap.shape == (0, grids.RUNGS, scenario.years + 1)


def test_chunks_stay_within_the_memory_bound_for_a_plan_of_thousands_of_lines(plan):
    scenario, _ = plan
    # The example: 50 MiB of engine memory a call, as before (its Monte Carlo draws are unchanged).
    assert batch.chunk_size(scenario) == 50 * 2**20 // batch.engine_bytes(scenario) == 4458
    assert montecarlo.chunk_size(scenario) == 4458
    # 3,000 lines: 1,000 draws would need about 2 GiB; a chunk stays under 384 MiB.
    lines = [line.model_copy(update={"name": f"{line.name} {k}"})
             for k in range(3000 // len(scenario.expenditure) + 1) for line in scenario.expenditure]
    large = scenario.model_copy(update={"expenditure": lines})
    per_draw = batch.engine_bytes(large)
    assert 1_000 * per_draw > 1.9 * 2**30
    assert 1 <= batch.chunk_size(large) and batch.chunk_size(large) * per_draw <= batch.MAX_CHUNK_BYTES
    assert batch.chunk_size(large) >= batch.MAX_CHUNK_BYTES // per_draw
