"""``unit_cost``: volumes moved from a dearer to a cheaper unit cost.

gross[t] = volume[t] * (from[t] - to[t]) * periods_per_year / unit, with
from[t] = unit_cost_from * prod_{s=1..t}(1 + unit_cost_growth[s]) and likewise ``to``.
Unit costs are in pounds per period at base-year prices (e.g. £ per week of a placement).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import Field, field_validator

from mtfpmodel.fields import Number, Rate, Volume
from mtfpmodel.series import Series
from mtfpmodel.streams.base import Getter, Layout, Projection, StreamBase


class UnitCostStream(StreamBase):
    kind: Literal["unit_cost"] = Field(description="unit_cost: volumes moved from a dearer to a cheaper unit cost.")
    volume: Volume = Field(description="Units moved in each year (a level, e.g. placements [4, 8, 12, 12]).")
    unit_cost_from: Number = Field(ge=0, description="Unit cost before [£ per period, base-year prices].")
    unit_cost_to: Number = Field(ge=0, description="Unit cost after [£ per period, base-year prices].")
    periods_per_year: Number = Field(52.0, gt=0, description="Periods in a year (52 for weekly costs).")
    unit_cost_growth: Rate = Field(Series(ref="none"), description="Growth of both unit costs [% a year].")

    @field_validator("volume")
    @classmethod
    def _non_negative(cls, value: Series) -> Series:
        if value.values is not None and any(v < 0 for v in value.values):
            raise ValueError("volume cannot be negative")
        return value

    def parameters(self) -> dict:
        return {"volume": ("volume", self.volume), "unit_cost_from": ("scalar", self.unit_cost_from),
                "unit_cost_to": ("scalar", self.unit_cost_to),
                "periods_per_year": ("scalar", self.periods_per_year),
                "unit_cost_growth": ("rate", self.unit_cost_growth), **self.common_parameters()}


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
