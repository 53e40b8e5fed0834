"""Results tables flattened into one line: the rows of a table run on without breaks.

A table copied out of a PDF report often reaches the text as one long line: the header's
words, then each row's name and its numbers, row after row ("Province 1: Participation …
Ba Ria-Vung Tau 5.32 0.88 1.58 Bac Giang 5.58 0.85 1.56 …"). No line or bar marks a row,
but the rows still show: a name of capitalised words, then as many decimals as every other
row has. This module finds such runs (at least ``MIN_ROWS`` rows of the same width, under a
header that names the name column, "Province", "Tỉnh", "Đơn vị") and gives each decimal as
a score cell, with its row, name and numbers, as the row that names its subject.

Column names are not read: the header of a flattened table interleaves the words of its
two header rows, so which words name which column cannot be told.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import regex

from .segment import Sentence
from .widetables import Cell

# A row: a name of one to five capitalised words (hyphens and apostrophes inside them),
# then two or more decimals ("5.32", "0,88").
_ROW = regex.compile(
    r"(?-i:(?<![\p{L}\d])[\p{Lu}Đ][\p{L}'’-]*(?: [\p{Lu}Đ][\p{L}'’-]*){0,4})"
    r"(?P<nums>(?: \d{1,3}[.,]\d{1,4}(?![\d.,]\d)){2,})(?= |$)")
_DEC = regex.compile(r"\d{1,3}[.,]\d{1,4}")
MIN_ROWS = 4
# How far before the first row the name column's header may stand.
HEADER_REACH = 400


def _folded(words: str) -> str:
    return " ".join(words.lower().split())


def _names_column(header: str, names: Sequence[str]) -> bool:
    """Whether a header's text holds a name column's word as a word of its own."""
    folded = _folded(header)
    return any(regex.search(rf"(?<!\p{{L}}){regex.escape(_folded(n))}(?!\p{{L}})", folded) for n in names)


def _runs(sentence: Sentence) -> Iterator[list[regex.Match[str]]]:
    """Runs of adjacent rows of the same width in one sentence."""
    run: list[regex.Match[str]] = []
    width = 0
    for m in _ROW.finditer(sentence.text):
        n = len(_DEC.findall(m.group("nums")))
        if run and m.start() == run[-1].end() + 1 and n == width:
            run.append(m)
            continue
        if len(run) >= MIN_ROWS:
            yield run
        run, width = [m], n
    if len(run) >= MIN_ROWS:
        yield run


def flat_rows(text: str, sentences: list[Sentence], vocab: dict[str, list[str]]) -> Iterator[Cell]:
    """Score cells of the tables flattened into one line (see the module's docstring)."""
    names = vocab.get("name", [])
    if not names:
        return
    for s in sentences:
        if len(s.text) < 200 or not _DEC.search(s.text):
            continue
        for run in _runs(s):
            header = s.text[max(0, run[0].start() - HEADER_REACH): run[0].start() + 40]
            if not _names_column(header, names):
                continue
            for m in run:
                row = Sentence(s.start + m.start(), s.start + m.end(), m.group(0), s.paragraph)
                for d in _DEC.finditer(m.group("nums")):
                    a = s.start + m.start("nums") + d.start()
                    yield Cell(a, a + len(d.group(0)), "score", row)
