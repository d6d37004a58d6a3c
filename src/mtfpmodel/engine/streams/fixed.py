"""``fixed``: a stated amount of new saving delivered in each year.

gross[t] = sum of saving[s] for s <= t when recurring (the saving stays in the budget),
or saving[t] when ``recurring: false``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtfpmodel.engine.arrays import running_total
from mtfpmodel.engine.streams.base import Getter, Layout, Projection
from mtfpmodel.scenario.streams import FixedStream


@dataclass(frozen=True)
class FixedInputs:
    saving: np.ndarray     # (D, T+1), 0 in the base year [scenario unit]
    recurring: bool


def compile(stream: FixedStream, get: Getter, layout: Layout) -> FixedInputs:
    return FixedInputs(saving=get("saving"), recurring=stream.recurring)


def gross(inputs: FixedInputs, projection: Projection) -> np.ndarray:
    """Gross saving [scenario unit]: cumulative new savings if recurring, else the year's."""
    return running_total(inputs.saving) if inputs.recurring else inputs.saving
