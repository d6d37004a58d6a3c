"""`mtfp import`: spreadsheets in, a commented scenario out — the same plan, every bad cell named."""
from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
import os
import random
import shutil
import zipfile
from pathlib import Path

import jsonschema
import numpy as np
import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_a_line_whose_pay_is_more_than_its_base_is_refused_as_validate_refuses_it(tmp_path, capsys):
    # Bug: import checked the fields only, not what the figures must hold, so it wrote a scenario
    # that 'mtfp validate' then refused. Resources and corporate services carries 25% of the NJC pay
    # bill and 45% of the chief officers' (£38,429k in the base year): a base of £20,000k cannot hold it.
    for source in DURHAM_BOOK.glob("*.csv"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    lines = tmp_path / "lines.csv"
    lines.write_text(lines.read_text(encoding="utf-8").replace("Resources and corporate services,,50000,",
                                                               "Resources and corporate services,,20000,"),
                     encoding="utf-8")
    assert main(["import", str(tmp_path), "--out", str(tmp_path / "out.yaml")]) == 1
    errors = capsys.readouterr().err
    assert (f"error: {lines}, cell C16: expenditure[Resources and corporate services].base: the line's workforce "
            "share (£38,429k) and contracts (£0) come to £38,429k in the base year, more than its base budget "
            "£20,000k") in errors, errors
    assert not (tmp_path / "out.yaml").exists()


def test_a_budget_book_folder_of_csv_files_gives_the_example_plan():
    """docs/budget-book is scenarios/example.yaml typed out as tables: same figures, same statuses."""
    imported = import_scenario([BOOK])
    ours = mtfpmodel.run(imported.loaded).summary
    example = mtfpmodel.run(mtfpmodel.load(ROOT / "scenarios" / "example.yaml")).summary
    numbers = [c for c in ours.columns if c not in ("year", "status")]
    np.testing.assert_allclose(ours[numbers].to_numpy(), example[numbers].to_numpy(), rtol=0, atol=1e-9)
    assert list(ours["status"]) == list(example["status"])


def budget_workbook(path: Path, titled: bool = False) -> Path:
    """docs/budget-book as one workbook, a sheet per table, typed as Excel would hold it; with
    ``titled``, each table under a title row such as 'Council tax — Northbrook budget book 2024/25'."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for stem, sheet in SHEETS.items():
        ws = book.create_sheet(sheet)
        if titled:
            ws.cell(1, 1).value = f"{sheet} — Northbrook budget book 2024/25"
        with open(BOOK / f"{stem}.csv", encoding="utf-8") as stream:
            for r, row in enumerate(csv.reader(stream), start=1 + titled):
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


def test_a_title_row_above_each_table_is_passed_over(tmp_path):
    # Before: a title ending in a year ('Council tax — Northbrook budget book 2024/25') was taken for
    # the Council tax and Settings tables' header row (a year column), and the import failed with
    # "unknown item 'Item'" and "'Tax base' has no value (fill in the Value column)".
    titled = import_scenario([budget_workbook(tmp_path / "titled.xlsx", titled=True)])
    plain = import_scenario([budget_workbook(tmp_path / "plain.xlsx")])
    assert without_sources(titled.loaded.data) == without_sources(plain.loaded.data)


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


def test_a_value_in_a_column_with_no_heading_is_an_error_naming_its_cell(tmp_path, capsys):
    # Before: exit 0 and the 9.5 in I3 (beyond the last heading, Source in H) was dropped without
    # a word, as would be a figure typed under an empty heading between two headed columns.
    path = budget_workbook(tmp_path / "budget.xlsx")
    book = openpyxl.load_workbook(path)
    assert book["Lines"]["H1"].value == "Source" and book["Lines"]["I1"].value is None
    book["Lines"]["I3"] = 9.5
    book.save(path)
    out = tmp_path / "scenario.yaml"
    assert main(["import", str(path), "--out", str(out)]) == 1
    errors = capsys.readouterr().err
    assert f"{path}, sheet Lines, cell I3: a value (9.5) in a column with no heading" in errors, errors
    assert not out.exists()


def _book_with(tmp_path: Path, table: str, change) -> Path:
    """docs/budget-book copied to a folder, ``change(rows)`` applied to the rows of ``table``.csv."""
    folder = tmp_path / "book"
    shutil.copytree(BOOK, folder)
    with open(folder / f"{table}.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    change(rows)
    with open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return folder


@pytest.mark.parametrize("table, name, cell, first", [
    ("lines", "Adult social care", "A3", "row 2"),      # before: the second row's base (1) replaced 78,000
    ("assumptions", "pay", "A3", "row 2"),              # before: the second row's 9% pay award replaced 3.2%
])
def test_a_second_row_of_the_same_name_is_an_error_not_a_silent_overwrite(tmp_path, capsys, table, name, cell, first):
    def repeat(rows):
        again = list(rows[1])
        again[1] = "1" if table == "lines" else "9%"
        rows.insert(2, again)
    folder = _book_with(tmp_path, table, repeat)
    out = tmp_path / "scenario.yaml"
    assert main(["import", str(folder), "--out", str(out)]) == 1
    errors = capsys.readouterr().err
    assert (f"{folder}/{table}.csv, cell {cell}: a second row named '{name}' (the first is "
            f"{folder}/{table}.csv, {first})") in errors, errors
    assert not out.exists()


def test_a_near_duplicate_name_names_the_row_of_the_first(tmp_path, capsys):
    # Before: "... (names must be unique; the first is at --set)": imported cells have no line.
    folder = _book_with(tmp_path, "lines", lambda rows: rows[2].__setitem__(0, "adult social care "))
    assert main(["import", str(folder)]) == 1
    assert (f"{folder}/lines.csv, cell A3: a second row named 'adult social care', the same as 'Adult social "
            f"care' once spaces and capitals are ignored (the first is {folder}/lines.csv, row 2)"
            in capsys.readouterr().err)


def test_a_control_character_in_a_cell_is_an_error_naming_the_cell(tmp_path, capsys):
    # Before: blamed on "imported scenario:37", a line of YAML the officer never sees.
    folder = _book_with(tmp_path, "lines", lambda rows: rows[1].__setitem__(0, "Adult\x1b[31m social care"))
    assert main(["import", str(folder)]) == 1
    errors = capsys.readouterr().err
    assert (f"{folder}/lines.csv, cell A2: text holds the control character '\\x1b', which cannot be shown or "
            "saved") in errors, errors
    assert "imported scenario" not in errors


def test_a_path_given_twice_in_the_inputs_sheet_is_an_error(tmp_path, capsys):
    # Before: the later row won without a word (the pay award read from the row copied below).
    build_workbook(mtfpmodel.run(mtfpmodel.load(ROOT / "scenarios" / "example.yaml")), tmp_path / "mtfp.xlsx")
    book = openpyxl.load_workbook(tmp_path / "mtfp.xlsx")
    ws = book["Inputs"]
    path_col = next(c.column for c in ws[3] if c.value == "mtfp path")
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, path_col).value == "assumptions.pay")
    ws.cell(ws.max_row + 2, path_col).value = "assumptions.pay"
    last = ws.max_row
    for col in range(5, 10):
        ws.cell(last, col).value = 0.09
    book.save(tmp_path / "flexed.xlsx")
    assert main(["import", str(tmp_path / "flexed.xlsx")]) == 1
    errors = capsys.readouterr().err
    letter = openpyxl.utils.get_column_letter(path_col)
    assert (f"sheet Inputs, cell {letter}{last}: 'assumptions.pay' is given twice on this sheet (the first is "
            f"row {row})") in errors, errors


def flexed_workbook(folder: Path, scenario: str = "example", pay: float | None = None) -> Path:
    """mtfp.xlsx of a shipped scenario, with the pay award in 2026/27 set to ``pay`` if given."""
    path = folder / f"{scenario}.xlsx"
    build_workbook(mtfpmodel.run(mtfpmodel.load(ROOT / "scenarios" / f"{scenario}.yaml")), path)
    if pay is not None:
        book = openpyxl.load_workbook(path)
        ws = book["Inputs"]
        path_col = next(c.column for c in ws[3] if c.value == "mtfp path")
        row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, path_col).value == "assumptions.pay")
        ws.cell(row, 7).value = pay                  # column G: 2026/27
        book.save(path)
    return path


def test_a_file_given_beside_the_workbook_mtfp_run_wrote_is_an_error_not_ignored(tmp_path, capsys):
    # Before: 'mtfp import mtfp.xlsx durham.xlsx' (or 'mtfp.xlsx lines.csv') wrote the first workbook's
    # plan and never read the other file, without a word.
    first = flexed_workbook(tmp_path)
    second = flexed_workbook(tmp_path, "durham")
    for other in (second, BOOK / "lines.csv"):
        assert main(["import", str(first), str(other), "--out", str(tmp_path / "both.yaml")]) == 1
        errors = capsys.readouterr().err
        assert f"error: {other}: given beside {first}, a workbook mtfp run wrote" in errors, errors
        assert "import the workbook on its own" in errors
        assert not (tmp_path / "both.yaml").exists()
    # the folder mtfp run wrote holds its CSV files beside the workbook: which to read is asked, not guessed
    run_folder = tmp_path / "outputs"
    assert main(["run", str(ROOT / "scenarios" / "example.yaml"), "--out", str(run_folder), "--no-charts"]) == 0
    capsys.readouterr()
    assert main(["import", str(run_folder)]) == 1
    errors = capsys.readouterr().err
    assert (f"error: {run_folder}: this folder holds {run_folder / 'mtfp.xlsx'}, a workbook mtfp run wrote, whose "
            "sheet Inputs holds the whole plan, and other files that would not be read (council_tax.csv, ") in errors
    assert f"(import the workbook on its own: mtfp import {run_folder / 'mtfp.xlsx'})" in errors
    assert main(["import", str(BOOK), str(first)]) == 1
    assert f"error: {BOOK}: given beside {first}" in capsys.readouterr().err
    # the same workbook named twice is read once
    assert main(["import", str(first), str(tmp_path / ".." / tmp_path.name / first.name)]) == 0


def test_two_sheets_of_inputs_in_one_workbook_is_an_error_naming_both(tmp_path, capsys):
    # Before: with a copy of the Inputs sheet ('Inputs (2)', as Excel names a copy) holding the
    # flexed values, the original sheet was read and the flexed copy ignored.
    path = flexed_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book["Inputs"])
    copy.title = "Inputs (2)"
    book.save(path)
    assert main(["import", str(path)]) == 1
    errors = capsys.readouterr().err
    assert f"error: {path}, sheet Inputs (2): a second sheet of inputs (it has an 'mtfp path' column, as " \
           "sheet Inputs has)" in errors, errors
    assert "keep one" in errors


@pytest.mark.parametrize("title", ["inputs", "Inputs flexed", "Flexed inputs"])
def test_a_renamed_inputs_sheet_is_still_read(tmp_path, title):
    # Before: a sheet named anything but 'Inputs' (even 'inputs') was not read, and the workbook's
    # output sheets (Council tax, Reserves...) were taken for a budget book: 52 errors about them.
    path = flexed_workbook(tmp_path, pay=0.05)
    book = openpyxl.load_workbook(path)
    book["Inputs"].title = title
    book.save(path)
    imported = import_scenario([path])
    assert "pay:\n    value: {2025/26: 3.2%, 2026/27: 5%, 2027/28: 2.5%, 2028/29: 2.5%}" in imported.text
    assert f"read: sheet {title}" in imported.text


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


# --- hostile and damaged spreadsheets: a clear message naming the file, never a crash --------------

def _rewritten(source: Path, target: Path, change) -> Path:
    """``source`` (an .xlsx) with each part passed through ``change(name, bytes)`` (None drops it)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = change(item.filename, old.read(item.filename))
            if data is not None:
                new.writestr(item, data)
    return target


@pytest.fixture(scope="module")
def good_book(tmp_path_factory) -> Path:
    return budget_workbook(tmp_path_factory.mktemp("book") / "budget.xlsx")


def _sheet_of(book: Path, title: str) -> str:
    """The part name of sheet ``title`` in ``book``."""
    workbook = openpyxl.load_workbook(book, read_only=True)
    index = workbook.sheetnames.index(title) + 1
    workbook.close()
    return f"xl/worksheets/sheet{index}.xml"


@pytest.mark.parametrize("case, expected", [
    ("empty", "not an .xlsx workbook (it is not a zip archive"),
    ("text", "not an .xlsx workbook (it is not a zip archive"),
    ("truncated", "not an .xlsx workbook (it is not a zip archive"),
    ("xls", "an old-style .xls workbook or one protected by a password, not an .xlsx"),
    ("no content types", "cannot read this workbook (KeyError:"),
    ("broken sheet", "cannot read this workbook (ParseError:"),
    ("broken shared strings", "cannot read this workbook ("),
    ("broken styles", "cannot read this workbook ("),
])
def test_a_damaged_workbook_is_an_error_naming_the_file(good_book, tmp_path, capsys, case, expected):
    # Before: BadZipFile, ParseError and XMLSyntaxError escaped as "internal error" (exit 3).
    path = tmp_path / "budget.xlsx"
    data = good_book.read_bytes()
    lines = _sheet_of(good_book, "Lines")
    if case == "empty":
        path.write_bytes(b"")
    elif case == "text":
        path.write_text("scenario: not a workbook\n", encoding="utf-8")
    elif case == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif case == "xls":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    elif case == "no content types":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        source = good_book
        if case == "broken shared strings":       # the workbook mtfp run writes keeps its texts there
            source = tmp_path / "mtfp.xlsx"
            build_workbook(mtfpmodel.run(mtfpmodel.load(ROOT / "scenarios" / "example.yaml")), source)
        part = {"broken sheet": lines, "broken shared strings": "xl/sharedStrings.xml",
                "broken styles": "xl/styles.xml"}[case]
        assert part in zipfile.ZipFile(source).namelist()
        _rewritten(source, path, lambda name, b: b"<sst><si><t>cut" if name == part else b)
    assert main(["import", str(path), "--out", str(tmp_path / "out.yaml")]) == 1
    err = capsys.readouterr().err
    assert f"{path}: {expected}" in err, err
    assert "internal error" not in err and "Traceback" not in err
    assert not (tmp_path / "out.yaml").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(good_book, tmp_path, capsys):
    # 300 MiB of one repeated row compresses to well under a megabyte.
    lines = _sheet_of(good_book, "Lines")
    row = b'<row><c t="n"><v>1</v></c></row>'
    body = b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData>" \
           + row * (300 * 2**20 // len(row)) + b"</sheetData></worksheet>"
    path = _rewritten(good_book, tmp_path / "bomb.xlsx", lambda name, b: body if name == lines else b)
    assert path.stat().st_size < 2 * 2**20
    assert main(["import", str(path)]) == 1
    assert "the workbook unpacks to 300 MiB, too large for a budget book (at most 200 MiB)" in capsys.readouterr().err


def test_a_sheet_larger_than_any_plan_table_is_refused_naming_it(good_book, tmp_path, capsys):
    # A Lines sheet of 25,000 rows: over the 20,000-row limit, refused once the limit is passed.
    book = openpyxl.load_workbook(good_book)
    ws = book["Lines"]
    for r in range(ws.max_row + 1, 25_001):
        ws.cell(r, 1, f"Line {r}")
    book.save(tmp_path / "big.xlsx")
    assert main(["import", str(tmp_path / "big.xlsx")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'big.xlsx'}: sheet Lines is larger than a plan's table (more than 20,000 rows or " \
           "200,000 cells)" in err


def test_a_sheet_that_claims_to_be_huge_is_read_by_its_cells(good_book, tmp_path):
    # A saved size of A1:XFD1048576 (17 billion cells) with a few cells in it: read as the cells
    # there are (before, openpyxl's read-only mode would have padded every row to the claimed size).
    lines = _sheet_of(good_book, "Lines")

    def claim(name, data):
        if name != lines:
            return data
        text = data.decode("utf-8")
        if "<dimension" in text:
            start = text.index("<dimension")
            text = text[:start] + '<dimension ref="A1:XFD1048576"/>' + text[text.index(">", start) + 1:]
        else:
            text = text.replace("<sheetData", '<dimension ref="A1:XFD1048576"/><sheetData', 1)
        return text.encode("utf-8")

    book = openpyxl.load_workbook(good_book)
    book["Lines"].cell(20, 1, " ")     # a blank row 20: 20 rows padded to 16,384 columns pass the cell limit
    book.save(tmp_path / "blank_row.xlsx")
    path = _rewritten(tmp_path / "blank_row.xlsx", tmp_path / "claims.xlsx", claim)
    assert _plan(path) == _plan(good_book)


def test_sheets_that_are_not_tables_are_not_read(good_book, tmp_path):
    # A ledger of 30,000 rows beside the plan's tables is left alone, however large.
    book = openpyxl.load_workbook(good_book)
    ledger = book.create_sheet("Ledger")
    for r in range(1, 30_001):
        ledger.cell(r, 1, r)
    book.save(tmp_path / "with_ledger.xlsx")
    assert _plan(tmp_path / "with_ledger.xlsx") == _plan(good_book)


def _plan(book: Path) -> dict:
    """The scenario imported from ``book``, without what names the file (its name, the sources)."""
    return without_sources(import_scenario([book], name="plan").loaded.scenario.model_dump())


def test_openpyxl_warnings_do_not_reach_the_officer(good_book, tmp_path, capfd):
    # Defined names of a sheet that is gone: openpyxl warns (a UserWarning naming its own source
    # file) and reads the rest; the import says nothing of it.
    book = openpyxl.load_workbook(good_book)
    book.create_sheet("Notes")
    book.defined_names["note"] = openpyxl.workbook.defined_name.DefinedName("note", attr_text="Notes!$A$1",
                                                                            localSheetId=len(book.sheetnames) - 1)
    book.save(tmp_path / "named.xlsx")
    notes = _sheet_of(tmp_path / "named.xlsx", "Notes")
    path = _rewritten(tmp_path / "named.xlsx", tmp_path / "lost.xlsx", lambda name, b: None if name == notes else b)
    assert main(["import", str(path), "--out", str(tmp_path / "plan.yaml")]) == 0
    assert "Warning" not in capfd.readouterr().err


@pytest.mark.parametrize("case, expected", [
    ("rows", "larger than a plan's table (more than 20,000 rows or 200,000 cells)"),
    ("cells", "larger than a plan's table (more than 20,000 rows or 200,000 cells)"),
    ("field", "not a CSV table (field larger than field limit (131072), line 2)"),
    ("pipe", "is not a regular file (a device, pipe or socket) (name a .csv file)"),
])
def test_a_csv_file_beyond_any_plan_table_is_an_error_naming_it(tmp_path, capsys, case, expected):
    # Before: a 200,000-character field crashed (csv.Error, exit 3) and a named pipe hung for ever.
    path = tmp_path / "lines.csv"
    if case == "rows":
        path.write_text("Line,Base\n" + "".join(f"L{i},{i}\n" for i in range(25_000)), encoding="utf-8")
    elif case == "cells":
        path.write_text(",".join(["1"] * 250_000) + "\n", encoding="utf-8")
    elif case == "field":
        path.write_text('Line,Base\n"' + "x" * 200_000 + '",1\n', encoding="utf-8")
    else:
        os.mkfifo(path)
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: {expected}" in err, err


# --- mutated spreadsheets: whatever a cell holds, mtfp import answers, never crashes ---------------

CELL_VALUES = [None, True, False, 0, -1, 10**30, -(10**25), 1e308, -1e308, 5e-324, 2**63, "", " ", "text", "3%",
               "-inf", "nan", "1e400", "#DIV/0!", "#REF!", "=1/0", "=A1", "2025/26", "yes", "é ✓ 💷",
               "x" * 20_000, "tab\there", "1,000", "(1,234)", "£1,968.00", "\u202eevil"]


@pytest.fixture(scope="module")
def example_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("run") / "mtfp.xlsx"
    build_workbook(mtfpmodel.run(mtfpmodel.load(ROOT / "scenarios" / "example.yaml")), path)
    return path


@settings(max_examples=int(os.environ.get("MTFP_FUZZ_EXAMPLES", "300")) // 10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_no_cell_written_into_a_workbook_or_budget_book_knocks_import_over(example_book, tmp_path_factory, seed):
    rng = random.Random(seed)
    case = tmp_path_factory.mktemp("case")
    if rng.random() < 0.5:                      # the workbook mtfp run wrote: its Inputs sheet, or any sheet
        book = openpyxl.load_workbook(example_book)
        sheet = book["Inputs"] if rng.random() < 0.7 else book[rng.choice(book.sheetnames)]
        for _ in range(rng.randint(1, 4)):
            value = rng.choice(CELL_VALUES + [datetime.date(2025, 4, 1)])
            cell = sheet.cell(rng.randint(1, sheet.max_row + 2), rng.randint(1, sheet.max_column + 1))
            if not isinstance(cell, MergedCell):      # the covered part of a merged range holds no value
                cell.value = value
        book.save(case / "mtfp.xlsx")
        source = case / "mtfp.xlsx"
    else:                                       # a budget book of CSV files: a cell, a row or a heading
        source = case / "book"
        shutil.copytree(BOOK, source)
        path = rng.choice(sorted(source.glob("*.csv")))
        rows = list(csv.reader(path.open(encoding="utf-8")))
        for _ in range(rng.randint(1, 4)):
            r = rng.randrange(len(rows))
            action = rng.random()
            if action < 0.7 and rows[r]:
                rows[r][rng.randrange(len(rows[r]))] = str(rng.choice(CELL_VALUES))
            elif action < 0.85:
                del rows[r]
            else:
                rows.insert(r, list(rows[r]))
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)
    code, err = _import(source, case / "plan.yaml")
    assert code in (0, 1), err
    assert "internal error" not in err and "Traceback" not in err
    if code == 0:
        assert main(["validate", str(case / "plan.yaml")]) == 0      # what import writes, validates
    else:
        assert not (case / "plan.yaml").exists()
        assert all(line.startswith(("error: ", "  ")) or "problem" in line or not line.strip()
                   for line in err.splitlines()), err


def _import(source: Path, out: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["import", str(source), "--out", str(out)])
    return code, err.getvalue()


def test_an_empty_out_for_import_asks_for_a_file(tmp_path, capsys):
    assert main(["import", str(BOOK), "--out", ""]) == 2
    assert "mtfp import: error: --out '': give a file name (leave --out out to print the scenario)" in \
        capsys.readouterr().err


@pytest.mark.parametrize("command", ["import", "new"])
@pytest.mark.parametrize("where", ["folder", "no disk", "read-only"])
def test_a_scenario_file_that_cannot_be_written_is_an_error_not_a_crash(tmp_path, capsys, command, where):
    # Before: --out /proc/x.yaml was "internal error: FileNotFoundError" (exit 3), and --force
    # onto a folder an IsADirectoryError.
    target = {"folder": tmp_path / "plans.yaml", "no disk": Path("/proc/mtfp-test/plan.yaml"),
              "read-only": tmp_path / "locked" / "plan.yaml"}[where]
    if where == "folder":
        target.mkdir()
    elif where == "read-only":
        target.parent.mkdir()
        target.parent.chmod(0o500)
        if os.access(target.parent, os.W_OK):
            pytest.skip("root writes through chmod")
    argv = (["import", str(BOOK), "--out", str(target)] if command == "import" else ["new", str(target)]) + ["--force"]
    try:
        assert main(argv) == 1
    finally:
        if where == "read-only":
            target.parent.chmod(0o700)
    err = capsys.readouterr().err
    assert f"cannot write {target}: " in err and "internal error" not in err, err
    assert [p.name for p in tmp_path.rglob(".*")] == []                # no temporary file left behind


@pytest.mark.parametrize("command", ["import", "new"])
def test_a_written_scenario_file_is_readable_as_any_new_file_is(tmp_path, command):
    # Before: written through mkstemp, a new scenario file was the owner's alone (-rw-------).
    target = tmp_path / "plan.yaml"
    old = os.umask(0o022)
    try:
        argv = ["import", str(BOOK), "--out", str(target)] if command == "import" else ["new", str(target)]
        assert main(argv) == 0
        assert target.stat().st_mode & 0o777 == 0o644
        target.chmod(0o640)                                       # replaced, a file keeps its permissions
        assert main(argv + ["--force"]) == 0
        assert target.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)


@pytest.mark.parametrize("name", ["", "   "])
def test_mtfp_new_needs_a_name(tmp_path, monkeypatch, capsys, name):
    # Before: '' was "internal error: ValueError" and '   ' wrote a file called '   .yaml'.
    monkeypatch.chdir(tmp_path)
    assert main(["new", name]) == 2
    assert f"mtfp new: error: NAME {name!r}: give a file name" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
