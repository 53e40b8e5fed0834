"""More places a figure's subject is written, for :mod:`newsfacts.link.subject`.

Results articles name a unit beside its figure even where the unit plays another part
in the sentence ("xếp trên TP Hải Phòng (70,76 điểm)": ranked above it), open a paragraph
with its topic ("Đối với cấp tỉnh, …") and go on about it in sentences that name no one;
reports drop the subject the sentence before has just named, and provincial papers write
"UBND tỉnh", "của tỉnh" about a province they never name. Those strategies, and the tests
of a mention's role the chain asks (a rank's scope, a document's issuer), live here, apart
from the chain's module, which stays under the house's size limit.
"""

from __future__ import annotations

from typing import Protocol

import regex

from ..entities import GROUPS, Entity, Mention
from ..extract import Candidate
from ..roles import ISSUER_BEFORE
from .circles import Circles
from .clauses import clause_span
from .spans import within
from .words import alternation, patterns

Found = tuple[Mention, str]


class SubjectScene(Protocol):
    """What these strategies read of :class:`newsfacts.link.subject.SubjectScene` (which
    imports this module, so it cannot be imported here)."""

    @property
    def text(self) -> str: ...
    @property
    def circles(self) -> Circles: ...
    @property
    def placed(self) -> list[Mention]: ...
    @property
    def frames(self) -> list[Mention]: ...
    @property
    def entities(self) -> list[Mention]: ...
    @property
    def last(self) -> tuple[Candidate, Mention] | None: ...
    @property
    def previous(self) -> tuple[Candidate, Mention] | None: ...
    @property
    def names_place(self) -> bool: ...
    @property
    def index(self) -> str | None: ...
    def listed(self, sentence_start: int) -> bool: ...
    @property
    def main(self) -> Mention | None: ...

# "xếp thứ 13 trong cả nước", "từ vị trí 15 lên 13 trong cả nước": the scope of a rank.
_NATION_SCOPE = regex.compile(r"(?<!\p{L})(?:trong|so với|giữa|trên)\s+$")


def ranks_within(cand: Candidate, m: Mention, text: str, offset: int = 0) -> bool:
    """Whether ``m`` is the whole country a rank is counted in, not the ranked unit ("tăng 2
    bậc, lên thứ 13 trong cả nước"); for a score or a share, "trong cả nước" is nationwide
    and may be what the figure is about."""
    return cand.rule.kind == "rank" and m.value.kind == "nation" \
        and _NATION_SCOPE.search(text, max(0, m.start - offset - 10), m.start - offset) is not None


# "TP Hải Phòng (70,76 điểm)", "Bộ Ngoại giao (+5,83%)", "Bắc Giang (91,16%, xếp thứ 4)",
# "sau tỉnh Đồng Nai (xếp hạng 21/63)": the
# figure is in a parenthesis opened right after a name.
_BRACKET_AFTER_NAME = regex.compile(r"\s*\(\s*(?:(?:đạt|với|là|(?:xếp|đứng)(?:\s+(?:hạng|thứ|vị trí))?|hạng|thứ|vị trí)\s+)?[+\-–−]?$",
                                     regex.IGNORECASE)
_OPENED = regex.compile(r"\s*\($")
_NAME_COMMA = regex.compile(r"\s*,\s*")
# "(91,16%, xếp thứ 4": another figure of the name's before this one in the parenthesis
_FIGURE_BEFORE = regex.compile(r"[^()]*\d[^()]*,[^()\d]{0,20}")


def by_bracketed_agent(scene: SubjectScene, cand: Candidate) -> Found | None:
    """a body or place written right before the parenthesis that holds the figure, even
    where it is not the sentence's subject ("xếp trên TP Hải Phòng (70,76 điểm)", "Bắc
    Giang (91,16%, xếp thứ 4)");

    Names after "trên", "với", "tại" are agents for the clause, but a figure in
    parentheses right after a name is that name's ("sau Quảng Ninh (72,95 điểm)")."""
    sent = cand.sentence
    opened = scene.text.rfind("(", sent.start, cand.start)
    if opened < 0 or ")" in scene.text[opened:cand.start]:
        return None
    inner = within(scene.entities, opened + 1, cand.start)
    if len(inner) == 1 and inner[0].start == opened + 1 and _NAME_COMMA.fullmatch(scene.text, inner[0].end, cand.start):
        return inner[0], "sentence"  # "(Cao Bằng, 38,8 điểm)": the holder named first in the parenthesis
    named = [*within(scene.placed, sent.start, opened + 1), *within(scene.entities, sent.start, opened + 1)]
    last = max(named, key=lambda m: m.end, default=None)
    if last is None or not _OPENED.fullmatch(scene.text, last.end, opened + 1):
        return None
    inside = scene.text[opened + 1: cand.start]
    if within(scene.entities, opened, cand.start) or not (_BRACKET_AFTER_NAME.fullmatch(scene.text, last.end, cand.start)
                                                           or _FIGURE_BEFORE.fullmatch(inside)):
        return None  # a name inside the parenthesis, or words other than a figure before this one
    return last, "sentence"


def by_table_row(scene: SubjectScene, cand: Candidate) -> Found | None:
    """for a cell of a results table, the unit its row names ("| 2 | TP. Hồ Chí Minh |");

    A row names its unit once, in its name column, before or after the figure's cell; the
    sentence strategies would look only before it, or at the rows above."""
    if not cand.rule.column:
        return None
    named = [m for m in within(scene.entities, cand.sentence.start, cand.sentence.end) if m.value.text]
    return (named[0], "sentence") if named else None


# "…, Myanmar (thứ 165) và Đông Timo (thứ 181)": a list item the lexicons do not know (a
# name misspelt, a country or body not listed), capitalised right before its bracket, after
# the comma or "và" that goes on a list of named items in brackets.
_LIST_ITEM = regex.compile(r"(?:[,;]|\svà)\s+((?-i:[\p{Lu}Đ][\p{Ll}]*)(?:[ -](?-i:[\p{Lu}Đ][\p{Ll}]*)){0,3})"
                           r"\s*\(\s*(?:(?:xếp |đứng )?(?:hạng|thứ|vị trí) |đạt )?[+\-–−]?$")
_ITEM_BRACKET = regex.compile(r"\s*\([^()]{1,40}\)")


def by_bracketed_list_name(scene: SubjectScene, cand: Candidate) -> Found | None:
    """an unknown name in capitals right before the figure's parenthesis, in a list of
    known names each with a parenthesis of its own ("Myanmar (thứ 165) và Đông Timo (thứ 181)");

    A list of ranked countries or units goes on with names the lexicons may not hold
    ("Đông Timo"); the figure before the last named one is not theirs."""
    sent = cand.sentence
    opened = scene.text.rfind("(", max(sent.start, cand.start - 40), cand.start)  # "(xếp thứ " at most
    if opened < 0 or ")" in scene.text[opened:cand.start]:
        return None
    item = _LIST_ITEM.search(scene.text, max(sent.start, opened - 50), cand.start)
    if item is None or within(scene.entities, item.start(1), item.end(1)):
        return None
    earlier = [m for m in within(scene.entities, sent.start, item.start()) if m.value.text]
    if not earlier or _ITEM_BRACKET.match(scene.text, earlier[-1].end) is None:
        return None  # the list before holds no named item with a parenthesis of its own
    name = item.group(1)
    return Mention(item.start(1), item.end(1), name, Entity(name, None, earlier[-1].value.kind)), "sentence"


# "… đứng cuối bảng xếp hạng cấp sở, ngành, với 326,85/500 điểm": a value right after a
# rank, joined by "với" or "đạt", is the ranked unit's.
_AFTER_RANK = regex.compile(r"[^.;()\d]{0,40}?,?\s*(?:với|đạt)\s+(?:(?:tổng |số )?(?:điểm|điểm số|kết quả)"
                            r"(?: đạt)?(?: được)?(?: là)?\s+)?", regex.IGNORECASE)


def by_rank_before(scene: SubjectScene, cand: Candidate) -> Found | None:
    """for a value joined to the rank right before it ("đứng cuối bảng …, với 326,85
    điểm"), the ranked unit;

    The rank and its value are one unit's even where the clause opens with a source that
    names others ("Theo kết quả chấm điểm của các cơ quan, đơn vị …, Ban Quản lý … đứng
    cuối bảng, với …")."""
    previous = scene.previous
    if previous is None or previous[0].sentence is not cand.sentence or previous[0].rule.kind != "rank" \
            or cand.rule.kind != "score" or _AFTER_RANK.fullmatch(scene.text, previous[0].end, cand.start) is None \
            or any(m.text[:1].isupper() for m in within(scene.entities, previous[0].end, cand.start)):
        return None  # another unit named between ("cấp sở" is a level, not a name)
    return previous[1], "sentence"


# A topic holds for the few sentences after it (and the walk back stays bounded in a
# one-line text of a thousand sentences).
_FRAME_REACH = 4


def by_paragraph_frame(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the topic that opened an earlier sentence of the figure's paragraph ("Đối với cấp
    tỉnh, …", "Ở khối huyện, …"), when no unit has been named since;

    A paragraph that opens with its topic goes on about it: "Đối với cấp tỉnh, giá trị
    DTI đạt 0,69. Cả ba trụ cột đều tăng: Chính quyền số đạt 0,75 …" is about the
    provinces, not about the city the title names."""
    sent = cand.sentence
    circles = scene.circles
    first = circles.sentence_of(cand.start)
    for _ in range(_FRAME_REACH):  # back towards the first sentence of the figure's line
        if first == 0 or circles.sentences[first - 1].paragraph != sent.paragraph \
                or circles.sentences[first - 1].start < circles.title_end \
                or "\n" in scene.text[circles.sentences[first - 1].end: circles.sentences[first].start]:
            break
        first -= 1
    start = circles.sentences[first].start
    if start >= sent.start:
        return None
    framed = within(scene.frames, start, sent.start)
    if not framed:
        return None
    frame = framed[-1]
    if any(m.start >= frame.end for m in within(scene.entities, frame.end, cand.start)):
        return None  # a unit named since the frame is what the sentences go on about
    return frame, "previous_sentence"


def issues_document(m: Mention, text: str) -> bool:
    """Whether a ministry or the Government is named only as the issuer of a document
    ("theo Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ"): never what a whole
    article is about (a province issuing its own plan may still be: "Đề án của tỉnh")."""
    return m.value.kind == "ministry" and ISSUER_BEFORE.search(text, max(0, m.start - 70), m.start) is not None


# Units that a sentence with no name of its own goes on about.
_CONTINUED_KINDS = frozenset({"dept", "ministry", "prov", "local", "org", "ref", "agg", "nation"})


def by_previous_sentence(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the unit the sentence before spoke about, when the figure's sentence names no one
    ("UBND tỉnh đã công bố 7.518 TTHC … Thực hiện cung ứng dịch vụ công với 2.268 thủ tục");

    Vietnamese drops a subject that the sentence before has just named; only the sentence
    right before in the same paragraph counts, only a body or place (not a sector or a
    population, which own their clause only), and not when that sentence listed figures
    for several units (its last item names only its own figure)."""
    last = scene.last
    sent = cand.sentence
    if last is None or last[0].sentence.paragraph != sent.paragraph or last[1].value.kind not in _CONTINUED_KINDS \
            or scene.listed(last[0].sentence.start):
        return None  # after a list ("Sở A 8 hồ sơ, Sở B 17 hồ sơ. Tỷ lệ …") its last item is not the topic
    circles = scene.circles
    if circles.sentence_of(last[0].start) != circles.sentence_of(cand.start) - 1 or last[0].start < circles.title_end \
            or "\n" in scene.text[last[0].start: sent.start] or within(scene.entities, sent.start, sent.end) \
            or within(scene.placed, sent.start, sent.end):
        return None  # not the sentence right before on the same line, or this one names a unit, even as a place
    return last[1], "previous_sentence"


def _consequence_opener() -> regex.Pattern[str]:
    """The openers of a sentence that states the result of the one before (``linking.yaml``)."""
    return patterns(__name__, lambda: regex.compile(rf"\s*(?:{alternation('consequence_openers')})\s*,", regex.IGNORECASE))


def by_consequence(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the unit the sentence before opens with, when the figure's sentence opens "Nhờ đó,"
    and names no one ("UBND xã A siết chặt giờ giấc. Nhờ đó, 100% hồ sơ trả đúng hạn");

    The result belongs to whoever acted in the sentence before, even when that sentence
    gave no figure (``by_previous_sentence`` needs one); only a body or place, in the same
    paragraph on the same line."""
    sent = cand.sentence
    if _consequence_opener().match(scene.text, sent.start) is None \
            or within(scene.entities, sent.start, sent.end) or within(scene.placed, sent.start, sent.end):
        return None
    circles = scene.circles
    before = circles.sentence_of(sent.start) - 1
    if before < 0:
        return None
    acting = [m for m in within(scene.entities, max(circles.sentences[before].start, circles.title_end), sent.start)
              if circles.sentence_of(m.start) == before and m.value.kind in _CONTINUED_KINDS
              and "\n" not in scene.text[m.start: sent.start]]
    return (acting[0], "previous_sentence") if acting else None


# "của tỉnh", "UBND huyện" not followed by a name: a unit the article never names.
_BARE = r"(?<!\p{L})(?:của|toàn|cả|UBND|Ủy ban nhân dân) (LEVELS)(?! (?-i:\p{Lu}))(?!\p{L})"
_BARE_REFERENCE = regex.compile(_BARE.replace("LEVELS", "tỉnh|thành phố|huyện"), regex.IGNORECASE)
_BARE_PROVINCE = regex.compile(_BARE.replace("LEVELS", "tỉnh"), regex.IGNORECASE)
_AMONG_PROVINCES = regex.compile(r"/\s*63(?:\s+tỉnh)?|63 tỉnh", regex.IGNORECASE)


def by_bare_reference(scene: SubjectScene, cand: Candidate) -> Found | None:
    """a short reference in the figure's clause ("chỉ số PAR INDEX của tỉnh") when the
    article never names whom it stands for: the word itself;

    Provincial papers write "của tỉnh" about their own province and never name it; the
    reference is what the text says, and better than no subject. A rank among the
    provinces ("xếp 9/63 tỉnh, thành phố") is the province's, whichever clause names it."""
    if scene.names_place:
        return None  # the article names a place: the reference stood for it, or for none
    start, _stop = clause_span(cand)
    found, how = _BARE_REFERENCE.search(scene.text, start, cand.start), "sentence"
    if found is None and cand.rule.kind == "rank" and _AMONG_PROVINCES.search(scene.text, cand.start, cand.end + 25):
        found, how = _BARE_PROVINCE.search(scene.text), "paragraph"
    if found is None or ISSUER_BEFORE.search(scene.text, max(0, found.start() - 40), found.start() + 4):
        return None
    word = found.group(1)
    return Mention(found.start(1), found.end(1), word, Entity(word, None, "ref")), how


# "trên địa bàn tỉnh", "của tỉnh", "UBND tỉnh" in the title or lead: the unnamed province
# (or district: "của toàn huyện", in a district's own report).
_LEAD_SENTENCES = 5
_ARTICLE_PROVINCE = regex.compile(r"(?<!\p{L})(?:của|toàn|cả|UBND|Ủy ban nhân dân|địa bàn) (tỉnh|huyện)(?! (?-i:\p{Lu}))(?!\p{L})",
                                  regex.IGNORECASE)


def unnamed_province(scene: SubjectScene) -> Mention | None:
    """The province a provincial paper writes about without naming it ("trên địa bàn
    tỉnh", "của tỉnh", "UBND tỉnh"), as the word "tỉnh"; None when the article names a place.

    A report of the province's own office ("Văn phòng UBND tỉnh ban hành Báo cáo về kết
    quả rà soát … trên địa bàn tỉnh") is about the province."""
    if scene.names_place:
        return None
    sentences = scene.circles.sentences
    lead_end = sentences[min(len(sentences), _LEAD_SENTENCES) - 1].end if sentences else 0
    found = _ARTICLE_PROVINCE.search(scene.text, 0, max(lead_end, scene.circles.title_end))
    if found is None:  # only in the title or the lead: a national report names "UBND tỉnh" in passing
        return None
    word = found.group(1).lower()
    return Mention(found.start(1), found.end(1), word, Entity(word, None, "ref"))


# "Theo bảng xếp hạng, với 71,25 điểm, Quảng Ninh tiếp tục dẫn đầu": a clause that opens
# with its figure ("với …") names the figure's owner right after the comma.
_LEADING_WITH = regex.compile(r"(?:\G\s*|[,;:]\s*)với\s+(?:[^,;:()\d]{0,40}?\s)?$", regex.IGNORECASE)
# "Ở vị trí thứ 3, Lào Cai …", "Xếp thứ 5, Bắc Giang …": a rank that opens its clause.
_LEADING_RANK = regex.compile(r"(?:\G\s*|[,;:]\s*)(?:ở|xếp|đứng)\s+(?:[^,;:()\d]{0,25}?\s)?$", regex.IGNORECASE)
_THEN_NAME = regex.compile(r"\s*,\s*")


def by_leading_figure(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the entity right after the comma that closes a figure opening its clause ("với
    71,25 điểm, Quảng Ninh tiếp tục dẫn đầu", "Với 68,12 điểm, PCI Hậu Giang …", "Ở vị
    trí thứ 3, Lào Cai …");

    The figure comes first and its owner is the subject of the clause it leads into."""
    leading = _LEADING_WITH.search(scene.text, clause_span(cand)[0], cand.start)
    if leading is None and cand.rule.kind == "rank":
        leading = _LEADING_RANK.search(scene.text, clause_span(cand)[0], cand.start)
        if leading is not None and within(scene.entities, cand.sentence.start, leading.start()):
            return None  # "Bắc Giang có tổng điểm 72,80, xếp thứ 2/63, sau Quảng Ninh": the clause goes on
    if leading is None or within(scene.entities, leading.start(), cand.start):
        return None
    comma = _THEN_NAME.match(scene.text, cand.end)
    if comma is None or comma.end() >= cand.sentence.end or "," not in comma.group(0):
        return None
    after = [m for m in within(scene.entities, comma.end(), cand.sentence.end) if m.start <= comma.end() + 4
             and not _COMPARED_WITH.match(scene.text, comma.end())]
    return (after[0], "sentence") if after else None


# "…, sau Quảng Ninh (72,95 điểm)", "…, trên Hải Phòng": the one compared with, not the owner.
_COMPARED_WITH = regex.compile(r"(?:sau|trước|trên|dưới|kém|hơn)\s", regex.IGNORECASE)


# "… là Bộ Tài nguyên và Môi trường xếp thứ 17; Bộ Xây dựng xếp thứ 18 và Bộ Y tế xếp thứ 19": a name
# with its own rank verb, opening a list item (after a joint, not inside a longer name).
_RANK_VERB_BEFORE = regex.compile(
    r"^\s+(?:(?:đã|vẫn|cũng|chỉ)\s+)?(?:xếp|đứng)(?:\s+ở)?(?:\s+(?:vị trí|hạng|thứ hạng))?\s*$", regex.IGNORECASE)
_ITEM_START = regex.compile(r"(?:^|[,;:]\s*|(?<!\p{L})(?:là|và)\s+)$", regex.IGNORECASE)


def by_ranked_item(scene: SubjectScene, cand: Candidate) -> Found | None:
    """for a rank, the name right before its rank verb when it opens a list item ("…
    thấp nhất là Hà Giang xếp thứ 61; Lai Châu xếp thứ 62 và Bắc Kạn xếp thứ 63");

    The clause's first name is then the group the list is of ("các bộ", "3 tỉnh")."""
    if cand.rule.kind != "rank":
        return None
    sent = cand.sentence
    before = within(scene.entities, sent.start, cand.start)
    if not before:
        return None
    m = before[-1]
    if not _RANK_VERB_BEFORE.match(scene.text[m.end: cand.start]):
        return None
    head = scene.text[max(sent.start, m.start - 12): m.start]
    return (m, "sentence") if _ITEM_START.search(head) else None


def by_ranked_country(scene: SubjectScene, cand: Candidate) -> Found | None:
    """for a figure of an international ranking, the country the article names: the
    nearest before the figure, else the first ("Việt Nam", not "Chính phủ");

    A clause that names its own country has decided already; here only the article's
    whole can speak, and for index OTHER (Doing Business, GII, EGDI, PMI …) a government
    or a sector is never what is ranked."""
    if scene.index != "OTHER":
        return None
    countries = [m for m in scene.entities if m.value.kind == "country" and m.value.text.lower() not in GROUPS]
    if not countries:
        return None
    before = [m for m in countries if m.end <= cand.start]
    chosen = before[-1] if before else countries[0]
    return chosen, "previous_sentence" if chosen.start < cand.sentence.start else "sentence"


_WHOLE = regex.compile(r"toàn (?:tỉnh|thành phố|huyện|quốc)", regex.IGNORECASE)


def framed_level(scene: SubjectScene, cand: Candidate, found: Found) -> Found:
    """"Với cấp xã, toàn tỉnh tiếp nhận 264.610 hồ sơ": a whole that only says where the work
    was done gives way to the level that frames the sentence."""
    if not _WHOLE.fullmatch(found[0].text) or found[0].start < cand.sentence.start:
        return found
    framed = within(scene.frames, cand.sentence.start, found[0].start)
    return (framed[-1], "sentence") if framed and framed[-1].value.kind == "agg" else found
