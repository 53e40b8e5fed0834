"""Names the entity patterns find in pieces: a list of districts after one level word, a
national body's branch named by its province right after it.

The patterns find "huyện Yên Lạc" and "Kho bạc Nhà nước", "Đắk Lắk"; what the subject
chain needs is three districts in "huyện Yên Lạc, Tam Dương và Sông Lô", one branch in
"Kho bạc Nhà nước Đắk Lắk" and, in a province's ranking of its own districts, the
district named bare at the head of a results clause ("Đông Giang xếp cuối"). Applied once
per article, before the subject strategies.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from typing import Any

import regex

from ..entities import DESKS, Entity, Mention

# "Ba huyện Yên Lạc, Tam Dương và Sông Lô": names listed after the first take its level.
_LISTED_NAME = regex.compile(r"(?:, và |, | và )((?-i:[\p{Lu}Đ][\p{Ll}]+(?: [\p{Lu}Đ][\p{Ll}]+){0,2}))(?![\p{L}])")
_LEVEL_WORD = regex.compile(r"(?i:huyện|quận|thị xã|thành phố|xã|phường|thị trấn|đặc khu)(?= )|TX\.?(?= )|TP\.?(?= )")


def with_listed_names(entities: list[Mention], text: str) -> list[Mention]:
    """Entity mentions plus the names listed after a district or commune that share its
    level word ("huyện Yên Lạc, Tam Dương và Sông Lô" names three districts). A name that
    is already an entity (a province after a comma) ends the list."""
    starts = {m.start for m in entities}
    added: list[Mention] = []
    for m in entities:
        level = _LEVEL_WORD.match(m.text) if m.value.kind == "local" and m.value.text else None
        if level is None:
            continue
        pos = m.end
        while (name := _LISTED_NAME.match(text, pos)) is not None and name.start(1) not in starts:
            word = level.group(0).lower()
            added.append(Mention(name.start(1), name.end(1), name.group(1),
                                 Entity(f"{word} {name.group(1)}", None, "local", agent=m.value.agent)))
            pos = name.end()
    return sorted([*entities, *added], key=lambda e: (e.start, -e.end)) if added else entities


# "Kho bạc Nhà nước Đắk Lắk", "Cục Hải quan Bình Dương", "Bảo hiểm xã hội tỉnh Nghệ An": a
# national body's branch named by its province right after it; "Phòng Tài nguyên và Môi
# trường huyện Củ Chi", "Trung tâm Hành chính công quận Hải Châu": a district's office.
_PLACE_GLUE = regex.compile(r" (?:(?:tỉnh|thành phố|TP\.?) ?)?")
_BRANCHED = frozenset({"ministry", "org"})
_OFFICES = frozenset({"org", "dept"})


def _joins(m: Mention, nxt: Mention, text: str) -> bool:
    """Whether ``nxt`` is the place that ``m``, a body with none of its own, belongs to."""
    if not (m.value.text and m.value.place is None and nxt.value.text):
        return False
    if m.value.kind in _BRANCHED and not m.value.text.startswith(("Bộ ", "Chính phủ")) \
            and nxt.value.kind == "prov" and _PLACE_GLUE.fullmatch(text, m.end, nxt.start):
        return True
    # an office that is only where something happened ("Tại Chi nhánh … huyện Gia Lâm") leaves
    # its district to stand as it did
    return m.value.kind in _OFFICES and not m.value.agent and nxt.value.kind == "local" and text[m.end:nxt.start] == " " \
        and not m.value.text.startswith(("UBND", "Ủy ban", "Uỷ ban"))


# "Bộ phận một cửa cấp huyện, cấp xã", "Trung tâm Hành chính công các cấp": a desk named by
# the levels it serves at.
_DESK_LEVELS = regex.compile(r" (?:các cấp|cấp (?:tỉnh|huyện|xã)(?:(?:, | và |, và )cấp (?:huyện|xã))*)(?!\p{L})",
                             regex.IGNORECASE)


def _with_levels(m: Mention, text: str) -> Mention:
    """A desk's mention extended over the levels written right after it."""
    levels = _DESK_LEVELS.match(text, m.end) if m.value.id in DESKS and m.value.place is None else None
    if levels is None:
        return m
    return Mention(m.start, levels.end(), text[m.start:levels.end()],
                   m.value._replace(text=f"{m.value.text}{levels.group(0)}"))


def with_places(entities: list[Mention], text: str) -> list[Mention]:
    """Entity mentions with a body and the province (or, for an office, the district)
    named right after it joined into one mention of the body's branch there: the subject
    says both; a desk keeps the levels it serves at ("Bộ phận một cửa cấp huyện, cấp xã").
    The Government and the ministries themselves ("Bộ Y tế Hà Nội" is rare, "Chính phủ
    Việt Nam" is the Government) are left alone."""
    out: list[Mention] = []
    i = 0
    while i < len(entities):
        m = entities[i]
        nxt = entities[i + 1] if i + 1 < len(entities) else None
        level = _bare_level(m, text)
        if level is not None:
            # "Ban Quản lý các khu công nghiệp tỉnh đứng cuối", "Trung tâm Hành chính công huyện
            # đã tiếp nhận": the body of the province or district, one mention named with its
            # level (a bare "tỉnh" mention there is not another subject)
            out.append(Mention(m.start, level.end(), text[m.start:level.end()],
                               m.value._replace(text=f"{m.value.text} {level.group(1).lower()}")))
            i += 2 if nxt is not None and nxt.start < level.end() else 1
            continue
        if nxt is not None and _joins(m, nxt, text):
            sid = f"{m.value.id}:{nxt.value.id}" if m.value.id and nxt.value.id else None
            name = f"{m.value.text}{text[m.end:nxt.start]}{nxt.value.text}"
            out.append(Mention(m.start, nxt.end, text[m.start:nxt.end],
                               m.value._replace(text=name, id=sid, place=nxt.value)))
            i += 2
            continue
        desk = _with_levels(m, text)
        out.append(desk)
        i += 1
        while desk is not m and i < len(entities) and entities[i].start < desk.end:
            i += 1  # "cấp xã" inside the desk's levels is part of its name
    return out


_BARE_LEVEL = regex.compile(r" (tỉnh|huyện)(?!\p{L})(?! ?(?-i:[\p{Lu}Đ]))", regex.IGNORECASE)


def _bare_level(m: Mention, text: str) -> regex.Match[str] | None:
    """A bare "tỉnh" or "huyện" right after a body's name, naming no place ("Trung tâm Hành
    chính công huyện đã tiếp nhận …"), or None."""
    if m.value.kind not in _OFFICES | _BRANCHED or not m.value.text or m.value.place is not None \
            or m.value.text.startswith("Bộ "):
        return None
    return _BARE_LEVEL.match(text, m.end)


# "Phòng Thương mại và Công nghiệp Việt Nam (VCCI)": the short name an article goes on with.
_ACRONYM_AFTER = regex.compile(r" ?\((?-i:[\p{Lu}Đ][\p{Lu}Đ&-]{1,9})\)")


def with_acronyms(entities: list[Mention], text: str) -> list[Mention]:
    """A body's mention with the acronym written right after it kept in its name, so that
    its subject says both ("Phòng Thương mại và Công nghiệp Việt Nam (VCCI)")."""
    out: list[Mention] = []
    for m in entities:
        short = _ACRONYM_AFTER.match(text, m.end) if m.value.kind in _BRANCHED and m.value.text else None
        if short is not None and short.group(0).strip("( )") not in m.value.text:
            m = Mention(m.start, short.end(), text[m.start:short.end()],
                        m.value._replace(text=f"{m.value.text} {short.group(0).strip()}"))
        out.append(m)
    return out


# A district named bare at the head of a results clause: "… và Hòa Vang xếp cuối", "Chỉ có
# Krông Pắc vẫn giữ thứ hạng 7", "Ea Kar từ vị thứ 9 đã vươn lên …" (two or three capitalised
# syllables, then a ranking verb, or a place word as titles write it: "Cẩm Phả quán quân, Vân
# Đồn cuối bảng").
_UNIT_NAME = regex.compile(
    r"(?:^|(?<=[.:;,!?]\s)|(?<=\n)|(?<=(?<!\p{L})(?:và|còn|có|Chỉ có|riêng|Riêng)\s))"
    r"((?-i:[\p{Lu}Đ][\p{Ll}]+(?: [\p{Lu}Đ][\p{Ll}]+){1,2}))"
    r"(?= (?:(?:đã|vẫn|tiếp tục|cũng|lại) )*(?:xếp|đứng|chiếm|từ (?:vị|hạng|thứ)|giữ|vươn|tụt|rơi|dẫn đầu"
    r"|đạt|tăng|giảm|có chỉ số|có tỷ lệ|quán quân|cuối bảng|chót bảng|đầu bảng)(?!\p{L}))")


def with_unit_names(entities: list[Mention], text: str) -> list[Mention]:
    """Entity mentions plus the districts an article about a province's own ranking names
    without their level word: a name that a district mention of the article ends with
    ("huyện Bắc Trà My" … "Bắc Trà My xếp thứ nhất") is that district; another name of two
    or three capitalised syllables opening a results clause ("Đông Giang xếp cuối cùng")
    is a district too, once the article names districts with their level word at all."""
    districts = {m.value.text.split(" ", 1)[1]: m.value for m in entities
                 if m.value.kind == "local" and m.value.text and _LEVEL_WORD.match(m.value.text)
                 and " " in m.value.text}
    if not districts:
        return entities
    # an entity overlaps [a, b) when one starting before b ends after a: starts in order and
    # the furthest end so far answer that by bisection, not by a scan per name
    ordered = sorted((m.start, m.end) for m in entities)
    starts = [st for st, _ in ordered]
    reach = list(accumulate((e for _, e in ordered), max))
    added: list[Mention] = []
    for name in _UNIT_NAME.finditer(text):
        a, b = name.span(1)
        k = bisect_left(starts, b)
        if k and reach[k - 1] > a:
            continue
        value = districts.get(name.group(1)) or Entity(name.group(1), None, "local")
        added.append(Mention(a, b, name.group(1), value))
    return sorted([*entities, *added], key=lambda e: (e.start, -e.end)) if added else entities


def own_unit(inside: list[Mention]) -> Mention | None:
    """"Kết quả DDCI Quảng Ninh 2021, … Cục Hải quan Quảng Ninh quán quân với 78,48 điểm":
    when a clause opens with a province, a body of that province named later in the clause
    is what the province's ranking of its own bodies is about; so is a district or commune
    ("DDCI Quảng Ninh 2020, TP. Cẩm Phả vươn lên vị trí thứ nhất")."""
    if not inside or inside[0].value.kind != "prov":
        return None
    return next((m for m in inside[1:] if m.value.kind == "local" or (
        m.value.place is not None and m.value.place.id is not None and m.value.place.id == inside[0].value.id)), None)


# "Hồ sơ tập trung ở một số sở, ngành như: Giao thông vận tải 617 hồ sơ, Kế hoạch và đầu tư 318
# hồ sơ, Tư pháp 214": departments listed by their field alone after a list of departments.
_DEPARTMENT_LIST = regex.compile(r"(?<!\p{L})(?:sở, ban, ngành|sở, ngành|các sở)(?: như| gồm| là)?\s*:\s*", regex.IGNORECASE)
_FIELD_ITEM = regex.compile(r"((?-i:[\p{Lu}Đ])[\p{L}&,\- ]{2,50}?) (?=\d)")
_ITEM_END = regex.compile(r"[^,;.]*[,;]\s*")


def with_bare_departments(entities: list[Mention], text: str, department_of: Any) -> list[Mention]:
    """Entity mentions plus the departments a list names by their field alone, each
    looked up as "Sở <field>" (``department_of``: :meth:`Lexicons.department_of`)."""
    added: list[Mention] = []
    for intro in _DEPARTMENT_LIST.finditer(text):
        pos = intro.end()
        while (item := _FIELD_ITEM.match(text, pos)) is not None:
            name = item.group(1).strip()
            dept = department_of(f"Sở {name}")
            if dept is None or getattr(dept, "head", None) != "Sở":
                break
            if not any(m.start < item.end(1) and item.start(1) < m.end for m in entities):
                added.append(Mention(item.start(1), item.end(1), name, Entity(f"Sở {name}", dept.id, "dept")))
            rest = _ITEM_END.match(text, item.end())
            if rest is None:
                break
            pos = rest.end()
    return sorted([*entities, *added], key=lambda e: (e.start, -e.end)) if added else entities
