"""Financing invest-to-save capital: each year's spend is a tranche repaid over ``life`` years.

For principal P, rate r, life n and year k = 1..n after the year of spend:
annuity ``P*r/(1-(1+r)**-n)`` (P/n when r = 0); straight_line ``P/n + r*P*(1-(k-1)/n)``.
"""
from __future__ import annotations

import numpy as np


def payment_factors(rate: np.ndarray, life: int, method: str) -> np.ndarray:
    """Payment per unit of principal in years k = 1..life after spend, shape (D, life)."""
    rate = np.asarray(rate, dtype=float).reshape(-1, 1)
    k = np.arange(1, life + 1, dtype=float)[None, :]
    if method == "straight_line":
        return 1.0 / life + rate * (1.0 - (k - 1.0) / life)
    safe = np.where(rate > 0, rate, 1.0)
    # 1 - (1+r)**-n written with expm1/log1p, so a tiny rate does not round it to zero
    annuity = np.where(rate > 0, safe / -np.expm1(-life * np.log1p(safe)), 1.0 / life)
    return np.broadcast_to(annuity, (rate.shape[0], life))


def financing_cost(amount: np.ndarray, rate: np.ndarray, life: int, method: str) -> np.ndarray:
    """Financing cost [scenario unit] in each year of ``amount``'s axis, shape (D, H+1).

    ``amount`` (D, H+1) is capital spent in each year (index 0 = base year); repayments start
    the year after spend and stop after ``life`` years or at the end of the axis.
    """
    amount = np.asarray(amount, dtype=float)
    factors = payment_factors(rate, life, method)
    horizon = amount.shape[-1] - 1
    draws = max(amount.shape[0], factors.shape[0])
    cost = np.zeros((draws, horizon + 1))
    for spend_year in range(1, horizon + 1):
        first, last = spend_year + 1, min(spend_year + life, horizon)
        if first <= last:
            cost[:, first:last + 1] += amount[:, spend_year, None] * factors[:, : last - first + 1]
    return cost
