"""Text cleaning: one normal form, and nothing outside the article survives."""

from __future__ import annotations

import unicodedata

from newsfacts.clean import clean_plain_text, normalize_text, normalize_tones


def test_tone_marks_have_one_placement() -> None:
    assert normalize_tones("hoà hợp, khoẻ, thuỷ lợi, HOÀ, toà án") == "hòa hợp, khỏe, thủy lợi, HÒA, tòa án"
    assert normalize_tones("quý, khuya, hoạ sĩ") == "quý, khuya, họa sĩ"


def test_nfc_invisible_characters_and_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Hưng Yên")
    text = normalize_text(f"  {decomposed}\u00a0đạt\u200b 81,98\t điểm  \r\n")
    assert text == "Hưng Yên đạt 81,98 điểm\n"
    assert unicodedata.is_normalized("NFC", text)


def test_related_lists_counters_widgets_and_images_are_dropped() -> None:
    raw = "\n\n".join([
        "Tỉnh đạt 81,98 điểm",
        "Thân bài có 95% hồ sơ trực tuyến.",
        "2A.jpg",
        "Description: C:\\Users\\x\\DSC_0062.JPG",
        "Bài viết khác",
        "• Huyện tăng 5 bậc (21/07/2022)",
        "• Xã đạt 90 điểm (20/06/2022)",
        "Các bài mới nhất",
        "• Tỉnh đứng thứ 3 (04/08/2022)",
        "© 2019 Copyright by danvanhungyen.vn. All rights reserved.",
        "Hôm nay224 Hôm qua1,980 Tuần này4,650",
    ])
    cleaned = clean_plain_text(raw)
    assert cleaned.title == "Tỉnh đạt 81,98 điểm"
    assert cleaned.text == "Tỉnh đạt 81,98 điểm\n\nThân bài có 95% hồ sơ trực tuyến."


def test_teaser_cards_after_a_heading_are_dropped() -> None:
    raw = ("Bài chính đạt 9 điểm.\n\nĐọc thêm\n\nTin A tăng 10%\n\nTin A tăng 10%\n\n"
           "Tin A tăng 10% Tóm tắt ngắn của tin A với 20% hồ sơ.\nTin B\n\nTin B\n\n"
           "Ngày 6/1, tóm tắt tin B có 30 TTHC.")
    assert clean_plain_text(raw).text == "Bài chính đạt 9 điểm."


def test_price_widget_is_dropped_and_repeated_captions_once() -> None:
    raw = ("Tiêu đề\n\nẢnh: Trung tâm phục vụ\n\nẢnh: Trung tâm phục vụ\n\nThân bài.\n\n"
           "Nội dung:\nGiá vàng 9999 tr.đ/lượng\nDoji TienPhongBank\nTỷ giá ĐVT:đồng\nLoại Mua Bán\nBIDV")
    assert clean_plain_text(raw).text == "Tiêu đề\n\nẢnh: Trung tâm phục vụ\n\nThân bài."


def test_the_space_short_cut_knows_every_character_of_the_classes() -> None:
    """normalize_text skips a substitution when the text holds none of these characters:
    they must be exactly those of the classes, but the plain space."""
    from newsfacts import clean

    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    assert {c for c in every if clean._SPACES.fullmatch(c)} - {" "} == set(clean.ODD_SPACES)
    assert {c for c in every if clean._INVISIBLE.fullmatch(c)} == set(clean.INVISIBLES)


def test_the_space_short_cut_gives_what_the_substitutions_give() -> None:
    for text in ["a b", "a  b", "a\u00a0b", "a \u200b b", "x\u3000\ty", "hoà bình", "\u00adz", "a\u2009 b"]:
        slow = clean_plain_text.__globals__["_SPACES"].sub(" ", normalize_tones(
            clean_plain_text.__globals__["_INVISIBLE"].sub("", text)))
        assert normalize_text(text) == "\n".join(line.strip() for line in slow.split("\n"))


def test_chrome_lines_are_found_as_the_mark_pattern_finds_them() -> None:
    """``is_chrome`` asks the mark's words first; it decides as the search alone did."""
    from newsfacts.clean import _CHROME_MARK, _CHROME_START, is_chrome

    lines = ["© 2024 Báo Hà Tĩnh", "COPYRIGHT by X", "All Rights Reserved.", "Ghi rõ nguồn khi đăng lại",
             "Thiết kế bởi VNPT", "copyrights", "Sở Nội vụ đạt 90,5 điểm", "İstanbul © x", "ſ", "",
             "Trang chủ > Tin tức"]
    for line in lines:
        assert is_chrome(line) == (_CHROME_START.match(line) is not None
                                   or _CHROME_MARK.search(line) is not None), line
