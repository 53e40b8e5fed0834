"""Scoring against gold: the contract's matching (``shared/spec/facts.md``), line for
line as the reference ``shared/tools/score_facts.py`` does it, re-implemented here because
the package must not depend on ``../shared``."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..models import KINDS
from ..rules import RuleSet

KEYS = {
    "score": ("value", "max"),
    "rank": ("position", "out_of", "change"),
    "procedure_count": ("count", "object"),
    "percentage": ("value", "value_max"),
}


def fold(s: str) -> str:
    """Case and diacritics folded, whitespace collapsed ("Đà Nẵng" -> "da nang")."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().split())


def stem(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    name = PurePosixPath(value.split("?")[0].rstrip("/")).name
    for ext in (".gz", ".html", ".htm", ".txt", ".json"):
        name = name.removesuffix(ext)
    return name


def doc_candidates(rec: dict[str, Any]) -> list[str]:
    """Every name a record could be known by, most specific first."""
    names = [rec.get(k) for k in ("doc", "doc_id") if isinstance(rec.get(k), str)]
    src = rec.get("source")
    if isinstance(src, dict):
        names += [stem(src.get(k)) for k in ("path", "url", "name")]
    names += [stem(rec.get(k)) for k in ("path", "source", "url")]
    return [n for n in names if n]


def doc_of(rec: dict[str, Any], known: Iterable[str] = ()) -> str | None:
    names = doc_candidates(rec)
    for n in names:
        if n in known:
            return n
    return names[0] if names else None


def same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-6
    return bool(a == b)


def key_match(kind: str, gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    for k in KEYS[kind]:
        if k in gold and gold[k] is not None and not same(gold[k], pred.get(k)):
            return False
    return True


def attr_hits(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    if gold.get("index"):
        out["index"] = pred.get("index") == gold["index"]
    if gold.get("year"):
        years = gold["year"] if isinstance(gold["year"], list) else [gold["year"]]
        py = pred.get("year")
        out["year"] = any(y in years for y in py) if isinstance(py, list) else py in years
    if gold.get("subject"):
        subj = gold["subject"] if isinstance(gold["subject"], list) else [gold["subject"]]
        ps = pred.get("subject") or ""
        p = fold(" | ".join(map(str, ps)) if isinstance(ps, list) else str(ps))
        out["subject"] = bool(p) and any(fold(s) in p for s in subj)
    return out


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a JSON Lines file; a line that is not JSON raises ValueError naming it."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{i}: not JSON: {exc}") from None
    return rows


def predictions(rows: list[dict[str, Any]], known: Iterable[str] = ()) -> dict[str, list[dict[str, Any]]]:
    """Predicted facts by document; rows are article records or single facts."""
    known = set(known)
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in rows:
        doc = doc_of(rec, known)
        facts = rec.get("facts") if isinstance(rec.get("facts"), list) else [rec]
        for f in facts or []:
            if isinstance(f, dict) and f.get("kind") in KINDS:
                own = doc_of(f, known) if f is not rec else None
                by_doc[own if own in known else doc].append(f)  # type: ignore[index]
    return by_doc


@dataclass
class Scoring:
    """Counts as the reference scorer keeps them, plus what each prediction became."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    attrs: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    errors: list[tuple[str, str, Any]] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    # id(pred) -> ("tp" | "optional" | "fp", the gold fact or None)
    outcome: dict[int, tuple[str, dict[str, Any] | None]] = field(default_factory=dict)
    missed: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    per_rule: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def score(gold_rows: list[dict[str, Any]], pred_by_doc: dict[str, list[dict[str, Any]]],
          docs: Iterable[str] | None = None) -> Scoring:
    """One-to-one matching per document, required gold first (the contract's scoring)."""
    gold_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in gold_rows:
        gold_by_doc[g["doc"]].append(g)
    out = Scoring(docs=sorted(docs or gold_by_doc))
    for doc in out.docs:
        golds = gold_by_doc.get(doc, [])
        preds = list(pred_by_doc.get(doc, []))
        used = [False] * len(preds)
        # required gold first, then optional, so optional never steals a match
        order = sorted(range(len(golds)), key=lambda i: bool(golds[i].get("optional")))
        for gi in order:
            g = golds[gi]
            best, best_hits = None, -1
            for pi, p in enumerate(preds):
                if used[pi] or p.get("kind") != g["kind"] or not key_match(g["kind"], g, p):
                    continue
                hits = sum(attr_hits(g, p).values())
                if hits > best_hits:
                    best, best_hits = pi, hits
            if best is None:
                if not g.get("optional"):
                    out.fn[g["kind"]] += 1
                    out.errors.append(("missed", doc, g))
                    out.missed.append((doc, g))
                continue
            used[best] = True
            if g.get("optional"):
                out.outcome[id(preds[best])] = ("optional", g)
                continue
            out.tp[g["kind"]] += 1
            out.outcome[id(preds[best])] = ("tp", g)
            for name, ok in attr_hits(g, preds[best]).items():
                out.attrs[name][0] += ok
                out.attrs[name][1] += 1
                if not ok:
                    out.errors.append((f"wrong {name}", doc, {"gold": g, "pred": preds[best]}))
        for pi, p in enumerate(preds):
            if not used[pi]:
                out.fp[p["kind"]] += 1
                out.errors.append(("spurious", doc, p))
                out.outcome[id(p)] = ("fp", None)
        for p in preds:
            out.per_rule[str(p.get("rule") or "?")][out.outcome[id(p)][0]] += 1
    return out


def prf(t: int, p: int, n: int) -> tuple[float, float, float]:
    pr = t / (t + p) if t + p else 1.0
    rc = t / (t + n) if t + n else 1.0
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    return pr, rc, f1


def summarize(s: Scoring) -> dict[str, Any]:
    """The reference scorer's ``--json`` summary, key for key."""
    summary: dict[str, Any] = {}
    for k in KINDS + ("all",):
        t = sum(s.tp.values()) if k == "all" else s.tp[k]
        p = sum(s.fp.values()) if k == "all" else s.fp[k]
        n = sum(s.fn.values()) if k == "all" else s.fn[k]
        pr, rc, f1 = prf(t, p, n)
        summary[k] = {"tp": t, "fp": p, "fn": n, "precision": round(pr, 4),
                      "recall": round(rc, 4), "f1": round(f1, 4)}
    summary["attributes"] = {
        k: {"correct": v[0], "of": v[1], "accuracy": round(v[0] / v[1], 4) if v[1] else None}
        for k, v in sorted(s.attrs.items())
    }
    return summary


def rule_table(s: Scoring, ruleset: RuleSet | None = None) -> dict[str, dict[str, Any]]:
    """True positives, false positives and optional matches each rule produced."""
    ids = [r.id for r in ruleset.rules] if ruleset is not None else []
    ids += sorted(set(s.per_rule) - set(ids))
    table = {}
    for rid in ids:
        c = s.per_rule.get(rid, Counter())
        t, f = c["tp"], c["fp"]
        table[rid] = {"tp": t, "fp": f, "optional": c["optional"],
                      "precision": round(t / (t + f), 4) if t + f else None}
    return table
