"""Two-way grid: the net gap for every pair of values of two inputs (e.g. pay award × council
tax increase), all pairs in one engine call. Each value is the input in every projection year.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from mtfpmodel.analysis.batch import Batch, project_batch
from mtfpmodel.engine.parameters import Parameter
from mtfpmodel.scenario.riskconfig import parse_value
from mtfpmodel.scenario.schema import Scenario

MAX_STEPS = 201


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
    batch = Batch(params, a.size * b.size)
    batch.set(path_a, _per_row(rows_a, params[path_a]))
    batch.set(path_b, _per_row(rows_b, params[path_b]))
    gap = project_batch(scenario, params, batch.overrides()).net_gap
    gap = np.broadcast_to(gap, (batch.draws, gap.shape[1]))
    return Grid(path_a, a, path_b, b, gap.reshape(a.size, b.size, -1))


def _per_row(values: np.ndarray, param: Parameter) -> np.ndarray:
    return values[:, None] if param.is_series else values


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
    return path.strip(), low + step * np.arange(count)
