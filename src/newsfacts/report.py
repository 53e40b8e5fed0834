"""Report: one self-contained HTML page to look at what the rules found.

Each article's cleaned text with every fact highlighted by kind (fields and
rule on hover and click), all facts in a sortable table, counts per rule, and
— with gold — true, missed and spurious facts marked apart with the scores at
the top. CSS and JavaScript are inline (``report_template.html``) and the page
loads nothing from the network, so it can be mailed or archived as is.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from html import escape
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from typing import Any

from .audit import KEYS, KINDS, Evaluation, doc_of, evaluate, extract_records
from .resources import Resources

KIND_LABELS = {"score": "score", "rank": "rank", "procedure_count": "procedure count",
               "percentage": "percentage"}
STATUS_LABELS = {"tp": "true (matches gold)", "fp": "spurious (no gold)",
                 "optional": "matches an optional gold fact", "missed": "missed (gold only)"}
_ATTRS = ("subject", "index", "component", "year")
_SKIP = {"kind", "text", "span", "sentence", "rule", "evidence", "subject_id"}


def _template() -> str:
    return files("newsfacts").joinpath("report_template.html").read_text(encoding="utf-8")


def _key_text(fact: dict[str, Any]) -> str:
    kind = fact.get("kind", "")
    parts = [f"{k} {fact[k]:g}" if isinstance(fact.get(k), float) else f"{k} {fact[k]}"
             for k in KEYS.get(kind, ()) if fact.get(k) is not None]
    return ", ".join(parts)


def _tooltip(fact: dict[str, Any], status: str | None) -> str:
    fields = [f"{k}: {v}" for k, v in fact.items() if k not in _SKIP and v is not None
              and k not in ("doc", "at", "n", "optional")]
    head = f"{fact.get('kind')} · rule {fact.get('rule', '—')}"
    if status:
        head += f" · {STATUS_LABELS.get(status, status)}"
    return head + "\n" + "\n".join(fields)


def render_text(text: str, marks: list[tuple[int, int, str, str, str]]) -> str:
    """Escape ``text`` and wrap each (start, end, id, classes, title) span in ``<mark>``.

    Spans may overlap (a missed gold fact under a wrong prediction): the text is
    cut at every boundary and each piece is wrapped by every span covering it.
    """
    marks = [m for m in marks if 0 <= m[0] < m[1] <= len(text)]
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    out = []
    for a, b in pairwise(cuts):
        piece = escape(text[a:b], quote=False)
        covering = sorted((m for m in marks if m[0] <= a and b <= m[1]),
                          key=lambda m: (m[0] - m[1], m[2]))
        for _start, _end, fid, cls, title in reversed(covering):
            piece = (f'<mark class="f {cls}" data-fact="{escape(fid)}" '
                     f'title="{escape(title)}">{piece}</mark>')
        out.append(piece)
    return "".join(out)


def _table(head: list[str], rows: list[list[Any]], sortable: bool = False,
           row_attrs: list[str] | None = None, num: set[int] | None = None) -> str:
    num = num or set()
    cls = ' class="sortable"' if sortable else ""
    ths = "".join(f'<th{" class=num" if i in num else ""}>{escape(h)}</th>'
                  for i, h in enumerate(head))
    body = []
    for r, row in enumerate(rows):
        attrs = row_attrs[r] if row_attrs else ""
        tds = []
        for i, cell in enumerate(row):
            if isinstance(cell, tuple):  # (html, sort key)
                html, key = cell
                tds.append(f'<td data-sort="{escape(str(key))}">{html}</td>')
            else:
                value = "" if cell is None else (f"{cell:g}" if isinstance(cell, float) else cell)
                tds.append(f'<td{" class=num" if i in num else ""}>{escape(str(value))}</td>')
        body.append(f"<tr{attrs}>{''.join(tds)}</tr>")
    return f"<table{cls}><thead><tr>{ths}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _legend(with_gold: bool) -> str:
    keys = [f'<span class="key"><span class="swatch k-dot-{k}"></span>{escape(KIND_LABELS[k])}</span>'
            for k in KINDS]
    if with_gold:
        keys += [f'<span class="key"><span class="badge b-{s}">{s}</span> {escape(STATUS_LABELS[s])}'
                 f'</span>' for s in ("tp", "fp", "optional", "missed")]
    return f'<section class="card legend" id="legend"><h2>Legend</h2>{"".join(keys)}</section>'


def _scores(ev: Evaluation) -> str:
    s = ev.summary
    rows = [[k, s[k]["tp"], s[k]["fp"], s[k]["fn"]]
            + [f"{s[k][m]:.3f}" for m in ("precision", "recall", "f1")] for k in KINDS + ("all",)]
    attrs = [[k, v["correct"], v["of"], "n/a" if v["accuracy"] is None else f"{v['accuracy']:.3f}"]
             for k, v in s["attributes"].items()]
    return ('<section class="card" id="scores"><h2>Scores against gold</h2>'
            + _table(["kind", "tp", "fp", "fn", "P", "R", "F1"], rows, num={1, 2, 3, 4, 5, 6})
            + "<h2 style='margin-top:10px'>Attribute accuracy (matched facts)</h2>"
            + _table(["attribute", "correct", "of", "accuracy"], attrs, num={1, 2, 3})
            + "</section>")


class _Facts:
    """What the page knows of each fact: JSON for the detail panel and a table row."""

    def __init__(self) -> None:
        self.data: list[dict[str, Any]] = []
        self.rows: list[list[Any]] = []
        self.row_attrs: list[str] = []

    def add(self, doc: str, fact: dict[str, Any], status: str | None, span: Any, fid: str,
            marks: list[tuple[int, int, str, str, str]]) -> None:
        fields = {k: v for k, v in fact.items() if k not in ("sentence", "evidence")}
        evidence = fact.get("evidence") or {}
        for a in _ATTRS:
            if a in fields and evidence.get(a):
                fields[f"{a} found in"] = evidence[a]
        kind = str(fact.get("kind"))
        self.data.append({"id": fid, "doc": doc, "kind": kind, "status": status, "fields": fields})
        surface = str(fact.get("text") or fact.get("at") or "")
        self.rows.append([doc, kind, (escape(surface), surface), _key_text(fact),
                          fact.get("subject"), fact.get("index"), fact.get("year"),
                          fact.get("rule"), status or ""])
        self.row_attrs.append(f' class="fact-row" data-fact="{escape(fid)}"')
        if span is not None:
            marks.append((span[0], span[1], fid, f"k-{kind}" + (f" st-{status}" if status else ""),
                          _tooltip(fact, status)))


def build_report(inputs: list[str], resources: Resources,
                 gold: str | Path | None = None,
                 title: str = "newsfacts report") -> tuple[str, dict[str, Any]]:
    """The HTML page and a few counts (documents, facts, marks)."""
    ev: Evaluation | None = None
    if gold is not None:
        ev = evaluate(gold, inputs, resources)
        records, errors = ev.records, ev.read_errors + ev.warnings
    else:
        records, _raw, _seen, errors = extract_records(inputs, resources)
    known = {g["doc"] for g in ev.gold} if ev else set()
    missed_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc, g in ev.scoring.missed if ev else []:
        missed_by_doc[doc].append(g)

    collected = _Facts()
    per_rule: dict[str, Counter[str]] = defaultdict(Counter)
    rule_kind = {r.id: r.kind for r in resources.rules.rules}
    articles = []
    n_marked = 0
    for d, rec in enumerate(records):
        doc = doc_of(rec, known) or rec.get("doc_id") or f"doc{d}"
        marks: list[tuple[int, int, str, str, str]] = []
        notes = []
        for i, fact in enumerate(rec.get("facts") or []):
            status = ev.scoring.outcome.get(id(fact), ("fp", None))[0] if ev else None
            if ev and doc not in ev.scoring.docs:
                status = None
            per_rule[str(fact.get("rule"))][status or "facts"] += 1
            per_rule[str(fact.get("rule"))]["all"] += 1
            collected.add(doc, fact, status, fact.get("span"), f"{d}-{i}", marks)
        for j, g in enumerate(missed_by_doc.get(doc, [])):
            span = ev.miss_span(doc, g) if ev else None
            if span is None:
                notes.append(f"missed, not found in the cleaned text: {g.get('kind')} "
                             f"{_key_text(g)} at {g.get('at')!r}")
            collected.add(doc, {**g, "text": g.get("at")}, "missed", span, f"{d}-m{j}", marks)
        n_marked += len({m[2] for m in marks})
        warn = "".join(f'<p class="warn">{escape(w)}</p>'
                       for w in notes + list(rec.get("warnings") or []))
        heading = escape(doc) + (f" <small>{escape(rec['title'])}</small>" if rec.get("title") else "")
        articles.append(f'<section class="card doc" id="doc-{escape(doc)}" data-doc="{escape(doc)}">'
                        f'<h2>{heading}</h2>{warn}<div class="article">'
                        f'{render_text(rec.get("text") or "", marks)}</div></section>')
    data, table_rows, row_attrs = collected.data, collected.rows, collected.row_attrs

    with_gold = ev is not None
    rule_ids = list(rule_kind) + sorted(set(per_rule) - set(rule_kind) - {"None"})
    rule_rows = []
    for rid in rule_ids:
        c = per_rule.get(rid, Counter())
        row: list[Any] = [rid, rule_kind.get(rid, ""), c["all"]]
        if with_gold:
            row += [c["tp"], c["fp"], c["optional"]]
        rule_rows.append(row)
    rule_head = ["rule", "kind", "facts"] + (["tp", "fp", "optional"] if with_gold else [])
    kinds = Counter(f["kind"] for f in data if f["status"] != "missed")
    headline = (f"{len(records)} documents, {sum(kinds.values())} facts ("
                + ", ".join(f"{KIND_LABELS[k]} {kinds[k]}" for k in KINDS) + ")")
    if ev is not None:
        a = ev.summary["all"]
        headline += (f" · against gold: P {a['precision']:.3f} R {a['recall']:.3f} "
                     f"F1 {a['f1']:.3f} (tp {a['tp']}, fp {a['fp']}, fn {a['fn']})")
    body = [_scores(ev) if ev else "", _legend(with_gold)]
    if errors:
        body.append('<section class="card"><h2>Skipped inputs and warnings</h2>'
                    + "".join(f'<p class="warn">{escape(e)}</p>' for e in errors) + "</section>")
    body.append('<section class="card" id="rules"><h2>Facts per rule</h2>'
                + _table(rule_head, rule_rows, sortable=True, num={2, 3, 4, 5}) + "</section>")
    body.append('<section class="card" id="facts"><h2>Facts <small>click a column to sort, '
                'a row to find it in the text</small></h2><div class="scroll">'
                + _table(["doc", "kind", "text", "key fields", "subject", "index", "year", "rule",
                          "status"], table_rows, sortable=True, row_attrs=row_attrs)
                + "</div></section>")
    body.append(_panel_view(records, resources, [doc_of(r, known) or r.get("doc_id") or f"doc{d}"
                                                 for d, r in enumerate(records)]))
    body += articles
    payload = json.dumps(data, ensure_ascii=False, default=str)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    slots = {"TITLE": escape(title), "HEADLINE": escape(headline), "DATA": payload,
             "BODY": "\n".join(body)}
    page = re.sub(r"@@(TITLE|HEADLINE|DATA|BODY)@@", lambda m: slots[m.group(1)], _template())
    stats = {"documents": len(records), "facts": sum(kinds.values()), "marked": n_marked,
             "missed": sum(len(v) for v in missed_by_doc.values())}
    return page, stats


def _panel_view(records: list[dict[str, Any]], resources: Resources, docs: list[str]) -> str:
    """The panel of the report's records (newsfacts.panel.view), each source linked to
    its article's section."""
    from .panel import build_panel
    from .panel.view import render_panel

    section = {str(r.get("doc_id")): f"#doc-{doc}" for r, doc in zip(records, docs, strict=True)}
    return render_panel(build_panel(records, resources),
                        article=lambda src: section.get(str(src.get("doc_id"))))


def write_report(inputs: list[str], output: str | Path, resources: Resources,
                 gold: str | Path | None = None) -> dict[str, Any]:
    page, stats = build_report(inputs, resources, gold)
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return stats
