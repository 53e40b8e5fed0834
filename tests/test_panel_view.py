"""The panel view (newsfacts.panel.view): in the report and as its own page, a chart per
index, a conflict table, and every value a link to the sentence it came from; checked as
HTML and in headless Chromium (screenshot and console)."""

from __future__ import annotations

import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from panel_helpers import ARCHIVE, invoke, read_jsonl
from test_report import _chromium, _console, needs_chromium


class View(HTMLParser):
    """The panel section's charts, value links, source entries and conflict rows."""

    def __init__(self) -> None:
        super().__init__()
        self.indexes: dict[str, int] = {}  # index -> charts
        self.links: list[dict[str, Any]] = []
        self.sources: dict[str, dict[str, Any]] = {}
        self.conflict_rows = 0
        self.ids: set[str] = set()
        self._index: str | None = None
        self._source: dict[str, Any] | None = None
        self._link: dict[str, Any] | None = None
        self.in_panel = False
        self._in_svg = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if a.get("id") == "panel":
            self.in_panel = True
        if not self.in_panel:
            return
        cls = (a.get("class") or "").split()
        if "pindex" in cls:
            self._index = str(a["data-index"])
            self.indexes[self._index] = 0
        elif tag == "svg" and "pchart" in cls and self._index:
            self.indexes[self._index] += 1
            self._in_svg = True
        elif tag == "a" and "pv" in cls:
            self._link = {"href": a["href"], "row": a["data-row"], "value": a["data-value"], "text": "",
                          "chart": self._in_svg}
            self.links.append(self._link)
        elif tag == "li" and "psrc" in cls:
            self._source = {"row": a["data-row"], "value": a["data-value"], "text": ""}
            self.sources[str(a["id"])] = self._source
        elif tag == "tr" and "pconflict" in cls:
            self.conflict_rows += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg = False
        if tag == "a":
            self._link = None
        elif tag == "li":
            self._source = None
        elif tag == "section" and self.in_panel:
            self.in_panel = False

    def handle_data(self, data: str) -> None:
        for part in (self._link, self._source):
            if part is not None:
                part["text"] += data


def _view(html: str) -> View:
    v = View()
    v.feed(html)
    return v


def assert_every_value_links_to_its_sentence(v: View, rows: list[dict[str, Any]]) -> None:
    sentences = {s["sentence"] for r in rows for s in r["sources"]}
    assert v.links, "no value links"
    for link in v.links:
        target = link["href"].removeprefix("#")
        assert link["href"].startswith("#") and target in v.sources, link
        src = v.sources[target]
        assert src["row"] == link["row"]  # the value's own row
        assert float(src["value"]) == float(link["value"]), (link, src)  # a source of that value
        shown = link["text"] if not link["chart"] else link["text"].rsplit(": ", 1)[-1]
        assert float(shown.removesuffix(" (conflict)").removesuffix("%").split("/")[0]) == \
            float(link["value"]), link
        assert any(s in src["text"] for s in sentences), src


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[dict[str, Any]]]:
    tmp = tmp_path_factory.mktemp("view")
    invoke("panel", str(ARCHIVE), "-o", str(tmp / "panel.jsonl"), "--html", str(tmp / "panel.html"),
           "-q", "-j", "1")
    invoke("report", str(ARCHIVE), "-o", str(tmp / "report.html"))
    rows = read_jsonl(tmp / "panel.jsonl")
    return tmp / "panel.html", tmp / "report.html", rows + read_jsonl(tmp / "panel.measures.jsonl")


def test_the_report_has_a_panel_view_linking_values_to_sentences(built) -> None:
    _page, report, rows = built
    html = report.read_text(encoding="utf-8")
    v = _view(html)
    assert set(v.indexes) == {r["index"] for r in rows if r.get("index")}
    assert all(n >= 1 for n in v.indexes.values())
    assert v.conflict_rows == sum(r["conflict"] for r in rows)
    assert_every_value_links_to_its_sentence(v, rows)
    # every value of the table is linked: a score and a rank per row that has one
    assert sum(1 for link in v.links if not link["chart"]) >= \
        sum((r["value"] is not None) + (r.get("position") is not None) for r in rows)
    # sources in the report link to their article's section, not to the network
    for needle in ("https://", "<link", " src=", "url("):
        assert needle not in html
    assert 'href="#doc-qn-tinh-01"' in html and "doc-qn-tinh-01" in v.ids


def test_the_panel_page_of_its_own(built) -> None:
    page, _report, rows = built
    html = page.read_text(encoding="utf-8")
    v = _view(html)
    assert set(v.indexes) == {"PAR_INDEX"} and v.indexes["PAR_INDEX"] == 3  # %, points, ranks
    assert_every_value_links_to_its_sentence(v, rows)
    assert 'href="https://baokhac.example.vn/qn"' in html  # a source's article, on request
    for needle in ("<script", "<link", " src=", "url(", "@import"):
        assert needle not in html


def _png(path: Path) -> tuple[int, int, int]:
    """Width, height and number of distinct colours of a PNG (8-bit RGB or RGBA)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * bpp
    prev, colours = bytearray(stride), set()
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 4 == 0:
            colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 4))
        prev = line
    return width, height, len(colours)


@needs_chromium
@pytest.mark.parametrize("which", ["page", "report"])
def test_the_panel_view_in_headless_chromium(built, tmp_path: Path, which: str) -> None:
    page, report, rows = built
    url = (page if which == "page" else report).resolve().as_uri()
    dom = _chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _console(dom.stderr) == [], "console messages (errors) while loading the panel view"
    v = _view(dom.stdout)
    assert set(v.indexes) == {"PAR_INDEX"} and v.indexes["PAR_INDEX"] >= 2
    assert_every_value_links_to_its_sentence(v, rows)
    shot = tmp_path / f"{which}.png"
    size = (1100, 1500) if which == "page" else (1100, 4000)  # the report's panel is below its tables
    run = _chromium(tmp_path, f"--screenshot={shot}", f"--window-size={size[0]},{size[1]}",
                    "--hide-scrollbars", url)
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    width, height, colours = _png(shot)
    assert (width, height) == size
    # text alone gives a few dozen shades of grey; the charts' points and lines many more
    assert colours > 150, f"the screenshot is (nearly) blank: {colours} colours"
    print(f"screenshot: {shot} ({colours} colours sampled)")
