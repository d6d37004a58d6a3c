"""The Capital sheet: each scheme's spend by financing source, MRP and interest per tranche, the plan lines.

Each year's borrowing P of a scheme is a tranche at that year's borrowing rate r (fixed for its
life n), repaid from the year after; in year k = 1..n after the year of borrowing (k is the year
number of the column less that of the tranche, row 4):

    annuity:       mrp = PPMT(r, k, n, -P)              interest = IPMT(r, k, n, -P)
                   (Excel's level-payment split: mrp + interest = PMT(r, n, -P); P/n and 0 when r = 0)
    straight_line: mrp = P / n                          interest = r * P * (1 - (k - 1) / n)
    debt_charges[C,t] = sum over tranches of mrp + interest
    capital_financing_requirement[C,t] = sum of borrowing to t - sum of mrp to t
    capital_financing[t] = existing_debt_charges[t] + sum over schemes of debt_charges[C,t]
    revenue_contributions[t] = sum over schemes of revenue[C,t]
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.engine.financing import tranche_costs
from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model, sum_rows
from mtfpmodel.outputs.workbook.grid import BASE, Formula
from mtfpmodel.outputs.workbook.planinputs import SOURCE_LABELS
from mtfpmodel.results.capital import capital_financing_requirement, has_capital
from mtfpmodel.scenario.capital import CONTRIBUTIONS_LINE, FINANCING_LINE

SHEET = "Capital"


def capital_sheet(model: Model) -> None:
    sheet = model.sheet(SHEET)
    scenario, r = model.result.scenario, model.r
    if not has_capital(scenario):
        sheet.note("(this plan has no capital programme or capital financing)")
        return
    charges, revenue = [], []
    cfr = capital_financing_requirement(r)
    for c, scheme in enumerate(scenario.capital_programme):
        debt, rcco = _scheme(model, sheet, c, scheme, cfr[0, c])
        charges += [debt] if debt is not None else []
        revenue.append(rcco)
    sheet.heading("The plan's capital lines")
    existing = _existing(model, sheet)
    terms = ([existing] if existing is not None else []) + charges
    if terms:
        model.row(sheet, FINANCING_LINE, "existing debt charges + each scheme's MRP and interest",
                  lambda t: "+".join(x.year(t, SHEET) for x in terms), r.capital_financing, total=True,
                  key="capital:financing")
    if revenue:
        model.row(sheet, CONTRIBUTIONS_LINE, "each scheme's revenue financing",
                  lambda t: "+".join(x.year(t, SHEET) for x in revenue), r.revenue_contributions, total=True,
                  key="capital:contributions")


def _existing(model: Model, sheet: Sheet):
    financing = model.result.scenario.capital_financing
    if financing is None or financing.existing_debt_charges is None:
        return None
    base = model.inputs["capital_financing.existing_debt_charges.base"]
    given = model.inputs.get("capital_financing.existing_debt_charges.values")
    detail = "as profiled" if given is not None else "flat in cash (the base year's)"
    return model.row(sheet, "Existing debt charges", detail, lambda t: (
        base.base(SHEET) if t == 0 or given is None else given.year(t, SHEET)), model.r.existing_debt_charges,
        key="capital:existing")


def _scheme(model: Model, sheet: Sheet, c: int, scheme, cfr: np.ndarray):
    """The scheme's rows; returns (its debt charges row or None, its revenue financing row)."""
    r, inputs, years = model.r, model.inputs, model.years
    p = f"capital_programme[{scheme.name}]"
    sheet.heading(f"{scheme.name}: spend by source, then MRP and interest on each year's borrowing "
                  f"({scheme.life} years, {scheme.method.replace('_', ' ')})")
    sources = {}
    for f, (field, label) in enumerate(SOURCE_LABELS.items()):
        given = inputs[f"{p}.{field}"]
        sources[field] = model.row(sheet, scheme.name, label.lower(), lambda t, g=given: g.year(t, SHEET),
                                   r.capital_spend[0, c, f])
    first, last = sources["borrowing"], sources["revenue"]
    model.row(sheet, scheme.name, "spend (sum of the sources)", lambda t: sum_rows(first, last, t, SHEET),
              r.capital_spend[0, c].sum(axis=0), total=True)
    rate = inputs.get("capital_financing.borrowing_rate")
    if rate is None:
        return None, sources["revenue"]
    borrowing = sources["borrowing"]
    spent = r.capital_spend[0, c, 0]
    rates = model.input_values("capital_financing.borrowing_rate")
    life, method = inputs[f"{p}.life"], inputs[f"{p}.method"]
    L, M = life.value(SHEET), method.value(SHEET)
    tranches = {}                   # year s → (MRP, interest) of that year's borrowing alone, each (1, T+1)
    for s in range(1, years):
        single = np.zeros(years)
        single[s] = spent[s]
        tranches[s] = tranche_costs(single[None, :], rates[None, :], scheme.life, scheme.method)
    blocks = {}
    for part, annuity, straight in (("mrp", "PPMT({r},{k},{L},-{P})", "{P}/{L}"),
                                    ("interest", "IPMT({r},{k},{L},-{P})", "{r}*{P}*(1-({k}-1)/{L})")):
        rows = []
        for s in range(1, years):
            values = tranches[s][part == "interest"][0]
            principal = borrowing.cell(BASE + s, SHEET, absolute=True)

            def formula(t: int, s=s, row=sheet.row) -> str:
                k = f"({sheet.year_number(t)}-{sheet.year_number(s, absolute=True)})"
                fill = dict(r=rate.cell(BASE + s, SHEET, absolute=True), k=k, L=L, P=f"$D${row + 1}")
                return (f'IF(AND({k}>=1,{k}<={L}),IF({M}="straight_line",{straight.format(**fill)},'
                        f'{annuity.format(**fill)}),0)')

            rows.append(model.row(sheet, scheme.name, f"{'MRP' if part == 'mrp' else 'interest'} on "
                                                     f"{model.book.labels[s]} borrowing", formula, values,
                                  value=Formula(principal, float(spent[s]))))
        blocks[part] = model.row(sheet, scheme.name, "MRP" if part == "mrp" else "interest",
                                 lambda t, rows=rows: sum_rows(rows[0], rows[-1], t, SHEET),
                                 (r.capital_mrp if part == "mrp" else r.capital_interest)[0, c], total=True,
                                 key=f"capital_{part}:{scheme.name}")
    mrp, interest = blocks["mrp"], blocks["interest"]
    debt = model.row(sheet, scheme.name, "debt charges (MRP + interest)",
                     lambda t: f"{mrp.year(t, SHEET)}+{interest.year(t, SHEET)}",
                     r.capital_mrp[0, c] + r.capital_interest[0, c], key=f"debt_charges:{scheme.name}")
    model.row(sheet, scheme.name, "capital financing requirement (borrowing less MRP to date)",
              lambda t: f"SUM({borrowing.through(t, SHEET)})-SUM({mrp.through(t, SHEET)})", cfr)
    return debt, sources["revenue"]
