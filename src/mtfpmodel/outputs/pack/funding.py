"""The funding section of the pack: funding by source, the council tax table (Band D by part,
the rise a year and a week, the referendum check, yield and collection fund), the bill by band
with parish precepts for information, grants with their certainty and cliff edges, and the
risk-adjusted view of the grants not yet confirmed.

Every figure is read from ``Result``: ``funding`` (funding.csv), ``council_tax``
(council_tax.csv) and ``grants`` (each grant's certainty share and the part held back).
"""
from __future__ import annotations

from mtfpmodel.outputs.pack.content import (
    Bullets,
    Cell,
    Paragraph,
    Row,
    Section,
    Subheading,
    Table,
)
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.outputs.statements import tax_cells
from mtfpmodel.outputs.terminal import cabinet_money, cliff_edges
from mtfpmodel.results.counciltax import BAND_RATIOS, within_limit
from mtfpmodel.scenario.units import percent

RATIO_TEXT = {"A": "6/9", "B": "7/9", "C": "8/9", "D": "9/9", "E": "11/9", "F": "13/9", "G": "15/9", "H": "18/9"}


def section(ctx: Context) -> Section:
    """Funding by source, then council tax, the bands, and the grants' certainty and cliff edges."""
    result = ctx.result
    blocks: list = list(_sources(ctx))
    cliffs = _cliff_edges(ctx)
    if cliffs:
        blocks.append(Bullets(tuple(cliffs), id="cliff-edges"))
    blocks += [Subheading("Council tax"), _council_tax(ctx), _bands(ctx)]
    if "parish_precepts" in result.council_tax:
        blocks.append(Paragraph("Parish precepts are the town and parish councils' money, collected with council "
                                "tax: shown for information, not counted in the council's funding.", "note"))
    blocks += _grant_risk(ctx)
    blocks += _source_notes(ctx)
    return Section("funding", "Funding", tuple(blocks))


def _years_header(ctx: Context, unit: str) -> tuple[str, ...]:
    labels = ctx.result.labels
    return (f"({unit})", f"{labels[0]} (base)", *labels[1:])


def _sources(ctx: Context) -> list[Table]:
    """Each source by year from funding.csv; a grant's note gives its certainty and last year. Dozens
    of grants are set as page-sized tables (funding-table, -2...), the total after the last."""
    result, labels = ctx.result, ctx.result.labels
    grants = {g.name: g for g in result.scenario.funding.grants}
    shares = result.grants.drop_duplicates("grant").set_index("grant")["share"] if len(result.grants) else {}
    rows = []
    for source, part in result.funding.groupby("source", sort=False):
        note = ""
        if source == "council_tax":
            note = "tax base × Band D, with the collection fund (below)"
        elif source in grants:
            grant = grants[source]
            note = grant.certainty if grant.certainty == "confirmed" else (
                f"{grant.certainty}: {percent(shares[source], 0)} counted in the risk-adjusted gap")
            if grant.ends is not None:
                note += f"; ends after {grant.ends}" if grant.ends in labels[:-1] else f"; last year {grant.ends}"
        rows.append(Row.of(part["label"].iloc[0], ctx.cells(part.set_index("year").loc[list(labels), "amount"]),
                           note=note))
    total = Row.of("Total funding", ctx.cells(result.results.funding[0]), "total")
    return ctx.paged("funding-table", _years_header(ctx, ctx.label), [*([row] for row in rows), [total]])


def _cliff_edges(ctx: Context) -> list[str]:
    """'Cliff edge: the New Homes Bonus ends after 2025/26 (£800k in its last year, nothing from
    2026/27) and the gap reopens in 2026/27.' for each grant that ends within the plan."""
    labels = ctx.result.labels
    out = []
    for t, name, amount, change in cliff_edges(ctx.result):
        text = (f"Cliff edge: {name} ends after {labels[t]} ({cabinet_money(amount, ctx.unit)} in its last year, "
                f"nothing from {labels[t + 1]})")
        out.append(text + (f" and the gap {change} in {labels[t + 1]}." if change else "."))
    return out


def _council_tax(ctx: Context) -> Table:
    """Tax base, Band D by part in % and £, the rise a year and a week, the referendum check, the
    yield, the collection fund and the income (council_tax.csv); in real terms also Band D and the
    income at base-year prices."""
    result = ctx.result
    table, unit = result.council_tax, ctx.unit
    parts = [c[len("increase_"):-len("_pct")] for c in table.columns if c.startswith("increase_") and c.endswith("_pct")]
    rows = [Row.of("Tax base (Band D equivalents)", tax_cells(table["tax_base"], "base", unit)),
            Row.of("Band D brought forward (£)", tax_cells(table["band_d_brought_forward"], "£", unit))]
    for part in parts:
        name = part.replace("_", " ").capitalize()
        rows += [Row.of(f"{name} increase (%)", tax_cells(table[f"increase_{part}_pct"], "pct", unit), "sub"),
                 Row.of(f"{name} increase (£)", tax_cells(table[f"increase_{part}"], "£", unit), "sub")]
    rows += [Row.of("Band D (£)", tax_cells(table["band_d"], "£", unit), "total"),
             Row.of("Increase in Band D (%)", tax_cells(table["band_d_increase_pct"], "pct", unit)),
             Row.of("Increase, £ a year (Band D)", tax_cells(table["band_d_increase"], "£", unit)),
             Row.of("Increase, £ a week (Band D)", tax_cells(table["band_d_increase_per_week"], "£", unit)),
             Row.of("Increase, £ a week (Band A)", tax_cells(table["band_a_increase_per_week"], "£", unit), "sub")]
    if "referendum_limit" in table:
        within = ["–" if w is None else Cell("yes", badge="status ok") if w else Cell("no: above", badge="status bad")
                  for w in within_limit(table)]
        rows += [Row.of("Referendum limit (%)", tax_cells(table["referendum_limit"], "pct", unit)),
                 Row.of("Rise within the referendum limit", within)]
    rows += [Row.of(f"Yield: tax base × Band D ({unit})", tax_cells(table["yield"], "money", unit)),
             Row.of(f"Collection fund surplus (deficit) ({unit})", tax_cells(table["collection_fund"], "money", unit)),
             Row.of(f"Council tax income ({unit})", tax_cells(table["council_tax"], "money", unit), "total")]
    header = "(£ unless stated)"
    if result.real:
        rows += [Row.of(f"Band D at {result.real.label} (£)", tax_cells(table["band_d_real"], "£", unit), "sub"),
                 Row.of(f"Council tax income at {result.real.label} ({unit})",
                        tax_cells(table["council_tax_real"], "money", unit), "sub")]
        header = "(£ unless stated; cash: bills are set in cash)"
    return Table("council-tax-table", (header, f"{result.labels[0]} (base)", *result.labels[1:]), tuple(rows),
                 label_width=36)


def _bands(ctx: Context) -> Table:
    """The bill for each band A to H (fixed ninths of Band D) and, when given, the parish precepts."""
    result = ctx.result
    table, unit = result.council_tax, ctx.unit
    rows = [Row.of(f"Band {band} ({RATIO_TEXT[band]} of Band D)",
                   tax_cells(table["band_d" if band == "D" else f"band_{band.lower()}"], "£", unit),
                   "total" if band == "D" else "")
            for band in BAND_RATIOS]
    if "parish_precepts" in table:
        rows += [Row.of(f"Parish precepts ({unit}, for information)",
                        tax_cells(table["parish_precepts"], "money", unit)),
                 Row.of("Average parish Band D (£, for information)", tax_cells(table["parish_band_d"], "£", unit),
                        "sub")]
    header = "Council tax by band (£ a year" + ("; cash)" if result.real else ")")
    return Table("council-tax-bands", (header, f"{result.labels[0]} (base)", *result.labels[1:]), tuple(rows),
                 label_width=36)


def _grant_risk(ctx: Context) -> list:
    """Grants not yet confirmed: each one's amount and the part the risk-adjusted gap holds back."""
    result = ctx.result
    grants = result.grants
    uncertain = grants[grants["share"] < 1]
    heading = Subheading("Grants not yet confirmed: the risk-adjusted view")
    if uncertain.empty:
        return [heading, Paragraph("Every grant in the plan is confirmed: the risk-adjusted gap counts them in full.",
                                   id="grant-risk")]
    years = ctx.years
    rows = []
    for name, part in uncertain.groupby("grant", sort=False):
        part = part.set_index("year")
        first = part.iloc[0]
        rows.append([Row.of(name, ctx.cells(part.loc[years, "amount"]), note=first["certainty"]),
                     Row.of(f"held back: {percent(1 - first['share'], 0)}", ctx.cells(part.loc[years, "at_risk"]),
                            "sub")])                         # a grant and the part held back: kept together
    held = uncertain.groupby("year", sort=False)["at_risk"].sum()
    rows.append([Row.of("Total held back in the risk-adjusted gap", ctx.cells(held.loc[years]), "total")])
    summary = result.summary
    last = years[-1]
    text = (f"The risk-adjusted net gap in the MTFP table counts each grant at its certainty share and each saving "
            f"at its confidence: {cabinet_money(float(summary['risk_adjusted_net_gap'].iloc[-1]), ctx.unit)} in "
            f"{last} against a planned net gap of {cabinet_money(float(summary['net_gap'].iloc[-1]), ctx.unit)}, of "
            f"which {cabinet_money(float(held.loc[last]), ctx.unit)} is grant not yet confirmed.")
    return [heading, *ctx.paged("grant-risk-table", (f"({ctx.label})", *years), rows), Paragraph(text, "note")]


def _source_notes(ctx: Context) -> list:
    """Where business rates and each grant come from, as the scenario says."""
    funding = ctx.result.scenario.funding
    sources = [f"{g.name}: {g.source}" for g in funding.grants if g.source]
    if funding.business_rates is not None and funding.business_rates.source:
        sources.insert(0, f"Business rates: {funding.business_rates.source}")
    return [Bullets(tuple(sources), id="funding-sources")] if sources else []
