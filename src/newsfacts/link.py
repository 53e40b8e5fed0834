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
from dataclasses import dataclass
from typing import Any, NamedTuple

import regex

from .extract import Candidate
from .gcutil import gc_paused
from .lexicons import GAP_DEFINITIONS, Lexicons, load_lexicons
from .segment import Sentence

YEAR = regex.compile(
    r"(?:(?<=\b\d{1,2}[-/.]\d{1,2}[-/.])|(?<=(?:PCI|PAPI|INDEX|SIPAS|DTI|PAR|ICT)[ -])|(?<=(?:tháng|quý) [IV\d]{1,4}[-/])|(?<=\d{4} ?[-–] ?)"
    r"|(?<![\d/.,:–-]|: |ISO[^.;]{0,12}))"
    r"((?:19[89]|20[0-4])\d)(?!\d|/[\p{L}]|,\d|\.\d|%| ?(?:tỷ|triệu|nghìn|ha|km|người|hồ sơ|TTHC|thủ tục|doanh nghiệp|DN|USD|đồng)\b)",
    regex.IGNORECASE,
)
_YEAR_GLUE = regex.compile(r"\s*(?:\(|trong |vào )?(?:năm )?$")
_BASELINE = regex.compile(r"(?:so với|hơn|thấp hơn|cao hơn|từ)(?: cùng kỳ)?(?: năm)?(?: \S+){0,1} ?$")
_RELATIVE = regex.compile(r"(?:cùng kỳ năm trước|năm trước|năm ngoái|cùng kỳ)(?!\p{L})", regex.IGNORECASE)
_CURRENT = regex.compile(r"(?:năm nay|hiện nay|đến nay|hiện tại|hiện đang)(?!\p{L})", regex.IGNORECASE)


class Entity(NamedTuple):
    """What an entity mention stands for; ``kind`` is the pattern group that found it."""

    text: str
    id: str | None
    kind: str
    place: Entity | None = None  # the province inside "Sở KH&CN Hà Tĩnh"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    value: Any


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


def _anchored(pattern: Any, starts: Any, text: str) -> Any:
    """Like ``pattern.finditer(text)`` but only trying positions ``starts`` finds."""
    end = 0
    for s in starts.finditer(text):
        if s.start() < end:
            continue
        m = pattern.match(text, s.start())
        if m is not None and m.end() > m.start():
            end = m.end()
            yield m


def _mentions(pattern: Any, text: str, value_of: Any, starts: Any = None) -> list[Mention]:
    out = []
    for m in (pattern.finditer(text) if starts is None else _anchored(pattern, starts, text)):
        surface = m.group(1) if m.groups() and m.group(1) else m.group(0)
        value = value_of(surface, m)
        if value is not None:
            out.append(Mention(m.start(), m.end(), m.group(0), value))
    return out


_DOC_DATE = regex.compile(r"\S*/\S*\p{Lu}{2,}\S*,?\s+(?:ngày\s+)?(?:\d{1,2}[-/.]){2}$")


def _year_value(surface: str, m: Any) -> int | None:
    before = m.string[max(0, m.start() - 30): m.start()]
    if _BASELINE.search(before):
        return None  # "so với năm 2015": the comparison, not the figure's year
    if _DOC_DATE.search(m.string[max(0, m.start() - 60): m.start()]):
        return None  # "Thông tư số 02/2017/TT-VPCP ngày 31/10/2017": when a document was signed
    return int(surface)


def _pick(mentions: list[Mention], circles: Circles, cand: Candidate, *, after: bool = True,
          look_back: bool = True, paragraphs_back: int = 0,
          title: bool = True, before_pos: int | None = None,
          immediate: bool = False) -> tuple[Mention | None, str | None]:
    """Widening circles: with ``immediate``, a mention written right after the figure
    ("4,02% năm 2011"); the nearest mention before the figure in its sentence (or before
    ``before_pos``); after it in the sentence; earlier sentences of the paragraph (and
    up to ``paragraphs_back`` paragraphs before); the title."""
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
            inside = [m for m in mentions if prev.start <= m.start and m.end <= prev.end]
            if inside:
                return inside[-1], "previous_sentence"
    if title and circles.title_end and sent.start >= circles.title_end:
        in_title = [m for m in mentions if m.end <= circles.title_end]
        if in_title:
            return in_title[0], "title"
    return None, None


# Mentions after these words are agents, places or partners, not what the figure is about.
_AGENT_BEFORE = regex.compile(
    r"(?:được|bởi|do|theo|từ|với|cùng|tại|giữa|cho|trên|thuộc|vào|đến|tới|/|-)\s*$", regex.IGNORECASE)
# Agencies: the head, a capitalised first word, then lower-case words of the name up to a
# function word or verb ("Cục Hàng hải Việt Nam", "Ban Kinh tế Trung ương").
_ORG_STOP = (r"(?:đã|đang|sẽ|cho|của|và|với|là|có|được|bị|tại|trong|ngoài|đến|từ|về|theo|thì|này|đó|"
             r"cũng|vẫn|chỉ|mới|tiếp|thực|triển|cho|vừa|đề|nêu|năm|tháng|ngày|khi|nhằm|để|nên|"
             r"trên|dưới|sau|trước|các|những|mỗi|một|hai|ba|người|ông|bà|nhưng|còn|hoặc|hay|số|so)")
_ORG = (r"(?-i:(?:Tổng cục|Cục|Chi cục|Chi nhánh|Văn phòng|Trung tâm|Ban|Hội đồng|Ngân hàng|Kho bạc|"
        r"Bảo hiểm xã hội|Viện|Hiệp hội|Tổ chức|Phòng Thương mại) [\p{Lu}Đ][\p{L}&-]*"
        r"(?: (?!" + _ORG_STOP + r"\b)[\p{L}&-]+){0,6})")
_GENERIC_BODIES = {"PC", "PPC", "DPC", "CPC", "COUNCIL", "ONE_STOP", "PSAC"}
_COUNTRIES = ("Việt Nam", "Indonesia", "Thái Lan", "Malaysia", "Philippines", "Phillippines", "Singapore",
              "Trung Quốc", "Hàn Quốc", "Nhật Bản", "Campuchia", "Lào", "Myanmar", "Hoa Kỳ", "Mỹ", "Ấn Độ")


@dataclass(frozen=True)
class Vocab:
    """Compiled patterns built once per process from the lexicons.

    ``starts`` finds the few places an entity can begin (a capital, or the first
    word of a lower-case form such as "tỉnh" or "nông nghiệp"); the big entity
    pattern is then only tried there, which is ~10x cheaper than scanning.
    """

    entity: Any
    index: Any
    lex: Lexicons
    starts: Any


def _first_words(lex: Lexicons, extra: list[str]) -> set[str]:
    forms: list[str] = list(extra)
    for p in lex.provinces:
        forms += [p.name, *p.forms, *p.cased_forms]
    for m in lex.ministries:
        forms += [m.name, *m.forms]
    for d in lex.departments:
        forms += list(d.forms)
    return {f.split()[0].lower() for f in forms if f.split() and not f[0].isupper()}


_VOCAB: Vocab | None = None


def vocab() -> Vocab:
    global _VOCAB
    if _VOCAB is None:
        lex = load_lexicons()
        countries = "|".join(regex.escape(c) for c in _COUNTRIES)
        sectors = "|".join(regex.escape(f) for f in sorted(_sector_forms(), key=len, reverse=True))
        # Lexicon patterns call their gaps (GAP_DEFINITIONS, once at the end) and a
        # department's province calls the province group: the same matches, while the
        # compiler parses each once (half of the start-up this pattern costs).
        prov = lex.province_pattern(refs=True)
        entity = (
            f"(?P<dept>{lex.department_pattern(refs=True)})(?: ?\\([^()]{{1,25}}\\))?"
            f"(?: (?P<dplace>(?:tỉnh |thành phố |TP\\.? ?)?(?P<dprov>(?&prov))))?"
            f"|(?P<ministry>{lex.ministry_pattern(refs=True)})"
            f"|(?P<prov>{prov})"
            f"|(?-i:(?P<local>(?<![\\p{{L}}])(?:[Hh]uyện|[Tt]hị xã|[Qq]uận|[Tt]hành phố|[Xx]ã|[Pp]hường|[Tt]hị trấn)"
            f"(?: [\\p{{Lu}}Đ][\\p{{Ll}}]*){{1,3}}))"
            f"|(?P<org>{_ORG})"
            f"|(?-i:(?P<country>(?<![\\p{{L}}])(?:{countries})(?![\\p{{L}}])))"
            f"|(?P<nation>(?<![\\p{{L}}])cả nước(?![\\p{{L}}]))"
            f"|(?P<sector>(?<![\\p{{L}}])(?:{sectors})(?![\\p{{L}}]))"
            f"|(?P<ref>(?<![\\p{{L}}])(?:(?<!cấp |toàn |các |cả |mỗi |từng |địa bàn |ngoài |trong )tỉnh|thành phố|Thủ đô"
            f"|(?-i:(?<!cơ |trụ |Cơ |Trụ )(?:Sở|sở)|Bộ))(?! [\\p{{Lu}}Đ&])(?![\\p{{L}}]))"
            f"|(?-i:(?P<branch>(?<![\\p{{L}}])[Nn]gành (?:[\\p{{Lu}}Đ][\\p{{Ll}}]+)(?: [\\p{{Ll}}]+)?))"
        )
        flags = regex.IGNORECASE | regex.VERSION1
        words = _first_words(lex, [*_sector_forms(), "cả", "ngành", "sở", "bộ", "huyện", "thị",
                                   "quận", "xã", "phường", "thành"])
        starts = regex.compile(
            r"(?<![\p{L}\p{N}])(?:\p{Lu}|(?i:" + "|".join(sorted(map(regex.escape, words), key=len, reverse=True))
            + r")(?![\p{L}]))", regex.VERSION1)
        with gc_paused():
            _VOCAB = Vocab(regex.compile(f"(?:{entity}){GAP_DEFINITIONS}", flags),
                           regex.compile(lex.index_pattern(refs=True) + GAP_DEFINITIONS, flags),
                           lex, starts)
    return _VOCAB


def _sector_forms() -> list[str]:
    import yaml

    from .rules import default_rules_dir

    path = default_rules_dir() / "lexicons" / "sectors.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return [str(f) for entry in (data or {}).get("sectors", []) for f in entry.get("forms", [])]


def _entity_value(surface: str, m: Any) -> Entity | None:
    if _AGENT_BEFORE.search(m.string[max(0, m.start() - 12): m.start()]):
        return None  # "được UBND tỉnh xếp", "tại Trung tâm …": not what the figure is about
    lex = vocab().lex
    text = " ".join(m.group(0).split())
    kind = next((k for k, v in m.groupdict().items() if v and k in _ENTITY_KINDS), "org")
    if kind == "ref":
        return Entity("", None, _REF_KIND.get(text.lower(), "any"))
    sid: str | None = None
    if m.group("dept"):
        dept = lex.department_of(m.group("dept"))
        prov = lex.province_of(m.group("dprov")) if m.group("dprov") else None
        if dept is not None and dept.head is None and prov is None and dept.id in _GENERIC_BODIES:
            return None  # "UBND", "UBND thành phố": a body every article names, rarely the subject
        if dept is not None:
            sid = f"{dept.id}:{prov.id}" if prov else dept.id
        if prov is not None:
            place = Entity(" ".join(m.group("dplace").split()), prov.id, "prov")
            return Entity(text, sid, "dept", place)
    elif m.group("ministry"):
        ministry = lex.ministry_of(m.group("ministry"))
        sid = ministry.id if ministry else None
    elif m.group("prov"):
        prov = lex.province_of(m.group("prov"))
        sid = prov.id if prov else None
    elif m.group("org"):
        text = _trim_org(text)
    elif m.group("country") and _MODIFIER_BEFORE.search(m.string[max(0, m.start() - 20): m.start()]):
        return None  # "tàu thuyền Việt Nam", "doanh nghiệp Việt Nam": a modifier, not the subject
    return Entity(text, sid, "prov" if kind == "dprov" else kind)


_ENTITY_KINDS = ("dept", "ministry", "prov", "local", "org", "country", "nation", "sector", "branch", "ref")
# Short references and the kind of full mention each stands for.
_REF_KIND = {"tỉnh": "prov", "thành phố": "prov", "thủ đô": "prov", "sở": "dept", "bộ": "ministry"}


def _resolve_refs(entities: list[Mention], main: Mention | None) -> list[Mention]:
    """'tỉnh', 'Thành phố', 'Sở', 'Bộ' -> the nearest earlier full mention of that kind
    (a department also answers 'Sở', a province 'tỉnh'), else the article's main entity
    when it is of that kind; a reference that resolves to nothing is dropped."""
    out: list[Mention] = []
    last: dict[str, Mention] = {}
    for m in entities:
        if m.value.text:
            out.append(m)
            last[m.value.kind] = m
            if m.value.place is not None:
                last["prov"] = Mention(m.start, m.end, m.text, m.value.place)
            continue
        want = m.value.kind
        target = last.get(want)
        if target is None and main is not None and main.value.kind == want:
            target = main
        if target is not None:
            out.append(Mention(m.start, m.end, m.text, target.value))
    return out


# Lower-case words that end an agency's name: verbs and function words after it.
_NAME_ENDS = frozenset(
    ["thông tin", "cho biết", "không", "không thể", "đã", "đang", "sẽ", "vừa", "mới", "triển khai", "thực hiện", "tổ chức", "phối hợp", "cho", "của", "với", "là", "có", "được", "tại", "trong", "về", "theo", "và", "hoặc", "đề nghị", "yêu cầu", "công bố", "báo cáo", "nhận định", "khẳng định", "cũng", "vẫn", "tiếp tục", "chủ trì", "ban hành", "đánh giá", "cần", "phải", "nên", "đến", "từ", "nay", "này", "đó"])
_TERMINAL = frozenset({"Việt Nam", "Trung ương", "Quốc gia", "Chính phủ"})
_MODIFIER_BEFORE = regex.compile(r"(?<![,;:.(“\"])\b(?!(?:ở|tại|của|và|với|cho|như|so với|thuộc|đối với)\s+$)\p{Ll}+\s+$")


def _trim_org(name: str) -> str:
    """'Cục Hàng hải Việt Nam thông tin' -> 'Cục Hàng hải Việt Nam': words (underthesea) of
    the name up to a verb or function word, a terminal such as 'Việt Nam', or four
    lower-case words."""
    from underthesea import word_tokenize

    words = word_tokenize(name)
    kept, lower = words[:1], 0
    for word in words[1:]:
        if kept[-1] in _TERMINAL:
            break
        if word[:1].islower():
            if word in _NAME_ENDS or lower >= 4:
                break
            lower += 1
        kept.append(word)
    return " ".join(kept)


def _index_value(surface: str, m: Any) -> str | None:
    return vocab().lex.index_code(m.group(0))


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


def _component(cand: Candidate, index_code: str | None) -> tuple[str | None, str | None]:
    """A component named just before a score in a list: "cải cách TTHC đạt 13,969/14"."""
    if cand.rule.kind != "score":
        return None, None
    before = cand.sentence.text[: cand.start - cand.sentence.start]
    m = _COMPONENT_CLAUSE.search(before)
    if not m:
        return None, None
    phrase = regex.sub(r"^(?:như|gồm|các|lĩnh vực|chỉ số)\s+", "", m.group(1).strip(" ,"), flags=regex.I)
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
        weight[key] = weight.get(key, 0.0) + (w / 3 if name in _COUNTRIES else w)
        if key not in first or len(name) > len(first[key].value.text):
            first[key] = m
    if not weight:
        return None
    best = max(weight, key=lambda k: (weight[k], -first[k].start))
    return first[best]


def link_candidates(winners: list[Candidate], text: str, sentences: list[Sentence],
                    title: str | None, published: str | None) -> list[dict[str, Any]]:
    """Fact dicts (ready for validation) with linked attributes and evidence."""
    if not winners:
        return []
    circles = Circles(text, sentences, title)
    years = _mentions(YEAR, text, _year_value)
    v = vocab()
    entities = _mentions(v.entity, text, _entity_value, v.starts)
    indexes = _mentions(v.index, text, _index_value)
    main = _main_subject([m for m in entities if m.value.text], circles)
    entities = _resolve_refs(entities, main)
    in_force = _year_in_force(years, circles)
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
        year, how = _pick(years, circles, cand, paragraphs_back=1 if ranked else 0, immediate=True)
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
        subject, how = _subject_after(entities, cand)
        if subject is None:
            subject, how = _subject_adjacent(entities, cand)
        if subject is None:
            subject, how = _clause_subject(entities, cand)
        if subject is None and main is not None:
            subject, how = main, "title" if main.end <= max(circles.title_end, 1) else "paragraph"
        if subject is None:
            subject, how = _first_mention(entities, cand)
        if subject is not None and how is not None:
            name, sid = _expand_subject(subject.value.text, subject.value.id, entities)
            fact["subject"], fact["subject_id"], evidence["subject"] = name, sid, how
        fact["evidence"] = evidence
        facts.append(fact)
    return facts


_OWNER_AFTER = regex.compile(r"^\s*(?:ở|của|tại|thuộc về)\s+$", regex.IGNORECASE)


def _subject_after(entities: list[Mention], cand: Candidate) -> tuple[Mention | None, str | None]:
    """'… so với 48% ở Indonesia, 21% ở Thái Lan': the owner is written right after."""
    end = cand.sentence.end
    for m in entities:
        if cand.end <= m.start <= cand.end + 12 and m.end <= end:
            if _OWNER_AFTER.match(cand.sentence.text[cand.end - cand.sentence.start: m.start - cand.sentence.start]):
                return m, "sentence"
            break
    return None, None


_ADJACENT = regex.compile(r"\s*(?:là|đạt|chiếm|ở mức|chỉ|chỉ có|khoảng|với)?\s*$", regex.IGNORECASE)


def _subject_adjacent(entities: list[Mention], cand: Candidate) -> tuple[Mention | None, str | None]:
    """'Malaysia 4,6%, Hàn Quốc 2-3%', 'Trung Quốc là 4,3%': an entity right before its figure."""
    before = [m for m in entities if cand.sentence.start <= m.start and m.end <= cand.start]
    if before and _ADJACENT.match(cand.sentence.text, before[-1].end - cand.sentence.start,
                                  cand.start - cand.sentence.start):
        return before[-1], "sentence"
    return None, None


# Clause starts: after ";", ":", a full stop, or a verb of saying ("… cho biết, <clause>").
_CLAUSE_SEP = regex.compile(
    r"[;:]\s|\.\s|\b(?:cho biết|khẳng định|nhấn mạnh|thông tin|chia sẻ|cho hay|nhận định|"
    r"đánh giá|báo cáo|nêu rõ|phát biểu|nói)\s*[,:]\s", regex.IGNORECASE)
_SOURCE_LEAD = regex.compile(r"\s*(?:\([^)]*\)\s*-?\s*)?(?:theo|căn cứ|tại|qua)\b[^,;]*,", regex.IGNORECASE)


def _clause_subject(entities: list[Mention], cand: Candidate) -> tuple[Mention | None, str | None]:
    """Vietnamese puts the topic first: the first entity of the figure's clause."""
    sent = cand.sentence
    head = sent.text[: cand.start - sent.start]
    seps = list(_CLAUSE_SEP.finditer(head))
    start = sent.start + (seps[-1].end() if seps else 0)
    source = _SOURCE_LEAD.match(sent.text, start - sent.start)
    if source and source.end() < cand.start - sent.start:
        start = sent.start + source.end()  # "Theo đánh giá của Hội đồng …, Sở X đạt": the source
    inside = [m for m in entities if start <= m.start and m.end <= cand.start]
    return (inside[0], "sentence") if inside else (None, None)


def _first_mention(entities: list[Mention], cand: Candidate) -> tuple[Mention | None, str | None]:
    """Last resort: the nearest entity named anywhere earlier in the article."""
    earlier = [m for m in entities if m.end <= cand.start]
    if earlier:
        return earlier[-1], "previous_sentence"
    return None, None
