"""The workforce and contracts as tables: pay bill and on-costs by group and year; each contract by year.

``workforce.csv`` columns: ``year, group, fte, average_salary`` [£ a year, with pay awards],
``pay_bill, employer_ni, employer_pension, apprenticeship_levy, total_cost`` [scenario unit] and
``in_budget_lines``: the share of the group's cost that budget lines carry through ``pay_from``
(the plan counts that share; the rest is, for example, charged to capital or grants).
``contracts.csv`` columns: ``year, contract, line, uplift, cost, contractual_inflation`` (the
cost less its base-year value). Base year included; values unrounded.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mtfpmodel.engine.projection import Results
from mtfpmodel.engine.workforce import MEASURES
from mtfpmodel.scenario.schema import Scenario

if TYPE_CHECKING:       # pandas only where a table is built: validating a plan needs none
    import pandas as pd

WORKFORCE_COLUMNS = ("year", "group", "fte", "average_salary", *MEASURES, "total_cost", "in_budget_lines")
CONTRACT_COLUMNS = ("year", "contract", "line", "uplift", "cost", "contractual_inflation")


def carried_share(scenario: Scenario) -> np.ndarray:
    """(G,) share of each pay group's whole cost that the budget lines carry (sum of pay_from)."""
    if scenario.workforce is None:
        return np.zeros(0)
    return np.array([sum(line.pay_from.get(group.name, 0.0) for line in scenario.expenditure)
                     for group in scenario.workforce.groups])


def workforce_table(results: Results, scenario: Scenario, labels: tuple[str, ...], draw: int = 0) -> pd.DataFrame:
    """One row per pay group and year (base year included); empty without a workforce block."""
    import pandas as pd

    rows = []
    if scenario.workforce is not None:
        carried = carried_share(scenario)
        measures = {m: getattr(results, m)[min(draw, results.draws - 1)] for m in MEASURES}
        salary = results.average_salary[min(draw, results.draws - 1)]
        for t, year in enumerate(labels):
            for g, group in enumerate(scenario.workforce.groups):
                values = {m: float(measures[m][g, t]) for m in MEASURES}
                rows.append({"year": year, "group": group.name, "fte": group.fte,
                             "average_salary": float(salary[g, t]),
                             **values, "total_cost": sum(values.values()), "in_budget_lines": float(carried[g])})
    return pd.DataFrame(rows, columns=list(WORKFORCE_COLUMNS))


def by_group(table: pd.DataFrame, scenario: Scenario, years: list[str]) -> list[pd.DataFrame]:
    """Each pay group's rows of ``table`` (workforce.csv), indexed by year in ``years`` order."""
    return [table[table["group"] == group.name].set_index("year").loc[years] for group in scenario.workforce.groups]


def all_groups(table: pd.DataFrame, years: list[str]) -> pd.DataFrame:
    """The whole workforce by year: each measure and ``total_cost`` summed over the pay groups of ``table``."""
    return table.groupby("year", sort=False)[[*MEASURES, "total_cost"]].sum().loc[years]


def contracts_table(results: Results, scenario: Scenario, labels: tuple[str, ...], draw: int = 0) -> pd.DataFrame:
    """One row per contract and year (base year included); empty without contracts."""
    import pandas as pd

    d = min(draw, results.draws - 1)
    cost, uplift = results.contract_cost[d], results.contract_uplift[d]
    rows = [{"year": year, "contract": c.name, "line": c.line, "uplift": float(uplift[n, t]),
             "cost": float(cost[n, t]), "contractual_inflation": float(cost[n, t] - cost[n, 0])}
            for t, year in enumerate(labels) for n, c in enumerate(scenario.contracts)]
    return pd.DataFrame(rows, columns=list(CONTRACT_COLUMNS))
