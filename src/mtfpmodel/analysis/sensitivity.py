"""One-way sensitivity and the tornado: how far each input moves the net gap, one at a time.

For each input path p and shift s (±step percentage points on every year of a rate):
``change[p, s, t] = net_gap[t] with p shifted - net_gap[t] as planned`` [scenario unit], and
the cumulative change over the plan ``change[p, s, T] - change[p, s, 0]`` (the sum of the
in-year changes: what MTFPs call the cumulative gap). Every shifted plan is one draw of a
single batched engine call.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from mtfpmodel.analysis.batch import Batch, project_batch
from mtfpmodel.analysis.paths import label
from mtfpmodel.engine.parameters import Parameter
from mtfpmodel.scenario.schema import Scenario


@dataclass(frozen=True)
class OneWay:
    """Net gap for each path moved down and up by ``step``; draws axis gone."""

    paths: tuple[str, ...]
    step: float
    base: np.ndarray        # (T+1,) net gap as planned
    down: np.ndarray        # (P, T+1) net gap with the path lowered by step
    up: np.ndarray          # (P, T+1) net gap with the path raised by step

    @property
    def change_up(self) -> np.ndarray:
        return self.up - self.base

    @property
    def change_down(self) -> np.ndarray:
        return self.down - self.base

    def table(self, labels: Sequence[str]) -> pd.DataFrame:
        """sensitivity.csv: path, label, shift, year, base_net_gap, net_gap, change (plus 'cumulative' rows)."""
        rows = []
        for p, path in enumerate(self.paths):
            for shift, gaps in ((self.step, self.up[p]), (-self.step, self.down[p])):
                for t in range(1, len(labels)):
                    rows.append((path, label(path), shift, labels[t], self.base[t], gaps[t], gaps[t] - self.base[t]))
                base_cum, cum = self.base[-1] - self.base[0], gaps[-1] - gaps[0]
                rows.append((path, label(path), shift, "cumulative", base_cum, cum, cum - base_cum))
        return pd.DataFrame(rows, columns=["path", "label", "shift", "year", "base_net_gap", "net_gap", "change"])


def one_way(scenario: Scenario, params: Mapping[str, Parameter], paths: Sequence[str], step: float) -> OneWay:
    """Shift each path by ±step in every year, all in one engine call (draw 0 is the plan)."""
    batch = Batch(params, 1 + 2 * len(paths))
    for p, path in enumerate(paths):
        batch.add(path, step, rows=[1 + 2 * p])
        batch.add(path, -step, rows=[2 + 2 * p])
    gap = _net_gap(scenario, params, batch)
    return OneWay(tuple(paths), step, gap[0], gap[2::2], gap[1::2])


@dataclass(frozen=True)
class Tornado:
    """Final-year net gap with each path at its low and its high value; sorted by swing."""

    paths: tuple[str, ...]
    low_labels: tuple[str, ...]     # e.g. '2%' or '-1pt'
    high_labels: tuple[str, ...]
    base: float                     # final-year net gap as planned [scenario unit]
    low: np.ndarray                 # (P,) final-year net gap at the low value
    high: np.ndarray                # (P,)

    @property
    def swing(self) -> np.ndarray:
        return np.abs(self.high - self.low)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"path": self.paths, "label": [label(p) for p in self.paths],
                             "low_value": self.low_labels, "high_value": self.high_labels,
                             "base_net_gap": self.base, "net_gap_at_low": self.low,
                             "net_gap_at_high": self.high, "swing": self.swing})


def tornado(scenario: Scenario, params: Mapping[str, Parameter], ranges: Mapping[str, Sequence[float]] | None,
            paths: Sequence[str], step: float) -> Tornado:
    """Low/high from ``ranges`` (values in every year) when given, else ±step on ``paths``."""
    if ranges:
        chosen = list(ranges)
        batch = Batch(params, 1 + 2 * len(chosen))
        for p, path in enumerate(chosen):
            batch.set(path, ranges[path][0], rows=[1 + 2 * p])
            batch.set(path, ranges[path][1], rows=[2 + 2 * p])
        lows = tuple(_show(ranges[path][0], params[path].kind) for path in chosen)
        highs = tuple(_show(ranges[path][1], params[path].kind) for path in chosen)
        gap = _net_gap(scenario, params, batch)[:, -1]
        low, high = gap[1::2], gap[2::2]
    else:
        chosen = list(paths)
        result = one_way(scenario, params, chosen, step)
        low, high, gap = result.down[:, -1], result.up[:, -1], result.base[None, -1]
        lows = (f"-{step * 100:g}pt",) * len(chosen)
        highs = (f"+{step * 100:g}pt",) * len(chosen)
    order = np.argsort(-np.abs(high - low), kind="stable")
    pick = lambda seq: tuple(seq[i] for i in order)  # noqa: E731
    return Tornado(pick(chosen), pick(lows), pick(highs), float(gap[0]), low[order], high[order])


def _net_gap(scenario: Scenario, params: Mapping[str, Parameter], batch: Batch) -> np.ndarray:
    results = project_batch(scenario, params, batch.overrides())
    return np.broadcast_to(results.net_gap, (batch.draws, results.net_gap.shape[1]))


def _show(value: float, kind: str) -> str:
    return f"{value * 100:g}%" if kind == "rate" else f"{value:,.10g}"
