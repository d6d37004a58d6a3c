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
