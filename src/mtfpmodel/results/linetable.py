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

A group's lines are gathered at the place of its first line, in file order.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

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
