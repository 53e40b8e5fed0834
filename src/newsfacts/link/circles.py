"""The widening circles around a figure: its sentence, the sentences before it, the title.

Index and year are both looked for this way, so the circles and the one picker that
walks them live here, below the modules that use them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

import regex

from ..entities import Mention
from ..extract import Candidate
from ..segment import Sentence

# What may stand between a figure and a year written for it: "4,02% năm 2011", "80% (năm 2023".
YEAR_GLUE = regex.compile(r"\s*(?:\(|trong |vào )?(?:năm )?$")


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

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence that holds ``pos`` (the first one for text before it)."""
        return max(0, bisect_right(self.starts, pos) - 1)


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
    right_after = [m for m in mentions if cand.end <= m.start <= cand.end + 12 and m.end <= sent.end
                   and YEAR_GLUE.match(circles.text, cand.end, m.start)]
    if immediate and right_after:
        return right_after[0], "sentence"  # "4,02% năm 2011": the year written for this figure
    limit = cand.start if before_pos is None else min(cand.start, before_pos)
    before = [m for m in mentions if sent.start <= m.start and m.end <= limit]
    if before:
        return before[-1], "sentence"
    if after:
        found = [m for m in mentions if cand.end <= m.start and m.end <= sent.end]
        if found:
            return found[0], "sentence"
    idx = circles.sentence_of(cand.start)
    if look_back:
        for j in range(idx - 1, -1, -1):
            prev = circles.sentences[j]
            if prev.paragraph < sent.paragraph - paragraphs_back or prev.end <= circles.title_end:
                break
            inside = [m for m in mentions if prev.start <= m.start and m.end <= prev.end
                      and (carried is None or carried(m))]
            if inside:
                return inside[-1], "previous_sentence"
    if title and circles.title_end and sent.start >= circles.title_end:
        in_title = [m for m in mentions if m.end <= circles.title_end]
        if in_title:
            return in_title[0], "title"
    return None, None
