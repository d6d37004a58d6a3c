"""The budget gap in the shape cabinet papers print it, read from the engine's figures.

Rows, each projection year a column [scenario unit]; the gap rows are cumulative (each year's
gap against the base budget), reserves and savings are shown negative, so each subtotal is the
sum of the rows above it since the last one:

    budget gap before savings                 gross_gap[t]
    one-off implementation costs              one_off_costs[t]             (revenue-funded)
    savings identified: <category>            -sum of net_saving[t] of the category's streams
    net gap after savings                     net_gap[t]
    planned use of reserves: <reserve>        -planned[r,t]                (one row per reserve)
    savings still to find, cumulative         savings_still_to_find[t] = net_gap[t] - planned_reserves_use[t]
    savings still to find in the year         savings_still_to_find[t] - savings_still_to_find[t-1]
                                              (memo row; the base year counts as 0)
    unplanned use of reserves                 -unplanned_reserves_use[t]
    surplus added to reserves                 max(-savings_still_to_find[t], 0)       (when any)
    implementation costs reserves cannot meet reserve-funded costs not met            (when any)
    unfunded gap                              unfunded_gap[t]

A stream's category is its ``category:`` if given, otherwise a heading for its kind
(:data:`KIND_CATEGORIES`). A negative "still to find" is a surplus (shown in brackets).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from mtfpmodel.engine.projection import Results
from mtfpmodel.scenario.reserves import first_gap_reserve
from mtfpmodel.scenario.schema import Scenario

KIND_CATEGORIES = {   # headings for streams without a category, by kind
    "fixed": "Savings proposals",
    "share_of_line": "Budget line reductions",
    "unit_cost": "Unit cost reductions",
}
SUBTOTALS = ("net_gap", "savings_still_to_find", "unfunded_gap")
MEMO = ("savings_still_to_find_in_year",)


def category(stream) -> str:
    """The gap-table heading of a savings stream."""
    return stream.category or KIND_CATEGORIES.get(stream.kind, stream.kind)


def table(scenario: Scenario, r: Results, labels: tuple[str, ...], draw: int = 0) -> pd.DataFrame:
    """Columns ``item``, ``key`` and one per projection year; rows as in the module docstring."""
    def row(array: np.ndarray) -> np.ndarray:
        return np.broadcast_to(array, r.net_gap.shape)[draw]

    rows: list[tuple[str, str, np.ndarray]] = [
        ("Budget gap before savings", "gross_gap", row(r.gross_gap)),
        ("One-off implementation costs", "one_off_costs", row(r.one_off_costs)),
    ]
    net = r.stream_net[min(draw, r.stream_net.shape[0] - 1)]
    groups: dict[str, np.ndarray] = {}
    for n, stream in enumerate(scenario.savings):
        name = category(stream)
        groups[name] = groups.get(name, 0.0) + net[n]
    rows += [(f"Savings identified: {name}", f"savings:{name}", -saving) for name, saving in groups.items()]
    rows.append(("Net gap after savings", "net_gap", row(r.net_gap)))
    planned = r.reserve_flows.planned_use[draw]
    names = [reserve.name for _, reserve in scenario.reserve_list]
    used = [i for i in range(len(names)) if np.any(planned[i, 1:] != 0)]
    rows += [(f"Planned use of reserves: {names[i]}", f"planned_use:{names[i]}", -planned[i]) for i in used]
    if not used:
        rows.append(("Planned use of reserves", "planned_reserves_use", -row(r.planned_reserves_use)))
    still = row(r.savings_still_to_find).copy()
    still[0] = 0.0              # the base year is the approved budget: nothing left to find
    rows += [("Savings still to find, cumulative (surplus)", "savings_still_to_find", still),
             ("Savings still to find in the year (surplus)", "savings_still_to_find_in_year", np.diff(still, prepend=0.0)),
             ("Unplanned use of reserves", "unplanned_reserves_use", -row(r.unplanned_reserves_use))]
    surplus = np.maximum(-still, 0.0)
    if np.any(surplus[1:] > 0):
        kept = first_gap_reserve([reserve for _, reserve in scenario.reserve_list]) is not None
        rows.append(("Surplus added to reserves" if kept else "Surplus (no reserve to add it to)",
                     "surplus_to_reserves", surplus))
    unmet = row(r.reserve_funded_costs) - r.reserve_flows.implementation_costs[draw].sum(axis=0)
    if np.any(unmet[1:] > 0):
        rows.append(("Implementation costs reserves cannot meet", "unfunded_implementation_costs", unmet))
    rows.append(("Unfunded gap", "unfunded_gap", row(r.unfunded_gap)))
    data: dict[str, list] = {"item": [label for label, _, _ in rows], "key": [key for _, key, _ in rows]}
    for t, year in enumerate(labels[1:], start=1):
        data[year] = [float(values[t]) for _, _, values in rows]
    return pd.DataFrame(data)


def gap_table(result) -> pd.DataFrame:
    """The gap table of a :class:`~mtfpmodel.results.result.Result` (computed once, there)."""
    return result.gap_table
