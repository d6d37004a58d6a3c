"""``fixed``: a stated amount of new saving delivered in each year.

gross[t] = sum of saving[s] for s <= t when recurring (the saving stays in the budget),
or saving[t] when ``recurring: false``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import Field

from mtfpmodel.fields import Amount
from mtfpmodel.streams.base import Getter, Layout, Projection, StreamBase


class FixedStream(StreamBase):
    kind: Literal["fixed"] = Field(description="fixed: a stated amount of new saving in each year.")
    saving: Amount = Field(description="New saving delivered in each projection year [scenario unit].")
    recurring: bool = Field(True, description="true: each year's saving stays in the budget; false: one year only.")

    def parameters(self) -> dict:
        return {"saving": ("amount", self.saving), **self.common_parameters()}


@dataclass(frozen=True)
class FixedInputs:
    saving: np.ndarray     # (D, T+1), 0 in the base year [scenario unit]
    recurring: bool


def compile(stream: FixedStream, get: Getter, layout: Layout) -> FixedInputs:
    return FixedInputs(saving=get("saving"), recurring=stream.recurring)


def gross(inputs: FixedInputs, projection: Projection) -> np.ndarray:
    """Gross saving [scenario unit]: cumulative new savings if recurring, else the year's."""
    return np.cumsum(inputs.saving, axis=-1) if inputs.recurring else inputs.saving
