"""What every explainer shares: the Explanation it returns and the run it reads (draw 0)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mtfpmodel.engine.inputs import Inputs
from mtfpmodel.engine.parameters import funding_sources
from mtfpmodel.results.capital import EXISTING, plan_lines
from mtfpmodel.results.result import Result
from mtfpmodel.results.tables import grant_name
from mtfpmodel.scenario.units import figure, percent


@dataclass(frozen=True)
class Explanation:
    """One figure: value, equation in words, the same with numbers, and figures to drill into."""

    path: str
    value: float
    unit: str
    equation: str
    working: tuple[str, ...]
    terms: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Context:
    result: Result
    inputs: Inputs

    @property
    def r(self):
        return self.result.results

    def money(self, value: float) -> str:
        return figure(value, 1 if self.result.units == "£m" else 0)

    def year(self, t: int) -> str:
        return self.result.labels[t]


def summary_value(ctx: Context, column: str, t: int) -> float:
    """The summary's ``column`` in year t, as the run has it (draw 0) [scenario unit or fraction]."""
    return float(np.broadcast_to(getattr(ctx.r, column), ctx.r.net_gap.shape)[0, t])


def summary_path(column: str, ctx: Context, t: int) -> str:
    """The path of the summary's ``column`` in year t, e.g. ``summary.net_gap[2026/27]``."""
    return f"summary.{column}[{ctx.year(t)}]"


def pct(value: float) -> str:
    """A rate in the working, to two decimal places: 0.0299 as 2.99%."""
    return percent(value, 2)


def one_plus(value: float) -> str:
    """'1 + 2.99%', or '1 − 5.00%' for a fall (never '1 + -5.00%')."""
    text = pct(value)
    return f"1 − {text[1:]}" if text.startswith("-") else f"1 + {text}"


def sum_lines(ctx: Context, parts: list[tuple[str, float]], total: float) -> tuple[str, ...]:
    """Working for a sum: inline when short, else one line per part; a sum of nothing says so, and
    a sum of one part is not said twice ('= 10', not '= 10 = 10')."""
    if not parts:
        return (f"= {ctx.money(total)} (none in the plan)",)
    if len(parts) == 1:
        return (f"= {ctx.money(total)}",)
    if len(parts) <= 4:
        return (f"= {' + '.join(ctx.money(v) for _, v in parts)} = {ctx.money(total)}",)
    width = max(len(name) for name, _ in parts)
    rows = tuple(f"  {name:<{width}}  {ctx.money(v):>12}" for name, v in parts)
    return rows + (f"  {'total':<{width}}  {ctx.money(total):>12}",)


def item_names(result: Result, key: tuple[str, str]) -> list[str | None]:
    """The item names of figures ``key`` = (table, field): [None] for the summary."""
    scenario = result.scenario
    table, name = key
    if table == "summary":
        return [None]
    if table == "lines":
        return [line.name for line in scenario.expenditure] + [n for n, _ in plan_lines(result.results, scenario)]
    if table == "capital":
        return capital_item_names(scenario, name)
    if table == "pressures":
        return [p.name for p in scenario.pressures]
    if table == "savings":
        return [s.name for s in scenario.savings]
    if table == "reserves":
        return [r.name for _, r in scenario.reserve_list]
    if table == "workforce":
        return [g.name for g in scenario.workforce.groups] if scenario.workforce else []
    if table == "contracts":
        return [c.name for c in scenario.contracts]
    if name in ("tax_base", "band_d"):
        return ["council_tax"]
    return ["council_tax"] + [source_name(prefix) for prefix, _ in funding_sources(scenario)]


def capital_item_names(scenario, field: str) -> list[str]:
    """Schemes that have figure ``field`` in capital.csv (and Existing debt for its debt charges)."""
    names = [s.name for s in scenario.capital_programme]
    financing = scenario.capital_financing
    if field == "debt_charges" and financing is not None and financing.existing_debt_charges is not None:
        names.append(EXISTING)
    return names


def source_name(prefix: str) -> str:
    return "business_rates" if prefix == "funding.business_rates" else grant_name(prefix)
