"""The Savings sheet: each stream's gross saving by kind, financing, net saving, one-off costs.

    fixed:          gross[t] = sum of saving[s] for s <= t (recurring), or saving[t]
    share_of_line:  gross[t] = cost[line (, part), t] * reduction * phasing[t]
    unit_cost:      gross[t] = volume[t] * (before[t] - after[t]) * periods / pounds per unit,
                    before[t] = before[t-1] * (1 + unit_cost_growth[t]); likewise after
                    (moves_from: gross[t] = MIN(volume[t], line volume[t]) * (line unit cost[t]
                     * line periods - after[t] * periods) / pounds per unit)
    net_saving[t] = gross[t] - financing_cost[t]            savings[t] = sum of net_saving[t]
    one_off_costs[t] = implementation costs of streams funded by revenue
    risk-weighted net saving = net_saving * confidence (a share, or the RAG word's share)
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model, sum_rows
from mtfpmodel.outputs.workbook.grid import DETAIL, LABEL, VALUE, Formula, column_letter, column_range
from mtfpmodel.results.gaptable import category

SHEET = "Savings"
FUNDERS = (("One-off costs met from revenue (add to the gap)", "revenue", "one_off_costs"),
           ("Implementation costs to be met from reserves", "reserves", "reserve_funded_costs"),
           ("Implementation costs met from capital receipts", "capital_receipts", "capital_receipt_costs"))


def savings_sheet(model: Model) -> None:
    sheet = model.sheet(SHEET)
    streams = list(model.result.scenario.savings)
    _workings(model, sheet, streams)
    gross = _block(model, sheet, "Gross saving", streams, lambda n, s: s.kind,
                   lambda n, s: KIND_GROSS[s.kind](model, sheet, s), model.r.stream_gross, "gross_savings",
                   heading_gap=bool(model.groups.get("workings")))
    financing = []
    sheet.heading("Financing cost of capital (from the Financing sheet)")
    for n, s in enumerate(streams):
        source = model.rows.get(f"financing:{s.name}")
        if source is None:
            financing.append(sheet.write(s.name, "no capital", model.unit))
        else:
            financing.append(model.link(sheet, s.name, "capital financing", source, model.r.stream_financing[0, n]))
    financing = financing or [sheet.write("(no savings streams in this scenario)", "", model.unit)]
    _total(model, sheet, "Financing cost total", financing, model.r.stream_financing, "financing_costs")
    net = _block(model, sheet, "Net saving (gross less financing)", streams, lambda n, s: category(s),
                 lambda n, s: (lambda t: f"{gross[n].year(t, SHEET)}-{financing[n].year(t, SHEET)}"),
                 model.r.stream_net, "savings", total_label="Savings (net)")
    _implementation(model, sheet, streams)
    _risk(model, sheet, streams, net)
    _categories(model, sheet, streams, net)


def _block(model: Model, sheet: Sheet, heading: str, streams, detail, formula, array, key: str,
           total_label: str | None = None, heading_gap: bool = True) -> list:
    sheet.heading(heading, gap=heading_gap)
    rows = [model.row(sheet, s.name, detail(n, s), formula(n, s), array[0, n]) for n, s in enumerate(streams)]
    rows = rows or [sheet.write("(no savings streams in this scenario)", "", model.unit)]
    _total(model, sheet, total_label or f"{heading} total", rows, array, key)
    return rows


def _total(model: Model, sheet: Sheet, label: str, rows: list, array, key: str) -> None:
    model.row(sheet, label, "", lambda t: sum_rows(rows[0], rows[-1], t, SHEET), np.asarray(array)[0].sum(axis=0),
              total=True, key=key)


def _workings(model: Model, sheet: Sheet, streams) -> None:
    """Unit costs of unit-cost streams, grown by their unit-cost growth: before[t] and after[t]."""
    unit_cost = [s for s in streams if s.kind == "unit_cost"]
    if not unit_cost:
        return
    sheet.heading("Workings: unit costs grown by their unit-cost growth (£ per period)", gap=False)
    for s in unit_cost:
        p = f"savings[{s.name}]"
        growth = model.inputs[f"{p}.unit_cost_growth"]
        index = np.cumprod(1.0 + model.input_values(f"{p}.unit_cost_growth"))
        for field, detail in (("unit_cost_from", "unit cost before"), ("unit_cost_to", "unit cost after")):
            if field == "unit_cost_from" and s.moves_from is not None:
                line = [l.name for l in model.result.scenario.expenditure].index(s.moves_from)
                model.link(sheet, s.name, f"unit cost before (the line {s.moves_from}'s)",
                           model.rows[f"unit_cost:{s.moves_from}"], model.r.line_unit_cost[0, line],
                           unit="£ per period", kind="pounds", key=f"{field}:{s.name}")
                continue
            start = model.inputs[f"{p}.{field}"]

            def formula(t: int, start=start, growth=growth) -> str:
                if t == 0:
                    return start.value(SHEET)
                return f"{sheet.previous(t)}*(1+{growth.year(t, SHEET)})"

            model.row(sheet, s.name, detail, formula, float(getattr(s, field)) * index, unit="£ per period",
                      kind="pounds", key=f"{field}:{s.name}")
    model.groups["workings"] = [model.rows[f"unit_cost_from:{s.name}"] for s in unit_cost]


def _fixed(model: Model, sheet: Sheet, stream):
    p = f"savings[{stream.name}]"
    saving, recurring = model.inputs[f"{p}.saving"], model.inputs[f"{p}.recurring"]
    return lambda t: (f"IF({recurring.value(SHEET)},SUM({saving.through(t, SHEET)}),{saving.year(t, SHEET)})")


def _share_of_line(model: Model, sheet: Sheet, stream):
    p = f"savings[{stream.name}]"
    if stream.component is None:
        cost = model.rows[f"line:{stream.line}"]
    else:
        line = next(l for l in model.result.scenario.expenditure if l.name == stream.line)
        cost = model.groups[f"components:{stream.line}"][list(line.cost_mix).index(stream.component)]
    reduction, phasing = model.inputs[f"{p}.reduction"], model.inputs[f"{p}.phasing"]
    return lambda t: f"{cost.year(t, SHEET)}*{reduction.value(SHEET)}*{phasing.year(t, SHEET)}"


def _unit_cost(model: Model, sheet: Sheet, stream):
    p = f"savings[{stream.name}]"
    volume, periods = model.inputs[f"{p}.volume"], model.inputs[f"{p}.periods_per_year"]
    before, after = model.rows[f"unit_cost_from:{stream.name}"], model.rows[f"unit_cost_to:{stream.name}"]
    if stream.moves_from is not None:          # the line's own unit cost and periods; no more units than it has
        line = f"expenditure[{stream.moves_from}]"
        units, line_periods = model.rows[f"volume:{stream.moves_from}"], model.inputs[f"{line}.periods_per_year"]
        return lambda t: "0" if t == 0 else (f"MIN({volume.year(t, SHEET)},{units.year(t, SHEET)})*({before.year(t, SHEET)}"
                          f"*{line_periods.value(SHEET)}-{after.year(t, SHEET)}*{periods.value(SHEET)})"
                          "/Pounds_per_unit")
    return lambda t: (f"{volume.year(t, SHEET)}*({before.year(t, SHEET)}-{after.year(t, SHEET)})"
                      f"*{periods.value(SHEET)}/Pounds_per_unit")


KIND_GROSS = {"fixed": _fixed, "share_of_line": _share_of_line, "unit_cost": _unit_cost}
"""Gross-saving formula of each savings kind (a new kind adds its function here and in inputs.KIND_ROWS)."""


def _implementation(model: Model, sheet: Sheet, streams) -> None:
    """One-off implementation costs; column D says who pays, and totals are by payer."""
    sheet.heading("Implementation costs (one-off); column D: who pays")
    rows = []
    for n, s in enumerate(streams):
        p = f"savings[{s.name}]"
        cost, funded = model.inputs[f"{p}.implementation_cost"], model.inputs[f"{p}.funded_by"]
        rows.append(model.row(sheet, s.name, "implementation cost", lambda t, c=cost: c.year(t, SHEET),
                              model.r.stream_implementation[0, n],
                              value=Formula(funded.value(SHEET), s.funded_by), value_kind="text"))
    rows = rows or [sheet.write("(no savings streams in this scenario)", "", model.unit)]
    funded_by = np.array([s.funded_by for s in streams], dtype=object)
    for label, word, key in FUNDERS:
        row = sheet.row
        values = np.asarray(model.r.stream_implementation)[0][funded_by == word].sum(axis=0) if streams else None
        model.row(sheet, label, word,
                  lambda t, row=row: (f"SUMIF({column_range(rows[0], rows[-1], VALUE, SHEET)},"
                                      f"${column_letter(DETAIL)}${row + 1},{column_range(rows[0], rows[-1], None, SHEET, t)})"),
                  values if values is not None else np.zeros(model.years), total=True, key=key)


def _risk(model: Model, sheet: Sheet, streams, net: list) -> None:
    """Net saving at each stream's confidence (column D), for the risk-adjusted gap."""
    sheet.heading("Risk-weighted net saving: net saving x confidence (column D)")
    rag = [model.inputs[f"rag_confidence.{word}"] for word in model.result.scenario.rag]
    shares, words = (column_range(rag[0], rag[-1], col, SHEET) for col in (VALUE, LABEL))
    rows = []
    for n, s in enumerate(streams):
        given = model.inputs[f"savings[{s.name}].confidence"].value(SHEET)
        confidence = model.result.scenario.confidence(s)
        share = Formula(f"IF(ISNUMBER({given}),{given},INDEX({shares},MATCH({given},{words},0)))", confidence)
        row = sheet.row
        rows.append(model.row(sheet, s.name, "at its confidence",
                              lambda t, n=n, row=row: f"{net[n].year(t, SHEET)}*$D${row + 1}",
                              model.r.stream_net[0, n] * confidence, value=share, value_kind="rate"))
    rows = rows or [sheet.write("(no savings streams in this scenario)", "", model.unit)]
    weighted = sum((model.r.stream_net[0, n] * model.result.scenario.confidence(s) for n, s in enumerate(streams)),
                   np.zeros(model.years))
    model.row(sheet, "Risk-weighted savings", "", lambda t: sum_rows(rows[0], rows[-1], t, SHEET), weighted,
              total=True, key="risk_weighted_savings")


def _categories(model: Model, sheet: Sheet, streams, net: list) -> None:
    """Net saving by gap-table heading (column B of the net saving rows)."""
    sheet.heading("Net saving by category (the gap table's headings)")
    names = list(dict.fromkeys(category(s) for s in streams))
    rows = []
    for name in names:
        values = sum((model.r.stream_net[0, n] for n, s in enumerate(streams) if category(s) == name),
                     np.zeros(model.years))
        row = sheet.row
        rows.append(model.row(sheet, name, "",
                              lambda t, row=row: (f"SUMIF({column_range(net[0], net[-1], DETAIL, SHEET)},"
                                                  f"${column_letter(LABEL)}${row + 1},"
                                                  f"{column_range(net[0], net[-1], None, SHEET, t)})"),
                              values, key=f"category:{name}"))
    model.groups["categories"] = rows
    if not rows:
        sheet.write("(no savings streams in this scenario)", "", model.unit)
