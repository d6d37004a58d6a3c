"""Financing borrowing: each year's spend is a tranche repaid over ``life`` years after that year.

One rule for every borrowing in the plan, savings-stream capital (invest to save) and the
capital programme alike. For principal P, rate r, life n and year k = 1..n after the year of
spend, the payment is MRP (the principal repaid) plus interest on the balance still owed at the
start of year k (after the MRP of the years before):

    annuity:       payment = P*r/(1-(1+r)**-n)                  (P/n when r = 0)
                   mrp[k] = P*r*(1+r)**(k-1)/((1+r)**n - 1)     (P/n when r = 0)
    straight_line: mrp[k] = P/n
    interest[k] = r * (P - sum of mrp[j] for j < k)             (straight line: r*P*(1-(k-1)/n))

so the annuity's level payment is exactly its MRP plus its built-in interest, and the MRP of a
tranche over its life sums to P.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np


def schedule_factors(rate: np.ndarray, life: int, method: str, years: int | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
    """(MRP, interest) per unit of principal in years k = 1..years after spend, each (D, years).

    ``years`` (default ``life``) may stop the schedule early, e.g. at the end of the plan.
    """
    years = life if years is None else min(years, life)
    rate = np.asarray(rate, dtype=float).reshape(-1, 1)
    k = np.arange(1, years + 1, dtype=float)[None, :]
    mrp, interest = _factors(rate, life, method, k)
    return np.broadcast_to(mrp, interest.shape), interest


def _factors(rate: np.ndarray, life: int, method: str, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MRP and interest per unit of principal in year k after spend (rate and k broadcast together)."""
    if method == "straight_line":
        return np.full(np.broadcast_shapes(rate.shape, k.shape), 1.0 / life), rate * (1.0 - (k - 1.0) / life)
    safe = np.where(rate != 0, rate, 1.0)
    growth = np.log1p(safe)
    # (1+r)**n - 1 written with expm1/log1p, so a tiny rate does not round it to zero
    whole = np.expm1(life * growth)
    mrp = np.where(rate != 0, safe * np.exp((k - 1.0) * growth) / whole, 1.0 / life)
    interest = np.where(rate != 0, safe * (whole - np.expm1((k - 1.0) * growth)) / whole, 0.0)
    return mrp, interest


def payment_factors(rate: np.ndarray, life: int, method: str) -> np.ndarray:
    """Payment (MRP plus interest) per unit of principal in years k = 1..life after spend, (D, life)."""
    mrp, interest = schedule_factors(rate, life, method)
    return mrp + interest


def tranche_costs(amount: np.ndarray, rate: np.ndarray, life: int, method: str) -> tuple[np.ndarray, np.ndarray]:
    """(MRP, interest) [scenario unit] in each year of ``amount``'s axis, each shaped like ``amount``.

    ``amount`` (D, ..., H+1) is the borrowing in each year (index 0 = base year), for one or
    more borrowings (the axes between D and the years, e.g. the schemes of a capital programme
    that share a life and method); repayments start the year after spend and stop after
    ``life`` years or at the end of the axis. ``rate`` is (D,), one rate for every tranche, or
    (D, H+1), the rate each year's tranche is borrowed at (fixed for its life). Every tranche
    and draw at once: the factors are worked out only for the pairs (s, t) of a tranche's year
    s and a year t it is charged in (k = t - s from 1 to ``life``), once for all the borrowings,
    then weighted by their amounts and added up by year t.
    """
    amount = np.asarray(amount, dtype=float)
    rate = np.asarray(rate, dtype=float)
    years = amount.shape[-1]
    spend, k, first, charged = _charged_pairs(years, life)
    lead = (1,) * (amount.ndim - 2)
    r = (rate.T[spend] if rate.ndim == 2 else rate[None, :]).reshape((-1, rate.shape[0]) + lead)
    mrp, interest = _factors(r, life, method, k.reshape((-1, 1) + lead))      # (P, D, ...)
    weights = np.moveaxis(amount, -1, 0)[spend]                               # the pairs first: (P, D, ...)
    return _by_year(weights * mrp, first, charged, years), _by_year(weights * interest, first, charged, years)


@lru_cache(maxsize=None)
def _charged_pairs(years: int, life: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of a tranche year s and a year t it is charged in (1 <= k = t - s <= life), ordered
    by t then s: s and k of each pair (P,), where each year's pairs start, and those years."""
    t, s = np.nonzero(np.subtract.outer(np.arange(years), np.arange(years)) >= 1)
    keep = t - s <= life
    t, s = t[keep], s[keep]
    first = np.flatnonzero(np.r_[True, np.diff(t) != 0]) if t.size else t
    pairs = (s, (t - s).astype(float), first, t[first])
    for array in pairs:
        array.flags.writeable = False          # shared by every call (cached)
    return pairs


def _by_year(terms: np.ndarray, first: np.ndarray, charged: np.ndarray, years: int) -> np.ndarray:
    """Each year's sum of the (P, D, ...) terms of its pairs, as (D, ..., years)."""
    out = np.zeros((years,) + terms.shape[1:])
    if first.size:
        out[charged] = np.add.reduceat(terms, first, axis=0)
    return np.moveaxis(out, 0, -1)


def financing_cost(amount: np.ndarray, rate: np.ndarray, life: int, method: str) -> np.ndarray:
    """Financing cost (MRP plus interest) [scenario unit] in each year, shape (D, H+1); see ``tranche_costs``."""
    mrp, interest = tranche_costs(amount, rate, life, method)
    return mrp + interest
