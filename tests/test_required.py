"""The words a pattern requires (newsfacts.required): a sentence without them has no match."""

from __future__ import annotations

import random

import regex
from spec_corpus import load_cases

from newsfacts import required
from newsfacts.segment import split_sentences


def test_literal_runs_outside_optional_parts_are_required() -> None:
    assert required.required_words("abc") == (("abc",),)
    assert required.required_words("x?yz") == (("yz",),)
    assert required.required_words("(?:foo)?bar") == (("bar",),)
    assert required.required_words(r"\.5") == ((".5",),)
    assert required.required_words("(?-i:ABC)") == (("abc",),)  # looked for lower-cased
    assert required.required_words("a+b") == (("a",), ("b",))


def test_an_alternation_requires_one_word_of_each_branch() -> None:
    assert required.required_words("(?P<x>hi|hello) there") == ((" there",), ("hi", "hello"))
    assert required.required_words("a(?:bc|de)f") == (("bc", "de"), ("a",), ("f",))
    assert required.required_words("(?:hạng|xếp hạng) ") == (("hạng",), (" ",))  # "xếp hạng" holds "hạng"
    assert required.required_words("(?:bc|[0-9])") == ()  # a branch that requires nothing


def test_lookarounds_classes_and_unread_constructs() -> None:
    assert required.required_words(r"(?=abc)\d") == (("abc",),)
    assert required.required_words("(?!abc)de") == (("de",),)
    assert required.required_words("(?<!abc )de") == (("de",),)
    assert required.required_words("[ab]cd") == (("cd",),)
    assert required.required_words(r"\p{L}+ xy") == ((" xy",),)
    for unread in (r"\x41bc", r"(a)\1bc", "(?x)a b", "a{b", "[[:alpha:]]bc", "(?V1)abc"):
        assert required.required_words(unread) == (), unread


def test_odd_cases_name_letters_that_lower_case_elsewhere() -> None:
    assert required.odd_cases("số", (("số",),)) == frozenset("ſ")  # "ſ" matches "s" case-insensitively
    assert required.odd_cases("đạt", (("đạt",),)) == frozenset()
    assert regex.search("s", "ſ", regex.IGNORECASE | regex.VERSION0)
    # "I" matches "ı", which lower-cases to itself, not to "i": a letter's own cases count
    assert "ı" in required.odd_cases("(?-i:I)", (("i",),))
    assert regex.search("I", "ı", regex.IGNORECASE | regex.VERSION0)


def _sentences(ruleset) -> list[str]:  # type: ignore[no-untyped-def]
    texts = [t for rule in ruleset.rules for t in (*(ex.text for ex in rule.examples), *rule.counter_examples)]
    texts += [case.text for case in load_cases()]
    out = list(texts)
    for text in texts:
        out.extend(s.text for s in split_sentences(text))
    return out


def test_a_sentence_without_the_words_has_no_match(ruleset) -> None:  # type: ignore[no-untyped-def]
    """Every rule, every example, counter-example and spec text and their sentences: where
    the words say no, the pattern finds nothing; and they do say no somewhere."""
    said_no = 0
    texts = _sentences(ruleset)
    for rule in ruleset.rules:
        patterns = [(rule.regex, rule.needs, rule.needs_odd)]
        if rule.requires is not None:
            patterns.append((rule.requires, rule.requires_needs, rule.requires_odd))
        if rule.forbids is not None:
            patterns.append((rule.forbids, rule.forbids_needs, rule.forbids_odd))
        for pattern, needs, odd in patterns:
            for text in texts:
                low = text.lower()
                if len(low) != len(text) or required.all_present(needs, low):
                    continue
                said_no += 1
                assert any(c in low for c in odd) or pattern.search(text) is None, (rule.id, pattern.pattern, text)
    assert said_no > 1000


def test_most_rules_require_words(ruleset) -> None:  # type: ignore[no-untyped-def]
    assert sum(1 for r in ruleset.rules if r.needs) >= 0.9 * len(ruleset.rules)


_ATOMS = [r"\(", "[]a]", "[^]a]", r"\-", r"\ ", r"\n", r"\x61", "(?#x)", "(a)\\1", "a{", r"\p{Lu}", "a", "b",
          "ab", "ſ", "S", "s", "K", "đ", "Đ", "ạ", " ", r"\.", r"\d", r"\w", "[ab]", ".", r"\b", "^", "$", "%",
          "İ", "ı", "i", "I", "σ", "Σ", "ς", "µ", "ß", "ẞ", "\u212a", "å", "\u212b", "ǅ", "(?i)"]
_CHARS = ["a", "b", "ab", "S", "s", "ſ", "k", "K", "đ", "Đ", "Ạ", " ", ".", "1", "%", "İ", "i", "I", "ı", "\n",
          "σ", "Σ", "ς", "µ", "μ", "ß", "ẞ", "\u212a", "å", "\u212b", "ǅ", "ǆ", "Ǆ"]


def _random_pattern(rng: random.Random, depth: int = 0) -> str:
    out = []
    for _ in range(rng.randrange(1, 5)):
        if rng.random() < 0.25 and depth < 3:
            kind = rng.choice(["(?:", "(", "(?=", "(?!", "(?P<g>", "(?-i:", "(?i:", "(?>"])
            atom = kind + "|".join(_random_pattern(rng, depth + 1) for _ in range(rng.randrange(1, 3))) + ")"
            if rng.random() < 0.2:
                atom = rng.choice(["(?<=", "(?<!"]) + rng.choice(["a", "ab", "b|ab", " ", r"\d"]) + ")"
        else:
            atom = rng.choice(_ATOMS)
        zero_width = atom in ("^", "$", r"\b") or atom.startswith(("(?=", "(?!", "(?<"))
        out.append(atom + ("" if zero_width else rng.choice(["", "", "?", "*", "+", "{2}", "{0,2}", "{1,3}", "+?"])))
    return "".join(out)


def test_random_patterns_never_match_where_their_words_say_no() -> None:
    """Random patterns of the constructs the reading follows, and of letters whose cases
    are odd ("ſ", "ı", "K", "ß", final sigma), on random short texts."""
    rng = random.Random(29)
    said_no = 0
    for _ in range(1500):
        pattern = _random_pattern(rng)
        try:
            compiled = regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)
        except regex.error:
            continue
        needs = required.required_words(pattern)
        odd = required.odd_cases(pattern, needs)
        for _ in range(15):
            text = "".join(rng.choice(_CHARS) for _ in range(rng.randrange(8)))
            low = text.lower()
            if len(low) == len(text) and required.ruled_out(needs, odd, low):
                said_no += 1
                assert compiled.search(text, timeout=1) is None, (pattern, text, needs)
    assert said_no > 5000
