"""The one module that knows trafilatura's insides: its parser settings and page
repairs (``trafilatura.utils``), its content XPaths and their private token lists
(``trafilatura.xpaths``), its size setting, and the call that reads a tree's text.
When trafilatura changes, this is the module to look at; tests/test_webpage.py holds
the shortcuts here to what trafilatura itself gives."""

from __future__ import annotations

import re
from collections.abc import Callable

import trafilatura
from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, fromstring
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, fromstring_bytes, load_html
from trafilatura.xpaths import BODY_XPATH

FAST = True

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


def trafilatura_text(tree: HtmlElement, url: str | None) -> str:
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
        page = standalone(box)
        prepare(page)
        text = trafilatura_text(page, url)
        parent.insert(index, box)
        box.tail = tail
        if text.count("\n") >= 1 and len(text) >= paragraph_text // 2:
            return text
    prepare(tree)
    return trafilatura_text(tree, url)


def standalone(el: HtmlElement) -> HtmlElement:
    """A page holding only ``el``, so trafilatura reads nothing but the profiled body."""
    page = fromstring("<html><body></body></html>")
    page.find("body").append(el)
    return page
