"""``unit_cost``: volumes moved from a dearer to a cheaper unit cost.

gross[t] = volume[t] * (from[t] - to[t]) * periods_per_year / unit, with
from[t] = unit_cost_from * prod_{s=1..t}(1 + unit_cost_growth[s]) and likewise ``to``.
Unit costs are in pounds per period at base-year prices (e.g. £ per week of a placement).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtfpmodel.engine.streams.base import Getter, Layout, Projection
from mtfpmodel.scenario.streams import UnitCostStream


@dataclass(frozen=True)
class UnitCostInputs:
    volume: np.ndarray        # (D, T+1)
    cost_from: np.ndarray     # (D,) [£ per period]
    cost_to: np.ndarray       # (D,)
    periods: np.ndarray       # (D,)
    growth: np.ndarray        # (D, T+1)
    unit: float               # pounds per scenario unit


def compile(stream: UnitCostStream, get: Getter, layout: Layout) -> UnitCostInputs:
    return UnitCostInputs(volume=get("volume"), cost_from=get("unit_cost_from"), cost_to=get("unit_cost_to"),
                          periods=get("periods_per_year"), growth=get("unit_cost_growth"),
                          unit=layout.unit)


def gross(inputs: UnitCostInputs, projection: Projection) -> np.ndarray:
    """Gross saving [scenario unit] = volume * (from - to) * periods / unit; 0 in the base year."""
    index = np.cumprod(1.0 + inputs.growth, axis=-1)
    difference = (inputs.cost_from - inputs.cost_to)[:, None] * index
    saving = inputs.volume * difference * inputs.periods[:, None] / inputs.unit
    saving[:, 0] = 0.0
    return saving
