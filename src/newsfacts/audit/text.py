"""Text output of the audit tools, for a terminal; ``--format json`` prints their dicts."""

from __future__ import annotations

from typing import Any

from ..models import KINDS
from .evaluation import Evaluation
from .examples import ExampleResult
from .scoring import KEYS


def _keys(fact: dict[str, Any]) -> str:
    kind = fact.get("kind", "")
    parts = [f"{k}={fact[k]}" for k in KEYS.get(kind, ()) if fact.get(k) is not None]
    return " ".join(parts)


def format_evaluation(ev: Evaluation, errors: bool = False) -> str:
    s = ev.summary
    lines = [f"{'kind':16}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>8}{'R':>8}{'F1':>8}"]
    for k in KINDS + ("all",):
        r = s[k]
        lines.append(f"{k:16}{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}{r['precision']:>8.3f}"
                     f"{r['recall']:>8.3f}{r['f1']:>8.3f}")
    for k, v in s["attributes"].items():
        acc = "n/a" if v["accuracy"] is None else f"{v['accuracy']:.3f}"
        lines.append(f"attribute {k:10} {v['correct']}/{v['of']} = {acc}")
    lines += ["", f"{'rule':34}{'tp':>5}{'fp':>5}{'opt':>5}{'P':>8}"]
    for rid, r in ev.rules.items():
        p = "-" if r["precision"] is None else f"{r['precision']:.3f}"
        lines.append(f"{rid:34}{r['tp']:>5}{r['fp']:>5}{r['optional']:>5}{p:>8}")
    lines.append(f"\n{len(ev.scoring.docs)} documents scored")
    if ev.unscored_gold_docs:
        lines.append(f"not among the inputs, not scored: {', '.join(ev.unscored_gold_docs)}")
    if errors:
        lines.append("")
        for e in ev.error_list():
            if e["error"] == "missed":
                head = f"{_keys(e['gold'])}  at {e['gold'].get('at')!r}"
            elif e["error"] == "spurious":
                head = f"{_keys(e['pred'])}  {e['pred'].get('text')!r}  rule {e['pred'].get('rule')}"
            else:
                name = e["error"].split(" ", 1)[1]
                head = (f"{_keys(e['gold'])}  gold {e['gold'].get(name)!r}, got "
                        f"{e['pred'].get(name)!r}  rule {e['pred'].get('rule')}")
            lines.append(f"{e['error']:15} {e['doc']}  {e['kind']}  {head}")
            if e.get("sentence"):
                lines.append(f"    {e['sentence']}")
    return "\n".join(lines)


def format_rule_results(results: dict[str, list[ExampleResult]], verbose: bool = False) -> str:
    lines = []
    for rid, res in results.items():
        bad = [r for r in res if not r.ok]
        n_match = sum(r.kind == "must-match" for r in res)
        counts = f"{n_match} must-match, {len(res) - n_match} must-not-match"
        if not bad:
            lines.append(f"PASS {rid}  ({counts})")
            if not verbose:
                continue
        else:
            lines.append(f"FAIL {rid}  ({res[0].file if res else ''}; {len(bad)} of {len(res)} "
                         f"examples fail)")
        for r in res if verbose else bad:
            mark = "ok  " if r.ok else "FAIL"
            lines.append(f"  {mark} {r.kind} #{r.number}: {r.text!r}")
            if r.ok:
                continue
            if r.kind == "must-match":
                lines.append(f"       expected: {r.expected}" + (f" at {r.span!r}" if r.span else ""))
            else:
                lines.append("       expected: no match")
            lines.append(f"       got:      {r.got or 'no match'}")
    return "\n".join(lines)


def _fields_str(fields: dict[str, Any]) -> str:
    return " ".join(f"{k}={v!r}" for k, v in fields.items() if v is not None)


def format_explanation(ex: dict[str, Any], show_all: bool = False) -> str:
    lines = [f"cleaned text: {len(ex['text'])} characters, {len(ex['sentences'])} sentences"
             + (f"; title: {ex['title']!r}" if ex.get("title") else "")]
    for s in ex["sentences"]:
        if not s["rules_tried"] and not show_all:
            continue
        lines += ["", f"[{s['n']}] {s['span'][0]}-{s['span'][1]}  {s['text']}"]
        if not s["rules_tried"]:
            lines.append("    no trigger word (prefilter): no rule tried")
            continue
        if s["figures"]:
            lines.append("    figures:")
            lines += [f"      {f['text']!r:14} {f['status']}" for f in s["figures"]]
        lines.append("    rules:")
        quiet = []
        for r in s["rules"]:
            if r["status"] == "matched":
                for c in r["candidates"]:
                    verdict = "WON" if c["won"] else f"lost to {c['beaten_by']}"
                    lines.append(f"      + {r['rule']} (priority {r['priority']}) "
                                 f"{c['text']!r} -> {_fields_str(c['fields'])}  [{verdict}]")
            elif r["status"] == "no match" and not show_all:
                quiet.append(r["rule"])
            else:
                lines.append(f"      - {r['rule']}: {r['status']}"
                             + (f": {r['reason']}" if r.get("reason") else ""))
        if quiet:
            lines.append(f"      . tried, no match: {', '.join(quiet)}")
        if s["overlaps"]:
            lines.append("    overlaps:")
            for o in s["overlaps"]:
                lines.append(f"      {o['winner']} {o['winner_text']!r} beat {o['loser']} "
                             f"{o['loser_text']!r}: {o['reason']}")
    lines += ["", f"facts: {len(ex['facts'])}"]
    for i, f in enumerate(ex["facts"], 1):
        own = {k: v for k, v in f.items()
               if k not in ("kind", "text", "span", "sentence", "rule", "attributes", "subject_id")}
        lines.append(f"  {i}. {f['kind']} {f['text']!r} at {f['span']} by rule {f['rule']}")
        lines.append(f"     {_fields_str(own) or '-'}")
        for k, a in f["attributes"].items():
            how = f"found in {a['found_in']}" if a["found_in"] else "not found"
            if a.get("rule"):
                how += f", by {a['rule']}"
            lines.append(f"     {k:9} = {a['value']!r} ({how})")
    for w in ex["warnings"]:
        lines.append(f"warning: {w}")
    return "\n".join(lines)


def format_coverage(cov: dict[str, Any], limit: int = 30) -> str:
    lines = [f"{cov['documents']} documents, {cov['sentences']} sentences", "",
             f"{'rule':34}{'kind':17}{'facts':>6}{'cands':>7}{'lost':>6}{'docs':>6}"]
    for rid, r in sorted(cov["rules"].items(), key=lambda kv: -kv[1]["facts"]):
        lines.append(f"{rid:34}{r['kind']:17}{r['facts']:>6}{r['candidates']:>7}{r['lost']:>6}"
                     f"{r['documents']:>6}")
    lines += ["", "never fire: " + (", ".join(cov["never_fire"]) or "none")]
    un = cov["unclaimed"]
    lines += ["", f"figures near trigger words that no rule claimed: {len(un)}"]
    if un:
        lines.append("  by trigger: " + ", ".join(f"{k} {v}"
                                                  for k, v in cov["unclaimed_by_trigger"].items()))
        for u in un[:limit]:
            lines.append(f"  {u['doc']}  {u['figure']!r} near {u['trigger']!r}: {u['sentence']}")
        if len(un) > limit:
            lines.append(f"  … {len(un) - limit} more (--limit, or --format json)")
    return "\n".join(lines)
