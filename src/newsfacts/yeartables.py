"""Tables with the years as columns: one unit's index over time.

A province's profile page prints its PCI (or PAPI, PGI …) as a table whose header row
is the years and whose rows are the index's components, its total and its rank::

    Chỉ số Năm 2019 Năm 2020 Năm 2021
    Gia nhập thị trường 7.75 8.85 9.08
    PCI 63.2 65.8 66.1
    Xếp hạng 17 4 8

(or the same with bars between the cells). Every number is a score of the component its
row names, for the year its column names; the rank row holds ranks. The unit is the
article's (its title), which the linker finds as for any sentence that names no one.
This module finds such tables and gives each cell its role, component and year.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import regex

from .segment import Sentence
from .widetables import Cell, column_component

# A header: a few label words, then two years or more ("Năm 2019", "2019"), bars or not.
_HEADER = regex.compile(
    r"\s*\|?\s*(?:(?:Chỉ số|Chỉ tiêu|Tiêu chí|Chỉ số thành phần|Năm|Nội dung|Year|Index)\s*\|?\s*)?"
    r"(?:(?:Năm\s+)?(?:19|20)\d\d\s*\|?\s*){2,}", regex.IGNORECASE)
_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# A row: its label (words, no digit), then one value per year ("N/A" and "-" for none).
_VALUE = r"(?:\d{1,3}(?:[.,]\d{1,3})?|N/A|-)"
_ROW = regex.compile(rf"\s*\|?\s*(?P<label>[^\d|]{{2,90}}?)\s*\|?\s*(?P<values>{_VALUE}(?:\s*\|?\s*{_VALUE})*)\s*\|?\s*")
_VALUES = regex.compile(_VALUE)
_CELL = regex.compile(r"\d{1,3}(?:[.,]\d{1,3})?")
_RANGE = regex.compile(r"\(\s*1\s*[-–]\s*(\d{2,3})\s*\)")
_RANK_LABEL = regex.compile(r"(?<!\p{L})(?:xếp hạng|thứ hạng|hạng|vị trí|ranking|rank)(?!\p{L})", regex.IGNORECASE)


def year_tables(text: str, sentences: Sequence[Sentence], vocab: dict[str, list[str]]) -> Iterator[Cell]:
    """Cells of the tables whose columns are years (see the module's docstring): a header
    of two years or more, then rows of as many values under it, one row per line."""
    i = 0
    while i < len(sentences):
        head = sentences[i]
        if not _YEAR.search(head.text) or _HEADER.fullmatch(head.text) is None:
            i += 1
            continue
        years = [int(y) for y in _YEAR.findall(head.text)]
        # "Xếp hạng trong Chỉ số năng lực cạnh tranh cấp tỉnh (1-63)" just above: the size
        sized = _RANGE.search(sentences[i - 1].text) if i > 0 else None
        size = int(sized.group(1)) if sized else None
        i += 1
        while i < len(sentences) and (m := _ROW.fullmatch(sentences[i].text)) is not None:
            row = sentences[i]
            values = list(_VALUES.finditer(m.group("values")))
            if len(values) != len(years) or sentences[i].paragraph != sentences[i - 1].paragraph + 1:
                break
            label = m.group("label").strip(" |:")
            rank = _RANK_LABEL.search(label) is not None
            # the index's own row ('PCI', 'Điểm PAPI') leaves no component once its words go
            component = None if rank else column_component(label, vocab)
            base = row.start + m.start("values")
            for value, year in zip(values, years, strict=True):
                if _CELL.fullmatch(value.group(0)) is None:
                    continue  # "N/A": no value that year
                if rank and not value.group(0).isdigit():
                    continue
                yield Cell(base + value.start(), base + value.end(), "rank" if rank else "score", row,
                           component, year=year, out_of=size if rank else None)
            i += 1
