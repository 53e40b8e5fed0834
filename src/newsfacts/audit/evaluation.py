"""``newsfacts eval``: extraction scored against gold, with the sentence of every miss,
spurious fact and wrong attribute."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from .scoring import Scoring, doc_of, load_jsonl, predictions, rule_table, score, summarize

if TYPE_CHECKING:
    from ..resources import Resources


# --------------------------------------------------------------------------- gold locator
def locate(at: str, n: int, raw: str | None, text: str) -> tuple[int, int] | None:
    """Span in the cleaned ``text`` of the ``n``-th occurrence of ``at`` in the raw file.

    Cleaning drops and normalises lines, so the n-th raw occurrence is matched to
    the cleaned occurrence whose surroundings agree with it best.
    """
    at = unicodedata.normalize("NFC", at or "")
    if not at:
        return None
    spots = [m.start() for m in regex.finditer(regex.escape(at), text)]
    if not spots:
        return None
    if raw is None:
        i = min(max(n, 1), len(spots)) - 1
        return spots[i], spots[i] + len(at)
    raw = unicodedata.normalize("NFC", raw)
    raw_spots = [m.start() for m in regex.finditer(regex.escape(at), raw)]
    if not raw_spots:
        return spots[0], spots[0] + len(at)
    r = raw_spots[min(max(n, 1), len(raw_spots)) - 1]
    before = " ".join(raw[max(0, r - 60):r].split())
    after = " ".join(raw[r + len(at):r + len(at) + 60].split())

    def agreement(c: int) -> int:
        b = " ".join(text[max(0, c - 60):c].split())
        a = " ".join(text[c + len(at):c + len(at) + 60].split())
        left = next((i for i in range(min(len(b), len(before))) if b[-1 - i] != before[-1 - i]),
                    min(len(b), len(before)))
        right = next((i for i in range(min(len(a), len(after))) if a[i] != after[i]),
                     min(len(a), len(after)))
        return left + right

    best = max(spots, key=lambda c: (agreement(c), -abs(spots.index(c) - (n - 1))))
    return best, best + len(at)


def sentence_at(text: str, span: tuple[int, int] | None) -> str | None:
    if span is None:
        return None
    from ..segment import split_sentences

    for s in split_sentences(text):
        if s.start <= span[0] < s.end:
            return s.text
    return None


# --------------------------------------------------------------------------- evaluate
@dataclass
class Evaluation:
    gold: list[dict[str, Any]]
    records: list[dict[str, Any]]
    scoring: Scoring
    summary: dict[str, Any]
    rules: dict[str, dict[str, Any]]
    raw: dict[str, str | None] = field(default_factory=dict)
    read_errors: list[str] = field(default_factory=list)
    unscored_gold_docs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def text_of(self, doc: str) -> str | None:
        for rec in self.records:
            if doc_of(rec, {doc}) == doc:
                return rec.get("text")
        return None

    def miss_span(self, doc: str, gold: dict[str, Any]) -> tuple[int, int] | None:
        text = self.text_of(doc)
        if not text:
            return None
        return locate(str(gold.get("at", "")), int(gold.get("n") or 1), self.raw.get(doc), text)

    def error_list(self) -> list[dict[str, Any]]:
        """Misses, spurious facts and wrong attributes, each with its sentence."""
        out = []
        for what, doc, obj in self.scoring.errors:
            if what == "missed":
                text = self.text_of(doc)
                span = self.miss_span(doc, obj)
                out.append({"error": what, "doc": doc, "kind": obj["kind"], "gold": obj,
                            "sentence": sentence_at(text, span) if text else None})
            elif what == "spurious":
                out.append({"error": what, "doc": doc, "kind": obj["kind"], "pred": _brief(obj),
                            "sentence": obj.get("sentence")})
            else:
                out.append({"error": what, "doc": doc, "kind": obj["gold"]["kind"],
                            "gold": obj["gold"], "pred": _brief(obj["pred"]),
                            "sentence": obj["pred"].get("sentence")})
        return out


def _brief(fact: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fact.items() if k not in ("sentence", "evidence")}


def extract_records(inputs: list[str], resources: Resources,
                    ) -> tuple[list[dict[str, Any]], dict[str, str | None], list[str], list[str]]:
    """Records (with text) as ``newsfacts extract --with-text`` writes them, the raw
    texts, the ids of every document met, and read errors."""
    from ..documents import where
    from ..ingest import ReadError, iter_documents
    from ..pipeline import process_document

    records, raw, seen, errors = [], {}, [], []
    for item in iter_documents(inputs):
        if isinstance(item, ReadError):
            errors.append(f"{where(item.source, item.doc_id)}: {item.error}")
            if item.doc_id:
                seen.append(item.doc_id)
            continue
        seen.append(item.doc_id)
        try:
            record = process_document(item, resources, with_text=True)
        except Exception as exc:
            errors.append(f"{where(item.source, item.doc_id)}: {type(exc).__name__}: {exc}")
            continue
        records.append(record.model_dump(mode="json"))
        html = item.html.decode("utf-8", "replace") if isinstance(item.html, bytes) else item.html
        raw[item.doc_id] = item.text if item.text is not None else html
    return records, raw, seen, errors


def evaluate(gold_path: str | Path, inputs: list[str] | None = None,
             resources: Resources | None = None, predictions_path: str | Path | None = None,
             gold_docs_only: bool = False) -> Evaluation:
    """Extract from ``inputs`` with ``resources`` (or read ``predictions_path``, which
    needs none) and score against gold.

    By default the documents scored are the ones given (a document without gold
    counts its facts as false positives; the reference's ``--docs-dir``); with
    ``gold_docs_only`` every gold document and only those (the reference's default).
    """
    gold = load_jsonl(gold_path)
    known = {g["doc"] for g in gold}
    if predictions_path is not None:
        records = load_jsonl(predictions_path)
        raw: dict[str, str | None] = {}
        seen = [d for d in (doc_of(r, known) for r in records) if d]
        errors: list[str] = []
    else:
        if resources is None:
            raise ValueError("evaluate: extracting from inputs needs the resources to use")
        records, raw, seen, errors = extract_records(list(inputs or []), resources)
    by_doc = predictions(records, known)
    docs = None if gold_docs_only else sorted(set(seen))
    scoring = score(gold, by_doc, docs)
    twice = sorted(d for d, n in Counter(seen).items() if n > 1)
    warnings = [f"document {d} given more than once (e.g. as .txt and .html): its facts are "
                f"scored together" for d in twice]
    ruleset = resources.rules if resources is not None else None
    return Evaluation(gold, records, scoring, summarize(scoring), rule_table(scoring, ruleset),
                      raw, errors, sorted(known - set(scoring.docs)), warnings)
