"""Reserves as a plan: contributions, planned use, implementation costs, unplanned use, surplus.

The year's steps (docs/reference.md, ``reserves[]``), vectorised over draws D and reserves R
with a loop over the projection years t = 1..T (each year's balance depends on the last). For
every reserve r, ``bal`` starts at its opening balance; in each year, in this order:

    1. bal += contributions[r,t]                     (spending: added to net expenditure)
    2. planned[r,t] = min(planned_use[r,t], bal);   bal -= planned[r,t]
    3. costs = min(reserve-funded implementation costs[t], bal[first]) from the first reserve
       that meets gaps; the rest is unfunded
    4. savings_still_to_find[t] = net_gap[t] - sum of planned[r,t]
    5. still to find > 0: reserves that meet gaps, in order, give unplanned[r,t] = min(remaining,
       bal); what is left is unfunded. Still to find < 0: the surplus goes to the first reserve
       that meets gaps (reported only when there is none)
    6. closing[r,t] = bal                            (never negative)

Money in the scenario unit; nothing is rounded. No file, no print.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Callable, Mapping

import numpy as np

from mtfpmodel.engine.arrays import stack, without_dust
from mtfpmodel.scenario.reserves import first_gap_reserve
from mtfpmodel.scenario.schema import Scenario


@dataclass(frozen=True)
class ReserveInputs:
    """Every reserve's settings as arrays; D is 1 or the number of draws, R the reserves."""

    names: tuple[str, ...]
    opening: np.ndarray            # (D, R)
    minimum: np.ndarray            # (D, R) amount, or share of net expenditure
    minimum_is_share: np.ndarray   # (R,) bool
    contributions: np.ndarray      # (D, R, T+1), 0 in the base year
    planned_use: np.ndarray        # (D, R, T+1), 0 in the base year
    ring_fenced: np.ndarray        # (R,) bool
    meets_gap: np.ndarray          # (R,) bool (never true for a ring-fenced reserve)
    first: int | None              # the first reserve that meets gaps, if any


@dataclass(frozen=True)
class ReserveFlows:
    """Each reserve's year, shape (D, R, T+1) [scenario unit], the columns of reserves.csv.

    ``opening[t]`` is the balance at the start of year t; in the base year (t = 0) every flow is
    0 and ``opening`` = ``closing`` = the opening balance of the first projection year.
    """

    opening: np.ndarray
    contributions: np.ndarray
    planned_use: np.ndarray          # the amount actually drawn
    implementation_costs: np.ndarray
    unplanned_use: np.ndarray
    surplus_added: np.ndarray
    closing: np.ndarray

    def with_draws(self, draws: int) -> "ReserveFlows":
        """The same flows with the draws axis broadcast to ``draws`` (read-only views)."""
        return ReserveFlows(**{f.name: np.broadcast_to(getattr(self, f.name), (draws,) + getattr(self, f.name).shape[1:])
                               for f in fields(self)})


def compile_reserves(scenario: Scenario, values: Mapping[str, np.ndarray],
                     series: Callable[[str], np.ndarray]) -> ReserveInputs:
    """The reserves of ``scenario`` from the resolved parameter ``values`` (``series`` pads a
    projection-year series to t = 0..T). Negative contributions or planned use (which only an
    analysis can give: the file rejects them) count as none."""
    items = scenario.reserve_list
    T = scenario.years
    zeros = np.zeros((1, T + 1))

    def flow(prefix: str, field: str) -> np.ndarray:
        path = f"{prefix}.{field}"
        return np.maximum(series(path), 0.0) if path in values else zeros

    reserves = [r for _, r in items]
    return ReserveInputs(
        names=tuple(r.name for r in reserves),
        opening=stack([values[f"{p}.opening"] for p, _ in items], T, scalar=True),
        minimum=stack([values[f"{p}.minimum"] for p, _ in items], T, scalar=True),
        minimum_is_share=np.array([r.minimum_share is not None for r in reserves], dtype=bool),
        contributions=stack([flow(p, "contributions") for p, _ in items], T),
        planned_use=stack([flow(p, "planned_use") for p, _ in items], T),
        ring_fenced=np.array([r.ring_fenced for r in reserves], dtype=bool),
        meets_gap=np.array([r.meets_gaps for r in reserves], dtype=bool),
        first=first_gap_reserve(reserves),
    )


def reserve_contributions(reserves: ReserveInputs) -> np.ndarray:
    """reserve_contributions[t] = sum over reserves of contributions[r,t] (D, T+1): spending."""
    return reserves.contributions.sum(axis=1)


def run_reserves(reserves: ReserveInputs, net_gap: np.ndarray, reserve_funded_costs: np.ndarray,
                 scale: np.ndarray | float = 0.0) -> tuple[ReserveFlows, np.ndarray]:
    """The year's steps for every draw and reserve: (flows, unfunded_gap (D, T+1)). Savings still
    to find within :data:`~mtfpmodel.engine.arrays.DUST` of ``scale`` (D, T+1), the year's
    budget, are 0: nothing is drawn for them and no surplus is added."""
    R = len(reserves.names)
    length = net_gap.shape[-1]
    draws = max(a.shape[0] for a in (reserves.opening, reserves.contributions, reserves.planned_use,
                                     net_gap, reserve_funded_costs))
    gap = np.broadcast_to(net_gap, (draws, length))
    costs = np.broadcast_to(reserve_funded_costs, (draws, length))
    scale = np.broadcast_to(scale, (draws, length))
    contributions = np.broadcast_to(reserves.contributions, (draws, R, length))
    planned_use = np.broadcast_to(reserves.planned_use, (draws, R, length))
    flows = {f.name: np.zeros((draws, R, length)) for f in fields(ReserveFlows)}
    unfunded = np.zeros((draws, length))
    bal = np.array(np.broadcast_to(reserves.opening, (draws, R)), dtype=float)
    flows["opening"][:, :, 0] = flows["closing"][:, :, 0] = bal
    meets = reserves.meets_gap[None, :]
    first = reserves.first
    for t in range(1, length):
        flows["opening"][:, :, t] = bal
        bal += contributions[:, :, t]                                   # step 1
        planned = np.minimum(planned_use[:, :, t], bal)                 # step 2
        bal -= planned
        shortfall = costs[:, t]                                         # step 3
        if first is not None:
            taken = np.minimum(costs[:, t], bal[:, first])
            bal[:, first] -= taken
            flows["implementation_costs"][:, first, t] = taken
            shortfall = costs[:, t] - taken
        still_to_find = without_dust(gap[:, t] - planned.sum(axis=1), scale[:, t])   # step 4
        need = np.maximum(still_to_find, 0.0)                           # step 5
        available = np.where(meets, bal, 0.0)
        before = np.cumsum(available, axis=1) - available
        unplanned = np.clip(need[:, None] - before, 0.0, available)
        bal -= unplanned
        left = np.maximum(need - available.sum(axis=1), 0.0)            # exactly 0 when reserves suffice
        if first is not None:
            surplus = np.maximum(-still_to_find, 0.0)
            bal[:, first] += surplus
            flows["surplus_added"][:, first, t] = surplus
        flows["contributions"][:, :, t] = contributions[:, :, t]
        flows["planned_use"][:, :, t] = planned
        flows["unplanned_use"][:, :, t] = unplanned
        flows["closing"][:, :, t] = bal                                 # step 6
        unfunded[:, t] = shortfall + left
    return ReserveFlows(**flows), unfunded


def usable(reserves: ReserveInputs, per_reserve: np.ndarray) -> np.ndarray:
    """Sum of a (D, R, T+1) figure over the reserves that are not ring-fenced: (D, T+1)."""
    return per_reserve[:, ~reserves.ring_fenced, :].sum(axis=1)


def reserve_minimums(reserves: ReserveInputs, net_expenditure: np.ndarray) -> np.ndarray:
    """(D, R, T+1) each reserve's minimum: its amount, or its share * net_expenditure[t]."""
    share = reserves.minimum_is_share[None, :, None]
    return np.where(share, reserves.minimum[:, :, None] * net_expenditure[:, None, :], reserves.minimum[:, :, None])
