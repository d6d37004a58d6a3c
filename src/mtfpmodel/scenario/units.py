"""Showing money and rates to a person: always with the unit, rounded only here."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

UNITS: dict[str, float] = {"£": 1.0, "£000": 1_000.0, "£m": 1_000_000.0}   # pounds in one scenario unit


_WIDE = Context(prec=400)      # room for every digit of any float and its decimals


def fixed(value: float, decimals: int) -> str:
    """``value`` to ``decimals`` places with thousands separators, as a spreadsheet shows it:
    read to 15 significant digits (a spreadsheet's precision), then a half rounded away from
    zero — 1,234.5 → 1,235 and 2.675 → 2.68, where Python's own rounding of the binary value gives
    1,234 and 2.67 — so a figure on screen or in the report reads as the workbook shows it."""
    if not math.isfinite(value):
        return f"{value:,.{decimals}f}"
    return f"{_half_up(value, decimals):,.{decimals}f}"


def _half_up(value: float, decimals: int, times: int = 1) -> Decimal:
    """``value`` × ``times`` to ``decimals`` places: read to 15 significant digits, a half away from zero."""
    return (Decimal(f"{value:.15g}") * times).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP, _WIDE)


def money(value: float, unit: str, decimals: int | None = None) -> str:
    """'£1,234k'-style text in the scenario unit: 1234.5, '£000' → '£1,235k'; negatives in brackets;
    a figure that rounds to nothing is '£0' (not '£0k' or '£0.0m')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        decimals = {"£": 0, "£000": 0, "£m": 1}[unit]
    text = fixed(abs(value), decimals)
    if rounds_to_nothing(text):
        return "£0"
    suffix = {"£": "", "£000": "k", "£m": "m"}[unit]
    body = f"£{text}{suffix}"
    return f"({body})" if value < 0 and not rounds_to_nothing(text) else body


def rounded_money(value: float, unit: str, sign: bool = False) -> str:
    """Money rounded to its size, from any scenario unit: £1.7m, £850k, £420; minus (or, with
    ``sign``, plus) for the direction. For analysis text; ``terminal.cabinet_money`` keeps
    brackets for negatives and the scenario unit below £1m, as the MTFP verdict does."""
    pounds = value * UNITS[unit]
    size = abs(pounds)
    if size >= 1e6:
        body = f"£{fixed(size / 1e6, 1)}m"
    elif size >= 1e3:
        body = f"£{fixed(size / 1e3, 0)}k"
    else:
        body = f"£{fixed(size, 0)}"
    if body in ("£0", "£0k", "£0.0m"):
        return body
    return ("+" if pounds > 0 else "-") + body if sign else ("-" + body if pounds < 0 else body)


def figure(value: float, decimals: int = 0) -> str:
    """A table cell: thousands separators, brackets for negatives, no unit (the header has it)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = fixed(abs(value), decimals)
    return f"({text})" if value < 0 and not rounds_to_nothing(text) else text


def in_words(items: list[str]) -> str:
    """'2027/28', '2027/28 and 2028/29', '2026/27, 2027/28 and 2028/29'."""
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]


def number(value: float, decimals: int) -> str:
    """A plain number (a Sobol index) to ``decimals`` places, rounded as :func:`fixed` rounds, with
    a minus sign for a negative one: -0.012, but 0.000, never -0.000."""
    return _unsigned_nothing(fixed(value, decimals))


def percent(value: float, decimals: int = 2) -> str:
    """A rate as a percentage to ``decimals`` places, rounded as :func:`fixed` rounds (0.02995 → 3.00%)."""
    if not math.isfinite(value):
        return f"{value * 100:.{decimals}f}%"
    return _unsigned_nothing(f"{_half_up(value, decimals, 100):.{decimals}f}%")    # 0.00%, never -0.00%


def rates_as_given(values) -> list[str]:
    """A row of rates as written in a scenario: to one decimal place ('3.2%', '2.0%'), or to two
    for every one when any needs them ('4.75%' is never shown as '4.8%', nor 2.99% as '3.0%')."""
    values = [float(v) for v in values]
    tenths = all(not math.isfinite(v) or abs(v * 1000 - round(v * 1000)) < 1e-6 for v in values)
    return [percent(v, 1 if tenths else 2) for v in values]


def _unsigned_nothing(text: str) -> str:
    """``text`` without its minus sign when it rounds to nothing ('-0.000' → '0.000')."""
    return text[1:] if text.startswith("-") and rounds_to_nothing(text) else text


def rounds_to_nothing(text: str) -> bool:
    """Whether a figure as written ('0', '-0.00%', '0.0') is zero at the precision shown: such a
    figure is written without a sign or brackets, as 0, wherever it appears."""
    return not text.strip("-0.,%")


def unit_label(unit: str) -> str:
    """Column-header form of the unit: '£000', '£m' or '£'."""
    return unit
