"""Aggregates: the groups of units results are reported for ("63 tỉnh, thành phố", "các
sở, ngành", "cấp huyện"), told apart from the scope of a rank ("xếp thứ 5/63 tỉnh") and
from sets that are not units ("3 bộ hồ sơ"), and merged with the entity mentions.

The pattern that finds them is :attr:`newsfacts.entities.Vocab.aggregate`; what each
match stands for is decided here, for the linker.
"""

from __future__ import annotations

from typing import Any

import regex

from ..entities import Entity, Mention
from ..roles import compared_average

# "xếp thứ 5/63 tỉnh, thành phố", "cao nhất trong 17 bộ, ngành", "dẫn đầu khối sở, ngành với
# 82 điểm": the group is the scope (of the rank, and of the score after it).
_SCOPE_BEFORE = regex.compile(
    # … but "cao nhất là ở Đồng bằng sông Hồng với 88,3%" names the group that holds the figure
    r"(?:trong|trên|giữa|so với|trong số|trong tổng số|của cả|/|thuộc|với|cho|tại|(?<!(?<!\p{L})là )ở|đối với|gồm"
    r"|(?<!\p{L})(?:thứ|hạng|vị trí)"  # "xếp thứ 13/63 tỉnh thành": a rank's scope
    r"|(?<!\p{L})(?:đứng|dẫn|xếp) (?:đầu|cuối))\s+(?:(?:nhóm|khối|khu vực|các nước)\s+)?$",  # "dẫn đầu khối sở"
    regex.IGNORECASE)
# "…; tại UBND cấp huyện đạt 99,33%": a list item that opens with where, then its value.
_ITEM_AT = regex.compile(r"[;,]\s+(?:tại|ở)\s+$", regex.IGNORECASE)
_VALUE_VERB_AFTER = regex.compile(r"\s+(?:đạt|là)(?!\p{L})", regex.IGNORECASE)
# "đạt trung bình ASEAN 4": the average of a group of countries as a target, a benchmark.
_BENCHMARK_AFTER = regex.compile(r"[\s-]?\d(?!\d)")
# "Trong khu vực bao gồm Đông Nam Á, Đông Á và châu Đại Dương, Việt Nam xếp thứ 9": every
# region of a list that opened as a scope is the scope too. Only world regions: applied to
# every group, the same look-back turned subjects into scopes (held-aside subject .903 -> .890).
_WORLD = regex.compile(r"(?:khu vực |)(?:thế giới|toàn cầu|châu|Đông Nam Á|ASEAN)", regex.IGNORECASE)
_SCOPE_LIST_BEFORE = regex.compile(r"(?<!\p{L})(?:trong|gồm)(?! đó)\s+[^.;:()\d]{0,60}?(?:,|\bvà)\s+$",
                                   regex.IGNORECASE)

# … but "Nhóm B gồm 30 tỉnh có Chỉ số … đạt 85,3%": a count after "gồm" sizes the group.
_MEMBERS_AFTER = regex.compile(r"\s*(?:như|gồm|bao gồm|:)(?!\p{L})(?!\s*:?\s*\d+ )", regex.IGNORECASE)


# "cả tỉnh", "toàn bộ huyện": one unit, whole; a single noun is a group after a number or a plural.
_ONE_UNIT = regex.compile(r"(?:cả|toàn bộ) (?:bộ|tỉnh|sở|huyện|quận|xã|đơn vị)$", regex.IGNORECASE)
# "khối xã" is a group where a level word is one (aggregates.yaml's heads): opening a clause,
# or owning the index ("giá trị DTI của khối bộ").
_HEAD_CONTEXT = regex.compile(r"(?:^|[.;:!?] |\n|, |(?<!\p{L})(?:còn|và|trong đó|riêng|ở|tại|đối với|với|của) )$",
                              regex.IGNORECASE)
_COUNTED_BO = regex.compile(r"(?!cấp |khối )\S+(?: các)? bộ", regex.IGNORECASE)  # "cấp bộ", "khối bộ": the level
_NOT_MINISTRIES = regex.compile(r" (?:hồ sơ|đồ|phim|sưu tập|quần|áo|phận|máy|môn|luật|tài liệu|câu hỏi|tiêu chí|"
                             r"chỉ số|sách|tranh|ảnh|trang phục|váy|bikini|dụng cụ|thủ tục|mã|công cụ)(?!\p{L})",
                             regex.IGNORECASE)
_SINGLE_GROUP = regex.compile(r" (?:bộ|tỉnh|sở|huyện|quận|xã|đơn vị)$", regex.IGNORECASE)
_REGION_AFTER = regex.compile(r" (?:vùng|khu vực|miền)(?!\p{L})", regex.IGNORECASE)
# "phía Tây Bắc của tỉnh": a direction, not the region.
_DIRECTION_BEFORE = regex.compile(r"(?:phía|hướng|miền|vùng núi)\s+$", regex.IGNORECASE)


def aggregate_value(surface: str, m: Any) -> Entity | None:
    text = " ".join(m.group(0).split())
    if _COUNTED_BO.fullmatch(text) and (not (text[:1].isdigit() or text.lower().startswith("các "))
                                        or _NOT_MINISTRIES.match(m.string, m.end())):
        return None  # "những bộ đồ", "3 bộ hồ sơ": sets, not ministries
    if _ONE_UNIT.fullmatch(text) or _DIRECTION_BEFORE.search(m.string, max(0, m.start() - 10), m.start()) \
            or (text.lower().startswith("khối ") and _SINGLE_GROUP.search(text)
                and not _HEAD_CONTEXT.search(m.string, max(0, m.start() - 16), m.start())) \
            or (_SINGLE_GROUP.search(text) and _REGION_AFTER.match(m.string, m.end())):
        return None  # "các tỉnh vùng Đông Nam Bộ": the region is the group
    item = _ITEM_AT.search(m.string, max(0, m.start() - 8), m.start()) is not None \
        and _VALUE_VERB_AFTER.match(m.string, m.end()) is not None
    scope = (_SCOPE_BEFORE.search(m.string[max(0, m.start() - 16): m.start()]) is not None and not item) \
        or _MEMBERS_AFTER.match(m.string, m.end()) is not None \
        or compared_average(m.string, m.start(), m.end()) \
        or (text.endswith("ASEAN") and _BENCHMARK_AFTER.match(m.string, m.end()) is not None) \
        or (_WORLD.match(text) is not None
            and _SCOPE_LIST_BEFORE.search(m.string[max(0, m.start() - 80): m.start()]) is not None)
    return Entity(text, None, "agg", agent=scope)


def with_aggregates(entities: list[Mention], aggregates: list[Mention]) -> list[Mention]:
    """Entity mentions and aggregate mentions in text order; an entity inside an aggregate
    ("sở" in "khối sở, ngành", "tỉnh" in "các tỉnh, thành phố") is part of it."""
    if not aggregates:
        return entities
    kept = [e for e in entities if not any(a.start <= e.start and e.end <= a.end for a in aggregates)]
    inside = [a for a in aggregates if not any(e.start <= a.start and a.end <= e.end and e.end - e.start > a.end - a.start
                                               for e in kept)]
    return sorted([*kept, *inside], key=lambda m: (m.start, -m.end))
