"""The reserves section of the pack: the headline measures of the reserves statement, the
statement itself (the year's use of reserves, each reserve's balance by year, usable reserves
against the minimum as amounts and as % of net expenditure), its findings (run-out year, how
long they would last, final-year reliance), each reserve's movements by year, and the chart.
Figures from ``Result.reserves_statement``, ``Result.reserves`` (reserves.csv) and the summary.
"""
from __future__ import annotations

from mtfpmodel.outputs.pack.content import Bullets, KeyFigures, Paragraph, Row, Section
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.outputs.statements import UNFUNDED_LAST, findings, lasting
from mtfpmodel.outputs.terminal import cabinet_money
from mtfpmodel.results.reserves import PERCENT_ROWS
from mtfpmodel.scenario.units import percent

BALANCES = "Closing balance of each reserve"
MOVEMENTS = (("opening", "Opening balance", ""), ("contributions", "Contributions", "sub"),
             ("planned_use", "Planned use", "sub"), ("implementation_costs", "Implementation costs met", "sub"),
             ("unplanned_use", "Unplanned use (meeting the gap)", "sub"), ("surplus_added", "Surplus added", "sub"),
             ("closing", "Closing balance", "total"))


REAL_OPENING = ("At {prices} each year's figures are divided by that year's price index, so a reserve's opening "
                "balance differs from the previous year's closing balance by that year's inflation: the real value "
                "the money lost (or, when prices fall, gained) while it was held.")


def section(ctx: Context, figures: list) -> Section:
    """Cards, the statement, its findings, each reserve's movements and the reserves chart."""
    result, labels = ctx.result, ctx.result.labels
    rows: list[list[Row]] = []          # blocks of rows for paging: the balances' heading kept with the first
    for _, row in result.reserves_statement.table.iterrows():
        values = [row[y] for y in labels]
        cells = [percent(v, 1) for v in values] if row["key"] in PERCENT_ROWS else ctx.cells(values)
        block = [Row.of(row["item"], cells, "total" if row["key"] == "closing_reserves" else
                        "sub" if row["key"].startswith("reserve:") else "")]
        if row["key"].startswith("reserve:") and not any(r.label == BALANCES for b in rows for r in b):
            block.insert(0, Row.of(BALANCES, [""] * len(labels), "group"))
        rows.append(block)
    tables = ctx.paged("reserves-table", (f"({ctx.label})", f"{labels[0]} (opening)", *labels[1:]), rows)
    blocks = [_cards(ctx), *tables, Bullets(tuple(findings(result)), id="reserve-findings"), *_movements(ctx), *figures]
    return Section("reserves", "Reserves", tuple(blocks))


def _cards(ctx: Context) -> KeyFigures:
    """Usable reserves at the end (amount and % of net expenditure against the minimum), the
    run-out year, how long they would last, and the final year's reliance on reserves."""
    result = ctx.result
    s, summary = result.reserves_statement, result.summary
    last = summary.iloc[-1]
    minimum = s.table.set_index("key").loc["minimum_pct", result.labels[-1]]
    return KeyFigures((
        (f"Usable reserves at end of {last['year']}", cabinet_money(float(last["closing_reserves"]), ctx.unit)),
        (f"Of net expenditure (minimum {percent(minimum, 1)})", percent(last["usable_reserves_pct"], 1)),
        ("Year usable reserves run out", s.run_out or "none"),
        ("Years they would last at the average fall", UNFUNDED_LAST if s.gap_unfunded else "–" if s.years_last is None
         else lasting(s.years_last, short=True)),
        (f"Reserves relied on in {last['year']}", cabinet_money(s.final_year_drawn, ctx.unit)
         if s.final_year_relies else "none"),
    ))


def _movements(ctx: Context) -> list:
    """Each reserve by year from reserves.csv: opening, each flow it has, closing; page-sized tables."""
    result = ctx.result
    frame, years = result.reserves, ctx.years
    blocks = []
    for _, reserve in result.scenario.reserve_list:
        own = frame[frame["reserve"] == reserve.name].set_index("year").loc[years]
        what = [reserve.kind, "ring-fenced" if reserve.ring_fenced else "meets gaps" if reserve.meets_gaps else
                "does not meet gaps"]
        rows = [Row.of(reserve.name, [""] * len(years), "group", note=", ".join(what))]
        rows += [Row.of(label, ctx.cells(own[column]), kind) for column, label, kind in MOVEMENTS
                 if column in ("opening", "closing") or (own[column] != 0).any()]
        blocks.append(rows)
    if not blocks:
        return [Paragraph("The plan has no reserves.", id="reserve-movements")]
    tables = ctx.paged("reserve-movements", (f"Each reserve by year ({ctx.label})", *years), blocks)
    if result.real is not None:
        tables.append(Paragraph(REAL_OPENING.format(prices=result.real.label), id="reserve-real-opening"))
    return tables
