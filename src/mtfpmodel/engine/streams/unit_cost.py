"""``unit_cost``: volumes moved from a dearer to a cheaper unit cost.

gross[t] = volume[t] * (from[t] - to[t]) * periods_per_year / unit, with
from[t] = unit_cost_from * prod_{s=1..t}(1 + unit_cost_growth[s]) and likewise ``to``.
Unit costs are in pounds per period at base-year prices (e.g. £ per week of a placement).

With ``moves_from`` the cost before is the projected unit cost of a volume-driven line, and the
moved volume is held at the line's volume: gross[t] = min(volume[t], volume[L,t]) *
(annual_unit_cost[L,t] - to[t] * periods_per_year / unit).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtfpmodel.engine.arrays import compound
from mtfpmodel.engine.streams.base import Getter, Layout, Projection
from mtfpmodel.scenario.streams import UnitCostStream


@dataclass(frozen=True)
class UnitCostInputs:
    volume: np.ndarray        # (D, T+1)
    cost_from: np.ndarray     # (D,) [£ per period]; unused with moves_from
    cost_to: np.ndarray       # (D,)
    periods: np.ndarray       # (D,)
    growth: np.ndarray        # (D, T+1)
    unit: float               # pounds per scenario unit
    moves_from: int | None = None   # index of the volume-driven line the units come off


def compile(stream: UnitCostStream, get: Getter, layout: Layout) -> UnitCostInputs:
    moves_from = None if stream.moves_from is None else layout.line_index(stream.moves_from)
    cost_from = get("unit_cost_from") if moves_from is None else np.zeros(1)
    return UnitCostInputs(volume=get("volume"), cost_from=cost_from, cost_to=get("unit_cost_to"),
                          periods=get("periods_per_year"), growth=get("unit_cost_growth"),
                          unit=layout.unit, moves_from=moves_from)


def gross(inputs: UnitCostInputs, projection: Projection) -> np.ndarray:
    """Gross saving [scenario unit] = volume * (from - to) * periods / unit; 0 in the base year."""
    index = compound(inputs.growth)
    if inputs.moves_from is None:
        difference = (inputs.cost_from - inputs.cost_to)[:, None] * index
        saving = inputs.volume * difference * inputs.periods[:, None] / inputs.unit
    else:
        line = inputs.moves_from
        moved = np.minimum(inputs.volume, projection.line_volume[:, line, :])
        cheaper = inputs.cost_to[:, None] * index * inputs.periods[:, None] / inputs.unit
        saving = moved * (projection.annual_unit_cost[:, line, :] - cheaper)
    saving[:, 0] = 0.0
    return saving
