"""Options to close the gap, each on its own: council tax alone (with its referendum check),
savings alone, reserves alone. Figures from :class:`mtfpmodel.analysis.cabinet.Options`,
the same as options.csv."""
from __future__ import annotations

from mtfpmodel.analysis.paths import label
from mtfpmodel.outputs.pack.content import Bullets, Paragraph, Row, Section, Table
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.outputs.terminal import cabinet_money
from mtfpmodel.scenario.units import in_words, percent


def section(ctx: Context) -> Section | None:
    if ctx.cabinet is None:
        return None
    options, unit, years, last = ctx.cabinet.options, ctx.unit, ctx.years, ctx.years[-1]
    rows, sentences = [], []
    final_gap = float(ctx.nominal.results.net_gap[0, -1])
    closed = final_gap <= 0                  # nothing to close in the final year: the levers show headroom
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
        if closed:
            sentences.append(f"Council tax: the {last} gap is already closed; a {part} increase as low as "
                             f"{percent(value)} in every year would still close it — {check}.")
        else:
            sentences.append(f"Council tax alone: a {part} increase of {percent(value)} in every year closes the "
                             f"{last} gap — {check}.")
    elif tax is not None:
        sentences.append(f"Council tax alone cannot close the gap: {tax.failure}.")
    else:
        sentences.append("Council tax alone: the scenario has no council tax increase to vary "
                         "(add funding.council_tax.increase).")
    rows += [Row.of("Savings alone: new recurring savings in the year", ctx.cells(options.new_savings)),
             Row.of("Recurring savings needed, cumulative", ctx.cells(options.savings_level), "sub")]
    needed = float(options.savings_level[-1])
    if needed > 0:
        sentences.append(f"Savings alone: {cabinet_money(needed, unit)} of recurring savings by {last}, on top of "
                         "the plan's programme (a year whose gap falls needs none).")
    else:
        sentences.append(f"Savings alone: no recurring savings are needed by {last} beyond the plan's programme.")
    reserves = options.reserves
    rows.append(Row.of("Reserves alone: drawn to meet the gap", ctx.cells(reserves.drawn[1:])))
    used = float(reserves.drawn[1:].sum())
    if used <= 0:
        text = "Reserves alone: no year has a gap for reserves to meet"
    elif closed:
        text = (f"Reserves alone: {cabinet_money(used, unit)} over the plan, one-off money, for the years before "
                f"{last}, whose gap is closed")
    else:
        text = (f"Reserves alone: {cabinet_money(used, unit)} over the plan, one-off money — the {last} gap of "
                f"{cabinet_money(final_gap, unit)} comes back every year after")
    if reserves.opening_needed is not None:
        opening, planned_total = reserves.opening_needed, float(ctx.nominal.results.closing_reserves[0, 0])
        planned = cabinet_money(planned_total, unit)
        if opening > planned_total:
            text += (f"; to stay at or above their minimum in every year, usable reserves in total would need to "
                     f"open at {cabinet_money(opening, unit)} (planned {planned})")
        elif opening > 0:
            text += (f"; usable reserves in total stay at or above their minimum in every year, and would from an "
                     f"opening balance of {cabinet_money(opening, unit)} (planned {planned})")
        else:
            text += ("; usable reserves in total stay at or above their minimum in every year, and would even if "
                     f"they opened at nothing (planned {planned})")
    sentences.append(text + ".")
    table = Table("options-table", (f"({ctx.cash_label} unless stated)", *years), tuple(rows), label_width=40)
    summary = ctx.nominal.summary
    unfunded = summary[summary["unfunded_gap"] > 0]
    if closed and len(unfunded):          # the final year is closed, but an earlier one is not funded
        years, left = in_words(list(unfunded["year"])), cabinet_money(float(unfunded["unfunded_gap"].sum()), unit)
        intro = Paragraph(f"The {last} gap is closed, but the plan does not balance: {left} is left unfunded in "
                          f"{years}, which reserves cannot meet. Below, how far each lever "
                          f"could move on its own (the others as planned) with {last} still balanced, and the "
                          "reserves that would meet every year's gap.")
    elif closed:
        surplus = cabinet_money(-final_gap, unit)
        state = f"a surplus of {surplus}" if surplus != cabinet_money(0.0, unit) else "a balanced budget"
        intro = Paragraph(f"The plan has no gap to close in {last}: it shows {state} there. Below, how far each "
                          f"lever could move on its own (the others as planned) with {last} still balanced.")
    else:
        intro = Paragraph("What each lever would take on its own to close the gap, the others as planned.")
    return Section("options", "Options to close the gap", (intro, Bullets(tuple(sentences), id="options"), table),
                   new_page=True)
