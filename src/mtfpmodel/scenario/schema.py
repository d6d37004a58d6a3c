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

from mtfpmodel.scenario.capital import CapitalFinancing, Scheme
from mtfpmodel.scenario.contracts import Contract
from mtfpmodel.scenario.fields import Amount, Fraction, Model, Number, Rate, Share, series_context
from mtfpmodel.scenario.names import unique_names
from mtfpmodel.scenario.reserves import Reserve, ReservesField, ReservesMapping, reserve_items
from mtfpmodel.scenario.riskconfig import MonteCarloConfig, SensitivityConfig
from mtfpmodel.scenario.series import Series, check_year_label
from mtfpmodel.scenario.streams import Stream
from mtfpmodel.scenario.units import UNITS
from mtfpmodel.scenario.volumes import (
    LineVolume,
    check_line_form,
    check_needs_volume,
    check_not_volume,
    check_volume_given,
)
from mtfpmodel.scenario.workforce import Workforce, check_pay_from

DEFAULT_RAG = {"green": 0.95, "amber": 0.70, "red": 0.30}
DEFAULT_GRANT_CONFIDENCE = {"confirmed": 1.0, "indicative": 0.90, "assumed": 0.70}
ZERO_RATE = Series(values=(0.0,))
ZERO_AMOUNT = Series(values=(0.0,))


class Assumption(Model):
    """A named rate series with the evidence for it."""

    value: Rate = Field(description="The rate series [% a year].")
    source: str | None = Field(None, description="Where the figure comes from (report, forecast, date).")


class Line(Model):
    """A budget line: its base-year net budget, cost mix and demand growth — or, for a
    volume-driven line, its volume times a unit cost.

    Each cost-mix part c (share w) of line L grows with its assumption's rate and the line's
    volume; the line's cost is the sum of its parts (t = 0 is the base year). For a line with a
    ``base`` budget the volume is the demand index; a volume-driven line has no base: its
    base-year cost follows from its volume, unit cost and periods a year:

        cost[L,c,0] = base[L] * w[c]
        cost[L,c,t] = cost[L,c,t-1] * (1 + rate[c,t]) * (1 + demand[L,t])
        line_cost[L,t] = sum over c of cost[L,c,t]

        (volume-driven)
        cost[L,c,t] = volume[L,t] * unit_cost[L] * periods_per_year[L] / unit * w[c]
                      * prod over s = 1..t of (1 + rate[c,s])
        unit_cost[L,t] = unit_cost[L] * sum over c of w[c] * prod over s = 1..t of (1 + rate[c,s])   [£ a period]

    Parts with their own driver are carved out of ``base`` at their base-year cost: the line's
    share of workforce groups (``pay_from``) and its indexed contracts. The rest is split by
    ``cost_mix`` and grown by it and by ``demand``; the carved parts follow their group or clause:

        rest[L] = base[L] - workforce_cost[L,0] - sum of contract[C,0] over the line's contracts
        cost[L,c,0] = rest[L] * w[c]
        line_cost[L,t] = sum over c of cost[L,c,t] + workforce_cost[L,t] + sum of contract[C,t]
    """

    name: str = Field(min_length=1, pattern=r"\S", description="Budget line name, unique in the plan.")
    base: Number | None = Field(None, description="Base-year net budget of the line [scenario unit]; negative for "
                                                  "income. Give base or volume.")
    volume: LineVolume | None = Field(None, description="Volume-driven line: the units bought (placements, clients, "
                                                        "hours) by year, instead of base.")
    unit_cost: Number | None = Field(None, ge=0, description="Volume-driven line: cost of one unit for one period at "
                                                             "base-year prices [£ per period], inflated by cost_mix.")
    periods_per_year: Number = Field(52.0, gt=0, description="Volume-driven line: periods in a year (52 for weekly "
                                                             "unit costs, 1 for annual).")
    cost_mix: dict[str, Fraction] = Field(
        default_factory=lambda: {"none": 1.0}, json_schema_extra={"default": {"none": "100%"}},
        description="Share of the line inflated by each assumption, e.g. {pay: 35%, care_fees: 65%}; sums to 100%. "
                    "With pay_from or contracts: the mix of the rest of the line.")
    demand: Rate = Field(ZERO_RATE, description="Volume growth of the line's cost-mix part [% a year] (lines with a "
                                                "base budget).")
    pay_from: dict[str, Share] = Field(
        default_factory=dict, description="Share of each workforce group's whole cost this line carries, e.g. "
                                          "{NJC local pay: 40%}; carved out of base.")
    group: str | None = Field(None, min_length=1, description="Heading the line is subtotalled under, e.g. Adult "
                                                              "social care.")
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

    @field_validator("volume")
    @classmethod
    def _volume(cls, value: LineVolume | None, info: ValidationInfo) -> LineVolume | None:
        return check_volume_given(value, info)

    @field_validator("unit_cost", "periods_per_year")
    @classmethod
    def _volume_only(cls, value, info: ValidationInfo):
        return check_needs_volume(value, info, info.field_name)

    @field_validator("demand")
    @classmethod
    def _no_demand(cls, value: Series, info: ValidationInfo) -> Series:
        return check_not_volume(value, info, "demand", "grows with its volume (give volume.growth instead)")

    @field_validator("pay_from")
    @classmethod
    def _pay_from(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        if value:
            check_not_volume(value, info, "pay_from", "buys units at a unit cost (put the staff on a line with a "
                                                      "base budget)")
        return check_pay_from(value, info)

    @model_validator(mode="after")
    def _form(self) -> "Line":
        check_line_form(self)
        return self

    def parameters(self) -> dict[str, tuple[str, object]]:
        """Addressable numbers under ``expenditure[<name>]``."""
        if self.volume is None:
            return {"base": ("scalar", self.base), "demand": ("rate", self.demand)}
        return {**self.volume.parameters(), "unit_cost": ("scalar", self.unit_cost),
                "periods_per_year": ("scalar", self.periods_per_year)}


class Pressure(Model):
    """A named new cost arising in each year (not inflated).

    A recurring pressure stays in the budget from the year it arises; a one-off counts only in
    its year. Net expenditure is the lines plus the pressures:

        level[P,t] = sum of amount[P,s] for s <= t      (recurring: true)
        level[P,t] = amount[P,t]                        (recurring: false)
        net_expenditure[t] = sum of line_cost[L,t] + sum of level[P,t]
                             + capital_financing[t] + revenue_contributions[t]
    """

    name: str = Field(min_length=1, pattern=r"\S", description="Pressure name, unique in the plan.")
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
    """A government grant, grown from a base or given year by year, with how certain it is.

    A grant is 0 in every year after ``ends``, whatever ``values`` or ``growth`` say. The
    risk-adjusted net gap counts each grant at its certainty share (``grant_confidence``):

        grant[t] = 0                                   (t after ends)
        risk_adjusted_net_gap[t] += (1 - share[certainty]) * grant[t]
    """

    name: str = Field(min_length=1, pattern=r"\S", description="Grant name, unique in the plan.")
    certainty: Literal["confirmed", "indicative", "assumed"] = Field(
        "confirmed", description="How sure the grant is: confirmed (in the settlement), indicative (announced, "
                                 "not final) or assumed (the council's own assumption).")
    ends: str | None = Field(None, description="The last year the grant is received, e.g. '2027/28' (0 in every "
                                               "later year); the base year or later.")

    @field_validator("ends", mode="before")
    @classmethod
    def _ends(cls, value: Any, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        label = check_year_label(value)
        first = series_context(info).labels[0]
        if first[:1].isdigit() and int(label[:4]) < int(first[:4]) - 1:
            base = f"{int(first[:4]) - 1}/{first[2:4]}"
            raise ValueError(f"ends {label} is before the base year {base} (give the last year the grant is "
                             "received, the base year or later)")
        return label


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
    parish_precepts: Source | None = Field(
        None, description="Parish and town council precepts collected with council tax [scenario unit]: shown in "
                          "the council tax table for information, not counted as the council's funding.")

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


class Scenario(Model):
    """A whole MTFP scenario.

    The plan for each projection year t (t = 0 is the approved base-year budget; positive gaps
    are shortfalls):

        gross_gap[t] = net_expenditure[t] - funding[t]
        net_gap[t] = gross_gap[t] - savings[t] + one_off_costs[t]
        incremental_gap[t] = net_gap[t] - net_gap[t-1]          (net_gap[0] = gross_gap[0])
        risk_adjusted_net_gap[t] = net_gap[t] with each stream's net saving times its confidence,
                                   + sum over grants of (1 - certainty share) * grant[t]

    Each year's status is the first that applies: reserves exhausted (an unfunded gap, and some
    reserve meets gaps), unbalanced (an unfunded gap, and no reserve meets gaps), below minimum
    reserves (closing_reserves < minimum_reserves), balanced with reserves (reserves drawn),
    balanced. The plan balances when no year is reserves exhausted or unbalanced, and is
    sustainable when it balances, net_gap[T] <= 0 and planned_reserves_use[T] = 0.
    """

    scenario: str = Field(min_length=1, pattern=r"\S",
                          description="Scenario name; also the default output folder name.")
    description: str | None = Field(None, description="What this scenario is for.")
    council: str | None = Field(None, description="Council name, shown in outputs.")
    units: Literal["£", "£000", "£m"] = Field("£000", description="Money unit of every amount in the file and outputs.")
    base_year: str = Field(description="Year of the approved starting budget, e.g. '2024/25'.")
    years: int = Field(4, ge=1, le=20, description="Projection years after the base year.")
    assumptions: dict[str, Assumption] = Field(default_factory=dict, description="Named rate series, e.g. pay: [3%, 2.5%, 2%, 2%].")
    expenditure: list[Line] = Field(min_length=1, description="Budget lines.")
    workforce: Workforce | None = Field(None, description="Optional: the establishment by pay group with its on-costs; "
                                                          "lines take their pay from it with pay_from.")
    contracts: list[Contract] = Field(default_factory=list, description="Optional: indexed contracts, each part of "
                                                                        "a budget line's base.")
    pressures: list[Pressure] = Field(default_factory=list, description="Named cost pressures.")
    funding: Funding = Field(description="Council tax, business rates and grants.")
    reserves: ReservesField = Field(
        default_factory=ReservesMapping, description="Named reserves (a list), each with its opening balance, "
        "minimum, contributions and planned use; or the older mapping {opening, minimum, use_to_balance}: one "
        "general reserve.")
    savings: list[Stream] = Field(default_factory=list, description="Savings and transformation streams.")
    capital_financing: CapitalFinancing | None = Field(
        None, description="The borrowing rate and the debt charges on borrowing taken before the plan.")
    capital_programme: list[Scheme] = Field(
        default_factory=list, description="Capital schemes: spend by year and how it is financed (borrowing, "
                                          "grants, capital receipts, revenue).")
    rag_confidence: dict[Literal["green", "amber", "red"], Share] = Field(
        default_factory=dict, description="Confidence for each RAG word (defaults green 95%, amber 70%, red 30%).")
    grant_confidence: dict[Literal["confirmed", "indicative", "assumed"], Share] = Field(
        default_factory=dict, description="Share of each grant counted in the risk-adjusted gap, by certainty "
                                          "(defaults confirmed 100%, indicative 90%, assumed 70%).")
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

    @field_validator("discount_rate")
    @classmethod
    def _discount(cls, value: float) -> float:
        if value <= -1.0:
            raise ValueError(f"a discount rate of {value:.0%} has no meaning (each year's saving is divided by "
                             "1 + the rate); give a rate above -100%, such as the Green Book's 3.5%")
        return value

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

    @field_validator("expenditure", "contracts", "pressures", "savings", "capital_programme")
    @classmethod
    def _unique(cls, items: list, info: ValidationInfo) -> list:
        return unique_names(items, info.field_name)

    @field_validator("reserves")
    @classmethod
    def _unique_reserves(cls, value: Any) -> Any:
        return unique_names(value, "reserves") if isinstance(value, list) else value

    @property
    def unit(self) -> float:
        """Pounds in one scenario unit."""
        return UNITS[self.units]

    @property
    def rag(self) -> dict[str, float]:
        return {**DEFAULT_RAG, **self.rag_confidence}

    @property
    def grant_shares(self) -> dict[str, float]:
        return {**DEFAULT_GRANT_CONFIDENCE, **self.grant_confidence}

    def grant_share(self, grant: Grant) -> float:
        """The share of ``grant`` counted in the risk-adjusted gap, from its certainty."""
        return self.grant_shares[grant.certainty]

    @property
    def reserve_list(self) -> list[tuple[str, Reserve]]:
        """(path prefix, reserve) for every reserve, in the order listed (the mapping form: one)."""
        return reserve_items(self.reserves)

    def confidence(self, stream) -> float:
        """A stream's confidence as a share, mapping RAG words through ``rag_confidence``."""
        value = stream.confidence
        return self.rag[value] if isinstance(value, str) else float(value)
