"""Finding pages: the links of a sitemap (and the sitemaps of a sitemap index), of an RSS,
Atom or JSON feed, and of an HTML page, each read from content already downloaded.

trafilatura's own helpers do the reading: ``trafilatura.sitemaps.SitemapObject`` (XML
sitemaps, sitemap indexes, text sitemaps, hreflang links) and ``trafilatura.feeds``
(``find_links`` for RSS, Atom and JSON Feed; ``determine_feed`` for the feeds a page
advertises). Their download functions are not used: every request goes through the
crawler's polite client. Their URL filters are not used either (they drop IP addresses
and intranet hosts, and each keeps its own idea of a domain): links are resolved and
judged here by :mod:`newsfacts.fetch.urls`, the same way for every source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

_SITEMAP_INDEX = re.compile(rb"<(?:[\w.-]+:)?sitemapindex\b")


@dataclass
class Found:
    """Links read from one resource: pages to fetch, and sitemaps or feeds to read."""

    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    valid: bool = True  # False: the content was not of the kind expected


def _text(body: bytes) -> str:
    from charset_normalizer import from_bytes

    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(body[:1_000_000]).best()
        return str(best) if best is not None else body.decode("utf-8", "replace")


def sitemap_links(url: str, body: bytes) -> Found:
    """Pages and nested sitemaps of one sitemap. In a sitemap index every ``<loc>`` is a
    sitemap; elsewhere trafilatura tells them apart by their name (``.xml``, ``.xml.gz``)."""
    from trafilatura.sitemaps import DETECT_SITEMAP_LINK, SitemapObject, is_plausible_sitemap

    content = _text(body).lstrip("\ufeff")
    found = Found()
    if not content.strip() or not is_plausible_sitemap(url, content):
        found.valid = False
        return found
    is_index = bool(_SITEMAP_INDEX.search(body[:4096]))

    class _Collect(SitemapObject):  # type: ignore[misc]
        __slots__ = ()

        def handle_link(self, link: str) -> None:
            link = urljoin(url, link.strip())
            if link == url:
                return
            if is_index or DETECT_SITEMAP_LINK.search(link):
                found.sitemaps.append(link)
            else:
                found.pages.append(link)

    reader: Any = _Collect(url, "", [])
    reader.current_url = url
    reader.content = content
    reader.process()
    return found


def feed_links(url: str, body: bytes) -> Found:
    """The entries of an RSS, Atom or JSON feed; for a web page, the feeds it names
    (``<link rel="alternate">``, else links that look like feeds), to be read next."""
    from trafilatura.feeds import FeedParameters, determine_feed, find_links

    content = _text(body).strip().lstrip("\ufeff")
    params = FeedParameters(url, "", url)
    found = Found()
    links = [urljoin(url, link.strip()) for link in find_links(content, params) if link.strip()]
    # the channel's own <link> is the home page, not an entry (trafilatura drops it too)
    found.pages = [link for link in links if link != url and urlsplit(link).path not in ("", "/")]
    if not found.pages and "<html" in content[:2000].lower():
        found.feeds = [link for link in determine_feed(content, params) if link != url]
    found.valid = bool(found.pages or found.feeds)
    return found


def page_links(url: str, body: bytes) -> list[str]:
    """Every ``<a href>`` of an HTML page, resolved against its ``<base>`` and URL."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(body)
    except (ParserError, ValueError):
        return []
    base = next((b for b in tree.xpath("//base/@href")), None)
    base_url = urljoin(url, str(base)) if base else url
    links = []
    for href in tree.xpath("//a/@href"):
        href = str(href).strip()
        if href and not href.lower().startswith(("javascript:", "mailto:", "tel:", "#")):
            links.append(urljoin(base_url, href))
    return links
