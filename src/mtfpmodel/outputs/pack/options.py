"""Options to close the gap, each on its own: council tax alone (with its referendum check),
savings alone, reserves alone. Figures from :class:`mtfpmodel.analysis.cabinet.Options`,
the same as options.csv."""
from __future__ import annotations

from mtfpmodel.analysis.paths import label
from mtfpmodel.outputs.pack.content import Bullets, Paragraph, Row, Section, Table
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.outputs.terminal import cabinet_money
from mtfpmodel.scenario.units import percent


def section(ctx: Context) -> Section | None:
    if ctx.cabinet is None:
        return None
    options, unit, years, last = ctx.cabinet.options, ctx.unit, ctx.years, ctx.years[-1]
    rows, sentences = [], []
    tax = options.council_tax
    if tax is not None and tax.solution is not None:
        part = label(tax.path).removeprefix("council tax ")
        value = float(tax.solution.values[0])
        total = tax.solution.series + tax.others
        rows += [Row.of(f"Council tax alone: {part} increase (%)", [percent(v) for v in tax.solution.series],
                        note=f"planned {', '.join(percent(v) for v in tax.planned)}"),
                 Row.of("Band D increase, all parts (%)", [percent(v) for v in total], "sub"),
                 Row.of("Net gap with this increase", ctx.cells(tax.net_gap[1:]), "sub")]
        if tax.breaches:
            check = "; ".join(f"with the other parts a Band D rise of {percent(b.total)} in {', '.join(b.years)}, "
                              f"above the {percent(b.limit)} referendum limit (a local referendum would be needed)"
                              for b in tax.breaches)
        elif tax.limit is not None:
            check = f"within the referendum limit of {', '.join(sorted({percent(v) for v in tax.limit}))}"
        else:
            check = "the scenario sets no referendum limit"
        sentences.append(f"Council tax alone: a {part} increase of {percent(value)} in every year closes the {last} "
                         f"gap — {check}.")
    elif tax is not None:
        sentences.append(f"Council tax alone cannot close the gap: {tax.failure}.")
    else:
        sentences.append("Council tax alone: the scenario has no council tax increase to vary "
                         "(add funding.council_tax.increase).")
    rows += [Row.of("Savings alone: new recurring savings in the year", ctx.cells(options.new_savings)),
             Row.of("Recurring savings needed, cumulative", ctx.cells(options.savings_level), "sub")]
    sentences.append(f"Savings alone: {cabinet_money(float(options.savings_level[-1]), unit)} of recurring savings "
                     f"by {last}, on top of the plan's programme (a year whose gap falls needs none).")
    reserves = options.reserves
    rows.append(Row.of("Reserves alone: drawn to meet the gap", ctx.cells(reserves.drawn[1:])))
    used = float(reserves.drawn[1:].sum())
    text = (f"Reserves alone: {cabinet_money(used, unit)} over the plan, one-off money — the {last} gap of "
            f"{cabinet_money(float(ctx.nominal.results.net_gap[0, -1]), unit)} comes back every year after")
    if reserves.opening_needed is not None:
        text += (f"; to stay at or above the minimum in every year the opening reserves would need to be "
                 f"{cabinet_money(max(reserves.opening_needed, 0.0), unit)} (planned "
                 f"{cabinet_money(float(ctx.nominal.results.closing_reserves[0, 0]), unit)})")
    sentences.append(text + ".")
    table = Table("options-table", (f"({ctx.cash_label} unless stated)", *years), tuple(rows), label_width=40)
    intro = Paragraph("What each lever would take on its own to close the gap, the others as planned.")
    return Section("options", "Options to close the gap", (intro, Bullets(tuple(sentences), id="options"), table),
                   new_page=True)
