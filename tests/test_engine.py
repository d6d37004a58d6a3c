"""Hand-worked checks of the engine; arithmetic in comments."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS

import mtfpmodel
from mtfpmodel.engine.projection import STATUSES

approx = pytest.approx


@pytest.fixture(scope="module")
def hand():
    return mtfpmodel.run(SCENARIOS / "hand.yaml")


def _by(frame, key, column):
    return {k: list(g[column]) for k, g in frame.groupby(key, sort=False)}


def test_two_component_line_with_demand(hand):
    # Adults: base 1000 = pay 60% (600) + prices 40% (400), demand 5% a year.
    # 2025/26: pay 600 * 1.03 * 1.05 = 648.9;      prices 400 * 1.02 * 1.05 = 428.4;   line 1077.3
    # 2026/27: pay 648.9 * 1.02 * 1.05 = 694.9719; prices 428.4 * 1.02 * 1.05 = 458.8164; line 1153.7883
    adults = _by(hand.lines, "line", "cost")["Adults"]
    assert adults[:3] == approx([1000, 1077.3, 1153.7883])
    component = hand.results.component_cost[0]           # (Adults pay, Adults prices, Highways none)
    assert component[0, 1:3] == approx([648.9, 694.9719])
    assert component[1, 1:3] == approx([428.4, 458.8164])
    # Highways: {none: 100%}, no demand: flat at 500.
    assert _by(hand.lines, "line", "cost")["Highways"] == approx([500] * 5)


def test_recurring_and_one_off_pressures(hand):
    # Pay award 10 a year, recurring: levels 10, 20, 30, 40.
    # Election 20 in 2026/27 only (recurring: false): 0, 20, 0, 0.
    levels = hand.results.pressure_level[0]
    assert levels[0] == approx([0, 10, 20, 30, 40])
    assert levels[1] == approx([0, 0, 20, 0, 0])
    # net expenditure 2025/26 = 1077.3 + 500 + 10 = 1587.3; 2026/27 = 1153.7883 + 500 + 20 + 20 = 1693.7883
    assert list(hand.summary["net_expenditure"][:2]) == approx([1587.3, 1693.7883])
    assert hand.results.net_expenditure[0, 0] == approx(1500)     # base year: bases only


def test_council_tax_income(hand):
    # tax base 1000 Band D equivalents growing 1%: 1010, 1020.1
    # Band D £1000 rising 2.99% core + 2% ASC = 4.99%: £1049.90, £1049.90 * 1.0499 = £1102.29001
    # income [£000] = tax_base * band_d / 1000 + collection fund (50 in 2025/26 only):
    #   2025/26: 1010 * 1049.9 / 1000 + 50 = 1060.399 + 50 = 1110.399
    #   2026/27: 1020.1 * 1102.29001 / 1000 = 1124.446039201
    r = hand.results
    assert r.tax_base[0, :3] == approx([1000, 1010, 1020.1])
    assert r.band_d[0, :3] == approx([1000, 1049.9, 1102.29001])
    council_tax = _by(hand.funding, "source", "amount")["council_tax"]
    assert council_tax[:3] == approx([1000, 1110.399, 1124.446039201])


def test_grants_with_growth_and_with_values(hand):
    sources = _by(hand.funding, "source", "amount")
    # business rates: base 200 growing with prices 2%: 204, 208.08
    assert sources["business_rates"][:3] == approx([200, 204, 208.08])
    # RSG: base 210, growth 0%
    assert sources["Revenue Support Grant"] == approx([210] * 5)
    # Social Care Grant: values as given, base-year value 90
    assert sources["Social Care Grant"] == approx([90, 100, 110, 120, 130])
    # funding 2025/26 = 1110.399 + 204 + 210 + 100 = 1624.399
    # funding 2026/27 = 1124.446039201 + 208.08 + 210 + 110 = 1652.526039201
    assert list(hand.summary["funding"][:2]) == approx([1624.399, 1652.526039201])


def test_gap_reserves_and_status(hand):
    s = hand.summary
    # gross gap = net expenditure - funding: 1587.3 - 1624.399 = -37.099; 1693.7883 - 1652.526039201 = 41.262260799
    assert list(s["gross_gap"][:2]) == approx([-37.099, 41.262260799])
    # no savings: net gap = gross gap; incremental: -37.099 - 0... (net_gap[0] = gross_gap[0] = 0)
    assert list(s["incremental_gap"][:2]) == approx([-37.099, 41.262260799 + 37.099])
    # reserves: a surplus adds, a gap is drawn: 100 + 37.099 = 137.099; 137.099 - 41.262260799 = 95.836739201
    assert list(s["reserves_drawn"][:2]) == approx([0, 41.262260799])
    assert list(s["closing_reserves"][:2]) == approx([137.099, 95.836739201])
    # minimum "5%" of net expenditure: 0.05 * 1587.3 = 79.365; 0.05 * 1693.7883 = 84.689415
    assert list(s["minimum_reserves"][:2]) == approx([79.365, 84.689415])
    # closing carries forward year to year
    closing = hand.results.closing_reserves[0]
    assert closing[1:] == approx(closing[:-1] - s["reserves_drawn"] + np.maximum(-s["net_gap"], 0))
    assert hand.statuses == ["balanced", "balanced with reserves", "below minimum reserves",
                             "below minimum reserves"]
    assert hand.balances and not hand.sustainable      # final-year gap 42.6 > 0


FLAT = """\
scenario: flat
base_year: "2024/25"
expenditure:
  - {name: Services, base: 1000}
pressures:
  - {name: Gap, amount: %(pressure)s}
funding:
  council_tax: {tax_base: 1000, band_d: 1000}
reserves: %(reserves)s
savings:
  - {name: Late saving, kind: fixed, saving: %(saving)s}
"""


def flat(run_text, pressure="0", reserves="{}", saving="0"):
    """Spending 1000 flat against council tax 1000 * £1000 / 1000 = 1000: the gap is the pressure."""
    return run_text(FLAT % dict(pressure=pressure, reserves=reserves, saving=saving))


def test_balanced(run_text):
    result = flat(run_text, reserves="{opening: 50}")
    assert result.statuses == ["balanced"] * 4
    assert list(result.summary["closing_reserves"]) == approx([50] * 4)
    assert result.balances and result.sustainable


def test_every_status_in_one_plan(run_text):
    # a recurring pressure of 50 from 2025/26: gap 50 every year, until a saving of 100 in 2028/29
    # net gap: 50, 50, 50, 50 - 100 = -50. Opening reserves 120, minimum 30.
    # 2025/26: 120 - 50 = 70 (with reserves); 2026/27: 70 - 50 = 20 < 30 (below minimum);
    # 2027/28: only 20 left for a gap of 50: 20 drawn, 30 unfunded, closing 0 (exhausted);
    # 2028/29: the surplus of 50 goes back to the reserve: 0 + 50 = 50 >= 30, nothing drawn (balanced)
    result = flat(run_text, pressure="[50, 0, 0, 0]", reserves="{opening: 120, minimum: 30}",
                  saving="{2028/29: 100}")
    s = result.summary
    assert list(s["net_gap"]) == approx([50, 50, 50, -50])
    assert list(s["closing_reserves"]) == approx([70, 20, 0, 50])
    assert list(s["reserves_drawn"]) == approx([50, 50, 20, 0])
    assert list(s["unfunded_gap"]) == approx([0, 0, 30, 0])
    assert result.statuses == ["balanced with reserves", "below minimum reserves", "reserves exhausted", "balanced"]
    assert not result.balances and not result.sustainable


def test_minimum_is_compared_exactly(run_text):
    # closing 120 - 50 - 50 = 20, exactly the minimum 20: not below it (no tolerance)
    result = flat(run_text, pressure="[50, 0, 0, 0]", reserves="{opening: 120, minimum: 20}")
    assert result.statuses[1] == "balanced with reserves"


def test_unbalanced_when_reserves_not_used(run_text):
    # gap 50 a year, reserves not drawn: closing stays at 120; every year unbalanced
    result = flat(run_text, pressure="[50, 0, 0, 0]", reserves="{opening: 120, use_to_balance: false}")
    assert list(result.summary["reserves_drawn"]) == approx([0] * 4)
    assert list(result.summary["closing_reserves"]) == approx([120] * 4)
    assert result.statuses == ["unbalanced"] * 4
    assert not result.balances and not result.sustainable


def test_balances_but_not_sustainable(run_text):
    # gap 50 a year met from 1000 of reserves: balances, but the final-year gap is still 50
    result = flat(run_text, pressure="[50, 0, 0, 0]", reserves="{opening: 1000}")
    assert result.balances and not result.sustainable
    # a saving of 50 in 2028/29 closes the final year: sustainable
    result = flat(run_text, pressure="[50, 0, 0, 0]", reserves="{opening: 1000}", saving="{2028/29: 50}")
    assert result.balances and result.sustainable


COSTLY = """\
scenario: s
base_year: "2024/25"
expenditure: [{name: Services, base: 1000}]
pressures: [{name: Gap, amount: {2025/26: 10}}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
reserves: {opening: 5, use_to_balance: %s}
savings:
  - {name: Project, kind: fixed, saving: 0, implementation_cost: {2025/26: 8}, funded_by: reserves}
"""


@pytest.mark.parametrize("use, status", [(False, "unbalanced"), (True, "reserves exhausted")])
def test_an_unfunded_gap_is_exhausted_when_a_reserve_meets_gaps_else_unbalanced(run_text, use, status):
    # The reserve-funded cost of 8 comes from the general reserve even when it does not meet gaps:
    # only 5 is there, so 3 is unfunded. The gap of 10 (recurring) then finds no reserve left (or
    # none that meets gaps): unfunded 3 + 10 = 13 in 2025/26, 10 a year after.
    result = run_text(COSTLY % str(use).lower())
    s = result.summary
    assert list(s["unfunded_gap"]) == approx([13, 10, 10, 10])
    assert list(s["closing_reserves"]) == approx([0, 0, 0, 0])
    assert result.statuses[0] == status
    assert STATUSES.index(status) == int(result.results.status[0, 1])


@pytest.mark.parametrize("units, base, band_d, tax_base, expected", [
    ("£", 1_000_000, 1000, 1000, 1_000_000.0),     # 1000 * £1000 / 1
    ("£000", 1000, 1000, 1000, 1000.0),            # 1000 * £1000 / 1,000
    ("£m", 1.0, 1000, 1000, 1.0),                  # 1000 * £1000 / 1,000,000
])
def test_units(run_text, units, base, band_d, tax_base, expected):
    result = run_text(f"""\
        scenario: units
        units: "{units}"
        base_year: "2024/25"
        expenditure: [{{name: Services, base: {base}}}]
        funding: {{council_tax: {{tax_base: {tax_base}, band_d: {band_d}}}}}
        savings:
          - {{name: Homes, kind: unit_cost, volume: 2, unit_cost_from: 5000, unit_cost_to: 3000}}
        """)
    assert result.results.council_tax[0, 0] == approx(expected)
    assert result.results.net_expenditure[0, 0] == approx(expected)
    assert result.warnings == []                   # the base year balances in every unit
    # 2 placements * (£5000 - £3000) * 52 weeks = £208,000 in the scenario unit
    assert result.summary["savings"][0] == approx(208_000 / {"£": 1, "£000": 1e3, "£m": 1e6}[units])


def test_rate_series_spellings_give_the_same_costs(run_text):
    text = """\
        scenario: spell
        base_year: "2024/25"
        assumptions: {pay: %s}
        expenditure: [{name: Services, base: 1000, cost_mix: {pay: 100%%}}]
        funding: {council_tax: {tax_base: 1000, band_d: 1000}}
        """
    costs = [run_text(text % spelling).results.line_cost[0, 0]
             for spelling in ('[3%, 3%, 2%, 2%]', '{2025/26: 3%, 2027/28: 2%}', '{2025/26: 0.03, 2027/28: "2%"}')]
    # 1000 * 1.03 = 1030; * 1.03 = 1060.9; * 1.02 = 1082.118; * 1.02 = 1103.76036
    for cost in costs:
        assert cost == approx([1000, 1030, 1060.9, 1082.118, 1103.76036])
    scalar = run_text(text % "3%").results.line_cost[0, 0]
    assert scalar == approx(1000 * 1.03 ** np.arange(5))
    assert run_text(text % "0.03").results.line_cost[0, 0] == approx(scalar)


def test_series_can_name_an_assumption(run_text):
    result = run_text("""\
        scenario: named
        base_year: "2024/25"
        assumptions: {growth: 10%, same: growth}
        expenditure: [{name: Services, base: 1000, demand: same}]
        funding:
          council_tax: {tax_base: 1000, band_d: 1000, tax_base_growth: growth}
        """)
    # demand 10% and tax base growth 10%: both 1100 in 2025/26
    assert result.results.line_cost[0, 0, 1] == approx(1100)
    assert result.results.council_tax[0, 1] == approx(1100)


def test_base_year_that_does_not_balance_is_a_warning(run_text):
    result = run_text("""\
        scenario: unbalanced base
        base_year: "2024/25"
        expenditure: [{name: Services, base: 1100}]
        funding: {council_tax: {tax_base: 1000, band_d: 1000}}
        """)
    # 1100 against 1000: a gap of 100, above 0.5% of 1100 = 5.5; carried like any other
    (warning,) = result.warnings
    assert "£1,100k" in warning.message and "£1,000k" in warning.message and "£100k" in warning.message
    assert result.summary["gross_gap"][0] == approx(100)
