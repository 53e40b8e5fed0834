"""Subject: whom or what a figure is about.

The subject is decided by ONE ordered chain, :data:`SUBJECT_STRATEGIES`: each strategy
looks in one place, the first that finds a mention decides, and its name is recorded
in the fact's ``evidence["subject_rule"]`` so that ``newsfacts explain`` and an audit
can say why a subject was given. The strategies' first docstring paragraphs are the
README's numbered list (a test keeps the two the same). Nearest evidence comes first:
a figure's own words, then its clause, then the article.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import regex

from ..entities import (
    GROUPS,
    Mention,
    find_mentions,
    population_value,
    resolve_refs,
)
from ..extract import Candidate
from ..roles import ISSUER_BEFORE
from . import owners
from .article import expand_subject, main_subject
from .circles import Circles
from .clauses import clause_span, frames, opens_list_item
from .headings import Openers
from .lists import respective, same_head_before
from .measures import measure_owner
from .names import own_unit, with_acronyms, with_listed_names, with_places, with_unit_names
from .owners import framed_level, issues_document, ranks_within, unnamed_province
from .populations import by_head_population, by_named_population, by_share_base
from .spans import Mentions, ending_at, last_ending_by, starting, within
from .words import alternation, patterns


class _Patterns(NamedTuple):
    owner_after: regex.Pattern[str]
    adjacent: regex.Pattern[str]
    inside_before: regex.Pattern[str]
    part_lead: regex.Pattern[str]


def _patterns() -> _Patterns:
    """This module's patterns, built from the active words once (see ``words``)."""
    return patterns(__name__, _build_patterns)


def _build_patterns() -> _Patterns:
    """The patterns made of the words in ``rules/lexicons/linking.yaml``, built on first use."""
    w = alternation
    return _Patterns(
        owner_after=regex.compile(rf"^\s*(?:{w('owners_after')})\s+$", regex.IGNORECASE),
        adjacent=regex.compile(
            rf"\s*:?\s*(?:(?:{w('adjacent_adverbs')}) )*(?:{w('adjacent_links')})?\s*"
            rf"(?:(?<=\s)(?:{w('adjacent_approximations')}) )?\(?$", regex.IGNORECASE),
        # "DN tư nhân trong nền kinh tế chiếm 96%": a mention inside a phrase is not its head.
        inside_before=regex.compile(rf"(?<!\p{{L}})(?:{w('inside_before')})\s+$", regex.IGNORECASE),
        # A list part after a comma that opens with its own entity: "Ngân hàng Nhà nước dẫn đầu
        # với 91,9 điểm, Bộ Tư pháp đứng thứ hai với 90,3 điểm".
        # … also after a list number: "(5) Sở X đạt 88%, (6) Ban Quản lý Y … đạt 86%"
        part_lead=regex.compile(rf"\s*(?:\(?\d{{1,2}}[.)]\s*)?(?:(?:{w('part_leads')}) )?", regex.IGNORECASE),
    )


# A subject and the circle it was found in ("sentence", "title", …), as evidence records it.
Found = tuple[Mention, str]


class Subject(NamedTuple):
    """The subject a fact is given: its name and id, where it was found, and which
    strategy of :data:`SUBJECT_STRATEGIES` decided."""

    name: str
    id: str | None
    found_in: str
    rule: str


@dataclass(frozen=True)
class SubjectStrategy:
    """One place to look for a subject: ``find`` returns the subject and its circle, or
    None to let the next strategy look."""

    name: str
    find: Callable[[SubjectScene, Candidate], Found | None]

    @property
    def summary(self) -> str:
        """The first paragraph of ``find``'s docstring, on one line: the README's entry."""
        doc = inspect.getdoc(self.find) or ""
        return " ".join(doc.split("\n\n", 1)[0].split())


# Aggregates ("63 tỉnh, thành phố") and "cả nước" own their own clauses' figures, never a
# whole article's: an article about one province says "cả nước" for comparison. "Toàn tỉnh"
# is the province itself, what a provincial paper that never names it writes about.
_NEVER_MAIN = frozenset({"agg", "nation"})
_WHOLE_UNIT = frozenset({"toàn tỉnh", "toàn thành phố"})
# Bodies and places that a measure can be "of" or "at" ("tỷ lệ hồ sơ trực tuyến tại huyện X").
_PLACED_KINDS = frozenset({"prov", "local", "dept", "ministry", "org"})
_AGENT_KINDS = _PLACED_KINDS | {"country"}  # "đứng trên Indonesia (thứ 73)": Indonesia's
_AT_BEFORE = regex.compile(r"(?<!\p{L})(?:tại|ở)\s*$", regex.IGNORECASE)


def _placed_in_title(m: Mention, text: str, circles: Circles) -> bool:
    """"1.400 TTHC giải quyết tại Trung tâm hành chính công tỉnh" as a title: the body a
    report is "at" is what the article is about, though in a sentence it is only a place."""
    return m.end <= circles.title_end and m.value.kind in _PLACED_KINDS \
        and _AT_BEFORE.search(text, max(0, m.start - 6), m.start) is not None


class SubjectScene:
    """What the strategies look at in one article: its entities (short references
    resolved), the frames that open sentences, the main entity, the "lần lượt" lists,
    and the subject of the figure before (for a parenthesis that names no one)."""

    def __init__(self, text: str, circles: Circles, entities: list[Mention],
                 winners: list[Candidate], population_pattern: Any) -> None:
        self.text = text
        entities = with_acronyms(with_places(with_unit_names(with_listed_names(entities, text), text), text), text)
        self.population_pattern = population_pattern  # Resources.vocab.population
        self.circles = circles
        self.main = main_subject([m for m in entities if m.value.text and not issues_document(m, text)
                                   and (not m.value.agent or _placed_in_title(m, text, circles))
                                   and (m.value.kind not in _NEVER_MAIN or m.value.text.lower() in _WHOLE_UNIT)
                                   and m.value.text.lower() not in GROUPS],
                                  circles)
        self.frames = Mentions(frames(entities, text))
        self.placed = Mentions(m for m in entities if m.value.agent and m.value.text and m.value.kind in _AGENT_KINDS)
        self.entities = Mentions(resolve_refs(entities, self.main))
        self.names_place = any(m.value.kind in ("prov", "local") or m.value.place is not None for m in self.entities)
        self.openers = Openers(text, self.entities, circles.title_end)
        self.respective = respective(winners, self.entities)
        self.previous: tuple[Candidate, Mention] | None = None  # last figure's in-sentence subject
        self._populations: list[Mention] | None = None
        self.index: str | None = None  # the index of the figure being linked
        self.last: tuple[Candidate, Mention] | None = None  # the last subject found in a sentence
        self._owners: dict[int, set[str]] = {}  # sentence start -> the subjects its figures were given there

    def listed(self, sentence_start: int) -> bool:
        """Whether the figures of the sentence at ``sentence_start`` went to more than one
        subject named in it: a list ("Sở A 8 hồ sơ, Sở B 17 hồ sơ"), not one topic."""
        return len(self._owners.get(sentence_start, ())) > 1

    @property
    def populations(self) -> list[Mention]:
        """Populations ("doanh nghiệp", "người dân"): looked for only when a share needs them."""
        if self._populations is None:
            self._populations = Mentions(find_mentions(self.population_pattern, self.text, population_value))
        return self._populations

    def subject_of(self, cand: Candidate, index: str | None = None) -> Subject | None:
        """The first strategy that finds a subject decides; a short reference ("đơn vị")
        is named by the full mention it stands for, and a short form is expanded to the
        fullest form the article uses."""
        found, rule = None, None
        self.index = index
        for strategy in SUBJECT_STRATEGIES:
            found = strategy.find(self, cand)
            if found is not None:
                rule = strategy.name
                found = framed_level(self, cand, found)
                break
        self.previous = (cand, found[0]) if found is not None and found[1] == "sentence" else None
        if found is not None and found[1] == "sentence":
            self.last = (cand, found[0])
            value = found[0].value
            self._owners.setdefault(cand.sentence.start, set()).add(value.id or value.text.lower())
        if found is None or rule is None:
            return None
        subject, how = found
        if how == "sentence" and subject.via is not None:
            how = _reference_evidence(subject.via, cand, self.circles)
        name, sid = subject.value.text, subject.value.id
        if subject.value.kind != "population":  # "doanh nghiệp" is not "doanh nghiệp tư nhân"
            name, sid = expand_subject(name, sid, self.entities)
        return Subject(name, sid, how, rule)


def _reference_evidence(full: Mention, cand: Candidate, circles: Circles) -> str:
    """Where the full mention behind a short reference was found ("Năm 2023, đơn vị đạt …"
    under a title naming the body: the subject comes from the title)."""
    if full.end <= circles.title_end < cand.sentence.start:
        return "title"
    return "previous_sentence" if full.start < cand.sentence.start else "sentence"


def _by_respectively(scene: SubjectScene, cand: Candidate) -> Found | None:
    """figures after "lần lượt" go to the entities listed before it, in order ("Hà Nội,
    TP.HCM và Đà Nẵng lần lượt đạt 85%, 82% và 80%");"""
    subject = scene.respective.get(cand.start)
    return (subject, "sentence") if subject is not None else None


# --------------------------------------------------------------------------- the figure's own words
# "Xếp thứ hai trong PAPI 2020 là Đồng Tháp", "Vị trí thứ 3 … thuộc về TP.Huế", "đứng đầu
# trong khối các bộ, ngành là Bộ Tài chính" (a scope's "bộ, ngành" is one noun phrase), "dẫn đầu vẫn là …".
# A top group's members: "có 5 đơn vị dẫn đầu, gồm: Bộ KH&ĐT, …", "3 vị trí dẫn đầu lần
# lượt thuộc về …" (the first member stands for the group); a title right before its
# holder: "á quân Đồng Tháp".
_HOLDER_AFTER = regex.compile(
    r"^\s*(?:(?:trong|tại|ở|của|về|năm|xếp hạng|chỉ số|bảng xếp hạng|cuối bảng|cuối cùng)(?:\s(?:[^,;.()]|,\s(?=\p{Ll})){0,50}?)?\s+)?,?\s*(?:lần lượt\s+|vẫn\s+|tiếp tục\s+)?"
    r"(?:là|thuộc về|gồm|bao gồm)\s*:?\s+(?:khu vực\s+)?$",  # "Đứng thứ hai là khu vực Đông Nam Bộ"
    regex.IGNORECASE)
_TITLE = regex.compile(r"(?:á quân|quán quân)$", regex.IGNORECASE)
_SCOPE_THEN_HOLDER = regex.compile(r"\s+(?:là|thuộc về)\s", regex.IGNORECASE)
_HOLDER_INSIDE = regex.compile(r"thứ \S+\s+(?:là|thuộc về)\s+$", regex.IGNORECASE)
_TITLE_HOLDER = regex.compile(r"^\s+$")
_OF_SCOPE = regex.compile(r"^\s*(?:của|thuộc)\s+$", regex.IGNORECASE)
_SCOPED = regex.compile(r"(?<!\p{L})(?:trong|trên|giữa)(?: (?:số|tổng số))?\s|/", regex.IGNORECASE)


def _by_owner_after(scene: SubjectScene, cand: Candidate) -> Found | None:
    """an owner written right after the figure ("48% ở Indonesia"; for a rank "Xếp cuối
    bảng là tỉnh Kon Tum");

    Only the first entity after the figure is tried: one further on owns another figure
    ("… so với 48% ở Indonesia, 21% ở Thái Lan")."""
    end = cand.sentence.end
    owner_after = _patterns().owner_after
    owner: tuple[regex.Pattern[str], ...] = (owner_after,)
    opens = False
    if cand.rule.kind == "rank":
        # "á quân Đồng Tháp", and a rank opening its clause: "…; đứng thứ 2 tỉnh Thái Nguyên đạt 90,29%"
        start = clause_span(cand)[0]
        opens = not starting(scene.entities, start, cand.start) or opens_list_item(cand)
        owner = (owner_after, _HOLDER_AFTER, _TITLE_HOLDER) \
            if opens or _TITLE.search(scene.text, cand.start, cand.end) else (owner_after, _HOLDER_AFTER)
    reach = 60 if cand.rule.kind == "rank" else 12
    for m in starting(scene.entities, cand.start, cand.end + reach + 1):
        if cand.rule.kind == "rank" and opens and cand.start < m.start < cand.end < m.end <= end:
            return m, "sentence"  # "đứng thứ 2 tỉnh Thái Nguyên": the rank took the name's first word
        if cand.rule.kind == "rank" and opens and cand.start < m.start and m.end <= cand.end \
                and _HOLDER_INSIDE.match(scene.text, cand.start, m.start):
            return m, "sentence"  # "Đứng thứ 7 là An Giang (63,4 điểm), tăng 2 bậc": the rank took its holder
        if cand.end <= m.start <= cand.end + reach and m.end <= end:
            between = cand.sentence.text[cand.end - cand.sentence.start: m.start - cand.sentence.start]
            if ")" in scene.text[cand.start:m.start] and _in_brackets(scene.text, cand):
                break  # "Cao Bằng (78,9%, xếp thứ 61) trong các tỉnh …": the name before the brackets owns it
            if cand.rule.kind == "rank" and _OF_SCOPE.match(between) and _SCOPED.search(scene.text, cand.start, cand.end) \
                    and m.value.kind != "country":  # "47 trên 127 quốc gia của Việt Nam": the country is ranked
                break  # "xếp thứ bảy trong số tám huyện, thành phố của tỉnh Lai Châu": the scope's owner
            if any(p.match(between) for p in owner):
                return m, "sentence"
            if _OPENS_BRACKET.fullmatch(between) and _CLOSES_BRACKET.match(scene.text, m.end) \
                    and m.value.kind not in _NEVER_MAIN:
                return m, "sentence"  # "điểm số cao nhất là 98,6 điểm (Sở Công Thương)": the name alone in brackets
            if cand.rule.kind == "rank" and (m.value.kind == "agg" or m.text.islower()) \
                    and _SCOPE_THEN_HOLDER.match(scene.text, m.end):
                continue  # "đứng đầu trong khối các địa phương là Hải Dương", "… trong khối sở là Sở X": the scope, then the holder
            break
    return None


def _in_brackets(text: str, cand: Candidate) -> bool:
    """Whether the figure stands inside brackets opened in its sentence."""
    opened = text.rfind("(", cand.sentence.start, cand.start)
    return opened >= 0 and ")" not in text[opened:cand.start]


# A name alone in the brackets right after a figure owns it: "… là 98,6 điểm (Sở Công Thương)".
_OPENS_BRACKET = regex.compile(r"\s*\(\s*")
# (the name may go on past the mention in capitalised words: "UBND huyện" + "Lâm Hà")
_CLOSES_BRACKET = regex.compile(r"(?: (?-i:[\p{Lu}Đ][\p{L}]*)){0,4}\s*\)")


# "kết nối cơ chế một cửa quốc gia với 37 thủ tục": after a sector "với" is "with", not "at".
_WITH = regex.compile(r"(?<!\p{L})với(?!\p{L})", regex.IGNORECASE)


def _by_adjacent(scene: SubjectScene, cand: Candidate) -> Found | None:
    """an entity right before the figure ("Trung Quốc là 4,3%", "của nền kinh tế chỉ đạt 6,21%",
    "Quảng Ninh (77,70%)");"""
    sent = cand.sentence
    before = within(scene.entities, sent.start, cand.start)
    p = _patterns()
    if before and p.adjacent.match(sent.text, before[-1].end - sent.start, cand.start - sent.start) \
            and not (before[-1].value.kind == "sector" and _WITH.search(scene.text, before[-1].end, cand.start)) \
            and not p.inside_before.search(sent.text, max(0, before[-1].start - sent.start - 8),
                                          before[-1].start - sent.start):
        return before[-1], "sentence"
    return None


def _by_aside(scene: SubjectScene, cand: Candidate) -> Found | None:
    """in a parenthesis that names no one, the subject of the figure before it ("… chỉ
    đạt 6,21% (không đạt mục tiêu đề ra là 6,7%)");"""
    previous = scene.previous
    if previous is None or previous[0].sentence is not cand.sentence:
        return None
    sent = cand.sentence
    head = sent.text[previous[0].end - sent.start: cand.start - sent.start]
    opened = head.rfind("(")
    if opened < 0 or ")" in head[opened:]:
        return None
    start = previous[0].end + opened
    if starting(scene.entities, start, cand.start) or within(scene.entities, previous[0].end, start):
        return None  # "…; huyện C là nơi cao nhất (9,98%)": a unit named before the parenthesis opened
    return previous[1], "sentence"


# --------------------------------------------------------------------------- the figure's clause
# "…của tỉnh Hà Tĩnh, thị xã Hồng Lĩnh xếp thứ nhất": the entity after the comma has a
# verb of its own, so it opens a part rather than continuing a list of names.
_OWN_VERB = regex.compile(r"\s+(?:đã |vẫn |tiếp tục |cũng )?(?:xếp|đứng|đạt|dẫn đầu|giữ|giành|vươn lên|tụt|có|với)(?!\p{L})",
                          regex.IGNORECASE)


def _by_part_opener(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the entity opening the figure's comma-separated part ("A dẫn đầu với 90,8 điểm, B
    đứng thứ hai với 89,9 điểm");"""
    entities, sent = scene.entities, cand.sentence
    start = clause_span(cand)[0] - sent.start
    comma = sent.text.rfind(", ", start, cand.start - sent.start)
    if comma < 0:
        return None
    first = next(iter(within(entities, sent.start + comma + 1, cand.start)), None)
    if first is None or not _patterns().part_lead.fullmatch(sent.text, comma + 1, first.start - sent.start):
        return None
    if (ending_at(entities, sent.start + comma) or same_head_before(first, sent.text[:comma])) \
            and not _OWN_VERB.match(scene.text, first.end):
        return None  # "Cà Mau, Cao Bằng, Điện Biên giảm 40%", "cấp huyện, cấp xã tiếp nhận …": one list
    return first, "sentence"


def _clause_subject(entities: list[Mention], cand: Candidate, *, continued: bool) -> Found | None:
    """Vietnamese puts the topic first: the first entity of the figure's clause (or, with
    ``continued``, of the clause it continues), not the issuer of a document."""
    start, stop = clause_span(cand, continued=continued)
    text, offset = cand.sentence.text, cand.sentence.start
    inside = [m for m in within(entities, start, stop)
              if not ISSUER_BEFORE.search(text, max(0, m.start - offset - 40), m.start - offset)
              and not _in_closed_aside(text, m.start - offset, m.end - offset, cand.start - offset)
              and not ranks_within(cand, m, text, offset)]
    # "Chính phủ đặt mục tiêu đến năm 2025 Việt Nam thuộc nhóm 50 nước …": the country is ranked
    country = next((m for m in inside[1:] if m.value.kind == "country"), None) if inside else None
    if country is not None and inside[0].value.id == "GOV":
        return country, "sentence"
    unit = own_unit(inside)
    if unit is not None:
        return unit, "sentence"
    return (inside[0], "sentence") if inside else None


def _in_closed_aside(text: str, start: int, end: int, figure: int) -> bool:
    """Whether a mention sits in a parenthesis closed before the figure: "đạt 43,8 điểm
    (cao hơn trung bình cả nước 1,5 điểm), xếp hạng 14/63" is not about "cả nước"."""
    opened = text.rfind("(", 0, start)
    if opened <= text.rfind(")", 0, start):
        return False
    closed = text.find(")", end)
    return closed != -1 and closed < figure


def _by_measure_owner(scene: SubjectScene, cand: Candidate) -> Found | None:
    """for a share, a count or an index value, the place or body its measure is of or at
    ("Tỷ lệ hồ sơ trực tuyến tại huyện Gò Công Tây đạt 74,35%", "số hồ sơ trễ hạn của tỉnh
    Gia Lai", "30% hồ sơ đất đai tại huyện Đông Anh");

    Only when the clause does not open with a subject of its own: the measure comes first
    and its owner follows it after "của", "tại", "ở" (see ``measures``)."""
    if cand.rule.kind == "rank":
        return None
    owner = measure_owner(cand, scene.text, scene.placed, scene.entities, _PLACED_KINDS)
    return (owner, "sentence") if owner is not None else None


def _by_clause_subject(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the first entity of the figure's clause — not an agent after "được/do/bởi/tại" nor
    the issuer of a document ("theo Đề án của tỉnh");"""
    return _clause_subject(scene.entities, cand, continued=False)


def _by_frame(scene: SubjectScene, cand: Candidate) -> Found | None:
    """a place that opens the sentence ("Tại Trà Vinh, …");

    Tried after the clause: "Tại Hà Tĩnh, Sở Tư pháp đạt …" is about the department."""
    framed = within(scene.frames, cand.sentence.start, cand.start)
    return (framed[-1], "sentence") if framed else None


def _by_continued_clause(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the clause that a "thì", "trong đó" or a report ("… cho biết") continues, and for a
    list item the clause that introduces the list ("Sở Tư pháp có nhiều chỉ số đạt cao
    như: …");

    "Lào Cai … cao nhất cả nước thì năm nay xếp thứ 50": the clause after "thì" has no
    subject of its own. Opinions and findings ("cho rằng", "cho thấy") are not continued."""
    return _clause_subject(scene.entities, cand, continued=True)


# --------------------------------------------------------------------------- the article
def _by_main_subject(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the article's main entity (most mentioned, title and lead counting triple);

    A provincial paper's report may name no body or place at all but "trên địa bàn tỉnh",
    "của tỉnh": that unnamed province is the article's entity, before a sector named once
    in passing (see ``owners.unnamed_province``)."""
    main = scene.main
    if main is None or main.value.kind == "sector":
        province = unnamed_province(scene)
        if province is not None:
            return province, "paragraph"
    if main is None:
        return None
    return main, "title" if main.end <= max(scene.circles.title_end, 1) else "paragraph"


def _by_previous_figure(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the subject of the figure before it in the same sentence, when its own clause names
    no one ("chỉ số PAR INDEX của tỉnh đạt 87,61 điểm …; chỉ số PCI đạt 69,03 điểm");

    A sentence that lists one subject's indexes clause by clause names the subject once."""
    last = scene.last
    if last is None or last[0].sentence is not cand.sentence or last[1].value.kind in ("sector", "population"):
        return None  # a sector or a population owns its own clause only ("kim ngạch xuất khẩu tăng 16,4%")
    return last[1], "sentence"


def _by_heading(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the unit named by the heading the figure stands under, or opening its list item
    ("Sở Công Thương" on a line of its own, "- Sở Tư pháp: 89,12 điểm, xếp thứ 1");

    A heading holds for the lines under it until the next heading, a heading that names
    no unit, or a list item; an item holds for its own line (see ``headings``)."""
    held = scene.openers.holding(cand.start, scene.main)
    if held is None:
        return None
    opener, how = held
    return opener, "list" if how == "item" else "sentence" if opener.start >= cand.sentence.start else "paragraph"


def _by_first_mention(scene: SubjectScene, cand: Candidate) -> Found | None:
    """the nearest entity named anywhere earlier in the article, else a place the figure's
    sentence names only as where it happens.

    Only reached when no entity weighs as the main one, e.g. when every entity is an
    agent or a group of countries."""
    earlier = last_ending_by(scene.entities, cand.start, lambda m: m.value.text.lower() not in GROUPS)
    if earlier is not None:
        return earlier, "previous_sentence"
    # "Phấn đấu … giảm 5% - 10% chi phí … tại tỉnh Hậu Giang": a place named only as where
    placed = [m for m in scene.placed if m.value.kind in ("prov", "local")
              and cand.sentence.start <= m.start and m.end <= cand.sentence.end]
    return (placed[0], "sentence") if placed else None


SUBJECT_STRATEGIES: tuple[SubjectStrategy, ...] = (
    SubjectStrategy("table_row", owners.by_table_row),
    SubjectStrategy("respectively", _by_respectively),
    SubjectStrategy("owner_after", _by_owner_after),
    SubjectStrategy("adjacent", _by_adjacent),
    SubjectStrategy("ranked_item", owners.by_ranked_item),
    SubjectStrategy("bracketed_agent", owners.by_bracketed_agent),
    SubjectStrategy("bracketed_list_name", owners.by_bracketed_list_name),
    SubjectStrategy("aside", _by_aside),
    SubjectStrategy("rank_before", owners.by_rank_before),
    SubjectStrategy("part_opener", _by_part_opener),
    SubjectStrategy("leading_figure", owners.by_leading_figure),
    SubjectStrategy("measure_owner", _by_measure_owner),
    SubjectStrategy("clause_subject", _by_clause_subject),
    SubjectStrategy("frame", _by_frame),
    SubjectStrategy("share_base", by_share_base),
    SubjectStrategy("head_population", by_head_population),
    SubjectStrategy("continued_clause", _by_continued_clause),
    SubjectStrategy("named_population", by_named_population),
    SubjectStrategy("bare_reference", owners.by_bare_reference),
    SubjectStrategy("previous_figure", _by_previous_figure),
    SubjectStrategy("paragraph_frame", owners.by_paragraph_frame),
    SubjectStrategy("previous_sentence", owners.by_previous_sentence),
    SubjectStrategy("consequence", owners.by_consequence),
    SubjectStrategy("heading", _by_heading),
    SubjectStrategy("ranked_country", owners.by_ranked_country),
    SubjectStrategy("main_subject", _by_main_subject),
    SubjectStrategy("first_mention", _by_first_mention),
)
"""The subject chain, nearest evidence first; the first strategy to find one decides."""


def subject_order_markdown() -> str:
    """The README's numbered list of :data:`SUBJECT_STRATEGIES`, one entry per strategy."""
    items = (f"{i}. `{s.name}`: {s.summary}" for i, s in enumerate(SUBJECT_STRATEGIES, 1))
    return "\n".join(textwrap.fill(item, width=90, subsequent_indent=" " * (item.index(" ") + 1))
                     for item in items)
