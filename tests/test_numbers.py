from __future__ import annotations

import random

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from newsfacts.numbers import (
    apply_scale,
    format_vi,
    parse_decimal_words,
    parse_int,
    parse_number,
    parse_ordinal,
    parse_words,
)
from newsfacts.resources import default_root
from newsfacts.rules import _expand, load_rules


@pytest.mark.parametrize(
    ("surface", "value"),
    [("1.000", 1000), ("1.000.000", 1_000_000), ("93,364", 93.364), ("81,98", 81.98),
     ("06", 6), ("11,5", 11.5), ("6.7", 6.7), ("0,03", 0.03), ("264", 264),
     ("0.589", 0.589), ("0.6667", 0.6667)],
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


@pytest.mark.parametrize(
    ("surface", "value"),
    [("ba mươi ba", 33), ("mười bốn", 14), ("mười tư", 14), ("hai chục", 20), ("một chục", 10),
     ("năm nghìn", 5000), ("năm ngàn", 5000), ("hai trăm nghìn", 200_000), ("một tỷ", 10**9),
     ("ba tỉ", 3 * 10**9), ("hai mươi mốt nghìn không trăm mười một", 21_011),
     ("hai mươi lăm", 25), ("hai mươi nhăm", 25), ("bốn mươi tư", 44), ("bốn mươi bốn", 44),
     ("hai mươi một", 21), ("một trăm lẻ năm", 105), ("một trăm linh tư", 104),
     ("hai chục nghìn", 20_000), ("mười nghìn", 10_000), ("một nghìn tỷ", 10**12),
     ("hai nghìn không trăm hai mươi ba", 2023), ("hai nghìn hai mươi ba", 2023),
     ("một nghìn linh năm", 1005), ("một triệu không trăm linh năm", 1_000_005),
     ("hai triệu không trăm linh năm nghìn", 2_005_000), ("bảy trăm", 700), ("bẩy", 7),
     ("không", 0), ("sáu mươi ba", 63), ("một trăm", 100)],
)
def test_words_of_any_size(surface: str, value: int) -> None:
    assert parse_words(surface) == value
    assert parse_number(surface) == value


@pytest.mark.parametrize(
    ("surface", "value"),
    # colloquial: a lone digit after a scale word is its tenth, "rưỡi" is half of it
    [("hai triệu rưỡi", 2_500_000), ("một nghìn rưỡi", 1500), ("hai trăm rưỡi", 250),
     ("hai nghìn tư", 2400), ("ba triệu hai", 3_200_000), ("hai trăm mốt", 210),
     ("một trăm lăm", 150)],
)
def test_words_shortened(surface: str, value: int) -> None:
    assert parse_words(surface) == value


@pytest.mark.parametrize(
    "surface",
    ["mốt", "tư", "lăm", "chục", "trăm", "nghìn", "tỷ", "nghìn tỷ", "trăm nghìn",
     "hai năm", "mười năm", "hai mươi năm", "một số", "một phần", "một cửa", "ba bốn",
     "mươi", "một mươi", "hai tỷ ba tỷ", "một nghìn triệu", "không trăm", "linh năm",
     "hai mươi mốt hai", "mười mốt", "năm nay", "hàng chục", "hai trăm năm", "một nghìn năm"],
)
def test_words_refuse_what_is_not_one_number(surface: str) -> None:
    assert parse_words(surface) is None


def test_digits_with_scale_words() -> None:
    assert parse_number("1,2 triệu") == 1_200_000
    assert parse_number("5 nghìn") == 5000
    assert parse_number("48,6 ngàn") == pytest.approx(48_600)


# ---------------------------------------------------------------- number -> words, any variant
_D = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _pick(rng: random.Random, *forms: str) -> str:
    return rng.choice(forms)


def _below_hundred(n: int, after: bool, rng: random.Random) -> list[str]:
    """1-99; ``after``: something (hundreds or a higher group) comes before."""
    if n < 10:
        return [_pick(rng, "linh", "lẻ"), _pick(rng, "tư", "bốn") if n == 4 else _D[n]] if after else [_D[n]]
    if n < 20:
        tail = {4: _pick(rng, "bốn", "tư"), 5: _pick(rng, "lăm", "nhăm")}.get(n - 10, _D[n - 10])
        return ["mười"] + ([tail] if n > 10 else [])
    tens, unit = divmod(n, 10)
    if unit == 0:
        return [_D[tens], _pick(rng, "mươi", "chục")] if not after else [_D[tens], "mươi"]
    tail = {1: _pick(rng, "mốt", "một"), 4: _pick(rng, "tư", "bốn"), 5: _pick(rng, "lăm", "nhăm"),
            7: _pick(rng, "bảy", "bẩy")}.get(unit, _D[unit])
    return [_D[tens], "mươi", tail]


def _group_words(n: int, after: bool, rng: random.Random) -> list[str]:
    """1-999 as a group; after a higher group the hundreds are said even when zero."""
    hundreds, rest = divmod(n, 100)
    out: list[str] = []
    if hundreds or after:
        out += [_D[hundreds], "trăm"]
    if rest:
        out += _below_hundred(rest, bool(out), rng)
    return out


def to_words(n: int, rng: random.Random) -> str:
    """Vietnamese words for 0..10**12, the canonical reading with random spelling variants."""
    if n == 0:
        return "không"
    billions, rest = divmod(n, 10**9)
    millions, rest = divmod(rest, 10**6)
    thousands, units = divmod(rest, 1000)
    out: list[str] = []
    if billions:
        out += to_words(billions, rng).split() + [_pick(rng, "tỷ", "tỉ")]
    for value, scale in ((millions, ["triệu"]), (thousands, [_pick(rng, "nghìn", "ngàn")]), (units, [])):
        if value:
            out += _group_words(value, bool(out), rng) + scale
    return " ".join(out)


@given(st.integers(min_value=0, max_value=10**12), st.randoms(use_true_random=False))
def test_words_round_trip(n: int, rng: random.Random) -> None:
    words = to_words(n, rng)
    assert parse_words(words) == n, words
    assert parse_number(words) == n


@given(st.integers(min_value=0, max_value=10**12), st.randoms(use_true_random=False))
def test_words_are_not_read_from_a_longer_number_cut_short(n: int, rng: random.Random) -> None:
    """A number's words followed by 'năm' (a year, "ba mươi năm") never read as one number."""
    assert parse_words(to_words(n, rng) + " năm") is None


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


def _block(name: str) -> regex.Pattern[str]:
    ruleset = load_rules(default_root(), check=False)
    return regex.compile(_expand("{" + name + "}", ruleset.blocks, "test", None), regex.V0 | regex.I)


_WORDNUM = _block("WORDNUM")


@given(st.integers(min_value=1, max_value=10**12), st.randoms(use_true_random=False))
def test_wordnum_block_takes_the_whole_number(n: int, rng: random.Random) -> None:
    """The rules' {WORDNUM} block spans every number's words, so no rule reads a part of one."""
    words = to_words(n, rng)
    found = [m.group() for m in _WORDNUM.finditer(f"đạt {words} điểm", overlapped=True)]
    assert found == [words]


@pytest.mark.parametrize(
    "text", ["một số thủ tục", "một thủ tục", "cơ chế một cửa", "mức độ một phần"])
def test_wordcount_block_skips_the_article_mot(text: str) -> None:
    assert _block("WORDCOUNT").search(text) is None


@pytest.mark.parametrize(
    ("surface", "value"),
    [("hai phẩy năm", 2.5), ("ba phẩy không năm", 3.05), ("không phẩy năm", 0.5),
     ("tám mươi mốt phẩy chín tám", 81.98), ("tám mươi mốt phẩy chín mươi tám", 81.98),
     ("chín mươi phẩy một hai ba", 90.123)],
)
def test_decimal_words(surface: str, value: float) -> None:
    assert parse_number(surface) == pytest.approx(value)


def test_decimal_words_refuse_what_is_not_one() -> None:
    assert parse_decimal_words("hai phẩy") is None
    assert parse_decimal_words("phẩy năm") is None
    assert parse_decimal_words("hai phẩy mươi") is None


@pytest.mark.parametrize(
    ("text", "found"),
    [("mười năm 2023", ["mười"]), ("hai mươi năm qua", ["hai mươi"]), ("hai năm liên tiếp", ["hai"]),
     ("một trăm linh năm hồ sơ", ["một trăm linh năm"]), ("năm mươi lăm phần trăm", ["năm mươi lăm"]),
     ("hai mươi ba thủ tục", ["hai mươi ba"]), ("0,5%/năm", []), ("Bao nhiêu", []), ("bảng", [])],
)
def test_wordnum_block_stops_where_the_number_does(text: str, found: list[str]) -> None:
    assert [m.group() for m in _WORDNUM.finditer(text, overlapped=True)] == found
