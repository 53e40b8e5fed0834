"""Mentions by position: which of an article's mentions lie in a stretch of its text.

Linking asks, for every figure, which entities, indexes or years stand in its sentence,
before it or right after it. Scanning every mention of the article for each figure
costs the square of a long text's figures (a one-line list of a thousand results); a
:class:`Mentions` keeps its starts sorted once, so each question is a bisection. The
helpers here answer exactly what that scan answered, in the list's own order, for any
list: a plain list is still scanned, a :class:`Mentions` is not.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable

from ..entities import Mention


class Mentions(list[Mention]):
    """A list of mentions that is not changed once built, with its starts in order.

    ``memo`` is for what a linker module computes once per list (see ``article``)."""

    def __init__(self, items: Iterable[Mention] = ()) -> None:
        super().__init__(items)
        self.memo: dict[object, object] = {}
        self._starts: list[int] | None = None
        self._order: list[int] = []
        self._sorted = True
        self._longest = 0

    def _index(self) -> list[int]:
        if self._starts is None:
            self._order = sorted(range(len(self)), key=lambda i: self[i].start)
            self._sorted = all(i == k for k, i in enumerate(self._order))
            self._starts = [self[i].start for i in self._order]
            self._longest = max((m.end - m.start for m in self), default=0)
        return self._starts

    def in_order(self) -> bool:
        """Whether the list is in order of starts (ties in any order)."""
        self._index()
        return self._sorted

    def starting(self, lo: int, hi: int) -> list[Mention]:
        """The mentions with ``lo <= start < hi``, in list order."""
        starts = self._index()
        a, b = bisect_left(starts, lo), bisect_left(starts, hi)
        if self._sorted:
            return self[a:b]
        return [self[i] for i in sorted(self._order[a:b])]

    def last_ending_by(self, pos: int, keep: Callable[[Mention], bool] | None = None) -> Mention | None:
        """The last mention in list order that ends at or before ``pos`` (and that ``keep``
        accepts): looked for backwards from the last one starting by ``pos``."""
        starts = self._index()
        if not self._sorted:
            return _last_ending_by_scan(self, pos, keep)
        for i in range(bisect_right(starts, pos) - 1, -1, -1):
            m = self[i]
            if m.end <= pos and (keep is None or keep(m)):
                return m
        return None

    def ending_at(self, pos: int) -> list[Mention]:
        """The mentions that end exactly at ``pos``, in list order."""
        self._index()
        return [m for m in self.starting(pos - self._longest, pos + 1) if m.end == pos]


def starting(mentions: list[Mention], lo: int, hi: int) -> list[Mention]:
    """The mentions with ``lo <= start < hi``, in list order."""
    if isinstance(mentions, Mentions):
        return mentions.starting(lo, hi)
    return [m for m in mentions if lo <= m.start < hi]


def within(mentions: list[Mention], lo: int, hi: int) -> list[Mention]:
    """The mentions with ``lo <= start`` and ``end <= hi``, in list order."""
    return [m for m in starting(mentions, lo, hi + 1) if m.end <= hi]


def last_ending_by(mentions: list[Mention], pos: int,
                   keep: Callable[[Mention], bool] | None = None) -> Mention | None:
    """The last mention in list order that ends at or before ``pos`` and that ``keep``
    accepts, or None."""
    if isinstance(mentions, Mentions):
        return mentions.last_ending_by(pos, keep)
    return _last_ending_by_scan(mentions, pos, keep)


def ending_at(mentions: list[Mention], pos: int) -> list[Mention]:
    """The mentions that end exactly at ``pos``, in list order."""
    if isinstance(mentions, Mentions):
        return mentions.ending_at(pos)
    return [m for m in mentions if m.end == pos]


def _last_ending_by_scan(mentions: list[Mention], pos: int,
                         keep: Callable[[Mention], bool] | None) -> Mention | None:
    found = [m for m in mentions if m.end <= pos and (keep is None or keep(m))]
    return found[-1] if found else None
