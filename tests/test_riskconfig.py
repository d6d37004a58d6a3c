"""The sensitivity: and monte_carlo: blocks (riskconfig.py) and their path checks (analysis/paths.py)."""
from __future__ import annotations

import pytest
from conftest import SCENARIOS

import mtfpmodel
from mtfpmodel.analysis.holding import check_scenario
from mtfpmodel.cli import main
from mtfpmodel.engine.parameters import collect
from mtfpmodel.scenario.errors import ScenarioError

RISK = SCENARIOS / "risk.yaml"


def _with(write, block: str):
    """risk.yaml with its monte_carlo and sensitivity blocks replaced by ``block`` (from line 29 on)."""
    text = RISK.read_text()
    head = text[:text.index("monte_carlo:")]
    return write(head + block)


def _problems(path) -> list[str]:
    try:
        loaded = mtfpmodel.load(path)
        check_scenario(loaded, collect(loaded.scenario))
    except ScenarioError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_the_fixture_and_the_example_are_valid():
    assert _problems(RISK) == []
    assert _problems(SCENARIOS.parent.parent / "scenarios" / "durham-risk.yaml") == []


def test_values_parse_as_rates_or_numbers():
    scenario = mtfpmodel.load(RISK).scenario
    pay = scenario.monte_carlo.distributions["assumptions.pay"]
    assert pay.family == "triangular" and pay.numbers == pytest.approx((0.01, 0.02, 0.04))
    assert pay.shock == "persistent" and pay.apply == "value"
    assert scenario.monte_carlo.slippage.delivers == 0.5 and scenario.monte_carlo.slippage.delay_years == 0
    assert scenario.sensitivity.step == 0.01


@pytest.mark.parametrize("block, expected", [
    ("monte_carlo:\n  distributions:\n    assumptions.pya: {uniform: [1%, 2%]}\n",
     ":31: monte_carlo.distributions.assumptions.pya: unknown path 'assumptions.pya' (did you mean 'assumptions.pay'?)"),
    ("monte_carlo:\n  distributions:\n    assumptions.pay: {normal: {mean: 2%, sd: -1%}}\n",
     "sd -1% is negative (a standard deviation must be 0 or more)"),
    ("monte_carlo:\n  distributions:\n    assumptions.pay: {triangular: [3%, 2%, 5%]}\n",
     "low 3% is above mode 2%"),
    ("monte_carlo:\n  distributions:\n    assumptions.pay: {uniform: [5%, 2%]}\n",
     "low 5% is above high 2%"),
    ("monte_carlo:\n  distributions:\n    assumptions.pay: {uniform: [1%, 2%], normal: {mean: 1%, sd: 0}}\n",
     "give exactly one of normal, triangular, uniform or pert, not normal and uniform"),
    ("monte_carlo:\n  distributions:\n    assumptions.pay: {triangular: [2, 3, 5]}\n",
     "2 (200%) is beyond ±100% for the rate 'assumptions.pay' (for 2% write 2% or 0.02)"),
    ("monte_carlo:\n  distributions:\n    assumptions.pay: {triangular: [-200%, 3%, 5%]}\n",    # before: "-2 looks
     "-2 (-200%) is beyond ±100% for the rate 'assumptions.pay'"),             # like a percentage (write -2%...)"
    ("monte_carlo:\n  distributions:\n    reserves.opening: {uniform: [10, 20], shock: by_year}\n",
     "shock: by_year needs a value by year"),
    ("monte_carlo:\n  draws: 0\n", ":30: monte_carlo.draws: 0 is out of range"),
    ("monte_carlo:\n  distributions:\n"
     "    assumptions.pay: {uniform: [1%, 2%]}\n    assumptions.prices: {uniform: [1%, 2%]}\n"
     "    assumptions.unused: {uniform: [1%, 2%]}\n"
     "  correlation:\n    assumptions.pay: {assumptions.prices: 0.9, assumptions.unused: -0.9}\n"
     "    assumptions.prices: {assumptions.unused: 0.9}\n",
     "monte_carlo.correlation: the correlations are not consistent with each other: the matrix is not "
     "positive semi-definite"),
    ("monte_carlo:\n  distributions:\n    assumptions.pay: {uniform: [1%, 2%]}\n"
     "  correlation:\n    assumptions.pay: {assumptions.prices: 0.5}\n",
     "'assumptions.prices' has no distribution"),
    ("monte_carlo:\n  correlation:\n    assumptions.pay: {assumptions.prices: 1.5}\n",
     "correlation 1.5 is outside -1 to 1"),
    ("sensitivity:\n  ranges:\n    expenditure[Service].demand: [1%, 2%]\n",
     "unknown path 'expenditure[Service].demand' (did you mean 'expenditure[Services].demand'?)"),
    ("sensitivity:\n  ranges:\n    assumptions.pay: [4%, 2%]\n", "low 4% is above high 2%"),
    ("sensitivity:\n  step: 0%\n", "step 0.00% must be above 0%"),
    # Ends of ranges and distributions the scenario could not hold at that path (before: accepted,
    # and the draws or tornado bars projected a plan no file could describe).
    ("monte_carlo:\n  distributions:\n    savings[Review].confidence: {uniform: [50%, 120%]}\n",
     ":31: monte_carlo.distributions.savings[Review].confidence: the distribution's high end is a value the "
     "scenario cannot hold here: confidence 120% is outside 0% to 100%"),
    ("monte_carlo:\n  distributions:\n    funding.council_tax.tax_base: {normal: {mean: -5, sd: 1}}\n",
     "the distribution's mean is a value the scenario cannot hold here: -5.0 is out of range"),
    # A normal is checked 3 sd either side of its mean (99.7% of its draws); before, only its mean
    # was, so a confidence of 90% with an sd of 5% drew values above 100% in about 2 draws of 100.
    ("monte_carlo:\n  distributions:\n    savings[Review].confidence: {normal: {mean: 90%, sd: 5%}}\n",
     ":31: monte_carlo.distributions.savings[Review].confidence: the distribution's mean plus 3 sd is a value the "
     "scenario cannot hold here: confidence 105% is outside 0% to 100%"),
    # a shift is added to the plan's own value: 1,000 - 2,000 = -1,000 Band D equivalents
    ("monte_carlo:\n  distributions:\n    funding.council_tax.tax_base: {triangular: [-2000, 0, 10], apply: shift}\n",
     "the distribution's low end is a value the scenario cannot hold here: -1000.0 is out of range"),
    ("monte_carlo:\n  distributions:\n    reserves.opening: {uniform: [-10, 20]}\n",
     "low end is a value the scenario cannot hold here: the opening balance cannot be negative"),
    ("sensitivity:\n  ranges:\n    savings[Review].confidence: [-10%, 50%]\n",
     ":31: sensitivity.ranges.savings[Review].confidence: the range's low end is a value the scenario cannot hold "
     "here: confidence -10% is outside 0% to 100%"),
])
def test_bad_blocks_are_located_and_explained(write, block, expected):
    problems = _problems(_with(write, block))
    assert any(expected in p for p in problems), problems
    assert all(":" in p.split(" ")[0] for p in problems)        # file:line first


def test_a_range_the_scenario_cannot_hold_fails_validate_and_every_command_alike(write, tmp_path, capsys):
    # What validates, runs: validate, run and the analyses refuse it with the same line.
    path = _with(write, "sensitivity:\n  ranges:\n    savings[Review].confidence: [50%, 150%]\n")
    for command in (["validate"], ["run", "--out", str(tmp_path)], ["sensitivity", "--out", str(tmp_path)]):
        assert main([command[0], str(path), *command[1:]]) == 1
        assert (":31: sensitivity.ranges.savings[Review].confidence: the range's high end is a value the scenario "
                "cannot hold here: confidence 150% is outside 0% to 100%") in capsys.readouterr().err


def test_bad_block_exits_1_from_every_command(write, tmp_path, capsys):
    path = _with(write, "monte_carlo:\n  distributions:\n    assumptions.pya: {uniform: [1%, 2%]}\n")
    for extra in (["montecarlo"], ["sensitivity"], ["solve", "--by", "assumptions.pay"]):
        assert main([extra[0], str(path), "--out", str(tmp_path), *extra[1:]]) == 1
        assert "did you mean 'assumptions.pay'" in capsys.readouterr().err


def test_a_normal_whose_tails_leave_the_inputs_range_is_refused_with_a_hint_and_one_inside_runs(write, tmp_path,
                                                                                                    capsys):
    # A confidence of 90% with an sd of 5%: mean + 3 sd = 105%, outside 0% to 100% (before: accepted,
    # and about 2 draws in 100 projected a stream delivering more than all of itself). With an sd of
    # 3%, mean + 3 sd = 99%: it validates.
    wide = _with(write, "monte_carlo:\n  distributions:\n    savings[Review].confidence: {normal: {mean: 90%, sd: 5%}}\n")
    assert main(["validate", str(wide)]) == 1
    err = capsys.readouterr().err
    assert "the distribution's mean plus 3 sd is a value the scenario cannot hold here" in err
    assert "use a smaller sd, or a distribution with ends of its own" in err
    narrow = _with(write, "monte_carlo:\n  distributions:\n    savings[Review].confidence: {normal: {mean: 90%, sd: 3%}}\n")
    assert main(["validate", str(narrow)]) == 0


def test_a_childs_distribution_replaces_its_parents_whole(write, tmp_path, capsys):
    # Before: the child's {normal: ...} was merged key by key into the parent's {uniform: ...} for
    # the same path, and validate refused the result ("not normal and uniform") though neither
    # file gives two.
    parent = _with(write, "monte_carlo:\n  distributions:\n    assumptions.pay: {uniform: [1%, 5%]}\n")
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {parent}\nscenario: child\nmonte_carlo:\n  distributions:\n"
                     "    assumptions.pay: {normal: {mean: 3%, sd: 0.5%}}\n", encoding="utf-8")
    assert main(["validate", str(child)]) == 0, capsys.readouterr().err
    loaded = mtfpmodel.load(child)
    distribution = loaded.scenario.monte_carlo.distributions["assumptions.pay"]
    assert distribution.family == "normal" and distribution.numbers == pytest.approx((0.03, 0.005))


def test_a_grants_certainty_share_can_be_ranged_and_drawn_as_a_share(write, tmp_path, capsys):
    # The file gives a grant's certainty as a word; mtfp paths lists its share (90% for indicative)
    # and the engine reads a share there. Before, every number for it was refused ("'95.0%' is not
    # allowed (use 'confirmed', 'indicative' or 'assumed')"), even the plan's own share, so no
    # tornado range, distribution or goal seek could move it. Now a share from 0% to 100% is held.
    certainty = "funding.grants[Top-up].certainty"
    text = RISK.read_text().replace("  business_rates: {base: 100, growth: prices}\n",
                                    "  business_rates: {base: 100, growth: prices}\n"
                                    "  grants: [{name: Top-up, base: 50, certainty: indicative}]\n")
    head = text[:text.index("monte_carlo:")]
    ok = write(head + f"sensitivity:\n  ranges:\n    {certainty}: [50%, 100%]\nmonte_carlo:\n  grant_loss: true\n"
                      f"  distributions:\n    {certainty}: {{uniform: [60%, 100%]}}\n")
    assert main(["validate", str(ok)]) == 0, capsys.readouterr().err
    assert main(["sensitivity", str(ok), "--out", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert "Top-up certainty" in out and " 50% →" in out and " 100% →" in out, out   # was '0.5 →' and '1 →'
    wide = write(head + f"monte_carlo:\n  distributions:\n    {certainty}: {{uniform: [60%, 120%]}}\n")
    problems = _problems(wide)
    assert any("the distribution's high end is a value the scenario cannot hold here: a certainty share of "
               "120.00% is outside 0% to 100%" in p for p in problems), problems


@pytest.mark.parametrize("name", sorted(p.name for p in (SCENARIOS.parent.parent / "scenarios").glob("*.yaml")))
def test_every_plans_own_values_are_ones_it_can_hold(name):
    # What an analysis checks a value against must accept the plan's own value at every path
    # mtfp paths lists (before: no grant's certainty share, not even its own 100% or 90%, was).
    from mtfpmodel.analysis.holding import refusals

    loaded = mtfpmodel.load(SCENARIOS.parent.parent / "scenarios" / name)
    params = collect(loaded.scenario)
    assert refusals(loaded, params, {path: param.value for path, param in params.items()}) == {}


def test_a_number_for_a_grants_certainty_word_says_where_a_share_goes(tmp_path, capsys):
    # Before: only "use 'confirmed', 'indicative' or 'assumed'", though mtfp paths lists the path with a
    # share (90%) and analyses can move it: the hint now says where a share is given.
    example = SCENARIOS.parent.parent / "scenarios" / "example.yaml"
    assert main(["run", str(example), "--set", "funding.grants[Social Care Grant].certainty=80%",
                 "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "certainty: '80%' is not allowed (use 'confirmed', 'indicative' or 'assumed'; the share each word " in err
    assert "set by grant_confidence" in err and not (tmp_path / "out").exists()
