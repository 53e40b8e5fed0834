"""Punkt: underthesea's sentence splitter, stepping from one end mark to the next.

underthesea's ``sent_tokenize`` (``PunktSentenceTokenizer.sentences_from_text``) walks
a paragraph one character at a time in Python, and does nothing at a character that is
not ".", "?" or "!": a tenth of a run went to that walk. :func:`split` is the same
algorithm, decision for decision (the ellipsis rule, the grouped-digit and abbreviation
tests of ``_is_sentence_boundary`` and ``_get_preceding_word``, with the tokenizer's
own abbreviations), but finds the next end mark with a regular expression instead of
looking at every character in between.

It is used only when underthesea's three methods are the code it was written from (their
source hashes to :data:`KNOWN_SOURCE`); any other version of underthesea runs its own
splitter. tests/test_punkt.py holds the two to the same sentences on random text and on
every paragraph of the test corpora.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Callable
from typing import Any

# The SHA-256 of the source of underthesea's sentences_from_text, _is_sentence_boundary
# and _get_preceding_word (underthesea 9.5), joined by newlines: what split() restates.
KNOWN_SOURCE = "1ef5ca374bdb40495388ee3651a21e45023bee8d4f618ff1d3eece45cbc4f46b"
_END = re.compile(r"[.?!]")
END_MARKS = frozenset(".?!")


def method_source(tokenizer_class: Any) -> str:
    """The digest :data:`KNOWN_SOURCE` is compared with, of ``tokenizer_class``'s methods."""
    parts = [inspect.getsource(getattr(tokenizer_class, name))
             for name in ("sentences_from_text", "_is_sentence_boundary", "_get_preceding_word")]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _close(text: str, start: int, end: int, sentences: list[str]) -> int:
    """Ends the sentence ``text[start:end]`` (kept when not blank) and gives where the next
    one starts: past the spaces and line breaks after it, as underthesea skips them."""
    sentence = text[start:end].strip()
    if sentence:
        sentences.append(sentence)
    n = len(text)
    while end < n and text[end] in " \t\n\r":
        end += 1
    return end


def split(text: str, abbrevs: frozenset[str] | set[str]) -> list[str]:
    """The sentences ``sentences_from_text`` gives for ``text``, with ``abbrevs`` its
    tokenizer's ``abbrev_types``."""
    if not text or not text.strip():
        return []
    sentences: list[str] = []
    start = 0
    n = len(text)
    find = _END.search
    m = find(text, 0)
    while m is not None:
        i = m.start()
        if text[i] == ".":
            dot_end = i
            while dot_end < n and text[dot_end] == ".":
                dot_end += 1
            if dot_end - i >= 3:  # an ellipsis: a boundary only at the end or before a capital
                after = dot_end
                while after < n and text[after] in " \t":
                    after += 1
                if after >= n or text[after].isupper():
                    dot_end = start = _close(text, start, dot_end, sentences)
                m = find(text, dot_end)
                continue
            # a dot between digits ("1.500") or after an abbreviation ends nothing
            boundary = not (i > 0 and text[i - 1].isdigit() and i + 1 < n and text[i + 1].isdigit())
            if boundary:
                s = i - 1
                while s >= 0 and (text[s].isalnum() or text[s] == "."):
                    s -= 1
                word = text[s + 1:i]
                if word and word.lower() in abbrevs:
                    boundary = False
        else:
            boundary = True  # "?" and "!" always end a sentence
        if boundary:
            end = i + 1
            while end < n and text[end] in ".?!":
                end += 1
            end = start = _close(text, start, end, sentences)
            m = find(text, end)
            continue
        m = find(text, i + 1)
    final = text[start:].strip()
    if final:
        sentences.append(final)
    return sentences


def fast_splitter(module: Any) -> Callable[[str], list[str]] | None:
    """:func:`split` with the abbreviations of underthesea's splitter ``module`` (its
    ``sent_tokenize`` module, loaded), when its methods are the ones :func:`split`
    restates; else None (the caller then runs the module's own ``sent_tokenize``)."""
    try:
        cls = module.PunktSentenceTokenizer
        if cls.SENT_END_CHARS != END_MARKS or method_source(cls) != KNOWN_SOURCE:
            return None
        module._load_model()
        tokenizer = module.sentence_tokenizer
        if type(tokenizer) is not cls:
            return None
        abbrevs = frozenset(tokenizer.abbrev_types)
    except Exception:  # another layout of the module: its own function then
        return None

    def sent_tokenize(text: str) -> list[str]:
        return split(text, abbrevs)

    return sent_tokenize
