"""``newsfacts rules coverage``: how often each rule fires on a corpus, the rules that
never fire, and figures near trigger words that no rule claimed."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from .figures import figures, trigger_near

if TYPE_CHECKING:
    from ..resources import Resources


def coverage(inputs: list[str], resources: Resources) -> dict[str, Any]:
    """Per-rule firing counts over a corpus, silent rules, and unclaimed figures."""
    from ..documents import where
    from ..ingest import ReadError, iter_documents
    from ..pipeline import clean_document, extract_from_text

    rules = resources.rules
    stats: dict[str, Counter[str]] = {r.id: Counter() for r in rules.rules}
    unclaimed: list[dict[str, Any]] = []
    docs = n_sent = 0
    errors = []
    for item in iter_documents(inputs):
        if isinstance(item, ReadError):
            errors.append(f"{where(item.source, item.doc_id)}: {item.error}")
            continue
        art = clean_document(item, resources.sites)
        if not art.text.strip():
            continue
        docs += 1
        _, trace = extract_from_text(art.text, art.title, art.meta.get("published"), resources)
        n_sent += len(trace.sentences)
        won = {id(c) for c in trace.winners}
        in_doc: set[str] = set()
        for c in trace.candidates:
            s = stats.setdefault(c.rule.id, Counter())
            s["candidates"] += 1
            s["facts" if id(c) in won else "lost"] += 1
            if id(c) in won:
                in_doc.add(c.rule.id)
        for rid in in_doc:
            stats[rid]["documents"] += 1
        for sent in trace.sentences:
            cands = [c for c in trace.candidates if c.sentence.start == sent.start]
            for f in figures(sent.text):
                if f.note:
                    continue
                a, b = sent.start + f.start, sent.start + f.end
                if any(c.match_start < b and a < c.match_end for c in cands):
                    continue
                trig = trigger_near(sent.text, f)
                if trig:
                    unclaimed.append({"doc": item.doc_id, "figure": f.text, "span": [a, b],
                                      "trigger": trig, "sentence": sent.text})
    kinds = {r.id: r.kind for r in rules.rules}
    table = {rid: {"kind": kinds.get(rid, "?"), "facts": c["facts"], "candidates": c["candidates"],
                   "lost": c["lost"], "documents": c["documents"]} for rid, c in stats.items()}
    return {"documents": docs, "sentences": n_sent, "rules": table,
            "never_fire": [rid for rid, c in table.items() if c["candidates"] == 0],
            "unclaimed": unclaimed,
            "unclaimed_by_trigger": dict(Counter(u["trigger"] for u in unclaimed).most_common()),
            "read_errors": errors}
