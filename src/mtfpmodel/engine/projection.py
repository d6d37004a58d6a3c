"""The MTFP engine: arrays in, arrays out (the equations are in docs/reference.md).

Pure functions, one per line of the plan, each vectorised over a leading draws axis D, over
budget lines or streams, and over years t = 0..T (t = 0 the base year). No file, no print.
Money is in the scenario unit throughout; nothing is rounded.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from mtfpmodel.engine.financing import financing_cost
from mtfpmodel.engine.finite import check_finite
from mtfpmodel.engine.inputs import Inputs, StreamInputs
from mtfpmodel.engine.streams.base import Projection

STATUSES = ("balanced", "balanced with reserves", "below minimum reserves", "unbalanced", "reserves exhausted")
BALANCED, WITH_RESERVES, BELOW_MINIMUM, UNBALANCED, EXHAUSTED = range(5)


@dataclass(frozen=True)
class Results:
    """Every quantity of the plan, shape (D, ..., T+1) [scenario unit] unless stated."""

    component_cost: np.ndarray      # (D, K, T+1)
    line_cost: np.ndarray           # (D, L, T+1)
    pressure_level: np.ndarray      # (D, P, T+1)
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
    reserves_drawn: np.ndarray
    closing_reserves: np.ndarray
    minimum_reserves: np.ndarray
    status: np.ndarray              # (D, T+1) int index into STATUSES; base year marked balanced
    balances: np.ndarray            # (D,) bool
    sustainable: np.ndarray         # (D,) bool

    @property
    def draws(self) -> int:
        return self.net_gap.shape[0]


def project(inputs: Inputs) -> Results:
    """Project the whole plan for every draw at once."""
    components = component_cost(inputs)
    lines = line_cost(components, inputs)
    pressures = pressure_level(inputs)
    expenditure = net_expenditure(lines, pressures)
    tax_base, band_d, council_tax = council_tax_income(inputs)
    sources = source_amounts(inputs)
    total_funding = council_tax + sources.sum(axis=1)
    gap = expenditure - total_funding

    streams = inputs.streams
    projection = Projection(component_cost=components, line_cost=lines)
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

    gap_after = net_gap(gap, total_savings, one_off)
    risk_gap = net_gap(gap, (net * confidence[:, :, None]).sum(axis=1), one_off)
    drawn = reserves_drawn(gap_after, inputs.use_to_balance)
    closing = closing_reserves(inputs.reserves_opening, gap_after, drawn, from_reserves)
    minimum = minimum_reserves(inputs, expenditure)
    status = plan_status(gap_after, closing, minimum, inputs.use_to_balance)
    balances = ~np.isin(status[:, 1:], (UNBALANCED, EXHAUSTED)).any(axis=1)
    return _checked(Results(
        component_cost=components, line_cost=lines, pressure_level=pressures,
        net_expenditure=expenditure, tax_base=tax_base, band_d=band_d, council_tax=council_tax,
        source_amount=sources, funding=total_funding, gross_gap=gap,
        stream_gross=gross, stream_financing=financing, stream_implementation=implementation,
        stream_net=net, savings=total_savings, one_off_costs=one_off, reserve_funded_costs=from_reserves,
        net_gap=gap_after, incremental_gap=incremental_gap(gap_after), risk_adjusted_net_gap=risk_gap,
        reserves_drawn=drawn, closing_reserves=closing, minimum_reserves=minimum, status=status,
        balances=balances, sustainable=balances & (gap_after[:, -1] <= 0),
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
    arrays = {f.name: getattr(results, f.name) for f in fields(results)}
    draws = max(a.shape[0] for a in arrays.values())
    return Results(**{name: a if a.shape[0] == draws else np.broadcast_to(a, (draws,) + a.shape[1:])
                      for name, a in arrays.items()})


def component_cost(inputs: Inputs) -> np.ndarray:
    """cost[L,c,t] = cost[L,c,t-1] * (1 + rate[c,t]) * (1 + demand[L,t]); cost[L,c,0] = base[L] * w[c].

    Computed as base * prod_{s<=t}(1 + rate[c,s]) * prod_{s<=t}(1 + demand[L,s]): the running
    products are taken over the few assumptions and lines, then indexed out to components.
    """
    inflation = np.cumprod(1.0 + inputs.assumption_rate, axis=-1)
    demand = np.cumprod(1.0 + inputs.line_demand, axis=-1)
    factors = (np.take(inflation, inputs.component_assumption, axis=1),
               np.take(demand, inputs.component_line, axis=1), inputs.component_base[:, :, None])
    cost = np.empty(np.broadcast_shapes(*(f.shape for f in factors)))
    np.multiply(factors[0], factors[1], out=cost)
    cost *= factors[2]
    return cost


def line_cost(components: np.ndarray, inputs: Inputs) -> np.ndarray:
    """line_cost[L,t] = sum over the line's cost-mix parts c of cost[L,c,t]."""
    starts = np.flatnonzero(np.r_[True, np.diff(inputs.component_line) != 0])
    return np.add.reduceat(components, starts, axis=1)


def pressure_level(inputs: Inputs) -> np.ndarray:
    """Level of each pressure in year t: sum of amounts up to t if recurring, else the year's amount."""
    amounts = inputs.pressure_amount
    recurring = inputs.pressure_recurring[None, :, None]
    return np.where(recurring, np.cumsum(amounts, axis=-1), amounts)


def net_expenditure(lines: np.ndarray, pressures: np.ndarray) -> np.ndarray:
    """net_expenditure[t] = sum of line_cost[L,t] + sum of pressure levels in t."""
    return lines.sum(axis=1) + pressures.sum(axis=1)


def council_tax_income(inputs: Inputs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(tax_base [Band D eq.], band_d [£], income [unit]); income = tax_base * band_d / unit + collection_fund."""
    tax_base = inputs.tax_base[:, None] * np.cumprod(1.0 + inputs.tax_base_growth, axis=-1)
    band_d = inputs.band_d[:, None] * np.cumprod(1.0 + inputs.band_d_increase, axis=-1)
    return tax_base, band_d, tax_base * band_d / inputs.unit + inputs.collection_fund


def source_amounts(inputs: Inputs) -> np.ndarray:
    """Business rates and grants: x[t] = x[t-1] * (1 + growth[t]), or the values given (base in t = 0)."""
    grown = inputs.source_base[:, :, None] * np.cumprod(1.0 + inputs.source_growth, axis=-1)
    given = inputs.source_values.copy() if inputs.source_values.size else inputs.source_values
    if given.size:
        given = np.broadcast_to(given, np.broadcast_shapes(given.shape, grown.shape)).copy()
        given[:, :, 0] = np.broadcast_to(inputs.source_base, given[:, :, 0].shape)
    return np.where(inputs.source_given[None, :, None], given, grown)


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


def reserves_drawn(gap: np.ndarray, use_to_balance: bool) -> np.ndarray:
    """reserves_drawn[t] = max(net_gap[t], 0) when reserves balance the budget, else 0; 0 in the base year."""
    drawn = np.maximum(gap, 0.0) if use_to_balance else np.zeros_like(gap)
    drawn[:, 0] = 0.0
    return drawn


def closing_reserves(opening: np.ndarray, gap: np.ndarray, drawn: np.ndarray,
                     reserve_funded: np.ndarray) -> np.ndarray:
    """closing[t] = closing[t-1] - drawn[t] + max(-net_gap[t], 0) - reserve-funded costs[t]; closing[0] = opening."""
    change = -drawn + np.maximum(-gap, 0.0) - reserve_funded
    change[:, 0] = 0.0
    return opening[:, None] + np.cumsum(change, axis=-1)


def minimum_reserves(inputs: Inputs, expenditure: np.ndarray) -> np.ndarray:
    """The minimum amount, or the minimum share times net_expenditure[t]."""
    if inputs.minimum_is_share:
        return inputs.reserves_minimum[:, None] * expenditure
    return np.broadcast_to(inputs.reserves_minimum[:, None], expenditure.shape).copy()


def plan_status(gap: np.ndarray, closing: np.ndarray, minimum: np.ndarray, use_to_balance: bool) -> np.ndarray:
    """First that applies: reserves exhausted, unbalanced, below minimum, balanced with reserves, balanced."""
    gap, closing, minimum = np.broadcast_arrays(gap, closing, minimum)
    status = np.full(gap.shape, BALANCED, dtype=np.int8)
    status[gap > 0] = WITH_RESERVES
    status[closing < minimum] = BELOW_MINIMUM
    if not use_to_balance:
        status[gap > 0] = UNBALANCED
    status[closing < 0] = EXHAUSTED
    status[:, 0] = BALANCED
    return status


def _stack_streams(arrays: list[np.ndarray], length: int) -> np.ndarray:
    """Per-stream (D, T+1) arrays → (D, N, T+1), broadcasting draws; no streams gives (1, 0, T+1)."""
    if not arrays:
        return np.zeros((1, 0, length))
    return np.stack(np.broadcast_arrays(*arrays), axis=1)
