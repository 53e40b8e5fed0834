"""Headings and list items: a name that opens a line holds for the figures under it.

Results articles are often laid out as sections: a short line naming a unit ("Sở Công
Thương", "Khánh Hòa (tăng 28 bậc, đứng thứ 16)"), then paragraphs about it; or as lists
whose items open with the unit ("- Sở Tư pháp: 89,12 điểm, xếp thứ 1;", "2. Huyện Châu
Thành đạt …"). The figures under a heading, or in an item, that name no one in their own
clause belong to that unit until the next heading or item. Lines are classified once per
article (:class:`Openers`), and each figure asks for the opener that holds at its place.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

import regex

from ..entities import LINE_MARKER, Mention
from .spans import starting

# What may follow the name in a heading: a parenthesis of figures, a colon, a short tail
# after a dash or colon ("Quảng Ninh: 6 năm liên tiếp dẫn đầu").
_PARENS = regex.compile(r"\([^()]*\)")
_HEADING_TAIL = regex.compile(r"\s*(?:[:–—-]\s*[^.;!?]{0,60})?\s*[:.]?\s*")
# A line that opens a section without naming a unit ("Cải cách thể chế", "Những hạn chế"):
# short, no figure, no sentence end. It closes the section of the heading before it.
_BARE_HEADING = regex.compile(r"[ \t]*(?:[-–+•*]\s*|(?:\d{1,2}|[IVX]{1,4}|[a-zđ])[.)]\s+)?"
                              r"(?!Ảnh\b)(?-i:[\p{Lu}Đ])[^\d.!?;:,\n]{2,80}?[ \t]*")
_MAX_HEADING = 140  # characters: a heading is a short line
# A news subheading opens with its unit and may hold figures, but it is one short line that
# is not a sentence: no stop inside it or at its end ("Huyện A: 98% hồ sơ đúng hạn").
_MAX_SUBHEADING = 100
_SUBHEADING = regex.compile(r"[^\n]*[^\s.;:!?…,][ \t]*")
_SENTENCE_STOP = regex.compile(r"[.!?…;](?:\s|$)")
_UNIT_KINDS = frozenset({"prov", "local", "dept", "ministry", "org", "country", "agg"})


class Line(NamedTuple):
    start: int
    end: int
    opener: Mention | None  # the unit named first on the line, right after its marker
    role: str  # "heading" (holds for the lines after it), "item" (its own line), "bare", "text"


def _classify(text: str, start: int, end: int, firsts: list[Mention]) -> Line:
    marker = LINE_MARKER.match(text, start, end)
    at = marker.end() if marker else start
    opener = next((m for m in firsts if m.start == at and m.end <= end), None)
    if opener is None or opener.value.kind not in _UNIT_KINDS or not opener.value.text:
        bare = end - start <= 80 and _BARE_HEADING.fullmatch(text, start, end) is not None
        return Line(start, end, None, "bare" if bare else "text")
    rest = _PARENS.sub("", text[opener.end:end])
    if end - start <= _MAX_HEADING and _HEADING_TAIL.fullmatch(rest):
        return Line(start, end, opener, "heading")  # "Sở Công Thương", "- Sở Tư pháp:"
    # "- Sở Y tế đạt …", "Sở Tư pháp: năm 2023 đơn vị đạt …": the name holds for its own line
    item = text[start:at].strip() or rest.lstrip().startswith(":")
    if not item and end - start <= _MAX_SUBHEADING and _SUBHEADING.fullmatch(text, start, end) \
            and not _SENTENCE_STOP.search(text, start, end):
        return Line(start, end, opener, "heading")  # "Q.Tân Phú báo cáo 100% đúng hẹn": a news subheading
    return Line(start, end, opener, "item" if item else "text")


class Openers:
    """The lines of an article with the unit each opens, to find the heading or list item
    a figure stands under."""

    def __init__(self, text: str, entities: list[Mention], title_end: int) -> None:
        by_start = sorted(entities, key=lambda m: m.start)
        starts = [m.start for m in by_start]
        self.lines: list[Line] = []
        pos = title_end
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            if text[pos:end].strip():
                k = bisect_right(starts, pos - 1)
                firsts = [m for m in by_start[k:k + 6] if m.start < end]
                self.lines.append(self._line(text, pos, end, firsts))
            pos = end + 1
        self.starts = [ln.start for ln in self.lines]

    @staticmethod
    def _line(text: str, start: int, end: int, firsts: list[Mention]) -> Line:
        return _classify(text, start, end, firsts)

    def holding(self, pos: int, main: Mention | None = None) -> tuple[Mention, str] | None:
        """The unit that holds at ``pos``: the one opening its line when the line is a
        heading or a list item, else the last heading above it (until a bare heading or
        another item ends its section). The second value says which ("item", "heading").
        A unit that is the article's ``main`` one is named as the main one is (its fullest
        name: "tỉnh Quảng Bình" for the "Quảng Bình: …" that opens a page)."""
        held = self._holding(pos)
        if held is not None and main is not None and held[0].value.id is not None \
                and held[0].value.id == main.value.id:
            opener = held[0]
            return Mention(opener.start, opener.end, opener.text, main.value), held[1]
        return held

    def _holding(self, pos: int) -> tuple[Mention, str] | None:
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return None
        here = self.lines[i]
        if here.opener is not None and here.role in ("heading", "item"):
            return here.opener, "item" if here.role == "item" else "heading"
        for line in reversed(self.lines[:i]):
            if line.role == "heading" and line.opener is not None:
                return line.opener, "heading"
            if line.role in ("item", "bare"):
                return None
        return None


# The heading above a table: "Top 15 bảng xếp hạng PCI năm 2018", a short line with a year.
_TABLE_HEADING_CHARS = 120
_TABLE_REACH = 20_000  # characters looked back for it (a table of 63 rows is ~3,000)


def table_heading_year(cell_start: int, years: list[Mention], text: str) -> Mention | None:
    """The last year written before a table cell on a short line of its own (the heading of
    the table the cell is in): a page of one table a year gives each table its year, where
    the article's year would give them all one. ``years`` are in text order."""
    for m in reversed([m for m in starting(years, max(0, cell_start - _TABLE_REACH), cell_start) if m.end <= cell_start][-12:]):
        start = text.rfind("\n", 0, m.start) + 1
        end = text.find("\n", m.end)
        end = len(text) if end < 0 else end
        if end - start <= _TABLE_HEADING_CHARS and end < cell_start:
            return m
    return None
