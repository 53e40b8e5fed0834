"""The panel view: per index, a chart of subjects' scores and ranks by year, a table that
flags conflicts, and the sources every value links to.

Plain inline SVG and HTML, no script and nothing loaded from the network, so the view
works inside the report (:mod:`newsfacts.report`) and as a page of its own
(``newsfacts panel --html``) and can be mailed or archived as it is. Every value drawn
or written (a chart's point, a table's score, rank or competing value) is a link to the
first source that gives it, and every source lists its article, date, rule and sentence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import Panel

PALETTE = ("#1f6feb", "#cf222e", "#1a7f37", "#8250df", "#c2410c", "#0a7ea4", "#bf3989",
           "#6e7781", "#9a6700", "#3a5ccc", "#2da44e", "#e16f24")
UNITS = {"percent": "%", "point": "points"}
WIDTH, HEIGHT, PAD_L, PAD_R, PAD_T, PAD_B = 720, 240, 56, 16, 16, 32
STYLE = """<style>
#panel h3 { font-size: 15px; margin: 14px 0 6px; }
#panel .pchart { display: block; width: 100%; max-width: 720px; height: auto; background: #fff; }
#panel .pchart .axis { stroke: #8c959f; stroke-width: 1; }
#panel .pchart .grid { stroke: #eaeef2; stroke-width: 1; }
#panel .pchart text { font: 11px system-ui, sans-serif; fill: #57606a; }
#panel .pchart circle.conflict { stroke: #cf222e; stroke-width: 3; }
#panel .plegend { font-size: 12px; margin: 2px 0 8px; }
#panel .plegend span { display: inline-block; margin-right: 10px; }
#panel .plegend i { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 3px; }
#panel tr.pconflict { background: #fff1f0; }
#panel .flag { color: #cf222e; font-weight: 600; }
#panel .psrc { font-size: 13px; margin-bottom: 4px; }
#panel .psrc:target { background: #fff8c5; }
#panel .psrc .agrees-false { color: #cf222e; }
</style>"""


class _Sources:
    """Numbered anchors for every source of the view, written once at the end."""

    def __init__(self, article: Callable[[dict[str, Any]], str | None] | None) -> None:
        self.items: list[str] = []
        self.article = article

    def add(self, row_id: str, src: dict[str, Any]) -> str:
        anchor = f"ps-{len(self.items) + 1}"
        where = self.article(src) if self.article else None
        doc = escape(str(src.get("doc_id") or ""))
        doc_html = f'<a href="{escape(where)}">{doc}</a>' if where else doc
        url = src.get("url")
        link = (f' <a href="{escape(url)}" rel="noreferrer">{escape(url)}</a>'
                if url and not self.article else "")
        sentence = escape(str(src.get("sentence") or ""))
        text = src.get("text")
        if text:
            sentence = sentence.replace(escape(str(text)), f"<mark>{escape(str(text))}</mark>", 1)
        self.items.append(
            f'<li class="psrc" id="{anchor}" data-row="{row_id}" data-value="{escape(str(src.get("value")))}">'
            f'<b class="agrees-{str(bool(src.get("agrees"))).lower()}">{escape(str(src.get("kind")))} '
            f'{_fmt(src.get("value"))}</b> · {doc_html} · {escape(str(src.get("published") or "undated"))} · '
            f'rule {escape(str(src.get("rule")))}{link}<br><q>{sentence}</q></li>')
        return anchor

    def html(self) -> str:
        return ('<h3 id="panel-sources">Sources</h3><ol class="psources">' + "".join(self.items)
                + "</ol>") if self.items else ""


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def _anchors(row: dict[str, Any], row_id: str, sources: _Sources) -> dict[tuple[str, str], str]:
    """Each source of ``row`` gets its anchor; returns the first anchor of every
    (kind, value) so a value can link to where it was read."""
    first: dict[tuple[str, str], str] = {}
    for src in row.get("sources") or ():
        anchor = sources.add(row_id, src)
        first.setdefault((str(src.get("kind")), _fmt(src.get("value"))), anchor)
    return first


def _link(text: str, anchor: str | None, row_id: str, value: Any) -> str:
    """A value shown as ``text``, linked to the first source that gives it."""
    if anchor is None:
        return escape(text)
    return (f'<a class="pv" href="#{anchor}" data-row="{row_id}" data-value="{escape(_fmt(value))}">'
            f'{escape(text)}</a>')


def _chart(rows: list[tuple[dict[str, Any], str, str | None]], field: str, label: str,
           colour: dict[str, str], invert: bool) -> str:
    """One SVG: a line per subject through its values by year; each point a link."""
    pts = [(r, rid, a) for r, rid, a in rows if r.get(field) is not None and a is not None]
    if not pts:
        return ""
    years = sorted({r["year"] for r, _, _ in pts})
    values = [float(r[field]) for r, _, _ in pts]
    lo, hi = min(values), max(values)
    if invert:  # ranks: whole places, the first at the top
        lo, hi = 0.5, max(hi, lo + 1) + 0.5
    else:
        if hi == lo:
            lo, hi = lo - 1, hi + 1
        pad = (hi - lo) * 0.08
        lo, hi = lo - pad, hi + pad
    inner_w, inner_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B

    def x(year: int) -> float:
        return PAD_L + (inner_w / 2 if len(years) == 1
                        else inner_w * years.index(year) / (len(years) - 1))

    def y(v: float) -> float:
        share = (v - lo) / (hi - lo)
        return PAD_T + inner_h * (share if invert else 1 - share)

    out = [f'<svg class="pchart" data-field="{field}" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(label)} by year" '
           '>']
    ticks = [lo + (hi - lo) * i / 4 for i in range(5)]
    if invert:
        ticks = sorted({max(1, round(t)) for t in ticks})
    for v in ticks:
        out.append(f'<line class="grid" x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
                   f'<text x="{PAD_L - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.4g}</text>')
    out.append(f'<line class="axis" x1="{PAD_L}" x2="{PAD_L}" y1="{PAD_T}" y2="{HEIGHT - PAD_B}"/>'
               f'<line class="axis" x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{HEIGHT - PAD_B}" y2="{HEIGHT - PAD_B}"/>')
    out += [f'<text x="{x(yr):.1f}" y="{HEIGHT - PAD_B + 16}" text-anchor="middle">{yr}</text>' for yr in years]
    out.append(f'<text x="4" y="{PAD_T - 4}">{escape(label)}</text>')
    by_subject: dict[str, list[tuple[dict[str, Any], str, str | None]]] = defaultdict(list)
    for p in pts:
        by_subject[p[0]["subject_id"]].append(p)
    for sid, series in sorted(by_subject.items()):
        series.sort(key=lambda p: p[0]["year"])
        c = colour[sid]
        if len(series) > 1:
            path = " ".join(f"{x(r['year']):.1f},{y(float(r[field])):.1f}" for r, _, _ in series)
            out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
        for r, rid, anchor in series:
            cls = ' class="conflict"' if r.get("conflict") else ""
            tip = f"{r['subject']} {r['year']}: {_fmt(r[field])}" + (" (conflict)" if r.get("conflict") else "")
            out.append(f'<a class="pv" href="#{anchor}" data-row="{rid}" data-value="{_fmt(r[field])}">'
                       f'<circle{cls} cx="{x(r["year"]):.1f}" '
                       f'cy="{y(float(r[field])):.1f}" r="5" fill="{c}"><title>{escape(tip)}</title></circle></a>')
    out.append("</svg>")
    return "".join(out)


def _legend(subjects: dict[str, str], colour: dict[str, str]) -> str:
    return '<div class="plegend">' + "".join(
        f'<span><i style="background:{colour[sid]}"></i>{escape(name)}</span>'
        for sid, name in sorted(subjects.items(), key=lambda s: s[1])) + "</div>"


def _competing(row: dict[str, Any], first: dict[tuple[str, str], str], row_id: str) -> str:
    parts = []
    for kind, field in (("score", "value"), ("rank", "position")):
        for c in (row.get("competing") or {}).get(kind, ()):
            shown = _fmt(c.get(field))
            parts.append(f"{kind} " + _link(shown, first.get((kind, shown)), row_id, c.get(field))
                         + f" ({c.get('articles')} article{'s' if c.get('articles') != 1 else ''})")
    return "; ".join(parts)


def render_panel(panel: Panel, article: Callable[[dict[str, Any]], str | None] | None = None) -> str:
    """The panel view as one ``<section>``; ``article`` gives a source's link to its
    article in the same page (the report), else sources link to their URLs."""
    sources = _Sources(article)
    by_index: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in panel.rows:
        by_index[str(row["index"])].append(row)
    c = panel.counts
    body = [STYLE, f'<h2>Panel <small>{c.get("rows", 0)} rows, {c.get("conflicts", 0)} with '
                   f'conflicts; {c.get("measures", 0)} measure rows</small></h2>']
    n = 0
    for index in sorted(by_index):
        rows = by_index[index]
        subjects = {r["subject_id"]: r["subject"] for r in rows}
        colour = {sid: PALETTE[i % len(PALETTE)] for i, sid in enumerate(sorted(subjects))}
        table, score_pts, rank_pts = [], [], []
        for row in rows:
            n += 1
            rid = f"pr-{n}"
            first = _anchors(row, rid, sources)
            score_a = first.get(("score", _fmt(row["value"])))
            rank_a = first.get(("rank", _fmt(row["position"])))
            if row["component"] is None:
                score_pts.append((row, rid, score_a))
                rank_pts.append((row, rid, rank_a))
            unit = "%" if row.get("unit") == "percent" else ""
            score = _link(_fmt(row["value"]) + unit, score_a, rid, row["value"]) \
                if row["value"] is not None else ""
            rank = ""
            if row["position"] is not None:
                rank = _link(f"{row['position']}" + (f"/{row['out_of']}" if row["out_of"] else ""),
                             rank_a, rid, row["position"])
            flag = '<span class="flag">conflict</span> ' + _competing(row, first, rid) if row["conflict"] else ""
            table.append(
                f'<tr id="{rid}"{" class=pconflict" if row["conflict"] else ""}>'
                f'<td>{escape(str(row["subject"]))}<br><small>{escape(row["subject_id"])}'
                f'{" ← " + escape(row["mapped_from"]) if row.get("mapped_from") else ""}</small></td>'
                f'<td>{escape(str(row["component"] or ""))}</td><td>{row["year"]}</td>'
                f'<td class="num">{score}</td><td class="num">{_fmt(row["score_articles"])}</td>'
                f'<td class="num">{rank}</td><td class="num">{_fmt(row["rank_articles"])}</td>'
                f'<td>{flag}</td></tr>')
        units = sorted({str(r.get("unit")) for r, _, _ in score_pts if r.get("value") is not None})
        charts = "".join(  # one chart per scale: percent and points do not share an axis
            _chart([p for p in score_pts if str(p[0].get("unit")) == unit], "value",
                   f"{index} score ({UNITS.get(unit, unit)})", colour, invert=False) for unit in units)
        charts += _chart(rank_pts, "position", f"{index} rank (1 at the top)", colour, invert=True)
        body.append(f'<div class="pindex" id="panel-{escape(index)}" data-index="{escape(index)}">'
                    f'<h3>{escape(index)}</h3>{charts}{_legend(subjects, colour)}'
                    '<table class="ptable"><thead><tr><th>subject</th><th>component</th><th>year</th>'
                    '<th class="num">score</th><th class="num">agree</th><th class="num">rank</th>'
                    '<th class="num">agree</th><th>conflict</th></tr></thead><tbody>'
                    + "".join(table) + "</tbody></table></div>")
    body.append(_measures(panel, sources))
    body.append(sources.html())
    return '<section class="card" id="panel">' + "".join(body) + "</section>"


def _measures(panel: Panel, sources: _Sources) -> str:
    if not panel.measures:
        return ""
    rows = []
    for i, row in enumerate(panel.measures, 1):
        rid = f"pm-{i}"
        first = _anchors(row, rid, sources)
        value = _fmt(row["value"]) + ("%" if row["kind"] == "percentage" else "")
        flag = ""
        if row["conflict"]:
            flag = '<span class="flag">conflict</span> ' + "; ".join(
                _link(_fmt(c.get("value")), first.get((row["kind"], _fmt(c.get("value")))), rid,
                      c.get("value"))
                for c in row.get("competing") or ())
        rows.append(f'<tr id="{rid}"{" class=pconflict" if row["conflict"] else ""}>'
                    f'<td>{escape(str(row["subject"]))}</td><td>{escape(str(row["measure"]))}</td>'
                    f'<td>{row["year"]}</td><td class="num">'
                    f'{_link(value, first.get((row["kind"], _fmt(row["value"]))), rid, row["value"])}</td>'
                    f'<td class="num">{row["agreeing"]}</td><td>{flag}</td></tr>')
    return ('<h3 id="panel-measures">Percentages and procedure counts</h3><table class="ptable">'
            '<thead><tr><th>subject</th><th>measure</th><th>year</th><th class="num">value</th>'
            '<th class="num">agree</th><th>conflict</th></tr></thead><tbody>' + "".join(rows)
            + "</tbody></table>")


PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>newsfacts panel</title>
<style>
body { font: 15px/1.5 system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif; margin: 16px 24px; color: #1f2328; background: #f6f8fa; }
section.card { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px 16px; }
h2 { font-size: 17px; } h2 small { color: #57606a; font-weight: normal; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin-bottom: 8px; }
th, td { border-bottom: 1px solid #eaeef2; padding: 3px 6px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
</style></head><body>
@@BODY@@
</body></html>
"""


def write_panel_page(panel: Panel, path: Path) -> None:
    """The panel view as a page of its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.replace("@@BODY@@", render_panel(panel)), encoding="utf-8")
