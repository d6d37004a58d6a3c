"""What the engine needs of every savings stream kind.

A kind is one module in this package with ``compile(stream, get, layout)`` turning the
stream's numbers (from :mod:`mtfpmodel.scenario.streams`) into arrays, and
``gross(inputs, projection)`` giving the gross saving [scenario unit] per draw and year.
docs/reference.md gives the equations.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Layout:
    """Where each expenditure line and cost component sits in the engine's arrays."""

    lines: tuple[str, ...]
    components: tuple[tuple[str, str], ...]   # (line, assumption) per component index
    unit: float                                # pounds in one scenario unit

    def line_index(self, line: str) -> int:
        return self.lines.index(line)

    def component_index(self, line: str, component: str) -> int:
        return self.components.index((line, component))


@dataclass(frozen=True)
class Projection:
    """Projected costs a stream may save against, shape (draws, items, years+1) [scenario unit]."""

    component_cost: np.ndarray
    line_cost: np.ndarray
    line_volume: np.ndarray          # units bought by each line (demand index for lines with a base budget)
    annual_unit_cost: np.ndarray     # one unit for a year [scenario unit] of volume-driven lines (NaN otherwise)


Getter = Callable[[str], np.ndarray]
