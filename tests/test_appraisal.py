"""Invest-to-save appraisal: payback year and NPV per stream with capital (spec §7)."""
from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest

from mtfpmodel.results.appraisal import BEYOND, npv, payback_year, stream_flows

approx = pytest.approx

SCENARIO = """\
scenario: appraisal
base_year: "2024/25"
discount_rate: %(discount)s
expenditure: [{name: Services, base: 1000}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
savings:
  - name: Boilers
    kind: fixed
    saving: {2025/26: %(saving)s}
    capital: {amount: {2025/26: 100}, life: 10}
    implementation_cost: {2025/26: 100}
    funded_by: capital_receipts
  - {name: Fees, kind: fixed, saving: 5}
  - {name: Restructure, kind: fixed, saving: {2025/26: 30}, implementation_cost: {2025/26: 50, 2026/27: 25}}
"""


def appraise(run_text, saving=40, discount="3.5%"):
    return run_text(SCENARIO % dict(saving=saving, discount=discount)).streams.set_index("stream")


def test_payback_and_npv_by_hand(run_text):
    # capital 100 spent in 2025/26, 10-year life at 0%: financing 10 a year from 2026/27 to 2035/36
    # gross saving 40 a year, continued at that level beyond the plan; implementation 100 in 2025/26
    # flows: 2025/26: 40 - 100 = -60; 2026/27 to 2035/36: 40 - 10 = 30
    # cumulative: -60, -30, 0 → pays back in 2027/28 (cumulative at or above zero)
    # NPV at 3.5% = -60/1.035 + sum_{t=2..11} 30/1.035**t = -57.971 + 30 * 8.035367 = 183.09
    row = appraise(run_text).loc["Boilers"]
    assert row["payback_year"] == "2027/28"
    flows = [0, -60] + [30] * 10
    assert row["npv"] == approx(npf.npv(0.035, flows))
    assert row["npv"] == approx(183.09, abs=0.01)
    assert row["capital"] == 100


def test_discount_rate_is_a_scenario_setting(run_text):
    # at 0% the NPV is the plain sum: -60 + 10 * 30 = 240
    assert appraise(run_text, discount="0%").loc["Boilers", "npv"] == approx(240)


def test_payback_beyond_the_plan(run_text):
    # saving 10 against financing 10: flows -90, 0, 0, 0: never back above zero in the plan
    row = appraise(run_text, saving=10).loc["Boilers"]
    assert row["payback_year"] == BEYOND
    assert row["npv"] == approx(-90 / 1.035)


def test_streams_without_capital_have_no_appraisal(run_text):
    row = appraise(run_text).loc["Fees"]
    assert row["payback_year"] == "" and np.isnan(row["npv"]) and row["capital"] == 0


def test_flows_with_interest():
    # gross 40 a year (years 1-4), capital 100 in year 1 over 3 years at 5% annuity (36.72 a year
    # in years 2-4); horizon = 1 + 3 = 4 = the plan's last year
    gross = np.array([0, 40, 40, 40, 40.0])
    capital = np.array([0, 100, 0, 0, 0.0])
    flows = stream_flows(gross, capital, 0.05, 3, "annuity", np.zeros(5))
    pmt = -npf.pmt(0.05, 3, 100)
    assert flows == approx([0, 40, 40 - pmt, 40 - pmt, 40 - pmt])
    assert npv(flows, 0.035) == approx(npf.npv(0.035, flows))
    assert payback_year(flows, ("2024/25", "2025/26", "2026/27", "2027/28", "2028/29")) == "2025/26"


def test_capital_payback_is_when_savings_cover_the_capital(run_text):
    # gross 40 a year from 2025/26 against capital 100 + implementation 100 spent in 2025/26:
    # cumulative cash -160 (2025/26), -120, -80, -40, 0 → covered in 2029/30, after the plan
    assert appraise(run_text).loc["Boilers", "capital_payback_year"] == "2029/30"
    # gross 10 a year: cumulative reaches -200 + 10 * 11 = -90 at the end of the 10-year life
    assert appraise(run_text, saving=10).loc["Boilers", "capital_payback_year"] == "not within its life"
    assert appraise(run_text).loc["Fees", "capital_payback_year"] == ""


def test_one_off_costs_without_capital_get_a_payback_year(run_text):
    # Restructure: saving 30 a year (recurring) against one-off costs 50 (2025/26) and 25 (2026/27),
    # funded from revenue. Net of the costs: -20, +5, +30, +30 → cumulative -20, -15, 15: back in 2027/28.
    row = appraise(run_text).loc["Restructure"]
    assert row["payback_year"] == "2027/28"
    assert row["net_saving_after_one_off_costs"] == approx(4 * 30 - 75)
    assert row["net_saving"] == approx(120) and row["capital_payback_year"] == ""
    assert appraise(run_text).loc["Boilers", "net_saving_after_one_off_costs"] == approx(40 * 4 - 30 - 100)


def test_one_off_payback_counts_from_the_first_cost(run_text):
    # Regression: a stream whose costs start in 2026/27 "paid back" in 2025/26, when nothing had
    # happened yet (cumulative 0 >= 0). Costs 20 in 2026/27 against savings of 15 from 2027/28:
    # from 2026/27 the cumulative is -20, -5, 10 → back in 2028/29.
    text = SCENARIO % dict(saving=40, discount="3.5%") + \
        "  - {name: Later, kind: fixed, saving: {2027/28: 15}, implementation_cost: {2026/27: 20}}\n"
    assert run_text(text).streams.set_index("stream").loc["Later", "payback_year"] == "2028/29"


def test_capital_paybacks_count_from_the_year_the_capital_is_first_spent(run_text):
    # Regression: saving 100 a year from 2025/26 with capital of 300 spent in 2027/28 (life 5)
    # "paid back" in 2025/26 on both measures, two years before any capital was spent (an
    # independent check of the docs found it). Savings before the spend do not repay it:
    # cash from 2027/28: 100 − 300 = −200, −100, 0 → savings cover the capital in 2029/30;
    # net of financing (repayments from 2028/29): 100 in 2027/28 → pays back in 2027/28.
    text = SCENARIO % dict(saving=40, discount="3.5%") + \
        "  - {name: Later kit, kind: fixed, saving: {2025/26: 100}, capital: {amount: {2027/28: 300}, life: 5}}\n"
    row = run_text(text).streams.set_index("stream").loc["Later kit"]
    assert row["capital_payback_year"] == "2029/30"
    assert row["payback_year"] == "2027/28"


def test_the_children_homes_of_the_durham_draft_pay_back_after_they_open():
    # scenarios/durham-draft.yaml: homes saving from 2026/27, capital spent in 2026/27 and 2027/28.
    # Before: "payback 2025/26" on both measures, a year before anything happened (cumulative 0 >= 0).
    from pathlib import Path

    import mtfpmodel

    streams = mtfpmodel.run(Path(__file__).parents[1] / "scenarios" / "durham-draft.yaml").streams
    row = streams.set_index("stream").loc["Eight in-house children's homes"]
    assert (row["payback_year"], row["capital_payback_year"]) == ("2026/27", "2031/32")


def test_capital_payback_waits_for_a_later_tranche_to_be_covered_too(run_text):
    # Capital 100 in 2025/26 and 300 in 2027/28, gross saving 110 a year, life 10 at 0%.
    # Cash: 110 − 100 = 10 (cumulative 10), 120, 120 + 110 − 300 = −70, 40 → covered for good in
    # 2028/29, when cumulative savings of 440 pass the 400 spent. Before: 2025/26, the first year
    # the cumulative touched zero, though the second tranche then left 70 uncovered.
    # Net of financing (10 a year from 2026/27, 30 more from 2028/29): 110, 100, 100, 70 → 2025/26.
    text = SCENARIO % dict(saving=40, discount="3.5%") + \
        ("  - {name: Phased, kind: fixed, saving: {2025/26: 110}, "
         "capital: {amount: {2025/26: 100, 2027/28: 300}, life: 10}}\n")
    row = run_text(text).streams.set_index("stream").loc["Phased"]
    assert row["capital_payback_year"] == "2028/29"
    assert row["payback_year"] == "2025/26"


def test_no_payback_before_the_first_saving(run_text):
    # Capital 5,000 spent in 2025/26 (repaid from 2026/27), savings from 2026/27. Before: "payback
    # 2025/26 (net of financing)", the year of the spend, with nothing saved (cumulative 0 >= 0).
    # Net of financing it pays back in its first year of savings, 2026/27.
    text = SCENARIO % dict(saving=40, discount="3.5%") + \
        ("  - {name: Solar farm, kind: fixed, saving: {2026/27: 900, 2027/28: 300}, "
         "capital: {amount: {2025/26: 5000}, life: 25, interest_rate: 5%}}\n"
         "  - {name: Idle kit, kind: fixed, saving: 0, capital: {amount: {2025/26: 100}, life: 5}}\n")
    streams = run_text(text).streams.set_index("stream")
    assert streams.loc["Solar farm", "payback_year"] == "2026/27"
    # A scheme that never saves never pays back (before: 2025/26 on the net measure).
    assert streams.loc["Idle kit", "payback_year"] == BEYOND
    assert streams.loc["Idle kit", "capital_payback_year"] == "not within its life"
