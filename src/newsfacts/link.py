"""Link: give every figure its subject, index, component and year.

A figure is rarely alone with its context: the province is named two
sentences earlier, the index only in the title, the year as "năm trước".
Each attribute is looked for in widening circles — the figure's own clause,
its sentence, the earlier sentences of its paragraph, the title — and the
circle it was found in is recorded as ``evidence`` so that an audit can
question it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

import regex

from .extract import Candidate
from .segment import Sentence

YEAR = regex.compile(
    r"(?<![\d/.,-])(?:(?<=năm |năm học |PCI[- ]|INDEX[- ]|PAPI[- ]|SIPAS[- ]|DTI[- ]|/|tháng \d{1,2}/|quý [IV\d]{1,3}/)|(?<=\b))"
    r"((?:19[89]|20[0-4])\d)(?!\d|/\d|/[\p{Lu}Đ]|,\d|\.\d|%| ?(?:tỷ|triệu|nghìn|ha|km|người|hồ sơ|TTHC|thủ tục|doanh nghiệp|DN|USD|đồng))",
    regex.IGNORECASE,
)
_BASELINE = regex.compile(r"(?:so với|hơn|thấp hơn|cao hơn|từ)(?: cùng kỳ)?(?: năm)?(?: \S+){0,1} ?$")
_RELATIVE = regex.compile(r"(?:cùng kỳ năm trước|năm trước|năm ngoái|cùng kỳ)(?!\p{L})", regex.IGNORECASE)
_CURRENT = regex.compile(r"(?:năm nay|hiện nay|đến nay|hiện tại|hiện đang)(?!\p{L})", regex.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    value: Any


class Circles:
    """The sentences and paragraphs of one article, to look around a figure."""

    def __init__(self, text: str, sentences: list[Sentence], title: str | None) -> None:
        self.text = text
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.title = title
        self.title_end = len(title) if title and text.startswith(title) else 0

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)


def _mentions(pattern: Any, text: str, value_of: Any) -> list[Mention]:
    out = []
    for m in pattern.finditer(text):
        surface = m.group(1) if m.groups() and m.group(1) else m.group(0)
        value = value_of(surface, m)
        if value is not None:
            out.append(Mention(m.start(), m.end(), m.group(0), value))
    return out


def _year_value(surface: str, m: Any) -> int | None:
    before = m.string[max(0, m.start() - 30): m.start()]
    if _BASELINE.search(before):
        return None  # "so với năm 2015": the comparison, not the figure's year
    return int(surface)


def _pick(mentions: list[Mention], circles: Circles, cand: Candidate,
          look_back: bool = True, title: bool = True) -> tuple[Mention | None, str | None]:
    """Nearest mention before the figure in its sentence, then after it in the sentence,
    then in earlier sentences of the paragraph, then in the title."""
    sent = cand.sentence
    before = [m for m in mentions if sent.start <= m.start and m.end <= cand.start]
    if before:
        return before[-1], "sentence"
    after = [m for m in mentions if cand.end <= m.start and m.end <= sent.end]
    if after:
        return after[0], "sentence"
    if look_back:
        idx = circles.sentence_of(cand.start)
        for j in range(idx - 1, -1, -1):
            prev = circles.sentences[j]
            if prev.paragraph != sent.paragraph:
                break
            inside = [m for m in mentions if prev.start <= m.start and m.end <= prev.end]
            if inside:
                return inside[-1], "previous_sentence"
    if title and circles.title_end:
        in_title = [m for m in mentions if m.end <= circles.title_end]
        if in_title and sent.start >= circles.title_end:
            return in_title[0], "title"
    return None, None


def link_candidates(winners: list[Candidate], text: str, sentences: list[Sentence],
                    title: str | None, published: str | None) -> list[dict[str, Any]]:
    """Fact dicts (ready for validation) with linked attributes and evidence."""
    circles = Circles(text, sentences, title)
    years = _mentions(YEAR, text, _year_value)
    facts: list[dict[str, Any]] = []
    for cand in winners:
        fact: dict[str, Any] = {
            "kind": cand.rule.kind,
            "text": text[cand.start:cand.end],
            "span": (cand.start, cand.end),
            "sentence": cand.sentence.text,
            "rule": cand.rule.id,
            **cand.fields,
        }
        evidence: dict[str, str] = {}
        year, how = _pick(years, circles, cand)
        if year is not None and how is not None:
            fact["year"] = year.value
            evidence["year"] = how
        fact["evidence"] = evidence
        facts.append(fact)
    return facts
