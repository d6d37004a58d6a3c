"""Monte Carlo (analysis/montecarlo.py, analysis/distributions.py, mtfp montecarlo)."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLES, RISK, SCENARIOS
from hypothesis import given, settings
from hypothesis import strategies as st

import mtfpmodel
from mtfpmodel.analysis import montecarlo
from mtfpmodel.analysis.distributions import central, from_normal, normal_scores, ppf
from mtfpmodel.cli import main
from mtfpmodel.scenario.errors import AnalysisError
from mtfpmodel.scenario.riskconfig import Distribution, MonteCarloConfig

approx = pytest.approx


def _config(**blocks) -> MonteCarloConfig:
    return MonteCarloConfig.model_validate(blocks)


def test_degenerate_distributions_with_one_draw_equal_the_deterministic_run(loaded, params):
    # Every family collapsed to one value: pay 3% (triangular), prices +0 (normal sd 0, shift),
    # Services demand 1% (pert), core 2% (uniform). The stream is drawn, but its confidence is made 100%.
    config = _config(draws=1, seed=1, distributions={
        "assumptions.pay": {"triangular": ["3%", "3%", "3%"]},
        "assumptions.prices": {"normal": {"mean": 0, "sd": 0}, "apply": "shift", "shock": "by_year"},
        "expenditure[Services].demand": {"pert": ["1%", "1%", "1%"]},
        "funding.council_tax.increase.core": {"uniform": ["2%", "2%"]},
        "savings[Review].confidence": {"uniform": [1, 1]},
    })
    sim = montecarlo.simulate(loaded.scenario, params, config, 1, seed=5)
    run = mtfpmodel.run(loaded, {"assumptions.pay": 0.03, "expenditure[Services].demand": 0.01,
                                 "funding.council_tax.increase.core": 0.02, "savings[Review].confidence": 1.0})
    assert np.array_equal(sim.net_gap, run.results.net_gap)
    assert np.array_equal(sim.closing_reserves, run.results.closing_reserves)
    assert sim.balances[0] == run.balances


def test_seeded_runs_repeat_exactly(loaded, params):
    config = loaded.scenario.monte_carlo
    first = montecarlo.simulate(loaded.scenario, params, config, 3000, seed=42)
    again = montecarlo.simulate(loaded.scenario, params, config, 3000, seed=42)
    other = montecarlo.simulate(loaded.scenario, params, config, 3000, seed=43)
    assert np.array_equal(first.net_gap, again.net_gap) and first.seed == 42
    assert not np.array_equal(first.net_gap, other.net_gap)


def test_chunks_projected_in_the_background_give_exactly_the_same_draws(monkeypatch):
    """mtfp montecarlo hands chunks to its background process once it is ready: whoever projects
    a chunk, every figure of every draw is the one a single process computes."""
    from mtfpmodel.engine.parameters import collect
    from mtfpmodel.outputs.parallel import Background

    monkeypatch.setenv("MTFP_WORKERS", "2")
    scenario = mtfpmodel.load(EXAMPLES / "durham-risk.yaml").scenario
    params, config = collect(scenario), scenario.monte_carlo
    draws = 6 * montecarlo.chunk_size(scenario) + 17          # a short last chunk too
    alone = montecarlo.simulate(scenario, params, config, draws, seed=5)

    class Counting:
        def __init__(self, inner):
            self.inner, self.asked = inner, 0

        def has_room(self, waiting=0):
            # wait (a minute at most) for it to be ready, so that it certainly takes some chunks
            deadline = time.monotonic() + 60
            while self.asked == 0 and not self.inner.has_room() and time.monotonic() < deadline:
                time.sleep(0.001)
            return self.inner.has_room(waiting)

        def ask(self, task):
            self.asked += 1
            self.inner.ask(task)

        def answers(self, wait=False):
            return self.inner.answers(wait)

    with Background(lambda: None) as background:
        helper = Counting(background)
        shared = montecarlo.simulate(scenario, params, config, draws, seed=5, helper=helper)
    assert helper.asked >= 1
    for name in ("net_gap", "closing_reserves", "minimum_reserves", "balances", "unfunded_gap"):
        assert np.array_equal(getattr(alone, name), getattr(shared, name)), name


@pytest.mark.parametrize("pay, balances", [("1%", 1.0), ("5%", 0.0)])
def test_probability_of_balance_at_degenerate_plans(loaded, params, pay, balances):
    # Pay 1% everywhere with core 1.5%: gaps 10 - 15 - 4 < 0 and 20.1 - 30.2 - 6 < 0 → balances.
    # Pay 5%: gaps 50 - 15 - 4 = 31 and 102.5 - 30.2 - 6 = 66.3 > 50 of reserves → exhausted.
    config = _config(distributions={"assumptions.pay": {"triangular": [pay, pay, pay]},
                                    "funding.council_tax.increase.core": {"normal": {"mean": "1.5%", "sd": 0}}},
                     savings_delivery=False)
    sim = montecarlo.simulate(loaded.scenario, params, config, 50, seed=1)
    head = montecarlo.headline(sim)
    assert head.p_balances == balances
    assert head.p_exhausted_by_end == 1.0 - balances


def test_slipped_stream_delivers_half_a_year_later(loaded, params):
    # Confidence 0: the stream always slips; it delivers 50% of [4, 2], one year later: levels
    # 4, 6 → shifted 0, 4 → half: 0, 2. Net gap 20 - 0 = 20 and 40.4 - 2 = 38.4.
    config = _config(distributions={"savings[Review].confidence": {"uniform": [0, 0]}},
                     slippage={"delivers": "50%", "delay_years": 1})
    sim = montecarlo.simulate(loaded.scenario, params, config, 4, seed=1)
    assert sim.net_gap[:, 1:] == approx(np.array([[20, 38.4]] * 4))


def test_delivery_follows_confidence(loaded, params):
    # Review has confidence 50%: about half the draws deliver it in full (net gap 16), half slip
    # (default: deliver 50%, no delay → 20 - 2 = 18).
    config = _config(distributions={})
    sim = montecarlo.simulate(loaded.scenario, params, config, 4000, seed=3)
    first = sim.net_gap[:, 1]
    assert set(np.round(first, 9)) == {16.0, 18.0}
    assert (first == 16).mean() == approx(0.5, abs=0.03)


def test_quantiles_and_probabilities_table(loaded, params):
    sim = montecarlo.simulate(loaded.scenario, params, loaded.scenario.monte_carlo, 2000, seed=11)
    table = montecarlo.by_year(sim, ("2024/25", "2025/26", "2026/27"))
    assert list(table["year"]) == ["2025/26", "2026/27"]
    assert (table["net_gap_p10"] <= table["net_gap_p50"]).all() and (table["net_gap_p50"] <= table["net_gap_p90"]).all()
    assert table["p_reserves_exhausted_by_year"].is_monotonic_increasing
    head = montecarlo.headline(sim)
    # The opening balance needed so that 90% of draws never run out really does that (on the
    # reserves as if they could go below zero: closing less the unfunded gaps so far).
    movement = montecarlo.shadow_reserves(sim)[:, 1:] - sim.closing_reserves[:, :1]
    assert ((head.needed_to_last[0.9] + movement).min(axis=1) >= 0).mean() == approx(0.9, abs=0.001)


def test_correlation_is_honoured():
    matrix = np.array([[1.0, 0.6], [0.6, 1.0]])
    scores = normal_scores(np.random.default_rng(0), 20000, 3, matrix, [False, True])
    assert scores[0].shape == (20000,) and scores[1].shape == (20000, 3)
    assert np.corrcoef(scores[0], scores[1][:, 0])[0, 1] == approx(0.6, abs=0.02)
    assert np.corrcoef(scores[1][:, 1], scores[1][:, 2])[0, 1] == approx(0.0, abs=0.03)


@settings(max_examples=40, deadline=None)
@given(low=st.floats(-0.1, 0.1), up=st.floats(0, 0.1), down=st.floats(0, 0.1), u=st.floats(1e-6, 1 - 1e-6))
def test_inverse_distributions_stay_in_range_and_invert(low, up, down, u):
    mode, high = low + down, low + down + up
    for dist in (Distribution(triangular=[low, mode, high]), Distribution(pert=[low, mode, high]),
                 Distribution(uniform=[low, high])):
        x = float(ppf(dist, np.array([u]))[0])
        assert low - 1e-12 <= x <= high + 1e-12
        z = np.array([-1.0, 0.0, 1.0])
        assert np.all(np.diff(from_normal(dist, z)) >= -1e-12)    # monotone in the normal score
    assert central(Distribution(pert=[low, mode, high])) == mode


def test_pert_table_matches_the_exact_inverse():
    from scipy.special import ndtr
    dist = Distribution(pert=[0.01, 0.02, 0.06])
    z = np.linspace(-5, 5, 1001)
    assert from_normal(dist, z) == approx(ppf(dist, ndtr(z)), abs=1e-8 * 0.05)


@pytest.mark.parametrize("draws, message", [(0, "at least 1"), (-5, "at least 1"),
                                            (10**9, "would need about")])
def test_draws_out_of_range(loaded, draws, message):
    with pytest.raises(AnalysisError, match=message):
        montecarlo.check_draws(loaded.scenario, draws)


def test_command_writes_outputs(tmp_path, capsys):
    code = main(["montecarlo", str(RISK), "--out", str(tmp_path), "--draws", "500", "--seed", "9"])
    out = capsys.readouterr().out
    assert code == 0
    assert "500 simulated plans (seed 9)" in out and "Chance the plan balances in every year" in out
    table = pd.read_csv(tmp_path / "montecarlo.csv")
    assert list(table.columns[:4]) == ["year", "net_gap_p10", "net_gap_p50", "net_gap_p90"]
    for name in ("montecarlo_headline.csv", "fan_chart.png", "fan_chart.svg"):
        assert (tmp_path / name).is_file()


@pytest.mark.parametrize("draws, message", [("0", "draws must be at least 1"),
                                            ("2000000000", "GiB of memory")])
def test_command_rejects_bad_draws(tmp_path, capsys, draws, message):
    # A usage error naming the option (before: exit 1, "error: draws must be at least 1, not 0").
    assert main(["montecarlo", str(RISK), "--out", str(tmp_path), "--draws", draws]) == 2
    err = capsys.readouterr().err
    assert message in err and f"--draws {draws}: " in err


def test_command_needs_a_monte_carlo_block(tmp_path, capsys):
    assert main(["montecarlo", str(SCENARIOS / "hand.yaml"), "--out", str(tmp_path)]) == 1
    assert "no monte_carlo: block" in capsys.readouterr().err


GRANT_RISK = """\
scenario: grant risk
base_year: "2024/25"
years: 2
expenditure: [{name: Services, base: 1100}]
funding:
  council_tax: {tax_base: 1000, band_d: 1000}
  grants:
    - {name: Settled, base: 50, growth: 0%}
    - {name: Maybe, base: 50, growth: 0%, certainty: assumed}
reserves: {opening: 0}
monte_carlo: {draws: 4000, seed: 3, grant_loss: true}
"""


def test_an_assumed_grant_is_lost_in_about_30_percent_of_draws(write):
    # assumed: 70% is counted, so it is lost with probability 30%; the confirmed grant never is.
    # Spending 1,100 = 1,000 + 50 + 50: a lost grant opens a gap of 50 in both years.
    loaded = mtfpmodel.load(write(GRANT_RISK))
    params = mtfpmodel.engine.parameters.collect(loaded.scenario)
    sim = montecarlo.simulate(loaded.scenario, params, loaded.scenario.monte_carlo, 4000, seed=3)
    gaps = sim.net_gap[:, 1:]
    assert set(np.unique(gaps)) <= {0.0, 50.0}
    assert (gaps[:, 0] == gaps[:, 1]).all()                       # lost in every projection year
    assert (gaps[:, 0] == 50).mean() == approx(0.3, abs=0.03)
    assert (sim.unfunded_gap[:, 1] == gaps[:, 0]).all()            # no reserves: the gap is unfunded
    off = loaded.scenario.monte_carlo.model_copy(update={"grant_loss": False})
    assert (montecarlo.simulate(loaded.scenario, params, off, 100, seed=3).net_gap == 0).all()


def test_reserves_that_run_out_have_not_stayed_at_or_above_the_minimum(write):
    # GRANT_RISK has no reserves (opening 0, minimum 0): in about 30% of draws the lost grant's 50
    # is unfunded. Before, closing reserves of 0 counted as "at or above the minimum of 0", so
    # those draws stayed above the minimum and the pack read "Chance reserves fall below the
    # minimum: 0.0%" beside "have run out ... in 30%". A year with a gap reserves could not fund
    # is below the minimum; the chance of staying above it is at most the chance of balancing.
    loaded = mtfpmodel.load(write(GRANT_RISK))
    params = mtfpmodel.engine.parameters.collect(loaded.scenario)
    sim = montecarlo.simulate(loaded.scenario, params, loaded.scenario.monte_carlo, 4000, seed=3)
    head = montecarlo.headline(sim)
    assert head.p_exhausted_by_end == approx(0.3, abs=0.03)
    assert head.p_above_minimum == approx(1 - head.p_exhausted_by_end)
    assert head.p_above_minimum <= head.p_balances


def test_a_set_value_the_simulation_would_draw_over_is_refused(tmp_path, capsys):
    # Before: 'mtfp montecarlo durham-risk.yaml --set assumptions.pay=6%' printed "with --set
    # assumptions.pay=6%" and the very figures of the run without it: pay is drawn (pert [2%, 3%, 5%])
    # in every simulated plan, so the value set was never used.
    out = str(tmp_path / "mc")
    DURHAM_RISK = EXAMPLES / "durham-risk.yaml"
    assert main(["montecarlo", str(DURHAM_RISK), "--draws", "500", "--set", "assumptions.pay=6%", "--out", out]) == 2
    err = capsys.readouterr().err
    assert ("--set assumptions.pay=6%: the monte_carlo block draws assumptions.pay afresh in every simulated "
            "plan (pert [2.00%, 3.00%, 5.00%]), so the value set here would not be used") in err, err
    assert "apply: shift" in err
    assert not (tmp_path / "mc").exists()
    # the same for a value drawn afresh each year, given by year
    path = "funding.grants[Revenue Support Grant].growth"          # {triangular: [-3%, 0%, 2%], shock: by_year}
    assert main(["montecarlo", str(DURHAM_RISK), "--draws", "500", "--set", f"{path}={{2025/26: 1%}}", "--out", out]) == 2
    assert f"--set {path}={{2025/26: 1%}}: the monte_carlo block draws {path} afresh" in capsys.readouterr().err
    # a shifted draw is added to the value set, so that --set is used: the median gap moves
    shifted = "assumptions.prices"        # {normal: {mean: 0%, sd: 0.75%}, apply: shift}
    assert main(["montecarlo", str(DURHAM_RISK), "--draws", "500", "--seed", "1", "--out", out]) == 0
    base = pd.read_csv(tmp_path / "mc" / "montecarlo.csv")
    assert main(["montecarlo", str(DURHAM_RISK), "--draws", "500", "--seed", "1", "--set", f"{shifted}=4%",
                 "--out", out]) == 0
    moved = pd.read_csv(tmp_path / "mc" / "montecarlo.csv")
    assert (moved["net_gap_p50"] > base["net_gap_p50"]).all()


def test_the_cabinet_pack_refuses_a_set_value_its_risk_page_would_draw_over(tmp_path, capsys):
    # Before: 'mtfp report durham-risk.yaml --set assumptions.pay=6%' built a risk page whose
    # simulations drew pay from pert [2%, 3%, 5%] as if nothing had been set.
    out = tmp_path / "pack"
    assert main(["report", str(EXAMPLES / "durham-risk.yaml"), "--set", "assumptions.pay=6%", "--out", str(out)]) == 2
    assert "--set assumptions.pay=6%: the monte_carlo block draws assumptions.pay afresh" in capsys.readouterr().err
    assert not out.exists()


def test_an_option_that_would_change_nothing_is_refused(tmp_path, capsys):
    # Before: each of these exited 0 and the option was never used: --sobol-samples without
    # --sobol; and the pack's --draws and --sobol-samples for a scenario with no monte_carlo
    # block (so no risk page to simulate).
    out = str(tmp_path / "out")
    assert main(["montecarlo", str(EXAMPLES / "durham-risk.yaml"), "--draws", "500", "--sobol-samples", "256",
                 "--out", out]) == 2
    assert "--sobol-samples 256 is used only with --sobol" in capsys.readouterr().err
    for option in (["--draws", "5000"], ["--sobol-samples", "256"]):
        assert main(["report", str(EXAMPLES / "example.yaml"), *option, "--out", out]) == 2, option
        err = capsys.readouterr().err
        assert f"{option[0]} {option[1]}: {EXAMPLES / 'example.yaml'} has no monte_carlo: block" in err, err
    assert not (tmp_path / "out").exists()
    # the pack's --sobol-samples 0 asks for no Sobol indices: with no risk page, that is what it gets
    assert main(["report", str(EXAMPLES / "example.yaml"), "--sobol-samples", "0", "--out", out]) == 0


def test_the_fan_charts_legends_sit_below_their_panels_clear_of_the_bands_and_lines(tmp_path):
    # Before: each legend was placed 'best' inside its panel; in durham-risk's closing reserves the
    # zero line ran through "minimum reserves". Now each legend is below its panel's axes.
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from mtfpmodel.engine.parameters import collect
    from mtfpmodel.outputs import riskcharts
    from mtfpmodel.outputs.chartstyle import Scale, pyplot

    loaded = mtfpmodel.load(EXAMPLES / "durham-risk.yaml")
    result = mtfpmodel.run(loaded)
    sim = montecarlo.simulate(loaded.scenario, collect(loaded.scenario),
                              loaded.scenario.monte_carlo, 2000, 1)
    table = montecarlo.by_year_columns(sim, result.labels)
    scale = Scale("£m", 0.001)
    plt, drawn = pyplot(), {}
    original = plt.close
    plt.close = lambda fig: drawn.setdefault("fig", fig)
    try:
        riskcharts.draw_fan(riskcharts.fan_bands(sim, table, scale), sim.draws, result.labels, scale,
                            tmp_path / "fan", "t")
    finally:
        plt.close = original
    fig = drawn["fig"]
    renderer = FigureCanvasAgg(fig).get_renderer()
    for ax in fig.axes:
        legend, frame = ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer)
        assert legend.y1 <= frame.y0, (ax.get_title(), legend, frame)
    original(fig)


def test_a_draws_count_beyond_what_memory_allows_is_refused_by_validate_and_every_command(tmp_path, capsys):
    # Found by an acceptance audit of issue 15: draws: 1000000000 in the file validated, and the
    # 5,000,000 draws it allowed took 1.3 GB of memory. The limit is now set by the memory the
    # results need (640 MiB for a four-year plan: 2,300,000 draws; fewer for a longer plan), and
    # validate, run and montecarlo all refuse more, at the file's line.
    from mtfpmodel.scenario.riskconfig import max_draws

    assert max_draws(4) == 2_300_000 and max_draws(20) == 500_000 and max_draws(2) == 3_900_000
    text = RISK.read_text(encoding="utf-8")
    assert "draws: 2000" in text and "years: 2" in text
    big = tmp_path / "big.yaml"
    big.write_text(text.replace("draws: 2000", "draws: 3900001"), encoding="utf-8")
    for argv in (["validate", str(big)], ["run", str(big), "--out", str(tmp_path / "o"), "--no-charts"],
                 ["montecarlo", str(big), "--out", str(tmp_path / "o")]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert f"{big}:" in err and "monte_carlo.draws" in err and "use at most 3,900,000" in err, err
