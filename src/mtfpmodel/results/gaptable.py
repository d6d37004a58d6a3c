"""The budget gap in the shape cabinet papers print it.

Rows, each year a column, all cumulative [scenario unit] (savings and reserves shown negative,
so each figure is the sum of the rows above it):

    budget gap before savings          gross_gap[t]
    one-off implementation costs       one_off_costs[t]            (revenue-funded)
    savings identified: <category>     -sum of net_saving[t] of the category's streams
    net gap after savings              net_gap[t]
    planned use of reserves            -reserves_used[t]
    savings still to find              remaining[t] = net_gap[t] - reserves_used[t]
    in-year savings still to find      remaining[t] - remaining[t-1], with remaining[0] = 0

A stream's category is its ``category:`` if given, otherwise a heading for its kind
(:data:`KIND_CATEGORIES`). Reserves meet the net gap only as far as they last:
``reserves_used[t] = min(reserves_drawn[t], max(closing_reserves[t-1] - reserve-funded
costs[t], 0))``, so when reserves run out the rest of the gap shows as savings still to find
(the engine itself keeps drawing and marks the year ``reserves exhausted``). A negative
"still to find" is a surplus.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from mtfpmodel.results.result import Result

KIND_CATEGORIES = {   # headings for streams without a category, by kind
    "fixed": "Savings proposals",
    "share_of_line": "Budget line reductions",
    "unit_cost": "Unit cost reductions",
}


def category(stream) -> str:
    """The gap-table heading of a savings stream."""
    return stream.category or KIND_CATEGORIES.get(stream.kind, stream.kind)


def reserves_used(result: Result, draw: int = 0) -> np.ndarray:
    """Reserves that can meet the net gap in each year t = 0..T, limited to what is left [unit].

    It compares one year's closing balance with the next year's draw, so in real terms it is
    worked out at cash prices and then deflated (results.real)."""
    r = result.real.nominal if result.real else result.results
    drawn = r.reserves_drawn[draw]
    closing = r.closing_reserves[draw]
    reserve_funded = np.broadcast_to(r.reserve_funded_costs, r.net_gap.shape)[draw]
    available = np.maximum(np.concatenate([[0.0], closing[:-1]]) - reserve_funded, 0.0)
    used = np.minimum(drawn, available)
    used[0] = 0.0
    return result.deflate(used[None])[0] if result.real else used


def gap_table(result: Result, draw: int = 0) -> pd.DataFrame:
    """Columns ``item``, ``key`` and one per projection year; rows as in the module docstring."""
    r = result.results
    years = list(result.labels[1:])
    net_gap = r.net_gap[draw]
    used = reserves_used(result, draw)
    remaining = net_gap - used
    remaining[0] = 0.0   # the base year is the approved budget: nothing left to find
    rows: list[tuple[str, str, np.ndarray]] = [
        ("Budget gap before savings", "gross_gap", r.gross_gap[draw]),
        ("One-off implementation costs", "one_off_costs", np.broadcast_to(r.one_off_costs, r.net_gap.shape)[draw]),
    ]
    net = r.stream_net[min(draw, r.stream_net.shape[0] - 1)]
    groups: dict[str, np.ndarray] = {}
    for n, stream in enumerate(result.scenario.savings):
        name = category(stream)
        groups[name] = groups.get(name, 0.0) + net[n]
    for name, saving in groups.items():
        rows.append((f"Savings identified: {name}", f"savings:{name}", -saving))
    rows += [
        ("Net gap after savings", "net_gap", net_gap),
        ("Planned use of reserves", "reserves_used", 0.0 - used),
        ("Savings still to find, cumulative (surplus)", "still_to_find", remaining),
        ("Savings still to find in the year (surplus)", "still_to_find_in_year", np.diff(remaining, prepend=remaining[0])),
    ]
    data = {"item": [label for label, _, _ in rows], "key": [key for _, key, _ in rows]}
    for t, year in enumerate(years, start=1):
        data[year] = [float(values[t]) for _, _, values in rows]
    return pd.DataFrame(data)


SUBTOTALS = ("net_gap", "still_to_find")
