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
    sheet = model.sheet(SHEET)
    first_row = sheet.row + 2          # the master check, a blank row, then the checks
    rows = _rows(model)
    count_of = len(rows)
    master = sheet.write("Checks failing (must be 0)", "", "checks",
                         value=Formula(f"SUM($D${first_row + 1}:$D${first_row + count_of})", 0),
                         value_kind="int", total=True)
    model.book.define_name("Checks_failing", master.value(""))
    sheet.row += 1
    for row in rows:
        _check(model, sheet, *row)
    sheet.ws.set_column(0, 0, 58)
    sheet.ws.set_column(1, 1, 60)


def _check(model: Model, sheet: Sheet, label: str, identity: str, terms: list[Term], start: int,
           unit: str | None = None) -> None:
    """One check row: ``unit`` is the scenario's money unit unless given (pounds, a share)."""
    years = model.years
    values = sum((np.asarray(v, dtype=float) * (1 if sign == "+" else -1) for sign, _, v in terms), np.zeros(years))

    def formula(t: int) -> str | None:
        parts = [(sign, f(t)) for sign, f, _ in terms]
        if any(text is None for _, text in parts):
            return None
        text = "".join(f"{sign}({text})" if sign == "-" and _compound(text) else f"{sign}{text}"
                       for sign, text in parts)
        return text[1:] if text.startswith("+") else text

    row = sheet.row
    cells = [None if t < start or formula(t) is None else Formula(formula(t), float(values[t]))
             for t in range(years)]
    span = f"{column_letter(BASE + start)}{row + 1}:{column_letter(BASE + years - 1)}{row + 1}"
    failing = Formula(f"SUMPRODUCT(--(ABS({span})>Check_tolerance))", 0)
    sheet.write(label, identity, unit or model.unit, value=failing, value_kind="int", years=cells, kind="check")
    red = model.book.format(style.CHECK_FAIL)
    sheet.ws.conditional_format(row, BASE + start, row, BASE + years - 1,
                                {"type": "formula", "criteria": f"=ABS({column_letter(BASE + start)}{row + 1})"
                                                                f">Check_tolerance", "format": red})
    sheet.ws.conditional_format(row, 3, row, 3, {"type": "cell", "criteria": ">", "value": 0, "format": red})


def _compound(text: str) -> bool:
    """Whether a formula adds or subtracts outside brackets (so a minus before it needs them)."""
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in "+-":
            return True
    return False


def _term(model: Model, key: str, sign: str = "+") -> Term:
    ref = model.rows[key]
    return sign, (lambda t: ref.year(t, SHEET)), _numeric(model.figures[key])


def _sum_term(model: Model, refs: list[Ref], values, sign: str = "+") -> Term:
    if not refs:
        return sign, (lambda t: "0"), np.zeros(model.years)
    return sign, (lambda t: f"SUM({column_range(refs[0], refs[-1], None, SHEET, t)})"), np.asarray(values, float)


def _terms(model: Model, keys: list[str], sign: str = "+") -> list[Term]:
    return [_term(model, key, sign) for key in keys]


def _numeric(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _rows(model: Model) -> list[tuple]:
    """(label, identity, terms, first year[, unit]) of every check this plan has; the unit is the
    scenario's money unit unless a fifth entry names another (pounds, a share)."""
    return _plan_checks(model) + _driver_checks(model) + _gap_checks(model) + _reserve_checks(model) + \
        _council_tax_checks(model) + [
            ("Each line's cost-mix shares add up to 100%", "sum over lines of |shares - 100%| (base-year column)",
             [_shares(model)], 0, "share (1 = 100%)")]


def _plan_checks(model: Model) -> list:
    term = lambda key, sign="+": _term(model, key, sign)   # noqa: E731 - a short alias reads better here
    sources = [term(f"source:{name}", "-") for name in _keys(model, "source:")]
    spending = [k for k in ("pressures_total", "capital_financing", "revenue_contributions", "reserve_contributions")
                if k in model.rows]
    checks = [
        ("Net gap = gross gap - savings + one-off costs", "Summary rows",
         [term("summary:net_gap"), term("summary:gross_gap", "-"), term("summary:savings"),
          term("summary:one_off_costs", "-")], 0),
        ("Gross gap = net expenditure - funding", "Summary rows",
         [term("summary:gross_gap"), term("summary:net_expenditure", "-"), term("summary:funding")], 0),
        ("Funding = council tax + business rates + grants", "Summary funding - Funding sheet sources",
         [term("summary:funding"), term("council_tax", "-"), *sources], 0),
        ("Net expenditure = lines + pressures + capital + contributions", "Summary and Expenditure sheet",
         [term("summary:net_expenditure"), term("lines_total", "-"), *_terms(model, spending, "-")], 0),
        ("Savings = gross savings - financing costs", "Savings sheet totals",
         [term("savings"), term("gross_savings", "-"), term("financing_costs")], 0),
    ]
    categories = model.groups.get("categories", [])
    if categories:
        values = sum((_numeric(model.figures[k]) for k in _keys(model, "category:", full=True)), np.zeros(model.years))
        checks.append(("Savings = sum of the savings by category", "Savings sheet",
                       [term("savings"), _sum_term(model, categories, values, "-")], 1))
    checks += [
        ("Risk-adjusted gap = net gap + savings at risk + grants at risk", "Summary rows and the Savings, Funding sheets",
         [term("summary:risk_adjusted_net_gap"), term("summary:net_gap", "-"), term("summary:savings", "-"),
          term("risk_weighted_savings"), term("grants_at_risk", "-")], 1),
        ("Summary agrees with the calculation sheets", "sum of |Summary - its source| over the rows",
         [_agreement(model)], 0),
    ]
    return checks


def _keys(model: Model, prefix: str, full: bool = False) -> list[str]:
    return [k if full else k.removeprefix(prefix) for k in model.rows if k.startswith(prefix)]


def _driver_checks(model: Model) -> list:
    """Lines = the sum of their parts; the workforce and the capital lines add up."""
    s, r = model.result.scenario, model.r
    components = [ref for line in s.expenditure for ref in model.groups[f"components:{line.name}"]]
    staff = [model.rows[k] for k in _keys(model, "line_workforce:", full=True)]
    contracted = [model.rows[k] for k in _keys(model, "line_contracts:", full=True)]
    parts = [_sum_term(model, components, r.component_cost[0].sum(axis=0), "-")]
    for refs, values in ((staff, r.line_workforce), (contracted, r.line_contracts)):
        if refs:
            parts.append(("-", (lambda t, refs=refs: "+".join(x.year(t, SHEET) for x in refs)), values[0].sum(axis=0)))
    checks = [("Budget lines total = sum of every line's parts", "cost-mix parts + workforce + contracts",
               [_term(model, "lines_total"), *parts], 0)]
    if s.workforce is not None:
        checks.append(("Workforce total = pay bill + employer NI + pension + levy", "Workforce sheet",
                       [_term(model, "workforce:total"), *_terms(model, ["workforce:pay_bill", "workforce:employer_ni",
                                                                         "workforce:employer_pension",
                                                                         "workforce:levy"], "-")], 0))
        shares = [model.rows[f"levy:{g.name}"] for g in s.workforce.groups]
        checks.append(("Apprenticeship levy = the groups' shares of it", "Workforce sheet",
                       [_term(model, "workforce:levy"), ("-", lambda t: "+".join(x.year(t, SHEET) for x in shares),
                                                         r.apprenticeship_levy[0].sum(axis=0))], 0))
    if s.contracts:
        contracts = [model.rows[f"contract:{c.name}"] for c in s.contracts]
        checks.append(("Contracts within lines = the contracts", "Expenditure and Contracts sheets",
                       [("+", (lambda t: "+".join(x.year(t, SHEET) for x in contracted)), r.line_contracts[0].sum(axis=0)),
                        ("-", (lambda t: "+".join(x.year(t, SHEET) for x in contracts)), r.contract_cost[0].sum(axis=0))],
                       0))
    if "capital:financing" in model.rows:
        mrp = [model.rows[k] for k in _keys(model, "capital_mrp:", full=True)]
        interest = [model.rows[k] for k in _keys(model, "capital_interest:", full=True)]
        terms = [_term(model, "capital:financing")]
        if "capital:existing" in model.rows:
            terms.append(_term(model, "capital:existing", "-"))
        for refs, values in ((mrp, r.capital_mrp[0].sum(axis=0)), (interest, r.capital_interest[0].sum(axis=0))):
            if refs:
                terms.append(("-", (lambda t, refs=refs: "+".join(x.year(t, SHEET) for x in refs)), values))
        checks.append(("Capital financing = existing debt charges + MRP + interest", "Capital sheet", terms, 0))
    return checks


def _gap_checks(model: Model) -> list:
    term = lambda key, sign="+": _term(model, key, sign)   # noqa: E731
    gap_savings = [term(k) for k in model.rows if k.startswith("gap_table:savings:")]
    planned = [term(k) for k in model.rows if k.startswith("gap_table:planned_use:")] or \
        [term("gap_table:planned_reserves_use")]
    return [
        ("Gap table adds up to the net gap", "gross gap + one-off costs - savings - net gap",
         [term("gap_table:gross_gap"), term("gap_table:one_off_costs"), *gap_savings, term("gap_table:net_gap", "-")],
         1),
        ("Gap table net gap = Summary net gap", "Gap table and Summary",
         [term("gap_table:net_gap"), term("summary:net_gap", "-")], 1),
        ("Savings still to find = net gap - planned use of reserves", "Summary rows",
         [term("summary:savings_still_to_find"), term("summary:net_gap", "-"), term("summary:planned_reserves_use")], 1),
        ("Gap table: still to find = net gap - planned use of each reserve", "Gap table rows",
         [term("gap_table:savings_still_to_find"), term("gap_table:net_gap", "-"), *[(("-", f, v)) for _, f, v in
                                                                                     planned]], 1),
        ("Gap table: unfunded gap = the rows since savings still to find", "still to find - unplanned use + surplus "
         "+ costs reserves cannot meet - unfunded gap",
         [term("gap_table:savings_still_to_find"), term("gap_table:unplanned_reserves_use"),
          term("gap_table:surplus_to_reserves"), term("gap_table:unfunded_implementation_costs"),
          term("gap_table:unfunded_gap", "-")], 1),
        ("Summary = gap table: still to find and unfunded gap", "Summary and Gap table",
         [term("summary:savings_still_to_find"), term("gap_table:savings_still_to_find", "-"),
          term("summary:unfunded_gap"), term("gap_table:unfunded_gap", "-")], 1),
    ]


def _reserve_checks(model: Model) -> list:
    term = lambda key, sign="+": _term(model, key, sign)   # noqa: E731
    checks = [("Reserves drawn = planned + unplanned use", "Summary rows",
               [term("summary:reserves_drawn"), term("summary:planned_reserves_use", "-"),
                term("summary:unplanned_reserves_use", "-")], 1)]
    for _, reserve in model.result.scenario.reserve_list:
        n = reserve.name
        checks.append((f"{n}: closing - opening = in - out",
                       "contributions + surplus - planned use - implementation costs - unplanned use",
                       [_previous_closing(model, n), *_terms(model, [f"reserve_contribution:{n}", f"surplus_added:{n}"],
                                                             "-"),
                        *_terms(model, [f"planned_use:{n}", f"implementation_costs:{n}", f"unplanned_use:{n}"])], 1))
    closing = [model.rows[f"closing:{reserve.name}"] for _, reserve in model.result.scenario.reserve_list]
    if closing:
        checks.append(("No reserve's balance goes below zero", "the lowest closing balance, if below zero",
                       [("+", (lambda t: f"MIN({column_range(closing[0], closing[-1], None, SHEET, t)},0)"),
                         np.zeros(model.years))], 0))
    checks.append(("Closing usable reserves: Summary = Reserves statement", "Summary and Reserves statement",
                   [term("summary:closing_reserves"), term("statement:closing_reserves", "-")], 0))
    return checks


def _previous_closing(model: Model, name: str) -> Term:
    closing = model.rows[f"closing:{name}"]
    values = np.diff(_numeric(model.figures[f"closing:{name}"]), prepend=0.0)
    return "+", (lambda t: f"{closing.year(t, SHEET)}-{closing.year(t - 1, SHEET)}"), values


def _council_tax_checks(model: Model) -> list:
    term = lambda key, sign="+": _term(model, key, sign)   # noqa: E731
    parts = [term(f"ct:increase_{p}", "-") for p in model.result.scenario.funding.council_tax.increase]
    return [("Council tax income = yield + collection fund", "council tax table",
             [term("council_tax"), term("ct:yield", "-"), term("collection_fund", "-")], 0),
            ("Band D = brought forward + the increase of each part", "council tax table",
             [term("band_d"), term("ct:band_d_brought_forward", "-"), *parts], 1, "£")]


def _agreement(model: Model) -> Term:
    pairs = [(model.rows[f"summary:{key}"], model.rows[key], start) for _, key, start, _ in SUMMARY_ROWS
             if key != "status"]

    def formula(t: int) -> str:
        return "+".join(f"ABS({a.year(t, SHEET)}-{b.year(t, SHEET)})" for a, b, start in pairs if t >= start)

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
