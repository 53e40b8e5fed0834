"""Subject codes: stable ids for the subjects that no other lexicon names.

A panel (:mod:`newsfacts.panel`) puts every article's figure for one unit on one row, so
"63 tỉnh, thành phố", "các tỉnh, thành phố" and "UBND cấp tỉnh" need one id, as do
"Mỹ" and "Hoa Kỳ", and a district needs an id although no lexicon lists districts. The
codes are data (``rules/lexicons/subjects.yaml``), read and checked with the rest of a
rules root: every aggregate form of ``aggregates.yaml`` must have a code here, so a group
added there cannot silently fall out of the panel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import regex
import yaml

from .errors import LexiconError
from .lexicons import Lexicons, WordLists, match_key, read_yaml

FILE = "subjects.yaml"
SCOPES = ("nation", "province", "self")
_KEYS = {"aggregates", "countries", "locals", "stands_for"}
_ID = regex.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")


@dataclass(frozen=True)
class Aggregate:
    """A group of units: ``scope`` nation (one group of the country), province (a group
    inside one province) or self (the province itself, "toàn tỉnh")."""

    id: str
    name: str
    scope: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class SubjectCodes:
    """The codes of ``subjects.yaml``, with lookups that fold spelling as lexicons do."""

    aggregates: tuple[Aggregate, ...]
    countries: dict[str, tuple[str, ...]]  # ISO 3166-1 alpha-2 -> forms
    locals: dict[str, tuple[str, ...]]  # level code -> the words that open such a name
    stands_for: frozenset[str]  # department types that stand for their unit
    counts: tuple[str, ...] = ()  # aggregates.yaml's counts, dropped before a lookup
    _keys: dict[str, Aggregate | str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = self._keys
        for agg in self.aggregates:
            for form in agg.forms:
                keys[match_key(form)] = agg
        for code, forms in self.countries.items():
            for form in forms:
                keys[match_key(form)] = code

    @cached_property
    def _lead(self) -> Any:
        words = "|".join(regex.escape(c) for c in sorted(self.counts, key=len, reverse=True))
        return regex.compile(rf"^(?:\d+(?:/\d+)?|{words or '(?!)'})\s+", regex.IGNORECASE)

    def group_of(self, surface: str) -> Aggregate | str | None:
        """The aggregate or the country code ``surface`` names, written whole or after a
        count ("63 tỉnh, thành phố", "các nước"); else None."""
        hit = self._keys.get(match_key(surface))
        if hit is None:
            rest = self._lead.sub("", surface.strip(), count=1)
            if rest != surface.strip():
                hit = self._keys.get(match_key(rest))
        return hit

    def level_of(self, word: str) -> str | None:
        """The level code of a district or commune word ("thị xã" -> TX)."""
        key = match_key(word)
        return next((code for code, words in self.locals.items()
                     if any(match_key(w) == key for w in words)), None)


def _list(file: str, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value \
            or not all(isinstance(v, str) and v.strip() for v in value):
        raise LexiconError(file, where, "must be a non-empty list of forms")
    return tuple(value)


def _aggregates(file: str, raw: Any) -> tuple[Aggregate, ...]:
    if not isinstance(raw, list) or not raw:
        raise LexiconError(file, "aggregates", "must be a non-empty list of entries")
    out: list[Aggregate] = []
    for pos, entry in enumerate(raw, 1):
        where = f"aggregates entry {pos}"
        if not isinstance(entry, dict) or set(entry) != {"id", "name", "scope", "forms"}:
            raise LexiconError(file, where, "needs exactly id, name, scope and forms")
        ident, name, scope = entry["id"], entry["name"], entry["scope"]
        if not isinstance(ident, str) or not _ID.fullmatch(ident) or ident.startswith("VN-"):
            raise LexiconError(file, where, f"id {ident!r} must be capitals, digits and '-' "
                               "(and not a province code)")
        if scope not in SCOPES:
            raise LexiconError(file, f"{where} ({ident})", f"scope {scope!r} is not one of {list(SCOPES)}")
        if not isinstance(name, str) or not name.strip():
            raise LexiconError(file, f"{where} ({ident})", "needs a name")
        out.append(Aggregate(ident, name, scope, _list(file, f"{where} ({ident})", entry["forms"])))
    ids = [a.id for a in out]
    if len(set(ids)) != len(ids):
        raise LexiconError(file, "aggregates", "duplicate id")
    return tuple(out)


def _codes(file: str, key: str, raw: Any, pattern: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict) or not raw:
        raise LexiconError(file, key, "must be a mapping of code -> forms")
    out = {}
    for code, forms in raw.items():
        if not isinstance(code, str) or not regex.fullmatch(pattern, code):
            raise LexiconError(file, f"{key} {code!r}", f"a code must match {pattern}")
        out[code] = _list(file, f"{key} {code}", forms)
    return out


def _check_unique(file: str, codes: SubjectCodes) -> None:
    seen: dict[str, str] = {}
    pairs: list[tuple[str, str]] = [(f, a.id) for a in codes.aggregates for f in a.forms]
    pairs += [(f, c) for c, forms in codes.countries.items() for f in forms]
    for form, owner in pairs:
        other = seen.setdefault(match_key(form), owner)
        if other != owner:
            raise LexiconError(file, f"form {form!r}", f"names both {other} and {owner}")


def _check_covers(file: str, codes: SubjectCodes, words: WordLists) -> None:
    """Every aggregate form of aggregates.yaml has a code: what the linker calls a group,
    the panel can name."""
    for form in (*words.aggregate_groups, *words.aggregate_names, *words.aggregate_heads):
        if codes.group_of(form) is None:
            raise LexiconError(file, f"form {form!r}", "is an aggregate of aggregates.yaml "
                               "without a code here; add it to an aggregates entry")


def load_codes(root: Path, words: WordLists, lexicons: Lexicons | None = None) -> SubjectCodes:
    """Load and check ``subjects.yaml`` of the lexicon folder ``root``; ``words`` are the
    aggregates it must cover, ``lexicons`` the departments ``stands_for`` must name.
    Raises :class:`LexiconError` naming the file, the entry and the reason."""
    path = Path(root) / FILE
    file = str(path)
    try:
        data = read_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LexiconError(file, None, f"cannot read: {exc}") from None
    if not isinstance(data, dict) or set(data) != _KEYS:
        raise LexiconError(file, None, "expected the keys " + ", ".join(sorted(_KEYS)))
    stands = _list(file, "stands_for", data["stands_for"])
    if lexicons is not None:
        known = {d.id for d in lexicons.departments}
        if unknown := sorted(set(stands) - known):
            raise LexiconError(file, "stands_for", f"{unknown[0]!r} is not in departments.yaml")
    codes = SubjectCodes(
        _aggregates(file, data["aggregates"]),
        _codes(file, "countries", data["countries"], r"[A-Z]{2}"),
        _codes(file, "locals", data["locals"], r"[A-Z]{1,3}"),
        frozenset(stands), tuple(words.aggregate_counts))
    _check_unique(file, codes)
    _check_covers(file, codes, words)
    return codes

