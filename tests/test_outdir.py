"""Atomic output folders: all files or none."""
from __future__ import annotations

import pytest

from mtfpmodel.outputs.outdir import staged_output
from mtfpmodel.scenario.errors import MtfpError


def test_files_appear_only_when_all_are_written(tmp_path):
    out = tmp_path / "out"
    with staged_output(out) as staging:
        staging.path("a.csv").write_text("a")
        staging.path("charts/b.png").write_text("b")
        assert not out.exists()
    assert (out / "a.csv").read_text() == "a" and (out / "charts" / "b.png").read_text() == "b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_error_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_text("old")
    with pytest.raises(ZeroDivisionError):
        with staged_output(out) as staging:
            staging.path("a.csv").write_text("new")
            1 / 0
    assert (out / "a.csv").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_write_failure_is_reported_not_a_bug(tmp_path):
    with pytest.raises(MtfpError, match=r"could not write the outputs \(No space left on device\)"):
        with staged_output(tmp_path / "out"):
            raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_csv_numbers_are_written_at_their_shortest_exact_form(tmp_path):
    # Regression: float_format="%.17g" wrote 0.7 as 0.69999999999999996 and 3396.09746 as
    # 3396.0974600000001; a zero that came out of a subtraction as -0.0 was written "-0".
    import pandas as pd

    from mtfpmodel.outputs.csvfiles import write_csv

    frame = pd.DataFrame({"year": ["2025/26"] * 4, "amount": [0.7, 3396.09746, -0.0, 0.1 + 0.2],
                          "mixed": [20000, 0.25, -0.0, "text"]})
    write_csv(frame, tmp_path / "t.csv")
    lines = (tmp_path / "t.csv").read_text().splitlines()
    assert lines == ["year,amount,mixed", "2025/26,0.7,20000", "2025/26,3396.09746,0.25", "2025/26,0.0,0.0",
                     "2025/26,0.30000000000000004,text"]
    assert pd.read_csv(tmp_path / "t.csv")["amount"].tolist() == [0.7, 3396.09746, 0.0, 0.1 + 0.2]
