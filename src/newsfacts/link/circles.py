"""The widening circles around a figure: its sentence, the sentences before it, the title.

Index and year are both looked for this way, so the circles and the one picker that
walks them live here, below the modules that use them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import Any

import regex

from ..entities import Mention
from ..extract import Candidate
from ..segment import Sentence
from .spans import Mentions, starting, within

# What may stand between a figure and a year written for it: "4,02% năm 2011", "80% (năm 2023",
# "mức bình quân 59,12 của năm 2012".
YEAR_GLUE = regex.compile(r"\s*(?:\(|trong |vào |của )?(?:năm )?$")


def _title_end(text: str, title: str | None) -> int:
    """Where the title ends in the text: it opens the text, or is a line of its own right
    after a page's dateline ("Thứ Hai, 30/05/2022 14:20\n\n<title>\n\n…"); else 0."""
    if not title:
        return 0
    if text.startswith(title):
        return len(title)
    at = text.find(f"\n{title}\n", 0, 200 + len(title))
    return at + 1 + len(title) if at >= 0 else 0


class Circles:
    """The sentences and paragraphs of one article, to look around a figure."""

    def __init__(self, text: str, sentences: list[Sentence], title: str | None) -> None:
        self.text = text
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.title = title
        self.title_end = _title_end(text, title)
        self._memo: dict[tuple[str, int, int], Any] = {}

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence that holds ``pos`` (the first one for text before it)."""
        return max(0, bisect_right(self.starts, pos) - 1)

    def once_per_sentence(self, key: str, sentence: Sentence, find: Callable[[str], object]) -> Any:
        """``find(sentence.text)``, worked out once per sentence and ``key``: what a figure's
        whole sentence holds is asked again by each of its figures."""
        memo = (key, sentence.start, sentence.end)
        if memo not in self._memo:
            self._memo[memo] = find(sentence.text)
        return self._memo[memo]

    def once(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, worked out once per article and ``key``."""
        memo = (key, -1, -1)
        if memo not in self._memo:
            self._memo[memo] = compute()
        return self._memo[memo]


def pick(mentions: list[Mention], circles: Circles, cand: Candidate, *, after: bool = True,
         look_back: bool = True, paragraphs_back: int = 0,
         title: bool = True, before_pos: int | None = None, immediate: bool = False,
         carried: Callable[[Mention], bool] | None = None) -> tuple[Mention | None, str | None]:
    """Widening circles: with ``immediate``, a mention written right after the figure
    ("4,02% năm 2011"); the nearest mention before the figure in its sentence (or before
    ``before_pos``); after it in the sentence; earlier sentences of the paragraph (and
    up to ``paragraphs_back`` paragraphs before); the title. ``carried`` tells which
    mentions may be carried beyond their own sentence. The second value names the circle,
    as the fact's ``evidence`` records it."""
    sent = cand.sentence
    if immediate:
        right_after = [m for m in starting(mentions, cand.end, cand.end + 13) if m.end <= sent.end
                       and YEAR_GLUE.match(circles.text, cand.end, m.start)]
        if right_after:
            return right_after[0], "sentence"  # "4,02% năm 2011": the year written for this figure
    limit = cand.start if before_pos is None else min(cand.start, before_pos)
    before = within(mentions, sent.start, limit)
    if before:
        return before[-1], "sentence"
    if after:
        found = within(mentions, cand.end, sent.end)
        if found:
            return found[0], "sentence"
    idx = circles.sentence_of(cand.start)
    if look_back:
        earlier = _look_back(mentions, circles, idx, sent.paragraph - paragraphs_back, carried)
        if earlier is not None:
            return earlier, "previous_sentence"
    if title and circles.title_end and sent.start >= circles.title_end:
        in_title = within(mentions, 0, circles.title_end)
        if in_title:
            return in_title[0], "title"
    return None, None


def _look_back(mentions: list[Mention], circles: Circles, idx: int, first_paragraph: int,
               carried: Callable[[Mention], bool] | None) -> Mention | None:
    """The last (carried) mention of the nearest sentence before sentence ``idx`` that
    has one, within the paragraphs from ``first_paragraph`` on and below the title.

    Sentences are walked back one by one; in a long paragraph without one (a one-line
    text of a thousand figures) that walk is the paragraph, so for a :class:`Mentions`
    the mentions are walked back instead, from the last one before the figure's
    sentence: the first that lies inside a sentence and is carried is the answer."""
    sentences = circles.sentences

    def stops(j: int) -> bool:
        prev = sentences[j]
        return prev.paragraph < first_paragraph or prev.end <= circles.title_end

    if isinstance(mentions, Mentions) and mentions.in_order() and idx > 0:
        # in order of starts, so backwards is from the nearest sentence to the farthest
        for m in reversed(mentions.starting(-1, sentences[idx - 1].end)):
            j = circles.sentence_of(m.start)
            if stops(j):
                return None
            prev = sentences[j]
            if prev.start <= m.start and m.end <= prev.end and (carried is None or carried(m)):
                return m
        return None
    for j in range(idx - 1, -1, -1):
        if stops(j):
            break
        prev = sentences[j]
        inside = [m for m in mentions if prev.start <= m.start and m.end <= prev.end
                  and (carried is None or carried(m))]
        if inside:
            return inside[-1]
    return None
