"""Pydantic field types shared by the scenario schema and the savings stream kinds.

Each type validates one spelling rule of the scenario file and carries a JSON Schema with a
description, so editors can offer completion. Series need to know the projection years and
the assumption names: the loader passes them as validation context (a SeriesContext).
"""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    WithJsonSchema,
)

from mtfpmodel.scenario.series import (
    Series,
    SeriesContext,
    parse_number,
    parse_rate,
    to_series,
)


class Model(BaseModel):
    """Base for every scenario model: unknown keys are errors, values are immutable, and types
    are strict — a boolean is not a number (``years: true`` is an error, not 1), a number is not
    a boolean (``recurring: 1``), a number is not text — and no float may be nan or infinite.
    Field types that accept several spellings (rates, amounts) convert before this check."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True, strict=True,
                              allow_inf_nan=False)


def series_context(info: ValidationInfo) -> SeriesContext:
    ctx = (info.context or {}).get("series")
    if ctx is None:
        raise ValueError("internal: series validated without its context (load scenarios with mtfpmodel.load)")
    return ctx


def _series_validator(kind: str):
    def validate(value: Any, info: ValidationInfo) -> Series:
        if isinstance(value, Series):
            return value
        return to_series(value, series_context(info), kind)
    return validate


_RATE_ITEM = {"anyOf": [{"type": "number", "minimum": -1, "maximum": 1},
                        {"type": "string", "pattern": r"^\s*-?[0-9.]+\s*%\s*$"}]}
_YEAR_KEY = r"^[0-9]{4}/[0-9]{2}$"


def _series_schema(item: dict, description: str, allow_name: bool) -> dict:
    options = [item, {"type": "array", "items": item},
               {"type": "object", "propertyNames": {"pattern": _YEAR_KEY}, "additionalProperties": item}]
    if allow_name:
        options.append({"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_ ]*$"})
    return {"anyOf": options, "description": description}


Rate = Annotated[
    Series, BeforeValidator(_series_validator("rate")),
    WithJsonSchema(_series_schema(_RATE_ITEM, "Rate series [% a year]: a rate (3% or 0.03), a list of one "
                                  "per projection year, a mapping by year ('2025/26': 3%) held until the "
                                  "next year given, or the name of an assumption.", True)),
]
Amount = Annotated[
    Series, BeforeValidator(_series_validator("amount")),
    WithJsonSchema(_series_schema({"type": "number"}, "Amount series [scenario unit] of money arising in "
                                  "each projection year: one amount for every year, a list of one per "
                                  "year, or a mapping by year (years not given are 0).", False)),
]
Volume = Annotated[
    Series, BeforeValidator(_series_validator("volume")),
    WithJsonSchema(_series_schema({"type": "number", "minimum": 0}, "Level in each projection year (plain "
                                  "numbers, e.g. placements): one value, a list of one per year, or a "
                                  "mapping by year held until the next year given.", False)),
]


def _fraction(value: Any) -> float:
    return parse_rate(value)


def _number(value: Any) -> float:
    return parse_number(value)


Fraction = Annotated[float, BeforeValidator(_fraction),
                     WithJsonSchema({**_RATE_ITEM, "description": "A rate or share: 35% or 0.35."})]
Number = Annotated[float, BeforeValidator(_number), WithJsonSchema({"type": "number"})]



def _within_0_100(value: float) -> float:
    if not 0 <= value <= 1:
        raise ValueError(f"{value:.1%} is outside 0% to 100%")
    return value


Share = Annotated[float, BeforeValidator(_fraction), AfterValidator(_within_0_100),
                  WithJsonSchema({**_RATE_ITEM, "description": "A share from 0% to 100%: 35% or 0.35."})]
