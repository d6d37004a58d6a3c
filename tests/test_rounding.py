"""Figures are rounded for people as a spreadsheet rounds them: a half goes away from zero.

Python's own formatting rounds the binary value half to even (f"{100.5:.0f}" is '100', and
f"{2.675:.2f}" is '2.67' because 2.675 is stored as 2.67499999...), where Excel and LibreOffice
show 101 and 2.68. The terminal and the report used Python's rounding and the workbook the
spreadsheet's, so one figure of one run could read differently in the two.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from libreoffice import convert

from mtfpmodel.cli import main
from mtfpmodel.scenario.units import figure, fixed, money, percent, rounded_money, rounds_to_nothing

HAND = Path(__file__).parent / "scenarios" / "hand.yaml"


@pytest.mark.parametrize("value, decimals, shown", [
    (100.5, 0, "101"),                  # Python: '100'
    (101.5, 0, "102"),
    (1234.5, 0, "1,235"),               # Python: '1,234'
    (2.675, 2, "2.68"),                 # stored as 2.67499999999999982..., shown by a spreadsheet as 2.675
    (1102.4999999999998, 0, "1,103"),   # 1102.5 less one unit in the last place: 1102.50000000000 to 15 digits
    (1102.4999, 0, "1,102"),
    (0.30000000000000004, 2, "0.30"),
    (0.0, 0, "0"),
    (12_345_678.25, 1, "12,345,678.3"),
    (1e20, 0, "100,000,000,000,000,000,000"),
])
def test_fixed_rounds_a_half_away_from_zero_at_fifteen_digits(value, decimals, shown):
    assert fixed(value, decimals) == shown


def test_every_figure_shown_uses_that_rounding():
    assert figure(-1234.5) == "(1,235)" and figure(1234.5, 1) == "1,234.5"
    assert figure(-0.4) == "0"                              # no '(0)' for a figure that rounds to nothing
    assert money(1234.5, "£000") == "£1,235k"               # as its docstring always said
    assert money(-2.25, "£m") == "(£2.3m)"
    assert rounded_money(2_250_000.0, "£") == "£2.3m" and rounded_money(-1_500.0, "£") == "-£2k"
    assert percent(0.02995) == "3.00%"                      # 0.02995 * 100 is 2.9949999999999997 in binary
    assert percent(0.50645, 1) == "50.6%" and percent(0.5065, 1) == "50.7%"
    assert percent(0.0299) == "2.99%"
    assert figure(float("nan")) == "–"


def test_the_terminal_the_report_and_the_workbook_show_one_figure_alike(tmp_path, capsys):
    # Opening reserves of 100.5 (£000): the reserves statement's first column. Before, the
    # terminal and report.html showed 100 and the workbook (LibreOffice, "as shown") 101.
    out = tmp_path / "out"
    assert main(["run", str(HAND), "--out", str(out), "--no-charts", "--set", "reserves.opening=100.5"]) == 0
    terminal = capsys.readouterr().out
    assert re.search(r"^Total usable reserves +101 ", terminal, re.M), terminal
    page = (out / "report.html").read_text(encoding="utf-8")
    assert re.search(r"<td>Total usable reserves</td><td>101</td>", page)

    folder = convert([out / "mtfp.xlsx"], tmp_path, to="csv-shown")
    with open(folder / "mtfp-Reserves statement.csv", encoding="utf-8", newline="") as stream:
        rows = {row[0]: row for row in csv.reader(stream) if row}
    assert rows["Total usable reserves"][4] == "101"        # the 2024/25 opening column, as the workbook shows it


def test_explain_shows_band_d_as_the_council_tax_table_does(tmp_path, capsys):
    # A Band D of £1,000.005 (stored as 1000.00499999...): the council tax table shows £1,000.01.
    # Before, `mtfp explain` formatted it itself, with Python's rounding: £1,000.00.
    setting = ["--set", "funding.council_tax.band_d=1000.005"]
    assert main(["run", str(HAND), "--detail", "--no-charts", "--no-report", "--out", str(tmp_path), *setting]) == 0
    assert re.search(r"^Band D +£1,000\.01 ", capsys.readouterr().out, re.M)
    assert main(["explain", str(HAND), "funding[council_tax].band_d[2024/25]", *setting]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "funding[council_tax].band_d[2024/25] = £1,000.01"


def test_a_rate_that_rounds_to_nothing_is_0_00_percent_not_minus():
    # Before: percent(-1e-13) was "-0.00%" (half-up rounding kept the sign of a value that shows as 0).
    from mtfpmodel.scenario.units import percent

    assert [percent(v) for v in (-1e-13, -0.0, -0.00004, -0.00005)] == ["0.00%", "0.00%", "0.00%", "-0.01%"]
    assert percent(-0.0004, 1) == "0.0%" and percent(-0.0123, 1) == "-1.2%"


@pytest.mark.parametrize("text, nothing", [("0", True), ("0.0", True), ("-0.00%", True), ("0,000", True),
                                           ("0.1", False), ("-0.01%", False), ("10", False), ("1,000", False)])
def test_a_figure_that_rounds_to_nothing_is_told_apart_from_a_small_one(text, nothing):
    assert rounds_to_nothing(text) is nothing


def test_a_plain_number_that_rounds_to_nothing_has_no_sign():
    # Before: the pack's Sobol table showed "-0.000" for an index of -0.0001 (sampling error).
    from mtfpmodel.scenario.units import number

    assert number(-0.0001, 3) == "0.000" and number(-0.012, 3) == "-0.012" and number(0.4567, 3) == "0.457"
