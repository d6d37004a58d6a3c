"""Named reserves: the year's steps worked by hand (arithmetic in comments), and properties.

Every plan here spends 1,000 against council tax of 1,000 (1,000 Band D equivalents at £1,000,
in £000), so the gap is the pressure alone.
"""
from __future__ import annotations

import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtfpmodel.engine.reserves import ReserveInputs, run_reserves

approx = pytest.approx

PLAN = """\
scenario: reserves
base_year: "2024/25"
expenditure: [{name: Services, base: 1000}]
pressures: [{name: Gap, amount: %(pressure)s}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
%(savings)s
reserves:
%(reserves)s
"""


def plan(run_text, reserves: str, pressure: str = "0", savings: str = ""):
    return run_text(PLAN % dict(pressure=pressure, reserves=textwrap.indent(textwrap.dedent(reserves), "  "),
                                savings=savings))


def closing(result, name: str) -> list[float]:
    frame = result.reserves
    return list(frame[frame.reserve == name]["closing"])


def column(result, name: str, what: str) -> list[float]:
    frame = result.reserves
    return list(frame[frame.reserve == name][what])


def test_step_1_contributions_are_spending_and_add_to_the_reserve(run_text):
    # B (earmarked, does not meet gaps) receives 10 a year: spending 1,000 + 10 = 1,010 against
    # 1,000, a gap of 10 a year, met from the general reserve A: A 100 → 90 → 80 → 70 → 60; B 10 → 40.
    result = plan(run_text, """\
        - {name: A, kind: general, opening: 100}
        - {name: B, kind: earmarked, contributions: 10}
        """)
    s = result.summary
    assert list(s["net_expenditure"]) == approx([1010] * 4)
    assert list(s["reserve_contributions"]) == approx([10] * 4)
    assert list(s["gross_gap"]) == approx([10] * 4)
    assert closing(result, "A") == approx([90, 80, 70, 60])
    assert closing(result, "B") == approx([10, 20, 30, 40])
    assert list(s["closing_reserves"]) == approx([100] * 4)          # 90 + 10, 80 + 20, ...
    assert list(s["reserves_drawn"]) == approx([10] * 4)


def test_step_2_planned_use_is_capped_at_the_balance_and_the_rest_is_still_to_find(run_text):
    # Gap 30 a year. S plans 30 a year from 50; G (general) has 20.
    # 2025/26: S 50 - 30 = 20; still to find 30 - 30 = 0.
    # 2026/27: S gives only 20 (10 short: a warning); still to find 10, from G: G 20 - 10 = 10.
    # 2027/28: S gives 0 (30 short); still to find 30: G gives 10, 20 unfunded → exhausted.
    # 2028/29: nothing left: 30 unfunded.
    result = plan(run_text, """\
        - {name: S, kind: earmarked, opening: 50, planned_use: 30}
        - {name: G, kind: general, opening: 20}
        """, pressure="[30, 0, 0, 0]")
    s = result.summary
    assert list(s["planned_reserves_use"]) == approx([30, 20, 0, 0])
    assert list(s["savings_still_to_find"]) == approx([0, 10, 30, 30])
    assert list(s["unplanned_reserves_use"]) == approx([0, 10, 10, 0])
    assert list(s["unfunded_gap"]) == approx([0, 0, 20, 30])
    assert closing(result, "S") == approx([20, 0, 0, 0]) and closing(result, "G") == approx([20, 10, 0, 0])
    assert column(result, "S", "planned_use") == approx([30, 20, 0, 0])     # the amount actually drawn
    assert result.statuses == ["balanced with reserves", "balanced with reserves", "reserves exhausted",
                               "reserves exhausted"]
    short = [w for w in result.warnings if w.path == "reserves[S].planned_use"]
    assert [w.message.split(" in ")[1].split(" ")[0] for w in short] == ["2026/27", "2027/28", "2028/29"]
    assert "from S in 2026/27 is more than its balance of £20k; the £10k not drawn" in short[0].message
    assert short[0].line is not None


def test_step_3_implementation_costs_come_from_the_first_reserve_that_meets_gaps(run_text):
    # E does not meet gaps; T is the first listed that does. A reserve-funded cost of 30 in 2025/26:
    # T has 20, so 20 is taken and 10 is unfunded (exhausted); G's 100 is not touched by it.
    result = plan(run_text, """\
        - {name: E, kind: earmarked, opening: 5}
        - {name: T, kind: earmarked, opening: 20, meets_gap: true}
        - {name: G, kind: general, opening: 100}
        """, savings="savings: [{name: Project, kind: fixed, saving: 0, implementation_cost: {2025/26: 30}, "
                     "funded_by: reserves}]")
    assert column(result, "T", "implementation_costs") == approx([20, 0, 0, 0])
    assert closing(result, "T") == approx([0] * 4) and closing(result, "G") == approx([100] * 4)
    assert closing(result, "E") == approx([5] * 4)
    assert list(result.summary["unfunded_gap"]) == approx([10, 0, 0, 0])
    assert list(result.summary["net_gap"]) == approx([0] * 4)        # the costs do not change the gap
    assert result.statuses[0] == "reserves exhausted"


def test_step_3_without_a_reserve_that_meets_gaps_the_first_general_reserve_pays(run_text):
    # Nothing meets gaps (E earmarked; G general with meets_gap false): the cost of 8 comes from G.
    result = plan(run_text, """\
        - {name: E, kind: earmarked, opening: 50}
        - {name: G, kind: general, opening: 30, meets_gap: false}
        """, savings="savings: [{name: Project, kind: fixed, saving: 0, implementation_cost: {2025/26: 8}, "
                     "funded_by: reserves}]")
    assert closing(result, "G") == approx([22] * 4) and closing(result, "E") == approx([50] * 4)


def test_step_5_reserves_meet_the_gap_in_order_and_a_surplus_goes_to_the_first(run_text):
    # B (listed first, meets gaps) 50 and A (general) 30. Gap 40, 40, then a surplus of 20 twice.
    # 2025/26: B gives 40 → B 10. 2026/27: B gives 10, A 30 → both 0, nothing unfunded (exactly).
    # 2027/28 and 2028/29: the surplus of 20 goes to B, the first that meets gaps: 20, 40.
    result = plan(run_text, """\
        - {name: B, kind: earmarked, opening: 50, meets_gap: true}
        - {name: A, kind: general, opening: 30}
        """, pressure="[40, 0, -60, 0]")
    assert column(result, "B", "unplanned_use") == approx([40, 10, 0, 0])
    assert column(result, "A", "unplanned_use") == approx([0, 30, 0, 0])
    assert column(result, "B", "surplus_added") == approx([0, 0, 20, 20])
    assert closing(result, "B") == approx([10, 0, 20, 40]) and closing(result, "A") == approx([30, 0, 0, 0])
    assert list(result.summary["unfunded_gap"]) == [0, 0, 0, 0]
    assert result.statuses == ["balanced with reserves", "balanced with reserves", "balanced", "balanced"]


def test_a_ring_fenced_reserve_pays_its_planned_use_but_never_meets_a_gap(run_text):
    # Public health (ring-fenced) 10, planned 4 a year against a gap of 4; G (general) empty.
    # 2025/26: PH 10 - 4 = 6, nothing to find; usable reserves (G) 0. 2026/27: PH 2.
    # 2027/28: PH gives 2 (2 short), 2 to find, G has nothing: 2 unfunded → exhausted (G meets gaps).
    result = plan(run_text, """\
        - {name: PH, kind: earmarked, ring_fenced: true, opening: 10, planned_use: 4}
        - {name: G, kind: general}
        """, pressure="[4, 0, 0, 0]")
    s = result.summary
    assert closing(result, "PH") == approx([6, 2, 0, 0])
    assert list(s["planned_reserves_use"]) == approx([4, 4, 2, 0])
    assert list(s["closing_reserves"]) == approx([0, 0, 0, 0])       # ring-fenced is not usable
    assert list(s["unfunded_gap"]) == approx([0, 0, 2, 4])
    assert column(result, "PH", "unplanned_use") == approx([0] * 4)
    assert result.statuses[:3] == ["balanced with reserves", "balanced with reserves", "reserves exhausted"]


def test_planned_use_in_a_surplus_year_is_drawn_and_the_surplus_goes_back(run_text):
    # No gap; S draws its planned 5 all the same, so there is a surplus of 5 for A (general).
    result = plan(run_text, """\
        - {name: A, kind: general, opening: 10}
        - {name: S, kind: earmarked, opening: 10, planned_use: {2025/26: 5}}
        """)
    assert closing(result, "A") == approx([15] * 4) and closing(result, "S") == approx([5] * 4)
    assert list(result.summary["savings_still_to_find"]) == approx([-5, 0, 0, 0])


def test_no_reserves_key_is_one_empty_general_reserve_and_an_empty_list_is_none(run_text):
    text = """\
        scenario: r
        base_year: "2024/25"
        expenditure: [{name: Services, base: 1000}]
        pressures: [{name: Gap, amount: {2025/26: 5}}]
        funding: {council_tax: {tax_base: 1000, band_d: 1000}}
        """
    missing = run_text(text)
    assert list(missing.reserves["reserve"].unique()) == ["Usable reserves"]
    assert missing.statuses == ["reserves exhausted"] * 4
    none = run_text(text + "reserves: []\n")
    assert none.reserves.empty and none.statuses == ["unbalanced"] * 4
    assert list(none.summary["unfunded_gap"]) == approx([5] * 4)


def test_sustainable_needs_no_planned_use_in_the_final_year(run_text):
    # No gap at all, but 3 of planned use in 2028/29 (it goes back to A as a surplus): the plan
    # balances, yet leans on one-off money in its final year, so it is not sustainable.
    result = plan(run_text, """\
        - {name: A, kind: general, opening: 10}
        - {name: S, kind: earmarked, opening: 10, planned_use: {2028/29: 3}}
        """)
    assert result.balances and not result.sustainable
    assert result.reserves_statement.final_year_relies


def test_usable_reserves_pct_and_the_minimum_of_each_reserve(run_text):
    # A: minimum 5% of net expenditure 1,000 = 50; B: minimum 20 (an amount); PH is ring-fenced.
    result = plan(run_text, """\
        - {name: A, kind: general, opening: 60, minimum: 5%}
        - {name: B, kind: earmarked, opening: 40, minimum: 20}
        - {name: PH, kind: earmarked, ring_fenced: true, opening: 500, minimum: 100}
        """)
    s = result.summary
    assert list(s["minimum_reserves"]) == approx([70] * 4)          # 50 + 20; PH left out
    assert list(s["usable_reserves_pct"]) == approx([0.1] * 4)      # (60 + 40) / 1,000
    statement = result.reserves_statement
    assert statement.run_out is None and statement.years_last is None   # they do not fall


def test_statement_run_out_year_and_years_they_would_last(run_text):
    # Gap 30 a year from 100: 70, 40, 10, then 10 drawn and 20 unfunded in 2028/29 (exhausted).
    # Average fall (100 - 0) / 4 = 25 a year; how long the 0 left would last is not given once a
    # gap goes unfunded (before: 0 years, which the report showed as "under a year" and the
    # workbook as 0.0, while the terminal left it out).
    result = plan(run_text, "- {name: G, kind: general, opening: 100}", pressure="[30, 0, 0, 0]")
    statement = result.reserves_statement
    assert statement.run_out == "2028/29" and statement.gap_unfunded
    assert statement.average_fall == approx(25) and statement.years_last is None
    # Gap 10 a year from 100: 60 left after four years; average fall 10: 6 more years.
    result = plan(run_text, "- {name: G, kind: general, opening: 100}", pressure="[10, 0, 0, 0]")
    assert result.reserves_statement.years_last == approx(6)
    assert result.reserves_statement.years_last_at_final_fall is None     # it falls as fast at the end


def test_a_final_year_drawing_faster_than_the_average_says_how_long_at_that_rate(run_text):
    # Found by a walk through plan shapes: "would last about 5.8 years" at the average fall, beside
    # a final year drawing far more. Gaps 10, 10, 10, 40 (pressures 10 then 30 more in 2028/29) from
    # 200: 190, 180, 170, 130 left; average fall (200 - 130) / 4 = 17.5 → 130 / 17.5 = 7.4 years;
    # the final year falls by 40, more than 1.25 × 17.5: at that rate 130 / 40 = 3.25 → about 3.2 years.
    # With a contribution of 20 to G in 2028/29 (spending, so the gap is 60 and 60 is drawn), the
    # fall is still 40: the year's rate is its net fall, not its draw (a review found the draw used).
    from mtfpmodel.outputs.statements import findings

    for reserve in ("- {name: G, kind: general, opening: 200}",
                    "- {name: G, kind: general, opening: 200, contributions: {2028/29: 20}}"):
        result = plan(run_text, reserve, pressure="[10, 0, 0, 30]")
        s = result.reserves_statement
        assert s.years_last == approx(130 / 17.5) and s.years_last_at_final_fall == approx(3.25)
        assert ("At the plan's average fall of £18k a year, the £130k left at the end of 2028/29 would last about "
                "7.4 years; at 2028/29's fall of £40k, about 3.2 years.") in findings(result)


def test_reserves_that_meet_gaps_running_out_are_not_called_usable_reserves_running_out(run_text):
    # Gap 30 a year (pressure 30 recurring) from G's 100: 70, 40, 10, then 20 unfunded in 2028/29;
    # E (earmarked, does not meet gaps) keeps its 50, so total usable reserves are 50 at the end.
    # Before: "Usable reserves run out in 2028/29" beside a total of 50, and "the £50k left at the
    # end of 2028/29 would last less than a year".
    from mtfpmodel.outputs.statements import findings

    result = plan(run_text, """\
        - {name: G, kind: general, opening: 100}
        - {name: E, kind: earmarked, opening: 50}
        """, pressure="[30, 0, 0, 0]")
    assert result.reserves_statement.run_out == "2028/29"
    assert list(result.summary["closing_reserves"]) == approx([120, 90, 60, 50])
    said = findings(result)
    assert said[0] == ("The reserves that can meet a gap run out in 2028/29: the gap left then is unfunded. The £50k "
                       "of usable reserves left at the end of 2028/29 is held in reserves that do not meet gaps.")
    assert not [s for s in said if "would last" in s]


def test_reserves_rebuilt_after_running_out_are_not_said_to_be_held_elsewhere(run_text):
    # G opens at 0; a gap of 30 in 2025/26 only (one-off pressure), then surpluses of 20 a year
    # (council tax 1,000 against spending of 980: a recurring saving of 20 from 2026/27).
    # 2025/26: 30 unfunded (exhausted); then G rebuilds to 20, 40, 60. Before: "The £60k of usable
    # reserves left at the end of 2028/29 is held in reserves that do not meet gaps" — of G itself.
    from mtfpmodel.outputs.statements import findings

    text = PLAN % dict(pressure="{2025/26: 30}", reserves="  - {name: G, kind: general, opening: 0}",
                       savings="savings: [{name: Cut, kind: fixed, saving: {2026/27: 20}}]")
    result = run_text(text.replace("amount: {2025/26: 30}}", "amount: {2025/26: 30}, recurring: false}"))
    assert list(result.summary["unfunded_gap"]) == approx([30, 0, 0, 0])
    assert list(result.summary["closing_reserves"]) == approx([0, 20, 40, 60])
    said = findings(result)
    assert said[0] == ("The reserves that can meet a gap run out in 2025/26: the gap left then is unfunded. Usable "
                       "reserves are rebuilt to £60k by the end of 2028/29.")


def test_a_plan_with_no_reserve_that_can_meet_a_gap_says_so(run_text):
    # reserves: [] and a gap of 30 a year: every year unbalanced. Before: "Usable reserves do not
    # run out over the plan. Usable reserves do not fall over the plan", and no warning for a
    # final year wholly unfunded, while a year partly met from reserves got one.
    from mtfpmodel.outputs.statements import findings, plan_warnings

    result = run_text((PLAN % dict(pressure="30", reserves="", savings="")).replace("reserves:\n", "reserves: []\n"))
    assert list(result.summary["status"]) == ["unbalanced"] * 4
    said = findings(result)
    assert said[0] == "No reserve can meet a gap, so the gap is unfunded in every year, 2025/26 to 2028/29."
    assert not [s for s in said if "do not run out" in s or "do not fall" in s]
    assert plan_warnings(result) == ["2028/29 leaves £120k of its gap unfunded, with no reserves to meet it: the "
                                     "plan does not balance."]
    # One general reserve of 0: exhausted every year, wholly unfunded in 2028/29: warned too.
    empty = plan(run_text, "- {name: G, kind: general, opening: 0}", pressure="30")
    assert plan_warnings(empty) == ["2028/29 leaves £120k of its gap unfunded, with no reserves to meet it: the "
                                    "plan does not balance."]


def test_a_final_year_left_partly_unfunded_is_not_said_to_be_met_from_reserves(run_text):
    # Gap 30 a year from 100: 10 drawn and 20 unfunded in 2028/29. Before: "2028/29 still relies on
    # £10k of reserves: a structural gap met from one-off money", of a year mostly unfunded.
    from mtfpmodel.outputs.statements import findings

    result = plan(run_text, "- {name: G, kind: general, opening: 100}", pressure="[30, 0, 0, 0]")
    assert findings(result)[-1] == ("WARNING: 2028/29 still relies on £10k of reserves and leaves £20k of its gap "
                                    "unfunded: a structural gap that one-off money does not close.")


def test_a_minimum_between_0_and_1_is_a_warning(run_text):
    result = plan(run_text, "- {name: G, kind: general, opening: 100, minimum: 0.05}")
    (warning,) = [w for w in result.warnings if w.path == "reserves[G].minimum"]
    assert "did you mean 5%?" in warning.hint and warning.line == 8
    mapping = run_text(PLAN.split("reserves:")[0] % dict(pressure="0", savings="")
                       + "reserves: {opening: 100, minimum: 0.05}\n")
    assert [w.path for w in mapping.warnings] == ["reserves.minimum"]


def test_a_minimum_that_looks_like_a_percentage_written_without_it_is_a_warning(run_text):
    # Net expenditure 1,000 (£000): minimum 1 is £1k, 0.1% of it — surely 1% meant. Before, it was
    # taken silently. B's minimum of 20 (2%) and a share (5%) are real minimums: no warning.
    result = plan(run_text, """\
        - {name: G, kind: general, opening: 100, minimum: 1}
        - {name: B, kind: earmarked, opening: 100, minimum: 20}
        - {name: C, kind: earmarked, opening: 100, minimum: 5%}
        """)
    (warning,) = [w for w in result.warnings if w.path.endswith(".minimum")]
    assert warning.path == "reserves[G].minimum" and warning.line == 8
    assert warning.message == "minimum 1 is read as an amount, £1k, 0.1% of net expenditure in 2024/25"
    assert warning.hint == "did you mean 1%? write it with %"


def test_a_ring_fenced_general_reserve_is_allowed_with_a_warning(run_text):
    # The contract allows a ring-fenced reserve of either kind ("never meets gaps, whatever its
    # kind"); an error here (added in an earlier round) refused a plan the spec calls valid. It is
    # a warning: the balance and its 5% minimum leave usable reserves, which an officer must see.
    # Gap 0; usable reserves are G2's 100 alone, and the minimum is G2's 20.
    result = plan(run_text, """\
        - {name: Schools balances, kind: general, opening: 50, minimum: 5%, ring_fenced: true}
        - {name: G2, kind: general, opening: 100, minimum: 20}
        """)
    (warning,) = [w for w in result.warnings if w.path.endswith(".ring_fenced")]
    assert warning.path == "reserves[Schools balances].ring_fenced" and warning.line == 8
    assert warning.message == ("Schools balances is a general reserve that is ring-fenced: it never meets a gap, it "
                               "is left out of usable reserves and its minimum is not counted")
    assert list(result.summary["closing_reserves"]) == approx([100] * 4)
    assert list(result.summary["minimum_reserves"]) == approx([20] * 4)


def test_paths_of_each_reserve_reach_set_and_overrides(run_text):
    text = """\
        - {name: MTFP support reserve, kind: earmarked, opening: 50, planned_use: [10, 0, 0, 0]}
        - {name: G, kind: general, opening: 20}
        """
    result = plan(run_text, text, pressure="[10, 0, 0, 0]")
    assert list(result.summary["planned_reserves_use"]) == approx([10, 0, 0, 0])
    file = PLAN % dict(pressure="[10, 0, 0, 0]", savings="", reserves=textwrap.indent(textwrap.dedent(text), "  "))
    bigger = run_text(file, set_=["reserves[MTFP support reserve].planned_use=[10, 10, 10, 10]"])
    assert list(bigger.summary["planned_reserves_use"]) == approx([10, 10, 10, 10])
    # G opens at 5 instead of 20: 2025/26's gap is met by the planned 10; 2026/27's 10 takes G's 5
    overridden = run_text(file, overrides={"reserves[G].opening": 5.0})
    assert closing(overridden, "G") == approx([5, 0, 0, 0])
    assert list(overridden.summary["unfunded_gap"]) == approx([0, 5, 10, 10])


# --- properties of the year's steps, on random reserves and gaps -------------------------------

T = 5


@st.composite
def reserve_plans(draw):
    """Random reserves (0 to 4), draws D = 1 to 3, net gaps and reserve-funded costs."""
    R = draw(st.integers(0, 4))
    D = draw(st.integers(1, 3))
    money = st.floats(0, 100, allow_nan=False)
    gap = st.floats(-60, 120, allow_nan=False)
    ring = np.array(draw(st.lists(st.booleans(), min_size=R, max_size=R)), dtype=bool)
    meets = np.array(draw(st.lists(st.booleans(), min_size=R, max_size=R)), dtype=bool) & ~ring
    general = np.array(draw(st.lists(st.booleans(), min_size=R, max_size=R)), dtype=bool)
    first = next((r for r in range(R) if meets[r]), next((r for r in range(R) if general[r] and not ring[r]), None))

    def array(shape, values):
        return np.array(draw(st.lists(values, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))).reshape(shape)

    flows = np.zeros((D, R, T + 1))
    contributions, planned = flows.copy(), flows.copy()
    contributions[:, :, 1:] = array((D, R, T), money) * array((D, R, T), st.sampled_from([0.0, 1.0]))
    planned[:, :, 1:] = array((D, R, T), money) * array((D, R, T), st.sampled_from([0.0, 1.0]))
    reserves = ReserveInputs(names=tuple(f"R{r}" for r in range(R)), opening=array((D, R), money),
                             minimum=np.zeros((1, R)), minimum_is_share=np.zeros(R, dtype=bool),
                             contributions=contributions, planned_use=planned, ring_fenced=ring, meets_gap=meets,
                             first=first)
    net_gap = np.zeros((D, T + 1))
    net_gap[:, 1:] = array((D, T), gap)
    costs = np.zeros((D, T + 1))
    costs[:, 1:] = array((D, T), money) * array((D, T), st.sampled_from([0.0, 1.0]))
    return reserves, net_gap, costs


@settings(max_examples=150, deadline=None)
@given(reserve_plans())
def test_the_years_steps_keep_their_identities(case):
    reserves, net_gap, costs = case
    f, unfunded = run_reserves(reserves, net_gap, costs)
    close = lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-9)  # noqa: E731
    # closing never negative
    assert (f.closing >= 0).all() and (unfunded >= 0).all()
    # for every reserve: closing - opening = contributions + surplus - planned - costs - unplanned
    close(f.closing - f.opening, f.contributions + f.surplus_added - f.planned_use - f.implementation_costs
          - f.unplanned_use)
    close(f.opening[:, :, 2:], f.closing[:, :, 1:-1])
    # planned use never more than planned; costs only from the first reserve; ring-fenced never meets a gap
    assert (f.planned_use <= reserves.planned_use + 1e-12).all()
    assert (f.unplanned_use[:, reserves.ring_fenced | ~reserves.meets_gap] == 0).all()
    # savings still to find = net gap - planned use; what reserves do not meet is unfunded
    still = net_gap - f.planned_use.sum(axis=1)
    met = f.unplanned_use.sum(axis=1)
    short = costs - f.implementation_costs.sum(axis=1)
    close(unfunded, short + np.maximum(still, 0) - met)
    close(f.surplus_added.sum(axis=1), np.maximum(-still, 0) * (reserves.first is not None))
    # unfunded gap = 0 whenever the reserves that meet gaps all stay above zero through the year
    # (their balance before any surplus is added back: the spec's order takes a cost the first
    # reserve cannot meet as unfunded even if a surplus refills it later in the same year)
    stays_above = (f.closing - f.surplus_added)[:, reserves.meets_gap, :]
    if reserves.meets_gap.any():
        stays = (stays_above > 0).all(axis=1)
        assert (unfunded[stays] == 0).all()
    # each draw is the same as its own single run
    for d in range(net_gap.shape[0]):
        one = ReserveInputs(**{**reserves.__dict__, "opening": reserves.opening[d:d + 1],
                               "contributions": reserves.contributions[d:d + 1],
                               "planned_use": reserves.planned_use[d:d + 1]})
        single, single_unfunded = run_reserves(one, net_gap[d:d + 1], costs[d:d + 1])
        np.testing.assert_array_equal(single.closing[0], f.closing[d])
        np.testing.assert_array_equal(single_unfunded[0], unfunded[d])


@settings(max_examples=60, deadline=None)
@given(opening=st.floats(0, 200), gaps=st.lists(st.floats(-50, 100), min_size=T, max_size=T))
def test_one_general_reserve_unfunded_only_when_it_is_empty(opening, gaps):
    """The spec's property for a plan whose usable reserves all meet gaps: no unfunded gap while
    usable reserves stay above zero."""
    reserves = ReserveInputs(names=("G",), opening=np.array([[opening]]), minimum=np.zeros((1, 1)),
                             minimum_is_share=np.zeros(1, dtype=bool), contributions=np.zeros((1, 1, T + 1)),
                             planned_use=np.zeros((1, 1, T + 1)), ring_fenced=np.zeros(1, dtype=bool),
                             meets_gap=np.ones(1, dtype=bool), first=0)
    net_gap = np.concatenate([[0.0], gaps])[None, :]
    f, unfunded = run_reserves(reserves, net_gap, np.zeros((1, T + 1)))
    usable = f.closing[0, 0]
    assert (unfunded[0][usable > 0] == 0).all()
    assert (usable >= 0).all()


def test_the_verdict_counts_an_exhausted_year_as_below_the_minimum(run_text):
    # Gap 30 a year from 100 with a minimum of 50: 70, 40 (below the minimum in 2026/27), 10, then
    # exhausted in 2028/29 (0 against 50). Before: "Reserves fall below the minimum in 2026/27,
    # 2027/28", leaving out the exhausted year, whose status is "reserves exhausted".
    from mtfpmodel.outputs.terminal import verdict

    result = plan(run_text, "- {name: G, kind: general, opening: 100, minimum: 50}", pressure="[30, 0, 0, 0]")
    assert result.statuses[-1] == "reserves exhausted"
    assert verdict(result).endswith("Reserves fall below the minimum in 2026/27, 2027/28 and 2028/29.")


def test_the_mtfp_table_adds_up_when_reserves_cannot_meet_implementation_costs():
    # Durham at 15% pay: reserves are exhausted in 2026/27, so 2027/28's £2,000k of reserve-funded
    # implementation costs go unmet. Before: the MTFP table showed savings still to find 86,839,
    # unplanned use 0 and an unfunded gap of 88,839, with nothing to say where the 2,000 came from.
    from pathlib import Path

    import mtfpmodel
    from mtfpmodel.outputs.terminal import mtfp_table

    durham = Path(__file__).resolve().parents[1] / "scenarios" / "durham.yaml"
    result = mtfpmodel.run(mtfpmodel.load(durham, ["assumptions.pay=15%"]))
    table = {line[:45].strip(): line[45:].split() for line in mtfp_table(result).splitlines()[2:]}
    assert table["Implementation costs reserves cannot meet"] == ["0", "0", "2,000", "0"]
    for t in range(4):
        still, unplanned, unmet, unfunded = (float(table[row][t].replace(",", "").strip("()")) for row in (
            "Savings still to find", "Unplanned use of reserves", "Implementation costs reserves cannot meet",
            "Unfunded gap"))
        assert still - unplanned + unmet == pytest.approx(unfunded, abs=1.5)      # rounded figures
    assert "Implementation costs reserves cannot meet" not in mtfp_table(mtfpmodel.run(durham))   # none unmet


# Services of 10,000 rising 2% a year, all prices, against council tax of 10,000 rising 2% a year.
BALANCED = """\
scenario: dust
base_year: "2024/25"
assumptions: {prices: 2%}
expenditure: [{name: Services, base: 10000, cost_mix: {prices: 100%}}]
funding: {council_tax: {tax_base: 10000, band_d: 1000.0, increase: {core: 2%}}}
reserves: [{name: General fund balance, kind: general, opening: 2000}]
"""


def test_a_gap_of_floating_point_dust_is_no_gap(run_text):
    # Services of 10,000 rising 2% a year, all prices, against council tax of 10,000 rising 2% a
    # year: the plan balances exactly, but the two products differ in their last bits (net gap
    # 1.82e-12 in 2027/28, -1.82e-12 in 2028/29). Before: status "balanced with reserves" beside
    # "Reserves drawn 0", a verdict "using £0 of reserves ... a surplus of £0", closing reserves
    # of 1,999.9999999999982 and full-height bars of nothing on the gap chart.
    from mtfpmodel.outputs.terminal import verdict

    result = run_text(BALANCED)
    summary = result.summary
    assert list(summary["net_gap"]) == [0.0] * 4
    assert list(summary["status"]) == ["balanced"] * 4
    assert list(summary["closing_reserves"]) == [2000.0] * 4
    assert verdict(result) == "The plan balances in every year without using reserves; it is sustainable."


def test_a_plan_whose_reserves_pay_only_implementation_costs_does_not_say_it_uses_none(run_text):
    # The same balanced plan, with a saving of 0 whose 300 of implementation costs in 2026/27 are
    # funded by reserves: no gap is drawn from reserves (reserves_drawn 0), but the reserve pays
    # the 300. Before: "without using reserves", beside "Implementation costs met from reserves 300".
    from mtfpmodel.outputs.terminal import verdict

    result = run_text(BALANCED + """\
savings:
  - {name: Review, kind: fixed, saving: [0, 0, 0, 0], implementation_cost: {2026/27: 300}, funded_by: reserves}
""")
    assert list(result.summary["reserves_drawn"]) == [0.0] * 4
    assert list(result.summary["closing_reserves"]) == [2000.0, 1700.0, 1700.0, 1700.0]
    assert verdict(result).startswith("The plan balances in every year without using reserves to meet a gap "
                                      "(they meet £300k of implementation costs)")


def test_an_assumption_above_100_percent_a_year_is_warned_about(run_text):
    # Before: 'pay: 320%' (for 3.20%) was taken silently. The warning needs no line to use it.
    text = (PLAN % dict(pressure="0", reserves="  - {name: G, kind: general, opening: 100}", savings="")
            ).replace("expenditure:", "assumptions: {pay: [3%, 320%, 3%, 3%]}\nexpenditure:")
    result = run_text(text)
    (warning,) = [w for w in result.warnings if w.path == "assumptions.pay"]
    assert warning.message == "the assumption 'pay' is 320.00% a year in 2026/27"
    assert warning.hint == "did you mean 3.20%? a rate above 100% a year is rare"


def test_implementation_costs_the_paying_reserve_cannot_meet_are_not_said_to_be_reserves_running_out(run_text):
    # Found by a review: with the transformation reserve (the first that meets gaps, so the one that
    # pays reserve-funded implementation costs) empty, its £60k of costs were unfunded, and the
    # statement read "The reserves that can meet a gap run out in 2025/26 ... Later surpluses
    # rebuild usable reserves", while the general fund met every gap and no year had a surplus.
    from mtfpmodel.outputs.statements import findings
    from mtfpmodel.outputs.terminal import verdict

    result = plan(run_text, """\
        - {name: T, kind: earmarked, meets_gap: true, opening: 0}
        - {name: G, kind: general, opening: 500}
        """, pressure="10", savings="savings: [{name: Change, kind: fixed, saving: 0, "
                                     "implementation_cost: {2025/26: 60}, funded_by: reserves}]")
    assert list(result.summary["unfunded_gap"]) == approx([60, 0, 0, 0])
    said = findings(result)
    assert said[0] == ("The reserves meet every gap, but count as exhausted in 2025/26, as implementation costs "
                       "to be met from reserves are paid by the T, which cannot meet £60k of them in 2025/26; that "
                       "is left unfunded.")
    assert result.reserves_statement.run_out == "2025/26"        # as the status, the card and the workbook say
    assert verdict(result).startswith("The plan does not balance: reserves exhausted in 2025/26, with £60k of "
                                      "implementation costs unfunded")
