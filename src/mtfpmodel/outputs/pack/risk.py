"""The risk page (scenarios with a ``monte_carlo:`` block): the range of outcomes, the chance
the plan holds, the reserves needed for 80% and 90% confidence, and what drives the gap.

Figures from :func:`mtfpmodel.analysis.montecarlo.by_year`, :func:`~mtfpmodel.analysis.montecarlo.headline`
and the Sobol indices, as written to montecarlo.csv, montecarlo_headline.csv and sobol.csv.
"""
from __future__ import annotations

from mtfpmodel.analysis.montecarlo import CONFIDENCE
from mtfpmodel.outputs.pack.content import Figure, KeyFigures, Paragraph, Row, Section, Subheading, Table
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.outputs.terminal import cabinet_money
from mtfpmodel.scenario.units import number, percent

SOBOL_ROWS = 8


def section(ctx: Context) -> Section | None:
    if ctx.cabinet is None or ctx.cabinet.risk is None:
        return None
    risk, unit, last = ctx.cabinet.risk, ctx.unit, ctx.years[-1]
    head, sim, table = risk.headline, risk.simulation, risk.by_year
    cards = KeyFigures((
        ("Chance the plan balances in every year", percent(head.p_balances, 1)),
        ("Chance reserves fall below the minimum", percent(1 - head.p_above_minimum, 1)),
        *((f"Opening reserves to stay at or above the minimum, {p:.0%} confidence",
           cabinet_money(head.needed_above_minimum[p], unit)) for p in CONFIDENCE),
    ))
    intro = Paragraph(
        f"{sim.draws:,} simulated plans (seed {sim.seed}) drawn from the uncertain inputs in the scenario's "
        f"monte_carlo block, each savings stream delivered with its confidence or slipping. The plan balances in "
        f"every year in {percent(head.p_balances, 1)} of them; reserves fall below the minimum in at least one year in "
        f"{percent(1 - head.p_above_minimum, 1)}, and have run out by {last} in {percent(head.p_exhausted_by_end, 1)}.")
    rows = []
    for name, title in (("net_gap", "Net gap"), ("closing_reserves", "Closing reserves")):
        for q, text in (("p10", "P10 (1 in 10 lower)"), ("p50", "P50 (median)"), ("p90", "P90 (1 in 10 higher)")):
            rows.append(Row.of(f"{title} {text}", ctx.cells(table[f"{name}_{q}"]), "total" if q == "p50" else ""))
    for column, text in (("p_net_gap_above_zero", "Chance of a gap (net gap above 0)"),
                         ("p_below_minimum", "Chance reserves are below the minimum"),
                         ("p_reserves_exhausted_by_year", "Chance reserves have run out by then")):
        rows.append(Row.of(text, [percent(v, 1) for v in table[column]]))
    outcomes = Table("risk-table", (f"({ctx.cash_label})", *ctx.years), tuple(rows))
    needed = Table("reserves-needed-table", (f"Opening reserves needed ({ctx.cash_label})", "Never to run out",
                                             "To stay at or above the minimum"),
                   tuple(Row.of(f"{p:.0%} confidence", ctx.cells([head.needed_to_last[p], head.needed_above_minimum[p]]))
                         for p in CONFIDENCE) + (Row.of("As planned", ctx.cells([head.opening_reserves, head.opening_reserves]), "sub"),),
                   label_width=40)
    blocks = [intro, cards, outcomes, needed]
    if ctx.charts.get("fan_chart") is not None:
        blocks.append(Figure(ctx.charts["fan_chart"], "The range of outcomes: P10 to P90 and P25 to P75 bands and the "
                             "median of the net gap and of closing reserves, with the minimum.",
                             "Chart: fan chart of the net gap and reserves"))
    if risk.sobol is not None:
        blocks += _sobol(ctx, risk.sobol, last)
    return Section("risk", "Risk: how likely the plan is to hold", tuple(blocks), new_page=True)


def _sobol(ctx: Context, indices, last: str) -> list:
    from mtfpmodel.analysis.sobol import OUTPUTS

    frame = indices.table().head(SOBOL_ROWS)
    rows = tuple(Row.of(row["factor"], [number(row[f"first_order_{OUTPUTS[0]}"], 3),
                                        number(row[f"total_order_{OUTPUTS[0]}"], 3)])
                 for _, row in frame.iterrows())
    blocks = [Subheading(f"What drives the {last} net gap"),
              Paragraph(f"Sobol indices from {indices.samples:,} projections: the share of the spread of the {last} "
                        f"net gap each uncertainty explains alone (first order) and with its interactions (total "
                        f"order). Inputs are treated as independent here.", "note"),
              Table("sobol-table", ("Uncertainty", "First order", "Total order"), rows, label_width=60)]
    first, total = frame[f"first_order_{OUTPUTS[0]}"], frame[f"total_order_{OUTPUTS[0]}"]
    if (first < 0).any() or (total < 0).any() or (first > total + 1e-12).any():
        blocks.append(Paragraph(f"The indices are estimates from {indices.samples:,} projections, each with some "
                                "sampling error: an index below zero, or a first order above its total order, means "
                                "the effect is too small to tell apart at this sample size (a larger "
                                "--sobol-samples narrows it).", "note", id="sobol-caveat"))
    if ctx.charts.get("sobol") is not None:
        blocks.append(Figure(ctx.charts["sobol"], f"Sobol indices of the {last} net gap, largest first.",
                             "Chart: Sobol indices"))
    return blocks
