"""Each budget line's volume and price index: the per-line factors of its cost-mix part.

Every line's cost-mix part is ``scale[L] x w[c] x inflation[c,t] x volume[L,t]``. For a line
with a base budget the scale is that budget and the volume is its demand index (1 in the base
year); for a volume-driven line the scale is what one unit costs a year at base-year prices
(``unit_cost x periods_per_year / unit``) and the volume is the units bought. The equations are
in docs/reference.md (expenditure lines).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from mtfpmodel.engine.arrays import compound, stack, with_base
from mtfpmodel.scenario.schema import Scenario


@dataclass(frozen=True)
class VolumeInputs:
    """Volumes and scales of every line, draws axis first."""

    base: np.ndarray       # (D, L) base-year volume; 1 for lines with a base budget
    growth: np.ndarray     # (D, L, T+1) volume growth; demand for lines with a base budget
    values: np.ndarray     # (D, L, T+1) levels given year by year (used where ``given``), base in t = 0
    given: np.ndarray      # (L,) bool: levels given year by year
    scale: np.ndarray      # (D, L) base budget, or unit_cost * periods / unit [scenario unit a year per unit]
    periods: np.ndarray    # (D, L) periods a year of volume-driven lines (1 for lines with a base budget)
    is_volume: np.ndarray  # (L,) bool: volume-driven


def compile_volumes(scenario: Scenario, values: Mapping[str, np.ndarray],
                    series: Callable[[str], np.ndarray], unit: float) -> VolumeInputs:
    """The volume inputs of every line from the resolved parameter ``values``."""
    T = scenario.years
    flat = np.zeros((1, T + 1))
    base, growth, levels, scale, periods = [], [], [], [], []
    for line in scenario.expenditure:
        path = f"expenditure[{line.name}]"
        if line.volume is None:
            base.append(np.ones(1))
            growth.append(series(f"{path}.demand"))
            levels.append(flat)
            scale.append(values[f"{path}.base"])
            periods.append(np.ones(1))
            continue
        start = values[f"{path}.volume.base"]
        base.append(start)
        given = line.volume.values is not None
        growth.append(flat if given else series(f"{path}.volume.growth"))
        levels.append(with_base(series(f"{path}.volume.values"), start) if given else flat)
        per = values[f"{path}.periods_per_year"]
        scale.append(values[f"{path}.unit_cost"] * per / unit)
        periods.append(per)
    return VolumeInputs(
        base=stack(base, T, scalar=True), growth=stack(growth, T), values=stack(levels, T),
        given=np.array([line.volume is not None and line.volume.values is not None for line in scenario.expenditure]),
        scale=stack(scale, T, scalar=True), periods=stack(periods, T, scalar=True),
        is_volume=np.array([line.volume is not None for line in scenario.expenditure]))


def line_volume(v: VolumeInputs) -> np.ndarray:
    """volume[L,t] = volume[L,t-1] * (1 + growth[L,t]) from the base, or the levels given; (D, L, T+1)."""
    grown = v.base[:, :, None] * compound(v.growth)
    return np.where(v.given[None, :, None], v.values, grown) if v.given.any() else grown


def price_index(inflation: np.ndarray, share: np.ndarray, assumption: np.ndarray,
                component_line: np.ndarray, line: int) -> np.ndarray:
    """price[L,t] = sum over the line's cost-mix parts c of w[c] * prod over s <= t of (1 + rate[c,s]); (D, T+1)."""
    parts = np.flatnonzero(component_line == line)
    return sum(share[k] * inflation[:, assumption[k], :] for k in parts)


def annual_unit_cost(v: VolumeInputs, prices: dict[int, np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """Cost of one unit for a year [scenario unit]: scale[L] * price[L,t] for volume-driven lines, else NaN.

    ``prices`` holds the price index of each volume-driven line by line index (others, such as a
    base-budget line's contracts, may be there too: they have no unit cost); ``shape`` is (D, L, T+1).
    """
    out = np.full(shape, np.nan)
    for line in np.flatnonzero(v.is_volume):
        out[:, line, :] = v.scale[:, line, None] * prices[line]
    return out
