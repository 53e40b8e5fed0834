"""Results tables: which cells are in a score or rank column, in the three shapes cleaned
text holds a table in; sentences and lists of other things are no table."""

from __future__ import annotations

from newsfacts.segment import split_sentences
from newsfacts.tables import table_cells


def _cells(ruleset, text: str) -> list[tuple[str, str]]:
    vocab = ruleset.lexicons["table_header"]
    return [(text[c.start:c.end], c.role) for c in table_cells(text, split_sentences(text), vocab)]


def test_bar_rows_take_their_header_roles(ruleset) -> None:
    text = "| TT | Đơn vị | Điểm | Vị thứ |\n\n| 1 | Sở Nội vụ | 90,5 | 1 |\n\n| 2 | Sở Y tế | 88 | 2 |"
    assert _cells(ruleset, text) == [("90,5", "score"), ("1", "rank"), ("88", "score"), ("2", "rank")]


def test_a_share_column_is_read_in_percent(ruleset) -> None:
    text = "| Đơn vị | Tỷ lệ điểm (%) |\n\n| Sở Nội vụ | 90,5 |\n\n| Sở Y tế | 88 |"
    assert [role for _cell, role in _cells(ruleset, text)] == ["score_percent", "score_percent"]


def test_one_cell_per_line_with_a_split_header(ruleset) -> None:
    lines = ["TT", "Tên đơn vị", "Điểm", "đánh giá", "Vị thứ", "1", "Sở Nội vụ", "90,5", "1", "2", "Sở Y tế", "88,25", "2"]
    assert _cells(ruleset, "\n\n".join(lines)) == [("90,5", "score"), ("1", "rank"), ("88,25", "score"), ("2", "rank")]


def test_one_row_per_line_under_column_names(ruleset) -> None:
    text = "Tỉnh Điểm PCI Hạng Xếp loại\n\nQuảng Nam 70.1 1 Tốt\n\nĐà Nẵng 69.5 2 Tốt"
    assert _cells(ruleset, text) == [("70.1", "score"), ("1", "rank"), ("69.5", "score"), ("2", "rank")]


def test_no_table_without_a_header_role_or_in_sentences(ruleset) -> None:
    assert _cells(ruleset, "| TT | Đơn vị | Số hồ sơ |\n\n| 1 | Sở Nội vụ | 412 |\n\n| 2 | Sở Y tế | 96 |") == []
    assert _cells(ruleset, "Các sở cần nâng cao thứ hạng của tỉnh\n\nTỉnh Nghệ An 21 huyện\n\nHuyện Tân Kỳ 22 xã") == []


def test_bar_rows_without_outer_bars(ruleset) -> None:
    text = "STT | Đơn vị | Điểm\n\n1 | Sở Tư pháp | 90,15\n\n2 | Sở Tài chính | 88,72"
    assert _cells(ruleset, text) == [("90,15", "score"), ("88,72", "score")]
