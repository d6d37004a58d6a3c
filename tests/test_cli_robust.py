"""The command line cannot be knocked over: a reader that leaves early (``| head``) on every
command, Ctrl-C during start-up and during a long Monte Carlo, and what each command imports.

These run ``mtfp`` as a separate process (signals and closed pipes belong to a process). None
asserts a time: speed is measured by benchmarks/cli.py.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mtfpmodel.cli import command_names

TESTS = Path(__file__).parent
HAND = TESTS / "scenarios" / "hand.yaml"
RISK = TESTS / "scenarios" / "risk.yaml"
BASE, PAY4 = TESTS / "scenarios" / "movement" / "base.yaml", TESTS / "scenarios" / "movement" / "pay4.yaml"
MTFP = [sys.executable, "-m", "mtfpmodel"]
DOCS = TESTS.parent / "docs"


def every_command(out: Path) -> dict[str, tuple[list[str], list[str]]]:
    """For each command: its arguments and the files it must write into ``out`` (or beside it).

    A new command must be added here, so that it too is checked against a reader that leaves.
    """
    return {
        "run": (["run", str(HAND), "--out", str(out), "--no-report"], ["summary.csv", "charts/gap.png"]),
        "validate": (["validate", str(HAND), str(RISK)], []),
        "streams": (["streams", str(RISK)], []),
        "compare": (["compare", str(HAND), str(RISK), "--out", str(out)], ["compare.csv", "compare.png"]),
        "diff": (["diff", str(BASE), str(PAY4), "--out", str(out)], ["movement.csv"]),
        "schema": (["schema"], []),
        "new": (["new", str(out / "starter")], ["starter.yaml"]),
        "explain": (["explain", str(HAND), "summary.net_gap[2027/28]"], []),
        "sensitivity": (["sensitivity", str(RISK), "--out", str(out)], ["sensitivity.csv", "tornado.png"]),
        "solve": (["solve", str(RISK), "--by", "funding.council_tax.increase.core", "--out", str(out)],
                  ["solve.csv"]),
        "montecarlo": (["montecarlo", str(RISK), "--draws", "500", "--out", str(out)],
                       ["montecarlo.csv", "fan_chart.png"]),
        "paths": (["paths", str(RISK)], []),
        "report": (["report", str(RISK), "--out", str(out), "--draws", "200", "--sobol-samples", "0"],
                   ["report.html", "report.docx", "sensitivity.csv"]),
        "import": (["import", str(DOCS / "budget-book"), "--out", str(out / "imported.yaml")], ["imported.yaml"]),
    }


def test_every_command_is_in_the_closed_pipe_test(tmp_path):
    missing = set(command_names()) - set(every_command(tmp_path))
    assert not missing, f"add {sorted(missing)} to every_command() in {__file__}"


class _LeavingReader:
    """stdout whose reader takes ``keep`` characters and then closes the pipe (``| head``)."""

    def __init__(self, keep: int):
        self.keep, self.text = keep, ""

    def write(self, text: str) -> int:
        if len(self.text) >= self.keep:
            raise BrokenPipeError(32, "Broken pipe")
        self.text += text
        return len(text)

    def flush(self) -> None:
        if len(self.text) >= self.keep:
            raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("name", sorted(every_command(Path("out"))))
def test_a_reader_that_leaves_early_stops_no_command(tmp_path, monkeypatch, capsys, name):
    # `mtfp COMMAND | head -1`, in this process: every write after the first line raises
    # BrokenPipeError, as a closed pipe does. Before the fix only `run` survived it.
    from mtfpmodel.cli import main

    argv, files = every_command(tmp_path / "out")[name]
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    reader = _LeavingReader(keep=1)
    monkeypatch.setattr(sys, "stdout", reader)
    assert main(argv) == 0, capsys.readouterr().err
    assert reader.text                                            # it did start printing
    for file in files:
        assert (tmp_path / "out" / file).is_file(), f"{name} did not write {file}"
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("name", sorted(every_command(Path("out"))))
def test_a_reader_of_stdout_and_stderr_that_leaves_early_stops_no_command(tmp_path, monkeypatch, name):
    # `mtfp COMMAND 2>&1 | head -1`: stderr goes to the same pipe, so the "wrote ..." lines fail too.
    # Before: every command that writes files exited 1 (with its files written).
    from mtfpmodel.cli import main

    argv, files = every_command(tmp_path / "out")[name]
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdout", _LeavingReader(keep=1))
    monkeypatch.setattr(sys, "stderr", _LeavingReader(keep=0))
    assert main(argv) == 0
    for file in files:
        assert (tmp_path / "out" / file).is_file(), f"{name} did not write {file}"


@pytest.mark.parametrize("name", ["sensitivity", "validate"])
def test_a_closed_pipe_in_a_real_process(tmp_path, name):
    # The same through a real pipe, whose reader takes one line and leaves: the interpreter's
    # own final flush must not fail either (run is covered in test_command_run.py).
    argv, files = every_command(tmp_path / "out")[name]
    (tmp_path / "out").mkdir()
    process = subprocess.Popen(MTFP + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=300) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr and "Exception ignored" not in stderr
    for file in files:
        assert (tmp_path / "out" / file).is_file()


@pytest.mark.parametrize("closed", [1, 2], ids=["stdout closed", "stderr closed"])
@pytest.mark.parametrize("name", ["validate", "run", "montecarlo", "compare", "bad file"])
def test_a_command_started_with_stdout_or_stderr_closed(tmp_path, name, closed):
    # `mtfp run ... 2>&-` (or a daemon's closed descriptors): Python then has None for the stream,
    # and before the fix every command exited 1, those that draw with "internal error:
    # AttributeError: 'NoneType' object has no attribute 'flush'" after writing their files.
    if name == "bad file":
        argv, files, code = ["validate", str(TESTS / "bad" / "five_mistakes.yaml")], [], 1
    else:
        (argv, files), code = every_command(tmp_path / "out")[name], 0
    (tmp_path / "out").mkdir()
    other = tmp_path / "other.txt"
    with open(other, "w") as stream:
        done = subprocess.run(MTFP + argv, stdin=subprocess.DEVNULL, stdout=stream, stderr=stream, env=_env(),
                              preexec_fn=lambda: os.close(closed), timeout=300)
    shown = other.read_text()
    assert done.returncode == code, shown
    assert "Traceback" not in shown and "internal error" not in shown
    for file in files:
        assert (tmp_path / "out" / file).is_file(), f"{name} did not write {file}"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full, a device that is always full")
@pytest.mark.parametrize("name", ["run", "validate", "--version"])
def test_a_command_whose_output_cannot_be_printed_says_so(tmp_path, name):
    # `mtfp run ... > log.txt` on a full disk. Before: the failed print was taken for a failure to
    # write the outputs ("could not write the outputs (No space left on device); the previous
    # outputs ... are unchanged", and none were written); validate and --version exited 0.
    argv, files = every_command(tmp_path / "out")[name] if name != "--version" else (["--version"], [])
    (tmp_path / "out").mkdir()
    with open("/dev/full", "w") as full:
        done = subprocess.run(MTFP + argv, stdin=subprocess.DEVNULL, stdout=full, stderr=subprocess.PIPE,
                              text=True, env=_env(), timeout=300)
    assert done.returncode == 1
    assert "could not print to standard output (No space left on device)" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    for file in files:
        assert (tmp_path / "out" / file).is_file(), f"{name} did not write {file}"
    if files:
        assert f"the outputs in {tmp_path / 'out'} were written" in done.stderr


@pytest.mark.parametrize("name", ["run", "new", "validate"])
def test_a_current_folder_that_has_been_deleted(tmp_path, name):
    # A terminal left in a folder that was then deleted. Before: `run` (its default output folder)
    # and `new` stopped with "internal error: FileNotFoundError" (exit 3).
    gone = tmp_path / "gone"
    gone.mkdir()
    argv = {"run": ["run", str(HAND)], "new": ["new", "starter"], "validate": ["validate", str(HAND)]}[name]
    done = subprocess.run(["sh", "-c", 'cd "$1" && rmdir "$1" && shift && exec "$@"', "sh", str(gone), *MTFP, *argv],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, env=_env(), timeout=300)
    assert done.returncode == 1, done.stderr
    assert "the current folder cannot be read" in done.stderr and "cd into a folder that exists" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def _env(**extra) -> dict:
    return {**os.environ, "PYTHONUNBUFFERED": "1", **extra}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def previous_outputs(out: Path) -> dict:
    out.mkdir()
    for name in ("montecarlo.csv", "montecarlo_headline.csv", "fan_chart.png", "fan_chart.svg"):
        (out / name).write_text(f"previous {name}\n")
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


STOPS = [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "stopped by SIGTERM"),
         (signal.SIGHUP, 129, "stopped by SIGHUP")]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the CPU time from /proc")
@pytest.mark.parametrize("stop, code, said", STOPS, ids=lambda v: v.name if isinstance(v, signal.Signals) else None)
def test_ctrl_c_during_a_long_monte_carlo(tmp_path, stop, code, said):
    # SIGTERM (kill, timeout, a cancelled CI job) and SIGHUP (the terminal closed) are handled as
    # Ctrl-C is: before, either killed the process at once and left its staging folder behind.
    out = tmp_path / "out"
    before = previous_outputs(out)
    process = subprocess.Popen(MTFP + ["montecarlo", str(RISK), "--draws", "3000000", "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env())
    # Wait until it is surely simulating: start-up and imports take well under 1.5 s of CPU,
    # the simulation of 3,000,000 plans several times that.
    while process.poll() is None and _cpu_seconds(process.pid) < 1.5:
        time.sleep(0.05)
    assert process.poll() is None, "the simulation finished before it could be interrupted"
    process.send_signal(stop)
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == code
    assert stderr.strip().splitlines()[-1] == (f"mtfp montecarlo: {said}; nothing was written; "
                                               "any previous outputs are as they were.")
    assert "Traceback" not in stderr
    assert {p.name: p.read_bytes() for p in sorted(out.iterdir())} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]          # no staging folder left


@pytest.mark.parametrize("stop, delay", [(signal.SIGINT, d) for d in (0.2, 0.4, 0.7, 1.2, 1.6)]   # the later ones
                         + [(signal.SIGTERM, d) for d in (0.3, 1.0, 1.4)],                   # often land in the charts
                         ids=lambda v: v.name if isinstance(v, signal.Signals) else str(v))
def test_ctrl_c_during_start_up_or_drawing(tmp_path, stop, delay):
    # Before the fix a Ctrl-C while the command modules were imported printed a raw
    # KeyboardInterrupt traceback. Whenever it lands, the answer is one line and exit 130 (or
    # the run had already finished, exit 0), and the previous outputs are whole.
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("previous run\n")
    process = subprocess.Popen(MTFP + ["run", str(HAND), "--out", str(out)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=_env())
    time.sleep(delay)
    process.send_signal(stop)
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=60)
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr and "Exception ignored" not in stderr, stderr
    if code == 128 + stop:
        said = "interrupted" if stop == signal.SIGINT else f"stopped by {stop.name}"
        assert stderr.strip().splitlines()[-1].startswith(f"mtfp run: {said}; ")
        files = sorted(p.name for p in out.iterdir())
        assert files == ["summary.csv"] or "charts" in files       # untouched, or all published
    else:
        assert code == 0, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert not _children_of(process.pid)                   # no drawing worker left running


@pytest.mark.parametrize("stop, code, said", STOPS, ids=lambda v: v.name if isinstance(v, signal.Signals) else None)
def test_a_stop_signal_before_the_command_line_is_imported_is_one_line(stop, code, said):
    # Found by an acceptance audit of issue 15: Ctrl-C in the first 20-50 ms of `mtfp run` printed a
    # KeyboardInterrupt traceback from the imports of mtfpmodel.cli (argparse, the command
    # modules). The mtfp script and `python -m mtfpmodel` now start in mtfpmodel.launch, which
    # answers a stop signal from its first lines on: here one arrives straight after it is imported,
    # while the rest would still be importing.
    script = ("import sys; sys.argv = ['mtfp', 'run']; import mtfpmodel.launch, os, time; "
              f"os.kill(os.getpid(), {int(stop)}); time.sleep(30)")
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=_env())
    assert process.returncode == code
    assert process.stderr == f"mtfp run: {said}; nothing was written; any previous outputs are as they were.\n"


def test_the_mtfp_script_and_python_m_start_in_the_launcher():
    import tomllib

    project = tomllib.loads((TESTS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["mtfp"] == "mtfpmodel.launch:console"
    assert "from mtfpmodel.launch import console" in (TESTS.parent / "src" / "mtfpmodel" / "__main__.py").read_text()


def _children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            pass
    return found


HEAVY = ("pandas", "scipy", "matplotlib", "openpyxl", "jinja2")
PROBE = """\
import json, sys
from mtfpmodel.cli import main
code = main(sys.argv[1:])
sys.stdout = sys.__stdout__
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if m.split(".")[0] in %r
                                                     or m.startswith("mtfpmodel.commands."))}))
""" % (HEAVY,)


def imported_by(*argv: str) -> set[str]:
    """The heavy libraries and command modules an in-process ``mtfp ARGV`` imports."""
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] in (0, 2), done.stderr
    return set(report["modules"])


def test_validate_imports_no_heavy_library_and_no_other_command():
    # Before the fix validate imported every command module, and with them pandas, scipy.stats
    # (about 0.9 s) and matplotlib.
    modules = imported_by("validate", str(HAND), str(RISK))
    assert {m.split(".")[0] for m in modules} == {"mtfpmodel"}
    assert {m for m in modules if m.startswith("mtfpmodel.commands.")} == {"mtfpmodel.commands.validate"}


def test_help_and_version_import_no_command_module():
    assert imported_by("--help") == set()
    assert imported_by("--version") == set()


def test_python_m_mtfpmodel_prints_the_version():
    from mtfpmodel.version import __version__

    done = subprocess.run(MTFP + ["--version"], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, f"mtfpmodel {__version__}")


def test_each_command_imports_only_what_it_uses(tmp_path):
    run = imported_by("run", str(HAND), "--out", str(tmp_path / "a"), "--no-charts", "--no-report")
    assert "pandas" in run and not {"scipy", "matplotlib", "openpyxl", "jinja2"} & {m.split(".")[0] for m in run}
    monte_carlo = imported_by("montecarlo", str(RISK), "--draws", "100", "--out", str(tmp_path / "b"))
    assert "scipy.stats" not in monte_carlo                    # only --sobol needs it
    assert {m for m in monte_carlo if m.startswith("mtfpmodel.commands.")} == {
        "mtfpmodel.commands.montecarlo", "mtfpmodel.commands._analysis", "mtfpmodel.commands.run"}


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the drawing process in /proc")
@pytest.mark.parametrize("command", ["run", "montecarlo"])
def test_a_drawing_process_killed_from_outside_is_an_error_not_a_bug(tmp_path, command):
    # The kernel's out-of-memory killer (or kill -9) stopping a helper process. Before: "internal
    # error: RuntimeError ... This is a bug in mtfpmodel" (exit 3), or an UnpicklingError when the
    # Monte Carlo's helper died while it sent back a chunk.
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("previous run\n")
    argv = (["run", str(HAND)] if command == "run"
            else ["montecarlo", str(RISK), "--draws", "3000000"]) + ["--out", str(out)]
    process = subprocess.Popen(MTFP + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env())
    helpers: list[int] = []
    while process.poll() is None and not helpers:
        helpers = _children_of(process.pid)
        time.sleep(0.01)
    if helpers:
        time.sleep(0.3)                          # well into its work: importing matplotlib, or simulating
        os.kill(helpers[0], signal.SIGKILL)
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=120)
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    if code == 1:
        assert f"mtfp {command}: error: " in stderr and "no outputs were written" in stderr, stderr
        assert sorted(p.name for p in out.iterdir()) == ["summary.csv"]
    else:
        assert code == 0, stderr                 # it had finished its work before the kill
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
