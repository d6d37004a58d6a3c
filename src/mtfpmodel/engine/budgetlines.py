"""Budget lines: each line's cost-mix part, its workforce share and its contracts, for every draw.

One function per step, each vectorised over the draws axis D (no loop over draws; loops over a
few lines or contracts only). The equations are in docs/reference.md (expenditure lines,
workforce, contracts); money in the scenario unit, unit costs in £ per period.

    line_cost[L,t] = sum over c of cost[L,c,t] + workforce_cost[L,t] + sum of the line's contract[C,t]
    cost[L,c,t] = (scale[L] - carved[L]) * w[c] * prod over s <= t of (1 + rate[c,s]) * volume[L,t]
    carved[L] = workforce_cost[L,0] + sum of the line's contract[C,0]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtfpmodel.engine.arrays import compound, stack
from mtfpmodel.engine.contracts import contract_cost, contract_uplift, line_contracts
from mtfpmodel.engine.inputs import Inputs
from mtfpmodel.engine.volumes import annual_unit_cost, line_volume, price_index
from mtfpmodel.engine.workforce import WorkforceCosts, line_workforce, workforce_costs


@dataclass(frozen=True)
class BudgetLines:
    """The projected lines, (D, ..., T+1) [scenario unit] unless stated."""

    component_cost: np.ndarray      # (D, K) cost-mix parts (the rest of each line)
    line_cost: np.ndarray           # (D, L) whole lines
    line_volume: np.ndarray         # (D, L) units bought (the demand index for lines with a base budget)
    line_unit_cost: np.ndarray      # (D, L) £ per period of volume-driven lines (NaN for the others)
    annual_unit_cost: np.ndarray    # (D, L) one unit for a year [scenario unit] (NaN for lines with a base)
    line_workforce: np.ndarray      # (D, L) the line's share of workforce groups
    line_contracts: np.ndarray      # (D, L) the line's contracts
    contract_cost: np.ndarray       # (D, C)
    contract_uplift: np.ndarray     # (D, C) share
    workforce: WorkforceCosts | None


def budget_lines(inputs: Inputs) -> BudgetLines:
    """Project every budget line, its workforce share and its contracts."""
    inflation = compound(inputs.assumption_rate)
    volume = line_volume(inputs.volumes)
    lines, years = len(inputs.layout.lines), inflation.shape[-1]
    price = {line: _price(inputs, inflation, line)
             for line in set(np.flatnonzero(inputs.volumes.is_volume)) | _contract_lines(inputs)}
    workforce = workforce_costs(inputs.workforce) if inputs.workforce is not None else None
    staff = line_workforce(workforce, inputs.workforce) if workforce is not None else None
    contracts, uplift = _contracts(inputs, price, years)
    in_lines = line_contracts(contracts, inputs.contracts, lines) if inputs.contracts is not None else None
    carved = np.zeros((1, lines))
    for part in (staff, in_lines):
        if part is not None:
            carved = carved + part[:, :, 0]
    components = component_cost(inputs, inflation, volume, carved)
    cost = line_cost(components, inputs)
    for part in (staff, in_lines):
        if part is not None:
            cost = cost + part
    draws = max(a.shape[0] for a in (cost, volume))
    annual = annual_unit_cost(inputs.volumes, price, (draws, lines, years))
    zeros = np.zeros((1, lines, years))
    return BudgetLines(
        component_cost=components, line_cost=cost, line_volume=volume,
        line_unit_cost=annual * inputs.unit / inputs.volumes.periods[:, :, None], annual_unit_cost=annual,
        line_workforce=staff if staff is not None else zeros,
        line_contracts=in_lines if in_lines is not None else zeros,
        contract_cost=contracts, contract_uplift=uplift, workforce=workforce)


def component_cost(inputs: Inputs, inflation: np.ndarray, volume: np.ndarray, carved: np.ndarray) -> np.ndarray:
    """cost[L,c,t] = (scale[L] - carved[L]) * w[c] * prod_{s<=t}(1 + rate[c,s]) * volume[L,t].

    The running products are taken over the few assumptions and lines, then indexed out to
    components; ``carved`` (D, L) is each line's workforce share and contracts in the base year.
    """
    base = np.take(inputs.volumes.scale - carved, inputs.component_line, axis=1) * inputs.component_share
    factors = (np.take(inflation, inputs.component_assumption, axis=1),
               np.take(volume, inputs.component_line, axis=1), base[:, :, None])
    cost = np.empty(np.broadcast_shapes(*(f.shape for f in factors)))
    np.multiply(factors[0], factors[1], out=cost)
    cost *= factors[2]
    return cost


def line_cost(components: np.ndarray, inputs: Inputs) -> np.ndarray:
    """Sum over the line's cost-mix parts c of cost[L,c,t]: its first part plus the sum of the others
    (in cost-mix order, the order these figures have always been added in).

    Most lines have one part, so each line starts as its first part and only the lines with
    more have the rest added, part by part: much quicker than a reduceat over the middle axis.
    """
    line = inputs.component_line
    first = np.flatnonzero(np.r_[True, np.diff(line) != 0])
    cost = components[:, first]
    place = np.arange(line.size) - first[line]          # 0 for a line's first part, 1 for its second...
    if place.size and place.max() > 0:
        second = np.flatnonzero(place == 1)
        rest = components[:, second]
        for n in range(2, int(place.max()) + 1):
            later = np.flatnonzero(place == n)
            rest[:, np.searchsorted(line[second], line[later])] += components[:, later]
        cost[:, line[second]] += rest
    return cost


def _price(inputs: Inputs, inflation: np.ndarray, line: int) -> np.ndarray:
    return price_index(inflation, inputs.component_share, inputs.component_assumption, inputs.component_line, line)


def _contract_lines(inputs: Inputs) -> set[int]:
    """Lines whose price index a contract needs (for the years outside its term)."""
    c = inputs.contracts
    return set() if c is None else {int(line) for line, term in zip(c.line, c.in_term) if not term[1:].all()}


def _contracts(inputs: Inputs, price: dict[int, np.ndarray], years: int) -> tuple[np.ndarray, np.ndarray]:
    """(cost, uplift) of every contract, (D, C, T+1); empty (1, 0, T+1) without contracts."""
    c = inputs.contracts
    if c is None:
        return np.zeros((1, 0, years)), np.zeros((1, 0, years))
    growth = [np.concatenate([np.zeros_like(price[line][:, :1]), price[line][:, 1:] / price[line][:, :-1] - 1.0],
                             axis=1) if line in price else np.zeros((1, years)) for line in c.line]
    line_growth = stack(growth, years - 1)
    uplift = contract_uplift(c, line_growth)
    return contract_cost(c, uplift), uplift
