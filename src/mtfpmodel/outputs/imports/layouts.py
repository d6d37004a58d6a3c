"""The documented budget-book tables ``mtfp import`` reads, one per sheet (or CSV file).

Each table has a header row naming its columns (case, spaces and underscores do not matter;
a unit in brackets such as "Base (£000)" is ignored) and one row per item. A per-year field is
one column for every year ("Demand" = 2% in every year, or an assumption's name) or one column
per year headed "<field> 2025/26"; a bare year heading ("2025/26") is the table's main series
(:attr:`Layout.main`). docs/user-guide.md, "Working in Excel", lists them with an example.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str                         # the scenario key below the item, dotted ('capital.life')
    headings: tuple[str, ...]        # accepted headings, normalised (lower case, single spaces)
    series: bool = False             # a per-year field
    words: dict[str, str] = field(default_factory=dict)   # friendly words → the scenario's words
    by_year: str | None = None       # the key its "<heading> 2025/26" columns fill ('volume' → volume.values)


@dataclass(frozen=True)
class Layout:
    """A record table: one item per row."""

    name: str                        # the sheet or CSV file name (normalised)
    aliases: tuple[str, ...]
    section: tuple[str, ...]         # where the items go: ('expenditure',), ('funding', 'grants')
    name_headings: tuple[str, ...]
    columns: tuple[Column, ...]
    main: str | None = None          # the key bare year columns fill (None: kind-dependent or none)
    mix: bool = False                # headings ending in % are cost-mix shares
    keyed: bool = False              # items go in a mapping by name (assumptions), not a list
    value_key: str | None = None     # the key a keyed item's value goes under ('value')
    pay_from: bool = False           # headings 'Pay from <group> %' are shares of pay groups


@dataclass(frozen=True)
class Settings:
    """A key/value table: one setting per row (Item | Value | optional year columns)."""

    name: str
    aliases: tuple[str, ...]
    section: tuple[str, ...]
    items: dict[str, tuple[str, bool]]     # normalised item → (key, is a series)
    prefixes: dict[str, str] = field(default_factory=dict)   # 'increase ' → 'increase.<rest>'


SOURCE = Column("source", ("source", "notes", "note", "evidence"))
YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
BOOLEANS = {"recurring", "use_to_balance", "ring_fenced", "meets_gap"}     # keys whose cells may say yes / no
SHARE_OR_AMOUNT = {"minimum"}                   # a number is an amount, a percentage a share
METHOD = {"straight line": "straight_line"}
KINDS = {"fixed": "fixed", "share of line": "share_of_line", "share_of_line": "share_of_line",
         "unit cost": "unit_cost", "unit_cost": "unit_cost"}
MAIN_BY_KIND = {"fixed": "saving", "share_of_line": "phasing", "unit_cost": "volume"}

LAYOUTS = (
    Layout("assumptions", ("assumption", "rates"), ("assumptions",), ("assumption", "name"),
           (Column("value", ("value", "rate"), series=True), SOURCE), main="value", keyed=True, value_key="value"),
    Layout("lines", ("budget lines", "budget", "expenditure", "line"), ("expenditure",),
           ("line", "budget line", "name", "service"),
           (Column("base", ("base", "base budget", "budget", "net budget")),
            Column("demand", ("demand", "demand growth"), series=True),
            Column("group", ("group", "heading", "service group")),
            Column("volume.base", ("volume", "base volume", "volume in the base year"), by_year="volume.values"),
            Column("volume.growth", ("volume growth",), series=True),
            Column("unit_cost", ("unit cost",)),
            Column("periods_per_year", ("periods per year", "periods")), SOURCE), mix=True, pay_from=True),
    Layout("pressures", ("pressure", "cost pressures"), ("pressures",), ("pressure", "name"),
           (Column("amount", ("amount",), series=True), Column("recurring", ("recurring",)), SOURCE), main="amount"),
    Layout("grants", ("grant", "funding"), ("funding", "grants"), ("grant", "name", "funding source"),
           (Column("base", ("base", "base year", "base-year amount")), Column("growth", ("growth",), series=True),
            Column("values", ("amount", "values"), series=True),
            Column("certainty", ("certainty",)), Column("ends", ("ends", "last year", "last year received")),
            SOURCE), main="values"),
    Layout("reserves", ("reserve",), ("reserves",), ("reserve", "name"),
           (Column("kind", ("kind", "type")),
            Column("opening", ("opening", "opening balance", "opening reserves")),
            Column("minimum", ("minimum", "minimum level", "minimum reserves")),
            Column("ring_fenced", ("ring-fenced", "ring fenced")),
            Column("meets_gap", ("meets gap", "meets gaps", "meets the gap")),
            Column("planned_use", ("planned use",), series=True),
            Column("contributions", ("contributions", "contribution"), series=True), SOURCE)),
    Layout("pay groups", ("pay group", "workforce", "establishment"), ("workforce", "groups"),
           ("group", "pay group", "name"),
           (Column("fte", ("fte", "full-time equivalents", "posts")),
            Column("headcount", ("headcount", "employees")),
            Column("average_salary", ("average salary", "salary")),
            Column("pay_award", ("pay award",), series=True),
            Column("drift", ("drift", "pay drift")),
            Column("vacancy", ("vacancy", "vacancy factor")), SOURCE)),
    Layout("contracts", ("contract", "indexed contracts"), ("contracts",), ("contract", "name"),
           (Column("line", ("line", "budget line")),
            Column("value", ("value", "annual value", "base value")),
            Column("index", ("index", "uplift index"), series=True),
            Column("lag", ("lag",)),
            Column("base_index", ("base index", "index before the plan")),
            Column("cap", ("cap",)), Column("collar", ("collar",)),
            Column("start", ("start", "first year")), Column("end", ("end", "last year")), SOURCE)),
    Layout("capital programme", ("capital", "capital schemes", "schemes", "capital_programme"),
           ("capital_programme",), ("scheme", "name", "project"),
           (Column("borrowing", ("borrowing",), series=True),
            Column("grants", ("grants", "capital grants"), series=True),
            Column("capital_receipts", ("capital receipts", "receipts"), series=True),
            Column("revenue", ("revenue", "rcco", "revenue contributions"), series=True),
            Column("spend", ("spend", "total spend"), series=True),
            Column("life", ("life", "asset life")),
            Column("method", ("method", "mrp method"), words=METHOD), SOURCE)),
    Layout("savings", ("savings tracker", "savings programme", "streams", "saving"), ("savings",),
           ("stream", "name", "saving", "proposal", "savings proposal"),
           (Column("kind", ("kind", "type"), words=KINDS),
            Column("confidence", ("confidence", "rag", "rag rating")),
            Column("category", ("category", "heading")),
            Column("line", ("line", "budget line")),
            Column("component", ("component", "cost-mix part", "part")),
            Column("reduction", ("reduction",)),
            Column("recurring", ("recurring",)),
            Column("saving", ("saving",), series=True),
            Column("phasing", ("phasing",), series=True),
            Column("volume", ("volume",), series=True),
            Column("moves_from", ("moves from", "moves units from")),
            Column("unit_cost_from", ("unit cost from", "unit cost before")),
            Column("unit_cost_to", ("unit cost to", "unit cost after")),
            Column("periods_per_year", ("periods per year", "periods")),
            Column("unit_cost_growth", ("unit cost growth",), series=True),
            Column("implementation_cost", ("implementation cost", "implementation costs", "implementation",
                                           "one-off costs"), series=True),
            Column("funded_by", ("funded by",), words={"capital receipts": "capital_receipts"}),
            Column("capital.amount", ("capital", "capital spend"), series=True),
            Column("capital.life", ("life", "asset life", "capital life")),
            Column("capital.interest_rate", ("interest rate", "interest")),
            Column("capital.method", ("method", "repayment method"), words=METHOD),
            SOURCE)),
)

SETTINGS = (
    Settings("settings", ("setting", "plan", "scenario"), (), {
        "scenario": ("scenario", False), "name": ("scenario", False), "council": ("council", False),
        "description": ("description", False), "units": ("units", False), "money unit": ("units", False),
        "base year": ("base_year", False), "years": ("years", False), "projection years": ("years", False),
        "discount rate": ("discount_rate", False), "green": ("rag_confidence.green", False),
        "amber": ("rag_confidence.amber", False), "red": ("rag_confidence.red", False),
        "green confidence": ("rag_confidence.green", False), "amber confidence": ("rag_confidence.amber", False),
        "red confidence": ("rag_confidence.red", False)}),
    Settings("council tax", ("council_tax", "counciltax"), ("funding", "council_tax"), {
        "tax base": ("tax_base", False), "band d": ("band_d", False), "band d charge": ("band_d", False),
        "tax base growth": ("tax_base_growth", True), "referendum limit": ("referendum_limit", True),
        "collection fund": ("collection_fund", True), "parish precepts": ("parish_precepts.values", True),
        "parish precepts base": ("parish_precepts.base", False), "parish precepts growth": ("parish_precepts.growth", True)},
        prefixes={"increase ": "increase.", "band d increase ": "increase."}),
    Settings("business rates", ("business_rates", "businessrates"), ("funding", "business_rates"), {
        "base": ("base", False), "growth": ("growth", True), "values": ("values", True), "amount": ("values", True),
        "source": ("source", False)}),
    Settings("on-costs", ("on costs", "oncosts", "employer on-costs"), ("workforce",), {
        "employer ni base rate": ("employer_ni.base_rate", False),
        "employer ni base threshold": ("employer_ni.base_threshold", False),
        "employer ni rate": ("employer_ni.rate", True), "employer ni threshold": ("employer_ni.threshold", True),
        "employer pension base rate": ("employer_pension.base_rate", False),
        "employer pension rate": ("employer_pension.rate", True),
        "apprenticeship levy rate": ("apprenticeship_levy.rate", False),
        "apprenticeship levy allowance": ("apprenticeship_levy.allowance", False)}),
    Settings("capital financing", ("capital_financing", "borrowing", "treasury"), ("capital_financing",), {
        "borrowing rate": ("borrowing_rate", True),
        "existing debt charges base": ("existing_debt_charges.base", False),
        "existing debt charges": ("existing_debt_charges.values", True), "source": ("source", False)}),
    Settings("reserves", ("reserve",), ("reserves",), {
        "opening": ("opening", False), "opening reserves": ("opening", False), "opening balance": ("opening", False),
        "minimum": ("minimum", False), "minimum reserves": ("minimum", False),
        "use to balance": ("use_to_balance", False), "use reserves to balance": ("use_to_balance", False)}),
)


def normal(text) -> str:
    """A heading or name as compared: lower case, single spaces, no unit in brackets, no trailing colon."""
    import re

    words = re.sub(r"\([^)]*\)", " ", str(text)).replace("_", " ").replace(":", " ").strip().lower()
    return " ".join(words.split())


def find_layout(name: str, headings: set[str] = frozenset()):
    """The record or settings layout a sheet or CSV file name stands for, or None.

    Reserves come as a list (a header row naming the reserves' column, e.g. 'Reserve') or as the
    older key/value table (Item | Value); ``headings`` are the table's normalised cells of its
    first rows, which tell them apart.
    """
    key = normal(name)
    found = [layout for layout in LAYOUTS + SETTINGS if key == layout.name or key in (normal(a) for a in layout.aliases)]
    if len(found) > 1:
        records = [layout for layout in found if isinstance(layout, Layout) and set(layout.name_headings) & headings]
        found = records or [layout for layout in found if not isinstance(layout, Layout)]
    return found[0] if found else None


def table_names() -> str:
    names = dict.fromkeys(string.capwords(layout.name) for layout in LAYOUTS + SETTINGS)
    return ", ".join(names)
