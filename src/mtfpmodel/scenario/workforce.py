"""The workforce block: pay groups with their on-costs, from which budget lines take their pay.

A budget line names the groups it carries (``pay_from: {NJC local pay: 40%}``); that share of
the group's whole cost (pay bill and on-costs) is carved out of the line's base budget and
follows the group. docs/reference.md gives the keys and equations; what the engine computes is
:mod:`mtfpmodel.engine.workforce`.
"""
from __future__ import annotations

import difflib

from pydantic import Field, ValidationInfo, field_validator

from mtfpmodel.scenario.fields import Fraction, Model, Number, Rate, Share, Volume
from mtfpmodel.scenario.names import unique_names

LEVY_RATE = 0.005            # apprenticeship levy: 0.5% of the pay bill...
LEVY_ALLOWANCE = 3_000_000    # ...above £3m a year (an allowance of £15,000 of levy)


class EmployerNI(Model):
    """Employer National Insurance (secondary Class 1): a rate on each employee's pay above the
    secondary threshold. The base year has its own rate and threshold (the April 2025 change
    took 13.8% above £9,100 to 15% above £5,000):

        rate[0] = base_rate;  threshold[0] = base_threshold      (t = 0, the base year)
        employer_ni[g,t] = rate[t] * max(pay_per_employee[g,t] - threshold[t], 0) * employees[g] / unit
    """

    base_rate: Fraction = Field(description="Employer NI rate in the base year [%], e.g. 13.8% in 2024/25.")
    base_threshold: Number = Field(ge=0, description="Secondary threshold in the base year [£ a year per "
                                                     "employee], e.g. 9100 in 2024/25.")
    rate: Rate = Field(description="Employer NI rate in each projection year [%], e.g. 15% from 2025/26.")
    threshold: Volume = Field(description="Secondary threshold in each projection year [£ a year per employee], "
                                          "e.g. 5000 from 2025/26.")

    def parameters(self) -> dict[str, tuple[str, object]]:
        return {"base_rate": ("scalar", self.base_rate), "base_threshold": ("scalar", self.base_threshold),
                "rate": ("rate", self.rate), "threshold": ("volume", self.threshold)}


class EmployerPension(Model):
    """Employer pension contributions: a rate on the pay bill, set by each actuarial valuation.

    The base year has its own rate, so a new valuation's rate shows as a change:

        employer_pension[g,t] = rate[t] * pay_bill[g,t]          (rate[0] = base_rate)
    """

    base_rate: Fraction = Field(description="Employer pension rate in the base year [% of pay].")
    rate: Rate = Field(description="Employer pension rate in each projection year [% of pay].")

    def parameters(self) -> dict[str, tuple[str, object]]:
        return {"base_rate": ("scalar", self.base_rate), "rate": ("rate", self.rate)}


class ApprenticeshipLevy(Model):
    """The apprenticeship levy on the council's whole pay bill above an allowance, shared across
    groups in proportion to their pay bills:

        levy[t] = rate * max(sum over g of pay_bill[g,t] - allowance / unit, 0)
        apprenticeship_levy[g,t] = levy[t] * pay_bill[g,t] / sum over g of pay_bill[g,t]
    """

    rate: Fraction = Field(LEVY_RATE, description="Levy rate [% of the pay bill] (statutory 0.5%).")
    allowance: Number = Field(LEVY_ALLOWANCE, ge=0, description="Pay bill free of the levy [£ a year] "
                                                                 "(statutory £3,000,000).")

    def parameters(self) -> dict[str, tuple[str, object]]:
        return {"rate": ("scalar", self.rate), "allowance": ("scalar", self.allowance)}


class PayGroup(Model):
    """A pay group of the establishment (e.g. NJC local pay, chief officers, in-house care staff).

    Average salary rises with the pay award; drift (increments, allowances above the average) and
    the vacancy factor are levels. Employees in post (headcount, default FTE) share the pay bill
    for the National Insurance threshold:

        salary[g,t] = average_salary[g] * prod over s = 1..t of (1 + pay_award[g,s])     [£ a year]
        pay_bill[g,t] = fte[g] * salary[g,t] * (1 + drift[g]) * (1 - vacancy[g]) / unit
        employees[g] = headcount[g] * (1 - vacancy[g])
        pay_per_employee[g,t] = pay_bill[g,t] * unit / employees[g]                      [£ a year]
        total_cost[g,t] = pay_bill + employer_ni + employer_pension + apprenticeship_levy
    """

    name: str = Field(min_length=1, pattern=r"\S", description="Pay group name, unique in the workforce.")
    fte: Number = Field(gt=0, description="Full-time equivalent posts in the establishment [FTE].")
    headcount: Number | None = Field(None, gt=0, description="Employees the posts are shared by [people] "
                                                             "(default: the FTE); sets pay per employee for "
                                                             "the NI threshold.")
    average_salary: Number = Field(gt=0, description="Average salary per FTE in the base year [£ a year].")
    pay_award: Rate = Field(description="Pay award [% a year]; usually an assumption such as pay.")
    drift: Share = Field(0.0, description="Pay drift: pay above the average salary from increments and "
                                          "allowances [% of pay], a level.")
    vacancy: Share = Field(0.0, description="Vacancy factor: share of posts vacant on average [%].")
    source: str | None = Field(None, description="Where the figures come from.")

    @field_validator("name")
    @classmethod
    def _shares_within_group(cls, name: str, info: ValidationInfo) -> str:
        carried = (info.context or {}).get("pay_shares", {}).get(name, [])
        total = sum(share for _, share in carried)
        if total > 1.0 + 1e-9:
            parts = ", ".join(f"{line} {share:.4g}" if isinstance(share, str) else f"{line} {share:.1%}"
                              for line, share in carried)
            raise ValueError(f"budget lines carry {total:.1%} of this group through pay_from ({parts}) "
                             "(the shares of a group over all lines may be at most 100%)")
        return name

    @field_validator("headcount")
    @classmethod
    def _people_for_the_posts(cls, value: float | None, info: ValidationInfo) -> float | None:
        fte = info.data.get("fte")
        if value is not None and fte is not None and value < fte:
            raise ValueError(f"{value:,g} people cannot fill {fte:,g} full-time posts (the headcount is at least "
                             "the FTE; leave headcount out to take it as the FTE)")
        return value

    def parameters(self) -> dict[str, tuple[str, object]]:
        headcount = {} if self.headcount is None else {"headcount": ("scalar", self.headcount)}
        return {"fte": ("scalar", self.fte), **headcount,
                "average_salary": ("scalar", self.average_salary), "pay_award": ("rate", self.pay_award),
                "drift": ("scalar", self.drift), "vacancy": ("scalar", self.vacancy)}


class Workforce(Model):
    """The establishment by pay group and its on-costs (National Insurance, pension, apprenticeship levy).

    A budget line carries a share of a group's whole cost through ``pay_from``; that share is
    carved out of the line's base budget at its base-year cost and then follows the group:

        workforce_cost[L,t] = sum over g of pay_from[L,g] * total_cost[g,t]
    """

    employer_ni: EmployerNI = Field(description="Employer National Insurance: rate and secondary threshold by year.")
    employer_pension: EmployerPension = Field(description="Employer pension contribution rate by year.")
    apprenticeship_levy: ApprenticeshipLevy = Field(
        default_factory=ApprenticeshipLevy, description="Apprenticeship levy (default: statutory 0.5% above £3m).")
    groups: list[PayGroup] = Field(min_length=1, description="Pay groups, each by name.")

    @field_validator("groups")
    @classmethod
    def _unique(cls, items: list) -> list:
        return unique_names(items, "workforce groups")

    def parameters(self) -> dict[str, tuple[str, object]]:
        """Every addressable number of the block, by path."""
        params: dict[str, tuple[str, object]] = {}
        for prefix, part in (("employer_ni", self.employer_ni), ("employer_pension", self.employer_pension),
                             ("apprenticeship_levy", self.apprenticeship_levy)):
            params.update({f"workforce.{prefix}.{k}": v for k, v in part.parameters().items()})
        for group in self.groups:
            params.update({f"workforce.groups[{group.name}].{k}": v for k, v in group.parameters().items()})
        return params


def check_pay_from(shares: dict[str, float], info: ValidationInfo) -> dict[str, float]:
    """Each group a line's ``pay_from`` names must be a workforce group."""
    groups = (info.context or {}).get("groups")
    for name in shares:
        if groups is None:
            raise ValueError(f"pay_from names the pay group '{name}', but there is no 'workforce:' block "
                             "(add workforce: with its groups)")
        if name not in groups:
            close = difflib.get_close_matches(name, sorted(groups), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"the groups are: {', '.join(sorted(groups))}"
            raise ValueError(f"'{name}' is not a workforce group ({hint})")
    return shares
