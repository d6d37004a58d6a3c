"""The capital programme section of the pack (a plan with ``capital_programme`` or
``capital_financing``): the programme by year — spend by financing source, MRP, interest,
existing debt charges, the capital financing line and the CFR (``Result.capital_summary``) —
and each scheme's spend (``Result.capital``, capital.csv)."""
from __future__ import annotations

from mtfpmodel.outputs.pack.content import Paragraph, Row, Section
from mtfpmodel.outputs.pack.context import Context
from mtfpmodel.outputs.terminal import cabinet_money
from mtfpmodel.results.capital import EXISTING
from mtfpmodel.scenario.capital import SOURCES
from mtfpmodel.scenario.units import percent

KINDS = {"spend": "total", "borrowing": "sub", "grants": "sub", "capital_receipts": "sub", "revenue": "sub",
         "capital_financing": "total"}
SOURCE_WORDS = {"borrowing": "borrowing", "grants": "grants", "capital_receipts": "capital receipts",
                "revenue": "revenue"}


def section(ctx: Context) -> Section | None:
    result = ctx.result
    if not result.has_capital:
        return None
    years = ctx.years
    summary = result.capital_summary
    rows = [Row.of(row["item"].strip(), ctx.cells(row[years]), KINDS.get(row["key"], ""))
            for _, row in summary.iterrows()]
    params = result.params
    if "capital_financing.borrowing_rate" in params:
        rows.append(Row.of("Borrowing rate on new loans (%)",
                           [percent(v, 2) for v in params["capital_financing.borrowing_rate"].value], "sub"))
    intro = Paragraph("Each year's borrowing is repaid from the year after it is spent: the Minimum Revenue Provision "
                      "(MRP) over the asset's life, plus interest at that year's borrowing rate. The capital "
                      "financing line of the budget is the MRP and interest on new borrowing plus the existing debt "
                      "charges; the capital financing requirement (CFR) here is new borrowing less its MRP to date.",
                      "note")
    blocks = [intro, *ctx.paged("capital-table", (f"({ctx.label})", *years), [[r] for r in rows]), *_schemes(ctx)]
    return Section("capital", "Capital programme and its financing", tuple(blocks))


def _schemes(ctx: Context) -> list:
    """Each scheme's spend by year, with how it is financed over the plan and its asset life."""
    result = ctx.result
    table, years = result.capital, ctx.years
    schemes = {s.name: s for s in result.scenario.capital_programme}
    if not schemes:
        return []
    rows = []
    for name, part in table[table["scheme"] != EXISTING].groupby("scheme", sort=False):
        own = part.set_index("year").loc[years]
        scheme = schemes[name]
        financed = [f"{SOURCE_WORDS[s]} {cabinet_money(float(own[s].sum()), ctx.unit)}" for s in SOURCES
                    if own[s].sum() != 0]
        note = (f"over the plan: {', '.join(financed) or 'no spend'}; {scheme.life}-year life, "
                f"{scheme.method.replace('_', ' ')}")
        rows.append([Row.of(name, ctx.cells(own["spend"]), note=note)])
    spend = result.capital_summary.set_index("key").loc["spend", years]
    rows.append([Row.of("Total capital spend", ctx.cells(spend), "total")])
    return ctx.paged("capital-schemes", (f"Schemes: spend ({ctx.label})", *years), rows)
