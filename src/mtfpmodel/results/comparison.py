"""Several plans side by side: the rows of ``compare.csv`` and of the cabinet pack's scenarios page.

Money is converted to one unit (the first plan's, by default), so plans written in £, £000 and
£m can be compared; every figure is read from each plan's own ``Result.summary``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd

from mtfpmodel.results.result import Result
from mtfpmodel.scenario.units import UNITS

COLUMNS = ["scenario", "year", "net_gap", "closing_reserves", "status"]


def names(results: Sequence[Result], paths: Sequence[str | Path]) -> list[str]:
    """Each scenario's name, or its file name where two scenarios share a name."""
    plain = [r.scenario.scenario for r in results]
    named = [name if plain.count(name) == 1 else Path(path).stem for name, path in zip(plain, paths)]
    return [name if named.count(name) == 1 else f"{name} ({i + 1})" for i, name in enumerate(named)]


def factor(result: Result, unit: str) -> float:
    """What a figure of ``result`` is multiplied by to be in ``unit``."""
    return UNITS[result.units] / UNITS[unit]


def compare_table(results: Sequence[Result], labels: Sequence[str], unit: str) -> pd.DataFrame:
    """One row per scenario and projection year; money converted to ``unit``."""
    frames = []
    for result, label in zip(results, labels):
        k = factor(result, unit)
        summary = result.summary
        frames.append(pd.DataFrame({
            "scenario": label, "year": summary["year"], "net_gap": summary["net_gap"] * k,
            "closing_reserves": summary["closing_reserves"] * k, "status": summary["status"],
        }))
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def budgets(results: Sequence[Result], unit: str) -> list[float]:
    """Every plan's net expenditure in every year, in ``unit`` (what the charts' £m rule reads)."""
    return [float(v) * factor(r, unit) for r in results for v in r.results.net_expenditure[0]]


def summaries(results: Sequence[Result], labels: Sequence[str], cases: Sequence[str], unit: str) -> pd.DataFrame:
    """scenarios.csv: case, scenario, then every column of each plan's summary, money in ``unit``."""
    frames = []
    for result, label, case in zip(results, labels, cases):
        k = factor(result, unit)
        frame = result.summary.copy()
        money = [c for c in frame.columns if c not in ("year", "status")]
        frame[money] = frame[money] * k
        frame.insert(0, "scenario", label)
        frame.insert(0, "case", case)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def cases(final_gaps: Sequence[float], central: int = 0) -> list[str]:
    """'central' for the plan itself; of the others, the lowest final-year net gap below the
    central one's is 'best', the highest above it 'worst', any other a 'variant'."""
    out = ["variant"] * len(final_gaps)
    out[central] = "central"
    others = [i for i in range(len(final_gaps)) if i != central]
    below = [i for i in others if final_gaps[i] < final_gaps[central]]
    above = [i for i in others if final_gaps[i] > final_gaps[central]]
    if below:
        out[min(below, key=lambda i: final_gaps[i])] = "best"
    if above:
        out[max(above, key=lambda i: final_gaps[i])] = "worst"
    return out
