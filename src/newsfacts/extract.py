"""Extract: run the rules over sentences and settle overlaps.

Each rule proposes candidates; one figure yields one fact, so candidates whose
figure spans overlap compete. The tie-break (written down because users ask
why a figure came out as it did): higher ``priority`` first, then the longer
figure span, then the longer whole match, then the rule that comes first in
the rule files, then the earlier position. The loser is kept in the trace
with the winner's id for ``explain``.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from typing import Any

from .fieldfns import MatchContext
from .required import ruled_out
from .rules import MATCH_TIMEOUT_S, Rule, RuleSet, split_by_column
from .segment import Sentence, split_sentences
from .tables import table_cells
from .triggers import Alternatives, any_in


@dataclass
class Candidate:
    rule: Rule
    start: int  # figure span in article coordinates
    end: int
    match_start: int
    match_end: int
    fields: dict[str, Any]
    sentence: Sentence
    beaten_by: str | None = None
    # what linking works out once per figure and asks again (its clause, see link.clauses)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def sort_key(self) -> tuple[int, int, int, int, int]:
        return (-self.rule.priority, -(self.end - self.start),
                -(self.match_end - self.match_start), self.rule.order, self.start)


@dataclass
class Trace:
    """Everything ``explain`` shows: sentences, candidates, winners and losers."""

    sentences: list[Sentence] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    winners: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _triggered(rule: Rule, sentence: Sentence, low: str | None, seen: dict[str, bool]) -> bool:
    """Whether the rule's ``requires`` trigger is in the sentence, once per distinct trigger;
    plain-word triggers are looked for in the lower-cased sentence, without case folding
    (looking for them in the whole document first costs more than it saves)."""
    if rule.requires is None:
        return True
    key = rule.requires.pattern
    present = seen.get(key)
    if present is None:
        if rule.requires_words is not None and low is not None:
            # whether one of its words is in the sentence: what the search of the lower-cased
            # pattern answers, without the engine trying each word at each position
            present = any_in(rule.requires_words, low)
        elif rule.requires_lower is not None and low is not None:
            # a plain-word trigger is a literal alternation: linear in the sentence, so it
            # runs without the time limit, whose bookkeeping costs more than the search
            present = rule.requires_lower.search(low) is not None
        elif low is not None and ruled_out(rule.requires_needs, rule.requires_odd, low):
            present = False  # a word every match of the trigger holds is not in the sentence
        else:
            present = rule.requires.search(sentence.text, timeout=MATCH_TIMEOUT_S) is not None
        seen[key] = present
    return present


def _forbidden(rule: Rule, text: str, seen: dict[str, bool] | None,
               why: list[tuple[str, str]] | None, low: str | None = None) -> bool:
    """Whether the rule's ``forbids`` pattern is in the sentence, once per distinct pattern
    as for ``requires``: a block such as GRADED is the ``forbids`` of many rules, and each
    search scans the whole sentence. ``explain`` (``why``) searches afresh to show the hit."""
    key = "\0forbids:" + rule.forbids.pattern  # no trigger pattern starts with NUL
    if why is None and seen is not None and (cached := seen.get(key)) is not None:
        return cached
    if low is not None and ruled_out(rule.forbids_needs, rule.forbids_odd, low):
        hit = None  # a word every match of it holds is not in the sentence
    else:
        hit = rule.forbids.search(text, timeout=MATCH_TIMEOUT_S)
    if why is not None and hit is not None:
        why.append(("skipped", f"its 'forbids' pattern is: {hit.group(0)!r}"))
    if seen is not None:
        seen[key] = hit is not None
    return hit is not None


def match_rule(ruleset: RuleSet, rule: Rule, sentence: Sentence,
               seen: dict[str, bool] | None = None, low: str | None = None,
               why: list[tuple[str, str]] | None = None,
               warnings: list[str] | None = None) -> list[Candidate]:
    """All candidates one rule proposes in one sentence (one per figure span): the one
    matcher that extraction, ``explain`` and the rule examples share.

    ``seen`` caches, per sentence, whether a ``requires`` trigger is present (many rules
    share one, and it is the most frequent search of a run); ``low`` is the sentence
    lower-cased, for the triggers that can be searched without case folding. With
    ``why``, every reason a match was not proposed is appended to it as ``(status,
    reason)``: ``skipped`` (the rule's conditions) or ``dropped`` (a match whose fields
    did not read), for ``explain`` to show. Every pattern of the rule (``requires``,
    ``forbids``, ``pattern``) runs under the match time limit (TimeoutError); a figure too
    large for a fact to hold is dropped, and said so in ``warnings``."""
    text = sentence.text
    if not _triggered(rule, sentence, low, {} if seen is None else seen):
        if why is not None:
            why.append(("skipped", "its 'requires' pattern is not in the sentence"))
        return []
    if rule.forbids is not None and _forbidden(rule, text, seen, why, low):
        return []
    if low is not None and ruled_out(rule.needs, rule.needs_odd, low):
        return []  # a word every match holds is not in the sentence: the search would find nothing
    found: dict[tuple[int, int], Candidate] = {}
    has_fact = "fact" in rule.regex.groupindex
    if rule.anchored:  # only the start can match: what the overlapped search finds there
        first = rule.regex.match(text, timeout=MATCH_TIMEOUT_S)
        matches: Any = () if first is None else (first,)
    else:
        matches = rule.regex.finditer(text, overlapped=True, timeout=MATCH_TIMEOUT_S)
    for m in matches:
        if has_fact and m.group("fact") is not None:
            start, end = m.span("fact")
        else:
            start, end = m.span()
        if start == end:
            continue
        ctx = MatchContext(m, text, ruleset.lexicons)
        try:
            values = {spec.name: spec.evaluate(ctx) for spec in rule.fields}
        except (ValueError, KeyError, IndexError) as exc:
            if why is not None:
                why.append(("dropped", f"{text[start:end]!r}: a field did not read ({exc})"))
            continue  # the surface did not read as the number the rule needs
        except OverflowError:  # "999…9" (hundreds of digits) as a float is infinite
            values = {"": float("inf")}
        if (bad := _out_of_range(values)) is not None:
            if warnings is not None:
                warnings.append(f"rule {rule.id}: figure {text[start:end][:80]!r} at "
                                f"{sentence.start + start} is beyond what a fact holds "
                                f"({bad}); skipped")
            continue
        if any(values.get(k) is None for k in REQUIRED_FIELDS[rule.kind]):
            if why is not None:
                missing = [k for k in REQUIRED_FIELDS[rule.kind] if values.get(k) is None]
                why.append(("dropped", f"{text[start:end]!r}: no {', '.join(missing)}"))
            continue
        key = (start, end)
        cand = Candidate(rule, sentence.start + start, sentence.start + end,
                         sentence.start + m.start(), sentence.start + m.end(), values, sentence)
        old = found.get(key)
        # overlapped matching finds the same figure from several starts: keep the widest context
        if old is None or (cand.match_end - cand.match_start) > (old.match_end - old.match_start):
            found[key] = cand
    return list(found.values())


# The largest number a fact holds: whole numbers stay exact as JSON numbers (2**53, what
# a JavaScript or float64 reader keeps) and fit a 64-bit SQLite INTEGER; no score, rank,
# count or percentage in the news comes near. Floats must be finite: JSON has no infinity.
MAX_FIGURE = 2 ** 53


def _out_of_range(values: dict[str, Any]) -> str | None:
    """What makes a candidate's numbers unholdable (an infinite or huge value), or None."""
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if isinstance(value, float) and not math.isfinite(value):
            return f"{name or 'a number'} overflows"
        if abs(value) > MAX_FIGURE:
            return f"{name} over {MAX_FIGURE:,}"
    return None


# The fields without which a candidate of each kind is no fact.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "score": ("value",),
    "rank": (),
    "procedure_count": ("count", "object"),
    "percentage": ("value",),
}


def _nested(a: Candidate, b: Candidate) -> bool:
    """One fact written inside another of another kind: "đứng thứ 2/19 với 86,34%, tăng 1
    bậc" is a rank that holds a score; both stand."""
    if a.rule.kind == b.rule.kind:
        return False
    inside = (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
    return inside and (a.start, a.end) != (b.start, b.end)


def resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Greedy, deterministic overlap resolution; returns winners in text order.

    A candidate is beaten by the first winner (in the order they won) that it clashes
    with. Only winners that start less than the longest winner's length before it can
    overlap it, so winners are kept by start too and only those are looked at: a text of
    ten thousand figures costs ten thousand bisections, not their square."""
    winners: list[Candidate] = []
    starts: list[tuple[int, int]] = []  # (start, rank among winners), in order of start
    longest = 0
    for cand in sorted(candidates, key=Candidate.sort_key):
        lo = bisect_left(starts, (cand.start - longest, -1))
        hi = bisect_left(starts, (cand.end, -1))
        clashes = [k for _, k in starts[lo:hi] if cand.start < winners[k].end and not _nested(cand, winners[k])]
        if not clashes:
            insort(starts, (cand.start, len(winners)))
            winners.append(cand)
            longest = max(longest, cand.end - cand.start)
        else:
            cand.beaten_by = winners[min(clashes)].rule.id
    winners.sort(key=lambda c: (c.start, c.end))
    return winners


def run_rules(text: str, ruleset: RuleSet, sentences: list[Sentence] | None = None,
              only: list[Rule] | None = None, parts: Alternatives | None = None) -> Trace:
    """Candidates and winners for a cleaned text; sentences with no trigger cost one search.
    ``parts``: :meth:`RuleSet.prefilter_for` of this text, when the caller has it already
    (the pipeline asks it before splitting sentences)."""
    trace = Trace(sentences=sentences if sentences is not None else split_sentences(text))
    rules, by_column = (ruleset.sentence_rules, ruleset.column_rules) if only is None else split_by_column(only)
    lowered: str | None = text.lower()
    if lowered is not None and len(lowered) != len(text):
        lowered = None  # a few letters change length when lower-cased: offsets would drift
    if only is None and parts is None:
        parts = ruleset.prefilter_for(lowered)
    plan_key = ("sentence rules", lowered is not None)
    plan = ruleset.plans.get(plan_key) if only is None else None
    if plan is None:
        plan = ([(rule, rule.requires.pattern if rule.requires is not None else None) for rule in rules],
                *_trigger_plan(rules, plain=lowered is not None))
        if only is None:
            ruleset.plans[plan_key] = plan  # the same for every document of the rule set
    keys, eager, lazy, words = plan
    for sentence in trace.sentences:
        if only is None and not ruleset.worth_trying(text, lowered, sentence.start, sentence.end, parts):
            continue
        seen: dict[str, bool] = {}
        low = lowered[sentence.start:sentence.end] if lowered is not None else None
        picked = _picked(eager, lazy, low, seen, words) if low is not None else range(len(keys))
        for i in picked:
            rule, key = keys[i]
            # the trigger is looked at here first (once per distinct trigger, cached in
            # ``seen``, read here without a call): most rules stop at it, and a call of
            # match_rule costs more than that
            try:
                present = seen.get(key) if key is not None else True
                if present is None:
                    present = _triggered(rule, sentence, low, seen)
                if not present:
                    continue
                trace.candidates.extend(match_rule(ruleset, rule, sentence, seen, low,
                                                   warnings=trace.warnings))
            except TimeoutError:
                trace.warnings.append(
                    f"rule {rule.id} timed out on sentence at {sentence.start}; skipped")
    trace.candidates.extend(_cell_candidates(text, trace, ruleset, by_column))
    trace.winners = resolve(trace.candidates)
    return trace


# A trigger looked for before any rule of a sentence runs: its key (the pattern), its
# plain words (else its lower-cased literal pattern), and the positions of its rules.
EagerTrigger = tuple[str, frozenset[str] | None, Any, tuple[int, ...]]


def _trigger_plan(rules: list[Rule], plain: bool) -> tuple[list[EagerTrigger], tuple[int, ...], tuple[str, ...]]:
    """Which triggers of ``rules`` are looked for in a sentence up front, which rules
    (by position) are left to the rule loop, in order, and the words of the first, each
    once (the ~30 triggers share a third of their ~120 words: "thứ", "%", "điểm").

    A plain-word or plain-literal trigger is searched in the lower-cased sentence, without
    time limit: it can neither raise nor time out, so whether it is there can be known
    before any rule runs, once, and only the rules of the triggers that are there are
    visited (a sentence holds ~1 of ~30). The others (no trigger, or a pattern searched
    under the time limit, or no lower-cased text: ``plain`` false) stay in the loop, as
    they were, so a time-out is met and reported at the same rule as before."""
    eager: dict[str, EagerTrigger] = {}
    lazy: list[int] = []
    for i, rule in enumerate(rules):
        req = rule.requires
        if req is None or not plain or (rule.requires_words is None and rule.requires_lower is None):
            lazy.append(i)
            continue
        words = frozenset(rule.requires_words) if rule.requires_words is not None else None
        key, words, lower, found = eager.get(req.pattern, (req.pattern, words, rule.requires_lower, ()))
        eager[req.pattern] = (key, words, lower, (*found, i))
    every = sorted({w for _, words, _, _ in eager.values() if words is not None for w in words})
    return list(eager.values()), tuple(lazy), tuple(every)


def _picked(eager: list[EagerTrigger], lazy: tuple[int, ...], low: str,
            seen: dict[str, bool], every: tuple[str, ...]) -> list[int] | tuple[int, ...]:
    """The positions of the rules to visit in a sentence (``low``, lower-cased), in rule
    order: those of the eager triggers that are in it (each noted in ``seen``, as
    ``_triggered`` notes it) and every lazy one. ``every``: the triggers' words, each
    looked for once."""
    held = {w for w in every if w in low}
    picked: list[int] = []
    for key, words, lower, found in eager:
        present = not words.isdisjoint(held) if words is not None else lower.search(low) is not None
        seen[key] = present
        if present:
            picked.extend(found)
    if not picked:
        return lazy
    picked.extend(lazy)
    picked.sort()
    return picked


def _cell_candidates(text: str, trace: Trace, ruleset: RuleSet,
                     by_role: dict[str, list[Rule]]) -> list[Candidate]:
    """Candidates read from the cells of results tables (:mod:`newsfacts.tables`) by the
    rules of the cell's column; each figure's sentence is its row, which names its agency,
    and a score in a component's column ("Gia nhập thị trường") carries that component."""
    if not by_role:
        return []
    found: list[Candidate] = []
    for cell in table_cells(text, trace.sentences, ruleset.lexicons.get("table_header", {})):
        alone = Sentence(cell.start, cell.end, text[cell.start:cell.end], cell.row.paragraph)
        for rule in by_role.get(cell.role, []):
            for cand in match_rule(ruleset, rule, alone, warnings=trace.warnings):
                cand.sentence = cell.row
                if cell.component and rule.kind == "score":
                    cand.fields["component"] = cell.component  # the column's name says which
                if cell.max is not None and rule.kind == "score" and cand.fields.get("max") is None:
                    cand.fields["max"] = cell.max  # "(Thang điểm 10)" in the column's name
                if cell.year is not None:
                    cand.fields["year"] = cell.year  # a table whose columns are years
                if cell.out_of is not None and rule.kind == "rank" and cand.fields.get("out_of") is None:
                    cand.fields["out_of"] = cell.out_of  # "(1-63)" in the table's heading
                found.append(cand)
    return found
