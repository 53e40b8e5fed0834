"""report.py: the self-contained HTML report, checked as text and in headless Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsfacts.cli import app
from newsfacts.report import render_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEEDS_GOLD = ROOT.parent / "shared" / "gold" / "seeds.jsonl"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install chromium; .ci/run does it)")
runner = CliRunner()


class Marks(HTMLParser):
    """Collects every <mark class="f ..."> with its attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict[str, Any]] = []
        self.stack: list[dict[str, Any]] = []
        self.root: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.root = a
        if tag == "mark" and "f" in (a.get("class") or "").split():
            self.stack.append({**a, "text": ""})
        elif tag == "mark":
            self.stack.append({})

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self.stack:
            m = self.stack.pop()
            if m:
                self.marks.append(m)

    def handle_data(self, data: str) -> None:
        for m in self.stack:
            if m:
                m["text"] += data


def parse(html: str) -> Marks:
    p = Marks()
    p.feed(html)
    return p


def extract_json(paths: list[Path]) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["extract", *map(str, paths), "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def write_report(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(CORPUS), "--output", str(out), *extra],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def assert_every_fact_marked(html: str, records: list[dict[str, Any]]) -> None:
    marks = parse(html).marks
    by_id = {}
    for m in marks:
        by_id.setdefault(m["data-fact"], m)
    for d, rec in enumerate(records):
        for i, fact in enumerate(rec["facts"]):
            mark = by_id.get(f"{d}-{i}")
            assert mark is not None, f"{rec['doc_id']}: fact {fact['text']!r} not highlighted"
            assert f"k-{fact['kind']}" in mark["class"]
            assert mark["text"] == fact["text"]
            assert fact["rule"] in mark["title"]


def test_render_text_escapes_and_nests_overlaps() -> None:
    html = render_text("a <b> 12 % c", [(3, 10, "x", "k-score", 't"1'), (6, 8, "y", "k-rank", "t2")])
    assert "&lt;b&gt;" not in html[:3] and html.startswith("a &lt;")
    p = parse(html)
    assert {m["data-fact"] for m in p.marks} == {"x", "y"}
    assert "".join(m["text"] for m in p.marks if m["data-fact"] == "y") == "12"


def test_report_is_self_contained_and_marks_every_fact(tmp_path: Path) -> None:
    html = write_report(tmp_path).read_text(encoding="utf-8")
    for needle in ("http://", "https://", "<link", " src=", "@import", "url("):
        assert needle not in html
    assert 'id="legend"' in html and 'id="facts"' in html and 'id="rules"' in html
    records = extract_json([CORPUS])
    assert_every_fact_marked(html, records)
    n = sum(len(r["facts"]) for r in records)
    assert html.count('class="fact-row"') == n


@pytest.mark.skipif(not SEEDS_GOLD.is_file(), reason="../shared/gold absent")
def test_report_with_gold_marks_true_missed_and_spurious(tmp_path: Path) -> None:
    gold = [json.loads(line) for line in SEEDS_GOLD.read_text(encoding="utf-8").splitlines() if line]
    target = next(g for g in gold if g["kind"] == "score" and not g.get("optional")
                  and sum(h["doc"] == g["doc"] and h.get("value") == g["value"] for h in gold) == 1)
    target["value"] = target["value"] + 1000  # its prediction turns spurious, the gold missed
    changed = tmp_path / "gold.jsonl"
    changed.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), "utf-8")
    html = write_report(tmp_path, "--gold", str(changed)).read_text(encoding="utf-8")
    marks = parse(html).marks
    classes = [m["class"] for m in marks]
    assert any("st-tp" in c for c in classes)
    assert any("st-fp" in c for c in classes)
    missed = [m for m in marks if "st-missed" in m["class"]]
    assert missed and missed[0]["text"] == target["at"]
    assert 'id="scores"' in html


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    cmd = [CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=180)


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@needs_chromium
def test_report_in_headless_chromium(tmp_path: Path) -> None:
    page = write_report(tmp_path)
    url = page.resolve().as_uri()
    records = extract_json([CORPUS])
    n = sum(len(r["facts"]) for r in records)

    dom = _chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _console(dom.stderr) == [], "console messages (errors) while loading the report"
    p = parse(dom.stdout)
    assert p.root.get("data-ready") == "yes", "the page's script did not run to its end"
    assert p.root.get("data-marked-facts") == str(n)
    assert_every_fact_marked(dom.stdout, records)

    shot = tmp_path / "report.png"
    run = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1400,2400",
                    "--hide-scrollbars", url)
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
