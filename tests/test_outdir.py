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
# --- publishing: all or none, even when a file cannot be replaced -----------------------------
# Tests run as root here, where chmod does not stop a write. The read-only cases therefore use
# the immutable attribute (chattr +i), which stops root too, and are skipped where it is not
# available; the chmod variants run for an ordinary user. A failure half-way through the renames
# is made by failing os.replace on one file (a mock), and a folder where a file must go by making
# a path component a file.

import os
import shutil
import signal
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from mtfpmodel.cli import main

SCENARIOS = Path(__file__).parent / "scenarios"
FAST = ["--no-charts", "--no-report"]


def previous_run(tmp_path) -> tuple[Path, dict]:
    """An output folder from an earlier run, and a snapshot of it (bytes and timestamps)."""
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), *FAST]) == 0
    (out / "sensitivity.csv").write_text("another command's output\n")
    return out, snapshot(out)


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def rerun(out: Path) -> int:
    return main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--set", "assumptions.pay=9%", *FAST])


@contextmanager
def immutable(path: Path):
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def assert_untouched(tmp_path, out, before, err):
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]       # no staging folder left behind
    assert "Traceback" not in err and "internal error" not in err


def test_a_rerun_replaces_its_own_files_and_leaves_other_commands_outputs(tmp_path):
    out, before = previous_run(tmp_path)
    assert rerun(out) == 0
    after = snapshot(out)
    assert after["sensitivity.csv"] == before["sensitivity.csv"]
    assert after["summary.csv"] != before["summary.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_read_only_file_stops_the_run_before_anything_changes(tmp_path, capsys):
    # Before the fix: exit 3, funding.csv and gap_table.csv new and the other four old.
    out, before = previous_run(tmp_path)
    with immutable(out / "lines.csv"):
        assert rerun(out) == 1
    err = capsys.readouterr().err
    assert "lines.csv is read-only" in err and "previous outputs" in err
    assert_untouched(tmp_path, out, before, err)


def test_a_read_only_folder_stops_the_run_before_anything_changes(tmp_path, capsys):
    # Before the fix: exit 3, PermissionError.
    out, before = previous_run(tmp_path)
    with immutable(out):
        assert rerun(out) == 1
    err = capsys.readouterr().err
    assert f"the output folder {out} is read-only" in err
    assert_untouched(tmp_path, out, before, err)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod; the chattr tests cover this")
def test_chmod_read_only_file_and_folder(tmp_path, capsys):
    out, before = previous_run(tmp_path)
    (out / "lines.csv").chmod(0o444)
    assert rerun(out) == 1
    (out / "lines.csv").chmod(0o644)
    out.chmod(0o555)
    try:
        assert rerun(out) == 1
    finally:
        out.chmod(0o755)
    assert_untouched(tmp_path, out, before, capsys.readouterr().err)


def test_a_file_where_a_folder_must_go(tmp_path, capsys):
    out, before = previous_run(tmp_path)
    (out / "charts").write_text("not a folder")
    before = snapshot(out)
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--no-report"]) == 1
    err = capsys.readouterr().err
    assert f"{out / 'charts'} is a file, not a folder" in err
    assert_untouched(tmp_path, out, before, err)


def test_a_rerun_without_the_documents_removes_the_earlier_ones_and_keeps_other_commands_files(tmp_path, capsys):
    # Before: `mtfp run --set assumptions.pay=4% --no-report` rewrote the CSV files and left the
    # earlier mtfp.xlsx and report.html (and, with --no-charts, the charts) beside them, showing the
    # plan before the change; an officer could send the stale workbook.
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out)]) == 0
    (out / "sensitivity.csv").write_text("another command's output\n")
    (out / "charts" / "tornado.png").write_bytes(b"another command's chart")
    capsys.readouterr()
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--set", "assumptions.pay=9%", *FAST]) == 0
    err = capsys.readouterr().err
    assert not (out / "mtfp.xlsx").exists() and not (out / "report.html").exists()
    assert sorted(p.name for p in (out / "charts").iterdir()) == ["tornado.png"]      # only the other command's
    assert (out / "sensitivity.csv").read_text() == "another command's output\n"
    assert "removed mtfp.xlsx, report.html, charts/gap.png" in err and "(from an earlier run; not written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failed_publish_puts_back_the_files_it_was_removing(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--no-charts"]) == 0
    before = snapshot(out)
    real = os.replace

    def replace(source, target):
        if ".tmp-" in str(source) and "/.previous/" not in str(source) and str(target).endswith("summary.csv"):
            raise PermissionError(13, "Permission denied", str(target))
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    assert rerun(out) == 1
    err = capsys.readouterr().err
    assert "are unchanged" in err
    assert_untouched(tmp_path, out, before, err)          # mtfp.xlsx and report.html back, as they were


@pytest.mark.parametrize("failing", [1, 3, 6])     # the first, a middle and the last of six files
def test_a_rename_that_fails_half_way_is_undone(tmp_path, monkeypatch, capsys, failing):
    # The pre-flight check passes, then the n-th rename of the publish step fails: every file
    # already moved goes back, byte for byte and with its timestamps.
    out, before = previous_run(tmp_path)
    real, calls = os.replace, []

    def replace(source, target):
        if ".tmp-" in str(source) and "/.previous/" not in str(target):   # a new file moving into place
            calls.append(target)
            if len(calls) == failing:
                raise PermissionError(13, "Permission denied", str(target))
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    assert rerun(out) == 1
    err = capsys.readouterr().err
    assert "could not publish the outputs (Permission denied" in err and "are unchanged" in err
    assert_untouched(tmp_path, out, before, err)


def test_a_run_that_cannot_publish_never_says_it_wrote_a_file(tmp_path, monkeypatch, capsys):
    # Before: "wrote summary.csv, lines.csv, ..." was printed as each file was made in the staging
    # folder, so a run whose files could not then be published said "wrote ..." and, two lines
    # later, that the previous outputs were unchanged.
    out, before = previous_run(tmp_path)
    real, failed = os.replace, []

    def replace(source, target):
        if not failed and ".tmp-" in str(source) and "/.previous/" not in str(target):
            failed.append(target)                 # the first new file moving into place
            raise PermissionError(13, "Permission denied", str(target))
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    capsys.readouterr()
    assert rerun(out) == 1
    err = capsys.readouterr().err
    assert "could not publish the outputs" in err and "wrote" not in err
    assert_untouched(tmp_path, out, before, err)


def test_each_file_is_announced_once_every_file_is_published(tmp_path, monkeypatch, capsys):
    from mtfpmodel.outputs import outdir

    real, said_before = outdir.publish, []

    def publish(root, out_dir, owned=(), command=""):
        said_before.append(capsys.readouterr().err)
        return real(root, out_dir, owned, command)

    monkeypatch.setattr(outdir, "publish", publish)
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--no-report"]) == 0
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("wrote ")]
    assert said_before and "wrote" not in said_before[0]
    assert said[0].startswith("wrote summary.csv, lines.csv, ")
    assert said[1:] == [f"wrote charts/{name}.png, charts/{name}.svg" for name in ("gap", "bridge", "savings", "reserves")]
    assert all((out / name).is_file() for line in said for name in line.removeprefix("wrote ").split(", "))


def test_ctrl_c_while_publishing_finishes_the_publish_first(tmp_path, monkeypatch, capsys):
    out, before = previous_run(tmp_path)
    real, calls = os.replace, []

    def replace(source, target):
        calls.append(target)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGINT)       # Ctrl-C in the middle of the renames
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    assert rerun(out) == 130
    err = capsys.readouterr().err
    assert f"interrupted; the outputs in {out} were written before it" in err
    after = snapshot(out)
    assert all(after[name] != before[name] for name in before if name != "sensitivity.csv")   # all new
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_ctrl_c_while_writing_leaves_the_previous_outputs(tmp_path, monkeypatch, capsys):
    import pandas as pd

    out, before = previous_run(tmp_path)
    real = pd.DataFrame.to_csv

    def interrupted(self, *args, **kwargs):
        real(self, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted)
    assert rerun(out) == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == "mtfp run: interrupted; nothing was written; any previous outputs are as they were."
    assert_untouched(tmp_path, out, before, err)


def test_out_dot_in_a_folder_whose_parent_cannot_be_written(tmp_path, monkeypatch):
    # --out . inside a folder whose parent is read-only: the staging folder goes inside instead.
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    with immutable(tmp_path):
        assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", ".", *FAST]) == 0
    assert (here / "summary.csv").is_file()
    assert not [p for p in here.iterdir() if ".tmp-" in p.name]


def _publish_slowly(out: Path, letter: str, start) -> None:
    """A process that stages six files reading ``letter`` and publishes them one rename every 20 ms."""
    import time

    from mtfpmodel.outputs import outdir

    real = os.replace

    def slow(source, target):
        real(source, target)
        time.sleep(0.02)
    outdir.os.replace = slow
    with staged_output(out) as staging:
        for k in range(6):
            staging.path(f"file{k}.csv").write_text(letter)
        start.wait()                        # both publish at the same moment
    os._exit(0)


def test_two_commands_publishing_into_one_folder_take_turns(tmp_path):
    # Before: each file was renamed into place on its own, so two runs publishing into one folder
    # at once left a mix (some files from each). Now they take turns: one whole set of files.
    import multiprocessing

    context = multiprocessing.get_context("fork")
    start = context.Barrier(2)
    out = tmp_path / "shared"
    for _ in range(3):
        workers = [context.Process(target=_publish_slowly, args=(out, letter, start)) for letter in "AB"]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
        assert [worker.exitcode for worker in workers] == [0, 0]
        contents = {(out / f"file{k}.csv").read_text() for k in range(6)}
        assert len(contents) == 1, f"a mix of both runs' files: {sorted(contents)}"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["shared"]       # no staging folder left


def test_a_percentage_is_read_as_the_decimal_it_is_written_as(tmp_path):
    # Before: 2.99% was read as 2.99 / 100 = 0.029900000000000003, and council_tax.csv showed
    # increase_core_pct 0.029900000000000003; a --grid step gave 0.039900000000000005.
    from mtfpmodel.analysis.grid import parse_range
    from mtfpmodel.scenario.series import parse_rate

    assert parse_rate("2.99%") == 0.0299 and parse_rate("4.75%") == 0.0475 and parse_rate("-1.99%") == -0.0199
    assert list(parse_range("assumptions.pay=1.99%..3.99%:1%")[1]) == [0.0199, 0.0299, 0.0399]
    out = tmp_path / "out"
    assert main(["run", str(Path(__file__).resolve().parents[1] / "scenarios" / "example.yaml"), "--out", str(out),
                 *FAST]) == 0
    text = (out / "council_tax.csv").read_text(encoding="utf-8")
    assert ",0.0299," in text and "0.029900000000000003" not in text


def test_a_run_into_a_pack_folder_leaves_the_packs_report(tmp_path):
    # The folder of a cabinet pack (report.docx beside report.html): the run's --no-report does
    # not take the pack's report.html for its own earlier report.
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), *FAST]) == 0
    (out / "report.html").write_text("the cabinet pack\n")
    (out / "report.docx").write_bytes(b"the cabinet pack in Word")
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), *FAST]) == 0
    assert (out / "report.html").read_text() == "the cabinet pack\n"


def test_a_run_never_removes_files_it_did_not_write(tmp_path, capsys):
    # Before: any mtfp.xlsx, report.html or charts/*.png in the --out folder was removed as "from an
    # earlier run" when this run did not write it — an officer's own notes, or a workbook they had
    # edited to read back with `mtfp import`, were lost. Only a file an earlier run wrote, and
    # unchanged since, is removed now; the others are kept, and said so.
    out = tmp_path / "out"
    (out / "charts").mkdir(parents=True)
    (out / "report.html").write_text("my notes\n")
    (out / "mtfp.xlsx").write_bytes(b"my workbook")
    (out / "charts" / "gap.png").write_bytes(b"my chart")
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--no-charts", "--no-report"]) == 0
    err = capsys.readouterr().err
    assert (out / "report.html").read_text() == "my notes\n" and (out / "mtfp.xlsx").read_bytes() == b"my workbook"
    assert (out / "charts" / "gap.png").read_bytes() == b"my chart"
    assert "removed" not in err
    assert "note: kept mtfp.xlsx, report.html, charts/gap.png: this run did not write them, and they are not " \
           "as an earlier mtfp run left them (your own file, or changed since)" in err


def test_an_edited_workbook_is_kept_and_an_untouched_report_removed(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--no-charts"]) == 0
    (out / "mtfp.xlsx").write_bytes((out / "mtfp.xlsx").read_bytes() + b" edited")
    capsys.readouterr()
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), *FAST]) == 0
    err = capsys.readouterr().err
    assert (out / "mtfp.xlsx").exists() and not (out / "report.html").exists()
    assert "removed report.html (from an earlier run; not written this time)" in err
    assert "kept mtfp.xlsx: this run did not write it" in err


def test_outputs_publish_into_a_folder_on_another_disk(tmp_path):
    # Before: --out a symbolic link to a folder on another file system (a share) failed with
    # "Invalid cross-device link": the staging folder was made beside the link, on this disk.
    other = Path("/dev/shm")
    if not other.is_dir() or os.stat(other).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second file system to publish onto")
    target = Path(tempfile.mkdtemp(dir=other))
    try:
        (tmp_path / "link").symlink_to(target)
        assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(tmp_path / "link"), *FAST]) == 0
        assert (target / "summary.csv").is_file()
        assert [p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.tmp")] == []
    finally:
        shutil.rmtree(target, ignore_errors=True)


def test_a_file_another_command_rewrote_is_not_removed_by_a_later_run(tmp_path, capsys):
    # Found by a review: run, then the cabinet pack into the same folder (its charts byte for byte
    # the run's), then run --no-charts removed the pack's charts/*.png as the run's own. A publish
    # into a folder with a record now records the files it writes as its own.
    out = tmp_path / "out"
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--no-report"]) == 0
    from mtfpmodel.outputs import outdir

    with outdir.staged_output(out) as staging:            # as mtfp report publishes its charts
        staging.path("charts/gap.png").write_bytes((out / "charts" / "gap.png").read_bytes())
    assert outdir.read_manifest(out)["charts/gap.png"][0] == outdir.OTHER
    capsys.readouterr()
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), *FAST]) == 0
    assert (out / "charts" / "gap.png").is_file() and not (out / "charts" / "bridge.png").exists()
    assert "kept charts/gap.png" in capsys.readouterr().err


def test_a_run_with_its_report_into_a_pack_folder_says_it_replaced_the_packs_page(tmp_path, capsys):
    # Found by a review: the pack's report.html was replaced by the run's without a word, leaving the
    # pack's report.docx beside a report.html of another kind.
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.docx").write_bytes(b"the cabinet pack in Word")
    assert main(["run", str(SCENARIOS / "hand.yaml"), "--out", str(out), "--no-charts"]) == 0
    assert "holds a cabinet pack (report.docx): its report.html is now this run's report" in capsys.readouterr().err
