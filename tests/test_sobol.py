"""Sobol indices over the Monte Carlo distributions (analysis/sobol.py, mtfp montecarlo --sobol)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import SCENARIOS

import mtfpmodel
from mtfpmodel.analysis import sobol
from mtfpmodel.cli import main
from mtfpmodel.engine.parameters import collect
from mtfpmodel.results.result import labels_of
from mtfpmodel.scenario.riskconfig import MonteCarloConfig

RISK = SCENARIOS / "risk.yaml"


@pytest.fixture(scope="module")
def loaded():
    return mtfpmodel.load(RISK)


@pytest.fixture(scope="module")
def indices(loaded):
    scenario = loaded.scenario
    return sobol.sobol(scenario, collect(scenario), scenario.monte_carlo, labels_of(scenario), samples=512, seed=1)


def test_factors_one_per_input_one_per_year_when_by_year_and_one_per_stream(loaded):
    names = [name for name, _, _ in sobol.factors(loaded.scenario, loaded.scenario.monte_carlo,
                                                  labels_of(loaded.scenario))]
    assert names == ["pay", "prices 2025/26", "prices 2026/27", "unused", "delivery of Review"]


def test_factor_count_is_the_number_of_factors(loaded):
    scenario = loaded.scenario
    assert sobol.factor_count(scenario, scenario.monte_carlo) == 5      # the five names above


@pytest.mark.parametrize("command", ["montecarlo", "report"])
def test_a_sample_too_large_is_refused_before_any_work(tmp_path, capsys, monkeypatch, loaded, command):
    # Before: --sobol-samples 4194304 on durham-risk (31 factors: 138 million projections, and
    # 1.5 GiB for the points alone) ran for hours after the simulation; 2**40 ran out of memory.
    # risk.yaml has 5 factors: 2**20 base points make 7,340,032 projections, above 5,000,000.
    from mtfpmodel.analysis import montecarlo

    monkeypatch.setattr(montecarlo, "simulate", lambda *a, **k: pytest.fail("simulated before refusing"))
    argv = ["--sobol", "--sobol-samples", str(2**20)] if command == "montecarlo" else ["--sobol-samples", str(2**20)]
    assert main([command, str(RISK), "--out", str(tmp_path / "out"), *argv]) == 1
    err = capsys.readouterr().err
    assert ("--sobol-samples 1,048,576 would make 7,340,032 projections (1,048,576 x (5 factors + 2)), more than "
            "the 5,000,000 allowed; use --sobol-samples 524288 or fewer") in err
    assert not (tmp_path / "out").exists()
    sobol.check_samples(loaded.scenario, loaded.scenario.monte_carlo, 2**19)     # 3,670,016 projections: allowed


def test_an_input_that_enters_nothing_has_zero_indices(indices):
    table = indices.table().set_index("factor")
    assert abs(table.loc["unused", "first_order_final_year_net_gap"]) < 0.02
    assert abs(table.loc["unused", "total_order_final_year_net_gap"]) < 0.02


def test_pay_drives_the_gap(indices):
    # Pay 1% to 4% moves the final-year gap by tens of £000; the stream's delivery by 1 to 3;
    # prices shifts cancel (costs and business rates both follow prices).
    table = indices.table()
    assert table["factor"].iloc[0] == "pay"
    assert table["total_order_final_year_net_gap"].iloc[0] > 0.9
    assert indices.samples == 512 * (5 + 2)


def test_single_factor_explains_everything(loaded):
    scenario = loaded.scenario
    config = MonteCarloConfig.model_validate({"distributions": {"assumptions.pay": {"uniform": ["1%", "4%"]}},
                                              "savings_delivery": False})
    result = sobol.sobol(scenario, collect(scenario), config, labels_of(scenario), samples=256, seed=2)
    assert result.first_order[0, 0] == pytest.approx(1.0, abs=0.05)
    assert result.total_order[0, 0] == pytest.approx(1.0, abs=0.05)


def test_command_writes_sobol(tmp_path, capsys):
    code = main(["montecarlo", str(RISK), "--out", str(tmp_path), "--draws", "200", "--sobol",
                 "--sobol-samples", "256"])
    assert code == 0
    out = capsys.readouterr().out
    assert "What drives the 2026/27 net gap" in out and "correlations are ignored" in out
    table = pd.read_csv(tmp_path / "sobol.csv")
    assert list(table.columns) == ["factor", "first_order_final_year_net_gap", "total_order_final_year_net_gap",
                                   "first_order_sum_of_net_gaps", "total_order_sum_of_net_gaps"]
    assert (tmp_path / "sobol.png").is_file()


def test_command_rejects_a_sample_that_is_not_a_power_of_two(tmp_path, capsys):
    assert main(["montecarlo", str(RISK), "--out", str(tmp_path), "--draws", "10", "--sobol",
                 "--sobol-samples", "1000"]) == 2
    assert "power of 2" in capsys.readouterr().err


def test_the_indices_are_those_of_scipys_own_design(indices):
    # The model is evaluated at the points scipy.stats.sobol_indices chooses, a chunk of its AB
    # matrix at a time, and scipy is handed the evaluations (before, it was handed the model and
    # built the whole (d, n·d) AB matrix: 3 GiB for a plan with 600 streams). The figures are the
    # ones scipy's own evaluation gave, to the last few bits (its mean over a contiguous copy of
    # the evaluations adds them in another order).
    assert indices.first_order == pytest.approx(np.array(
        [[0.985761674311821, 0.0, 0.0, 0.0, 0.013542843066525], [0.982375112978293, 0.0, 0.0, 0.0, 0.016937601587511]]),
        rel=1e-12, abs=1e-15)
    assert indices.total_order == pytest.approx(np.array(
        [[0.985976536503698, 0.0, 0.0, 0.0, 0.013608556127243], [0.982580436050569, 0.0, 0.0, 0.0, 0.017010874714926]]),
        rel=1e-12, abs=1e-15)


def test_the_model_is_evaluated_a_chunk_at_a_time(loaded, monkeypatch):
    scenario = loaded.scenario
    whole = sobol.sobol(scenario, collect(scenario), scenario.monte_carlo, labels_of(scenario), samples=64, seed=4)
    calls = []
    project = sobol.project_batch
    monkeypatch.setattr(sobol, "project_batch", lambda *args: calls.append(len(args[3])) or project(*args))
    monkeypatch.setattr(sobol, "chunk_size", lambda scenario: 50)
    handed = []
    indices = sobol.stats.sobol_indices
    monkeypatch.setattr(sobol.stats, "sobol_indices", lambda func, **kw: handed.append(func) or indices(func=func, **kw))
    chunked = sobol.sobol(scenario, collect(scenario), scenario.monte_carlo, labels_of(scenario), samples=64, seed=4)
    assert max(calls) <= 50 and sum(calls) == 64 * (5 + 2)
    assert not callable(handed[0])              # evaluations, so that scipy never builds AB itself
    assert chunked.first_order == pytest.approx(whole.first_order, abs=1e-12)
    assert chunked.total_order == pytest.approx(whole.total_order, abs=1e-12)


def test_the_terminal_shows_each_factor_whole(tmp_path, capsys):
    # Before: names were cut at 47 characters ('Adult residential and nursing care, 65+ volu').
    durham = SCENARIOS.parent.parent / "scenarios" / "durham-risk.yaml"
    assert main(["montecarlo", str(durham), "--out", str(tmp_path), "--draws", "200", "--sobol",
                 "--sobol-samples", "64"]) == 0
    out = capsys.readouterr().out
    rows = out[out.index("(Sobol indices"):].splitlines()[2:14]
    names = set(pd.read_csv(tmp_path / "sobol.csv")["factor"])
    assert all(row[2:].rsplit(None, 2)[0] in names for row in rows), rows
    assert len({len(row) for row in rows}) == 1, rows            # the figures in line
