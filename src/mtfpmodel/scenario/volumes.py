"""Volume-driven budget lines: ``volume × unit_cost × periods_per_year`` instead of a base budget.

A line is written either with ``base`` (its base-year budget, grown by ``demand``) or with
``volume`` and ``unit_cost`` (placements, clients or hours times what each costs). These are the
volume's model and the checks that a line uses one form or the other; the line itself is
:class:`mtfpmodel.scenario.schema.Line`. docs/reference.md gives the keys and equations.
"""
from __future__ import annotations

from pydantic import Field, ValidationInfo, model_validator

from mtfpmodel.scenario.fields import Model, Number, Rate, Volume
from mtfpmodel.scenario.series import Series

NO_GROWTH = Series(values=(0.0,))


class LineVolume(Model):
    """How many units a volume-driven line buys: a base-year level grown by a rate, or levels by year.

    The line's base-year cost follows from its base-year volume; ``growth`` may name an assumption
    shared by several lines (children looked after in four kinds of placement):

        volume[L,0] = base
        volume[L,t] = volume[L,t-1] * (1 + growth[t])      (growth, default 0%)
        volume[L,t] = values[t]                            (values given year by year)
    """

    base: Number = Field(ge=0, description="Volume in the base year [units, e.g. placements or clients].")
    growth: Rate | None = Field(None, description="Growth of the volume [% a year] (default 0%); may name an "
                                                  "assumption.")
    values: Volume | None = Field(None, description="Volume in each projection year [units], instead of growth.")

    @model_validator(mode="after")
    def _one_form(self) -> "LineVolume":
        if self.values is not None and self.growth is not None:
            raise ValueError("give either 'growth' (from 'base') or 'values', not both")
        return self

    def parameters(self) -> dict[str, tuple[str, object]]:
        """Addressable numbers under ``expenditure[<line>].volume``."""
        params: dict[str, tuple[str, object]] = {"volume.base": ("scalar", self.base)}
        if self.values is not None:
            params["volume.values"] = ("volume", self.values)
        else:
            params["volume.growth"] = ("rate", self.growth or NO_GROWTH)
        return params


def check_volume_given(volume: LineVolume | None, info: ValidationInfo) -> LineVolume | None:
    """A line has a base budget or a volume, not both."""
    if volume is not None and info.data.get("base") is not None:
        raise ValueError("a line has either 'base' (a budget) or 'volume' with 'unit_cost', not both "
                         "(remove one)")
    return volume


def check_needs_volume(value, info: ValidationInfo, key: str):
    """``unit_cost`` and ``periods_per_year`` belong to volume-driven lines only."""
    if "volume" in info.data and info.data["volume"] is None:
        raise ValueError(f"'{key}' is for a volume-driven line (add 'volume:' with its base, or remove "
                         f"'{key}')")
    return value


def check_not_volume(value, info: ValidationInfo, key: str, why: str):
    """``demand`` and ``pay_from`` belong to lines with a base budget."""
    if info.data.get("volume") is not None:
        raise ValueError(f"'{key}' is for a line with a base budget; a volume-driven line {why}")
    return value


def check_line_form(line) -> None:
    """After validation: a line has ``base``, or ``volume`` together with ``unit_cost``."""
    if line.base is None and line.volume is None:
        raise ValueError("a budget line needs 'base' (its base-year budget) or 'volume' and 'unit_cost' "
                         "(add one of them)")
    if line.volume is not None and line.unit_cost is None:
        raise ValueError("a volume-driven line needs 'unit_cost' (£ per period at base-year prices; "
                         "add it)")
