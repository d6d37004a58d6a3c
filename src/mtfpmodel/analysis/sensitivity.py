"""One-way sensitivity and the tornado: how far each input moves the net gap, one at a time.

For each input path p and shift s (±step percentage points on every year of a rate):
``change[p, s, t] = net_gap[t] with p shifted - net_gap[t] as planned`` [scenario unit]. Three
figures sum it up, each named for what it is:

    first_year_change   = change[p, s, 1]          (the council's usual "each 1% ≈ £Xm a year")
    final_year_change   = change[p, s, T]          (how much higher the final year's gap is)
    sum_of_years_change = sum over t = 1..T of change[p, s, t]   (the one-off money to meet them all)

The first-year change is what one point on one year's rate costs, and it stays in the budget:
a rate one point higher in every year builds up to about T times it by the final year. Every
shifted plan is one draw of a batched engine call (a few calls, for a plan of thousands of lines:
:func:`~mtfpmodel.analysis.batch.project_chunks`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from mtfpmodel.analysis.batch import Batch, project_chunks
from mtfpmodel.analysis.paths import in_percent, label
from mtfpmodel.engine.parameters import Parameter
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.units import rounded_money


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

    @property
    def first_year_change(self) -> np.ndarray:
        """(P,) change in the first projection year's net gap, input up by step [scenario unit]."""
        return self.change_up[:, 1]

    @property
    def final_year_change(self) -> np.ndarray:
        """(P,) change in the final year's net gap, input up by step in every year [scenario unit]."""
        return self.change_up[:, -1]

    @property
    def sum_of_years_change(self) -> np.ndarray:
        """(P,) the changes in each projection year's net gap added up [scenario unit]."""
        return self.change_up[:, 1:].sum(axis=1)

    def table(self, labels: Sequence[str]) -> pd.DataFrame:
        """sensitivity.csv: one row per path and shift (up, then down): path, label, shift, the
        change in each projection year's net gap (a column per year), then first_year_change,
        final_year_change and sum_of_years_change [scenario unit]."""
        rows = []
        for p, path in enumerate(self.paths):
            for shift, gaps in ((self.step, self.up[p]), (-self.step, self.down[p])):
                change = gaps - self.base
                rows.append([path, label(path), shift, *change[1:], change[1], change[-1], change[1:].sum()])
        columns = ["path", "label", "shift", *labels[1:], "first_year_change", "final_year_change",
                   "sum_of_years_change"]
        return pd.DataFrame(rows, columns=columns)

    def sentence(self, p: int, labels: Sequence[str], unit: str) -> str:
        """'each +1% on pay: +£0.6m in 2026/27, +£2.7m a year by 2029/30' — the first-year change and
        the final year's (never called a total: it is one year's figure)."""
        shift = f"{self.step * 100:g}%"
        text = (f"each +{shift} on {label(self.paths[p])}: {rounded_money(self.first_year_change[p], unit, True)} in "
                f"{labels[1]}")
        if len(labels) > 2:             # a plan of one year has no later year to give
            text += f", {rounded_money(self.final_year_change[p], unit, True)} a year by {labels[-1]}"
        return text

    def largest(self, top: int) -> list[int]:
        """Indices of the ``top`` paths with the largest final-year change, largest first."""
        return list(np.argsort(-np.abs(self.final_year_change), kind="stable")[:max(top, 0)])


def one_way(scenario: Scenario, params: Mapping[str, Parameter], paths: Sequence[str], step: float) -> OneWay:
    """Shift each path by ±step in every year: draw 0 is the plan, draw 1 + 2p has path p up, 2 + 2p down."""
    shifts = (step, -step)
    gap = _net_gap(scenario, params, paths, lambda batch, path, side, row: batch.add(path, shifts[side], rows=[row]))
    return OneWay(tuple(paths), step, gap[0], gap[2::2], gap[1::2])


@dataclass(frozen=True)
class Tornado:
    """Final-year net gap with each path at its low and its high value; sorted by swing."""

    paths: tuple[str, ...]
    low_labels: tuple[str, ...]     # e.g. '2%' or '1pt lower'
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
            shifted: OneWay) -> Tornado:
    """Low/high from ``ranges`` (values in every year) when given, else the one-way table
    ``shifted`` (:func:`one_way`, already projected): ±its step on its paths."""
    if ranges:
        chosen = list(ranges)
        lows = tuple(_show(ranges[path][0], params[path], scenario) for path in chosen)
        highs = tuple(_show(ranges[path][1], params[path], scenario) for path in chosen)
        gap = _net_gap(scenario, params, chosen,
                       lambda batch, path, side, row: batch.set(path, ranges[path][side], rows=[row]))[:, -1]
        low, high = gap[1::2], gap[2::2]
    else:
        chosen, step = list(shifted.paths), shifted.step
        low, high, gap = shifted.down[:, -1], shifted.up[:, -1], shifted.base[None, -1]
        # In words, not '-1pt' and '+1pt': a spreadsheet opening tornado.csv reads a cell that
        # starts with '-' or '+' and is not a number as a formula (#NAME?).
        lows = (f"{step * 100:g}pt lower",) * len(chosen)
        highs = (f"{step * 100:g}pt higher",) * len(chosen)
    order = np.argsort(-np.abs(high - low), kind="stable")
    pick = lambda seq: tuple(seq[i] for i in order)  # noqa: E731
    return Tornado(pick(chosen), pick(lows), pick(highs), float(gap[0]), low[order], high[order])


def _net_gap(scenario: Scenario, params: Mapping[str, Parameter], paths: Sequence[str],
             move: Callable[[Batch, str, int, int], None]) -> np.ndarray:
    """(1 + 2P, T+1) net gap: draw 0 the plan, then for each path p draws 1 + 2p and 2 + 2p, where
    ``move(batch, path, side, row)`` moves ``path`` to its side 0 (up, or low) or 1 (down, or high)
    in the chunk's ``row``."""
    def fill(batch: Batch, first: int) -> None:
        for draw in range(max(first, 1), first + batch.draws):
            p, side = divmod(draw - 1, 2)
            move(batch, paths[p], side, draw - first)
    return project_chunks(scenario, params, 1 + 2 * len(paths), fill)


def _show(value: float, param: Parameter, scenario: Scenario) -> str:
    """A range's end as tornado.csv and the terminal show it: a rate or share in % ('2%', a grant's certainty
    '50%'), else the number as written (no unit after it: a spreadsheet reads a cell such as '-500 £000' as a
    formula)."""
    return f"{value * 100:g}%" if in_percent(param.path, param, scenario) else f"{value:,.10g}"
