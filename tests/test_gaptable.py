"""The gap table in the council's shape (mtfpmodel.results.gaptable): rows add down, reserves run out."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mtfpmodel
from mtfpmodel.cli import main
from mtfpmodel.outputs.terminal import gap_table_text
from mtfpmodel.results.gaptable import gap_table

YEARS = ["2025/26", "2026/27", "2027/28", "2028/29"]
SCENARIOS = Path(__file__).parent / "scenarios"

RUNS_OUT = """\
scenario: runs-out
base_year: "2024/25"
expenditure: [{name: Services, base: 1000}]
pressures: [{name: New duty, amount: {2025/26: 80}}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
reserves: {opening: 100}
"""


def test_reserves_meet_the_gap_only_while_they_last(run_text):
    table = gap_table(run_text(RUNS_OUT)).set_index("key")
    # net gap 80 every year (the pressure recurs); reserves 100 at the start, no planned use, so
    # all 80 is still to find each year. 2025/26: 80 met from reserves (20 left); 2026/27: only
    # 20 left, so 60 unfunded; then nothing left: 80 unfunded a year.
    assert list(table.loc["net_gap", YEARS]) == pytest.approx([80, 80, 80, 80])
    assert list(table.loc["planned_reserves_use", YEARS]) == pytest.approx([0, 0, 0, 0])
    assert list(table.loc["savings_still_to_find", YEARS]) == pytest.approx([80, 80, 80, 80])
    assert list(table.loc["savings_still_to_find_in_year", YEARS]) == pytest.approx([80, 0, 0, 0])
    assert list(table.loc["unplanned_reserves_use", YEARS]) == pytest.approx([-80, -20, 0, 0])
    assert list(table.loc["unfunded_gap", YEARS]) == pytest.approx([0, 60, 80, 80])


def _adds_down(result) -> None:
    values = gap_table(result).set_index("key")[YEARS]
    part = lambda prefix: values[values.index.str.startswith(prefix)].sum()  # noqa: E731
    np.testing.assert_allclose(values.loc["gross_gap"] + values.loc["one_off_costs"] + part("savings:"),
                               values.loc["net_gap"], atol=1e-9)
    planned = part("planned_use:") + (values.loc["planned_reserves_use"] if "planned_reserves_use" in values.index else 0)
    np.testing.assert_allclose(values.loc["net_gap"] + planned, values.loc["savings_still_to_find"], atol=1e-9)
    rest = sum(values.loc[k] for k in ("unplanned_reserves_use", "surplus_to_reserves", "unfunded_implementation_costs")
               if k in values.index)
    np.testing.assert_allclose(values.loc["savings_still_to_find"] + rest, values.loc["unfunded_gap"], atol=1e-9)
    np.testing.assert_allclose(values.loc["net_gap"], result.summary["net_gap"], atol=1e-9)
    np.testing.assert_allclose(values.loc["unfunded_gap"], result.summary["unfunded_gap"], atol=1e-9)


@pytest.mark.parametrize("name", ["streams.yaml", "hand.yaml", "../../scenarios/example.yaml",
                                  "../../scenarios/durham.yaml"])
def test_rows_add_down_to_each_subtotal(name):
    _adds_down(mtfpmodel.run(SCENARIOS / name))


def test_streams_group_by_category_else_by_kind(run_text):
    result = run_text("""\
        scenario: categories
        base_year: "2024/25"
        expenditure: [{name: Back office, base: 1000}]
        funding: {council_tax: {tax_base: 1000, band_d: 1000}}
        savings:
          - {name: A, kind: fixed, saving: 10, category: Efficiency}
          - {name: B, kind: fixed, saving: 5, category: Efficiency}
          - {name: C, kind: share_of_line, line: Back office, reduction: 1%}
        """)
    table = gap_table(result).set_index("key")
    # A and B: 10 + 5 = 15 of new saving a year, recurring → 15, 30, 45, 60.
    assert list(table.loc["savings:Efficiency", YEARS]) == pytest.approx([-15, -30, -45, -60])
    # C: 1% of a line of 1,000 that does not grow.
    assert list(table.loc["savings:Budget line reductions", YEARS]) == pytest.approx([-10] * 4)
    assert "Savings identified: Efficiency" in gap_table_text(result)


def test_run_prints_the_table_and_writes_gap_table_csv(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "streams.yaml"), "--out", str(out)]) == 0
    assert "Savings still to find, cumulative (surplus)" in capsys.readouterr().out
    frame = pd.read_csv(out / "gap_table.csv")
    assert list(frame.columns) == ["item", "key"] + YEARS
    assert frame.set_index("key").loc["net_gap", YEARS].tolist() == pytest.approx(
        pd.read_csv(out / "summary.csv")["net_gap"].tolist())
