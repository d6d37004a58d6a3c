"""The Funding sheet: council tax built up from tax base and Band D, business rates, grants.

    tax_base[t] = tax_base[t-1] * (1 + tax_base_growth[t])
    band_d[t] = band_d[t-1] * (1 + sum of increase parts[t])
    council_tax[t] = tax_base[t] * band_d[t] / pounds per unit + collection_fund[t]
    x[t] = x[t-1] * (1 + growth[t]), or the amount given for the year (x[0] = base)
    funding[t] = council_tax[t] + business_rates[t] + sum of grants[t]
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.engine import parameters as P
from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model, sum_rows
from mtfpmodel.outputs.workbook.grid import BASE, column_letter

SHEET = "Funding"


def funding_sheet(model: Model) -> None:
    sheet = Sheet(model.book, SHEET, "Funding: council tax, business rates and grants",
                  columns=("Source", "", "Unit", ""))
    _council_tax(model, sheet)
    _sources(model, sheet)
    sheet.heading("Funding")
    tax, sources = model.rows["council_tax"], model.groups["sources"]
    model.row(sheet, "Funding", "council tax + business rates + grants",
              lambda t: f"{tax.year(t, SHEET)}+{sum_rows(sources[0], sources[-1], t, SHEET)}", model.r.funding,
              total=True, key="funding")


def _previous(sheet: Sheet, t: int) -> str:
    return f"{column_letter(BASE + t - 1)}{sheet.row + 1}"


def _council_tax(model: Model, sheet: Sheet) -> None:
    inputs, r, scenario = model.inputs, model.r, model.result.scenario
    prefix = "funding.council_tax"
    params = model.params
    sheet.heading("Council tax", gap=False)
    growth = inputs[f"{prefix}.tax_base_growth"]
    tax_base = inputs[f"{prefix}.tax_base"]
    model.row(sheet, "Tax base", "grows with tax base growth",
              lambda t: tax_base.year(0, SHEET) if t == 0 else f"{_previous(sheet, t)}*(1+{growth.year(t, SHEET)})",
              r.tax_base[0], unit="Band D equivalents", kind="number", key="tax_base")
    parts = [inputs[f"{prefix}.increase.{part}"] for part in scenario.funding.council_tax.increase]
    increase = np.concatenate([[0.0], sum((params[f"{prefix}.increase.{p}"].value
                                           for p in scenario.funding.council_tax.increase), np.zeros(model.years - 1))])
    if parts:
        rise = model.row(sheet, "Band D increase", "sum of the increase parts",
                         lambda t: sum_rows(parts[0], parts[-1], t, SHEET), increase, unit="% a year", start=1,
                         kind="rate")
    else:
        rise = sheet.write("Band D increase", "(no increase parts)", "% a year", kind="rate")
    band_d = inputs[f"{prefix}.band_d"]
    model.row(sheet, "Band D charge", "rises by the increase",
              lambda t: band_d.year(0, SHEET) if t == 0 else f"{_previous(sheet, t)}*(1+{rise.year(t, SHEET)})",
              r.band_d[0], unit="£ a year", kind="pounds", key="band_d")
    fund = inputs[f"{prefix}.collection_fund"]
    collection = np.concatenate([[0.0], params[f"{prefix}.collection_fund"].value])
    cf = model.row(sheet, "Collection fund surplus (deficit)", "", lambda t: fund.year(t, SHEET), collection)
    tb, bd = model.rows["tax_base"], model.rows["band_d"]
    model.row(sheet, "Council tax income", "tax base x Band D / pounds per unit + collection fund",
              lambda t: f"{tb.year(t, SHEET)}*{bd.year(t, SHEET)}/Pounds_per_unit+{cf.year(t, SHEET)}",
              r.council_tax[0], total=True, key="council_tax")


def _sources(model: Model, sheet: Sheet) -> None:
    inputs, r = model.inputs, model.r
    sheet.heading("Business rates and grants")
    rows = []
    for i, (prefix, source) in enumerate(P.funding_sources(model.result.scenario)):
        name = "Business rates" if prefix == "funding.business_rates" else prefix[len("funding.grants["):-1]
        base = inputs[f"{prefix}.base"]
        if source.values is not None:
            given = inputs[f"{prefix}.values"]
            detail = "amount given for each year"
            formula = (lambda t, base=base, given=given:
                       base.year(0, SHEET) if t == 0 else given.year(t, SHEET))
        else:
            growth = inputs[f"{prefix}.growth"]
            detail = "grows from the base"
            formula = (lambda t, base=base, growth=growth, row=sheet.row:
                       base.year(0, SHEET) if t == 0
                       else f"{column_letter(BASE + t - 1)}{row + 1}*(1+{growth.year(t, SHEET)})")
        rows.append(model.row(sheet, name, detail, formula, r.source_amount[0, i], key=f"source:{name}"))
    if not rows:
        rows.append(sheet.write("(no business rates or grants in this scenario)", "", model.unit))
    model.groups["sources"] = rows
