"""The linker's Vietnamese words, read from ``rules/lexicons/linking.yaml``.

Speech verbs, joints, list intros, year words and quantifiers decide how a sentence is
read, and a reviewer who reads Vietnamese should be able to correct them without
reading Python. The patterns around them stay in the modules that use them; this one
only loads, checks and hands out the word lists, as regex alternations in the order
written (the first alternative that matches wins, so order is meaning).
"""

from __future__ import annotations

import functools
from pathlib import Path

import regex

from ..lexicons import LexiconError, default_lexicons_dir, read_yaml

FILE = "linking.yaml"
KEYS = (
    "list_intros", "list_intro_phrases", "speech_verbs", "speech_verbs_bare", "joints",
    "continuing", "source_leads", "frame_openers", "year_amount_units", "comparisons",
    "relative_years", "relative_years_after", "current_years", "respectively", "owners_after",
    "adjacent_adverbs", "adjacent_links", "inside_before", "part_leads", "share_verbs",
    "share_verb_approximations", "head_approximations", "head_quantifiers", "population_marks",
)


def read_words(path: Path) -> dict[str, tuple[str, ...]]:
    """Every list of ``KEYS`` from ``path``, checked: each a non-empty list of non-empty
    words, none missing, none unknown. Raises :class:`LexiconError` naming file and key."""
    try:
        data = read_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read the linker's words: {exc}") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping of word lists")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise LexiconError(f"{path}: unknown key {unknown[0]!r}")
    out: dict[str, tuple[str, ...]] = {}
    for key in KEYS:
        words = data.get(key)
        if not isinstance(words, list) or not words \
                or not all(isinstance(w, str) and w.strip() for w in words):
            raise LexiconError(f"{path}: {key!r} must be a non-empty list of words")
        out[key] = tuple(words)
    return out


@functools.cache
def _words(root: Path) -> dict[str, tuple[str, ...]]:
    return read_words(root / FILE)


def alternation(key: str) -> str:
    """The words of ``key`` as a regex alternation (no group), in the order written."""
    return "|".join(regex.escape(w) for w in _words(default_lexicons_dir())[key])
