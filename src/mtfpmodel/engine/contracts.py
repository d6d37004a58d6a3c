"""Indexed contracts: each contract's uplift and cost by year, within its budget line.

Arrays have a leading draws axis D, then contracts C, then years t = 0..T [scenario unit]. The
equations are in docs/reference.md (contracts).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from mtfpmodel.engine.arrays import compound, stack, with_base
from mtfpmodel.scenario.schema import Scenario


@dataclass(frozen=True)
class ContractInputs:
    value: np.ndarray      # (D, C) base-year value [scenario unit]
    index: np.ndarray      # (D, C, T+1) the index by year, base_index in t = 0
    lag: np.ndarray        # (C,) years
    cap: np.ndarray        # (D, C) highest uplift (+inf: none)
    collar: np.ndarray     # (D, C) lowest uplift (-inf: none)
    in_term: np.ndarray    # (C, T+1) bool: the clause applies in year t
    line: np.ndarray       # (C,) index of the contract's line


def compile_contracts(scenario: Scenario, values: Mapping[str, np.ndarray], series: Callable[[str], np.ndarray],
                      labels: tuple[str, ...], lines: tuple[str, ...]) -> ContractInputs | None:
    """The contracts as arrays (``labels``: base year first), or None when the scenario has none."""
    contracts = scenario.contracts
    if not contracts:
        return None
    T = scenario.years

    def optional(path: str, default: float) -> np.ndarray:
        return values[path] if path in values else np.full(1, default)

    indices = []
    for c in contracts:
        index = series(f"contracts[{c.name}].index")
        before = values.get(f"contracts[{c.name}].base_index", index[:, 1])   # default: the first projection year
        indices.append(with_base(index, before))
    term = np.array([[(c.start is None or c.start <= year) and (c.end is None or year <= c.end) for year in labels]
                     for c in contracts])
    return ContractInputs(
        value=stack([values[f"contracts[{c.name}].value"] for c in contracts], T, scalar=True),
        index=stack(indices, T), lag=np.array([c.lag for c in contracts], dtype=int),
        cap=stack([optional(f"contracts[{c.name}].cap", np.inf) for c in contracts], T, scalar=True),
        collar=stack([optional(f"contracts[{c.name}].collar", -np.inf) for c in contracts], T, scalar=True),
        in_term=term, line=np.array([lines.index(c.line) for c in contracts], dtype=int))


def contract_uplift(c: ContractInputs, line_growth: np.ndarray) -> np.ndarray:
    """uplift[C,t]: the index of ``lag`` years before, held between collar and cap, in the contract's
    term; the growth of its line's price index ``line_growth`` (D, C, T+1) in other years; 0 in t = 0."""
    years = c.index.shape[-1]
    back = np.maximum(np.arange(years)[None, :] - c.lag[:, None], 0)          # (C, T+1)
    lagged = np.take_along_axis(c.index, np.broadcast_to(back, c.index.shape[:1] + back.shape), axis=-1)
    clause = np.clip(lagged, c.collar[:, :, None], c.cap[:, :, None])
    uplift = np.where(c.in_term[None], clause, line_growth)
    uplift[:, :, 0] = 0.0
    return uplift


def contract_cost(c: ContractInputs, uplift: np.ndarray) -> np.ndarray:
    """contract[C,t] = contract[C,t-1] * (1 + uplift[C,t]); contract[C,0] = value; (D, C, T+1)."""
    return c.value[:, :, None] * compound(uplift)


def line_contracts(cost: np.ndarray, c: ContractInputs, lines: int) -> np.ndarray:
    """Sum of the contracts of each line, (D, L, T+1)."""
    out = np.zeros((cost.shape[0], lines, cost.shape[-1]))
    for k, line in enumerate(c.line):
        out[:, line] += cost[:, k]
    return out
