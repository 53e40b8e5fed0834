"""Clauses: where the part of a sentence that a figure belongs to begins and ends.

Vietnamese puts the topic first, so the subject of a figure is usually the first
entity of its clause; an index or year named in the clause before a ";" belongs to
that clause's figures, not to the next one's. Clause boundaries, list intros and the
frames that open a sentence ("Tại Trà Vinh, …") are found here for the index and the
subject to share.
"""

from __future__ import annotations

from typing import NamedTuple

import regex

from ..entities import Mention
from ..extract import Candidate
from ..segment import Sentence
from .scans import first_in_head, head_matches
from .spans import within
from .words import active, alternation, patterns

# Entities or populations joined as one list: "Hà Nội, TP.HCM và Đà Nẵng".
LIST_JOINT = regex.compile(r"\s*(?:,|và|, và)\s*")


class _Patterns(NamedTuple):
    list_intro: regex.Pattern[str]
    clause_sep: regex.Pattern[str]
    source_lead: regex.Pattern[str]
    continuing: regex.Pattern[str]
    frame_before: regex.Pattern[str]
    # how far past its start an attempt of clause_sep or list_intro reads, besides one run
    # of spaces: the longest word of its lists and what may follow it (see scans.head_matches)
    sep_reach: int
    intro_reach: int


def _patterns() -> _Patterns:
    """This module's patterns, built from the active words once (see ``words``)."""
    return patterns(__name__, _build_patterns)


def _build_patterns() -> _Patterns:
    """Built on first use from ``rules/lexicons/linking.yaml`` (see ``words``)."""
    w = alternation
    return _Patterns(
        # A list announced inside the sentence: "thành phần gồm: …", "như: …", "chỉ số thành phần".
        regex.compile(rf"(?:{w('list_intros')})\s*:|(?:{w('list_intro_phrases')})", regex.IGNORECASE),
        # Clause starts: after ";", ":", a full stop (not an abbreviation's: "TP. Hải Phòng"), a verb of saying ("… cho biết, <clause>"),
        # one that opens reported content even without a comma, or a joint.
        regex.compile(
            rf"[;:]\s|(?<!(?<!\p{{L}})(?-i:TP|Tp|TX|Tx|TT|Q|P|H|X|TS|ThS|PGS|GS))\.\s|\b(?:{w('speech_verbs')})\s*[,:]\s"
            rf"|\b(?:{w('speech_verbs_bare')})\s(?!,)|\b(?:{w('joints')})\s*,?\s"
            r"|\bvà\s(?=\d)"
            # "B xếp vị trí thứ 2 (71,05 điểm) và C giữ vị trí thứ 3": "và" after an item's value
            r"|(?<=\)\s)và\s"
            # "A đứng thứ 4 với 68,45 điểm và TP B xếp thứ 5 …", "… với 70,15 điểm còn B ở vị trí
            # thứ 9": "và" or "còn" after a value, before a name
            r"|(?<=(?:\d\s?điểm|%)\s)(?:và|còn)\s(?=(?-i:[\p{Lu}Đ]))"
            # "… đạt 94,92% xếp thứ hai và Sở B đạt 93,96% xếp thứ ba": "và" after a rank, before a name
            r"|(?<=\bthứ (?:\d+|\p{L}+)\s)và\s(?=(?-i:[\p{Lu}Đ]))"
            # "A dẫn đầu, đạt 89%, còn B đứng cuối …, thấp hơn 11%": "còn" after a comma opens B's part
            r"|(?<=,\s)còn\s",
            regex.IGNORECASE),
        regex.compile(rf"\s*(?:\([^)]*\)\s*-?\s*)?(?:{w('source_leads')})\b[^,;]*,", regex.IGNORECASE),
        # Joints after which a clause without a subject of its own continues the one before.
        regex.compile(rf"(?:{w('continuing')})\s*,?\s$", regex.IGNORECASE),
        # "Tại Trà Vinh, mức độ hài lòng chung đạt 84,5%": a place opening its sentence frames it.
        # "Năm 2023, ở khối huyện, …", "Tháng 1/2022 tại …": after a time that opens the sentence, too.
        regex.compile(rf"(?:^|[.;:!?]\s+|\n\s*)(?:[^,;:.!?\n]{{1,30}},\s+|(?:tháng|quý|năm|trong) [^,;:.!?\n]{{1,14}}\s+)?(?:{w('frame_openers')})\s+$",
                      regex.IGNORECASE),
        sep_reach=max(_longest("speech_verbs", "speech_verbs_bare", "joints"), len("và")) + 8,
        intro_reach=_longest("list_intros", "list_intro_phrases") + 8,
    )


def _longest(*keys: str) -> int:
    """The length of the longest word of the active lists ``keys``: how far a pattern made
    of them reads."""
    return max(len(word) for key in keys for word in active().lists[key])


def list_intro() -> regex.Pattern[str]:
    """A list announced in the sentence ("thành phần gồm: …")."""
    return _patterns().list_intro


def list_intro_before(cand: Candidate) -> bool:
    """Whether a list is announced in the figure's sentence before it: the head's search,
    from one search of the sentence (``scans.first_in_head``)."""
    p = _patterns()
    sent = cand.sentence
    return first_in_head(p.list_intro, sent, cand.start - sent.start, p.intro_reach, 1) is not None


def clause_span(cand: Candidate, *, continued: bool = False) -> tuple[int, int]:
    """Where the figure's clause begins, past a source lead ("Theo đánh giá của Hội đồng
    …,"), and where its subject must be named by (the figure). With ``continued``, a
    clause that opens with "thì", "trong khi" or "trong đó" is taken together with the
    clause before it, and an item of a list stands for the clause that introduces the
    list ("Sở Tư pháp có nhiều chỉ số đạt cao như: A đạt 14/14; B đạt 9,5/10")."""
    sent = cand.sentence
    # several strategies ask for a figure's clause, and each search runs over the head of
    # its sentence: the answer is kept with the figure (by position, as a copy made with
    # dataclasses.replace shares the memo)
    key = ("clause_span", sent.start, cand.start, continued)
    if key not in cand.memo:
        cand.memo[key] = _clause_bounds(_patterns(), sent, cand.start - sent.start, continued)
    start, stop = cand.memo[key]
    return sent.start + start, (cand.start if stop is None else sent.start + stop)


def _clause_bounds(p: _Patterns, sent: Sentence, figure: int, continued: bool) -> tuple[int, int | None]:
    """``clause_span`` in sentence coordinates (None: the figure itself). The clause starts
    and list intros of the head are those of one scan of the sentence (``head_matches``):
    every figure of a long sentence asks for them."""
    text = sent.text
    seps = head_matches(p.clause_sep, sent, figure, p.sep_reach, 1)
    while continued and seps and p.continuing.search(seps[-1].group(0)):
        seps.pop()
    stop: int | None = None
    intros = head_matches(p.list_intro, sent, figure, p.intro_reach, 1) if continued else []
    if intros:
        seps = [sep for sep in seps if sep.end() <= intros[-1].start()]
        stop = intros[-1].start()
    start = seps[-1].end() if seps else 0
    source = p.source_lead.match(text, start)
    if source and source.end() < (figure if stop is None else stop):
        start = source.end()
    return start, stop


def same_clause(mentions: list[Mention], cand: Candidate) -> list[Mention]:
    """Mentions in the figure's clause only: a count or percentage after ';' belongs to
    what that clause is about, not to an index named in the clause before."""
    sent = cand.sentence
    head = sent.text[: cand.start - sent.start]
    start = sent.start + max(head.rfind(";"), head.rfind(":")) + 1
    tail = sent.text[cand.end - sent.start:]
    stops = [i for i in (tail.find(";"), tail.find(":")) if i >= 0]
    end = cand.end + min(stops) if stops else sent.end
    return within(mentions, start, end)


def frames(mentions: list[Mention], text: str) -> list[Mention]:
    """Places, bodies and ministries named as a sentence's frame: after "Tại"/"Ở" at the
    start of the sentence and before a comma, or before the colon of a list ("Về khối các
    sở, ban, ngành: …"). They are agents elsewhere ("tại Trung tâm"),
    so the frame copy is marked as no agent."""
    frame_before = _patterns().frame_before
    return [Mention(m.start, m.end, m.text, m.value._replace(agent=False)) for m in mentions
            if m.value.text and m.value.kind in ("prov", "local", "dept", "ministry", "agg")
            and (text.startswith(",", m.end) or text.startswith(":", m.end) or _FRAME_VERB.match(text, m.end))
            and frame_before.search(text, max(0, m.start - 40), m.start)]


# "Tại Trung tâm Phục vụ hành chính công tỉnh tiếp nhận mới 5.562 hồ sơ": a body after "Tại"
# and right before what it did is the sentence's frame without a comma.
_FRAME_VERB = regex.compile(r"\s+(?:(?:đã|cũng|vừa|đang|tiếp tục)\s+)?(?:tiếp nhận|giải quyết|trả kết quả|xử lý|"
                            r"số hóa|số hoá|cấp|thực hiện|ghi nhận|có)(?!\p{L})", regex.IGNORECASE)


# "…, xếp thứ nhì Bộ Tư pháp (90,6%)": a position opening an item of a results list.
_LIST_ITEM_RANK = regex.compile(r"[,;:]\s*(?:(?:xếp|đứng|giữ)(?: ở)?(?: vị trí)?\s*)?$", regex.IGNORECASE)


def opens_list_item(cand: Candidate) -> bool:
    """A position (rank.position) that opens an item of a results list ("…, xếp thứ nhì Bộ
    Tư pháp (90,6%)"): its holder is named right after it, though an entity earlier in
    the sentence holds another item."""
    sent = cand.sentence
    return cand.rule.id == "rank.position" and \
        _LIST_ITEM_RANK.search(sent.text, 0, cand.start - sent.start) is not None
