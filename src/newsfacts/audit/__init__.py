"""Audit: which rule made this figure, why did that one not come out, did my change break
anything, how good is each rule — answered without reading code.

``scoring`` is the contract's matching against gold; ``evaluation`` scores a run with it
(``newsfacts eval``, ``report``); ``examples`` runs every rule's own examples (``rules
test``, the loader's check); ``explain`` traces one text; ``coverage`` counts rules over a
corpus; ``figures`` finds numbers no rule claimed; ``text`` formats all of them for a
terminal. Rules are matched by :func:`newsfacts.extract.match_rule` everywhere.
"""

from .coverage import coverage
from .evaluation import Evaluation, evaluate, extract_records, locate, sentence_at
from .examples import ExampleResult, check_rule_examples, run_rule_examples
from .explain import diagnose, explain_text, why_won
from .figures import Figure, figures, trigger_near
from .scoring import KEYS, KINDS, Scoring, doc_of, load_jsonl, predictions, score
from .text import format_coverage, format_evaluation, format_explanation, format_rule_results

__all__ = [
    "KEYS", "KINDS", "Evaluation", "ExampleResult", "Figure", "Scoring", "check_rule_examples",
    "coverage", "diagnose", "doc_of", "evaluate", "explain_text", "extract_records", "figures",
    "format_coverage", "format_evaluation", "format_explanation", "format_rule_results",
    "load_jsonl", "locate", "predictions", "run_rule_examples", "score", "sentence_at",
    "trigger_near", "why_won",
]
