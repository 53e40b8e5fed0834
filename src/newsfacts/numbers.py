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

UNITS: dict[str, int] = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4,
    "năm": 5, "lăm": 5, "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}
ORDINAL_WORDS: dict[str, int] = {"nhất": 1, "nhì": 2, "hai": 2, "ba": 3, "tư": 4, "bốn": 4}

_THOUSANDS = regex.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_PLAIN = regex.compile(r"^\d+(?:,\d+)?$")
# "6.7", "92.83" and "0.6667" (a thousands group never starts with 0): English-style decimals.
_DOT_DECIMAL = regex.compile(r"^(?:\d+\.\d{1,2}|0\.\d+)$")
_SPACE = regex.compile(r"\s+")


def parse_number(surface: str) -> float:
    """'1.000' -> 1000.0, '93,364' -> 93.364, '06' -> 6.0, '6.7' -> 6.7.

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
    words = parse_words(surface)
    if words is not None:
        return float(words)
    raise ValueError(f"not a number: {surface!r}")


def parse_words(surface: str) -> int | None:
    """Spelled-out numbers up to 999: 'chín' -> 9, 'hai mươi mốt' -> 21, 'mười lăm' -> 15."""
    tokens = _SPACE.split(surface.strip().lower())
    if not tokens or tokens == [""]:
        return None
    total, current, seen = 0, 0, False
    for tok in tokens:
        if tok in ("mười", "chục") and current == 0:
            current = 10
        elif tok == "mươi":
            current = (current or 1) * 10
        elif tok == "trăm":
            total += (current or 1) * 100
            current = 0
        elif tok in ("linh", "lẻ"):
            continue
        elif tok in UNITS:
            value = UNITS[tok]
            if tok in ("lăm", "nhăm", "mốt") and current < 10:
                return None  # these forms only follow a ten
            current += value
        else:
            return None
        seen = True
    return total + current if seen else None


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
