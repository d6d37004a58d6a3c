"""Showing money and rates to a person: always with the unit, rounded only here."""
from __future__ import annotations

import math


def money(value: float, unit: str, decimals: int | None = None) -> str:
    """'£1,234k'-style text in the scenario unit: 1234.5, '£000' → '£1,235k'; negatives in brackets."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        decimals = {"£": 0, "£000": 0, "£m": 1}[unit]
    text = f"{abs(value):,.{decimals}f}"
    suffix = {"£": "", "£000": "k", "£m": "m"}[unit]
    body = f"£{text}{suffix}"
    return f"({body})" if value < 0 and text.strip("0.,") else body


def figure(value: float, decimals: int = 0) -> str:
    """A table cell: thousands separators, brackets for negatives, no unit (the header has it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{abs(value):,.{decimals}f}"
    return f"({text})" if value < 0 and text.strip("0.,") else text


def percent(value: float, decimals: int = 2) -> str:
    return f"{value * 100:.{decimals}f}%"


def unit_label(unit: str) -> str:
    """Column-header form of the unit: '£000', '£m' or '£'."""
    return unit
