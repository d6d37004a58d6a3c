"""``extends:``: sections merge key by key, named lists by name, values replaced whole (spec §1)."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import SCENARIOS

import mtfpmodel
from mtfpmodel.scenario.errors import ScenarioError

FAMILY = SCENARIOS / "family"


def names(items):
    return [item.name for item in items]


@pytest.fixture(scope="module")
def child():
    return mtfpmodel.load(FAMILY / "child.yaml").scenario


def test_named_items_merge_key_by_key(child):
    adults = child.expenditure[0]
    assert adults.name == "Adults"
    assert adults.base == 1000                           # kept from the parent
    assert adults.cost_mix == {"pay": 0.6, "prices": 0.4}
    assert adults.demand.values == (0.06,) * 4           # the child's value


def test_values_are_replaced_whole(child):
    assert child.expenditure[1].cost_mix == {"pay": 0.5, "prices": 0.5}
    assert child.assumptions["pay"].value.values == (0.04,) * 4
    assert child.assumptions["pay"].source is None       # an assumption goes with its source


def test_new_items_are_appended_and_remove_deletes(child):
    assert names(child.expenditure) == ["Adults", "Highways", "Children"]
    assert names(child.pressures) == ["Pay award"]


def test_sections_merge_key_by_key(child):
    tax = child.funding.council_tax
    assert set(tax.increase) == {"core", "adult_social_care"}
    assert tax.increase["core"].values == (0.0199,) * 4
    assert tax.increase["adult_social_care"].values == (0.02,) * 4
    assert tax.tax_base == 1000 and names(child.funding.grants) == ["Revenue Support Grant", "Social Care Grant"]
    assert child.reserves.minimum == "5%"


def test_empty_list_empties(child):
    assert child.savings == []


def test_chain_of_extends():
    grand = mtfpmodel.load(FAMILY / "grandchild.yaml").scenario
    assert grand.scenario == "grandchild"
    assert names(grand.expenditure) == ["Adults", "Highways", "Children"]     # from child
    assert grand.expenditure[0].demand.values == (0.06,) * 4                   # from child
    assert names(grand.funding.grants) == ["Revenue Support Grant", "New Homes Bonus"]
    assert grand.funding.grants[1].values.values == (15.0, 0.0, 0.0, 0.0)
    assert grand.reserves.opening == 150 and grand.reserves.minimum == "5%"    # merged with parent's


def test_extending_with_no_overrides_gives_identical_results():
    parent = mtfpmodel.run(FAMILY / "parent.yaml")
    same = mtfpmodel.run(FAMILY / "same.yaml")
    assert parent.scenario == same.scenario
    for name in ("net_gap", "closing_reserves", "stream_net", "line_cost"):
        assert np.array_equal(getattr(parent.results, name), getattr(same.results, name))


MINIMAL_PARENT = """\
scenario: p
base_year: "2024/25"
expenditure: [{name: A, base: 1000}]
funding: {council_tax: {tax_base: 1000, band_d: 1000}}
"""


def test_year_mapping_is_replaced_whole_not_merged(write):
    write("""\
        scenario: p
        base_year: "2024/25"
        expenditure: [{name: A, base: 1000}]
        pressures: [{name: P, amount: {2025/26: 10, 2026/27: 20}}]
        funding: {council_tax: {tax_base: 1000, band_d: 1000}}
        """, "p.yaml")
    path = write("""\
        extends: p.yaml
        pressures: [{name: P, amount: {2027/28: 30}}]
        """, "c.yaml")
    pressure = mtfpmodel.load(path).scenario.pressures[0]
    assert pressure.amount.values == (0.0, 0.0, 30.0, 0.0)


def test_errors_point_at_the_file_that_holds_the_value(write):
    write(MINIMAL_PARENT, "p.yaml")
    path = write("""\
        extends: p.yaml
        expenditure:
          - name: A
            demand: 7
        """, "c.yaml")
    with pytest.raises(ScenarioError) as caught:
        mtfpmodel.load(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.path) == (str(path), 4, "expenditure[A].demand")


def test_item_without_a_name_in_a_child_list_is_an_error(write):
    write(MINIMAL_PARENT, "p.yaml")
    path = write("""\
        extends: p.yaml
        expenditure:
          - base: 20
        """, "c.yaml")
    with pytest.raises(ScenarioError) as caught:
        mtfpmodel.load(path)
    assert "needs a 'name'" in str(caught.value) and ":3:" in str(caught.value)


def test_extends_itself_is_a_cycle(write):
    path = write("extends: self.yaml\nscenario: me\n", "self.yaml")
    with pytest.raises(ScenarioError, match="extends makes a cycle: self.yaml → self.yaml"):
        mtfpmodel.load(path)


def test_a_parent_file_is_named_as_the_user_would_write_it(monkeypatch):
    # before the fix a parent's problems named it by its absolute, resolved path
    monkeypatch.chdir(SCENARIOS.parent)
    with pytest.raises(ScenarioError) as caught:
        mtfpmodel.load("bad/extends_broken_parent.yaml")
    assert caught.value.problems[0].file == "bad/parents/broken_parent.yaml"


LISTED = MINIMAL_PARENT + """\
reserves:
  - {name: General fund balance, kind: general, opening: 100, minimum: 5%}
  - {name: MTFP support reserve, kind: earmarked, opening: 50, planned_use: {2025/26: 20}}
"""


def test_reserves_merge_by_name(write):
    write(LISTED, "parent.yaml")
    child = mtfpmodel.load(write("""\
        extends: parent.yaml
        scenario: c
        reserves:
          - {name: MTFP support reserve, planned_use: [10, 10, 0, 0]}
          - {name: General fund balance, remove: true}
          - {name: Public health reserve, kind: earmarked, ring_fenced: true, opening: 4}
        """, "child.yaml")).scenario
    assert names(child.reserves) == ["MTFP support reserve", "Public health reserve"]
    support = child.reserves[0]
    assert support.opening == 50 and support.planned_use.values == (10.0, 10.0, 0.0, 0.0)


@pytest.mark.parametrize("parent, child, expected", [
    (LISTED, "reserves: {opening: 70}", "mapping"),                    # the child's mapping replaces the list
    (MINIMAL_PARENT + "reserves: {opening: 70, minimum: 5%}\n",
     "reserves: [{name: G, kind: general, opening: 9}]", "list"),       # the child's list replaces the mapping
])
def test_a_mapping_and_a_list_of_reserves_do_not_merge(write, parent, child, expected):
    write(parent, "parent.yaml")
    scenario = mtfpmodel.load(write(f"extends: parent.yaml\nscenario: c\n{child}\n", "child.yaml")).scenario
    if expected == "mapping":
        assert scenario.reserves.opening == 70 and scenario.reserves.minimum == 0.0   # nothing kept from the list
    else:
        assert names(scenario.reserves) == ["G"]


def test_a_new_item_named_like_a_parents_is_a_warning(write):
    # Before: a child's "Social Care grants" (the parent has "Social Care Grant") silently added a
    # second grant of £78m, turning a gap of 12,888 into a surplus of (65,112), with no message.
    write(MINIMAL_PARENT.replace("name: A,", "name: Social Care Grant line,"), "p.yaml")
    path = write("""\
        extends: p.yaml
        expenditure:
          - name: Social Care grants line
            base: 120
          - name: Children's services
            base: 50
        """, "c.yaml")
    result = mtfpmodel.run(mtfpmodel.load(path))
    (note,) = [w for w in result.warnings if "is not an item of the parent" in w.message]
    assert (note.file, note.line, note.path) == (str(path), 3, "expenditure[Social Care grants line]")
    assert note.message == ("'Social Care grants line' is not an item of the parent scenario, so it is added as a new "
                            "one, beside the parent's 'Social Care Grant line'")
    assert note.hint == "to change the parent's item, name it exactly: 'Social Care Grant line'"
    assert names(result.scenario.expenditure) == ["Social Care Grant line", "Social Care grants line",
                                                  "Children's services"]          # added, as written


def test_a_misspelt_item_that_cannot_stand_alone_says_which_parent_item_was_meant(write):
    # Before: only "a savings stream needs 'kind:'", steering the officer to write a second stream.
    write(MINIMAL_PARENT + "savings:\n  - {name: Library review, kind: fixed, saving: 10}\n", "p.yaml")
    path = write("""\
        extends: p.yaml
        savings:
          - name: Library reviews
            saving: 20
        """, "c.yaml")
    with pytest.raises(ScenarioError) as caught:
        mtfpmodel.load(path)
    messages = [p.message for p in caught.value.problems]
    assert messages[0].startswith("a savings stream needs 'kind:'")
    assert messages[1] == ("'Library reviews' is not an item of the parent scenario, so it is added as a new one, "
                           "beside the parent's 'Library review'")


def test_a_misspelt_assumption_in_a_child_is_a_warning(write):
    # Before: durham-optimistic with 'care_fee:' for 'care_fees:' ran silently on the central care
    # fees (a 2028/29 gap of 45,837 instead of 40,611).
    write("""\
        scenario: p
        base_year: "2024/25"
        assumptions: {pay: 3%, care_fees: 5%, cpi: 2%}
        expenditure: [{name: A, base: 1000, cost_mix: {pay: 50%, care_fees: 50%}}]
        funding: {council_tax: {tax_base: 1000, band_d: 1000}}
        """, "p.yaml")
    path = write("""\
        extends: p.yaml
        assumptions:
          care_fee: 3%
        """, "c.yaml")
    result = mtfpmodel.run(mtfpmodel.load(path))
    (warning,) = [w for w in result.warnings if "used by nothing" in w.message]   # not cpi: no used name is close
    assert (warning.file, warning.line, warning.path) == (str(path), 3, "assumptions.care_fee")
    assert warning.message == "the assumption 'care_fee' is used by nothing in the plan, while 'care_fees' is"
    assert warning.hint.startswith("did you mean 'care_fees'?")


def test_a_child_item_whose_name_is_not_text_is_an_error_not_a_crash(write):
    # Found by the fuzz test: two grants of a child both named by one YAML alias of a mapping
    # crashed the merge ("internal error: TypeError: unhashable type: 'dict'").
    write(MINIMAL_PARENT, "p.yaml")
    path = write("""\
        extends: p.yaml
        expenditure:
          - name: &odd
              2025/26: 600
            base: 10
          - name: *odd
            base: 20
        """, "c.yaml")
    with pytest.raises(ScenarioError) as caught:
        mtfpmodel.load(path)
    messages = [str(p) for p in caught.value.problems]
    assert [m.split(": ", 2)[1] for m in messages] == ["expenditure[1].name", "expenditure[2].name"]
    assert all("must be text, not {'2025/26': 600}" in m for m in messages)
