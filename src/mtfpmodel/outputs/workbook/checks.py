"""The Checks sheet: identities of the plan, each of which must read zero in every year.

Each check is a sum of signed terms (``a - b + c``) that is zero when the workbook holds
together; column D counts the years whose difference is above the tolerance on the Inputs
sheet, and ``Checks_failing`` (the top row, also shown on the Summary) adds them up. A check
fails when a calculation cell has been typed over, or an edit has broken a formula.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from mtfpmodel.outputs.workbook import style
from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model
from mtfpmodel.outputs.workbook.grid import BASE, Formula, Ref, column_letter, column_range
from mtfpmodel.outputs.workbook.summary import SUMMARY_ROWS

SHEET = "Checks"
Term = tuple[str, Callable[[int], str | None], np.ndarray]    # sign, formula for year t (None: no cell), values


def checks_sheet(model: Model) -> None:
    sheet = Sheet(model.book, SHEET, "Checks: every identity must read zero",
                  columns=("Check", "Identity", "Unit", "Failing"), year_numbers=False,
                  note="Each row is the difference between two ways of getting a figure; column D counts the "
                       "years above the check tolerance (Inputs sheet).")
    first_row = sheet.row + 2          # the master check, a blank row, then the checks
    rows = _rows(model)
    count_of = len(rows)
    master = sheet.write("Checks failing (must be 0)", "", "checks",
                         value=Formula(f"SUM($D${first_row + 1}:$D${first_row + count_of})", 0),
                         value_kind="int", total=True)
    model.book.define_name("Checks_failing", master.value(""))
    sheet.row += 1
    for label, identity, terms, start in rows:
        _check(model, sheet, label, identity, terms, start)
    sheet.ws.set_column(0, 0, 52)
    sheet.ws.set_column(1, 1, 60)


def _check(model: Model, sheet: Sheet, label: str, identity: str, terms: list[Term], start: int) -> None:
    years = model.years
    values = sum((np.asarray(v, dtype=float) * (1 if sign == "+" else -1) for sign, _, v in terms), np.zeros(years))

    def formula(t: int) -> str | None:
        parts = [(sign, f(t)) for sign, f, _ in terms]
        if any(text is None for _, text in parts):
            return None
        text = "".join(f"{sign}{text}" for sign, text in parts)
        return text[1:] if text.startswith("+") else text

    row = sheet.row
    cells = [None if t < start or formula(t) is None else Formula(formula(t), float(values[t]))
             for t in range(years)]
    span = f"{column_letter(BASE + start)}{row + 1}:{column_letter(BASE + years - 1)}{row + 1}"
    failing = Formula(f"SUMPRODUCT(--(ABS({span})>Check_tolerance))", 0)
    sheet.write(label, identity, model.unit, value=failing, value_kind="int", years=cells, kind="check")
    red = model.book.format(style.CHECK_FAIL)
    sheet.ws.conditional_format(row, BASE + start, row, BASE + years - 1,
                                {"type": "formula", "criteria": f"=ABS({column_letter(BASE + start)}{row + 1})"
                                                                f">Check_tolerance", "format": red})
    sheet.ws.conditional_format(row, 3, row, 3, {"type": "cell", "criteria": ">", "value": 0, "format": red})


def _term(model: Model, key: str, sign: str = "+") -> Term:
    ref = model.rows[key]
    return sign, (lambda t: ref.year(t, SHEET)), _numeric(model.figures[key])


def _sum_term(model: Model, refs: list[Ref], values, sign: str = "+") -> Term:
    return sign, (lambda t: f"SUM({column_range(refs[0], refs[-1], None, SHEET, t)})"), np.asarray(values, float)


def _numeric(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _rows(model: Model) -> list[tuple[str, str, list[Term], int]]:
    r = model.r
    term = lambda key, sign="+": _term(model, key, sign)   # noqa: E731 - a short alias reads better here
    components = [ref for line in model.result.scenario.expenditure
                  for ref in model.groups[f"components:{line.name}"]]
    sources = [term(f"source:{name}", "-") for name in _source_names(model)]
    categories = model.groups.get("categories", [])
    category_values = sum((_numeric(model.figures[k]) for k in model.rows if k.startswith("category:")),
                          np.zeros(model.years))
    gap_savings = [term(k, "+") for k in model.rows if k.startswith("gap_table:savings:")]
    checks = [
        ("Net gap = gross gap - savings + one-off costs", "Summary rows",
         [term("summary:net_gap"), term("summary:gross_gap", "-"), term("summary:savings"),
          term("summary:one_off_costs", "-")], 0),
        ("Gross gap = net expenditure - funding", "Summary rows",
         [term("summary:gross_gap"), term("summary:net_expenditure", "-"), term("summary:funding")], 0),
        ("Funding = council tax + business rates + grants", "Summary funding - Funding sheet sources",
         [term("summary:funding"), term("council_tax", "-"), *sources], 0),
        ("Budget lines total = net expenditure - pressures", "Expenditure sheet and Summary",
         [term("lines_total"), term("summary:net_expenditure", "-"), term("pressures_total")], 0),
        ("Budget lines total = sum of every line's cost-mix parts", "Expenditure sheet",
         [term("lines_total"), _sum_term(model, components, r.component_cost[0].sum(axis=0), "-")], 0),
        ("Savings = gross savings - financing costs", "Savings sheet totals",
         [term("savings"), term("gross_savings", "-"), term("financing_costs")], 0),
    ]
    if categories:
        checks.append(("Savings = sum of the savings by category", "Savings sheet",
                       [term("savings"), _sum_term(model, categories, category_values, "-")], 1))
    checks += [
        ("Summary agrees with the calculation sheets", "sum of |Summary - its source| over the rows",
         [_agreement(model)], 0),
        ("Gap table adds up to the net gap", "gross gap + one-off costs - savings - net gap",
         [term("gap_table:gross_gap"), term("gap_table:one_off_costs"), *gap_savings, term("gap_table:net_gap", "-")],
         1),
        ("Gap table net gap = Summary net gap", "Gap table and Summary",
         [term("gap_table:net_gap"), term("summary:net_gap", "-")], 1),
        ("Still to find = net gap - planned use of reserves", "Gap table rows",
         [term("gap_table:still_to_find"), term("gap_table:net_gap", "-"), term("gap_table:reserves_used", "-")], 1),
        ("Closing reserves = last year's - drawn + surplus - implementation costs", "Reserves sheet",
         [_reserves_movement(model)], 1),
        ("Each line's cost-mix shares add up to 100%", "sum over lines of |shares - 100%| (base-year column)",
         [_shares(model)], 0),
    ]
    return checks


def _source_names(model: Model) -> list[str]:
    return [k.removeprefix("source:") for k in model.rows if k.startswith("source:")]


def _agreement(model: Model) -> Term:
    pairs = [(model.rows[f"summary:{key}"], model.rows[key], start) for _, key, start, _ in SUMMARY_ROWS
             if key != "status"]

    def formula(t: int) -> str:
        return "+".join(f"ABS({a.year(t, SHEET)}-{b.year(t, SHEET)})" for a, b, start in pairs if t >= start)

    return "+", formula, np.zeros(model.years)


def _reserves_movement(model: Model) -> Term:
    closing, drawn = model.rows["closing_reserves"], model.rows["reserves_drawn"]
    net, funded = model.rows["net_gap"], model.rows["reserve_funded_costs"]

    def formula(t: int) -> str:
        return (f"{closing.year(t, SHEET)}-{closing.year(t - 1, SHEET)}+{drawn.year(t, SHEET)}"
                f"-MAX(-{net.year(t, SHEET)},0)+{funded.year(t, SHEET)}")

    return "+", formula, np.zeros(model.years)


def _shares(model: Model) -> Term:
    lines = model.result.scenario.expenditure

    def formula(t: int) -> str | None:
        if t:
            return None
        parts = []
        for line in lines:
            first = model.inputs[f"expenditure[{line.name}].cost_mix.{next(iter(line.cost_mix))}"]
            last = model.inputs[f"expenditure[{line.name}].cost_mix.{list(line.cost_mix)[-1]}"]
            parts.append(f"ABS(SUM({column_range(first, last, 3, SHEET)})-1)")
        return "+".join(parts)

    return "+", formula, np.zeros(model.years)
