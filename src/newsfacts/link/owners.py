"""Two more places a figure's subject is written, for :mod:`newsfacts.link.subject`.

Results articles name a unit beside its figure even where the unit plays another part
in the sentence ("xếp trên TP Hải Phòng (70,76 điểm)": ranked above it), and they open
a paragraph with its topic ("Đối với cấp tỉnh, …") and go on about it in sentences that
name no one ("Cả ba trụ cột đều tăng: Chính quyền số đạt 0,7582 …"). Both are looked
for here, apart from the chain's module, which stays under the house's size limit.
"""

from __future__ import annotations

from typing import Protocol

import regex

from ..entities import Mention
from ..extract import Candidate
from .circles import Circles
from .spans import within

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

# "xếp thứ 13 trong cả nước", "từ vị trí 15 lên 13 trong cả nước": the scope of a rank.
_NATION_SCOPE = regex.compile(r"(?<!\p{L})(?:trong|so với|giữa|trên)\s+$")


def ranks_within(cand: Candidate, m: Mention, text: str, offset: int = 0) -> bool:
    """Whether ``m`` is the whole country a rank is counted in, not the ranked unit ("tăng 2
    bậc, lên thứ 13 trong cả nước"); for a score or a share, "trong cả nước" is nationwide
    and may be what the figure is about."""
    return cand.rule.kind == "rank" and m.value.kind == "nation" \
        and _NATION_SCOPE.search(text, max(0, m.start - offset - 10), m.start - offset) is not None


# "TP Hải Phòng (70,76 điểm)", "Bộ Ngoại giao (+5,83%)", "Bắc Giang (91,16%, xếp thứ 4)": the
# figure is in a parenthesis opened right after a name.
_BRACKET_AFTER_NAME = regex.compile(r"\s*\(\s*(?:(?:đạt|với|là)\s+)?[+\-–−]?$", regex.IGNORECASE)
_OPENED = regex.compile(r"\s*\($")
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
    named = [*within(scene.placed, sent.start, opened + 1), *within(scene.entities, sent.start, opened + 1)]
    last = max(named, key=lambda m: m.end, default=None)
    if last is None or not _OPENED.fullmatch(scene.text, last.end, opened + 1):
        return None
    inside = scene.text[opened + 1: cand.start]
    if within(scene.entities, opened, cand.start) or not (_BRACKET_AFTER_NAME.fullmatch(scene.text, last.end, cand.start)
                                                           or _FIGURE_BEFORE.fullmatch(inside)):
        return None  # a name inside the parenthesis, or words other than a figure before this one
    return last, "sentence"


def by_paragraph_frame(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the topic that opened an earlier sentence of the figure's paragraph ("Đối với cấp
    tỉnh, …", "Ở khối huyện, …"), when no unit has been named since;

    A paragraph that opens with its topic goes on about it: "Đối với cấp tỉnh, giá trị
    DTI đạt 0,69. Cả ba trụ cột đều tăng: Chính quyền số đạt 0,75 …" is about the
    provinces, not about the city the title names."""
    sent = cand.sentence
    circles = scene.circles
    first = circles.sentence_of(cand.start)
    while first > 0 and circles.sentences[first - 1].paragraph == sent.paragraph \
            and circles.sentences[first - 1].start >= circles.title_end:
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
