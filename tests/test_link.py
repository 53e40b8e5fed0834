"""Each way an attribute can be found, with the evidence it records."""

from __future__ import annotations

import regex

from newsfacts.pipeline import extract_from_text


def facts(text: str, resources, title: str | None = None, published: str | None = None):
    if title:
        text = title + "\n\n" + text
    return extract_from_text(text, title=title, published=published, resources=resources)[0]


def test_same_sentence(resources) -> None:
    (score, rank) = facts("Năm 2020, Chỉ số CCHC của tỉnh Hưng Yên đạt 81,98 điểm, đứng thứ 22/63.", resources)
    assert (score.subject, score.subject_id, score.year) == ("tỉnh Hưng Yên", "VN-66", 2020)
    assert score.evidence.subject == score.evidence.year == "sentence"
    assert rank.index == "PAR_INDEX"


def test_subject_and_index_only_in_title(resources) -> None:
    (fact,) = facts("Năm 2023, đơn vị đạt 93,364/98 điểm, tăng so với năm trước.", resources,
                    title="Sở KH&CN Hà Tĩnh dẫn đầu Chỉ số cải cách hành chính")[1:]
    assert fact.subject == "Sở KH&CN Hà Tĩnh" and fact.evidence.subject == "title"
    assert fact.index == "PAR_INDEX" and fact.evidence.index == "title"
    assert fact.year == 2023


def test_short_form_expands_to_the_full_mention(resources) -> None:
    text = ("Sở KH&CN Hà Tĩnh đẩy mạnh cải cách hành chính.\n\n"
            "Theo đánh giá của Hội đồng thẩm định, năm 2023 Sở KH&CN đạt 93,364/98 điểm.")
    (fact,) = facts(text, resources)
    assert fact.subject == "Sở KH&CN Hà Tĩnh"


def test_component_list(resources) -> None:
    text = ("Năm 2023, Chỉ số CCHC của Sở Tư pháp đạt 90,1 điểm.\n\n"
            "Nhiều chỉ số thành phần được đánh giá tốt như: cải cách thủ tục hành chính đạt 13,969/14 điểm; "
            "cải cách tài chính công đạt 7,5/8 điểm; mức độ hài lòng của người dân đạt 5/5 điểm.")
    found = facts(text, resources)[1:]
    assert [f.component for f in found] == [
        "cải cách thủ tục hành chính", "cải cách tài chính công", "mức độ hài lòng của người dân"]
    assert {f.evidence.component for f in found} == {"list"}
    assert {f.index for f in found} == {"PAR_INDEX"}  # not SIPAS from the last item's words
    assert {f.year for f in found} == {2023}


def test_year_from_previous_sentence_and_relative_year(resources) -> None:
    text = ("Năm 2017, kinh tế thành phố tiếp tục tăng trưởng. Tổng sản phẩm ước tăng 7,37% "
            "(cùng kỳ năm trước tăng 7,34%).")
    first, second = facts(text, resources)
    assert (first.year, first.evidence.year) == (2017, "previous_sentence")
    assert second.year == 2016


def test_year_written_after_the_figure_wins(resources) -> None:
    a, b = facts("Tốc độ tăng trưởng giảm, từ mức 4,02% năm 2011 còn 1,36% năm 2016.", resources)
    assert (a.year, b.year) == (2011, 2016)


def test_document_dates_and_baselines_are_not_the_year(resources) -> None:
    (fact,) = facts("Năm 2020 đã rà soát 34 TTHC theo Thông tư số 02/2017/TT-VPCP ngày 31/10/2017.", resources)
    assert fact.year == 2020
    (change,) = facts("Năm 2016, số TTHC đã giảm 85 thủ tục so với năm 2015.", resources)
    assert change.year == 2016


def test_agents_and_places_are_not_subjects(resources) -> None:
    (fact,) = facts("Sở Tư pháp tỉnh Nghệ An được UBND tỉnh xếp thứ 2/20 sở, ngành.", resources)
    assert fact.subject.startswith("Sở Tư pháp")
    (pct,) = facts("Năm 2023, 100% hồ sơ được Sở Xây dựng tiếp nhận tại Trung tâm Phục vụ hành chính công.",
                   resources, title="Sở Xây dựng Bắc Ninh nâng cao chất lượng phục vụ")[0:]
    assert pct.subject == "Sở Xây dựng Bắc Ninh"


def test_owner_after_the_figure(resources) -> None:
    found = facts("Có 36% doanh nghiệp Mỹ mở rộng tại Việt Nam so với 48% ở Indonesia, 21% ở Thái Lan.", resources)
    assert [f.subject for f in found][1:] == ["Indonesia", "Thái Lan"]


def test_publication_date_only_for_current_figures(resources) -> None:
    (fact,) = facts("Hiện nay, 100% TTHC được công khai.", resources, published="2024-03-05T08:00:00+07:00")
    assert (fact.year, fact.evidence.year) == (2024, "publication_date")
    (none,) = facts("100% TTHC được công khai.", resources, published="2024-03-05T08:00:00+07:00")
    assert none.year is None


def test_short_references_resolve_to_the_full_mention(resources) -> None:
    text = ("UBND TP Hà Nội tổ chức họp báo. Ông Nguyễn Văn A cho biết, kinh tế thành phố "
            "6 tháng tăng 7,37%.")
    (fact,) = facts(text, resources)
    assert fact.subject == "TP Hà Nội" and fact.subject_id == "VN-HN"


def test_entity_right_before_its_figure_in_a_list(resources) -> None:
    found = facts("Malaysia chỉ đóng bảo hiểm xã hội 13%, Philippines 10%, Indonesia 8%.", resources)
    assert [f.subject for f in found] == ["Malaysia", "Philippines", "Indonesia"]


def test_current_figure_takes_the_publication_year_over_the_articles_year(resources) -> None:
    text = "Năm 2023, Sở đạt 90 điểm.\n\nHiện nay, 100% TTHC được công khai."
    found = facts(text, resources, published="2024-03-05T08:00:00+07:00")
    assert [(f.year, f.evidence.year) for f in found] == [(2023, "sentence"), (2024, "publication_date")]


def test_a_percentage_after_a_semicolon_does_not_borrow_the_index(resources) -> None:
    score, rank, pct = facts("Năm 2023, tỉnh Bắc Ninh đạt 88,5 điểm PAR Index, xếp thứ 5/63; "
                             "98% hồ sơ được giải quyết trực tuyến.", resources)
    assert score.index == rank.index == "PAR_INDEX"
    assert pct.index is None and pct.subject == "tỉnh Bắc Ninh"


def test_districts_and_communes_are_subjects_and_the_lead_sets_the_year(resources) -> None:
    text = ("Năm 2024, Bộ phận Một cửa huyện Yên Thế đã tiếp nhận 15.236 hồ sơ.\n\n"
            "UBND huyện rà soát, đề xuất đơn giản hóa 12 TTHC.\n\n"
            "Mục tiêu năm 2025, phấn đấu 100% TTHC được cung cấp trực tuyến.")
    found = facts(text, resources)
    # the desk is named with its district; the district's later figures keep the district
    assert found[0].subject == "Bộ phận Một cửa huyện Yên Thế"
    assert all("huyện Yên Thế" in (f.subject or "") for f in found)
    assert [(f.year, f.evidence.year) for f in found] == [
        (2024, "sentence"), (2024, "article"), (2025, "sentence")]


def test_a_share_of_a_population_is_about_that_population(resources) -> None:
    text = ("Khảo sát năm 2022 của Hiệp hội được công bố tại hội thảo.\n\n"
            "Có tới 72% trong số 8.500 doanh nghiệp được hỏi cho biết thủ tục đã đơn giản hơn. "
            "Kết quả cũng cho thấy gần 41% DN Nhật Bản muốn mở rộng đầu tư.")
    found = facts(text, resources)
    assert [(f.subject, f.evidence.subject) for f in found] == [
        ("doanh nghiệp", "sentence"), ("DN Nhật Bản", "sentence")]


def test_a_population_heading_the_clause_owns_the_later_shares(resources) -> None:
    text = ("Người dân nộp hồ sơ trực tuyến đạt tỷ lệ 64,5%. "
            "Có 12-15% hộ gia đình tham gia khảo sát cho biết chi phí đi lại chiếm tới 20% thu nhập.")
    assert [f.subject for f in facts(text, resources)] == ["Người dân", "hộ gia đình", "hộ gia đình"]


def test_officials_and_modifiers_are_not_populations(resources) -> None:
    text = ("Sở Tư pháp tỉnh Nam Định tiếp tục cải cách hành chính.\n\n"
            "Năm 2023, 100% cán bộ, công chức được tập huấn kỹ năng số. "
            "Thuế suất thuế thu nhập doanh nghiệp 10% được áp dụng cho dự án.")
    found = facts(text, resources)
    assert [f.subject for f in found] == ["Sở Tư pháp tỉnh Nam Định"] * 2


def test_list_items_are_not_the_population_a_share_is_about(resources) -> None:
    text = ("Thành phố Cần Thơ đẩy mạnh chuyển đổi số.\n\n"
            "Thành phố xây dựng 3 cơ sở dữ liệu: đất đai, doanh nghiệp và hộ kinh doanh. "
            "Đến nay, 95% trường học dùng sổ điểm điện tử.")
    (fact,) = facts(text, resources)
    assert fact.subject == "Thành phố Cần Thơ"


def test_each_clause_keeps_its_own_subject(resources) -> None:
    text = ("Trong khi ở nhiều nước, phí dịch vụ chỉ ở mức 1-2% thì ở Việt Nam, phí phổ biến là 5-6%. "
            "Chi phí logistics cao khoảng 18% trong khi Thái Lan là 12%.")
    assert [f.subject for f in facts(text, resources)] == ["nhiều nước", "Việt Nam", "Việt Nam", "Thái Lan"]


def test_shares_split_after_trong_do(resources) -> None:
    text = "Mức đóng của Việt Nam là 30% quỹ lương, trong đó doanh nghiệp đóng 20%, người lao động đóng 10%."
    assert [f.subject for f in facts(text, resources)] == ["Việt Nam", "doanh nghiệp", "người lao động"]


def test_a_figure_in_an_aside_belongs_to_the_figure_before_it(resources) -> None:
    text = ("Tăng trưởng của ngành nông nghiệp chậm lại. Năm 2022, tốc độ tăng trưởng của nền kinh tế "
            "chỉ đạt 5,9% (không đạt mục tiêu đề ra là 6,5%).")
    assert [f.subject for f in facts(text, resources)] == ["nền kinh tế", "nền kinh tế"]


def test_a_speaker_owns_what_it_reports_but_not_what_it_thinks(resources) -> None:
    text = ("UBND tỉnh Quảng Trị họp bàn về chuyển đổi số.\n\n"
            "Giám đốc Sở Thông tin và Truyền thông cho biết tỷ lệ hồ sơ trực tuyến đạt 71%. "
            "Chủ tịch Hội đồng nhân dân huyện Gio Linh cho rằng có thể đạt 80% vào cuối năm.")
    reported, opined = facts(text, resources)
    assert reported.subject.startswith("Sở Thông tin và Truyền thông")
    assert opined.subject == "UBND tỉnh Quảng Trị" and opined.evidence.subject == "paragraph"


def test_each_part_of_a_ranking_list_names_its_own_subject(resources) -> None:
    text = ("Năm 2024, Bộ Công Thương dẫn đầu với 90,8 điểm, Bộ Tài chính đứng thứ hai với 89,9 điểm. "
            "Xếp cuối bảng là Bộ Văn hóa, Thể thao và Du lịch.")
    found = facts(text, resources)
    assert [(f.text, f.subject) for f in found] == [
        ("dẫn đầu", "Bộ Công Thương"), ("90,8 điểm", "Bộ Công Thương"),
        ("thứ hai", "Bộ Tài chính"), ("89,9 điểm", "Bộ Tài chính"),
        ("Xếp cuối bảng", "Bộ Văn hóa, Thể thao và Du lịch")]


def test_a_list_of_places_before_a_figure_is_not_split(resources) -> None:
    (fact,) = facts("Đặc biệt, Sơn La, Lai Châu, Điện Biên giảm trên 40% số vụ tai nạn.", resources)
    assert fact.subject == "Sơn La"


def test_short_references_take_the_nearest_full_mention_but_not_plurals(resources) -> None:
    text = ("Tỉnh Bình Định đạt 85,1 điểm. Cũng trong năm 2024, Đà Nẵng cắt giảm 40 thủ tục hành chính; "
            "tỷ lệ hồ sơ trực tuyến của thành phố đạt 68,3%. Có 4 tỉnh tăng trên 30% là Gia Lai, Kon Tum.")
    found = facts(text, resources)
    assert [(f.text, f.subject) for f in found] == [
        ("85,1 điểm", "Tỉnh Bình Định"), ("40 thủ tục hành chính", "Đà Nẵng"), ("68,3%", "Đà Nẵng"),
        ("30%", "4 tỉnh")]  # a plural is no reference to Đà Nẵng: it is a group, the subject of its figure


def test_the_issuer_of_a_document_does_not_head_the_clause(resources) -> None:
    text = ("Sở Tài chính tỉnh Lào Cai rà soát thủ tục hành chính.\n\n"
            "Đã rà soát 30 TTHC, trong đó 20 TTHC theo Đề án của tỉnh và 10 TTHC theo Thông tư của Bộ.")
    found = facts(text, resources)
    assert {f.subject for f in found} == {"Sở Tài chính tỉnh Lào Cai"}


def test_a_period_is_a_year_of_its_sentence_only(resources) -> None:
    text = ("Năm 2023, tỉnh Hà Giang đạt 84,2 điểm. "
            "Có 20-25% doanh nghiệp tham gia khảo sát từ năm 2019-2021 phản ánh chi phí cao. "
            "Trong 15 năm từ 2021 đến 2035, tỉnh cần tăng trưởng bình quân 8%/năm. "
            "Tỷ lệ hồ sơ trực tuyến hiện chiếm 45,5%.")
    found = facts(text, resources)
    assert [(f.text, f.year) for f in found] == [
        ("84,2 điểm", 2023), ("20-25%", 2019), ("8%", 2035), ("45,5%", 2023)]
    assert found[-1].evidence.year == "previous_sentence"  # past the period, to "Năm 2023"


def test_a_place_after_tai_is_what_tinh_refers_to(resources) -> None:
    text = ("Tỉnh Bắc Ninh xếp thứ 3 về DTI. Tại Hà Tĩnh, tỉnh xếp thứ 25/63. "
            "Giám đốc Sở TT&TT cho biết, năm 2023 tỷ lệ hồ sơ trực tuyến của tỉnh đạt 45,6%.")
    found = facts(text, resources)
    assert [(f.text, f.subject) for f in found] == [
        ("thứ 3", "Tỉnh Bắc Ninh"), ("thứ 25/63", "Hà Tĩnh"), ("45,6%", "Hà Tĩnh")]
    assert (found[-1].year, found[-1].evidence.year) == (2023, "sentence")  # "năm 2023 tỷ lệ"


def test_the_items_of_a_component_list_belong_to_the_lists_owner(resources) -> None:
    text = ("Công bố Chỉ số CCHC các sở, ngành tỉnh Thanh Hóa năm 2023\n\n"
            "Sở Tư pháp có nhiều chỉ số thành phần đạt điểm cao như: cải cách thủ tục hành chính "
            "đạt 14/14 điểm; hiện đại hóa hành chính đạt 9,5/10 điểm. Sở Y tế xếp cuối với 75,3 điểm.")
    found = facts(text, resources)
    assert [(f.text, f.subject, f.component) for f in found] == [
        ("14/14 điểm", "Sở Tư pháp", "cải cách thủ tục hành chính"),
        ("9,5/10 điểm", "Sở Tư pháp", "hiện đại hóa hành chính"),
        ("xếp cuối", "Sở Y tế", None), ("75,3 điểm", "Sở Y tế", None)]


def test_figures_after_lan_luot_go_to_the_listed_subjects_in_order(resources) -> None:
    text = ("Theo báo cáo của Văn phòng Chính phủ, Hà Nội, TP.HCM và Đà Nẵng lần lượt đạt 85%, 82% "
            "và 80% hồ sơ trực tuyến. Quảng Ninh và Hải Phòng lần lượt đạt 92,5 điểm và 91,2 điểm.")
    found = facts(text, resources)
    assert [(f.text, f.subject) for f in found] == [
        ("85%", "Hà Nội"), ("82%", "TP.HCM"), ("80%", "Đà Nẵng"),
        ("92,5 điểm", "Quảng Ninh"), ("91,2 điểm", "Hải Phòng")]


def test_lan_luot_with_counts_that_disagree_falls_back_to_the_clause(resources) -> None:
    (a, b) = facts("Hà Nội, Huế và Cần Thơ lần lượt đạt 85% và 80%.", resources)
    assert a.subject == b.subject == "Hà Nội"


def test_a_capitalised_baseline_is_still_a_baseline(resources) -> None:
    text = "Năm 2023, tỉnh Hải Dương tiếp nhận 256.300 hồ sơ. So với năm 2022, số hồ sơ trực tuyến tăng 35%."
    found = facts(text, resources)
    assert [(f.year, f.evidence.year) for f in found] == [(2023, "sentence"), (2023, "previous_sentence")]


def test_an_announcement_date_is_not_a_scores_year_and_components_are_trimmed(resources) -> None:
    text = ("Theo báo cáo PAPI 2023 công bố ngày 2/4/2024, tỉnh Quảng Bình đạt 42,9 điểm.\n\n"
            "Cụ thể: Công khai, minh bạch đạt 5,4 điểm. "
            "Chỉ số thành phần Quản trị điện tử của tỉnh chỉ đạt 3,2 điểm.")
    found = facts(text, resources)
    assert [(f.text, f.year, f.component) for f in found] == [
        ("42,9 điểm", 2023, None), ("5,4 điểm", 2023, "Công khai, minh bạch"),
        ("3,2 điểm", 2023, "Quản trị điện tử")]
    (dated,) = facts("Tính đến ngày 30/6/2024, tỉnh đã tiếp nhận 5.000 hồ sơ.", resources)
    assert dated.year == 2024  # a count as of a date keeps the date's year


def test_don_vi_refers_to_the_nearest_body(resources) -> None:
    text = ("Sở Tư pháp xếp thứ nhất với 91 điểm. Sở Y tế xếp thứ 15. "
            "Năm 2023, đơn vị này đã giải quyết 98% hồ sơ đúng hạn.")
    found = facts(text, resources)
    assert [(f.text, f.subject) for f in found][-1] == ("98%", "Sở Y tế")


def test_a_ministry_ranking_with_nested_scores_and_holders_after_la(resources) -> None:
    text = ("Theo Chỉ số PAR INDEX 2016, Bộ Tư pháp đứng thứ 2/19 với 86,34%, tăng 1 bậc so với năm trước. "
            "Dẫn đầu là Ngân hàng Nhà nước Việt Nam với 88,24%; xếp cuối là Bộ Y tế với 71,56%. "
            "Tiếp theo là Quảng Ninh (77,70%) và Hà Nội (76,63%).")
    found = facts(text, resources)
    got = [(f.kind, f.subject) for f in found]
    assert got == [("rank", "Bộ Tư pháp"), ("score", "Bộ Tư pháp"),
                   ("rank", "Ngân hàng Nhà nước Việt Nam"), ("score", "Ngân hàng Nhà nước Việt Nam"),
                   ("rank", "Bộ Y tế"), ("score", "Bộ Y tế"),
                   ("score", "Quảng Ninh"), ("score", "Hà Nội")]  # values in a results list
    assert (found[0].position, found[0].out_of, found[0].change) == (2, 19, 1)


def test_a_province_inside_a_body_gives_its_full_name(resources) -> None:
    text = ("Bắc Ninh cắt giảm thủ tục hành chính\n\n"
            "Năm 2022, UBND tỉnh Bắc Ninh đã bãi bỏ 17 TTHC. Hiện tỉnh có 1.024 dịch vụ công trực tuyến.")
    found = extract_from_text(text, title="Bắc Ninh cắt giảm thủ tục hành chính")[0]
    assert [f.subject for f in found] == ["UBND tỉnh Bắc Ninh", "tỉnh Bắc Ninh"]


def test_a_place_opening_the_sentence_frames_its_figures(resources) -> None:
    text = ("Năm 2023, Chỉ số SIPAS của tỉnh Vĩnh Long đạt 86,12%. "
            "Tại Trà Vinh, mức độ hài lòng chung đạt 84,5%. Tỉnh này có 97% người dân hài lòng. "
            "Hội nghị tổ chức tại Trung tâm Hội nghị tỉnh, 90% đại biểu tán thành.")
    found = facts(text, resources)
    assert [(f.text, f.subject) for f in found] == [
        ("86,12%", "tỉnh Vĩnh Long"), ("84,5%", "Trà Vinh"), ("97%", "Trà Vinh"), ("90%", "tỉnh Vĩnh Long")]


def test_a_dated_year_of_another_sentence_is_not_a_scores_year(resources) -> None:
    text = ("Trong năm 2023, Bộ Tư pháp đã cắt giảm 120 thủ tục hành chính.\n\n"
            "Đến hết tháng 6/2024, Bộ Công Thương đã cung cấp 95% dịch vụ công trực tuyến.\n\n"
            "Theo đánh giá của Hội đồng thẩm định, Bộ Nội vụ xếp thứ 3/17 với 89,12 điểm.")
    found = facts(text, resources)
    assert [(f.text, f.year) for f in found] == [
        ("120 thủ tục hành chính", 2023), ("95%", 2024), ("thứ 3/17", 2023), ("89,12 điểm", 2023)]


def test_the_council_of_a_named_district_is_a_subject(resources) -> None:
    text = ("Sở Xây dựng tỉnh Thanh Hóa giải quyết đúng hạn 99,2% hồ sơ. "
            "UBND huyện Thọ Xuân có tỷ lệ hài lòng 98,7%, cao nhất trong các huyện.")
    found = facts(text, resources)
    assert [f.subject for f in found] == ["Sở Xây dựng tỉnh Thanh Hóa", "UBND huyện Thọ Xuân"]


def test_a_baselines_year_stays_with_the_baseline(resources) -> None:
    text = ("PCI 2023: Quảng Ninh giữ vững ngôi đầu\n\n"
            "Có 41,2% doanh nghiệp phải trả chi phí không chính thức, giảm so với mức 44,9% năm 2022. "
            "Long An tăng 12 bậc, lên vị trí thứ 6.")
    found = extract_from_text(text, title="PCI 2023: Quảng Ninh giữ vững ngôi đầu")[0]
    assert [(f.text, f.year) for f in found] == [
        ("ngôi đầu", 2023), ("41,2%", 2023), ("44,9%", 2022), ("thứ 6", 2023)]


def test_the_pair_nguoi_dan_doanh_nghiep_is_who_a_service_is_for(resources) -> None:
    text = ("Năm 2023, tỉnh Hà Tĩnh đẩy mạnh chuyển đổi số. "
            "Người dân, doanh nghiệp nộp hồ sơ trực tuyến đạt tỷ lệ 65%. "
            "Doanh nghiệp kê khai thuế điện tử đạt tỷ lệ 99,6%.")
    found = facts(text, resources)
    assert [f.subject for f in found] == ["tỉnh Hà Tĩnh", "Doanh nghiệp"]


def test_satisfaction_of_the_people_belongs_to_the_province(resources) -> None:
    text = "Năm 2023, tỉnh Hà Tĩnh đẩy mạnh cải cách. Mức độ hài lòng của người dân đạt 92%."
    (fact,) = facts(text, resources)
    assert fact.subject == "tỉnh Hà Tĩnh"


def test_a_component_written_as_a_percentage_is_a_score_with_its_component(resources) -> None:
    text = ("Năm 2023, Chỉ số cải cách hành chính của TP.HCM đạt 87,6%. "
            "Trong đó, chỉ số thành phần cải cách thủ tục hành chính đạt 92,1%.")
    found = facts(text, resources)
    assert [(f.kind, f.index, f.component) for f in found] == [
        ("score", "PAR_INDEX", None), ("score", "PAR_INDEX", "cải cách thủ tục hành chính")]


def test_the_subject_strategy_that_decided_is_recorded(resources) -> None:
    cases = {
        "Hà Nội, TP.HCM và Đà Nẵng lần lượt đạt 85%, 82% và 80%.": ["respectively"] * 3,
        "Tỷ lệ này là 21% ở Thái Lan.": ["owner_after"],
        "Năm 2020, Chỉ số CCHC của tỉnh Hưng Yên đạt 81,98 điểm, đứng thứ 22/63.": [
            "adjacent", "clause_subject"],
        "Tại Trà Vinh, mức độ hài lòng chung đạt 84,5%.": ["frame"],
        "Khảo sát cho thấy 66% doanh nghiệp được hỏi hài lòng.": ["share_base"],
        "Doanh nghiệp kê khai thuế điện tử đạt tỷ lệ 99,64%.": ["head_population"],
    }
    for text, rules in cases.items():
        found = facts(text, resources)
        assert [f.evidence.subject_rule for f in found] == rules, text
    (fact,) = facts("Năm 2023, đơn vị đạt 93,364/98 điểm.", resources, title="Sở KH&CN Hà Tĩnh dẫn đầu")[1:]
    # "đơn vị" right before its figure decides; its full mention is in the title
    assert (fact.evidence.subject, fact.evidence.subject_rule) == ("title", "adjacent")
    (fact,) = facts("Năm 2023, tỷ lệ hồ sơ trực tuyến đạt 80%.", resources,
                    title="Tỉnh Hà Tĩnh đẩy mạnh chuyển đổi số")
    assert (fact.subject, fact.evidence.subject, fact.evidence.subject_rule) == (
        "Tỉnh Hà Tĩnh", "title", "main_subject")


def test_the_subject_strategies_are_the_ones_the_schema_names() -> None:
    from typing import get_args

    from newsfacts.link import SUBJECT_STRATEGIES
    from newsfacts.models import SubjectRule

    assert tuple(s.name for s in SUBJECT_STRATEGIES) == get_args(SubjectRule)


def test_the_readme_lists_the_subject_strategies_in_their_order() -> None:
    """README.md's numbered list is generated from the strategies' docstrings; after
    changing SUBJECT_STRATEGIES, paste ``subject_order_markdown()`` into the README."""
    from pathlib import Path

    from newsfacts.link.subject import subject_order_markdown

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    head = readme.index("The subject is looked for in this order")
    start = readme.index("\n\n", head) + 2
    listed = readme[start: readme.index("\n\n", start)]

    def items(block: str) -> list[str]:
        return [" ".join(item.split()) for item in regex.split(r"\n(?=\d+\. )", block)]

    assert items(listed) == items(subject_order_markdown()), subject_order_markdown()


def test_link_modules_import_only_below_themselves() -> None:
    """The link package is a ladder: each module imports lower link modules and lower
    stages only, so nothing it uses can import it back."""
    import ast
    from pathlib import Path

    import newsfacts.link

    ladder = ["spans", "scans", "words", "aggregates", "circles", "article", "clauses", "lists", "populations", "measures", "headings", "names", "index", "kinds",
              "years", "owners", "subject", "ranks", "scales", "core",
              "__init__"]
    below_link = {"entities", "roles", "extract", "segment", "lexicons", "numbers", "patterncache", "models"}
    folder = Path(newsfacts.link.__file__).parent
    assert sorted(p.stem for p in folder.glob("*.py")) == sorted(ladder)
    for rank, name in enumerate(ladder):
        tree = ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                # "from .owners import x" imports owners; "from . import owners" too
                targets = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
                for target in targets:
                    if node.level == 1:
                        assert target in ladder[:rank], f"link/{name}.py imports .{target}"
                    else:
                        assert target in below_link, f"link/{name}.py imports ..{target}"


def test_the_linkers_words_are_checked_when_read(tmp_path) -> None:
    """linking.yaml is edited by people who read Vietnamese, not Python: a missing, empty
    or misspelt list is an error naming the file and the key, never an empty pattern."""
    import pytest
    import yaml

    from newsfacts.lexicons import LexiconError
    from newsfacts.link.words import FILE, KEYS, read_words
    from newsfacts.resources import default_root

    bundled = read_words(default_root() / "lexicons" / FILE)
    assert tuple(bundled) == KEYS and bundled["joints"] == ("trong đó", "trong khi", "thì")
    path = tmp_path / FILE
    for broken, key in (({**bundled, "joints": []}, "joints"),
                        ({k: v for k, v in bundled.items() if k != "speech_verbs"}, "speech_verbs"),
                        ({**bundled, "jionts": ["thì"]}, "jionts")):
        path.write_text(yaml.safe_dump({k: list(v) for k, v in broken.items()}, allow_unicode=True),
                        encoding="utf-8")
        with pytest.raises(LexiconError, match=f"{FILE}.*{key}"):
            read_words(path)
