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
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import regex

from .rules import MATCH_TIMEOUT_S, MatchContext, Rule, RuleSet
from .segment import Sentence, split_sentences


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

    @property
    def text_span(self) -> tuple[int, int]:
        return (self.start, self.end)

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
    plain-word triggers are searched in the lower-cased sentence, without case folding."""
    if rule.requires is None:
        return True
    key = rule.requires.pattern
    present = seen.get(key)
    if present is None:
        if rule.requires_lower is not None and low is not None:
            present = rule.requires_lower.search(low, timeout=MATCH_TIMEOUT_S) is not None
        else:
            present = rule.requires.search(sentence.text, timeout=MATCH_TIMEOUT_S) is not None
        seen[key] = present
    return present


def match_rule(ruleset: RuleSet, rule: Rule, sentence: Sentence,
               seen: dict[str, bool] | None = None, low: str | None = None,
               warnings: list[str] | None = None) -> list[Candidate]:
    """All candidates one rule proposes in one sentence (one per figure span).

    ``seen`` caches, per sentence, whether a ``requires`` trigger is present (many rules
    share one, and it is the most frequent search of a run); ``low`` is the sentence
    lower-cased, for the triggers that can be searched without case folding. Every
    pattern of the rule (``requires``, ``forbids``, ``pattern``) runs under the match time
    limit: TimeoutError. A figure too large for a fact to hold is dropped, and said so in
    ``warnings``."""
    text = sentence.text
    if not _triggered(rule, sentence, low, {} if seen is None else seen):
        return []
    if rule.forbids is not None and rule.forbids.search(text, timeout=MATCH_TIMEOUT_S):
        return []
    found: dict[tuple[int, int], Candidate] = {}
    has_fact = "fact" in rule.regex.groupindex
    for m in rule.regex.finditer(text, overlapped=True, timeout=MATCH_TIMEOUT_S):
        if has_fact and m.group("fact") is not None:
            start, end = m.span("fact")
        else:
            start, end = m.span()
        if start == end:
            continue
        ctx = MatchContext(m, text, ruleset.lexicons)
        try:
            values = {spec.name: spec.evaluate(ctx) for spec in rule.fields}
        except (ValueError, KeyError, IndexError):
            continue  # the surface did not read as the number the rule needs
        except OverflowError:  # "999…9" (hundreds of digits) as a float is infinite
            values = {"": float("inf")}
        if (bad := _out_of_range(values)) is not None:
            if warnings is not None:
                warnings.append(f"rule {rule.id}: figure {text[start:end][:80]!r} at "
                                f"{sentence.start + start} is beyond what a fact holds "
                                f"({bad}); skipped")
            continue
        if any(values.get(k) is None for k in _REQUIRED[rule.kind]):
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


_REQUIRED = {
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
    """Greedy, deterministic overlap resolution; returns winners in text order."""
    winners: list[Candidate] = []
    for cand in sorted(candidates, key=Candidate.sort_key):
        clash = next((w for w in winners if cand.start < w.end and w.start < cand.end
                      and not _nested(cand, w)), None)
        if clash is None:
            winners.append(cand)
        else:
            cand.beaten_by = clash.rule.id
    winners.sort(key=lambda c: (c.start, c.end))
    return winners


def run_rules(text: str, ruleset: RuleSet, sentences: list[Sentence] | None = None,
              only: list[Rule] | None = None) -> Trace:
    """Candidates and winners for a cleaned text; sentences with no trigger cost one search."""
    trace = Trace(sentences=sentences if sentences is not None else split_sentences(text))
    rules = only if only is not None else ruleset.rules
    lowered: str | None = text.lower()
    if lowered is not None and len(lowered) != len(text):
        lowered = None  # a few letters change length when lower-cased: offsets would drift
    for sentence in trace.sentences:
        if only is None and not ruleset.worth_trying(text, lowered, sentence.start, sentence.end):
            continue
        seen: dict[str, bool] = {}
        low = lowered[sentence.start:sentence.end] if lowered is not None else None
        for rule in rules:
            try:
                trace.candidates.extend(match_rule(ruleset, rule, sentence, seen, low,
                                                   trace.warnings))
            except TimeoutError:
                trace.warnings.append(
                    f"rule {rule.id} timed out on sentence at {sentence.start}; skipped")
    trace.winners = resolve(trace.candidates)
    return trace


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) \
            and isinstance(got, (int, float)) and not isinstance(got, bool):
        return abs(float(expected) - float(got)) < 1e-6
    return bool(expected == got)


LINKED_EXPECT = ("subject", "index", "year", "component")


VocabOf = Callable[[], Any]  # gives the entities.Vocab to link with (Resources.vocab), built on demand


def _link_alone(cand: Candidate, text: str, sentence: Sentence, vocab: VocabOf) -> dict[str, Any]:
    """The candidate's fact as linking makes it on the example text alone (no title, no date)."""
    from .link import link_candidates  # link imports this module

    return link_candidates([cand], text, [sentence], None, None, vocab())[0]


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).lower().split())


def _linked_ok(expect: dict[str, Any], fact: dict[str, Any]) -> bool:
    """As the contract's scorer: index and year equal; subject and component contain the
    expected text (case and diacritics folded); null means the attribute must be empty."""
    for key, want in expect.items():
        got = fact.get(key)
        if want is None or key in ("index", "year"):
            if got != want:
                return False
        elif got is None or _fold(str(want)) not in _fold(str(got)):
            return False
    return True


def check_rule_examples(ruleset: RuleSet, rule: Rule, vocab: VocabOf) -> list[str]:
    """Run one rule alone on its examples; each failure says what was expected and got.

    ``vocab`` gives the compiled lexicons an example that states a subject, index, year
    or component is linked with; it is only called for such an example."""
    failures: list[str] = []
    for ex in rule.examples:
        try:
            skipped = not ruleset.prefilter.search(ex.text, timeout=MATCH_TIMEOUT_S)
        except TimeoutError:
            failures.append(f"example {ex.text!r}: the prefilter in blocks.yaml timed out")
            continue
        if skipped:
            failures.append(f"example {ex.text!r}: the prefilter in blocks.yaml skips this "
                            "sentence, so the rule would never see it")
            continue
        sentence = Sentence(0, len(ex.text), ex.text, 0)
        try:
            cands = match_rule(ruleset, rule, sentence)
        except TimeoutError:
            failures.append(f"example {ex.text!r}: pattern timed out")
            continue
        own = {k: v for k, v in ex.expect.items() if k not in LINKED_EXPECT}
        linked = {k: v for k, v in ex.expect.items() if k in LINKED_EXPECT}
        ok = [c for c in cands if all(_same(v, c.fields.get(k)) for k, v in own.items())
              and (ex.span is None or ex.text[c.start:c.end] == ex.span)]
        if linked:  # subject, index, year, component: linked on the example text, then compared
            ok = [c for c in ok if _linked_ok(linked, _link_alone(c, ex.text, sentence, vocab))]
        if not ok:
            got = [{"text": ex.text[c.start:c.end], **c.fields,
                    **({k: _link_alone(c, ex.text, sentence, vocab).get(k) for k in linked}
                       if linked else {})}
                   for c in cands] or "no match"
            failures.append(
                f"example {ex.text!r}: expected {ex.expect}"
                + (f" at {ex.span!r}" if ex.span else "") + f", got {got}")
    for text in rule.counter_examples:
        try:
            cands = match_rule(ruleset, rule, Sentence(0, len(text), text, 0))
        except TimeoutError:
            failures.append(f"counter-example {text!r}: pattern timed out")
            continue
        if cands:
            matched = [text[c.start:c.end] for c in cands]
            failures.append(f"counter-example {text!r} must not match, but matched {matched}")
    return failures


_WS = regex.compile(r"\s+")
