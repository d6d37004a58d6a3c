"""Loading: ``--set PATH=VALUE`` overrides (spec §10) and how problems are located and worded."""
from __future__ import annotations

import pytest
from conftest import SCENARIOS

import mtfpmodel
from mtfpmodel.cli import main
from mtfpmodel.scenario.errors import ScenarioError, UsageError
from mtfpmodel.scenario.loader import parse_path

PARENT = SCENARIOS / "family" / "parent.yaml"


def load(*overrides):
    return mtfpmodel.load(PARENT, list(overrides)).scenario


def test_parse_path():
    assert parse_path("savings[LED street lighting].reduction") == ["savings", ("LED street lighting",), "reduction"]
    assert parse_path("funding.council_tax.increase.core") == ["funding", "council_tax", "increase", "core"]


def test_set_an_assumption_keeps_its_source():
    scenario = load("assumptions.pay=4%")
    assert scenario.assumptions["pay"].value.values == (0.04,) * 4
    assert scenario.assumptions["pay"].source == "NJC offer"


def test_set_named_items_and_nested_keys():
    scenario = load("expenditure[Adults].demand=[1%, 2%, 3%, 4%]", "funding.council_tax.increase.core=3.99%",
                    "savings[Shared ICT].reduction=15%", "reserves.use_to_balance=false")
    assert scenario.expenditure[0].demand.values == (0.01, 0.02, 0.03, 0.04)
    assert scenario.funding.council_tax.increase["core"].values == pytest.approx((0.0399,) * 4)
    assert scenario.savings[0].reduction == 0.15
    assert scenario.reserves.use_to_balance is False


def test_set_a_key_the_file_leaves_to_its_default():
    scenario = load("expenditure[Highways].demand=2%", "funding.council_tax.increase.extra=1%")
    assert scenario.expenditure[1].demand.values == (0.02,) * 4
    assert scenario.funding.council_tax.increase["extra"].values == (0.01,) * 4


def test_set_changes_the_results():
    base = mtfpmodel.run(mtfpmodel.load(PARENT))
    higher = mtfpmodel.run(mtfpmodel.load(PARENT, ["assumptions.pay=5%"]))
    # only the Adults line has pay: 600 * 1.05 * 1.05 vs 600 * 1.03 * 1.05 in 2025/26 = 12.6 more
    assert (higher.summary["net_expenditure"][0] - base.summary["net_expenditure"][0]) == pytest.approx(12.6)


@pytest.mark.parametrize("override, closest", [
    ("assumptions.pya=4%", "did you mean 'pay'?"),
    ("funding.council_tax.tax_base_grwoth=1%", "did you mean 'tax_base_growth'?"),
    ("expenditure[Adlts].demand=1%", "did you mean 'Adults'?"),
    ("fundng.council_tax.band_d=1200", "did you mean 'funding'?"),
])
def test_unknown_path_names_the_closest(override, closest):
    # before the fix assumptions.pya silently added an unused assumption, and a misspelt key was
    # reported at "--set:0"
    with pytest.raises(UsageError) as caught:
        load(override)
    assert f"--set {override.partition('=')[0]}" in str(caught.value)
    assert closest in str(caught.value)


def test_unknown_path_is_a_usage_error_exit_2(capsys):
    assert main(["validate", str(PARENT)]) == 0
    assert main(["run", str(PARENT), "--set", "assumptions.pya=4%"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'pay'?" in err and "Traceback" not in err


def test_a_bad_value_given_by_set_is_located_at_set():
    with pytest.raises(ScenarioError) as caught:
        load("assumptions.prices=3")
    (problem,) = caught.value.problems
    assert problem.file == "--set" and problem.line is None and problem.path == "assumptions.prices"
    assert str(problem) == "--set: assumptions.prices: 3 looks like a percentage; write 3% or 0.03"


def test_missing_equals_is_a_usage_error():
    with pytest.raises(UsageError, match="expected PATH=VALUE"):
        load("assumptions.pay")


def test_every_problem_is_reported_in_file_order(write):
    path = write("""\
        scenario: two
        base_year: 2024-25
        expenditure:
          - {name: A, base: lots}
        funding: {council_tax: {tax_base: -5, band_d: 1000}}
        """)
    with pytest.raises(ScenarioError) as caught:
        mtfpmodel.load(path)
    shown = [(p.line, p.path) for p in caught.value.problems]
    assert shown == [(2, "base_year"), (4, "expenditure[A].base"), (5, "funding.council_tax.tax_base")]
    assert "'2024-25' is not a financial year" in str(caught.value)


def test_a_scenario_must_be_a_mapping(write):
    with pytest.raises(ScenarioError, match="must be a mapping"):
        mtfpmodel.load(write("- just\n- a list\n"))


def test_missing_file():
    with pytest.raises(ScenarioError, match="file not found"):
        mtfpmodel.load(SCENARIOS / "no-such-file.yaml")


def test_assumption_naming_itself_is_a_scenario_error(write):
    # before the fix this raised UsageError (exit 2) from parameters.collect, with no file or line
    path = write("""\
        scenario: loop
        base_year: "2024/25"
        assumptions: {pay: pay}
        expenditure: [{name: A, base: 1000, cost_mix: {pay: 100%}}]
        funding: {council_tax: {tax_base: 1000, band_d: 1000}}
        """)
    with pytest.raises(ScenarioError, match="loop: pay → pay"):
        mtfpmodel.load(path)


def test_a_key_written_in_the_wrong_place_says_where_it_belongs(write):
    # Before: "unknown key 'reduction' (did you mean 'reduction'?)": the key is known, but not to a
    # fixed stream, and not where the file put it.
    path = write("""\
        scenario: misplaced
        base_year: 2024/25
        assumptions: {energy: 2%}
        expenditure:
          - {name: Street lighting, base: 1000, cost_mix: {energy: 100%}}
        funding:
          council_tax: {tax_base: 1000, band_d: 1500}
          band_d: 1600
        savings:
          - {name: Reviews, kind: fixed, saving: [10, 10, 10, 10], reduction: 10%}
          - {name: LED, kind: share_of_line, line: Street lighting, reduction: 50%, volume: [1, 1, 1, 1]}
        """)
    with pytest.raises(ScenarioError) as caught:
        mtfpmodel.load(path)
    text = str(caught.value)
    assert "did you mean 'reduction'" not in text and "did you mean 'band_d'" not in text, text
    assert ("8: funding.band_d: 'band_d' is not a key here (it is a key of funding.council_tax; "
            "check its indentation, or remove it)") in text, text
    assert ("10: savings[Reviews].reduction: 'reduction' is not a key of a kind: fixed stream (it is a key of "
            "a kind: share_of_line stream; check the stream's kind, or remove it)") in text, text
    assert ("11: savings[LED].volume: 'volume' is not a key of a kind: share_of_line stream (it is a key of "
            "a kind: unit_cost stream; check the stream's kind, or remove it)") in text, text
    # a key no model knows keeps its nearest spelling
    with pytest.raises(ScenarioError, match=r"unknown key 'reductoin' \(did you mean 'reduction'\?\)"):
        mtfpmodel.load(write(path.read_text().replace("reduction: 10%", "reductoin: 10%")))
    # given by --set, the hint is about the path typed
    with pytest.raises(ScenarioError, match=r"--set: funding.band_d: 'band_d' is not a key here \(it is a key of "
                                            r"funding.council_tax; check the path \(mtfp paths SCENARIO lists them\)"):
        mtfpmodel.load(path, ["funding.band_d=1700"])


def test_the_same_path_set_twice_is_a_usage_error_naming_both():
    # Before: '--set assumptions.pay=3% --set assumptions.pay=4%' ran at 4% (the last won) while
    # the run printed both lines, "with --set assumptions.pay=3%" first.
    with pytest.raises(UsageError, match=r"--set assumptions.pay: given twice \(--set assumptions.pay=3% and "
                                         r"--set assumptions.pay=4%\); give each path once"):
        load("assumptions.pay=3%", "assumptions.pay=4%")
    with pytest.raises(UsageError, match="given twice"):       # even with the same value
        load("assumptions.pay=3%", "assumptions.pay=3%")
    load("assumptions.pay=3%", "assumptions.prices=2%")         # two paths: fine


def test_a_warning_about_a_value_given_by_set_names_no_line(capsys, tmp_path):
    # Before: "warning: --set:0: reserves.minimum: minimum 0.08 is read as an amount" (line 0).
    from pathlib import Path

    stockton = Path(__file__).resolve().parents[1] / "scenarios" / "stockton.yaml"
    assert main(["run", str(stockton), "--set", "reserves.minimum=0.08", "--out", str(tmp_path), "--no-charts",
                 "--no-report"]) == 0
    err = capsys.readouterr().err
    assert "warning: --set: reserves.minimum: minimum 0.08 is read as an amount" in err and "--set:0" not in err
