"""The words a pattern cannot match without: a sentence that lacks one is not searched.

A rule's pattern runs over every sentence its trigger lets through, and the ``regex``
engine tries it at every position of the sentence, overlapped: on a long text that is
most of rule matching, while most of those searches find nothing because a word the
pattern spells out ("từ", "%", " trên ", "mức độ") is not in the sentence at all. So a
pattern is read here into clauses: each clause is a few lower-cased words one of which
every match holds (a literal run of characters outside any optional part, or for an
alternation one word of each branch). If one clause has none of its words in the
lower-cased sentence, no match can be there, and the search is skipped.

The reading is conservative: anything it does not understand (a class, an escape, an
optional or repeated part, a negative lookaround, a reference) requires nothing, and a
construct that could change what the characters mean (verbose or full-case flags, a
numeric escape) makes the whole pattern require nothing. A positive lookaround requires
its words too: it must hold in the same sentence. Words are looked for in the
lower-cased sentence; :func:`odd_cases` names the few characters that a case-insensitive
pattern matches for a letter but that lower-case to another letter ("ſ" for "s"), and a
text holding one of them is searched as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import regex

Clauses = tuple[tuple[str, ...], ...]

# Escapes that stand for one character class or a zero-width test; any other escaped
# letter or digit (a code point, a reference, a named character) is not read.
_CLASS_ESCAPES = frozenset("dDwWsSbBAZzGmMnrtfva")
_BRACED_ESCAPES = frozenset("pP")
_QUANTIFIER = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
# Scoped or global flags: "(?-i:", "(?i)", "(?si-x:".
_FLAGS = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])")
# At most this many clauses are kept, the most telling first: each costs a few scans.
MAX_CLAUSES = 6


class _Unread(Exception):
    """The pattern holds a construct the reading does not follow."""


def required_words(pattern: str) -> Clauses:
    """Clauses of lower-cased words, one of each of which every match of ``pattern``
    holds, the most telling first; empty when nothing is known to be required."""
    try:
        clauses, end = _alternation(pattern, 0)
    except (_Unread, IndexError):
        return ()
    if end != len(pattern):
        return ()
    kept = sorted(dict.fromkeys(map(_shortest, clauses)), key=lambda c: (-min(len(w) for w in c), len(c)))
    return tuple(kept[:MAX_CLAUSES])


def _shortest(clause: tuple[str, ...]) -> tuple[str, ...]:
    """The clause without the words that hold another of its words ("xếp hạng" holds
    "hạng"): where one of them is, so is the shorter word."""
    return tuple(w for w in clause if not any(v != w and v in w for v in clause))


def odd_cases(pattern: str, clauses: Clauses) -> frozenset[str]:
    """Characters that ``pattern`` matches case-insensitively for one of its letters but
    that do not lower-case as that letter does ("ſ" for "s", "ı" for "I"), as they stand in
    a lower-cased text: a text holding one is searched without the words' help. Every
    character of the pattern counts, not only those of ``clauses``: a letter's cases are
    not always its lower-case form's ("I" matches "ı", "i" does not)."""
    letters = set(pattern) | {c for clause in clauses for w in clause for c in w}
    return frozenset(odd for c in letters for odd in _odd_of(c))


def _odd_of(c: str) -> tuple[str, ...]:
    low = c.lower()
    cases = {*_cases(c), *(_cases(low) if len(low) == 1 else ())}
    # as they stand in the lower-cased text ("I", which "ı" matches, as "i")
    return tuple(x.lower() for x in cases if x.lower() != low and len(x.lower()) == 1)


def _cases(c: str) -> list[str]:
    flags = regex.IGNORECASE | regex.VERSION0
    return [chr(x) for x in regex._regex.get_all_cases(flags, ord(c))]  # type: ignore[attr-defined]


def ruled_out(clauses: Clauses, odd: frozenset[str], low: str) -> bool:
    """Whether a pattern with these ``clauses`` (and :func:`odd_cases` ``odd``) cannot
    match in the text whose lower-cased form is ``low`` (of the same length)."""
    return bool(clauses) and not all_present(clauses, low) and not any(c in low for c in odd)


def all_present(clauses: Clauses, low: str) -> bool:
    """Whether every clause has one of its words in ``low`` (a lower-cased sentence)."""
    for clause in clauses:
        for w in clause:
            if w in low:
                break
        else:
            return False
    return True


def _alternation(p: str, i: int) -> tuple[list[tuple[str, ...]], int]:
    """Clauses of the alternation that starts at ``i``, and where it ends (")" or the end)."""
    branches: list[list[tuple[str, ...]]] = []
    while True:
        clauses, i = _sequence(p, i)
        branches.append(clauses)
        if i < len(p) and p[i] == "|":
            i += 1
            continue
        break
    if len(branches) == 1:
        return branches[0], i
    merged: list[str] = []
    for clauses in branches:
        if not clauses:
            return [], i  # a branch that requires nothing: neither does the alternation
        best = max(clauses, key=lambda c: (min(len(w) for w in c), -len(c)))
        merged.extend(best)
    return [tuple(dict.fromkeys(merged))], i


def _sequence(p: str, i: int) -> tuple[list[tuple[str, ...]], int]:
    """Clauses of the branch that starts at ``i``: its literal runs, and what its
    groups that must match require; stops at "|" or ")"."""
    clauses: list[tuple[str, ...]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            clauses.append(("".join(run),))
            run.clear()

    while i < len(p) and p[i] not in "|)":
        atom, inner, i = _atom(p, i)
        low_min, i = _quantifier(p, i)
        if low_min == 0:
            atom, inner = None, []
        elif low_min < 0 and atom is not None:  # repeated: required, but not next to the rest
            inner, atom = [(atom,)], None
        if atom is not None:
            run.append(atom)
            continue
        close_run()
        clauses.extend(inner)
    close_run()
    return clauses, i


def _atom(p: str, i: int) -> tuple[str | None, list[tuple[str, ...]], int]:
    """One atom at ``i``: a literal character (lower-cased) or the clauses of a group,
    and the index after it."""
    c = p[i]
    if c == "\\":
        e = p[i + 1]
        if e in _BRACED_ESCAPES:
            if p[i + 2] != "{":
                return None, [], i + 3
            return None, [], p.index("}", i) + 1
        if e.isalnum():
            if e not in _CLASS_ESCAPES:
                raise _Unread(p[i:i + 2])
            return None, [], i + 2
        return _literal(e), [], i + 2
    if c == "[":
        return None, [], _class_end(p, i)
    if c in ".^$":
        return None, [], i + 1
    if c in "*+?{":
        if c == "{" and not _QUANTIFIER.match(p, i):
            raise _Unread("a brace that is no quantifier")
        raise _Unread("a quantifier with nothing before it")
    if c == "(":
        return _group(p, i)
    return _literal(c), [], i + 1


def _literal(c: str) -> str | None:
    low = c.lower()
    return low if len(low) == 1 else None


def _group(p: str, i: int) -> tuple[None, list[tuple[str, ...]], int]:
    """The clauses a group at ``i`` requires (none for a negative lookaround, a condition
    or a call), and the index after it."""
    if not p.startswith("(?", i):
        body = i + 1
    elif p.startswith(("(?:", "(?=", "(?>", "(?|"), i):
        body = i + 3
    elif p.startswith("(?<=", i):
        body = i + 4
    elif p.startswith(("(?P<", "(?<"), i) and not p.startswith("(?<!", i):
        body = p.index(">", i) + 1
    elif p.startswith("(?#", i):
        raise _Unread("a comment")  # its text is not pattern: nothing to step over safely
    elif p.startswith(("(?!", "(?<!", "(?(", "(?R", "(?&", "(?P>", "(?P="), i) or \
            (i + 2 < len(p) and (p[i + 2].isdigit() or (p[i + 2] in "+-" and p[i + 3].isdigit()))):
        end = _group_end(p, i)
        return None, [], end
    elif (flags := _FLAGS.match(p, i)) is not None:
        if set(flags.group(1)) & set("xXfFrRwW"):
            raise _Unread("flags that change what the characters mean")
        if flags.group(3) == ")":
            if flags.end() < len(p) and p[flags.end()] in "*+?{":
                raise _Unread("a quantifier after flags")  # it repeats what came before them
            return None, [], flags.end()
        body = flags.end()
    else:
        raise _Unread(p[i:i + 4])
    clauses, end = _alternation(p, body)
    if end >= len(p) or p[end] != ")":
        raise _Unread("a group that does not close")
    return None, clauses, end + 1


def _quantifier(p: str, i: int) -> tuple[int, int]:
    """The least number of times a quantifier at ``i`` allows (1: none there; -1: more
    than once is allowed, at least one), and the index after it with its lazy or
    possessive mark."""
    if i >= len(p):
        return 1, i
    c = p[i]
    if c == "?" or c == "*":
        low, i = 0, i + 1
    elif c == "+":
        low, i = -1, i + 1
    elif c == "{" and (m := _QUANTIFIER.match(p, i)) and (m.group(1) or m.group(2)):
        least = int(m.group(1) or 0)
        most = m.group(3) if m.group(2) else m.group(1)
        low = 0 if least == 0 else (1 if most == "1" else -1)
        i = m.end()
    else:
        return 1, i
    if i < len(p) and p[i] in "?+":
        i += 1
    return low, i


def _class_end(p: str, i: int) -> int:
    """The index after the character class that opens at ``i`` (the rules' VERSION0
    syntax: a "[" inside a class is a character, "[:alpha:]" is not read)."""
    j = i + 1
    if p[j] == "^":
        j += 1
    if p[j] == "]":
        j += 1
    while p[j] != "]":
        if p[j] == "\\":
            j += 1
        elif p[j] == "[" and p[j + 1] in ":=.":
            raise _Unread("a POSIX class")
        j += 1
    return j + 1


def group_end(p: str, i: int, skip: Callable[[str, int], int]) -> int:
    """The index after the group that opens at ``i`` (-1 if it never closes). ``skip(p, j)``
    is the index after an escape or a character class at ``j`` (``j`` when none opens
    there, -1 for one that never closes): a parenthesis inside them is not structure. Both
    readers of patterns (this module and :mod:`newsfacts.triggers`) step through groups so,
    each with its own reading of classes."""
    depth, j = 0, i
    while j < len(p):
        k = skip(p, j)
        if k != j:
            if k < 0:
                return -1
            j = k
            continue
        if p[j] == "(":
            depth += 1
        elif p[j] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def _skip(p: str, j: int) -> int:
    """An escape or a character class at ``j`` stepped over (see :func:`group_end`)."""
    if p[j] == "\\":
        return j + 2
    return _class_end(p, j) if p[j] == "[" else j


def _group_end(p: str, i: int) -> int:
    """The index after the group that opens at ``i``, stepping over escapes and classes."""
    return group_end(p, i, _skip)
