"""``mtfp streams``: each stream's savings by year, financing, payback and NPV."""
from __future__ import annotations

from conftest import SCENARIOS

from mtfpmodel.cli import main


def test_prints_each_stream(capsys):
    assert main(["streams", str(SCENARIOS / "streams.yaml")]) == 0
    out = capsys.readouterr().out
    assert "LED  [share_of_line, red 30% confidence]" in out
    assert "Shared ICT  [share_of_line, 80% confidence]" in out
    assert "Asset sale  [fixed, amber 50% confidence]" in out
    for row in ("gross saving", "financing cost", "implementation cost", "net saving", "net after one-off costs",
                "total net saving"):
        assert row in out
    # LED: capital £100k in 2025/26 over 3 years at 5%; money shown with its unit
    # (before the fix: "capital 100 £000")
    assert "capital £100k; payback 2025/26 (net of financing), " in out
    assert "(savings cover the capital); NPV £" in out
    assert "100 £000" not in out


def test_a_scenario_without_streams(capsys):
    assert main(["streams", str(SCENARIOS / "hand.yaml")]) == 0
    assert "no savings streams" in capsys.readouterr().out
