"""How a figure is made up: its equation with the numbers, and the figures it is made of.

A figure is addressed like the CSV it appears in: ``summary.<column>[year]``,
``lines[<line>].cost[year]``, ``pressures[<pressure>].level[year]``,
``funding[<source>].amount[year]`` (``council_tax``, ``business_rates`` or a grant; also
``funding[council_tax].tax_base[year]`` and ``.band_d[year]``),
``workforce[<group>].<pay_bill|employer_ni|employer_pension|apprenticeship_levy|total_cost>[year]``,
``contracts[<contract>].cost[year]``,
``savings[<stream>].<gross_saving|financing_cost|implementation_cost|net_saving>[year]``,
``reserves[<reserve>].<opening|contributions|planned_use|implementation_costs|unplanned_use|surplus_added|closing>[year]``
and ``capital[<scheme>].<debt_charges|mrp|interest|revenue>[year]`` (see :mod:`.capital`; the plan's
capital lines are ``lines[Capital financing (MRP and interest)].cost[year]`` and
``lines[Revenue contributions to capital].cost[year]``).
Each explainer reads the engine's own arrays (draw 0), so every number shown is the one the
run produced; ``terms`` name the figures to drill into next.
"""
from __future__ import annotations

import difflib
import re
from typing import Callable

from mtfpmodel.analysis.explain.capital import CAPITAL_HANDLERS
from mtfpmodel.analysis.explain.context import Context, Explanation, item_names
from mtfpmodel.analysis.explain.items import ITEM_HANDLERS
from mtfpmodel.analysis.explain.reserves import RESERVE_HANDLERS
from mtfpmodel.analysis.explain.lines import LINE_HANDLERS
from mtfpmodel.analysis.explain.summary import SUMMARY_HANDLERS
from mtfpmodel.engine.inputs import build_inputs
from mtfpmodel.results.result import Result
from mtfpmodel.scenario.errors import AnalysisError, UsageError

__all__ = ["Explanation", "all_paths", "explain", "explain_tree"]

_PATH = re.compile(r"^(?P<table>\w+)(?:\[(?P<item>[^\]]+)\])?\.(?P<field>\w+)\[(?P<year>[^\]]+)\]$")
_HANDLERS: dict[tuple[str, str], Callable] = {**SUMMARY_HANDLERS, **LINE_HANDLERS, **ITEM_HANDLERS, **RESERVE_HANDLERS,
                                                 **CAPITAL_HANDLERS}


def explain(result: Result, path: str) -> Explanation:
    """Explain the figure at ``path``; UsageError (the command line's PATH) naming the closest path
    if there is none."""
    ctx = Context(result, build_inputs(result.scenario))
    match = _PATH.match(path.strip())
    key = (match["table"], match["field"]) if match else None
    handler = _HANDLERS.get(key) if key else None
    if match and handler and match["year"] in result.labels and (match["item"] or None) in item_names(result, key):
        t = result.labels.index(match["year"])
        if t > 0 or key[0] != "summary":
            return handler(ctx, match["item"], t, path.strip())
    close = difflib.get_close_matches(path.strip(), all_paths(result), n=1, cutoff=0.4)
    hint = f"did you mean '{close[0]}'?" if close else "see 'mtfp explain --help' for the figures that can be explained"
    raise UsageError(f"no figure '{path}' in this plan ({hint})")


def explain_tree(result: Result, path: str, depth: int = 2) -> list[tuple[int, Explanation]]:
    """The figure and, ``depth`` levels down, the non-zero figures it is made of (each once)."""
    out: list[tuple[int, Explanation]] = []
    seen: set[str] = set()

    def visit(p: str, level: int) -> None:
        if p in seen:
            return
        seen.add(p)
        item = explain(result, p)
        out.append((level, item))
        if level < depth:
            for term in item.terms:
                if explain(result, term).value != 0.0:   # a zero term has nothing to show
                    visit(term, level + 1)
    visit(path, 0)
    return out


def all_paths(result: Result) -> list[str]:
    """Every path ``explain`` accepts for ``result``."""
    paths = []
    for key in _HANDLERS:
        for item in item_names(result, key):
            years = result.labels[1:] if key[0] == "summary" else result.labels
            where = f"[{item}]" if item else ""
            paths += [f"{key[0]}{where}.{key[1]}[{y}]" for y in years]
    return paths
