"""The sensitivity: and monte_carlo: blocks (riskconfig.py) and their path checks (analysis/paths.py)."""
from __future__ import annotations

import pytest
from conftest import SCENARIOS

import mtfpmodel
from mtfpmodel.analysis.paths import check_scenario
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
        check_scenario(loaded.scenario, collect(loaded.scenario), loaded.where)
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
     "2 looks like a percentage for the rate 'assumptions.pay' (write 2% or 0.02)"),
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
])
def test_bad_blocks_are_located_and_explained(write, block, expected):
    problems = _problems(_with(write, block))
    assert any(expected in p for p in problems), problems
    assert all(":" in p.split(" ")[0] for p in problems)        # file:line first


def test_bad_block_exits_1_from_every_command(write, tmp_path, capsys):
    path = _with(write, "monte_carlo:\n  distributions:\n    assumptions.pya: {uniform: [1%, 2%]}\n")
    for extra in (["montecarlo"], ["sensitivity"], ["solve", "--by", "assumptions.pay"]):
        assert main([extra[0], str(path), "--out", str(tmp_path), *extra[1:]]) == 1
        assert "did you mean 'assumptions.pay'" in capsys.readouterr().err
