"""The Inputs sheet: every number of the scenario, one row per input, in blocks.

Each row holds one input — a single number in the Value column (D), a base-year amount in the
base-year column (E), or one value per projection year (F onwards) — with its unit, the
evidence from the scenario's ``source:`` and, in the last column, the path ``mtfp run --set``
and ``mtfp paths`` use for it. A rate that follows an assumption (``growth: prices``) is
written as links to that assumption's row, so changing the assumption moves it too; typing a
number over a link makes it an input of its own. ``mtfp import`` reads this sheet back by the
path column.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from mtfpmodel.engine import parameters as P
from mtfpmodel.outputs.workbook.book import Book, Sheet
from mtfpmodel.outputs.workbook.grid import BASE, VALUE, Cell, Formula, Ref, safe_name
from mtfpmodel.results.result import Result

SHEET = "Inputs"
PATH_HEADING = "mtfp path"
NOTE = ("Inputs are blue on yellow: change them and every sheet recalculates. Grey italic cells are the "
        "scenario's structure (change it in the scenario file). Rates are % a year; amounts in the "
        "money unit arise in the year shown.")
CHECK_TOLERANCE = 1e-6
FUNDED_BY = ["revenue", "reserves", "capital_receipts"]
METHODS = ["annuity", "straight_line"]


@dataclass
class InputMap:
    """Where each input's row is, by its mtfp path."""

    rows: dict[str, Ref] = field(default_factory=dict)

    def __getitem__(self, path: str) -> Ref:
        return self.rows[path]

    def __contains__(self, path: str) -> bool:
        return path in self.rows

    def get(self, path: str) -> Ref | None:
        return self.rows.get(path)


class _Register:
    """Writes the rows and remembers them; ``params`` gives each path's value."""

    def __init__(self, book: Book, result: Result):
        self.book = book
        self.result = result
        self.params = P.collect(result.scenario)
        self.map = InputMap()
        self.sheet = Sheet(book, SHEET, "Inputs", columns=("Item", "Input", "Unit", "Value"), note=NOTE,
                           year_numbers=False, extra=("Source", PATH_HEADING))
        ws = self.sheet.ws
        ws.set_column(book.source_col, book.source_col, 60)
        ws.set_column(book.path_col, book.path_col, 44)

    # --- one row of each shape -----------------------------------------------------------

    def value(self, item: str, label: str, unit: str, path: str | None, value, kind: str = "money",
              role: str = "input", source: str | None = None) -> Ref:
        """A row with one value in column D."""
        ref = self.sheet.write(item, label, unit, value=value, role=role, kind=kind, source=source, path=path)
        if path:
            self.map.rows[path] = ref
        return ref

    def base(self, item: str, label: str, unit: str, path: str, kind: str = "money",
             source: str | None = None) -> Ref:
        """A row with one base-year amount in column E (the approved budget's figure)."""
        cells: list[Cell] = [float(self.params[path].value)] + [None] * (self.book.years - 1)
        ref = self.sheet.write(item, label, unit, years=cells, role="input", kind=kind, blank_years="not_used",
                               source=source, path=path)
        self.map.rows[path] = ref
        return ref

    def series(self, item: str, label: str, unit: str, path: str, kind: str = "rate",
               source: str | None = None, given=None) -> Ref:
        """A row with one value per projection year; a series naming an assumption links to its row.

        ``given`` is the Series itself, for a field that is not an addressable parameter.
        """
        if given is not None:
            ref_path = f"assumptions.{given.ref}" if given.ref else None
            param = P.Parameter(path, "rate", P.series_values(given, self.params, self.book.years - 1), ref_path)
        else:
            param = self.params[path]
        target = self.map.get(param.ref) if param.ref else None
        cells: list[Cell] = [None]
        for t, value in enumerate(param.value, start=1):
            if target is not None:
                cells.append(Formula(target.year(t, SHEET), float(value)))
            else:
                cells.append(float(value))
        if target is not None:
            note = f"follows {param.ref.removeprefix('assumptions.')} (type a value to override)"
            source = f"{source} — {note}" if source else note
        ref = self.sheet.write(item, label, unit, years=cells, role="input", kind=kind, blank_years="not_used",
                               source=source, path=path)
        self.map.rows[path] = ref
        return ref

    def name(self, name: str, ref: Ref, span: bool = False, col: int = VALUE) -> None:
        """A defined name for an input: its year span (F onwards), or one cell."""
        here = ""                    # not the Inputs sheet: the reference carries the sheet name
        target = ref.span(1, self.book.years - 1, here) if span else ref.cell(col, here, absolute=True)
        self.book.define_name(name, target)

    def choose(self, ref: Ref, options: list[str]) -> None:
        self.sheet.validate(ref, VALUE, {"validate": "list", "source": options})

    def rule(self, ref: Ref, formula: str, message: str) -> None:
        self.sheet.validate(ref, VALUE, {"validate": "custom", "value": formula, "error_message": message})


def inputs_sheet(book: Book, result: Result) -> InputMap:
    """Write the Inputs sheet; return where each input is."""
    reg = _Register(book, result)
    _settings(reg)
    _assumptions(reg)
    _lines(reg)
    _pressures(reg)
    _council_tax(reg)
    _sources(reg)
    _reserves(reg)
    _streams(reg)
    reg.sheet.heading("Workbook settings")
    tolerance = reg.value("Check tolerance", "largest difference a check may show", book.unit, None,
                          CHECK_TOLERANCE, kind="check")
    reg.name("Check_tolerance", tolerance)
    return reg.map


def _settings(reg: _Register) -> None:
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
    reg.value("Projection years", f"{reg.book.labels[1]} to {reg.book.labels[-1]}", "years", "years",
              s.years, kind="int", role="structure")
    reg.value("Discount rate", "for stream NPVs in streams.csv", "% a year", "discount_rate",
              s.discount_rate, kind="rate")
    reg.sheet.heading("Savings confidence by RAG rating (risk-adjusted gap)")
    for word, share in s.rag.items():
        ref = reg.value(word, "confidence", "share", f"rag_confidence.{word}", share, kind="rate")
        reg.name(f"Rag_{word}", ref)
        reg.rule(ref, f"=AND({ref.value('')}>=0,{ref.value('')}<=1)", "A share from 0% to 100%.")


def _assumptions(reg: _Register) -> None:
    s = reg.result.scenario
    reg.sheet.heading("Assumptions (rates by year)")
    if not s.assumptions:
        reg.sheet.note("(no assumptions in this scenario)")
    for path in (p for p in reg.params if p.startswith("assumptions.")):
        name = path.removeprefix("assumptions.")
        ref = reg.series(name, "rate", "% a year", path, source=s.assumptions[name].source)
        reg.name(f"Assumption_{safe_name(name)}", ref, span=True)


def _lines(reg: _Register) -> None:
    unit = reg.book.unit
    reg.sheet.heading("Budget lines: base budget, cost mix and demand")
    for line in reg.result.scenario.expenditure:
        prefix = f"expenditure[{line.name}]"
        ref = reg.base(line.name, "Base budget", unit, f"{prefix}.base", source=line.source)
        reg.name(f"Base_{safe_name(line.name)}", ref, col=BASE)
        for part, share in line.cost_mix.items():
            label = "Share: no inflation" if part == "none" else f"Share: {part}"
            ref = reg.value(line.name, label, "% of base", f"{prefix}.cost_mix.{part}", share, kind="rate")
            reg.rule(ref, f"=AND({ref.value('')}>=0,{ref.value('')}<=1)", "A share from 0% to 100%.")
        reg.series(line.name, "Demand growth", "% a year", f"{prefix}.demand")


def _pressures(reg: _Register) -> None:
    reg.sheet.heading("Cost pressures (new cost arising in each year, not inflated)")
    pressures = reg.result.scenario.pressures
    if not pressures:
        reg.sheet.note("(no pressures in this scenario)")
    for p in pressures:
        prefix = f"pressures[{p.name}]"
        reg.series(p.name, "New cost arising", reg.book.unit, f"{prefix}.amount", kind="money", source=p.source)
        ref = reg.value(p.name, "Recurring? (TRUE: stays in the budget)", "TRUE/FALSE", f"{prefix}.recurring",
                        p.recurring, kind="text")
        reg.rule(ref, f"=ISLOGICAL({ref.value('')})", "TRUE or FALSE.")


def _council_tax(reg: _Register) -> None:
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
    reg.series("Council tax", "Collection fund surplus (deficit)", reg.book.unit, f"{prefix}.collection_fund",
               kind="money")


def _sources(reg: _Register) -> None:
    unit = reg.book.unit
    reg.sheet.heading("Business rates and grants")
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


def _reserves(reg: _Register) -> None:
    reserves = reg.result.scenario.reserves
    unit = reg.book.unit
    reg.sheet.heading("Reserves (usable reserves)")
    reg.name("Opening_reserves", reg.value("Usable reserves", "Opening balance (start of year 1)", unit,
                                           "reserves.opening", reserves.opening))
    share = reserves.minimum_share
    if share is not None:
        ref = reg.value("Usable reserves", "Minimum level", "% of net expenditure", "reserves.minimum", share,
                        kind="rate")
    else:
        ref = reg.value("Usable reserves", "Minimum level", unit, "reserves.minimum", float(reserves.minimum))
    reg.name("Minimum_reserves", ref)
    ref = reg.value("Usable reserves", "Use reserves to balance the budget?", "TRUE/FALSE",
                    "reserves.use_to_balance", bool(reserves.use_to_balance), kind="text")
    reg.rule(ref, f"=ISLOGICAL({ref.value('')})", "TRUE or FALSE.")
    reg.name("Use_reserves_to_balance", ref)


def _streams(reg: _Register) -> None:
    s = reg.result.scenario
    unit = reg.book.unit
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
            ref = reg.value(n, "Asset life (repayment years)", "years", f"{p}.capital.life", stream.capital.life,
                            kind="int")
            reg.sheet.validate(ref, VALUE, {"validate": "integer", "criteria": "between", "minimum": 1,
                                            "maximum": 100})
            reg.value(n, "Interest rate on borrowing", "% a year", f"{p}.capital.interest_rate",
                      stream.capital.interest_rate, kind="rate")
            reg.choose(reg.value(n, "Repayment method", "", f"{p}.capital.method", stream.capital.method,
                                 kind="text"), METHODS)


def _fixed_rows(reg: _Register, stream, p: str) -> None:
    reg.series(stream.name, "New saving in the year", reg.book.unit, f"{p}.saving", kind="money")
    ref = reg.value(stream.name, "Recurring? (TRUE: stays in the budget)", "TRUE/FALSE", f"{p}.recurring",
                    stream.recurring, kind="text")
    reg.rule(ref, f"=ISLOGICAL({ref.value('')})", "TRUE or FALSE.")


def _share_rows(reg: _Register, stream, p: str) -> None:
    n = stream.name
    reg.value(n, "Budget line it comes off", "", f"{p}.line", stream.line, kind="text", role="structure")
    if stream.component is not None:
        reg.value(n, "Cost-mix part", "", f"{p}.component", stream.component, kind="text", role="structure")
    ref = reg.value(n, "Reduction at full delivery", "share", f"{p}.reduction", stream.reduction, kind="rate")
    reg.rule(ref, f"=AND({ref.value('')}>=0,{ref.value('')}<=1)", "A share from 0% to 100%.")
    reg.series(n, "Phasing (share of the full reduction)", "share", f"{p}.phasing")


def _unit_cost_rows(reg: _Register, stream, p: str) -> None:
    n = stream.name
    reg.series(n, "Volume moved", "units", f"{p}.volume", kind="count")
    reg.value(n, "Unit cost before", "£ per period", f"{p}.unit_cost_from", stream.unit_cost_from, kind="pounds")
    reg.value(n, "Unit cost after", "£ per period", f"{p}.unit_cost_to", stream.unit_cost_to, kind="pounds")
    reg.value(n, "Periods per year", "periods", f"{p}.periods_per_year", stream.periods_per_year, kind="count")
    reg.series(n, "Unit cost growth", "% a year", f"{p}.unit_cost_growth")


KIND_ROWS = {"fixed": _fixed_rows, "share_of_line": _share_rows, "unit_cost": _unit_cost_rows}
"""The input rows of each savings kind (a new kind adds its function here and in savings.KIND_GROSS)."""
