"""Ranks read across clauses: a change stated after the position, a size stated once.

A rule reads one rank at a time. Results articles spread a rank over a sentence or
two: "đứng thứ 51/63 … So với năm trước, tỉnh vẫn tăng được 4 bậc" is one rank with
its change, not a second rank; "Trong nhóm 17 bộ, ngành có dịch vụ công, Bộ Tài chính
xếp vị trí số 1" is a rank out of 17. This pass settles both on the linked facts of one
article, after every figure has its subject and index.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import pairwise
from typing import Any

import regex

from ..entities import Mention
from ..numbers import parse_int
from .circles import Circles

_CHANGE = regex.compile(
    r"(?<!\p{L})(?P<dir>tăng|giảm|tụt|lên|xuống|vươn lên|tụt xuống|nhảy vọt|thăng|lùi|vượt)"
    r"(?: (?:được|thêm|tới|đến|liền|liên tiếp|hạng))? (?P<n>\d+|(?:\p{L}+ ){0,3}?\p{L}+) (?:bậc|hạng|thứ hạng)(?!\p{L})",
    regex.IGNORECASE)
_DOWN = frozenset({"giảm", "tụt", "xuống", "tụt xuống", "lùi"})
# The size of a ranking stated for the list: "Trong nhóm 17 bộ, ngành", "trong tổng số 20 sở",
# "Trong khối 20 sở, ngành", "dẫn đầu 19 bộ, ngành".
_SIZE = regex.compile(
    r"(?:(?<!\p{L})(?:trong|trên|giữa|của|với|gồm|ở|ở nhóm|dẫn đầu|đứng đầu)\s+(?:nhóm\s+|khối\s+|tổng số\s+|số\s+|cả\s+)?"
    r"|(?<![\p{L},]\s)(?<!\p{L})[Kk]hối\s+)(?P<n>\d+)\s+"
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
    used: list[tuple[int, int]] = []  # the changes that went to a rank after them
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
        own = rank.get("subject")
        # another entity between the rank and the change names another subject; the rank's
        # own one may stand there ("Xếp thứ 2/63 là tỉnh X với 93,35%, tăng 3 bậc")
        # (an aside in brackets names no one the change is of: "59/63 (trong đó 2 tỉnh không
        # xếp hạng …), giảm 12 bậc")
        if change is not None and not any(end <= e.start < change.start() and not e.value.agent
                                          and e.text != own and not _in_aside(text, end, e.start, change.start())
                                          for e in entities):
            value = _change_value(change)
            if value is not None:
                rank["change"] = value
                used.append(change.span())
                dropped.update(j for j in unplaced.overlapping(change.span()))
                continue
        follow = _next_change_only(facts, changes_only, placed_at, i, circles)
        if follow is not None:
            rank["change"] = facts[follow]["change"]
            dropped.add(follow)
    dropped.update(_changes_before(facts, placed, unplaced, circles, entities, used))
    for i in ranks:
        _fill_size(facts[i], circles)
    dropped.update(_last_with_place(facts, ranks, circles))
    dropped.update(_heading_changes(facts, ranks, placed, circles))
    _share_trailing_size(facts, [i for i in placed if i not in dropped], circles)
    return [f for k, f in enumerate(facts) if k not in dropped]


# "tăng 34 bậc (từ vị trí 47 lên vị trí 13)", "giảm 6 bậc, từ vị trí thứ 9 năm 2022 xuống
# thứ 15": the position it came from, then the one it reached.
_FROM_BEFORE = regex.compile(r"(?<!\p{L})từ\s+(?:(?:vị trí|hạng|thứ hạng|bậc)\s+)?(?:số\s+)?(?:thứ\s+)?$", regex.IGNORECASE)
_TO_BETWEEN = regex.compile(
    r"(?:[^\d.;:()]|(?<!\d)(?:19|20)\d\d(?!\d)|\((?:năm )?(?:19|20)\d\d\)){0,60}?(?<!\p{L})(?:lên|xuống|vươn lên|tụt xuống)\s+"
    r"(?:(?:vị trí|hạng|thứ hạng|bậc)\s+)?(?:số\s+)?", regex.IGNORECASE)


_BASELINE_BRACKET = regex.compile(r"so với (?:năm )?(?:19|20)\d\d\s*\(\s*$", regex.IGNORECASE)


def _changes_before(facts: list[dict[str, Any]], placed: list[int], unplaced: _Starts, circles: Circles,
                    entities: list[Mention], used: list[tuple[int, int]]) -> set[int]:
    """A change stated before the position in its sentence is the position's ("Quảng Ninh
    thăng hạng 2 bậc trở thành tỉnh dẫn đầu", "giảm 22 bậc, từ vị trí 25 xuống vị trí 47"),
    when no other position or body stands between; of a move "từ vị trí A lên vị trí B"
    the change belongs to B, the position reached, never to A, where it came from. The
    change-only ranks that stated the change are dropped."""
    text = circles.text
    dropped: set[int] = set()
    order = sorted(placed, key=lambda k: facts[k]["span"][0])
    came_from: dict[int, int] = {}  # the position reached -> the one it came from
    for a, b in pairwise(order):
        (a0, a1), b0 = facts[a]["span"], facts[b]["span"][0]
        if circles.sentence_of(a0) == circles.sentence_of(b0) \
                and _FROM_BEFORE.search(text, max(0, a0 - 24), a0) and _TO_BETWEEN.fullmatch(text, a1, b0):
            came_from[b] = a
    origins = set(came_from.values())
    previous_end: int | None = None
    previous_sentence = -1
    for k in order:
        rank = facts[k]
        start, end = rank["span"]
        j = circles.sentence_of(start)
        sent = circles.sentences[j] if circles.sentences else None
        lo = max(sent.start, previous_end) if sent is not None and previous_sentence == j and previous_end else \
            (sent.start if sent is not None else start)
        if k not in origins:
            previous_end, previous_sentence = end, j
        if k in origins or sent is None or _BASELINE_BRACKET.search(text, max(0, start - 40), start):
            continue  # "… tụt hai bậc, giảm 4,17% so với năm 2020 (vị trí dẫn đầu)": the place compared with
        origin = came_from.get(k)
        if origin is not None and facts[origin].get("change") is not None and rank.get("change") is None:
            rank["change"], facts[origin]["change"] = facts[origin]["change"], None
            continue
        if rank.get("change") is not None:
            # "nhảy vọt 17 bậc, từ bậc 21 lên bậc 4": the move's rank worked out the same change
            same = [m for m in _CHANGE.finditer(text, lo, start) if _change_value(m) == rank["change"]
                    and not any(_overlaps(m.span(), u) for u in used)]
            if same:
                used.append(same[-1].span())
                dropped.update(unplaced.overlapping(same[-1].span()))
            continue
        hi = facts[origin]["span"][0] if origin is not None else start
        found = [m for m in _CHANGE.finditer(text, lo, hi) if not any(_overlaps(m.span(), u) for u in used)]
        if not found:
            continue
        change = found[-1]
        own = rank.get("subject")
        if any(change.end() <= e.start < start and not e.value.agent and not (e.text != e.value.text == own)
               for e in entities):
            continue  # a body named between opens another clause (a reference to the rank's own is not one)
        value = _change_value(change)
        if value is None or any(facts[o].get("change") == value and circles.sentence_of(facts[o]["span"][0]) == j
                                for o in order if facts[o]["span"][0] > start):
            continue  # a later position of the sentence took it already ("tăng 8 bậc, từ thứ 75 … lên thứ 67")
        rank["change"] = value
        used.append(change.span())
        dropped.update(unplaced.overlapping(change.span()))
    return dropped


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


def _heading_changes(facts: list[dict[str, Any]], ranks: list[int], placed: list[int],
                     circles: Circles) -> set[int]:
    """"Bình Phước: tăng 20 bậc" as a heading line, "… xếp thứ 21/63." on the line under it:
    one rank, the heading's change on the position below (the change-only rank dropped)."""
    dropped: set[int] = set()
    text = circles.text
    is_placed = set(placed)  # asked for every rank: a list's membership is a scan of it
    for k in ranks:
        f = facts[k]
        if k in is_placed or f.get("change") is None:
            continue
        # a heading is a line of at most 120 characters: its ends are looked for that near
        # the figure only (a one-line text of a megabyte has none, and is not read whole)
        lo = max(0, f["span"][0] - 121)
        line_start = text.rfind("\n", lo, f["span"][0]) + 1
        line_end = text.find("\n", f["span"][1], line_start + 121) if line_start or not lo else -1
        if line_end < 0 or line_end - line_start > 120:
            continue  # not a heading: the last line, or a long one
        below_start = line_end + 1
        while below_start < len(text) and text[below_start] == "\n":
            below_start += 1
        below_end = text.find("\n", below_start)
        below_end = len(text) if below_end < 0 else below_end
        first = next((i for i in placed if below_start <= facts[i]["span"][0] < below_end), None)
        if first is None:
            continue
        rank = facts[first]  # the first position below; one with its own change keeps it
        if rank.get("change") is None and f.get("index") in (None, rank.get("index")) and _same_holder(f, rank):
            rank["change"] = f["change"]
            dropped.add(k)
    return dropped


def _same_holder(heading: dict[str, Any], rank: dict[str, Any]) -> bool:
    """Whether a heading's change may be the rank's below it: "Thanh Hóa tăng 3 bậc …" over
    "Ninh Bình và Thanh Hóa lần lượt đứng thứ 6 và 12" is not Ninh Bình's change."""
    a, b = heading.get("subject"), rank.get("subject")
    if not a or not b:
        return True
    ids = heading.get("subject_id"), rank.get("subject_id")
    if ids[0] is not None and ids[0] == ids[1]:
        return True
    return str(a).lower() in str(b).lower() or str(b).lower() in str(a).lower()


# A size written after the last item of a list: "… thứ 12, … thứ 13 và … thứ 14 trong 63 tỉnh".
_TRAILING_SIZE = regex.compile(r"(?:trong|trên|giữa)(?: tổng số| số| cả)? (?P<n>\d+) \p{L}", regex.IGNORECASE)


def _share_trailing_size(facts: list[dict[str, Any]], placed: list[int], circles: Circles) -> None:
    """"chính quyền số ở vị trí thứ 12, kinh tế số ở vị trí thứ 13 và xã hội số ở vị trí
    thứ 14 trong 63 tỉnh, thành phố": the size closing a list of positions in one sentence
    is the size of each of them (same index, no size of their own, positions within it)."""
    by_sentence: dict[int, list[int]] = {}
    for i in placed:
        by_sentence.setdefault(circles.sentence_of(facts[i]["span"][0]), []).append(i)
    for items in by_sentence.values():
        if len(items) < 2:
            continue
        last = facts[items[-1]]
        size = last.get("out_of")
        start, end = last["span"]
        # the size may end the rank's own text ("… cuối bảng trong tổng số 20"), its noun after
        trailing = _TRAILING_SIZE.search(circles.text, start, min(end + 40, len(circles.text)))
        if size is None or trailing is None or trailing.start() >= end or int(trailing.group("n")) != size:
            continue
        for i in items[:-1]:
            f = facts[i]
            if (f.get("out_of") is None and f.get("index") == last.get("index")
                    and f.get("qualifier") == "exact" and 0 < (f.get("position") or 0) <= size):
                f["out_of"] = size


def _in_aside(text: str, start: int, at: int, end: int) -> bool:
    """Whether ``at`` is inside brackets opened after ``start`` and closed before ``end``."""
    opened = text.rfind("(", start, at)
    return opened >= 0 and ")" not in text[opened:at] and ")" in text[at:end]


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
    # "Sở A xếp cuối (71,2%) của khối 5 cơ quan": a size right after the rank is its own
    after = _AFTER_RANK.match(circles.text, rank["span"][1], sent.end)
    size_after = _SIZE.match(circles.text, after.end(), sent.end) if after is not None else None
    if size_after is not None:
        _take_size(rank, int(size_after.group("n")))
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
        if not _take_size(rank, size) and position is not None and position < size \
                and sizes[-1].end() <= start:
            # "ở nhóm 17 bộ, ngành có dịch vụ công, 3 vị trí dẫn đầu thuộc về …": the
            # group's size, stated before the top places (never "nhóm 10 địa phương dẫn
            # đầu", the top places' own words)
            rank["out_of"] = size
        return
    group = _group_of(rank)
    if group is None or not circles.title_end or start <= circles.title_end:
        return
    stated = circles.once("group_sizes", lambda: _group_sizes(circles.text))
    if group in stated:
        # "tại tỉnh Ninh Bình có 18 sở, ngành và 8 UBND huyện … nằm trong danh sách xếp hạng",
        # "Giá trị trung bình … của 6 vùng kinh tế - xã hội" (title): the size the article
        # states for the group the holder is one of, the largest stated before the rank
        ends, largest = stated[group]
        k = bisect_left(ends, start)
        if k:
            _take_size(rank, largest[k - 1])


# The size of a group an article ranks, stated anywhere before a rank of one of its
# members: "6/6 vùng", "18 sở, ngành", "8 UBND huyện", "21 cơ quan chuyên môn"; the group
# is told by the holder's head word ("Sở Tư pháp", "UBND huyện Kim Sơn", "vùng Tây Nguyên").
_GROUP_SIZE = regex.compile(
    r"(?<![\d/.,])(?:(?P<n>\d{1,3})/(?P=n)|(?P<n>\d{1,3})) (?:(?:UBND|Ủy ban nhân dân) )?"
    # in lower case: "2 Sở Nội vụ" is a table's serial number and a name, not two departments
    r"(?-i:(?P<head>vùng|tỉnh|bộ|sở|cơ quan chuyên môn|huyện|quận|thị xã|xã|phường))(?!\p{L})", regex.IGNORECASE)
_HOLDER_HEAD = regex.compile(r"(?:(?:UBND|Ủy ban nhân dân)\s+)?(vùng|tỉnh|bộ|sở|ban|văn phòng|thanh tra|huyện|quận|thị xã|"
                             r"thành phố|xã|phường)(?!\p{L})", regex.IGNORECASE)
_GROUPS = {"cơ quan chuyên môn": "sở", "ban": "sở", "văn phòng": "sở", "thanh tra": "sở",
           "quận": "huyện", "thị xã": "huyện", "thành phố": "huyện", "phường": "xã"}


_TOP_BEFORE = regex.compile(r"(?<!\p{L})(?:top|tốp)\s+$", regex.IGNORECASE)
_TOP_AFTER = regex.compile(r"[^.;,\d]{0,50}?(?<!\p{L})(?:hàng đầu|dẫn đầu|đứng đầu|cao nhất|thấp nhất|xếp cuối|đứng cuối)(?!\p{L})",
                           regex.IGNORECASE)


def _group_of(rank: dict[str, Any]) -> str | None:
    """The group a rank holder is one of, by its head word ("huyện" of "UBND huyện Kim Sơn")."""
    m = _HOLDER_HEAD.match(rank.get("subject") or "")
    return _GROUPS.get(m.group(1).lower(), m.group(1).lower()) if m else None


def _group_sizes(text: str) -> dict[str, tuple[list[int], list[int]]]:
    """For each group, where its sizes are stated (their ends, in text order) and the largest
    size stated up to each: a rank's question is a bisection."""
    found: dict[str, tuple[list[int], list[int]]] = {}
    for m in _GROUP_SIZE.finditer(text):
        n = int(m.group("n"))
        if n < 2 or _TOP_BEFORE.search(text, max(0, m.start() - 8), m.start()) \
                or _TOP_AFTER.match(text, m.end()):
            continue  # "tốp 15 tỉnh", "15 tỉnh có điểm cao nhất": the leaders, not all ranked
        ends, largest = found.setdefault(_GROUPS.get(m.group("head").lower(), m.group("head").lower()), ([], []))
        ends.append(m.end())
        largest.append(max(n, largest[-1]) if largest else n)
    return found


# What may stand between a rank and the size stated right after it: its value in brackets.
_AFTER_RANK = regex.compile(r"(?:\s*(?:bảng(?: xếp hạng)?|\([^()]{0,24}\)))*\s+")


def _take_size(rank: dict[str, Any], size: int) -> bool:
    """The size of its ranking as a rank's ``out_of`` (a last place without a position is
    that size too); False when the size cannot be the rank's (a position beyond it, a top-n)."""
    position = rank.get("position")
    if position is None and rank.get("qualifier") == "last":
        rank["position"] = rank["out_of"] = size
    elif position is not None and position <= size and rank.get("qualifier") != "top_n":
        rank["out_of"] = size
    else:
        return False
    return True
