"""The plan's own sections of the pack, each a function of the run (figures from ``Result``):
summary, the MTFP table, the gap table, the bridge, funding, budget lines and pressures, the
savings programme, reserves, assumptions and warnings. ``mtfp run``'s report is these alone.
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.engine import parameters
from mtfpmodel.outputs.pack.content import Bullets, Cell, Figure, KeyFigures, Paragraph, Row, Section, Table
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.outputs.statements import findings
from mtfpmodel.outputs.terminal import cabinet_money, rows, verdict
from mtfpmodel.results.gaptable import MEMO, SUBTOTALS
from mtfpmodel.results.reserves import PERCENT_ROWS
from mtfpmodel.scenario.units import percent

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
    body = [Row.of(label.strip(), ctx.cells(summary[key]),
                   "total" if key in ("gross_gap", "net_gap", "closing_reserves") else "sub" if label.startswith(" ")
                   else "") for label, key in rows(ctx.result)]
    body.append(Row.of("Status", [Cell(s, badge=f"status {STATUS_BADGE[s]}") for s in summary["status"]]))
    table = Table("mtfp-table", (f"({ctx.unit})", *ctx.years), tuple(body))
    return Section("plan", "The plan at a glance", (table, *figure_of(ctx, "gap")))


def gap(ctx: Context) -> Section:
    """The council-shaped gap table of :mod:`mtfpmodel.results.gaptable`."""
    table = ctx.result.gap_table
    rows = tuple(Row.of(row["item"], ctx.cells(row[y] for y in ctx.years),
                        "total" if row["key"] in SUBTOTALS else "sub" if row["key"] in MEMO else "")
                 for _, row in table.iterrows())
    note = Paragraph("Cumulative figures: savings and reserves are shown negative, so each subtotal is the sum of "
                     "the rows above it.", "note")
    return Section("gap", "The gap and how it is met", (Table("gap-table", (f"({ctx.unit})", *ctx.years), rows),
                                                        note))


def bridge(ctx: Context) -> Section | None:
    blocks = figure_of(ctx, "bridge")
    return Section("bridge", "What drives the gap", tuple(blocks)) if blocks else None


def funding(ctx: Context) -> Section:
    """Funding by source (council tax, business rates, each grant by name), base year first."""
    frame = ctx.result.funding
    labels = ctx.result.labels
    rows = [Row.of(part["label"].iloc[0], ctx.cells(part.set_index("year").loc[list(labels), "amount"]))
            for _, part in frame.groupby("source", sort=False)]
    total = ctx.result.results.funding[0]
    rows.append(Row.of("Total funding", ctx.cells(total), "total"))
    header = (f"({ctx.unit})", f"{labels[0]} (base)", *labels[1:])
    sources = [f"{g.name}: {g.source}" for g in ctx.result.scenario.funding.grants if g.source]
    rates = ctx.result.scenario.funding.business_rates
    if rates is not None and rates.source:
        sources.insert(0, f"Business rates: {rates.source}")
    blocks = [Table("funding-table", header, tuple(rows))]
    if sources:
        blocks.append(Bullets(tuple(sources), id="funding-sources"))
    return Section("funding", "Funding", tuple(blocks))


def lines(ctx: Context) -> Section:
    """Each budget line's cost by year and each pressure's level in the budget."""
    result, labels = ctx.result, ctx.result.labels
    r = result.results
    header = (f"({ctx.unit})", f"{labels[0]} (base)", *labels[1:])
    line_rows = [Row.of(line.name, ctx.cells(r.line_cost[0, i]), note=_mix(line.cost_mix))
                 for i, line in enumerate(result.scenario.expenditure)]
    blocks: list = [Table("lines-table", header, tuple(line_rows))]
    pressures = result.scenario.pressures
    if pressures:
        rows = [Row.of(p.name, ctx.cells(r.pressure_level[0, i]), note=("recurring" if p.recurring else "one-off")
                       + (f" · {p.source}" if p.source else "")) for i, p in enumerate(pressures)]
        rows.append(Row.of("Total pressures", ctx.cells(r.pressure_level[0].sum(axis=0)), "total"))
        blocks.append(Table("pressures-table", header, tuple(rows)))
        blocks.append(Paragraph("Pressures are new costs in the budget: a recurring pressure stays from the year it "
                                "arises; a one-off counts only in its year. They are not inflated.", "note"))
    return Section("lines", "Budget lines and pressures", tuple(blocks))


def _mix(mix: dict) -> str:
    return "cost mix: " + ", ".join(f"{name.replace('_', ' ')} {share:.0%}" for name, share in mix.items())


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
    rows.append(Row.of("Total savings", ["", "", *ctx.cells(r.savings[0, 1:])], "total"))
    rows.append(Row.of("Risk-adjusted (each stream times its confidence)", ["", "", *ctx.cells(risk)], "sub"))
    table = Table("savings-table", (f"Stream ({unit}, net saving)", "RAG", "Confidence", *ctx.years), tuple(rows),
                  label_width=36)
    return Section("savings", "Savings programme", (table, *figure_of(ctx, "savings")))


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
    """The reserves statement (``result.reserves_statement``): the year's use of reserves, each
    reserve's closing balance, usable reserves against the minimum, and its findings."""
    result, labels = ctx.result, ctx.result.labels
    rows = []
    for _, row in result.reserves_statement.table.iterrows():
        values = [row[y] for y in labels]
        cells = [percent(v, 1) for v in values] if row["key"] in PERCENT_ROWS else ctx.cells(values)
        rows.append(Row.of(row["item"], cells, "total" if row["key"] == "closing_reserves" else
                           "sub" if row["key"].startswith("reserve:") else ""))
    table = Table("reserves-table", (f"({ctx.unit})", f"{labels[0]} (opening)", *labels[1:]), tuple(rows))
    return Section("reserves", "Reserves", (table, Bullets(tuple(findings(result)), id="reserve-findings"),
                                            *figure_of(ctx, "reserves")))


def assumptions(ctx: Context) -> Section:
    """Every assumption and every line's demand, by year, with its source."""
    s = ctx.result.scenario
    params = parameters.collect(s)
    header = ("Assumption (% a year)", *ctx.years, "Source")
    rows = [Row.of(name.replace("_", " "), [*(percent(v, 1) for v in params[f"assumptions.{name}"].value),
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
    tables = [Table("assumptions-table", header, tuple(rows), years=False, label_width=note_width)]
    for n, (group, demand) in enumerate(groups.items()):
        title = f"Demand growth: {group} (% a year)" if group else (
            "Demand growth by budget line (% a year)" if len(groups) == 1 else "Demand growth: other lines (% a year)")
        tables.append(Table("demand-table" if n == 0 else f"demand-table-{n + 1}", (title, *ctx.years, "Source"),
                            tuple(demand), years=False, label_width=note_width))
    return Section("assumptions", "Assumptions and their sources", tuple(tables), new_page=ctx.cabinet is not None)


def warnings(ctx: Context) -> Section:
    items = tuple(str(w) for w in ctx.result.warnings)
    block = Bullets(items, id="warnings") if items else Paragraph("No warnings.", id="warnings")
    return Section("warnings", "Warnings", (block,))
