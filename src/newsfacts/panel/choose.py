"""Which value a panel row keeps when articles disagree, and why.

The articles of an archive tell one result many times, and not always alike: a typo, a
component taken for the total, a result revised after publication. Each distinct value
is a *candidate*; the articles that state it are its support (an article counts once
however often it repeats the figure). The rule, as an ordered list of named strategies
(the first that leaves one candidate decides, and is written in the row's ``chosen_by``):

``single_value``        every article gives the same value;
``most_articles``       the value the most articles give;
``latest_publication``  of those tied, the value stated by the most recently published
                        article (a correction or a revision comes after the first report);
                        an article without a date is older than any dated one;
``first_document``      still tied: the value of the article whose id sorts first, so that
                        the choice never depends on the order the inputs were read in.

Values agree when they are equal to three decimals (a score of 92,1% and one of 92,10%
are one value); a rank's values are its positions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

STRATEGIES = ("single_value", "most_articles", "latest_publication", "first_document")
_ISO = regex.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")
_DMY = regex.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\D+(\d{1,2}):(\d{2}))?")


def value_key(*values: float | int | None) -> str:
    """What two figures share when they agree: each value to three decimals ("92.1" and
    "92.10" are one; a range is its two ends)."""
    return "/".join("" if v is None else f"{round(float(v) * 1000) / 1000:.3f}" for v in values)


def published_key(published: Any) -> str:
    """A publication date as a sortable ``YYYY-MM-DDTHH:MM:SS``; "" when there is none or
    it cannot be read ("" sorts before every date: an undated article is the oldest)."""
    if not isinstance(published, str):
        return ""
    m = _ISO.search(published)
    if m:
        y, mo, d, h, mi, s = m.groups()
    else:
        m = _DMY.search(published)
        if not m:
            return ""
        d, mo, y, h, mi = m.groups()
        s = None
    return f"{y}-{int(mo):02d}-{int(d):02d}T{int(h or 0):02d}:{int(mi or 0):02d}:{int(s or 0):02d}"


@dataclass
class Mention:
    """One fact's figure, as the choice needs it: its value key, its article (``doc`` is
    the article's identity, ``doc_id`` its id) and when it was published."""

    vkey: str
    doc: str
    doc_id: str
    published: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Candidate:
    """One distinct value with the mentions that give it."""

    vkey: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return len({m.doc for m in self.mentions})

    @property
    def latest(self) -> str:
        return max(m.published for m in self.mentions)

    @property
    def first_doc(self) -> str:
        return min(m.doc_id for m in self.mentions)

    def common(self, name: str) -> Any:
        """The value of field ``name`` most of its mentions give (None when none gives
        one); ties go to the smallest, so the result never depends on input order."""
        counts = Counter(m.fields.get(name) for m in self.mentions if m.fields.get(name) is not None)
        if not counts:
            return None
        top = max(counts.values())
        return min((v for v, n in counts.items() if n == top), key=lambda v: (str(type(v)), v))


@dataclass
class Choice:
    """The kept candidate, the strategy that kept it, and the others."""

    winner: Candidate
    chosen_by: str
    others: list[Candidate]

    @property
    def conflict(self) -> bool:
        return bool(self.others)


def candidates(mentions: Iterable[Mention]) -> list[Candidate]:
    by_value: dict[str, Candidate] = {}
    for m in mentions:
        by_value.setdefault(m.vkey, Candidate(m.vkey)).mentions.append(m)
    return list(by_value.values())


def choose(cands: Sequence[Candidate]) -> Choice:
    """The candidate the rule keeps (module docstring); ``cands`` must not be empty."""
    if len(cands) == 1:
        return Choice(cands[0], "single_value", [])
    pool = list(cands)
    chosen_by = "first_document"
    for name, key in (("most_articles", lambda c: c.articles),
                      ("latest_publication", lambda c: c.latest)):
        best = max(key(c) for c in pool)
        pool = [c for c in pool if key(c) == best]
        if len(pool) == 1:
            chosen_by = name
            break
    winner = min(pool, key=lambda c: (c.first_doc, c.vkey))
    others = sorted((c for c in cands if c is not winner), key=lambda c: (-c.articles, c.vkey))
    return Choice(winner, chosen_by, others)
