"""Results as tidy DataFrames, built once at the edge (draw 0), with the spec's column names."""
from __future__ import annotations

import numpy as np
import pandas as pd

from mtfpmodel.engine.parameters import funding_sources
from mtfpmodel.engine.projection import STATUSES, Results
from mtfpmodel.results.capital import plan_lines
from mtfpmodel.scenario.schema import Scenario

SUMMARY_COLUMNS = ("net_expenditure", "funding", "gross_gap", "savings", "one_off_costs", "net_gap",
                   "incremental_gap", "risk_adjusted_net_gap", "reserves_drawn", "closing_reserves",
                   "minimum_reserves")
RESERVE_COLUMNS = ("reserve_contributions", "planned_reserves_use", "savings_still_to_find",
                   "unplanned_reserves_use", "unfunded_gap", "usable_reserves_pct")   # after status


def summary(results: Results, labels: tuple[str, ...], draw: int = 0) -> pd.DataFrame:
    """One row per projection year: the columns of summary.csv."""
    data = {"year": list(labels[1:])}
    for column in SUMMARY_COLUMNS:
        data[column] = _row(getattr(results, column), draw)[1:]
    data["status"] = [STATUSES[s] for s in _row(results.status, draw)[1:]]
    for column in RESERVE_COLUMNS:
        data[column] = _row(getattr(results, column), draw)[1:]
    return pd.DataFrame(data)


LINE_COLUMNS = ("year", "line", "cost", "group", "volume", "unit_cost", "workforce", "contracts",
                "contractual_inflation")


def lines(results: Results, scenario: Scenario, labels: tuple[str, ...], draw: int = 0) -> pd.DataFrame:
    """year, line, cost — base year included — then each line's group, volume and unit cost [£ per
    period] (volume-driven lines; blank for the others), its workforce share and contracts, and the
    rise in those contracts since the base year (contractual inflation); the capital financing
    lines come after the budget lines (with blank detail columns)."""
    names = [line.name for line in scenario.expenditure]
    frame = _long(results.line_cost, names, labels, draw, "line", "cost")
    volume_line = np.array([line.volume is not None for line in scenario.expenditure])
    contracts = _row(results.line_contracts, draw)
    extra = {
        "group": [line.group or "" for line in scenario.expenditure],
        "volume": np.where(volume_line[:, None], _row(results.line_volume, draw), np.nan),
        "unit_cost": _row(results.line_unit_cost, draw),
        "workforce": _row(results.line_workforce, draw),
        "contracts": contracts,
        "contractual_inflation": contracts - contracts[:, :1],
    }
    for column, values in extra.items():
        frame[column] = [values[i] if column == "group" else float(values[i, t])
                         for t in range(len(labels)) for i in range(len(names))]
    capital = plan_lines(results, scenario)
    if capital:
        rows = _long(np.vstack([_row(a, draw) for _, a in capital])[None], [name for name, _ in capital],
                     labels, 0, "line", "cost")
        frame = pd.concat([frame, rows.assign(group="")], ignore_index=True)
        frame = frame.sort_values("year", kind="stable", key=lambda y: y.map(labels.index), ignore_index=True)
    return frame[list(LINE_COLUMNS)]


SOURCE_LABELS = {"council_tax": "Council tax", "business_rates": "Business rates"}


def funding(results: Results, scenario: Scenario, labels: tuple[str, ...], draw: int = 0) -> pd.DataFrame:
    """year, source, amount, label — base year included; council_tax, business_rates, each grant.

    ``source`` is the contract's key (``council_tax``, ``business_rates`` or the grant's name);
    ``label`` is the same source as a person reads it ("Council tax").
    """
    names = ["council_tax"] + ["business_rates" if prefix == "funding.business_rates" else grant_name(prefix)
                               for prefix, _ in funding_sources(scenario)]
    stacked = np.concatenate([results.council_tax[:, None, :], results.source_amount], axis=1)
    frame = _long(stacked, names, labels, draw, "source", "amount")
    frame["label"] = frame["source"].map(source_label)
    return frame


def source_label(source: str) -> str:
    """A funding source as a person reads it: 'council_tax' → 'Council tax'; a grant keeps its name."""
    return SOURCE_LABELS.get(source, source)


def grant_name(prefix: str) -> str:
    return prefix[len("funding.grants["):-1]


def savings(results: Results, scenario: Scenario, labels: tuple[str, ...], draw: int = 0) -> pd.DataFrame:
    """stream, year, gross_saving, financing_cost, implementation_cost, net_saving (projection years)."""
    rows = []
    for n, stream in enumerate(scenario.savings):
        for t in range(1, len(labels)):
            rows.append({
                "stream": stream.name, "year": labels[t],
                "gross_saving": _item(results.stream_gross, draw, n, t),
                "financing_cost": _item(results.stream_financing, draw, n, t),
                "implementation_cost": _item(results.stream_implementation, draw, n, t),
                "net_saving": _item(results.stream_net, draw, n, t),
            })
    columns = ["stream", "year", "gross_saving", "financing_cost", "implementation_cost", "net_saving"]
    return pd.DataFrame(rows, columns=columns)


def _row(array: np.ndarray, draw: int) -> np.ndarray:
    return array[min(draw, array.shape[0] - 1)]


def _item(array: np.ndarray, draw: int, n: int, t: int) -> float:
    return float(array[min(draw, array.shape[0] - 1), n, t])


def _long(array: np.ndarray, names: list[str], labels: tuple[str, ...], draw: int,
          name_column: str, value_column: str) -> pd.DataFrame:
    values = _row(array, draw)
    rows = [{"year": labels[t], name_column: name, value_column: float(values[i, t])}
            for t in range(len(labels)) for i, name in enumerate(names)]
    return pd.DataFrame(rows, columns=["year", name_column, value_column])
