"""Time whole ``mtfp`` commands, as a user runs them, against a bare Python floor.

Not a test (timings depend on the machine). Run from anywhere, with the project's interpreter:

    .venv/bin/python benchmarks/cli.py [--repeat N] [--quick]

What is measured: the wall time of each command as a separate process (interpreter start-up,
imports, reading the scenario, the work itself and writing every output), from spawning it to
its exit, with stdout and stderr captured and thrown away:

    mtfp validate scenarios/example.yaml
    mtfp run scenarios/example.yaml --out TMP                  (charts, workbook, report)
    mtfp montecarlo scenarios/durham-risk.yaml --draws 10000 --out TMP
    mtfp montecarlo scenarios/durham-risk.yaml --draws 100000 --out TMP

Each command runs once to warm up (OS file cache, .pyc files: PYTHONDONTWRITEBYTECODE is
dropped from the commands' environment so that the warm-up can write them), then ``--repeat``
times (default 5; ``--quick`` runs 3 and skips the 100,000-draw case), each run writing to a
fresh temporary directory; the table shows the median, min and max. A command that fails stops
the benchmark with its stderr (exit 1). Beside them, the CPU seconds each command used (its
helper processes included) and so how many cores it kept busy: a command whose work is spread
over every core cannot finish faster than its CPU seconds divided by the cores.

Why ratios: absolute seconds differ from machine to machine and from minute to minute on the
same machine, so each median is divided by the median of a floor measured alongside it with
the same interpreter, ``python -c "import numpy, yaml"`` (the least any command can cost): the
floor runs just before each timed run of each command, so a machine that slows down or speeds
up during the benchmark moves both. The
targets are on that ratio: validate <= 3x, run <= 10x, montecarlo 100k <= 10x (10k is reported
without a target). Keep other load on the machine low while it runs.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = "{out}"  # replaced by a fresh temporary directory for every run
# The warm-up run should leave .pyc files behind, as it does for a user; an inherited
# PYTHONDONTWRITEBYTECODE would make every timed run recompile mtfpmodel's own modules.
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def find_mtfp() -> list[str]:
    """The command that starts mtfp with this interpreter's installation."""
    beside = Path(sys.executable).parent / "mtfp"
    if beside.is_file():
        return [str(beside)]
    try:
        runnable = importlib.util.find_spec("mtfpmodel.__main__") is not None
    except ImportError:
        runnable = False
    if runnable:
        return [sys.executable, "-m", "mtfpmodel"]
    found = shutil.which("mtfp")
    if found:
        return [found]
    sys.exit("benchmarks/cli.py: cannot find mtfp (not beside this interpreter, no "
             "'python -m mtfpmodel', not on PATH); run 'make install' first.")


def run_once(argv: list[str]) -> float:
    """Seconds from spawning ``argv`` to its exit; stop the benchmark if it fails. The CPU
    seconds it used, its helper processes included, are added to :data:`CPU`."""
    with tempfile.TemporaryDirectory(prefix="mtfp-bench-") as out:
        command = [out if part == OUT else part for part in argv]
        before = _children_cpu()
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=ENV, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        CPU.append(_children_cpu() - before)
    if done.returncode != 0:
        print(f"benchmarks/cli.py: command failed (exit {done.returncode}):\n"
              f"  {' '.join(command)}\n"
              f"stderr:\n{done.stderr.rstrip() or '(empty)'}", file=sys.stderr)
        sys.exit(1)
    return seconds


CPU: list[float] = []      # CPU seconds (user + system) of each run, in the order run


def _children_cpu() -> float:
    """CPU seconds used so far by every finished process this one started, and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(argv: list[str], floor_argv: list[str], repeat: int) -> tuple[list[float], list[float], list[float]]:
    """``repeat`` timed runs of ``argv``, each just after a timed run of the floor (after one
    untimed run of each): the seconds of the command's runs, of the floor's beside them, and the
    CPU seconds of the command's runs."""
    run_once(floor_argv)
    run_once(argv)  # warm-up, not timed
    times, floors, cpu = [], [], []
    for _ in range(repeat):
        floors.append(run_once(floor_argv))
        times.append(run_once(argv))
        cpu.append(CPU[-1])
    return times, floors, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--quick", action="store_true",
                        help="3 timed runs per command and skip the 100,000-draw Monte Carlo")
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    if repeat < 1:
        parser.error("--repeat must be at least 1")

    mtfp = find_mtfp()
    floor_argv = [sys.executable, "-c", "import numpy, yaml"]
    # (label, mtfp arguments, target ratio or None)
    cases = [
        ("validate", ["validate", "scenarios/example.yaml"], 3.0),
        ("run", ["run", "scenarios/example.yaml", "--out", OUT], 10.0),
        ("montecarlo 10k", ["montecarlo", "scenarios/durham-risk.yaml",
                            "--draws", "10000", "--out", OUT], None),
    ]
    if not args.quick:
        cases.append(("montecarlo 100k", ["montecarlo", "scenarios/durham-risk.yaml",
                                          "--draws", "100000", "--out", OUT], 10.0))

    print(f"interpreter: {sys.executable} (Python {sys.version.split()[0]})")
    print(f"mtfp:        {' '.join(mtfp)}")
    print(f"repeat:      {repeat} timed runs per command, after one warm-up run; cwd {ROOT}")

    print(f"floor:       python -c \"import numpy, yaml\", run before each timed run of each command")
    print()

    header = (f"{'command':<17} {'median s':>9} {'min s':>7} {'max s':>7} {'floor s':>8} {'ratio':>7} "
              f"{'target':>7}  {'met':<7} {'cpu s':>6} {'cores':>6}")
    print(header)
    print("-" * len(header))
    missed = 0
    for label, arguments, target in cases:
        times, floors, cpu = measure(mtfp + arguments, floor_argv, repeat)
        median, floor_median = statistics.median(times), statistics.median(floors)
        ratio = median / floor_median
        if target is None:
            target_text, met = "-", "-"
        else:
            target_text = f"<={target:g}x"
            met = "met" if ratio <= target else "not met"
            missed += ratio > target
        cpu_median = statistics.median(cpu)
        print(f"{label:<17} {median:>9.3f} {min(times):>7.3f} {max(times):>7.3f} {floor_median:>8.3f} "
              f"{ratio:>6.1f}x {target_text:>7}  {met:<7} {cpu_median:>6.2f} {cpu_median / median:>6.2f}",
              flush=True)
    print()
    print("cpu s: median CPU seconds (user + system) of the command and every process it started;")
    print(f"cores: cpu s / median s, how many of this machine's {os.cpu_count()} cores were busy on average")
    print("       (numpy's BLAS threads start with it and count too: a one-process command can show over 1).")
    print(f"The median wall time cannot be under cpu s / {os.cpu_count()}.")
    print()
    print("commands:")
    for label, arguments, _ in cases:
        print(f"  {label:<17} mtfp {' '.join(arguments).replace(OUT, '<tmpdir>')}")
    if missed:
        print(f"\n{missed} target{'s' if missed != 1 else ''} not met.")


if __name__ == "__main__":
    main()
