"""Every rule's own examples: the check the loader runs (:func:`check_rule_examples`)
and one result per example for ``newsfacts rules test`` and the pytest cases. Rules are
matched with :func:`newsfacts.extract.match_rule`, as extraction matches them."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..extract import MATCH_TIMEOUT_S, Candidate, match_rule
from ..rules import Rule, RuleSet
from ..segment import Sentence

if TYPE_CHECKING:
    from ..resources import Resources


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) \
            and isinstance(got, (int, float)) and not isinstance(got, bool):
        return abs(float(expected) - float(got)) < 1e-6
    return bool(expected == got)


LINKED_EXPECT = ("subject", "index", "year", "component")


VocabOf = Callable[[], Any]  # gives the entities.Vocab to link with (Resources.vocab), built on demand


def _link_alone(cand: Candidate, text: str, sentence: Sentence, vocab: VocabOf) -> dict[str, Any]:
    """The candidate's fact as linking makes it on the example text alone (no title, no date)."""
    from ..link import link_candidates  # link imports extract, which this module needs

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


@dataclass
class ExampleResult:
    """One example of one rule, run on that rule alone."""

    rule: str
    file: str
    kind: str  # "must-match" | "must-not-match"
    number: int  # 1-based, within its kind
    text: str
    expected: dict[str, Any] | None
    span: str | None
    got: list[dict[str, Any]]
    failure: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def _got(ruleset: RuleSet, rule: Rule, text: str) -> list[dict[str, Any]]:
    try:
        cands = match_rule(ruleset, rule, Sentence(0, len(text), text, 0))
    except TimeoutError:
        return [{"error": "pattern timed out"}]
    return [{"text": text[c.start:c.end], **c.fields} for c in cands]


def run_rule_examples(resources: Resources, rule: Rule) -> list[ExampleResult]:
    """Every example of ``rule`` with the loader's own check (``check_rule_examples``),
    linked with the resources' lexicons."""
    ruleset = resources.rules

    def vocab() -> Any:
        return resources.vocab

    results = []
    for i, ex in enumerate(rule.examples, 1):
        fails = check_rule_examples(ruleset, replace(rule, examples=[ex], counter_examples=[]), vocab)
        results.append(ExampleResult(rule.id, rule.file, "must-match", i, ex.text, dict(ex.expect),
                                     ex.span, _got(ruleset, rule, ex.text),
                                     fails[0] if fails else None))
    for i, text in enumerate(rule.counter_examples, 1):
        fails = check_rule_examples(ruleset, replace(rule, examples=[], counter_examples=[text]), vocab)
        results.append(ExampleResult(rule.id, rule.file, "must-not-match", i, text, None, None,
                                     _got(ruleset, rule, text), fails[0] if fails else None))
    return results
