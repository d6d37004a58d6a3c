"""One-way sensitivity, tornado and two-way grid (analysis/sensitivity.py, analysis/grid.py)."""
from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLES, RISK

import mtfpmodel
from mtfpmodel.analysis import grid as grids
from mtfpmodel.analysis import sensitivity
from mtfpmodel.analysis.batch import Batch
from mtfpmodel.analysis.paths import label, one_way_paths
from mtfpmodel.cli import main
from mtfpmodel.results.warnings import FORMULA_STARTS

approx = pytest.approx


def test_one_way_paths_are_the_rates_cabinet_asks_about(loaded, params):
    assert one_way_paths(params) == [
        "assumptions.pay", "assumptions.prices", "assumptions.unused",
        "expenditure[Services].demand", "expenditure[Transport].demand",
        "funding.council_tax.tax_base_growth", "funding.council_tax.increase.core"]
    # Business rates grow with `prices`: they move on the prices row, so they have none of their
    # own (a second row would count the same point twice).
    assert params["funding.business_rates.growth"].ref == "assumptions.prices"
    # Only the rates the file sets: Services gives no demand and the tax base no growth (both 0%
    # by default), so they are left out; Transport's `demand: 0%` is written, so it stays.
    assert one_way_paths(params, loaded.scenario) == [
        "assumptions.pay", "assumptions.prices", "assumptions.unused", "expenditure[Transport].demand",
        "funding.council_tax.increase.core"]
    assert one_way_paths(params, loaded.scenario, everything=True) == one_way_paths(params)


def test_one_way_hand_worked(loaded, params):
    # Services 1000, all pay at 2%: 1020, 1040.4. Pay +1pt (3%): 1030, 1060.9.
    # Change in the net gap: +10 in 2025/26, +20.5 in 2026/27; cumulative (final less base) +20.5.
    result = sensitivity.one_way(loaded.scenario, params, ["assumptions.pay"], 0.01)
    assert result.change_up[0] == approx([0, 10, 20.5])
    # Pay -1pt (1%): 1010, 1020.1 → -10, -20.3.
    assert result.change_down[0] == approx([0, -10, -20.3])
    # first year +10; final year +20.5 (one year's figure); the two years added up +30.5
    assert result.first_year_change == approx([10]) and result.final_year_change == approx([20.5])
    assert result.sum_of_years_change == approx([30.5])
    table = result.table(("2024/25", "2025/26", "2026/27"))
    assert list(table.columns) == ["path", "label", "shift", "2025/26", "2026/27", "first_year_change",
                                   "final_year_change", "sum_of_years_change"]
    up, down = table.iloc[0], table.iloc[1]
    assert (up["shift"], up["2025/26"], up["final_year_change"], up["sum_of_years_change"]) == approx((0.01, 10, 20.5, 30.5))
    assert (down["shift"], down["2026/27"], down["sum_of_years_change"]) == approx((-0.01, -20.3, -30.3))
    assert result.sentence(0, ("2024/25", "2025/26", "2026/27"), "£000") == \
        "each +1% on pay: +£10k in 2025/26, +£20k a year by 2026/27"


def test_prices_move_costs_and_the_business_rates_that_follow_them(loaded, params):
    # Transport 100 at prices 1%: +1pt → 102 (vs 101) in 2025/26: +1 of cost. Business rates grow
    # with prices too: 100 → 102 (vs 101): +1 of funding. Net change 0 in 2025/26.
    result = sensitivity.one_way(loaded.scenario, params, ["assumptions.prices"], 0.01)
    assert result.change_up[0, 1] == approx(0, abs=1e-9)


def test_one_way_equals_the_difference_of_two_deterministic_runs(loaded, params):
    paths = one_way_paths(params)
    result = sensitivity.one_way(loaded.scenario, params, paths, 0.01)
    base = mtfpmodel.run(loaded).results.net_gap[0]
    for p, path in enumerate(paths):
        for shift, gaps in ((0.01, result.up[p]), (-0.01, result.down[p])):
            moved = mtfpmodel.run(loaded, {path: params[path].value + shift}).results.net_gap[0]
            assert np.array_equal(gaps - result.base, moved - base), path


def test_unused_assumption_changes_nothing(loaded, params):
    result = sensitivity.one_way(loaded.scenario, params, ["assumptions.unused"], 0.05)
    assert np.all(result.change_up == 0) and np.all(result.change_down == 0)


def test_tornado_uses_ranges_sorted_by_swing(loaded, params):
    ranges = loaded.scenario.sensitivity.ranges
    tornado = sensitivity.tornado(loaded.scenario, params, ranges, sensitivity.one_way(loaded.scenario, params, [], 0.01))
    # Core council tax 0% → 2.99% on £1m: 2025/26 +29.9, 2026/27 1000*(1.0299²-1) = 60.694 off the gap.
    # Pay 1% → 4%: 2026/27 cost 1020.1 → 1081.6: swing 61.5. Pay is widest, so first.
    assert tornado.paths == ("assumptions.pay", "funding.council_tax.increase.core")
    assert tornado.swing == approx([61.5, 60.69401])
    assert tornado.low_labels == ("1%", "0%") and tornado.high_labels == ("4%", "2.99%")
    assert tornado.base == approx(34.4)            # 1040.4 + 102.01 - 1000 - 102.01 - 6


def test_tornado_without_ranges_uses_the_step(loaded, params):
    shifted = sensitivity.one_way(loaded.scenario, params, ["assumptions.pay"], 0.01)
    tornado = sensitivity.tornado(loaded.scenario, params, None, shifted)
    assert tornado.low[0] == approx(34.4 - 20.3) and tornado.high[0] == approx(34.4 + 20.5)
    assert tornado.low_labels == ("1pt lower",) and tornado.high_labels == ("1pt higher",)


def test_grid_matches_single_runs(loaded, params):
    grid = grids.two_way(loaded.scenario, params, "assumptions.pay", [0.01, 0.03],
                         "funding.council_tax.increase.core", [0.0, 0.02, 0.04])
    assert grid.final.shape == (2, 3)
    for i, pay in enumerate([0.01, 0.03]):
        for j, core in enumerate([0.0, 0.02, 0.04]):
            run = mtfpmodel.run(loaded, {"assumptions.pay": pay, "funding.council_tax.increase.core": core})
            assert grid.net_gap[i, j] == approx(run.results.net_gap[0], abs=1e-9)
    frame = grid.table(("2024/25", "2025/26", "2026/27"))
    assert list(frame.columns) == ["assumptions.pay", "funding.council_tax.increase.core", "year", "net_gap"]
    assert len(frame) == 2 * 3 * 2


def test_parse_range():
    path, values = grids.parse_range("assumptions.pay=2%..5%:0.5%")
    assert path == "assumptions.pay" and values == approx([0.02, 0.025, 0.03, 0.035, 0.04, 0.045, 0.05])
    for bad in ("assumptions.pay=2%..5%", "assumptions.pay=5%..2%:1%", "x=0..1:0"):
        with pytest.raises(ValueError):
            grids.parse_range(bad)


def test_batch_keeps_references_alive(params):
    # Business rates growth names 'prices': setting prices must move it; shifting it adds to prices.
    batch = Batch(params, 2).set("assumptions.prices", 0.05, rows=[1]).add("funding.business_rates.growth", 0.01)
    overrides = batch.overrides()
    assert overrides["funding.business_rates.growth"] == approx(np.array([[0.02, 0.02], [0.06, 0.06]]))


def test_ladder_puts_each_driver_alone_at_whole_points(loaded, params):
    # Pay 2% → rungs 0% … 5% (2% is the third, none below 0%). At pay 4% in both years:
    # Services 1000 → 1040 → 1081.6; net gap 2026/27 = 1081.6 + 102.01 - 1000 - 102.01 - 6 = 75.6.
    ladder = grids.ladder(loaded.scenario, params, ["assumptions.pay", "funding.council_tax.increase.core"])
    assert ladder.values[0] == approx([0, 0.01, 0.02, 0.03, 0.04, 0.05])
    assert ladder.net_gap[0, 4, -1] == approx(75.6)
    planned = mtfpmodel.run(loaded).results.net_gap[0]
    assert ladder.net_gap[0, 2] == approx(planned)                       # pay at 2%: the plan itself
    run = mtfpmodel.run(loaded, {"funding.council_tax.increase.core": 0.03}).results.net_gap[0]
    assert ladder.net_gap[1, 3] == approx(run)
    frame = ladder.table(("2024/25", "2025/26", "2026/27"))
    assert list(frame.columns) == ["path", "label", "value", "2025/26", "2026/27"] and len(frame) == 12


def test_rungs_around_the_plan():
    from mtfpmodel.engine.parameters import Parameter

    def rungs(*values):
        return list(grids.rungs(Parameter("x", "rate", np.array(values))))
    assert rungs(0.032, 0.03, 0.025, 0.025) == approx([0.01, 0.02, 0.03, 0.04, 0.05, 0.06])
    assert rungs(0.0299) == approx([0.01, 0.02, 0.03, 0.04, 0.05, 0.06])
    assert rungs(0.006) == approx([0, 0.01, 0.02, 0.03, 0.04, 0.05])
    assert rungs(-0.05, 0.0, 0.02, 0.02) == approx([-0.02, -0.01, 0, 0.01, 0.02, 0.03])


def test_labels():
    assert label("assumptions.pay") == "pay"
    assert label("assumptions.care_fees") == "care fees"
    assert label("assumptions.rpi") == "RPI" and label("assumptions.cpi_food") == "CPI food"   # abbreviations read as written
    assert label("funding.council_tax.increase.core") == "council tax core"
    assert label("expenditure[Adults].demand") == "Adults demand"
    assert label("funding.business_rates.growth") == "business rates growth"


def test_command_writes_table_tornado_and_grid(tmp_path, capsys):
    code = main(["sensitivity", str(RISK), "--out", str(tmp_path),
                 "--grid", "assumptions.pay=1%..3%:1%", "funding.council_tax.increase.core=0%..2%:2%"])
    out = capsys.readouterr().out
    assert code == 0
    # Regression: the final year's +£20k was called "+£20k over two years", which reads as a total.
    assert "each +1% on pay: +£10k in 2025/26, +£20k a year by 2026/27" in out
    assert "over two years" not in out
    for name in ("sensitivity.csv", "tornado.csv", "tornado.png", "tornado.svg", "grid.csv", "grid.png"):
        assert (tmp_path / name).is_file(), name
    table = pd.read_csv(tmp_path / "sensitivity.csv")
    row = table[(table["path"] == "assumptions.pay") & (table["shift"] > 0)]
    assert row["2025/26"].iloc[0] == approx(10) and row["sum_of_years_change"].iloc[0] == approx(30.5)
    assert "expenditure[Services].demand" not in set(table["path"])     # not set in the file


def test_no_cell_of_tornado_csv_is_read_as_a_formula_by_a_spreadsheet(tmp_path, capsys):
    # Regression: without ranges the low and high values were written '-1pt' and '+1pt'; Excel,
    # opening tornado.csv, reads a cell that starts with '-' or '+' and is not a number as a
    # formula, and showed #NAME? in both columns of every row.
    assert main(["sensitivity", str(EXAMPLES / "example.yaml"), "--out", str(tmp_path)]) == 0
    assert "1pt lower →" in capsys.readouterr().out                # the terminal reads the same labels
    with open(tmp_path / "tornado.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    read_as_formulas = [cell for row in rows[1:] for cell in row
                        if cell[:1] and cell[0] in FORMULA_STARTS and not _is_number(cell)]
    assert read_as_formulas == []
    assert {row[2] for row in rows[1:]} == {"1pt lower"} and {row[3] for row in rows[1:]} == {"1pt higher"}


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_command_all_adds_the_rates_left_at_their_default(tmp_path, capsys):
    assert main(["sensitivity", str(RISK), "--out", str(tmp_path), "--all"]) == 0
    table = pd.read_csv(tmp_path / "sensitivity.csv")
    assert {"expenditure[Services].demand", "funding.council_tax.tax_base_growth"} <= set(table["path"])


def test_command_rejects_a_bad_grid_path(tmp_path, capsys):
    code = main(["sensitivity", str(RISK), "--out", str(tmp_path),
                 "--grid", "assumptions.pya=1%..3%:1%", "assumptions.prices=0%..2%:1%"])
    assert code == 2
    assert "did you mean 'assumptions.pay'" in capsys.readouterr().err


def test_a_grid_of_one_input_against_itself_is_refused_and_writes_nothing(tmp_path, capsys):
    # Before: exit 0, the second set of values overwrote the first in every projection, so each
    # row of the grid was the same input at the column's value, and grid.csv had one
    # 'assumptions.pay' column for two (pandas kept one of the two same-named columns).
    out = tmp_path / "out"
    code = main(["sensitivity", str(RISK), "--out", str(out),
                 "--grid", "assumptions.pay=1%..3%:1%", "assumptions.pay=2%..4%:1%"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--grid" in err and "assumptions.pay" in err and "two different inputs" in err
    assert not out.exists()


def test_a_grid_reaching_a_value_the_scenario_cannot_hold_is_refused(tmp_path, capsys):
    # Before: exit 0 and a row for a 150% confidence (the review delivering one and a half times its saving).
    code = main(["sensitivity", str(RISK), "--out", str(tmp_path / "out"),
                 "--grid", "savings[Review].confidence=50%..150%:50%", "assumptions.pay=1%..3%:1%"])
    assert code == 2
    assert ("--grid 'savings[Review].confidence=50%..150%:50%' reaches a value the scenario cannot hold at "
            "savings[Review].confidence: confidence 150% is outside 0% to 100%") in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_grid_of_a_share_shows_its_values_as_percentages(tmp_path, capsys):
    # Before: the terminal showed a confidence of 50% as '0.5' (the chart's ticks said 50%).
    assert main(["sensitivity", str(RISK), "--out", str(tmp_path),
                 "--grid", "savings[Review].confidence=0%..100%:50%", "assumptions.pay=1%..3%:1%"]) == 0
    rows = capsys.readouterr().out.split("for each pair of values")[1].splitlines()[2:5]
    assert [row.split()[0] for row in rows] == ["0.00%", "50.00%", "100.00%"]


def test_a_tornado_of_many_inputs_draws_the_widest_and_says_how_many_there_are(tmp_path):
    # Before: every input got a bar, 0.45 inch each: the cabinet pack's tornado of a 300-line
    # plan (356 inputs) was 63 inches tall. Now the 15 widest are drawn, widest on top.
    import numpy as np

    from mtfpmodel.analysis.sensitivity import Tornado
    from mtfpmodel.outputs import riskcharts
    from mtfpmodel.outputs.chartstyle import Scale

    n = 40
    paths = tuple(f"expenditure[Line {k}].demand" for k in range(n))
    swing = np.arange(n, 0, -1, dtype=float)                 # already widest first, as tornado() orders them
    result = Tornado(paths, ("1pt lower",) * n, ("1pt higher",) * n, 100.0, 100.0 - swing / 2, 100.0 + swing / 2)
    fig = _drawn_figure(lambda: riskcharts.tornado_chart(result, Scale("£000", 1.0), "2028/29",
                                                         tmp_path / "tornado", "t"))
    ax = fig.axes[0]
    rows = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
    assert sorted(rows, key=lambda name: -rows[name]) == [f"Line {k} demand" for k in range(15)]   # widest on top
    assert ax.get_xlabel().endswith("\nthe 15 of 40 inputs that move it most; tornado.csv lists them all")
    assert fig.get_size_inches()[1] == pytest.approx(1.2 + 0.45 * 15)


def _drawn_figure(draw):
    """The figure ``draw()`` hands to matplotlib's close (kept to look at), after it is saved."""
    from mtfpmodel.outputs.chartstyle import pyplot

    plt, drawn = pyplot(), {}
    original = plt.close
    plt.close = lambda fig: drawn.setdefault("fig", fig)
    try:
        draw()
    finally:
        plt.close = original
    original(drawn["fig"])
    return drawn["fig"]


def test_a_large_grid_is_drawn_at_a_printable_size_without_figures_in_its_cells(tmp_path, monkeypatch):
    # Before: each cell was 0.9 x 0.45 inches with its figure printed in it, so the largest grid
    # --grid allows (201 x 201 values) made a 182 x 92 inch chart: 54,600 x 27,600 pixels at
    # 300 dpi and 40,401 texts; `mtfp sensitivity scenarios/example.yaml --grid
    # assumptions.pay=0%..10%:0.05% funding.council_tax.increase.core=0%..10%:0.05%` grew past
    # 12 GiB and was killed. Now a grid beyond 16 x 12 values keeps the size of a 16 x 12 one,
    # names at most 15 values on each axis and leaves the figures to grid.csv. (The figure is
    # looked at before it is drawn: drawn at the old size it would not fit in memory.)
    from mtfpmodel.analysis.grid import Grid
    from mtfpmodel.outputs import riskcharts
    from mtfpmodel.outputs.chartstyle import Scale

    values = np.arange(201) * 0.0005
    gap = np.add.outer(values * 1e4, -values * 5e3)[:, :, None] * np.ones(5)
    grid = Grid("assumptions.pay", values, "funding.council_tax.increase.core", values, gap)
    figures = []
    monkeypatch.setattr(riskcharts, "save", lambda fig, stem: figures.append(fig) or [])
    riskcharts.grid_heatmap(grid, Scale("£000", 1.0), "2028/29", tmp_path / "grid", "t", lambda path, v: f"{v:.1%}")
    fig, = figures
    assert list(fig.get_size_inches()) == pytest.approx([1.6 + 0.9 * 12, 1.4 + 0.45 * 16])
    ax = fig.axes[0]
    assert len(ax.texts) == 0
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"{v:.1f}%" for v in np.arange(0, 201, 14) * 0.05]
    assert len(ax.get_yticklabels()) == 15
    assert ax.get_xlabel() == ("council tax core\na grid of 201 × 201 values, too many to print in the cells: "
                               "grid.csv holds each figure")
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_the_heatmap_names_an_amount_as_the_terminal_does_not_as_a_percentage(tmp_path, capsys, monkeypatch):
    # Before: the heatmap's axes wrote any value from -1 to 1 as a percentage, so in a plan in £m
    # a grid of a pressure from £0m to £1m was labelled 0%, 50%, 100% while the terminal table
    # beside it said 0, 0.5, 1 (with no unit). Both now name a value by the one rule
    # (analysis.paths.value_text), with its unit.
    from mtfpmodel.outputs import riskcharts

    figures = []
    monkeypatch.setattr(riskcharts, "save", lambda fig, stem: figures.append(fig) or [])
    pressure = "pressures[General inflation].amount"
    code = main(["sensitivity", str(EXAMPLES / "gateshead-2025.yaml"), "--out", str(tmp_path),
                 "--grid", f"{pressure}=0..1:0.5", "funding.council_tax.tax_base_growth=2%..3%:1%"])
    assert code == 0
    out = capsys.readouterr().out
    grid = out[out.index("for each pair of values"):].splitlines()
    assert grid[1].split()[-2:] == ["2.00%", "3.00%"]
    assert [" ".join(line.split()[:2]) for line in grid[2:5]] == ["0 £m", "0.5 £m", "1 £m"]
    fig = figures[-1]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["0 £m", "0.5 £m", "1 £m"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2.00%", "3.00%"]
    import matplotlib.pyplot as plt

    plt.close("all")


def test_the_largest_grid_the_command_allows_is_written_with_every_figure_in_grid_csv(tmp_path, capsys):
    from PIL import Image

    spec = "=0%..10%:0.05%"             # 201 values, the most --grid takes
    code = main(["sensitivity", str(EXAMPLES / "example.yaml"), "--out", str(tmp_path),
                 "--grid", "assumptions.pay" + spec, "funding.council_tax.increase.core" + spec])
    assert code == 0
    with Image.open(tmp_path / "grid.png") as png:
        assert png.size[0] < 4000 and png.size[1] < 4000
    assert len(pd.read_csv(tmp_path / "grid.csv")) == 201 * 201 * 4     # each pair in each of the 4 years


def test_a_grid_of_a_few_values_prints_each_figure_and_names_every_value(tmp_path):
    from mtfpmodel.analysis.grid import Grid
    from mtfpmodel.outputs import riskcharts
    from mtfpmodel.outputs.chartstyle import Scale

    a, b = np.array([0.01, 0.02, 0.03]), np.array([0.0199, 0.0299])
    gap = np.array([[10.0, -5.0], [20.0, 5.0], [30.0, 15.0]])[:, :, None] * np.ones(3)
    grid = Grid("assumptions.pay", a, "funding.council_tax.increase.core", b, gap)
    fig = _drawn_figure(lambda: riskcharts.grid_heatmap(grid, Scale("£000", 1.0), "2026/27", tmp_path / "g", "t",
                                                        lambda path, v: f"{v:.2%}"))
    assert list(fig.get_size_inches()) == pytest.approx([1.6 + 0.9 * 2, 1.4 + 0.45 * 3])
    assert [t.get_text() for t in fig.axes[0].texts] == ["10", "(5)", "20", "5", "30", "15"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["1.99%", "2.99%"]
    assert fig.axes[0].get_xlabel() == "council tax core"


def test_the_tornado_lines_up_under_its_longest_name(tmp_path, capsys):
    # Before: a fixed 40-character name column, so 'Adult home and community care, 65+ volume
    # growth' pushed its figures out of line with every other row. And a vacancy factor's range
    # was written as a bare fraction ('0.02 → ...'); it is a share, so '2%'.
    from mtfpmodel.cli import main

    assert main(["sensitivity", str(EXAMPLES / "durham-risk.yaml"), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    rows = out[out.index("Tornado:"):].splitlines()[1:]
    rows = rows[:next(i for i, row in enumerate(rows) if not row.startswith("  "))]
    assert any("Adult home and community care, 65+ volume growth" in row for row in rows)
    assert len({row.index(" → ") for row in rows}) == 1, rows
    assert any(row.lstrip().startswith("NJC local pay vacancy") and " 2% → " in row for row in rows), rows


def test_the_tornados_plan_label_is_not_struck_through_by_the_plans_line(tmp_path):
    # Before: "plan: 14.5" sat centred on the plan's vertical line, which ran through it ("plan:|14.5").
    # Now the label has a white ground, drawn over the line.
    import numpy as np

    from mtfpmodel.analysis.sensitivity import Tornado
    from mtfpmodel.outputs import riskcharts
    from mtfpmodel.outputs.chartstyle import Scale

    result = Tornado(("assumptions.pay",), ("2%",), ("5%",), 100.0, np.array([90.0]), np.array([120.0]))
    fig = _drawn_figure(lambda: riskcharts.tornado_chart(result, Scale("£000", 1.0), "2028/29",
                                                         tmp_path / "tornado", "t"))
    (label,) = [t for t in fig.axes[0].texts if t.get_text().startswith("plan: ")]
    ground = label.get_bbox_patch()
    assert ground is not None and ground.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert label.get_zorder() > fig.axes[0].lines[0].get_zorder()
