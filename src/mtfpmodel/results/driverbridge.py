"""The cost drivers' steps on the budget bridge: workforce pay and on-costs, contractual inflation.

The change in a line's cost from the base year to year t is split four ways, exactly:

    change in line costs = inflation of the cost-mix parts (by assumption) + demand (volumes)
                           + workforce steps + contractual inflation

Workforce steps ("staff pay awards", "employer NI", "employer pension", "apprenticeship levy")
are the change in the part of each pay group the lines carry (``pay_from``), measure by measure: ``sum over g of carried[g] * (x[g,t] - x[g,0])`` for x = pay bill, employer
NI, employer pension and apprenticeship levy. Contractual inflation is ``sum over contracts of
contract[C,t] - contract[C,0]``. Inflation and demand of the cost-mix parts come from a second
run with every line's volume held at its base-year level (``frozen_volumes``).
"""
from __future__ import annotations

from mtfpmodel.engine.workforce import MEASURES
from mtfpmodel.results.result import Result
from mtfpmodel.results.workforce import carried_share
from mtfpmodel.scenario.schema import Scenario

LABELS = {"pay_bill": "staff pay awards", "employer_ni": "employer NI", "employer_pension": "employer pension",
          "apprenticeship_levy": "apprenticeship levy"}
CONTRACTUAL = "contractual inflation"


def frozen_volumes(scenario: Scenario) -> dict[str, object]:
    """Overrides holding every line's volume at its base-year level (demand and volume growth 0%)."""
    out: dict[str, object] = {}
    for line in scenario.expenditure:
        path = f"expenditure[{line.name}]"
        if line.volume is None:
            out[f"{path}.demand"] = 0.0
        elif line.volume.values is not None:
            out[f"{path}.volume.values"] = line.volume.base
        else:
            out[f"{path}.volume.growth"] = 0.0
    return out


def workforce_steps(result: Result, t: int) -> list[tuple[str, float]]:
    """(label, change) of each workforce measure the lines carry, base year to year t."""
    if result.scenario.workforce is None:
        return []
    r, carried = result.results, carried_share(result.scenario)
    return [(LABELS[m], float((carried * (getattr(r, m)[0, :, t] - getattr(r, m)[0, :, 0])).sum())) for m in MEASURES]


def contract_steps(result: Result, t: int) -> list[tuple[str, float]]:
    """('contractual inflation', change in all contracts' cost from the base year to year t)."""
    if not result.scenario.contracts:
        return []
    cost = result.results.contract_cost[0]
    return [(CONTRACTUAL, float(cost[:, t].sum() - cost[:, 0].sum()))]
