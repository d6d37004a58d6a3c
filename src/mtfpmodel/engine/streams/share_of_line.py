"""``share_of_line``: a share taken off a budget line, or off one cost component of it.

gross[t] = cost[line(, component), t] * reduction * phasing[t], on the *projected* cost, so
the saving moves with inflation and demand (e.g. LED lighting saving 64% of the energy
component of street lighting; a shared service taking 15% off a back-office line).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtfpmodel.engine.streams.base import Getter, Layout, Projection
from mtfpmodel.scenario.streams import ShareOfLineStream


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
