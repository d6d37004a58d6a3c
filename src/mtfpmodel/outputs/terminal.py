"""The MTFP table printed by ``mtfp run``: years as columns, figures in the scenario unit."""
from __future__ import annotations

import textwrap

from mtfpmodel.results.gaptable import SUBTOTALS, gap_table
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.units import UNITS, figure, money

ROWS = (
    ("Net expenditure", "net_expenditure"),
    ("Funding", "funding"),
    ("Gross gap (before savings)", "gross_gap"),
    ("Savings", "savings"),
    ("One-off costs", "one_off_costs"),
    ("Net gap", "net_gap"),
    ("  in-year change", "incremental_gap"),
    ("Risk-adjusted net gap", "risk_adjusted_net_gap"),
    ("Reserves drawn", "reserves_drawn"),
    ("Closing reserves", "closing_reserves"),
    ("Minimum reserves", "minimum_reserves"),
)


def mtfp_table(result: Result) -> str:
    """A fixed-width MTFP table with a header line naming the unit."""
    summary = result.summary
    unit = result.units
    decimals = 1 if unit == "£m" else 0
    label_width = max(len(label) for label, _ in ROWS) + 2
    widths = [max(15, len(y) + 2) for y in summary["year"]]
    header = (f"{'(' + result.unit_label + ')':<{label_width}}"
              + "".join(f"{y:>{w}}" for y, w in zip(summary["year"], widths)))
    lines = [header, "-" * len(header)]
    for label, column in ROWS:
        cells = "".join(f"{figure(v, decimals):>{w}}" for v, w in zip(summary[column], widths))
        lines.append(f"{label:<{label_width}}{cells}")
    lines += status_lines(list(summary["status"]), widths, label_width)
    return "\n".join(lines)


def status_lines(statuses: list[str], widths: list[int], label_width: int) -> list[str]:
    """The Status row in the spec's own words, each status wrapped onto as many lines as it needs."""
    wrapped = [textwrap.wrap(status, w - 2) for status, w in zip(statuses, widths)]
    depth = max((len(parts) for parts in wrapped), default=1)
    rows = []
    for k in range(depth):
        label = "Status" if k == 0 else ""
        cells = "".join(f"{(parts[k] if k < len(parts) else ''):>{w}}" for parts, w in zip(wrapped, widths))
        rows.append(f"{label:<{label_width}}{cells}".rstrip())
    return rows


def cabinet_money(value: float, unit: str) -> str:
    """Money for a sentence: £m to one decimal from £1m up ('£4.2m'), else ``units.money``."""
    pounds = value * UNITS[unit]
    if abs(pounds) >= 1e6:
        return money(pounds / 1e6, "£m", 1)
    return money(value, unit)


def verdict(result: Result) -> str:
    """One sentence for cabinet: does the plan balance, with what reserves, what gap remains."""
    summary = result.summary
    unit = result.units
    drawn = float(summary["reserves_drawn"].sum())
    final = float(summary["net_gap"].iloc[-1])
    last = summary["year"].iloc[-1]
    if result.balances:
        text = "The plan balances in every year"
        text += f", using {cabinet_money(drawn, unit)} of reserves" if drawn > 0 else " without using reserves"
    else:
        bad = [y for y, s in zip(summary["year"], summary["status"]) if s in ("unbalanced", "reserves exhausted")]
        text = f"The plan does not balance: {summary['status'][summary['year'] == bad[0]].iloc[0]} in {bad[0]}"
    if final > 0:
        text += f"; a structural gap of {cabinet_money(final, unit)} remains in {last}."
    else:
        text += f"; it is sustainable, with a surplus of {cabinet_money(-final, unit)} in {last}." if result.balances \
            else f"; the {last} position is a surplus of {cabinet_money(-final, unit)}."
    below = [y for y, s in zip(summary["year"], summary["status"]) if s == "below minimum reserves"]
    if below:
        text += f" Reserves fall below the minimum in {', '.join(below)}."
    if result.real:
        text += f" (Figures at {result.real.label}, deflated by {result.real.index}.)"
    return text



def capital_table_text(result: Result) -> str:
    """The capital programme by year (results.capital.capital_summary) as fixed-width text."""
    table = result.capital_summary
    decimals = 1 if result.units == "£m" else 0
    years = [c for c in table.columns if c not in ("item", "key")]
    label_width = max(len(item) for item in table["item"]) + 2
    widths = [max(12, len(y) + 2) for y in years]
    header = f"{'(' + result.unit_label + ')':<{label_width}}" + "".join(f"{y:>{w}}" for y, w in zip(years, widths))
    lines = [header, "-" * len(header)]
    for _, row in table.iterrows():
        if row["key"] == "capital_financing":
            lines.append(" " * label_width + "".join(f"{'-' * (w - 2):>{w}}" for w in widths))
        cells = "".join(f"{figure(row[y], decimals):>{w}}" for y, w in zip(years, widths))
        lines.append(f"{row['item']:<{label_width}}{cells}")
    return "\n".join(lines)


def gap_table_text(result: Result) -> str:
    """The gap table as fixed-width text with the unit in the header (printed by ``mtfp run``)."""
    table = gap_table(result)
    unit = result.units
    decimals = 1 if unit == "£m" else 0
    years = [c for c in table.columns if c not in ("item", "key")]
    label_width = max(len(item) for item in table["item"]) + 2
    widths = [max(12, len(y) + 2) for y in years]
    header = f"{'(' + result.unit_label + ')':<{label_width}}" + "".join(f"{y:>{w}}" for y, w in zip(years, widths))
    lines = [header, "-" * len(header)]
    for _, row in table.iterrows():
        if row["key"] in SUBTOTALS:
            lines.append(" " * label_width + "".join(f"{'-' * (w - 2):>{w}}" for w in widths))
        cells = "".join(f"{figure(row[y], decimals):>{w}}" for y, w in zip(years, widths))
        lines.append(f"{row['item']:<{label_width}}{cells}")
    return "\n".join(lines)
