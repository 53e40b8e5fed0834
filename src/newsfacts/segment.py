"""Segment: sentences with underthesea, without breaking at Vietnamese abbreviations.

underthesea's sentence splitter breaks "(Baohatinh.vn)" and some "TP." forms;
so dots inside domains, abbreviations and grouped numbers are masked with a
same-length stand-in before splitting, and sentences are located back in the
original text by offset. Paragraph breaks always end a sentence.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from . import punkt

MASK = "\u2024"  # ONE DOT LEADER: one code point, so offsets survive masking

# A dot that does not end a sentence: glued between letters or digits (domains such as
# "Baohatinh.vn", "1.000.000"), after an abbreviation ("TP.", "ThS.", "Q."), or an initial.
_PROTECT = regex.compile(
    r"\.(?:(?<=[\p{L}\d]\.)(?=[\p{L}\d])"
    r"|(?<=\b(?:TP|Tp|tp|ThS|Ths|TS|PGS|GS|BS|KS|CN|Q|P|TX|TT|H|X|St|Mr|Mrs|Dr|No|Th|v\.v|vs)\.)(?=\s*[\p{L}\d])"
    r"|(?<=(?<![\p{L}])\p{Lu}\.)(?=\s*\p{Lu}))"
)


# The longest sentence a figure is looked for in. Linking reads a figure's sentence
# around it (its clause, the words before it), so a text with no sentence breaks (a
# one-line dump of a table, "A đạt 80%, B đạt 81%, …" for a megabyte) would cost each
# figure the whole text. A sentence longer than this is cut into parts of at most
# PART_CHARS characters, each ending after its last "; ", else ", ", else space: a few
# clauses, which is what a figure's subject, index and year are looked for in. The
# longest sentence with a figure in the seeds, dev sets and 3,000 bench articles has
# under 2,000 characters, so news is never cut.
MAX_SENTENCE_CHARS = 3000
PART_CHARS = 1000
# Where a long sentence is cut, best first; a boundary in the part's first quarter is
# not taken (too short a part), and with none the part is cut at the limit.
_CUTS = ("; ", ", ", " ")

# A photo credit that the splitter leaves at the head of the next sentence: "(Ảnh: TL)
# Bình Định (63,1 điểm) xếp thứ 5." The credit closes the caption before it, so the
# sentence after it starts at its name ("Ở vị trí thứ 3, Lào Cai …" opens with its rank).
_CREDIT_HEAD = regex.compile(r"\((?:Ảnh|Nguồn ảnh|Ảnh minh họa|Photo)\s*:[^()\n]{1,60}\)\s+(?=[\p{Lu}Đ])")


def _uncredited(piece: str) -> Iterator[tuple[int, str]]:
    """``piece`` as (offset, part) pairs, a leading photo credit split off as its own."""
    head = _CREDIT_HEAD.match(piece) if piece.startswith("(") else None
    if head is None:
        yield 0, piece
        return
    yield 0, piece[: head.end()].rstrip()
    yield head.end(), piece[head.end():]


def _parts(piece: str, longest: int = MAX_SENTENCE_CHARS, limit: int = PART_CHARS) -> Iterator[tuple[int, str]]:
    """``piece`` as (offset, part) pairs: the one part (0, piece) when it has at most
    ``longest`` characters, else parts of at most ``limit`` characters, stripped."""
    if len(piece) <= longest:
        yield 0, piece
        return
    pos = 0
    while len(piece) - pos > limit:
        window = piece[pos: pos + limit]
        cut = next((window.rfind(mark) + len(mark) for mark in _CUTS
                    if window.rfind(mark) >= limit // 4), limit)
        part = window[:cut].rstrip()
        if part:
            yield pos, part
        pos += cut
        while pos < len(piece) and piece[pos].isspace():
            pos += 1
    if pos < len(piece):
        yield pos, piece[pos:]


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int
    # what linking works out once per sentence and its figures ask again (see link.scans)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)


def _mask(text: str) -> str:
    return _PROTECT.sub(MASK, text)


SentTokenize = Callable[[str], list[str]]
# underthesea's sentence splitter, relative to the package folder.
_SENT_TOKENIZE_FILE = Path("pipeline", "sent_tokenize", "__init__.py")


def _load_sent_tokenize_direct() -> SentTokenize | None:
    """underthesea's ``sent_tokenize`` loaded from its own file, without the package.

    ``import underthesea`` runs the package ``__init__``, which imports its whole stack
    (CRF taggers, joblib, requests, its dictionaries): ~0.35 s of every run's start-up,
    while the sentence splitter's module is self-contained (json, string, os.path).
    The same file runs, so the function is the same (or :mod:`punkt`'s restatement of
    it, which gives the same sentences sooner). None when the file is not where
    this version of underthesea keeps it, or does not load: the caller then imports the
    package as usual.
    """
    try:
        spec = importlib.util.find_spec("underthesea")  # finds the folder, runs nothing
        folders = list(spec.submodule_search_locations or []) if spec is not None else []
        path = next((Path(f) / _SENT_TOKENIZE_FILE for f in folders
                     if (Path(f) / _SENT_TOKENIZE_FILE).is_file()), None)
        if path is None:
            return None
        file_spec = importlib.util.spec_from_file_location("_newsfacts_sent_tokenize", path)
        if file_spec is None or file_spec.loader is None:
            return None
        module = importlib.util.module_from_spec(file_spec)
        file_spec.loader.exec_module(module)
        fast = punkt.fast_splitter(module)  # the same splits, without a Python step per character
        if fast is not None:
            return fast
        split = getattr(module, "sent_tokenize", None)
        return split if callable(split) else None
    except Exception:  # any surprise in a future layout: the normal import still works
        return None


@lru_cache(maxsize=1)
def _splitter() -> SentTokenize:
    split = _load_sent_tokenize_direct()
    if split is not None:
        return split
    from underthesea import sent_tokenize

    return sent_tokenize


def split_sentences(text: str, worth_splitting: Callable[[str], object] | None = None) -> list[Sentence]:
    """Sentences of the cleaned text with their offsets; paragraphs split on blank lines.

    A paragraph for which ``worth_splitting`` is false (no figure can be in it) stays
    one unit: it still gives context to its neighbours, at no tokenising cost. A
    sentence over :data:`MAX_SENTENCE_CHARS` is cut into parts (see there)."""
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
            for head, unit in _uncredited(piece):
                for rel, part in _parts(unit):
                    start = offset + found + head + rel
                    end = start + len(part)
                    sentences.append(Sentence(start, end, text[start:end], p_index))
            cursor = found + len(piece)
        offset += len(paragraph) + 2
    return sentences
