"""Round trip: change an input cell in the workbook, recalculate in LibreOffice, and get `mtfp run --set`'s plan.

Each change edits one cell of the Inputs sheet (found by its mtfp path) with openpyxl; every changed
workbook is recalculated in one headless LibreOffice process, which writes each sheet's values as CSV
(twice as fast as writing xlsx, and quick to read back); every Summary and Gap table figure
must equal the engine's run of the same change (``load(path, ["PATH=VALUE"])``) to 1e-6 of a unit.
Eight changes are the ones an officer makes most (named in the issue); the rest are drawn at random
(seeded) from every numeric input of the fixture, which has every kind of stream, capital and reserves.
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
from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.outputs.workbook import write_workbook
from mtfpmodel.outputs.workbook.summary import SUMMARY_ROWS
from mtfpmodel.results.gaptable import gap_table

FIXTURE = Path(__file__).parent / "reports" / "stretched.yaml"
SEED = 13
CHANGES = 24
TOLERANCE = 1e-6
FIRST_YEAR = 5   # column E (1-based) is the base year; projection year t is column E + t
NAMED = (        # (path, year or None): the changes the issue names, then two words and a switch
    ("assumptions.pay", 2),
    ("expenditure[Children's social care].base", None),
    ("expenditure[Adult social care].demand", 3),
    ("funding.council_tax.increase.core", 1),
    ("funding.grants[Social Care Grant].values", 2),
    ("savings[Shared back office].reduction", None),
    ("savings[LED street lighting].capital.amount", 1),
    ("reserves.opening", None),
    ("reserves.use_to_balance", None),
    ("savings[Digital front door].funded_by", None),
    ("savings[LED street lighting].capital.method", None),
)
NOT_DRAWN = (".cost_mix.", "discount_rate", ".capital.life", "years")   # shares must add to 100%; no effect


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


def series_values(ws, row: int, years: int, cached) -> list:
    """The row's values for years 1..T, following links (formulas) to their cached values."""
    return [cached.cell(row, FIRST_YEAR + t).value for t in range(1, years + 1)]


def new_value(rng, old, unit: str):
    """A plausible new value for an input: rates move a few points, amounts by up to half."""
    if isinstance(old, bool):
        return not old
    if "%" in unit or "share" in unit:
        value = old + rng.uniform(-0.02, 0.03)
        return min(max(value, 0.0), 1.0) if "share" in unit or "of base" in unit else value
    if unit == "years":
        return int(rng.integers(5, 40))
    return old * rng.uniform(0.6, 1.4) + rng.uniform(10, 500)


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
    named = {path for path, _ in NAMED}
    numeric = [p for p, r in rows.items()
               if p not in named and not any(part in p for part in NOT_DRAWN)
               and any(isinstance(values.cell(r, c).value, (int, float)) and not isinstance(values.cell(r, c).value, bool)
                       for c in range(4, FIRST_YEAR + years + 1))]
    drawn = [numeric[i] for i in rng.choice(len(numeric), CHANGES - len(NAMED), replace=False)]
    plan = []
    for path, year in list(NAMED) + [(p, None) for p in drawn]:
        row, unit = rows[path], ws.cell(rows[path], 3).value or ""
        scalar_col = next((c for c in (4, FIRST_YEAR) if values.cell(row, c).value is not None), None)
        series = scalar_col is None
        if series:
            year = year or int(rng.integers(1, years + 1))
            col = FIRST_YEAR + year
        else:
            year, col = None, scalar_col
        old = values.cell(row, col).value
        if path.endswith(".funded_by"):
            new = "reserves" if old != "reserves" else "revenue"
        elif path.endswith(".method"):
            new = "straight_line" if old == "annuity" else "annuity"
        else:
            new = new_value(rng, old, unit)
        if series:
            whole = series_values(ws, row, years, values)
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


def differences(out: Path, stem: str, expected) -> tuple[float, list[str]]:
    """Largest difference and the figures that differ, Summary and Gap table, every year."""
    r, years = expected.results, expected.scenario.years
    wrong, largest = [], 0.0
    summary = libreoffice.sheet_values(out, stem, "Summary")
    by_label = {row[0]: row for row in summary if row and row[0]}
    for label, key, start, _ in SUMMARY_ROWS:
        for t in range(start, years + 1):
            got = by_label[label][FIRST_YEAR - 1 + t]
            if key == "status":
                want = expected.summary["status"][t - 1]
                if got != want:
                    wrong.append(f"Summary {label} {expected.labels[t]}: workbook {got!r}, engine {want!r}")
                continue
            want = float(np.broadcast_to(getattr(r, key), r.net_gap.shape)[0, t])
            gap = abs(got - want) if isinstance(got, (int, float)) else math.inf
            largest = max(largest, gap)
            if gap > TOLERANCE:
                wrong.append(f"Summary {label} {expected.labels[t]}: workbook {got!r}, engine {want!r}")
    table = gap_table(expected)
    by_item = {row[0]: row for row in libreoffice.sheet_values(out, stem, "Gap table") if row and row[0]}
    for i, item in enumerate(table["item"]):
        for t, year in enumerate(expected.labels[1:], start=1):
            got, want = by_item[item][FIRST_YEAR - 1 + t], float(table.loc[i, year])
            gap = abs(got - want) if isinstance(got, (int, float)) else math.inf
            largest = max(largest, gap)
            if gap > TOLERANCE:
                wrong.append(f"Gap table {item} {year}: workbook {got!r}, engine {want!r}")
    return largest, wrong


def test_every_input_change_in_the_workbook_gives_the_engines_plan(round_trip):
    assert len(round_trip) >= 20
    largest, problems = 0.0, []
    for change, out, stem in round_trip:
        expected = mtfpmodel.run(mtfpmodel.load(FIXTURE, [change.override]))
        gap, wrong = differences(out, stem, expected)
        largest = max(largest, gap)
        problems += [f"{change.cell} ({change.override}): {w}" for w in wrong]
    print(f"\nround trip: {len(round_trip)} input changes recalculated in LibreOffice, "
          f"largest difference from mtfp run --set {largest:.2e} of a unit")
    assert not problems, "\n".join(problems[:30])


def test_the_changes_cover_what_officers_flex(round_trip):
    paths = {change.path for change, _, _ in round_trip}
    assert {path for path, _ in NAMED} <= paths
    assert len(paths) == len(round_trip)      # no input changed twice
