"""Extraction through the public functions: overlaps, traps, attributes in the sentence."""

from __future__ import annotations

import pytest

from newsfacts.pipeline import extract_from_text


def facts_of(text: str, resources):
    facts, _ = extract_from_text(text, resources=resources)
    return facts


def test_issue_sentence_gives_one_score_and_one_rank(resources) -> None:
    text = ("Kết quả đánh giá chỉ số CCHC năm 2020, tỉnh Hưng Yên đạt 81,98 điểm, "
            "đứng thứ 22/63 tỉnh, thành phố, tăng 5 bậc.")
    facts = facts_of(text, resources)
    assert [f.kind for f in facts] == ["score", "rank"]
    score, rank = facts
    assert (score.value, score.max, score.unit, score.rule) == (81.98, None, "point", "score.points")
    assert (rank.position, rank.out_of, rank.change) == (22, 63, 5)
    assert score.year == rank.year == 2020
    for f in facts:
        assert text[f.span[0]:f.span[1]] == f.text


def test_index_percent_is_a_score_not_also_a_percentage(resources) -> None:
    facts = facts_of("Năm 2022, Chỉ số hài lòng (SIPAS) của tỉnh đạt 85,6%, tăng 2,1% so với năm 2021.", resources)
    assert [(f.kind, f.value) for f in facts] == [("score", 85.6), ("percentage", 2.1)]
    assert facts[0].unit == "percent" and facts[1].is_change is True


def test_range_wins_over_its_parts(resources) -> None:
    facts = facts_of("Lãi suất phổ biến vẫn ở mức 9-10% và từ 25% đến 30% GDP.", resources)
    assert [(f.value, f.value_max) for f in facts] == [(9, 10), (25, 30)]


def test_procedure_list_gives_three_counts(resources) -> None:
    facts = facts_of("Sở đang cung cấp 64 TTHC, trong đó 7 TTHC đạt mức độ 3 và 57 TTHC đạt mức độ 4.", resources)
    assert [(f.count, f.level) for f in facts] == [(64, None), (7, "3"), (57, "4")]


@pytest.mark.parametrize(
    "trap",
    [
        "Kế hoạch số 22/KH-SKHCN, ngày 22/10/2020 về đào tạo.",
        "Quyết định số 1277/QĐ-UBND ngày 7/7/2020 của UBND tỉnh.",
        "Thông tư số 02/2017/TT-VPCP ngày 31/10/2017 của Văn phòng Chính phủ.",
        "Nghị định 178/2024/NĐ-CP của Chính phủ.",
        "áp dụng tiêu chuẩn TCVN ISO 9001:2015 tại 58/79 cơ quan",
        "hoàn thành 37/37 nhiệm vụ theo kế hoạch",
        "100% TTHC được cung cấp trực tuyến ở mức độ 3,4",
        "Nghị quyết Đại hội Đảng toàn quốc lần thứ XIII, kỳ họp thứ 4",
        "Đây là năm thứ 2 liên tiếp Sở được khen",
        "10:33, 23/02/2021",
        "trách nhiệm của người đứng đầu cơ quan",
        "tổ chức 11 lớp tập huấn cho hơn 1.000 đối tượng, 82 tác giả tham gia",
    ],
)
def test_traps_are_not_facts(trap: str, resources) -> None:
    facts = [f for f in facts_of(trap, resources) if f.kind != "percentage" or "%" not in trap]
    assert facts == [], [(f.kind, f.text) for f in facts]


def test_mixed_percentage_in_level_list_sentence_is_one_percentage(resources) -> None:
    facts = facts_of("100% TTHC được cung cấp trực tuyến ở mức độ 3,4", resources)
    assert [(f.kind, f.value) for f in facts] == [("percentage", 100)]


def test_overlap_tie_break_is_priority_then_length(resources) -> None:
    from newsfacts.extract import run_rules

    trace = run_rules("Chỉ số CCHC của tỉnh đạt 91,43%, xếp thứ 5.", resources.rules)
    beaten = {c.rule.id: c.beaten_by for c in trace.candidates if c.beaten_by}
    assert beaten.get("percentage.single") in {"score.index_percent", "score.percent_then_rank"}
    assert [c.rule.kind for c in trace.winners] == ["score", "rank"]
