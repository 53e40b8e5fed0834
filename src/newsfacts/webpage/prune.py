"""Pruning: the blocks of a Vietnamese news page that are not the story, cut from the DOM
before trafilatura reads it — related-article boxes, comment threads, polls, visitor
counters, widgets — found by what they say ("Tin liên quan", "Bình luận", "Thống kê truy
cập") and how they are named (class/id); captions and the lead (sapo) are kept."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from ..clean import RELATED_HEADINGS
from ..sites import SiteProfile
from .dom import class_and_id, drop, first_match, in_control, text_of

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


# --- pruning ---------------------------------------------------------------------------------
_WRAPPER_NAME = re.compile(r"article|content|detail|body|main|entry|post|story|noidung|chitiet")


def _prose_blocks(el: HtmlElement) -> int:
    """Paragraphs of running text (long, few links): what a box of teasers does not have."""
    count = 0
    for p in el.iter("p"):
        text = text_of(p)
        links = sum(len(text_of(a)) for a in p.iter("a"))
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
        if el.tag not in _ALWAYS_PRUNED and not _named_boilerplate(class_and_id(el)):
            continue
        if _is_named_boilerplate(el, page_len):
            i += sum(1 for _ in el.iter(*_PRUNE_TAG_LIST)) - 1  # what it holds comes next
            drop(el)
            removed += 1
    return removed


def _is_named_boilerplate(el: HtmlElement, page_len: int) -> bool:
    if el.tag not in _PRUNE_TAGS:
        return False
    if el.tag in ("nav", "iframe", "footer"):
        return True
    name = class_and_id(el)
    if not name.strip() or not _named_boilerplate(name):
        return False
    if el.find(".//h1") is not None or len(text_of(el)) > 0.6 * page_len:
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
    titles = [t for t in (text_of(a) for a in el.iter("a")) if len(t) >= 12]
    if not titles:
        return False
    total = max(1, len(text_of(el)) - len(skip))
    linked = sum(len(t) for t in titles)
    return total - linked <= 300 * len(titles) + 40 and linked >= 0.2 * total


def _text_before(parent: HtmlElement, child: HtmlElement) -> int:
    size = len((parent.text or "").strip())
    for sib in parent:
        if sib is child:
            break
        size += len(text_of(sib)) if not isinstance(sib, etree._Comment) else 0
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
        if owner is None or owner.tag not in _HEADING_TAGS or in_control(owner):
            continue
        whole = text_of(owner)
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
            if len(text_of(parent)) > 0.6 * page_len:
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
            text = text_of(sib)
            if not text or (kind == "related" and _list_like(sib)) or (
                kind == "comments" and sib.find(".//h1") is None and (
                    sib.tag in ("form", "ul", "ol") or _COMMENT_NAME.search(class_and_id(sib))
                    or len(text_of(sib)) < 0.3 * page_len)
            ) or (kind == "widget" and len(text) < 300 and not text.endswith(".")):
                following.append(sib)
            else:
                break
        for el in [block, *following]:
            drop(el)
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
            if len(text_of(outer.getparent())) > 400:
                break
            outer = outer.getparent()
        if len(_COUNTER_LABEL.findall(text_of(outer))) >= 2:
            drop(outer)
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
        text = text_of(caption) if caption is not None else ""
        if text and figure.find(".//table") is None:
            para = etree.Element("p")
            para.text = text
            para.tail = figure.tail
            figure.getparent().replace(figure, para)
    for el in tree.xpath("//body//*[@class or @id]"):
        if (el.tag in ("td", "div", "p", "span", "em") and _CAPTION_NAME.search(class_and_id(el))
                and text_of(el) and el.find(".//img") is None):
            el.tag = "p"
            el.attrib.pop("class", None)
            el.attrib.pop("id", None)


def find_sapo(tree: HtmlElement, profile: SiteProfile | None) -> str | None:
    chosen = first_match(tree, profile.sapo) if profile else None
    if chosen is not None:
        return text_of(chosen)
    for el in tree.iter("div", "p", "h2", "span", "section", "strong"):
        if not _SAPO_NAME.search(class_and_id(el)) or el.find(".//script") is not None:
            continue
        text = text_of(el)
        links = sum(len(text_of(a)) for a in el.iter("a"))
        if 40 <= len(text) <= 1000 and links < 0.3 * len(text):
            return text
    return None
