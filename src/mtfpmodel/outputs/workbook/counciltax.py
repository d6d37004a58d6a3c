"""The council tax table: its workings on the Funding sheet and the output sheet that shows it.

Charges in £, income in the scenario unit (the columns of council_tax.csv), t = 0 the base year:

    band_d_brought_forward[t] = band_d[t-1]
    increase_<part>[t] = band_d[t-1] * increase_<part>_pct[t]                [£]
    band_d_increase[t] = band_d[t] - band_d[t-1];  per week: / weeks in a year
    band_d_increase_pct[t] = band_d[t] / band_d[t-1] - 1
    band_a_increase_per_week[t] = band_d_increase[t] * Band A ratio / weeks in a year
    yield[t] = tax_base[t] * band_d[t] / pounds per unit;  council_tax[t] = yield + collection fund
    band_<X>[t] = band_d[t] * ratio[X]                (the statutory ratios on the Inputs sheet)
    parish_band_d[t] = parish_precepts[t] * pounds per unit / tax_base[t]   (for information)
"""
from __future__ import annotations

import numpy as np

from mtfpmodel.outputs.workbook.book import Sheet
from mtfpmodel.outputs.workbook.context import Model
from mtfpmodel.outputs.workbook.grid import Formula

WORKINGS = "Funding"
OUTPUT = "Council tax"


def council_tax_workings(model: Model, sheet: Sheet) -> None:
    table = model.result.council_tax
    tax = model.result.scenario.funding.council_tax
    here = WORKINGS
    col = {name: np.nan_to_num(table[name].to_numpy(dtype=float)) for name in table.columns if name != "year"}
    band_d, tax_base = model.rows["band_d"], model.rows["tax_base"]
    sheet.heading("Council tax table: Band D by part, the rise a year and a week, the bands (£ unless stated)")
    rows = model.rows

    def row(key, label, detail, formula, unit="£", kind="pounds", start=0):
        rows[f"ct:{key}"] = model.row(sheet, label, detail, formula, col[key], unit=unit, kind=kind, start=start)
        model.figures[f"ct:{key}"] = np.where(np.arange(model.years) >= start, col[key], 0.0)

    row("band_d_brought_forward", "Band D brought forward", "last year's Band D",
        lambda t: band_d.year(t - 1, here), start=1)
    bf = rows["ct:band_d_brought_forward"]
    for part in tax.increase:
        rate = model.inputs[f"funding.council_tax.increase.{part}"]
        row(f"increase_{part}_pct", f"Increase: {part}", "% of Band D brought forward",
            lambda t, rate=rate: rate.year(t, here), unit="% a year", kind="rate", start=1)
        row(f"increase_{part}", f"Increase: {part}", "£ on Band D",
            lambda t, rate=rate: f"{bf.year(t, here)}*{rate.year(t, here)}", start=1)
    row("band_d_increase", "Band D increase", "£ a year", lambda t: f"{band_d.year(t, here)}-{bf.year(t, here)}",
        start=1)
    rise = rows["ct:band_d_increase"]
    row("band_d_increase_per_week", "Band D increase", "£ a week", lambda t: f"{rise.year(t, here)}/Weeks_per_year",
        start=1)
    row("band_d_increase_pct", "Band D increase", "%", lambda t: f"{band_d.year(t, here)}/{bf.year(t, here)}-1",
        unit="%", kind="rate", start=1)
    row("band_a_increase_per_week", "Band A increase", "£ a week",
        lambda t: f"{rise.year(t, here)}*Band_A_ratio/Weeks_per_year", start=1)
    if tax.referendum_limit is not None:
        limit = model.inputs["funding.council_tax.referendum_limit"]
        row("referendum_limit", "Referendum limit", "warning only", lambda t: limit.year(t, here), unit="% a year",
            kind="rate", start=1)
    row("yield", "Yield", "tax base x Band D / pounds per unit",
        lambda t: f"{tax_base.year(t, here)}*{band_d.year(t, here)}/Pounds_per_unit", unit=model.unit, kind="money")
    for band in "ABCEFGH":
        row(f"band_{band.lower()}", f"Band {band}", "Band D x the band's ratio",
            lambda t, band=band: f"{band_d.year(t, here)}*Band_{band}_ratio")
    if tax.parish_precepts is not None:
        _parishes(model, sheet, row, tax.parish_precepts)


def _parishes(model: Model, sheet: Sheet, row, precepts) -> None:
    p = "funding.council_tax.parish_precepts"
    base = model.inputs[f"{p}.base"]
    here = WORKINGS
    if precepts.values is not None:
        given = model.inputs[f"{p}.values"]
        formula = (lambda t: base.base(here) if t == 0 else given.year(t, here))
    else:
        growth = model.inputs[f"{p}.growth"]
        formula = (lambda t: base.base(here) if t == 0
                   else f"{sheet.previous(t)}*(1+{growth.year(t, here)})")
    row("parish_precepts", "Parish precepts", "for information (not the council's funding)", formula,
        unit=model.unit, kind="money")
    precept, tax_base = model.rows["ct:parish_precepts"], model.rows["tax_base"]
    row("parish_band_d", "Parish precepts", "average parish Band D",
        lambda t: f"{precept.year(t, here)}*Pounds_per_unit/{tax_base.year(t, here)}")


def table_rows(scenario) -> list[tuple[str, str, str, str, int]]:
    """(label, row key, unit, kind, first year) of the council tax sheet; the key less 'ct:' is the
    council_tax.csv column."""
    tax = scenario.funding.council_tax
    unit = scenario.units
    lines = [("Tax base (Band D equivalents)", "tax_base", "Band D equivalents", "number", 0),
             ("Band D brought forward", "ct:band_d_brought_forward", "£", "pounds", 1)]
    for part in tax.increase:
        name = part.replace("_", " ")
        lines += [(f"  + {name} (%)", f"ct:increase_{part}_pct", "%", "rate", 1),
                  (f"  + {name} (£)", f"ct:increase_{part}", "£", "pounds", 1)]
    lines += [("Band D", "band_d", "£", "pounds", 0),
              ("Increase (%)", "ct:band_d_increase_pct", "%", "rate", 1),
              ("Increase, £ a year", "ct:band_d_increase", "£", "pounds", 1),
              ("Increase, £ a week (Band D)", "ct:band_d_increase_per_week", "£", "pounds", 1),
              ("Increase, £ a week (Band A)", "ct:band_a_increase_per_week", "£", "pounds", 1)]
    if tax.referendum_limit is not None:
        lines.append(("Referendum limit (%)", "ct:referendum_limit", "%", "rate", 1))
    lines += [(f"Yield, tax base x Band D ({unit})", "ct:yield", unit, "money", 0),
              (f"Collection fund ({unit})", "collection_fund", unit, "money", 1),
              (f"Council tax income ({unit})", "council_tax", unit, "money", 0)]
    lines += [(f"Band {b}", "band_d" if b == "D" else f"ct:band_{b.lower()}", "£", "pounds", 0) for b in "ABCDEFGH"]
    if tax.parish_precepts is not None:
        lines += [(f"Parish precepts ({unit}, for information)", "ct:parish_precepts", unit, "money", 0),
                  ("  average parish Band D", "ct:parish_band_d", "£", "pounds", 0)]
    return lines


def council_tax_sheet(model: Model) -> None:
    """The output sheet: the council tax table, linking the Funding sheet's workings."""
    sheet = model.sheet(OUTPUT)
    lines = table_rows(model.result.scenario)
    bold = {"band_d", "council_tax"}
    for label, key, shown, kind, start in lines:
        total = key in bold
        bold.discard(key)                       # Band D again among the bands: not a total there
        source = model.rows[key]
        values = model.figures[key]
        cells = [None if t < start else Formula(source.year(t, OUTPUT), float(values[t])) for t in range(model.years)]
        sheet.write(label, "", shown, years=cells, kind=kind, total=total)
    sheet.one_page(label=36, detail=1, unit=18, value=1, year=13)
