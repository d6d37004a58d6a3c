"""What every savings stream shares: name, confidence, capital, implementation costs.

A stream kind is one module in this package defining a pydantic model (with a ``kind``
literal), ``parameters(stream)`` listing its numeric fields, ``compile(stream, get, layout)``
turning them into arrays, and ``gross(inputs, projection)`` giving the gross saving
[scenario unit] per draw and year. SCENARIO_SPEC.md section 7.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal

import numpy as np
from pydantic import Field, ValidationInfo, field_validator

from mtfpmodel.fields import Amount, Fraction, Model
from mtfpmodel.series import Series, parse_rate

RAG_WORDS = ("green", "amber", "red")
ZERO = Series(values=(0.0,))


class Capital(Model):
    """Capital spend financed by borrowing, repaid over ``life`` years after each year's spend."""

    amount: Amount = Field(description="Capital spend in each projection year [scenario unit].")
    life: int = Field(gt=0, le=100, description="Asset life [years] over which each year's spend is repaid.")
    interest_rate: Fraction = Field(0.0, description="Interest rate on the borrowing [% a year].")
    method: Literal["annuity", "straight_line"] = Field(
        "annuity", description="annuity: level payments; straight_line: equal principal plus interest on the balance.")

    @field_validator("interest_rate")
    @classmethod
    def _rate_range(cls, value: float) -> float:
        if not 0 <= value <= 0.5:
            raise ValueError(f"interest rate {value:.2%} is outside 0% to 50%")
        return value


class StreamBase(Model):
    """Fields common to every kind of savings stream."""

    name: str = Field(min_length=1, description="Stream name, unique in the plan.")
    confidence: float | str = Field(
        1.0, description="Delivery confidence: a share (80% or 0.8) or a RAG word green | amber | red.",
        json_schema_extra={"anyOf": [{"type": "number", "minimum": 0, "maximum": 1},
                                     {"type": "string", "pattern": r"^\s*[0-9.]+\s*%\s*$"},
                                     {"enum": list(RAG_WORDS)}]})
    category: str | None = Field(
        None, min_length=1, description="Heading the stream is grouped under in the gap table, e.g. Efficiency, "
                                        "Income, Service redesign (default: by kind).")
    capital: Capital | None = Field(None, description="Invest-to-save capital financed by borrowing.")
    implementation_cost: Amount = Field(ZERO, description="One-off implementation costs in each year [scenario unit].")
    funded_by: Literal["revenue", "reserves", "capital_receipts"] = Field(
        "revenue", description="Who pays implementation costs: revenue (adds to the gap), reserves, or capital_receipts (reported only).")
    source: str | None = Field(None, description="Where the figures come from.")

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence(cls, value: Any) -> float | str:
        if isinstance(value, str) and value.strip().lower() in RAG_WORDS:
            return value.strip().lower()
        if isinstance(value, str) and not any(ch.isdigit() for ch in value):
            raise ValueError(f"unknown RAG rating {value!r} (use green, amber or red, or a share such as 80%)")
        share = parse_rate(value)
        if not 0 <= share <= 1:
            raise ValueError(f"confidence {share:.0%} is outside 0% to 100%")
        return share

    def common_parameters(self) -> dict[str, tuple[str, Any]]:
        params: dict[str, tuple[str, Any]] = {"implementation_cost": ("amount", self.implementation_cost)}
        if self.capital is not None:
            params["capital.amount"] = ("amount", self.capital.amount)
            params["capital.interest_rate"] = ("scalar", self.capital.interest_rate)
        return params


def check_line_reference(line: str, component: str | None, info: ValidationInfo) -> None:
    """Raise ValueError if ``line`` (and ``component``) are not in the scenario's expenditure."""
    lines: dict[str, set[str]] = (info.context or {}).get("lines", {})
    if line not in lines:
        import difflib
        close = difflib.get_close_matches(line, list(lines), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "it must be the name of an expenditure line"
        raise ValueError(f"no expenditure line named '{line}' ({hint})")
    if component is not None and component not in lines[line]:
        parts = ", ".join(sorted(lines[line]))
        raise ValueError(f"'{component}' is not in the cost mix of '{line}' (its parts are: {parts})")


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


Getter = Callable[[str], np.ndarray]
