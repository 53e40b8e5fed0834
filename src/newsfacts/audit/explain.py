"""``newsfacts explain``: sentences, figures, every rule tried, overlaps and why the
winner won, the final facts and how each attribute was found."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from ..extract import match_rule
from ..rules import Rule, RuleSet
from ..segment import Sentence
from .figures import figures

if TYPE_CHECKING:
    from ..resources import Resources


def why_won(winner: Any, loser: Any) -> str:
    """The step of the documented tie-break (extract.py) that decided an overlap."""
    wr, lr = winner.rule, loser.rule
    if wr.priority != lr.priority:
        return f"higher priority ({wr.priority} > {lr.priority})"
    wl, ll = winner.end - winner.start, loser.end - loser.start
    if wl != ll:
        return f"longer figure ({wl} > {ll} characters)"
    wm, lm = winner.match_end - winner.match_start, loser.match_end - loser.match_start
    if wm != lm:
        return f"longer whole match ({wm} > {lm} characters)"
    if wr.order != lr.order:
        return f"comes first in the rule files (#{wr.order + 1} before #{lr.order + 1})"
    return "earlier in the text"


def diagnose(ruleset: RuleSet, rule: Rule, text: str, limit: int = 3) -> dict[str, Any]:
    """Why a rule tried on a sentence proposed nothing: its conditions, or matches whose
    fields did not read, as the one matcher (:func:`~newsfacts.extract.match_rule`) tells."""
    why: list[tuple[str, str]] = []
    try:
        match_rule(ruleset, rule, Sentence(0, len(text), text, 0), why=why)
    except TimeoutError:
        return {"status": "timeout", "reason": "pattern timed out"}
    if why and why[0][0] == "skipped":
        return {"status": "skipped", "reason": why[0][1]}
    dropped = [reason for _, reason in why]
    if dropped:
        return {"status": "dropped", "reason": "; ".join(dict.fromkeys(dropped[:limit]))}
    return {"status": "no match", "reason": None}


def explain_text(raw: str, resources: Resources, title: str | None = None,
                 published: str | None = None, cleaned: bool = False) -> dict[str, Any]:
    """Everything that happened to one text, as a JSON-ready dict."""
    from ..ingest import Document
    from ..pipeline import clean_document, extract_from_text

    rules = resources.rules
    warnings: list[str] = []
    if not cleaned:
        art = clean_document(Document(doc_id="text", source={}, text=raw), resources.sites)
        text, title = art.text, title or art.title
        published = published or art.meta.get("published")
        warnings += art.warnings
    else:
        text = raw
    facts, trace = extract_from_text(text, title, published, resources)
    warnings += trace.warnings
    winners = {id(c) for c in trace.winners}
    by_sentence: dict[int, list[Any]] = defaultdict(list)
    for c in trace.candidates:
        by_sentence[c.sentence.start].append(c)
    sentences = []
    for i, sent in enumerate(trace.sentences, 1):
        cands = by_sentence.get(sent.start, [])
        tried = rules.worth_trying(sent.text)  # under the match time limit, as in extract
        figs = []
        for f in figures(sent.text):
            a, b = sent.start + f.start, sent.start + f.end
            hit = [c for c in cands if c.start < b and a < c.end]
            won = [c for c in hit if id(c) in winners]
            ctx = [c for c in cands if id(c) in winners and c.match_start < b and a < c.match_end]
            status = (f"fact {won[0].rule.kind} by {won[0].rule.id}" if won
                      else f"only losing candidates ({', '.join(c.rule.id for c in hit)})" if hit
                      else f"context of the {ctx[0].rule.kind} fact by {ctx[0].rule.id}" if ctx
                      else f"not a figure: {f.note}" if f.note
                      else "no rule claimed it")
            figs.append({"text": f.text, "span": [a, b], "status": status})
        tried_rules = []
        for rule in rules.rules if tried else []:
            mine = [c for c in cands if c.rule is rule]
            if mine:
                tried_rules.append({"rule": rule.id, "kind": rule.kind, "priority": rule.priority,
                                    "status": "matched", "candidates": [
                                        {"text": text[c.start:c.end], "span": [c.start, c.end],
                                         "fields": c.fields,
                                         "won": id(c) in winners, "beaten_by": c.beaten_by}
                                        for c in sorted(mine, key=lambda c: c.start)]})
            else:
                d = diagnose(rules, rule, sent.text)
                tried_rules.append({"rule": rule.id, "kind": rule.kind, "priority": rule.priority,
                                    **d})
        overlaps = []
        for c in cands:
            if id(c) in winners:
                continue
            w = next((x for x in trace.winners if x.rule.id == c.beaten_by
                      and x.start < c.end and c.start < x.end), None)
            if w is None:
                continue
            overlaps.append({"loser": c.rule.id, "loser_text": text[c.start:c.end],
                             "winner": w.rule.id, "winner_text": text[w.start:w.end],
                             "reason": why_won(w, c)})
        sentences.append({"n": i, "span": [sent.start, sent.end], "paragraph": sent.paragraph,
                          "text": sent.text, "rules_tried": tried, "figures": figs,
                          "rules": tried_rules, "overlaps": overlaps})
    out_facts = []
    for f in facts:
        d = f.model_dump(mode="json")
        ev = d.pop("evidence", {}) or {}
        attrs = {k: {"value": d.get(k), "found_in": ev.get(k)}
                 for k in ("subject", "index", "component", "year")}
        attrs["subject"]["rule"] = ev.get("subject_rule")  # the strategy that decided
        out_facts.append({**{k: v for k, v in d.items() if k not in attrs}, "attributes": attrs})
    return {"text": text, "title": title, "sentences": sentences, "facts": out_facts,
            "warnings": warnings}
