"""Read numbers the Vietnamese way.

News writes "1.000" for a thousand and "93,364" for 93.364, pads with zeros
("06 nhiệm vụ"), scales with words ("264 nghìn", "1,5 triệu") and spells small
numbers out ("thứ nhất", "tăng chín bậc"). Rules capture the surface; this
module turns it into a value, and is the only place that knows how.
"""

from __future__ import annotations

import regex

SCALES: dict[str, int] = {
    "nghìn": 1_000, "ngàn": 1_000, "ngan": 1_000, "k": 1_000,
    "vạn": 10_000,
    "triệu": 1_000_000, "tr": 1_000_000,
    "tỷ": 1_000_000_000, "tỉ": 1_000_000_000,
}

ORDINAL_WORDS: dict[str, int] = {"nhất": 1, "nhì": 2, "hai": 2, "ba": 3, "tư": 4, "bốn": 4}

# A thousands group never follows a lone 0: "0.589" is an English-style decimal.
_THOUSANDS = regex.compile(r"^(?!0\.)\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_PLAIN = regex.compile(r"^\d+(?:,\d+)?$")
# "6.7", "92.83" and "0.6667" (a thousands group never starts with 0): English-style decimals.
_DOT_DECIMAL = regex.compile(r"^(?:\d+\.\d{1,2}|0\.\d+)$")
_SPACE = regex.compile(r"\s+")
_DIGITS_SCALE = regex.compile(r"^([\d.,]*\d) ?(nghìn|ngàn|triệu|tỷ|tỉ)$")


def parse_number(surface: str) -> float:
    """'1.000' -> 1000.0, '93,364' -> 93.364, '06' -> 6.0, '6.7' -> 6.7, '1,2 triệu' ->
    1200000.0, 'ba mươi ba' -> 33.0.

    A dot followed by exactly three digits groups thousands; a comma is the
    decimal mark. A dot with one or two digits can only be an (English-style)
    decimal, so it is read as one rather than rejected.
    """
    s = surface.strip().replace("\u2009", "").replace(" ", "")
    if _THOUSANDS.match(s):
        whole, _, frac = s.partition(",")
        return float(whole.replace(".", "") + ("." + frac if frac else ""))
    if _PLAIN.match(s):
        return float(s.replace(",", "."))
    if _DOT_DECIMAL.match(s):
        return float(s)
    scaled = _DIGITS_SCALE.match(surface.strip().lower())
    if scaled:
        return apply_scale(parse_number(scaled.group(1)), scaled.group(2))
    words = parse_words(surface)
    if words is not None:
        return float(words)
    decimal = parse_decimal_words(surface)
    if decimal is not None:
        return decimal
    raise ValueError(f"not a number: {surface!r}")


# Spelled-out numbers: a small grammar over syllables (see :func:`parse_words`).
# Spelling variants are folded before parsing.
_WORD_FOLD: dict[str, str] = {
    "ngàn": "nghìn", "tỉ": "tỷ", "lẻ": "linh", "bẩy": "bảy", "nhăm": "lăm",
}
_DIGIT: dict[str, int] = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
}
# After "mười": "mười lăm" 15, "mười bốn"/"mười tư" 14; "mười năm" is ten years, not 15.
_TEEN_TAIL: dict[str, int] = {**{k: v for k, v in _DIGIT.items() if k != "năm"}, "tư": 4, "lăm": 5}
# After "mươi": also "mốt" 1 ("hai mươi mốt"); "hai mươi năm" is twenty years, not 25.
_TEN_TAIL: dict[str, int] = {**_TEEN_TAIL, "mốt": 1}
# A last digit right after a scale word stands for its tenth: "hai nghìn tư" 2400; not
# "năm", since "hai trăm năm", "nghìn năm" are years.
_ABBREV: dict[str, int] = {**{k: v for k, v in _DIGIT.items() if k != "năm"}, "mốt": 1, "tư": 4, "lăm": 5}
# After "linh": "một trăm linh tư" 104.
_LINH_TAIL: dict[str, int] = {**_DIGIT, "tư": 4}
_WORD_SCALES: tuple[tuple[str, int], ...] = (("tỷ", 10**9), ("triệu", 10**6), ("nghìn", 10**3))


def _tens(tokens: list[str], linh_ok: bool, lone_ok: bool) -> int | None:
    """0-99: 'linh năm' (after hundreds), 'mười lăm', 'hai mươi mốt', 'hai chục', 'chín'."""
    n = len(tokens)
    head = tokens[0]
    if head == "linh":
        return _LINH_TAIL.get(tokens[1]) if linh_ok and n == 2 else None
    if head == "mười":
        if n == 1:
            return 10
        return 10 + _TEEN_TAIL[tokens[1]] if n == 2 and tokens[1] in _TEEN_TAIL else None
    if n >= 2 and tokens[1] == "chục" and head in _DIGIT:
        return _DIGIT[head] * 10 if n == 2 else None
    if n >= 2 and tokens[1] == "mươi" and head in _DIGIT and head != "một":
        if n == 2:
            return _DIGIT[head] * 10
        return _DIGIT[head] * 10 + _TEN_TAIL[tokens[2]] if n == 3 and tokens[2] in _TEN_TAIL else None
    if n == 1 and head in _DIGIT and lone_ok:
        return _DIGIT[head]
    return None


def _group(tokens: list[str], after_scale: bool, lone_ok: bool) -> int | None:
    """0-999: 'một trăm linh năm', 'hai trăm rưỡi'; after a scale also 'không trăm mười
    một', 'linh năm'. A lone digit ends a number only where it is not a scale's tenth."""
    if not tokens:
        return None
    if len(tokens) >= 2 and tokens[1] == "trăm" and (tokens[0] in _DIGIT or (after_scale and tokens[0] == "không")):
        hundreds = _DIGIT.get(tokens[0], 0) * 100
        rest = tokens[2:]
        if not rest:
            return hundreds or None
        if rest == ["rưỡi"] and hundreds:
            return hundreds + 50
        if len(rest) == 1 and rest[0] in _ABBREV and hundreds:
            return hundreds + _ABBREV[rest[0]] * 10  # "hai trăm tư" 240
        tens = _tens(rest, linh_ok=True, lone_ok=False)
        return None if tens is None else hundreds + tens
    return _tens(tokens, linh_ok=after_scale, lone_ok=lone_ok)


def _spelled(tokens: list[str], after_scale: bool, cap: int | None, multiplier: bool = False) -> int | None:
    """A whole number below ``cap``: a scale word splits it into its multiplier and the rest.
    ``after_scale``: it follows a larger scale word ("không trăm", "linh" may open it)."""
    for name, scale in _WORD_SCALES:
        if (cap is not None and scale >= cap) or name not in tokens:
            continue
        i = tokens.index(name)
        # only tỷ takes a multiplier with scales of its own ("một nghìn tỷ"); "một nghìn triệu" is refused
        left = _spelled(tokens[:i], after_scale, 10**9 if name == "tỷ" else 1000, multiplier=True)
        if not left:
            return None
        right = _after_scale(tokens[i + 1:], scale)
        if right is None:
            return None
        value = left * scale + right
        return value if cap is None or value < cap else None
    return _group(tokens, after_scale, lone_ok=multiplier or not after_scale)


def _after_scale(tokens: list[str], scale: int) -> int | None:
    """What follows a scale word: nothing, 'rưỡi' (half of it), a lone digit (its tenth:
    'hai triệu tư' 2 400 000), or a smaller number ('nghìn không trăm linh năm')."""
    if not tokens:
        return 0
    if tokens == ["rưỡi"]:
        return scale // 2
    if len(tokens) == 1 and tokens[0] in _ABBREV:
        return _ABBREV[tokens[0]] * scale // 10
    return _spelled(tokens, True, scale)


def parse_words(surface: str) -> int | None:
    """A whole number spelled out, of any size, or None when the words are not one.

    'chín' 9, 'mười lăm' 15, 'hai mươi mốt' 21, 'hai chục' 20, 'một trăm linh năm'
    105, 'hai trăm nghìn' 200 000, 'hai mươi mốt nghìn không trăm mười một' 21 011,
    'một nghìn tỷ' 10**12. Variants: ngàn/nghìn, tỉ/tỷ, lẻ/linh, nhăm/lăm, bẩy/bảy,
    mốt/một and tư/bốn after "mươi". Colloquial shortenings: a lone digit after a scale
    word is its tenth ('hai nghìn tư' 2 400, 'hai trăm mốt' 210) and 'rưỡi' is half of it
    ('hai triệu rưỡi' 2 500 000). Refused: 'mười năm', 'hai mươi năm', 'hai trăm năm'
    (years), a bare 'mốt'/'lăm'/'tư', a scale without its multiplier ('trăm', 'nghìn tỷ').
    """
    tokens = [_WORD_FOLD.get(t, t) for t in _SPACE.split(surface.strip().lower()) if t]
    if not tokens:
        return None
    if tokens == ["không"]:
        return 0
    return _spelled(tokens, False, None)


_FRACTION_DIGITS: dict[str, int] = {"không": 0, **_DIGIT, "tư": 4, "lăm": 5, "bẩy": 7}


def parse_decimal_words(surface: str) -> float | None:
    """A decimal in words, 'phẩy' being the comma: 'hai phẩy năm' 2.5, 'ba phẩy không năm'
    3.05, 'tám mươi mốt phẩy chín tám' and 'tám mươi mốt phẩy chín mươi tám' 81.98."""
    whole, sep, frac = surface.strip().lower().partition(" phẩy ")
    if not sep:
        return None
    head = parse_words(whole)
    tokens = frac.split()
    if head is None or not tokens:
        return None
    if all(t in _FRACTION_DIGITS for t in tokens):
        digits = "".join(str(_FRACTION_DIGITS[t]) for t in tokens)
    else:
        tail = parse_words(frac)
        if tail is None:
            return None
        digits = str(tail)
    return float(f"{head}.{digits}")


def parse_ordinal(surface: str) -> int:
    """'nhất' -> 1, 'tư' -> 4, '22' -> 22, '06' -> 6 (the word after 'thứ')."""
    s = surface.strip().lower()
    if s in ORDINAL_WORDS:
        return ORDINAL_WORDS[s]
    if s.isdigit():
        return int(s)
    words = parse_words(s)
    if words is None:
        raise ValueError(f"not an ordinal: {surface!r}")
    return words


def parse_int(surface: str) -> int:
    """A count or position: digits (with thousands dots) or words; decimals are refused."""
    value = parse_number(surface)
    if value != int(value):
        raise ValueError(f"not a whole number: {surface!r}")
    return int(value)


def apply_scale(value: float, scale: str | None) -> float:
    """'264' + 'nghìn' -> 264000; unknown or missing scale leaves the value."""
    if not scale:
        return value
    return value * SCALES.get(scale.strip().lower().rstrip("."), 1)


def format_vi(value: float, decimals: int | None = None) -> str:
    """Write a number the way Vietnamese news does (inverse of :func:`parse_number`)."""
    if decimals is None:
        text = repr(float(value))
        decimals = 0 if text.endswith(".0") else len(text.split(".")[1])
    whole, _, frac = f"{abs(value):.{decimals}f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups) + ("," + frac if frac else "")
    return ("-" if value < 0 else "") + out
