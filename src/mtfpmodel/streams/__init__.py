"""Savings stream kinds, picked from a table by ``kind:``. A new kind is a new module here."""
from __future__ import annotations

from types import ModuleType
from typing import Annotated, Union

from pydantic import Field

from mtfpmodel.streams import fixed, share_of_line, unit_cost

KINDS: dict[str, ModuleType] = {
    "fixed": fixed,
    "share_of_line": share_of_line,
    "unit_cost": unit_cost,
}

Stream = Annotated[
    Union[fixed.FixedStream, share_of_line.ShareOfLineStream, unit_cost.UnitCostStream],
    Field(discriminator="kind"),
]
