"""`mtfp explain` (mtfpmodel.analysis.explain): every figure's explanation shows the run's own number."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import mtfpmodel
from mtfpmodel.analysis.explain import all_paths, explain, explain_tree
from mtfpmodel.analysis.explain.context import Context, sum_lines
from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.cli import main
from mtfpmodel.scenario.errors import UsageError

SCENARIOS = Path(__file__).parent / "scenarios"
HAND = mtfpmodel.run(SCENARIOS / "hand.yaml")
STREAMS = mtfpmodel.run(SCENARIOS / "streams.yaml")
EXAMPLE = mtfpmodel.run(Path(__file__).resolve().parents[1] / "scenarios" / "example.yaml")   # named reserves
DRIVERS = mtfpmodel.run(SCENARIOS / "drivers.yaml")
_PATH = re.compile(r"^(\w+)(?:\[(.+)\])?\.(\w+)\[(.+)\]$")


def run_figure(result, path: str) -> float:
    """The same figure read from the run's tables and arrays, independently of explain."""
    table, item, column, year = _PATH.match(path).groups()
    t = result.labels.index(year)
    if table == "summary":
        return float(result.summary.set_index("year").loc[year, column])
    if table == "lines":
        frame = result.lines
        return float(frame[(frame.line == item) & (frame.year == year)].cost.iloc[0])
    if table == "pressures":
        n = [p.name for p in result.scenario.pressures].index(item)
        return float(result.results.pressure_level[0, n, t])
    if table == "funding" and column in ("tax_base", "band_d"):
        return float(getattr(result.results, column)[0, t])
    if table == "funding":
        frame = result.funding
        return float(frame[(frame.source == item) & (frame.year == year)].amount.iloc[0])
    if table == "reserves":
        if t == 0:      # reserves.csv has projection years only; the base year holds the opening balance
            r = [reserve.name for _, reserve in result.scenario.reserve_list].index(item)
            return float(getattr(result.results.reserve_flows, column)[0, r, 0])
        frame = result.reserves
        return float(frame[(frame.reserve == item) & (frame.year == year)][column].iloc[0])
    if table == "workforce":
        frame = result.workforce
        return float(frame[(frame.group == item) & (frame.year == year)][column].iloc[0])
    if table == "contracts":
        frame = result.contracts
        return float(frame[(frame.contract == item) & (frame.year == year)][column].iloc[0])
    frame = result.savings
    return float(frame[(frame.stream == item) & (frame.year == year)][column].iloc[0])


@pytest.mark.parametrize("result", [HAND, STREAMS, EXAMPLE, DRIVERS], ids=["hand", "streams", "example", "drivers"])
def test_every_explained_figure_equals_the_run(result):
    paths = all_paths(result)
    assert len(paths) > 50
    for path in paths:
        if path.startswith("savings") and path.endswith(f"[{result.labels[0]}]"):
            continue   # savings.csv has projection years only
        assert explain(result, path).value == pytest.approx(run_figure(result, path), abs=1e-9), path


def test_net_gap_shows_its_equation_with_the_numbers():
    item = explain(HAND, "summary.net_gap[2025/26]")
    s = HAND.summary.iloc[0]
    assert item.equation == "net_gap = gross_gap − savings + one_off_costs"
    assert item.value == pytest.approx(s.gross_gap - s.savings + s.one_off_costs)
    assert item.terms == ("summary.gross_gap[2025/26]", "summary.savings[2025/26]", "summary.one_off_costs[2025/26]")


def test_line_cost_worked_by_hand():
    # Adults: base 1000, 60% pay (3%) and 40% prices (2%), demand 5%.
    # 2025/26: 600 × 1.03 × 1.05 = 648.9 and 400 × 1.02 × 1.05 = 428.4; total 1,077.3.
    item = explain(HAND, "lines[Adults].cost[2025/26]")
    assert item.value == pytest.approx(1077.3)
    assert "600 × (1 + 3.00% pay) × (1 + 5.00% demand) = 649" in "\n".join(item.working)


def test_council_tax_worked_by_hand():
    # 1,000 Band D equivalents × 1.01 = 1,010; Band D £1,000 × (1 + 2.99% + 2%) = £1,049.90;
    # 1,010 × 1,049.90 / 1,000 = 1,060.399, plus the collection fund surplus of 50 = 1,110.399.
    item = explain(HAND, "funding[council_tax].amount[2025/26]")
    assert item.value == pytest.approx(1110.399)
    assert item.working == ("= 1,010.0 × £1,049.90 / 1,000 + 50 = 1,110",)


def test_tree_drills_down_without_zero_terms():
    tree = explain_tree(HAND, "summary.net_gap[2025/26]", depth=1)
    assert [level for level, _ in tree][:1] == [0]
    assert all(item.value != 0 for level, item in tree if level > 0)
    assert "summary.gross_gap[2025/26]" in [item.path for _, item in tree]


def test_unknown_path_names_the_closest():
    # A usage error (exit 2), as an unknown path is for --set and --by (before: exit 1).
    with pytest.raises(UsageError, match=r"did you mean 'lines\[Adults\].cost\[2025/26\]'"):
        explain(HAND, "lines[Adult].cost[2025/26]")
    with pytest.raises(UsageError, match=r"summary.net_gap\[2028/29\]"):
        explain(HAND, "summary.net_gap[2029/30]")


def test_cli(capsys):
    assert main(["explain", str(SCENARIOS / "hand.yaml"), "summary.gross_gap[2026/27]"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("summary.gross_gap[2026/27] = ") and "£000" in out
    assert main(["explain", str(SCENARIOS / "hand.yaml"), "summary.net_gapp[2026/27]"]) == 2
    assert "did you mean 'summary.net_gap[2026/27]'" in capsys.readouterr().err


def test_volume_line_contract_and_ni_worked_by_hand():
    # External placements 2025/26: 11 placements × £5,250 a week × 52 / 1,000 = 3,003
    item = explain(DRIVERS, "lines[External placements].cost[2025/26]")
    assert item.value == pytest.approx(3003)
    assert "volume 11.0 × £5,250.00 a period × 52 periods / 1,000 = 3,003" in item.working[0]
    # the contract: 1,254 × (1 + 4.00%) = 1,304.16
    item = explain(DRIVERS, "contracts[Waste contract].cost[2026/27]")
    assert item.working[-1] == "= 1,254 × (1 + 4.00%) = 1,304"
    assert "index 1 year(s) before (4.00%)" in item.working[0]
    # NI 2025/26: 15% × (30,900 − 5,000) × 20 / 1,000 = 77.7
    item = explain(DRIVERS, "workforce[Social workers].employer_ni[2025/26]")
    assert item.value == pytest.approx(77.7)
    assert item.working == ("= 15.00% × max(£30,900.00 − £5,000, 0) × 20.0 / 1,000 = 78",)
    line = explain(DRIVERS, "lines[Social work].cost[2025/26]")
    assert "workforce[Social workers].total_cost[2025/26]" in line.terms


def test_a_falling_rate_reads_as_a_minus_in_the_working():
    # Before: "energy: 1,800 × (1 + -5.00% energy) × (1 + 0.00% demand) = 1,710".
    example = mtfpmodel.run(Path(__file__).resolve().parents[1] / "scenarios" / "example.yaml")
    working = "\n".join(explain(example, "lines[Street lighting].cost[2025/26]").working)
    assert "energy: 1,800 × (1 − 5.00% energy) × (1 + 0.00% demand) = 1,710" in working and "+ -" not in working


def test_a_sum_of_nothing_says_so_and_a_sum_of_one_is_not_repeated():
    # hand.yaml has no savings streams: before, "= 0 = 0". Its one recurring pressure in a sum of
    # one read "= 10 = 10".
    assert explain(HAND, "summary.savings[2025/26]").working == ("= 0 (none in the plan)",)
    assert explain(HAND, "summary.one_off_costs[2025/26]").working == ("= 0 (none in the plan)",)
    assert sum_lines(Context(HAND, build_inputs(HAND.scenario)), [("A", 10.0)], 10.0) == ("= 10",)
    assert sum_lines(Context(HAND, build_inputs(HAND.scenario)), [("A", 10.0), ("B", 5.0)], 15.0) == ("= 10 + 5 = 15",)
