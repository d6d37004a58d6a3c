"""Write an imported scenario as commented YAML an officer can read and edit.

Rates are written as percentages (``2.99%``), amounts as plain numbers, series by financial
year (``{2025/26: 3.2%, 2026/27: 3%}``) or as one value when every year is the same. Every
number is written in its shortest form that reads back as exactly the same float, so the
scenario runs to the same figures as the tables it came from. Each section has a comment
saying what it holds and each item one naming the sheet and row it was read from.
"""
from __future__ import annotations

import json
import textwrap
from typing import Any

import yaml

from mtfpmodel.scenario.series import parse_rate, year_labels

RATES = {"value", "demand", "tax_base_growth", "referendum_limit", "growth", "phasing", "unit_cost_growth",
         "reduction", "interest_rate", "discount_rate", "confidence", "pay_award", "drift", "vacancy", "base_rate",
         "rate", "index", "base_index", "cap", "collar", "borrowing_rate"}
NOT_RATES = {("contracts", "value")}                            # a contract's value is an amount
RATE_MAPPINGS = {"cost_mix", "increase", "rag_confidence", "grant_confidence", "pay_from"}   # every value a rate
AMOUNT_SERIES = {"amount", "saving", "implementation_cost", "values", "collection_fund", "contributions",
                 "planned_use", "borrowing", "grants", "capital_receipts", "revenue"}
HELD_UNDER = {"volume"}                     # every series in these mappings is held from year to year
FLOW = {"cost_mix", "increase", "rag_confidence", "grant_confidence", "pay_from", "volume"}   # one line each
ITEM_ORDER = ("name", "kind", "category", "group", "confidence", "certainty", "ring_fenced", "meets_gap", "base",
              "volume", "unit_cost", "periods_per_year", "cost_mix", "demand", "pay_from", "line", "component",
              "moves_from", "reduction", "phasing", "saving", "amount", "recurring", "unit_cost_from", "unit_cost_to",
              "unit_cost_growth", "value", "index", "lag", "base_index", "cap", "collar", "start", "end", "growth",
              "values", "ends", "opening", "minimum", "contributions", "planned_use", "use_to_balance", "council_tax",
              "business_rates", "borrowing", "grants", "capital_receipts", "revenue", "life", "interest_rate", "method",
              "implementation_cost", "funded_by", "capital", "tax_base", "band_d", "tax_base_growth",
              "increase", "referendum_limit", "collection_fund", "parish_precepts", "employer_ni", "employer_pension",
              "apprenticeship_levy", "base_rate", "base_threshold", "rate", "threshold", "allowance", "fte", "headcount",
              "average_salary", "pay_award", "drift", "vacancy", "groups", "borrowing_rate", "existing_debt_charges")
ORDER = ("scenario", "council", "description", "units", "base_year", "years", "assumptions", "expenditure",
         "workforce", "contracts", "pressures", "funding", "reserves", "savings", "capital_financing",
         "capital_programme", "rag_confidence", "grant_confidence", "discount_rate")
SECTIONS = {
    "assumptions": "Assumptions: rates by year [% a year], each with the evidence for it.",
    "expenditure": "Budget lines: base-year budget, cost mix (shares inflated by each assumption; they add up\n"
                   "to 100%) and demand growth [% a year].",
    "pressures": "Cost pressures: new cost arising in each year, not inflated; recurring unless 'recurring: false'.",
    "funding": "Funding: council tax (tax base in Band D equivalents, Band D in £), business rates, grants.",
    "reserves": "Reserves: opening balance, the minimum level, whether each meets a gap the plan leaves, and the\n"
                "plan for each (contributions are spending; planned use is one-off funding).",
    "workforce": "The workforce: employer on-costs by year and the pay groups that budget lines carry (pay_from).",
    "contracts": "Indexed contracts, each part of its line's base budget: index, lag, cap and collar.",
    "capital_financing": "Capital financing: the rate new borrowing is taken at, and the old debt's charges.",
    "capital_programme": "Capital programme: each scheme's spend by financing source [unit], asset life and MRP method.",
    "grant_confidence": "Share of each grant counted in the risk-adjusted gap, by its certainty.",
    "savings": "Savings streams: kind, confidence (RAG or a share), amounts or shares by year, one-off costs, capital.",
    "rag_confidence": "Confidence counted for each RAG rating in the risk-adjusted gap.",
}


def percent_text(value: float) -> str:
    """Shortest 'x%' that reads back as exactly ``value`` (else the plain fraction)."""
    for digits in range(1, 18):
        text = f"{value * 100:.{digits}g}"
        if "e" not in text and float(text) / 100 == value:
            return f"{text}%"
    return repr(float(value))


def number_text(value: float) -> str:
    """An amount: '78000', '-30000', '1968.5' — exact."""
    if isinstance(value, bool):
        return "true" if value else "false"
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def text(value: str) -> str:
    """A YAML scalar for text: plain where it reads back the same, else double-quoted."""
    plain = str(value)
    if plain and plain == plain.strip() and plain[0] not in "-?:,[]{}#&*!|>'\"%@`" \
            and ": " not in plain and " #" not in plain and not plain.endswith(":"):
        try:
            if yaml.safe_load(f"k: {plain}") == {"k": plain}:
                return plain
        except yaml.YAMLError:
            pass
    return json.dumps(plain, ensure_ascii=False)


def folded(value: str, indent: int) -> list[str] | None:
    """A long one-line text as a folded block (``>-``) wrapped at 100 columns, if it folds back exactly."""
    if len(value) < 80 or "\n" in value or "  " in value or value != value.strip() or "\t" in value:
        return None
    glue = "\x1f"                                       # keeps "row 12" on one line
    lines = textwrap.wrap(value.replace(" row ", f" row{glue}"), width=max(40, 100 - indent),
                          break_long_words=False, break_on_hyphens=False)
    lines = [line.replace(glue, " ") for line in lines]
    return lines if " ".join(lines) == value else None


class Writer:
    def __init__(self, labels: tuple[str, ...]):
        self.labels = labels
        self.lines: list[str] = []

    def scalar(self, key: str, value: Any, parent: str | None) -> str:
        """One value of ``key`` (inside ``parent``), formatted for its kind."""
        rate = (key in RATES and (parent, key) not in NOT_RATES) or parent in RATE_MAPPINGS
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return self.series(key, value, rate, held=parent in HELD_UNDER)
        if isinstance(value, dict) and _year_mapping(value):
            if list(value) == list(self.labels) and len({repr(v) for v in value.values()}) == 1:
                return self.one(key, next(iter(value.values())), rate)      # every year the same: one value
            return "{" + ", ".join(f"{k}: {self.one(key, v, rate)}" for k, v in value.items()) + "}"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {self.scalar(k, v, key)}" for k, v in value.items()) + "}"
        if isinstance(value, (int, float)):
            return percent_text(value) if rate else number_text(value)
        if rate and _percentage(value):            # '3.2%' typed in a CSV: written the same way, unquoted
            return percent_text(parse_rate(value))
        if isinstance(value, str) and key in ("base_year", "units"):
            return json.dumps(value, ensure_ascii=False)
        return text(value)

    def one(self, key: str, value: Any, rate: bool) -> str:
        """One year's value of a series."""
        if rate and isinstance(value, (int, float)) and not isinstance(value, bool):
            return percent_text(value)
        if rate and _percentage(value):
            return percent_text(parse_rate(value))
        return "null" if value is None else self.scalar(key, value, None)

    def series(self, key: str, values: list, rate: bool, held: bool = False) -> str:
        """T values as one value (all the same) or a mapping by financial year (an amount's zero years left out,
        a held series — volumes — with every year)."""
        def one(v):
            return self.one(key, v, rate)

        if len(values) != len(self.labels) or any(isinstance(v, (str, bool)) or v is None for v in values):
            return "[" + ", ".join(one(v) for v in values) + "]"
        if all(v == values[0] for v in values):
            return one(values[0])
        pairs = list(zip(self.labels, values))
        if key in AMOUNT_SERIES and not held:
            pairs = [(label, v) for label, v in pairs if v != 0]
        return "{" + ", ".join(f"{label}: {one(v)}" for label, v in pairs) + "}"

    def block(self, key: str, value: Any, indent: int, parent: str | None, rows: dict, steps: tuple) -> None:
        pad = " " * indent
        if isinstance(value, dict) and key not in FLOW and not _year_mapping(value):
            self.lines.append(f"{pad}{key}:")
            for k, v in (value.items() if key == "assumptions" else _ordered(value)):
                if _commented(rows, steps + (k,), v):
                    self.lines.append(f"{pad}  # {rows[steps + (k,)]}")
                self.block(k, v, indent + 2, key, rows, steps + (k,))
        elif isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
            self.lines.append(f"{pad}{key}:")
            for item in value:
                here = steps + ((item["name"],),)
                if here in rows and "source" not in item:
                    self.lines.append(f"{pad}  # {rows[here]}")
                first = True
                for k, v in _ordered(item):
                    self.block(k, v, indent + 4, key, rows, here + (k,))
                    if first:
                        self.lines[-1] = f"{pad}  - {self.lines[-1].lstrip()}"
                        first = False
        elif key == "years" and parent is None:
            self.lines.append(f"{pad}{key}: {value}   # {self.labels[0]} to {self.labels[-1]}")
        elif isinstance(value, str) and (lines := folded(value, indent + 2)):
            self.lines.append(f"{pad}{key}: >-")
            self.lines += [f"{pad}  {line}" for line in lines]
        else:
            self.lines.append(f"{pad}{key}: {self.scalar(key, value, parent)}")


def _percentage(value: Any) -> bool:
    try:
        return isinstance(value, str) and value.strip().endswith("%") and parse_rate(value) is not None
    except ValueError:
        return False


def _ordered(item: dict) -> list:
    """An item's keys in the order the reference lists them: name first, source last."""
    rank = {key: n for n, key in enumerate(ITEM_ORDER)}
    return sorted(item.items(), key=lambda kv: (kv[0] == "source", rank.get(kv[0], len(rank))))


def _year_mapping(value: dict) -> bool:
    return bool(value) and all(isinstance(k, str) and len(k) == 7 and k[4] == "/" for k in value)


def scenario_yaml(data: dict, rows: dict, origin: str, read: list[str]) -> str:
    """The commented YAML text of an imported scenario."""
    labels = year_labels(data["base_year"], data.get("years", 4)) if "base_year" in data else ()
    writer = Writer(labels)
    writer.lines += [
        f"# Scenario imported with `mtfp import` from {origin}.",
        *(f"#   read: {', '.join(read[i:i + 4])}" for i in range(0, len(read), 4)),
        f"# Amounts are in {data.get('units', '£000')} except Band D (£) and unit costs (£ per period); "
        "rates are % a year.",
        "# Each item's source: says where it was read from. Check the figures, then:",
        "#   mtfp validate THIS_FILE && mtfp run THIS_FILE",
        "",
    ]
    keys = [k for k in ORDER if k in data] + [k for k in data if k not in ORDER]
    for key in keys:
        if key in SECTIONS:
            writer.lines.append("")
            writer.lines += [f"# {line}" for line in SECTIONS[key].splitlines()]
        if _commented(rows, (key,), data[key]):
            writer.lines.append(f"# {rows[(key,)]}")
        writer.block(key, data[key], 0, None, rows, (key,))
    return "\n".join(writer.lines).replace("\n\n\n", "\n\n").rstrip() + "\n"


def _commented(rows: dict, steps: tuple, value: Any) -> bool:
    """Whether the item at ``steps`` gets a comment saying where it was read from: it has a row,
    and it is not a mapping with a ``source:`` of its own (which says so already)."""
    return steps in rows and not (isinstance(value, dict) and "source" in value)
