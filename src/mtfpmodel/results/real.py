"""Real terms: every money figure of a run at base-year prices, deflated by a named assumption.

The one place figures are deflated. For an index assumption (CPI, prices...) with rate
index[s] in projection year s, each money figure of year t is divided by that year's deflator:

    deflator[0] = 1
    deflator[t] = prod over s = 1..t of (1 + index[s])
    real figure[t] = figure[t] / deflator[t]
    real incremental_gap[t] = real net_gap[t] - real net_gap[t-1]   (so the table still adds up)

Within a year every identity still holds (each term is divided by the same number), and a
status never changes (its comparisons are within a year). :meth:`Result.in_real_terms` returns a
Result whose engine arrays are deflated, so every table, chart or report built from it shows
base-year prices; it carries :class:`RealTerms` (``result.real``) for the labels ("£000, 2024/25
prices") and the nominal arrays, for the few figures that compare one year with another.
"""
from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np

from mtfpmodel.engine.parameters import Parameter
from mtfpmodel.engine.projection import Results
from mtfpmodel.scenario.errors import UsageError
from mtfpmodel.scenario.schema import Scenario

NOT_MONEY = frozenset({"tax_base", "status", "balances", "sustainable", "usable_reserves_pct",   # every other field is money
                       "line_volume", "contract_uplift"})
DIFFERENCES = {"incremental_gap": "net_gap"}    # recomputed from the deflated figure they difference


@dataclass(frozen=True)
class RealTerms:
    """How a Result was deflated: by which assumption, to which year's prices."""

    index: str                  # the assumption's name, e.g. 'prices'
    base_year: str              # '2024/25'
    deflator: np.ndarray        # (D, T+1), 1 in the base year
    nominal: Results            # the undeflated engine arrays

    @property
    def label(self) -> str:
        """'2024/25 prices'."""
        return f"{self.base_year} prices"


def check_index(scenario: Scenario, index: str) -> str:
    """``index`` if it is an assumption of ``scenario``; else UsageError naming the closest one."""
    names = list(scenario.assumptions)
    if index in names:
        return index
    close = difflib.get_close_matches(index, names, n=1, cutoff=0.0)
    hint = f"did you mean '{close[0]}'?" if close else "the scenario has no assumptions to deflate by"
    raise UsageError(f"--real {index}: no assumption named '{index}' ({hint}); "
                     f"the index must be one of: {', '.join(names) or 'none'}")


def deflator(params: dict[str, Parameter], index: str, labels: Sequence[str]) -> np.ndarray:
    """(1, T+1): 1 in the base year, then prod over s = 1..t of (1 + index[s]); a UsageError if
    the index falls by 100% or more in a year (prices at nothing or below: nothing to divide by)."""
    rates = params[f"assumptions.{index}"].value
    falls = np.flatnonzero(1.0 + rates <= 0.0)
    if falls.size:
        t = int(falls[0])
        raise UsageError(f"--real {index}: the index falls by {-rates[t]:.0%} in {labels[t + 1]}, to nothing or below, "
                         "so figures cannot be put at base-year prices by it (choose an index that stays above -100%)")
    return np.concatenate([[1.0], np.cumprod(1.0 + rates)])[None, :]


def deflate_array(array: np.ndarray, by: np.ndarray) -> np.ndarray:
    """``array`` (D, ..., T+1) or (T+1,) divided year by year by the deflator ``by`` (D, T+1)."""
    array = np.asarray(array, dtype=float)
    if array.ndim == 1:
        return array / by[0]
    shaped = by.reshape(by.shape[:1] + (1,) * (array.ndim - 2) + by.shape[1:])
    return array / shaped


def deflate(results: Results, by: np.ndarray) -> Results:
    """Every money array of ``results`` at base-year prices (module docstring)."""
    out = {}
    for field in fields(results):
        value = getattr(results, field.name)
        if field.name == "reserve_flows":      # each reserve's year: every flow and balance is money
            continue
        out[field.name] = value if field.name in NOT_MONEY else deflate_array(value, by)
    for name, of in DIFFERENCES.items():
        level = out[of]
        out[name] = np.diff(level, axis=-1, prepend=level[..., :1])
    draws = max(a.shape[0] for a in out.values())
    flows = results.reserve_flows
    deflated = type(flows)(**{f.name: deflate_array(getattr(flows, f.name), by) for f in fields(flows)})
    return Results(reserve_flows=deflated.with_draws(draws),
                   **{k: v if v.shape[0] == draws else np.broadcast_to(v, (draws,) + v.shape[1:])
                      for k, v in out.items()})
