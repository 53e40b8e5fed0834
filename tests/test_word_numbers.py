"""Numbers in words through the public pipeline, in the four kinds, and the traps of prose."""

from __future__ import annotations

from typing import Any

import pytest

from newsfacts.pipeline import extract_from_text


def _facts(text: str, resources: Any) -> list[tuple[Any, ...]]:
    facts, _ = extract_from_text(text, resources=resources)
    out = []
    for f in facts:
        figure = {"score": f.value if f.kind == "score" else None,
                  "percentage": f.value if f.kind == "percentage" else None,
                  "procedure_count": getattr(f, "count", None),
                  "rank": getattr(f, "position", None)}[f.kind]
        out.append((f.kind, figure, f.text))
    return out


CASES = [
    # counts
    ("Sở đã công bố ba mươi ba thủ tục hành chính.", [("procedure_count", 33, "ba mươi ba thủ tục hành chính")]),
    ("Trung tâm đã tiếp nhận hai trăm nghìn hồ sơ.", [("procedure_count", 200_000, "hai trăm nghìn hồ sơ")]),
    ("Tỉnh đã số hóa hai mươi mốt nghìn không trăm mười một hồ sơ.",
     [("procedure_count", 21_011, "hai mươi mốt nghìn không trăm mười một hồ sơ")]),
    ("Huyện cắt giảm mười lăm thủ tục hành chính.", [("procedure_count", 15, "mười lăm thủ tục hành chính")]),
    ("Bộ cung cấp một trăm linh năm dịch vụ công trực tuyến.",
     [("procedure_count", 105, "một trăm linh năm dịch vụ công trực tuyến")]),
    ("Hệ thống xử lý một tỷ hồ sơ mỗi năm.", [("procedure_count", 10**9, "một tỷ hồ sơ")]),
    ("Tỉnh đã rà soát hai chục thủ tục.", [("procedure_count", 20, "hai chục thủ tục")]),
    ("Năm nay thành phố tiếp nhận năm nghìn hồ sơ trực tuyến.", [("procedure_count", 5000, "năm nghìn hồ sơ")]),
    # shares
    ("Có bốn mươi phần trăm số xã đạt chuẩn.", [("percentage", 40, "bốn mươi phần trăm")]),
    ("Chín mươi lăm phần trăm hồ sơ được giải quyết đúng hạn.", [("percentage", 95, "Chín mươi lăm phần trăm")]),
    ("Tỷ lệ hồ sơ trực tuyến đạt bốn mươi tư phần trăm.", [("percentage", 44, "bốn mươi tư phần trăm")]),
    # ranks
    ("Năm 2023, tỉnh đứng thứ mười bốn cả nước.", [("rank", 14, "thứ mười bốn cả nước")]),
    ("Tỉnh xếp thứ hai mươi mốt trên sáu mươi ba tỉnh, thành phố.",
     [("rank", 21, "thứ hai mươi mốt trên sáu mươi ba tỉnh, thành phố")]),
    ("Chỉ số PAPI của tỉnh tăng ba bậc so với năm trước.", [("rank", None, "tăng ba bậc")]),
    # scores
    ("Năm 2023, Sở Tư pháp đạt tám mươi điểm.", [("score", 80, "tám mươi điểm")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_word_numbers_in_every_kind(text: str, expected: list[tuple[Any, ...]], resources: Any) -> None:
    assert _facts(text, resources) == expected


TRAPS = [
    "Đây là một thủ tục hành chính phức tạp.",
    "Một số thủ tục hành chính còn rườm rà.",
    "Tỉnh vận hành bộ phận một cửa, một cửa liên thông.",
    "Hai năm liên tiếp tỉnh giải quyết hồ sơ đúng hạn.",
    "Năm nay, hồ sơ được tiếp nhận qua bưu điện.",
    "Sau bốn lượt đấu, đội chỉ giành được một điểm.",
    "Hội nghị được kết nối tới năm điểm cầu.",
    "Quận Ba Đình tổ chức tiếp công dân vào thứ năm hằng tuần.",
    "Hàng chục thủ tục đã được cắt giảm, mười năm qua thành phố đổi thay.",
    "Hàng trăm nghìn hồ sơ đã được số hóa.",
]


@pytest.mark.parametrize("text", TRAPS)
def test_word_number_traps_give_no_fact(text: str, resources: Any) -> None:
    assert _facts(text, resources) == []
