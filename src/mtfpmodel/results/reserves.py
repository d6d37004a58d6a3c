"""Reserves as tables: ``reserves.csv``, the reserves statement, and the warnings about them.

Every figure comes from the engine's arrays (draw 0); nothing is recomputed here but the
statement's two derived measures, defined once:

- **the year usable reserves run out**: the first projection year whose status is
  ``reserves exhausted`` (the reserves that meet gaps are used up and a gap is left unfunded);
- **years they would last at the plan's average draw**: closing usable reserves in the final
  year divided by the average yearly fall in usable reserves over the plan,
  ``(closing_reserves[0] - closing_reserves[T]) / T`` (net of contributions and surpluses, as
  CIPFA's "reserves sustainability" measure); none when usable reserves do not fall.

The statement also flags a final year that still relies on reserves (``reserves_drawn[T] > 0``):
a structural gap propped up by one-off money.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mtfpmodel.engine.parameters import expand
from mtfpmodel.engine.projection import EXHAUSTED, Results
from mtfpmodel.scenario.errors import Problem
from mtfpmodel.scenario.schema import Scenario
from mtfpmodel.scenario.units import money, percent
from mtfpmodel.scenario.yamlfile import Where, locate

if TYPE_CHECKING:       # pandas only where a table is built: validating a plan needs none
    import pandas as pd

COLUMNS = ("opening", "contributions", "planned_use", "implementation_costs", "unplanned_use", "surplus_added",
           "closing")


def reserves_table(scenario: Scenario, results: Results, labels: tuple[str, ...], draw: int = 0) -> pd.DataFrame:
    """reserves.csv: reserve, year and the year's flows, every reserve, every projection year."""
    import pandas as pd

    flows = results.reserve_flows
    rows = []
    for r, (_, reserve) in enumerate(scenario.reserve_list):
        for t in range(1, len(labels)):
            row = {"reserve": reserve.name, "year": labels[t]}
            row.update({c: float(getattr(flows, c)[draw, r, t]) for c in COLUMNS})
            rows.append(row)
    return pd.DataFrame(rows, columns=["reserve", "year", *COLUMNS])


@dataclass(frozen=True)
class Statement:
    """The reserves statement: rows by year (base year = opening balance) and three findings."""

    table: pd.DataFrame             # item, key, then one column per year t = 0..T (flows: none in t = 0)
    run_out: str | None             # first projection year 'reserves exhausted', if any
    years_last: float | None        # final closing / average yearly fall; None if they do not fall or
                                    # a gap goes unfunded (how long the rest lasts then means nothing)
    average_fall: float             # (closing_reserves[0] - closing_reserves[T]) / T [scenario unit]
    final_year_relies: bool         # reserves_drawn[T] > 0
    final_year_drawn: float         # reserves_drawn[T] [scenario unit]
    gap_unfunded: bool = False      # some year leaves a gap unfunded (reserves exhausted or unbalanced)
    years_last_at_final_fall: float | None = None   # final closing / the final year's fall, when that fall
                                    # is well above the average (FASTER times it): how long at the rate it ends on
    final_fall: float = 0.0         # closing_reserves[T-1] - closing_reserves[T] [scenario unit]


def statement(scenario: Scenario, results: Results, labels: tuple[str, ...], draw: int = 0) -> Statement:
    """Each reserve's closing balance by year, usable reserves against the minimum, and findings."""
    import pandas as pd

    flows = results.reserve_flows
    rows: list[tuple[str, str, np.ndarray]] = []
    moves = (("Contributions to reserves", "reserve_contributions", flows.contributions, True),
             ("Planned use of reserves", "planned_reserves_use", flows.planned_use, False),
             ("Unplanned use of reserves", "unplanned_reserves_use", flows.unplanned_use, False),
             ("Implementation costs met from reserves", "implementation_costs", flows.implementation_costs, True),
             ("Surplus added to reserves", "surplus_added", flows.surplus_added, True))
    for label, key, per_reserve, optional in moves:
        total = per_reserve[draw].sum(axis=0)
        if not optional or np.any(total[1:] != 0):
            rows.append((label, key, np.concatenate([[np.nan], total[1:]])))   # no flow in the base year
    for r, (_, reserve) in enumerate(scenario.reserve_list):
        note = " (ring-fenced)" if reserve.ring_fenced else ""
        rows.append((f"{reserve.name}{note}", f"reserve:{reserve.name}", flows.closing[draw, r]))
    closing, minimum = results.closing_reserves[draw], results.minimum_reserves[draw]
    spend = results.net_expenditure[draw]
    rows += [("Total usable reserves", "closing_reserves", closing),
             ("Minimum reserves", "minimum_reserves", minimum),
             ("Usable reserves, % of net expenditure", "usable_reserves_pct", results.usable_reserves_pct[draw]),
             ("Minimum, % of net expenditure", "minimum_pct", minimum / spend)]
    data: dict[str, list] = {"item": [r[0] for r in rows], "key": [r[1] for r in rows]}
    for t, year in enumerate(labels):
        data[year] = [float(values[t]) for _, _, values in rows]
    status = results.status[draw, 1:]
    exhausted = np.flatnonzero(status == EXHAUSTED)
    T = len(labels) - 1
    fall = float(closing[0] - closing[T]) / T
    drawn = float(results.reserves_drawn[draw, T])
    unfunded = bool(np.any(results.unfunded_gap[draw, 1:] > 0))
    lasting = float(closing[T]) / fall if fall > 0 and not unfunded else None
    final_fall = float(closing[T - 1] - closing[T]) if T > 1 else fall     # net of the year's contributions
    at_final = float(closing[T]) / final_fall if lasting is not None and final_fall > FASTER * fall else None
    return Statement(pd.DataFrame(data), labels[int(exhausted[0]) + 1] if exhausted.size else None,
                     lasting, fall, drawn > 0, drawn, unfunded, at_final, final_fall)


def unmet_costs(results: Results) -> np.ndarray:
    """(D, T+1) the implementation costs (``funded_by: reserves``) the reserve that pays them could
    not meet: the part of each year's unfunded gap that is not gap the reserves could not meet."""
    return results.reserve_funded_costs - results.reserve_flows.implementation_costs.sum(axis=1)


def unmet(results: Results, draw: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(T+1,) each year's unfunded gap in its two parts [scenario unit]: :func:`unmet_costs`, and
    the rest, the part of the gap the reserves could not meet."""
    costs = unmet_costs(results)[draw]
    return costs, results.unfunded_gap[draw] - costs


FASTER = 1.25     # a final year's fall this many times the average is worth a second "would last"


PERCENT_ROWS = ("usable_reserves_pct", "minimum_pct")
FLOW_ROWS = ("reserve_contributions", "planned_reserves_use", "unplanned_reserves_use", "implementation_costs",
             "surplus_added")


def reserve_warnings(scenario: Scenario, results: Results, labels: tuple[str, ...],
                     where: Where | None) -> list[Problem]:
    """Planned use beyond a reserve's balance (by reserve and year); a minimum such as 0.05, or 5
    where 5% was meant; a general reserve that is ring-fenced."""
    problems = []
    flows = results.reserve_flows
    unit = scenario.units
    spend = float(results.net_expenditure[0, 0])
    for r, (prefix, reserve) in enumerate(scenario.reserve_list):
        keys = ("reserves",) if prefix == "reserves" else ("reserves", r)
        if isinstance(reserve.minimum, float) and 0 < reserve.minimum < 1:
            file, line = locate(where, *keys, "minimum")
            problems.append(Problem(f"minimum {reserve.minimum:g} is read as an amount, {money(reserve.minimum, unit, 2)}",
                                    file=file, line=line, path=f"{prefix}.minimum",
                                    hint=f"did you mean {reserve.minimum * 100:g}%? write it with %"))
        elif isinstance(reserve.minimum, float) and _looks_like_a_percentage(reserve.minimum, spend):
            file, line = locate(where, *keys, "minimum")
            problems.append(Problem(f"minimum {reserve.minimum:g} is read as an amount, {money(reserve.minimum, unit)}, "
                                    f"{percent(reserve.minimum / spend, 1)} of net expenditure in {labels[0]}",
                                    file=file, line=line, path=f"{prefix}.minimum",
                                    hint=f"did you mean {reserve.minimum:g}%? write it with %"))
        if reserve.ring_fenced and reserve.kind == "general":
            file, line = locate(where, *keys, "ring_fenced")
            minimum = " and its minimum is not counted" if reserve.minimum else ""
            problems.append(Problem(f"{reserve.name} is a general reserve that is ring-fenced: it never meets a gap, "
                                    f"it is left out of usable reserves{minimum}",
                                    file=file, line=line, path=f"{prefix}.ring_fenced",
                                    hint="a general reserve is the unallocated balance: remove ring_fenced, or make a "
                                         "balance held for one purpose kind: earmarked"))
        wanted = np.broadcast_to(_planned_use(scenario, prefix), flows.planned_use.shape[2:])
        drawn = flows.planned_use[0, r]
        for t in range(1, len(labels)):
            short = float(wanted[t] - drawn[t])
            if short > 0:
                file, line = locate(where, *keys, "planned_use")
                problems.append(Problem(
                    f"planned use of {money(float(wanted[t]), unit)} from {reserve.name} in {labels[t]} is more than "
                    f"its balance of {money(float(drawn[t]), unit)}; the {money(short, unit)} not drawn stays in the "
                    "savings still to find", file=file, line=line, path=f"{prefix}.planned_use",
                    hint="plan less use, add contributions, or plan the use from another reserve"))
    return problems


PERCENT_LIKE = 0.002    # a whole-number minimum of 1 to 100 below this share of net expenditure was meant as a %


def _looks_like_a_percentage(minimum: float, spend: float) -> bool:
    """A minimum written as a bare whole number from 1 to 100 that, read as an amount, is a sliver of
    the budget (5 is £5k of a £500m council, where 5% was meant). In £m a minimum of 5 is £5m and
    is left alone, as is any real amount in £000 (a general fund's minimum runs to thousands)."""
    return minimum.is_integer() and 1 <= minimum <= 100 and spend > 0 and minimum < PERCENT_LIKE * spend


def _planned_use(scenario: Scenario, prefix: str) -> np.ndarray:
    """The planned use as written, (T+1,) with 0 in the base year."""
    reserve = dict(scenario.reserve_list)[prefix]
    return np.concatenate([[0.0], expand(reserve.planned_use.values, scenario.years)])
