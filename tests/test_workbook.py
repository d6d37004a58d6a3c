"""The workbook is a live model: cached values are the engine's, and LibreOffice's recalculation reproduces them.

One LibreOffice process recalculates the test workbooks and writes every sheet as CSV: every shipped
scenario, the blocks fixture (every block of a scenario, with the reserves' edge cases), stretched (every
kind of stream, capital, reserves below the minimum and exhausted), variety (£m, three years, assumption
links) and small (a plan in pounds with no streams or pressures), and one with a calculation typed over.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import libreoffice
import mtfpmodel
from mtfpmodel.engine.parameters import collect
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.outputs.workbook import write_workbook
from mtfpmodel.outputs.workbook.style import INPUT_FILL
from mtfpmodel.results.gaptable import gap_table

HERE = Path(__file__).parent
STRETCHED = HERE / "reports" / "stretched.yaml"
VARIETY = HERE / "scenarios" / "workbook_variety.yaml"   # £m, 3 years, assumption links, straight line at 0%...
BLOCKS = HERE / "scenarios" / "workbook_blocks.yaml"     # every block: drivers, capital programme, named reserves
EDGES = HERE / "scenarios" / "workbook_edges.yaml"       # no reserves, a bare contract, capital without borrowing
SHIPPED = sorted((HERE.parent / "scenarios").glob("*.yaml"))
SMALL = """
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
SHEETS = ["Summary", "Gap table", "Reserves statement", "Council tax", "Inputs", "Expenditure", "Workforce",
          "Contracts", "Capital", "Funding", "Financing", "Savings", "Gap", "Reserves", "Checks", "Warnings", "Guide"]
CALCULATION_SHEETS = ("Expenditure", "Workforce", "Contracts", "Capital", "Funding", "Financing", "Savings", "Gap",
                      "Reserves")
FIRST_YEAR = 5   # column E (1-based) is the base year
RECALCULATED = ["stretched", "small", "variety", "blocks", "broken", "edges"] + [p.stem for p in SHIPPED]


def build(result, folder: Path) -> Path:
    with staged_output(folder) as staging:
        write_workbook(result, staging)
    return folder / "mtfp.xlsx"


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """{name: (result, written xlsx, folder of LibreOffice's CSV of every sheet)}, recalculated together."""
    work = tmp_path_factory.mktemp("workbook")
    (work / "small.yaml").write_text(SMALL, encoding="utf-8")
    written = {}
    plans = [("stretched", STRETCHED), ("small", work / "small.yaml"), ("variety", VARIETY), ("blocks", BLOCKS),
             ("edges", EDGES)]
    for name, path in plans + [(p.stem, p) for p in SHIPPED]:
        result = mtfpmodel.run(mtfpmodel.load(path))
        xlsx = build(result, work / name)
        copy = work / f"{name}.xlsx"
        copy.write_bytes(xlsx.read_bytes())
        written[name] = (result, copy)
    broken = openpyxl.load_workbook(written["stretched"][1])
    typed_over = next(r for r in range(1, 200) if broken["Gap"].cell(r, 1).value == "Net gap")
    broken["Gap"].cell(typed_over, FIRST_YEAR + 2).value = 1234.0     # a calculation typed over with a number
    broken.save(work / "broken.xlsx")
    written["broken"] = (written["stretched"][0], work / "broken.xlsx")
    out = libreoffice.convert([copy for _, copy in written.values()], work, to="csv")
    return {name: (result, copy, out) for name, (result, copy) in written.items()}


def recalculated(out: Path, stem: str, sheet: str):
    """A cell reader for one sheet of LibreOffice's recalculation: cell(row, col), 1-based."""
    rows = libreoffice.sheet_values(out, stem, sheet)

    def cell(row: int, col: int):
        line = rows[row - 1] if row <= len(rows) else []
        return line[col - 1] if col <= len(line) else None

    return cell


def formula_cells(path: Path):
    """(sheet, coordinate, formula) of every formula cell."""
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    yield ws.title, cell.coordinate, cell.value


def close(a, b, tolerance: float) -> bool:
    if isinstance(a, bool):                     # LibreOffice writes TRUE/FALSE (or 1/0 in a number format)
        a = float(a) if isinstance(b, float) else ("TRUE" if a else "FALSE")
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return a is not None and b is not None and abs(a - b) <= tolerance


@pytest.mark.parametrize("name", RECALCULATED[:4] + RECALCULATED[5:])
def test_libreoffice_recalculation_reproduces_every_cached_value(books, name):
    result, written, out = books[name]
    cached = openpyxl.load_workbook(written, data_only=True)
    cells = list(formula_cells(written))
    sheets = {}
    wrong = []
    for sheet, at, formula in cells:
        if sheet not in sheets:
            sheets[sheet] = recalculated(out, written.stem, sheet)
        row, col = openpyxl.utils.cell.coordinate_to_tuple(at)
        if not close(cached[sheet][at].value, sheets[sheet](row, col), 1e-6):
            wrong.append(f"{sheet}!{at} {formula}: cached {cached[sheet][at].value!r}, "
                         f"LibreOffice {sheets[sheet](row, col)!r}")
    assert not wrong, "\n".join(wrong[:20])
    assert len(cells) > (500 if name in ("stretched", "blocks") else 100)
    if name in ("variety", "edges"):     # reserves not used to balance, or none at all: unbalanced every year
        summary = recalculated(out, written.stem, "Summary")
        status = next(r for r in range(1, 40) if summary(r, 1) == "Status")
        assert [summary(status, FIRST_YEAR + t) for t in (1, 2, 3)] == ["unbalanced"] * 3
    checks = libreoffice.sheet_values(out, written.stem, "Checks")
    master = next(i for i, row in enumerate(checks) if row and str(row[0]).startswith("Checks failing"))
    failing = {row[0]: row[3] for row in checks[master:] if row and row[0]}
    assert len(failing) > 10 and set(failing.values()) == {0}, failing


def test_every_formula_cell_carries_the_engines_value(books):
    """Without recalculating (pandas, previews), the Summary and Gap table show the engine's figures."""
    result, written, _ = books["stretched"]
    cached = openpyxl.load_workbook(written, data_only=True)
    assert all(cached[s][at].value is not None for s, at, _ in formula_cells(written))
    frame = pd.read_excel(written, sheet_name="Summary", header=None)
    labels = list(frame[0])
    summary = result.summary
    for label, column in (("Net expenditure", "net_expenditure"), ("Budget gap before savings", "gross_gap"),
                          ("Net budget gap", "net_gap"), ("Closing usable reserves", "closing_reserves"),
                          ("Risk-adjusted net gap (savings and grants at risk)", "risk_adjusted_net_gap")):
        shown = frame.iloc[labels.index(label), FIRST_YEAR:FIRST_YEAR + 4].to_numpy(dtype=float)
        np.testing.assert_array_equal(shown, summary[column].to_numpy())
    status = frame.iloc[labels.index("Status"), FIRST_YEAR:FIRST_YEAR + 4].tolist()
    assert status == list(summary["status"])
    table = gap_table(result)
    gap = pd.read_excel(written, sheet_name="Gap table", header=None)
    for i, item in enumerate(table["item"]):
        row = list(gap[0]).index(item)
        np.testing.assert_array_equal(gap.iloc[row, FIRST_YEAR:FIRST_YEAR + 4].to_numpy(dtype=float),
                                      table.iloc[i, 2:].to_numpy(dtype=float))


def test_the_checks_catch_a_calculation_typed_over(books):
    _, written, out = books["broken"]
    checks = {row[0]: row for row in libreoffice.sheet_values(out, written.stem, "Checks") if row and row[0]}
    assert checks["Checks failing (must be 0)"][3] > 0
    assert checks["Summary agrees with the calculation sheets"][3] == 0    # it links the typed value
    assert checks["Net gap = gross gap - savings + one-off costs"][3] == 1
    summary = recalculated(out, written.stem, "Summary")
    verdict = next(r for r in range(1, 40) if summary(r, 1) == "Model checks (Checks sheet)")
    assert summary(verdict, FIRST_YEAR) == "Some checks fail: see the Checks sheet"


def test_a_plan_in_pounds_without_streams_or_pressures(books):
    result, written, out = books["small"]
    ws = recalculated(out, written.stem, "Summary")
    rows = {ws(r, 1): r for r in range(1, 40) if ws(r, 1)}
    # council tax 400 x £2,400 = £960,000 less a £5,000 deficit; spend £1,000,000: a £45,000 gap that reserves
    # (not used to balance) do not meet: unbalanced, the contract's second rule.
    assert ws(rows["Budget gap before savings"], FIRST_YEAR + 1) == pytest.approx(45_000)
    assert ws(rows["Status"], FIRST_YEAR + 1) == "unbalanced"
    assert ws(rows["Does the plan balance in every year?"], FIRST_YEAR).startswith("No")


def test_sheets_summary_labels_and_one_page_print(books):
    result, written, _ = books["stretched"]
    book = openpyxl.load_workbook(written)
    assert book.sheetnames == SHEETS
    summary = book["Summary"]
    assert [summary.cell(3, c).value for c in range(FIRST_YEAR, FIRST_YEAR + 5)] == list(result.labels)
    labels = [summary.cell(r, 1).value for r in range(4, summary.max_row + 1) if summary.cell(r, 1).value]
    assert "Net budget gap" in labels and "Closing usable reserves" in labels
    assert not [label for label in labels if "_" in label], "Summary labels are for people, not CSV keys"
    setup = summary.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9          # A4
    # fitToWidth and fitToHeight default to 1 in the file format (XlsxWriter leaves them out then)
    assert summary.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth or 1, setup.fitToHeight or 1) == (1, 1)
    assert summary.print_area is not None and "$A$1:$I$" in str(summary.print_area)
    assert summary.freeze_panes == "E4"
    assert book["Expenditure"].freeze_panes == "E6"


@pytest.mark.parametrize("name, path", [("stretched", STRETCHED), ("blocks", BLOCKS)])
def test_inputs_look_like_inputs_and_hold_no_formulas(books, name, path):
    _, written, _ = books[name]
    book = openpyxl.load_workbook(written)
    fill = INPUT_FILL.lstrip("#").upper()
    inputs = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                styled = (cell.fill.fgColor.rgb or "").upper().endswith(fill)
                is_formula = isinstance(cell.value, str) and cell.value.startswith("=")
                if styled and cell.value is not None and not is_formula:
                    inputs += 1
                    assert ws.title in ("Inputs", "Guide"), f"{ws.title}!{cell.coordinate} is styled as an input"
                if is_formula and ws.title != "Inputs":
                    assert not styled, f"{ws.title}!{cell.coordinate}: a formula styled as an input"
    assert inputs > 100
    # every row of the Inputs sheet with a path holds its value, and the paths are the scenario's
    ws = book["Inputs"]
    path_col = next(c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value == "mtfp path")
    paths = [ws.cell(r, path_col).value for r in range(4, ws.max_row + 1) if ws.cell(r, path_col).value]
    params = collect(mtfpmodel.load(path).scenario)
    assert set(params) - {p for p in params if p.endswith(".confidence")} <= set(paths)
    assert "assumptions.pay" in paths
    if name == "stretched":
        assert "savings[LED street lighting].capital.amount" in paths
    else:       # the fields that are not numbers an analysis varies are inputs too, so import reads them back
        assert {"expenditure[Children's social work].pay_from.Managers", "contracts[Waste disposal].lag",
                "reserves[Transformation reserve].meets_gap", "funding.grants[Recovery Grant].ends",
                "funding.grants[Recovery Grant].certainty", "capital_programme[Fleet].method",
                "funding.council_tax.parish_precepts.growth"} <= set(paths)


REFERENCE = re.compile(r"(?<![A-Za-z_$])(?P<sheet>(?:'[^']+'|[A-Za-z]+)!)?(?P<ca>\$?)(?P<col>[A-Z]{1,3})"
                       r"(?P<ra>\$?)(?P<row>\d+)(?![\d(A-Za-z_])")


def relative(formula: str, row: int, col: int) -> str:
    """The formula with every reference written as an offset from its own cell (R1C1 style)."""
    def offset(m: re.Match) -> str:
        c = openpyxl.utils.column_index_from_string(m["col"])
        r = int(m["row"])
        cc = f"C{c}" if m["ca"] else f"C[{c - col}]"
        rr = f"R{r}" if m["ra"] else f"R[{r - row}]"
        return f"{m['sheet'] or ''}{rr}{cc}"
    return REFERENCE.sub(offset, formula)


@pytest.mark.parametrize("name", ["stretched", "blocks", "durham"])
def test_one_formula_per_row_across_the_projection_years(books, name):
    _, written, _ = books[name]
    book = openpyxl.load_workbook(written)
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=4):
            forms = {relative(c.value, c.row, c.column) for c in row[FIRST_YEAR:]   # F onwards: years 1..T
                     if isinstance(c.value, str) and c.value.startswith("=")}
            assert len(forms) <= 1, f"{ws.title} row {row[0].row} ({row[0].value}): {forms}"


@pytest.mark.parametrize("name", ["stretched", "blocks", "durham"])
def test_no_numbers_typed_into_formulas(books, name):
    """Only the equation's own 0 and 1 appear in formulas: every figure comes from a cell."""
    _, written, _ = books[name]
    for sheet, at, formula in formula_cells(written):
        text = REFERENCE.sub("ref", re.sub(r'"[^"]*"', '""', formula))
        numbers = set(re.findall(r"(?<![A-Za-z_\d.])\d+(?:\.\d+)?(?![\d])", text))
        assert numbers <= {"0", "1"}, f"{sheet}!{at}: {formula}"


def test_named_ranges_point_at_the_main_inputs(books):
    _, written, _ = books["stretched"]
    book = openpyxl.load_workbook(written)
    names = {name: book.defined_names[name].attr_text for name in book.defined_names}
    ws = book["Inputs"]
    for name, path in (("Assumption_pay", "assumptions.pay"), ("Tax_base", "funding.council_tax.tax_base"),
                       ("Opening_reserves", "reserves.opening"), ("Council_tax_increase_core",
                                                                  "funding.council_tax.increase.core"),
                       ("Base_Adult_social_care", "expenditure[Adult social care].base")):
        sheet, _, cells = names[name].partition("!")
        assert sheet == "Inputs"
        row = int(re.search(r"\$(\d+)", cells)[1])
        assert path in [c.value for c in ws[row]], f"{name} → {names[name]} is not the {path} row"
    assert {"Pounds_per_unit", "Check_tolerance", "Checks_failing", "Rag_amber"} <= set(names)


def test_named_ranges_of_the_new_blocks(books):
    _, written, _ = books["blocks"]
    book = openpyxl.load_workbook(written)
    names = {name: book.defined_names[name].attr_text for name in book.defined_names}
    ws = book["Inputs"]
    for name, path in (("Borrowing_rate", "capital_financing.borrowing_rate"),
                       ("Employer_NI_rate", "workforce.employer_ni.rate"),
                       ("FTE_Social_care_staff", "workforce.groups[Social care staff].fte"),
                       ("Planned_use_Transformation_reserve", "reserves[Transformation reserve].planned_use"),
                       ("Cap_Waste_disposal", "contracts[Waste disposal].cap"),
                       ("Unit_cost_Residential_placements", "expenditure[Residential placements].unit_cost"),
                       ("Borrowing_Fleet", "capital_programme[Fleet].borrowing")):
        row = int(re.search(r"\$(\d+)", names[name].partition("!")[2])[1])
        assert path in [c.value for c in ws[row]], f"{name} → {names[name]} is not the {path} row"


def test_the_summary_shows_the_implementation_costs_reserves_met_not_those_asked_of_them(tmp_path):
    # Before: with pay at 15% Durham's reserves are exhausted by 2027/28, so its £2,000k of
    # reserve-funded implementation costs that year go unmet (the gap table's "Implementation
    # costs reserves cannot meet"); the Summary's "Implementation costs met from reserves" still
    # showed 2,000, linked to the costs asked of reserves, while the Reserves statement showed 0.
    from mtfpmodel.cli import main

    out = tmp_path / "out"
    assert main(["run", str(SHIPPED[0].parent / "durham.yaml"), "--set", "assumptions.pay=15%", "--out", str(out),
                 "--no-charts"]) == 0
    met = pd.read_csv(out / "reserves.csv").groupby("year", sort=False)["implementation_costs"].sum()
    assert list(met) == [0.0, 2000.0, 0.0, 0.0]
    book = openpyxl.load_workbook(out / "mtfp.xlsx", data_only=True)
    rows = {row[0]: row[FIRST_YEAR:FIRST_YEAR + 4] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert list(rows["Implementation costs met from reserves"]) == list(met)
    statement = {row[0]: row for row in book["Reserves statement"].iter_rows(values_only=True) if row[0]}
    assert [v for v in statement["Implementation costs met from reserves"] if isinstance(v, float)] == list(met)


def test_the_plans_own_warning_is_on_the_warnings_sheet_and_page(tmp_path):
    # Before: the terminal printed "WARNING: 2028/29 still relies on £2.3m of reserves: a
    # structural gap met from one-off money." while the workbook's Warnings sheet and the
    # report's Warnings section both said "No warnings."
    from mtfpmodel.cli import main

    out = tmp_path / "out"
    assert main(["run", str(SHIPPED[0].parent / "example.yaml"), "--out", str(out), "--no-charts"]) == 0
    sentence = "2028/29 still relies on £2.3m of reserves: a structural gap met from one-off money."
    sheet = list(openpyxl.load_workbook(out / "mtfp.xlsx")["Warnings"].iter_rows(values_only=True))
    assert (None, None, "the plan (reserves statement)", sentence, None) in sheet
    page = (out / "report.html").read_text(encoding="utf-8")
    section = page[page.index('id="warnings"'):]
    assert sentence in section and "No warnings." not in section


def test_a_long_line_name_gives_excel_names_it_can_take(tmp_path, recwarn):
    # Before: a line name of 400 characters made `mtfp run` print xlsxwriter's "UserWarning: Name
    # 'Base_…' … exceeds Excel's limit of 255 characters" (and validate said nothing).
    from mtfpmodel.cli import main

    plan = tmp_path / "long.yaml"
    plan.write_text(SMALL.replace("name: All services", "name: All services " + "x" * 400), encoding="utf-8")
    assert "x" * 400 in plan.read_text(encoding="utf-8")
    assert main(["run", str(plan), "--out", str(tmp_path / "out"), "--no-charts"]) == 0
    assert not [w for w in recwarn if "exceeds Excel's limit" in str(w.message)]
    names = openpyxl.load_workbook(tmp_path / "out" / "mtfp.xlsx").defined_names
    assert names and max(len(name) for name in names) <= 255


def test_a_money_figure_that_rounds_to_nothing_reads_as_nil_not_minus_nought():
    # Before: '#,##0;(#,##0);"–"' showed Durham's base-year gap of -0.048 (£000) as "(0)" on the
    # Summary and Gap table, where the terminal shows 0. The sections now split at half the last
    # digit shown, so anything that rounds to nothing takes the third section, '–', as 0 does.
    from mtfpmodel.outputs.workbook.style import number_format

    assert number_format("money", "£000") == '[>=0.5]#,##0;[<=-0.5](#,##0);"–"'
    assert number_format("money", "£m") == '[>=0.05]#,##0.0;[<=-0.05](#,##0.0);"–"'


def test_a_minimum_given_as_a_share_accepts_only_0_to_100_percent_in_the_workbook(tmp_path):
    # Before: the General fund balance's "Minimum level (% of net expenditure)" took 25000 (a
    # minimum of £14.2bn) with no word, which mtfp import then refused as outside 0% to 100%.
    from mtfpmodel.cli import main

    out = tmp_path / "out"
    assert main(["run", str(SHIPPED[0].parent / "example.yaml"), "--out", str(out), "--no-charts"]) == 0
    sheet = openpyxl.load_workbook(out / "mtfp.xlsx")["Inputs"]
    (row,) = [r[0].row for r in sheet.iter_rows() if r[0].value == "General fund balance" and r[1].value ==
              "Minimum level"]
    rules = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert rules[f"D{row}"] == f"AND(Inputs!$D${row}>=0,Inputs!$D${row}<=1)"


def test_years_reserves_would_last_read_as_on_the_terminal(tmp_path, capsys):
    # Before: the terminal and report said "would last about 12.4 years" (rounded down) and the
    # workbook's Reserves statement held 12.49, shown as 12.5.
    from mtfpmodel.cli import main

    out = tmp_path / "out"
    assert main(["run", str(SHIPPED[0].parent / "example.yaml"), "--out", str(out), "--no-charts"]) == 0
    assert "would last about 12.4 years" in capsys.readouterr().out
    rows = {r[0]: r for r in openpyxl.load_workbook(out / "mtfp.xlsx", data_only=True)["Reserves statement"]
            .iter_rows(values_only=True) if r[0]}
    assert 12.4 in rows["Years the final balance would last at that fall"]


def test_each_check_is_labelled_with_the_unit_it_is_measured_in(books):
    # The Band D check is in pounds whatever the scenario's unit, the cost-mix check is a share; the rest are money
    # in the scenario's unit (£000 here).
    _, written, _ = books["stretched"]
    checks = openpyxl.load_workbook(written)["Checks"]
    units = {checks.cell(r, 1).value: checks.cell(r, 3).value for r in range(1, checks.max_row + 1)
             if checks.cell(r, 1).value}
    assert units["Band D = brought forward + the increase of each part"] == "£"
    assert units["Each line's cost-mix shares add up to 100%"] == "share (1 = 100%)"
    assert units["Net gap = gross gap - savings + one-off costs"] == "£000"
