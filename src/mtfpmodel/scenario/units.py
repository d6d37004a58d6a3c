"""Showing money and rates to a person: always with the unit, rounded only here."""
from __future__ import annotations

import math

UNITS: dict[str, float] = {"£": 1.0, "£000": 1_000.0, "£m": 1_000_000.0}   # pounds in one scenario unit


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


def rounded_money(value: float, unit: str, sign: bool = False) -> str:
    """Money rounded to its size, from any scenario unit: £1.7m, £850k, £420; minus (or, with
    ``sign``, plus) for the direction. For analysis text; ``terminal.cabinet_money`` keeps
    brackets for negatives and the scenario unit below £1m, as the MTFP verdict does."""
    pounds = value * UNITS[unit]
    size = abs(pounds)
    if size >= 1e6:
        body = f"£{size / 1e6:,.1f}m"
    elif size >= 1e3:
        body = f"£{size / 1e3:,.0f}k"
    else:
        body = f"£{size:,.0f}"
    if body in ("£0", "£0k", "£0.0m"):
        return body
    return ("+" if pounds > 0 else "-") + body if sign else ("-" + body if pounds < 0 else body)


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
