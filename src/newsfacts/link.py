"""Link: give every figure its subject, index, component and year.

A figure is rarely alone with its context: the province is named two
sentences earlier, the index only in the title, the year as "năm trước".
Each attribute is looked for in widening circles — the figure's own clause,
its sentence, the earlier sentences of its paragraph, the title — and the
circle it was found in is recorded as ``evidence`` so that an audit can
question it.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import regex

from .entities import (
    COUNTRIES,
    GROUPS,
    ISSUER_BEFORE,
    Mention,
    aggregate_pattern,
    aggregate_value,
    entity_value,
    find_mentions,
    index_value,
    population_pattern,
    population_value,
    resolve_refs,
    vocab,
    with_aggregates,
)
from .extract import Candidate
from .segment import Sentence

YEAR = regex.compile(
    r"(?:(?<=\b\d{1,2}[-/.]\d{1,2}[-/.])|(?<=(?:PCI|PAPI|INDEX|SIPAS|DTI|PAR|ICT)[ -])|(?<=(?:tháng|quý) [IV\d]{1,4}[-/])|(?<=\d{4} ?[-–] ?)"
    r"|(?<![\d/.,:–-]|: |ISO[^.;]{0,12}))"
    r"((?:19[89]|20[0-4])\d)(?!\d|/[\p{L}]|,\d|\.\d|%)"
    # "2023 tỷ đồng", "2024 hồ sơ" are amounts, but after "năm" it is a year ("năm 2023 tỷ lệ …")
    r"(?:(?<=năm \d{4})|(?! ?(?:tỷ|triệu|nghìn|ha|km|người|hồ sơ|TTHC|thủ tục|doanh nghiệp|DN|USD|đồng)\b))",
    regex.IGNORECASE,
)
_YEAR_GLUE = regex.compile(r"\s*(?:\(|trong |vào )?(?:năm )?$")
_BASELINE = regex.compile(r"(?:so với|hơn|thấp hơn|cao hơn|từ)(?: cùng kỳ)?(?: năm)?(?: \S+){0,1} ?$", regex.IGNORECASE)
_RELATIVE = regex.compile(r"(?:cùng kỳ năm trước|năm trước|năm ngoái|cùng kỳ)(?!\p{L})", regex.IGNORECASE)
_CURRENT = regex.compile(r"(?:năm nay|hiện nay|đến nay|hiện tại|hiện đang)(?!\p{L})", regex.IGNORECASE)


class Circles:
    """The sentences and paragraphs of one article, to look around a figure."""

    def __init__(self, text: str, sentences: list[Sentence], title: str | None) -> None:
        self.text = text
        self.sentences = sentences
        self.starts = [s.start for s in sentences]
        self.title = title
        self.title_end = len(title) if title and text.startswith(title) else 0

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)


_DOC_DATE = regex.compile(r"\S*/\S*\p{Lu}{2,}\S*,?\s+(?:ngày\s+)?(?:\d{1,2}[-/.]){2}$")


# A period ("từ năm 2014-2016", "từ 2016 đến 2035"): its years are not a "từ" baseline,
# and they describe their own sentence only, never the sentences after it.
_SPAN_START = regex.compile(r"\s*(?:[-–]|đến|tới)\s*(?:năm\s*)?(?:19|20)\d\d(?!\d)")
_SPAN_END = regex.compile(r"(?<!\d)(?:19|20)\d\d\s*(?:[-–]|đến|tới)\s*(?:năm\s*)?$")
_COMPARED = regex.compile(r"(?:so với|hơn|thấp hơn|cao hơn)(?: cùng kỳ)?(?: năm)?(?: \S+){0,1} ?$", regex.IGNORECASE)


# "công bố ngày 2/4/2024", "tháng 4/2024": when something happened; a score or rank in
# the same sentence belongs to the index year written beside it ("PAPI 2023").
_DATED = regex.compile(r"(?:\d{1,2}[-/.]\d{1,2}|tháng \d{1,2})[-/.]$", regex.IGNORECASE)
# "giảm so với mức 44,9% năm 2022": the year belongs to the baseline figure written before it.
_BASELINE_FIGURE = regex.compile(r"(?:so với|hơn|thấp hơn|cao hơn|từ)(?: mức| cùng kỳ)?\s*(?:\S+\s+){0,2}$",
                                 regex.IGNORECASE)


def _compared_years(winners: list[Candidate], years: list[Mention], text: str) -> dict[int, int]:
    """Years written right after a baseline figure, mapped to that figure's start: no
    other figure, in its sentence or after it, takes them."""
    owned: dict[int, int] = {}
    for cand in winners:
        if not _BASELINE_FIGURE.search(text, max(0, cand.start - 25), cand.start):
            continue
        for m in years:
            if cand.end <= m.start <= cand.end + 12 and _YEAR_GLUE.match(text, cand.end, m.start):
                owned[m.start] = cand.start
    return owned


def _is_dated(text: str, m: Mention) -> bool:
    return bool(_DATED.search(text, max(0, m.start - 9), m.start))


def _undated(years: list[Mention], circles: Circles) -> list[Mention]:
    """Years for scores and ranks: a sentence's dated years go when it has another (and
    they are never carried to other sentences, see ``link_candidates``)."""
    text = circles.text
    dated = {m.start for m in years if _is_dated(text, m)}
    keep_sentences = {circles.sentence_of(m.start) for m in years if m.start not in dated}
    return [m for m in years if m.start not in dated or circles.sentence_of(m.start) not in keep_sentences]


_HORIZON = regex.compile(r"tầm nhìn(?: đến)?(?: năm)?\s*$", regex.IGNORECASE)


def _stays_in_sentence(text: str, start: int, end: int) -> bool:
    """A period's years and a horizon ("tầm nhìn 2030") say nothing of later sentences."""
    before = text[max(0, start - 20): start]
    return bool(_SPAN_END.search(before) or _HORIZON.search(before) or _SPAN_START.match(text, end))


def _year_value(surface: str, m: Any) -> int | None:
    before = m.string[max(0, m.start() - 30): m.start()]
    end_of = _SPAN_END.search(before)
    if end_of is not None:
        before = before[: end_of.start()]  # "2014-2016": judged by what stands before 2014
    span = end_of is not None or _SPAN_START.match(m.string, m.end()) is not None
    if (_COMPARED if span else _BASELINE).search(before):
        return None  # "so với năm 2015": the comparison, not the figure's year
    if _DOC_DATE.search(m.string[max(0, m.start() - 60): m.start()]):
        return None  # "Thông tư số 02/2017/TT-VPCP ngày 31/10/2017": when a document was signed
    return int(surface)


def _pick(mentions: list[Mention], circles: Circles, cand: Candidate, *, after: bool = True,
          look_back: bool = True, paragraphs_back: int = 0,
          title: bool = True, before_pos: int | None = None, immediate: bool = False,
          carried: Any = None) -> tuple[Mention | None, str | None]:
    """Widening circles: with ``immediate``, a mention written right after the figure
    ("4,02% năm 2011"); the nearest mention before the figure in its sentence (or before
    ``before_pos``); after it in the sentence; earlier sentences of the paragraph (and
    up to ``paragraphs_back`` paragraphs before); the title. ``carried`` tells which
    mentions may be carried beyond their own sentence."""
    sent = cand.sentence
    right_after = [m for m in mentions if cand.end <= m.start <= cand.end + 12 and m.end <= sent.end
                   and _YEAR_GLUE.match(circles.text, cand.end, m.start)]
    if immediate and right_after:
        return right_after[0], "sentence"  # "4,02% năm 2011": the year written for this figure
    limit = cand.start if before_pos is None else min(cand.start, before_pos)
    before = [m for m in mentions if sent.start <= m.start and m.end <= limit]
    if before:
        return before[-1], "sentence"
    if after:
        found = [m for m in mentions if cand.end <= m.start and m.end <= sent.end]
        if found:
            return found[0], "sentence"
    idx = circles.sentence_of(cand.start)
    if look_back:
        for j in range(idx - 1, -1, -1):
            prev = circles.sentences[j]
            if prev.paragraph < sent.paragraph - paragraphs_back or prev.end <= circles.title_end:
                break
            inside = [m for m in mentions if prev.start <= m.start and m.end <= prev.end
                      and (carried is None or carried(m))]
            if inside:
                return inside[-1], "previous_sentence"
    if title and circles.title_end and sent.start >= circles.title_end:
        in_title = [m for m in mentions if m.end <= circles.title_end]
        if in_title:
            return in_title[0], "title"
    return None, None


def _expand_subject(name: str, sid: str | None, entities: list[Mention]) -> tuple[str, str | None]:
    """'Sở KH&CN' -> 'Sở KH&CN Hà Tĩnh' when the article names it in full somewhere."""
    best, best_id = name, sid
    low = name.lower()
    for m in entities:
        full, full_id = m.value.text, m.value.id
        if len(full) > len(best) and full.lower().startswith(low):
            best, best_id = full, full_id or best_id
    return best, best_id


_LIST_INTRO = regex.compile(r"(?:thành phần|như|gồm|cụ thể|trong đó)\s*:|chỉ số thành phần", regex.IGNORECASE)
_COMPONENT_CLAUSE = regex.compile(
    r"(?:^|[;:…]|\.\s|,\s(?=\p{Ll}))\s*([^;:…]{4,120}?)\s+(?:đạt|được|là)\s+(?:điểm\s+(?:tối đa\s+)?)?$")


# What is not part of a component's name: "Chỉ số thành phần … của tỉnh chỉ đạt 3,2 điểm".
_COMPONENT_TRIM = regex.compile(
    r"^(?:(?:trong đó|cụ thể|ngoài ra|bên cạnh đó|đặc biệt|riêng)\s*,?\s*)?"
    r"(?:(?:như|gồm|các|lĩnh vực|chỉ số|chỉ tiêu)\s+)*(?:(?:thành phần|nội dung)\s+)?"
    r"|(?:\s+(?:của|ở) (?:tỉnh|thành phố|huyện|sở|đơn vị|bộ)(?: này)?)?(?:\s+(?:chỉ|đã|vẫn|cũng|mới|đều))*$",
    regex.IGNORECASE)


def _component(cand: Candidate, index_code: str | None) -> tuple[str | None, str | None]:
    """A component named just before a score in a list: "cải cách TTHC đạt 13,969/14"."""
    if cand.rule.kind != "score":
        return None, None
    before = cand.sentence.text[: cand.start - cand.sentence.start]
    m = _COMPONENT_CLAUSE.search(before)
    if not m:
        return None, None
    phrase = _COMPONENT_TRIM.sub("", m.group(1).strip(" ,"))
    known = vocab().lex.component_of(phrase, index_code) if index_code else None
    listed = _LIST_INTRO.search(before) is not None
    if known or listed:
        return phrase, "list" if listed else "sentence"
    return None, None


_MEASURE_STOP = regex.compile(r"[.;:()“”\"…]|, (?=\d|trong|còn|nhưng|so|tăng|giảm)| (?:so với|trong khi|trong đó|và|nhưng|còn|thì|là|với|đạt|tăng|giảm|so|của cả nước)\b")
_NOT_A_NOUN = regex.compile(r"^(?:so|trong|và|là|đạt|tăng|giảm|trở lên|trên|dưới|của|cho|ở|tại|với|thì|nhưng|còn|từ|đến|/)\b")
_CLAUSE_START = regex.compile(r"(?:^|[,;:(“\"]|\bthì\b)\s*(?:hiện nay,?\s*|đến nay,?\s*)?([^,;:(“\"]*)$")
_VERB_TAIL = regex.compile(r"\s+(?:(?:đã |đều |chỉ |mới |ước |vẫn |cũng )?(?:đạt|là|chiếm|tăng|giảm|ở mức|bằng|lên|xuống|còn)(?: tới| đến| được)?|có tới|có)(?: (?:trên|hơn|dưới|gần|khoảng|tối thiểu|ít nhất))?\s*$")


def _measure(cand: Candidate) -> str | None:
    """The noun phrase a percentage is of: after it ("95% văn bản được …"), else the
    clause before its verb ("Tỷ lệ hồ sơ … đạt 95%")."""
    sent, rel = cand.sentence.text, cand.end - cand.sentence.start
    after = sent[rel:].strip()
    if after and not _NOT_A_NOUN.match(after.lower()):
        stop = _MEASURE_STOP.search(after)
        phrase = " ".join((after[: stop.start()] if stop else after).split()[:14]).strip(" ,")
        if 2 <= len(phrase) <= 120:
            return phrase
    before = sent[: cand.start - cand.sentence.start]
    tail = _VERB_TAIL.search(before)
    end = tail.start() if tail else len(regex.sub(r"\s*(?:trên|hơn|dưới|gần|khoảng|tối thiểu)?\s*$", "", before))
    if end:
        clause = _CLAUSE_START.search(before[:end])
        phrase = clause.group(1).strip() if clause else ""
        if 2 <= len(phrase) <= 120:
            return phrase
    return None


_RELATIVE_AFTER = regex.compile(r"\s*(?:\)|,)?\s*(?:của |so với |trong )?(?:cùng kỳ năm trước|cùng kỳ năm ngoái|năm trước|năm ngoái)(?!\p{L})", regex.IGNORECASE)


def _relative_year(cand: Candidate, year: int | None) -> int | None:
    """'cùng kỳ năm trước tăng 7,34%', 'mức 5,5% của cùng kỳ năm ngoái' in a 2017 clause -> 2016."""
    if year is None:
        return None
    rel_start = cand.sentence.start
    before = cand.sentence.text[: cand.start - rel_start][-40:]
    rel = list(_RELATIVE.finditer(before))
    if rel and not _BASELINE.search(before[: rel[-1].start()]):
        return year - 1
    after = _RELATIVE_AFTER.match(cand.sentence.text, cand.end - rel_start)
    if after and "so với" not in after.group(0):
        return year - 1
    return None


def _year_in_force(years: list[Mention], circles: Circles) -> Mention | None:
    """The article's own year: the one its title or lead paragraph states, else the most
    mentioned, the latest on a tie."""
    lead = next((s.paragraph for s in circles.sentences if s.start >= circles.title_end), None)
    for m in years:
        j = circles.sentence_of(m.start)
        if m.end <= circles.title_end or (circles.sentences and circles.sentences[j].paragraph == lead):
            return m
    counts: dict[int, int] = {}
    for m in years:
        counts[m.value] = counts.get(m.value, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda y: (counts[y], y))
    return next(m for m in years if m.value == best)


def _published_year(published: str | None) -> int | None:
    m = regex.search(r"(19|20)\d\d", published or "")
    return int(m.group(0)) if m else None


def _same_clause(mentions: list[Mention], cand: Candidate) -> list[Mention]:
    """Mentions in the figure's clause only: a count or percentage after ';' belongs to
    what that clause is about, not to an index named in the clause before."""
    sent = cand.sentence
    head = sent.text[: cand.start - sent.start]
    start = sent.start + max(head.rfind(";"), head.rfind(":")) + 1
    tail = sent.text[cand.end - sent.start:]
    stops = [i for i in (tail.find(";"), tail.find(":")) if i >= 0]
    end = cand.end + min(stops) if stops else sent.end
    return [m for m in mentions if start <= m.start and m.end <= end]


def _main_subject(entities: list[Mention], circles: Circles) -> Mention | None:
    """The entity the article is about: most mentioned, title and lead counting triple."""
    lead_end = circles.sentences[min(len(circles.sentences), 3) - 1].end if circles.sentences else 0
    weight: dict[str, float] = {}
    first: dict[str, Mention] = {}
    for m in entities:
        name, sid = m.value.text, m.value.id
        key = sid or name.lower()
        w = 3.0 if m.start < max(lead_end, circles.title_end) else 1.0
        weight[key] = weight.get(key, 0.0) + (w / 3 if name in COUNTRIES else w)
        if key not in first or len(name) > len(first[key].value.text):
            first[key] = m
    if not weight:
        return None
    best = max(weight, key=lambda k: (weight[k], -first[k].start))
    chosen = first[best]
    # "Bắc Ninh" in the title, "UBND tỉnh Bắc Ninh" in the text: name it "tỉnh Bắc Ninh"
    fuller = [m.value.place.text for m in entities if m.value.place is not None
              and m.value.place.id == chosen.value.id and len(m.value.place.text) > len(chosen.value.text)]
    if chosen.value.id and fuller:
        chosen = Mention(chosen.start, chosen.end, chosen.text, chosen.value._replace(text=max(fuller, key=len)))
    return chosen


def link_candidates(winners: list[Candidate], text: str, sentences: list[Sentence],
                    title: str | None, published: str | None) -> list[dict[str, Any]]:
    """Fact dicts (ready for validation) with linked attributes and evidence."""
    if not winners:
        return []
    circles = Circles(text, sentences, title)
    years = find_mentions(YEAR, text, _year_value)
    v = vocab()
    entities = with_aggregates(find_mentions(v.entity, text, entity_value, v.starts),
                               find_mentions(aggregate_pattern(), text, aggregate_value))
    indexes = find_mentions(v.index, text, index_value)
    main = _main_subject([m for m in entities if m.value.text and not m.value.agent
                          and m.value.kind != "agg" and m.value.text.lower() not in GROUPS], circles)
    frames = _frames(entities, text)
    entities = resolve_refs(entities, main)
    in_force = _year_in_force(years, circles)
    index_years = _undated(years, circles)
    compared = _compared_years(winners, years, text)

    def carried_any(m: Mention) -> bool:
        return not _stays_in_sentence(text, m.start, m.end)

    def carried_ranked(m: Mention) -> bool:
        return carried_any(m) and not _is_dated(text, m)

    populations: list[Mention] | None = None  # only looked for when a share needs them
    previous: tuple[Candidate, Mention] | None = None  # the last figure's subject in its sentence
    respective = _respective(winners, entities)
    facts: list[dict[str, Any]] = []
    for cand in winners:
        fact: dict[str, Any] = {
            "kind": cand.rule.kind,
            "text": text[cand.start:cand.end],
            "span": (cand.start, cand.end),
            "sentence": cand.sentence.text,
            "rule": cand.rule.id,
            **cand.fields,
        }
        evidence: dict[str, str] = {}
        if cand.rule.kind == "percentage" and fact.get("measure") is None:
            fact["measure"] = _measure(cand)
        ranked = cand.rule.kind in ("score", "rank")
        intro = _LIST_INTRO.search(cand.sentence.text)
        in_list = ranked and intro is not None and intro.end() <= cand.start - cand.sentence.start
        list_start = cand.sentence.start + intro.start() if in_list and intro else None
        near = indexes if ranked else _same_clause(indexes, cand)
        index, how = _pick(near, circles, cand, after=not in_list, look_back=ranked,
                           paragraphs_back=1 if in_list else 0, title=ranked, before_pos=list_start)
        if index is not None and how is not None:
            fact["index"], evidence["index"] = index.value, how
        component, how = _component(cand, fact.get("index"))
        if component and how:
            fact["component"], evidence["component"] = component, how
        usable = [m for m in (index_years if ranked else years)
                  if compared.get(m.start, cand.start) == cand.start]
        year, how = _pick(usable, circles, cand, paragraphs_back=1 if ranked else 0, immediate=True,
                          carried=carried_ranked if ranked else carried_any)
        current = _published_year(published) if _CURRENT.search(cand.sentence.text) else None
        if how != "sentence" and current is not None:
            year, how = None, "publication_date"  # "hiện nay", "năm nay" with no year of its own
        elif year is None and in_force is not None:
            year, how = in_force, "article"
        value = year.value if year is not None else current
        relative = _relative_year(cand, value)
        if relative is not None:
            value = relative
        if value is not None and how is not None:
            fact["year"], evidence["year"] = value, how
        if cand.rule.kind == "percentage" and populations is None:
            populations = find_mentions(population_pattern(), text, population_value)
        subject, how = (respective[cand.start], "sentence") if cand.start in respective else _subject(
            cand, entities, frames, populations if cand.rule.kind == "percentage" else None,
            previous if previous and previous[0].sentence is cand.sentence else None)
        if subject is None and main is not None:
            subject, how = main, "title" if main.end <= max(circles.title_end, 1) else "paragraph"
        if subject is None:
            subject, how = _first_mention(entities, cand)
        previous = (cand, subject) if subject is not None and how == "sentence" else None
        if subject is not None and how == "sentence" and subject.via is not None:
            how = _reference_evidence(subject.via, cand, circles)
        if subject is not None and how is not None:
            name, sid = subject.value.text, subject.value.id
            if subject.value.kind != "population":  # "doanh nghiệp" is not "doanh nghiệp tư nhân"
                name, sid = _expand_subject(name, sid, entities)
            fact["subject"], fact["subject_id"], evidence["subject"] = name, sid, how
        fact["evidence"] = evidence
        facts.append(fact)
    return facts


def _reference_evidence(full: Mention, cand: Candidate, circles: Circles) -> str:
    """Where the full mention behind a short reference was found ("Năm 2023, đơn vị đạt …"
    under a title naming the body: the subject comes from the title)."""
    if full.end <= circles.title_end < cand.sentence.start:
        return "title"
    return "previous_sentence" if full.start < cand.sentence.start else "sentence"


def _subject(cand: Candidate, entities: list[Mention], frames: list[Mention],
             populations: list[Mention] | None,
             previous: tuple[Candidate, Mention] | None) -> tuple[Mention | None, str | None]:
    """The figure's subject within its sentence, nearest evidence first; ``frames`` are the
    places that open a sentence ("Tại Trà Vinh, …"), ``populations`` are passed for shares
    only, ``previous`` is the last figure of the same sentence."""
    subject, how = _subject_after(entities, cand)
    if subject is None:
        subject, how = _subject_adjacent(entities, cand)
    if subject is None and previous is not None:
        subject, how = _subject_in_aside(entities, cand, previous)
    if subject is None:
        subject, how = _subject_of_part(entities, cand)
    if subject is None:
        subject, how = _clause_subject(entities, cand)
    if subject is None:
        framed = [m for m in frames if cand.sentence.start <= m.start and m.end <= cand.start]
        subject, how = (framed[-1], "sentence") if framed else (None, None)
    if subject is None and populations is not None:
        subject, how = _subject_quantified([*populations, *entities], cand)
        if subject is None:
            subject, how = _head_population(populations, cand)
    if subject is None:
        subject, how = _clause_subject(entities, cand, continued=True)
    if subject is None and populations is not None:
        subject, how = _named_population(populations, cand)
    return subject, how


# "Tại Trà Vinh, mức độ hài lòng chung đạt 84,5%": a place opening its sentence frames it.
_FRAME_BEFORE = regex.compile(r"(?:^|[.;:!?]\s+|\n\s*)(?:tại|ở|còn ở|riêng ở|riêng tại)\s+$", regex.IGNORECASE)


def _frames(mentions: list[Mention], text: str) -> list[Mention]:
    """Places, bodies and ministries named as a sentence's frame: after "Tại"/"Ở" at the
    start of the sentence and before a comma. They are agents elsewhere ("tại Trung tâm")."""
    return [Mention(m.start, m.end, m.text, m.value._replace(agent=False)) for m in mentions
            if m.value.text and m.value.kind in ("prov", "local", "dept", "ministry")
            and text.startswith(",", m.end)
            and _FRAME_BEFORE.search(text, max(0, m.start - 20), m.start)]


def _subject_in_aside(entities: list[Mention], cand: Candidate,
                      previous: tuple[Candidate, Mention]) -> tuple[Mention | None, str | None]:
    """'… của nền kinh tế chỉ đạt 6,21% (không đạt mục tiêu đề ra là 6,7%)': a figure in
    a parenthesis that names no one belongs to the figure just before it."""
    sent = cand.sentence
    head = sent.text[previous[0].end - sent.start: cand.start - sent.start]
    opened = head.rfind("(")
    if opened < 0 or ")" in head[opened:]:
        return None, None
    start = previous[0].end + opened
    if any(start <= m.start < cand.start for m in entities):
        return None, None
    return previous[1], "sentence"


_RESPECTIVELY = regex.compile(r"(?<!\p{L})(?:lần lượt|tương ứng)(?!\p{L})", regex.IGNORECASE)
_LIST_JOINT = regex.compile(r"\s*(?:,|và|, và)\s*")


def _respective(winners: list[Candidate], entities: list[Mention]) -> dict[int, Mention]:
    """'Hà Nội, TP.HCM và Đà Nẵng lần lượt đạt 85%, 82% và 80%': the i-th figure of a kind
    after "lần lượt" belongs to the i-th entity listed before it, when the counts agree."""
    out: dict[int, Mention] = {}
    by_sentence: dict[int, list[Candidate]] = {}
    for cand in winners:
        by_sentence.setdefault(cand.sentence.start, []).append(cand)
    for cands in by_sentence.values():
        sent = cands[0].sentence
        word = _RESPECTIVELY.search(sent.text)
        if word is None:
            continue
        pos = sent.start + word.start()
        start = _clause_span(cands[0])[0]  # past "Theo báo cáo của …,"
        chain: list[Mention] = []
        for m in reversed([m for m in entities if start <= m.start and m.end <= pos]):
            # the run of entities joined by "," / "và" that ends right before "lần lượt"
            if chain and not _LIST_JOINT.fullmatch(sent.text, m.end - sent.start, chain[0].start - sent.start):
                break
            chain.insert(0, m)
        for kind in {c.rule.kind for c in cands}:
            figures = [c for c in cands if c.rule.kind == kind and c.start > pos]
            if len(chain) >= 2 and len(figures) == len(chain):
                out.update((c.start, m) for c, m in zip(figures, chain, strict=True))
    return out


_OWNER_AFTER = regex.compile(r"^\s*(?:ở|của|tại|thuộc về)\s+$", regex.IGNORECASE)


_HOLDER_AFTER = regex.compile(r"^\s*là\s+$", regex.IGNORECASE)


def _subject_after(entities: list[Mention], cand: Candidate) -> tuple[Mention | None, str | None]:
    """'… so với 48% ở Indonesia, 21% ở Thái Lan': the owner is written right after; for
    a rank also 'Đứng cuối bảng là tỉnh Kon Tum'."""
    end = cand.sentence.end
    owner = (_OWNER_AFTER, _HOLDER_AFTER) if cand.rule.kind == "rank" else (_OWNER_AFTER,)
    for m in entities:
        if cand.end <= m.start <= cand.end + 12 and m.end <= end:
            between = cand.sentence.text[cand.end - cand.sentence.start: m.start - cand.sentence.start]
            if any(p.match(between) for p in owner):
                return m, "sentence"
            break
    return None, None


# A list part after a comma that opens with its own entity: "Ngân hàng Nhà nước dẫn đầu
# với 91,9 điểm, Bộ Tư pháp đứng thứ hai với 90,3 điểm".
_PART_LEAD = regex.compile(r"\s*(?:còn |và |nhưng |riêng )?", regex.IGNORECASE)


def _subject_of_part(entities: list[Mention], cand: Candidate) -> tuple[Mention | None, str | None]:
    """The entity that opens the comma-separated part of the clause the figure is in."""
    sent = cand.sentence
    start = _clause_span(cand)[0] - sent.start
    comma = sent.text.rfind(", ", start, cand.start - sent.start)
    if comma < 0:
        return None, None
    first = next((m for m in entities if sent.start + comma < m.start and m.end <= cand.start), None)
    if first is None or not _PART_LEAD.fullmatch(sent.text, comma + 1, first.start - sent.start):
        return None, None
    if any(m.end == sent.start + comma for m in entities):
        return None, None  # "Cà Mau, Cao Bằng, Điện Biên giảm 40%": one list, not two parts
    return first, "sentence"


_ADJACENT = regex.compile(
    r"\s*(?:(?:chỉ|đã|mới|vẫn|cũng|đều|ước|sẽ|có thể) )*(?:là|đạt|chiếm|ở mức|chỉ|chỉ có|khoảng|với)?\s*\(?$",
    regex.IGNORECASE)
# "DN tư nhân trong nền kinh tế chiếm 96%": a mention inside a phrase is not its head.
_INSIDE_BEFORE = regex.compile(r"(?<!\p{L})(?:trong|vào|cho|với)\s+$", regex.IGNORECASE)


def _subject_adjacent(entities: list[Mention], cand: Candidate) -> tuple[Mention | None, str | None]:
    """'Malaysia 4,6%, Hàn Quốc 2-3%', 'Trung Quốc là 4,3%', 'của nền kinh tế chỉ đạt 6,21%',
    'Quảng Ninh (77,70%)': an entity right before its figure."""
    sent = cand.sentence
    before = [m for m in entities if sent.start <= m.start and m.end <= cand.start]
    if before and _ADJACENT.match(sent.text, before[-1].end - sent.start, cand.start - sent.start) \
            and not _INSIDE_BEFORE.search(sent.text, max(0, before[-1].start - sent.start - 8),
                                          before[-1].start - sent.start):
        return before[-1], "sentence"
    return None, None


# Clause starts: after ";", ":", a full stop, or a verb of saying ("… cho biết, <clause>").
# Verbs that open reported content even without a comma, and joints that open a clause.
_SPEECH_BARE = "cho biết|cho rằng|cho thấy|cho hay|khẳng định|nhấn mạnh"
_JOINTS = "trong đó|trong khi|thì"
_CLAUSE_SEP = regex.compile(
    r"[;:]\s|\.\s|\b(?:cho biết|khẳng định|nhấn mạnh|thông tin|chia sẻ|cho hay|nhận định|"
    r"đánh giá|báo cáo|nêu rõ|phát biểu|nói)\s*[,:]\s"
    rf"|\b(?:{_SPEECH_BARE})\s(?!,)|\b(?:{_JOINTS})\s*,?\s"
    r"|\bvà\s(?=\d)",
    regex.IGNORECASE)
_SOURCE_LEAD = regex.compile(r"\s*(?:\([^)]*\)\s*-?\s*)?(?:theo|căn cứ|tại|qua)\b[^,;]*,", regex.IGNORECASE)


# Clause joints after which a clause without a subject of its own continues the one before:
# "A … thì năm nay xếp thứ 50", "… theo Đề án của tỉnh và 10 TTHC …", and reports ("Giám đốc Sở X cho biết, tỷ lệ … đạt 80%": the
# speaker's body owns its figures) but not opinions or findings ("cho rằng", "cho thấy").
_CONTINUING = regex.compile(r"(?:thì|trong khi|trong đó|cho biết|cho hay|thông tin|và)\s*,?\s$", regex.IGNORECASE)


def _clause_span(cand: Candidate, *, continued: bool = False) -> tuple[int, int]:
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
    intros = list(_LIST_INTRO.finditer(head)) if continued else []
    if intros:
        seps = [sep for sep in seps if sep.end() <= intros[-1].start()]
        stop = sent.start + intros[-1].start()
    start = sent.start + (seps[-1].end() if seps else 0)
    source = _SOURCE_LEAD.match(sent.text, start - sent.start)
    if source and source.end() < stop - sent.start:
        start = sent.start + source.end()
    return start, stop


def _clause_subject(entities: list[Mention], cand: Candidate, *,
                    continued: bool = False) -> tuple[Mention | None, str | None]:
    """Vietnamese puts the topic first: the first entity of the figure's clause; with
    ``continued``, of the clause it continues ("Lào Cai … cao nhất cả nước thì năm nay xếp
    thứ 50": the clause after "thì" has no subject of its own)."""
    start, stop = _clause_span(cand, continued=continued)
    text, offset = cand.sentence.text, cand.sentence.start
    inside = [m for m in entities if start <= m.start and m.end <= stop
              and not ISSUER_BEFORE.search(text, max(0, m.start - offset - 40), m.start - offset)]
    return (inside[0], "sentence") if inside else (None, None)


# "66% trong số 11.000 doanh nghiệp", "2% tổng dư nợ tín dụng": what a share is of.
_SHARE_OF = regex.compile(r"\s*(?:(?:trong|trên) )?(?:tổng )?(?:số )?(?:\d[\d.,]* (?:nghìn |triệu )?)?",
                          regex.IGNORECASE)
# "… chiếm 96% tổng số DN": the share belongs to the clause's subject, not to its base.
_SHARE_VERB = regex.compile(
    r"(?:chiếm|bằng)(?: (?:tới|đến|khoảng|hơn|gần|trên|dưới|chưa tới|chưa đến|chưa đầy))?\s*$",
    regex.IGNORECASE)


def _subject_quantified(mentions: list[Mention], cand: Candidate) -> tuple[Mention | None, str | None]:
    """A share followed by the population or sector it counts is about that: '66% doanh
    nghiệp được hỏi', '36% DN Mỹ', 'thêm 2% tổng dư nợ tín dụng'."""
    text, sent = cand.sentence.text, cand.sentence
    if _SHARE_VERB.search(text, max(0, cand.start - sent.start - 24), cand.start - sent.start):
        return None, None
    counted = [m for m in mentions if m.value.kind in ("population", "sector")
               and cand.end <= m.start <= cand.end + 30 and m.end <= sent.end
               and _SHARE_OF.fullmatch(text, cand.end - sent.start, m.start - sent.start)]
    return (min(counted, key=lambda m: m.start), "sentence") if counted else (None, None)


# A population heads its clause when nothing but a quantity stands between it and the
# clause's start: "Doanh nghiệp kê khai …", "Có 9-11% doanh nghiệp …", "trong đó doanh nghiệp đóng".
_HEAD_LEAD = regex.compile(
    rf"(?:^|[,;:(“\"]|\b(?:{_JOINTS}|{_SPEECH_BARE}))\s*"
    r"(?:có (?:tới |đến |khoảng |gần |hơn |trên )?\d[\d.,]*(?: ?[-–] ?\d[\d.,]*)? ?% (?:trong )?(?:số )?"
    r"|(?:các|những|nhiều|đa số|phần lớn|hầu hết|số) )?$", regex.IGNORECASE)


# A population followed by these is one item of a list ("đất đai, doanh nghiệp và hộ kinh doanh").
_LIST_ITEM_AFTER = regex.compile(r",|;| và ")


def _after_another(populations: list[Mention], m: Mention, text: str, offset: int) -> bool:
    """One population right after another ("người dân, doanh nghiệp") is the pair a
    province's service figures are for, not what they are about."""
    return any(p.end <= m.start and _LIST_JOINT.fullmatch(text, p.end - offset, m.start - offset)
               for p in populations if p.start >= offset)


def _population_before(populations: list[Mention], cand: Candidate, start: int, lead: Any,
                       window: int | None, nearest: bool) -> tuple[Mention | None, str | None]:
    """The nearest (or first) population between ``start`` and the figure whose preceding
    text (``window`` characters, or the whole sentence) ends as ``lead`` wants, and that is
    not one item of a list."""
    text, offset = cand.sentence.text, cand.sentence.start
    for m in reversed(populations) if nearest else populations:
        if start <= m.start and m.end <= cand.start:
            at = m.start - offset
            if lead.search(text, 0 if window is None else max(0, at - window), at) \
                    and not _LIST_ITEM_AFTER.match(text, m.end - offset) \
                    and not _after_another(populations, m, text, offset):
                return m, "sentence"
    return None, None


def _head_population(populations: list[Mention], cand: Candidate) -> tuple[Mention | None, str | None]:
    """A sentence that names no agency, place or sector may still name whom its share
    counts: 'Doanh nghiệp kê khai điện tử đạt tỷ lệ 99,64%', 'Có 9-11% doanh nghiệp … cho
    biết các khoản chi phí … chiếm hơn 10%'. The nearest population before the figure that
    heads its clause wins; one inside a phrase ('thuế thu nhập doanh nghiệp 10%') does not."""
    return _population_before(populations, cand, cand.sentence.start, _HEAD_LEAD, None, nearest=True)


# A population named after one of these words is what it is ("thủ tục cho doanh nghiệp",
# "các doanh nghiệp"); after a noun it only modifies it ("thuế thu nhập doanh nghiệp"), and
# after "của" it owns a measure of the body that serves it ("mức độ hài lòng của người dân").
_POPULATION_MARK = regex.compile(r"(?<!\p{L})(?:cho|các|những|số|nhiều|mọi)\s+$", regex.IGNORECASE)


def _named_population(populations: list[Mention], cand: Candidate) -> tuple[Mention | None, str | None]:
    """Last in-sentence resort for a share whose clause names no one else: 'Tình trạng nhũng
    nhiễu khi giải quyết thủ tục cho doanh nghiệp … (giảm từ 65% …)'."""
    start = _clause_span(cand, continued=True)[0]
    return _population_before(populations, cand, start, _POPULATION_MARK, 10, nearest=False)


def _first_mention(entities: list[Mention], cand: Candidate) -> tuple[Mention | None, str | None]:
    """Last resort: the nearest entity named anywhere earlier in the article."""
    earlier = [m for m in entities if m.end <= cand.start and m.value.text.lower() not in GROUPS]
    if earlier:
        return earlier[-1], "previous_sentence"
    return None, None
