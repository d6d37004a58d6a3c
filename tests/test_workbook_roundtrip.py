"""Round trip: change an input cell in the workbook, recalculate in LibreOffice, and get `mtfp run --set`'s plan.

Each change edits one cell of the Inputs sheet (found by its mtfp path) with openpyxl; every changed
workbook is recalculated in one headless LibreOffice process, which writes each sheet's values as CSV
(twice as fast as writing xlsx, and quick to read back). Every Summary, gap table and reserves figure —
each reserve's year as reserves.csv has it, the reserves statement with its findings, and the council tax
table — must equal the engine's run of the same change (``load(path, ["PATH=VALUE"])``) to 1e-6 of a unit.
The fixture has every block of a scenario; the named changes are the ones officers make most (the issue's
list, then the new blocks' inputs and switches), the rest are drawn at random (seeded) from every numeric
input.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import openpyxl
import pytest

import libreoffice
import mtfpmodel
from mtfpmodel.outputs.statements import UNFUNDED_LAST
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.outputs.workbook import write_workbook
from mtfpmodel.outputs.workbook import statement as statement_sheet
from mtfpmodel.outputs.workbook.counciltax import table_rows
from mtfpmodel.outputs.workbook.summary import SUMMARY_ROWS

FIXTURE = Path(__file__).parent / "scenarios" / "workbook_blocks.yaml"
SEED = 13
CHANGES = 30
TOLERANCE = 1e-6
FIRST_YEAR = 5   # column E (1-based) is the base year; projection year t is column E + t
NAMED = (        # (path, year or None, new value or None for a drawn one)
    ("assumptions.pay", 2, None),
    ("expenditure[Children's social work].base", None, None),
    ("expenditure[Waste and highways].demand", 3, None),
    ("funding.council_tax.increase.core", 1, None),
    ("funding.grants[Employer NI compensation].values", 2, None),
    ("savings[Office consolidation].reduction", None, None),
    ("savings[Office consolidation].capital.amount", 1, None),
    ("reserves[Transformation reserve].planned_use", 2, 2500.0),
    ("reserves[General fund balance].contributions", 3, 750.0),
    ("reserves[General fund balance].opening", None, 2500.0),
    ("funding.grants[Children's Social Care Prevention Grant].ends", None, "2025/26"),
    ("funding.grants[Revenue Support Grant].ends", None, "2026/27"),
    ("funding.grants[Employer NI compensation].certainty", None, "indicative"),
    ("expenditure[Residential placements].volume.base", None, None),
    ("expenditure[Day care].volume.values", 2, None),
    ("expenditure[Residential placements].unit_cost", None, None),
    ("workforce.groups[Social care staff].fte", None, None),
    ("workforce.employer_ni.rate", 2, None),
    ("contracts[Waste disposal].cap", None, 0.03),
    ("capital_programme[Highways structures].borrowing", 2, None),
    ("capital_financing.borrowing_rate", 1, None),
    ("reserves[Budget smoothing reserve].meets_gap", None, True),
    ("reserves[Public health reserve].ring_fenced", None, False),
    ("savings[Service reviews].funded_by", None, "reserves"),
    ("capital_programme[Fleet].method", None, "annuity"),
)
NOT_DRAWN = (".cost_mix.", ".pay_from.", "discount_rate", ".life", ".lag", ".cap", ".collar", "years")


@dataclass
class Change:
    path: str
    year: int | None          # projection year 1..T for a series, None for one value
    cell: str
    value: object
    override: str             # the same change as `--set PATH=VALUE`


def input_rows(ws) -> dict[str, int]:
    """mtfp path → row number on the Inputs sheet."""
    path_col = next(c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value == "mtfp path")
    return {ws.cell(r, path_col).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, path_col).value}


def new_value(rng, old, unit: str):
    """A plausible new value for an input: rates move a few points, amounts by up to half."""
    if isinstance(old, bool):
        return not old
    if "%" in unit or "share" in unit:
        value = old + rng.uniform(-0.02, 0.03)
        return min(max(value, 0.0), 1.0) if "share" in unit or "of " in unit else value
    return old * rng.uniform(0.6, 1.4) if old else rng.uniform(10, 500)


def yaml_number(value, unit: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if "of net expenditure" in unit:
        return f"'{value * 100!r}%'"
    return repr(float(value)) if not isinstance(value, int) else str(value)


def plan_changes(book, cached, years: int) -> list[Change]:
    rng = np.random.default_rng(SEED)
    ws, values = book["Inputs"], cached["Inputs"]
    rows = input_rows(ws)
    named = {path for path, _, _ in NAMED}
    numeric = [p for p, r in rows.items()
               if p not in named and not any(part in p for part in NOT_DRAWN)
               and any(isinstance(values.cell(r, c).value, (int, float)) and not isinstance(values.cell(r, c).value, bool)
                       for c in range(4, FIRST_YEAR + years + 1))]
    drawn = [numeric[i] for i in rng.choice(len(numeric), CHANGES - len(NAMED), replace=False)]
    plan = []
    for path, year, new in list(NAMED) + [(p, None, None) for p in drawn]:
        row, unit = rows[path], ws.cell(rows[path], 3).value or ""
        scalar_col = next((c for c in (4, FIRST_YEAR) if values.cell(row, c).value is not None
                           or ws.cell(row, c).value is not None), None)
        series = scalar_col is None
        if series:
            year = year or int(rng.integers(1, years + 1))
            col = FIRST_YEAR + year
        else:
            year, col = None, scalar_col
        old = values.cell(row, col).value
        if new is None:
            new = new_value(rng, old, unit)
        if series:
            whole = [values.cell(row, FIRST_YEAR + t).value for t in range(1, years + 1)]
            whole[year - 1] = new
            text = "[" + ", ".join(yaml_number(v, unit) for v in whole) + "]"
        else:
            text = yaml_number(new, unit)
        plan.append(Change(path, year, f"{openpyxl.utils.get_column_letter(col)}{row}", new, f"{path}={text}"))
    return plan


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    work = tmp_path_factory.mktemp("roundtrip")
    result = mtfpmodel.run(mtfpmodel.load(FIXTURE))
    with staged_output(work / "base") as staging:
        write_workbook(result, staging)
    original = work / "base" / "mtfp.xlsx"
    cached = openpyxl.load_workbook(original, data_only=True)
    book = openpyxl.load_workbook(original)
    plan = plan_changes(book, cached, result.scenario.years)
    files = []
    for n, change in enumerate(plan):
        cell = book["Inputs"][change.cell]
        before, cell.value = cell.value, change.value
        files.append(work / f"change{n:02d}.xlsx")
        book.save(files[-1])
        cell.value = before
    out = libreoffice.convert(files, work, to="csv")
    return [(change, out, f.stem) for change, f in zip(plan, files)]


class Compare:
    """Collects the differences between the workbook's figures and the engine's."""

    def __init__(self):
        self.largest, self.wrong, self.count = 0.0, [], 0

    def __call__(self, where: str, got, want) -> None:
        self.count += 1
        if isinstance(want, str) or want is None:
            if got != want:
                self.wrong.append(f"{where}: workbook {got!r}, engine {want!r}")
            return
        gap = abs(got - want) if isinstance(got, (int, float)) else math.inf
        self.largest = max(self.largest, gap)
        if gap > TOLERANCE:
            self.wrong.append(f"{where}: workbook {got!r}, engine {want!r}")


def by_label(out: Path, stem: str, sheet: str, columns: int = 1) -> dict:
    """A sheet's rows by their label (column A, or columns A and B)."""
    rows = libreoffice.sheet_values(out, stem, sheet)
    return {tuple(row[:columns]) if columns > 1 else row[0]: row for row in rows if row and row[0]}


def year(row: list, t: int):
    return row[FIRST_YEAR - 1 + t] if FIRST_YEAR - 1 + t < len(row) else None


def compare_plan(out: Path, stem: str, expected, check: Compare) -> None:
    """Summary, gap table, each reserve's year, the reserves statement and the council tax table."""
    r, labels, T = expected.results, expected.labels, expected.scenario.years
    summary = by_label(out, stem, "Summary")
    for label, key, start, _ in SUMMARY_ROWS:
        for t in range(start, T + 1):
            if key == "status":
                want = expected.summary["status"][t - 1]
            elif key == "reserve_costs_met":         # what the reserves paid, as reserves.csv
                want = float(r.reserve_flows.implementation_costs[0, :, t].sum())
            else:
                want = float(np.broadcast_to(getattr(r, key), r.net_gap.shape)[0, t])
            check(f"Summary {label} {labels[t]}", year(summary[label], t), want)
    gap = by_label(out, stem, "Gap table")
    table = expected.gap_table
    for i, item in enumerate(table["item"]):
        for t in range(1, T + 1):
            want = float(table.loc[i, labels[t]])
            if item == "Planned use of reserves" and item not in gap:      # one row per reserve in the workbook
                got = sum(year(row, t) for name, row in gap.items() if name.startswith("Planned use of reserves:"))
            else:
                got = year(gap[item], t)
            check(f"Gap table {item} {labels[t]}", got, want)
    reserves = by_label(out, stem, "Reserves", columns=2)
    for _, row in expected.reserves.iterrows():
        t = labels.index(row["year"])
        for column, detail in (("opening", "opening balance"), ("contributions", "contribution"),
                               ("planned_use", "planned use"), ("implementation_costs", "implementation costs"),
                               ("unplanned_use", "unplanned use"), ("surplus_added", "surplus added"),
                               ("closing", "closing balance")):
            check(f"Reserves {row['reserve']} {column} {row['year']}", year(reserves[(row["reserve"], detail)], t),
                  float(row[column]))
    statement = by_label(out, stem, "Reserves statement")
    s = expected.reserves_statement
    for _, row in s.table.iterrows():
        for t in range(0 if not np.isnan(row[labels[0]]) else 1, T + 1):
            check(f"Reserves statement {row['item']} {labels[t]}", year(statement[row["item"]], t), float(row[labels[t]]))
    for label, want in ((statement_sheet.RUN_OUT, s.run_out or statement_sheet.NONE_RUN_OUT),
                        (statement_sheet.FALL, s.average_fall),
                        (statement_sheet.LAST, UNFUNDED_LAST if s.gap_unfunded     # not given, as the terminal
                         else math.floor(s.years_last * 10) / 10 if s.years_last is not None
                         else statement_sheet.NOT_FALLING),      # rounded down, as "about 12.4 years" says
                        (statement_sheet.FINAL, s.final_year_drawn)):
        check(f"Reserves statement {label}", statement[label][3], want)
    tax = by_label(out, stem, "Council tax")
    for label, key, _, _, start in table_rows(expected.scenario):
        column = expected.council_tax[key.removeprefix("ct:")]
        for t in range(start, T + 1):
            check(f"Council tax {label} {labels[t]}", year(tax[label], t), float(column[t]))


def test_every_input_change_in_the_workbook_gives_the_engines_plan(round_trip):
    assert len(round_trip) >= 20
    problems, largest, figures = [], 0.0, 0
    for change, out, stem in round_trip:
        expected = mtfpmodel.run(mtfpmodel.load(FIXTURE, [change.override]))
        check = Compare()
        compare_plan(out, stem, expected, check)
        largest, figures = max(largest, check.largest), figures + check.count
        problems += [f"{change.cell} ({change.override}): {w}" for w in check.wrong]
    print(f"\nround trip: {len(round_trip)} input changes recalculated in LibreOffice, {figures} figures compared; "
          f"largest difference from mtfp run --set {largest:.2e} of a unit")
    assert not problems, "\n".join(problems[:30])


def test_the_changes_cover_what_officers_flex(round_trip):
    paths = {change.path for change, _, _ in round_trip}
    assert {path for path, _, _ in NAMED} <= paths
    assert len(paths) == len(round_trip)      # no input changed twice
    for block in ("workforce.", "contracts[", "capital_programme[", "capital_financing.", "reserves[",
                  "expenditure[Day care].volume", "funding.grants["):
        assert any(path.startswith(block) for path in paths), block
