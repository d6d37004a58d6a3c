"""Grants by name with their certainty and end year, and what the risk-adjusted view holds back.

One row per grant and year t = 0..T, from the engine's grant amounts (draw 0) and each grant's
certainty share (``funding.grants[<name>].certainty``, from ``grant_confidence``) [scenario unit]:

    amount[g,t]   = grant[g,t]                          (0 after the grant's last year, ``ends``)
    counted[g,t]  = share[g] * grant[g,t]               what the risk-adjusted gap counts
    at_risk[g,t]  = (1 - share[g]) * grant[g,t]         what it adds back to the gap

so that, for every year, risk_adjusted_net_gap = net_gap + sum over streams of (1 − confidence) ×
net saving + sum over grants of at_risk (the engine's ``uncertain_grants``).
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from mtfpmodel.engine.parameters import Parameter, funding_sources
from mtfpmodel.engine.projection import Results
from mtfpmodel.scenario.schema import Grant, Scenario

COLUMNS = ("grant", "year", "certainty", "share", "ends", "amount", "counted", "at_risk")


def grant_table(scenario: Scenario, results: Results, labels: tuple[str, ...],
                params: Mapping[str, Parameter], draw: int = 0) -> pd.DataFrame:
    """Every grant by year (base year included): its certainty word and share, its last year
    (empty when it does not end), the amount, the part counted and the part at risk."""
    amounts = results.source_amount[min(draw, results.source_amount.shape[0] - 1)]
    rows = []
    for i, (prefix, source) in enumerate(funding_sources(scenario)):
        if not isinstance(source, Grant):
            continue
        share = float(params[f"{prefix}.certainty"].value)
        for t, year in enumerate(labels):
            amount = float(amounts[i, t])
            rows.append({"grant": source.name, "year": year, "certainty": source.certainty, "share": share,
                         "ends": source.ends or "", "amount": amount, "counted": share * amount,
                         "at_risk": (1.0 - share) * amount})
    return pd.DataFrame(rows, columns=list(COLUMNS))
