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
