"""Entity roles: the words around a mention that make it an agent, not a subject.

A name after "được", "tại", "theo", after "theo đánh giá của", before "công bố kết quả …"
is who acts, publishes or is the source; the figure is about someone else. These patterns
live apart from :mod:`newsfacts.entities` (which finds the mentions) because the linker's
subject and measure passes ask the same questions of the text.
"""

from __future__ import annotations

import regex

# Mentions after these words are agents, places or partners, not what the figure is about;
# but "Tin từ Trung tâm Hành chính công, … đã tiếp nhận 25.368 hồ sơ" opens a desk's own report,
# and the dash after a dateline ("(Chinhphu.vn) - Đà Nẵng …") opens the lead.
AGENT_BEFORE = regex.compile(
    r"(?:được|bởi|do|theo|(?<!(?:^|[.!?]\s|\n)[Tt]in )từ|với|cùng|tại|giữa|cho|trên|thuộc|vào|(?<!(?:kế|tiếp|sau) )đến|tới|/|(?<!\)\s?)-)\s*$",
    regex.IGNORECASE)
# Words that name where a figure comes from: "theo đánh giá (của)", "theo công bố (của)",
# "qua đánh giá của Ban Chỉ đạo …", "căn cứ kết quả …".
_SOURCE = r"(?:theo|qua|căn cứ(?: vào)?|dựa (?:trên|vào)) (?:công bố|đánh giá|báo cáo|xếp hạng|kết quả|khảo sát|số liệu|thống kê)(?: \p{L}+){0,3}?"
# Who issued a document (or is the source of a figure: "theo đánh giá của Ngân hàng Thế giới")
# does not head the clause it is named in ("… theo Đề án của tỉnh và
# 10 TTHC …"); it stays a candidate for the article's main subject.
ISSUER_BEFORE = regex.compile(
    r"(?:đề án|kế hoạch|quyết định|nghị quyết|chỉ thị|thông tư|nghị định|văn bản|công văn|quy định|"
    rf"chỉ đạo|{_SOURCE})"
    r"(?: số [\w/.-]+)?(?: ngày [\d/.-]+)? (?:của|do)\s*$", regex.IGNORECASE)

# An announcer: a body that publishes results ("Bộ Nội vụ công bố Chỉ số CCHC …", "VCCI vừa
# công bố báo cáo PCI", "UBND tỉnh … ký quyết định công bố kết quả …"), with the person who
# signs for it between ("Chủ tịch UBND tỉnh Nghệ An Nguyễn Văn Thành vừa ký …"). It is not
# the subject of what it publishes; it stays what a later "Bộ" or "tỉnh" may refer to.
ANNOUNCES = regex.compile(
    r"(?:\s+\([^()]{1,60}\))?(?:\s+(?-i:[\p{Lu}Đ]\p{Ll}*)(?:\s+(?-i:[\p{Lu}Đ]\p{Ll}*)){1,3})?"
    r"(?:\s+(?:đã|vừa|mới|chính thức|sáng|chiều|hôm qua|hôm nay|ngày|nay|cũng|đã chính thức|vừa chính thức|"
    r"[\d/.]+))*"
    r"\s+(?:công bố|ban hành|phê duyệt|(?:ký|tổ chức)(?:\s[^.;:]{0,30}?)?\s(?:công bố|phê duyệt|thông báo)"
    r"|thông báo|công khai|trao)"
    r"(?=[^.;]{0,40}?(?<!\p{L})(?:kết quả|chỉ số|bảng xếp hạng|xếp hạng|PAR|PCI|PAPI|SIPAS|DTI|DDCI|ICT))",
    regex.IGNORECASE)


# The source of what follows: "Theo công bố của Bộ KH&CN, DTI quốc gia đạt …", "theo đánh giá
# của Ngân hàng Thế giới": an agent, like the announcer.
SOURCE_BEFORE = regex.compile(rf"(?<!\p{{L}}){_SOURCE} (?:của|do)\s*$", regex.IGNORECASE)


# "cao hơn trung bình cả nước 1,1%": the figure right after the average it is compared with
# is the gap, the subject's own; "(81,66%)" or "là 83,1%" after it would be the average's.
_AVERAGE = r"(?:mức |giá trị |điểm )?(?:trung bình|bình quân)(?: chung)?(?: của)?\s+$"
_GAP_BEFORE = regex.compile(rf"(?:cao|thấp) hơn (?:so với )?{_AVERAGE}", regex.IGNORECASE)
_GAP_AFTER = regex.compile(r"\s+(?:khoảng\s+|gần\s+|hơn\s+)?\d")
# "So với giá trị trung bình cả nước, tỉnh thấp hơn 2,1%": the average opens the sentence as
# what the clause after the comma is measured against.
_AGAINST_BEFORE = regex.compile(rf"so với {_AVERAGE}", regex.IGNORECASE)
_AGAINST_AFTER = regex.compile(r"\s*,")


def compared_average(text: str, start: int, end: int) -> bool:
    """Whether the group or country at ``text[start:end]`` is an average a figure right
    after it is compared with ("thấp hơn bình quân chung cả nước 1,27 điểm"): a benchmark,
    not the subject of that figure."""
    before = text[max(0, start - 48): start]
    return (_GAP_BEFORE.search(before) is not None and _GAP_AFTER.match(text, end) is not None) \
        or (_AGAINST_BEFORE.search(before) is not None and _AGAINST_AFTER.match(text, end) is not None)
