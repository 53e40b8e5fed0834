"""Segment: sentences with underthesea, without breaking at Vietnamese abbreviations.

underthesea's sentence splitter breaks "(Baohatinh.vn)" and some "TP." forms;
so dots inside domains, abbreviations and grouped numbers are masked with a
same-length stand-in before splitting, and sentences are located back in the
original text by offset. Paragraph breaks always end a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import regex

MASK = "\u2024"  # ONE DOT LEADER: one code point, so offsets survive masking

# A dot that does not end a sentence: glued between letters or digits (domains such as
# "Baohatinh.vn", "1.000.000"), after an abbreviation ("TP.", "ThS.", "Q."), or an initial.
_PROTECT = regex.compile(
    r"\.(?:(?<=[\p{L}\d]\.)(?=[\p{L}\d])"
    r"|(?<=\b(?:TP|Tp|tp|ThS|Ths|TS|PGS|GS|BS|KS|CN|Q|P|TX|TT|H|X|St|Mr|Mrs|Dr|No|Th|v\.v|vs)\.)(?=\s*[\p{L}\d])"
    r"|(?<=(?<![\p{L}])\p{Lu}\.)(?=\s*\p{Lu}))"
)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def _mask(text: str) -> str:
    return _PROTECT.sub(MASK, text)


@lru_cache(maxsize=1)
def _splitter():  # type: ignore[no-untyped-def]
    from underthesea import sent_tokenize

    return sent_tokenize


def split_sentences(text: str, worth_splitting: Callable[[str], object] | None = None) -> list[Sentence]:
    """Sentences of the cleaned text with their offsets; paragraphs split on blank lines.

    A paragraph for which ``worth_splitting`` is false (no figure can be in it) stays
    one unit: it still gives context to its neighbours, at no tokenising cost."""
    sentences: list[Sentence] = []
    tokenize = _splitter()
    offset = 0
    for p_index, paragraph in enumerate(text.split("\n\n")):
        if worth_splitting is not None and paragraph and not worth_splitting(paragraph):
            sentences.append(Sentence(offset, offset + len(paragraph), paragraph, p_index))
            offset += len(paragraph) + 2
            continue
        masked = _mask(paragraph)
        cursor = 0
        for piece in tokenize(masked) if masked.strip() else []:
            piece = piece.strip()
            if not piece:
                continue
            found = masked.find(piece, cursor)
            if found < 0:  # the splitter rewrote something: fall back to the rest
                found, piece = cursor, masked[cursor:].strip()
                if not piece:
                    break
                found = masked.find(piece, cursor)
            start = offset + found
            end = start + len(piece)
            sentences.append(Sentence(start, end, text[start:end], p_index))
            cursor = found + len(piece)
        offset += len(paragraph) + 2
    return sentences
