"""The Funding sheet: council tax built up from tax base and Band D, business rates, grants.

    tax_base[t] = tax_base[t-1] * (1 + tax_base_growth[t])
    band_d[t] = band_d[t-1] * (1 + sum of increase parts[t])
    council_tax[t] = tax_base[t] * band_d[t] / pounds per unit + collection_fund[t]
    x[t] = x[t-1] * (1 + growth[t]), or the amount given for the year (x[0] = base);
           0 after a grant's last year (its ends: the year labels of row 3 compare as text)
    funding[t] = council_tax[t] + business_rates[t] + sum of grants[t]
    at_risk[g,t] = (1 - share[certainty of g]) * grant[g,t]      (added to the risk-adjusted gap)

The council tax table's workings follow (``counciltax.py``): Band D by part, the rise a year and
a week, the bands and any parish precepts.
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.engine import parameters as P
from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model, sum_rows
from mtfpmodel.outputs.workbook.grid import BASE, HEADING_ROW, VALUE, Formula, column_letter, column_range

SHEET = "Funding"


def funding_sheet(model: Model) -> None:
    from mtfpmodel.outputs.workbook.counciltax import council_tax_workings

    sheet = model.sheet(SHEET)
    _council_tax(model, sheet)
    _sources(model, sheet)
    sheet.heading("Funding")
    tax, sources = model.rows["council_tax"], model.groups["sources"]
    model.row(sheet, "Funding", "council tax + business rates + grants",
              lambda t: f"{tax.year(t, SHEET)}+{sum_rows(sources[0], sources[-1], t, SHEET)}", model.r.funding,
              total=True, key="funding")
    _at_risk(model, sheet)
    council_tax_workings(model, sheet)


def _council_tax(model: Model, sheet: Sheet) -> None:
    inputs, r, scenario = model.inputs, model.r, model.result.scenario
    prefix = "funding.council_tax"
    sheet.heading("Council tax", gap=False)
    growth = inputs[f"{prefix}.tax_base_growth"]
    tax_base = inputs[f"{prefix}.tax_base"]
    model.row(sheet, "Tax base", "grows with tax base growth",
              lambda t: tax_base.year(0, SHEET) if t == 0 else f"{sheet.previous(t)}*(1+{growth.year(t, SHEET)})",
              r.tax_base[0], unit="Band D equivalents", kind="number", key="tax_base")
    parts = [inputs[f"{prefix}.increase.{part}"] for part in scenario.funding.council_tax.increase]
    increase = sum((model.input_values(f"{prefix}.increase.{p}") for p in scenario.funding.council_tax.increase),
                   np.zeros(model.years))
    if parts:
        rise = model.row(sheet, "Band D increase", "sum of the increase parts",
                         lambda t: sum_rows(parts[0], parts[-1], t, SHEET), increase, unit="% a year", start=1,
                         kind="rate", key="band_d_increase")
    else:
        rise = sheet.write("Band D increase", "(no increase parts)", "% a year", kind="rate")
    band_d = inputs[f"{prefix}.band_d"]
    model.row(sheet, "Band D charge", "rises by the increase",
              lambda t: band_d.year(0, SHEET) if t == 0 else f"{sheet.previous(t)}*(1+{rise.year(t, SHEET)})",
              r.band_d[0], unit="£ a year", kind="pounds", key="band_d")
    fund = inputs[f"{prefix}.collection_fund"]
    collection = model.input_values(f"{prefix}.collection_fund")
    cf = model.row(sheet, "Collection fund surplus (deficit)", "", lambda t: fund.year(t, SHEET), collection,
                   key="collection_fund")
    tb, bd = model.rows["tax_base"], model.rows["band_d"]
    model.row(sheet, "Council tax income", "tax base x Band D / pounds per unit + collection fund",
              lambda t: f"{tb.year(t, SHEET)}*{bd.year(t, SHEET)}/Pounds_per_unit+{cf.year(t, SHEET)}",
              r.council_tax[0], total=True, key="council_tax")


def _sources(model: Model, sheet: Sheet) -> None:
    inputs, r = model.inputs, model.r
    sheet.heading("Business rates and grants (a grant is 0 after its last year)")
    rows = []
    for i, (prefix, source) in enumerate(P.funding_sources(model.result.scenario)):
        name = "Business rates" if prefix == "funding.business_rates" else prefix[len("funding.grants["):-1]
        base = inputs[f"{prefix}.base"]
        ends = inputs.get(f"{prefix}.ends")
        if source.values is not None:
            given = inputs[f"{prefix}.values"]
            detail = "amount given for each year"
            amount = (lambda t, given=given: given.year(t, SHEET))
        else:
            growth = inputs[f"{prefix}.growth"]
            detail = "grows from the base"
            amount = (lambda t, growth=growth: f"{sheet.previous(t)}*(1+{growth.year(t, SHEET)})")
        if ends is not None:
            detail += ", until its last year"

        def formula(t: int, base=base, amount=amount, ends=ends) -> str:
            if t == 0:
                return base.year(0, SHEET)
            if ends is None:
                return amount(t)
            label = f"{column_letter(BASE + t)}${HEADING_ROW + 1}"
            return f'IF(OR({ends.value(SHEET)}="",{label}<={ends.value(SHEET)}),{amount(t)},0)'

        rows.append(model.row(sheet, name, detail, formula, r.source_amount[0, i], key=f"source:{name}"))
    if not rows:
        rows.append(sheet.write("(no business rates or grants in this scenario)", "", model.unit))
    model.groups["sources"] = rows


def _at_risk(model: Model, sheet: Sheet) -> None:
    """Each grant's amount not counted in the risk-adjusted gap: (1 - its certainty share) x the grant."""
    scenario = model.result.scenario
    sheet.heading("Grants at risk: the part not counted in the risk-adjusted gap (column D: share counted)")
    words = [model.inputs[f"grant_confidence.{word}"] for word in scenario.grant_shares]
    shares, names = (column_range(words[0], words[-1], col, SHEET) for col in (VALUE, 0))
    rows, total = [], np.zeros(model.years)
    sources = P.funding_sources(scenario)
    for i, (prefix, source) in enumerate(sources):
        if prefix == "funding.business_rates":
            continue
        grant = model.rows[f"source:{source.name}"]
        word = model.inputs[f"{prefix}.certainty"].value(SHEET)
        share = scenario.grant_share(source)
        values = (1.0 - share) * model.r.source_amount[0, i]
        total = total + values
        row = sheet.row
        rows.append(model.row(sheet, source.name, f"{source.certainty}: not counted",
                              lambda t, grant=grant, row=row: f"(1-$D${row + 1})*{grant.year(t, SHEET)}", values,
                              value=Formula(f"INDEX({shares},MATCH({word},{names},0))", share), value_kind="rate"))
    if not rows:
        rows.append(sheet.write("(no grants in this scenario)", "", model.unit))
    model.row(sheet, "Grants at risk", "added to the risk-adjusted gap", lambda t: sum_rows(rows[0], rows[-1], t, SHEET),
              total, total=True, key="grants_at_risk")
