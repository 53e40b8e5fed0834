"""Canonical subjects: one stable id per unit, however an article wrote it.

"TP.HCM" and "Thành phố Hồ Chí Minh" are VN-SG; "Sở KH&CN Hà Tĩnh" and "Sở Khoa học và
Công nghệ tỉnh Hà Tĩnh" are DOST:VN-23; "63 tỉnh, thành phố" and "các tỉnh, thành phố"
are AGG-PROVINCES. Provinces keep their ISO 3166-2:VN code, ministries and department
types their lexicon id; aggregates, countries and districts take the codes of
``rules/lexicons/subjects.yaml`` (:mod:`newsfacts.codes`). A subject is resolved by these
strategies, in order (the first that answers decides):

``group``      the whole subject is an aggregate or a country of the codes;
``lexicon``    the linker's ``subject_id`` (a province, ministry or department);
``text``       the subject read again: for a linked fact, a district or commune ("huyện
               Yên Thế"), which no lexicon lists; for a fact of another tool (no
               ``subject_id`` field), the whole subject with the linker's entity patterns;
``spelling``   nothing known: ``TEXT-`` and the folded spelling ("nền kinh tế" is
               TEXT-NEN-KINH-TE).

Then, per article, what only the article can say (:meth:`SubjectResolver.in_article`):
a department, district or provincial group without its province ("Sở Tư pháp", "các sở,
ban, ngành") takes the province when the article's subjects name exactly one.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from ..codes import Aggregate, SubjectCodes
from ..lexicons import Lexicons, match_key

if TYPE_CHECKING:
    from ..entities import Vocab
    from ..resources import Resources

KINDS = ("province", "ministry", "department", "district", "country", "aggregate", "other")
STRATEGIES = ("group", "lexicon", "text", "spelling")


@dataclass(frozen=True)
class Subject:
    """A resolved subject: ``id``, what kind of unit, a display ``name``, the province it is
    in (for the article's context and the 2025 map) and whether it still ``needs`` one."""

    id: str
    kind: str
    name: str
    province: str | None = None
    needs: bool = False  # a department, district or provincial group without its province
    how: str = "lexicon"


def slug(text: str) -> str:
    """"Yên Thế" -> "YEN-THE": no tones, capitals, one '-' between words."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "-".join(regex.findall(r"[A-Za-z0-9]+", text)).upper()


class SubjectResolver:
    """Subjects of one rules root's lexicons, cached by (subject, subject_id): an archive
    repeats a few hundred subjects, so each is read once.

    Built from a run's :class:`~newsfacts.resources.Resources` (:meth:`of`), or from the
    lexicons of a rules root alone (:meth:`load`): the panel of an output needs no rules."""

    def __init__(self, lexicons: Lexicons, codes: SubjectCodes, vocab: Callable[[], Vocab]) -> None:
        self.lex = lexicons
        self.codes = codes
        self._vocab_of = vocab
        self._vocab: Vocab | None = None
        self._cache: dict[tuple[str | None, str | None, bool], Subject | None] = {}
        self._provinces = {p.id: p for p in self.lex.provinces}
        self._ministries = {m.id: m for m in self.lex.ministries}
        self._departments = {d.id: d for d in self.lex.departments}
        words = sorted((w for ws in self.codes.locals.values() for w in ws), key=len, reverse=True)
        self._local = regex.compile(
            r"(?<!\p{L})(" + "|".join(map(regex.escape, words)) + r")\s+"
            r"((?-i:(?:[\p{Lu}Đ][\p{Ll}]*|\d+)(?:[ -](?:[\p{Lu}Đ][\p{Ll}]*|\d+)){0,3}))(?![\p{L}\d])",
            regex.IGNORECASE)

    @classmethod
    def of(cls, resources: Resources) -> SubjectResolver:
        return cls(resources.lexicons, resources.codes, lambda: resources.vocab)

    @classmethod
    def load(cls, root: str | os.PathLike[str] | None = None) -> SubjectResolver:
        """The lexicons of the rules root ``root`` (default: as every command finds it),
        read and checked as :func:`~newsfacts.resources.load_resources` reads them."""
        from ..codes import load_codes
        from ..entities import build_vocab
        from ..lexicons import load_lexicons, load_word_lists
        from ..resources import check_root, default_root

        base = Path(root) if root is not None else default_root()
        check_root(base)
        lexicons = load_lexicons(base / "lexicons")
        words = load_word_lists(base / "lexicons")
        codes = load_codes(base / "lexicons", words, lexicons)
        # the entity patterns only: the linker's own words are not needed to find names
        return cls(lexicons, codes, lambda: build_vocab(lexicons, words, None))

    @property
    def vocab(self) -> Vocab:
        if self._vocab is None:
            self._vocab = self._vocab_of()
        return self._vocab

    # ------------------------------------------------------------------ one subject
    def resolve(self, subject: str | None, subject_id: str | None,
                linked: bool = False) -> Subject | None:
        """The canonical subject of a fact's ``subject`` and ``subject_id``; None when the
        fact has neither. ``linked``: the fact comes from the linker, which looked the
        subject up in the lexicons already (a null ``subject_id`` means it found no entry),
        so the ``text`` strategy only looks for districts; a fact without a
        ``subject_id`` field (another tool's) has its subject read whole."""
        key = (subject, subject_id, linked)
        if key not in self._cache:
            self._cache[key] = self._resolve(" ".join((subject or "").split()), subject_id, linked)
        return self._cache[key]

    def _resolve(self, text: str, sid: str | None, linked: bool = False) -> Subject | None:
        if not text and not sid:
            return None
        group = self.codes.group_of(text) if text else None
        if isinstance(group, Aggregate):
            return self._aggregate(group, None, "group")
        if isinstance(group, str):
            return Subject(group, "country", self.codes.countries[group][0], how="group")
        if sid:
            found = self._from_id(sid, text)
            if found is not None:
                return found
        if text:
            found = self._local_text(text) if linked else self._from_text(text)
            if found is not None:
                return found
        if not text:
            return Subject(sid or "", "other", sid or "", how="spelling")
        return Subject(f"TEXT-{slug(text)}", "other", text, how="spelling")

    def _aggregate(self, agg: Aggregate, province: str | None, how: str) -> Subject:
        if province is None:
            return Subject(agg.id, "aggregate", agg.name, needs=agg.scope != "nation", how=how)
        if agg.scope == "self":
            return self._province(province, how)
        return Subject(f"{agg.id}:{province}", "aggregate",
                       f"{agg.name} ({self._provinces[province].name})", province, how=how)

    def _province(self, pid: str, how: str) -> Subject:
        return Subject(pid, "province", self._provinces[pid].name, pid, how=how)

    def _department(self, dept_id: str, province: str | None, text: str, how: str) -> Subject | None:
        """A department type, placed in ``province`` when known; a People's Committee
        (``stands_for``) is its province or district."""
        dept = self._departments[dept_id]
        if dept_id in self.codes.stands_for:
            local = self._local_of(text, province) if dept.level != "province" else None
            if local is not None:
                return replace(local, how=how)
            if province is not None and dept.level in ("province", "any"):
                return self._province(province, how)
            if dept.level in ("district", "commune"):
                return None  # "UBND huyện" with no name: nothing to stand for
        if province is None:
            return Subject(dept_id, "department", dept.name, needs=True, how=how)
        return Subject(f"{dept_id}:{province}", "department",
                       f"{dept.name} {self._provinces[province].name}", province, how=how)

    def _from_id(self, sid: str, text: str) -> Subject | None:
        head, _, place = sid.partition(":")
        if place and place not in self._provinces:
            return None
        if not place and head in self._provinces:
            return self._province(head, "lexicon")
        if head in self._departments:
            return self._department(head, place or None, text, "lexicon")
        if head in self._ministries:
            return self._ministry(head, place or self._province_after(text, head), "lexicon")
        return None

    def _ministry(self, mid: str, province: str | None, how: str) -> Subject:
        name = self._ministries[mid].name
        if province is None:
            return Subject(mid, "ministry", name, how=how)
        # "Cục Thuế tỉnh Hà Tĩnh": a central body's branch in one province
        return Subject(f"{mid}:{province}", "department",
                       f"{name} {self._provinces[province].name}", province, how=how)

    def _mentions(self, text: str) -> list[Any]:
        """The linker's entity mentions of ``text``; an agency's name is taken as written
        (the linker trimmed it already, and trimming loads a tokenizer)."""
        from ..entities import Entity, find_mentions

        vocab = self.vocab

        def value_of(surface: str, m: Any) -> Any:
            if m.group("org"):
                return Entity(" ".join(m.group(0).split()), None, "org")
            return vocab.entity_value(surface, m)

        return find_mentions(vocab.entity, text, value_of, vocab.starts)

    def _province_after(self, text: str, mid: str) -> str | None:
        """The province named right after a central body ("Cục Thuế tỉnh Hà Tĩnh")."""
        if not text or len(text.split()) < 3:
            return None
        mentions = self._mentions(text)
        for a, b in pairwise(mentions):
            if a.value.id == mid and b.value.kind == "prov" and b.value.id \
                    and b.start - a.end <= 1 and b.end == len(text):
                return str(b.value.id)
        return None

    def _local_text(self, text: str) -> Subject | None:
        local = self._local_of(text, None)
        return replace(local, how="text") if local is not None else None

    def _from_text(self, text: str) -> Subject | None:
        mentions = [m for m in self._mentions(text) if m.start == 0]
        if not mentions:
            return self._local_text(text)
        value = mentions[0].value
        if value.kind == "local" or (value.kind == "dept" and value.id is None):
            return self._local_text(text)
        if value.id and value.kind == "prov" and value.id in self._provinces:
            return self._province(value.id, "text")
        if value.id and value.kind == "dept":
            found = self._from_id(value.id, text)
            return replace(found, how="text") if found is not None else None
        if value.id and value.kind == "ministry":
            return self._ministry(value.id, self._province_after(text, value.id), "text")
        if value.kind == "nation":
            return Subject("VN", "country", self.codes.countries["VN"][0], how="text")
        return None

    def _local_of(self, text: str, province: str | None) -> Subject | None:
        """A district or commune named in ``text`` ("huyện Yên Thế", "UBND thị xã Kỳ Anh"),
        placed in the province the text names after it, else in ``province``."""
        m = self._local.search(text)
        if m is None:
            return None
        level = self.codes.level_of(m.group(1))
        name = m.group(2)
        if level is None or self._is_province_name(f"{m.group(1)} {name}"):
            return None  # "thành phố Hà Nội" is a province
        rest = text[m.end():].lstrip(" ,")
        placed = self.lex.province_of(rest) if rest else None
        province = placed.id if placed is not None else province
        ident = f"{level}-{slug(name)}"
        label = f"{m.group(1).lower()} {name}"
        if province is None:
            return Subject(ident, "district", label, needs=True)
        return Subject(f"{ident}:{province}", "district",
                       f"{label} ({self._provinces[province].name})", province)

    def _is_province_name(self, text: str) -> bool:
        prov = self.lex.province_of(text)
        return prov is not None and any(match_key(f) == match_key(text)
                                        for f in (prov.name, *prov.forms, *prov.cased_forms))

    # ------------------------------------------------------------------ one article
    def in_article(self, subjects: list[Subject | None]) -> list[Subject | None]:
        """``subjects`` of one article's facts, with those that need a province placed in
        the article's one province (when its subjects name exactly one)."""
        places = {s.province for s in subjects if s is not None and s.province}
        if len(places) != 1 or not any(s is not None and s.needs for s in subjects):
            return subjects
        (province,) = places
        return [self._placed(s, province) if s is not None and s.needs else s for s in subjects]

    def _placed(self, s: Subject, province: str) -> Subject:
        how = "article"
        if s.kind == "aggregate":
            agg = next(a for a in self.codes.aggregates if a.id == s.id)
            return self._aggregate(agg, province, how)
        if s.kind == "department" and s.id in self._departments:
            return self._department(s.id, province, "", how) or s
        if s.kind == "district":
            return Subject(f"{s.id}:{province}", "district",
                           f"{s.name} ({self._provinces[province].name})", province, how=how)
        return s

    # ------------------------------------------------------------------ the 2025 map
    def mapped(self, s: Subject) -> tuple[Subject, str | None]:
        """``s`` on the map after the 2025 reorganisation (provinces.yaml's ``merged_into``,
        and the merged ministries and department types), with the id it had when it
        changed: ("VN-24" Quảng Bình) -> (VN-25 Quảng Trị, "VN-24")."""
        head, _, place = s.id.partition(":")

        def unit(pid: str) -> str:
            p = self._provinces.get(pid)
            return p.current_id if p is not None else pid

        def body(bid: str) -> str:
            found = self._departments.get(bid) or self._ministries.get(bid)
            return (found.merged_into if found is not None else None) or bid

        if s.kind == "province":
            new_id = unit(s.id)
        else:
            new_id = body(head) + (f":{unit(place)}" if place else "")
        if new_id == s.id:
            return s, None
        new_head, _, new_place = new_id.partition(":")
        if s.kind == "province":
            moved = self._province(new_id, s.how)
        elif new_head in self._departments:
            moved = self._department(new_head, new_place or None, "", s.how) or s
        elif new_head in self._ministries:
            moved = self._ministry(new_head, new_place or None, s.how)
        else:  # a district or a group: the same name, in the unit its province joined
            old = self._provinces.get(place)
            name = s.name.replace(f"({old.name})", f"({self._provinces[new_place].name})") \
                if old is not None and new_place in self._provinces else s.name
            moved = replace(s, id=new_id, name=name, province=new_place or None)
        return moved, s.id
