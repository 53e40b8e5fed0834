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

# "TP Hải Phòng (70,76 điểm)", "Bộ Tài chính (đạt 90,1%)": the figure opens a parenthesis
# right after the name.
_BRACKET_AFTER_NAME = regex.compile(r"\s*\(\s*(?:(?:đạt|với|là)\s+)?$", regex.IGNORECASE)


def by_bracketed_agent(scene: SubjectScene, cand: Candidate) -> Found | None:
    """a body or place written right before the parenthesis that holds the figure, even
    where it is not the sentence's subject ("xếp trên TP Hải Phòng (70,76 điểm)");

    Names after "trên", "với", "tại" are agents for the clause, but a figure in
    parentheses right after a name is that name's ("sau Quảng Ninh (72,95 điểm)")."""
    sent = cand.sentence
    named = within(scene.placed, sent.start, cand.start)
    if not named or not _BRACKET_AFTER_NAME.fullmatch(scene.text, named[-1].end, cand.start):
        return None
    return named[-1], "sentence"


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
