"""Invest-to-save appraisal per savings stream: payback year and NPV (reported, not in the gap).

For a stream with capital, cash flows run from year 1 to the end of the last tranche's
repayments (at least the plan's last year): the gross saving, continued at its last plan-year
level beyond the plan, less financing costs and implementation costs.
``NPV = sum_t flow[t] / (1 + discount_rate)**t``. The payback year is the first plan year in
which the cumulative flow is at or above zero and stays so for the rest of the plan; "beyond the
plan" when it is later. Every payback
year is counted from the stream's first outlay, the first year with capital spent or an
implementation cost: savings made before the money is spent do not repay it, so no payback year
comes before the spend; nor before the first year with a saving.

A stream with one-off implementation costs but no capital gets a payback year too, on the same
measure counted from the first year with a cost (``cumsum(net_saving - implementation_cost) >= 0``
from then): when the one-off costs have been repaid by the savings. ``net_saving_after_one_off_costs``
is the plan's total net saving less its implementation costs, however they are funded.

Because borrowing is repaid from the year after each year's spend, a scheme saving from its
first year "pays back" at once on that measure. ``capital_payback_year`` is the cash view an
officer also asks for: the first year, within the asset's life, in which cumulative gross
savings cover the capital spent and the implementation costs
(``cumsum(gross - capital - implementation) >= 0``, from the first outlay, and from then on:
a later tranche that uncovers them again moves the year on); "not within its life" if never.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from mtfpmodel.engine.financing import financing_cost
from mtfpmodel.engine.parameters import expand
from mtfpmodel.engine.projection import Results
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.series import year_labels

BEYOND = "beyond the plan"


def _extend(values: np.ndarray, horizon: int, hold_last: bool) -> np.ndarray:
    """Values for t = 0..T continued to t = horizon: at the last value, or at zero."""
    extra = horizon - (values.shape[0] - 1)
    return np.concatenate([values, np.full(extra, values[-1] if hold_last else 0.0)])


def horizon_of(capital: np.ndarray, life: int, years: int) -> int:
    """Last year of repayments of the last tranche (at least the plan's last year)."""
    spend_years = np.flatnonzero(capital)
    return max(years, int(spend_years.max()) + life if spend_years.size else years)


def stream_flows(gross: np.ndarray, capital: np.ndarray, rate: float, life: int, method: str,
                 implementation: np.ndarray) -> np.ndarray:
    """Net cash flow by year t = 0..H of one stream, H = last spend year + life (at least T)."""
    horizon = horizon_of(capital, life, gross.shape[0] - 1)
    extended_capital = _extend(capital, horizon, hold_last=False)
    financing = financing_cost(extended_capital[None, :], np.array([rate]), life, method)[0]
    return _extend(gross, horizon, hold_last=True) - financing - _extend(implementation, horizon, hold_last=False)


def capital_payback_year(gross: np.ndarray, capital: np.ndarray, life: int, implementation: np.ndarray,
                         base_year: str) -> str:
    """First year whose cumulative gross saving covers the capital and implementation costs."""
    horizon = horizon_of(capital, life, gross.shape[0] - 1)
    cash = (_extend(gross, horizon, hold_last=True) - _extend(capital, horizon, hold_last=False)
            - _extend(implementation, horizon, hold_last=False))
    start = first_outlay(capital, implementation)
    paid, saving = paid_back(np.cumsum(cash[start:])), first_saving(gross)
    if paid is None or saving >= gross.shape[0]:              # never repaid, or nothing ever saved
        return "not within its life"
    return year_labels(base_year, horizon)[max(start + paid, saving) - 1]


def paid_back(cumulative: np.ndarray) -> int | None:
    """The first index from which ``cumulative`` is >= 0 and stays so (None if it ends below 0): a
    later tranche of spending that takes it below zero again moves the payback on."""
    below = np.flatnonzero(cumulative < 0)
    if not below.size:
        return 0 if cumulative.size else None
    return int(below[-1]) + 1 if below[-1] + 1 < cumulative.size else None


def first_outlay(capital: np.ndarray, implementation: np.ndarray) -> int:
    """The first plan year t >= 1 with capital spent or an implementation cost (1 if there is none)."""
    outlays = np.flatnonzero((capital[1:] != 0) | (implementation[1:] != 0))
    return int(outlays[0]) + 1 if outlays.size else 1


def npv(flows: np.ndarray, discount_rate: float) -> float:
    """Net present value of flows in years 0..H at ``discount_rate`` (year 0 undiscounted)."""
    years = np.arange(flows.shape[0])
    return float(np.sum(flows / (1.0 + discount_rate) ** years))


def payback_year(flows: np.ndarray, labels: tuple[str, ...], start: int = 1, not_before: int = 1) -> str:
    """First plan year from which the cumulative net flow, counted from year ``start`` (1, the first
    plan year, unless told), is >= 0 for the rest of the plan, and not before year ``not_before``
    (the first saving), or 'beyond the plan'."""
    paid = paid_back(np.cumsum(flows[start:len(labels)]))
    year = None if paid is None else max(start + paid, not_before)
    return labels[year] if year is not None and year < len(labels) else BEYOND


def first_saving(gross: np.ndarray) -> int:
    """The first year t >= 1 with a gross saving (one past the last year when there is none): a
    scheme pays back in a year it saves something, never in the year of a spend with nothing saved."""
    saving = np.flatnonzero(gross[1:] > 0)
    return int(saving[0]) + 1 if saving.size else gross.shape[0]


def one_off_payback_year(net: np.ndarray, implementation: np.ndarray, labels: tuple[str, ...]) -> str:
    """First plan year, from the first year with a one-off cost, whose cumulative net saving less
    the one-off costs is >= 0 (years before the costs start do not count), or 'beyond the plan'."""
    return payback_year(net - implementation, labels, first_outlay(np.zeros_like(implementation), implementation),
                        first_saving(net))


def streams_table(scenario: Scenario, results: Results, labels: tuple[str, ...]) -> pd.DataFrame:
    """One row per stream: kind, confidence, totals over the plan, payback year and NPV."""
    rows = []
    for n, stream in enumerate(scenario.savings):
        gross = results.stream_gross[0, n]
        financing = results.stream_financing[0, n]
        implementation = results.stream_implementation[0, n]
        row = {
            "stream": stream.name, "kind": stream.kind,
            "rag": stream.confidence if isinstance(stream.confidence, str) else "",
            "confidence": scenario.confidence(stream),
            "capital": 0.0, "gross_saving": float(gross[1:].sum()),
            "financing_cost": float(financing[1:].sum()),
            "implementation_cost": float(implementation[1:].sum()),
            "funded_by": stream.funded_by,
            "net_saving": float(results.stream_net[0, n, 1:].sum()),
            "net_saving_after_one_off_costs": float((results.stream_net[0, n, 1:] - implementation[1:]).sum()),
            "final_year_net_saving": float(results.stream_net[0, n, -1]),
            "payback_year": "", "capital_payback_year": "", "npv": np.nan,
        }
        if stream.capital is not None:
            capital = np.concatenate([[0.0], expand(stream.capital.amount.values, scenario.years)])
            flows = stream_flows(gross, capital, stream.capital.interest_rate, stream.capital.life,
                                 stream.capital.method, implementation)
            row.update(capital=float(capital.sum()),
                       payback_year=payback_year(flows, labels, first_outlay(capital, implementation),
                                                 first_saving(gross)),
                       capital_payback_year=capital_payback_year(gross, capital, stream.capital.life,
                                                                 implementation, scenario.base_year),
                       npv=npv(flows, scenario.discount_rate))
        elif implementation[1:].any():
            row["payback_year"] = one_off_payback_year(results.stream_net[0, n], implementation, labels)
        rows.append(row)
    columns = ["stream", "kind", "rag", "confidence", "capital", "gross_saving", "financing_cost",
               "implementation_cost", "funded_by", "net_saving", "net_saving_after_one_off_costs",
               "final_year_net_saving", "payback_year",
               "capital_payback_year", "npv"]
    return pd.DataFrame(rows, columns=columns)
