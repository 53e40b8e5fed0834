"""HTML to article: the corpus/html fixtures, boilerplate blocks, dates, and the AEB ratchet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml.html import fromstring

from newsfacts.charsets import decode_html
from newsfacts.ingest import Document, iter_documents
from newsfacts.pipeline import clean_document
from newsfacts.resources import default_root
from newsfacts.sites import load_site_profiles
from newsfacts.webpage import extract_article, parse_visible_date, prune_named

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "corpus" / "html"
EXPECTED = json.loads((HTML / "EXPECTED.json").read_text(encoding="utf-8"))
SHARED = ROOT.parent / "shared"


def _cleaned(doc_id: str):  # type: ignore[no-untyped-def]
    page = next(HTML.glob(f"{doc_id}.htm*"))
    (doc,) = list(iter_documents([page]))
    assert isinstance(doc, Document)
    return doc, clean_document(doc, load_site_profiles(ROOT / "rules" / "sites"))


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_fixture_keeps_the_article_and_nothing_else(doc_id: str) -> None:
    _, cleaned = _cleaned(doc_id)
    expected = EXPECTED[doc_id]
    for key, value in expected["meta"].items():
        assert cleaned.meta.get(key) == value, key
    for wanted in expected["must_include"]:
        assert wanted in cleaned.text
    for unwanted in expected["must_exclude"]:
        assert unwanted not in cleaned.text


def _fact_keys(record) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """What a fact says about its figure; year/evidence may differ since HTML adds a date."""
    keys = []
    for fact in record.facts:
        data = fact.model_dump()
        keys.append(tuple(f"{k}={data[k]}" for k in sorted(data)
                          if k not in ("fact_id", "span", "sentence", "evidence", "year", "rule")))
    return sorted(keys)


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_fixture_facts_equal_the_plain_text_facts(doc_id: str, resources) -> None:  # type: ignore[no-untyped-def]
    pipeline = pytest.importorskip("newsfacts.pipeline")
    doc, _ = _cleaned(doc_id)
    expected = EXPECTED[doc_id]
    if "seed" in expected:
        text = (ROOT / expected["seed"]).read_text(encoding="utf-8")
    else:
        text = expected["article"]
    from_html = pipeline.process_document(doc, resources)
    from_text = pipeline.process_document(Document(doc_id, {}, text=text), resources)
    assert _fact_keys(from_html) == _fact_keys(from_text)
    assert from_html.facts, "every fixture carries figures"


BODY = "<p>" + "Năm 2023, tỉnh đạt 88,5 điểm Chỉ số cải cách hành chính, tăng 3 bậc. " * 3 + "</p>"


def _page(inner: str, head: str = "") -> str:
    return (f"<html lang='vi'><head><meta charset='utf-8'>{head}</head><body>"
            f"<h1>Tỉnh công bố Chỉ số cải cách hành chính</h1>{inner}</body></html>")


def test_related_box_inside_the_body_is_dropped() -> None:
    page = _page(f"""<div class="noidung">{BODY}
        <table><tr><td><b>Tin liên quan</b><br>
        <a href="/a">Huyện A đạt 91,2 điểm, tăng 5 bậc so với năm trước</a> (21/07/2022)<br>
        <a href="/b">Tỷ lệ hồ sơ trực tuyến tăng 12% trong năm 2022</a> (20/06/2022)</td></tr></table>
        {BODY.replace("88,5", "77,1")}</div>""")
    text = extract_article(page).text
    assert "88,5" in text and "77,1" in text
    assert "91,2" not in text and "12%" not in text and "Tin liên quan" not in text


def test_inline_read_more_line_is_dropped() -> None:
    page = _page(f"<div>{BODY}<p><strong>Xem thêm:</strong> <a href='/x'>Xã B đạt 95% hồ sơ "
                 f"đúng hạn trong năm 2023</a></p>{BODY}</div>")
    text = extract_article(page).text
    assert "95%" not in text and "88,5" in text


def test_comment_thread_is_dropped() -> None:
    page = _page(f"""<div class="bai">{BODY}</div>
        <div class="khung"><h3>Ý kiến bạn đọc (2)</h3>
        <div><b>Nguyễn An</b><p>Xã tôi chỉ đạt 40% hồ sơ đúng hạn, con số trong bài chưa đúng.</p></div>
        <div><b>Lê Hoa</b><p>Năm ngoái tỉnh mới đạt 70 điểm, năm nay tăng nhanh quá.</p></div>
        <textarea></textarea></div>""")
    text = extract_article(page).text
    assert "88,5" in text
    assert "40%" not in text and "70 điểm" not in text


def test_counter_poll_and_price_widgets_are_dropped() -> None:
    page = _page(f"""<div>{BODY}</div>
        <div><div>Hôm nay: 1.224</div><div>Hôm qua: 3.980</div><div>Đang truy cập: 45</div></div>
        <div><h3>Thăm dò ý kiến</h3><p>Hài lòng 62% - Chưa hài lòng 38%</p></div>
        <div><h3>Giá vàng</h3><table><tr><td>SJC</td><td>79,50</td></tr></table></div>""")
    text = extract_article(page).text
    for figure in ("1.224", "3.980", "62%", "79,50"):
        assert figure not in text


def test_story_table_and_captions_are_kept() -> None:
    page = _page(f"""<div class="content">{BODY}
        <figure><img src="a.jpg"><figcaption>Bộ phận một cửa tiếp nhận 350 hồ sơ mỗi ngày.</figcaption></figure>
        <table><tr><td>Sở Tư pháp</td><td>90,15</td></tr><tr><td>Sở Tài chính</td><td>88,72</td></tr></table>
        {BODY}</div>""")
    text = extract_article(page).text
    assert "350 hồ sơ" in text
    assert "90,15" in text and "Sở Tài chính" in text


def test_title_and_sapo_come_first() -> None:
    page = _page(f"<h2 class='sapo'>Tỉnh Hưng Yên đạt 81,98 điểm, đứng thứ 22/63 tỉnh, thành phố.</h2>"
                 f"<div class='content'>{BODY}</div>")
    paragraphs = extract_article(page).text.split("\n\n")
    assert paragraphs[0] == "Tỉnh công bố Chỉ số cải cách hành chính"
    assert paragraphs[1].startswith("Tỉnh Hưng Yên đạt 81,98 điểm")


@pytest.mark.parametrize(("visible", "iso"), [
    ("10:33, 23/02/2021", "2021-02-23T10:33:00+07:00"),
    ("Thứ Hai, 30/05/2017 14:20 (GMT+7)", "2017-05-30T14:20:00+07:00"),
    ("(21/07/2022)", "2022-07-21"),
    ("Cập nhật lúc 08:15 ngày 12/03/2024", "2024-03-12T08:15:00+07:00"),
    ("Ngày đăng: 16/03/2023 | Lượt xem: 1.523", "2023-03-16"),
    ("ngày 5 tháng 9 năm 2023", "2023-09-05"),
])
def test_visible_date_forms(visible: str, iso: str) -> None:
    assert parse_visible_date(visible) == iso


def test_not_a_date() -> None:
    assert parse_visible_date("Quyết định số 1277/QĐ-UBND") is None
    assert parse_visible_date("31/02/2021") is None


def test_metadata_from_meta_tags_and_json_ld() -> None:
    head = ("<meta property='og:site_name' content='Báo Mẫu'>"
            "<link rel='canonical' href='https://baomau.vn/tin-a-123.html'>"
            "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"headline\":"
            "\"Tỉnh công bố Chỉ số cải cách hành chính\",\"datePublished\":\"2023-05-30T18:05:00\","
            "\"author\":{\"name\":\"Minh Anh\"}}</script>")
    art = extract_article(_page(f"<div>{BODY}</div>", head))
    assert art.meta_dict() == {
        "title": "Tỉnh công bố Chỉ số cải cách hành chính", "published": "2023-05-30T18:05:00+07:00",
        "published_precision": "second", "author": "Minh Anh", "site": "Báo Mẫu", "url": "https://baomau.vn/tin-a-123.html",
        "language": "vi",
    }


def test_meta_tags_first_non_empty_value_in_the_order_asked() -> None:
    head = ("<meta name='application-name' content='Ứng dụng'>"
            "<meta property='og:site_name' content='  '>"
            "<meta itemprop='og:site_name' content='Báo Mẫu'>")
    assert extract_article(_page(f"<div>{BODY}</div>", head)).site == "Báo Mẫu"


@pytest.mark.parametrize(("name", "dropped"), [
    ("box-tinlienquan", True), ("relatedNews", True), ("other-news", True), ("othernews", True),
    ("main_nav", True), ("qc box", True), ("share-buttons", True), ("navigation", False),
    ("ad-slot", False), ("col-md-8", False), ("", False),
])
def test_blocks_named_as_boilerplate(name: str, dropped: bool) -> None:
    tree = fromstring(f"<html><body><div>{BODY}</div><div class='{name}'><p>x</p></div></body></html>")
    assert prune_named(tree, 10_000) == int(dropped)


def test_a_box_inside_a_dropped_box_is_not_counted_again() -> None:
    tree = fromstring("<html><body><p>story</p><div class='sidebar'><ul class='related'><li>a</li>"
                      "</ul><nav>b</nav></div><footer>c</footer></body></html>")
    assert prune_named(tree, 10_000) == 2
    assert [el.tag for el in tree.find("body")] == ["p"]


def test_every_box_under_a_repeated_heading_is_dropped() -> None:
    box = ("<div><h3>Tin liên quan</h3><ul><li><a href='/a'>Huyện A đạt 91,2 điểm, tăng 5 bậc so với "
           "năm trước</a></li><li><a href='/b'>Xã B đạt 95% hồ sơ đúng hạn trong năm 2023</a></li></ul></div>")
    text = extract_article(_page(f"<div>{BODY}</div>{box}<div>{BODY}</div>{box}")).text
    assert "88,5" in text and "91,2" not in text and "95%" not in text


@pytest.mark.parametrize("page", ["", "<html></html>", "<html><head><title>x</title></head></html>"])
def test_page_without_body_is_a_clear_error(page: str) -> None:
    with pytest.raises(ValueError, match=r"HTML|body|article"):
        extract_article(page)


def test_site_profile_selects_body_and_prunes(tmp_path: Path) -> None:
    (tmp_path / "mau.yaml").write_text(
        "name: Báo Mẫu\nhosts: ['baomau.vn', '*.baomau.vn']\n"
        "body: \"//div[@id='noi-dung']\"\nprune: [\"//div[@class='quang-ba']\"]\n"
        "date: \"//span[@class='ngay']\"\n", encoding="utf-8")
    profiles = load_site_profiles(tmp_path)
    page = _page(f"""<span class="ngay">08:00 01/06/2023</span><div id="noi-dung">{BODY}
        <div class="quang-ba">Giảm giá 50% cho 1.000 khách hàng đầu tiên</div></div>
        <div>{BODY.replace("88,5", "66,6")}</div>""")
    art = extract_article(page, url="https://www.baomau.vn/a.html", profiles=profiles)
    assert "88,5" in art.text and "66,6" not in art.text and "50%" not in art.text
    assert art.published == "2023-06-01T08:00:00+07:00"
    assert art.published_precision == "minute"  # the page gave no seconds


def test_bundled_site_profiles_load() -> None:
    profiles = load_site_profiles(default_root() / "sites")
    assert profiles, "rules/sites/*.yaml holds the known layouts"
    assert all(p.hosts for p in profiles)


@pytest.mark.skipif(not (SHARED / "aeb" / "ground-truth.json").is_file(), reason="needs ../shared")
def test_aeb_body_f1_ratchet(tmp_path: Path) -> None:
    """Generic quality is not lost: newsfacts clean over the 181-page benchmark keeps F1 >= 0.95."""
    from typer.testing import CliRunner

    from newsfacts.cli import app

    out = tmp_path / "aeb.jsonl"
    result = CliRunner().invoke(app, ["clean", str(SHARED / "aeb" / "html"), "--output", str(out)])
    assert result.exit_code == 0, result.output
    scored = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "body_f1.py"),
         str(SHARED / "aeb" / "ground-truth.json"), str(out)],
        capture_output=True, text=True, check=True)
    assert json.loads(scored.stdout)["f1"] >= 0.95


_ODD_PAGES = [
    "<p>only a fragment</p>", "not html at all", "<div>a</div><div>b</div>",
    "<html/>\n<body><p>self-closing html</p></body>",
    "<!DOCTYPE html PUBLIC / x>\n<html><body><p>a doctype libxml2 dislikes</p></body></html>",
    "<?xml version='1.0' encoding='utf-8'?><html><body><p>declared é</p></body></html>",
    "<html><body><p>control\x01char and \ufffe</p></body></html>",
    "<!doctype html><html><body><p>\uffff</p><p>\x0b</p></body></html>",
    "<html><body><form><label>x</label><input value=1><select><option>a</select>"
    "<textarea>t</textarea></form><!-- c --><p>&nbsp;&amp;</p></body></html>",
]


@pytest.mark.parametrize("page", [*_ODD_PAGES, *(p.name for p in sorted(HTML.glob("*.htm*")))])
def test_load_page_gives_trafilatura_s_tree(page: str) -> None:
    """load_page skips a regex pass and a Python callback per element; the tree is the same."""
    from lxml import etree
    from trafilatura.utils import load_html

    from newsfacts.webpage import load_page

    if (HTML / page).is_file():
        (doc,) = list(iter_documents([HTML / page]))
        assert isinstance(doc, Document) and isinstance(doc.html, str)
        page = doc.html
    want, got = load_html(page), load_page(page)
    assert (got is None) == (want is None)
    if want is not None and got is not None:
        assert etree.tostring(got) == etree.tostring(want)
        assert all(isinstance(el, type(want)) for el in got.iter("*"))


def test_the_invalid_characters_are_trafilatura_s() -> None:
    from trafilatura.utils import INVALID_XML_CHARS

    from newsfacts.webpage.adapter import _XML_INVALID, _has_invalid_xml_chars

    assert {c for c in range(0x110000) if INVALID_XML_CHARS.match(chr(c))} == set(map(ord, _XML_INVALID))
    assert not _has_invalid_xml_chars("Tỉnh\tđạt\r\n90%\ufffd")
    assert _has_invalid_xml_chars("a\x0cb") and _has_invalid_xml_chars("\uffff")


def test_scripts_go_before_trafilatura_but_a_json_ld_body_stays() -> None:
    """Scripts, styles and icons are dropped early to spare trafilatura's passes over them;
    the JSON-LD script stays, since trafilatura falls back on its articleBody."""
    body = "Năm 2023, chỉ số cải cách hành chính của tỉnh Hà Giang đạt 85,2%, tăng 3 bậc. " * 6
    ld = json.dumps({"@type": "NewsArticle", "articleBody": body}, ensure_ascii=False)
    page = (f'<html><head><title>Tin</title><script type="application/ld+json">{ld}</script>'
            "<script>var x = 'Hôm nay 12';</script><style>p {color: red}</style></head>"
            "<body><p>Ngắn.</p><svg><text>biểu tượng</text></svg></body></html>")
    text = extract_article(page).text
    assert "đạt 85,2%" in text
    assert "var x" not in text and "biểu tượng" not in text and "color" not in text


CORPUS_PAGES = sorted((Path(__file__).resolve().parents[1] / "corpus" / "html").glob("*.html"))


@pytest.mark.parametrize("path", CORPUS_PAGES, ids=lambda p: p.stem)
def test_the_story_element_is_found_as_trafilaturas_first_content_xpath_finds_it(path: Path) -> None:
    from trafilatura.xpaths import BODY_XPATH

    from newsfacts.webpage import first_story_element, load_page

    tree = load_page(decode_html(path.read_bytes()).text)
    expected = next((el for el in BODY_XPATH[0](tree) if el is not None), None)
    assert first_story_element(tree) is expected


def _both_ways(html: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The page's text read from its story element alone (pruned alone), and from the page."""
    from newsfacts.webpage import article as webpage

    narrowed = extract_article(html).text
    monkeypatch.setattr(webpage, "NARROW", False)
    whole = extract_article(html).text
    monkeypatch.undo()
    return narrowed, whole


@pytest.mark.parametrize("path", CORPUS_PAGES, ids=lambda p: p.stem)
def test_reading_the_story_element_alone_gives_the_text_of_the_whole_page(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    narrowed, whole = _both_ways(decode_html(path.read_bytes()).text, monkeypatch)
    assert narrowed == whole


def test_a_story_element_trafilatura_does_not_read_as_the_story_sends_it_back_to_the_page() -> None:
    """Here trafilatura finds one block in the element, too few, and reads the page's
    #content instead; read alone, the element would lose the lead and the ending."""
    para = "Năm 2023, chỉ số cải cách hành chính của tỉnh Hà Giang đạt 85,2%, tăng 3 bậc. "
    page = (f'<html><body><div class="menu"><a href="/">Trang chủ</a></div><div id="content">'
            f"<h1>Tiêu đề</h1><p>Mở đầu: {para * 3}</p>"
            f'<div class="article-body"><p>{para * 22}</p></div>'
            f"<p>Kết: {para * 4}</p><p>{para * 4}</p></div></body></html>")
    text = extract_article(page).text
    assert "Mở đầu:" in text and "Kết:" in text


@pytest.mark.skipif(not (SHARED / "aeb" / "html").is_dir(), reason="needs ../shared")
def test_reading_the_story_element_alone_changes_no_aeb_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """181 real pages from many sites: where a story element is pruned and read alone
    (about half of them), the text is exactly what pruning and reading the page gives."""
    from newsfacts.webpage import article_box, load_page

    boxes = 0
    for item in iter_documents([SHARED / "aeb" / "html"]):
        assert item.html is not None
        boxes += article_box(load_page(item.html)) is not None
        narrowed, whole = _both_ways(item.html, monkeypatch)
        assert narrowed == whole, item.doc_id
    assert boxes >= 50
