"""One number, one place: a plan whose reserves run out shows the same reserves figures in every
output — terminal table, gap table, reserves statement, summary.csv, reserves.csv, gap_table.csv,
the report's cards and tables, the workbook and ``mtfp explain`` — and no balance goes negative.

The plan is the one that exposed two tables disagreeing: £15.0m of opening reserves and gaps of
£4.0m, £6.0m, £8.4m and £11.1m. Reserves meet the first two years (15,000 - 4,000 - 6,000 =
5,000 left), then the last 5,000 of 2027/28's 8,428: 3,428 unfunded, and all 11,131 of 2028/29.
Reserves drawn over the plan: 4,000 + 6,000 + 5,000 + 0 = 15,000 (£15.0m, never more than there was).
"""
from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

import mtfpmodel
from mtfpmodel.analysis.explain import explain
from mtfpmodel.cli import main

YEARS = ["2025/26", "2026/27", "2027/28", "2028/29"]
PLAN = """\
scenario: runs-out
council: Testborough
base_year: "2024/25"
expenditure: [{name: Services, base: 200000}]
pressures: [{name: Demand, amount: [4000, 2000, 2428, 2703]}]
funding: {council_tax: {tax_base: 100000, band_d: 2000}}
reserves: {opening: 15000, minimum: 5%}
"""
DRAWN = [4000, 6000, 5000, 0]
CLOSING = [11000, 5000, 0, 0]
UNFUNDED = [0, 0, 3428, 11131]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("one-number")
    path = folder / "runs-out.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path, folder / "out"


@pytest.fixture(scope="module")
def printed(run):
    import contextlib
    import io

    path, out = run
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
        assert main(["run", str(path), "--out", str(out), "--no-charts"]) == 0
    return buffer.getvalue()


def row(text: str, label: str) -> list[str]:
    """The cells of the first printed row that starts with ``label``."""
    line = next(line for line in text.splitlines() if line.startswith(label))
    return re.findall(r"\(?[\d,]+\)?|–", line[len(label):])


def test_summary_csv_holds_the_figures_and_no_balance_is_negative(run, printed):
    _, out = run
    s = pd.read_csv(out / "summary.csv")
    assert list(s["reserves_drawn"]) == pytest.approx(DRAWN)
    assert list(s["closing_reserves"]) == pytest.approx(CLOSING)
    assert list(s["unfunded_gap"]) == pytest.approx(UNFUNDED)
    assert list(s["status"]) == ["balanced with reserves", "below minimum reserves", "reserves exhausted",
                                 "reserves exhausted"]
    reserves = pd.read_csv(out / "reserves.csv")
    assert (reserves[["opening", "closing"]] >= 0).all().all()
    assert list(reserves["unplanned_use"]) == pytest.approx(DRAWN)
    assert list(reserves["closing"]) == pytest.approx(CLOSING)


def test_terminal_tables_agree(printed):
    drawn = ["4,000", "6,000", "5,000", "0"]
    assert row(printed, "Reserves drawn") == drawn
    assert row(printed, "Closing reserves") == ["11,000", "5,000", "0", "0"]
    assert row(printed, "Unfunded gap") == ["0", "0", "3,428", "11,131"]          # MTFP table
    gap_table = printed.split("Budget gap and how it is met")[1].split("Reserves statement")[0]
    assert row(gap_table, "Unplanned use of reserves") == ["(4,000)", "(6,000)", "(5,000)", "0"]
    assert row(gap_table, "Unfunded gap") == ["0", "0", "3,428", "11,131"]
    statement = printed.split("Reserves statement")[1]
    assert row(statement, "Unplanned use of reserves") == ["–", "4,000", "6,000", "5,000", "0"]
    assert row(statement, "Total usable reserves") == ["15,000", "11,000", "5,000", "0", "0"]
    assert "Usable reserves run out in 2027/28" in statement
    assert "reserves exhausted in 2027/28, with £3.4m of that year's gap unfunded" in printed


def test_gap_table_csv_agrees(run, printed):
    _, out = run
    table = pd.read_csv(out / "gap_table.csv").set_index("key")
    assert list(-table.loc["unplanned_reserves_use", YEARS]) == pytest.approx(DRAWN)
    assert list(table.loc["unfunded_gap", YEARS]) == pytest.approx(UNFUNDED)


def test_report_cards_and_tables_agree(run, printed):
    _, out = run
    html = (out / "report.html").read_text(encoding="utf-8")
    cards = dict(re.findall(r'<div class="label">([^<]+)</div><div class="value">([^<]+)</div>', html))
    assert cards["Reserves drawn over the plan"] == "£15.0m"
    assert cards["Reserves at end of 2028/29"] == "£0"
    assert cards["Unfunded gap 2028/29 (the largest)"] == "£11.1m"

    def cells(table_id: str, label: str) -> list[str]:
        table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
        found = re.search(rf"<td>{re.escape(label)}</td>(.*?)</tr>", table, re.S)
        return re.findall(r'<td[^>]*>([^<]*)</td>', found.group(1))

    assert cells("mtfp-table", "Reserves drawn") == ["4,000", "6,000", "5,000", "0"]
    assert cells("mtfp-table", "Closing reserves") == ["11,000", "5,000", "0", "0"]
    assert cells("gap-table", "Unfunded gap") == ["0", "0", "3,428", "11,131"]
    assert cells("reserves-table", "Unplanned use of reserves") == ["–", "4,000", "6,000", "5,000", "0"]
    assert cells("reserves-table", "Total usable reserves") == ["15,000", "11,000", "5,000", "0", "0"]
    assert "(" not in "".join(cells("reserves-table", "Total usable reserves"))   # never negative


def test_workbook_values_agree(run, printed):
    _, out = run
    book = openpyxl.load_workbook(out / "mtfp.xlsx", data_only=True)     # the cached values: the engine's
    summary = book["Summary"]
    rows = {summary.cell(r, 1).value: r for r in range(3, 40) if summary.cell(r, 1).value}
    for label, expected in (("Closing usable reserves", CLOSING), ("Unfunded gap", UNFUNDED),
                            ("Unplanned use of reserves", DRAWN)):
        assert [summary.cell(rows[label], 6 + t).value for t in range(4)] == pytest.approx(expected), label
    gap = book["Gap table"]
    gap_rows = {gap.cell(r, 1).value: r for r in range(3, 40) if gap.cell(r, 1).value}
    assert [gap.cell(gap_rows["Unfunded gap"], 6 + t).value for t in range(4)] == pytest.approx(UNFUNDED)
    statement = book["Reserves statement"]
    rows = {statement.cell(r, 1).value: r for r in range(3, 40) if statement.cell(r, 1).value}
    assert [statement.cell(rows["Total usable reserves"], 5 + t).value for t in range(5)] == \
        pytest.approx([15000] + CLOSING)


def test_explain_agrees(run):
    path, _ = run
    result = mtfpmodel.run(path)
    assert explain(result, "summary.reserves_drawn[2027/28]").value == pytest.approx(5000)
    assert explain(result, "summary.closing_reserves[2027/28]").value == pytest.approx(0)
    assert explain(result, "summary.unfunded_gap[2027/28]").value == pytest.approx(3428)
    assert explain(result, "reserves[Usable reserves].unplanned_use[2027/28]").value == pytest.approx(5000)
    assert explain(result, "reserves[Usable reserves].closing[2026/27]").value == pytest.approx(5000)


def test_reserves_chart_draws_the_same_balances(run):
    from mtfpmodel.outputs.charts import reserves_chart

    path, _ = run
    result = mtfpmodel.run(path)
    figure = reserves_chart(result)
    lines = {line.get_label(): line for line in figure.axes[0].lines}
    closing, minimum = lines["Closing reserves"], lines["Minimum reserves"]
    # £m on the chart (net expenditure over £50m): 15.0 opening, then 11.0, 5.0, 0, 0
    assert list(closing.get_ydata()) == pytest.approx([15.0, 11.0, 5.0, 0.0, 0.0])
    assert list(minimum.get_ydata()) == pytest.approx(list(result.summary["minimum_reserves"] / 1000))
