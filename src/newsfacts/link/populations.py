"""Populations as subjects: whom a share counts ("66% doanh nghiệp", "người dân").

A share's subject may be a population rather than a body or place, but a population
is also often just a modifier ("thuế thu nhập doanh nghiệp") or the pair a province's
service figures are for ("người dân, doanh nghiệp"). These tests tell the cases apart
for the subject chain.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

import regex

from ..entities import Mention
from ..extract import Candidate
from .clauses import LIST_JOINT, clause_span
from .spans import starting, within
from .words import alternation, patterns

# "66% trong số 11.000 doanh nghiệp", "2% tổng dư nợ tín dụng": what a share is of.
_SHARE_OF = regex.compile(r"\s*(?:(?:trong|trên) )?(?:tổng )?(?:số )?(?:\d[\d.,]* (?:nghìn |triệu )?)?(?:các |những )?",
                          regex.IGNORECASE)


class _Patterns(NamedTuple):
    share_verb: regex.Pattern[str]
    head_lead: regex.Pattern[str]
    population_mark: regex.Pattern[str]


def _patterns() -> _Patterns:
    """This module's patterns, built from the active words once (see ``words``)."""
    return patterns(__name__, _build_patterns)


def _build_patterns() -> _Patterns:
    """Built on first use from ``rules/lexicons/linking.yaml`` (see ``words``)."""
    w = alternation
    return _Patterns(
        # "… chiếm 96% tổng số DN": the share belongs to the clause's subject, not to its base.
        regex.compile(rf"(?:{w('share_verbs')})(?: (?:{w('share_verb_approximations')}))?\s*$",
                      regex.IGNORECASE),
        # A population heads its clause when nothing but a quantity stands between it and the
        # clause's start: "Doanh nghiệp kê khai …", "Có 9-11% doanh nghiệp …", "trong đó doanh
        # nghiệp đóng".
        regex.compile(
            rf"(?:^|[,;:(“\"]|\b(?:{w('joints')}|{w('speech_verbs_bare')}))\s*"
            rf"(?:có (?:(?:{w('head_approximations')}) )?\d[\d.,]*(?: ?[-–] ?\d[\d.,]*)? ?% (?:trong )?(?:số )?"
            rf"|(?:{w('head_quantifiers')}) )?$", regex.IGNORECASE),
        # A population named after one of these words is what it is ("thủ tục cho doanh
        # nghiệp", "các doanh nghiệp"); after a noun it only modifies it, and after "của" it
        # owns a measure of the body that serves it ("mức độ hài lòng của người dân").
        regex.compile(rf"(?<!\p{{L}})(?:{w('population_marks')})\s+$", regex.IGNORECASE),
    )


def counted_base(groups: tuple[list[Mention], ...], cand: Candidate) -> tuple[Mention, str] | None:
    """A share followed by the population or sector it counts is about that: '66% doanh
    nghiệp được hỏi', '36% DN Mỹ', 'thêm 2% tổng dư nợ tín dụng'. ``groups`` are mention
    lists, of which only what starts in the 30 characters after the share is looked at."""
    text, sent = cand.sentence.text, cand.sentence
    if _patterns().share_verb.search(text, max(0, cand.start - sent.start - 24), cand.start - sent.start):
        return None
    # … also a group of units: "100% các bộ, tỉnh, thành phố đều có chỉ số tăng"
    counted = [m for group in groups for m in starting(group, cand.end, cand.end + 31)
               if m.value.kind in ("population", "sector", "agg") and m.end <= sent.end
               and _SHARE_OF.fullmatch(text, cand.end - sent.start, m.start - sent.start)]
    return (min(counted, key=lambda m: m.start), "sentence") if counted else None


# A population followed by these is one item of a list ("đất đai, doanh nghiệp và hộ kinh doanh").
_LIST_ITEM_AFTER = regex.compile(r",|;| và ")


def _after_another(populations: list[Mention], m: Mention, text: str, offset: int) -> bool:
    """One population right after another ("người dân, doanh nghiệp") is the pair a
    province's service figures are for, not what they are about."""
    return any(LIST_JOINT.fullmatch(text, p.end - offset, m.start - offset)
               for p in within(populations, offset, m.start))


def _population_before(populations: list[Mention], cand: Candidate, start: int, lead: regex.Pattern[str],
                       window: int | None, nearest: bool) -> tuple[Mention, str] | None:
    """The nearest (or first) population between ``start`` and the figure whose preceding
    text (``window`` characters, or the whole sentence) ends as ``lead`` wants, and that is
    not one item of a list."""
    text, offset = cand.sentence.text, cand.sentence.start
    between = within(populations, start, cand.start)  # by bisection when it is a Mentions
    for m in reversed(between) if nearest else between:
        at = m.start - offset
        if lead.search(text, 0 if window is None else max(0, at - window), at) \
                and not _LIST_ITEM_AFTER.match(text, m.end - offset) \
                and not _after_another(populations, m, text, offset):
            return m, "sentence"
    return None


def head_population(populations: list[Mention], cand: Candidate) -> tuple[Mention, str] | None:
    """The nearest population before the figure that heads its clause."""
    return _population_before(populations, cand, cand.sentence.start, _patterns().head_lead, None,
                              nearest=True)


def named_population(populations: list[Mention], cand: Candidate) -> tuple[Mention, str] | None:
    """The first population of the (continued) clause that a marking word names as such."""
    start = clause_span(cand, continued=True)[0]
    return _population_before(populations, cand, start, _patterns().population_mark, 10,
                              nearest=False)


class _Scene(Protocol):
    """What the share strategies read of :class:`newsfacts.link.subject.SubjectScene`."""

    @property
    def populations(self) -> list[Mention]: ...
    @property
    def entities(self) -> list[Mention]: ...


# --------------------------------------------------------------------------- the chain's share strategies
def by_share_base(scene: _Scene, cand: Candidate) -> tuple[Mention, str] | None:
    """for a share, the population or sector it counts ("66% doanh nghiệp được hỏi", "2%
    tổng dư nợ tín dụng");"""
    if cand.rule.kind != "percentage":
        return None
    return counted_base((scene.populations, scene.entities), cand)


def by_head_population(scene: _Scene, cand: Candidate) -> tuple[Mention, str] | None:
    """for a share, a population heading the sentence ("Doanh nghiệp kê khai điện tử đạt
    99,64%");

    A sentence that names no agency, place or sector may still name whom its share counts
    ("Có 9-11% doanh nghiệp … cho biết các khoản chi phí … chiếm hơn 10%"); one inside a
    phrase ("thuế thu nhập doanh nghiệp 10%") does not head it."""
    if cand.rule.kind != "percentage":
        return None
    return head_population(scene.populations, cand)


def by_named_population(scene: _Scene, cand: Candidate) -> tuple[Mention, str] | None:
    """for a share whose clause names no one else, a population marked as such ("thủ tục
    cho doanh nghiệp", "các doanh nghiệp");

    The last resort within the sentence: "Tình trạng nhũng nhiễu khi giải quyết thủ tục
    cho doanh nghiệp … (giảm từ 65% …)"."""
    if cand.rule.kind != "percentage":
        return None
    return named_population(scene.populations, cand)
