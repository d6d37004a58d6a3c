"""Volume-driven lines and ``moves_from`` (tests/scenarios/drivers.yaml), worked by hand; properties."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS
from hypothesis import given, settings
from hypothesis import strategies as st

import mtfpmodel
from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.engine.projection import project
from mtfpmodel.results.bridge import bridge
from mtfpmodel.results.linetable import line_table

approx = pytest.approx
DRIVERS = mtfpmodel.run(SCENARIOS / "drivers.yaml")


def _line(result, name):
    frame = result.lines
    return frame[frame.line == name].reset_index(drop=True)


def test_volume_times_unit_cost_times_periods():
    # External placements: 10 placements at £5,000 a week, 52 weeks, care_fees 5%, volume +10% a year.
    # 2024/25: 10 × 5,000 × 52 / 1,000 = 2,600 [£000]
    # 2025/26: 11 × 5,250 × 52 / 1,000 = 3,003
    # 2026/27: 12.1 × 5,512.50 × 52 / 1,000 = 3,468.465
    line = _line(DRIVERS, "External placements")
    assert list(line.cost) == approx([2600, 3003, 3468.465])
    assert list(line.volume) == approx([10, 11, 12.1])
    assert list(line.unit_cost) == approx([5000, 5250, 5512.5])           # £ a week, inflated by the cost mix


def test_volume_given_year_by_year():
    # Fostering: 20 in the base year, then 22 and 25, at £500 a week inflated 5% a year.
    # 20 × 500 × 52 / 1,000 = 520; 22 × 525 × 52 / 1,000 = 600.6; 25 × 551.25 × 52 / 1,000 = 716.625
    line = _line(DRIVERS, "Fostering")
    assert list(line.cost) == approx([520, 600.6, 716.625])
    assert list(line.volume) == approx([20, 22, 25])


def test_lines_csv_columns_for_a_line_with_a_base_budget():
    line = _line(DRIVERS, "Waste")
    assert line.group.tolist() == [""] * 3 and line.volume.isna().all() and line.unit_cost.isna().all()
    assert _line(DRIVERS, "Fostering").group.tolist() == ["Children's social care"] * 3


def test_moves_from_saves_the_line_unit_cost_less_the_cheaper_one():
    # In-house homes take 2 then 3 placements off External placements (£5,000 a week growing with
    # care_fees 5%) at £3,000 a week growing with pay 3%:
    # 2025/26: 2 × (5,250 − 3,090) × 52 / 1,000 = 2 × 2,160 × 52 / 1,000 = 224.64
    # 2026/27: 3 × (5,512.50 − 3,182.70) × 52 / 1,000 = 3 × 2,329.80 × 52 / 1,000 = 363.4488
    savings = DRIVERS.savings
    assert list(savings.gross_saving) == approx([224.64, 363.4488])
    # the line keeps its demand-led volume: the gap before savings is the plan with nothing changed
    assert list(_line(DRIVERS, "External placements").volume) == approx([10, 11, 12.1])


def test_moved_volume_is_held_at_the_line_volume_in_analyses():
    # a draw with only 1 placement left on the line moves 1, not 3:
    # 2026/27: 1 × (5,512.50 − 3,182.70) × 52 / 1,000 = 121.1496
    result = mtfpmodel.run(mtfpmodel.load(SCENARIOS / "drivers.yaml"),
                           {"expenditure[External placements].volume.base": np.array([10.0, 1 / 1.21])})
    assert result.results.stream_gross[1, 0, 2] == approx(121.1496)
    assert result.results.stream_gross[0, 0, 2] == approx(363.4488)


def test_group_subtotals():
    table = line_table(DRIVERS).set_index("item")
    # 2,600 + 520 + 1,000 = 4,120 in the base year
    assert table.loc["Total Children's social care", "2024/25"] == approx(4120)
    assert table.loc["Total budget lines", "2026/27"] == approx(DRIVERS.lines.query("year == '2026/27'").cost.sum())
    assert np.isnan(table.loc["Children's social care", "2024/25"])           # a heading


def test_bridge_has_the_drivers_steps_and_adds_up_exactly():
    steps = bridge(DRIVERS)
    values = {s.label: s.value for s in steps}
    # demand: External placements 3,468.465 − 2,600 × 1.1025 = 601.965; Fostering 716.625 − 520 × 1.1025
    # = 143.325; together 745.29. care_fees inflation: (2,600 + 520) × 0.1025 = 319.8
    assert values["demand"] == approx(745.29)
    assert values["care_fees inflation"] == approx(319.8)
    assert values["contractual inflation"] == approx(104.16)               # 1,304.16 − 1,200
    assert values["employer NI"] == approx(80.481 - 57.684)
    assert values["staff pay awards"] == approx(636.54 - 600)
    assert sum(s.value for s in steps[:-1]) == approx(steps[-1].value, abs=1e-9)


def test_set_reaches_volume_paths():
    result = mtfpmodel.run(mtfpmodel.load(SCENARIOS / "drivers.yaml",
                                          ["expenditure[External placements].volume.growth=0%"]))
    assert list(_line(result, "External placements").cost) == approx([2600, 2730, 2866.5])


@settings(max_examples=25, deadline=None)
@given(st.floats(0, 200), st.floats(0, 200), st.floats(-0.5, 0.5), st.floats(0, 0.3))
def test_more_volume_never_lowers_cost(low, extra, growth, more_growth):
    # Two draws in one engine call: the second has at least the first's base volume and growth.
    overrides = {"expenditure[External placements].volume.base": np.array([low, low + extra]),
                 "expenditure[External placements].volume.growth": np.array([[growth] * 2, [growth + more_growth] * 2])}
    r = project(build_inputs(DRIVERS.scenario, overrides))
    cost = r.line_cost[:, 0, :]
    assert np.all(cost[1] >= cost[0] - 1e-9)
    assert np.all(r.net_expenditure[1] >= r.net_expenditure[0] - 1e-9)


def test_the_lines_total_is_carried_to_net_expenditure_as_the_report_does():
    # Durham, 2025/26: 569,826 budget lines + 900 pressures + 35,500 capital financing + 500 revenue
    # contributions to capital = 606,726, the MTFP table's net expenditure (before: the --detail
    # table stopped at the lines' 569,826 with nothing to say what else net expenditure holds).
    from conftest import EXAMPLES

    from mtfpmodel.outputs.drivertext import line_table_text
    from mtfpmodel.results.linetable import to_net_expenditure

    durham = mtfpmodel.run(mtfpmodel.load(EXAMPLES / "durham.yaml"))
    years = list(durham.labels)
    rows = to_net_expenditure(durham)
    total = line_table(durham).set_index("item").loc["Total budget lines", years].to_numpy(dtype=float)
    assert [label for label, _, _ in rows] == ["Pressures", "Capital financing (MRP and interest)",
                                               "Revenue contributions to capital", "Net expenditure"]
    assert total + sum(values for _, _, values in rows[:-1]) == approx(rows[-1][2], abs=1e-9)
    assert rows[-1][2][1:] == approx(durham.summary.net_expenditure.to_numpy(), abs=0)
    last = line_table_text(durham).splitlines()[-1].split()
    assert last[:2] == ["Net", "expenditure"] and last[3:] == ["606,726", "636,743", "667,346", "699,446"]
