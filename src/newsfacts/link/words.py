"""The linker's Vietnamese words, read from ``rules/lexicons/linking.yaml``.

Speech verbs, joints, list intros, year words and quantifiers decide how a sentence is
read, and a reviewer who reads Vietnamese should be able to correct them without
reading Python. The patterns around them stay in the modules that use them; this one
only loads, checks and hands out the word lists, as regex alternations in the order
written (the first alternative that matches wins, so order is meaning).

The lists are read and checked with the rest of a rules root
(:func:`newsfacts.resources.load_resources`) into a :class:`LinkWords`, which travels
in ``Resources.vocab``. :func:`~newsfacts.link.link_candidates` makes that object the
active one while it links (:func:`using`, a context variable, so two resources linked in
one process, or in two threads, never mix); the modules' patterns are built from it on
first use and kept on it, not in the modules.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

import regex
import yaml

from ..lexicons import LexiconError, read_yaml

FILE = "linking.yaml"
KEYS = (
    "list_intros", "list_intro_phrases", "speech_verbs", "speech_verbs_bare", "joints",
    "continuing", "source_leads", "frame_openers", "year_amount_units", "comparisons",
    "relative_years", "relative_years_after", "current_years", "this_year", "respectively", "owners_after",
    "adjacent_adverbs", "adjacent_links", "adjacent_approximations", "inside_before", "part_leads", "consequence_openers", "share_verbs",
    "share_verb_approximations", "head_approximations", "head_quantifiers", "population_marks",
    "point_indexes_below_1000", "results_words", "carried_before", "carried_after",
)
T = TypeVar("T")


def read_words(path: Path) -> dict[str, tuple[str, ...]]:
    """Every list of ``KEYS`` from ``path``, checked: each a non-empty list of non-empty
    words, none missing, none unknown. Raises :class:`LexiconError` naming file and key."""
    file = str(path)
    try:
        data = read_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LexiconError(file, None, f"cannot read the linker's words: {exc}") from None
    if not isinstance(data, dict):
        raise LexiconError(file, None, "expected a mapping of word lists")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise LexiconError(file, repr(unknown[0]), "unknown key")
    out: dict[str, tuple[str, ...]] = {}
    for key in KEYS:
        words = data.get(key)
        if not isinstance(words, list) or not words \
                or not all(isinstance(w, str) and w.strip() for w in words):
            raise LexiconError(file, repr(key), "must be a non-empty list of words")
        out[key] = tuple(words)
    return out


class LinkWords:
    """The checked lists of one ``linking.yaml``, and the patterns the link modules build
    from them (kept here, so they belong to one Resources)."""

    def __init__(self, lists: dict[str, tuple[str, ...]]) -> None:
        self.lists = lists
        self._built: dict[str, Any] = {}

    @classmethod
    def load(cls, folder: Path) -> LinkWords:
        """The lists of ``folder/linking.yaml`` (a rules root's ``lexicons/``)."""
        return cls(read_words(Path(folder) / FILE))

    def alternation(self, key: str) -> str:
        return "|".join(regex.escape(w) for w in self.lists[key])

    def built(self, name: str, build: Callable[[], T]) -> T:
        if name not in self._built:
            self._built[name] = build()
        return self._built[name]  # type: ignore[no-any-return]


_ACTIVE: ContextVar[LinkWords | None] = ContextVar("newsfacts_link_words", default=None)


@contextlib.contextmanager
def using(words: LinkWords) -> Iterator[None]:
    """Make ``words`` the lists the link modules read while the block runs."""
    token = _ACTIVE.set(words)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def active() -> LinkWords:
    words = _ACTIVE.get()
    if words is None:
        raise RuntimeError("the linker's words are only read inside link_candidates(…, vocab)")
    return words


def alternation(key: str) -> str:
    """The words of ``key`` as a regex alternation (no group), in the order written."""
    return active().alternation(key)


def patterns(name: str, build: Callable[[], T]) -> T:
    """What ``build`` makes of the active words (a module's patterns), built once per words."""
    return active().built(name, build)
