"""The capital programme in the revenue budget: MRP and interest on borrowing, revenue contributions.

Each scheme's borrowing in year s is a tranche at the borrowing rate of year s, repaid by
:func:`mtfpmodel.engine.financing.tranche_costs` (the rule savings-stream capital uses) from the
year after; grants and capital receipts cost revenue nothing. Two lines of the plan come out:

    capital_financing[t] = existing_debt_charges[t] + sum over schemes of (mrp[C,t] + interest[C,t])
    revenue_contributions[t] = sum over schemes of revenue[C,t]

Every array has the leading draws axis D; loops run over the schemes' (life, method) pairs only.
Money in the scenario unit.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from mtfpmodel.engine.arrays import stack
from mtfpmodel.engine.financing import tranche_costs
from mtfpmodel.scenario.capital import SOURCES
from mtfpmodel.scenario.schema import Scenario

BORROWING, GRANTS, CAPITAL_RECEIPTS, REVENUE = range(len(SOURCES))


@dataclass(frozen=True)
class CapitalInputs:
    """The programme as arrays; C schemes, F = 4 financing sources in ``SOURCES`` order."""

    names: tuple[str, ...]
    spend: np.ndarray          # (D, C, F, T+1) spend by financing source [scenario unit]
    life: tuple[int, ...]      # per scheme [years]
    method: tuple[str, ...]    # per scheme: annuity | straight_line
    rate: np.ndarray           # (D, T+1) borrowing rate of the tranche borrowed in each year
    existing: np.ndarray       # (D, T+1) debt charges on borrowing before the plan


@dataclass(frozen=True)
class CapitalCosts:
    """What the programme costs revenue, by scheme and year [scenario unit]."""

    spend: np.ndarray          # (D, C, F, T+1) by financing source, as compiled
    mrp: np.ndarray            # (D, C, T+1)
    interest: np.ndarray       # (D, C, T+1)
    existing: np.ndarray       # (D, T+1)
    contributions: np.ndarray  # (D, T+1) revenue contributions to capital

    @property
    def financing(self) -> np.ndarray:
        """capital_financing[t] = existing_debt_charges[t] + sum of MRP and interest over schemes, (D, T+1)."""
        return self.existing + self.mrp.sum(axis=1) + self.interest.sum(axis=1)


def compile(scenario: Scenario, series: Callable[[str], np.ndarray], values: Mapping[str, np.ndarray]
            ) -> CapitalInputs:
    """Arrays of the scenario's programme; ``series(path)`` gives (D, T+1) with 0 in the base year."""
    T = scenario.years
    schemes = scenario.capital_programme
    arrays = [series(f"capital_programme[{s.name}].{f}") for s in schemes for f in SOURCES]
    flat = stack(arrays, T)
    stacked = flat.reshape(flat.shape[0], len(schemes), len(SOURCES), T + 1)
    financing = scenario.capital_financing
    rate = series("capital_financing.borrowing_rate") if financing is not None else np.zeros((1, T + 1))
    return CapitalInputs(names=tuple(s.name for s in schemes), spend=stacked, life=tuple(s.life for s in schemes),
                         method=tuple(s.method for s in schemes), rate=rate,
                         existing=existing_debt_charges(scenario, series, values))


def existing_debt_charges(scenario: Scenario, series: Callable[[str], np.ndarray],
                          values: Mapping[str, np.ndarray]) -> np.ndarray:
    """x[0] = base; x[t] = values[t] when a profile is given, else base (flat in cash), (D, T+1)."""
    T = scenario.years
    charges = scenario.capital_financing.existing_debt_charges if scenario.capital_financing else None
    if charges is None:
        return np.zeros((1, T + 1))
    base = values["capital_financing.existing_debt_charges.base"][:, None]
    if charges.values is None:
        return np.broadcast_to(base, (base.shape[0], T + 1)).copy()
    profile = series("capital_financing.existing_debt_charges.values")
    profile, base = np.broadcast_arrays(profile, base)
    return np.concatenate([base[:, :1], profile[:, 1:]], axis=1)


def costs(capital: CapitalInputs | None, length: int) -> CapitalCosts:
    """MRP and interest of every scheme's tranches, the old debt's charges and revenue contributions.

    Schemes with the same life and method share their repayment factors (they borrow at the
    same rates), so those are worked out once per (life, method), for every draw.
    """
    if capital is None:
        zero = np.zeros((1, length))
        return CapitalCosts(np.zeros((1, 0, len(SOURCES), length)), np.zeros((1, 0, length)),
                            np.zeros((1, 0, length)), zero, zero)
    borrowing = capital.spend[:, :, BORROWING]
    groups: dict[tuple[int, str], list[int]] = {}
    for c, terms in enumerate(zip(capital.life, capital.method)):
        if borrowing[:, c].any():                   # financed without borrowing: no debt charges
            groups.setdefault(terms, []).append(c)
    parts = [(schemes, tranche_costs(borrowing[:, schemes], capital.rate, life, method))
             for (life, method), schemes in groups.items()]
    draws = max([1] + [m.shape[0] for _, (m, _) in parts])
    mrp, interest = np.zeros((draws, len(capital.life), length)), np.zeros((draws, len(capital.life), length))
    for schemes, (m, i) in parts:
        mrp[:, schemes], interest[:, schemes] = m, i
    return CapitalCosts(spend=capital.spend, mrp=mrp, interest=interest, existing=capital.existing,
                        contributions=capital.spend[:, :, REVENUE].sum(axis=1))
