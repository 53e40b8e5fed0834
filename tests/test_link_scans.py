"""link.scans answers exactly what the plain calls it stands for answer (issue 13).

The helpers exist for speed only, so each is held to the call it replaces: every head
of every sentence, every position of a text, with long runs of spaces too.
"""

from __future__ import annotations

from typing import Any

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfacts.link import clauses, index, kinds
from newsfacts.link.scans import first_in_head, head_matches, match_after_spaces
from newsfacts.link.words import using
from newsfacts.segment import Sentence

SENTENCES = (
    "Theo báo cáo, Sở Tư pháp cho biết: chỉ số thành phần cải cách thể chế đạt 8,1/9 điểm; "
    "trong đó, tỷ lệ hồ sơ đạt 95%, còn Bắc Ninh xếp thứ 3 (71,05 điểm) và Đà Nẵng giữ vị trí thứ 4. "
    "Cụ thể: Chỉ số nội dung công khai, minh bạch   đạt 6,49 điểm và    trụ cột Chính quyền số xếp thứ 11",
    "năm 2016 chỉ số PAR INDEX của tỉnh Hưng Yên đạt 80,00%, xếp thứ 1/63, tỷ lệ hồ sơ giải quyết đúng "
    "hạn đạt 90,0%, năm 2017 chỉ số PAR INDEX của tỉnh Bắc Ninh đạt 81,01%, xếp thứ 2/63; như: A đạt 9",
    "Tỷ lệ người dân, tổ chức hài lòng đạt 90%, mức độ hài lòng 85%; chỉ số hài lòngx 80%",
    "Chỉ số thành phần" + " " * 300 + "tác động của CCHC đạt 7 điểm, thì" + "\n" * 40 + "B đạt 5 điểm",
)


def _as_spans(matches: list[Any]) -> list[tuple[Any, ...]]:
    return [(m.span(), m.groups()) for m in matches]


def _held(pattern: regex.Pattern[str], reach: int, spaces: int, text: str) -> None:
    """Every head, asked in order, backwards and each twice (the sentence's memo then
    holds the first figure's head, or the whole sentence's scan)."""
    sentence, backwards = Sentence(0, len(text), text, 0), Sentence(0, len(text), text, 0)
    figures = [*range(len(text) + 1)]
    for figure, sentence in [*((f, sentence) for f in figures * 2), *((f, backwards) for f in reversed(figures))]:
        got = head_matches(pattern, sentence, figure, reach, spaces)
        assert _as_spans(got) == _as_spans(list(pattern.finditer(text[:figure]))), figure
        first = first_in_head(pattern, sentence, figure, reach, spaces)
        plain = pattern.search(text, 0, figure)
        assert (first and first.span()) == (plain and plain.span()), figure


def test_head_matches_are_the_heads_own_scans(resources: Any) -> None:
    with using(resources.vocab.linking):
        p = clauses._patterns()
        for text in SENTENCES:
            _held(p.clause_sep, p.sep_reach, 1, text)
            _held(p.list_intro, p.intro_reach, 1, text)
            _held(index._NAMED_COMPONENT, index._NAMED_COMPONENT_REACH, 3, text)
            _held(kinds._SATISFACTION, kinds._SATISFACTION_REACH, 0, text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["và ", "; ", ": ", ". ", "TP. ", "cho biết, ", "chỉ số thành phần ",
                                 "cải cách ", "  ", "\n", "7,5 điểm ", "(A) ", "đạt ", "x"]), max_size=80))
def test_head_matches_hold_for_any_sentence(resources: Any, words: list[str]) -> None:
    with using(resources.vocab.linking):
        p = clauses._patterns()
        text = "".join(words)
        _held(p.clause_sep, p.sep_reach, 1, text)
        _held(index._NAMED_COMPONENT, index._NAMED_COMPONENT_REACH, 3, text)


def test_match_after_spaces_is_the_plain_match() -> None:
    pattern = regex.compile(r"\s+(?:chuyển sang|chuyển qua)(?!\p{L})", regex.IGNORECASE)
    text = "năm 2018 chuyển sang, 2019   Chuyển qua năm 2020 chuyển sangx 2021\n\n chuyển qua"
    for pos in range(len(text) + 1):
        got = match_after_spaces(pattern, text, pos, len("chuyển sang") + 1)
        plain = pattern.match(text, pos)
        assert (got and got.span()) == (plain and plain.span()), pos
