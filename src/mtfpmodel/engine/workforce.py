"""The workforce: each pay group's pay bill and on-costs by year, and the share budget lines carry.

All arrays have a leading draws axis D, then pay groups G, then years t = 0..T. Salaries and the
NI threshold are in pounds; pay bills and on-costs in the scenario unit. The equations are in
docs/reference.md (workforce).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from mtfpmodel.engine.arrays import compound, stack, with_base
from mtfpmodel.scenario.schema import Scenario

MEASURES = ("pay_bill", "employer_ni", "employer_pension", "apprenticeship_levy")


@dataclass(frozen=True)
class WorkforceInputs:
    fte: np.ndarray             # (D, G) [FTE]
    headcount: np.ndarray       # (D, G) [employees]
    salary: np.ndarray          # (D, G) average salary per FTE in the base year [£ a year]
    award: np.ndarray           # (D, G, T+1) pay award, 0 in the base year
    drift: np.ndarray           # (D, G) share
    vacancy: np.ndarray         # (D, G) share
    ni_rate: np.ndarray         # (D, T+1) employer NI rate, base year in t = 0
    ni_threshold: np.ndarray    # (D, T+1) secondary threshold [£ a year per employee]
    pension_rate: np.ndarray    # (D, T+1)
    levy_rate: np.ndarray       # (D,)
    levy_allowance: np.ndarray  # (D,) [scenario unit]
    share: np.ndarray           # (L, G) share of each group's whole cost each line carries
    unit: float


@dataclass(frozen=True)
class WorkforceCosts:
    """Pay bill and each on-cost by group and year, (D, G, T+1) [scenario unit]; salary [£ a year]."""

    pay_bill: np.ndarray
    employer_ni: np.ndarray
    employer_pension: np.ndarray
    apprenticeship_levy: np.ndarray
    average_salary: np.ndarray

    @property
    def total(self) -> np.ndarray:
        return self.pay_bill + self.employer_ni + self.employer_pension + self.apprenticeship_levy


def compile_workforce(scenario: Scenario, values: Mapping[str, np.ndarray],
                      series: Callable[[str], np.ndarray], unit: float) -> WorkforceInputs | None:
    """The workforce block as arrays, or None when the scenario has none."""
    workforce = scenario.workforce
    if workforce is None:
        return None
    T = scenario.years
    groups = [f"workforce.groups[{g.name}]" for g in workforce.groups]

    def each(field: str) -> np.ndarray:
        return stack([values[f"{g}.{field}"] for g in groups], T, scalar=True)

    # without a headcount the posts are full-time: employees follow the FTE, in every draw
    headcount = stack([values[f"{path}.headcount"] if group.headcount is not None else values[f"{path}.fte"]
                       for path, group in zip(groups, workforce.groups)], T, scalar=True)

    def by_year(prefix: str) -> np.ndarray:
        return with_base(series(f"{prefix}.rate"), values[f"{prefix}.base_rate"])

    names = [g.name for g in workforce.groups]
    share = np.zeros((len(scenario.expenditure), len(names)))
    for i, line in enumerate(scenario.expenditure):
        for group, part in line.pay_from.items():
            share[i, names.index(group)] = part
    return WorkforceInputs(
        fte=each("fte"), headcount=headcount, salary=each("average_salary"),
        award=stack([series(f"{g}.pay_award") for g in groups], T), drift=each("drift"), vacancy=each("vacancy"),
        ni_rate=by_year("workforce.employer_ni"),
        ni_threshold=with_base(series("workforce.employer_ni.threshold"), values["workforce.employer_ni.base_threshold"]),
        pension_rate=by_year("workforce.employer_pension"),
        levy_rate=values["workforce.apprenticeship_levy.rate"],
        levy_allowance=values["workforce.apprenticeship_levy.allowance"] / unit,
        share=share, unit=unit)


def workforce_costs(w: WorkforceInputs) -> WorkforceCosts:
    """Pay bill, employer NI, employer pension and apprenticeship levy of each group and year.

        salary[g,t] = average_salary[g] * prod over s <= t of (1 + pay_award[g,s])
        pay_bill[g,t] = fte * salary * (1 + drift) * (1 - vacancy) / unit
        employer_ni[g,t] = ni_rate[t] * max(pay_bill * unit / employees - threshold[t], 0) * employees / unit
        employer_pension[g,t] = pension_rate[t] * pay_bill[g,t]
        apprenticeship_levy[g,t] = levy_rate * max(sum of pay_bill - allowance, 0) * pay_bill[g,t] / sum of pay_bill
    """
    salary = w.salary[:, :, None] * compound(w.award)
    in_post = (1.0 + w.drift) * (1.0 - w.vacancy)
    pay_bill = (w.fte * in_post)[:, :, None] * salary / w.unit
    employees = w.headcount * (1.0 - w.vacancy)
    per_employee = (w.fte * (1.0 + w.drift) / w.headcount)[:, :, None] * salary
    above = np.maximum(per_employee - w.ni_threshold[:, None, :], 0.0)
    employer_ni = w.ni_rate[:, None, :] * above * employees[:, :, None] / w.unit
    employer_pension = w.pension_rate[:, None, :] * pay_bill
    total_pay = pay_bill.sum(axis=1, keepdims=True)
    levy = w.levy_rate[:, None, None] * np.maximum(total_pay - w.levy_allowance[:, None, None], 0.0)
    share_of_pay = np.divide(pay_bill, total_pay, out=np.zeros(np.broadcast_shapes(pay_bill.shape, total_pay.shape)),
                             where=total_pay > 0)
    return WorkforceCosts(pay_bill, employer_ni, employer_pension, levy * share_of_pay, salary)


def line_workforce(costs: WorkforceCosts, w: WorkforceInputs) -> np.ndarray:
    """workforce_cost[L,t] = sum over g of pay_from[L,g] * total_cost[g,t]; (D, L, T+1)."""
    return np.matmul(w.share, costs.total)           # (L, G) @ (D, G, T+1)
