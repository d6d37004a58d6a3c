"""Budget lines in the shape a budget book prints them: grouped, with subtotals, years as columns.

Rows [scenario unit], base year included:

    <group>                                  heading (no figures)
      <line>                                 line_cost[L,t], each line of the group
      Total <group>                          sum of the group's lines
    <line>                                   a line without a group, where it stands
    Total budget lines                       sum of line_cost[L,t]
      of which workforce (pay_from)          sum of workforce_cost[L,t]     (with a workforce block)
      of which contracts                     sum of contract[C,t]           (with contracts)
      contractual inflation                  sum of contract[C,t] - contract[C,0]

A group's lines are gathered at the place of its first line, in file order. What the total adds up
to (:func:`to_net_expenditure`), the same rows in the terminal and the report:

    Pressures                                sum of pressure_level[P,t]     (with pressures)
    <capital plan line>                      capital financing; revenue contributions to capital
    Contributions to reserves                reserve_contributions[t]       (when any)
    Net expenditure                          net_expenditure[t] = the total and every row above
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from mtfpmodel.results.capital import plan_lines
from mtfpmodel.results.result import Result

SUBTOTALS = ("subtotal", "total")


def uses_drivers(result: Result) -> bool:
    """Whether the plan has grouped or volume-driven lines, a workforce or contracts (then it is printed)."""
    s = result.scenario
    return bool(s.workforce or s.contracts or any(line.group or line.volume for line in s.expenditure))


def line_table(result: Result, draw: int = 0) -> pd.DataFrame:
    """Columns ``item``, ``key`` (group, line, subtotal, total, workforce, contracts, contractual_inflation)
    and one per year, base year first; headings carry NaN."""
    r = result.results
    d = min(draw, r.draws - 1)
    cost = r.line_cost[d]
    lines = result.scenario.expenditure
    rows: list[tuple[str, str, np.ndarray]] = []
    blank = np.full(cost.shape[-1], np.nan)
    done: set[str] = set()
    for line in lines:
        if line.group is None:
            rows.append((line.name, "line", cost[lines.index(line)]))
            continue
        if line.group in done:
            continue
        done.add(line.group)
        members = [i for i, other in enumerate(lines) if other.group == line.group]
        rows.append((line.group, "group", blank))
        rows += [(f"  {lines[i].name}", "line", cost[i]) for i in members]
        rows.append((f"Total {line.group}", "subtotal", cost[members].sum(axis=0)))
    rows.append(("Total budget lines", "total", cost.sum(axis=0)))
    if result.scenario.workforce is not None:
        rows.append(("  of which workforce (pay_from)", "workforce", r.line_workforce[d].sum(axis=0)))
    if result.scenario.contracts:
        contracts = r.contract_cost[d].sum(axis=0)
        rows.append(("  of which contracts", "contracts", contracts))
        rows.append(("  contractual inflation", "contractual_inflation", contracts - contracts[0]))
    data: dict[str, list] = {"item": [label for label, _, _ in rows], "key": [key for _, key, _ in rows]}
    for t, year in enumerate(result.labels):
        data[year] = [float(values[t]) for _, _, values in rows]
    return pd.DataFrame(data)


def to_net_expenditure(result: Result, draw: int = 0) -> list[tuple[str, str, np.ndarray]]:
    """The rows from ``Total budget lines`` to net expenditure, as (label, key, values by year,
    base year first): pressures, the capital plan's lines and contributions to reserves, each when
    the plan has them, then ``Net expenditure`` (key ``net_expenditure``)."""
    r = result.results
    d = min(draw, r.draws - 1)
    rows: list[tuple[str, str, np.ndarray]] = []
    if result.scenario.pressures:
        rows.append(("Pressures", "pressures", r.pressure_level[d].sum(axis=0)))
    rows += [(name, "capital", values[d]) for name, values in plan_lines(r, result.scenario)]
    if (r.reserve_contributions[d] != 0).any():
        rows.append(("Contributions to reserves", "contributions", r.reserve_contributions[d]))
    rows.append(("Net expenditure", "net_expenditure", r.net_expenditure[d]))
    return rows
