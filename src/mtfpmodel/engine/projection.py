"""The MTFP engine: arrays in, arrays out (the equations are in docs/reference.md).

Pure functions, one per line of the plan, each vectorised over a leading draws axis D, over
budget lines or streams, and over years t = 0..T (t = 0 the base year). No file, no print.
Money is in the scenario unit throughout; nothing is rounded.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from mtfpmodel.engine import capital as capital_programme
from mtfpmodel.engine import reserves as reserve_plan
from mtfpmodel.engine.arrays import compound, running_total, without_dust
from mtfpmodel.engine.budgetlines import budget_lines
from mtfpmodel.engine.financing import financing_cost
from mtfpmodel.engine.finite import check_finite
from mtfpmodel.engine.inputs import Inputs, StreamInputs
from mtfpmodel.engine.reserves import ReserveFlows
from mtfpmodel.engine.streams.base import Projection
from mtfpmodel.engine.workforce import MEASURES, WorkforceCosts

STATUSES = ("balanced", "balanced with reserves", "below minimum reserves", "unbalanced", "reserves exhausted")
BALANCED, WITH_RESERVES, BELOW_MINIMUM, UNBALANCED, EXHAUSTED = range(5)


@dataclass(frozen=True)
class Results:
    """Every quantity of the plan, shape (D, ..., T+1) [scenario unit] unless stated."""

    component_cost: np.ndarray      # (D, K, T+1) cost-mix parts of each line
    line_cost: np.ndarray           # (D, L, T+1) whole lines
    line_volume: np.ndarray         # (D, L, T+1) units bought (demand index for lines with a base budget)
    line_unit_cost: np.ndarray      # (D, L, T+1) [£ per period] of volume-driven lines (NaN for the others)
    line_workforce: np.ndarray      # (D, L, T+1) each line's share of the workforce groups
    line_contracts: np.ndarray      # (D, L, T+1) each line's contracts
    contract_cost: np.ndarray       # (D, C, T+1)
    contract_uplift: np.ndarray     # (D, C, T+1) share
    pay_bill: np.ndarray            # (D, G, T+1) by pay group
    employer_ni: np.ndarray         # (D, G, T+1)
    employer_pension: np.ndarray    # (D, G, T+1)
    apprenticeship_levy: np.ndarray  # (D, G, T+1)
    average_salary: np.ndarray      # (D, G, T+1) [£ a year per FTE], with pay awards
    pressure_level: np.ndarray      # (D, P, T+1)
    reserve_contributions: np.ndarray   # budgeted contributions to reserves: spending
    net_expenditure: np.ndarray
    tax_base: np.ndarray            # [Band D equivalents]
    band_d: np.ndarray              # [£]
    council_tax: np.ndarray
    source_amount: np.ndarray       # (D, S, T+1) business rates and grants
    funding: np.ndarray
    gross_gap: np.ndarray
    stream_gross: np.ndarray        # (D, N, T+1)
    stream_financing: np.ndarray    # (D, N, T+1)
    stream_implementation: np.ndarray  # (D, N, T+1)
    stream_net: np.ndarray          # (D, N, T+1)
    savings: np.ndarray
    one_off_costs: np.ndarray
    reserve_funded_costs: np.ndarray
    net_gap: np.ndarray
    incremental_gap: np.ndarray
    risk_adjusted_net_gap: np.ndarray
    planned_reserves_use: np.ndarray
    savings_still_to_find: np.ndarray
    unplanned_reserves_use: np.ndarray
    unfunded_gap: np.ndarray
    reserves_drawn: np.ndarray
    closing_reserves: np.ndarray    # usable reserves (not ring-fenced); t = 0: the opening balance
    minimum_reserves: np.ndarray
    usable_reserves_pct: np.ndarray     # closing_reserves / net_expenditure, a fraction
    reserve_flows: ReserveFlows     # each reserve's year, (D, R, T+1)
    reserve_minimum: np.ndarray     # (D, R, T+1) each reserve's own minimum
    status: np.ndarray              # (D, T+1) int index into STATUSES; base year marked balanced
    balances: np.ndarray            # (D,) bool
    sustainable: np.ndarray         # (D,) bool
    capital_spend: np.ndarray       # (D, C, F, T+1) each scheme's spend by financing source (engine.capital)
    capital_mrp: np.ndarray         # (D, C, T+1) MRP on each scheme's borrowing
    capital_interest: np.ndarray    # (D, C, T+1) interest on each scheme's borrowing
    existing_debt_charges: np.ndarray  # (D, T+1)
    capital_financing: np.ndarray   # (D, T+1) the plan line: existing debt charges + MRP + interest
    revenue_contributions: np.ndarray  # (D, T+1) the plan line: revenue contributions to capital

    @property
    def draws(self) -> int:
        return self.net_gap.shape[0]


def project(inputs: Inputs) -> Results:
    """Project the whole plan for every draw at once."""
    budget = budget_lines(inputs)
    components, lines = budget.component_cost, budget.line_cost
    pressures = pressure_level(inputs)
    capital = capital_programme.costs(inputs.capital, lines.shape[-1])
    contributions = reserve_plan.reserve_contributions(inputs.reserves)
    expenditure = net_expenditure(lines, pressures, capital.financing + capital.contributions + contributions)
    tax_base, band_d, council_tax = council_tax_income(inputs)
    sources = source_amounts(inputs)
    total_funding = council_tax + sources.sum(axis=1)
    gap = expenditure - total_funding

    streams = inputs.streams
    projection = Projection(component_cost=components, line_cost=lines, line_volume=budget.line_volume,
                            annual_unit_cost=budget.annual_unit_cost)
    length = gap.shape[1]
    gross = _stack_streams([s.kind.gross(s.arrays, projection) for s in streams], length)
    financing = _stack_streams([stream_financing(s, length) for s in streams], length)
    implementation = _stack_streams([s.implementation_cost for s in streams], length)
    if inputs.delivery is not None:
        gross = gross * inputs.delivery
    net = gross - financing
    confidence = _stack_streams([s.confidence[:, None] for s in streams], 1)[:, :, 0]
    funded = np.array([s.funded_by for s in streams], dtype=object)
    total_savings = net.sum(axis=1)
    one_off = implementation[:, funded == "revenue"].sum(axis=1)
    from_reserves = implementation[:, funded == "reserves"].sum(axis=1)

    scale = np.maximum(np.abs(expenditure), np.abs(total_funding))
    gap_after = without_dust(net_gap(gap, total_savings, one_off), scale)
    risk_gap = net_gap(gap, (net * confidence[:, :, None]).sum(axis=1), one_off) + uncertain_grants(inputs, sources)
    flows, unfunded = reserve_plan.run_reserves(inputs.reserves, gap_after, from_reserves, scale)
    planned = flows.planned_use.sum(axis=1)
    unplanned = flows.unplanned_use.sum(axis=1)
    drawn = planned + unplanned
    closing = reserve_plan.usable(inputs.reserves, flows.closing)
    minimums = reserve_plan.reserve_minimums(inputs.reserves, expenditure)
    minimum = reserve_plan.usable(inputs.reserves, minimums)
    status = plan_status(unfunded, drawn, closing, minimum, bool(inputs.reserves.meets_gap.any()))
    balances = ~np.isin(status[:, 1:], (UNBALANCED, EXHAUSTED)).any(axis=1)
    return _checked(Results(
        component_cost=components, line_cost=lines, line_volume=budget.line_volume,
        line_unit_cost=budget.line_unit_cost, line_workforce=budget.line_workforce,
        line_contracts=budget.line_contracts, contract_cost=budget.contract_cost,
        contract_uplift=budget.contract_uplift, **workforce_fields(budget.workforce, lines.shape[-1]),
        pressure_level=pressures, reserve_contributions=contributions,
        net_expenditure=expenditure, tax_base=tax_base, band_d=band_d, council_tax=council_tax,
        source_amount=sources, funding=total_funding, gross_gap=gap,
        stream_gross=gross, stream_financing=financing, stream_implementation=implementation,
        stream_net=net, savings=total_savings, one_off_costs=one_off, reserve_funded_costs=from_reserves,
        net_gap=gap_after, incremental_gap=incremental_gap(gap_after), risk_adjusted_net_gap=risk_gap,
        planned_reserves_use=planned, savings_still_to_find=without_dust(gap_after - planned, scale),
        unplanned_reserves_use=unplanned,
        unfunded_gap=unfunded, reserves_drawn=drawn, closing_reserves=closing, minimum_reserves=minimum,
        usable_reserves_pct=closing / expenditure, reserve_flows=flows, reserve_minimum=minimums, status=status,
        balances=balances, sustainable=sustainable(balances, gap_after, planned),
        capital_spend=capital.spend, capital_mrp=capital.mrp, capital_interest=capital.interest, existing_debt_charges=capital.existing,
        capital_financing=capital.financing, revenue_contributions=capital.contributions,
    ))


def _checked(results: Results) -> Results:
    """The results with every array given the full draws axis, once every figure is known finite."""
    check_finite(results)
    return _same_draws(results)


def _same_draws(results: Results) -> Results:
    """Give every array the full draws axis (read-only views), so results.x[d] works for any x.

    An input varied on its own (say reserves.opening) gives D draws of closing reserves but one
    of the net gap; without this, ``results.draws`` and ``net_gap[d]`` would miss the draws.
    """
    arrays = {f.name: getattr(results, f.name) for f in fields(results) if f.name != "reserve_flows"}
    draws = max(a.shape[0] for a in arrays.values())
    return Results(reserve_flows=results.reserve_flows.with_draws(draws),
                   **{name: a if a.shape[0] == draws else np.broadcast_to(a, (draws,) + a.shape[1:])
                      for name, a in arrays.items()})


def workforce_fields(costs: WorkforceCosts | None, years: int) -> dict[str, np.ndarray]:
    """Pay bill and on-costs by pay group, (D, G, T+1); empty (1, 0, T+1) without a workforce."""
    return {name: getattr(costs, name) if costs is not None else np.zeros((1, 0, years))
            for name in MEASURES + ("average_salary",)}


def pressure_level(inputs: Inputs) -> np.ndarray:
    """Level of each pressure in year t: sum of amounts up to t if recurring, else the year's amount."""
    amounts = inputs.pressure_amount
    recurring = inputs.pressure_recurring[None, :, None]
    return np.where(recurring, running_total(amounts), amounts)


def net_expenditure(lines: np.ndarray, pressures: np.ndarray, other: np.ndarray | float = 0.0) -> np.ndarray:
    """net_expenditure[t] = sum of line_cost[L,t] + sum of pressure levels in t
    + capital_financing[t] + revenue_contributions[t] (from engine.capital) + reserve_contributions[t]."""
    return lines.sum(axis=1) + pressures.sum(axis=1) + other


def council_tax_income(inputs: Inputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(tax_base [Band D eq.], band_d [£], income [unit]); income = tax_base * band_d / unit + collection_fund."""
    tax_base = inputs.tax_base[:, None] * compound(inputs.tax_base_growth)
    band_d = inputs.band_d[:, None] * compound(inputs.band_d_increase)
    return tax_base, band_d, tax_base * band_d / inputs.unit + inputs.collection_fund


def source_amounts(inputs: Inputs) -> np.ndarray:
    """Business rates and grants: x[t] = x[t-1] * (1 + growth[t]), or the values given (base in t = 0);
    0 after a grant's last year (``ends``) and, in a draw where it is lost, in every projection year."""
    grown = inputs.source_base[:, :, None] * compound(inputs.source_growth)
    given = inputs.source_values.copy() if inputs.source_values.size else inputs.source_values
    if given.size:
        given = np.broadcast_to(given, np.broadcast_shapes(given.shape, grown.shape)).copy()
        given[:, :, 0] = np.broadcast_to(inputs.source_base, given[:, :, 0].shape)
    amounts = np.where(inputs.source_given[None, :, None], given, grown) * inputs.source_active[None, :, :]
    if inputs.received is not None:
        kept = np.concatenate([np.ones(inputs.received.shape + (1,)),
                               np.repeat(inputs.received[:, :, None], amounts.shape[-1] - 1, axis=-1)], axis=-1)
        amounts = amounts * kept
    return amounts


def uncertain_grants(inputs: Inputs, sources: np.ndarray) -> np.ndarray:
    """sum over grants of (1 - certainty share) * grant[t]: what the risk-adjusted gap adds back."""
    return ((1.0 - inputs.source_certainty[:, :, None]) * sources).sum(axis=1)


def stream_financing(stream: StreamInputs, length: int) -> np.ndarray:
    """Financing cost of a stream's capital (annuity or straight line), (D, T+1)."""
    if stream.capital is None:
        return np.zeros((1, length))
    return financing_cost(stream.capital, stream.interest_rate, stream.life, stream.method)


def net_gap(gross_gap: np.ndarray, savings: np.ndarray, one_off_costs: np.ndarray) -> np.ndarray:
    """net_gap[t] = gross_gap[t] - savings[t] + one_off_costs[t] (savings are 0 in the base year)."""
    return gross_gap - savings + one_off_costs


def incremental_gap(gap: np.ndarray) -> np.ndarray:
    """incremental_gap[t] = net_gap[t] - net_gap[t-1]; 0 in the base year."""
    return np.diff(gap, axis=-1, prepend=gap[:, :1])


def plan_status(unfunded: np.ndarray, drawn: np.ndarray, closing: np.ndarray, minimum: np.ndarray,
                some_meet_gaps: bool) -> np.ndarray:
    """First that applies: reserves exhausted (an unfunded gap, and some reserve meets gaps),
    unbalanced (an unfunded gap, and none does), below minimum reserves, balanced with reserves
    (reserves drawn), balanced. Comparisons are exact."""
    unfunded, drawn, closing, minimum = np.broadcast_arrays(unfunded, drawn, closing, minimum)
    status = np.full(unfunded.shape, BALANCED, dtype=np.int8)
    status[drawn > 0] = WITH_RESERVES
    status[closing < minimum] = BELOW_MINIMUM
    status[unfunded > 0] = EXHAUSTED if some_meet_gaps else UNBALANCED
    status[:, 0] = BALANCED
    return status


def sustainable(balances: np.ndarray, gap: np.ndarray, planned: np.ndarray) -> np.ndarray:
    """The plan balances, the final year has no net gap and relies on no planned use of reserves."""
    return balances & (gap[:, -1] <= 0) & (planned[:, -1] == 0)


def _stack_streams(arrays: list[np.ndarray], length: int) -> np.ndarray:
    """Per-stream (D, T+1) arrays → (D, N, T+1), broadcasting draws; no streams gives (1, 0, T+1)."""
    if not arrays:
        return np.zeros((1, 0, length))
    return np.stack(np.broadcast_arrays(*arrays), axis=1)
