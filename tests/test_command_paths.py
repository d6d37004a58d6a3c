"""mtfp paths: every addressable value, with units, following assumption references."""
from __future__ import annotations

from pathlib import Path

from mtfpmodel.cli import main

SCENARIOS = Path(__file__).parent / "scenarios"


def _rows(out: str) -> dict[str, str]:
    """Each row by its path: the path column is as wide as the longest path (the header's 'kind' starts after it)."""
    header, *rows = out.splitlines()
    column = header.index(" kind")
    return {row[:column].rstrip(): row for row in rows}


def test_paths_lists_rates_in_percent_and_amounts_in_the_unit(capsys):
    assert main(["paths", str(SCENARIOS / "streams.yaml")]) == 0
    out = capsys.readouterr().out
    lines = _rows(out)
    assert "%" in lines["assumptions.energy"]
    assert "reserves.opening" in lines and "£000" in lines["reserves.opening"]
    assert any(path.startswith("savings[") for path in lines)


def test_paths_filters_by_pattern(capsys):
    assert main(["paths", str(SCENARIOS / "streams.yaml"), "funding.*"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert rows and all(row.startswith("funding.") for row in rows)


def test_paths_of_named_reserves_and_grant_certainty(capsys):
    example = Path(__file__).resolve().parents[1] / "scenarios" / "example.yaml"
    assert main(["paths", str(example)]) == 0
    lines = _rows(capsys.readouterr().out)
    assert "5.00%" in lines["reserves[General fund balance].minimum"]
    assert "1,000.0 £000" in lines["reserves[Budget support reserve].planned_use"]
    assert "500.0 £000" in lines["reserves[Transformation reserve].contributions"]
    assert "90.00%" in lines["funding.grants[Social Care Grant].certainty"]


def test_the_path_column_fits_the_longest_path(capsys):
    # Before: a fixed 60-character column, so a path longer than that pushed its kind and value
    # out of line ('pressures[Children's placements overspend brought forward].amount amount ...').
    example = Path(__file__).resolve().parents[1] / "scenarios" / "example.yaml"
    assert main(["paths", str(example)]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    column = header.index(" kind")
    kinds = [row[column + 1:].split(" ")[0] for row in rows]
    kinds_known = {"rate", "amount", "volume", "scalar"}
    assert set(kinds) == kinds_known, [row for row, kind in zip(rows, kinds) if kind not in kinds_known]


def test_a_pattern_that_matches_nothing_is_an_error(capsys):
    # Before: only the header was printed, exit 0, as if the scenario had no such values.
    assert main(["paths", str(SCENARIOS / "streams.yaml"), "Funding.*"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "matches 'Funding.*'" in captured.err and "case-sensitive" in captured.err
