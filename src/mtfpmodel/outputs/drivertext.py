"""Tables of the cost drivers printed by ``mtfp run``: budget lines by group, and the workforce.

Years as columns (base year first), figures in the scenario unit, rounded for display only.
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.engine.workforce import MEASURES
from mtfpmodel.results.linetable import SUBTOTALS, line_table, to_net_expenditure
from mtfpmodel.results.workforce import all_groups, by_group
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.units import figure

MEASURE_LABELS = {"pay_bill": "pay bill", "employer_ni": "employer NI", "employer_pension": "employer pension",
                  "apprenticeship_levy": "apprenticeship levy"}


def _grid(title: str, rows: list[tuple[str, np.ndarray | None]], years: list[str], decimals: int,
          rule_before: tuple[str, ...] = ()) -> str:
    label_width = max(len(title), *(len(label) for label, _ in rows)) + 2
    widths = [max(11, len(y) + 2) for y in years]
    header = f"{title:<{label_width}}" + "".join(f"{y:>{w}}" for y, w in zip(years, widths))
    out = [header, "-" * len(header)]
    for label, values in rows:
        if label in rule_before:
            out.append(" " * label_width + "".join(f"{'-' * (w - 2):>{w}}" for w in widths))
        cells = "" if values is None else "".join(f"{figure(float(v), decimals):>{w}}" for v, w in zip(values, widths))
        out.append(f"{label:<{label_width}}{cells}".rstrip())
    return "\n".join(out)


def line_table_text(result: Result) -> str:
    """Budget lines grouped with subtotals, what the drivers carry, and what the total adds up to
    with the pressures, the capital plan's lines and contributions to reserves (``results.linetable``)."""
    table = line_table(result)
    years = list(result.labels)
    rows = [(item, None if key == "group" else row[years].to_numpy(dtype=float))
            for (item, key), (_, row) in zip(zip(table["item"], table["key"]), table.iterrows())]
    totals = tuple(item for item, key in zip(table["item"], table["key"]) if key in SUBTOTALS)
    added = to_net_expenditure(result)         # what the total adds up to, as the report shows it
    rows += [(label, values) for label, _, values in added]
    totals += tuple(label for label, key, _ in added if key == "net_expenditure")
    return _grid(f"Budget lines ({result.unit_label})", rows, years, 1 if result.units == "£m" else 0, totals)


def workforce_text(result: Result) -> str:
    """Pay bill and each on-cost by pay group and year, with the whole workforce when there are
    several groups: the figures of workforce.csv (``Result.workforce``), as the report shows them."""
    scenario, years = result.scenario, list(result.labels)
    groups = scenario.workforce.groups
    table = result.workforce
    rows: list[tuple[str, np.ndarray | None]] = []
    for group, own in zip(groups, by_group(table, scenario, years)):
        rows.append((f"{group.name} ({figure(group.fte, 0)} FTE)", None))
        rows += [(f"  {MEASURE_LABELS[m]}", own[m].to_numpy()) for m in MEASURES]
        rows.append(("  total", own["total_cost"].to_numpy()))
    if len(groups) > 1:
        whole = all_groups(table, years)
        rows.append(("All pay groups", None))
        rows += [(f"  {MEASURE_LABELS[m]}", whole[m].to_numpy()) for m in MEASURES]
        rows.append(("  total", whole["total_cost"].to_numpy()))
    rows.append(("Carried by budget lines (pay_from)", result.results.line_workforce[0].sum(axis=0)))   # the line table's row
    return _grid(f"Workforce ({result.unit_label})", rows, years, 1 if result.units == "£m" else 0)
