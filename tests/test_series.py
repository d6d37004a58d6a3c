"""Values by year in their three spellings (spec §2)."""
from __future__ import annotations

import pytest

from mtfpmodel.scenario.series import (
    Series,
    SeriesContext,
    check_year_label,
    parse_rate,
    to_series,
    year_labels,
)

CTX = SeriesContext(year_labels("2024/25", 4), frozenset({"pay", "prices"}))


def test_year_labels():
    assert year_labels("2024/25", 4) == ("2025/26", "2026/27", "2027/28", "2028/29")
    assert year_labels("2099/00", 1) == ("2100/01",)


@pytest.mark.parametrize("text", ["2024/26", "2024", "24/25", "2024-25"])
def test_bad_year_labels(text):
    with pytest.raises(ValueError, match="not a financial year"):
        check_year_label(text)


@pytest.mark.parametrize("value, expected", [("3%", 0.03), (0.03, 0.03), ("-5 %", -0.05), (1, 1.0), ("2.5%", 0.025)])
def test_parse_rate(value, expected):
    assert parse_rate(value) == pytest.approx(expected)


@pytest.mark.parametrize("value, phrase", [(3, "3 looks like a percentage; write 3% or 0.03"),
                                           (-2, "-2 looks like a percentage"),
                                           ("lots", "is not a rate"), (True, "is not a rate"), (None, "is not a rate")])
def test_parse_rate_rejects(value, phrase):
    with pytest.raises(ValueError, match=phrase):
        parse_rate(value)


def test_rate_spellings():
    assert to_series("3%", CTX, "rate") == Series(values=(0.03,) * 4)
    assert to_series([0.03, "2%", "2%", 0.01], CTX, "rate").values == pytest.approx((0.03, 0.02, 0.02, 0.01))
    # a mapping holds each value until the next year given
    assert to_series({"2025/26": "3%", "2027/28": "2%"}, CTX, "rate").values == pytest.approx((0.03, 0.03, 0.02, 0.02))
    assert to_series("pay", CTX, "rate") == Series(ref="pay")
    assert to_series("none", CTX, "rate") == Series(ref="none")


def test_amount_mapping_is_zero_in_years_not_given():
    assert to_series({"2026/27": 20}, CTX, "amount").values == (0.0, 20.0, 0.0, 0.0)
    assert to_series(100, CTX, "amount").values == (100.0,) * 4


def test_volume_holds_like_a_rate_but_takes_plain_numbers():
    assert to_series({"2025/26": 4, "2026/27": 12}, CTX, "volume").values == (4.0, 12.0, 12.0, 12.0)
    assert to_series([4, 8, 12, 12], CTX, "volume").values == (4.0, 8.0, 12.0, 12.0)


@pytest.mark.parametrize("value, kind, phrase", [
    ([0.01, 0.02], "rate", "a list of 2 values, but the plan has 4 projection years"),
    ({"2026/27": "2%"}, "rate", "must start at the first projection year 2025/26"),
    ({"2030/31": 5}, "amount", "2030/31 is not a projection year"),
    ("prics", "rate", "unknown assumption 'prics' (did you mean 'prices'?)"),
    ("lots", "amount", "'lots' is not a number"),
])
def test_bad_series(value, kind, phrase):
    with pytest.raises(ValueError) as caught:
        to_series(value, CTX, kind)
    assert phrase in str(caught.value)
