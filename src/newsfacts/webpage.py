"""Web page: from HTML to the article a reader sees, with its metadata.

trafilatura finds the main content of almost any page, but Vietnamese news
sites and provincial portals put related-article boxes, comment threads,
polls, visitor counters and price widgets where a generic extractor keeps
them, and every one of those is full of figures ("Hôm nay 224", "tăng 5%").
So the page is parsed once, those blocks are pruned from the DOM by what
they say ("Tin liên quan", "Bình luận", "Thống kê truy cập") and by how they
are named (class/id), a site profile from ``rules/sites/*.yaml`` adds what a
known layout needs, and only then does trafilatura read the pruned tree (only the
story's own element, when the page has one trafilatura would read the story from).
The title and the lead (sapo) are put first, since figures there are facts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import trafilatura
from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, fromstring
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, fromstring_bytes, load_html
from trafilatura.xpaths import BODY_XPATH

from .charsets import MAX_PAGE_BYTES, decode_html, normalize_html_text
from .clean import RELATED_HEADINGS
from .pagemeta import (
    Article,
    _first,
    _host,
    _in_control,
    _names,
    _text,
    parse_visible_date,
    read_metadata,
)
from .sites import SiteProfile

FAST = True
# Read the story's own element alone when the page has one (see read_body); tests turn it
# off to hold the two ways of reading a page to the same text.
NARROW = True

# --- what boilerplate is called --------------------------------------------------------------
# Distinctive words found anywhere in a class or id ("box-tinlienquan", "relatedNews");
# "-?" is an optional hyphen.
_BOILER_WORDS = (
    "related", "relate-", "cmt", "lienquan", "lien-quan", "lien_quan", "cungchuyenmuc",
    "cung-chuyen-muc", "tinkhac", "tin-khac", "other-?news", "othernews", "more-?news", "same-?cat",
    "docthem", "doc-them", "docnhieu", "doc-nhieu", "xemnhieu", "xem-nhieu", "most-?read",
    "most-?view", "tinmoi", "tin-moi", "comment", "binhluan", "binh-luan", "binh_luan", "disqus",
    "fb-comments", "ykienbandoc", "y-kien", "poll", "survey", "binhchon", "binh-chon", "thamdo",
    "tham-do", "counter", "thongke", "thong-ke", "visitor", "truycap", "truy-cap", "weather",
    "thoitiet", "thoi-tiet", "giavang", "gia-vang", "gold-?price", "tygia", "ty-gia",
    "exchange-?rate", "chungkhoan", "chung-khoan", "breadcrumb", "quangcao", "quang-cao", "advert",
    "sidebar", "footer", "social", "sharing", "share-", "newsletter", "tags-", "keyword",
)
# Short words that are boilerplate only as a whole class/id token ("nav", "menu", "ads").
_BOILER_TOKENS = {
    "nav", "navbar", "menu", "ads", "ad", "qc", "banner", "tags", "tag", "vote", "gold",
    "stock", "share", "popular", "latest", "widget", "aside", "rating", "print",
}
_KEEP_TAGS = {"html", "body", "article", "main", "h1"}
_PRUNE_TAGS = {
    "div", "section", "aside", "ul", "ol", "table", "p", "li", "td", "dl", "form", "nav",
    "footer", "header", "span", "iframe",
}
# Heading texts that open a block which is not the article.
_COMMENT_HEADING = re.compile(
    r"^(?:bình luận|các bình luận|ý kiến bạn đọc|ý kiến của bạn|gửi bình luận|viết bình luận|"
    r"gửi ý kiến|ý kiến phản hồi|comments?|leave a (?:comment|reply))\b.{0,30}$",
    re.IGNORECASE,
)
_WIDGET_HEADING = re.compile(
    r"^(?:thăm dò ý kiến|bình chọn|thống kê truy cập|lượt truy cập|số lượt truy cập|"
    r"thống kê|giá vàng|tỷ giá|tỉ giá|thời tiết|chứng khoán|liên kết website|liên kết web|"
    r"quảng cáo)\s*[:：]?$",
    re.IGNORECASE,
)
_EN_RELATED = re.compile(
    r"^(?:related(?: articles| stories| news| content| posts| coverage)?|read more|"
    r"more (?:stories|news|from [\w\s]{1,30})|recommended(?: for you)?|you (?:may|might) "
    r"also like|most (?:read|popular|viewed))\s*[:：]?$",
    re.IGNORECASE,
)
_COUNTER_LABEL = re.compile(
    r"(?:hôm nay|hôm qua|tuần này|tuần trước|tháng này|tháng trước|năm nay|đang truy cập|"
    r"đang online|trực tuyến|tổng (?:số )?lượt truy cập|lượt truy cập|tất cả|online)\s*:?\s*\d",
    re.IGNORECASE,
)
_COMMENT_NAME = re.compile(r"comment|binhluan|binh-luan|cmt|ykien|y-kien|reply|form", re.IGNORECASE)
# One letter of each of "hôm nay", "truy cập", "trực tuyến", in either case.
_COUNTER_LETTERS = "ôÔậẬựỰ"
_COUNTER_WORD = re.compile(
    r"hôm nay|hôm qua|tuần này|tháng này|truy cập|online|trực tuyến", re.IGNORECASE
)
_SAPO_NAME = re.compile(
    r"(?:^|[\s_-])(?:sapo|chapeau|tomtat|tom-tat|summary|lead|excerpt|standfirst|description|"
    r"desc|intro|abstract)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BLOCK_TAGS = ("div", "section", "aside", "ul", "ol", "table", "p", "li", "td", "dl", "form")


def profile_for(url: str | None, profiles: tuple[SiteProfile, ...]) -> SiteProfile | None:
    host = _host(url)
    return next((p for p in profiles if host and p.matches(host)), None)


def _drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text, which belongs to the parent."""
    parent = el.getparent()
    if parent is None:
        return
    el.drop_tree()


# --- pruning ---------------------------------------------------------------------------------
_WRAPPER_NAME = re.compile(r"article|content|detail|body|main|entry|post|story|noidung|chitiet")


def _prose_blocks(el: HtmlElement) -> int:
    """Paragraphs of running text (long, few links): what a box of teasers does not have."""
    count = 0
    for p in el.iter("p"):
        text = _text(p)
        links = sum(len(_text(a)) for a in p.iter("a"))
        if len(text) >= 150 and links < 0.3 * len(text):
            count += 1
    return count


def _word_trie(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whether any word occurs: one character trie, since Python's ``re`` tries a flat
    alternation of 70 words one by one at every position of every class name."""
    root: dict[str, Any] = {}
    for word in words:
        parts = word.split("-?")
        for hyphens in itertools.product(("", "-"), repeat=len(parts) - 1):
            node = root
            for ch in parts[0] + "".join(h + p for h, p in zip(hyphens, parts[1:], strict=True)):
                node = node.setdefault(ch, {})
            node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        if "" in node:  # a word ends here: enough for a yes
            return ""
        alts = [re.escape(ch) + emit(node[ch]) for ch in sorted(node)]
        return alts[0] if len(alts) == 1 else f"(?:{'|'.join(alts)})"

    return re.compile(emit(root))


_BOILER_SUBSTR = _word_trie(_BOILER_WORDS)


def _named_boilerplate(name: str) -> bool:
    """A distinctive word anywhere, or a short word as a whole token (cut at spaces and "_")."""
    if _BOILER_SUBSTR.search(name):
        return True
    return not _BOILER_TOKENS.isdisjoint(name.replace("_", " ").split())


_ALWAYS_PRUNED = ("nav", "iframe", "footer")
_PRUNE_TAG_LIST = tuple(sorted(_PRUNE_TAGS))


def prune_named(tree: HtmlElement, page_len: int) -> int:
    """Drop blocks whose class or id names them as boilerplate, never the article itself.

    The elements that can be pruned come in document order from one C-level walk
    (``iter`` by tag); the name is tested first, as it rules out nearly all of them,
    and nothing inside a block already dropped is judged (it follows the block).
    """
    removed = 0
    body = tree.find("body")
    found = list(body.iter(*_PRUNE_TAG_LIST)) if body is not None else []
    i = 0
    while i < len(found):
        el = found[i]
        i += 1
        if el.tag not in _ALWAYS_PRUNED and not _named_boilerplate(_names(el)):
            continue
        if _is_named_boilerplate(el, page_len):
            i += sum(1 for _ in el.iter(*_PRUNE_TAG_LIST)) - 1  # what it holds comes next
            _drop(el)
            removed += 1
    return removed


def _is_named_boilerplate(el: HtmlElement, page_len: int) -> bool:
    if el.tag not in _PRUNE_TAGS:
        return False
    if el.tag in ("nav", "iframe", "footer"):
        return True
    name = _names(el)
    if not name.strip() or not _named_boilerplate(name):
        return False
    if el.find(".//h1") is not None or len(_text(el)) > 0.6 * page_len:
        return False
    # "article-content has-related": a wrapper of the story, not a box
    return not (_WRAPPER_NAME.search(name) and "comment" not in name and _prose_blocks(el) >= 3)


# First words of every heading above: one cheap test before the full patterns.
_HEADING_START = re.compile(
    r"(?:bài|các|tin|đọc|xem|có|bạn|chủ|từ|tag|bình|ý|gửi|viết|comment|leave|related|read|more|"
    r"recommended|you|most|thăm|thống|lượt|số|giá|tỷ|tỉ|thời|chứng|liên|quảng)",
    re.IGNORECASE,
)


def _heading_kind(text: str) -> str | None:
    if len(text) > 70 or not text or not _HEADING_START.match(text):
        return None
    if _COMMENT_HEADING.match(text):
        return "comments"
    if RELATED_HEADINGS.match(text):
        return "comments" if re.match(r"(?i)(bình luận|ý kiến|gửi)", text) else "related"
    if _EN_RELATED.match(text):
        return "related"
    if _WIDGET_HEADING.match(text):
        return "widget"
    return None


def _list_like(el: HtmlElement, skip: str = "") -> bool:
    """Mostly links to other articles (titles, with at most short summaries and dates)."""
    titles = [t for t in (_text(a) for a in el.iter("a")) if len(t) >= 12]
    if not titles:
        return False
    total = max(1, len(_text(el)) - len(skip))
    linked = sum(len(t) for t in titles)
    return total - linked <= 300 * len(titles) + 40 and linked >= 0.2 * total


def _text_before(parent: HtmlElement, child: HtmlElement) -> int:
    size = len((parent.text or "").strip())
    for sib in parent:
        if sib is child:
            break
        size += len(_text(sib)) if not isinstance(sib, etree._Comment) else 0
        size += len((sib.tail or "").strip())
    return size


_HEADING_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "div", "span", "li", "td", "th", "legend",
    "header", "label", "dt", "em", "i", "font", "u",
}


_TEXTS = etree.XPath(".//text()", smart_strings=False)


def _heading_text(node: str) -> tuple[str, str, str] | None:
    """(text, key, kind) when a text node reads as a boilerplate heading."""
    raw = node.strip()
    if len(raw) > 90 or not _HEADING_START.match(raw):
        return None
    raw = " ".join(raw.split())
    key = raw.rstrip(":：").strip()
    if not key or len(key) > 70:
        return None
    kind = _heading_kind(key)
    return (raw, key, kind) if kind else None


def _headings(tree: HtmlElement) -> Iterator[tuple[HtmlElement, str, str]]:
    """Elements that are, or open with, a boilerplate heading.

    The texts of the page are screened as plain strings (a regex on short ones), so a
    big page costs one pass, not a text_content() per element; only the nodes holding
    a heading text are then fetched with their parents, in document order.
    """
    body = tree.find("body")
    if body is None:
        return
    wanted = list(dict.fromkeys(t for t in _TEXTS(body) if _heading_text(t)))
    if not wanted:
        return
    names = [f"v{i}" for i in range(len(wanted))]
    nodes = body.xpath(f".//text()[{' or '.join(f'. = ${n}' for n in names)}]",
                       **dict(zip(names, wanted, strict=True)))
    for node in nodes:
        found = _heading_text(node)
        if found is None:
            continue
        raw, key, kind = found
        owner = node.getparent()
        if node.is_tail:
            owner = owner.getparent()
        if owner is None or owner.tag not in _HEADING_TAGS or _in_control(owner):
            continue
        whole = _text(owner)
        if whole == raw or whole.rstrip(":：").strip() == key:
            yield owner, kind, raw
        elif node.is_text and (kind != "related" or _list_like(owner, raw)):
            yield owner, kind, raw  # "<p>Xem thêm: <a>…</a></p>"


def prune_headed_blocks(tree: HtmlElement, page_len: int) -> int:
    """Drop each block opened by a boilerplate heading, wherever it sits (also inside the body).

    From the heading, climb while it is still the first thing in its parent and the
    parent still looks like the box (a list of links for related articles); then
    drop that box. A heading in the middle of a container takes with it the
    following siblings that look like its list (or, for comments, the rest).
    """
    removed = 0
    for heading, kind, head_text in list(_headings(tree)):
        if heading.getparent() is None or _detached(heading):
            continue
        block = heading
        while True:
            parent = block.getparent()
            if parent is None or parent.tag in _KEEP_TAGS or _text_before(parent, block) > 20:
                break
            if len(_text(parent)) > 0.6 * page_len:
                break
            if kind == "related" and not _list_like(parent, head_text):
                break
            block = parent
        parent = block.getparent()
        if parent is None:
            continue
        following = []
        for sib in block.itersiblings():
            if not isinstance(sib.tag, str):
                continue
            text = _text(sib)
            if not text or (kind == "related" and _list_like(sib)) or (
                kind == "comments" and sib.find(".//h1") is None and (
                    sib.tag in ("form", "ul", "ol") or _COMMENT_NAME.search(_names(sib))
                    or len(_text(sib)) < 0.3 * page_len)
            ) or (kind == "widget" and len(text) < 300 and not text.endswith(".")):
                following.append(sib)
            else:
                break
        for el in [block, *following]:
            _drop(el)
            removed += 1
    return removed


def _detached(el: HtmlElement) -> bool:
    while el.getparent() is not None:
        el = el.getparent()
    return el.tag != "html"


def prune_counters(tree: HtmlElement, page_text: str) -> int:
    """Drop visitor counters ("Hôm nay 224 Hôm qua 1,980"): the largest small box around them."""
    body = tree.find("body")
    if body is None or not any(ch in page_text for ch in _COUNTER_LETTERS):
        return 0  # most pages: a few character scans instead of lower() of the whole text
    lower = page_text.lower()
    if not ("hôm nay" in lower or "truy cập" in lower or "trực tuyến" in lower):
        return 0
    if len(_COUNTER_LABEL.findall(page_text)) < 2:
        return 0
    removed = 0
    for node in body.xpath(".//text()"):
        if not _COUNTER_WORD.search(node):
            continue
        owner = node.getparent()
        if node.is_tail:
            owner = owner.getparent()
        if owner is None or _detached(owner) or owner.tag in _KEEP_TAGS:
            continue
        outer = owner
        while outer.getparent() is not None and outer.getparent().tag not in _KEEP_TAGS:
            if len(_text(outer.getparent())) > 400:
                break
            outer = outer.getparent()
        if len(_COUNTER_LABEL.findall(_text(outer))) >= 2:
            _drop(outer)
            removed += 1
    return removed


_BLOCKS_IN_CELL = ".//table | .//p | .//div | .//ul | .//h1 | .//h2 | .//h3 | .//form"
_CAPTION_NAME = re.compile(r"caption|chuthich|chu-thich|image-desc|img-desc|photo-desc", re.IGNORECASE)


def unwrap_layout_tables(tree: HtmlElement) -> None:
    """Turn tables used for page layout (old portals) and image/caption tables into plain blocks.

    trafilatura renders every table as rows of cells, so a layout table would
    come out as one line holding the whole page. A table is layout when it has
    a single column, or a cell holding blocks (paragraphs, divs, nested tables).
    A data table (rows of short cells) is part of the story and stays a table.
    """
    for table in list(tree.iter("table")):
        rows = table.xpath("./tr | ./tbody/tr | ./thead/tr | ./tfoot/tr")
        cells = [row.xpath("./td | ./th") for row in rows]
        single_column = bool(rows) and all(len(c) <= 1 for c in cells)
        blocky = any(cell.xpath(_BLOCKS_IN_CELL) for row in cells for cell in row)
        if not (single_column or blocky):
            continue
        for el in [table, *table.iter("tbody", "thead", "tfoot", "tr", "td", "th")]:
            if el is table or el.getparent() is not None:
                el.tag = "div"


def keep_captions(tree: HtmlElement) -> None:
    """Captions are part of the story: make them plain paragraphs trafilatura will keep."""
    for figure in list(tree.iter("figure")):
        caption = figure.find(".//figcaption")
        text = _text(caption) if caption is not None else ""
        if text and figure.find(".//table") is None:
            para = etree.Element("p")
            para.text = text
            para.tail = figure.tail
            figure.getparent().replace(figure, para)
    for el in tree.xpath("//body//*[@class or @id]"):
        if (el.tag in ("td", "div", "p", "span", "em") and _CAPTION_NAME.search(_names(el))
                and _text(el) and el.find(".//img") is None):
            el.tag = "p"
            el.attrib.pop("class", None)
            el.attrib.pop("id", None)


def _sapo(tree: HtmlElement, profile: SiteProfile | None) -> str | None:
    chosen = _first(tree, profile.sapo) if profile else None
    if chosen is not None:
        return _text(chosen)
    for el in tree.iter("div", "p", "h2", "span", "section", "strong"):
        if not _SAPO_NAME.search(_names(el)) or el.find(".//script") is not None:
            continue
        text = _text(el)
        links = sum(len(_text(a)) for a in el.iter("a"))
        if 40 <= len(text) <= 1000 and links < 0.3 * len(text):
            return text
    return None


_VN_TEXT = re.compile("[\u1ea0-\u1ef9\u0111\u01a1\u01b0\u0103]")


# --- parsing ---------------------------------------------------------------------------------
def _page_parser() -> etree.HTMLParser:
    """trafilatura's parser settings, with lxml's C-level choice of element class.

    lxml.html's own parsers pick each element's class in Python (a callback per element
    a program touches: ~300,000 a run over 180 pages); they only differ from this one
    in giving <form>, <input>, <select>, <textarea> and <label> subclasses whose extra
    form API neither trafilatura nor this module uses.
    """
    parser = etree.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8",
                              remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
    return parser


_PAGE_PARSER = _page_parser()
# What trafilatura's load_html deletes before parsing (its INVALID_XML_CHARS): the control
# characters but tab, newline and carriage return, and the non-characters U+FFFE, U+FFFF.
_XML_INVALID = tuple(map(chr, (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)))


def _has_invalid_xml_chars(html: str) -> bool:
    """Whether the page holds a character XML does not allow. One ``in`` per character:
    Python finds a character in a string at memory speed, so the 31 searches cost a
    third of one regex scan of the page (~1 ms per 170 KB page)."""
    return any(ch in html for ch in _XML_INVALID)


def load_page(html: str) -> HtmlElement | None:
    """The page's tree: what ``trafilatura.utils.load_html(html)`` gives, built faster.

    A page holding characters XML does not allow goes to load_html, which deletes them.
    Any other page is parsed here by load_html's steps (the same repairs, fallbacks and
    refusal) without its regex pass over the whole page, which would change nothing, and
    with :func:`_page_parser`. tests/test_webpage.py holds both to the same trees.
    """
    if _has_invalid_xml_chars(html):
        return load_html(html)
    beginning = html[:50].lower()
    dubious = "html" not in beginning
    if "doctype" in beginning:  # doctypes libxml2 trips over are dropped
        first, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", first, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:  # a self-closing <html/>
        if "<html" in line and line.endswith("/>"):
            html = FAULTY_HTML.sub(r"\1>", html, count=1)
            break
    tree: HtmlElement | None = None
    from_bytes = False
    try:
        tree = fromstring(html, parser=_PAGE_PARSER)
    except ValueError:  # a Unicode string with an XML encoding declaration
        tree, from_bytes = fromstring_bytes(html), True
    except Exception:  # load_html logs and goes on without a tree
        tree = None
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = fromstring_bytes(html)
    if tree is not None and dubious and len(tree) < 2:
        return None  # not HTML: load_html refuses it too
    return tree


# Elements trafilatura deletes in its own cleaning, which never hold article text: removing
# them first spares its copies of the tree and its XPath passes. Scripts holding JSON stay,
# since trafilatura's fallback reads an article body from JSON-LD.
_INERT_TAGS = ("script", "style", "noscript", "svg", "link")


def drop_inert(tree: HtmlElement) -> None:
    """Delete scripts, styles and icons (with their children), keeping the text after them."""
    inert = [el for el in tree.iter(*_INERT_TAGS)
             if el.tag != "script" or "json" not in (el.get("type") or "")]
    for el in inert:
        if el.getparent() is not None:
            el.drop_tree()


# trafilatura looks for the story first in the element its first content XPath finds
# (class or id "article-body", "post-content", itemprop="articleBody" …). Handing it that
# element alone spares its passes over the rest of the page, a quarter of its time, and
# gives the same text as long as the element holds plenty of paragraph text: trafilatura
# counts the paragraph text of the whole page when it decides whether to read <div>s as
# paragraphs too (at three times its minimum extraction size), and falls back to other
# parts of the page only when the element yields too little.
_BOX_PARAGRAPH_TEXT = 3 * trafilatura.settings.DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE")
_PARAGRAPH_TEXTS = etree.XPath(".//p//text()", smart_strings=False)
_BOX_TAGS = ("article", "div", "main", "section")


def _box_tests() -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """The id and class patterns of that XPath, to run it as a loop over elements (a
    fifth of the time: its regex tests are Python callbacks from XPath). None when this
    trafilatura names them otherwise; the XPath itself is run then."""
    from trafilatura import xpaths

    try:
        alt = xpaths._alt
        return (re.compile(alt(xpaths._ARTICLE_CONTENT_ID_TOKENS)),
                re.compile(alt(xpaths._ARTICLE_CONTENT_CLASS_TOKENS)))
    except (AttributeError, TypeError, ValueError, re.error):
        return None


_BOX_TESTS = _box_tests()


def first_story_element(tree: HtmlElement) -> HtmlElement | None:
    """What ``BODY_XPATH[0]`` finds first: the first article, div, main or section whose
    class or id names the story's text, in document order."""
    if _BOX_TESTS is None:
        return next((el for el in BODY_XPATH[0](tree) if isinstance(el, HtmlElement)), None)
    ids, classes = _BOX_TESTS
    for el in tree.iter(_BOX_TAGS):
        cls, ident = el.get("class"), el.get("id")
        if cls in ("post", "entry") or ident == "articleContent" or (
                ident is not None and ids.search(ident)) or (
                cls is not None and classes.search(cls)) or el.get("itemprop") == "articleBody":
            return el
    return None


def article_box(tree: HtmlElement) -> tuple[HtmlElement, int] | None:
    """The story's own element and its paragraph text length, when it holds plenty of it.

    That is what trafilatura's first content XPath finds or, when it finds nothing, what
    its second one does: the page's first <article>."""
    box = first_story_element(tree)
    if box is None:
        box = next(tree.iter("article"), None)
    if box is None or box.tag == "body" or box.getparent() is None:
        return None
    paragraph_text = sum(len(t.strip()) for t in _PARAGRAPH_TEXTS(box))
    return (box, paragraph_text) if paragraph_text >= 2 * _BOX_PARAGRAPH_TEXT else None


def _trafilatura_text(tree: HtmlElement, url: str | None) -> str:
    return trafilatura.extract(
        tree, url=url, include_comments=False, include_tables=True, deduplicate=False, fast=FAST,
    ) or ""


def read_body(tree: HtmlElement, url: str | None, narrow: bool,
              prepare: Callable[[HtmlElement], None]) -> str:
    """trafilatura's text of the page, read from the story's own element when there is one.

    ``prepare`` (the pruning) runs on what trafilatura is given: the element alone, so
    nothing is pruned that trafilatura would not see. When trafilatura does not read that
    element as the story (its first pass finds too few blocks in it and it falls back on
    a dump of everything: one long line, or much less than the element holds), the
    element goes back and the whole page is prepared and read; preparing the element
    twice changes nothing.
    """
    found = article_box(tree) if narrow else None
    if found is not None:
        box, paragraph_text = found
        parent, index, tail = box.getparent(), box.getparent().index(box), box.tail
        box.tail = None  # the text after the element is not the element's
        page = _standalone(box)
        prepare(page)
        text = _trafilatura_text(page, url)
        parent.insert(index, box)
        box.tail = tail
        if text.count("\n") >= 1 and len(text) >= paragraph_text // 2:
            return text
    prepare(tree)
    return _trafilatura_text(tree, url)


# --- the whole path --------------------------------------------------------------------------
def extract_article(
    html: str | bytes,
    url: str | None = None,
    meta: Mapping[str, object] | None = None,
    profiles: tuple[SiteProfile, ...] = (),
) -> Article:
    """The article of one page; raises ValueError when the page holds none.

    ``profiles`` are the site profiles of the run's resources (``Resources.sites``);
    none given, no page gets a profile."""
    given = (meta or {}).get("warnings")
    warnings = [str(w) for w in given] if isinstance(given, list) else []
    if isinstance(html, bytes):
        if len(html) > MAX_PAGE_BYTES:
            raise ValueError(f"page of {len(html) / 1e6:.1f} MB is over the "
                             f"{MAX_PAGE_BYTES / 1e6:.0f} MB limit")
        decoded = decode_html(html)
        html, warnings = decoded.text, warnings + decoded.warnings
    else:  # idempotent and cheap when the reader already did it
        html, more = normalize_html_text(html)
        warnings += [w for w in more if w not in warnings]
    if len(html) > MAX_PAGE_BYTES:
        raise ValueError(f"page of {len(html) / 1e6:.1f} M characters is over the limit")
    # not html.strip(): that copies the page to learn whether it is blank
    tree = load_page(html) if html and not html.isspace() else None
    if tree is None or tree.find("body") is None:
        raise ValueError("not an HTML page, or the page has no <body>")
    profile = profile_for(url, profiles)
    article = read_metadata(tree, url, profile)
    if profile is None and article.url != url:
        profile = profile_for(article.url, profiles)
        if profile is not None:  # the canonical URL names a known site
            article = read_metadata(tree, url, profile)
    for sel in profile.prune if profile else ():
        for el in tree.xpath(sel):
            if isinstance(el, HtmlElement) and el.getparent() is not None:
                _drop(el)
    body_el = _first(tree, profile.body) if profile else None
    if profile and profile.body and body_el is None:
        warnings.append(f"site profile {profile.name}: body selector found nothing")
    if article.language is None and article.title and _VN_TEXT.search(article.title):
        article.language = "vi"
    # Sapo and captions are kept the way Vietnamese news uses them (figures live there);
    # on other pages trafilatura's own judgement stands.
    vietnamese = article.language == "vi" or profile is not None
    sapo = _sapo(body_el if body_el is not None else tree, profile) if vietnamese else None
    if body_el is not None:
        tree = _standalone(body_el)
    page_text = _text(tree.find("body"))

    def prepare(part: HtmlElement) -> None:
        prune_headed_blocks(part, len(page_text))
        prune_named(part, len(page_text))
        prune_counters(part, page_text)
        unwrap_layout_tables(part)
        if vietnamese:
            keep_captions(part)
        drop_inert(part)

    body = read_body(tree, article.url, narrow=NARROW and body_el is None, prepare=prepare)
    lines = [" ".join(line.split()) for line in body.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError("no article text found in the page")
    head = [x for x in (article.title, sapo) if x and not _already(x, lines)]
    article.text = "\n\n".join(head + lines)
    if article.language is None and len(_VN_TEXT.findall(article.text)) > 0.02 * len(article.text):
        article.language = "vi"
    article.warnings = warnings
    return article


def _already(part: str, lines: list[str]) -> bool:
    key = part[:60]
    return any(key in line for line in lines[:6])


def _standalone(el: HtmlElement) -> HtmlElement:
    """A page holding only ``el``, so trafilatura reads nothing but the profiled body."""
    page = fromstring("<html><body></body></html>")
    page.find("body").append(el)
    return page


__all__ = ["Article", "SiteProfile", "extract_article", "parse_visible_date"]
