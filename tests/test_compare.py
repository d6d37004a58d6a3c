"""`mtfp compare`: several scenarios' net gap and reserves side by side."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mtfpmodel
from mtfpmodel.cli import main

STRETCHED = Path(__file__).parent / "reports" / "stretched.yaml"


@pytest.fixture
def variant(write):
    """The stretched plan with pay at 5% a year, written with extends:."""
    write(STRETCHED.read_text(encoding="utf-8"), "stretched.yaml")
    return write("""
        extends: stretched.yaml
        scenario: pay5
        assumptions:
          pay: {value: 5%, source: "Pay at 5% a year"}
    """, "pay5.yaml")


def test_compare_writes_csv_and_chart(variant, tmp_path, capsys):
    out = tmp_path / "compare"
    assert main(["compare", str(STRETCHED), str(variant), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["compare.csv", "compare.png", "compare.svg"]
    table = pd.read_csv(out / "compare.csv")
    assert list(table.columns) == ["scenario", "year", "net_gap", "closing_reserves", "status"]
    assert list(table["scenario"].unique()) == ["stretched", "pay5"]
    for name, path in (("stretched", STRETCHED), ("pay5", variant)):
        summary = mtfpmodel.run(mtfpmodel.load(path)).summary
        rows = table[table["scenario"] == name]
        assert list(rows["year"]) == ["2025/26", "2026/27", "2027/28", "2028/29"]
        assert list(rows["net_gap"]) == pytest.approx(list(summary["net_gap"]), rel=1e-15)
        assert list(rows["closing_reserves"]) == pytest.approx(list(summary["closing_reserves"]), rel=1e-15)
        assert list(rows["status"]) == list(summary["status"])
    stretched, pay5 = (table[table["scenario"] == n]["net_gap"].to_numpy() for n in ("stretched", "pay5"))
    assert (pay5 > stretched).all()                     # dearer pay widens the gap every year
    printed = capsys.readouterr()
    assert "Net gap" in printed.out and "Closing reserves" in printed.out and "4,602" in printed.out    # closing reserves 2027/28 [£000]
    assert "wrote compare.csv" in printed.err


def test_scenarios_in_other_units_are_converted(write, tmp_path, capsys):
    write(STRETCHED.read_text(encoding="utf-8"), "stretched.yaml")
    small = write("""
        scenario: in pounds
        units: "£"
        base_year: "2024/25"
        expenditure: [{name: All, base: 2000000}]
        funding: {council_tax: {tax_base: 1000, band_d: 2000}}
        pressures: [{name: Growth, amount: 50000}]
    """, "pounds.yaml")
    out = tmp_path / "compare"
    assert main(["compare", str(STRETCHED), str(small), "--out", str(out)]) == 0
    rows = pd.read_csv(out / "compare.csv").query("scenario == 'in pounds'")
    # £50,000 of new pressure a year against flat funding: net gap £50k, £100k, ... shown in £000.
    assert list(rows["net_gap"]) == pytest.approx([50.0, 100.0, 150.0, 200.0])
    assert "in £; shown in £000" in capsys.readouterr().err


def test_same_name_twice_is_told_apart(tmp_path):
    out = tmp_path / "compare"
    assert main(["compare", str(STRETCHED), str(STRETCHED), "--out", str(out)]) == 0
    assert list(pd.read_csv(out / "compare.csv")["scenario"].unique()) == ["stretched (1)", "stretched (2)"]


def test_one_scenario_is_a_usage_error(tmp_path, capsys):
    assert main(["compare", str(STRETCHED), "--out", str(tmp_path / "c")]) == 2
    assert "at least two" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_a_bad_scenario_writes_nothing(tmp_path, capsys):
    out = tmp_path / "compare"
    assert main(["compare", str(STRETCHED), str(tmp_path / "missing.yaml"), "--out", str(out)]) == 1
    assert "file not found" in capsys.readouterr().err
    assert not out.exists()


def test_default_folder_is_named_after_the_files_compared(variant, tmp_path, monkeypatch, capsys):
    # Regression: every comparison went to outputs/compare/, each run overwriting the last.
    monkeypatch.chdir(tmp_path)
    assert main(["compare", str(STRETCHED), str(variant)]) == 0
    assert (tmp_path / "outputs" / "compare-stretched-pay5" / "compare.csv").is_file()
    assert "outputs/compare-stretched-pay5/" in capsys.readouterr().out


@pytest.mark.parametrize("count", [3, 40])
def test_the_legend_sits_below_the_panels_however_many_scenarios(count):
    # Before: the legend was anchored by its foot just below the panels, so beyond one row it grew
    # upwards over them: 40 scenarios hid most of both panels' lines.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from mtfpmodel.outputs.charts import compare_chart
    from mtfpmodel.outputs.chartstyle import Scale, pyplot

    years = ["2025/26", "2026/27", "2027/28"]
    table = pd.DataFrame([{"scenario": f"variant {k}", "year": year, "net_gap": 100.0 * k + t,
                           "closing_reserves": 1000.0 - k * t} for k in range(count) for t, year in enumerate(years)])
    fig = compare_chart(table, Scale("£000", 1.0))
    renderer = FigureCanvasAgg(fig).get_renderer()
    legend = fig.legends[0].get_window_extent(renderer)
    assert all(legend.y1 <= ax.get_tightbbox(renderer).y0 + 1 for ax in fig.axes)     # wholly below, ticks included
    assert len(fig.legends[0].get_texts()) == count
    pyplot().close(fig)


def test_a_set_one_of_the_scenarios_cannot_take_names_that_scenario(tmp_path, capsys):
    # Before: "--set assumptions.pay: no assumption named 'pay'", not saying which file lacks it.
    shipped = Path(__file__).resolve().parents[1] / "scenarios"
    gateshead = str(shipped / "gateshead-2025.yaml")
    assert main(["compare", str(shipped / "example.yaml"), gateshead, "--set", "assumptions.pay=3%",
                 "--out", str(tmp_path / "out")]) == 2
    assert f"error: {gateshead}: --set assumptions.pay: no assumption named 'pay'" in capsys.readouterr().err
