"""The capital programme and how it is financed, as written in a scenario (docs/reference.md).

``capital_programme:`` lists schemes, each with its spend by year and how that spend is
financed; ``capital_financing:`` holds the borrowing rate and the debt charges on borrowing
taken before the plan. Only two parts of the programme reach the revenue budget: borrowing
(through MRP and interest, by the rule of :mod:`mtfpmodel.engine.financing`, the same as for
savings-stream capital) and revenue contributions. What the engine does with them lives in
:mod:`mtfpmodel.engine.capital`.
"""
from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from mtfpmodel.scenario.fields import Amount, Model, Number, Rate
from mtfpmodel.scenario.series import Series

ZERO = Series(values=(0.0,))
SOURCES = ("borrowing", "grants", "capital_receipts", "revenue")   # how a scheme's spend is financed
FINANCING_LINE = "Capital financing (MRP and interest)"             # the plan's lines (lines.csv)
CONTRIBUTIONS_LINE = "Revenue contributions to capital"


class ExistingDebtCharges(Model):
    """Debt charges (MRP and interest) on borrowing taken before the plan, as the treasury
    management strategy profiles them:

        existing_debt_charges[0] = base
        existing_debt_charges[t] = values[t]     (values given: the officer's profile)
        existing_debt_charges[t] = base          (no values: flat in cash)
    """

    base: Number = Field(ge=0, description="Debt charges in the base-year budget [scenario unit].")
    values: Amount | None = Field(None, description="Debt charges in each projection year [scenario unit] "
                                                    "(default: the base amount every year).")
    source: str | None = Field(None, description="Where the figures come from.")

    @field_validator("values")
    @classmethod
    def _charges(cls, value: Series | None) -> Series | None:
        if value is not None and value.values is not None and min(value.values) < 0:
            raise ValueError(f"debt charges cannot be negative ({min(value.values):,g}); they are MRP and "
                             "interest on borrowing taken before the plan")
        return value

    def parameters(self) -> dict[str, tuple[str, Any]]:
        params: dict[str, tuple[str, Any]] = {"base": ("scalar", self.base)}
        if self.values is not None:
            params["values"] = ("amount", self.values)
        return params


class CapitalFinancing(Model):
    """The cost of borrowing: the rate new borrowing is taken at, and the charges on old debt.

    Each year's borrowing is a tranche taken at that year's rate, fixed for its life (a PWLB
    loan, say); a rate changed for a year moves only the tranches borrowed in that year. The
    capital financing line of the plan is the old debt's charges plus every tranche's MRP and
    interest (scheme C, tranche of year s, k = t - s years after spend):

        capital_financing[t] = existing_debt_charges[t]
                               + sum over C and s < t of (mrp[C,s,k] + interest[C,s,k])
    """

    borrowing_rate: Rate = Field(description="Interest rate on new borrowing by year it is taken [% a year]: "
                                             "a rate, a series or an assumption name (e.g. borrowing).")
    existing_debt_charges: ExistingDebtCharges | None = Field(
        None, description="MRP and interest on borrowing taken before the plan (default none).")
    source: str | None = Field(None, description="Where the borrowing rate comes from.")

    @field_validator("borrowing_rate")
    @classmethod
    def _rate_range(cls, value: Series) -> Series:
        if value.values is not None and any(not 0 <= v <= 0.5 for v in value.values):
            raise ValueError("the borrowing rate must be between 0% and 50% in every year")
        return value

    def parameters(self) -> dict[str, tuple[str, Any]]:
        params: dict[str, tuple[str, Any]] = {"borrowing_rate": ("rate", self.borrowing_rate)}
        if self.existing_debt_charges is not None:
            for field, item in self.existing_debt_charges.parameters().items():
                params[f"existing_debt_charges.{field}"] = item
        return params


class Scheme(Model):
    """A capital scheme: its spend in each year and how that spend is financed.

    The sources add up to the spend in every year. Grants and capital receipts cost revenue
    nothing; a revenue contribution is revenue spending in its year; each year's borrowing is a
    tranche repaid from the year after, over the asset's life (n = life, r = the rate of the
    year of borrowing, k = 1..n years after spend, as for savings-stream capital):

        spend[t] = borrowing[t] + grants[t] + capital_receipts[t] + revenue[t]
        annuity:       mrp[k] = P*r*(1+r)**(k-1)/((1+r)**n - 1)      (P/n when r = 0)
        straight_line: mrp[k] = P/n
        interest[k] = r * (P - sum of mrp[j] for j < k)
        revenue_contributions[t] = sum over schemes of revenue[t]
        capital_financing_requirement[C,t] = sum over s <= t of (borrowing[C,s] - mrp[C,s])
    """

    name: str = Field(min_length=1, pattern=r"\S", description="Scheme name, unique in the programme.")
    borrowing: Amount = Field(ZERO, description="Spend financed by borrowing in each projection year [scenario unit].")
    grants: Amount = Field(ZERO, description="Spend financed by capital grants and contributions [scenario unit].")
    capital_receipts: Amount = Field(ZERO, description="Spend financed by capital receipts [scenario unit].")
    revenue: Amount = Field(ZERO, description="Spend financed from the revenue budget (RCCO) [scenario unit].")
    spend: Amount | None = Field(None, description="Total spend in each year [scenario unit]; when given, the "
                                                   "four sources must add up to it (a check).")
    life: int = Field(gt=0, le=100, description="Asset life [years]: MRP repays each year's borrowing over it.")
    method: Literal["annuity", "straight_line"] = Field(
        "annuity", description="MRP method: annuity (level payments of MRP plus interest) or straight_line.")
    source: str | None = Field(None, description="Where the figures come from.")

    @field_validator(*SOURCES)
    @classmethod
    def _not_negative(cls, value: Series) -> Series:
        if value.values is not None and any(v < 0 for v in value.values):
            raise ValueError("financing cannot be negative (a scheme's spend is financed, not refunded)")
        return value

    @field_validator("borrowing")
    @classmethod
    def _rate_given(cls, value: Series, info: ValidationInfo) -> Series:
        has_rate = (info.context or {}).get("borrowing_rate", True)
        if not has_rate and value.values is not None and any(value.values):
            raise ValueError("borrowing needs a borrowing rate (add capital_financing: {borrowing_rate: ...}, "
                             "a rate such as 4.5% or an assumption name)")
        return value

    @field_validator("spend")
    @classmethod
    def _adds_up(cls, value: Series | None, info: ValidationInfo) -> Series | None:
        parts = [info.data.get(name) for name in SOURCES]
        if value is None or value.values is None or any(p is None for p in parts):
            return value
        labels = info.context["series"].labels if info.context and "series" in info.context else ()
        years = len(value.values)
        for t in range(years):
            each = [p.values[t if len(p.values) > 1 else 0] for p in parts]
            spend = value.values[t if len(value.values) > 1 else 0]
            if not math.isclose(sum(each), spend, rel_tol=1e-9, abs_tol=1e-9):
                year = labels[t] if t < len(labels) else f"year {t + 1}"
                working = " + ".join(f"{name} {v:,.10g}" for name, v in zip(SOURCES, each))
                raise ValueError(f"the financing adds up to {sum(each):,.10g} in {year}, but spend is {spend:,.10g}: "
                                 f"{working} (the sources must add up to the spend in every year; after a --set on "
                                 "a source, set spend too)")
        return value

    def parameters(self) -> dict[str, tuple[str, Any]]:
        return {name: ("amount", getattr(self, name)) for name in SOURCES}
