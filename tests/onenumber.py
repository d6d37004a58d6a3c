"""Reading the places a figure of the plan appears in, for test_one_number_plans.py: the shown
text of a cell or card as a number with its rounding, and the CSV figure behind each row of the
terminal's and the pack's tables (:class:`Truth`, and the row functions below)."""
from __future__ import annotations

import html as htmllib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import mtfpmodel
from mtfpmodel.outputs.terminal import ROWS as MTFP_ROWS

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
CASES = {"durham": ("durham.yaml", None), "example": ("example.yaml", None), "durham-real": ("durham.yaml", "prices")}
NOT_IN_A_CSV = ("workforce-rates", "assumptions-table", "demand-table", "sensitivity-table", "sensitivity-grid",
                "scenarios-table", "risk-table", "reserves-needed-table", "sobol-table", "options-table")
YEAR = re.compile(r"^(\d{4}/\d{2})")


@dataclass
class Plan:
    name: str
    scenario: object
    csv: dict[str, pd.DataFrame]
    terminal: str
    html: str
    tables: dict[str, list[list[str]]]
    out: Path
    real: bool
    cash: dict[str, pd.DataFrame]           # the cash CSVs (the same as ``csv`` for a plan in cash)
    checked: dict[str, int] = field(default_factory=dict)     # place → figures compared

    @property
    def years(self) -> list[str]:
        return list(self.csv["summary"]["year"])

    @property
    def labels(self) -> list[str]:
        return [self.scenario.base_year, *self.years]



# --- reading a shown figure ---------------------------------------------------------------

def shown(text: str, unit: str = "£000") -> tuple[float, float] | None:
    """(value, half the last digit shown) of a table cell or card; None for words; NaN for '–'.
    Cards are '£14.5m', '£397k', '£250': converted to the scenario unit."""
    t = text.strip()
    if t in ("–", ""):
        return math.nan, 0.0
    negative = t.startswith("(") and t.endswith(")")
    t = t.strip("()").replace("£", "").replace(",", "")
    scale, percent = 1.0, t.endswith("%")
    if t[-1:] in ("m", "k"):
        scale = {"m": 1e6, "k": 1e3}[t[-1]] / {"£": 1, "£000": 1e3, "£m": 1e6}[unit]
        t = t[:-1]
    t = t.rstrip("%")
    if not re.fullmatch(r"-?\d+(\.\d+)?", t):
        return None
    decimals = len(t.split(".")[1]) if "." in t else 0
    value = float(t) * (-1 if negative else 1)
    if percent:
        return value / 100, 0.5 * 10 ** -(decimals + 2)
    return value * scale, 0.5 * 10 ** -decimals * scale


def agree(plan: Plan, place: str, what: str, text: str, truth: float | str | None) -> None:
    """``text`` shows ``truth`` (a CSV figure, or words such as 'yes'); None: no CSV holds it."""
    if truth is None:
        return
    if isinstance(truth, str):
        assert text == truth, f"{place}: {what}: {text!r}, expected {truth!r}"
        plan.checked[place] = plan.checked.get(place, 0) + 1
        return
    got = shown(text, plan.scenario.units)
    assert got is not None, f"{place}: {what}: {text!r} is not a figure"
    value, tolerance = got
    if math.isnan(value) or math.isnan(truth):
        assert math.isnan(value) and math.isnan(truth), f"{place}: {what}: {text!r} vs {truth}"
    else:
        assert abs(value - truth) <= tolerance + 1e-9 * abs(truth), f"{place}: {what}: shows {text}, the CSV {truth}"
    plan.checked[place] = plan.checked.get(place, 0) + 1


# --- the CSV figures, by what a row means --------------------------------------------------

class Truth:
    """The CSV figure behind a row of a table, for a year (base year or projection year)."""

    def __init__(self, plan: Plan):
        self.plan, self.csv, self.s = plan, plan.csv, plan.scenario
        self.summary = plan.csv["summary"].set_index("year")
        self.ring_fenced = {r.name for _, r in self.s.reserve_list if r.ring_fenced}
        self.capital_lines = set(plan.csv["lines"]["line"]) - {line.name for line in self.s.expenditure}

    def summary_(self, column: str, year: str) -> float:
        if year == self.plan.labels[0]:
            if column == "closing_reserves":
                first = self._reserves(self.plan.years[0], self.plan.cash)
                return float(first[~first["reserve"].isin(self.ring_fenced)]["opening"].sum())
            if column == "net_expenditure":
                return float(self.csv["lines"][self.csv["lines"]["year"] == year]["cost"].sum())
            if column == "funding":
                return float(self.csv["funding"][self.csv["funding"]["year"] == year]["amount"].sum())
            if column == "usable_reserves_pct":
                return self.summary_("closing_reserves", year) / self.summary_("net_expenditure", year)
            return math.nan
        return float(self.summary.loc[year, column])

    def _reserves(self, year: str, csv: dict | None = None) -> pd.DataFrame:
        frame = (csv or self.csv)["reserves"]
        return frame[frame["year"] == year]

    def reserves_total(self, column: str, year: str) -> float:
        return math.nan if year == self.plan.labels[0] else float(self._reserves(year)[column].sum())

    def reserve(self, name: str, column: str, year: str) -> float:
        """A reserve's figure in reserves.csv; in the base year its opening balance (in cash: the
        base year's prices are cash, while reserves_real.csv deflates 2025/26's opening by 2025/26's prices)."""
        csv = None
        if year == self.plan.labels[0]:
            column, year, csv = "opening", self.plan.years[0], self.plan.cash
        frame = self._reserves(year, csv)
        return float(frame[frame["reserve"] == name][column].iloc[0])

    def council_tax(self, column: str, year: str) -> float:
        table = self.csv["council_tax"].set_index("year")
        return float(table.loc[year, column])

    def line(self, name: str, column: str, year: str) -> float:
        lines = self.csv["lines"]
        return float(lines[(lines["line"] == name) & (lines["year"] == year)][column].iloc[0])

    def lines_sum(self, column: str, year: str, group: str | None = None) -> float:
        lines = self.csv["lines"]
        rows = lines[(lines["year"] == year) & ~lines["line"].isin(self.capital_lines)]
        if group is not None:
            rows = rows[rows["group"] == group]
        return float(rows[column].sum())

    def pressures(self, year: str) -> float:
        """Net expenditure less the lines (budget and capital) and the contributions to reserves."""
        if year == self.plan.labels[0]:
            return 0.0
        lines = self.csv["lines"]
        return (self.summary_("net_expenditure", year) - float(lines[lines["year"] == year]["cost"].sum())
                - self.summary_("reserve_contributions", year))

    def funding(self, label: str, year: str) -> float:
        frame = self.csv["funding"]
        return float(frame[(frame["label"] == label) & (frame["year"] == year)]["amount"].iloc[0])

    def grant_share(self, name: str) -> float:
        return self.s.grant_share(next(g for g in self.s.funding.grants if g.name == name))

    def held_back(self, year: str) -> float:
        """The grants' part of the risk-adjusted gap: risk-adjusted net gap − net gap − the savings
        not counted (1 − confidence) × net saving (summary.csv, savings.csv, streams.csv)."""
        savings = self.csv["savings"][self.csv["savings"]["year"] == year].set_index("stream")["net_saving"]
        confidence = self.csv["streams"].set_index("stream")["confidence"]
        doubt = float(((1 - confidence.loc[savings.index]) * savings).sum())
        return self.summary_("risk_adjusted_net_gap", year) - self.summary_("net_gap", year) - doubt

    def workforce(self, group: str | None, column: str, year: str) -> float:
        frame = self.csv["workforce"]
        rows = frame[frame["year"] == year]
        return float((rows if group is None else rows[rows["group"] == group])[column].sum())

    def contract(self, name: str, column: str, year: str) -> float:
        frame = self.csv["contracts"]
        return float(frame[(frame["contract"] == name) & (frame["year"] == year)][column].iloc[0])

    def capital(self, key: str, year: str) -> float:
        frame = self.csv["capital"]
        rows = frame[frame["year"] == year]
        schemes = rows[rows["scheme"] != "Existing debt"]
        if key == "existing_debt_charges":
            return float(rows[rows["scheme"] == "Existing debt"]["debt_charges"].sum())
        if key in ("capital_financing", "revenue_contributions"):
            name = {"capital_financing": "Capital financing (MRP and interest)",
                    "revenue_contributions": "Revenue contributions to capital"}[key]
            return self.line(name, "cost", year) if name in self.capital_lines else float(schemes["revenue"].sum())
        return float(schemes[key].sum())

    def scheme(self, name: str, year: str) -> float:
        frame = self.csv["capital"]
        return float(frame[(frame["scheme"] == name) & (frame["year"] == year)]["spend"].iloc[0])

    def saving(self, stream: str, year: str) -> float:
        frame = self.csv["savings"]
        return float(frame[(frame["stream"] == stream) & (frame["year"] == year)]["net_saving"].iloc[0])

    def risk_adjusted_savings(self, year: str) -> float:
        savings = self.csv["savings"][self.csv["savings"]["year"] == year].set_index("stream")["net_saving"]
        confidence = self.csv["streams"].set_index("stream")["confidence"]
        return float((confidence.loc[savings.index] * savings).sum())


MTFP = {label.strip(): key for label, key in MTFP_ROWS}
STATEMENT = {"Contributions to reserves": ("summary", "reserve_contributions"),
             "Planned use of reserves": ("summary", "planned_reserves_use"),
             "Unplanned use of reserves": ("summary", "unplanned_reserves_use"),
             "Implementation costs met from reserves": ("reserves", "implementation_costs"),
             "Surplus added to reserves": ("reserves", "surplus_added"),
             "Total usable reserves": ("summary", "closing_reserves"),
             "Minimum reserves": ("summary", "minimum_reserves"),
             "Usable reserves, % of net expenditure": ("summary", "usable_reserves_pct")}
COUNCIL_TAX = {   # terminal label, pack label → council_tax.csv column
    "Tax base (Band D equivalents)": "tax_base", "Band D brought forward": "band_d_brought_forward",
    "Band D brought forward (£)": "band_d_brought_forward", "Band D": "band_d", "Band D (£)": "band_d",
    "Increase (%)": "band_d_increase_pct", "Increase in Band D (%)": "band_d_increase_pct",
    "Increase, £ a year": "band_d_increase", "Increase, £ a year (Band D)": "band_d_increase",
    "Increase, £ a week (Band D)": "band_d_increase_per_week", "Increase, £ a week (Band A)": "band_a_increase_per_week",
    "Referendum limit (%)": "referendum_limit", "Band D at 2024/25 prices": "band_d_real",
    "Band D at 2024/25 prices (£)": "band_d_real"}
MONEY_TAX = {"Yield": "yield", "Collection fund": "collection_fund", "Council tax income at": "council_tax_real",
             "Council tax income": "council_tax", "Parish precepts": "parish_precepts",
             "average parish Band D": "parish_band_d", "Average parish Band D": "parish_band_d"}
CAPITAL = {"Capital spend": "spend", "financed by borrowing": "borrowing", "financed by grants": "grants",
           "financed by capital receipts": "capital_receipts", "financed from revenue": "revenue",
           "MRP on new borrowing": "mrp", "Interest on new borrowing": "interest",
           "Existing debt charges": "existing_debt_charges", "Capital financing (MRP and interest)": "capital_financing",
           "Revenue contributions to capital": "revenue_contributions",
           "New borrowing outstanding (CFR)": "capital_financing_requirement"}
WORKFORCE = {"pay bill": "pay_bill", "employer ni": "employer_ni", "employer pension": "employer_pension",
             "apprenticeship levy": "apprenticeship_levy", "average salary, with pay awards (£)": "average_salary",
             "total": "total_cost"}


def statement_row(t: Truth, label: str, year: str) -> float:
    """A row of the reserves statement (terminal and pack)."""
    if label.startswith("Minimum") and year == t.plan.labels[0]:
        return None                     # the base year's minimum is in no CSV (summary.csv starts a year later)
    if label in STATEMENT:
        table, column = STATEMENT[label]
        return t.summary_(column, year) if table == "summary" else t.reserves_total(column, year)
    if label == "Minimum, % of net expenditure":
        return t.summary_("minimum_reserves", year) / t.summary_("net_expenditure", year)
    return t.reserve(label.removesuffix(" (ring-fenced)"), "closing", year)


def council_tax_row(t: Truth, label: str, year: str) -> float | str:
    """A row of the council tax table: a column of council_tax.csv (a part's rise by its name), or
    'yes'/'no' for the referendum check."""
    label = label.lstrip("+ ").strip()
    band = re.fullmatch(r"Band ([A-H])( \(\d+/9 of Band D\))?", label)
    if band:
        return t.council_tax("band_d" if band.group(1) == "D" else f"band_{band.group(1).lower()}", year)
    if label in COUNCIL_TAX:
        return t.council_tax(COUNCIL_TAX[label], year)
    part = re.fullmatch(r"(.+?)(?: increase)? \((%|£)\)", label)
    if part and part.group(1).lower().replace(" ", "_") in t.s.funding.council_tax.increase:
        name = part.group(1).lower().replace(" ", "_")
        return t.council_tax(f"increase_{name}" + ("_pct" if part.group(2) == "%" else ""), year)
    if label == "Rise within the referendum limit":
        table = t.csv["council_tax"].set_index("year")
        if year == t.plan.labels[0]:
            return "–"
        total = sum(table.loc[year, f"increase_{p}_pct"] for p in t.s.funding.council_tax.increase)
        return "yes" if total <= table.loc[year, "referendum_limit"] + 1e-12 else "no: above"
    for start, column in MONEY_TAX.items():
        if label.startswith(start):
            return t.council_tax(column, year)
    raise KeyError(label)


def lines_row(t: Truth, label: str, year: str) -> float:
    """A row of the budget lines tables (terminal and pack) and the pack's 'What the lines add up to'."""
    s = t.s
    if label in {line.name for line in s.expenditure} | t.capital_lines:
        return t.line(label, "cost", year)
    groups = {line.group for line in s.expenditure if line.group}
    if label.startswith("Total ") and label[6:] in groups:
        return t.lines_sum("cost", year, label[6:])
    if label == "Total budget lines":
        return t.lines_sum("cost", year)
    if label.startswith("of which workforce") or label == "Carried by budget lines (pay_from)":
        return t.lines_sum("workforce", year)
    if label.startswith(("of which contracts", "of which indexed contracts", "Total indexed contracts")):
        return t.lines_sum("contracts", year)
    if label.lower().startswith("contractual inflation"):
        return t.lines_sum("contractual_inflation", year)
    if label in ("Pressures", "Total pressures"):
        return t.pressures(year)
    if label == "Contributions to reserves":
        return 0.0 if year == t.plan.labels[0] else t.summary_("reserve_contributions", year)
    if label == "Net expenditure":
        return t.summary_("net_expenditure", year)
    raise KeyError(label)


# --- the terminal ------------------------------------------------------------------------

def terminal_tables(text: str) -> dict[str, list[tuple[str, list[str]]]]:
    """The printed tables by title: rows of (label, cells); headings without cells kept as rows."""
    titles = {"Budget gap and how it is met": "gap", "Reserves statement": "statement", "Council tax": "council_tax",
              "Capital programme and its financing": "capital"}
    found: dict[str, list] = {}
    name, rows = None, None
    for line in text.splitlines():
        bare = line.strip()
        if not bare:
            name = None
            continue
        title = next((v for k, v in titles.items() if bare.startswith(k)), None)
        if title and name is None:
            name = title
            continue
        if name is None and (bare.startswith("(") or bare.startswith(("Budget lines (", "Workforce ("))):
            name = "mtfp" if "mtfp" not in found else "lines" if bare.startswith("Budget lines") else "workforce"
        if name is None or set(bare) <= {"-", " "}:
            continue
        if name not in found:
            found[name] = rows = []
            rows.append(("header", [YEAR.match(c).group(1) if YEAR.match(c) else c
                                    for c in re.split(r"\s{2,}", bare)[1:]]))
            continue
        if line.startswith(" " * 10):           # a status wrapped onto a second line
            continue
        parts = re.split(r"\s{2,}", bare)
        found[name].append((parts[0], parts[1:]))
    return found



# --- the pack's tables ----------------------------------------------------------------------

def pack_row(t: Truth, table: str, title: str, group: str | None, label: str, column: str, previous: str):
    """The CSV figure behind one cell of a pack table (``title`` heads its label column)."""
    year = column
    if table == "mtfp-table":
        return None if label == "Status" else t.summary_(MTFP[label], year)
    if table.startswith("gap-table"):
        return float(t.csv["gap_table"].set_index("item").loc[label, year])
    if table.startswith("funding-table"):
        return t.summary_("funding", year) if label == "Total funding" else t.funding(label, year)
    if table in ("council-tax-table", "council-tax-bands"):
        return council_tax_row(t, label, year)
    if table.startswith("grant-risk-table"):
        if label == "Total held back in the risk-adjusted gap":
            return t.held_back(year)
        if label.startswith("held back:"):
            return (1 - t.grant_share(previous)) * t.funding(previous, year)
        return t.funding(label, year)
    if table.startswith(("lines-table", "lines-total-table", "pressures-table")):
        if table.startswith("pressures-table") and label != "Total pressures":
            return explained(t.plan, f"pressures[{label}].level[{year}]")
        return lines_row(t, label, year)
    if table.startswith(("workforce-table", "workforce-total")):
        if label.startswith("Carried"):
            return lines_row(t, label, year)
        who = None if title.startswith("All pay groups") or label == "Total workforce" else \
            re.sub(r" \(£[^)]*\)$", "", title)
        return t.workforce(who, WORKFORCE["total" if label.startswith("Total") else label.lower()], year)
    if table.startswith("contracts-table"):
        if label == "uplift (%)":
            return math.nan if year == t.plan.labels[0] else t.contract(previous, "uplift", year)
        if label.startswith(("Total", "Contractual")):
            return lines_row(t, label, year)
        return t.contract(label, "cost", year)
    if table.startswith("capital-table"):
        return None if label.startswith("Borrowing rate") else t.capital(CAPITAL[label], year)
    if table.startswith("capital-schemes"):
        return t.capital("spend", year) if label == "Total capital spend" else t.scheme(label, year)
    if table.startswith("savings-table"):
        if column in ("RAG", "Confidence"):
            return None if column == "RAG" or label.startswith(("Total", "Risk")) else float(
                t.csv["streams"].set_index("stream").loc[label, "confidence"])
        if label == "Total savings":
            return t.summary_("savings", year)
        if label.startswith("Risk-adjusted"):
            return t.risk_adjusted_savings(year)
        return t.saving(label, year)
    if table.startswith("reserves-table"):
        return statement_row(t, label, year)
    if table.startswith("reserve-movements"):
        column = {"Opening balance": "opening", "Contributions": "contributions", "Planned use": "planned_use",
                  "Implementation costs met": "implementation_costs", "Unplanned use (meeting the gap)": "unplanned_use",
                  "Surplus added": "surplus_added", "Closing balance": "closing"}[label]
        return t.reserve(group, column, year)
    raise KeyError(table)


_EXPLAINED: dict[tuple[str, str], float] = {}


def explained(plan: Plan, path: str) -> float:
    """A figure of the plan as ``mtfp explain`` gives it (for figures no CSV holds: pressures)."""
    from mtfpmodel.analysis.explain import explain

    key = (plan.name, path)
    if key not in _EXPLAINED:
        result = mtfpmodel.run(SCENARIOS / CASES[plan.name][0])
        _EXPLAINED[key] = explain(result.in_real_terms(CASES[plan.name][1]) if plan.real else result, path).value
    return _EXPLAINED[key]


def check_pack_tables(plan: Plan, tables: dict[str, list[list[str]]], place: str) -> None:
    t = Truth(plan)
    for table, rows in tables.items():
        if table.startswith(NOT_IN_A_CSV):
            continue
        header = rows[0]
        columns = [YEAR.match(h).group(1) if YEAR.match(h) else h for h in header[1:]]
        group, previous = None, ""
        for row in rows[1:]:
            label, cells = row[0], row[1:]
            if all(c == "" for c in cells):     # a heading row inside the table
                group = label
                continue
            for column, text in zip(columns, cells):
                agree(plan, place, f"{table}: {label} {column}", text,
                      pack_row(t, table, header[0], group, label, column, previous))
            previous = label


def cards(page: str) -> dict[str, str]:
    return {htmllib.unescape(k): htmllib.unescape(v) for k, v in
            re.findall(r'<div class="label">([^<]+)</div><div class="value">([^<]+)</div>', page)}




def explain_truth(t: Truth, path: str) -> float | None:
    """The CSV figure for an explain path (None for figures no CSV holds: pressure levels)."""
    match = re.fullmatch(r"(\w+)(?:\[(.+)\])?\.(\w+)\[(.+)\]", path)
    table, item, column, year = match.groups()
    if table == "summary":
        return t.summary_(column, year)
    if table == "lines":
        return t.line(item, "cost", year)
    if table == "funding":
        if column in ("tax_base", "band_d"):
            return t.council_tax(column, year)
        frame = t.csv["funding"]
        return float(frame[(frame["source"] == item) & (frame["year"] == year)]["amount"].iloc[0])
    if table == "workforce":
        return t.workforce(item, column, year)
    if table == "contracts":
        return t.contract(item, column, year)
    if table in ("savings", "reserves") and year == t.plan.labels[0]:
        return None                         # savings.csv and reserves.csv cover the projection years
    if table == "savings":
        frame = t.csv["savings"]
        return float(frame[(frame["stream"] == item) & (frame["year"] == year)][column].iloc[0])
    if table == "reserves":
        frame = t.csv["reserves"]
        return float(frame[(frame["reserve"] == item) & (frame["year"] == year)][column].iloc[0])
    if table == "capital":
        frame = t.csv["capital"]
        return float(frame[(frame["scheme"] == item) & (frame["year"] == year)][column].iloc[0])
    return None
