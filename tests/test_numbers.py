from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfacts.numbers import (
    apply_scale,
    format_vi,
    parse_int,
    parse_number,
    parse_ordinal,
    parse_words,
)


@pytest.mark.parametrize(
    ("surface", "value"),
    [("1.000", 1000), ("1.000.000", 1_000_000), ("93,364", 93.364), ("81,98", 81.98),
     ("06", 6), ("11,5", 11.5), ("6.7", 6.7), ("0,03", 0.03), ("264", 264)],
)
def test_vietnamese_separators(surface: str, value: float) -> None:
    assert parse_number(surface) == pytest.approx(value)


@pytest.mark.parametrize(
    ("surface", "value"),
    [("một", 1), ("chín", 9), ("mười", 10), ("mười lăm", 15), ("hai mươi", 20),
     ("hai mươi mốt", 21), ("ba mươi tư", 34), ("một trăm", 100), ("một trăm linh năm", 105)],
)
def test_words(surface: str, value: int) -> None:
    assert parse_words(surface) == value


def test_words_refuse_non_numbers() -> None:
    assert parse_words("lăm") is None
    assert parse_words("bậc") is None


@pytest.mark.parametrize(("surface", "value"), [("nhất", 1), ("nhì", 2), ("hai", 2), ("ba", 3), ("tư", 4), ("22", 22), ("06", 6)])
def test_ordinals(surface: str, value: int) -> None:
    assert parse_ordinal(surface) == value


def test_scales() -> None:
    assert apply_scale(264, "nghìn") == 264_000
    assert apply_scale(parse_number("1,5"), "triệu") == 1_500_000
    assert apply_scale(parse_number("35,8"), "triệu") == pytest.approx(35_800_000)
    assert apply_scale(12, None) == 12


def test_int_refuses_decimals() -> None:
    with pytest.raises(ValueError):
        parse_int("2,5")
    with pytest.raises(ValueError):
        parse_number("1277/QĐ")


@given(st.integers(min_value=0, max_value=10**12))
def test_round_trip_integers(n: int) -> None:
    assert parse_number(format_vi(n)) == n


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=999))
def test_round_trip_decimals(whole: int, frac: int) -> None:
    digits = len(str(frac))
    value = whole + frac / 10**digits
    text = format_vi(value, digits)
    assert "," in text
    assert parse_number(text) == pytest.approx(value, rel=1e-12)
