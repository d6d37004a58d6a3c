"""The workforce block: pay bill and on-costs worked by hand, the April 2025 NI change, identities."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS
from hypothesis import given, settings
from hypothesis import strategies as st

import mtfpmodel
from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.engine.parameters import collect
from mtfpmodel.engine.projection import project
from mtfpmodel.scenario.errors import ScenarioError

approx = pytest.approx

# A stated payroll in pounds: 1,000 FTE at £25,000, no pay award and no pension, so that only
# the National Insurance change moves the cost.
PAYROLL = """\
scenario: ni-change
units: "£"
base_year: "2024/25"
years: 1
expenditure:
  - name: Services
    base: 30000000
    pay_from: {{Staff: 100%}}
workforce:
  employer_ni: {{base_rate: 13.8%, base_threshold: 9100, rate: 15%, threshold: 5000}}
  employer_pension: {{base_rate: 0%, rate: 0%}}
  apprenticeship_levy: {{rate: 0%}}
  groups:
    - name: Staff
      fte: 1000
      headcount: {headcount}
      average_salary: 25000
      pay_award: 0%
funding:
  council_tax: {{tax_base: 30000, band_d: 1000}}
"""


def test_april_2025_ni_change_on_a_stated_payroll(run_text):
    # 2024/25: 13.8% × (25,000 − 9,100) = 13.8% × 15,900 = £2,194.20 an employee; × 1,000 = £2,194,200
    # 2025/26: 15% × (25,000 − 5,000) = 15% × 20,000 = £3,000 an employee;      × 1,000 = £3,000,000
    # the change costs £805,800 a year (+36.7%) on a £25m payroll.
    result = run_text(PAYROLL.format(headcount=1000))
    ni = result.workforce.employer_ni.tolist()
    assert ni == approx([2_194_200, 3_000_000])
    assert ni[1] - ni[0] == approx(805_800)
    assert result.workforce.pay_bill.tolist() == approx([25_000_000, 25_000_000])
    # the line carries it all: the rest of Services (30m − 25m − 2,194,200 = 2,805,800) is flat
    assert result.lines.cost.tolist() == approx([30_000_000, 30_805_800])


def test_part_time_staff_pay_more_after_the_threshold_cut(run_text):
    # The same 1,000 FTE shared by 1,250 employees: £25,000 × 1,000 / 1,250 = £20,000 each.
    # 2024/25: 13.8% × (20,000 − 9,100) × 1,250 = 13.8% × 10,900 × 1,250 = £1,880,250
    # 2025/26: 15% × (20,000 − 5,000) × 1,250 = 15% × 15,000 × 1,250 = £2,812,500
    # the change costs £932,250: more than with full-timers, as the lower threshold counts per employee.
    result = run_text(PAYROLL.format(headcount=1250))
    ni = result.workforce.employer_ni.tolist()
    assert ni == approx([1_880_250, 2_812_500])
    assert ni[1] - ni[0] == approx(932_250)


DRIVERS = mtfpmodel.run(SCENARIOS / "drivers.yaml")


def test_pay_bill_and_on_costs_by_hand():
    # Social workers: 20 FTE at £30,000, pay award 3%; no drift or vacancies. Units £000.
    # pay bill: 20 × 30,000 / 1,000 = 600; 618; 636.54
    # NI: 2024/25 13.8% × (30,000 − 9,100) × 20 / 1,000 = 57.684; 2025/26 15% × (30,900 − 5,000) × 20 / 1,000
    #     = 77.7; 2026/27 15% × (31,827 − 5,000) × 20 / 1,000 = 80.481
    # pension: 20% × 600 = 120; 20% × 618 = 123.6; 15% × 636.54 = 95.481
    # levy: 0.5% × (pay bill − £500,000 allowance): 0.5% × 100 = 0.5; 0.5% × 118 = 0.59; 0.5% × 136.54 = 0.6827
    w = DRIVERS.workforce
    assert w.pay_bill.tolist() == approx([600, 618, 636.54])
    assert w.employer_ni.tolist() == approx([57.684, 77.7, 80.481])
    assert w.employer_pension.tolist() == approx([120, 123.6, 95.481])
    assert w.apprenticeship_levy.tolist() == approx([0.5, 0.59, 0.6827])
    assert w.average_salary.tolist() == approx([30000, 30900, 31827])
    # total 778.184 in the base year; Social work's base of 1,000 keeps 221.816 as its prices part:
    # 2025/26 = 819.89 + 221.816 × 1.02 = 819.89 + 226.25232 = 1,046.14232
    social_work = DRIVERS.lines[DRIVERS.lines.line == "Social work"]
    assert social_work.cost.tolist() == approx([1000, 1046.14232, 1043.9620664])
    assert social_work.workforce.tolist() == approx([778.184, 819.89, 813.1847])


LEVY = """\
scenario: levy
units: "£"
base_year: "2024/25"
years: 1
expenditure:
  - {name: A, base: 6000000, pay_from: {Officers: 100%}}
  - {name: B, base: 3000000, pay_from: {Care staff: 50%}}
workforce:
  employer_ni: {base_rate: 0%, base_threshold: 0, rate: 0%, threshold: 0}
  employer_pension: {base_rate: 0%, rate: 0%}
  groups:
    - {name: Officers, fte: 100, average_salary: 40000, pay_award: 0%}
    - {name: Care staff, fte: 100, average_salary: 20000, pay_award: 0%}
funding:
  council_tax: {tax_base: 9000, band_d: 1000}
"""


def test_apprenticeship_levy_is_shared_by_pay_bill(run_text):
    # Pay bills £4m and £2m: levy 0.5% × (£6m − £3m) = £15,000, shared 2:1 → £10,000 and £5,000.
    # Line B carries half of Care staff: £2m/2 + £5,000/2 = £1,002,500 of its £3m.
    result = run_text(LEVY)
    w = result.workforce[result.workforce.year == "2024/25"].set_index("group")
    assert w.apprenticeship_levy.to_dict() == approx({"Officers": 10_000, "Care staff": 5_000})
    assert w.in_budget_lines.to_dict() == {"Officers": 1.0, "Care staff": 0.5}
    assert result.lines.workforce.tolist()[:2] == approx([4_010_000, 1_002_500])


def test_a_group_no_line_carries_is_a_warning(run_text):
    text = LEVY.replace("  - {name: B, base: 3000000, pay_from: {Care staff: 50%}}", "  - {name: B, base: 3000000}")
    result = run_text(text)
    assert [w.path for w in result.warnings] == ["workforce.groups[Care staff]"]
    assert "no budget line carries" in result.warnings[0].message


def test_without_a_headcount_employees_follow_the_fte_in_every_draw():
    # 25 FTE at £30,000 with no headcount: 25 employees on £30,000 each. 2025/26 NI:
    # 15% × (30,900 − 5,000) × 25 / 1,000 = 97.125 (a headcount fixed at 20 would give £38,625 each)
    r = mtfpmodel.run(SCENARIOS / "drivers.yaml", {"workforce.groups[Social workers].fte": np.array([20.0, 25.0])})
    assert r.results.employer_ni[1, 0, 1] == approx(97.125)
    assert "workforce.groups[Social workers].headcount" not in collect(r.scenario)


def test_workforce_paths_reach_set_and_overrides():
    result = mtfpmodel.run(mtfpmodel.load(SCENARIOS / "drivers.yaml", ["workforce.groups[Social workers].fte=25"]))
    assert result.workforce.pay_bill.iloc[0] == approx(750)               # 25 × 30,000 / 1,000
    result = mtfpmodel.run(SCENARIOS / "drivers.yaml", {"workforce.employer_ni.rate": 0.138})
    assert result.workforce.employer_ni.iloc[1] == approx(0.138 * (30_900 - 5_000) * 20 / 1000)


PART_TIME = mtfpmodel.load(SCENARIOS / "drivers.yaml", ["workforce.groups[Social workers].headcount=20"]).scenario


@settings(max_examples=30, deadline=None)
@given(fte=st.floats(1, 5000), salary=st.floats(5000, 150000), drift=st.floats(0, 0.1), vacancy=st.floats(0, 0.5),
       part_time=st.floats(1, 2), award=st.floats(-0.05, 0.1))
def test_workforce_identities(fte, salary, drift, vacancy, part_time, award):
    group = "workforce.groups[Social workers]"
    r = project(build_inputs(PART_TIME, {
        f"{group}.fte": fte, f"{group}.headcount": fte * part_time, f"{group}.average_salary": salary,
        f"{group}.drift": drift, f"{group}.vacancy": vacancy, f"{group}.pay_award": award}))
    years = np.arange(3)
    pay = salary * (1 + award) ** years
    # pay bill = FTE × average salary × (1 + drift) × (1 − vacancy) / unit
    np.testing.assert_allclose(r.pay_bill[0, 0], fte * pay * (1 + drift) * (1 - vacancy) / 1000, rtol=1e-12)
    # employer NI = rate × max(pay per employee − threshold, 0) × employees / unit
    per_employee = pay * (1 + drift) / part_time
    employees = fte * part_time * (1 - vacancy)
    rate, threshold = np.array([0.138, 0.15, 0.15]), np.array([9100, 5000, 5000])
    np.testing.assert_allclose(r.employer_ni[0, 0], rate * np.maximum(per_employee - threshold, 0) * employees / 1000,
                               rtol=1e-12, atol=1e-12)
    # the line carries the whole cost: pay bill + NI + pension + levy
    total = r.pay_bill + r.employer_ni + r.employer_pension + r.apprenticeship_levy
    np.testing.assert_allclose(r.line_workforce[0, 2], total[0, 0], rtol=1e-12)


def test_a_salary_or_threshold_written_in_thousands_is_a_warning(run_text):
    # Before: average_salary 25 (meant £25k) and base_threshold 9.1 were accepted without a word,
    # and the plan's pay bill fell a thousandfold.
    text = PAYROLL.format(headcount=1000).replace("average_salary: 25000", "average_salary: 25") \
        .replace("base_threshold: 9100", "base_threshold: 9.1")
    result = run_text(text)
    assert {w.path: w.message for w in result.warnings} == {
        "workforce.groups[Staff].average_salary": "an average salary of £25 a year looks like thousands of pounds",
        "workforce.employer_ni.base_threshold": "an NI threshold of £9.1 a year looks like thousands of pounds"}
    assert "for £25k write 25000" in result.warnings[0].hint


def test_fewer_people_than_full_time_posts_is_an_error(run_text):
    # Before: headcount 580 for 4,100 FTE was accepted (each person more than seven posts).
    with pytest.raises(ScenarioError, match="800 people cannot fill 1,000 full-time posts"):
        run_text(PAYROLL.format(headcount=800))
