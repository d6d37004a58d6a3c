"""The workbook: layout, and live formulas recalculated by LibreOffice equal the engine to the penny."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

import mtfpmodel
from mtfpmodel.engine.projection import STATUSES
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.outputs.workbook import SAVINGS_FIRST_YEAR_COLUMN, write_workbook
from mtfpmodel.outputs.workbookstyle import FIRST_YEAR_COLUMN

HERE = Path(__file__).parent
STRETCHED = HERE / "reports" / "stretched.yaml"
T2 = """
scenario: small
units: "£"
base_year: "2024/25"
years: 2
expenditure:
  - {name: All services, base: 1000000}
funding:
  council_tax: {tax_base: 400, band_d: 2400, collection_fund: [-5000, 0]}
reserves: {opening: 1000, minimum: 500, use_to_balance: false}
"""


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.fail("LibreOffice (soffice) is needed to recalculate the workbook and is not installed: "
                    "run `make test-tools` (scripts/ensure-test-tools.sh) or apt-get install libreoffice-calc-nogui")
    return path


def recalculate(xlsx: Path, work: Path) -> Path:
    """Open ``xlsx`` in headless LibreOffice (which recalculates every formula) and save a copy."""
    out = work / "recalculated"
    profile = (work / "lo-profile").as_uri()
    subprocess.run([soffice(), f"-env:UserInstallation={profile}", "--headless", "--norestore",
                    "--convert-to", "xlsx", "--outdir", str(out), str(xlsx)],
                   check=True, capture_output=True, timeout=180)
    return out / xlsx.name


def build(result, folder: Path) -> Path:
    with staged_output(folder) as staging:
        write_workbook(result, staging)
    return folder / "mtfp.xlsx"


def expected_values(result, book: openpyxl.Workbook) -> dict[tuple[str, str], object]:
    """What each formula cell must show, worked out from the engine's arrays by row and year."""
    r = result.results
    streams = [s.name for s in result.scenario.savings]
    stream_arrays = {"gross_saving": r.stream_gross, "financing_cost": r.stream_financing,
                     "net_saving": r.stream_net, "implementation_cost": r.stream_implementation}
    totals = {"Lines": r.line_cost[0].sum(axis=0), "Pressures": r.pressure_level[0].sum(axis=0),
              "Funding": r.funding[0]}
    expected = {}
    for ws in book.worksheets:
        first = SAVINGS_FIRST_YEAR_COLUMN if ws.title == "Savings" else FIRST_YEAR_COLUMN
        for row in ws.iter_rows(min_row=3):
            name, key = row[0].value, row[1].value
            for cell in row[first - 1:first - 1 + len(result.labels)]:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                t = cell.column - first
                if ws.title == "Summary":
                    value = STATUSES[r.status[0, t]] if key == "status" else float(getattr(r, key)[0, t])
                elif ws.title == "Savings" and key in stream_arrays:
                    value = float(stream_arrays[key][0, streams.index(name), t])
                elif ws.title == "Savings" and key.endswith(" total"):
                    value = float(stream_arrays[key[:-len(" total")]][0, :, t].sum())
                elif ws.title == "Funding" and name == "Council tax":
                    value = float(r.council_tax[0, t])
                elif key == "total":
                    value = float(totals[ws.title][t])
                else:
                    raise AssertionError(f"{ws.title}!{cell.coordinate}: a formula the test does not know: {cell.value}")
                expected[(ws.title, cell.coordinate)] = value
    return expected


@pytest.fixture(scope="module")
def stretched(tmp_path_factory):
    work = tmp_path_factory.mktemp("workbook")
    result = mtfpmodel.run(mtfpmodel.load(STRETCHED))
    xlsx = build(result, work / "out")
    return result, xlsx, recalculate(xlsx, work), work


def assert_to_the_penny(result, xlsx: Path, recalculated: Path) -> int:
    formulas = openpyxl.load_workbook(xlsx)
    values = openpyxl.load_workbook(recalculated, data_only=True)
    expected = expected_values(result, formulas)
    penny = 0.005 / result.scenario.unit          # half a penny, in the scenario unit
    wrong = []
    for (sheet, coordinate), want in expected.items():
        got = values[sheet][coordinate].value
        if isinstance(want, str):
            ok = got == want
        else:
            ok = isinstance(got, (int, float)) and abs(got - want) < penny
        if not ok:
            wrong.append(f"{sheet}!{coordinate}: LibreOffice {got!r}, engine {want!r}")
    assert not wrong, "\n".join(wrong)
    return len(expected)


def test_every_formula_equals_the_engine_to_the_penny(stretched):
    result, xlsx, recalculated, _ = stretched
    count = assert_to_the_penny(result, xlsx, recalculated)
    # Summary: 12 formula rows x 5 years (the reserves' own figures and status are values);
    # Lines, Pressures, Funding totals and council tax 4 x 5; Savings 5 net rows + 4 totals, x 5 years.
    assert count == 60 + 20 + 45


def test_a_plan_in_pounds_without_streams_or_pressures(tmp_path, write):
    result = mtfpmodel.run(mtfpmodel.load(write(T2)))
    xlsx = build(result, tmp_path / "out")
    assert_to_the_penny(result, xlsx, recalculate(xlsx, tmp_path))
    # council tax 400 x 2400 = 960,000 less a 5,000 deficit; spend 1,000,000: gap 45,000 > reserves 1,000,
    # and reserves do not balance the budget: unbalanced (the spec's second rule), all 45,000 unfunded.
    values = openpyxl.load_workbook(recalculate(xlsx, tmp_path / "again"), data_only=True)["Summary"]
    rows = {values.cell(r, 2).value: r for r in range(3, 30)}
    assert values.cell(rows["gross_gap"], 4).value == pytest.approx(45_000)
    assert values.cell(rows["unfunded_gap"], 4).value == pytest.approx(45_000)
    assert values.cell(rows["status"], 4).value == "unbalanced"


def test_the_summary_is_live_changing_an_input_flows_through(stretched, tmp_path):
    result, xlsx, _, work = stretched
    book = openpyxl.load_workbook(xlsx)
    lines = book["Lines"]
    lines.cell(3, FIRST_YEAR_COLUMN + 1).value += 500      # 500 more on the first line in 2025/26
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    values = openpyxl.load_workbook(recalculate(edited, tmp_path), data_only=True)["Summary"]
    rows = {values.cell(r, 2).value: r for r in range(3, 30)}
    for key in ("net_expenditure", "gross_gap", "net_gap", "savings_still_to_find"):
        got = values.cell(rows[key], FIRST_YEAR_COLUMN + 1).value
        assert got == pytest.approx(float(getattr(result.results, key)[0, 1]) + 500, abs=1e-6), key


def test_layout_sheets_years_formats_and_frozen_headers(stretched):
    result, xlsx, _, _ = stretched
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Summary", "Lines", "Pressures", "Funding", "Savings", "Gap table",
                               "Assumptions", "Warnings"]
    summary = book["Summary"]
    assert [c.value for c in summary[2]][2:] == ["2024/25", "2025/26", "2026/27", "2027/28", "2028/29"]
    assert summary["A2"].value == "(£000)" and summary.freeze_panes == "C3"
    assert summary["C3"].number_format == '#,##0;(#,##0);"–"'
    # lines on rows 3-7, total on 8; pressures 3-4, total 5; contributions to reserves on Summary row 12
    assert summary["D3"].value == "=Lines!D8+Pressures!D5+D12"
    assert summary["D5"].value == "=D3-D4"
    assert book["Savings"].freeze_panes == "E3"
    lines = book["Lines"]
    assert [lines.cell(r, 1).value for r in range(3, 8)] == [line.name for line in result.scenario.expenditure]
    assumptions = book["Assumptions"]
    assert assumptions["A3"].value == "pay" and assumptions["B3"].value == "Assumed for the test"
    assert assumptions["C3"].value == pytest.approx(0.04) and assumptions["C3"].number_format == "0.00%"
    assert assumptions["B6"].value == "(no source given)"                # energy has no source
    warnings = book["Warnings"]
    assert warnings["A3"].value == str(STRETCHED) or warnings["A3"].value.endswith("stretched.yaml")
    assert warnings["C3"].value == "funding.council_tax.increase"
    assert all(word in warnings["D3"].value for word in ("referendum", "5.49%", "4.99%", "2025/26"))
    assert warnings["A4"].value is None                                 # one warning only
