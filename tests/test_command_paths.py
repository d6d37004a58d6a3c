"""mtfp paths: every addressable value, with units, following assumption references."""
from __future__ import annotations

from pathlib import Path

from mtfpmodel.cli import main

SCENARIOS = Path(__file__).parent / "scenarios"


def test_paths_lists_rates_in_percent_and_amounts_in_the_unit(capsys):
    assert main(["paths", str(SCENARIOS / "streams.yaml")]) == 0
    out = capsys.readouterr().out
    lines = {line[:60].rstrip(): line for line in out.splitlines()[1:]}
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
    lines = {line[:60].rstrip(): line for line in capsys.readouterr().out.splitlines()[1:]}
    assert "5.00%" in lines["reserves[General fund balance].minimum"]
    assert "1,000.0 £000" in lines["reserves[Budget support reserve].planned_use"]
    assert "500.0 £000" in lines["reserves[Transformation reserve].contributions"]
    assert "90.00%" in lines["funding.grants[Social Care Grant].certainty"]
