"""Leave out what a scenario file need not say: values equal to the scenario's defaults.

The workbook's Inputs sheet has a row for every input, defaults included (demand 0%, no
implementation costs...); writing them all back would bury the plan in zeros. Only values
whose omission means exactly the same are dropped, before validation, so the scenario checked
is the one written.
"""
from __future__ import annotations

from typing import Any

from mtfpmodel.scenario.schema import DEFAULT_GRANT_CONFIDENCE, DEFAULT_RAG, Line, Scenario
from mtfpmodel.scenario.streams import UnitCostStream
from mtfpmodel.scenario.workforce import LEVY_ALLOWANCE, LEVY_RATE

LINE_PERIODS = Line.model_fields["periods_per_year"].default              # 52: weekly
STREAM_PERIODS = UnitCostStream.model_fields["periods_per_year"].default
DISCOUNT_RATE = Scenario.model_fields["discount_rate"].default            # the Green Book's 3.5%
ITEM_DEFAULTS = {   # section → {key: test that the value is the default}
    "expenditure": {"demand": lambda v: _all(v, 0.0), "cost_mix": lambda v: v == {"none": 1.0},
                    "periods_per_year": lambda v: v == LINE_PERIODS},
    "pressures": {"recurring": lambda v: v is True},
    "savings": {"implementation_cost": lambda v: _all(v, 0.0), "funded_by": lambda v: v == "revenue",
                "recurring": lambda v: v is True, "phasing": lambda v: _all(v, 1.0),
                "unit_cost_growth": lambda v: _all(v, 0.0) or v == "none",
                "periods_per_year": lambda v: v == STREAM_PERIODS, "confidence": lambda v: v == 1},
    "contracts": {"lag": lambda v: v == 0},
    "capital_programme": {"borrowing": lambda v: _all(v, 0.0), "grants": lambda v: _all(v, 0.0),
                          "capital_receipts": lambda v: _all(v, 0.0), "revenue": lambda v: _all(v, 0.0),
                          "method": lambda v: v == "annuity"},
}
RESERVE_DEFAULTS = {"ring_fenced": lambda v: v is False, "minimum": lambda v: _all(v, 0.0),
                    "opening": lambda v: _all(v, 0.0), "contributions": lambda v: _all(v, 0.0),
                    "planned_use": lambda v: _all(v, 0.0)}
GROUP_DEFAULTS = {"drift": lambda v: _all(v, 0.0), "vacancy": lambda v: _all(v, 0.0)}


def _all(value: Any, default: float) -> bool:
    values = value if isinstance(value, list) else [value]
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) and v == default for v in values)


def _drop(item: dict, rules: dict) -> None:
    for key, is_default in rules.items():
        if key in item and is_default(item[key]):
            del item[key]


def drop_defaults(data: dict) -> None:
    """Remove default values from ``data`` in place."""
    for section, rules in ITEM_DEFAULTS.items():
        for item in data.get(section) or []:
            _drop(item, rules)
    tax = (data.get("funding") or {}).get("council_tax") or {}
    for key in ("collection_fund", "tax_base_growth"):
        if key in tax and _all(tax[key], 0.0):
            del tax[key]
    for grant in (data.get("funding") or {}).get("grants") or []:
        if "values" in grant and grant.get("base") == 0:
            del grant["base"]
        if grant.get("certainty") == "confirmed":
            del grant["certainty"]
    reserves = data.get("reserves")
    for reserve in reserves if isinstance(reserves, list) else []:
        _drop(reserve, RESERVE_DEFAULTS)
        default = reserve.get("kind") == "general" and not reserve.get("ring_fenced")
        if reserve.get("meets_gap") is default:          # a ring-fenced reserve's default is False too
            del reserve["meets_gap"]
    workforce = data.get("workforce") or {}
    for group in workforce.get("groups") or []:
        _drop(group, GROUP_DEFAULTS)
    levy = workforce.get("apprenticeship_levy")
    if levy == {"rate": LEVY_RATE, "allowance": LEVY_ALLOWANCE}:
        del workforce["apprenticeship_levy"]
    if data.get("grant_confidence") == DEFAULT_GRANT_CONFIDENCE:
        del data["grant_confidence"]
    if data.get("rag_confidence") == DEFAULT_RAG:
        del data["rag_confidence"]
    if data.get("discount_rate") == DISCOUNT_RATE:
        del data["discount_rate"]
