"""Short cuts of rule matching give exactly what the plain scans give."""

from __future__ import annotations

import random
from types import SimpleNamespace

from newsfacts import fieldfns


def _left_words_whole_head(sentence: str, start: int, limit: int) -> list[str]:
    """``fieldfns._left_words`` as it was: every clause break of the head found."""
    before = sentence[:start]
    breaks = list(fieldfns._CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    words = before.split()[-limit:]
    figures = [i for i, w in enumerate(words) if any(c.isdigit() for c in w)]
    return words[figures[-1] + 1:] if figures else words


def test_left_words_scan_only_the_tail_and_agree() -> None:
    rng = random.Random(17)
    pieces = ["a", "b", ",", ", ", "trong đó", "còn", "nhưng", "song", ";", ".", "  ", "\n", "x.y", "1,5",
              ":", "(", '"', "“", ",còn", "\u2003", "\x1c", "trong", "đó", ",  trong  đó", "ước tăng"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "  "]) for _ in range(rng.randrange(25)))
        start, limit = rng.randrange(len(text) + 1), rng.randrange(1, 8)
        ctx = SimpleNamespace(sentence=text, match=SimpleNamespace(start=lambda s=start: s))
        assert fieldfns._left_words(ctx, limit) == _left_words_whole_head(text, start, limit), (text, start, limit)  # type: ignore[arg-type]


def test_an_anchored_pattern_is_tried_at_the_start_only_and_finds_the_same(ruleset) -> None:  # type: ignore[no-untyped-def]
    anchored = [r for r in ruleset.rules if r.anchored]
    assert any(not r.column for r in anchored) and any(r.column for r in anchored)
    texts = [t for rule in ruleset.rules for t in (*(ex.text for ex in rule.examples), *rule.counter_examples)]
    for rule in anchored:
        for text in texts:
            every = [m.span() for m in rule.regex.finditer(text, overlapped=True)]
            first = rule.regex.match(text)
            assert every == ([] if first is None else [first.span()]), (rule.id, text)
    assert not any(r.anchored for r in ruleset.rules if not r.pattern.startswith("^"))
