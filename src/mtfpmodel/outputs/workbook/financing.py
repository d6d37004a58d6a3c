"""The Financing sheet: invest-to-save capital, one row per year's borrowing (tranche).

Each year's capital spend P is a tranche repaid in the ``life`` years after the year of spend.
In year k = 1..life after spend, at interest rate r (``PMT`` is Excel's level-payment function,
which gives P / life when r = 0):

    annuity:        PMT(r, life, -P)                     = P * r / (1 - (1 + r)**-life)
    straight_line:  P / life + r * P * (1 - (k - 1) / life)
    financing_cost[t] = sum over the stream's tranches of their payment in year t

k is the year number of the column less the year number of the spend (row 4 of the sheet).
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.engine.financing import payment_factors
from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model, sum_rows
from mtfpmodel.outputs.workbook.grid import BASE, Formula

SHEET = "Financing"


def financing_sheet(model: Model) -> None:
    """Write the sheet; ``model.rows['financing:<stream>']`` is each capital stream's total."""
    sheet = model.sheet(SHEET)
    streams = [(n, s) for n, s in enumerate(model.result.scenario.savings) if s.capital is not None]
    if not streams:
        sheet.note("(no savings stream in this scenario has capital)")
    for n, stream in streams:
        _stream(model, sheet, n, stream)


def _stream(model: Model, sheet: Sheet, n: int, stream) -> None:
    inputs, years = model.inputs, model.years
    p = f"savings[{stream.name}].capital"
    amount, life = inputs[f"{p}.amount"], inputs[f"{p}.life"]
    rate, method = inputs[f"{p}.interest_rate"], inputs[f"{p}.method"]
    capital = stream.capital
    sheet.heading(f"{stream.name}: each year's capital repaid over the asset's life "
                  "(life, interest rate and method on the Inputs sheet)")
    spent = model.input_values(f"{p}.amount")
    spend = model.row(sheet, stream.name, "capital spend", lambda t: amount.year(t, SHEET), spent)
    factors = payment_factors(np.array([capital.interest_rate]), capital.life, capital.method)[0]
    L, R, M = life.value(SHEET), rate.value(SHEET), method.value(SHEET)
    tranches = []
    for s in range(1, years):
        principal = spend.cell(BASE + s, SHEET, absolute=True)     # the spend row's cell for year s
        values = np.zeros(years)
        for t in range(s + 1, min(s + capital.life, years - 1) + 1):
            values[t] = spent[s] * factors[t - s - 1]

        def formula(t: int, s=s) -> str:
            k = f"({sheet.year_number(t)}-{sheet.year_number(s, absolute=True)})"
            P = f"$D${sheet.row + 1}"
            straight = f"{P}/{L}+{R}*{P}*(1-({k}-1)/{L})"
            return f'IF(AND({k}>=1,{k}<={L}),IF({M}="straight_line",{straight},PMT({R},{L},-{P})),0)'

        tranches.append(model.row(sheet, stream.name, f"borrowed in {model.book.labels[s]}", formula, values,
                                  value=Formula(principal, float(spent[s]))))
    model.row(sheet, stream.name, "financing cost (sum of tranches)",
              lambda t: sum_rows(tranches[0], tranches[-1], t, SHEET), model.r.stream_financing[0, n],
              total=True, key=f"financing:{stream.name}")

