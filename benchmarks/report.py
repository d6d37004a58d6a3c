"""Time ``mtfp report`` (the whole cabinet pack) against a plain ``mtfp run``; print the ratio.

Not a test (timings depend on the machine). Run from the repository root:

    .venv/bin/python benchmarks/report.py [--repeats N]

Each command runs as its own process (start-up, imports, analyses, charts and documents all
count), into a fresh temporary folder; the median of N runs of each is reported, and their
ratio against the target of 5x:

    mtfp report scenarios/durham-risk.yaml --variants scenarios/durham-optimistic.yaml \
        scenarios/durham-pessimistic.yaml
    mtfp run scenarios/durham-risk.yaml
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
PLAN = SCENARIOS / "durham-risk.yaml"
VARIANTS = [SCENARIOS / "durham-optimistic.yaml", SCENARIOS / "durham-pessimistic.yaml"]
TARGET = 5.0


def timed(arguments: list[str]) -> float:
    """Seconds for one ``mtfp`` process writing into a fresh temporary folder."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "mtfpmodel", *arguments, "--out", str(Path(folder) / "out")]
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        return time.perf_counter() - start


def median_of(arguments: list[str], repeats: int) -> float:
    return statistics.median(timed(arguments) for _ in range(repeats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command (default 3)")
    args = parser.parse_args()
    run = median_of(["run", str(PLAN)], args.repeats)
    report = median_of(["report", str(PLAN), "--variants", *map(str, VARIANTS)], args.repeats)
    ratio = report / run
    print(f"mtfp run    {PLAN.name}: {run:6.2f} s (median of {args.repeats})")
    print(f"mtfp report {PLAN.name} + 2 variants: {report:6.2f} s (median of {args.repeats})")
    print(f"ratio {ratio:.2f}x (target under {TARGET:g}x): {'met' if ratio < TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
