"""Scans that read only what their answer depends on, for long texts and long sentences.

Two costs grow with the square of a one-line text (issue 13) though each call looks
local:

- ``regex`` looks for a pattern's required literal ("chuyển sang", ")") in the whole
  rest of the string before it tries a match, so ``pattern.match(text, pos)`` on a text
  of a megabyte reads the rest of the megabyte for every figure that asks;
- the head of a sentence before a figure is scanned again for each of the sentence's
  figures (its clause starts, list intros, named components): a sentence of a thousand
  characters and forty figures is read forty times.

The helpers here give exactly the answers of those calls: the end of the string is put
where the pattern's reading stops, and a sentence is scanned once with only the stretch
just before each figure scanned again.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import regex

from ..segment import Sentence

_SPACES = regex.compile(r"\s*")
_SPACE_RUN = regex.compile(r"\s+")


def match_after_spaces(pattern: regex.Pattern[str], text: str, pos: int, reach: int) -> Any:
    """``pattern.match(text, pos)`` for a pattern that reads the run of white space at
    ``pos`` and at most ``reach`` characters after it (its lookahead included): the same
    match, without the search for its literal through the rest of ``text``."""
    spaces = _SPACES.match(text, pos)
    stop = (spaces.end() if spaces is not None else pos) + reach
    return pattern.match(text, pos, stop)


def longest_space_run(sentence: Sentence) -> int:
    """The length of the longest run of white space in the sentence, worked out once: how
    far an unbounded ``\\s*`` in a pattern may read there."""
    key = ("longest_space_run",)
    if key not in sentence.memo:
        sentence.memo[key] = max((m.end() - m.start() for m in _SPACE_RUN.finditer(sentence.text)), default=0)
    return sentence.memo[key]  # type: ignore[no-any-return]


def head_matches(pattern: regex.Pattern[str], sentence: Sentence, figure: int, reach: int,
                 spaces: int) -> list[Any]:
    """``list(pattern.finditer(sentence.text[:figure]))``, the same matches (with the same
    spans and groups), for a pattern whose every attempt reads at most ``reach``
    characters past where it starts plus ``spaces`` runs of white space.

    The first figure of a sentence to ask has its head scanned (most sentences hold one
    figure); once a second asks, the whole sentence is scanned, once. An attempt that
    starts at ``safe``, ``reach`` and the spaces before the figure, or earlier, reads
    nothing from the figure on, so it fares in the head as in the whole sentence: the
    matches of that scan that start there are the head's, and every attempt between the
    last of them and ``safe`` failed in the head too. Only the stretch from ``safe`` to
    the figure is scanned again (about ``reach`` characters), however long the head."""
    text = sentence.text
    key = ("head_matches", pattern)
    scan = sentence.memo.get(key)
    if scan is None or scan[:2] == ("head", figure):
        head = list(pattern.finditer(text, 0, figure)) if scan is None else scan[2]
        sentence.memo[key] = ("head", figure, head)
        return list(head)  # a copy: callers drop matches from what they get
    safe = figure - (reach + spaces * longest_space_run(sentence))
    if safe <= 0:
        return list(pattern.finditer(text, 0, figure))
    if scan[0] == "head":
        found = list(pattern.finditer(text))
        scan = sentence.memo[key] = ("whole", found, [m.start() for m in found])
    _, found, starts = scan
    kept = found[: bisect_right(starts, safe)]
    if kept and kept[-1].start() == kept[-1].end():  # after an empty match a scan goes on differently
        return list(pattern.finditer(text, 0, figure))
    return kept + list(pattern.finditer(text, max(kept[-1].end() if kept else 0, safe + 1), figure))


def first_in_head(pattern: regex.Pattern[str], sentence: Sentence, figure: int, reach: int,
                  spaces: int) -> Any:
    """``pattern.search(sentence.text, 0, figure)``, for a pattern read as in
    :func:`head_matches`: for the sentence's first figure to ask, the head's search; for
    the others, the first match of the whole sentence, looked for once, when it starts
    far enough before the figure, else a search of the stretch just before it."""
    text = sentence.text
    key = ("first_in_head", pattern)
    seen = sentence.memo.get(key)
    if seen is None or seen[:2] == ("head", figure):
        first = pattern.search(text, 0, figure) if seen is None else seen[2]
        sentence.memo[key] = ("head", figure, first)
        return first
    safe = figure - (reach + spaces * longest_space_run(sentence))
    if safe <= 0:
        return pattern.search(text, 0, figure)
    if seen[0] == "head":
        seen = sentence.memo[key] = ("whole", None, pattern.search(text))
    first = seen[2]
    if first is not None and first.start() <= safe:
        return first
    return pattern.search(text, safe + 1, figure)
