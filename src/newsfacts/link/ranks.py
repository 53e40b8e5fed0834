"""Ranks read across clauses: a change stated after the position, a size stated once.

A rule reads one rank at a time. Results articles spread a rank over a sentence or
two: "đứng thứ 51/63 … So với năm trước, tỉnh vẫn tăng được 4 bậc" is one rank with
its change, not a second rank; "Trong nhóm 17 bộ, ngành có dịch vụ công, Bộ Tài chính
xếp vị trí số 1" is a rank out of 17. This pass settles both on the linked facts of one
article, after every figure has its subject and index.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

import regex

from ..entities import Mention
from ..numbers import parse_int
from .circles import Circles

_CHANGE = regex.compile(
    r"(?<!\p{L})(?P<dir>tăng|giảm|tụt|lên|xuống|vươn lên|tụt xuống|nhảy vọt|thăng|lùi)"
    r"(?: (?:được|thêm|tới|liền|liên tiếp))? (?P<n>\d+|(?:\p{L}+ ){0,3}?\p{L}+) (?:bậc|hạng|thứ hạng)(?!\p{L})",
    regex.IGNORECASE)
_DOWN = frozenset({"giảm", "tụt", "xuống", "tụt xuống", "lùi"})
# The size of a ranking stated for the list: "Trong nhóm 17 bộ, ngành", "trong tổng số 20 sở".
_SIZE = regex.compile(
    r"(?<!\p{L})(?:trong|trên|giữa|của|với|gồm|ở|ở nhóm)\s+(?:nhóm\s+|tổng số\s+|số\s+|cả\s+)?(?P<n>\d+)\s+"
    r"(?:bộ|tỉnh|sở|địa phương|huyện|đơn vị|cơ quan|quận|xã|phường|quốc gia|nền kinh tế|nước|thành phố|"
    r"ngân hàng|doanh nghiệp|vùng)(?!\p{L})", regex.IGNORECASE)


def _change_value(m: Any) -> int | None:
    try:
        n = parse_int(m.group("n"))
    except (ValueError, TypeError):
        return None
    if n is None or not 0 < n < 200:
        return None
    return -n if m.group("dir").lower() in _DOWN else n


def settle_ranks(facts: list[dict[str, Any]], circles: Circles, entities: list[Mention]) -> list[dict[str, Any]]:
    """The facts with changes moved onto the rank they belong to (the change-only ranks
    that stated them dropped) and list-level sizes filled in as ``out_of``."""
    text = circles.text
    ranks = [i for i, f in enumerate(facts) if f["kind"] == "rank"]
    placed = [i for i in ranks if facts[i].get("position") is not None]
    dropped: set[int] = set()
    # every question below is about ranks by position: asked of starts in order, once
    # sorted, it costs a bisection and not a pass over every rank (see ``_Starts``)
    is_placed = set(placed)
    unplaced = _Starts(facts, [j for j in ranks if j not in is_placed])
    changes_only = _Starts(facts, [j for j in unplaced.ids if facts[j].get("change") is not None])
    placed_at = _Starts(facts, placed)
    next_start = [0] * (len(placed) + 1)  # the first start among placed[n:], by position in the list
    next_start[-1] = 1 << 62
    for n in range(len(placed) - 1, -1, -1):
        next_start[n] = min(next_start[n + 1], facts[placed[n]]["span"][0])
    for n, i in enumerate(placed):
        rank = facts[i]
        if rank.get("change") is not None:
            continue
        start, end = rank["span"]
        sent = circles.sentences[circles.sentence_of(start)] if circles.sentences else None
        if sent is None:
            continue
        limit = min(next_start[n + 1], sent.end)
        change = _CHANGE.search(text, end, limit)
        if change is not None and not any(end <= e.start < change.start() and not e.value.agent for e in entities):
            value = _change_value(change)
            if value is not None:
                rank["change"] = value
                dropped.update(j for j in unplaced.overlapping(change.span()))
                continue
        follow = _next_change_only(facts, changes_only, placed_at, i, circles)
        if follow is not None:
            rank["change"] = facts[follow]["change"]
            dropped.add(follow)
    for i in ranks:
        _fill_size(facts[i], circles)
    return [f for k, f in enumerate(facts) if k not in dropped]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class _Starts:
    """Some of the facts (by number) with their spans' starts in order: which of them
    start in a stretch of text is a bisection."""

    def __init__(self, facts: list[dict[str, Any]], ids: list[int]) -> None:
        self.ids = ids
        pairs = sorted((facts[j]["span"][0], j) for j in ids)
        self.starts = [a for a, _ in pairs]
        self.by_start = [j for _, j in pairs]
        self.longest = max((facts[j]["span"][1] - facts[j]["span"][0] for j in ids), default=0)
        self.facts = facts

    def starting(self, lo: int, hi: int) -> list[int]:
        """The facts whose span starts in ``[lo, hi)``, in no particular order."""
        return self.by_start[bisect_left(self.starts, lo): bisect_left(self.starts, hi)]

    def overlapping(self, span: tuple[int, int]) -> list[int]:
        """The facts whose span overlaps ``span``."""
        return [j for j in self.starting(span[0] - self.longest, span[1])
                if _overlaps(self.facts[j]["span"], span)]


def _next_change_only(facts: list[dict[str, Any]], changes_only: _Starts, placed: _Starts, i: int,
                      circles: Circles) -> int | None:
    """A change-only rank in the next sentence of the paragraph about the same subject and
    index ("So với năm trước, tỉnh vẫn tăng được 4 bậc"), with no other position between."""
    rank = facts[i]
    j_sent = circles.sentence_of(rank["span"][0])
    if j_sent + 1 >= len(circles.sentences):
        return None
    here, nxt = circles.sentences[j_sent], circles.sentences[j_sent + 1]
    if nxt.paragraph != here.paragraph:
        return None
    there = changes_only.starting(nxt.start, nxt.end)
    if not there:
        return None
    k = min(there)  # the first in the article's order, as a pass over the ranks finds it
    f = facts[k]
    if any(p != i for p in placed.starting(rank["span"][1], f["span"][0])):
        return None
    same_subject = f.get("subject") in (None, rank.get("subject")) or f.get("subject_id") == rank.get("subject_id")
    same_index = f.get("index") in (None, rank.get("index"))
    return k if same_subject and same_index else None


def _fill_size(rank: dict[str, Any], circles: Circles) -> None:
    """``out_of`` from a size stated before the rank in its sentence, or in the two
    sentences before it in the paragraph; a last place without a position is that size."""
    if rank.get("out_of") is not None:
        return
    start = rank["span"][0]
    j = circles.sentence_of(start)
    sent = circles.sentences[j] if circles.sentences else None
    if sent is None:
        return
    spans = [(sent.start, start)]
    for back in (j - 1, j - 2):
        if back >= 0 and circles.sentences[back].paragraph == sent.paragraph:
            spans.append((circles.sentences[back].start, circles.sentences[back].end))
    for lo, hi in spans:
        sizes = list(_SIZE.finditer(circles.text, lo, hi))
        if not sizes:
            continue
        size = int(sizes[-1].group("n"))
        position = rank.get("position")
        if position is None and rank.get("qualifier") == "last":
            rank["position"] = rank["out_of"] = size
        elif position is not None and position <= size and rank.get("qualifier") != "top_n":
            rank["out_of"] = size
        return
