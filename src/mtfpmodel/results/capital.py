"""The capital programme as tables: ``capital.csv`` (per scheme and year) and the by-year summary.

Per scheme C and year t (base year included) [scenario unit]:

    spend[C,t] = borrowing + grants + capital_receipts + revenue
    debt_charges[C,t] = mrp[C,t] + interest[C,t]
    revenue_cost[C,t] = debt_charges[C,t] + revenue[C,t]           (what the scheme costs revenue)
    capital_financing_requirement[C,t] = sum over s <= t of (borrowing[C,s] - mrp[C,s])

and a row ``Existing debt`` per year whose debt charges are the charges on borrowing taken before
the plan (its MRP and interest are not split, so left empty). The plan's two capital lines
(:func:`plan_lines`) are the sums: capital_financing = sum of debt_charges over every row;
revenue_contributions = sum of revenue.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from mtfpmodel.engine.capital import BORROWING, REVENUE
from mtfpmodel.engine.projection import Results
from mtfpmodel.results.real import RealTerms, deflate_array
from mtfpmodel.scenario.capital import CONTRIBUTIONS_LINE, FINANCING_LINE, SOURCES
from mtfpmodel.scenario.schema import Scenario

EXISTING = "Existing debt"
COLUMNS = ("scheme", "year", "spend", *SOURCES, "mrp", "interest", "debt_charges", "revenue_cost",
           "capital_financing_requirement")


def has_capital(scenario: Scenario) -> bool:
    """Whether the plan has capital lines: a capital_financing block or any scheme."""
    return scenario.capital_financing is not None or bool(scenario.capital_programme)


def plan_lines(results: Results, scenario: Scenario) -> list[tuple[str, np.ndarray]]:
    """The plan's capital lines as (name, (D, T+1) array): the capital financing line whenever
    the plan has capital, and the revenue contributions line when any scheme is financed from revenue."""
    if not has_capital(scenario):
        return []
    lines = [(FINANCING_LINE, results.capital_financing)]
    if np.any(results.capital_spend[:, :, REVENUE]):
        lines.append((CONTRIBUTIONS_LINE, results.revenue_contributions))
    return lines


def capital_table(results: Results, scenario: Scenario, labels: tuple[str, ...], draw: int = 0,
                  real: RealTerms | None = None) -> pd.DataFrame:
    """capital.csv: one row per scheme and year, then ``Existing debt`` (columns in COLUMNS).

    In real terms (``real``) the capital financing requirement, a running total, is summed at
    cash prices and then deflated; every other figure is already deflated in ``results``.
    """
    d = min(draw, results.capital_spend.shape[0] - 1)
    spend, mrp, interest = results.capital_spend[d], results.capital_mrp[d], results.capital_interest[d]
    cfr = capital_financing_requirement(real.nominal if real else results)
    cfr = (deflate_array(cfr, real.deflator) if real else cfr)[min(draw, cfr.shape[0] - 1)]
    rows = []
    for c, scheme in enumerate(scenario.capital_programme):
        for t, year in enumerate(labels):
            sources = {name: float(spend[c, f, t]) for f, name in enumerate(SOURCES)}
            charges = float(mrp[c, t] + interest[c, t])
            rows.append({"scheme": scheme.name, "year": year, "spend": float(spend[c, :, t].sum()), **sources,
                         "mrp": float(mrp[c, t]), "interest": float(interest[c, t]), "debt_charges": charges,
                         "revenue_cost": charges + sources["revenue"],
                         "capital_financing_requirement": float(cfr[c, t])})
    financing = scenario.capital_financing
    if financing is not None and financing.existing_debt_charges is not None:
        existing = results.existing_debt_charges[min(draw, results.existing_debt_charges.shape[0] - 1)]
        for t, year in enumerate(labels):
            rows.append({"scheme": EXISTING, "year": year, "spend": 0.0, **{name: 0.0 for name in SOURCES},
                         "mrp": np.nan, "interest": np.nan, "debt_charges": float(existing[t]),
                         "revenue_cost": float(existing[t]), "capital_financing_requirement": np.nan})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def capital_financing_requirement(results: Results) -> np.ndarray:
    """(D, C, T+1) each scheme's borrowing less its MRP to date: its addition to the CFR."""
    return np.cumsum(results.capital_spend[:, :, BORROWING] - results.capital_mrp, axis=-1)


SUMMARY_ROWS = (   # (label, key) of the by-year summary; keys are capital.csv columns or plan lines
    ("Capital spend", "spend"),
    ("  financed by borrowing", "borrowing"),
    ("  financed by grants", "grants"),
    ("  financed by capital receipts", "capital_receipts"),
    ("  financed from revenue", "revenue"),
    ("MRP on new borrowing", "mrp"),
    ("Interest on new borrowing", "interest"),
    ("Existing debt charges", "existing_debt_charges"),
    ("Capital financing (MRP and interest)", "capital_financing"),
    ("Revenue contributions to capital", "revenue_contributions"),
    ("New borrowing outstanding (CFR)", "capital_financing_requirement"),
)


def capital_summary(table: pd.DataFrame, results: Results, labels: tuple[str, ...], draw: int = 0) -> pd.DataFrame:
    """The programme by year (projection years as columns): columns ``item``, ``key`` and one per year.

    Sums of ``table`` (capital.csv) over schemes, and the plan's two capital lines as the engine
    computed them, so the rows add up: capital_financing = MRP + interest + existing debt charges.
    """
    schemes = table[table["scheme"] != EXISTING].groupby("year", sort=False).sum(numeric_only=True)
    lines = {"existing_debt_charges": results.existing_debt_charges, "capital_financing": results.capital_financing,
             "revenue_contributions": results.revenue_contributions}
    data: dict[str, list] = {"item": [label for label, _ in SUMMARY_ROWS], "key": [key for _, key in SUMMARY_ROWS]}
    for t, year in enumerate(labels[1:], start=1):
        column = []
        for _, key in SUMMARY_ROWS:
            if key in lines:
                array = lines[key]
                column.append(float(array[min(draw, array.shape[0] - 1), t]))
            else:
                column.append(float(schemes.loc[year, key]) if year in schemes.index else 0.0)
        data[year] = column
    return pd.DataFrame(data)
