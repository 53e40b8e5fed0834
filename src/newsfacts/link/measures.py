"""Measures and their owners: "tỷ lệ hồ sơ trực tuyến tại huyện X", "số hồ sơ trễ hạn của
tỉnh Y", "30% hồ sơ đất đai tại huyện Z".

A share or a count is often written as a measure phrase whose owner (the place or body
it is of or at) follows it after "của", "tại", "ở"; the subject chain asks here for that
owner when the figure's clause opens with the measure rather than with a subject.
"""

from __future__ import annotations

import regex

from ..entities import Mention
from ..extract import Candidate
from ..roles import ISSUER_BEFORE
from .clauses import clause_span
from .spans import starting, within

_MEASURE_NOUN = regex.compile(r"(?<!\p{L})(?:tỷ lệ|số lượng|số|lượng|hồ sơ|TTHC|thủ tục|kết quả|chỉ số|mức)(?!\p{L})",
                               regex.IGNORECASE)
_DIGIT = regex.compile(r"\d")
_MEASURE_AFTER = regex.compile(r"\s+(?:(?:các|tổng )?số )?(?:hồ sơ|TTHC|thủ tục)(?!\p{L})", regex.IGNORECASE)
_COUNT_NOUN = regex.compile(r"(?<!\p{L})(?:hồ sơ|HS|TTHC|thủ tục)(?!\p{L})", regex.IGNORECASE)
_CLAUSE_END = regex.compile(r"[,;:.!?]\s|\s(?:và|nhưng|trong khi)\s")


def _clause_end(text: str, pos: int, end: int) -> int:
    """Where the clause that goes on at ``pos`` ends (a comma, a stop or a joint)."""
    found = _CLAUSE_END.search(text, pos, end)
    return found.start() if found is not None else end


_OWNER_MARK = regex.compile(r"(?:của|tại|ở|trên địa bàn|thuộc)\s+$", regex.IGNORECASE)


def measure_owner(cand: Candidate, text: str, placed: list[Mention], entities: list[Mention],
                  placed_kinds: frozenset[str]) -> Mention | None:
    """The place or body (of ``placed_kinds``) that the measure of the figure's clause is
    of or at, among the entities and the agents ``placed``; None when the clause names its
    own subject before the measure, or another body acts between the measure and it."""
    start, stop = clause_span(cand)
    noun = _MEASURE_NOUN.search(text, start, stop)
    if noun is None and cand.rule.kind == "percentage":
        # "Khoảng 30% hồ sơ đất đai tại huyện Đông Anh phải bổ sung …": the measure follows
        noun = _MEASURE_AFTER.match(text, cand.end)
        stop = _clause_end(text, cand.end, cand.sentence.end) if noun is not None else stop
    elif noun is None and cand.rule.kind == "procedure_count":
        # "Qua kiểm tra 48 hồ sơ tại Chi nhánh …": the count holds its noun, its owner follows
        noun = _COUNT_NOUN.search(text, cand.start, cand.end)
        stop = _clause_end(text, cand.end, cand.sentence.end) if noun is not None else stop
    if noun is None:
        return None
    if any(m.value.kind in placed_kinds for m in starting(entities, start, noun.start())):
        return None  # "Sở X có tỷ lệ hồ sơ … tại bộ phận một cửa": the clause names its subject
    owners = [m for m in (*within(placed, noun.end(), stop), *within(entities, noun.end(), stop))
              if m.value.kind in placed_kinds and _OWNER_MARK.search(text, max(0, m.start - 16), m.start)
              and not _DIGIT.search(text, noun.start(), m.start)  # one measure phrase, no figure in it
              and not ISSUER_BEFORE.search(text, max(0, m.start - 40), m.start)]  # "theo Đề án của tỉnh"
    if not owners:
        return None
    owner = min(owners, key=lambda m: m.start)
    if noun.start() > cand.start and (starting(placed, noun.end(), owner.start)
                                      or starting(entities, noun.end(), owner.start)):
        return None  # "100% hồ sơ được Sở Xây dựng tiếp nhận tại Trung tâm …": the body that acts
    return owner
