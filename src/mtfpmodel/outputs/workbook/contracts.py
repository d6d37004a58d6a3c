"""The Contracts sheet: each indexed contract's uplift and cost by year.

For contract C on line L in year t (row 4 holds the year number t, row 3 the year label):

    index[C,0] = base_index (default: the index's first projection year);  index[C,t] = index[t]
    in_term[C,t] = 1 from the clause's first year to its last (text years compare in order), else 0
    lagged[C,t] = index[C, MAX(t - lag, 0)]                    (INDEX over the index row)
    uplift[C,t] = MIN(MAX(lagged, collar), cap) in term; price[L,t] / price[L,t-1] - 1 otherwise
    contract[C,0] = value;  contract[C,t] = contract[C,t-1] * (1 + uplift[C,t])

price[L,t] is the line's price index on the Expenditure sheet (the rest of its line's cost mix).
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.outputs.workbook.context import Model
from mtfpmodel.outputs.workbook.grid import BASE, HEADING_ROW, column_letter

SHEET = "Contracts"


def contracts_sheet(model: Model) -> None:
    sheet = model.sheet(SHEET)
    contracts = model.result.scenario.contracts
    if not contracts:
        sheet.note("(this plan has no indexed contracts)")
        return
    r, inputs, years = model.r, model.inputs, model.years
    for n, c in enumerate(contracts):
        p = f"contracts[{c.name}]"
        sheet.heading(f"{c.name} (in {c.line})", gap=n > 0)
        index, value, lag = inputs[f"{p}.index"], inputs[f"{p}.value"], inputs[f"{p}.lag"]
        given = inputs.get(f"{p}.base_index")
        index_values = model.input_values(f"{p}.index")
        index_values[0] = c.base_index if c.base_index is not None else index_values[1]
        indexed = model.row(sheet, c.name, "index (base year: the index before the plan)", lambda t: (
            (given.value(SHEET) if given is not None else index.cell(BASE + 1, SHEET, absolute=True))
            if t == 0 else index.year(t, SHEET)),
            index_values, unit="% a year", kind="rate")
        span = indexed.span(0, years - 1, SHEET)
        back = np.maximum(np.arange(years) - c.lag, 0)
        lagged = model.row(sheet, c.name, "index the uplift follows (lagged)", lambda t: (
            f"INDEX({span},MAX({sheet.year_number(t)}-{lag.value(SHEET)},0)+1)"), index_values[back],
            unit="% a year", kind="rate", start=1)
        clause = lagged_clause(model, c, lagged)
        uplift_values = r.contract_uplift[0, n]
        if c.start is None and c.end is None:
            uplift = model.row(sheet, c.name, "uplift (the clause every year)", clause, uplift_values, unit="% a year",
                               kind="rate", start=1)
        else:
            term = _term(model, sheet, c)
            price = model.rows[f"price:{c.line}"]
            uplift = model.row(sheet, c.name, "uplift: the clause in term, else the line's price growth", lambda t: (
                f"IF({term.year(t, SHEET)}=1,{clause(t)},{price.year(t, SHEET)}/{price.year(t - 1, SHEET)}-1)"),
                uplift_values, unit="% a year", kind="rate", start=1)
        model.row(sheet, c.name, "cost", lambda t: (
            value.base(SHEET) if t == 0 else f"{sheet.previous(t)}*(1+{uplift.year(t, SHEET)})"),
            r.contract_cost[0, n], total=True, key=f"contract:{c.name}")


def lagged_clause(model: Model, c, lagged):
    """uplift in term = the lagged index held between collar and cap (either may be absent)."""
    p = f"contracts[{c.name}]"
    cap, collar = model.inputs.get(f"{p}.cap"), model.inputs.get(f"{p}.collar")

    def formula(t: int) -> str:
        text = lagged.year(t, SHEET)
        if collar is not None:
            text = f"MAX({text},{collar.value(SHEET)})"
        if cap is not None:
            text = f"MIN({text},{cap.value(SHEET)})"
        return text

    return formula


def _term(model: Model, sheet, c):
    """1 in the years the clause applies (the year labels of row 3 compare as text: '2024/25' < '2025/26')."""
    p = f"contracts[{c.name}]"
    start, end = model.inputs.get(f"{p}.start"), model.inputs.get(f"{p}.end")
    labels = model.book.labels
    values = np.array([1.0 if (c.start is None or c.start <= y) and (c.end is None or y <= c.end) else 0.0
                       for y in labels])

    def formula(t: int) -> str:
        label = f"{column_letter(BASE + t)}${HEADING_ROW + 1}"
        tests = ([f"{start.value(SHEET)}<={label}"] if start is not None else []) + \
                ([f"{label}<={end.value(SHEET)}"] if end is not None else [])
        return f"IF(AND({','.join(tests)}),1,0)"

    return model.row(sheet, c.name, "in term (1: the clause applies)", formula, values, unit="1/0", kind="int",
                     start=1)
