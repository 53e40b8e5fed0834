"""Clauses: where the part of a sentence that a figure belongs to begins and ends.

Vietnamese puts the topic first, so the subject of a figure is usually the first
entity of its clause; an index or year named in the clause before a ";" belongs to
that clause's figures, not to the next one's. Clause boundaries, list intros and the
frames that open a sentence ("Tại Trà Vinh, …") are found here for the index and the
subject to share.
"""

from __future__ import annotations

import regex

from ..entities import Mention
from ..extract import Candidate

# A list announced inside the sentence: "thành phần gồm: …", "như: …", "chỉ số thành phần".
LIST_INTRO = regex.compile(r"(?:thành phần|như|gồm|cụ thể|trong đó)\s*:|chỉ số thành phần", regex.IGNORECASE)

# Entities or populations joined as one list: "Hà Nội, TP.HCM và Đà Nẵng".
LIST_JOINT = regex.compile(r"\s*(?:,|và|, và)\s*")

# Clause starts: after ";", ":", a full stop, or a verb of saying ("… cho biết, <clause>").
# Verbs that open reported content even without a comma, and joints that open a clause.
SPEECH_BARE = "cho biết|cho rằng|cho thấy|cho hay|khẳng định|nhấn mạnh"
JOINTS = "trong đó|trong khi|thì"
_CLAUSE_SEP = regex.compile(
    r"[;:]\s|\.\s|\b(?:cho biết|khẳng định|nhấn mạnh|thông tin|chia sẻ|cho hay|nhận định|"
    r"đánh giá|báo cáo|nêu rõ|phát biểu|nói)\s*[,:]\s"
    rf"|\b(?:{SPEECH_BARE})\s(?!,)|\b(?:{JOINTS})\s*,?\s"
    r"|\bvà\s(?=\d)",
    regex.IGNORECASE)
_SOURCE_LEAD = regex.compile(r"\s*(?:\([^)]*\)\s*-?\s*)?(?:theo|căn cứ|tại|qua)\b[^,;]*,", regex.IGNORECASE)


# Clause joints after which a clause without a subject of its own continues the one before:
# "A … thì năm nay xếp thứ 50", "… theo Đề án của tỉnh và 10 TTHC …", and reports ("Giám đốc Sở X cho biết, tỷ lệ … đạt 80%": the
# speaker's body owns its figures) but not opinions or findings ("cho rằng", "cho thấy").
_CONTINUING = regex.compile(r"(?:thì|trong khi|trong đó|cho biết|cho hay|thông tin|và)\s*,?\s$", regex.IGNORECASE)


def clause_span(cand: Candidate, *, continued: bool = False) -> tuple[int, int]:
    """Where the figure's clause begins, past a source lead ("Theo đánh giá của Hội đồng
    …,"), and where its subject must be named by (the figure). With ``continued``, a
    clause that opens with "thì", "trong khi" or "trong đó" is taken together with the
    clause before it, and an item of a list stands for the clause that introduces the
    list ("Sở Tư pháp có nhiều chỉ số đạt cao như: A đạt 14/14; B đạt 9,5/10")."""
    sent = cand.sentence
    head = sent.text[: cand.start - sent.start]
    seps = list(_CLAUSE_SEP.finditer(head))
    while continued and seps and _CONTINUING.search(seps[-1].group(0)):
        seps.pop()
    stop = cand.start
    intros = list(LIST_INTRO.finditer(head)) if continued else []
    if intros:
        seps = [sep for sep in seps if sep.end() <= intros[-1].start()]
        stop = sent.start + intros[-1].start()
    start = sent.start + (seps[-1].end() if seps else 0)
    source = _SOURCE_LEAD.match(sent.text, start - sent.start)
    if source and source.end() < stop - sent.start:
        start = sent.start + source.end()
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
    return [m for m in mentions if start <= m.start and m.end <= end]


# "Tại Trà Vinh, mức độ hài lòng chung đạt 84,5%": a place opening its sentence frames it.
_FRAME_BEFORE = regex.compile(r"(?:^|[.;:!?]\s+|\n\s*)(?:tại|ở|còn ở|riêng ở|riêng tại)\s+$", regex.IGNORECASE)


def frames(mentions: list[Mention], text: str) -> list[Mention]:
    """Places, bodies and ministries named as a sentence's frame: after "Tại"/"Ở" at the
    start of the sentence and before a comma. They are agents elsewhere ("tại Trung tâm"),
    so the frame copy is marked as no agent."""
    return [Mention(m.start, m.end, m.text, m.value._replace(agent=False)) for m in mentions
            if m.value.text and m.value.kind in ("prov", "local", "dept", "ministry")
            and text.startswith(",", m.end)
            and _FRAME_BEFORE.search(text, max(0, m.start - 20), m.start)]
