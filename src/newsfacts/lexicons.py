"""Lexicons: the provinces, ministries, local bodies and indexes a figure is linked to.

The vocabularies live as data in ``rules/lexicons/*.yaml`` so that a reviewer who reads
Vietnamese, not Python, can correct them, and so that the 2025 mergers (provinces,
ministries, departments) are recorded once, with the era each name belongs to.

Matching is by *form*, every written form of an entry. News writes one name many ways
("Sở KH&CN", "Sở KH-CN", "Sở KH & CN", "Sở KHCN"; "TP.HCM", "TP HCM", "Tp.HCM"), so
lookups fold case, tone placement, punctuation and the word "và", and the patterns
accept the same variants (see :func:`_gap`). A form written all in capitals (an
acronym: NHNN, UBND, PCI) matches only in capitals, because its lowercase is often an
ordinary word; ``cased_forms`` does the same for names such as "Hòa Bình" (= peace).
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import IO, Any, Generic, TypeVar, get_args

import regex
import yaml

from . import patterncache, yamlsafe
from .clean import normalize_tones
from .errors import LexiconError
from .models import IndexCode

ERAS = ("pre2025", "post2025")
INDEX_CODES: tuple[str, ...] = get_args(IndexCode)
_CHOICES = {"era": ERAS, "code": INDEX_CODES, "type": ("tỉnh", "thành phố"),
            "kind": ("ministry", "agency", "body"),
            "level": ("province", "district", "commune", "any")}
_FORM_FIELDS = {"name", "forms", "cased_forms", "short", "fields", "names"}
_NONEMPTY = {"era", "forms", "names"}
_SPACES, _CONJ = " \t\u00a0\u202f", r",&+/\-–—"  # the characters themselves: no escapes to parse
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_FORM_CHARS = regex.compile(r"[\p{L}\p{M}\p{N} .,&+/\-–—]+")


def read_yaml(source: str | IO[str]) -> Any:
    """A YAML document read with a safe loader (libyaml's when installed): rules, lexicons
    and site profiles are data a user edits, never code to run; size, nesting and alias
    expansion are limited (:mod:`newsfacts.yamlsafe`)."""
    return yamlsafe.read_yaml(source)


@dataclass(frozen=True)
class Province:
    id: str  # ISO 3166-2:VN of the pre-2025 unit; a post-2025 unit keeps its namesake's
    name: str
    type: str  # "tỉnh" | "thành phố" (centrally-run city)
    era: tuple[str, ...]
    merged_into: str | None  # the post-2025 unit that absorbed a pre2025-only one
    forms: tuple[str, ...]
    cased_forms: tuple[str, ...] = ()

    @property
    def current_id(self) -> str:
        """The unit that holds this territory after July 2025."""
        return self.merged_into or self.id


@dataclass(frozen=True)
class Ministry:
    id: str
    name: str
    kind: str  # ministry | agency (ministry-level) | body (other central body)
    era: tuple[str, ...]
    merged_into: str | None
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    head: str | None  # "Sở", "Ban"; "<head> <field>" is a form
    fields: tuple[str, ...]
    short: tuple[str, ...]
    level: str  # province | district | commune | any
    era: tuple[str, ...]
    merged_into: str | None
    ministry: str | None  # the ministry it answers to

    @property
    def forms(self) -> tuple[str, ...]:
        built = [f"{self.head} {f}" for f in self.fields] if self.head else []
        return tuple(dict.fromkeys((self.name, *self.short, *built)))


@dataclass(frozen=True)
class Component:
    name: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Index:
    code: str
    id: str  # the code, or for code OTHER which index (DOING_BUSINESS, GII ...)
    name: str
    names: tuple[str, ...]
    components: tuple[Component, ...] = ()


# --------------------------------------------------------------------------- matching
def match_key(surface: str) -> str:
    """What two spellings of one name share: "Sở KH & CN" and "sở kh-cn" give "sởkhcn"."""
    text = normalize_tones(unicodedata.normalize("NFC", surface)).casefold()
    return "".join(w for w in _WORD.findall(text) if w != "và")


def _gap(conj: bool, dot: bool) -> str:
    """What may stand between two words of a form in running text.

    Spaces, or none ("KHCN" for "KH CN"); a dot after an abbreviation ("TP.HCM",
    "Tp. Hà Nội"); where the form has a conjunction ("và", "&", "-", ","), any of
    ", & + / - – —" and an optional "và" ("Tài nguyên - Môi trường"). Commas and dots
    elsewhere would join words across clauses ("các bộ, tài chính").
    """
    cls = f"[{_SPACES}{_CONJ if conj else ''}{'.' if dot else ''}]"
    # None of these characters has a case; saying so spares the compiler a case-folding
    # analysis of every gap (thousands of them), which was most of the start-up time.
    if conj:
        return f"(?:(?-i:{cls}+)và(?=(?-i:{cls})))?(?-i:{cls}*)"
    return f"(?-i:{cls}*)"


GapKind = tuple[bool, bool]  # (conjunction, dot): the arguments of _gap
# The group names under which GAP_DEFINITIONS defines each gap, for patterns built with refs.
_GAP_NAMES: dict[GapKind, str] = {(c, d): f"lexgap{int(c)}{int(d)}"
                                  for c in (False, True) for d in (False, True)}
# The gaps as a DEFINE block: what a pattern built with ``refs`` must end with, once.
# (?i: keeps their "và" case-insensitive wherever the block goes, as in a lexicon pattern.)
GAP_DEFINITIONS = "(?(DEFINE)" + "".join(
    f"(?P<{name}>(?i:{_gap(*kind)}))" for kind, name in _GAP_NAMES.items()) + ")"


def _words(form: str) -> list[tuple[GapKind | None, str]]:
    """The words of a form, each with the kind of gap before it (None for the first)."""
    parts = regex.split(r"([\p{L}\p{M}\p{N}]+)", form)
    out: list[tuple[GapKind | None, str]] = []
    conj, dot, prev = False, False, ""
    for gap, word in zip(parts[0::2], parts[1::2], strict=False):  # one gap more than words
        conj, dot = conj or bool(gap.strip(" .")), dot or "." in gap
        if word.casefold() == "và" and out:
            conj = True
            continue
        dot = dot or sum(ch.isupper() for ch in prev) >= 2
        out.append(((conj, dot) if out else None, word))
        conj, dot, prev = False, False, word
    return out


Trie = dict[Any, Any]


def _trie(forms: dict[str, bool]) -> Trie:
    """All forms as one character trie (form -> whether it matches case-sensitively);
    an edge is a character (escaped, with its casedness) or a gap kind."""
    root: Trie = {}
    for form, cased in forms.items():
        node = root
        for gap, word in _words(form):
            node = node.setdefault(("gap", gap), {}) if gap else node
            for ch in word if cased else word.casefold():
                node = node.setdefault((regex.escape(ch), cased), {})
        node[None] = True
    return root


def _trie_pattern(root: Trie, refs: bool = False) -> str:
    """The trie as a pattern, gaps written out or (``refs``) as calls of GAP_DEFINITIONS.

    A flat alternation of a few hundred forms takes a second to compile and is slow to
    search; the trie compiles in milliseconds and fails fast. Longer continuations are
    tried first, and a failed right edge backtracks into shorter ones: longest first.
    Calling the gaps matches the same text (a gap never gives back a character the next
    word could take) while the compiler parses four gaps instead of hundreds.
    """

    def token(edge: tuple[Any, Any]) -> str:
        tok, arg = edge
        if tok == "gap":
            return f"(?&{_GAP_NAMES[arg]})" if refs else _gap(*arg)
        return f"(?-i:{tok})" if arg else tok

    def emit(node: Trie) -> tuple[str, int]:
        """The node's pattern and the length of its longest continuation, in one pass."""
        subs = [(token(e) + sub, 1 + depth)
                for e, (sub, depth) in ((e, emit(c)) for e, c in node.items() if e is not None)]
        alts = [alt for alt, _ in sorted(subs, key=lambda s: -s[1])]
        body = "" if not alts else alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"
        depth = max((d for _, d in subs), default=0)
        return (f"(?:{body})?" if None in node and body else body), depth

    return emit(root)[0]


T = TypeVar("T")


class _Vocab(Generic[T]):
    """The forms of one lexicon: a key table for lookups, one pattern for search."""

    def __init__(self, what: str, items: Iterable[tuple[str, T, bool]], label: Callable[[T], str]):
        self.keys: dict[str, T] = {}
        cased: dict[str, bool] = {}
        for form, entry, is_cased in items:
            other = self.keys.setdefault(match_key(form), entry)
            if other is not entry:
                raise LexiconError(
                    what, f"form {form!r}", f"{form!r} of {label(entry)} also names {label(other)}")
            acronym = " " not in form and not any(ch.islower() for ch in form)
            cased[form] = cased.get(form, False) or is_cased or acronym
        self._forms = cased

    @cached_property
    def _root(self) -> Trie:
        return _trie(self._forms)

    @cached_property
    def pattern(self) -> str:
        """Built on first use: most lexicons (index components) are only ever looked up."""
        return self.pattern_for(refs=False)

    def pattern_for(self, refs: bool) -> str:
        return rf"\b(?i:{_trie_pattern(self._root, refs)})\b"

    @cached_property
    def compiled(self) -> regex.Pattern[str]:
        return patterncache.compile_pattern(self.pattern)

    def lookup(self, surface: str, opening: bool = False) -> T | None:
        """The entry ``surface`` names; else the entry of the first form found in it (with
        ``opening``, of the longest form it opens with)."""
        hit = self.keys.get(match_key(surface))
        if hit is None:
            find = self.compiled.match if opening else self.compiled.search
            m = find(normalize_tones(unicodedata.normalize("NFC", surface)))
            hit = self.keys.get(match_key(m.group())) if m else None
        return hit


class Lexicons:
    """The four lexicons and the lookups a linker needs; built by :func:`load_lexicons`.

    Each ``*_pattern()`` is one ``regex``-module pattern string (case-insensitive,
    longest form first, word-bounded); each ``*_of()`` maps a surface back to its entry.
    With ``refs=True`` a pattern calls its gaps instead of spelling each out, and
    needs :data:`GAP_DEFINITIONS` once at the end of whatever pattern it goes into:
    combining several lexicons, that compiles in about half the time.
    """

    def __init__(self, provinces: Iterable[Province], ministries: Iterable[Ministry],
                 departments: Iterable[Department], indexes: Iterable[Index],
                 root: Path | None = None) -> None:
        self.provinces, self.ministries = tuple(provinces), tuple(ministries)
        self.departments, self.indexes = tuple(departments), tuple(indexes)

        def file(name: str) -> str:  # what an error names
            return str(root / name) if root is not None else name

        self._provinces = _Vocab(file("provinces.yaml"), [
            (f, p, f in p.cased_forms) for p in self.provinces
            for f in (p.name, *p.forms, *p.cased_forms)], lambda p: p.id)
        self._ministries = _Vocab(file("ministries.yaml"), [
            (f, m, False) for m in self.ministries for f in (m.name, *m.forms)], lambda m: m.id)
        self._departments = _Vocab(file("departments.yaml"), [
            (f, d, False) for d in self.departments for f in d.forms], lambda d: d.id)
        self._indexes = _Vocab(file("indexes.yaml"), [
            (f, i, False) for i in self.indexes for f in (i.name, *i.names)], lambda i: i.id)
        self._components = {code: _Vocab(file("indexes.yaml"), [
            (f, c, False) for i in self.indexes if i.code == code
            for c in i.components for f in (c.name, *c.forms)],
            lambda c, code=code: f"{code} component {c.name!r}")  # type: ignore[misc]
            for code in INDEX_CODES}

    def provinces_in(self, era: str) -> tuple[Province, ...]:
        return tuple(p for p in self.provinces if era in p.era)

    def province_by_id(self, pid: str) -> Province | None:
        return next((p for p in self.provinces if p.id == pid), None)

    def province_pattern(self, refs: bool = False) -> str:
        return self._provinces.pattern_for(refs) if refs else self._provinces.pattern

    def province_of(self, surface: str) -> Province | None:
        return self._provinces.lookup(surface)

    def ministry_pattern(self, refs: bool = False) -> str:
        return self._ministries.pattern_for(refs) if refs else self._ministries.pattern

    def ministry_of(self, surface: str) -> Ministry | None:
        return self._ministries.lookup(surface)

    def department_pattern(self, refs: bool = False) -> str:
        """Department types: "Sở <field or abbreviation>", UBND/HĐND of each level ..."""
        return self._departments.pattern_for(refs) if refs else self._departments.pattern

    def department_of(self, surface: str) -> Department | None:
        return self._departments.lookup(surface)

    def index_pattern(self, refs: bool = False) -> str:
        return self._indexes.pattern_for(refs) if refs else self._indexes.pattern

    def index_of(self, surface: str) -> Index | None:
        """The index entry; for code OTHER its ``name`` says which index it is."""
        return self._indexes.lookup(surface)

    def index_code(self, surface: str) -> str | None:
        hit = self._indexes.lookup(surface)
        return hit.code if hit else None

    def component_pattern(self, code: str) -> str:
        return self._components[code].pattern

    def component_of(self, surface: str, code: str, opening: bool = False) -> str | None:
        """The canonical name of the component of index ``code`` that ``surface`` names
        (with ``opening``: that it opens with, as "chính quyền số Trà Vinh …" does)."""
        vocab = self._components.get(code)
        hit = vocab.lookup(surface, opening) if vocab else None
        return hit.name if hit else None


# --------------------------------------------------------------------------- loading
C = TypeVar("C")


def _build(cls: type[C], raw: Any, file: str, where: str) -> C:
    """One entry as ``cls``, every field checked; an error says which file, entry and field."""
    if not isinstance(raw, dict):
        raise LexiconError(file, where, f"expected a mapping, got {raw!r}")
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    if unknown := set(raw) - set(fields):
        raise LexiconError(file, where, f"unknown field(s) {sorted(unknown)}")
    values: dict[str, Any] = {}
    for name, f in fields.items():
        value, typ = raw.get(name), str(f.type)
        if name == "components":
            values[name] = tuple(_build(Component, c, file, f"{where} component {n}")
                                 for n, c in enumerate(value or [], 1))
        elif typ.startswith("tuple"):
            if not isinstance(value, list) and not (value is None and name not in _NONEMPTY):
                raise LexiconError(file, where, f"{name!r} must be a list")
            if name in _NONEMPTY and not value:
                raise LexiconError(file, where, f"{name!r} must not be empty")
            values[name] = tuple(_text(file, where, name, v) for v in value or [])
        elif value is None and "None" in typ:
            values[name] = None
        else:
            values[name] = _text(file, where, name, value)
    return cls(**values)


def _text(file: str, where: str, name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LexiconError(file, where, f"{name!r} must be a non-empty string, got {value!r}")
    if unicodedata.normalize("NFC", value) != value:
        raise LexiconError(file, where, f"{name!r} value {value!r} is not NFC")
    if name in _FORM_FIELDS and not _FORM_CHARS.fullmatch(value):
        raise LexiconError(file, where, f"{name!r} form {value!r} may only hold letters, "
                           "digits, spaces and . , & + / - – —")
    if name in _CHOICES and value not in _CHOICES[name]:
        raise LexiconError(file, where,
                           f"{name!r} is {value!r}, not one of {list(_CHOICES[name])}")
    return value


def _read_file(path: Path) -> Any:
    try:
        return read_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LexiconError(str(path), None, f"cannot read: {exc}") from None


def _read(root: Path, name: str, cls: type[C]) -> list[C]:
    file = str(root / name)
    data = _read_file(root / name)
    if not isinstance(data, list):
        raise LexiconError(file, None, "expected a list of entries")
    out: list[tuple[str, Any]] = []
    byid: dict[Any, Any] = {}  # by id, which _build has checked
    for pos, raw in enumerate(data, 1):
        ident = raw.setdefault("id", raw.get("code")) if isinstance(raw, dict) else None
        where = f"entry {pos}" + (f" ({ident})" if ident else "")
        entry = _build(cls, raw, file, where)
        if byid.setdefault(ident, entry) is not entry:
            raise LexiconError(file, where, "duplicate id")
        out.append((where, entry))
    for where, e in out:
        merged = getattr(e, "merged_into", None)
        target_era = getattr(byid.get(merged), "era", ())
        if merged and ("post2025" not in target_era or "post2025" in e.era):
            raise LexiconError(file, where, f"merged_into {merged!r} must name a post2025 entry, "
                               "and the merged entry be pre2025 only")
    return [e for _, e in out]


def load_lexicons(root: Path) -> Lexicons:
    """Load and check the four entity lexicons of the folder ``root`` (``rules/lexicons``).

    Raises :class:`LexiconError` naming the file, the entry and the reason of the first
    problem. Nothing is kept between calls: :class:`newsfacts.resources.Resources` holds
    what a run loaded."""
    root = Path(root)
    ministries = _read(root, "ministries.yaml", Ministry)
    departments = _read(root, "departments.yaml", Department)
    known = {m.id for m in ministries}
    for d in departments:
        if d.ministry is not None and d.ministry not in known:
            raise LexiconError(str(root / "departments.yaml"), f"entry {d.id}",
                               f"unknown ministry {d.ministry!r}")
    return Lexicons(_read(root, "provinces.yaml", Province), ministries, departments,
                    _read(root, "indexes.yaml", Index), root)


# --------------------------------------------------------------------------- word lists
@dataclass(frozen=True)
class WordGroup:
    """A sector or a population: its name and the forms news writes it in."""

    name: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class WordLists:
    """The linker's other lexicons: sectors (``sectors.yaml``), populations with the
    qualifiers that belong to their name (``populations.yaml``), and the groups of units
    results are reported for (``aggregates.yaml``: groups, the counts before them, and
    groups named on their own)."""

    sectors: tuple[WordGroup, ...]
    populations: tuple[WordGroup, ...]
    qualifiers: tuple[str, ...]
    aggregate_groups: tuple[str, ...]
    aggregate_counts: tuple[str, ...]
    aggregate_names: tuple[str, ...]
    aggregate_heads: tuple[str, ...]  # levels that are a group when they open a clause

    def sector_forms(self) -> list[str]:
        return [f for g in self.sectors for f in g.forms]

    def population_forms(self) -> list[str]:
        return [f for g in self.populations for f in g.forms]


def _groups(path: Path, data: dict[str, Any], key: str) -> tuple[WordGroup, ...]:
    entries = data.get(key)
    if not isinstance(entries, list) or not entries:
        raise LexiconError(str(path), None, f"needs a non-empty {key!r} list")
    return tuple(_build(WordGroup, raw, str(path), f"{key} entry {pos}"
                        + (f" ({raw.get('name')})" if isinstance(raw, dict) and raw.get("name") else ""))
                 for pos, raw in enumerate(entries, 1))


def _mapping(path: Path, allowed: set[str]) -> dict[str, Any]:
    data = _read_file(path)
    if not isinstance(data, dict):
        raise LexiconError(str(path), None, "expected a mapping of " + ", ".join(sorted(allowed)))
    if unknown := set(data) - allowed:
        raise LexiconError(str(path), None, f"unknown key(s) {sorted(unknown)}")
    return data


def _words_of(path: Path, data: dict[str, Any], key: str, entry: str) -> tuple[str, ...]:
    """A list of forms under ``key``, each checked as a lexicon form."""
    raw = data.get(key) or []
    if not isinstance(raw, list):
        raise LexiconError(str(path), key, "must be a list")
    return tuple(_text(str(path), f"{entry} {pos}", "forms", w) for pos, w in enumerate(raw, 1))


def load_word_lists(root: Path) -> WordLists:
    """Load and check ``sectors.yaml``, ``populations.yaml`` and ``aggregates.yaml`` of
    the folder ``root``."""
    root = Path(root)
    sectors_file, populations_file = root / "sectors.yaml", root / "populations.yaml"
    aggregates_file = root / "aggregates.yaml"
    sectors = _mapping(sectors_file, {"sectors"})
    populations = _mapping(populations_file, {"populations", "qualifiers"})
    aggregates = _mapping(aggregates_file, {"groups", "counts", "names", "heads"})
    return WordLists(
        _groups(sectors_file, sectors, "sectors"),
        _groups(populations_file, populations, "populations"),
        _words_of(populations_file, populations, "qualifiers", "qualifier"),
        _words_of(aggregates_file, aggregates, "groups", "group"),
        _words_of(aggregates_file, aggregates, "counts", "count"),
        _words_of(aggregates_file, aggregates, "names", "name"),
        _words_of(aggregates_file, aggregates, "heads", "head"))
