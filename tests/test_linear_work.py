"""A megabyte of figures in one line costs linear work (issue 13): counted, not timed.

Linking asks, for each figure, which of the article's mentions (entities, indexes,
years, populations) stand near it. Asked by scanning the whole list, that is the square
of a long text's figures — three such scans came back with new subject passes and made
a 1 MB one-line text take 90 s. Every mention list the linker keeps is a
``link.spans.Mentions``; this counts the mentions its iterations hand out while the
public API extracts a 1 MB one-line text and a tenth of it: per figure the count must
stay the same, whatever the size. (Time is the bench's: bench/bench_one_line.py.)
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import newsfacts
from newsfacts.entities import Mention
from newsfacts.link import spans

sys.path.insert(0, str(Path(__file__).resolve().parent / "hostile"))
from test_hostile_limits import one_line


def _visits_per_figure(size: int, resources: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[float, int]:
    """Mentions handed out by iterating mention lists, per fact, and the facts."""
    seen = [0]
    plain_iter = list.__iter__

    def counting(self: spans.Mentions) -> Iterator[Mention]:
        for m in plain_iter(self):
            seen[0] += 1
            yield m

    text, n = one_line(size)
    with monkeypatch.context() as patch:
        patch.setattr(spans.Mentions, "__iter__", counting)
        facts, _trace = newsfacts.extract_from_text(text, resources=resources)
    assert len(facts) == 3 * n  # every clause's three figures: the work is all there
    return seen[0] / len(facts), len(facts)


def test_a_megabyte_in_one_line_visits_each_mention_a_bounded_number_of_times(
        resources: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    small, small_facts = _visits_per_figure(100_000, resources, monkeypatch)
    large, large_facts = _visits_per_figure(1_000_000, resources, monkeypatch)
    assert large_facts >= 9 * small_facts
    # a scan of every mention per figure makes this grow tenfold with the text
    assert large <= 1.5 * small + 1, (small, large)
    assert large < 50, large
