"""Time the engine with 100,000 draws and ``mtfp run`` end to end; print timings and peak memory.

Not a test (timings depend on the machine). Run from the repository root:

    .venv/bin/python benchmarks/engine.py [SCENARIO] [--draws N]

The engine call varies, per draw, every assumption and the demand of every expenditure line
(overrides with a draws axis, as sensitivity and Monte Carlo pass them), so it exercises the
batched path including the savings streams.
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

import mtfpmodel
from mtfpmodel.engine import parameters as P
from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.engine.projection import project

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = next((p for p in (ROOT / "scenarios" / "example.yaml", ROOT / "tests" / "scenarios" / "streams.yaml")
                if p.is_file()), None)


def draw_overrides(scenario, params, draws: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Assumptions ±2 points and line demand ±1 point around their values, one row per draw."""
    rng = np.random.default_rng(seed)
    out = {}
    for path, param in params.items():
        if path.startswith("assumptions."):
            out[path] = param.value + rng.normal(0, 0.02, (draws, scenario.years))
        elif path.startswith("expenditure[") and path.endswith(".demand"):
            out[path] = param.value + rng.normal(0, 0.01, (draws, scenario.years))
    return out


def time_engine(path: Path, draws: int) -> None:
    scenario = mtfpmodel.load(path).scenario
    params = P.collect(scenario)
    overrides = draw_overrides(scenario, params, draws)
    tracemalloc.start()
    start = time.perf_counter()
    results = project(build_inputs(scenario, overrides, params))
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"engine: {draws:,} draws x {scenario.years} years, {len(scenario.expenditure)} lines, "
          f"{len(scenario.savings)} streams, {len(overrides)} inputs varied")
    print(f"  {seconds:.3f} s for one build_inputs + project call; peak traced memory {peak / 1e6:,.0f} MB")
    print(f"  final-year net gap: mean {results.net_gap[:, -1].mean():,.1f}, "
          f"sd {results.net_gap[:, -1].std():,.1f} [{scenario.units}]; "
          f"{results.balances.mean():.1%} of draws balance")


def time_run(path: Path) -> None:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "mtfpmodel.cli", "run", str(path), "--out", out],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"mtfp run {path.name}: {seconds:.2f} s wall (exit {done.returncode}), "
          f"peak resident memory {peak:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--draws", type=int, default=100_000)
    args = parser.parse_args()
    time_engine(args.scenario, args.draws)
    time_run(args.scenario)


if __name__ == "__main__":
    main()
