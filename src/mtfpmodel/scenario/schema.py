"""The scenario file as validated models (docs/reference.md is generated from them).

Every model forbids unknown keys. Series fields arrive as :class:`~mtfpmodel.scenario.series.Series`
(T values or an assumption name). Cross-references (a savings stream naming a line, a cost mix
naming an assumption) are checked here too, using names the loader passes as context, so a
file's every problem is reported in one pass.
"""
from __future__ import annotations

import difflib
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from mtfpmodel.scenario.fields import Amount, Fraction, Model, Number, Rate, Share
from mtfpmodel.scenario.limits import shown
from mtfpmodel.scenario.riskconfig import MonteCarloConfig, SensitivityConfig
from mtfpmodel.scenario.series import Series, check_year_label, parse_number, parse_rate
from mtfpmodel.scenario.streams import Stream
from mtfpmodel.scenario.units import UNITS

DEFAULT_RAG = {"green": 0.95, "amber": 0.70, "red": 0.30}
ZERO_RATE = Series(values=(0.0,))
ZERO_AMOUNT = Series(values=(0.0,))


class Assumption(Model):
    """A named rate series with the evidence for it."""

    value: Rate = Field(description="The rate series [% a year].")
    source: str | None = Field(None, description="Where the figure comes from (report, forecast, date).")


class Line(Model):
    """A budget line: base-year net budget, its cost mix and demand growth.

    Each cost-mix part c (share w) of line L grows with its assumption's rate and the line's
    demand; the line's cost is the sum of its parts (t = 0 is the base year):

        cost[L,c,0] = base[L] * w[c]
        cost[L,c,t] = cost[L,c,t-1] * (1 + rate[c,t]) * (1 + demand[L,t])
        line_cost[L,t] = sum over c of cost[L,c,t]
    """

    name: str = Field(min_length=1, description="Budget line name, unique in the plan.")
    base: Number = Field(description="Base-year net budget of the line [scenario unit]; negative for income.")
    cost_mix: dict[str, Fraction] = Field(
        default_factory=lambda: {"none": 1.0}, json_schema_extra={"default": {"none": "100%"}},
        description="Share of the line inflated by each assumption, e.g. {pay: 35%, care_fees: 65%}; sums to 100%.")
    demand: Rate = Field(ZERO_RATE, description="Volume growth of the whole line [% a year].")
    source: str | None = Field(None, description="Where the figures come from.")

    @field_validator("cost_mix")
    @classmethod
    def _mix(cls, mix: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        known = set((info.context or {}).get("assumptions", ())) | {"none"}
        for name in mix:
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "define it under 'assumptions:'"
                raise ValueError(f"cost mix part '{name}' is not an assumption ({hint})")
        total = sum(mix.values())
        if not mix or abs(total - 1.0) > 1e-9:
            raise ValueError(f"cost mix shares add up to {total:.4%}, not 100%")
        return mix


class Pressure(Model):
    """A named new cost arising in each year (not inflated).

    A recurring pressure stays in the budget from the year it arises; a one-off counts only in
    its year. Net expenditure is the lines plus the pressures:

        level[P,t] = sum of amount[P,s] for s <= t      (recurring: true)
        level[P,t] = amount[P,t]                        (recurring: false)
        net_expenditure[t] = sum of line_cost[L,t] + sum of level[P,t]
    """

    name: str = Field(min_length=1, description="Pressure name, unique in the plan.")
    amount: Amount = Field(description="New cost arising in each projection year [scenario unit].")
    recurring: bool = Field(True, description="true: stays in the budget from the year it arises; false: that year only.")
    source: str | None = Field(None, description="Where the figures come from.")


class Source(Model):
    """A funding source grown from a base, or given year by year.

        x[t] = x[t-1] * (1 + growth[t])      (x[0] = base)
        x[t] = values[t]                     (values given; x[0] = base, default 0)
    """

    base: Number | None = Field(None, description="Base-year amount [scenario unit].")
    growth: Rate | None = Field(None, description="Growth from the base [% a year] (default 0%).")
    values: Amount | None = Field(None, description="Amounts for each projection year [scenario unit], instead of growth.")
    source: str | None = Field(None, description="Where the figures come from.")

    @model_validator(mode="after")
    def _one_form(self) -> "Source":
        if self.values is not None and self.growth is not None:
            raise ValueError("give either 'growth' (from 'base') or 'values', not both")
        if self.values is None and self.base is None:
            raise ValueError("give 'base' (with optional 'growth') or 'values'")
        return self


class Grant(Source):
    name: str = Field(min_length=1, description="Grant name, unique in the plan.")


class CouncilTax(Model):
    """Council tax: tax base in Band D equivalents times the Band D charge.

    The Band D charge rises by the sum of the increase parts; income is in the scenario unit
    (unit = 1, 1,000 or 1,000,000 pounds). Band D is carried unrounded.

        tax_base[t] = tax_base[t-1] * (1 + tax_base_growth[t])
        band_d[t] = band_d[t-1] * (1 + sum of increase parts[t])
        council_tax[t] = tax_base[t] * band_d[t] / unit + collection_fund[t]
    """

    tax_base: Number = Field(gt=0, description="Tax base in the base year [Band D equivalents].")
    band_d: Number = Field(gt=0, description="Band D charge in the base year [£], this council's element.")
    tax_base_growth: Rate = Field(ZERO_RATE, description="Growth of the tax base [% a year].")
    increase: dict[str, Rate] = Field(
        default_factory=dict, description="Band D increase by part, e.g. {core: 2.99%, adult_social_care: 2%} [% a year].")
    referendum_limit: Rate | None = Field(None, description="Warn when the total increase exceeds this [% a year].")
    collection_fund: Amount = Field(ZERO_AMOUNT, description="Collection fund surplus (+) or deficit (-) [scenario unit].")

    @field_validator("increase", mode="before")
    @classmethod
    def _parts_not_years(cls, value: Any) -> Any:
        for key in value if isinstance(value, dict) else ():
            try:
                check_year_label(key)
            except ValueError:
                continue
            raise ValueError(f"'{key}' is a year, but increase takes named parts, each a rate series "
                             "(write it like core: {2025/26: 4.99%, 2026/27: 2.99%})")
        return value


class Funding(Model):
    """Funding: council tax, retained business rates and grants.

        funding[t] = council_tax[t] + business_rates[t] + sum of grants[t]
    """

    council_tax: CouncilTax = Field(description="Council tax: tax base, Band D and its yearly increase.")
    business_rates: Source | None = Field(None, description="Retained business rates.")
    grants: list[Grant] = Field(default_factory=list, description="Government grants, each by name.")

    @field_validator("grants")
    @classmethod
    def _unique(cls, items: list) -> list:
        return unique_names(items, "grants")


class Reserves(Model):
    """Usable reserves and the minimum the Section 151 officer advises.

    With use_to_balance, reserves meet any net gap; a surplus adds to them; reserve-funded
    implementation costs are drawn from them:

        reserves_drawn[t] = max(net_gap[t], 0)
        closing_reserves[t] = closing_reserves[t-1] - reserves_drawn[t] + max(-net_gap[t], 0)
                              - reserve-funded implementation costs[t]
        minimum_reserves[t] = minimum, or minimum share * net_expenditure[t]
    """

    opening: Number = Field(0.0, description="Reserves at the start of the first projection year [scenario unit].")
    minimum: float | str = Field(
        0.0, description="Minimum level: an amount [scenario unit] or a share of net expenditure such as '5%'.",
        json_schema_extra={"anyOf": [{"type": "number", "minimum": 0},
                                     {"type": "string", "pattern": r"^\s*[0-9.]+\s*%\s*$"}]})
    use_to_balance: bool = Field(True, description="Draw on reserves to meet any net gap.")

    @field_validator("minimum", mode="before")
    @classmethod
    def _minimum(cls, value: Any) -> float | str:
        if isinstance(value, str) and value.strip().endswith("%"):
            share = parse_rate(value)
            if not 0 <= share <= 1:
                raise ValueError(f"minimum {value} is outside 0% to 100% of net expenditure")
            return value.strip()
        amount = parse_number(value)
        if amount < 0:
            raise ValueError("minimum reserves cannot be negative")
        return amount

    @property
    def minimum_share(self) -> float | None:
        """The minimum as a share of net expenditure, or None when it is an amount."""
        return parse_rate(self.minimum) if isinstance(self.minimum, str) else None


class Scenario(Model):
    """A whole MTFP scenario.

    The plan for each projection year t (t = 0 is the approved base-year budget; positive gaps
    are shortfalls):

        gross_gap[t] = net_expenditure[t] - funding[t]
        net_gap[t] = gross_gap[t] - savings[t] + one_off_costs[t]
        incremental_gap[t] = net_gap[t] - net_gap[t-1]          (net_gap[0] = gross_gap[0])
        risk_adjusted_net_gap[t] = net_gap[t] with each stream's net saving times its confidence

    Each year's status is the first that applies: reserves exhausted (reserves go below zero),
    unbalanced (a net gap and reserves do not meet gaps), below minimum reserves, balanced with
    reserves (reserves drawn), balanced.
    """

    scenario: str = Field(min_length=1, description="Scenario name; also the default output folder name.")
    description: str | None = Field(None, description="What this scenario is for.")
    council: str | None = Field(None, description="Council name, shown in outputs.")
    units: Literal["£", "£000", "£m"] = Field("£000", description="Money unit of every amount in the file and outputs.")
    base_year: str = Field(description="Year of the approved starting budget, e.g. '2024/25'.")
    years: int = Field(4, ge=1, le=20, description="Projection years after the base year.")
    assumptions: dict[str, Assumption] = Field(default_factory=dict, description="Named rate series, e.g. pay: [3%, 2.5%, 2%, 2%].")
    expenditure: list[Line] = Field(min_length=1, description="Budget lines.")
    pressures: list[Pressure] = Field(default_factory=list, description="Named cost pressures.")
    funding: Funding = Field(description="Council tax, business rates and grants.")
    reserves: Reserves = Field(default_factory=Reserves, description="Usable reserves: opening balance, minimum, "
                               "and whether they meet any net gap.")
    savings: list[Stream] = Field(default_factory=list, description="Savings and transformation streams.")
    rag_confidence: dict[Literal["green", "amber", "red"], Share] = Field(
        default_factory=dict, description="Confidence for each RAG word (defaults green 95%, amber 70%, red 30%).")
    discount_rate: Fraction = Field(0.035, description="Discount rate for stream NPVs [% a year] (Green Book 3.5%).")
    sensitivity: SensitivityConfig | None = Field(
        None, description="Optional settings for `mtfp sensitivity`: the step and low/high ranges for the tornado.")
    monte_carlo: MonteCarloConfig | None = Field(
        None, description="Optional settings for `mtfp montecarlo`: draws, seed, distributions by path, "
                          "correlation and savings slippage.")

    @field_validator("base_year", mode="before")
    @classmethod
    def _year(cls, value: Any) -> str:
        return check_year_label(value)

    @field_validator("assumptions", mode="before")
    @classmethod
    def _wrap(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        if "none" in value:
            raise ValueError("'none' is reserved (it means 0% every year); choose another name")
        return {k: v if isinstance(v, dict) and ({"value", "source"} & set(v)) else {"value": v}
                for k, v in value.items()}

    @field_validator("assumptions")
    @classmethod
    def _no_loop(cls, value: dict[str, Assumption]) -> dict[str, Assumption]:
        for name in value:
            chain, ref = [name], value[name].value.ref
            while ref in value:
                if ref in chain:
                    loop = " → ".join(chain[chain.index(ref):] + [ref])
                    raise ValueError(f"assumptions name each other in a loop: {loop} "
                                     "(give one of them a rate such as 3%)")
                chain.append(ref)
                ref = value[ref].value.ref
        return value

    @field_validator("expenditure", "pressures", "savings")
    @classmethod
    def _unique(cls, items: list, info: ValidationInfo) -> list:
        return unique_names(items, info.field_name)

    @property
    def unit(self) -> float:
        """Pounds in one scenario unit."""
        return UNITS[self.units]

    @property
    def rag(self) -> dict[str, float]:
        return {**DEFAULT_RAG, **self.rag_confidence}

    def confidence(self, stream) -> float:
        """A stream's confidence as a share, mapping RAG words through ``rag_confidence``."""
        value = stream.confidence
        return self.rag[value] if isinstance(value, str) else float(value)


class DuplicateName(ValueError):
    """A name given twice in a list of named items: ``index`` is the second item's place,
    ``first`` the place of the item it repeats."""

    def __init__(self, message: str, index: int, first: int | None = None):
        super().__init__(message)
        self.index = index
        self.first = first


def name_key(name: str) -> str:
    """How names are compared: spaces trimmed, case ignored ('Adults ' is 'adults')."""
    return " ".join(str(name).split()).casefold()


def unique_names(items: list, what: str) -> list:
    """``items`` unchanged if no two share a name (compared by :func:`name_key`); else raise
    DuplicateName at the second, naming the first."""
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        key = name_key(item.name)
        if key in seen:
            first = items[seen[key]].name
            same = first == item.name
            raise DuplicateName(f"the name {shown(item.name)} is used twice in {what}" if same else
                                f"the name {shown(item.name)} is the same as {shown(first)} in {what} "
                                "once spaces and capitals are ignored", index, seen[key])
        seen[key] = index
    return items
