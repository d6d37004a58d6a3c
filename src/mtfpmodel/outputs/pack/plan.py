"""The plan's own sections of the pack, each a function of the run (figures from ``Result``):
summary, the MTFP table, the gap table, the bridge, the savings programme, reserves, assumptions
and warnings; funding (:mod:`.funding`), budget lines (:mod:`.budget`), the capital programme
(:mod:`.capital`) and the reserves pages (:mod:`.reserves`) have modules of their own.
``mtfp run``'s report is these alone. Headings name the unit as ``ctx.label`` does ("£000", or
"£000, 2024/25 prices" for a pack in real terms).
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.outputs.pack.content import (
    Bullets,
    Cell,
    Figure,
    KeyFigures,
    Paragraph,
    Row,
    Section,
    Table,
    numbered,
)
from mtfpmodel.outputs.pack import reserves as reserve_pages
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.outputs.terminal import cabinet_money, row_values, rows, verdict
from mtfpmodel.results.gaptable import MEMO, SUBTOTALS
from mtfpmodel.scenario.units import percent, rates_as_given

STATUS_BADGE = {"balanced": "ok", "balanced with reserves": "warn", "below minimum reserves": "bad",
                "unbalanced": "bad", "reserves exhausted": "bad"}
CAPTIONS = {
    "gap": "The gap each year before savings, the savings, and the net gap left after them.",
    "bridge": ("What moves the gap from the base-year budget to the final year. Inflation is shown per "
               "assumption with demand held flat; demand is the rest of the growth in cost."),
    "savings": "Net saving of each stream by year, coloured and hatched by delivery confidence (RAG).",
    "reserves": "Usable reserves at the end of each year against the minimum level.",
}
ALT = {"gap": "Chart: budget gap by year", "bridge": "Chart: budget bridge from the base year to the final year",
       "savings": "Chart: savings by stream and RAG rating", "reserves": "Chart: reserves against the minimum level"}


def figure_of(ctx: Context, name: str) -> list[Figure]:
    """The chart ``name`` as a block, or nothing when charts were not drawn."""
    png = ctx.charts.get(name)
    return [Figure(png, CAPTIONS[name], ALT[name])] if png is not None else []


def summary(ctx: Context) -> Section:
    """The verdict and the headline figures (with the largest unfunded gap when there is one)."""
    result = ctx.result
    summary = result.summary
    last = summary.iloc[-1]
    unit = ctx.unit
    worst = summary.loc[summary["unfunded_gap"].idxmax()]
    cards = (
        (f"Net gap {last['year']}", cabinet_money(float(last["net_gap"]), unit)),
        (f"Savings planned by {last['year']}", cabinet_money(float(last["savings"]), unit)),
        ("Reserves drawn over the plan", cabinet_money(float(summary["reserves_drawn"].sum()), unit)),
        *([(f"Unfunded gap {worst['year']} (the largest)", cabinet_money(float(worst["unfunded_gap"]), unit))]
          if (summary["unfunded_gap"] > 0).any() else []),
        (f"Reserves at end of {last['year']}", cabinet_money(float(last["closing_reserves"]), unit)),
    )
    style = "verdict" if result.balances else "verdict bad"
    return Section("summary", "", (Paragraph(verdict(result), style, id="verdict"), KeyFigures(cards)))


def mtfp(ctx: Context) -> Section:
    """The MTFP table with each year's status."""
    summary = ctx.result.summary
    body = [Row.of(label.strip(), ctx.cells(row_values(ctx.result, key)),
                   "total" if key in ("gross_gap", "net_gap", "closing_reserves") else "sub" if label.startswith(" ")
                   else "") for label, key in rows(ctx.result)]
    body.append(Row.of("Status", [Cell(s, badge=f"status {STATUS_BADGE[s]}") for s in summary["status"]]))
    table = Table("mtfp-table", (f"({ctx.label})", *ctx.years), tuple(body))
    return Section("plan", "The plan at a glance", (table, *figure_of(ctx, "gap")))


def gap(ctx: Context) -> Section:
    """The council-shaped gap table of :mod:`mtfpmodel.results.gaptable`."""
    table = ctx.result.gap_table
    rows = [[Row.of(row["item"], ctx.cells(row[y] for y in ctx.years),
                    "total" if row["key"] in SUBTOTALS else "sub" if row["key"] in MEMO else "")]
            for _, row in table.iterrows()]
    note = Paragraph("Cumulative figures: savings and reserves are shown negative, so each subtotal is the sum of "
                     "the rows above it.", "note")
    tables = ctx.paged("gap-table", (f"({ctx.label})", *ctx.years), rows)   # dozens of reserves: a table a page
    return Section("gap", "The gap and how it is met", (*tables, note))


def bridge(ctx: Context) -> Section | None:
    blocks = figure_of(ctx, "bridge")
    return Section("bridge", "What drives the gap", tuple(blocks)) if blocks else None


def savings(ctx: Context) -> Section:
    """Each stream's net saving by year with its RAG rating and confidence; totals."""
    from mtfpmodel.outputs.charts import rag_of

    result, unit = ctx.result, ctx.unit
    r, s = result.results, result.scenario
    if not s.savings:
        return Section("savings", "Savings programme", (Paragraph("The plan has no savings programme."),))
    appraisal = result.streams.set_index("stream")
    rows = []
    for n, stream in enumerate(s.savings):
        rag = rag_of(result, stream) or "none"
        note = stream.kind.replace("_", " ")
        if stream.funded_by != "revenue":
            note += f"; one-off costs met from {stream.funded_by.replace('_', ' ')}"
        extra = _appraisal_note(appraisal.loc[stream.name], unit, s.discount_rate)
        rows.append(Row.of(stream.name, [Cell(rag, badge=f"rag {rag}"), percent(s.confidence(stream), 0),
                                         *ctx.cells(r.stream_net[0, n, 1:])], note=note + (f"; {extra}" if extra else "")))
    risk = (r.stream_net[0, :, 1:] * [[s.confidence(x)] for x in s.savings]).sum(axis=0)
    totals = [Row.of("Total savings", ["", "", *ctx.cells(r.savings[0, 1:])], "total"),
              Row.of("Risk-adjusted (each stream times its confidence)", ["", "", *ctx.cells(risk)], "sub")]
    # A programme of dozens of streams is set as page-sized tables (savings-table, -2...), the
    # totals kept with the last streams, so that no printed table runs over a page.
    tables = ctx.paged("savings-table", (f"Stream ({ctx.label}, net saving)", "RAG", "Confidence", *ctx.years),
                       [*([row] for row in rows), totals], label_width=32)
    return Section("savings", "Savings programme", (*tables, *figure_of(ctx, "savings")))


def _appraisal_note(row, unit: str, discount_rate: float) -> str:
    """'capital £6.0m; savings cover it by 2031/32; NPV £9.9m at 3.5%' for invest-to-save streams,
    'one-off costs £40k, repaid by 2026/27' for streams with implementation costs only."""
    if row["capital"]:
        return (f"capital {cabinet_money(row['capital'], unit)}; savings cover it by {row['capital_payback_year']}; "
                f"NPV {cabinet_money(row['npv'], unit)} at {percent(discount_rate, 1)}")
    if row["implementation_cost"]:
        return f"one-off costs {cabinet_money(row['implementation_cost'], unit)}, repaid by {row['payback_year']}"
    return ""


def reserves(ctx: Context) -> Section:
    """The reserves statement and its findings (:mod:`.reserves`), with the reserves chart."""
    return reserve_pages.section(ctx, figure_of(ctx, "reserves"))


def assumptions(ctx: Context) -> Section:
    """Every assumption and every line's demand, by year, with its source."""
    s = ctx.result.scenario
    params = ctx.result.params
    header = ("Assumption (% a year)", *ctx.years, "Source")
    rows = [Row.of(name.replace("_", " "), [*rates_as_given(params[f"assumptions.{name}"].value),
                                            Cell(a.source or "no source given", left=True)])
            for name, a in s.assumptions.items()]
    volume = ctx.result.results.line_volume[0]      # demand index, or the units of a volume-driven line
    growth = np.divide(volume[:, 1:], volume[:, :-1], out=np.full(volume[:, 1:].shape, np.nan),
                       where=volume[:, :-1] != 0) - 1.0
    groups: dict[str, list[Row]] = {}      # one demand table per group of lines, so none runs past a page
    for i, line in enumerate(s.expenditure):
        groups.setdefault(line.group or "", []).append(
            Row.of(line.name, [*(percent(v, 1) if np.isfinite(v) else "–" for v in growth[i]),
                               Cell(line.source or "", left=True)]))
    note_width = 30
    tables: list = [Table("assumptions-table", header, tuple(rows), years=False, label_width=note_width) if rows
                    else Paragraph("The scenario names no assumptions: every rate is written where it is used.",
                                   id="assumptions-table")]
    demand_tables: list[Table] = []
    for group, demand in groups.items():
        title = f"Demand growth: {group} (% a year)" if group else (
            "Demand growth by budget line (% a year)" if len(groups) == 1 else "Demand growth: other lines (% a year)")
        demand_tables += ctx.paged("demand-table", (title, *ctx.years, "Source"), [[row] for row in demand],
                                   years=False, label_width=note_width)     # dozens of lines: a table a page
    tables += numbered("demand-table", demand_tables)
    return Section("assumptions", "Assumptions and their sources", tuple(tables), new_page=ctx.cabinet is not None)


def warnings(ctx: Context) -> Section:
    """The warnings about the inputs, then the plan's own (as the reserves statement gives them)."""
    from mtfpmodel.outputs.statements import plan_warnings

    items = tuple(str(w) for w in ctx.result.warnings) + tuple(plan_warnings(ctx.result))
    block = Bullets(items, id="warnings") if items else Paragraph("No warnings.", id="warnings")
    return Section("warnings", "Warnings", (block,))
