"""Literal shortcuts for the patterns every sentence meets: the prefilter and the triggers.

Every sentence of a run meets the prefilter (``prefilter`` in ``rules/blocks.yaml``) and
some twenty distinct ``requires`` triggers, and most of those searches find nothing: a
third of rule matching went to them. The ``regex`` engine tries every alternative of a
pattern at every position, while most alternatives are plain words, and whether a word
is in a string is what ``str.__contains__`` answers fast. So a pattern is read here into
what can be asked without the engine:

- a trigger whose language is a finite set of words (literals, ``(?:…|…)`` groups and
  ``?``: "TTHC|thủ tục|dịch vụ (?:trực tuyến )?mức") is the question whether one of
  those words is in the lower-cased sentence — exactly what the engine answered for the
  lower-cased pattern, with no case folding (the reading plain-word triggers always had);
- a pattern made of top-level alternatives (the prefilter) matches where one of them
  does, so each is asked on its own: a plain word by ``in``, any other after the words it
  cannot match without (the literal head "thứ " of "thứ (?:\\p{L}+)", one of the words of
  a leading group) are checked to be there.

The prefilter's alternatives are first looked for in the whole document, once: one the
document does not hold is in none of its sentences (a trigger's words are not: looking
for them in a document cost more than in its few sentences with a figure). Nothing here
decides differently from the patterns it stands for (``tests/test_triggers.py`` compares
them); it decides sooner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .required import group_end

_SPECIAL = frozenset("\\()[]{}*+?.^$|")
_QUANTIFIERS = frozenset("?*+{")
# Group calls and references: "(?&name)", "(?P>name)", "(?R)", "(?1)", "(?(1)…)", "\\1", "\\g<1>".
_REFERENCE = re.compile(r"\(\?(?:&|P>|P=|R|[+-]?\d|\()|\\(?:g|k|\d)")
# A finite language larger than this is left to the engine (no trigger comes near).
MAX_WORDS = 256
# An alternative that is one character class ("\\d", "\\p{Lu}", "[0-9]"), no quantifier:
# the engine finds one such character as fast as ``in`` finds one word.
_ONE_CLASS = re.compile(r"\\[dDwWsS]|\\[pP]\{[\w=&.-]+\}|\[(?:[^\]\\]|\\.)+\]")


def split_alternatives(pattern: str) -> list[str] | None:
    """The top-level alternatives of ``pattern`` (split at "|" outside groups and classes),
    or None when the pattern is not balanced or sets flags of its own at the top."""
    parts: list[str] = []
    depth, start, i, n = 0, 0, 0, len(pattern)
    while i < n:
        c = pattern[i]
        skip = _skip_atom(pattern, i)
        if skip != i:
            if skip < 0:
                return None
            i = skip
            continue
        if c == "(":
            if depth == 0 and pattern.startswith("(?", i) and i + 2 < n and pattern[i + 2].isalpha() \
                    and pattern[i + 2] not in "P":
                return None  # "(?i)" or "(?i:": flags that may reach the other alternatives
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return None
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    if depth != 0:
        return None
    parts.append(pattern[start:])
    return parts


def _skip_atom(pattern: str, i: int) -> int:
    """The index after an escape or a character class at ``i``, ``i`` itself when neither
    opens there, -1 for a class that never closes: both scanners below step over these
    whole, since a "|" or a parenthesis inside them is not structure."""
    if pattern[i] == "\\":
        return i + 2
    if pattern[i] == "[":
        return _class_end(pattern, i)
    return i


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class that opens at ``i`` (-1 if it never closes)."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern):
        if pattern[j] == "\\":
            j += 2
            continue
        if pattern[j] == "[":  # a nested set (VERSION1 only, but harmless to skip)
            k = _class_end(pattern, j)
            if k < 0:
                return -1
            j = k
            continue
        if pattern[j] == "]":
            return j + 1
        j += 1
    return -1


def _group_end(pattern: str, i: int) -> int:
    """The index after the group that opens at ``i`` (-1 if it never closes)."""
    return group_end(pattern, i, _skip_atom)


def literal_language(pattern: str) -> tuple[str, ...] | None:
    """The strings ``pattern`` matches when it is made only of literal characters,
    ``(?:…)`` groups, "|" and a "?" after a character or a group; None otherwise."""
    words = _language(pattern)
    return None if words is None else tuple(dict.fromkeys(words))


def _language(pattern: str) -> list[str] | None:
    alternatives = split_alternatives(pattern)
    if alternatives is None:
        return None
    out: list[str] = []
    for alt in alternatives:
        seq = _sequence(alt)
        if seq is None:
            return None
        out.extend(seq)
        if len(out) > MAX_WORDS:
            return None
    return out


def _sequence(alt: str) -> list[str] | None:
    words = [""]
    i = 0
    while i < len(alt):
        c = alt[i]
        if alt.startswith("(?:", i):
            end = _group_end(alt, i)
            inner = _language(alt[i + 3:end - 1]) if end > 0 else None
            if inner is None:
                return None
            item, i = inner, end
        elif c in _SPECIAL:
            return None
        else:
            item, i = [c], i + 1
        if i < len(alt) and alt[i] == "?":
            item, i = ["", *item], i + 1
            if i < len(alt) and alt[i] in _QUANTIFIERS:
                return None  # "??", "?+": lazy or possessive, still finite, but keep it plain
        elif i < len(alt) and alt[i] in _QUANTIFIERS:
            return None
        words = [w + x for w in words for x in item]
        if len(words) > MAX_WORDS:
            return None
    return words


def _needs(alt: str) -> tuple[str, ...] | None:
    """Words one of which every match of an alternative begins with (None: no such words
    known): its literal head, or the words of a leading literal group, after any lookarounds."""
    i = 0
    while alt.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
        i = _group_end(alt, i)
        if i < 0:
            return None
    if alt.startswith("(?:", i):
        end = _group_end(alt, i)
        if end < 0 or (end < len(alt) and alt[end] in _QUANTIFIERS):
            return None
        words = literal_language(alt[i + 3:end - 1])
        return words if words and all(words) else None
    head = i
    while i < len(alt) and alt[i] not in _SPECIAL:
        i += 1
    if i < len(alt) and alt[i] in _QUANTIFIERS:
        i -= 1  # "ab?": the quantifier takes the "b"
    return (alt[head:i],) if i > head else None


@dataclass(frozen=True)
class Alternatives:
    """A pattern as its top-level alternatives: ``words`` are the plain-word ones, and
    ``guarded`` the others, each with the words its matches begin with (None: not known,
    searched) and the alternative compiled with the pattern's flags. Built by
    :func:`alternatives_of`."""

    words: tuple[str, ...]
    guarded: tuple[tuple[tuple[str, ...] | None, Any], ...]
    # One-character-class alternatives, compiled: asked before the words. The prefilter's
    # "\\d" is in most sentences that have any figure and costs one short search, where
    # the twenty words it would otherwise wait behind cost twenty scans. An alternation
    # matches where any alternative does, so the order decides nothing but how soon.
    leading: tuple[Any, ...] = ()

    def for_document(self, doc: str) -> Alternatives:
        """The alternatives that can match somewhere in ``doc``: a word the document does
        not hold cannot be in any stretch of it."""
        return Alternatives(tuple(w for w in self.words if w in doc),
                            tuple((needs, pat) for needs, pat in self.guarded
                                  if needs is None or any(w in doc for w in needs)),
                            self.leading)

    def search(self, text: str, start: int, end: int, timeout: float | None = None) -> bool:
        """Whether the pattern matches in ``text[start:end]`` (searched as
        ``pattern.search(text, start, end)`` is)."""
        for pat in self.leading:
            if pat.search(text, start, end, timeout=timeout) is not None:
                return True
        part = text[start:end]
        for w in self.words:
            if w in part:
                return True
        for needs, pat in self.guarded:
            if needs is None:
                if pat.search(text, start, end, timeout=timeout) is not None:
                    return True
                continue
            # a match begins where one of the words does: it is tried there only (a
            # lookbehind still sees the text before, as in the search)
            for w in needs:
                at = part.find(w)
                while at >= 0:
                    if pat.match(text, start + at, end, timeout=timeout) is not None:
                        return True
                    at = part.find(w, at + 1)
        return False


def alternatives_of(pattern: str, compile_alt: Any) -> Alternatives | None:
    """``pattern`` as :class:`Alternatives`, each non-word alternative compiled with
    ``compile_alt``; None when it cannot be split (then the pattern is searched whole)."""
    if _REFERENCE.search(pattern):
        return None  # an alternative that calls or refers to a group of another cannot stand alone
    parts = split_alternatives(pattern)
    if parts is None or any(not p for p in parts):
        return None  # an empty alternative matches everywhere: nothing to gain
    words: list[str] = []
    guarded: list[tuple[tuple[str, ...] | None, Any]] = []
    leading: list[Any] = []
    for part in parts:
        language = literal_language(part)
        if language is not None and all(language):
            words.extend(language)
        elif _ONE_CLASS.fullmatch(part):
            leading.append(compile_alt(part))
        else:
            guarded.append((_needs(part), compile_alt(part)))
    return Alternatives(tuple(dict.fromkeys(words)), tuple(guarded), tuple(leading))


def checked_alternatives(pattern: Any, texts: list[str], compile_alt: Any,
                         timeout: float | None = None) -> Alternatives | None:
    """:func:`alternatives_of` ``pattern`` (compiled), when they decide as it does on every
    one of ``texts``; else None."""
    parts = alternatives_of(pattern.pattern, compile_alt)
    if parts is None:
        return None
    for text in texts:
        if parts.search(text, 0, len(text), timeout) != (pattern.search(text, timeout=timeout) is not None):
            return None
    return parts


def any_in(words: tuple[str, ...], text: str) -> bool:
    """Whether one of ``words`` is in ``text`` (a loop: cheaper than ``any`` over a generator)."""
    for w in words:  # noqa: SIM110 - the loop is the point
        if w in text:
            return True
    return False
