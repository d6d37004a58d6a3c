"""Indexed contracts: uplift by a lagged index within cap and collar, carved out of their line."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS
from hypothesis import given, settings
from hypothesis import strategies as st

import mtfpmodel
from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.engine.projection import project

approx = pytest.approx
FIXTURE = SCENARIOS / "drivers.yaml"
DRIVERS = mtfpmodel.run(FIXTURE)


def contract(*changes: str):
    """The fixture's Waste contract cost by year with ``--set`` changes."""
    result = mtfpmodel.run(mtfpmodel.load(FIXTURE, [f"contracts[Waste contract].{c}" for c in changes]))
    return result.contracts.cost.tolist()


def test_uplift_is_last_years_index_within_cap_and_collar():
    # value 1,200; index rpi 4%, lag 1, base_index 5%, cap 4.5%, collar 1%
    # 2025/26: last year's index is the base_index 5%, capped at 4.5% → 1,200 × 1.045 = 1,254
    # 2026/27: last year's index is rpi 2025/26 = 4%, within the bounds → 1,254 × 1.04 = 1,304.16
    assert DRIVERS.contracts.uplift.tolist() == approx([0, 0.045, 0.04])
    assert DRIVERS.contracts.cost.tolist() == approx([1200, 1254, 1304.16])
    assert DRIVERS.contracts.contractual_inflation.tolist() == approx([0, 54, 104.16])


def test_the_contract_is_part_of_its_line():
    # Waste base 2,000 = contract 1,200 + the rest 800 at prices 2%: 816, 832.32.
    # line 2025/26 = 1,254 + 816 = 2,070; 2026/27 = 1,304.16 + 832.32 = 2,136.48
    waste = DRIVERS.lines[DRIVERS.lines.line == "Waste"]
    assert waste.cost.tolist() == approx([2000, 2070, 2136.48])
    assert waste.contracts.tolist() == approx([1200, 1254, 1304.16])


def test_a_line_with_a_base_budget_has_no_unit_cost_even_with_a_contract():
    # Regression: a base-budget line carrying a contract was given the contract's price index as a
    # "unit cost" (30,000,000 a period for Waste with the clause ending 2025/26); only volume-driven
    # lines have a unit cost, so lines.csv leaves it blank for the others.
    for result in (DRIVERS, mtfpmodel.run(mtfpmodel.load(FIXTURE, ["contracts[Waste contract].end=2025/26"]))):
        waste = result.lines[result.lines.line == "Waste"]
        assert waste.unit_cost.isna().all()
    placements = DRIVERS.lines[DRIVERS.lines.line == "External placements"]
    assert placements.unit_cost.notna().all()


def test_no_lag_and_no_bounds():
    # lag 0: this year's rpi 4% each year → 1,248, 1,297.92
    assert contract("lag=0") == approx([1200, 1248, 1297.92])


def test_collar_holds_a_falling_index_up():
    # a fixed index of −2% with a collar of 1%: 1% a year → 1,212, 1,224.12
    assert contract("index=-2%", "lag=0") == approx([1200, 1212, 1224.12])


def test_outside_its_term_a_contract_follows_its_lines_prices():
    # ends 2025/26: 2026/27 rises with the rest of Waste (prices 2%): 1,254 × 1.02 = 1,279.08
    assert contract("end=2025/26") == approx([1200, 1254, 1279.08])
    # starts 2026/27: 2025/26 at prices 2% (1,224), then the clause: rpi 2025/26 4% → 1,272.96
    assert contract("start=2026/27") == approx([1200, 1224, 1272.96])


def test_a_clause_that_covers_none_of_the_plans_years_is_a_warning():
    # Before: start 2031/32 (a typo for 2021/22) was accepted silently; the clause never applied.
    result = mtfpmodel.run(mtfpmodel.load(FIXTURE, ["contracts[Waste contract].start=2031/32",
                                                    "contracts[Waste contract].end=2036/37"]))
    (warning,) = [w for w in result.warnings if w.path == "contracts[Waste contract].start"]
    assert warning.message == ("the contract's clause (2031/32 to 2036/37) covers none of the plan's years (2025/26 "
                               "to 2026/27), so the contract rises with its line's cost mix in every year")
    assert not [w for w in DRIVERS.warnings if w.path.startswith("contracts[")]   # the fixture's clause is fine


def test_default_base_index_is_the_first_projection_year(run_text):
    text = FIXTURE.read_text(encoding="utf-8").replace("    base_index: 5%\n", "")
    result = run_text(text)
    # lag 1 with no base_index: 2025/26 uses rpi's 2025/26 value 4% → 1,248
    assert result.contracts.cost.tolist()[:2] == approx([1200, 1248])


@settings(max_examples=40, deadline=None)
@given(index=st.lists(st.floats(-0.2, 0.3), min_size=2, max_size=2), before=st.floats(-0.2, 0.3),
       bounds=st.tuples(st.floats(-0.1, 0.2), st.floats(-0.1, 0.2)), lag=st.integers(0, 3))
def test_uplift_stays_within_cap_and_collar(index, before, bounds, lag):
    collar, cap = sorted(bounds)
    overrides = {"contracts[Waste contract].index": np.array(index), "contracts[Waste contract].base_index": before,
                 "contracts[Waste contract].cap": cap, "contracts[Waste contract].collar": collar}
    scenario = mtfpmodel.load(FIXTURE, [f"contracts[Waste contract].lag={lag}"]).scenario
    r = project(build_inputs(scenario, overrides))
    uplift = r.contract_cost[0, 0, 1:] / r.contract_cost[0, 0, :-1] - 1
    assert np.all(uplift >= collar - 1e-12) and np.all(uplift <= cap + 1e-12)
    np.testing.assert_allclose(uplift, r.contract_uplift[0, 0, 1:], rtol=1e-9, atol=1e-12)
