"""Values by year: rate, amount and volume series in their three spellings.

A series is written as a scalar, a list of exactly T values, or a mapping by financial year
label. Validation turns each spelling into a :class:`Series` of T floats for the projection
years t = 1..T (or a reference to a named assumption), so nothing downstream cares how it was
written. docs/reference.md, "Kinds of value", gives the spellings.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from mtfpmodel.scenario.limits import check_number, shown

_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


@dataclass(frozen=True)
class Series:
    """T values for the projection years, or ``ref``: the name of an assumption."""

    values: tuple[float, ...] | None = None
    ref: str | None = None


@dataclass(frozen=True)
class SeriesContext:
    """What a series needs to know to validate: the projection years and assumption names."""

    labels: tuple[str, ...]
    assumptions: frozenset[str] = frozenset()

    @property
    def years(self) -> int:
        return len(self.labels)


def year_labels(base_year: str, years: int) -> tuple[str, ...]:
    """Labels of the projection years after ``base_year``: '2024/25', 4 → ('2025/26', ...)."""
    start = int(base_year[:4])
    return tuple(f"{start + t}/{(start + t + 1) % 100:02d}" for t in range(1, years + 1))


def plan_years(labels: tuple[str, ...] | list[str]) -> str:
    """The projection years of ``labels`` (base year first) for a title: '2025/26 to 2028/29', or
    '2025/26' for a plan of one year."""
    return labels[1] if len(labels) == 2 else f"{labels[1]} to {labels[-1]}"


def check_year_label(text: Any) -> str:
    """Return ``text`` if it is a financial year such as '2024/25'; else raise ValueError."""
    match = _YEAR.match(str(text).strip()) if isinstance(text, (str, int)) else None
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"{shown(text)} is not a financial year (write it like '2024/25', in quotes)")
    return str(text).strip()


def parse_rate(value: Any, *, check_size: bool = True) -> float:
    """A rate: a fraction (0.03) or a percentage string ('3%'). Raise ValueError otherwise.

    With ``check_size`` a bare number above 1 or below -1 is rejected, because ``pay: 3``
    almost always means 3%, not 300%. A rate must be finite (no ``nan`` or ``inf%``) and a
    boolean is never a rate.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{shown(value)} is not a rate (write a percentage such as 3% or a fraction such as 0.03)")
    if isinstance(value, (int, float)):
        number = check_number(value)
        if check_size and abs(number) > 1:
            raise ValueError(f"{number:g} looks like a percentage; write {number:g}% or {number / 100:g}")
        return number
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        percent = text.endswith("%")
        try:
            number = float(text[:-1] if percent else text)
        except ValueError:
            raise ValueError(f"{shown(value)} is not a rate (write a percentage such as 3% or a fraction such as 0.03)") from None
        if percent:
            check_number(number, value)
            return hundredth(text[:-1])
        return parse_rate(check_number(number, value), check_size=check_size)
    raise ValueError(f"{shown(value)} is not a rate (write a percentage such as 3% or a fraction such as 0.03)")


def hundredth(text: str) -> float:
    """The number ``text`` over 100, rounded once: '2.99' → 0.0299 (in floats 2.99 / 100 is
    0.029900000000000003, which a CSV file would then show)."""
    try:
        return float(Decimal(text.strip()) / 100)
    except (InvalidOperation, ValueError):
        return float(text) / 100.0


def parse_number(value: Any) -> float:
    """A plain number (an amount or a volume), finite and within ±1e15. Raise ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, str):
            sign = next((symbol for symbol in _CURRENCY if symbol in value), None)
            if sign is not None:
                plain = value.replace(sign, "").strip()
                raise ValueError(f"{shown(value)} is not a number: leave out the {sign} sign (write "
                                 f"{shown(plain)}; an amount is in the scenario's units, a Band D in pounds)")
            if "," in value and not _THOUSANDS.match(value):
                raise ValueError(f"{shown(value)} is not a number: a comma may only separate thousands "
                                 "(write 1,990 or 1990; a decimal point, not a comma, for decimals)")
            try:
                number = float(value.replace(",", "").replace("_", ""))
            except ValueError:
                pass
            else:
                return check_number(number, value)
        raise ValueError(f"{shown(value)} is not a number")
    return check_number(value)


_CURRENCY = ("£", "$", "€")
_THOUSANDS = re.compile(r"^\s*[-+]?\d{1,3}(,\d{3})+(\.\d*)?\s*$")    # 142,000 or 1,234.5


def to_series(value: Any, ctx: SeriesContext, kind: str) -> Series:
    """Validate a series of ``kind`` 'rate', 'amount' or 'volume'; raise ValueError with a hint.

    Rates and volumes given as a mapping hold each value until the next given year, and the
    first projection year must be given; amounts given as a mapping are 0 in years not given.
    A rate may also be the name of an assumption (or 'none').
    """
    parse = (lambda v: parse_rate(v)) if kind == "rate" else parse_number
    if kind == "rate" and isinstance(value, str) and not _looks_numeric(value):
        return Series(ref=_assumption_name(value, ctx))
    if isinstance(value, list):
        if len(value) != ctx.years:
            split = len(value) > ctx.years and any(type(v) is int and v == 0 for v in value)    # 1,000 → 1, 0
            raise ValueError(f"a list of {len(value)} values, but the plan has {ctx.years} projection "
                             f"year{'s' if ctx.years > 1 else ''} ({plan_years(('', *ctx.labels))}); give one value "
                             "per year" + (" (a number written 1,000 inside [...] counts as two values: write 1000)"
                                           if split else ""))
        series = Series(values=tuple(parse(v) for v in value))
    elif isinstance(value, dict):
        series = Series(values=_from_mapping(value, ctx, kind, parse))
    else:
        series = Series(values=(parse(value),) * ctx.years)
    below = _first_below(series, ctx, FLOORS.get(kind))
    if below and kind == "volume":              # a volume counts units (placements, clients, hours)
        raise ValueError(f"a volume cannot be negative ({below[1]:g} in {below[0]}); give the number of units "
                         "bought, 0 or more")
    elif below:                                 # a rate a year is a change: nothing falls by more than itself
        raise ValueError(f"a rate below -100% ({below[1] * 100:g}% in {below[0]}) would take the figure below "
                         "nothing; a fall of 100% is the most there can be (check the sign and the % sign)")
    return series


FLOORS = {"volume": 0.0, "rate": -1.0}          # the least value a year of each kind of series may take


def _first_below(series: Series, ctx: SeriesContext, floor: float | None) -> tuple[str, float] | None:
    """(year, value) of the first value of ``series`` below ``floor``; None if none is (or no floor)."""
    if floor is None or series.values is None:
        return None
    return next(((label, v) for label, v in zip(ctx.labels, series.values) if v < floor), None)


def _from_mapping(value: dict, ctx: SeriesContext, kind: str, parse) -> tuple[float, ...]:
    given: dict[int, float] = {}
    for key, item in value.items():
        if item is None and not isinstance(key, bool) and str(key).isdigit():
            raise ValueError(f"{key!r} is not a financial year: it looks like the end of a number split at a comma "
                             "(in {...} a comma separates entries: write 6000, not 6,000)")
        label = check_year_label(key)
        if not ctx.labels[0][:1].isdigit():      # the base year is wrong (reported there): years cannot be placed
            parse(item)
            continue
        if label not in ctx.labels:
            raise ValueError(f"year {label} is not a projection year (they are {', '.join(ctx.labels)})")
        given[ctx.labels.index(label)] = parse(item)
    if not ctx.labels[0][:1].isdigit():
        return (0.0,) * ctx.years
    if kind == "amount":
        return tuple(given.get(t, 0.0) for t in range(ctx.years))
    if 0 not in given:
        raise ValueError(f"a mapping by year must start at the first projection year {ctx.labels[0]}; "
                         "each value holds until the next year given")
    out, current = [], given[0]
    for t in range(ctx.years):
        current = given.get(t, current)
        out.append(current)
    return tuple(out)


def _looks_numeric(text: str) -> bool:
    """True for text written as a number ('3%', '0.03', and also 'nan' or 'inf%', which are then
    refused as numbers rather than taken for assumption names)."""
    try:
        float(text.strip().replace(" ", "").removesuffix("%"))
        return True
    except ValueError:
        return False


def _assumption_name(name: str, ctx: SeriesContext) -> str:
    if name == "none" or name in ctx.assumptions:
        return name
    close = difflib.get_close_matches(name, sorted(ctx.assumptions | {"none"}), n=1)
    hint = f"did you mean '{close[0]}'?" if close else (
        "define it under 'assumptions:' or write a rate such as 3%")
    raise ValueError(f"unknown assumption {shown(name)} ({hint})")
