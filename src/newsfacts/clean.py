"""Clean: from a raw document to the article text that facts are found in.

Every span a fact carries indexes into the text returned here, so all
normalisation (Unicode, tone marks, whitespace) happens once, before
extraction. Blocks that are not the article (related-article lists, footers,
counters, widgets, image file names, navigation) are dropped here because a
figure in them is a wrong row in someone's database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import regex

from .required import odd_cases, required_words, ruled_out

if TYPE_CHECKING:
    pass

# Headings that open a list of other articles; the list runs until body-like text.
RELATED_HEADINGS = regex.compile(
    r"^(?:bài viết khác|các bài viết khác|tin cùng chuyên mục|bài cùng chuyên mục|đọc thêm|"
    r"xem thêm|đọc nhiều(?: nhất)?|xem nhiều(?: nhất)?|tin liên quan|bài liên quan|tin khác|"
    r"các tin khác|tin mới(?: nhất| hơn)?|các bài mới nhất|bài mới nhất|tin đã đưa|"
    r"các tin đã đưa|tin tức khác|tin bài khác|có thể bạn quan tâm|bạn có thể quan tâm|"
    r"tin cùng loại|chủ đề|từ khóa|tags?|bình luận|ý kiến bạn đọc|gửi bình luận)"
    r"(?:\s+[\p{L}\s]{0,40})?\s*[:：]?\s*$",
    regex.IGNORECASE,
)
# Lines that belong to site chrome wherever they sit: most are known by how they start
# (tried with ``match``), a few by a mark anywhere in them. Split so that a paragraph
# costs one anchored attempt, not a scan for every alternative.
_CHROME_START = regex.compile(
    r"(?:skip to (?:main )?content$|chế độ ban đêm|in trang\b|-?A A \+A$|trang chủ\s*[>»›|]|"
    r"giấy phép\b|trưởng ban biên tập|tổng biên tập\s*:|địa chỉ\s*:|điện thoại\s*:|email\s*:|fax\s*:|"
    r"hôm nay\s*\d|đang (?:truy cập|online)\s*:?\s*\d|lượt (?:truy cập|xem)\s*:?\s*\d|"
    r"tổng (?:số )?lượt truy cập|số lượt truy cập|chia sẻ\s*:?$|share\s*:?$|in bài$|"
    r"gửi bài viết qua email|lên đầu trang|về đầu trang|quay lại$|theo dõi chúng tôi)",
    regex.IGNORECASE,
)
_CHROME_MARK = regex.compile(r"©|\bcopyright\b|all rights reserved|ghi rõ nguồn|thiết kế bởi", regex.IGNORECASE)
# Its words, looked for in the lower-cased line first: a paragraph rarely holds one, and
# the case-folding search of every paragraph was a twentieth of a text's cleaning.
_MARK_WORDS = required_words(_CHROME_MARK.pattern)
_MARK_ODD = odd_cases(_CHROME_MARK.pattern, _MARK_WORDS)


def is_chrome(line: str) -> bool:
    """Navigation, footer, licence and counter lines."""
    if _CHROME_START.match(line) is not None:
        return True
    low = line.lower()
    if len(low) == len(line) and ruled_out(_MARK_WORDS, _MARK_ODD, low):
        return False
    return _CHROME_MARK.search(line) is not None


# Widgets: gold and exchange-rate tables, weather, stock boards.
WIDGET_LINE = regex.compile(
    r"^(?:giá vàng\b|tỷ giá\b|tỉ giá\b|loại\s+mua\s+bán|mua\s+bán$|đvt\s*:|kỳ hạn\s*\(|"
    r"lãi suất tiết kiệm|thời tiết\b|chứng khoán\b|vn-?index\b|nội dung\s*:$)",
    regex.IGNORECASE,
)
IMAGE_NAME = regex.compile(
    r"^(?:description\s*:\s*)?[^\n]{0,120}\.(?:jpe?g|png|gif|webp|bmp|tiff?)$", regex.IGNORECASE
)
# "(21/07/2022)" at the end of a bullet: how related-article items look in text dumps.
DATED_ITEM = regex.compile(r"\(\d{1,2}/\d{1,2}/\d{4}\)\s*$")
BULLET = regex.compile(r"^[•·▪■►▶\-–—*]\s*")

# Old-style tone placement (hoà, khoẻ, thuỷ) to the one most Vietnamese news uses (hòa, khỏe, thủy).
_TONED = {
    "a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ",
    "A": "ÀÁẢÃẠ", "E": "ÈÉẺẼẸ", "Y": "ỲÝỶỸỴ",
}
_BASE_TONED = {"o": "òóỏõọ", "u": "ùúủũụ", "O": "ÒÓỎÕỌ", "U": "ÙÚỦŨỤ"}
_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def _tone_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for first, second in _PAIRS:
        for f in (first, first.upper()):
            for s in (second, second.upper()):
                for i, toned in enumerate(_TONED[s]):
                    table[f + toned] = _BASE_TONED[f][i] + s
    return table


_TONE_TABLE = _tone_table()
_TONE_RX = regex.compile(
    r"(?<![qQ])(?:[oO][àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸ]|[uU][ỳýỷỹỵỲÝỶỸỴ])(?!\p{L})"
)


def normalize_tones(text: str) -> str:
    """hoà -> hòa, thuỷ -> thủy; 'quý' is left alone (qu is a consonant)."""
    return _TONE_RX.sub(lambda m: _TONE_TABLE.get(m.group(0), m.group(0)), text)


# Plain character classes: the standard library's engine runs them twice as fast.
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# The characters of those two classes but " ", one by one (tests/test_clean.py holds them
# to the classes): a text without any of them, and without two spaces in a row, is what
# both substitutions give back unchanged (a lone " " is replaced by " "). Looking for
# a character is a C loop over the text, several times faster than either substitution,
# and four texts in five of the bench need neither.
ODD_SPACES = "\t\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
INVISIBLES = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def _holds_any(text: str, chars: str) -> bool:
    for c in chars:  # noqa: SIM110 - the loop is the point
        if c in text:
            return True
    return False


def normalize_text(text: str) -> str:
    """NFC, one tone placement, one kind of space, paragraphs split by one blank line."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _holds_any(text, INVISIBLES):
        text = _INVISIBLE.sub("", text)
    text = normalize_tones(text)
    if "  " in text or _holds_any(text, ODD_SPACES):
        text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


@dataclass
class CleanedArticle:
    text: str
    title: str | None
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _is_linkish(line: str, previous: str | None) -> bool:
    """A line that looks like an item of a related-article list rather than body text."""
    if BULLET.match(line) or DATED_ITEM.search(line):
        return True
    if previous and len(previous) > 20 and line.startswith(previous):
        return True  # "Title" then "Title summary…": teaser cards
    if previous and len(previous) <= 160 and len(line) <= 450 and not _is_linkish_end(previous):
        return True  # a short teaser summary under a card title
    return len(line) <= 160 and not _is_linkish_end(line)


def _is_linkish_end(line: str) -> bool:
    return line.endswith((".", ":", ";", "?", "!", "…"))


_DIGIT = regex.compile(r"\d")


def drop_boilerplate(paragraphs: list[str]) -> list[str]:
    """Remove related lists, chrome, widgets, image names and repeated paragraphs."""
    kept: list[str] = []
    i, n = 0, len(paragraphs)
    while i < n:
        line = paragraphs[i]
        if RELATED_HEADINGS.match(line):
            i += 1
            previous: str | None = None
            while i < n and (
                _is_linkish(paragraphs[i], previous)
                or is_chrome(paragraphs[i])
                or RELATED_HEADINGS.match(paragraphs[i])
            ):
                previous = paragraphs[i]
                i += 1
            continue
        if WIDGET_LINE.match(line):
            i += 1
            while i < n and len(paragraphs[i]) <= 80 and not paragraphs[i].endswith("."):
                i += 1
            continue
        if is_chrome(line) or IMAGE_NAME.match(line):
            i += 1
            continue
        if kept and line == kept[-1] and not _DIGIT.search(line):
            # a page's repeated line without a figure goes (a headline printed twice); one
            # with figures stays, since every mention is a fact of its own (a lead printed
            # again as the first paragraph), and so does a number repeated, two cells of a
            # table row written one cell per line ("89.95" / "89.95": total and index)
            i += 1
            continue
        kept.append(line)
        i += 1
    return kept


def clean_plain_text(raw: str) -> CleanedArticle:
    """Clean a text article; its first remaining paragraph is taken as the title."""
    text = normalize_text(raw)
    paragraphs = [p for p in text.split("\n") if p]
    paragraphs = drop_boilerplate(paragraphs)
    title = paragraphs[0] if paragraphs and len(paragraphs[0]) <= 300 else None
    return CleanedArticle(text="\n\n".join(paragraphs), title=title)
