"""Tables: results tables whose cells no sentence rule can read alone.

A province's ranking of its departments and districts is often a table: a header
("TT | Tên đơn vị | Điểm | Vị thứ | Xếp loại") and one row per agency. Cleaned
text holds it in one of two shapes: rows of cells between bars (``| 1 | Sở Tư
pháp | 87,2 | 1 | Tốt |``, how pages' data tables are rendered) or one cell per
line (a table copied as text, the header's cells split over lines too). A cell
"87,2" says nothing by itself; its column's header says it is a score or a rank.

This module only finds the tables and says which cell is in which column role
(the header words are data: the ``table_header`` lexicon of ``blocks.yaml``);
``extract`` reads each cell with the rules that declare that ``column`` and gives
the figure its row as sentence, so that the agency named in the row is its subject.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import regex

from .segment import Sentence

# A cell that is a whole number (a serial number or a rank), or a decimal / percentage.
_INT = regex.compile(r"\d{1,3}")
_DEC = regex.compile(r"\d{1,3}(?:[.,]\d{1,4})?\s?%|\d{1,3}[.,]\d{1,4}")
# A line that can be a cell of a table written one cell per line: short, one clause.
MAX_CELL_CHARS = 60
# The most header lines before the first data cell, and the widest row looked for.
MAX_HEADER_LINES = 14
MAX_COLUMNS = 12
# Share of cells that must have the type of the cell one row above (the row's period).
PERIOD_AGREEMENT = 0.9


@dataclass(frozen=True)
class Cell:
    """One cell of a data row in a column with a role (``score``, ``score_percent``,
    ``rank``), with its span in the text and the row it belongs to."""

    start: int
    end: int
    role: str
    row: Sentence


def _kind(cell: str) -> str:
    """``int``, ``dec`` or ``text``: what a column's cells are, to find the row's period."""
    if _INT.fullmatch(cell):
        return "int"
    if _DEC.fullmatch(cell):
        return "dec"
    return "text"


def _folded(words: str) -> str:
    return " ".join(words.lower().split())


def _has(header: str, labels: Sequence[str]) -> bool:
    """Whether a header cell holds one of the labels as whole words."""
    text = f" {_folded(header)} "
    return any(f" {label} " in text or (not label[-1].isalnum() and label in text) for label in labels)


def _role(header: str, vocab: dict[str, list[str]]) -> str | None:
    """The role of the column a header cell names; rank words first ("Vị thứ xếp hạng")
    unless the header speaks of points ("Điểm xếp hạng" is a score)."""
    if _has(header, vocab.get("score", [])):
        return "score_percent" if _has(header, vocab.get("score_percent", [])) else "score"
    if _has(header, vocab.get("score_percent", [])):
        return "score_percent"
    if _has(header, vocab.get("rank", [])):
        return "rank"
    return None


def _bar_cells(sentence: Sentence) -> list[tuple[int, int]] | None:
    """Spans (article offsets) of the cells of a row written between bars, or None."""
    text = sentence.text
    if not (text.startswith("|") and text.endswith("|")) or text.count("|") < 3:
        return None
    spans, pos = [], 1
    for part in text[1:-1].split("|"):
        left = len(part) - len(part.lstrip())
        stripped = part.strip()
        spans.append((sentence.start + pos + left, sentence.start + pos + left + len(stripped)))
        pos += len(part) + 1
    return spans


def _bar_tables(text: str, sentences: list[Sentence], vocab: dict[str, list[str]]) -> Iterator[Cell]:
    """Cells of the tables written as rows between bars: the first row of a run is its
    header; rows with as many cells follow."""
    i = 0
    while i < len(sentences):
        header = _bar_cells(sentences[i])
        if header is None:
            i += 1
            continue
        roles = [_role(text[a:b], vocab) for a, b in header]
        i += 1
        while i < len(sentences) and (row := _bar_cells(sentences[i])) is not None:
            if any(roles) and len(row) == len(roles):
                for (a, b), role in zip(row, roles, strict=True):
                    if role is not None:
                        yield Cell(a, b, role, sentences[i])
            i += 1


def _lines(sentences: list[Sentence]) -> list[list[Sentence]]:
    """Runs of consecutive paragraphs that are each one short sentence: a table written
    one cell per line."""
    runs: list[list[Sentence]] = []
    current: list[Sentence] = []
    for s in sentences:
        whole = len(s.text) <= MAX_CELL_CHARS and "|" not in s.text and not s.text.endswith((":", "."))
        if whole and current and s.paragraph == current[-1].paragraph + 1:
            current.append(s)
            continue
        if len(current) >= 4:
            runs.append(current)
        current = [s] if whole else []
    if len(current) >= 4:
        runs.append(current)
    return runs


def _period(kinds: list[str]) -> int | None:
    """The number of cells in a row: the smallest period the cells' types repeat with,
    over two rows at least (the first of which may have lost its leading name cells)."""
    for k in range(2, min(MAX_COLUMNS, (len(kinds) + 1) // 2) + 1):
        pairs = len(kinds) - k
        same = sum(kinds[j] == kinds[j + k] for j in range(pairs))
        if same >= PERIOD_AGREEMENT * pairs and len({kinds[j] for j in range(k)}) > 1:
            return k
    return None


def _line_roles(headers: list[str], columns: list[str], vocab: dict[str, list[str]]) -> list[str | None]:
    """Column roles of a table written one cell per line. With one header line per
    column, each header names its column; when header cells were split over lines
    ("Điểm" / "đánh giá"), the roles the headers name go to the only column of the
    right type: the decimal column for a score, the whole-number column that is not
    the serial number for a rank."""
    if len(headers) == len(columns):
        return [_role(h, vocab) if kind != "text" else None for h, kind in zip(headers, columns, strict=True)]
    named = {r for r in (_role(h, vocab) for h in headers) if r}
    serial = any(_has(h, vocab.get("serial", [])) for h in headers)
    roles: list[str | None] = [None] * len(columns)
    decimals = [j for j, kind in enumerate(columns) if kind == "dec"]
    score = next((r for r in ("score_percent", "score") if r in named), None)
    if score and len(decimals) == 1:
        roles[decimals[0]] = score
    ints = [j for j, kind in enumerate(columns) if kind == "int" and not (serial and j == 0)]
    if "rank" in named and len(ints) == 1:
        roles[ints[0]] = "rank"
    return roles


def _line_tables(text: str, sentences: list[Sentence], vocab: dict[str, list[str]]) -> Iterator[Cell]:
    """Cells of the tables written one cell per line, after a header of short lines."""
    for run in _lines(sentences):
        first = next((j for j, s in enumerate(run) if _kind(s.text) != "text"), None)
        if first is None or first == 0 or first > MAX_HEADER_LINES:
            continue
        k = _period([_kind(s.text) for s in run[first:]])
        if k is None:
            continue
        if _kind(run[first].text) == "dec":
            # a row opens with its serial number or its name, never with its score: the
            # name cells (the text at the end of the period) are the row's first cells
            kinds = [_kind(s.text) for s in run[first:first + k]]
            names = len(kinds) - len("".join("t" if x == "text" else "n" for x in kinds).rstrip("t"))
            first -= names
        headers = [s.text for s in run[:first]]
        if first <= 0 or not any(_role(h, vocab) for h in headers):
            continue
        data = run[first:]
        kinds = [_kind(s.text) for s in data]
        columns = [max(("int", "dec", "text"), key=kinds[j::k].count) for j in range(k)]
        roles = _line_roles(headers, columns, vocab)
        for r in range(len(data) // k):
            cells = data[r * k:(r + 1) * k]
            row = Sentence(cells[0].start, cells[-1].end, text[cells[0].start:cells[-1].end],
                           cells[0].paragraph)
            for cell, role in zip(cells, roles, strict=True):
                if role is not None:
                    yield Cell(cell.start, cell.end, role, row)


def table_cells(text: str, sentences: list[Sentence], vocab: dict[str, list[str]]) -> list[Cell]:
    """Every cell of a results table in the text whose column has a role."""
    if not vocab:
        return []
    return [*_bar_tables(text, sentences, vocab), *_line_tables(text, sentences, vocab)]
