"""The capital programme: MRP and interest on borrowing, revenue contributions, existing debt
charges, and the capital financing line in net expenditure, lines.csv, the bridge, explain,
sensitivity, Monte Carlo and diff. Hand-worked figures with the arithmetic in comments."""
from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mtfpmodel
from mtfpmodel.analysis import sensitivity
from mtfpmodel.analysis.batch import Batch, project_batch
from mtfpmodel.analysis.explain import explain
from mtfpmodel.analysis.movement import movement
from mtfpmodel.analysis.paths import one_way_paths
from mtfpmodel.engine.financing import financing_cost, schedule_factors, tranche_costs
from mtfpmodel.engine.parameters import collect
from mtfpmodel.results.bridge import bridge
from mtfpmodel.scenario.series import Series

approx = pytest.approx

# Services 900 + existing debt charges 50 = 950 in the base year, against council tax 1,000 x
# £950 / 1,000 = 950: the base year balances.
PLAN = """
scenario: capital
base_year: "2024/25"
assumptions:
  borrowing: [5%, 4%, 4%, 4%]
expenditure:
  - {name: Services, base: 900}
funding:
  council_tax: {tax_base: 1000, band_d: 950}
reserves: {opening: 1000}
capital_financing:
  borrowing_rate: borrowing
  existing_debt_charges: {base: 50, values: [48, 46, 44, 42]}
capital_programme:
  - name: Depot
    spend: [100, 100, 0, 0]
    borrowing: [80, 100, 0, 0]
    grants: [20, 0, 0, 0]
    life: 2
    method: straight_line
  - name: Play areas
    borrowing: {2025/26: 100}
    revenue: [10, 10, 0, 0]
    life: 3
"""


@pytest.fixture
def plan(write):
    return mtfpmodel.run(mtfpmodel.load(write(PLAN)))


# --- the tranche rule (engine/financing.py) -----------------------------------------------------

def test_annuity_split_into_mrp_and_interest_by_hand():
    # P = 100, r = 5%, n = 3: payment 100 x 0.05 / (1 - 1.05**-3) = 36.7208564
    #   k=1: interest 5% x 100 = 5.0;             MRP 36.7208564 - 5 = 31.7208564; owed 68.2791436
    #   k=2: interest 5% x 68.2791436 = 3.4139572; MRP 33.3068992;                 owed 34.9722444
    #   k=3: interest 5% x 34.9722444 = 1.7486122; MRP 34.9722444;                 owed 0
    mrp, interest = schedule_factors(np.array([0.05]), 3, "annuity")
    assert 100 * mrp[0] == approx([31.7208564, 33.3068992, 34.9722444])
    assert 100 * interest[0] == approx([5.0, 3.4139572, 1.7486122])
    assert 100 * (mrp + interest)[0] == approx([-npf.pmt(0.05, 3, 100)] * 3)
    assert 100 * mrp[0] == approx(-npf.ppmt(0.05, [1, 2, 3], 3, 100))


def test_straight_line_split_by_hand():
    # P = 100, r = 5%, n = 4: MRP 25 a year; interest 5% on 100, 75, 50, 25 = 5, 3.75, 2.5, 1.25
    mrp, interest = schedule_factors(np.array([0.05]), 4, "straight_line")
    assert 100 * mrp[0] == approx([25] * 4)
    assert 100 * interest[0] == approx([5, 3.75, 2.5, 1.25])


def test_each_tranche_takes_the_rate_of_its_year():
    # 100 borrowed in year 1 at 5% and 100 in year 2 at 4%, straight line over 2 years:
    #   year 2: tranche 1 MRP 50 + interest 5% x 100 = 5
    #   year 3: tranche 1 MRP 50 + 5% x 50 = 2.5; tranche 2 MRP 50 + 4% x 100 = 4
    #   year 4: tranche 2 MRP 50 + 4% x 50 = 2
    amount = np.array([[0, 100, 100, 0, 0]], dtype=float)
    rate = np.array([[0, 0.05, 0.04, 0.04, 0.04]])
    mrp, interest = tranche_costs(amount, rate, 2, "straight_line")
    assert mrp[0] == approx([0, 0, 50, 100, 50])
    assert interest[0] == approx([0, 0, 5, 6.5, 2])


def test_the_stream_rule_is_the_same_code():
    # financing_cost (savings-stream capital) is MRP + interest of the same tranches
    amount = np.array([[0, 60, 40, 0, 0]], dtype=float)
    for method in ("annuity", "straight_line"):
        mrp, interest = tranche_costs(amount, np.array([0.045]), 20, method)
        assert financing_cost(amount, np.array([0.045]), 20, method)[0] == approx((mrp + interest)[0])


@settings(max_examples=40, deadline=None)
@given(principal=st.floats(1, 1e6), rate=st.floats(0, 0.2), life=st.integers(1, 40),
       method=st.sampled_from(["annuity", "straight_line"]))
def test_mrp_over_the_life_sums_to_the_borrowing(principal, rate, life, method):
    amount = np.zeros((1, life + 2))
    amount[0, 1] = principal
    mrp, interest = tranche_costs(amount, np.array([rate]), life, method)
    assert mrp.sum() == approx(principal, rel=1e-9)
    assert (mrp >= -1e-9).all() and (interest >= -1e-9).all()


@settings(max_examples=40, deadline=None)
@given(amounts=st.lists(st.floats(0, 1e5), min_size=4, max_size=4), extra=st.floats(0, 1e5),
       year=st.integers(1, 4), rate=st.floats(0, 0.15), bump=st.floats(0, 0.1), life=st.integers(1, 30),
       method=st.sampled_from(["annuity", "straight_line"]))
def test_more_borrowing_or_a_higher_rate_never_lowers_the_cost(amounts, extra, year, rate, bump, life, method):
    amount = np.array([[0.0, *amounts]])
    more = amount.copy()
    more[0, year] += extra
    base = financing_cost(amount, np.array([rate]), life, method)[0]
    assert (financing_cost(more, np.array([rate]), life, method)[0] >= base - 1e-9 * (1 + base)).all()
    assert (financing_cost(amount, np.array([rate + bump]), life, method)[0] >= base - 1e-9 * (1 + base)).all()


# --- the plan --------------------------------------------------------------------------------

def test_capital_financing_line_by_hand(plan):
    r = plan.results
    # Depot (straight line, 2 years): 80 in 2025/26 at 5%, 100 in 2026/27 at 4%
    #   2026/27: MRP 40, interest 4;  2027/28: MRP 40 + 50, interest 2 + 4;  2028/29: MRP 50, interest 2
    assert r.capital_mrp[0, 0] == approx([0, 0, 40, 90, 50])
    assert r.capital_interest[0, 0] == approx([0, 0, 4, 6, 2])
    # Play areas (annuity, 3 years): 100 in 2025/26 at 5%, as in the hand-worked split above
    assert r.capital_mrp[0, 1] == approx([0, 0, 31.7208564, 33.3068992, 34.9722444])
    assert r.capital_interest[0, 1] == approx([0, 0, 5.0, 3.4139572, 1.7486122])
    # capital financing = existing debt charges + MRP + interest:
    #   2026/27: 46 + 40 + 4 + 36.7208564 = 126.7208564
    assert r.capital_financing[0] == approx([50, 48, 126.7208564, 44 + 96 + 36.7208564, 42 + 52 + 36.7208564])
    # revenue contributions are revenue spending in their year
    assert r.revenue_contributions[0] == approx([0, 10, 10, 0, 0])
    # net expenditure = services 900 + capital financing + revenue contributions: 2025/26 900 + 48 + 10
    assert r.net_expenditure[0] == approx(900 + r.capital_financing[0] + r.revenue_contributions[0])
    assert r.net_expenditure[0, 1] == approx(958)


def test_lines_csv_has_the_capital_lines(plan):
    lines = plan.lines.query("year == '2026/27'").set_index("line")["cost"]
    assert list(lines.index) == ["Services", "Capital financing (MRP and interest)", "Revenue contributions to capital"]
    assert lines.sum() == approx(plan.results.net_expenditure[0, 2])


def test_capital_table(plan):
    table = plan.capital
    depot = table.query("scheme == 'Depot'").set_index("year")
    assert depot.loc["2025/26", ["spend", "borrowing", "grants"]].tolist() == [100, 80, 20]
    assert depot.loc["2027/28", "debt_charges"] == approx(96)
    # capital financing requirement: 80 borrowed, then +100, less MRP 40, then less 90, less 50
    assert depot["capital_financing_requirement"].tolist() == approx([0, 80, 140, 50, 0])
    play = table.query("scheme == 'Play areas'").set_index("year")
    assert play.loc["2026/27", "revenue_cost"] == approx(36.7208564 + 10)
    existing = table.query("scheme == 'Existing debt'")
    assert existing["debt_charges"].tolist() == [50, 48, 46, 44, 42]
    # the table's debt charges add up to the plan's capital financing line, year by year
    total = table.groupby("year", sort=False)["debt_charges"].sum().to_numpy()
    assert total == approx(plan.results.capital_financing[0])
    summary = plan.capital_summary.set_index("key")
    assert summary.loc["capital_financing", "2027/28"] == approx(
        summary.loc["mrp", "2027/28"] + summary.loc["interest", "2027/28"]
        + summary.loc["existing_debt_charges", "2027/28"])


def test_the_bridge_has_a_capital_step_and_still_adds_up(plan):
    steps = bridge(plan)
    by_label = {s.label: s.value for s in steps}
    # capital financing 2028/29 less base year: (42 + 52 + 36.7208564) - 50
    assert by_label["capital financing"] == approx(80.7208564)
    assert steps[0].value + sum(s.value for s in steps[1:-1]) == approx(steps[-1].value)


def test_existing_debt_charges_without_a_profile_stay_flat(write):
    text = PLAN.replace("existing_debt_charges: {base: 50, values: [48, 46, 44, 42]}", "existing_debt_charges: {base: 50}")
    result = mtfpmodel.run(mtfpmodel.load(write(text)))
    assert result.results.existing_debt_charges[0] == approx([50] * 5)


def test_a_plan_without_capital_has_no_capital_lines():
    result = mtfpmodel.run("scenarios/example.yaml")
    assert not result.has_capital
    assert "Capital financing (MRP and interest)" not in set(result.lines["line"])
    assert result.results.capital_financing[0] == approx([0] * 5)


# --- reachable by path ----------------------------------------------------------------------

def test_paths_reach_the_programme(plan):
    params = collect(plan.scenario)
    for path in ("capital_financing.borrowing_rate", "capital_financing.existing_debt_charges.base",
                 "capital_financing.existing_debt_charges.values", "capital_programme[Depot].borrowing",
                 "capital_programme[Play areas].revenue", "capital_programme[Depot].grants"):
        assert path in params
    assert params["capital_financing.borrowing_rate"].ref == "assumptions.borrowing"


def test_set_on_a_scheme_and_the_rate(write):
    path = write(PLAN.replace("    spend: [100, 100, 0, 0]\n", ""))
    base = mtfpmodel.run(mtfpmodel.load(path))
    more = mtfpmodel.run(mtfpmodel.load(path, ["capital_programme[Depot].borrowing=[180, 100, 0, 0]"]))
    # 100 more in 2025/26, straight line over 2 years at 5%: +50 + 5 in 2026/27
    assert more.results.capital_financing[0, 2] - base.results.capital_financing[0, 2] == approx(55)
    dearer = mtfpmodel.run(mtfpmodel.load(path, ["assumptions.borrowing=6%"]))
    assert (dearer.results.capital_financing[0] >= base.results.capital_financing[0]).all()


def test_one_way_sensitivity_row_for_the_borrowing_rate(plan):
    params = collect(plan.scenario)
    assert "assumptions.borrowing" in one_way_paths(params)
    result = sensitivity.one_way(plan.scenario, params, ["assumptions.borrowing"], 0.0025)
    # +0.25% on every tranche: Depot 80 x 0.25% = 0.2 of interest in 2026/27 (MRP is straight
    # line); Play areas' annuity payment rises from 36.7208564 to pmt(5.25%, 3, 100)
    play = -npf.pmt(0.0525, 3, 100) - 36.7208564
    assert result.change_up[0, 2] == approx(0.2 + play)
    # a borrowing rate written as a rate is its own row
    financing = plan.scenario.capital_financing.model_copy(update={"borrowing_rate": Series(values=(0.05,) * 4)})
    inline = plan.scenario.model_copy(update={"capital_financing": financing})
    assert "capital_financing.borrowing_rate" in one_way_paths(collect(inline))


def test_draws_of_the_borrowing_rate_match_single_runs(plan):
    params = collect(plan.scenario)
    rates = np.array([0.02, 0.05, 0.08])
    batch = Batch(params, 3).set("assumptions.borrowing", rates[:, None])
    batched = project_batch(plan.scenario, params, batch.overrides())
    for d, rate in enumerate(rates):
        single = mtfpmodel.run(plan.scenario, {"assumptions.borrowing": rate}).results
        assert batched.capital_financing[d] == approx(single.capital_financing[0])
        assert batched.net_gap[d] == approx(single.net_gap[0])


def test_explain_the_capital_line(plan):
    item = explain(plan, "lines[Capital financing (MRP and interest)].cost[2026/27]")
    assert item.value == approx(126.7208564)
    assert "capital[Depot].debt_charges[2026/27]" in item.terms
    mrp = explain(plan, "capital[Play areas].mrp[2026/27]")
    assert mrp.value == approx(31.7208564)
    assert any("borrowed 100 in 2025/26 at 5.00%" in row for row in mrp.working)
    total = explain(plan, "summary.net_expenditure[2026/27]")
    assert "lines[Revenue contributions to capital].cost[2026/27]" in total.terms


def test_extends_merges_schemes_by_name(write):
    parent = write(PLAN, "parent.yaml")
    child = write("""
extends: parent.yaml
scenario: child
capital_programme:
  - name: Play areas
    remove: true
  - name: Depot
    life: 4
""", "child.yaml")
    scenario = mtfpmodel.load(child).scenario
    assert [s.name for s in scenario.capital_programme] == ["Depot"]
    assert scenario.capital_programme[0].life == 4
    assert parent.exists()


def test_diff_names_capital_causes_and_reconciles(write):
    old = write(PLAN, "old.yaml")
    new = write(PLAN.replace("existing_debt_charges: {base: 50, values: [48, 46, 44, 42]}",
                             "existing_debt_charges: {base: 50, values: [49, 48, 47, 46]}")
                .replace("borrowing: {2025/26: 100}", "borrowing: {2025/26: 150}")
                .replace("  borrowing: [5%, 4%, 4%, 4%]", "  borrowing: [5%, 4%, 4%, 4%]\n  other: 3%"),
                "new.yaml")
    text = open(new).read().replace("borrowing_rate: borrowing", "borrowing_rate: 6%")
    open(new, "w").write(text)
    result = movement(mtfpmodel.load(old), mtfpmodel.load(new))
    labels = [c.label for c in result.causes]
    assert "Capital financing: borrowing rate" in labels
    assert "Capital financing: existing debt charges" in labels
    assert "Capital scheme: Play areas" in labels
    assert {c.category for c in result.causes if c.label.startswith("Capital")} == {"capital"}
    np.testing.assert_allclose(sum(c.values for c in result.causes), result.total, atol=1e-9)


# --- the Durham-style plan ----------------------------------------------------------------------

def test_durham_capital_programme_replaces_the_old_debt_line_without_double_counting():
    result = mtfpmodel.run("scenarios/durham.yaml")
    lines = result.lines.query("year == '2024/25'").set_index("line")["cost"]
    # the old "Capital financing and corporate costs" line of 46,000 is now corporate costs 10,000
    # plus existing debt charges 36,000: the base year is unchanged
    assert lines["Corporate costs"] + lines["Capital financing (MRP and interest)"] == approx(46_000)
    assert "Borrowing costs of the capital programme" not in {p.name for p in result.scenario.pressures}
    # the energy programme's capital stays with its stream, which still pays for itself
    energy = result.savings.query("stream == 'Energy efficiency programme'")
    assert (energy["net_saving"] > 0).all()
    assert "Energy efficiency programme" not in {s.name for s in result.scenario.capital_programme}


def test_durham_borrowing_rate_sensitivity_is_of_gateshead_scale():
    # Gateshead: each 0.25% on borrowing costs is about £0.29m a year; Durham's new borrowing
    # here gives a figure of the same order by 2028/29
    scenario = mtfpmodel.load("scenarios/durham.yaml").scenario
    params = collect(scenario)
    result = sensitivity.one_way(scenario, params, ["assumptions.borrowing"], 0.0025)
    assert 100 <= result.change_up[0, -1] <= 400
    assert result.change_up[0, 1] == approx(0.0)          # nothing borrowed before 2025/26
