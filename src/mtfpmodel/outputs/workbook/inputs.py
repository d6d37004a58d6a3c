"""The Inputs sheet: every number of the scenario, one row per input, in blocks.

Each row holds one input — a single number in the Value column (D), a base-year amount in the
base-year column (E), or one value per projection year (F onwards) — with its unit, the
evidence from the scenario's ``source:`` and, in the last column, the path ``mtfp run --set``
and ``mtfp paths`` use for it. A rate that follows an assumption (``growth: prices``) is
written as links to that assumption's row, so changing the assumption moves it too; typing a
number over a link makes it an input of its own. ``mtfp import`` reads this sheet back by the
path column. The blocks of the cost drivers (lines, workforce, contracts) are written by
``driverinputs.py``, reserves and the capital programme by ``planinputs.py``.
"""
from __future__ import annotations

from mtfpmodel.engine import parameters as P
from mtfpmodel.outputs.workbook.book import Book
from mtfpmodel.outputs.workbook.grid import BASE, safe_name
from mtfpmodel.outputs.workbook.register import (CERTAINTIES, CHECK_TOLERANCE, FUNDED_BY, METHODS, Register,
                                                 life)
from mtfpmodel.results.counciltax import BAND_RATIOS, WEEKS
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.series import Series, plan_years


def inputs_sheet(book: Book, result: Result) -> Register:
    """Write the Inputs sheet; return its register (``map``: where each input is; ``params``: their values)."""
    from mtfpmodel.outputs.workbook import driverinputs, planinputs

    reg = Register(book, result)
    _settings(reg)
    _assumptions(reg)
    driverinputs.lines(reg)
    driverinputs.workforce(reg)
    driverinputs.contracts(reg)
    _pressures(reg)
    _council_tax(reg)
    _sources(reg)
    planinputs.reserves(reg)
    _streams(reg)
    planinputs.capital(reg)
    _workbook_settings(reg)
    return reg


def _settings(reg: Register) -> None:
    s = reg.result.scenario
    reg.sheet.heading("The plan (from the scenario file)", gap=False)
    reg.value("Scenario", "name", "", "scenario", s.scenario, kind="text", role="structure")
    if s.council:
        reg.value("Council", "", "", "council", s.council, kind="text", role="structure")
    if s.description:
        reg.value("Description", "", "", "description", s.description, kind="text", role="structure")
    reg.value("Money unit", "of every amount", "", "units", s.units, kind="text", role="structure")
    unit = reg.value("Pounds in one money unit", "", "£", None, s.unit, kind="count", role="structure")
    reg.name("Pounds_per_unit", unit)
    reg.value("Base year", "approved budget", "", "base_year", s.base_year, kind="text", role="structure")
    years = reg.value("Projection years", plan_years(reg.book.labels), "years", "years",
                      s.years, kind="int", role="structure")
    reg.name("Projection_years", years)
    reg.value("Discount rate", "for stream NPVs in streams.csv", "% a year", "discount_rate",
              s.discount_rate, kind="rate")
    reg.sheet.heading("Savings confidence by RAG rating (risk-adjusted gap)")
    for word, share in s.rag.items():
        reg.name(f"Rag_{word}", reg.share(word, "confidence", "share", f"rag_confidence.{word}", share))
    reg.sheet.heading("Grant certainty: the share of a grant counted in the risk-adjusted gap")
    for word, share in s.grant_shares.items():
        reg.name(f"Grant_{word}", reg.share(word, "share counted", "share", f"grant_confidence.{word}", share))


def _assumptions(reg: Register) -> None:
    s = reg.result.scenario
    reg.sheet.heading("Assumptions (rates by year)")
    if not s.assumptions:
        reg.sheet.note("(no assumptions in this scenario)")
    for path in (p for p in reg.params if p.startswith("assumptions.")):
        name = path.removeprefix("assumptions.")
        ref = reg.series(name, "rate", "% a year", path, source=s.assumptions[name].source)
        reg.name(f"Assumption_{safe_name(name)}", ref, span=True)


def _pressures(reg: Register) -> None:
    reg.sheet.heading("Cost pressures (new cost arising in each year, not inflated)")
    pressures = reg.result.scenario.pressures
    if not pressures:
        reg.sheet.note("(no pressures in this scenario)")
    for p in pressures:
        prefix = f"pressures[{p.name}]"
        reg.series(p.name, "New cost arising", reg.unit, f"{prefix}.amount", kind="money", source=p.source)
        reg.switch(p.name, "Recurring? (TRUE: stays in the budget)", f"{prefix}.recurring", p.recurring)


def _council_tax(reg: Register) -> None:
    tax = reg.result.scenario.funding.council_tax
    prefix = "funding.council_tax"
    reg.sheet.heading("Council tax")
    reg.name("Tax_base", reg.base("Council tax", "Tax base", "Band D equivalents", f"{prefix}.tax_base",
                                  kind="number"), col=BASE)
    reg.name("Band_D", reg.base("Council tax", "Band D charge", "£ a year", f"{prefix}.band_d", kind="pounds"),
             col=BASE)
    reg.name("Tax_base_growth", reg.series("Council tax", "Tax base growth", "% a year",
                                           f"{prefix}.tax_base_growth"), span=True)
    for part in tax.increase:
        ref = reg.series("Council tax", f"Band D increase: {part}", "% a year", f"{prefix}.increase.{part}")
        reg.name(f"Council_tax_increase_{safe_name(part)}", ref, span=True)
    if tax.referendum_limit is not None:
        reg.series("Council tax", "Referendum limit (warning only)", "% a year", f"{prefix}.referendum_limit",
                   given=tax.referendum_limit)
    reg.series("Council tax", "Collection fund surplus (deficit)", reg.unit, f"{prefix}.collection_fund",
               kind="money")
    precepts = tax.parish_precepts
    if precepts is not None:
        path = f"{prefix}.parish_precepts"
        name = "Parish precepts"
        reg.base(name, "Base-year amount (for information)", reg.unit, f"{path}.base", value=precepts.base or 0.0,
                 source=precepts.source)
        if precepts.values is not None:
            reg.series(name, "Amount by year", reg.unit, f"{path}.values", kind="money", given=precepts.values)
        else:
            reg.series(name, "Growth", "% a year", f"{path}.growth", given=precepts.growth or Series(values=(0.0,)))


def _sources(reg: Register) -> None:
    unit = reg.unit
    reg.sheet.heading("Business rates and grants (a grant's last year: blank if it does not end)")
    sources = P.funding_sources(reg.result.scenario)
    if not sources:
        reg.sheet.note("(no business rates or grants in this scenario)")
    for prefix, source in sources:
        name = "Business rates" if prefix == "funding.business_rates" else prefix[len("funding.grants["):-1]
        ref = reg.base(name, "Base-year amount", unit, f"{prefix}.base", source=source.source)
        reg.name(f"{'Grant_' if name != 'Business rates' else ''}{safe_name(name)}_base", ref, col=BASE)
        if source.values is not None:
            reg.series(name, "Amount by year", unit, f"{prefix}.values", kind="money")
        else:
            reg.series(name, "Growth", "% a year", f"{prefix}.growth")
        if prefix != "funding.business_rates":
            reg.choose(reg.value(name, "Certainty (confirmed, indicative or assumed)", "", f"{prefix}.certainty",
                                 source.certainty, kind="text"), CERTAINTIES)
            reg.value(name, "Last year received (blank: no end)", "year", f"{prefix}.ends", source.ends or "",
                      kind="year")


def _streams(reg: Register) -> None:
    s = reg.result.scenario
    unit = reg.unit
    reg.sheet.heading("Savings streams")
    if not s.savings:
        reg.sheet.note("(no savings streams in this scenario)")
    for stream in s.savings:
        p = f"savings[{stream.name}]"
        n = stream.name
        reg.value(n, "Kind", "", f"{p}.kind", stream.kind, kind="text", role="structure", source=stream.source)
        if stream.category:
            reg.value(n, "Category (gap table heading)", "", f"{p}.category", stream.category, kind="text",
                      role="structure")
        confidence = stream.confidence if isinstance(stream.confidence, str) else float(stream.confidence)
        ref = reg.value(n, "Confidence (share or green/amber/red)", "share or RAG", f"{p}.confidence",
                        confidence, kind="rate")
        cell = ref.value("")
        reg.rule(ref, f'=IF(ISNUMBER({cell}),AND({cell}>=0,{cell}<=1),OR({cell}="green",{cell}="amber",'
                      f'{cell}="red"))', "A share from 0% to 100%, or green, amber or red.")
        KIND_ROWS[stream.kind](reg, stream, p)
        reg.series(n, "Implementation costs (one-off)", unit, f"{p}.implementation_cost", kind="money")
        reg.choose(reg.value(n, "Implementation costs funded by", "", f"{p}.funded_by", stream.funded_by,
                             kind="text"), FUNDED_BY)
        if stream.capital is not None:
            reg.series(n, "Capital spend", unit, f"{p}.capital.amount", kind="money")
            life(reg, n, "Asset life (repayment years)", f"{p}.capital.life", stream.capital.life)
            reg.value(n, "Interest rate on borrowing", "% a year", f"{p}.capital.interest_rate",
                      stream.capital.interest_rate, kind="rate")
            reg.choose(reg.value(n, "Repayment method", "", f"{p}.capital.method", stream.capital.method,
                                 kind="text"), METHODS)


def _fixed_rows(reg: Register, stream, p: str) -> None:
    reg.series(stream.name, "New saving in the year", reg.unit, f"{p}.saving", kind="money")
    reg.switch(stream.name, "Recurring? (TRUE: stays in the budget)", f"{p}.recurring", stream.recurring)


def _share_rows(reg: Register, stream, p: str) -> None:
    n = stream.name
    reg.value(n, "Budget line it comes off", "", f"{p}.line", stream.line, kind="text", role="structure")
    if stream.component is not None:
        reg.value(n, "Cost-mix part", "", f"{p}.component", stream.component, kind="text", role="structure")
    reg.share(n, "Reduction at full delivery", "share", f"{p}.reduction", stream.reduction)
    reg.series(n, "Phasing (share of the full reduction)", "share", f"{p}.phasing")


def _unit_cost_rows(reg: Register, stream, p: str) -> None:
    n = stream.name
    reg.series(n, "Volume moved", "units", f"{p}.volume", kind="count")
    if stream.moves_from is not None:
        reg.value(n, "Moves units from (its unit cost is the one before)", "", f"{p}.moves_from", stream.moves_from,
                  kind="text", role="structure")
    else:
        reg.value(n, "Unit cost before", "£ per period", f"{p}.unit_cost_from", stream.unit_cost_from,
                  kind="pounds")
    reg.value(n, "Unit cost after", "£ per period", f"{p}.unit_cost_to", stream.unit_cost_to, kind="pounds")
    reg.value(n, "Periods per year", "periods", f"{p}.periods_per_year", stream.periods_per_year, kind="count")
    reg.series(n, "Unit cost growth", "% a year", f"{p}.unit_cost_growth")


KIND_ROWS = {"fixed": _fixed_rows, "share_of_line": _share_rows, "unit_cost": _unit_cost_rows}
"""The input rows of each savings kind (a new kind adds its function here and in savings.KIND_GROSS)."""


def _workbook_settings(reg: Register) -> None:
    """The checks' tolerance, and the statutory constants the council tax table uses (structure)."""
    reg.sheet.heading("Workbook settings and statutory constants")
    tolerance = reg.value("Check tolerance", "largest difference a check may show", reg.unit, None,
                          CHECK_TOLERANCE, kind="check")
    reg.name("Check_tolerance", tolerance)
    weeks = reg.value("Weeks in a year", "for £ a week in the council tax table", "weeks", None, WEEKS,
                      kind="count", role="structure")
    reg.name("Weeks_per_year", weeks)
    for band, ratio in BAND_RATIOS.items():
        ref = reg.value(f"Band {band}", "ratio to Band D (statutory)", "of Band D", None, ratio, kind="ratio",
                        role="structure")
        reg.name(f"Band_{band}_ratio", ref)
