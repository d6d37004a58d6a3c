"""The Gap sheet: the budget gap before and after savings, and its risk-adjusted view.

    gross_gap[t] = net_expenditure[t] - funding[t]
    net_gap[t] = gross_gap[t] - savings[t] + one_off_costs[t]
    incremental_gap[t] = net_gap[t] - net_gap[t-1]
    risk_adjusted_net_gap[t] = gross_gap[t] - risk-weighted savings[t] + one_off_costs[t]
                               + grants at risk[t] (each grant's share not counted at its certainty)
"""
from __future__ import annotations

from mtfpmodel.outputs.workbook.context import Model

SHEET = "Gap"


def gap_sheet(model: Model) -> None:
    r, rows = model.r, model.rows
    sheet = model.sheet(SHEET)
    sheet.heading("From the other sheets", gap=False)
    spend = model.link(sheet, "Net expenditure", "Expenditure sheet", rows["net_expenditure"], r.net_expenditure)
    funding = model.link(sheet, "Funding", "Funding sheet", rows["funding"], r.funding)
    savings = model.link(sheet, "Savings (net)", "Savings sheet", rows["savings"], r.savings)
    one_off = model.link(sheet, "One-off costs met from revenue", "Savings sheet", rows["one_off_costs"],
                         r.one_off_costs)
    weighted = model.link(sheet, "Risk-weighted savings", "Savings sheet", rows["risk_weighted_savings"],
                          model.figures["risk_weighted_savings"])
    at_risk = model.link(sheet, "Grants at risk (not counted at their certainty)", "Funding sheet",
                         rows["grants_at_risk"], model.figures["grants_at_risk"])
    sheet.heading("The gap")
    gross = model.row(sheet, "Budget gap before savings", "net expenditure - funding",
                      lambda t: f"{spend.year(t, SHEET)}-{funding.year(t, SHEET)}", r.gross_gap, total=True,
                      key="gross_gap")
    net = model.row(sheet, "Net gap", "gross gap - savings + one-off costs",
                    lambda t: f"{gross.year(t, SHEET)}-{savings.year(t, SHEET)}+{one_off.year(t, SHEET)}", r.net_gap,
                    total=True, key="net_gap")
    model.row(sheet, "Net gap: change in the year", "net gap - last year's",
              lambda t: f"{net.year(t, SHEET)}-{net.year(t - 1, SHEET)}",
              r.incremental_gap, start=1, key="incremental_gap")
    model.row(sheet, "Risk-adjusted net gap", "gross gap - risk-weighted savings + one-off costs + grants at risk",
              lambda t: (f"{gross.year(t, SHEET)}-{weighted.year(t, SHEET)}+{one_off.year(t, SHEET)}"
                         f"+{at_risk.year(t, SHEET)}"),
              r.risk_adjusted_net_gap, key="risk_adjusted_net_gap")
