"""Where a name can begin: the entity scan's starts, found without a case-folding scan.

The entity pattern (``entities``) is only tried where a name can begin; finding those
places with one case-insensitive pattern cost as much as the tries themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StartFinder:
    """Where an entity can begin: ``pattern``, a capital or one of ``words`` (lower-case,
    letters only) not glued to a letter or digit before it nor a letter after it.

    The pattern's case-insensitive alternation of words, tried at every position, was
    the larger half of the entity scan; here a capital is one small pattern and each word
    is looked for with ``str.find`` in the lower-cased text, its edges checked by hand
    (``isalnum`` is ``\\p{L}`` or ``\\p{N}``, ``isalpha`` is ``\\p{L}``). The positions are those
    ``pattern.finditer`` gives (its matches are a letter or a word, so none hides another);
    a text that lower-casing lengthens goes through the pattern."""

    pattern: Any
    upper: Any
    words: tuple[str, ...]

    def finditer(self, text: str) -> Any:
        return self.pattern.finditer(text)

    def positions(self, text: str) -> list[int]:
        low = text.lower()
        if len(low) != len(text):
            return [m.start() for m in self.pattern.finditer(text)]
        found = {m.start() for m in self.upper.finditer(text)}
        size = len(low)
        for w in self.words:
            n, at = len(w), low.find(w)
            while at >= 0:
                if (at == 0 or not low[at - 1].isalnum()) and (at + n == size or not low[at + n].isalpha()):
                    found.add(at)
                at = low.find(w, at + 1)
        return sorted(found)
