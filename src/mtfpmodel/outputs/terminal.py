"""The MTFP table printed by ``mtfp run``: years as columns, figures in the scenario unit."""
from __future__ import annotations

import textwrap

from mtfpmodel.results.gaptable import MEMO, SUBTOTALS
from mtfpmodel.results.result import Result
from mtfpmodel.results.reserves import unmet
from mtfpmodel.results.tables import grant_name
from mtfpmodel.scenario.units import UNITS, figure, in_words, money

ROWS = (
    ("Net expenditure", "net_expenditure"),
    ("  of which contributions to reserves", "reserve_contributions"),
    ("Funding", "funding"),
    ("Gross gap (before savings)", "gross_gap"),
    ("Savings", "savings"),
    ("One-off costs", "one_off_costs"),
    ("Net gap", "net_gap"),
    ("  in-year change", "incremental_gap"),
    ("Risk-adjusted net gap", "risk_adjusted_net_gap"),
    ("Planned use of reserves", "planned_reserves_use"),
    ("Savings still to find", "savings_still_to_find"),
    ("Unplanned use of reserves", "unplanned_reserves_use"),
    ("Unfunded gap", "unfunded_gap"),
    ("Reserves drawn", "reserves_drawn"),
    ("Closing reserves", "closing_reserves"),
    ("Minimum reserves", "minimum_reserves"),
)
OPTIONAL = ("reserve_contributions",)     # rows shown only when the plan has any


UNMET_COSTS = ("Implementation costs reserves cannot meet", "unfunded_implementation_costs")   # a gap table row


def rows(result: Result) -> list[tuple[str, str]]:
    """The MTFP table's rows for this plan (contributions only when there are any; the implementation
    costs reserves cannot meet, from the gap table, only when there are any, so that savings still to
    find less unplanned use plus those costs is the unfunded gap on the page)."""
    summary = result.summary
    shown = [(label, key) for label, key in ROWS if key not in OPTIONAL or bool((summary[key] != 0).any())]
    if UNMET_COSTS[1] in set(result.gap_table["key"]):
        shown.insert(shown.index(("Unfunded gap", "unfunded_gap")), UNMET_COSTS)
    return shown


def row_values(result: Result, key: str) -> list[float]:
    """A row of the MTFP table by year: summary.csv's column ``key``, or the gap table's row."""
    if key in result.summary:
        return list(result.summary[key])
    table = result.gap_table
    row = table[table["key"] == key].iloc[0]
    return [float(row[year]) for year in result.summary["year"]]


def mtfp_table(result: Result) -> str:
    """A fixed-width MTFP table with a header line naming the unit."""
    summary = result.summary
    unit = result.units
    decimals = 1 if unit == "£m" else 0
    shown = rows(result)
    label_width = max(len(label) for label, _ in shown) + 2
    widths = [max(15, len(y) + 2) for y in summary["year"]]
    header = (f"{'(' + result.unit_label + ')':<{label_width}}"
              + "".join(f"{y:>{w}}" for y, w in zip(summary["year"], widths)))
    lines = [header, "-" * len(header)]
    for label, column in shown:
        cells = "".join(f"{figure(v, decimals):>{w}}" for v, w in zip(row_values(result, column), widths))
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
    """Money for a sentence: £m to one decimal from £1m up ('£4.2m'), else ``units.money``; in
    pounds when that would round a real amount to nothing (a grant of 0.4 in £000 is '£400', not
    '£0')."""
    pounds = value * UNITS[unit]
    if abs(pounds) >= 1e6:
        return money(pounds / 1e6, "£m", 1)
    text = money(value, unit)
    return money(pounds, "£") if text == "£0" and unit != "£" else text


def verdict(result: Result) -> str:
    """One sentence for cabinet: does the plan balance, with what reserves, what gap remains.

    Reserves drawn are planned plus unplanned use (summary.csv's ``reserves_drawn``); a grant
    whose end reopens the gap is named.
    """
    summary = result.summary
    unit = result.units
    drawn = float(summary["reserves_drawn"].sum())
    final = float(summary["net_gap"].iloc[-1])
    last = summary["year"].iloc[-1]
    if result.balances:
        text = "The plan balances in every year" if len(summary) > 1 else f"The plan balances in {last}"
        costs_met = float(result.results.reserve_flows.implementation_costs[0, :, 1:].sum())
        if drawn > 0:
            text += f", using {cabinet_money(drawn, unit)} of reserves"
        elif costs_met > 0:          # reserves meet no gap, but they do pay for something
            text += (f" without using reserves to meet a gap (they meet {cabinet_money(costs_met, unit)} of "
                     "implementation costs)")
        else:
            text += " without using reserves"
    else:
        bad = [y for y, s in zip(summary["year"], summary["status"]) if s in ("unbalanced", "reserves exhausted")]
        first = summary[summary["year"] == bad[0]].iloc[0]
        costs, _ = unmet(result.results)
        t = list(summary["year"]).index(bad[0]) + 1
        what = "implementation costs" if costs[t] >= float(first["unfunded_gap"]) else "that year's gap"
        text = (f"The plan does not balance: {first['status']} in {bad[0]}, with "
                f"{cabinet_money(float(first['unfunded_gap']), unit)} of {what} unfunded")
        unfunded = summary[summary["unfunded_gap"] > 0]
        if len(unfunded) > 1:        # the first year is not the whole story
            every = "every year of the plan" if len(unfunded) == len(summary) else \
                f"{len(unfunded)} of the plan's {len(summary)} years"
            latest = cabinet_money(float(unfunded["unfunded_gap"].iloc[-1]), unit)
            text += f"; a gap is left unfunded in {every} ({latest} in {unfunded['year'].iloc[-1]})"
    if final > 0:
        text += f"; a structural gap of {cabinet_money(final, unit)} remains in {last}"
        text += ", met from one-off reserves." if result.balances and summary["reserves_drawn"].iloc[-1] > 0 else "."
    elif cabinet_money(-final, unit) == cabinet_money(0.0, unit):      # no surplus worth the name
        text += "; it is sustainable." if result.sustainable else f"; the {last} budget balances."
    else:
        text += f"; it is sustainable, with a surplus of {cabinet_money(-final, unit)} in {last}." if result.sustainable \
            else f"; the {last} position is a surplus of {cabinet_money(-final, unit)}."
    text += "".join(f" {sentence}" for sentence in grant_cliff_edges(result))
    below = list(summary["year"][summary["closing_reserves"] < summary["minimum_reserves"]])
    if below:                # whatever the year's status (an exhausted year is below the minimum too)
        text += f" Reserves fall below the minimum in {in_words(below)}."
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
def cliff_edges(result: Result) -> list[tuple[int, str, float, str | None]]:
    """(t, grant, amount in its last year t, what the gap does the next year) for each grant that
    ends within the plan: 'reopens' when the next year's net gap is a shortfall that grew from a
    year with nothing still to find (its budget set, with any planned use of reserves), 'grows'
    when it grew from a shortfall already there, else None."""
    from mtfpmodel.engine.parameters import funding_sources

    r, labels = result.results, result.labels
    out = []
    for i, (prefix, source) in enumerate(funding_sources(result.scenario)):
        end = getattr(source, "ends", None)
        if end is None or end not in labels[:-1]:
            continue
        t = labels.index(end)
        amount = float(r.source_amount[0, i, t])
        rises = amount > 0 and r.net_gap[0, t + 1] > 0 and r.incremental_gap[0, t + 1] > 0
        closed = r.savings_still_to_find[0, t] <= 0        # the year's budget is set, one-off money and all
        out.append((t, grant_name(prefix), amount, None if not rises else "reopens" if closed else "grows"))
    return out


def grant_cliff_edges(result: Result) -> list[str]:
    """'The Recovery Grant (£1.2m) ends after 2025/26 and the gap reopens in 2026/27.' — for the
    grants that end within the plan where the next year's net gap is a shortfall that grew."""
    labels, unit = result.labels, result.units
    ending: dict[tuple[int, str], list[str]] = {}
    for t, name, amount, change in cliff_edges(result):
        if change:
            ending.setdefault((t, change), []).append(f"the {name} ({cabinet_money(amount, unit)})")
    out = []
    for (t, change), names in sorted(ending.items()):
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        verb = "ends" if len(names) == 1 else "end"
        out.append(f"{who[0].upper()}{who[1:]} {verb} after {labels[t]} and the gap {change} in {labels[t + 1]}.")
    return out


def gap_table_text(result: Result) -> str:
    """The gap table as fixed-width text with the unit in the header (printed by ``mtfp run``)."""
    table = result.gap_table
    unit = result.units
    decimals = 1 if unit == "£m" else 0
    years = [c for c in table.columns if c not in ("item", "key")]
    label_width = max(len(item) + (2 if key in MEMO else 0) for item, key in zip(table["item"], table["key"])) + 2
    widths = [max(12, len(y) + 2) for y in years]
    header = f"{'(' + result.unit_label + ')':<{label_width}}" + "".join(f"{y:>{w}}" for y, w in zip(years, widths))
    lines = [header, "-" * len(header)]
    for _, row in table.iterrows():
        if row["key"] in SUBTOTALS:
            lines.append(" " * label_width + "".join(f"{'-' * (w - 2):>{w}}" for w in widths))
        cells = "".join(f"{figure(row[y], decimals):>{w}}" for y, w in zip(years, widths))
        label = f"  {row['item']}" if row["key"] in MEMO else row["item"]
        lines.append(f"{label:<{label_width}}{cells}")
    return "\n".join(lines)
