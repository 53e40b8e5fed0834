"""The literal shortcuts (newsfacts.triggers) decide exactly as the patterns they stand for."""

from __future__ import annotations

import random

import regex
from spec_corpus import load_cases

from newsfacts import triggers


def _texts(ruleset) -> list[str]:  # type: ignore[no-untyped-def]
    """Every rule example and counter-example and every spec case, lower-cased."""
    texts = [t for rule in ruleset.rules for t in (*(ex.text for ex in rule.examples), *rule.counter_examples)]
    return [t.lower() for t in texts + [case.text for case in load_cases()]]


def test_literal_language_reads_groups_and_optionals() -> None:
    assert triggers.literal_language("a|bc") == ("a", "bc")
    assert triggers.literal_language("trở (?:lên|xuống)") == ("trở lên", "trở xuống")
    assert triggers.literal_language("dv (?:x |y )?(?:m|n)") == ("dv m", "dv n", "dv x m", "dv x n", "dv y m", "dv y n")
    assert triggers.literal_language("ab?") == ("a", "ab")
    for not_literal in (r"\d", "a+", "a*b", "(a)", "[ab]", "a.b", "(?i:a)", "a{2}", "^a", "(?:a|b)+"):
        assert triggers.literal_language(not_literal) is None, not_literal


def test_alternatives_split_only_at_the_top() -> None:
    assert triggers.split_alternatives(r"a|(?:b|c)|[|]|\||d") == ["a", "(?:b|c)", "[|]", r"\|", "d"]
    assert triggers.split_alternatives("(?i)a|b") is None
    assert triggers.split_alternatives("(a|b") is None
    assert triggers.alternatives_of(r"(a)|\1", regex.compile) is None  # a reference cannot stand alone
    assert triggers.alternatives_of("a||b", regex.compile) is None


def test_a_match_begins_with_the_words_an_alternative_needs() -> None:
    parts = triggers.alternatives_of(r"(?<= )(?:ab|cd)(?=x)|ef\d|\d", lambda p: regex.compile(p, regex.VERSION0))
    assert parts is not None
    assert [needs for needs, _ in parts.guarded] == [("ab", "cd"), ("ef",)]
    assert [p.pattern for p in parts.leading] == [r"\d"]  # one character class: asked first
    assert parts.search(" cdx", 0, 4) and not parts.search(" cd", 0, 3) and not parts.search("cdx", 0, 3)
    assert parts.search(" cdx", 1, 4)  # the lookbehind sees before the start, as in a search
    assert not parts.search(" cdx", 0, 3)  # … and the lookahead not past the end
    assert parts.search("a1", 0, 2) and not parts.search("a1", 0, 1)


def test_one_character_classes_are_asked_first_and_decide_the_same() -> None:
    pattern = r"foo|[0-9]|\p{Lu}|bar\d+|[^\s]x"
    parts = triggers.alternatives_of(pattern, lambda p: regex.compile(p, regex.VERSION0))
    assert parts is not None
    assert [p.pattern for p in parts.leading] == ["[0-9]", r"\p{Lu}"]
    whole = regex.compile(pattern, regex.VERSION0)
    for text in ["foo", "a1", "aB", "bar", "bar2", " x", "yx", "", "  ", "zzz", "Ω"]:
        for a in range(len(text) + 1):
            for b in range(a, len(text) + 1):
                assert parts.search(text, a, b) == (whole.search(text, a, b) is not None), (text, a, b)


def _sample_spans(text: str, rng: random.Random) -> list[tuple[int, int]]:
    spans = [(0, len(text))]
    for _ in range(3):
        a = rng.randrange(len(text) + 1)
        spans.append((a, rng.randrange(a, len(text) + 1)))
    return spans


def test_prefilter_parts_decide_as_the_prefilter(ruleset) -> None:  # type: ignore[no-untyped-def]
    """On every example, spec text and stretches of them, with and without the document's
    own selection of alternatives."""
    assert ruleset.prefilter_parts is not None, "the project's prefilter splits into alternatives"
    rng = random.Random(13)
    lower = ruleset.prefilter_lower
    texts = _texts(ruleset)
    doc = "\n\n".join(texts[:40])
    for text, parts in [(t, ruleset.prefilter_parts) for t in texts] + [(doc, ruleset.prefilter_for(doc))]:
        for a, b in _sample_spans(text, rng):
            assert parts.search(text, a, b) == (lower.search(text, a, b) is not None), (text[a:b], a, b)


def test_trigger_words_decide_as_the_lower_cased_trigger(ruleset) -> None:  # type: ignore[no-untyped-def]
    with_words = [r for r in ruleset.rules if r.requires_words is not None]
    assert len(with_words) >= 20
    # the two triggers with groups ("trở (?:lên|xuống)", "dịch vụ (?:…)?…") are words too
    assert any("(?:" in r.requires.pattern for r in with_words)
    texts = _texts(ruleset)
    for rule in with_words:
        lowered = regex.compile(rule.requires.pattern.lower(), regex.VERSION0)
        for text in texts:
            assert triggers.any_in(rule.requires_words, text) == (lowered.search(text) is not None), (rule.id, text)
            assert (rule.requires.search(text) is not None) == (lowered.search(text) is not None), (rule.id, text)
