"""Wide results tables: one column per component, column names split over lines.

A results table copied as text often holds more than a total and a rank: PCI, DDCI and
DTI tables give a score for each component ("Gia nhập thị trường", "Chỉ số Nhận thức
số"), and their column names were cells of their own, so a header comes as several lines
("Chỉ số" / "Nhận thức số" / "Chỉ số" / "Thể chế số" …) or as one line of names joined
by spaces ("Tỉnh Gia nhập thị trường Tiếp cận đất đai … Điểm số PCI Bảng xếp hạng").
This module cuts such a header into its column names (:func:`columns`) and reads the
rows under it one number per column, but only when the header has exactly as many
columns as the rows have numbers: a header it cannot count is left to the simpler
readers of :mod:`newsfacts.tables`.

It also reads a ranking copied one name per line ("1 Quảng Ninh", "2. Hải Phòng") under a
rank header: the numbers must rise from 1 (ties repeat a number), which a list of tasks or
of addresses never does by chance for long. The header words are data (the
``table_header`` lexicon of ``blocks.yaml``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import regex

from .segment import Sentence

# A row of a table copied one row per line: an optional leading number (serial or rank),
# the name, its numbers ("-" for an empty cell), then an optional class word ("Rất tốt").
_ROW = regex.compile(r"(?:(?P<lead>\d{1,3})\.? )?(?P<name>(?-i:[\p{Lu}Đ])[^\d|]{1,79}?) "
                     r"(?P<nums>(?:(?:\d[\d.,]*|-) )*\d[\d.,]*)(?P<tail> [^\d|.!?]{1,30})?")
_NUMBER = regex.compile(r"\d[\d.,]*|-")
_DECIMAL = regex.compile(r"\d+[.,]\d+")
_DIGIT = regex.compile(r"\d")
_EMPTY_ROW = regex.compile(r"(?-i:[\p{Lu}Đ])[^\d|]{0,60}?(?: (?:N/A|-)){2,}")  # "HCMC N/A N/A …": no values
# A line of a ranking copied one name per line: "1 Quảng Ninh", "12. TP. Hải Phòng".
_RANKED = regex.compile(r"(?P<pos>\d{1,3})\.?\s+(?P<name>(?-i:[\p{Lu}Đ])[^\d|:;!?]{1,60})")
# Words that never stand in a row of column names.
_SENTENCE = regex.compile(r"(?<!\p{L})(?:cần|đã|được|là|sẽ|nhằm|để|đang|có|với|theo)(?!\p{L})",
                          regex.IGNORECASE)
MAX_HEADER_LINES = 24
MAX_HEADER_LINE_CHARS = 300
MAX_HEADER_CHARS = 900
MAX_ROW_CHARS = 200
MIN_ROWS = 2
# Lines above a one-name-per-line ranking in which its rank header may stand.
RANK_HEADER_REACH = 8
MIN_RANKED = 3
MAX_RANKED_CHARS = 70
# One document's row matches, by sentence index (see _row_match).
_Seen = dict[int, "regex.Match[str] | None"]


@dataclass(frozen=True)
class Column:
    """A column of a wide table: its role (``score``, ``score_percent``, ``rank``, or
    None for a column not read) and the component its scores are of, if it names one."""

    role: str | None
    component: str | None = None
    max: float | None = None  # "(Thang điểm 10)": the scale the header states


@dataclass(frozen=True)
class Cell:
    """One cell of a data row in a column with a role (``score``, ``score_percent``,
    ``rank``), with its span in the text and the row it belongs to: what every table
    reader gives, defined here, below :mod:`newsfacts.tables`, which imports this module."""

    start: int
    end: int
    role: str
    row: Sentence
    component: str | None = None
    max: float | None = None
    year: int | None = None  # a table whose columns are years (newsfacts.yeartables)
    out_of: int | None = None  # the ranking's size its heading states ("Xếp hạng … (1-63)")


def _folded(words: str) -> str:
    return " ".join(words.lower().split())


def _has(header: str, labels: Sequence[str]) -> bool:
    """Whether a header holds one of the labels as whole words ("%" anywhere)."""
    text = f" {_folded(regex.sub(r'[(),/]', ' ', header))} "
    return any(f" {label} " in text or (not label[-1].isalnum() and label in header) for label in labels)


def _word_class(word: str) -> str:
    """``T`` a capitalised word ("Tiếp"), ``A`` an acronym or number ("PCI", "2023"),
    ``L`` a lower-case word, ``P`` one that opens a bracket."""
    if word[0] in "([":
        return "P"
    if word[0].isupper():
        return "T" if any(c.islower() for c in word) else "A"
    return "A" if word[0].isdigit() else "L"


def _split_line(line: str, keep: frozenset[tuple[str, str]] = frozenset()) -> list[str]:
    """Column names joined on one line, cut before each capitalised word that follows a
    lower-case word or an acronym, and after a closing bracket: "Gia nhập thị trường Tiếp
    cận đất đai" is two names; "Điểm số PCI Bảng xếp hạng" is two; "Chỉ số CCHC (%)" is
    one; "DDCI (Thang điểm 10) DDCI (Thang điểm 100)" is two."""
    parts: list[list[str]] = []
    prev = ""
    for word in line.split():
        cls = _word_class(word)
        kept = (prev.lower(), word.lower()) in keep  # "PAR Index": one name
        if not parts or (cls == "T" and _word_class(prev) in "LA" and not kept) or (cls != "P" and prev.endswith(")")):
            parts.append([word])
        else:
            parts[-1].append(word)
        prev = word
    return [" ".join(p) for p in parts]


def _role(name: str, vocab: dict[str, list[str]]) -> str | None:
    """What a column name makes of its cells: counts and amounts are not read (``skip``);
    a score word ("Điểm", "Chỉ số") makes scores, in percent with "%" or "Tỷ lệ"; a rank
    word a rank; an index's name alone ("PAR Index 2023", "SIPAS") the index's value."""
    if _has(name, vocab.get("count", [])) or is_scale(name, vocab):
        return "skip"  # counts and amounts; a scale's maximum ("Điểm tối đa") is no score
    if _has(name, vocab.get("class", [])):
        return "class"
    percent = _has(name, vocab.get("score_percent", []))
    if _has(name, vocab.get("score", [])):
        return "score_percent" if percent else "score"
    if _has(name, vocab.get("rank", [])):
        return "rank"
    if _has(name, vocab.get("serial", [])):
        return "serial"
    if _has(name, vocab.get("index_name", [])):
        return "score_percent" if percent else "score"
    if _has(name, vocab.get("name", [])):
        return "name"
    return "score_percent" if percent else None


def is_scale(name: str, vocab: dict[str, list[str]]) -> bool:
    """Whether a column holds each row's maximum ("Điểm tối đa", "Thang điểm"), not the
    scale in brackets a score column states ("Tính minh bạch (Thang điểm 10)")."""
    return _has(regex.sub(r"\([^()]*\)", " ", name), vocab.get("scale", []))


def column_component(name: str, vocab: dict[str, list[str]]) -> str | None:
    """The component a score column is of: its name less the score words, the index's
    name, years and brackets ("Chỉ số Nhận thức số" → "Nhận thức số"); None when
    nothing is left ("Tổng điểm", "Điểm số PCI")."""
    words = sorted(vocab.get("score", []) + vocab.get("score_percent", []) + vocab.get("index_name", [])
                   + vocab.get("score_extra", []), key=len, reverse=True)
    rest = regex.sub(r"\([^)]*\)|(?<!\d)(?:19|20)\d\d(?!\d)|(?<!\p{L})năm(?!\p{L})", " ", name)
    for w in words:
        if w[-1].isalnum():
            rest = regex.sub(rf"(?<!\p{{L}}){regex.escape(w)}(?!\p{{L}})", " ", rest, flags=regex.IGNORECASE)
    rest = " ".join(rest.split()).strip(" ,-–")
    return rest if len(rest.split()) >= 2 or len(rest) >= 6 else None


def _split_label(part: str, vocab: dict[str, list[str]]) -> list[str]:
    """A name cut after the column label it opens with, when a capitalised word or an
    acronym follows: "Tỉnh Gia nhập thị trường" is the name column "Tỉnh" and "Gia nhập
    thị trường"; "Đơn vị PAR Index 2023" is "Đơn vị" and "PAR Index 2023"."""
    names = set(vocab.get("name", []))
    labels = sorted(names | set(vocab.get("serial", [])) | set(vocab.get("rank", [])), key=len, reverse=True)
    low = part.lower()
    for label in labels:
        rest = part[len(label):]
        # an acronym after a rank word qualifies it ("Xếp hạng DTI"), after a name opens the next
        if low.startswith(label) and rest.startswith(" ") \
                and _word_class(rest.split()[0]) in ("TA" if label in names else "T"):
            return [part[:len(label)], rest.strip()]
    return [part]


_SCALE = regex.compile(r"thang điểm\s*(\d{1,4})", regex.IGNORECASE)


def _scale(name: str) -> float | None:
    """The maximum a column name states: "DDCI năm 2021 (Thang điểm 100)" → 100."""
    m = _SCALE.search(name)
    return float(m.group(1)) if m else None


def _cut(line: str, vocab: dict[str, list[str]]) -> list[str]:
    """A header line cut into column names (:func:`_split_line`, :func:`_split_label`),
    never inside an index's name of several words ("PAR Index", "ICT Index"). Names the
    vocabulary knows whole (``column``: "Entry Costs", "Land Access and Security of
    Tenure") are cut out first, since a header of capitalised words ("Province Entry Costs
    Land Access …") gives the capital letters nothing to cut at."""
    keep = frozenset((a, b) for label in vocab.get("index_name", [])
                     for a, b in zip(label.split(), label.split()[1:], strict=False))
    known = _known_columns(tuple(vocab.get("column", ())))
    found = list(known.finditer(line)) if known is not None else []
    # "PCI Score PCI Ranking" names an index's columns; alone, "PCI Ranking" is "PCI" and "Ranking"
    led = [m for m in found if m.group(0).split()[0].lower() in vocab.get("index_name", [])]
    if len(led) == 1:
        found.remove(led[0])
    out: list[str] = []
    at = 0
    for m in found:
        out += [cut for part in _split_line(line[at:m.start()], keep) for cut in _split_label(part, vocab)]
        out.append(m.group(0))
        at = m.end()
    out += [cut for part in _split_line(line[at:], keep) for cut in _split_label(part, vocab)]
    return out


_KNOWN: dict[tuple[str, ...], regex.Pattern[str] | None] = {}


def _known_columns(names: tuple[str, ...]) -> regex.Pattern[str] | None:
    """One pattern for the whole column names a header may hold, longest first, as words."""
    if names not in _KNOWN:
        alts = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
        _KNOWN[names] = regex.compile(rf"(?<!\p{{L}})(?:{alts})(?!\p{{L}})", regex.IGNORECASE) if names else None
    return _KNOWN[names]


def columns(lines: Sequence[str], vocab: dict[str, list[str]]) -> list[tuple[str, str | None]]:
    """The column names of a header written over ``lines``, each with its role: names are
    cut at line ends and inside lines (:func:`_split_line`, :func:`_split_label`), and a
    bare score word left alone on its line ("Chỉ số") heads the name after it ("Nhận thức
    số"). A header of two rows comes as its first row, then the cells of the second: a
    group name of the first ("Điểm chỉ số thành phần") stands for the names on the lines
    after its own, which take its place (and its scale)."""
    parts: list[str] = []
    for n, line in enumerate(lines):
        cut = _cut(line, vocab)
        group = next((k for k, part in enumerate(cut) if _has(part, vocab.get("group", []))), None)
        if group is not None and n + 1 < len(lines):
            scale = _SCALE.search(cut[group])
            subs = [sub for later in lines[n + 1:] for sub in _cut(later, vocab)]
            if scale:
                subs = [f"{sub} ({scale.group(0)})" for sub in subs]
            parts += cut[:group] + subs + cut[group + 1:]
            break
        parts += cut
    words = [w for w in vocab.get("score", []) + vocab.get("score_percent", []) if w[-1].isalnum()]
    heads = set(words)
    merged: list[str] = []
    for part in parts:
        # "Tỷ lệ" / "tiếp cận dịch vụ (%)": one name; "Điểm" / "Xếp hạng", "Điểm" / "Tỷ lệ (%)": two
        if merged and _folded(merged[-1]) in heads and not _has(part, words) \
                and _role(part, vocab) in (None, "score_percent"):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return [(name, _role(name, vocab)) for name in merged]


def _layout(names: list[tuple[str, str | None]], width: int, lead: bool,
            vocab: dict[str, list[str]]) -> list[Column] | None:
    """The columns of a row's numbers (and of its leading number first, with ``lead``),
    or None when the header does not count as many columns as the rows hold."""
    at = next((k for k, (_n, role) in enumerate(names) if role == "name"), None)
    if at is None:
        return None
    before = [role for _n, role in names[:at]]
    after = [(n, role) for n, role in names[at + 1:] if role != "class"]
    if not lead and before == ["serial"]:
        before = []  # "#", "STT": a serial number the copy of the rows lost
    if len(after) != width or len(before) != (1 if lead else 0):
        return None
    if not any(role in ("score", "score_percent", "rank") for _n, role in after):
        return None
    out = [Column(before[0] if before[0] in ("rank",) else None)] if lead else []
    for name, role in after:
        if role in ("score", "score_percent"):
            out.append(Column(role, column_component(name, vocab), _scale(name)))
        elif role is None:  # a component named alone
            out.append(Column("score", column_component(name, vocab) or name, _scale(name)))
        else:
            out.append(Column(role if role == "rank" else None))
    return out


# A line that goes on the row above it: a lone number ("13.77") or a class word ("Khá").
_LONE_NUMBER = regex.compile(r"\d[\d.,]*|-")
_YEARS = regex.compile(r"(?:(?:19|20)\d\d )*(?:19|20)\d\d")
_LONE_WORDS = regex.compile(r"(?-i:[\p{Lu}Đ])[\p{L} ]{1,24}")


@dataclass(frozen=True)
class _Row:
    """A row of a table copied one row per line, with the lines it goes on to: its
    sentence (all its lines), its numbers' spans in the text, and whether it opens with
    its own number (a serial or a rank)."""

    row: Sentence
    spans: list[tuple[int, int]]
    lead: bool


def _row(text: str, sentences: list[Sentence], j: int, seen: _Seen) -> tuple[_Row, int] | None:
    """The row at sentence ``j`` and the sentence after its last line, or None. A page's
    table may keep a row's last cells on lines of their own ("… 1.15" / "13.77" / "Rất
    thấp"): lone numbers and class words after the row are its cells too."""
    first = sentences[j]
    m = _row_match(sentences, j, seen)
    if m is None or _YEARS.fullmatch(m.group("nums")):
        return None  # "Đơn vị PAR Index 2023 Xếp hạng": a header that names a year
    spans = []
    if m.group("lead") is not None:
        spans.append((first.start + m.start("lead"), first.start + m.end("lead")))
    base = first.start + m.start("nums")
    spans += [(base + n.start(), base + n.end()) for n in _NUMBER.finditer(m.group("nums"))]
    last = j
    k = j + 1
    while k < len(sentences) and sentences[k].paragraph == sentences[k - 1].paragraph + 1 \
            and _row_match(sentences, k, seen) is None:
        line = sentences[k]
        if line.text.endswith(".") and k + 1 < len(sentences) and sentences[k + 1].paragraph == line.paragraph:
            break  # "2." opening "2. Nhóm các sở, ban, ngành:": the next section's number, no cell
        if _LONE_NUMBER.fullmatch(line.text):
            spans.append((line.start, line.end))
        elif last == j or not _LONE_WORDS.fullmatch(line.text):
            break  # a class word only after the row's lone numbers: else a group's name
        last = k
        k += 1
    whole = Sentence(first.start, sentences[last].end, text[first.start:sentences[last].end], first.paragraph)
    return _Row(whole, spans, m.group("lead") is not None), k


def _row_match(sentences: list[Sentence], j: int, seen: _Seen) -> regex.Match[str] | None:
    """The row pattern's match of sentence ``j`` if it passes the cheap tests, or None:
    each line is asked as a row and as the line after a row, so ``seen`` (one document's
    answers, by sentence) keeps the answer."""
    if j not in seen:
        line = sentences[j].text
        seen[j] = _ROW.fullmatch(line) if _may_be_row(line) else None
    return seen[j]


def _may_be_row(line: str) -> bool:
    """The cheap tests a row passes before its pattern is tried: short, opened by a
    capital or a number, ended by a figure or a class word, with no sentence's stop."""
    return len(line) <= MAX_ROW_CHARS and line[:1].isalnum() and line[-1:].isalnum() \
        and _DIGIT.search(line) is not None


def _rows(text: str, sentences: list[Sentence], i: int, seen: _Seen) -> list[_Row]:
    """The rows written one per line from sentence ``i`` on, each its own paragraph."""
    rows: list[_Row] = []
    j = i
    while j < len(sentences) and (j == i or sentences[j].paragraph == sentences[j - 1].paragraph + 1):
        found = _row(text, sentences, j, seen)
        if found is None and rows and _group(sentences, j, seen):
            found = _row(text, sentences, j + 1, seen)  # "Vùng Tây Bắc" between rows: a group, no row
        if found is None and _EMPTY_ROW.fullmatch(sentences[j].text):
            j += 1  # "HCMC N/A N/A …": a unit with no values that year, no figure to read
            continue
        if found is None:
            break
        rows.append(found[0])
        j = found[1]
    return rows


def _group(sentences: list[Sentence], j: int, seen: _Seen) -> bool:
    """Whether sentence ``j`` is a group's name between rows ("Nhóm A", "Khối huyện"): a
    short line of words alone, with a row on the next line."""
    return j + 1 < len(sentences) and _LONE_WORDS.fullmatch(sentences[j].text) is not None \
        and sentences[j + 1].paragraph == sentences[j].paragraph + 1 and _row_match(sentences, j + 1, seen) is not None


def _header_lines(sentences: list[Sentence], i: int, seen: _Seen) -> list[Sentence]:
    """The short lines just above sentence ``i`` that may name its columns, nearest last."""
    lines: list[Sentence] = []
    j = i - 1
    while j > 0 and _EMPTY_ROW.fullmatch(sentences[j].text) and sentences[j].paragraph == sentences[j + 1].paragraph - 1:
        j -= 1  # an empty first row ("HCMC N/A N/A …") stands between the header and the rows
    while j >= 0 and len(lines) < MAX_HEADER_LINES and sentences[j].paragraph == sentences[j + 1].paragraph - 1:
        text = sentences[j].text
        row = _row_match(sentences, j, seen)
        if len(text) > MAX_HEADER_LINE_CHARS or text.endswith((".", ":")) or _SENTENCE.search(text) \
                or (row is not None and not _YEARS.fullmatch(row.group("nums"))):
            break
        lines.insert(0, sentences[j])
        j -= 1
    return lines


def wide_rows(text: str, sentences: list[Sentence], vocab: dict[str, list[str]]) -> Iterator[Cell]:
    """Cells of the tables copied one row per line under a header whose column names, cut
    as :func:`columns` cuts them, are as many as the rows' numbers; the fewest header
    lines that give such a count are the header."""
    seen: _Seen = {}
    i = 0
    while i < len(sentences):
        if _row_match(sentences, i, seen) is None:
            i += 1
            continue
        rows = _rows(text, sentences, i, seen)
        if not rows:
            i += 1
            continue
        widths = {len(r.spans) - r.lead for r in rows}
        leads = {r.lead for r in rows}
        layout = None
        if len(rows) >= MIN_ROWS and len(widths) == 1 and len(leads) == 1:
            above = _header_lines(sentences, i, seen)
            # the line just above the first row may be the first group's name ("Nhóm A")
            heads = [above, above[:-1]] if above and _group(sentences, i - 1, seen) else [above]
            for lines in ([s.text for s in h[-k:]] for h in heads for k in range(1, len(h) + 1)):
                if sum(map(len, lines)) > MAX_HEADER_CHARS:
                    continue
                layout = _layout(columns(lines, vocab), next(iter(widths)), leads == {True}, vocab)
                if layout is not None:
                    break
        if layout is None:
            # no header counts these rows' columns: none of them opens a table either (a
            # run of thousands of row-like lines is looked at once, not once per line)
            i = _after(sentences, rows[-1].row.end) if len(rows) >= MIN_ROWS else i + 1
            continue
        for r in rows:
            for (a, b), col in zip(r.spans, layout, strict=True):
                if col.role is not None and text[a:b] != "-":
                    yield Cell(a, b, col.role, r.row, col.component, col.max)
        i = _after(sentences, rows[-1].row.end)


def _after(sentences: list[Sentence], end: int) -> int:
    """The index of the first sentence that starts at or after ``end``."""
    return bisect_left(sentences, end, key=lambda s: s.start)


def _rising(positions: list[int]) -> bool:
    """Whether ranks rise from 1 as a ranking's do: each the one before or its place in
    the list (a tie repeats a rank, the next skips as many)."""
    return bool(positions) and positions[0] == 1 and all(
        p == k + 1 or p == positions[k - 1] for k, p in enumerate(positions) if k)


def _paragraphs(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """Each paragraph as one sentence: "1. Quảng Ninh" is split by the sentence splitter
    after "1.", and a line of a ranking is a paragraph."""
    out: list[Sentence] = []
    for s in sentences:
        if out and out[-1].paragraph == s.paragraph:
            out[-1] = Sentence(out[-1].start, s.end, text[out[-1].start:s.end], s.paragraph)
        else:
            out.append(s)
    return out


def ranked_lines(text: str, sentences: list[Sentence], vocab: dict[str, list[str]]) -> Iterator[Cell]:
    """Ranks of a ranking copied one name per line ("1 Quảng Ninh" / "2. Hải Phòng" …)
    under a rank header ("Xếp hạng", "Bảng xếp hạng") a few lines above it."""
    if not any(s.text[:1].isdigit() and len(s.text) <= MAX_RANKED_CHARS for s in sentences):
        return  # no line opens with a number: no ranking is copied one name per line
    lines = _paragraphs(text, sentences)
    i = 0
    while i < len(lines):
        run: list[tuple[Sentence, regex.Match[str]]] = []
        j = i
        while j < len(lines) and (not run or lines[j].paragraph == lines[j - 1].paragraph + 1) \
                and lines[j].text[:1].isdigit() and len(lines[j].text) <= MAX_RANKED_CHARS \
                and (m := _RANKED.fullmatch(lines[j].text)) is not None and not _DECIMAL.search(m.group("name")):
            run.append((lines[j], m))
            j += 1
        if len(run) < MIN_RANKED or not _rising([int(m.group("pos")) for _s, m in run]):
            i = max(j, i + 1)
            continue
        above = lines[max(0, i - RANK_HEADER_REACH):i]
        if any(_has(s.text, vocab.get("rank", [])) and len(s.text) <= MAX_HEADER_LINE_CHARS for s in above):
            for row, m in run:
                yield Cell(row.start + m.start("pos"), row.start + m.end("pos"), "rank", row)
        i = j


def line_layout(headers: Sequence[str], kinds: Sequence[str], vocab: dict[str, list[str]]) -> list[Column] | None:
    """The columns of a table written one cell per line whose header lines, cut as
    :func:`columns` cuts them, name as many columns as a row has cells (``kinds``: the
    type of each cell, ``int``, ``dec``, ``rankvalue`` or ``text``); None otherwise. A
    column of decimals named by no score word, beside columns that have one, is a
    component's ("Gia nhập thị trường")."""
    names = columns(headers, vocab) if len(headers) != len(kinds) else [(h, _role(h, vocab)) for h in headers]
    if len(names) != len(kinds):
        return None
    explicit = any(role in ("score", "score_percent", "rank") for _n, role in names)
    if not explicit and "rankvalue" not in kinds:
        return None
    out: list[Column] = []
    for (name, role), kind in zip(names, kinds, strict=True):
        if kind == "text":
            out.append(Column(None))
        elif kind == "rankvalue":
            out.append(Column("rank"))
        elif role in ("score", "score_percent"):
            out.append(Column(role, column_component(name, vocab), _scale(name)))
        elif role == "rank" and kind == "int":
            out.append(Column("rank"))
        elif role is None and kind == "dec" and explicit:
            out.append(Column("score", column_component(name, vocab) or name, _scale(name)))
        else:
            out.append(Column(None))
    return out
