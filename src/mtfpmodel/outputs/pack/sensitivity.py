"""The sensitivity page, in the council format: one row per driver with the plan's value and the
cost of each +1 point in the first year and by the final year; the driver at six whole-point
values (pay 1% … 6%, council tax 1% … 6%); the tornado. Figures from
:class:`mtfpmodel.analysis.sensitivity.OneWay` and :class:`mtfpmodel.analysis.grid.Ladder`.
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.analysis.paths import heading
from mtfpmodel.outputs.pack.content import Bullets, Cell, Figure, Paragraph, Row, Section, Subheading, Table
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.scenario.units import rounded_money


def plan_value(values: np.ndarray) -> str:
    """A rate series as the plan writes it: '2.99% a year', or '3.2%, 3%, 2.5%, 2.5%'."""
    shown = [f"{v * 100:.4g}%" for v in values]
    return f"{shown[0]} a year" if len(set(shown)) == 1 else ", ".join(shown)


def section(ctx: Context) -> Section | None:
    cabinet = ctx.cabinet
    if cabinet is None:
        return None
    one_way, labels, unit = cabinet.one_way, ctx.result.labels, ctx.unit
    first, last = labels[1], labels[-1]
    step = f"{one_way.step * 100:g}"
    if not one_way.paths:
        return Section("sensitivity", "Sensitivity", (Paragraph("The scenario sets no rate to move."),), new_page=True)
    params = ctx.result.params
    intro = Paragraph(
        f"Each driver is moved {step} percentage point in every year, one at a time, with everything else as "
        f"planned. The {first} figure is the council's usual \"each {step}% ≈ £X a year\": {step} point on one "
        f"year's rate costs about that much in that year and in every year after. With the rate {step} point "
        f"higher in every year the effect builds up: the {last} column is how much higher that year's gap is "
        f"(a yearly figure), and the last column adds up every year's change.")
    rows = [Row.of(heading(path), [Cell(plan_value(params[path].value), left=True),
                                   *ctx.cells([one_way.first_year_change[p], one_way.final_year_change[p],
                                               one_way.sum_of_years_change[p]])])
            for p, path in enumerate(one_way.paths)]
    header = (f"Driver ({ctx.cash_label}; a gap falls in brackets)", "Plan's value", f"+{step}pt: {first}",
              f"+{step}pt every year: {last}", "Sum of the years")
    tables = ctx.paged("sensitivity-table", header, [[row] for row in rows], label_width=34)   # dozens: a table a page

    def each(p: int) -> str:
        """'(each 1% ≈ £1.2m a year on the gap)', saying which way: a rise that lowers the gap is not a cost."""
        change = float(one_way.first_year_change[p])
        way = "off the gap" if change < 0 else "on the gap"
        return f"(each {step}% ≈ {rounded_money(abs(change), unit)} a year {way})"

    sentences = Bullets(tuple(f"{one_way.sentence(p, labels, unit)} {each(p)}" for p in one_way.largest(5)),
                        id="sensitivity-sentences")
    blocks = [intro, *tables, sentences, Subheading(f"The net gap in {last} at other values"), _ladder(ctx)]
    png = ctx.charts.get("tornado")
    if png is not None:
        source = ("the ranges in the scenario's sensitivity block" if cabinet.tornado_from_ranges
                  else f"the plan's values -/+ {step} point")
        blocks.append(Figure(png, f"Net gap in {last} with each driver at a low and a high value ({source}); "
                                  f"widest swing first.", "Chart: tornado of the drivers of the gap"))
    return Section("sensitivity", "Sensitivity", tuple(blocks), new_page=True)


GRID_DRIVERS = 10     # the grid shows the drivers with the largest effect; sensitivity_grid.csv has them all


def grid_paths(ctx: Context) -> list[str]:
    """The drivers the page's grid shows: the GRID_DRIVERS largest final-year effects, in file order
    (a page-long grid of every driver would bury the ones cabinet asks about)."""
    one_way = ctx.cabinet.one_way
    chosen = {one_way.paths[p] for p in one_way.largest(GRID_DRIVERS)}
    return [path for path in ctx.cabinet.ladder.paths if path in chosen]


def _ladder(ctx: Context) -> Table:
    ladder = ctx.cabinet.ladder
    planned = ctx.nominal.results.net_gap[0, -1]
    rows = []
    shown = grid_paths(ctx)
    for p, path in enumerate(ladder.paths):
        if path not in shown:
            continue
        cells = [Cell(text, note=f"at {v * 100:.4g}%") for text, v in zip(ctx.cells(ladder.final[p]), ladder.values[p])]
        rows.append(Row.of(heading(path), [*ctx.cells([planned]), *cells]))
    count = ladder.values.shape[1]
    which = "" if len(shown) == len(ladder.paths) else f" (the {len(shown)} largest effects; all in sensitivity_grid.csv)"
    header = (f"Net gap {ctx.result.labels[-1]} ({ctx.cash_label}) with the driver at each value in every year{which}",
              "As planned", *([""] * count))
    return Table("sensitivity-grid", header, tuple(rows), label_width=30)
