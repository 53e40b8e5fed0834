"""Entities: the agencies, places, sectors and populations a figure can be about.

The linker asks two things of a text: where entities are named, and what each
mention stands for (a lexicon id, the province inside a department's name, or,
for "tỉnh", "Sở", "đơn vị", the full mention it refers to). Patterns are built
from ``rules/lexicons/`` once per :class:`~newsfacts.resources.Resources` (its ``vocab``); agents ("tại Trung tâm …", "được Bộ
Nội vụ") are recognised too, since a later short reference may point at them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import regex

from . import patterncache
from .gcutil import gc_paused
from .lexicons import GAP_DEFINITIONS, Lexicons, WordLists
from .roles import AGENT_BEFORE, ANNOUNCES, SOURCE_BEFORE, compared_average
from .wordseg import segment
from .wordstarts import StartFinder


class Entity(NamedTuple):
    """What an entity mention stands for; ``kind`` is the pattern group that found it."""

    text: str
    id: str | None
    kind: str
    place: Entity | None = None  # the province inside "Sở KH&CN Hà Tĩnh"
    agent: bool = False  # "tại Hà Tĩnh", "được Bộ Nội vụ": not a subject, but what "tỉnh" may refer to


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    value: Any
    via: Mention | None = None  # for a short reference ("đơn vị"), the full mention it stands for


def _anchored(pattern: Any, starts: Any, text: str) -> Any:
    """Like ``pattern.finditer(text)`` but only trying positions ``starts`` finds (a
    pattern, or a :class:`StartFinder`)."""
    end = 0
    positions = starts.positions(text) if isinstance(starts, StartFinder) else (s.start() for s in starts.finditer(text))
    match = pattern.match
    for at in positions:
        if at < end:
            continue
        m = match(text, at)
        if m is not None and m.end() > m.start():
            end = m.end()
            yield m


def find_mentions(pattern: Any, text: str, value_of: Any, starts: Any = None) -> list[Mention]:
    """Every match of ``pattern`` that ``value_of`` gives a value to (years, indexes,
    entities and populations all go through here)."""
    out = []
    for m in (pattern.finditer(text) if starts is None else _anchored(pattern, starts, text)):
        surface = m.group(1) if m.groups() and m.group(1) else m.group(0)
        value = value_of(surface, m)
        if value is None:
            continue
        # "UBND huyện" + " Châu Đức": a value that names more than the match, as written right
        # after it, has its mention cover it (what follows a name is read after it)
        name, end = getattr(value, "text", None), m.end()
        extra = name[len(" ".join(m.group(0).split())):] if isinstance(name, str) and len(name) > end - m.start() else ""
        end += len(extra) if extra and text.startswith(extra, end) else 0
        out.append(Mention(m.start(), end, text[m.start():end], value))
    return out


# Agencies: the head, a capitalised first word, then lower-case words of the name up to a
# function word or verb ("Cục Hàng hải Việt Nam", "Ban Kinh tế Trung ương").
_ORG_STOP = (r"(?:đã|đang|sẽ|cho|của|và|với|là|có|được|bị|tại|trong|ngoài|đến|từ|về|theo|thì|này|đó|"
             r"cũng|cùng|vẫn|chỉ|mới|tiếp|thực hiện|triển|cho|vừa|đề|nêu|năm|tháng|ngày|khi|nhằm|để|nên|đối|yêu|"
             r"trên|dưới|sau|trước|các|những|mỗi|một|hai|ba|người|ông|bà|nhưng|còn|hoặc|hay|số|so)")
# Heads that open a body of their own: after "và" they start the next name, not this one's
# ("Cục Thuế và Kho bạc Nhà nước"; but "Phòng Tài nguyên và Môi trường").
_HEADS = (r"(?:Tổng cục|Cục|Chi cục|Chi nhánh|Văn phòng|Trung tâm|Ban|Hội đồng|Ngân hàng|Kho bạc|Bảo hiểm|Viện|"
          r"Hiệp hội|Tổ chức|Phòng|Công an|Ủy ban|Uỷ ban|UBND|HĐND|Sở|Bộ|Thanh tra|Đội|Cổng|Hệ thống|Bộ phận|"
          r"tỉnh|huyện|thành phố|quận|xã|phường|thị xã|thị trấn)")
# A unit written in lower case inside the body it belongs to: "phòng thuế trước bạ của Cục
# Thuế tỉnh Bắc Ninh", "đội kiểm tra thuế số 2 thuộc Chi cục Thuế". Its owner is named after it.
_UNIT_OF = (r"(?-i:(?<![\p{L}])(?:phòng|đội|tổ) (?:thuế|kiểm tra|kiểm soát|quản lý|hành chính|tổ chức|kế toán|"
            r"tài chính|nội vụ|tư pháp|kinh tế|văn hóa|y tế|giáo dục|tài nguyên|lao động|nông nghiệp|một cửa|"
            r"đăng ký|cảnh sát|pháp chế|thanh tra|tuyên truyền|hỗ trợ|nghiệp vụ|xuất nhập|tiếp nhận|công tác|"
            r"thi hành|trước bạ|quản trị)"
            r"(?: (?!của|thuộc)[\p{L}\d]+){0,4}(?= (?:của|thuộc|trực thuộc) (?:[\p{Lu}Đ])))")
_PLACE_LEVELS = r"(?:tỉnh|huyện|thành phố|quận|xã|phường|thị xã|thị trấn|TP\.?)(?= [\p{Lu}Đ])"
# A district or ward by its abbreviation, as city papers write them: "Q.1", "P.Bến Nghé",
# "H.Củ Chi", "Q. Tân Phú" (a name alone on its line is a byline's initials: ``_BYLINE``).
_PLACE_ABBR = (r"(?-i:(?<![\p{L}\p{N}.])(?:[QP]\. ?\d{1,2}(?![\d%/]|[.,]\d)"
               r"|[QPH]\. ?[\p{Lu}Đ][\p{Ll}]+(?: [\p{Lu}Đ][\p{Ll}]+){0,3}(?!\p{L})))")
_BYLINE = regex.compile(r"[QPH]\. ?\p{Lu}\p{L}*(?: \p{Lu}\p{L}*)*")
_LINE_END = regex.compile(r"[ \t]*(?:\n|$)")
_ORG = (r"(?-i:(?:Tổng cục|Cục|Chi cục|Chi nhánh|Văn phòng|Trung tâm|Ban|Hội đồng|Ngân hàng|Kho bạc|"
        r"Bảo hiểm xã hội|Viện|Hiệp hội|Tổ chức|Phòng Thương mại|Phòng|Công an|Ủy ban|Uỷ ban|Thanh tra) (?![QPH]\.)[\p{Lu}Đ][\p{L}&-]*"
        r"(?: (?!" + _ORG_STOP + r"\b|" + _PLACE_LEVELS + r"|[QPH]\.)[\p{L}&-]+"
        r"| và (?!" + _ORG_STOP + r"\b|" + _HEADS + r"\b)[\p{L}][\p{L}&-]*){0,8}"
        # "Chi nhánh Văn phòng Đăng ký đất đai Q.6": the district's abbreviation ends the name
        r"(?: " + _PLACE_ABBR + r")?"
        # a body named by its place alone: "Công an tỉnh", "Kho bạc Nhà nước huyện Gia Lâm", "Công an Q.1"
        r"|(?:Công an|Kho bạc Nhà nước|Kho bạc|Bảo hiểm xã hội|Thanh tra|Chi cục Thuế|Cục Thuế) "
        r"(?:(?:tỉnh|huyện|thành phố|quận|thị xã|xã|phường|thị trấn|TP\.?)(?: [\p{Lu}Đ]\p{Ll}*){0,3}|" + _PLACE_ABBR + r"))")
# Bodies every article names, rarely what a figure is about (a service centre's reports are).
_GENERIC_BODIES = {"PC", "PPC", "DPC", "CPC", "COUNCIL"}
# Countries, and groups of them ("ở nhiều nước …": a subject of its own clause only).
GROUPS = ("nhiều nước", "các nước", "nhiều quốc gia", "các quốc gia")
COUNTRIES = (*GROUPS, "Việt Nam", "Tây Ban Nha", "Hà Lan", "Italy", "Canada", "Australia", "Đài Loan", "Indonesia", "Thái Lan", "Malaysia", "Philippines", "Phillippines", "Singapore",
              "Trung Quốc", "Hàn Quốc", "Nhật Bản", "Campuchia", "Lào", "Myanmar", "Hoa Kỳ", "Mỹ", "Ấn Độ",
              # names that are also people's or places' ("Đức", "Nga", "Anh") are left out
              "Thổ Nhĩ Kỳ", "Ukraine", "Pháp", "Brazil", "Mexico", "Nam Phi", "Israel", "Thụy Sĩ", "Thụy Điển",
              "Phần Lan", "Đan Mạch", "Na Uy", "New Zealand", "Hồng Kông", "Brunei", "Timor-Leste", "Đông Timor", "Bangladesh",
              "Pakistan", "Sri Lanka", "Mông Cổ", "Ả Rập Xê Út", "Qatar", "Ai Cập", "Nigeria", "Kenya", "Chile",
              "Argentina", "Colombia", "Ba Lan", "Hungary", "Romania", "Bồ Đào Nha", "Hy Lạp", "Kazakhstan",
              "Iran", "Liên bang Nga", "Cộng hòa Liên bang Đức", "Vương quốc Anh")


@dataclass(frozen=True)
class Vocab:
    """Compiled patterns built from the lexicons, once per :class:`~newsfacts.resources.Resources`
    (which builds it on first use: :attr:`Resources.vocab`).

    ``starts`` finds the few places an entity can begin (a capital, or the first
    word of a lower-case form such as "tỉnh" or "nông nghiệp"); the big entity
    pattern is then only tried there, which is ~10x cheaper than scanning.
    """

    entity: Any
    index: Any
    lex: Lexicons
    starts: Any
    words: WordLists
    linking: Any  # link.words.LinkWords: the linker's own words (linking.yaml)

    @cached_property
    def population(self) -> Any:
        """Population forms (rules/lexicons/populations.yaml) with the qualifiers that belong
        to their name ("DN tư nhân", "doanh nghiệp Nhật Bản"); compiled on first use, since
        only a share needs them."""
        forms, quals = self.words.population_forms(), [*self.words.qualifiers, *COUNTRIES]
        return patterncache.compile_pattern(
            rf"(?<![\p{{L}}])(?:{_alternation(forms)})(?: (?:{_alternation(quals)}))?(?![\p{{L}}])",
            regex.IGNORECASE)

    @cached_property
    def aggregate(self) -> Any:
        """Groups of units results are reported for (rules/lexicons/aggregates.yaml): a plural
        noun after a count or quantifier ("63 tỉnh, thành phố", "các địa phương"), or a
        group named on its own ("vùng Đông Nam Bộ", "toàn quốc", "nhóm A")."""
        groups = _alternation(list(self.words.aggregate_groups))
        counts = _alternation(list(self.words.aggregate_counts))
        names = _alternation(list(self.words.aggregate_names))
        heads = _alternation(list(self.words.aggregate_heads))
        return patterncache.compile_pattern(
            # "15 cơ quan, đơn vị cấp tỉnh": a counted group keeps its level
            rf"(?<![\p{{L}}\d/.,])(?:(?:(?!(?:19|20)\d\d(?!\d))\d+(?:/\d+)?|{counts}) (?:{groups})"
            rf"(?: cấp (?:tỉnh|huyện|xã|sở|bộ|trung ương)(?![\p{{L}}]))?|{names}|(?-i:[Nn]hóm [A-D])"
            rf"|(?:(?<=^)|(?<=[.;:!?] )|(?<=\n)|(?<=, )|(?<=\b(?:còn|và|trong đó|riêng|ở|tại|đối với|với) )"
            # "số hồ sơ cấp xã tiếp nhận", "tổng hồ sơ phải giải quyết cấp phường là …": whose dossiers
            rf"|(?<=\b(?:hồ sơ|TTHC|giải quyết|tiếp nhận) )"
            # "Điểm trung bình cấp sở, ban, ngành đạt 76,6", "giá trị trung bình DTI cấp tỉnh là
            # 0,40": an average is of a group, so the level after it is one
            rf"|(?<=\btrung bình (?:(?:của|chỉ số|giá trị) )?(?:(?-i:[A-Z][A-Za-z]{{1,5}}) )?))(?:{heads})"
            # "…; DTI cấp bộ cung cấp dịch vụ công là 0,46", "giá trị DTI 2023 cấp tỉnh là 0,67": an
            # index's level opening a clause (or after "giá trị") and given a value is that level's group
            rf"|(?<=(?:^|[.;:!?] |\n|, |(?<!\p{{L}})(?:còn|và|giá trị|trung bình) )(?-i:DTI|PCI|PAPI|SIPAS|DDCI|PAR INDEX|PAR Index)"
            rf"(?: năm)?(?: (?:19|20)\d\d)? )"
            rf"(?:{heads})(?! (?:của|tại|ở) )(?=[^,.;:]{{0,50}}?(?<!\p{{L}})(?:là|đạt) \d))(?![\p{{L}}])"
            rf"(?! (?-i:[\p{{Lu}}Đ]))",  # "toàn tỉnh Quảng Nam" names the province
            regex.IGNORECASE)

    @cached_property
    def aggregate_starts(self) -> Any:
        """Where an aggregate can begin: a number, or the first word of a count, name or
        level; the aggregate pattern is only tried there (as the entity pattern is)."""
        def firsts(forms: Any) -> str:
            words = sorted({f.split()[0] for f in forms if f.split()}, key=len, reverse=True)
            return "|".join(map(regex.escape, words)) or "(?!)"

        group = firsts(self.words.aggregate_groups)  # a count only starts one before a group's noun
        named = firsts([*self.words.aggregate_names, *self.words.aggregate_heads, "nhóm"])
        return patterncache.compile_pattern(
            rf"(?<![\p{{L}}\d/.,])(?:(?:(?!(?:19|20)\d\d(?!\d))\d+(?:/\d+)?|{firsts(self.words.aggregate_counts)}) (?=(?:{group})(?![\p{{L}}]))"
            rf"|(?:{named})(?![\p{{L}}]))",
            regex.IGNORECASE)

    def entity_value(self, surface: str, m: Any) -> Entity | None:
        """What an entity match stands for (``find_mentions``' ``value_of``)."""
        return entity_value(self.lex, m)

    def index_value(self, surface: str, m: Any) -> str | None:
        """The index code an index match names (``find_mentions``' ``value_of``)."""
        return self.lex.index_code(m.group(0))


def _first_words(lex: Lexicons, extra: list[str]) -> set[str]:
    forms: list[str] = list(extra)
    for p in lex.provinces:
        forms += [p.name, *p.forms, *p.cased_forms]
    for m in lex.ministries:
        forms += [m.name, *m.forms]
    for d in lex.departments:
        forms += list(d.forms)
    return {f.split()[0].lower() for f in forms if f.split() and not f[0].isupper()}


def build_vocab(lex: Lexicons, word_lists: WordLists, linking: Any) -> Vocab:
    """The entity, index and start patterns of these lexicons, compiled (through the
    pattern cache)."""
    countries = "|".join(regex.escape(c) for c in COUNTRIES)
    sectors = _alternation(word_lists.sector_forms())
    # Lexicon patterns call their gaps (GAP_DEFINITIONS, once at the end) and a
    # department's province calls the province group: the same matches, while the
    # compiler parses each once (half of the start-up this pattern costs).
    prov = lex.province_pattern(refs=True)
    entity = (
        f"(?P<dept>{lex.department_pattern(refs=True)})(?: ?\\((?![\\d\\s])[^()]{{1,25}}\\))?"
        f"(?: (?P<dplace>(?:tỉnh |thành phố |TP\\.? ?)?(?P<dprov>(?&prov)))"
        # "Ban Quản lý Khu kinh tế (mở) Vân Phong": a zone's own name, which is not a province
        f"|(?<=(?i:kinh tế|công nghiệp|KKT|KCN|cửa khẩu|công nghệ cao)) (?:(?:mở|ven biển|cửa khẩu) )?"
        f"(?-i:[\\p{{Lu}}Đ][\\p{{Ll}}]+(?: [\\p{{Lu}}Đ][\\p{{Ll}}]+){{0,3}}))?"
        f"|(?P<ministry>{lex.ministry_pattern(refs=True)})"
        f"|(?P<prov>{prov})"
        # "TP Tuyên Quang", "TP. Cẩm Phả": the city (a province's own "TP" form, "TP Đà Nẵng",
        # matched above); "TP." before one capital only ends a sentence ("… của TP. Tiếp nhận …")
        f"|(?-i:(?P<local>(?<![\\p{{L}}])(?:[Hh]uyện|[Tt]hị xã|[Qq]uận|[Tt]hành phố|TP(?= )|TP\\.(?= [\\p{{Lu}}Đ]\\p{{Ll}}* [\\p{{Lu}}Đ])|TX\\.?|[Xx]ã|[Pp]hường|[Tt]hị trấn|[Đđ]ặc khu)"
        f"(?:(?: [\\p{{Lu}}Đ][\\p{{Ll}}]*){{1,3}}|(?<=[Qq]uận|[Pp]hường) \\d{{1,2}}(?![\\d.,%/]))|{_PLACE_ABBR}))"
        f"|(?P<org>{_ORG}|{_UNIT_OF})"
        f"|(?-i:(?P<country>(?<![\\p{{L}}])(?:{countries})(?![\\p{{L}}])))"
        # "DTI quốc gia", "chỉ số cấp quốc gia", "chỉ số chuyển đổi số quốc gia": the nation's own
        # value, as "cả nước"
        f"|(?P<nation>(?<![\\p{{L}}])cả nước(?![\\p{{L}}])|(?<=(?i:DTI|cấp|chỉ số|chuyển đổi số) )quốc gia(?![\\p{{L}}/]))"
        f"|(?P<sector>(?<![\\p{{L}}])(?:{sectors})(?![\\p{{L}}]))"
        f"|(?P<ref>(?<![\\p{{L}}])(?:(?<!cấp |toàn |các |cả |mỗi |từng |địa bàn |ngoài |trong |những |nhiều |số |vài |\\d )tỉnh"
        f"|(?<!các |những |nhiều |\\d )thành phố|Thủ đô"
        f"|(?:(?<=^)|(?<=[.,;:!?] )|(?<=\\n))(?-i:[Đđ])ịa phương(?: này)?(?! (?:khác|nào|nơi)\\b)"
        # "Tổng điểm trung bình của địa phương này là 0,5064 điểm": "này" points back anywhere
        f"|(?-i:[Đđ])ịa phương này(?![\\p{{L}}])"
        f"|(?<!các |những |nhiều |mỗi |từng |\\d )đơn vị"
        f"(?! (?:hành chính|sự nghiệp|tính|chức năng|trực thuộc|liên quan|khác|được|có|nào)\\b)"
        f"|(?-i:(?<!cơ |trụ |Cơ |Trụ )(?:Sở|sở)|Bộ)"
        # "Trung tâm này đã tiếp nhận …", "chi nhánh đã giải quyết …": the body named before
        f"|(?:trung tâm|chi nhánh|chi cục)(?= này(?![\\p{{L}}])| (?:{_HEAD_REF_VERBS})(?![\\p{{L}}])))"
        f"(?-i:(?! [\\p{{Lu}}Đ&]))(?![\\p{{L}}])(?! (?:thuộc|trực thuộc|khác)\\b))"
        f"|(?-i:(?P<branch>(?<![\\p{{L}}])[Nn]gành (?:[\\p{{Lu}}Đ][\\p{{Ll}}]+)(?: [\\p{{Ll}}]+)?))"
    )
    flags = regex.IGNORECASE | regex.VERSION0
    words = _first_words(lex, [*word_lists.sector_forms(), *COUNTRIES, "cả", "ngành", "sở", "bộ", "huyện", "thị",
                               "quận", "xã", "phường", "thành", "đơn", "địa", "phòng", "đội", "tổ", "quốc", "trung", "chi",
                               "đặc"])
    compile_pattern = patterncache.compile_pattern
    starts = compile_pattern(
        r"(?<![\p{L}\p{N}])(?:\p{Lu}|(?i:" + "|".join(sorted(map(regex.escape, words), key=len, reverse=True))
        + r")(?![\p{L}]))", regex.VERSION0)
    if all(w.isalpha() and w == w.lower() for w in words):  # else the pattern, whose matches may overlap
        starts = StartFinder(starts, compile_pattern(r"(?<![\p{L}\p{N}])\p{Lu}", regex.VERSION0),
                             tuple(sorted(words)))
    with gc_paused():
        return Vocab(compile_pattern(f"(?:{entity}){GAP_DEFINITIONS}", flags),
                     compile_pattern(lex.index_pattern(refs=True) + GAP_DEFINITIONS, flags),
                     lex, starts, word_lists, linking)


def _alternation(words: list[str]) -> str:
    """Longest first, so that "doanh nghiệp tư nhân" wins over "doanh nghiệp"."""
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


# What may open a line before the name of a list item: "- ", "+ ", "1. ", "a) ", "II. ".
LINE_MARKER = regex.compile(r"[ \t]*(?:[-–+•*][ \t]*|(?:\d{1,2}|[a-zđ]|[IVX]{1,4})[.)][ \t]+)?")
def _opens_line(m: Any) -> bool:
    """Whether the mention opens its line, after a list marker at most ("- Sở Tư pháp: …")."""
    start = m.string.rfind("\n", 0, m.start()) + 1
    return LINE_MARKER.fullmatch(m.string, start, m.start()) is not None


# A dateline: "Hà Nội (TTXVN 18/4/2024) …", "TP.HCM (VTC News) - …" opening a paragraph names
# where a news agency wrote, not what its figures are about.
_DATELINE_AFTER = regex.compile(r"\s*\((?-i:\p{Lu}[\p{L}.+/&]*)(?: (?-i:\p{Lu})[\p{L}.+]*)?(?:\s*[-–,]?\s*[\d/.]{3,10})?\)")


def entity_value(lex: Lexicons, m: Any) -> Entity | None:
    """What an entity match (of :attr:`Vocab.entity`) stands for, looked up in ``lex``."""
    kind = next((k for k, v in m.groupdict().items() if v and k in _ENTITY_KINDS), "org")
    if kind == "local" and _BYLINE.fullmatch(m.group(0)) and _opens_line(m) and _LINE_END.match(m.string, m.end()):
        return None  # "P.Thảo" alone on its line: a reporter's initials, not a ward
    if kind in ("prov", "local") and _opens_line(m) and _DATELINE_AFTER.match(m.string, m.end()):
        entity = _entity_of(lex, m, kind)
        return entity._replace(agent=True) if entity is not None else None
    if kind in ("dept", "ministry", "prov", "local", "org", "country") and ANNOUNCES.match(m.string, m.end()):
        entity = _entity_of(lex, m, kind)
        return entity._replace(agent=True) if entity is not None else None
    if not _opens_line(m) and (AGENT_BEFORE.search(m.string[max(0, m.start() - 12): m.start()])
                               or SOURCE_BEFORE.search(m.string, max(0, m.start() - 50), m.start())):
        # "được UBND tỉnh xếp", "tại Trung tâm …": not what the figure is about; a place,
        # ministry or department is still what a later "tỉnh", "Bộ" or "Sở" may refer to
        entity = _entity_of(lex, m, kind) if kind in ("dept", "ministry", "prov", "local", "org", "country") else None
        return entity._replace(agent=True) if entity is not None else None
    return _entity_of(lex, m, kind)


def _entity_of(lex: Lexicons, m: Any, kind: str) -> Entity | None:
    text = " ".join(m.group(0).split())
    if kind == "ref":  # not "cấp sở", "khối huyện": a level, never a unit referred to
        return None if _LEVEL_BEFORE.search(m.string, max(0, m.start() - 5), m.start()) else \
            Entity("", None, _REF_KIND.get(text.lower(), "any"))
    sid: str | None = None
    if m.group("dept"):
        dept = lex.department_of(m.group("dept"))
        prov = lex.province_of(m.group("dprov")) if m.group("dprov") else None
        if dept is not None and dept.head is None and prov is None and dept.id in _GENERIC_BODIES:
            local = _LOCAL_NAME.match(m.string, m.end()) if _LOCAL_LEVEL.search(text) else None
            if local is not None and lex.province_of(local.group(1)) is None:
                # "UBND huyện Thọ Xuân": the body of a named district
                return Entity(f"{text} {local.group(1)}", dept.id, "dept")
            return None  # "UBND", "UBND thành phố": a body every article names, rarely the subject
        if dept is not None and dept.id in DESKS and prov is None:
            if _PLACE_AFTER.match(m.string, m.end()):
                # "Bộ phận Một cửa huyện Yên Thế": the desk of the district named next (the
                # linker joins the two, link.names.with_places)
                return Entity(text, dept.id, "dept")
            owner = _OWNER_OF.match(m.string, m.end())
            if owner is not None:  # "bộ phận một cửa của Văn phòng Cục Thuế"
                text = f"{text} {' '.join(owner.group(0).split())}"
        if dept is not None:
            sid = f"{dept.id}:{prov.id}" if prov else dept.id
        if prov is not None:
            place = Entity(_place_name(m.group("dept"), m.group("dplace")), prov.id, "prov")
            return Entity(text, sid, "dept", place)
    elif m.group("ministry"):
        ministry = lex.ministry_of(m.group("ministry"))
        sid = ministry.id if ministry else None
        if sid == "GOV" and _CONCEPT_AFTER.match(m.string, m.end()):
            return None  # "Chính phủ điện tử", "Chính phủ số": a programme, not the Government
        if sid == "GOV" and _PM_BEFORE.search(m.string, max(0, m.start() - 12), m.start()):
            return Entity(text, sid, "ministry", agent=True)  # "Thủ tướng Chính phủ": the Prime Minister
    elif m.group("prov"):
        prov = lex.province_of(m.group("prov"))
        sid = prov.id if prov else None
    elif m.group("org"):
        abbr = _ABBR_AT_END.search(text)
        if abbr is not None:  # "… Q.6": the tokenizer would split the abbreviation; keep it whole
            district = Entity(abbr.group(1), None, "local")
            return Entity(f"{_trim_org(text[:abbr.start()])} {abbr.group(1)}", None, "org", district)
        text = _trim_org(text)
        place = _ORG_PLACE.search(text)
        if place is not None:  # "Công an huyện Chương Mỹ": the district is named in the body's name
            prov = lex.province_of(place.group(2))
            where = Entity(place.group(0).strip(), prov.id if prov else None, "prov" if prov else "local")
            return Entity(text, None, "org", where)
    elif m.group("sector") and text[:1].isupper() and _NAME_WORD_BEFORE.search(m.string, max(0, m.start() - 12), m.start()):
        return None  # "Tập đoàn Dầu khí", "Cơ quan Dầu khí Qatar": inside a name
    elif kind == "nation" and (_SUPERLATIVE_BEFORE.search(m.string, max(0, m.start() - 16), m.start())
                               or compared_average(m.string, m.start(), m.end())):
        return Entity(text, None, kind, agent=True)  # "tốt nhất cả nước": the scope of a superlative
    elif m.group("country") and _MODIFIER_BEFORE.search(m.string[max(0, m.start() - 20): m.start()]):
        return None  # "tàu thuyền Việt Nam", "doanh nghiệp Việt Nam": a modifier, not the subject
    return Entity(text, sid, "prov" if kind == "dprov" else kind)


# The desks that serve a body, named with that body ("Bộ phận một cửa của UBND huyện X").
DESKS = frozenset({"ONE_STOP", "PSAC"})
_OWNER_OF = regex.compile(
    r" (?:của|thuộc) (?:(?:UBND|Ủy ban nhân dân|Văn phòng|Cục|Chi cục|Sở|huyện|quận|thị xã|thành phố|tỉnh|xã|phường|thị trấn) )*"
    r"(?-i:[\p{Lu}Đ][\p{L}&]*)(?: (?-i:[\p{Lu}Đ][\p{L}&]*)){0,4}")
_PLACE_AFTER = regex.compile(r" (?:huyện|quận|thị xã|thành phố|tỉnh|xã|phường|thị trấn|TP\.?) ?(?-i:[\p{Lu}Đ])",
                            regex.IGNORECASE)
_PM_BEFORE = regex.compile(r"Thủ tướng\s+$")
_LEVEL_BEFORE = regex.compile(r"(?<!\p{L})(?:cấp|khối)\s+$", regex.IGNORECASE)
# "tốt nhất cả nước", "dẫn đầu toàn quốc", "thứ 5 cả nước": a superlative's or rank's scope.
_SUPERLATIVE_BEFORE = regex.compile(r"(?<!\p{L})(?:nhất|(?:top|tốp) (?:đầu|\d+)|(?:dẫn|đứng|xếp) đầu|(?:thứ|hạng) \d+)"
                                    r"\s+(?:trong\s+|trên\s+)?$", regex.IGNORECASE)
_CONCEPT_AFTER = regex.compile(r" (?:điện tử|số|kiến tạo|liêm chính)(?!\p{L})", regex.IGNORECASE)
_LOCAL_LEVEL = regex.compile(r"(?:huyện|quận|thị xã|thành phố|xã|phường|thị trấn|đặc khu)$", regex.IGNORECASE)
_LOCAL_NAME = regex.compile(r" ((?-i:[\p{Lu}Đ][\p{Ll}]*)(?: (?-i:[\p{Lu}Đ][\p{Ll}]*)){0,3})(?!\p{L})")
_PLACE_WORD = regex.compile(r"(?:tỉnh|thành phố|TP\.?)$", regex.IGNORECASE)


def _place_name(dept: str, place: str) -> str:
    """The province inside "UBND tỉnh Bắc Ninh" is "tỉnh Bắc Ninh", as a later "tỉnh" means."""
    place = " ".join(place.split())
    word = _PLACE_WORD.search(dept.rstrip())
    if word and not _PLACE_WORD.search(place.split(" ")[0]):
        return f"{word.group(0)} {place}"
    return place


_ENTITY_KINDS = ("dept", "ministry", "prov", "local", "org", "country", "nation", "sector", "branch", "ref")
# Short references and the kind of full mention each stands for.
_REF_KIND = {"tỉnh": "prov", "thành phố": "prov", "thủ đô": "prov", "địa phương": "prov",
             "địa phương này": "prov", "sở": "dept", "bộ": "ministry",
             "đơn vị": "unit", "trung tâm": "head:trung tâm", "chi nhánh": "head:chi nhánh",
             "chi cục": "head:chi cục"}
# A bare head noun refers back only where it acts: before "này" or one of these verbs.
_HEAD_REF_VERBS = "đã|đang|sẽ|vừa|cũng|vẫn|tiếp nhận|giải quyết|xử lý|trả|có|đạt|thực hiện|tiếp tục"
_HEAD_OF = regex.compile(r"(?:trung tâm|chi nhánh|chi cục)(?!\p{L})", regex.IGNORECASE)
# "đơn vị" stands for the nearest body or place of any of these kinds.
_UNIT_KINDS = ("dept", "ministry", "org", "local", "prov")


def resolve_refs(entities: list[Mention], main: Mention | None) -> list[Mention]:
    """'tỉnh', 'Thành phố', 'Sở', 'Bộ', 'đơn vị' -> the nearest earlier full mention of that kind
    (a department also answers 'Sở', a province 'tỉnh'), else the article's main entity
    when it is of that kind; a reference that resolves to nothing is dropped. Agents
    ("Tại Hà Tĩnh, tỉnh xếp thứ 25") are antecedents only, not in the list returned."""
    out: list[Mention] = []
    last: dict[str, Mention] = {}
    for m in entities:
        if m.value.text:
            if not m.value.agent:
                out.append(m)
            last[m.value.kind] = m
            head = _HEAD_OF.match(m.value.text)
            if head is not None:  # "Trung tâm Hành chính công" is what a later "trung tâm" means
                last["head:" + head.group(0).lower()] = m
            if m.value.place is not None:
                last["prov"] = Mention(m.start, m.end, m.text, m.value.place)
            continue
        want = m.value.kind
        if want == "unit":
            units = [last[k] for k in _UNIT_KINDS if k in last]
            target = max(units, key=lambda u: u.start) if units else None
            if target is None and main is not None and main.value.kind in _UNIT_KINDS:
                target = main
            if target is not None:
                out.append(Mention(m.start, m.end, m.text, target.value, target))
            continue
        target = last.get(want)
        if target is None and main is not None and (main.value.kind == want or (
                want.startswith("head:") and main.value.text.lower().startswith(want[5:]))):
            target = main
        if target is not None:
            out.append(Mention(m.start, m.end, m.text, target.value, target))
    return out


# Lower-case words that end an agency's name: verbs and function words after it.
_NAME_ENDS = frozenset(
    ["thông tin", "cho biết", "không", "không thể", "đã", "đang", "sẽ", "vừa", "mới", "triển khai", "thực hiện", "tổ chức", "phối hợp", "cho", "của", "với", "là", "có", "được", "tại", "trong", "về", "theo", "và", "hoặc", "đề nghị", "yêu cầu", "công bố", "báo cáo", "nhận định", "khẳng định", "cũng", "vẫn", "tiếp tục", "chủ trì", "ban hành", "đánh giá", "cần", "phải", "nên", "đến", "từ", "nay", "này", "đó", "hiện", "hiện nay", "đều",
     "luôn", "đạt", "xếp", "đứng", "dẫn đầu", "giữ", "tăng", "giảm", "tiếp nhận", "giải quyết", "năm"])
# Place words: once a place is named after them ("… huyện Krông Pắc"), the name has ended.
_PLACE_WORDS = frozenset({"tỉnh", "huyện", "thành phố", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu", "TP"})
_TERMINAL = frozenset({"Việt Nam", "Trung ương", "Quốc gia", "Chính phủ"})
_TERMINAL_FOLDED = frozenset(t.lower() for t in _TERMINAL)
_TITLES = frozenset({"Phó", "Giám đốc", "Chủ tịch", "Bộ trưởng", "Thứ trưởng", "Cục trưởng", "Viện trưởng",
                     "Trưởng", "Tổng Giám đốc", "Ông", "Bà", "Thủ trưởng", "Chánh", "Vụ trưởng"})
_MODIFIER_BEFORE = regex.compile(
    r"(?<![,;:.(“\"])\b(?!(?:ở|tại|của|và|với|cho|như|so với|thuộc|đối với|khi|mà|còn|nhưng|thì|trước|sau|cùng|là|gồm|bao gồm|cả|vượt|hơn|đó|riêng|nay|xếp|đưa|giúp|trên|dưới)\s+$)\p{Ll}+\s+$")


def _trim_org(name: str) -> str:
    """'Cục Hàng hải Việt Nam thông tin' -> 'Cục Hàng hải Việt Nam': words (underthesea) of
    the name up to a verb or function word, a terminal such as 'Việt Nam', or four
    lower-case words."""
    words = list(segment(name))
    kept, lower = words[:1], 0
    for i, word in enumerate(words[1:], 1):
        if kept[-1].lower() in _TERMINAL_FOLDED:
            break
        names = word.split()
        if names[0] in _TITLES or word in _TITLES:
            break  # "… Chất lượng Phó Tổng cục trưởng …": a person's title after the name
        if names[0] in _SURNAMES and i >= 2 and (len(names) >= 3 or (kept[-1][:1].islower() and len(names) == 2)) \
                and all(n[:1].isupper() for n in names):
            break  # a person after the name: "… Xã hội Dương Quyết Thắng", "… quốc gia Khuất Việt Hùng"
        if word == "và" and i + 1 < len(words) and words[i + 1] not in _NAME_ENDS \
                and not _HEAD_WORD.match(words[i + 1]):
            kept.append(word)  # "Cục Quản lý chất lượng nông lâm sản và thủy sản"
            continue
        if word[:1].islower():
            if word in _NAME_ENDS or lower >= 5 or (len(kept) >= 2 and kept[-2] in _PLACE_WORDS):
                break
            lower += 1
        kept.append(word)
    if kept[-1] == "và":
        kept.pop()
    return " ".join(kept)


_NAME_WORD_BEFORE = regex.compile(r"(?<![.!?:;]\s)(?<!^)(?-i:[\p{Lu}Đ])\p{Ll}*\s+$")
_ABBR_AT_END = regex.compile(r" (" + _PLACE_ABBR + r")$")
_ORG_PLACE = regex.compile(r" (tỉnh|huyện|thành phố|quận|thị xã|xã|phường|thị trấn) ((?-i:[\p{Lu}Đ][\p{Ll}]*)(?: (?-i:[\p{Lu}Đ][\p{Ll}]*)){0,3})$")
# Family names: capitalised words after a body's name that begin with one are a person
# ("Phó Chủ tịch Ủy ban An toàn giao thông quốc gia Khuất Việt Hùng"), not the name.
_SURNAMES = frozenset({"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
                       "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đoàn", "Vương", "Trịnh", "Trương", "Lâm", "Phùng", "Mai",
                       "Tô", "Hà", "Tạ", "Khuất", "Lưu", "Cao", "Đinh", "Lương", "Triệu", "Thái", "Châu", "Kiều"})
_HEAD_WORD = regex.compile(_HEADS + r"(?!\p{L})")


def population_value(surface: str, m: Any) -> Entity:
    return Entity(" ".join(m.group(0).split()), None, "population")

