"""Goal seek and savings needed (analysis/goalseek.py, mtfp solve)."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import RISK, SCENARIOS

import mtfpmodel
from mtfpmodel.analysis import goalseek
from mtfpmodel.cli import main
from mtfpmodel.results.result import labels_of

approx = pytest.approx


def _solve(loaded, params, path, metric="net_gap", target=0.0, year=None, bracket=None):
    return goalseek.solve(loaded.scenario, params, path, metric, target, year, bracket, labels_of(loaded.scenario))


def test_core_increase_year_by_year_hand_worked(loaded, params):
    # Net gap before council tax rises: 16 in 2025/26, 34.4 in 2026/27 (see risk.yaml).
    # Year 1: 1000 * x = 16 → x = 1.6%. Year 2: 1000 * 1.016 * (1 + y) - 1000 = 34.4 → y = 1034.4/1016 - 1.
    solution = _solve(loaded, params, "funding.council_tax.increase.core")
    assert solution.values == approx([0.016, 1034.4 / 1016 - 1], abs=1e-12)


@pytest.mark.parametrize("path, year", [
    ("funding.council_tax.increase.core", None),
    ("funding.council_tax.increase.core", 2),
    ("assumptions.pay", 1),
    ("expenditure[Services].base", None),
    ("reserves.opening", None),
])
def test_solution_plugged_back_meets_the_target(loaded, params, path, year):
    metric = "closing_reserves" if path == "reserves.opening" else "net_gap"
    target = 10.0 if path == "reserves.opening" else 0.0
    solution = _solve(loaded, params, path, metric, target, year)
    achieved = getattr(mtfpmodel.run(loaded, {path: solution.series}).results, metric)[0]
    years = list(solution.years)
    if year is None and not params[path].is_series:
        worst = achieved[years].min() if metric == "closing_reserves" else achieved[years].max()
        assert worst == approx(target, abs=1e-6)
    else:
        assert achieved[years] == approx(np.full(len(years), target), abs=1e-6)


def test_reserves_needed_hand_worked(loaded, params):
    # Reserves fall by 16 and then 34.4: to close at 10 or more every year the opening must be 60.4.
    solution = _solve(loaded, params, "reserves.opening", "closing_reserves", 10.0)
    assert float(solution.series) == approx(60.4, abs=1e-9)


def test_no_root_in_range_is_reported(loaded, params):
    with pytest.raises(goalseek.NoRoot, match="no council tax core between 0.00% and 1.00% closes the gap in 2025/26: the nearest, 1.00%, still leaves net_gap £6k above"):
        _solve(loaded, params, "funding.council_tax.increase.core", bracket=(0.0, 0.01))


def test_savings_needed_hand_worked():
    # Gaps 5, 3, 8 (base year first ignored): levels 5, 5, 8 → new savings 5, 0, 3.
    new, level = goalseek.savings_needed(np.array([0.0, 5.0, 3.0, 8.0]))
    assert new == approx([5, 0, 3]) and level == approx([5, 5, 8])
    new, level = goalseek.savings_needed(np.array([0.0, -2.0, 4.0]))
    assert new == approx([0, 4]) and level == approx([0, 4])


def test_savings_needed_balance_the_plan(run_text):
    text = (SCENARIOS / "risk.yaml").read_text()
    before = run_text(text)
    new, _ = goalseek.savings_needed(before.results.net_gap[0])
    extra = "\n".join(["", "  - name: Extra", "    kind: fixed", f"    saving: [{float(new[0])!r}, {float(new[1])!r}]"])
    text = text.replace("confidence: 50%}\n", "confidence: 50%}" + extra + "\n")
    after = run_text(text)
    assert after.results.net_gap[0, 1:] == approx([0, 0], abs=1e-9)


def test_command_solve_and_savings_needed(tmp_path, capsys):
    code = main(["solve", str(RISK), "--out", str(tmp_path), "--by", "funding.council_tax.increase.core",
                 "--savings-needed"])
    out = capsys.readouterr().out
    assert code == 0
    assert "2025/26: 1.60% (planned 0.00%)" in out
    solved = pd.read_csv(tmp_path / "solve.csv")
    assert solved["achieved"].abs().max() < 1e-6
    needed = pd.read_csv(tmp_path / "savings_needed.csv")
    assert list(needed["new_recurring_savings"]) == approx([16, 18.4])


def test_command_flags_the_referendum_limit(tmp_path, capsys):
    # With pay at 6%, year 1 needs 1000 * x = 16 + 40 → 5.6% core, above the 2.99% limit.
    code = main(["solve", str(RISK), "--out", str(tmp_path), "--by", "funding.council_tax.increase.core",
                 "--set", "assumptions.pay=6%"])
    assert code == 0
    assert "a core increase of 5.60% would be needed in 2025/26" in capsys.readouterr().out


def test_command_no_root_exits_1(tmp_path, capsys):
    code = main(["solve", str(RISK), "--out", str(tmp_path), "--by", "funding.council_tax.increase.core",
                 "--range", "0%..1%"])
    assert code == 1
    assert "no council tax core between 0.00% and 1.00%" in capsys.readouterr().err
    assert not (tmp_path / "solve.csv").exists()


@pytest.mark.parametrize("argv, message", [
    (["--by", "assumptions.pya"], "did you mean 'assumptions.pay'"),
    (["--by", "assumptions.pay", "--target", "profit=0"], "METRIC one of"),
    (["--by", "assumptions.pay", "--year", "2031/32"], "not a projection year"),
    (["--by", "assumptions.pay", "--range", "5%..1%"], "LOW must be below HIGH"),
    (["--by", "assumptions.pay", "--savings-needed", "--target", "net_gap="], "METRIC one of"),
    ([], "give --by PATH"),
])
def test_command_usage_errors(tmp_path, capsys, argv, message):
    assert main(["solve", str(RISK), "--out", str(tmp_path), *argv]) == 2
    out = capsys.readouterr()
    assert message in out.err
    assert out.out == ""            # every argument is checked before the heading is printed


def test_zigzag_is_a_real_rise_then_fall():
    assert goalseek.zigzags([0.0432, 0.0350, 0.0352, 0.0458], "rate")     # down 0.82pt, (flat), up 1.06pt
    assert not goalseek.zigzags([0.03, 0.035, 0.04, 0.04], "rate")         # rises, then holds
    assert not goalseek.zigzags([0.030, 0.031, 0.030], "rate")              # moves of 0.1pt are noise
    assert not goalseek.zigzags([0.05, 0.01], "rate")                       # two years cannot zigzag
    assert goalseek.zigzags([100.0, 50.0, 120.0], "scalar")


def test_command_warns_when_the_answer_zigzags(tmp_path, capsys, write):
    # Pay 6% in 2025/26 only: the core rise that closes 2025/26 (5.6%) is far too much for 2026/27,
    # whose own gap needs the rise taken back (a Band D cut), then a third year needs it again.
    text = (SCENARIOS / "risk.yaml").read_text().replace("years: 2", "years: 3").replace(
        "saving: [4, 2]", "saving: [4, 2, 0]").replace("pay: 2%", "pay: [6%, 0%, 6%]")
    code = main(["solve", str(write(text)), "--out", str(tmp_path), "--by", "funding.council_tax.increase.core"])
    captured = capsys.readouterr()
    assert code == 0
    assert "warning: the answer rises and falls from year to year" in captured.err
    assert "use --year 2027/28" in captured.err


def test_opening_reserves_that_keep_reserves_at_the_minimum(loaded, params):
    # Net gaps of 16 and 34.4 are drawn: reserves fall by 50.4 in all, so to end every year at or
    # above the minimum of 10 the opening balance must be 10 + 50.4 = 60.4.
    solution = _solve(loaded, params, "reserves.opening", "reserves_above_minimum", 0.0)
    assert float(solution.series) == approx(60.4, abs=1e-9)


def test_command_prints_a_share_as_a_percentage(tmp_path, capsys):
    # Regression: a stream's reduction (a share, not a per-year rate) was printed as 0.4.
    # streams.yaml has a surplus of 815 in 2025/26; a smaller LED reduction brings it to 700.
    code = main(["solve", str(SCENARIOS / "streams.yaml"), "--out", str(tmp_path), "--by", "savings[LED].reduction",
                 "--year", "2025/26", "--target", "net_gap=-700", "--range", "0%..100%"])
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(r"2025/26: [\d.]+% \(planned [\d.]+%\)", out), out
def test_command_prints_each_value_with_its_unit(write, tmp_path, capsys):
    # Before: an amount was printed as a bare number ("2025/26: 0 (planned 30)"), a Band D too.
    # Services 1,000 + a pressure of 30 from 2025/26 (£000) against council tax of
    # 1,000 Band D equivalents x £1,000 = £1,000k: a gap of 30 each year. It closes with no pressure
    # (0 £000, planned 30 £000), or with a Band D of (1,000 + 30) x 1,000 / 1,000 = £1,030.
    path = write("""\
        scenario: units
        base_year: "2024/25"
        expenditure: [{name: Services, base: 1000}]
        pressures: [{name: Gap, amount: {2025/26: 30}}]
        funding: {council_tax: {tax_base: 1000, band_d: 1000}}
        reserves: [{name: General, kind: general, opening: 50}]
        """)
    assert main(["solve", str(path), "--out", str(tmp_path / "a"), "--by", "pressures[Gap].amount"]) == 0
    out = capsys.readouterr().out
    assert "  2025/26: 0 £000 (planned 30 £000); net_gap then £0" in out, out
    assert main(["solve", str(path), "--out", str(tmp_path / "b"), "--by", "funding.council_tax.band_d",
                 "--year", "2025/26"]) == 0
    out = capsys.readouterr().out
    assert "  2025/26: £1,030 (planned £1,000); net_gap then £0" in out, out


def test_one_number_solved_for_every_year_is_shown_once(write, tmp_path, capsys):
    # Before: a Band D (one number for the whole plan) was printed against each year, the same
    # value four times over ('2025/26: £1,999.39 (planned £1,968)', '2026/27: £1,999.39 ...'),
    # and labelled 'band d'. Services 1,000 (£000) with pressures of 30 in 2025/26 and another 30
    # in 2026/27 (they stay in the budget: 60 by then) against 1,000 Band D equivalents x £1,000:
    # gaps of 30 then 60. The worst year closes
    # at a Band D of (1,000 + 60) x 1,000 / 1,000 = £1,060, which leaves 2025/26 30 under.
    path = write("""\
        scenario: units
        base_year: "2024/25"
        years: 2
        expenditure: [{name: Services, base: 1000}]
        pressures: [{name: Gap, amount: {2025/26: 30, 2026/27: 30}}]
        funding: {council_tax: {tax_base: 1000, band_d: 1000}}
        reserves: [{name: General, kind: general, opening: 50}]
        """)
    assert main(["solve", str(path), "--out", str(tmp_path / "a"), "--by", "funding.council_tax.band_d"]) == 0
    out = capsys.readouterr().out
    assert ("To reach net_gap = 0 in the worst year, Band D (funding.council_tax.band_d) would need to be "
            "£1,060 (planned £1,000); net_gap then:\n  2025/26: -£30k\n  2026/27: £0\n") in out, out


def test_planned_use_of_a_named_reserve_that_leaves_nothing_to_find(write):
    # Gap 30 a year against a support reserve of 200: the planned use that leaves no savings
    # still to find is 30 in every year (the year-by-year solve), and it is drawn in full.
    loaded = mtfpmodel.load(write("""\
        scenario: solve reserves
        base_year: "2024/25"
        expenditure: [{name: Services, base: 1000}]
        pressures: [{name: Gap, amount: {2025/26: 30}}]
        funding: {council_tax: {tax_base: 1000, band_d: 1000}}
        reserves:
          - {name: Support, kind: earmarked, opening: 200}
          - {name: General, kind: general, opening: 50}
        """))
    params = mtfpmodel.engine.parameters.collect(loaded.scenario)
    solution = _solve(loaded, params, "reserves[Support].planned_use", "savings_still_to_find", 0.0)
    assert solution.values == approx([30, 30, 30, 30], abs=1e-9)
    run = mtfpmodel.run(loaded, {"reserves[Support].planned_use": solution.series})
    assert list(run.summary["planned_reserves_use"]) == approx([30] * 4)


SURPLUS = """\
scenario: surplus
units: "£000"
base_year: "2024/25"
years: 2
expenditure:
  - {name: Services, base: 150}
funding:
  council_tax: {tax_base: 1000, band_d: 100}
  business_rates: {base: 200}
savings:
  - {name: Review, kind: share_of_line, line: Services, reduction: 10%}
reserves: {opening: 50, minimum: 5%}
"""


@pytest.mark.parametrize("by, year, rule", [
    # Spending 150 less the review's 10% (15) against 100 of council tax and 200 of business rates:
    # a surplus of 165 (£000), so closing it needs council tax of 100 - 165 = -65 (£000): a Band D
    # of -65 * 1000 / 1000 = -£65, or a tax base of -650 Band D equivalents.
    ("funding.council_tax.band_d", [], "it would need to be -£65, and -65.0 is out "
                                       "of range (it must be greater than 0)"),
    ("funding.council_tax.tax_base", ["--year", "2026/27"], "meets the target in 2026/27: it would need to be -650 "
                                                            "in 2026/27"),
    # Closing it by the review: 150 * (1 - r) = 100 + 200 gives a reduction r of -100% of the line.
    ("savings[Review].reduction", [], "is outside 0% to 100%"),
])
def test_a_value_the_scenario_cannot_hold_is_no_answer(tmp_path, capsys, by, year, rule):
    # Before: 'band d would need to be -50 (planned 100)', exit 0, solve.csv written with it; a
    # stream's reduction of 203% or a negative number of posts likewise. The value found is now
    # validated as --set would be, and refused with the rule it breaks.
    plan = tmp_path / "surplus.yaml"
    plan.write_text(SURPLUS, encoding="utf-8")
    assert main(["solve", str(plan), "--by", by, *year, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "that the scenario can hold meets the target" in err and rule in err
    assert not (tmp_path / "out").exists()


def test_a_value_a_hair_from_zero_is_shown_as_0_with_its_unit():
    # A solver's answer of -1e-13 (£000) would otherwise print as "-1e-13 £000", and -0.0 as "-0".
    from mtfpmodel.analysis.paths import value_text

    loaded = mtfpmodel.load(RISK)
    params = mtfpmodel.engine.parameters.collect(loaded.scenario)
    assert [value_text(v, params["reserves.opening"], loaded.scenario) for v in (-1e-13, -0.0, 2.5, -1234.5)] == \
        ["0 £000", "0 £000", "2.5 £000", "-1,234.5 £000"]
    assert value_text(-1e-13, params["assumptions.pay"], loaded.scenario) == "0.00%"



def test_a_target_in_percent_is_refused_for_a_money_figure(tmp_path, capsys):
    # Before: --target net_gap=1% ran, and solved for a net gap of 0.01 (£000): £10.
    example = Path(__file__).resolve().parents[1] / "scenarios" / "example.yaml"
    assert main(["solve", str(example), "--by", "assumptions.pay", "--target", "net_gap=1%",
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "--target net_gap=1%: net_gap is money in the scenario's unit (£000), not a rate" in err
    assert not (tmp_path / "out").exists()


def test_an_input_that_does_not_move_the_target_says_so(tmp_path, capsys):
    # Before: "no confidence between -19970700.00% and 19970700.00% closes the gap ... (widen the
    # search with --range ...)": a stream's confidence moves only the risk-adjusted net gap.
    example = Path(__file__).resolve().parents[1] / "scenarios" / "example.yaml"
    assert main(["solve", str(example), "--by", "savings[Shared back-office service].confidence",
                 "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "confidence does not move net_gap: at any value it stays £2,284k above the target" in err
    assert "widen the search" not in err


def test_a_range_that_starts_below_zero_is_read_without_an_equals_sign(tmp_path, capsys):
    # Before: "--range -5%..5%" gave argparse's "argument --range: expected one argument" (only
    # "--range=-5%..5%" worked), though a negative range is natural for pay or a grant's growth.
    example = Path(__file__).resolve().parents[1] / "scenarios" / "example.yaml"
    assert main(["solve", str(example), "--by", "assumptions.pay", "--range", "-5%..5%",
                 "--out", str(tmp_path / "out")]) == 0
    assert "2025/26: 2.15% (planned 3.20%)" in capsys.readouterr().out


def test_goal_seek_options_without_by_are_refused(tmp_path, capsys):
    # Before: --savings-needed --year 2026/27 --target gross_gap=5 ran, ignoring both.
    example = Path(__file__).resolve().parents[1] / "scenarios" / "example.yaml"
    assert main(["solve", str(example), "--savings-needed", "--year", "2026/27", "--target", "gross_gap=5",
                 "--out", str(tmp_path / "out")]) == 2
    assert "--target gross_gap=5, --year 2026/27: used only with --by PATH" in capsys.readouterr().err
    assert main(["solve", str(example), "--savings-needed", "--out", str(tmp_path / "out")]) == 0


def test_reserves_needed_to_stay_above_the_minimum_count_a_gap_left_unfunded(write):
    # A one-off pressure of 300 in 2026/27 against reserves opening at 0 (minimum 0): 300 is
    # unfunded that year. Before: closing 0 against a minimum of 0 read as "at or above the
    # minimum", so the opening needed came out as 0 and the pack said reserves "would stay at or
    # above their minimum even if they opened at nothing" of a plan with £300k unfunded.
    # Opening needed: the 300 the gap takes.
    loaded = mtfpmodel.load(write("""\
scenario: mid-plan gap
base_year: "2024/25"
expenditure: [{name: Services, base: 1000}]
pressures: [{name: Equal pay settlement, amount: {2026/27: 300}, recurring: false}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
reserves: [{name: General fund balance, kind: general, opening: 0}]
"""))
    params = mtfpmodel.engine.parameters.collect(loaded.scenario)
    solution = goalseek.solve(loaded.scenario, params, "reserves[General fund balance].opening",
                              "reserves_above_minimum", 0.0, None)
    assert float(solution.series) == pytest.approx(300, abs=1e-6)


def test_savings_needed_shows_a_surplus_in_brackets(write, tmp_path, capsys):
    # Before: "2026/27   -545" with a minus sign, where every other table of the tool brackets it.
    # Spending 1,000 against council tax of 1,000 and a pressure of -545 in 2026/27 only (a surplus).
    plan = write("""\
scenario: surplus year
base_year: "2024/25"
years: 2
expenditure: [{name: Services, base: 1000}]
pressures: [{name: Windfall, amount: {2026/27: -545}, recurring: false}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
""")
    assert main(["solve", str(plan), "--savings-needed", "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if line.startswith("  2026/27")]
    assert line.split() == ["2026/27", "(545)", "0", "0"] and "-545" not in out


def test_reserves_needed_do_not_count_costs_only_another_reserve_pays_and_solve_warns(write, tmp_path, capsys):
    # Found by a review: implementation costs of 60 that only T (the first reserve that meets gaps,
    # empty) may pay were counted as a gap G must cover, so "opening reserves needed" came out 60 too
    # high, and at that value the plan still did not balance, with no word of it.
    # Gap 30 a year from G (minimum 0): G must open at 4 × 30 = 120; the 60 stays unfunded.
    plan = write("""\
scenario: costs elsewhere
base_year: "2024/25"
expenditure: [{name: Services, base: 1000}]
pressures: [{name: Gap, amount: {2025/26: 30}}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
savings: [{name: Change, kind: fixed, saving: 0, implementation_cost: {2025/26: 60}, funded_by: reserves}]
reserves:
  - {name: T, kind: earmarked, meets_gap: true, opening: 0}
  - {name: G, kind: general, opening: 0}
""")
    loaded = mtfpmodel.load(plan)
    params = mtfpmodel.engine.parameters.collect(loaded.scenario)
    solution = goalseek.solve(loaded.scenario, params, "reserves[G].opening", "reserves_above_minimum", 0.0, None)
    assert float(solution.series) == pytest.approx(120, abs=1e-6)
    assert main(["solve", str(plan), "--target", "reserves_above_minimum=0", "--by", "reserves[G].opening",
                 "--out", str(tmp_path / "o")]) == 0
    assert "warning: at this value the plan still leaves a gap unfunded in 2025/26 (£60k)" in capsys.readouterr().err
