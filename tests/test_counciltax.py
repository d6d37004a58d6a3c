"""The council tax table (results/counciltax.py, council_tax.csv, `mtfp run --detail`)."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import SCENARIOS

import mtfpmodel
from mtfpmodel.cli import main

approx = pytest.approx


def test_band_d_by_part_the_rise_and_the_bands_worked_by_hand(run_text):
    result = run_text("""\
        scenario: tax
        base_year: "2024/25"
        years: 2
        expenditure: [{name: Services, base: 1800}]
        funding:
          council_tax:
            tax_base: 1000
            band_d: 1800
            tax_base_growth: 1%
            increase: {core: 2.99%, adult_social_care: 2%}
            referendum_limit: 4.99%
            collection_fund: [10, 0]
            parish_precepts: {base: 90, growth: 5%}
        """)
    row = result.council_tax.set_index("year").loc["2025/26"]
    # Band D £1,800: core 2.99% = £53.82, ASC 2% = £36.00; £1,800 x 1.0499 = £1,889.82, up £89.82
    assert row["band_d_brought_forward"] == approx(1800)
    assert row["increase_core"] == approx(53.82) and row["increase_adult_social_care"] == approx(36.00)
    assert row["band_d"] == approx(1889.82) and row["band_d_increase"] == approx(89.82)
    assert row["band_d_increase_per_week"] == approx(89.82 / 52)                   # £1.73 a week
    assert row["band_a_increase_per_week"] == approx(89.82 * 6 / 9 / 52)           # £1.15 a week
    assert row["band_d_increase_pct"] == approx(0.0499) and row["referendum_limit"] == approx(0.0499)
    # yield: 1,010 Band D equivalents x £1,889.82 / 1,000 = 1,908.7182; plus the collection fund 10
    assert row["tax_base"] == approx(1010) and row["yield"] == approx(1908.7182)
    assert row["council_tax"] == approx(1918.7182) == float(result.results.council_tax[0, 1])
    # bands: A 6/9, B 7/9, C 8/9, E 11/9, F 13/9, G 15/9, H 18/9 of Band D
    assert row["band_a"] == approx(1259.88) and row["band_h"] == approx(3779.64)
    assert row["band_e"] == approx(1889.82 * 11 / 9)
    # parish precepts, for information: 90 x 1.05 = 94.5; 94.5 x 1,000 / 1,010 = £93.56 at Band D
    assert row["parish_precepts"] == approx(94.5) and row["parish_band_d"] == approx(94.5 * 1000 / 1010)
    assert list(result.summary["funding"]) == approx(list(result.results.council_tax[0, 1:]))  # not funding


def test_run_writes_council_tax_csv_and_prints_it_with_detail(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--no-charts", "--no-report"]) == 0
    assert "Council tax" not in capsys.readouterr().out.split("Reserves statement")[1]
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--no-charts", "--no-report",
                 "--detail"]) == 0
    printed = capsys.readouterr().out
    assert "Increase, £ a week (Band D)" in printed and "Band H" in printed
    frame = pd.read_csv(out / "council_tax.csv")
    assert list(frame["year"]) == list(mtfpmodel.run(SCENARIOS / "hand.yaml").labels)
    assert frame["council_tax"].tolist() == approx(mtfpmodel.run(SCENARIOS / "hand.yaml").results.council_tax[0])


def test_the_referendum_check_takes_parts_that_add_up_to_the_limit_as_within_it(run_text):
    # 2.99% + 2% is 4.99% exactly in words, 0.049900000000000003 in floats: within the limit;
    # 3.5% + 2% is above it in 2026/27 only.
    from mtfpmodel.results.counciltax import within_limit

    text = """\
        scenario: tax
        base_year: "2024/25"
        years: 2
        expenditure: [{name: Services, base: 1800}]
        funding:
          council_tax:
            tax_base: 1000
            band_d: 1800
            increase: {core: [2.99%, 3.5%], adult_social_care: 2%}
            referendum_limit: 4.99%
        """
    result = run_text(text)
    assert within_limit(result.council_tax) == [None, True, False]
    assert [w.message for w in result.warnings if "referendum" in w.message] == [
        "the Band D increase is above the referendum limit: 5.50% against a limit of 4.99% in 2026/27"]
    assert within_limit(run_text(text.replace("            referendum_limit: 4.99%\n", "")).council_tax) == [None] * 3


def test_in_real_terms_the_table_stays_in_cash_with_band_d_and_income_at_base_year_prices(run_text):
    # prices 2%: Band D £1,800 × 1.0499 = £1,889.82 in cash, £1,889.82 / 1.02 = £1,852.76 at 2024/25
    # prices; income 1,000 × £1,889.82 / 1,000 + 10 = 1,899.82 in cash, / 1.02 = 1,862.57.
    text = """\
        scenario: tax
        base_year: "2024/25"
        years: 1
        assumptions: {prices: 2%}
        expenditure: [{name: Services, base: 1800}]
        funding:
          council_tax:
            tax_base: 1000
            band_d: 1800
            increase: {core: 2.99%, adult_social_care: 2%}
            collection_fund: 10
        """
    cash = run_text(text)
    real = cash.in_real_terms("prices").council_tax.set_index("year").loc["2025/26"]
    assert real["band_d"] == approx(1889.82) and real["increase_core"] == approx(53.82)      # cash, as billed
    assert real["council_tax"] == approx(1899.82) and real["collection_fund"] == approx(10)
    assert real["band_d_real"] == approx(1889.82 / 1.02) and real["council_tax_real"] == approx(1899.82 / 1.02)
    assert "band_d_real" not in cash.council_tax
