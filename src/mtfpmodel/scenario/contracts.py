"""Indexed contracts: a part of a budget line uplifted each year by its own clause.

A contract (waste disposal, a highways term contract, a PFI unitary charge) is part of the
line it belongs to: its base-year value is carved out of the line's base budget and, while the
contract is in force, rises by its index (CPI, RPI, the National Living Wage or a fixed rate)
of ``lag`` years before, held between collar and cap. docs/reference.md gives the keys and
equations; what the engine computes is :mod:`mtfpmodel.engine.contracts`.
"""
from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from mtfpmodel.scenario.fields import Fraction, Model, Number, Rate
from mtfpmodel.scenario.series import check_year_label
from mtfpmodel.scenario.streams import check_line_reference

MAX_LAG = 5


class Contract(Model):
    """An indexed contract within a budget line (its value is part of the line's base budget).

    Between start and end the contract rises by its index of ``lag`` years before (the
    ``base_index`` for years at or before the base year), held between collar and cap; outside
    those years it is inflated like the rest of its line (the line's cost mix, ``price[L,t]``):

        lagged[t] = index[t - lag]                 (base_index when t - lag <= 0)
        uplift[t] = min(max(lagged[t], collar), cap)           start <= year t <= end
        uplift[t] = price[L,t] / price[L,t-1] - 1               other years
        price[L,t] = sum over the line's cost-mix parts c of w[c] * prod over s <= t of (1 + rate[c,s])
        contract[C,0] = value;  contract[C,t] = contract[C,t-1] * (1 + uplift[t])
        contractual_inflation[t] = sum over contracts of (contract[C,t] - contract[C,0])
    """

    name: str = Field(min_length=1, pattern=r"\S", description="Contract name, unique in the plan.")
    line: str = Field(description="The expenditure line whose budget holds the contract.")
    value: Number = Field(ge=0, description="Annual value in the base year [scenario unit], part of the line's base.")
    index: Rate = Field(description="The uplift index [% a year]: an assumption such as cpi, rpi or nlw, or a "
                                    "fixed rate such as 2.5%.")
    lag: int = Field(0, ge=0, le=MAX_LAG, description="Years between the index and the uplift it sets (1: this "
                                                     "year's uplift is last year's index).")
    base_index: Fraction | None = Field(None, description="The index in the base year and before, used while the lag "
                                                          "reaches back [%] (default: the index's first projection "
                                                          "year).")
    cap: Fraction | None = Field(None, description="Highest uplift in a year [%] (default: none).")
    collar: Fraction | None = Field(None, description="Lowest uplift in a year [%] (default: none).")
    start: str | None = Field(None, description="First year the clause applies, e.g. '2019/20' (default: every year "
                                                "until end).")
    end: str | None = Field(None, description="Last year the clause applies, e.g. '2031/32' (default: beyond the "
                                              "plan).")
    source: str | None = Field(None, description="Where the figures come from.")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _year(cls, value: Any) -> str | None:
        return None if value is None else check_year_label(value)

    @field_validator("line")
    @classmethod
    def _line(cls, line: str, info: ValidationInfo) -> str:
        check_line_reference(line, None, info)
        if line in (info.context or {}).get("volume_lines", set()):
            raise ValueError(f"'{line}' is a volume-driven line: its cost is volume × unit cost, so a contract "
                             "cannot be carved out of it (put the contract on a line with a base budget)")
        return line

    @model_validator(mode="after")
    def _ranges(self) -> "Contract":
        if self.cap is not None and self.collar is not None and self.collar > self.cap:
            raise ValueError(f"the collar {self.collar:.2%} is above the cap {self.cap:.2%} (the collar is the "
                             "lowest uplift, the cap the highest)")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"the contract ends ({self.end}) before it starts ({self.start})")
        return self

    def parameters(self) -> dict[str, tuple[str, object]]:
        """Addressable numbers under ``contracts[<name>]``."""
        params: dict[str, tuple[str, object]] = {"value": ("scalar", self.value), "index": ("rate", self.index)}
        for key in ("base_index", "cap", "collar"):
            if getattr(self, key) is not None:
                params[key] = ("scalar", getattr(self, key))
        return params
