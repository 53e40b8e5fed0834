"""Audit: answer "which rule made this figure, why did that one not come out,
did my change break anything, how good is each rule" without reading code.

Four tools share this module:

* ``run_rule_examples`` — every rule's own must-match and must-not-match
  examples, one result per example (``newsfacts rules test``, the pytest cases);
* ``evaluate`` — extraction scored against gold with exactly the contract's
  matching (``shared/spec/facts.md``; the same figures as the reference
  ``shared/tools/score_facts.py``, re-implemented here because the package must
  not depend on ``../shared``), plus true and false positives per rule and the
  misses and spurious facts with their sentences (``newsfacts eval``, ``report``);
* ``explain_text`` — sentences, figures, every rule tried, overlaps and why the
  winner won, final facts and how each attribute was found (``newsfacts explain``);
* ``coverage`` — how often each rule fires on a corpus, rules that never fire,
  and figures near trigger words that no rule claimed (``newsfacts rules coverage``).
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import regex

from .rules import MATCH_TIMEOUT_S, MatchContext, Rule, RuleSet

if TYPE_CHECKING:
    from .resources import Resources

# =========================================================================== scoring
# The contract's matching, line for line as in shared/tools/score_facts.py.
KINDS = ("score", "rank", "procedure_count", "percentage")
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
    from .segment import split_sentences

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
    from .ingest import ReadError, iter_documents
    from .pipeline import process_document

    records, raw, seen, errors = [], {}, [], []
    for item in iter_documents(inputs):
        if isinstance(item, ReadError):
            errors.append(f"{item.doc_id or item.source.get('path')}: {item.error}")
            if item.doc_id:
                seen.append(item.doc_id)
            continue
        seen.append(item.doc_id)
        try:
            record = process_document(item, resources, with_text=True)
        except Exception as exc:
            errors.append(f"{item.doc_id}: {type(exc).__name__}: {exc}")
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


# =========================================================================== rule examples
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
    from .extract import match_rule
    from .segment import Sentence

    try:
        cands = match_rule(ruleset, rule, Sentence(0, len(text), text, 0))
    except TimeoutError:
        return [{"error": "pattern timed out"}]
    return [{"text": text[c.start:c.end], **c.fields} for c in cands]


def run_rule_examples(resources: Resources, rule: Rule) -> list[ExampleResult]:
    """Every example of ``rule`` with the loader's own check (``check_rule_examples``),
    linked with the resources' lexicons."""
    from .extract import check_rule_examples

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


# =========================================================================== figures
_NUMBER = r"\d+(?:[.,]\d+)*"
FIGURE = regex.compile(rf"(?<![\p{{L}}\d.,/:_-]){_NUMBER}(?:\s?/\s?{_NUMBER})*(?:\s?%)?")
_NOT_FIGURE_BEFORE = regex.compile(
    r"(?:ngày|tháng|quý|khóa|khoá|số|lần|lúc|kỳ|mức độ|mức|cấp độ|điều|khoản|nghị định|"
    r"quyết định|thông tư|chương|phụ lục|sáng|chiều|trưa|tối|đêm|"
    r"(?:lần|kỳ họp|năm|khóa|phiên|đợt) thứ|(?:mức độ|mức) \d(?:,| và)(?: mức(?: độ)?)?)\s*$",
    regex.IGNORECASE)
_NOT_FIGURE_AFTER = regex.compile(r"-\d{1,2}-\d{2,4}|-(?:19|20)\d\d(?!\d)|h(?:\d|\b)|/\p{L}|-\p{Lu}")
# Words near which a number is probably one of the contract's figures ("%" only on the figure).
TRIGGERS = regex.compile(
    r"(?<!\p{L})(?:(?<!thời |thí |địa |đặc |quan |ưu |nhược )điểm(?! cầu)|phần trăm|xếp|đứng|"
    r"hạng|bậc|vị trí|thứ|top|tốp|chỉ số|tỷ lệ|tỉ lệ|TTHC|thủ tục|dịch vụ công|DVC\w*|hồ sơ|"
    r"PAR|PCI|PAPI|SIPAS|DDCI|DTI)(?!\p{L})",
    regex.IGNORECASE)


@dataclass
class Figure:
    start: int
    end: int
    text: str
    note: str | None = None  # why it is not a candidate: year, date, time, document number…


def figures(text: str) -> list[Figure]:
    """Numbers in ``text``; ``note`` says which ones are plainly not facts."""
    out = []
    for m in FIGURE.finditer(text):
        s, e, t = m.start(), m.end(), m.group(0)
        nxt = text[e:e + 2]
        note: str | None = None
        if t.count("/") >= 2 or _NOT_FIGURE_AFTER.match(text, e):
            note = "date or document number"
        elif regex.match(r":\d", nxt):
            note = "time or standard"
        elif "/" not in t and "%" not in t and regex.fullmatch(r"(?:19|20)\d\d", t):
            note = "year"
        elif _NOT_FIGURE_BEFORE.search(text[max(0, s - 14):s]) and "%" not in t:
            note = "date, level or reference number"
        out.append(Figure(s, e, t, note))
    return out


def trigger_near(text: str, fig: Figure, window: int = 40) -> str | None:
    """The trigger word nearest the figure within ``window`` characters, if any."""
    if fig.text.endswith("%"):
        return "%"
    lo, hi = max(0, fig.start - window), min(len(text), fig.end + window)
    best: tuple[int, str] | None = None
    for m in TRIGGERS.finditer(text, lo, hi):
        dist = fig.start - m.end() if m.end() <= fig.start else m.start() - fig.end
        if dist >= 0 and (best is None or dist < best[0]):
            best = (dist, m.group(0).lower())
    return best[1] if best else None


# =========================================================================== explain
def _fields_str(fields: dict[str, Any]) -> str:
    return " ".join(f"{k}={v!r}" for k, v in fields.items() if v is not None)


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
    """Why a rule tried on a sentence proposed nothing: its conditions, or matches
    whose fields did not read (what ``match_rule`` silently drops)."""
    from . import extract

    if rule.requires is not None and not rule.requires.search(text):
        return {"status": "skipped", "reason": "its 'requires' pattern is not in the sentence"}
    if rule.forbids is not None and (m := rule.forbids.search(text)):
        return {"status": "skipped", "reason": f"its 'forbids' pattern is: {m.group(0)!r}"}
    required = getattr(extract, "_REQUIRED", {}).get(rule.kind, ())
    dropped: list[str] = []
    try:
        for m in rule.regex.finditer(text, overlapped=True, timeout=MATCH_TIMEOUT_S):
            has_fact = "fact" in rule.regex.groupindex and m.group("fact") is not None
            surface = m.group("fact") if has_fact else m.group(0)
            if not surface:
                continue
            try:
                values = {s.name: s.evaluate(MatchContext(m, text, ruleset.lexicons))
                          for s in rule.fields}
            except (ValueError, KeyError, IndexError) as exc:
                dropped.append(f"{surface!r}: a field did not read ({exc})")
                continue
            missing = [k for k in required if values.get(k) is None]
            if missing:
                dropped.append(f"{surface!r}: no {', '.join(missing)}")
    except TimeoutError:
        return {"status": "timeout", "reason": "pattern timed out"}
    if dropped:
        return {"status": "dropped", "reason": "; ".join(dict.fromkeys(dropped[:limit]))}
    return {"status": "no match", "reason": None}


def explain_text(raw: str, resources: Resources, title: str | None = None,
                 published: str | None = None, cleaned: bool = False) -> dict[str, Any]:
    """Everything that happened to one text, as a JSON-ready dict."""
    from .clean import clean_document
    from .ingest import Document
    from .pipeline import extract_from_text

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
        tried = bool(rules.prefilter.search(sent.text))
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


# =========================================================================== coverage
def coverage(inputs: list[str], resources: Resources) -> dict[str, Any]:
    """Per-rule firing counts over a corpus, silent rules, and unclaimed figures."""
    from .clean import clean_document
    from .ingest import ReadError, iter_documents
    from .pipeline import extract_from_text

    rules = resources.rules
    stats: dict[str, Counter[str]] = {r.id: Counter() for r in rules.rules}
    unclaimed: list[dict[str, Any]] = []
    docs = n_sent = 0
    errors = []
    for item in iter_documents(inputs):
        if isinstance(item, ReadError):
            errors.append(f"{item.doc_id or item.source.get('path')}: {item.error}")
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
