"""Kinds settled by context: a percentage that is the value of an index is a score.

A rule sees a figure and the few words around it. Whether "đạt 87,79%" is the value
of an index or the share of something else depends on what the sentence is about,
which only the linker knows: the index named in the clause ("Chỉ số CCHC của tỉnh đạt
91,5%"), a results list ("xếp vị trí thứ 2 là vùng Đông Nam Bộ, đạt 87,79%") under an
index named above it, or a value in parentheses after a name ("Hải Phòng (95,2%)").
A share keeps its kind when it counts something ("95% hồ sơ"), names a measure of its
own ("tỷ lệ hồ sơ trực tuyến đạt 68,5%"), or is a change ("tăng 1,39%"): a change of
an index value is a percentage that carries the index.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import Any

import regex

from ..entities import Mention, Vocab
from ..extract import Candidate
from ..segment import Sentence
from .circles import Circles, pick
from .clauses import LIST_JOINT, clause_span
from .index import component_named
from .scans import first_in_head
from .spans import last_ending_by, within
from .words import active as active_words

# The words before an index value: a value verb or an opening parenthesis or colon.
_VALUE_BEFORE = regex.compile(
    r"(?:\b(?:đạt|đạt được|là|với|ở mức|đạt mức|bằng|chỉ đạt|chỉ có|tương ứng|kết quả|giá trị|"
    r"trung bình|bình quân|tỷ lệ điểm|số điểm)|[(:])\s*"
    r"(?:(?:tỷ lệ|mức(?: \p{L}+){0,3}|kết quả|kết quả đạt|giá trị|số điểm|tỷ lệ điểm|chỉ số)\s+)?"
    r"(?:(?:trên|hơn|khoảng|gần|xấp xỉ|là|đạt|từ|dưới|từ trên)\s+)?$", regex.IGNORECASE)
# A threshold of a group: "đạt chỉ số trên 80%", "Chỉ số CCHC từ trên 80% đến dưới 90%", "kết quả chỉ số >90%".
_THRESHOLD_BEFORE = regex.compile(
    r"\bchỉ số(?: (?-i:[\p{Lu}&-]+))?\s+(?:từ\s+)?(?:(?:trên|dưới|từ trên|đến dưới)\s+|[>≥<≤]\s*)?$", regex.IGNORECASE)
# A bound word right before a figure: "đều trên 80%", "dưới 70%".
_BOUND_BEFORE = regex.compile(r"(?<!\p{L})(?:trên|dưới|từ|hơn)\s*$", regex.IGNORECASE)
# "tăng từ 81,82% lên 84,4%": the index's value before and after, not a change.
_FROM_BEFORE = regex.compile(r"(?<!\p{L})từ\s*(?:mức\s+)?$", regex.IGNORECASE)
_TO_AFTER = regex.compile(r"\s*(?:năm \d{4}\s*)?(?:lên|xuống)\s+(?:mức\s+)?\d", regex.IGNORECASE)
_FROM_TO_BEFORE = regex.compile(r"(?<!\p{L})từ\s*(?:mức\s+)?[\d.,]+\s*%\s*(?:năm \d{4}\s*)?(?:lên|xuống)\s*(?:mức\s+)?$",
                                regex.IGNORECASE)
_YEAR_AFTER = regex.compile(r"\s*(?:\(|,)?\s*(?:năm\s+)?(?:19|20)\d\d(?!\d)", regex.IGNORECASE)
# The share of satisfied people with the administration's service is SIPAS's value.
_SATISFIED_AFTER = regex.compile(
    r"\s*(?:số\s+)?(?:người dân|người dân, tổ chức|người dân và tổ chức|tổ chức, cá nhân|người dân, doanh nghiệp|người)"
    r"(?:\s+được (?:hỏi|khảo sát))?\s+(?:đều\s+)?hài lòng\s+(?:về|với|đối với)\s+(?:sự|chất lượng)\s+phục vụ", regex.IGNORECASE)
# The index called by its head noun, as the value's own word: "đạt kết quả chỉ số từ trên
# 70%", "với chỉ số là 71%", "chỉ số trung bình là 81,21%", "đạt chỉ số trên 90%, gồm … Đà Nẵng
# (92,54%)"; not the statistics' other indexes ("chỉ số giá tiêu dùng").
_HEAD_NOUN = regex.compile(
    r"(?<!\p{L})(?:kết quả chỉ số|với chỉ số|đạt chỉ số|có chỉ số|chỉ số (?:trung bình|bình quân|chung))(?!\p{L})"
    r"(?! (?:giá|tiêu dùng|CPI|sản xuất|công nghiệp|PMI|IIP|chứng khoán)(?!\p{L}))", regex.IGNORECASE)
# Rules that read a ranked result in percent as an index value ("dẫn đầu với 95,12%"), and
# the word that makes it a share instead where the article names no index.
_RANKED_SHARE_RULES = frozenset({"score.rank_with_percent"})
_SHARE_WORD = regex.compile(r"(?<!\p{L})t[ỷỉ] lệ\s*$", regex.IGNORECASE)
# A sentence that breaks down the figure before it: "Trong đó, khối sở … là 93,95%".
_BREAKDOWN = regex.compile(r"\s*(?:Trong đó|Cụ thể)\s*[,:]", regex.IGNORECASE)
# "từ 80% đến dưới 90%": the second end of a range of index values.
_RANGE_JOINT = regex.compile(r"\s*(?:đến|tới|-|–)\s*(?:dưới|trên|gần)?\s*", regex.IGNORECASE)
# "Bộ Tư pháp xếp vị trí số 1 với 91,1%": a result stated with its rank; "…; thứ 3 tỉnh
# Hải Dương đạt 90,23%": a list item opened by its ordinal.
_AFTER_RANK = regex.compile(
    r"(?:(?<!\p{L})(?:xếp|đứng|vị trí|hạng)(?: ở)?(?: vị trí)?(?: số| thứ)?|(?:^|[;:,]) thứ) ?"
    r"(?:\d+(?:/\d+)?|nhất|nhì|hai|ba|tư|cuối|đầu)"
    r"[^.;%\d]{0,25}?(?:với|đạt)\s+(?:tỷ lệ |kết quả |số điểm |tổng điểm )?$", regex.IGNORECASE)
# "Ở Chỉ số thành phần …, Bộ X đạt tỷ lệ điểm 100%": a named component's value.
_COMPONENT_NAMED = regex.compile(r"(?<!\p{L})chỉ số thành phần(?!\p{L})", regex.IGNORECASE)
# "tỉnh tăng mạnh nhất với 6,39%", "cao hơn so với năm 2015 là 2,35%", "cao hơn tỷ lệ đánh giá hài
# lòng chung của tỉnh năm 2018 là 4,11%": a change, however it is worded ("thấp hơn mức trung bình
# của cả nước là 82,1%" names the average's value).
_CHANGE_WORDED = regex.compile(
    r"(?<!\p{L})(?:tăng|giảm|cao hơn|thấp hơn)(?:\s+(?:(?!trung bình|bình quân)\p{L}+|(?:19|20)\d\d)){0,10}\s+(?:với|là|ở mức|khoảng)\s*$",
    regex.IGNORECASE)
# "khoảng cách chênh lệch giữa tỉnh với đơn vị cao nhất là 4,8%", "rút ngắn khoảng cách được
# 6,4%": a gap between two values is not an index value.
_GAP_NOUNS = r"khoảng cách|chênh lệch|cách biệt"
_GAP_WORDED = regex.compile(
    rf"(?<!\p{{L}})(?:{_GAP_NOUNS})(?!\p{{L}})[^.;%\d]{{0,50}}?\s(?:là|ở mức|khoảng|được)\s*$", regex.IGNORECASE)
# The second value of a pair of changes: "mức tăng cao nhất là 9,39% và thấp nhất là 0,03%".
_CHANGE_PARALLEL = regex.compile(
    r"(?<!\p{L})(?:tăng|giảm)(?:\s+\p{L}+){0,4}\s+(?:là|ở mức)\s*\d+(?:[.,]\d+)?\s?%\s*(?:,|;|và|, và)\s*"
    r"(?:\p{L}+\s+){1,3}(?:là|ở mức)\s*$", regex.IGNORECASE)
# What may follow an index value: the end of its clause, a rank, a comparison; never the
# thing a share counts ("95% hồ sơ").
_VALUE_AFTER = regex.compile(
    r"\s*(?:$|[,.;:)!?…–—-]|\(|(?:điểm|đến|tới|trở lên|trở xuống|có|gồm|bao gồm|và|xếp|đứng|tăng|giảm|so|cao|thấp|trong|thuộc|là|năm|nhưng|còn|"
    r"dẫn đầu|vươn lên|giữ|tiếp tục|vượt|đạt)(?!\p{L}))", regex.IGNORECASE)
# A share that names its own measure is not the index's value, unless the measure is
# the index's own ("tỷ lệ điểm", "tỷ lệ hài lòng").
_OWN_MEASURE = regex.compile(
    r"(?<!\p{L})tỷ lệ (?!(?:điểm|hài lòng|người dân(?:, tổ chức)? hài lòng|đạt|là|\d))\p{L}+", regex.IGNORECASE)
# Words of a results list: ranks, leaders, averages.
_RESULTS_WORDS = regex.compile(
    r"(?<!\p{L})(?:xếp|đứng|dẫn đầu|đứng đầu|vị trí|tiếp theo|tiếp đến|kế đến|cao nhất|thấp nhất|"
    r"cuối bảng|giá trị trung bình|trung bình|bình quân|kết quả|lần lượt|top|tốp|nhóm)(?!\p{L})",
    regex.IGNORECASE)
# "cao hơn 1,71% so với năm 2022 (86,62%)": the value of the year compared with.
_BASELINE_VALUE = regex.compile(r"so với (?:năm |cùng kỳ )?((?:19|20)\d\d)\s*\(\s*$", regex.IGNORECASE)
# The rank a move starts from (rank.from_old), and the year written right after it: "từ vị
# trí thứ 8 (với 65,53 điểm) năm 2018 lên …", "từ bậc 21 (năm 2015) lên bậc 4".
_OLD_RANK_RULES = frozenset({"rank.from_old"})
_NEW_RANK_RULES = frozenset({"rank.from_to"})
# "từ vị trí thứ 8 … năm 2018 lên vị trí thứ 3": the year before "lên" is the old rank's
_MOVE_FROM_YEAR = regex.compile(r"\btừ [^.;]{0,60}?\(?(?:năm )?((?:19|20)\d\d)\)?,? (?:\p{L}+ ){0,2}?(?:lên|xuống)(?: \p{L}+){0,3} (?:(?:thứ )?\w+ (?:với|đạt) )?$",
                                regex.IGNORECASE)
_AFTER_NEW_RANK = regex.compile(r"(?:lên|xuống) (?:vị trí |hạng |bậc |thứ hạng )?(?:thứ )?\w+ (?:với|đạt) $", regex.IGNORECASE)
_ANY_YEAR = regex.compile(r"(?<![\d/.])(?:19|20)\d\d(?![\d/])")
# a score in the old rank's brackets is that year's too: "từ vị trí thứ 8 (với 65,53 điểm)"
_IN_OLD_RANK = regex.compile(r"\btừ (?:vị trí|vị thứ|thứ hạng|hạng|bậc)(?: số)? (?:thứ )?\w+ \((?:với |đạt )?$", regex.IGNORECASE)
_BRACKET_YEAR = regex.compile(r"[^()]{0,12}\)\s*\(?(?:năm\s+)?((?:19|20)\d\d)(?!\d)", regex.IGNORECASE)
_OLD_YEAR = regex.compile(r"(?:\s*\([^()]{1,40}\))?\s*\(?(?:năm\s+)?((?:19|20)\d\d)(?!\d)", regex.IGNORECASE)
# "đạt 86,12% về Chỉ số CCHC", "đạt 89,04% trong Chỉ số CCHC 2021": the index named
# right after the value it has.
_INDEX_AFTER = regex.compile(
    r"\s*,?\s*(?:về|trong|ở|theo|tại|thuộc)\s+(?:(?:bảng xếp hạng|kết quả|đánh giá|xếp hạng)\s+)?$", regex.IGNORECASE)
# "Trong đó, tỷ lệ hài lòng về tiếp cận dịch vụ đạt 87,2%": a share of satisfied people
# in an article about SIPAS is the value of SIPAS or of one of its components.
_SATISFACTION = regex.compile(r"(?<!\p{L})(?:tỷ lệ|mức độ|chỉ số)(?: người dân(?:, tổ chức)?)? hài lòng(?!\p{L})",
                              regex.IGNORECASE)
_SATISFACTION_REACH = len("mức độ người dân, tổ chức hài lòng") + 2  # its longest match and the letter after it
_SATISFACTION_BEFORE = regex.compile(r"(?<!\p{L})hài lòng(?: (?:chung|trung bình|bình quân))?\s+$", regex.IGNORECASE)
# "đạt 85,77%, trong khi năm 2022 chỉ đạt 82,9%", "Nhóm A … đạt 91,06%, nhóm B đạt 86,7%":
# a value parallel to the index value before it in the sentence, for another subject or year.
_PARALLEL = regex.compile(r"(?:trong khi|còn|lần lượt|(?<!\p{L})năm (?:19|20)\d\d|(?-i:(?<!\p{L})[\p{Lu}Đ]))",
                          regex.IGNORECASE)
_AFTER_WORD = regex.compile(r"\s*,?\s*(?:về|trong|ở|theo|tại|thuộc|còn|và)(?!\p{L})", regex.IGNORECASE)
_PARALLEL_TO_INDEX = regex.compile(
    r"\s*(?:,\s*)?(?:trong khi|còn|và)\s+[^.;%]{2,50}?\s(?:đạt|là|với)\s+[\d.,]+\s?%[^.;%]{0,30}", regex.IGNORECASE)
# Words of a sentence that lists an index's areas with their values, after a first index
# value: "có 6/8 lĩnh vực có tỷ lệ điểm đạt trên 80%, trong đó … “Cải cách thể chế” đạt 100%".
_AREAS = regex.compile(r"(?<!\p{L})(?:tỷ lệ điểm|lĩnh vực|chỉ số thành phần|tiêu chí|trụ cột)(?!\p{L})", regex.IGNORECASE)
# "là 81,4%, sang năm 2022 tăng lên 84,6%": the new value, not the change.
_RISEN_TO = regex.compile(r"(?<!\p{L})(?:tăng|giảm|nâng|hạ) (?:lên|xuống)(?: mức| còn)?\s*$", regex.IGNORECASE)
_REFORM = frozenset({"PAR_INDEX", "SIPAS", "PAPI", "PCI", "DDCI", "DTI", "ICT_INDEX", "SERVICE_INDEX", "OTHER"})


@dataclass(frozen=True)
class Settled:
    """A figure's candidate as the rest of the linker should see it, the fields of its
    fact, and a year the kind decision fixed (a baseline value's year)."""

    cand: Candidate
    fields: dict[str, Any]
    year: int | None = None
    reason: str | None = None
    earlier: bool = False
    index: str | None = None  # an index the figure's own words name ("… người dân hài lòng …": SIPAS)  # "từ 81,82% lên 84,4%": the first value is the year before's


def settle_kind(cand: Candidate, indexes: list[Mention], circles: Circles,
                previous: Candidate | None = None, vocab: Vocab | None = None,
                entities: list[Mention] | None = None, broken_down: Candidate | None = None) -> Settled:
    """The candidate unchanged, or, for a percentage that is an index value, the same
    figure as a score with unit percent (same rule id; ``reason`` says why). ``previous``
    is the last index value found in the same sentence: the upper end of its range
    ("từ 80% đến dưới 90%") is one too. ``entities`` (the article's subjects, in text
    order) tell a clause that is only a subject and its value verb. ``broken_down`` is an
    index value in percent of the sentence right before, which a "Trong đó, …" sentence
    breaks down."""
    if cand.rule.kind != "percentage":
        if cand.rule.id in _RANKED_SHARE_RULES and not indexes \
                and _SHARE_WORD.search(circles.text, max(0, cand.start - 12), cand.start):
            # "Bộ Công Thương dẫn đầu với tỷ lệ 83,48%, tương đương 1,488 triệu hồ sơ": in an
            # article that names no index, a ranked result called a share is that share
            fields = {"value": cand.fields.get("value"), "value_max": None, "qualifier": "exact", "is_change": False}
            return Settled(replace(cand, rule=replace(cand.rule, kind="percentage")), fields, reason="ranked_share")
        if cand.rule.id in _OLD_RANK_RULES:
            # the rank a move starts from is the year's it names, else the year before the move's
            own = _OLD_YEAR.match(circles.text, cand.end)
            return Settled(cand, dict(cand.fields), int(own.group(1)) if own else None, earlier=own is None)
        if cand.rule.id in _NEW_RANK_RULES or (cand.rule.kind == "score" and _AFTER_NEW_RANK.search(
                circles.text, max(cand.sentence.start, cand.start - 30), cand.start)):
            # the new rank, and its score after it, are another year's than the old one's:
            # the sentence's other year ("PCI 2019 ghi nhận … từ thứ 8 … năm 2018 lên thứ 3")
            moved = _MOVE_FROM_YEAR.search(circles.text, max(cand.sentence.start, cand.start - 130), cand.start)
            others = [int(y.group(0)) for y in _ANY_YEAR.finditer(cand.sentence.text)
                      if moved is not None and y.group(0) != moved.group(1)]
            if others:
                return Settled(cand, dict(cand.fields), others[0])
        if cand.rule.kind == "score" and _IN_OLD_RANK.search(circles.text, max(0, cand.start - 40), cand.start):
            own = _BRACKET_YEAR.match(circles.text, cand.end)
            return Settled(cand, dict(cand.fields), int(own.group(1)) if own else None, earlier=own is None)
        if cand.rule.kind == "score":
            # "là 42,407, tăng nhẹ so với năm 2020 (42,105)": the value of the year compared with
            before = cand.sentence.text[max(0, cand.start - cand.sentence.start - 30):cand.start - cand.sentence.start]
            baseline = _BASELINE_VALUE.search(before)
            if baseline:
                return Settled(cand, dict(cand.fields), int(baseline.group(1)), "baseline")
        return Settled(cand, dict(cand.fields))
    value = cand.fields.get("value")
    sent = cand.sentence
    rel_start, rel_end = cand.start - sent.start, cand.end - sent.start
    before = sent.text[:rel_start]
    prior = previous if previous is not None and previous.sentence is sent else None
    moving = _FROM_TO_BEFORE.search(before[-40:]) is not None or (
        _FROM_BEFORE.search(before[-20:]) is not None and _TO_AFTER.match(sent.text, rel_end) is not None) or (
        prior is not None and _RISEN_TO.search(before[-20:]) is not None)
    # the index named after the value: right after it, or after a parallel value for
    # another subject ("X đạt 86,2% trong khi Y đạt 84,7% về Chỉ số CCHC")
    index_after = _indexes_after(cand, indexes, circles) if _AFTER_WORD.match(sent.text, rel_end) else []
    if isinstance(value, (int, float)) and value <= 100 and not cand.fields.get("is_change") \
            and _SATISFIED_AFTER.match(sent.text, rel_end):
        # "85,4% người dân, tổ chức hài lòng về sự phục vụ của cơ quan hành chính": SIPAS itself,
        # whatever follows the value (the share counts people, yet it is the index)
        return _as_score(cand, value, "satisfaction_share", index="SIPAS")
    if (cand.fields.get("is_change") and not moving) or not isinstance(value, (int, float)) or value > 100 \
            or not (_VALUE_AFTER.match(sent.text, rel_end) or moving or index_after):
        return Settled(cand, dict(cand.fields))
    upper = previous is not None and previous.sentence is sent and 0 < cand.start - previous.end <= 16 \
        and _RANGE_JOINT.fullmatch(circles.text, previous.end, cand.start) is not None
    if upper and previous is not None:
        return _as_score(cand, value, "range_upper")
    if broken_down is not None and _BREAKDOWN.match(sent.text) and entities is not None \
            and _names_a_part(cand, entities):
        # "Mức độ hài lòng trung bình … là 92,67%. Trong đó, khối sở là 93,95%; khối phường
        # 92,26%": the parts of the index value the sentence before gave
        return _as_score(cand, value, "breakdown")
    if prior is not None and (prior.rule.kind == "percentage" or prior.fields.get("unit") == "percent") \
            and 0 < cand.start - prior.end <= 8 \
            and LIST_JOINT.fullmatch(circles.text, prior.end, cand.start) is not None:
        # "lần lượt đạt 84,2%, 82,7% và 80,9%": the next value of a list of index values
        return _as_score(cand, value, "listed_value")
    if prior is not None and prior.rule.id.startswith("score.index_threshold") \
            and _BOUND_BEFORE.search(before[-12:]) and _VALUE_AFTER.match(sent.text, rel_end):
        # "nhóm A … từ 90% trở lên, các địa phương còn lại đều trên 80%": a second bound
        return _as_score(cand, value, "threshold_parallel")
    threshold = _THRESHOLD_BEFORE.search(before[-40:]) is not None
    satisfied = _SATISFACTION_BEFORE.search(before[-30:]) is not None
    # "xếp hạng Nhì với chỉ số cải cách hành chính 91,71%": the index named right before its value
    named_before = any(0 <= cand.start - m.end <= 2 and m.start >= sent.start and not circles.text[m.end:cand.start].strip()
                       for m in within(indexes, cand.start - 90, cand.start))
    if not (threshold or moving or satisfied or named_before or _VALUE_BEFORE.search(before[-40:])) \
            or _CHANGE_WORDED.search(before[-40:]) or _CHANGE_PARALLEL.search(before[-70:]) \
            or _GAP_WORDED.search(before[-70:]):
        return Settled(cand, dict(cand.fields))
    start = clause_span(cand)[0]
    clause = circles.text[start:cand.start]
    in_clause = within(indexes, start, cand.start)
    reason = None
    if in_clause and not _OWN_MEASURE.search(circles.text, in_clause[-1].end, cand.start):
        reason = "index_in_clause"
    elif _AFTER_RANK.search(before[-60:]):
        reason = "after_rank"
    elif _COMPONENT_NAMED.search(clause) and not _OWN_MEASURE.search(clause):
        reason = "component"
    elif index_after and not _OWN_MEASURE.search(clause):
        reason = "index_after"
    elif not _OWN_MEASURE.search(clause) and (threshold or circles.once_per_sentence("results_words", sent,
                                                                                   _RESULTS_WORDS.search)):
        index, _how = pick(indexes, circles, cand, paragraphs_back=1)
        if index is not None and index.value in _REFORM:
            reason = "results_list"
    if reason is None and vocab is not None and not _OWN_MEASURE.search(clause) and _component_value(clause, cand, indexes, circles, vocab):
        reason = "component_value"
    if reason is None and first_in_head(_SATISFACTION, sent, rel_start, _SATISFACTION_REACH, 0):
        index, _how = pick(indexes, circles, cand, paragraphs_back=1)
        if index is not None and index.value == "SIPAS":
            reason = "satisfaction_rate"
    head_noun = circles.once_per_sentence("head_noun", sent, _HEAD_NOUN.search)
    if reason is None and head_noun is not None and head_noun.end() <= rel_start and not _OWN_MEASURE.search(clause):
        # "14 bộ còn lại đạt kết quả chỉ số từ trên 70% …, xếp cuối cùng là Bộ KH&CN với chỉ số là
        # 71%": the article's index called by its head noun alone, paragraphs after its name
        named = last_ending_by(indexes, cand.start)
        if named is not None and named.value in _REFORM and named.value != "OTHER":
            reason = "head_noun"
    if reason is None and entities is not None and _subject_attains(clause, start, entities):
        index, _how = pick(indexes, circles, cand, paragraphs_back=1)
        if index is not None and index.value in _REFORM:
            reason = "subject_value"
    if reason is None and prior is not None and not _OWN_MEASURE.search(clause) \
            and _PARALLEL.search(circles.text, prior.end, cand.start) and "%" not in circles.text[prior.end:cand.start]:
        reason = "parallel"
    if reason is None and prior is not None and not _OWN_MEASURE.search(clause) \
            and circles.once_per_sentence("areas", sent, _AREAS.search):
        reason = "area_values"  # "6/8 lĩnh vực có tỷ lệ điểm trên 80%, …: “Cải cách thể chế” đạt 100%; …"
    if reason is None:
        return Settled(cand, dict(cand.fields))
    baseline = _BASELINE_VALUE.search(before[-30:])
    # "từ 81,82% lên 84,4%": the first value is the earlier one ("đạt từ 90% trở lên" is a bound)
    earlier = _FROM_BEFORE.search(before[-20:]) is not None and _TO_AFTER.match(sent.text, rel_end) is not None \
        and not _YEAR_AFTER.match(sent.text, rel_end)
    return _as_score(cand, value, reason, year=int(baseline.group(1)) if baseline else None, earlier=earlier)


# What may open a component's clause before its name: "Trong đó, tiếp cận dịch vụ đạt …".
_CLAUSE_OPENER = regex.compile(
    r"\s*(?:(?:trong đó|cụ thể|riêng|còn|và|ở|với)\s*,?\s*)*(?:(?:lĩnh vực|nội dung|chỉ số nội dung|trụ cột|yếu tố)\s+)?",
    regex.IGNORECASE)
_VALUE_VERB = regex.compile(r"\s*(?:(?:chỉ|cũng|đều)\s+)?(?:đạt(?: được)?|là|với)(?:\s+(?:mức|tỷ lệ))?\s*$", regex.IGNORECASE)
_PAST_VALUE = regex.compile(r"(?<=[\d%])(?:\s*điểm)?\s*[,;]\s*(?:và\s+)?|(?<=\d)\s+và\s+", regex.IGNORECASE)
_COMPONENT_CODES = frozenset({"PAR_INDEX", "SIPAS", "PAPI", "PCI", "DDCI", "DTI", "SERVICE_INDEX"})


def _component_value(clause: str, cand: Candidate, indexes: list[Mention], circles: Circles, vocab: Vocab) -> bool:
    """Whether a percentage is the value of a component of the index the figure is under,
    its clause being that component's name and a value verb: "Chỉ số SIPAS … đạt 88,5%.
    Trong đó, tiếp cận dịch vụ đạt 90,2%". A clause that only opens with the name ("thủ
    tục hành chính được giải quyết đúng hạn đạt 98%") is a share of its own."""
    verb = _VALUE_VERB.search(clause)
    if verb is None:
        return False
    head = _PAST_VALUE.split(clause[: verb.start()])[-1]  # "… đạt 95%, hiện đại hóa … đạt 88,3%"
    head = head[_CLAUSE_OPENER.match(head).end():].strip(" ,“”\"")  # type: ignore[union-attr]
    if not head:
        return False
    index, _how = pick(indexes, circles, cand, paragraphs_back=1)
    if index is None or index.value not in _COMPONENT_CODES:
        return False
    name = component_named(vocab, head, index.value, opening=True)
    return name is not None and len(head) <= len(name) + 10


# "Năm 2023, Kiên Giang đạt 87,02%": a clause that is a subject, a value verb and the figure.
_CLAUSE_YEAR = regex.compile(r"\s*(?:(?:trong |vào )?năm (?:19|20)\d\d\s*,?\s*)?", regex.IGNORECASE)
_BARE_VALUE_VERB = regex.compile(r"\s+(?:(?:chỉ|cũng|đã|tiếp tục)\s+)?(?:đạt(?: được)?|có kết quả|với)\s*$",
                                 regex.IGNORECASE)


def _names_a_part(cand: Candidate, entities: list[Mention]) -> bool:
    """Whether the figure's item is a name and at most a value verb ("khối sở, ban, ngành là
    93,95%", "khối phường 92,26%"), the item opening after a break."""
    sent = cand.sentence
    named = within(entities, sent.start, cand.start)
    if not named:
        return False
    part = named[-1]
    lead = part.start - sent.start
    return _PART_VERB.fullmatch(sent.text, part.end - sent.start, cand.start - sent.start) is not None \
        and _PART_START.search(sent.text, max(0, lead - 12), lead) is not None


_PART_VERB = regex.compile(r"(?:,\s*\p{Ll}+(?:\s\p{Ll}+)?)?\s*(?:(?:là|đạt|chiếm|với|có)\s+)?")  # "khối xã, đặc khu 91,87%"
_PART_START = regex.compile(r"(?:[;:,]|Trong đó|Cụ thể)\s*$", regex.IGNORECASE)


def _subject_attains(clause: str, start: int, entities: list[Mention]) -> bool:
    """Whether a percentage's clause is only a subject and its value verb ("Năm 2023,
    Kiên Giang đạt 87,02%"): under an index, what a province, ministry or department
    "đạt" with nothing else named is its value of that index."""
    verb = _BARE_VALUE_VERB.search(clause)
    opener = _CLAUSE_YEAR.match(clause)
    if verb is None or opener is None:
        return False
    lo, hi = start + opener.end(), start + verb.start()
    named = within(entities, lo, hi)
    return len(named) == 1 and named[0].start == lo and named[0].end == hi \
        and not getattr(named[0].value, "agent", False)


def _indexes_after(cand: Candidate, indexes: list[Mention], circles: Circles) -> list[Mention]:
    """Index mentions that name the figure's index from after it (``indexes`` are in text
    order: a long text holds thousands, so only those within reach are looked at)."""
    k = bisect_left(indexes, cand.end, key=lambda m: m.start)
    found = []
    while k < len(indexes) and indexes[k].start <= cand.end + 90:
        m = indexes[k]
        k += 1
        if m.end > cand.sentence.end or _INDEX_AFTER.search(circles.text[cand.end:m.start]) is None:
            continue
        if m.start - cand.end <= 30 or _PARALLEL_TO_INDEX.fullmatch(circles.text, cand.end, m.start):
            found.append(m)
    return found


def _as_score(cand: Candidate, value: float, reason: str, *, year: int | None = None,
              earlier: bool = False, index: str | None = None) -> Settled:
    """The percentage as the index value it is: a score with unit percent, same rule id."""
    fields = {"value": value, "max": None, "unit": "percent"}
    return Settled(replace(as_index_figure(cand), fields=fields), fields, year, reason, earlier, index)


_DIGIT = regex.compile(r"\d")
# A sentence that opens with a change, after a sentence with the value: "So với năm 2023,
# tăng 1,64%", "Tăng 2,1%".
_OPENS_WITH_CHANGE = regex.compile(
    r"\s*(?:so với (?:năm (?:19|20)\d\d|năm trước|cùng kỳ(?: năm (?:19|20)\d\d)?),?\s*)?"
    r"(?:tăng|giảm|tăng thêm|giảm đi|tăng lên|giảm xuống)(?: (?:được|thêm|khoảng|gần|hơn|trên))?\s*",
    regex.IGNORECASE)
# "đạt 88,33%, cao hơn 1,71% so với năm 2022": a change written right after a value.
_CHANGE_BEFORE = regex.compile(
    r"(?:tăng|giảm|cao hơn|thấp hơn|tăng thêm|giảm đi|tăng lên|giảm xuống)(?: (?:được|thêm|khoảng|gần|hơn|trên))?\s*$",
    regex.IGNORECASE)
# "đạt 79,8%, cao hơn so với năm 2015 là 2,35%": the same, the year compared with first.
_CHANGE_COMPARED = regex.compile(
    r"(?:tăng|giảm|cao hơn|thấp hơn)\s+so với(?: năm)? (?:19|20)\d\d,?\s+(?:là|với|ở mức|khoảng)\s*$", regex.IGNORECASE)


def changes_value(cand: Candidate, value: Candidate, before: Sentence | None = None) -> bool:
    """Whether a percentage is the change of the index value written just before it in
    the same sentence ("… đạt 88,33%, cao hơn 1,71% so với năm 2022"), or in the sentence
    ``before`` it when its own opens with the change ("So với năm 2023, tăng 1,64%"): it
    then carries that value's index and year."""
    if cand.rule.kind != "percentage":
        return False
    if before is not None and value.sentence is before:
        head = cand.sentence.text[: cand.start - cand.sentence.start]
        return _OPENS_WITH_CHANGE.fullmatch(head) is not None
    if value.sentence is not cand.sentence or not 0 < cand.start - value.end <= 60:
        return False
    between = cand.sentence.text[value.end - cand.sentence.start: cand.start - cand.sentence.start]
    if _CHANGE_BEFORE.search(between) is not None and not _DIGIT.search(between):
        return True
    compared = _CHANGE_COMPARED.search(between)  # the year compared with is the only number between
    return compared is not None and not _DIGIT.search(between, 0, compared.start())


def as_index_figure(cand: Candidate) -> Candidate:
    """The candidate as the year finder sees an index's figure: announcement dates in its
    sentence are not its year ("SIPAS 2023 … công bố ngày 17/4/2024, tăng 2,58%")."""
    return replace(cand, rule=replace(cand.rule, kind="score"))


_DOTTED = regex.compile(r"(?<![\d.,])(\d{1,3})\.(\d{3})(?![\d.,])")


def dotted_decimal(fact: dict[str, Any]) -> None:
    """Read "42.269 điểm" of a PAPI score as 42.269, not 42,269 points.

    Some sites write "." as the decimal mark; the number reader cannot tell "42.269" from
    a thousands group, but the index can: none of the indexes in
    ``point_indexes_below_1000`` ever scores a thousand points (facts.md v1.1), and no
    index's value in percent ("91.651%") is over a hundred."""
    if fact.get("kind") != "score" or fact.get("unit") not in ("point", "percent"):
        return
    value = fact.get("value")
    if not isinstance(value, (int, float)) or not 1000 <= value < 1_000_000:
        return
    if fact["unit"] == "point" and (fact.get("index") is None
                                    or fact["index"] not in active_words().lists["point_indexes_below_1000"]):
        return
    found = _DOTTED.findall(fact["text"])
    if len(found) == 1 and int(found[0][0] + found[0][1]) == value:
        fact["value"] = float(f"{found[0][0]}.{found[0][1]}")



# A gap between two values, not a share of something: "tỉnh thấp hơn 2,19% (cả nước là
# 83,94%)", "khoảng cách chênh lệch … là 4,79%", "rút ngắn khoảng cách được 6,37%".
_GAP_BEFORE = regex.compile(
    rf"(?:cao hơn|thấp hơn|{_GAP_NOUNS}|rút ngắn|kém)(?!\p{{L}})[^\d%;:()]{{0,50}}$", regex.IGNORECASE)


def gaps_of_values(facts: list[dict[str, Any]]) -> None:
    """Give a gap between index values ("thấp hơn 2,19% (cả nước là 83,94%)") the index of
    the values its sentence compares, written before or after it: the gap is a difference
    of that index, not a share of its own. Only when the sentence's indexed scores agree;
    a sentence with none ("Khoảng cách với tỉnh đứng đầu là 9,5%") takes the index of the
    last score or rank before it, the one the paragraph is about."""
    by_sentence: dict[str, set[str]] = {}
    for f in facts:
        if f["kind"] == "score" and f.get("index"):
            by_sentence.setdefault(f["sentence"], set()).add(f["index"])
    last: str | None = None
    for f in facts:
        codes = by_sentence.get(f["sentence"], set())
        if f["kind"] == "percentage" and not f.get("index") and (len(codes) == 1 or (not codes and last)):
            sent = f["sentence"]
            at = sent.find(f["text"])
            if at >= 0 and _GAP_BEFORE.search(sent, max(0, at - 60), at):
                f["index"] = next(iter(codes)) if codes else last
                f["evidence"]["index"] = "sentence" if codes else "previous_sentence"
        if f["kind"] in ("score", "rank") and f.get("index"):
            last = f["index"]
