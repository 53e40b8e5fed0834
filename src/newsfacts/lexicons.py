"""Lexicons: the provinces, ministries, local bodies and indexes a figure is linked to.

The vocabularies live as data in ``rules/lexicons/*.yaml`` so that a reviewer who reads
Vietnamese, not Python, can correct them, and so that the 2025 mergers (provinces,
ministries, departments) are recorded once, with which era each name belongs to.

Matching is by *form*: every written form of an entry. News writes the same name many
ways ("Sở KH&CN", "Sở KH-CN", "Sở KH & CN", "Sở KHCN"; "TP.HCM", "TP HCM", "Tp.HCM"),
so both the lookups and the patterns fold case, tone placement, the separators
``. , & + / - – —`` and the word "và" between words. A form written all in capitals
(an acronym: NHNN, UBND, PCI) matches only in capitals, because its lowercase is often
an ordinary word; ``cased_forms`` in a file does the same for names such as "Hòa Bình".
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar, get_args

import regex
import yaml

from .clean import normalize_tones
from .models import IndexCode

ERAS = ("pre2025", "post2025")
INDEX_CODES: tuple[str, ...] = get_args(IndexCode)
ENV_VAR = "NEWSFACTS_RULES"

# Between two words of a form, the text may hold spaces (or none: "KHCN" for "KH CN");
# a dot after an abbreviation ("TP.HCM", "Tp. Hà Nội"); and where the form has a
# conjunction ("và", "&", "-", ","), any of "& + / , - – —" and an optional "và"
# ("Sở Tài nguyên - Môi trường"). Commas and dots elsewhere would join words across
# clauses ("các bộ, tài chính").
_SPACE = r" \t\u00a0\u202f"
_CONJ = r",&+/\-–—"


def _gap(conj: bool, after_abbrev: bool) -> str:
    cls = f"[{_SPACE}{_CONJ if conj else ''}{'.' if after_abbrev else ''}]"
    return f"(?:{cls}+và(?={cls}))?{cls}*" if conj else f"{cls}*"


_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_FORM_CHARS = regex.compile(r"[\p{L}\p{M}\p{N} .,&+/\-–—]+")


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Province:
    id: str
    name: str
    type: str  # "tỉnh" or "thành phố" (centrally-run city)
    era: tuple[str, ...]
    merged_into: str | None
    forms: tuple[str, ...]
    cased_forms: tuple[str, ...] = ()

    @property
    def current_id(self) -> str:
        """The id of the unit that holds this territory after July 2025."""
        return self.merged_into or self.id


@dataclass(frozen=True)
class Ministry:
    id: str
    name: str
    kind: str  # ministry | agency | body
    era: tuple[str, ...]
    merged_into: str | None
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    head: str | None  # "Sở", "Ban" or None
    fields: tuple[str, ...]
    short: tuple[str, ...]
    level: str  # province | district | commune | any
    era: tuple[str, ...]
    merged_into: str | None
    ministry: str | None

    @property
    def forms(self) -> tuple[str, ...]:
        """Name, listed short forms, and "<head> <field>" for every field form."""
        built = tuple(f"{self.head} {f}" for f in self.fields) if self.head else ()
        return tuple(dict.fromkeys((self.name, *self.short, *built)))


@dataclass(frozen=True)
class Component:
    name: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Index:
    code: str
    id: str
    name: str
    names: tuple[str, ...]
    components: tuple[Component, ...]


def match_key(surface: str) -> str:
    """The folded form two spellings of one name share: "Sở KH & CN" == "sở kh-cn"."""
    text = normalize_tones(unicodedata.normalize("NFC", surface)).casefold()
    return "".join(w for w in _WORD.findall(text) if w != "và")


def _words(form: str) -> list[tuple[str, str]]:
    """The words of a form, each with the gap pattern that precedes it."""
    parts = regex.split(r"([\p{L}\p{M}\p{N}]+)", form)
    out: list[tuple[str, str]] = []
    conj, dot, prev = False, False, ""
    for gap, word in zip(parts[0::2], parts[1::2]):
        conj, dot = conj or bool(gap.strip(" .")), dot or "." in gap
        if word.casefold() == "và" and out:
            conj = True  # "và" becomes optional in the gap before the next word
            continue
        dot = dot or sum(ch.isupper() for ch in prev) >= 2
        out.append((_gap(conj, dot) if out else "", word))
        conj, dot, prev = False, False, word
    return out


def _trie_regex(forms: dict[str, bool]) -> str:
    """One alternation of all forms, as a character trie.

    A flat alternation of a few hundred forms takes about a second to compile and is
    slow to search; the trie compiles in milliseconds and fails fast at most positions.
    Longer continuations are tried first at every step, and a failed right edge
    backtracks into shorter ones, so the longest form wins.
    """
    root: dict[Any, Any] = {}
    for form, cased in forms.items():
        node = root
        for gap, word in _words(form):
            if gap:
                node = node.setdefault((gap, False), {})
            for ch in word if cased else word.casefold():
                node = node.setdefault((regex.escape(ch), cased), {})
        node[None] = True

    def reach(node: dict[Any, Any]) -> int:
        return max((1 + reach(c) for e, c in node.items() if e is not None), default=0)

    def emit(node: dict[Any, Any]) -> str:
        edges = sorted((e for e in node if e is not None), key=lambda e: -reach(node[e]))
        alts = [(f"(?-i:{tok})" if cased else tok) + emit(node[(tok, cased)])
                for tok, cased in edges]
        body = "" if not alts else alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"
        return f"(?:{body})?" if None in node and body else body

    return emit(root)


def _is_acronym(form: str) -> bool:
    return " " not in form and not any(ch.islower() for ch in form)


T = TypeVar("T")


class _Vocab(Generic[T]):
    """Forms of one lexicon: a key table for lookups and one alternation for search."""

    def __init__(self, what: str, items: Iterable[tuple[str, T, bool]], label: Callable[[T], str]):
        self.keys: dict[str, T] = {}
        cased: dict[str, bool] = {}
        for form, entry, is_cased in items:
            key = match_key(form)
            other = self.keys.setdefault(key, entry)
            if other is not entry:
                raise LexiconError(f"{what}: form {form!r} of {label(entry)} also names {label(other)}")
            cased[form] = cased.get(form, False) or is_cased or _is_acronym(form)
        self.pattern = rf"\b(?i:{_trie_regex(cased)})\b"

    @cached_property
    def compiled(self) -> regex.Pattern[str]:
        return regex.compile(self.pattern)

    def lookup(self, surface: str) -> T | None:
        """The entry a surface names exactly, else the one of its first (longest) form."""
        hit = self.keys.get(match_key(surface))
        if hit is None:
            m = self.compiled.search(normalize_tones(unicodedata.normalize("NFC", surface)))
            hit = self.keys.get(match_key(m.group())) if m else None
        return hit


@dataclass(frozen=True)
class Lexicons:
    """All four lexicons, with the lookups the linker needs; built by :func:`load_lexicons`."""

    provinces: tuple[Province, ...]
    ministries: tuple[Ministry, ...]
    departments: tuple[Department, ...]
    indexes: tuple[Index, ...]

    @cached_property
    def _provinces(self) -> _Vocab[Province]:
        items = [(f, p, f in p.cased_forms) for p in self.provinces
                 for f in (p.name, *p.forms, *p.cased_forms)]
        return _Vocab("provinces.yaml", items, lambda p: p.id)

    @cached_property
    def _ministries(self) -> _Vocab[Ministry]:
        items = [(f, m, False) for m in self.ministries for f in (m.name, *m.forms)]
        return _Vocab("ministries.yaml", items, lambda m: m.id)

    @cached_property
    def _departments(self) -> _Vocab[Department]:
        items = [(f, d, False) for d in self.departments for f in d.forms]
        return _Vocab("departments.yaml", items, lambda d: d.id)

    @cached_property
    def _indexes(self) -> _Vocab[Index]:
        items = [(f, i, False) for i in self.indexes for f in (i.name, *i.names)]
        return _Vocab("indexes.yaml", items, lambda i: i.id)

    @cached_property
    def _components(self) -> dict[str, _Vocab[Component]]:
        return {code: _Vocab(f"indexes.yaml {code} components",
                             [(f, c, False) for i in self.indexes if i.code == code
                              for c in i.components for f in (c.name, *c.forms)],
                             lambda c: c.name)
                for code in INDEX_CODES}

    def province_pattern(self) -> str:
        return self._provinces.pattern

    def province_of(self, surface: str) -> Province | None:
        return self._provinces.lookup(surface)

    def province_by_id(self, pid: str) -> Province | None:
        return next((p for p in self.provinces if p.id == pid), None)

    def provinces_in(self, era: str) -> tuple[Province, ...]:
        return tuple(p for p in self.provinces if era in p.era)

    def ministry_pattern(self) -> str:
        return self._ministries.pattern

    def ministry_of(self, surface: str) -> Ministry | None:
        return self._ministries.lookup(surface)

    def department_pattern(self) -> str:
        return self._departments.pattern

    def department_of(self, surface: str) -> Department | None:
        return self._departments.lookup(surface)

    def index_pattern(self) -> str:
        return self._indexes.pattern

    def index_of(self, surface: str) -> Index | None:
        """The index entry; for code OTHER its ``name`` says which index it is."""
        return self._indexes.lookup(surface)

    def index_code(self, surface: str) -> str | None:
        hit = self._indexes.lookup(surface)
        return hit.code if hit else None

    def component_pattern(self, code: str) -> str:
        return self._components[code].pattern

    def component_of(self, surface: str, code: str) -> str | None:
        """Canonical name of the component of index ``code`` that ``surface`` names."""
        vocab = self._components.get(code)
        hit = vocab.lookup(surface) if vocab else None
        return hit.name if hit else None


# --------------------------------------------------------------------------- loading
class _Entry:
    """One raw YAML entry, read field by field so that every error says where it is."""

    def __init__(self, file: str, pos: int, raw: Any, allowed: set[str]) -> None:
        self.file, self.pos = file, pos
        ident = (raw.get("id") or raw.get("code")) if isinstance(raw, dict) else None
        self.where = f"{file} entry {pos}" + (f" ({ident})" if ident else "")
        if not isinstance(raw, dict):
            raise LexiconError(f"{self.where}: expected a mapping")
        if unknown := set(raw) - allowed:
            raise LexiconError(f"{self.where}: unknown field(s) {sorted(unknown)}")
        self.raw = raw

    def _check(self, key: str, value: Any, form: bool) -> str:
        if not isinstance(value, str) or not value.strip():
            raise LexiconError(f"{self.where}: {key!r} must be a non-empty string, got {value!r}")
        if unicodedata.normalize("NFC", value) != value:
            raise LexiconError(f"{self.where}: {key!r} value {value!r} is not NFC")
        if form and not _FORM_CHARS.fullmatch(value):
            raise LexiconError(f"{self.where}: {key!r} form {value!r} has a character "
                               "other than letters, digits, spaces and . , & + / - – —")
        return value

    def opt(self, key: str) -> str | None:
        value = self.raw.get(key)
        return None if value is None else self._check(key, value, False)

    def req(self, key: str, *, form: bool = False, choices: tuple[str, ...] = ()) -> str:
        value = self._check(key, self.raw.get(key), form)
        if choices and value not in choices:
            raise LexiconError(f"{self.where}: {key!r} is {value!r}, expected one of {list(choices)}")
        return value

    def strs(self, key: str, *, form: bool = True, required: bool = False) -> tuple[str, ...]:
        value = self.raw.get(key, None if required else [])
        if not isinstance(value, list) or (required and not value):
            raise LexiconError(f"{self.where}: {key!r} must be a{' non-empty' * required} list")
        return tuple(self._check(key, v, form) for v in value)

    def era(self) -> tuple[str, ...]:
        era = self.strs("era", form=False, required=True)
        if bad := [e for e in era if e not in ERAS]:
            raise LexiconError(f"{self.where}: unknown era {bad} (use {list(ERAS)})")
        return era


def _read(root: Path, name: str, allowed: set[str]) -> Iterator[_Entry]:
    path = root / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    if not isinstance(data, list):
        raise LexiconError(f"{path}: expected a list of entries")
    return (_Entry(name, i, raw, allowed) for i, raw in enumerate(data, 1))


def _check_ids(file: str, entries: Iterable[Province | Ministry | Department]) -> None:
    """Ids are unique; ``merged_into`` names a post-2025 entry of the same file."""
    seen: dict[str, Province | Ministry | Department] = {}
    for e in entries:
        if e.id in seen:
            raise LexiconError(f"{file}: duplicate id {e.id!r}")
        seen[e.id] = e
    for e in seen.values():
        if e.merged_into is None:
            continue
        target = seen.get(e.merged_into)
        if target is None or "post2025" not in target.era or "post2025" in e.era:
            raise LexiconError(f"{file} entry {e.id}: merged_into {e.merged_into!r} must be a "
                               "post2025 entry, and the merged entry pre2025 only")


def _load_all(root: Path) -> Lexicons:
    provinces = tuple(
        Province(e.req("id"), e.req("name", form=True), e.req("type", choices=("tỉnh", "thành phố")), e.era(),
                 e.opt("merged_into"), e.strs("forms", required=True),
                 e.strs("cased_forms"))
        for e in _read(root, "provinces.yaml",
                       {"id", "name", "type", "era", "merged_into", "forms", "cased_forms"}))
    ministries = tuple(
        Ministry(e.req("id"), e.req("name", form=True), e.req("kind", choices=("ministry", "agency", "body")), e.era(),
                 e.opt("merged_into"), e.strs("forms", required=True))
        for e in _read(root, "ministries.yaml", {"id", "name", "kind", "era", "merged_into", "forms"}))
    departments = tuple(
        Department(e.req("id"), e.req("name", form=True), e.opt("head"),
                   e.strs("fields"), e.strs("short"), e.req("level", choices=("province", "district", "commune", "any")), e.era(),
                   e.opt("merged_into"), e.opt("ministry"))
        for e in _read(root, "departments.yaml", {"id", "name", "head", "fields", "short", "level",
                                                  "era", "merged_into", "ministry"}))
    indexes = tuple(_index(e) for e in _read(root, "indexes.yaml",
                                              {"code", "id", "name", "names", "components"}))
    _check_ids("provinces.yaml", provinces)
    _check_ids("ministries.yaml", ministries)
    _check_ids("departments.yaml", departments)
    if len({i.id for i in indexes}) != len(indexes):
        raise LexiconError("indexes.yaml: duplicate index id (entries of code OTHER need an id)")
    known = {m.id for m in ministries}
    for d in departments:
        if d.ministry is not None and d.ministry not in known:
            raise LexiconError(f"departments.yaml entry {d.id}: unknown ministry {d.ministry!r}")
    lex = Lexicons(provinces, ministries, departments, indexes)
    for vocab in ("_provinces", "_ministries", "_departments", "_indexes", "_components"):
        getattr(lex, vocab)  # build now, so a clash between two entries fails the load
    return lex


def _index(e: _Entry) -> Index:
    code = e.req("code")
    if code not in INDEX_CODES:
        raise LexiconError(f"{e.where}: code {code!r} is not one of {list(INDEX_CODES)}")
    comps = []
    for n, raw in enumerate(e.raw.get("components") or [], 1):
        c = _Entry(f"{e.where} component", n, raw, {"name", "forms"})
        comps.append(Component(c.req("name", form=True), c.strs("forms")))
    return Index(code, e.opt("id") or code, e.req("name", form=True),
                 e.strs("names", required=True), tuple(comps))


def default_lexicons_dir() -> Path:
    """``$NEWSFACTS_RULES/lexicons``, else ``rules/lexicons`` of the checkout or install."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env) / "lexicons"
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "rules" / "lexicons", here.parent / "rules" / "lexicons"):
        if (candidate / "provinces.yaml").is_file():
            return candidate
    return here.parents[2] / "rules" / "lexicons"


@functools.lru_cache(maxsize=8)
def _load_cached(root: Path) -> Lexicons:
    return _load_all(root)


def load_lexicons(root: Path | None = None) -> Lexicons:
    """Load and validate the lexicons in ``root`` (default :func:`default_lexicons_dir`).

    Cached per directory: the patterns are large and every article uses them.
    """
    return _load_cached(Path(root).resolve() if root is not None else default_lexicons_dir())
