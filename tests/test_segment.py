from __future__ import annotations

from newsfacts.segment import split_sentences


def test_offsets_index_the_text() -> None:
    text = "Câu một có 5%. Câu hai.\n\nĐoạn mới đạt 9 điểm."
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["Câu một có 5%.", "Câu hai.", "Đoạn mới đạt 9 điểm."]
    assert all(text[s.start:s.end] == s.text for s in sents)
    assert [s.paragraph for s in sents] == [0, 0, 1]


def test_abbreviations_and_domains_do_not_split() -> None:
    text = ("(Baohatinh.vn) - Theo TP. Hà Tĩnh, ThS. Nguyễn Văn A, Sở KH&CN đạt 93,364/98 điểm. "
            "Kinh phí 1.000.000 đồng tại Q. 1 được giải ngân.")
    sents = split_sentences(text)
    assert len(sents) == 2
    assert sents[0].text.startswith("(Baohatinh.vn)")
    assert "1.000.000" in sents[1].text


def test_empty_text() -> None:
    assert split_sentences("") == []
