"""Savings streams as written in a scenario (their keys and equations are in docs/reference.md).

Every kind of stream shares name, confidence, capital and implementation costs
(:class:`StreamBase`); each kind adds its own fields and lists its addressable numbers in
``parameters()``. What a kind computes lives in :mod:`mtfpmodel.engine.streams`, one module per
kind under the same name (a new kind is a model here plus a module there).
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Field, ValidationInfo, field_validator, model_validator

from mtfpmodel.scenario.fields import (
    Amount,
    Fraction,
    Model,
    Number,
    Rate,
    Share,
    Volume,
)
from mtfpmodel.scenario.limits import shown
from mtfpmodel.scenario.series import Series, parse_rate

RAG_WORDS = ("green", "amber", "red")
ZERO = Series(values=(0.0,))


class Capital(Model):
    """Capital spend financed by borrowing, repaid over ``life`` years after each year's spend.

    Each year's spend is a tranche P repaid in the n = life years after the year of spend; in
    year k = 1..n after spend, at interest rate r:

        annuity:       P * r / (1 - (1 + r)**-n)        (P / n when r = 0)
        straight_line: P / n + r * P * (1 - (k - 1) / n)
        financing_cost[t] = sum over tranches of their payment in year t
    """

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
    """Fields common to every kind of savings stream.

    Plans count net savings in full; the risk-adjusted view counts them at their confidence.
    Implementation costs funded by revenue add to that year's gap (one-off costs):

        net_saving[t] = gross[t] - financing_cost[t]
        savings[t] = sum of net_saving[t] over streams
        one_off_costs[t] = sum of implementation_cost[t] of streams funded_by revenue
    """

    name: str = Field(min_length=1, pattern=r"\S", description="Stream name, unique in the plan.")
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

    @field_validator("implementation_cost")
    @classmethod
    def _cost(cls, value: Series) -> Series:
        if value.values is not None and min(value.values) < 0:
            raise ValueError(f"an implementation cost cannot be negative ({min(value.values):,g}); it is a one-off "
                             "cost (record money coming back as a saving, or net it off the cost)")
        return value

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence(cls, value: Any) -> float | str:
        if isinstance(value, str) and value.strip().lower() in RAG_WORDS:
            return value.strip().lower()
        if isinstance(value, str) and not any(ch.isdigit() for ch in value):
            raise ValueError(f"unknown RAG rating {shown(value)} (use green, amber or red, or a share such as 80%)")
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


def check_volume_line(name: str, info: ValidationInfo, key: str) -> None:
    """``name`` must be a volume-driven expenditure line (for a stream's ``moves_from``)."""
    check_line_reference(name, None, info)
    volume_lines: set[str] = (info.context or {}).get("volume_lines", set())
    if name not in volume_lines:
        choices = ", ".join(sorted(volume_lines)) or "none in this plan"
        raise ValueError(f"'{key}' must name a volume-driven line (one with volume and unit_cost), and "
                         f"'{name}' has a base budget (volume-driven lines: {choices})")


class FixedStream(StreamBase):
    """A stated amount of new saving delivered in each year.

        gross[t] = sum of saving[s] for s <= t      (recurring: true)
        gross[t] = saving[t]                        (recurring: false)
    """

    kind: Literal["fixed"] = Field(description="fixed: a stated amount of new saving in each year.")
    saving: Amount = Field(description="New saving delivered in each projection year [scenario unit].")
    recurring: bool = Field(True, description="true: each year's saving stays in the budget; false: one year only.")

    def parameters(self) -> dict:
        return {"saving": ("amount", self.saving), **self.common_parameters()}


class ShareOfLineStream(StreamBase):
    """A share taken off a budget line, or off one cost-mix part of it, as that line is projected.

        gross[t] = cost[line (, component), t] * reduction * phasing[t]
    """

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


class UnitCostStream(StreamBase):
    """Volumes moved from a dearer to a cheaper unit cost (unit costs in £ per period at base-year prices).

        from[t] = unit_cost_from * prod over s = 1..t of (1 + unit_cost_growth[s]); likewise to[t]
        gross[t] = volume[t] * (from[t] - to[t]) * periods_per_year / unit

    With ``moves_from`` the units come off a volume-driven line (in-house children's homes taking
    placements off the external placements line). The line keeps its demand-led volume — the gap
    before savings is the cost of the plan with nothing changed — and the saving is the moved
    volume at the line's projected unit cost less the cheaper one, so nothing is counted twice.
    The moved volume cannot exceed the line's (a plan that moves more is an error; in analyses
    that vary volumes it is held at the line's volume):

        moved[t] = min(volume[t], volume[L,t])
        gross[t] = moved[t] * (unit_cost[L,t] * periods_per_year[L] - to[t] * periods_per_year) / unit
    """

    kind: Literal["unit_cost"] = Field(description="unit_cost: volumes moved from a dearer to a cheaper unit cost.")
    volume: Volume = Field(description="Units moved in each year (a level, e.g. placements [4, 8, 12, 12]).")
    moves_from: str | None = Field(None, description="A volume-driven expenditure line the units come off; its "
                                                     "projected unit cost is the cost before (no unit_cost_from).")
    unit_cost_from: Number | None = Field(None, ge=0, description="Unit cost before [£ per period, base-year prices] "
                                                                  "(not with moves_from).")
    unit_cost_to: Number = Field(ge=0, description="Unit cost after [£ per period, base-year prices].")
    periods_per_year: Number = Field(52.0, gt=0, description="Periods in a year (52 for weekly costs).")
    unit_cost_growth: Rate = Field(Series(ref="none"), description="Growth of the unit costs [% a year] (with "
                                                                   "moves_from: of unit_cost_to only).")

    @field_validator("volume")
    @classmethod
    def _non_negative(cls, value: Series) -> Series:
        if value.values is not None and any(v < 0 for v in value.values):
            raise ValueError("volume cannot be negative")
        return value

    @field_validator("moves_from")
    @classmethod
    def _volume_line(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            check_volume_line(value, info, "moves_from")
        return value

    @model_validator(mode="after")
    def _cost_before(self) -> "UnitCostStream":
        if self.moves_from is not None and self.unit_cost_from is not None:
            raise ValueError("give 'moves_from' (the line's own unit cost is the cost before) or "
                             "'unit_cost_from', not both (remove unit_cost_from)")
        if self.moves_from is None and self.unit_cost_from is None:
            raise ValueError("a unit_cost stream needs 'unit_cost_from' (£ per period) or 'moves_from' "
                             "(a volume-driven line)")
        return self

    def parameters(self) -> dict:
        before = {} if self.unit_cost_from is None else {"unit_cost_from": ("scalar", self.unit_cost_from)}
        return {"volume": ("volume", self.volume), **before, "unit_cost_to": ("scalar", self.unit_cost_to),
                "periods_per_year": ("scalar", self.periods_per_year),
                "unit_cost_growth": ("rate", self.unit_cost_growth), **self.common_parameters()}


Stream = Annotated[Union[FixedStream, ShareOfLineStream, UnitCostStream], Field(discriminator="kind")]
KIND_NAMES = ("fixed", "share_of_line", "unit_cost")   # the ``kind:`` words, in the order the docs list them
