"""`mtfp import`: spreadsheets in, a commented scenario out — the same plan, every bad cell named."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import numpy as np
import openpyxl
import pytest
import yaml

import mtfpmodel
from mtfpmodel.cli import main
from mtfpmodel.outputs.imports import import_scenario
from mtfpmodel.outputs.imports.yamltext import percent_text
from mtfpmodel.outputs.workbook import build_workbook

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
VARIETY = ROOT / "tests" / "scenarios" / "workbook_variety.yaml"
BLOCKS = ROOT / "tests" / "scenarios" / "workbook_blocks.yaml"     # every block of a scenario
EDGES = ROOT / "tests" / "scenarios" / "workbook_edges.yaml"       # reserves: [], a bare contract...
BOOK = ROOT / "docs" / "budget-book"
DURHAM_BOOK = ROOT / "docs" / "budget-book-durham"                # cost drivers, capital, named reserves
SHEETS = {"settings": "Settings", "assumptions": "Assumptions", "lines": "Lines", "pressures": "Pressures",
          "council_tax": "Council tax", "grants": "Grants", "reserves": "Reserves", "savings": "Savings"}


def summary_csv(result) -> str:
    """summary.csv as `mtfp run` writes it."""
    return result.summary.to_csv(index=False, float_format="%.17g")


@pytest.mark.parametrize("scenario", SHIPPED + [VARIETY, BLOCKS, EDGES], ids=lambda p: p.stem)
def test_importing_the_workbook_mtfp_run_wrote_gives_the_same_summary(scenario, tmp_path):
    result = mtfpmodel.run(mtfpmodel.load(scenario))
    build_workbook(result, tmp_path / "mtfp.xlsx")
    imported = import_scenario([tmp_path / "mtfp.xlsx"])
    (tmp_path / "back.yaml").write_text(imported.text, encoding="utf-8")
    again = mtfpmodel.run(mtfpmodel.load(tmp_path / "back.yaml"))
    assert summary_csv(again) == summary_csv(result)
    for table in ("lines", "savings", "funding", "streams", "reserves", "gap_table", "council_tax", "workforce",
                  "contracts", "capital"):
        assert getattr(again, table).equals(getattr(result, table)), table


def test_mtfp_run_then_mtfp_import_then_mtfp_run_writes_the_same_summary_csv(tmp_path, capsys):
    assert main(["run", str(ROOT / "scenarios" / "example.yaml"), "--out", str(tmp_path / "a"), "--no-charts"]) == 0
    assert main(["import", str(tmp_path / "a" / "mtfp.xlsx"), "--out", str(tmp_path / "example.yaml")]) == 0
    assert "wrote" in capsys.readouterr().out
    assert main(["run", str(tmp_path / "example.yaml"), "--out", str(tmp_path / "b"), "--no-report",
                 "--no-charts"]) == 0
    assert (tmp_path / "a" / "summary.csv").read_text() == (tmp_path / "b" / "summary.csv").read_text()


def test_an_input_changed_in_the_workbook_comes_back_in_the_scenario(tmp_path):
    """Flex pay in 2026/27 in mtfp.xlsx (as an officer would), import: the plan is mtfp run --set's."""
    path = ROOT / "scenarios" / "example.yaml"
    build_workbook(mtfpmodel.run(mtfpmodel.load(path)), tmp_path / "mtfp.xlsx")
    book = openpyxl.load_workbook(tmp_path / "mtfp.xlsx")
    ws = book["Inputs"]
    path_col = next(c.column for c in ws[3] if c.value == "mtfp path")
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, path_col).value == "assumptions.pay")
    ws.cell(row, 7).value = 0.05                     # column G: 2026/27
    book.save(tmp_path / "flexed.xlsx")              # openpyxl keeps no cached values: links are read as links
    imported = import_scenario([tmp_path / "flexed.xlsx"])
    assert "pay:\n    value: {2025/26: 3.2%, 2026/27: 5%, 2027/28: 2.5%, 2028/29: 2.5%}" in imported.text
    assert "growth: prices" in imported.text        # business rates still follow the prices assumption
    expected = mtfpmodel.run(mtfpmodel.load(path, ["assumptions.pay=[3.2%, 5%, 2.5%, 2.5%]"]))
    assert summary_csv(mtfpmodel.run(imported.loaded)) == summary_csv(expected)


def test_flexing_the_new_blocks_in_the_workbook_comes_back_in_the_scenario(tmp_path):
    """A reserve's planned use, a grant's end, an FTE and a scheme's borrowing changed in mtfp.xlsx, then imported."""
    build_workbook(mtfpmodel.run(mtfpmodel.load(BLOCKS)), tmp_path / "mtfp.xlsx")
    book = openpyxl.load_workbook(tmp_path / "mtfp.xlsx")
    ws = book["Inputs"]
    path_col = next(c.column for c in ws[3] if c.value == "mtfp path")
    rows = {ws.cell(r, path_col).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, path_col).value}
    ws.cell(rows["reserves[General fund balance].planned_use"], 8).value = 1250      # column H: 2027/28
    ws.cell(rows["funding.grants[Revenue Support Grant].ends"], 4).value = "2026/27"
    ws.cell(rows["workforce.groups[Managers].fte"], 4).value = 45
    ws.cell(rows["capital_programme[Schools condition].borrowing"], 6).value = 500  # column F: 2025/26
    ws.cell(rows["funding.grants[Recovery Grant].ends"], 4).value = None             # the grant no longer ends
    book.save(tmp_path / "flexed.xlsx")
    imported = import_scenario([tmp_path / "flexed.xlsx"])
    assert "planned_use: {2027/28: 1250}" in imported.text and "ends: 2026/27" in imported.text
    expected = mtfpmodel.run(mtfpmodel.load(BLOCKS, [
        "reserves[General fund balance].planned_use=[0, 0, 1250, 0]", "funding.grants[Revenue Support Grant].ends=2026/27",
        "workforce.groups[Managers].fte=45", "capital_programme[Schools condition].borrowing=[500, 0, 0, 0]",
        "funding.grants[Recovery Grant].ends=null"]))
    assert summary_csv(mtfpmodel.run(imported.loaded)) == summary_csv(expected)


def test_a_budget_book_of_cost_drivers_capital_and_reserves_gives_the_durham_plan():
    """docs/budget-book-durham is scenarios/durham.yaml typed out as tables: volume-driven lines with pay groups,
    on-costs, contracts, grants that end or are not certain, named reserves, a capital programme and its financing."""
    imported = import_scenario([DURHAM_BOOK])
    ours, durham = mtfpmodel.run(imported.loaded), mtfpmodel.run(mtfpmodel.load(ROOT / "scenarios" / "durham.yaml"))
    assert summary_csv(ours) == summary_csv(durham)
    for table in ("lines", "reserves", "workforce", "contracts", "capital", "council_tax"):
        assert getattr(ours, table).equals(getattr(durham, table)), table
    text = imported.text
    assert "volume: {base: 115, growth: children_looked_after}" in text
    assert "pay_from: {NJC local pay: 20%, Chief officers and senior managers: 15%, In-house care staff: 45%}" in text
    assert "moves_from: \"Children looked after: external residential placements\"" in text
    assert "certainty: indicative" in text and "ends: 2025/26" in text and "method: straight_line" in text


def test_reserves_as_the_older_key_value_table_still_import(tmp_path):
    for source in BOOK.glob("*.csv"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "reserves.csv").write_text("Item,Value\nOpening reserves,20000\nMinimum reserves,5%\n"
                                           "Use reserves to balance,yes\n", encoding="utf-8")
    reserves = import_scenario([tmp_path]).loaded.scenario.reserves
    assert (reserves.opening, reserves.minimum, reserves.use_to_balance) == (20000, "5%", True)


DURHAM_BAD = {   # file: (text to find, replacement) — each one bad cell of the new tables
    "reserves.csv": ("MTFP support reserve,earmarked", "MTFP support reserve,earmarkd"),
    "pay_groups.csv": ("NJC local pay,4100", "NJC local pay,lots"),
    "contracts.csv": (",3.5%,5%,0%,", ",3.5%,5,0%,"),
    "capital_programme.csv": ("Fleet and ICT replacement,7,straight line", "Fleet and ICT replacement,7,straight"),
    "grants.csv": (",,,,,indicative,,", ",,,,,likely,,"),
}


def test_a_bad_cell_in_the_new_tables_names_file_cell_and_field(tmp_path, capsys):
    for source in DURHAM_BOOK.glob("*.csv"):
        text = source.read_text(encoding="utf-8")
        if source.name in DURHAM_BAD:
            old, new = DURHAM_BAD[source.name]
            assert old in text, source.name
            text = text.replace(old, new)
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    assert main(["import", str(tmp_path), "--out", str(tmp_path / "out.yaml")]) == 1
    errors = capsys.readouterr().err
    for expected in (f"{tmp_path}/reserves.csv, cell B2: reserves[MTFP support reserve].kind:",
                     f"{tmp_path}/pay_groups.csv, cell B2: workforce.groups[NJC local pay].fte: 'lots' is not a number",
                     f"{tmp_path}/contracts.csv, cell G2: contracts[Waste treatment and disposal contract].cap: 5 looks "
                     "like a percentage",
                     f"{tmp_path}/capital_programme.csv, cell C6: capital_programme[Fleet and ICT replacement].method:",
                     f"{tmp_path}/grants.csv, cell K7: funding.grants[Employer NI compensation].certainty:"):
        assert expected in errors, errors
    assert not (tmp_path / "out.yaml").exists()


def test_a_budget_book_folder_of_csv_files_gives_the_example_plan():
    """docs/budget-book is scenarios/example.yaml typed out as tables: same figures, same statuses."""
    imported = import_scenario([BOOK])
    ours = mtfpmodel.run(imported.loaded).summary
    example = mtfpmodel.run(mtfpmodel.load(ROOT / "scenarios" / "example.yaml")).summary
    numbers = [c for c in ours.columns if c not in ("year", "status")]
    np.testing.assert_allclose(ours[numbers].to_numpy(), example[numbers].to_numpy(), rtol=0, atol=1e-9)
    assert list(ours["status"]) == list(example["status"])


def budget_workbook(path: Path) -> Path:
    """docs/budget-book as one workbook, a sheet per table, typed as Excel would hold it."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for stem, sheet in SHEETS.items():
        ws = book.create_sheet(sheet)
        with open(BOOK / f"{stem}.csv", encoding="utf-8") as stream:
            for r, row in enumerate(csv.reader(stream), start=1):
                for c, text in enumerate(row, start=1):
                    cell = ws.cell(r, c)
                    if text.endswith("%") and text[:-1].lstrip("-").replace(".", "").isdigit():
                        cell.value, cell.number_format = float(text[:-1]) / 100, "0.0%"
                    else:
                        try:
                            cell.value = float(text) if text else None
                        except ValueError:
                            cell.value = text
    book.save(path)
    return path


def without_sources(data):
    """A scenario's data without its source texts (they name the file each item came from), numbers to 12
    significant figures (openpyxl saves 2.99% as 0.0299, while '2.99%' in a CSV reads as 2.99 / 100)."""
    if isinstance(data, dict):
        return {k: without_sources(v) for k, v in data.items() if k != "source"}
    if isinstance(data, (list, tuple)):
        return [without_sources(v) for v in data]
    if isinstance(data, float):
        return float(f"{data:.12g}")
    return data


def test_a_budget_book_workbook_with_named_sheets_gives_the_same_scenario(tmp_path):
    from_csv = import_scenario([BOOK]).loaded.scenario
    from_xlsx = import_scenario([budget_workbook(tmp_path / "budget.xlsx")])
    assert without_sources(from_xlsx.loaded.scenario.model_dump()) == without_sources(from_csv.model_dump())
    source = from_xlsx.loaded.scenario.expenditure[1].source
    assert source == f"Budget book 2024/25 (from {tmp_path / 'budget.xlsx'}, sheet Lines, row 3)"


def test_csv_files_given_one_by_one(tmp_path):
    files = [BOOK / f"{stem}.csv" for stem in ("settings", "lines", "council_tax", "grants", "savings",
                                               "assumptions")]
    imported = import_scenario(files)
    s = imported.loaded.scenario
    assert [line.name for line in s.expenditure][:2] == ["Adult social care", "Children's social care"]
    assert not s.pressures and s.base_year == "2024/25" and s.years == 4
    assert s.funding.business_rates.growth.ref == "prices"


def test_the_yaml_is_commented_readable_and_valid(tmp_path):
    text = import_scenario([BOOK]).text
    data = yaml.safe_load(text)
    schema = json.loads((ROOT / "scenario.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert text.startswith("# Scenario imported with `mtfp import` from")
    assert "# Budget lines: base-year budget, cost mix" in text
    assert "value: {2025/26: 3.2%, 2026/27: 3%, 2027/28: 2.5%, 2028/29: 2.5%}" in text   # years as 2025/26
    assert "cost_mix: {pay: 20%, care_fees: 75%, prices: 5%}" in text
    assert "kind: share_of_line" in text and "confidence: amber" in text
    assert "Total" not in [line["name"] for line in data["expenditure"]]         # the total row is skipped
    sources = [line["source"] for line in data["expenditure"]]
    assert sources[0] == f"Budget book 2024/25; demand assumed (ageing population) (from {BOOK}/lines.csv, row 2)"
    assert all(f"{BOOK}/lines.csv, row {n})" in text for n, text in enumerate(sources, start=2))


@pytest.mark.parametrize("value", [0.0299, 0.032, -0.05, 0.029900000000000003, 1 / 3, 0.1 + 0.2, 0.0])
def test_percentages_are_written_exactly(value):
    text = percent_text(value)
    assert (float(text[:-1]) / 100 if text.endswith("%") else float(text)) == value


BAD = {   # file: (line to find, replacement) — each one bad cell
    "lines.csv": ("Children's social care,42000", "Children's social care,lots"),
    "assumptions.csv": ("pay,3.2%", "pay,3.2"),
    "savings.csv": ("Fees and charges review,fixed,green", "Fees and charges review,fixed,blue"),
    "grants.csv": ("Social Care Grant,19000,,21500", "Social Care Grant,19000,,twenty"),
}


def test_every_bad_cell_is_an_error_naming_file_cell_and_field(tmp_path, capsys):
    folder = tmp_path / "book"
    folder.mkdir()
    for source in BOOK.glob("*.csv"):
        text = source.read_text(encoding="utf-8")
        if source.name in BAD:
            old, new = BAD[source.name]
            assert old in text
            text = text.replace(old, new)
        (folder / source.name).write_text(text, encoding="utf-8")
    out = tmp_path / "scenario.yaml"
    assert main(["import", str(folder), "--out", str(out)]) == 1
    errors = capsys.readouterr().err
    assert not out.exists()
    for expected in (f"{folder}/lines.csv, cell B3: expenditure[Children's social care].base: 'lots' is not a number",
                     f"{folder}/assumptions.csv, cell B2: assumptions.pay.value: 3.2 looks like a percentage",
                     f"{folder}/savings.csv, cell C6: savings[Fees and charges review].confidence: unknown RAG",
                     f"{folder}/grants.csv, cell D4: funding.grants[Social Care Grant].values:"):
        assert expected in errors, errors
    assert "4 problems found; nothing was written." in errors


def test_a_bad_cell_in_a_workbook_names_the_sheet(tmp_path, capsys):
    path = budget_workbook(tmp_path / "budget.xlsx")
    book = openpyxl.load_workbook(path)
    book["Lines"]["B3"] = "lots"
    book["Lines"]["H1"] = "Bsae"
    book.save(path)
    assert main(["import", str(path)]) == 1
    errors = capsys.readouterr().err
    assert f"{path}, sheet Lines, cell H1: unknown column 'Bsae'" in errors


def test_an_existing_file_is_not_overwritten_without_force(tmp_path, capsys):
    out = tmp_path / "scenario.yaml"
    out.write_text("keep me", encoding="utf-8")
    assert main(["import", str(BOOK), "--out", str(out)]) == 1
    assert out.read_text() == "keep me" and "--force" in capsys.readouterr().err
    assert main(["import", str(BOOK), "--out", str(out), "--force"]) == 0
    assert mtfpmodel.load(out).scenario.scenario == "northbrook-budget-book"


def test_a_plan_needs_lines_and_council_tax(tmp_path, capsys):
    assert main(["import", str(BOOK / "grants.csv"), str(BOOK / "savings.csv")]) == 1
    errors = capsys.readouterr().err
    assert "no budget lines were found (add a sheet (or CSV file) named Lines)" in errors
    assert "no council tax was found" in errors


def test_tables_it_cannot_read(tmp_path, capsys):
    (tmp_path / "budget.csv").write_text("Line,Base\nA,1\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("anything\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "notes.csv")]) == 1
    assert "no table is called 'notes'" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "readme.txt")]) == 1
    assert "not a spreadsheet" in capsys.readouterr().err
