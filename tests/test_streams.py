"""Savings stream kinds, hand-worked (spec §7), on tests/scenarios/streams.yaml."""
from __future__ import annotations

import pytest
from conftest import SCENARIOS

import mtfpmodel

approx = pytest.approx


@pytest.fixture(scope="module")
def result():
    return mtfpmodel.run(SCENARIOS / "streams.yaml")


def stream(result, name, column):
    return list(result.savings.loc[result.savings["stream"] == name, column])


def test_fixed_recurring_and_one_off(result):
    # saving: 10 of new saving each year, recurring: levels 10, 20, 30, 40
    assert stream(result, "Fees", "gross_saving") == approx([10, 20, 30, 40])
    # 50 in 2026/27 only (recurring: false)
    assert stream(result, "Asset sale", "gross_saving") == approx([0, 50, 0, 0])


def test_share_of_a_component_with_phasing(result):
    # energy component of street lighting: 40% of 1000 = 400, rising 10% a year: 440, 484, 532.4, 585.64
    # LED saves 64% of it, phased 50% then 100%:
    #   440 * 0.64 * 0.5 = 140.8; 484 * 0.64 = 309.76; 532.4 * 0.64 = 340.736; 585.64 * 0.64 = 374.8096
    assert stream(result, "LED", "gross_saving") == approx([140.8, 309.76, 340.736, 374.8096])


def test_share_of_a_whole_line(result):
    # back office 2000 with 1% demand: 2020, 2040.2, 2060.602, 2081.20802; 15% of it:
    assert stream(result, "Shared ICT", "gross_saving") == approx([303, 306.03, 309.0903, 312.181203])


def test_unit_cost_with_growth(result):
    # weekly cost difference £5000 - £3000 = £2000 at base-year prices, growing with care fees 5%:
    #   £2100, £2205, £2315.25, £2431.0125 a week
    # saving [£000] = placements * difference * 52 / 1000:
    #   4 * 2100 * 52 / 1000 = 436.8; 8 * 2205 * 52 / 1000 = 917.28;
    #   12 * 2315.25 * 52 / 1000 = 1444.716; 12 * 2431.0125 * 52 / 1000 = 1516.9518
    assert stream(result, "Homes", "gross_saving") == approx([436.8, 917.28, 1444.716, 1516.9518])


def test_unit_cost_periods_per_year(result):
    # 1 unit * (£4000 - £1000) * 12 months / 1000 = 36 every year (no growth)
    assert stream(result, "Monthly", "gross_saving") == approx([36] * 4)


def test_net_saving_is_gross_less_financing(result):
    # LED capital 100 in 2025/26, 3 years at 5%, annuity: 100 * 0.05 / (1 - 1.05**-3) = 36.7208564
    # a year from 2026/27 to 2028/29
    financing = stream(result, "LED", "financing_cost")
    assert financing == approx([0, 36.72085646, 36.72085646, 36.72085646])
    gross = stream(result, "LED", "gross_saving")
    assert stream(result, "LED", "net_saving") == approx([g - f for g, f in zip(gross, financing)])


def test_implementation_costs_by_funding(result):
    s = result.summary
    # revenue: Shared ICT's 40 in 2025/26 is a one-off cost in the gap
    assert list(s["one_off_costs"]) == approx([40, 0, 0, 0])
    # savings 2025/26 = 10 + 0 + 140.8 + 303 + 436.8 + 36 = 926.6
    # net gap = gross gap - savings + one-off costs = 72 - 926.6 + 40 = -814.6
    #   (gross gap: spending 400*1.1 + 600*1.02 + 2020 = 3072 against council tax 3000)
    assert s["gross_gap"][0] == approx(72) and s["savings"][0] == approx(926.6)
    assert s["net_gap"][0] == approx(-814.6)
    # reserves: Homes' 25 is drawn from reserves: 500 + 814.6 (surplus) - 25 = 1289.6
    assert s["closing_reserves"][0] == approx(1289.6)
    # capital receipts: Monthly's 7 in 2026/27 is reported only, in neither the gap nor reserves
    assert stream(result, "Monthly", "implementation_cost") == approx([0, 7, 0, 0])
    assert s["closing_reserves"][1] == approx(1289.6 - s["net_gap"][1])
    assert s["one_off_costs"][1] == 0


def test_confidence_rag_mapping_with_a_partial_override(result):
    # rag_confidence: {amber: 50%} overrides amber only; green stays 95%, red 30%
    streams = result.streams.set_index("stream")
    assert streams.loc["Fees", ["rag", "confidence"]].tolist() == ["green", 0.95]
    assert streams.loc["Asset sale", ["rag", "confidence"]].tolist() == ["amber", 0.5]
    assert streams.loc["LED", ["rag", "confidence"]].tolist() == ["red", 0.3]
    assert streams.loc["Shared ICT", "confidence"] == 0.8 and streams.loc["Homes", "confidence"] == 1.0
    # risk-adjusted 2025/26 = 72 - (0.95*10 + 0.5*0 + 0.3*140.8 + 0.8*303 + 1*436.8 + 1*36) + 40
    #                       = 72 - (9.5 + 42.24 + 242.4 + 436.8 + 36) + 40 = -654.94
    assert result.summary["risk_adjusted_net_gap"][0] == approx(-654.94)


def test_zero_reduction_saves_nothing(run_text):
    text = (SCENARIOS / "streams.yaml").read_text()
    result = run_text(text, set_=["savings[LED].reduction=0", "savings[Shared ICT].reduction=0%"])
    assert stream(result, "LED", "gross_saving") == [0.0] * 4
    assert stream(result, "Shared ICT", "gross_saving") == [0.0] * 4


def test_saving_moves_with_the_driver(run_text):
    # share_of_line savings are on the projected cost: 20% energy inflation instead of 10%
    # makes 2025/26's LED saving 400 * 1.2 * 0.64 * 0.5 = 153.6
    text = (SCENARIOS / "streams.yaml").read_text()
    result = run_text(text, set_=["assumptions.energy=20%"])
    assert stream(result, "LED", "gross_saving")[0] == approx(153.6)
