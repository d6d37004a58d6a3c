"""Grids of values: the net gap for every pair of values of two inputs (e.g. pay award × council
tax increase), and the ladder of the cabinet pack's sensitivity page — each driver alone at a few
whole-point values (pay 1% … 6%, council tax 1% … 6%), as councils print them. Each value is the
input in every projection year; every grid is one batched engine call (a few, for a large grid of
a large plan: :func:`~mtfpmodel.analysis.batch.project_chunks`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from mtfpmodel.analysis.batch import Batch, project_chunks
from mtfpmodel.analysis.paths import label
from mtfpmodel.engine.parameters import Parameter
from mtfpmodel.scenario.riskconfig import parse_value
from mtfpmodel.scenario.schema import Scenario

MAX_STEPS = 201
RUNGS = 6          # values of each driver on the ladder


@dataclass(frozen=True)
class Grid:
    path_a: str
    values_a: np.ndarray        # (A,)
    path_b: str
    values_b: np.ndarray        # (B,)
    net_gap: np.ndarray         # (A, B, T+1) [scenario unit]

    @property
    def final(self) -> np.ndarray:
        """(A, B) final-year net gap."""
        return self.net_gap[:, :, -1]

    def table(self, labels: Sequence[str]) -> pd.DataFrame:
        """grid.csv: one row per pair and year: PATH_A, PATH_B, year, net_gap."""
        a, b, t = np.meshgrid(self.values_a, self.values_b, np.arange(1, len(labels)), indexing="ij")
        return pd.DataFrame({self.path_a: a.ravel(), self.path_b: b.ravel(),
                             "year": np.asarray(labels)[t.ravel()], "net_gap": self.net_gap[:, :, 1:].ravel()})


def two_way(scenario: Scenario, params: Mapping[str, Parameter], path_a: str, values_a: Sequence[float],
            path_b: str, values_b: Sequence[float]) -> Grid:
    """Project every (a, b) pair: draw i * B + j has path_a = values_a[i], path_b = values_b[j]."""
    a = np.asarray(values_a, dtype=float)
    b = np.asarray(values_b, dtype=float)
    rows_a, rows_b = np.repeat(a, b.size), np.tile(b, a.size)

    def fill(batch: Batch, first: int) -> None:
        rows = slice(first, first + batch.draws)
        batch.set(path_a, _per_row(rows_a[rows], params[path_a]))
        batch.set(path_b, _per_row(rows_b[rows], params[path_b]))
    gap = project_chunks(scenario, params, a.size * b.size, fill)
    return Grid(path_a, a, path_b, b, gap.reshape(a.size, b.size, -1))


def _per_row(values: np.ndarray, param: Parameter) -> np.ndarray:
    return values[:, None] if param.is_series else values


@dataclass(frozen=True)
class Ladder:
    """The net gap with each driver alone at each of its values (the others as planned)."""

    paths: tuple[str, ...]
    values: np.ndarray          # (P, V) each driver's values, each used in every year
    net_gap: np.ndarray         # (P, V, T+1) [scenario unit]

    @property
    def final(self) -> np.ndarray:
        """(P, V) final-year net gap."""
        return self.net_gap[:, :, -1]

    def table(self, labels: Sequence[str]) -> pd.DataFrame:
        """sensitivity_grid.csv: path, label, value, then the net gap in each projection year."""
        rows = [[path, label(path), float(self.values[p, v]), *map(float, self.net_gap[p, v, 1:])]
                for p, path in enumerate(self.paths) for v in range(self.values.shape[1])]
        return pd.DataFrame(rows, columns=["path", "label", "value", *labels[1:]])


def rungs(param: Parameter, step: float = 0.01, count: int = RUNGS) -> np.ndarray:
    """``count`` values ``step`` apart around the plan's average: the plan's value rounded to a
    whole step is the third; a driver the plan never takes below zero starts at 0% at the lowest.
    Pay at 3.2%, 3%, 2.5%, 2.5% → 1%, 2%, …, 6%; council tax at 2.99% → 1% … 6%; energy at
    -5%, 0%, 2%, 2% → -2% … 3%."""
    centre = round(float(np.mean(param.value)) / step) * step
    start = centre - 2 * step
    if np.all(param.value >= 0):
        start = max(start, 0.0)
    return np.round(start + step * np.arange(count), 12)


def ladder(scenario: Scenario, params: Mapping[str, Parameter], paths: Sequence[str], step: float = 0.01) -> Ladder:
    """Project every driver at each of its :func:`rungs`: draw p * V + v has driver p at value v."""
    values = np.array([rungs(params[path], step) for path in paths]).reshape(len(paths), RUNGS)

    def fill(batch: Batch, first: int) -> None:
        last = first + batch.draws
        for p in range(first // RUNGS, -(-last // RUNGS)):          # the drivers with a draw in this chunk
            start, stop = max(p * RUNGS, first), min((p + 1) * RUNGS, last)
            batch.set(paths[p], _per_row(values[p, start - p * RUNGS:stop - p * RUNGS], params[paths[p]]),
                      rows=slice(start - first, stop - first))
    gap = project_chunks(scenario, params, len(paths) * RUNGS, fill)
    return Ladder(tuple(paths), values, gap.reshape(len(paths), RUNGS, scenario.years + 1))


def parse_range(text: str) -> tuple[str, np.ndarray]:
    """'assumptions.pay=2%..5%:0.5%' → ('assumptions.pay', [0.02, 0.025, ..., 0.05]); ValueError if malformed."""
    path, sep, spec = text.rpartition("=")
    span, sep2, step_text = spec.partition(":")
    low_text, sep3, high_text = span.partition("..")
    if not (sep and sep2 and sep3 and path.strip()):
        raise ValueError(f"'{text}' is not PATH=LOW..HIGH:STEP (e.g. assumptions.pay=2%..5%:0.5%)")
    low, high, step = (parse_value(x.strip()) for x in (low_text, high_text, step_text))
    if step <= 0 or high < low:
        raise ValueError(f"'{text}': need LOW <= HIGH and a STEP above 0")
    count = int(round((high - low) / step)) + 1
    if count > MAX_STEPS:
        raise ValueError(f"'{text}' gives {count} values; use a larger STEP (at most {MAX_STEPS} values)")
    return path.strip(), np.round(low + step * np.arange(count), 12)     # 0.0299, not 0.029900000000000003
