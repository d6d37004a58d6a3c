"""``mtfp validate``: every problem in every file, warnings, exit 1 if any file is invalid."""
from __future__ import annotations

from conftest import SCENARIOS

from mtfpmodel.cli import main

BAD = SCENARIOS.parent / "bad"


def test_good_files(capsys):
    files = [str(SCENARIOS / name) for name in ("hand.yaml", "streams.yaml", "family/grandchild.yaml")]
    assert main(["validate", *files]) == 0
    out = capsys.readouterr().out
    assert out.count(": valid (") == 3
    assert "hand.yaml: valid (hand-worked, 2025/26 to 2028/29, 2 lines, 0 savings streams)" in out


def test_bad_and_good_files_together(capsys):
    assert main(["validate", str(SCENARIOS / "hand.yaml"), str(BAD / "five_mistakes.yaml"),
                 str(BAD / "unknown_key.yaml")]) == 1
    captured = capsys.readouterr()
    assert "hand.yaml: valid" in captured.out
    errors = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 6
    assert "2 of 3 files invalid." in captured.err
    assert "Traceback" not in captured.err


def test_warnings_are_shown_once(write, capsys):
    path = write("""\
        scenario: referendum
        base_year: "2024/25"
        expenditure: [{name: A, base: 1000}]
        funding:
          council_tax:
            tax_base: 1000
            band_d: 1000
            increase: {core: [2.99%, 2.99%, 5%, 2%], adult_social_care: 2%}
            referendum_limit: 4.99%
        """)
    assert main(["validate", str(path)]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning: ")]
    # before the fix there was one warning per year above the limit
    assert warnings == [f"warning: {path}:8: funding.council_tax.increase: the Band D increase is above the "
                        "referendum limit: 7.00% against a limit of 4.99% in 2027/28 "
                        "(an increase above the limit needs a local referendum)"]
