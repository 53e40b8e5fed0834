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
from typing import Any

import regex

from .flatrows import flat_rows
from .numbers import parse_number
from .patterncache import compile_pattern
from .segment import Sentence
from .widetables import Cell, Column, is_scale, line_layout, ranked_lines, wide_rows
from .yeartables import year_tables

# A cell that is a whole number (a serial number or a rank), or a decimal / percentage.
_INT = regex.compile(r"\d{1,3}")
_DEC = regex.compile(r"\d{1,3}(?:[.,]\d{1,4})?\s?%|\d{1,3}[.,]\d{1,4}")
_DIGITS = regex.compile(r"\d[\d.,]*")  # a maximum's cell: a bare number
# A line that can be a cell of a table written one cell per line: short, one clause.
MAX_CELL_CHARS = 60
# The most header lines before the first data cell, and the widest row looked for.
MAX_HEADER_LINES = 14
MAX_COLUMNS = 12
# Share of cells that must have the type of the cell one row above (the row's period).
PERIOD_AGREEMENT = 0.9


# A rank cell with the index's value in parentheses: "3 (91,2%)", "01 (0,727)".
_RANK_VALUE = regex.compile(r"(?P<pos>\d{1,3}) ?\((?P<value>\d{1,3}(?:[.,]\d{1,4})?)(?P<pct> ?%)?\)")


def _rank_value(cell: Cell, text: str) -> list[Cell]:
    """A rank cell as it is read: "3 (91,2%)" is the rank 3 and the score 91,2%, which
    a column of ranks gives with the value it was ranked by."""
    m = _RANK_VALUE.fullmatch(text, cell.start, cell.end)
    if m is None or cell.role != "rank":
        return [cell]
    role = "rank_value_percent" if m.group("pct") else "score"  # its own rule (rules/score.yaml)
    end = m.end("pct") if m.group("pct") else m.end("value")
    return [Cell(m.start("pos"), m.end("pos"), "rank", cell.row),
            Cell(m.start("value"), end, role, cell.row)]


def _kind(cell: str) -> str:
    """``int``, ``dec`` or ``text``: what a column's cells are, to find the row's period."""
    if _INT.fullmatch(cell):
        return "int"
    if _DEC.fullmatch(cell):
        return "dec"
    if _RANK_VALUE.fullmatch(cell):
        return "rankvalue"
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
    if is_scale(header, vocab):
        return None  # "Thang điểm": each row's maximum
    if _has(header, vocab.get("score", [])):
        return "score_percent" if _has(header, vocab.get("score_percent", [])) else "score"
    if _has(header, vocab.get("score_percent", [])):
        return "score_percent"
    if _has(header, vocab.get("rank", [])):
        return "rank"
    if _has(header, vocab.get("index_name", [])):
        return "score"  # "PCI", "SIPAS 2023": a column named by the index alone holds its value
    return None


def _bar_cells(sentence: Sentence) -> list[tuple[int, int]] | None:
    """Spans (article offsets) of the cells of a row written with bars between its cells
    ("| 1 | Sở Tư pháp | 90,15 |", or without the outer bars: "1 | Sở Tư pháp | 90,15"),
    or None."""
    text = sentence.text
    if text.count("|") < 2:
        return None
    inner_start = 1 if text.startswith("|") else 0
    inner_end = len(text) - 1 if text.endswith("|") else len(text)
    spans, pos = [], inner_start
    for part in text[inner_start:inner_end].split("|"):
        left = len(part) - len(part.lstrip())
        stripped = part.strip()
        spans.append((sentence.start + pos + left, sentence.start + pos + left + len(stripped)))
        pos += len(part) + 1
    return spans


def _bar_tables(text: str, sentences: list[Sentence], vocab: dict[str, list[str]]) -> Iterator[Cell]:
    """Cells of the tables written as rows between bars: the first row of a run is its
    header; rows with as many cells follow, and rows with fewer (a list of ranks under a
    header of five columns: "| 1 | TP. Đà Nẵng |") fill its first columns. A column of
    decimals headed by no score word beside columns that have one is a component's
    ("| Tỉnh | Gia nhập thị trường | … | Điểm số PCI | Xếp hạng |", :func:`line_layout`)."""
    i = 0
    while i < len(sentences):
        header = _bar_cells(sentences[i])
        if header is None:
            i += 1
            continue
        roles = [_role(text[a:b], vocab) for a, b in header]
        i += 1
        run: list[tuple[Sentence, list[tuple[int, int]]]] = []
        while i < len(sentences) and (row := _bar_cells(sentences[i])) is not None:
            if 2 <= len(row) <= len(roles):
                run.append((sentences[i], row))
            i += 1
        names = [text[a:b] for a, b in header]
        scales = [is_scale(name, vocab) for name in names]
        if not any(r in ("score", "rank") or (r == "score_percent" and _scored(n, vocab))
                   for r, n in zip(roles, names, strict=True)):
            # "| Đơn vị | Tiếp nhận | Tỷ lệ đúng hạn (%) |": a table that scores and ranks
            # no one holds counts and shares, which the sentence rules read
            continue
        full = [row for _s, row in run if len(row) == len(roles)]
        layout = line_layout(names, _column_kinds(text, full), vocab) if full else None
        # the layout reads a column by its cells too; a rank column of "04/17" it leaves to its header
        columns = [Column(r) for r in roles] if layout is None else \
            [Column(None) if scale else Column("rank") if c.role is None and r == "rank" else c
             for c, r, scale in zip(layout, roles, scales, strict=True)]
        scale_at = scales.index(True) if any(scales) else None
        for sentence, row in run:
            # "| Lĩnh vực | Điểm tối đa | Điểm đạt |": each row's maximum, for its scores
            top = _number(text[slice(*row[scale_at])]) if scale_at is not None and scale_at < len(row) else None
            for (a, b), column in zip(row, columns, strict=False):
                if column.role is not None:
                    most = column.max if column.max is not None or column.role != "score" else top
                    yield from _rank_value(Cell(a, b, column.role, sentence, column.component, most), text)


def _scored(name: str, vocab: dict[str, list[str]]) -> bool:
    """Whether a column name says its shares are scores ("Tỷ lệ điểm (%)", "Chỉ số CCHC (%)")."""
    return _has(name, vocab.get("score", [])) or _has(name, vocab.get("index_name", []))


def _number(cell: str) -> float | None:
    """A cell's number ("12,5" → 12.5, "1.000" → 1000), or None ("-", "N/A")."""
    try:
        return parse_number(cell) if _DIGITS.fullmatch(cell) else None
    except ValueError:
        return None


def _column_kinds(text: str, rows: list[list[tuple[int, int]]]) -> list[str]:
    """What each column's cells are over the rows (a dash or a blank in one row does not
    make a column of figures text): ``dec`` if any cell is, else ``rankvalue``, else
    ``int``, else ``text``."""
    kinds = [{_kind(text[a:b]) for a, b in column} for column in zip(*rows, strict=True)]
    return [next((k for k in ("dec", "rankvalue", "int") if k in found), "text") for found in kinds]


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


def _header_cells(headers: list[str], width: int) -> list[str] | None:
    """The header lines as one name per column, when they can be: a line that opens in
    lower case goes on the line above ("Điểm" / "thẩm định" is one column name, split
    where the page's cell wrapped), and the table's own title lines above its header
    ("Bảng xếp hạng … năm 2023") are the lines left over before the last ``width``."""
    cells: list[str] = []
    for line in headers:
        if cells and line[:1].islower():
            cells[-1] = f"{cells[-1]} {line}"
        else:
            cells.append(line)
    return cells[-width:] if len(cells) >= width else None


def _line_roles(headers: list[str], columns: list[str], vocab: dict[str, list[str]]) -> list[Column]:
    """Column roles of a table written one cell per line. With one header line per
    column, each header names its column, and so do header lines that cut into as many
    column names as there are columns (:func:`newsfacts.widetables.line_layout`); when
    header cells were split over lines otherwise ("Điểm" / "đánh giá"), the roles the
    headers name go to the only column of the right type: the decimal column for a
    score, the whole-number column that is not the serial number for a rank."""
    wide = line_layout(headers, columns, vocab)
    if wide is None:
        cells = _header_cells(headers, len(columns))
        if cells is not None:
            wide = line_layout(cells, columns, vocab)
    if wide is not None:
        return wide
    if len(headers) == len(columns):
        return [Column(_role(h, vocab) if kind != "text" else None) for h, kind in zip(headers, columns, strict=True)]
    named = {r for r in (_role(h, vocab) for h in headers) if r}
    serial = any(_has(h, vocab.get("serial", [])) for h in headers)
    roles: list[Column] = [Column(None)] * len(columns)
    decimals = [j for j, kind in enumerate(columns) if kind == "dec"]
    score = next((r for r in ("score_percent", "score") if r in named), None)
    if score and len(decimals) == 1:
        roles[decimals[0]] = Column(score)
    ints = [j for j, kind in enumerate(columns) if kind == "int" and not (serial and j == 0)]
    if "rank" in named and len(ints) == 1:
        roles[ints[0]] = Column("rank")
    return roles


def _line_tables(text: str, sentences: list[Sentence], vocab: dict[str, list[str]]) -> Iterator[Cell]:
    """Cells of the tables written one cell per line, after a header of short lines. Tables
    that follow one another ("Top 10 … năm 2014", its header and rows, then "Top 10 … năm
    2013" and the same header again) are read one at a time: a header line seen again
    starts the next table."""
    pending = [(run, 0) for run in reversed(_lines(sentences))]  # in text order, the last popped first
    while pending:
        whole, offset = pending.pop()
        run = whole[offset:offset + MAX_HEADER_LINES + 1]
        first = next((j for j, s in enumerate(run) if _kind(s.text) != "text"), None)
        if first is None or first == 0 or first > MAX_HEADER_LINES:
            continue
        seen = {s.text for s in run[:first]}
        again = next((j for j in range(offset + first + 1, len(whole)) if whole[j].text in seen), None)
        if again is not None:
            pending.append((whole, again))  # the next table, read next (runs kept by offset, not copied)
        run = whole[offset:again]
        k = _period([_kind(s.text) for s in run[first:]])
        if k is None:
            continue
        if _kind(run[first].text) == "dec":
            # a row opens with its serial number or its name, never with its score: the
            # name cells (the text at the end of the period) are the row's first cells
            kinds = [_kind(s.text) for s in run[first:first + k]]
            names = len(kinds) - len("".join("t" if x == "text" else "n" for x in kinds).rstrip("t"))
            if names > 1 and any(_has(h.text, vocab.get("class", [])) for h in run[:first]):
                names -= 1  # "… | 1 | Rất tốt": the row's class closes it, before the next row's name
            first -= names
        headers = [s.text for s in run[:first]]
        if first <= 0 or not (any(_role(h, vocab) for h in headers)
                              or any(_kind(s.text) == "rankvalue" for s in run[first:first + k])):
            continue
        data = run[first:]
        kinds = [_kind(s.text) for s in data]
        columns = [max(("int", "dec", "rankvalue", "text"), key=kinds[j::k].count) for j in range(k)]
        roles = _line_roles(headers, columns, vocab)
        for r in range(len(data) // k):
            cells = data[r * k:(r + 1) * k]
            row = Sentence(cells[0].start, cells[-1].end, text[cells[0].start:cells[-1].end],
                           cells[0].paragraph)
            for cell, col in zip(cells, roles, strict=True):
                if col.role is not None:
                    yield from _rank_value(Cell(cell.start, cell.end, col.role, row, col.component), text)


# A row of a table copied one row per line: an optional leading number (the serial or the
# rank), the name, then its numbers ("-" for an empty cell), then an optional class word.
# The name opens with a capital; a row has no sentence's final stop.
_ROW = regex.compile(r"(?:(?P<lead>\d{1,3}) )?(?P<name>(?-i:[\p{Lu}Đ])[^\d|]{1,79}?) "
                     r"(?P<nums>(?:(?:\d[\d.,]*|-) )*\d[\d.,]*)(?: [^\d|.!?]{1,30})?")
_NUMBER = regex.compile(r"\d[\d.,]*|-")
MAX_HEADER_CHARS = 300
MAX_ROW_CHARS = 200


_ROLES = ("class", "name", "score", "score_percent", "rank")


def _label_pattern(vocab: dict[str, list[str]]) -> Any:
    """One search for every role word of a header line: a named group per role, the
    longest words first (a class column's "nhóm xếp hạng" before a rank's "xếp hạng").
    The compiled program is kept by its text (:mod:`newsfacts.patterncache`), so a run
    builds it once."""
    words = [(label, role) for role, labels in vocab.items() if role in _ROLES for label in labels]
    # an index's name is a score column's ("PCI Ranking": the PCI score, then its rank)
    words += [(label, "score") for label in vocab.get("index_name", [])]
    if not words:
        return None
    words.sort(key=lambda w: -len(w[0]))
    groups = {role: "|".join(regex.escape(w) for w, r in words if r == role) for role in _ROLES}
    alternatives = "|".join(f"(?P<{role}>{alt})" for role, alt in groups.items() if alt)
    return compile_pattern(rf"(?<!\p{{L}})(?:{alternatives})(?!\p{{L}})", regex.IGNORECASE | regex.VERSION0)


def _labels(header: str, pattern: Any) -> list[tuple[int, int, str]]:
    """(start, end, role) of the role words of a header line, in order; the words of a
    class column ("Xếp loại", "Nhóm xếp hạng") and of the name column ("name") too. Words
    of one role with only a space between name one column ("Điểm PCI", "Chỉ số PCI")."""
    out: list[tuple[int, int, str]] = []
    for m in pattern.finditer(header):
        role = m.lastgroup or ""
        if out and out[-1][2] == role and not header[out[-1][1]:m.start()].strip():
            out[-1] = (out[-1][0], m.end(), role)
        elif out and out[-1][2] == "score" and role == "score_percent" and header[out[-1][1]:m.start()].strip() in ("", "("):
            out[-1] = (out[-1][0], m.end(), role)  # "Chỉ số (%)": one column, of scores in percent
        else:
            out.append((m.start(), m.end(), role))
    return out


# Words of a sentence, never of a row of column names ("Các sở cần nâng cao thứ hạng …").
# ("Điểm đạt được" is a column's name)
_SENTENCE_WORDS = regex.compile(r"(?<!\p{L})(?:cần|của|đã|(?<!đạt )được|là|sẽ|nhằm|để|đang|có|trong thời gian)(?!\p{L})",
                                regex.IGNORECASE)
# The most characters after a header's last column name (a unit: "(%)", "PCI", "2023").
MAX_HEADER_TAIL = 12


def _row_tables(text: str, sentences: list[Sentence], vocab: dict[str, list[str]]) -> Iterator[Cell]:
    """Cells of tables copied one row per line ("Quảng Ninh 72.95 1 Rất tốt") under a header
    line naming the columns ("Tỉnh, thành phố Điểm PCI Hạng Xếp loại"). The header's
    roles after its name column go to the row's last numbers, in order; one before it
    ("Xếp hạng Tỉnh …") to the number that opens the row."""
    pattern: Any = None  # built at the first line that may be a header: most texts have none
    i = 0
    while i < len(sentences) - 2:
        header, first = sentences[i].text, sentences[i + 1].text
        # cheap tests first: a header is short and has no figure, the row under it has one
        likely = len(header) <= MAX_HEADER_CHARS and len(first) <= MAX_ROW_CHARS \
            and not first.endswith(".") and _DIGIT.search(first) and not _DIGIT.search(header)
        if likely and pattern is None:
            pattern = _label_pattern(vocab)
        labels = _labels(header, pattern) if likely and pattern is not None \
            and not _SENTENCE_WORDS.search(header) else []
        # a header is a run of column names: the last one ends the line ("… Hạng Xếp loại")
        if labels and len(header) - labels[-1][1] > MAX_HEADER_TAIL:
            labels = []
        name_at = next((pos for pos, _end, role in labels if role == "name"), None)
        if name_at is None:
            i += 1
            continue
        lead_role = next((r for pos, _end, r in labels if pos < name_at and r not in ("class", "name")), None)
        trailing = [r for pos, _end, r in labels if pos > name_at and r not in ("class", "name")]
        rows: list[tuple[Sentence, regex.Match[str]]] = []
        j = i + 1
        while j < len(sentences) and sentences[j].paragraph == sentences[j - 1].paragraph + 1 \
                and (m := _ROW.fullmatch(sentences[j].text)) is not None:
            rows.append((sentences[j], m))
            j += 1
        widths = {len(_NUMBER.findall(m.group("nums"))) for _s, m in rows}
        if len(rows) >= 2 and len(widths) == 1 and (trailing or lead_role) and len(trailing) <= min(widths):
            for row, m in rows:
                numbers = list(_NUMBER.finditer(m.group("nums")))
                base = row.start + m.start("nums")
                spans = [(base + n.start(), base + n.end()) for n in numbers[len(numbers) - len(trailing):]]
                if lead_role and m.group("lead"):
                    spans.insert(0, (row.start + m.start("lead"), row.start + m.end("lead")))
                roles = ([lead_role] if lead_role and m.group("lead") else []) + trailing
                for (a, b), role in zip(spans, roles, strict=True):
                    if text[a:b] != "-":
                        yield Cell(a, b, role, row)
            i = j
        else:
            i += 1


_DIGIT = regex.compile(r"\d")

# A row of a ranking copied one row per line whose place carries the value it was ranked by,
# under a header that names no column role ("TT Tỉnh, thành phố Năm 2017" / "1 Thừa Thiên -
# Huế 01 (0,727)"): the place and the value, read as a rank and a score cell.
_VALUED_ROW = regex.compile(r"(?:\d{1,3}\.? )?(?-i:[\p{Lu}Đ])[^\d|()]{1,79}? (?P<cell>\d{1,3} ?\(\d{1,3}(?:[.,]\d{1,4})?(?: ?%)?\))")
MIN_VALUED_ROWS = 3


def _valued_rows(text: str, sentences: list[Sentence]) -> Iterator[Cell]:
    """Cells of runs of at least :data:`MIN_VALUED_ROWS` consecutive lines that end with a
    place and its value in parentheses; the form is its own header."""
    i = 0
    while i < len(sentences):
        j = i
        run: list[tuple[Sentence, regex.Match[str]]] = []
        while j < len(sentences) and (not run or sentences[j].paragraph == sentences[j - 1].paragraph + 1) \
                and len(sentences[j].text) <= MAX_ROW_CHARS and (m := _VALUED_ROW.fullmatch(sentences[j].text)):
            run.append((sentences[j], m))
            j += 1
        if len(run) >= MIN_VALUED_ROWS:
            for row, m in run:
                cell = Cell(row.start + m.start("cell"), row.start + m.end("cell"), "rank", row)
                yield from _rank_value(cell, text)
        i = max(j, i + 1)


def table_cells(text: str, sentences: list[Sentence], vocab: dict[str, list[str]]) -> list[Cell]:
    """Every cell of a results table in the text whose column has a role."""
    if not vocab:
        return []
    by_year = list(year_tables(text, sentences, vocab)) if _YEARS_HINT.search(text) else []
    wide = [*by_year, *wide_rows(text, sentences, vocab), *ranked_lines(text, sentences, vocab)]
    read = {c.row.start for c in wide}  # rows a wide header placed: not read again as narrow ones
    rows = [c for c in _row_tables(text, sentences, vocab) if c.row.start not in read]
    read |= {c.row.start for c in rows}
    valued = [c for c in _valued_rows(text, sentences) if c.row.start not in read] \
        if _VALUED_HINT.search(text) else []
    bars = [c for c in _bar_tables(text, sentences, vocab) if c.row.start not in read]
    return [*bars, *_line_tables(text, sentences, vocab), *wide, *rows, *flat_rows(text, sentences, vocab), *valued]


_VALUED_HINT = regex.compile(r"\d \(\d")
# two years side by side, as a header of years has them ("Năm 2019 Năm 2020", "| 2022 | 2023 |")
_YEARS_HINT = regex.compile(r"(?<!\d)(?:19|20)\d\d\s*\|?\s*(?:Năm\s+)?(?:19|20)\d\d(?!\d)", regex.IGNORECASE)
