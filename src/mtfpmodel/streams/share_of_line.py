"""``share_of_line``: a share taken off a budget line, or off one cost component of it.

gross[t] = cost[line(, component), t] * reduction * phasing[t], on the *projected* cost, so
the saving moves with inflation and demand (e.g. LED lighting saving 64% of the energy
component of street lighting; a shared service taking 15% off a back-office line).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import Field, ValidationInfo, field_validator

from mtfpmodel.fields import Rate, Share
from mtfpmodel.series import Series
from mtfpmodel.streams.base import Getter, Layout, Projection, StreamBase, check_line_reference


class ShareOfLineStream(StreamBase):
    kind: Literal["share_of_line"] = Field(description="share_of_line: a share taken off an expenditure line or one of its cost-mix parts.")
    line: str = Field(description="Name of the expenditure line the saving comes off.")
    component: str | None = Field(None, description="One cost-mix part of the line (default: the whole line).")
    reduction: Share = Field(description="Share of the line (or component) saved at full delivery [%].")
    phasing: Rate = Field(Series(values=(1.0,)), description="Share of the full reduction achieved by each year [%].")

    @field_validator("phasing")
    @classmethod
    def _phasing_range(cls, value: Series) -> Series:
        if value.values is not None and any(not 0 <= v <= 1 for v in value.values):
            raise ValueError("phasing must be between 0% and 100% in every year")
        return value

    @field_validator("line")
    @classmethod
    def _line_exists(cls, value: str, info: ValidationInfo) -> str:
        check_line_reference(value, None, info)
        return value

    @field_validator("component")
    @classmethod
    def _component_exists(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and "line" in info.data:
            check_line_reference(info.data["line"], value, info)
        return value

    def parameters(self) -> dict:
        return {"reduction": ("scalar", self.reduction), "phasing": ("rate", self.phasing),
                **self.common_parameters()}


@dataclass(frozen=True)
class ShareOfLineInputs:
    line: int
    component: int | None
    reduction: np.ndarray   # (D,)
    phasing: np.ndarray     # (D, T+1)


def compile(stream: ShareOfLineStream, get: Getter, layout: Layout) -> ShareOfLineInputs:
    component = None if stream.component is None else layout.component_index(stream.line, stream.component)
    return ShareOfLineInputs(line=layout.line_index(stream.line), component=component,
                             reduction=get("reduction"), phasing=get("phasing"))


def gross(inputs: ShareOfLineInputs, projection: Projection) -> np.ndarray:
    """Gross saving [scenario unit] = projected cost * reduction * phasing; 0 in the base year."""
    if inputs.component is None:
        cost = projection.line_cost[:, inputs.line, :]
    else:
        cost = projection.component_cost[:, inputs.component, :]
    saving = cost * inputs.reduction[:, None] * inputs.phasing
    saving[:, 0] = 0.0
    return saving
