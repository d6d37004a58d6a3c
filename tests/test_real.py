"""Real terms (``mtfp run --real INDEX``): every money figure at base-year prices, deflated in one
place (results/real.py). Hand-deflated figures, the identities that must survive, and the CLI."""
from __future__ import annotations

from dataclasses import fields

import numpy as np
import pandas as pd
import pytest

import mtfpmodel
from mtfpmodel.cli import main
from mtfpmodel.engine.projection import Results
from mtfpmodel.results.bridge import bridge
from mtfpmodel.results.gaptable import gap_table
from mtfpmodel.results.real import NOT_MONEY

approx = pytest.approx

# Services cost 1,000 at base-year prices, all inflated by prices (2%, 10%, 0%, 0%): 1,020 then
# 1,122 in cash, 1,000 in real terms. Council tax flat in cash at 1,000 x £1,000 / 1,000 = 1,000,
# so in real terms 1,000 / 1.02 = 980.392157 and 1,000 / 1.122 = 891.265597.
PLAN = """
scenario: real
base_year: "2024/25"
assumptions:
  prices: [2%, 10%, 0%, 0%]
  pay: 3%
expenditure:
  - {name: Services, base: 1000, cost_mix: {prices: 100%}}
funding:
  council_tax: {tax_base: 1000, band_d: 1000}
reserves: {opening: 150, minimum: 10}
"""


@pytest.fixture
def plan(write):
    return mtfpmodel.run(mtfpmodel.load(write(PLAN)))


def test_a_figure_deflated_by_hand(plan):
    real = plan.in_real_terms("prices")
    s, n = real.summary.set_index("year"), plan.summary.set_index("year")
    # cash: net expenditure 1,122 in 2026/27; real: 1,122 / (1.02 x 1.10) = 1,000
    assert n.loc["2026/27", "net_expenditure"] == approx(1122)
    assert s.loc["2026/27", "net_expenditure"] == approx(1000)
    assert s.loc["2025/26", "funding"] == approx(980.392157)
    assert s.loc["2026/27", "funding"] == approx(891.265597)
    # gap: cash 122 in 2026/27, real 122 / 1.122 = 108.734403
    assert s.loc["2026/27", "net_gap"] == approx(108.734403)
    assert real.unit_label == "£000, 2024/25 prices"
    assert plan.unit_label == "£000"


def test_real_terms_keep_the_identities(plan):
    real = plan.in_real_terms("prices")
    s = real.summary
    np.testing.assert_allclose(s["net_gap"], s["gross_gap"] - s["savings"] + s["one_off_costs"])
    np.testing.assert_allclose(s["gross_gap"], s["net_expenditure"] - s["funding"])
    # the in-year change is the change in the real gap: 2025/26 20/1.02 less the base year's 0
    gaps = np.concatenate([[0.0], s["net_gap"]])
    np.testing.assert_allclose(s["incremental_gap"], np.diff(gaps))
    assert list(s["status"]) == list(plan.summary["status"])
    lines = real.lines.groupby("year", sort=False)["cost"].sum().to_numpy()
    assert lines == approx(real.results.net_expenditure[0])


def test_the_real_bridge_adds_up(plan):
    real = plan.in_real_terms("prices")
    steps = bridge(real)
    assert steps[0].value + sum(s.value for s in steps[1:-1]) == approx(steps[-1].value)
    # services are flat in real terms (prices inflation = the index), so their step is zero; the
    # real fall of cash-flat council tax (1,000 - 891.265597) is the whole real gap
    by_label = {s.label: s.value for s in steps}
    assert by_label.get("prices inflation", 0.0) == approx(0.0, abs=1e-9)
    assert by_label["council tax"] == approx(1000 - 891.265597)


def test_reserves_drawn_are_deflated_year_by_year(plan):
    # cash gaps 20, 122, 122, 122 against opening reserves 150: 20 drawn, then 122, then only 8
    # left (114 unfunded), then none; in real terms each year's figure is divided by its deflator
    real = plan.in_real_terms("prices")
    cash = plan.results.reserves_drawn[0]
    assert cash == approx([0, 20, 122, 8, 0])
    assert real.results.reserves_drawn[0] == approx(cash / real.real.deflator[0])
    assert real.results.reserve_flows.closing[0, 0] == approx(plan.results.reserve_flows.closing[0, 0] / real.real.deflator[0])
    table = gap_table(real).set_index("key")
    assert table.loc["unplanned_reserves_use", "2027/28"] == approx(-8 / 1.122)


def test_every_engine_field_is_classified():
    # A new field of engine.projection.Results must be deflated (money) or listed in
    # results.real.NOT_MONEY: add it to one of these two lists.
    money = {"component_cost", "line_cost", "pressure_level", "net_expenditure", "band_d", "council_tax",
             "source_amount", "funding", "gross_gap", "stream_gross", "stream_financing", "stream_implementation",
             "stream_net", "savings", "one_off_costs", "reserve_funded_costs", "net_gap", "incremental_gap",
             "risk_adjusted_net_gap", "reserves_drawn", "closing_reserves", "minimum_reserves", "capital_spend",
             "capital_mrp", "capital_interest", "existing_debt_charges", "capital_financing",
             "revenue_contributions", "reserve_contributions", "planned_reserves_use", "savings_still_to_find",
             "unplanned_reserves_use", "unfunded_gap", "reserve_flows", "reserve_minimum", "line_unit_cost",
             "line_workforce", "line_contracts", "contract_cost", "pay_bill", "employer_ni", "employer_pension",
             "apprenticeship_levy", "average_salary"}
    assert {f.name for f in fields(Results)} == money | NOT_MONEY


def test_run_real_prints_deflated_figures_and_writes_real_csvs(write, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(write(PLAN)), "--out", str(out), "--real", "prices", "--no-charts", "--no-report"]) == 0
    text = capsys.readouterr().out
    assert "(£000, 2024/25 prices)" in text
    assert "deflated by prices" in text
    row = next(line for line in text.splitlines() if line.startswith("Funding"))
    assert row.split()[1:3] == ["980", "891"]              # 1,000 / 1.02 and 1,000 / 1.122
    real = pd.read_csv(out / "summary_real.csv").set_index("year")
    assert real.loc["2026/27", "net_expenditure"] == approx(1000)
    cash = pd.read_csv(out / "summary.csv").set_index("year")
    assert cash.loc["2026/27", "net_expenditure"] == approx(1122)
    assert {"lines_real.csv", "funding_real.csv", "gap_table_real.csv"} <= {p.name for p in out.iterdir()}


def test_run_without_real_writes_no_real_csvs(write, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(write(PLAN)), "--out", str(out), "--no-charts", "--no-report"]) == 0
    assert not [p for p in out.iterdir() if p.stem.endswith("_real")]


def test_unknown_index_is_a_usage_error_naming_the_closest(write, tmp_path, capsys):
    code = main(["run", str(write(PLAN)), "--out", str(tmp_path / "out"), "--real", "price", "--no-charts"])
    assert code == 2
    err = capsys.readouterr().err
    assert "no assumption named 'price'" in err and "did you mean 'prices'?" in err
    assert not (tmp_path / "out").exists()


def test_durham_capital_table_in_real_terms():
    result = mtfpmodel.run("scenarios/durham.yaml")
    real = result.in_real_terms("prices")
    cash_cfr = result.capital.query("scheme == 'Leisure transformation programme'")["capital_financing_requirement"]
    real_cfr = real.capital.query("scheme == 'Leisure transformation programme'")["capital_financing_requirement"]
    assert real_cfr.to_numpy() == approx(cash_cfr.to_numpy() / real.real.deflator[0])


@pytest.mark.parametrize("rate, shown", [("-100%", "100%")])
def test_an_index_that_falls_to_nothing_cannot_deflate(tmp_path, capsys, rate, shown):
    # Before: --real by an index of -100% divided by a deflator of 0 and crashed in pandas
    # ("internal error: ValueError: Encountered all NA values", exit 3); below -100% the deflator
    # turned negative and every real figure changed sign (a rate below -100% is now refused by
    # the loader: tests/bad/rate_below_minus_100.yaml).
    path = tmp_path / "crash.yaml"
    path.write_text(f"""scenario: crash
base_year: "2024/25"
years: 2
assumptions: {{pay: 3%, crash: [2%, {rate}]}}
expenditure:
  - {{name: Adults, base: 1000, cost_mix: {{pay: 100%}}}}
funding:
  council_tax: {{tax_base: 1000, band_d: 1000}}
""", encoding="utf-8")
    assert main(["run", str(path), "--real", "crash", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"mtfp run: error: --real crash: the index falls by {shown} in 2026/27, to nothing or below" in err, err
    assert not (tmp_path / "out").exists()
