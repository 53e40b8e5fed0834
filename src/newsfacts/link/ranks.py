"""Ranks read across clauses: a change stated after the position, a size stated once.

A rule reads one rank at a time. Results articles spread a rank over a sentence or
two: "đứng thứ 51/63 … So với năm trước, tỉnh vẫn tăng được 4 bậc" is one rank with
its change, not a second rank; "Trong nhóm 17 bộ, ngành có dịch vụ công, Bộ Tài chính
xếp vị trí số 1" is a rank out of 17. This pass settles both on the linked facts of one
article, after every figure has its subject and index.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import regex

from ..entities import Mention
from ..numbers import parse_int
from .circles import Circles

_CHANGE = regex.compile(
    r"(?<!\p{L})(?P<dir>tăng|giảm|tụt|lên|xuống|vươn lên|tụt xuống|nhảy vọt|thăng|lùi|vượt)"
    r"(?: (?:được|thêm|tới|đến|liền|liên tiếp))? (?P<n>\d+|(?:\p{L}+ ){0,3}?\p{L}+) (?:bậc|hạng|thứ hạng)(?!\p{L})",
    regex.IGNORECASE)
_DOWN = frozenset({"giảm", "tụt", "xuống", "tụt xuống", "lùi"})
# The size of a ranking stated for the list: "Trong nhóm 17 bộ, ngành", "trong tổng số 20 sở".
_SIZE = regex.compile(
    r"(?<!\p{L})(?:trong|trên|giữa|của|với|gồm|ở|ở nhóm)\s+(?:nhóm\s+|tổng số\s+|số\s+|cả\s+)?(?P<n>\d+)\s+"
    r"(?:bộ|tỉnh|sở|địa phương|huyện|đơn vị|cơ quan|quận|xã|phường|quốc gia|nền kinh tế|nước|thành phố|"
    r"ngân hàng|doanh nghiệp|vùng)(?!\p{L})", regex.IGNORECASE)


# The words that open another group of a results list: the size stated for the group
# before does not hold across them.
_NEW_GROUP = regex.compile(
    r"(?<!\p{L})(?:cấp|khối|nhóm)\s+(?:huyện|xã|sở|tỉnh|bộ|quận|phường|UBND|địa phương|ngành)(?!\p{L})",
    regex.IGNORECASE)


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
    for n, i in enumerate(placed):
        rank = facts[i]
        if rank.get("change") is not None:
            continue
        start, end = rank["span"]
        sent = circles.sentences[circles.sentence_of(start)] if circles.sentences else None
        if sent is None:
            continue
        limit = min([facts[j]["span"][0] for j in placed[n + 1:] if facts[j]["span"][0] < sent.end] + [sent.end])
        change = _CHANGE.search(text, end, limit)
        if change is not None and not any(end <= e.start < change.start() and not e.value.agent for e in entities):
            value = _change_value(change)
            if value is not None:
                rank["change"] = value
                dropped.update(j for j in ranks if j not in placed and _overlaps(facts[j]["span"], change.span()))
                continue
        follow = _next_change_only(facts, ranks, placed, i, circles)
        if follow is not None:
            rank["change"] = facts[follow]["change"]
            dropped.add(follow)
    for i in ranks:
        _fill_size(facts[i], circles)
    dropped.update(_last_with_place(facts, ranks, circles))
    return [f for k, f in enumerate(facts) if k not in dropped]


def _last_with_place(facts: list[dict[str, Any]], ranks: list[int], circles: Circles) -> set[int]:
    """"đứng cuối bảng, ở vị trí 63/63": one last place, stated twice. The position takes
    the qualifier last; the last place without a position is dropped."""
    dropped: set[int] = set()
    for a, b in pairwise(ranks):
        last, placed = facts[a], facts[b]
        if last.get("qualifier") != "last" or last.get("position") is not None:
            continue
        position, size = placed.get("position"), placed.get("out_of")
        if position is None or position != size or not 0 < placed["span"][0] - last["span"][1] <= 30:
            continue
        if circles.sentence_of(placed["span"][0]) != circles.sentence_of(last["span"][0]):
            continue
        placed["qualifier"] = "last"
        dropped.add(a)
    return dropped


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _next_change_only(facts: list[dict[str, Any]], ranks: list[int], placed: list[int], i: int,
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
    for k in ranks:
        f = facts[k]
        if k in placed or f.get("change") is None or not nxt.start <= f["span"][0] < nxt.end:
            continue
        if any(rank["span"][1] <= facts[p]["span"][0] < f["span"][0] for p in placed if p != i):
            return None
        same_subject = f.get("subject") in (None, rank.get("subject")) or f.get("subject_id") == rank.get("subject_id")
        same_index = f.get("index") in (None, rank.get("index"))
        return k if same_subject and same_index else None
    return None


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
    # "Đối với cấp huyện, UBND huyện A xếp thứ nhất": a new group, not the size of the last
    opens_group = _NEW_GROUP.search(circles.text, sent.start, start) is not None
    for back in (j - 1, j - 2):
        if not opens_group and back >= 0 and circles.sentences[back].paragraph == sent.paragraph:
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
