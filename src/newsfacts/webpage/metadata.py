"""Page metadata: title, date, author, site, URL and language of a news page.

Each comes from the most trustworthy place the page offers: a site profile,
then meta tags and JSON-LD, then what a reader sees (an <h1> that agrees with
the meta title, the dateline nearest the headline: "10:33, 23/02/2021",
"Thứ Hai, 30/05/2017 14:20 (GMT+7)", "(21/07/2022)"). Vietnamese sites write
local time without a zone, so such times get +07:00.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timezone
from typing import TYPE_CHECKING, Any

from lxml.html import HtmlElement

from ..clean import RELATED_HEADINGS
from ..dates import VN_TZ, Stamp, iso_date, visible_date
from ..models import META_FIELDS
from .dom import class_and_id, first_match, host_of, in_control, text_of

if TYPE_CHECKING:
    from ..sites import SiteProfile

_DATE_NAME = re.compile(r"date|time|ngay|publish|posted|created|dateline|post-?info|meta", re.IGNORECASE)
_AUTHOR_NAME = re.compile(r"author|tacgia|tac-gia|byline|writer|nguoi-viet", re.IGNORECASE)


@dataclass
class Article:
    """The article text plus metadata; ``text`` paragraphs are separated by blank lines."""

    text: str
    title: str | None = None
    published: str | None = None
    published_precision: str | None = None  # what part of a date the page stated (dates.py)
    author: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None
    warnings: list[str] = field(default_factory=list)

    def meta_dict(self) -> dict[str, str]:
        """Metadata fields that are known (the keys ``clean`` writes)."""
        return {k: v for k in META_FIELDS if (v := getattr(self, k))}


# --- meta tags -------------------------------------------------------------------------------
def _meta_index(tree: HtmlElement) -> dict[str, str]:
    """Each ``property``, ``name`` and ``itemprop`` of the page's meta tags with its first
    non-empty value: one pass over the page, then a dict lookup per question."""
    index: dict[str, str] = {}
    for el in tree.getroottree().iter("meta"):
        value = (el.get("content") or el.get("datetime") or "").strip()
        if value:
            for attr in ("property", "name", "itemprop"):
                key = el.get(attr)
                if key is not None:
                    index.setdefault(key, value)
    return index


def _meta_value(metas: dict[str, str], *names: str) -> str | None:
    """The first of ``names`` that a meta tag gives a value (``metas`` from :func:`_meta_index`)."""
    return next((metas[name] for name in names if name in metas), None)


# --- metadata --------------------------------------------------------------------------------
def parse_visible_date(text: str, tz: timezone | None = VN_TZ) -> str | None:
    """ "10:33, 23/02/2021", "Thứ Hai, 30/05/2017 14:20 (GMT+7)", "(21/07/2022)" to ISO 8601
    (:func:`newsfacts.dates.visible_date`, without its precision)."""
    stamp = visible_date(text, tz)
    return stamp.iso if stamp else None


def _json_ld(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.getroottree().iter("script"):
        if script.get("type") != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(item.get("@graph") or [])
                if any(k in item for k in ("headline", "datePublished", "author")):
                    yield item


def _name_of(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name_of(v) for v in value) if n]
        return ", ".join(names) or None
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _language(tree: HtmlElement, metas: dict[str, str]) -> str | None:
    lang = tree.get("lang") or _meta_value(metas, "og:locale", "language", "content-language")
    if not lang:
        for el in tree.xpath('//meta[@http-equiv="content-language" or @http-equiv="Content-Language"]'):
            lang = el.get("content")
    return re.split(r"[-_]", lang.strip().lower())[0] if lang and lang.strip() else None


def _strip_site(title: str, site: str | None) -> str:
    """ "Tin A - Báo Hà Tĩnh" -> "Tin A": drop the site name a <title> carries."""
    parts = [p.strip() for p in re.split(r"\s+[|\-–—»:]{1,2}\s+", title) if p.strip()]
    if site and len(parts) > 1:
        parts = [p for p in parts if p.lower() != site.lower()] or parts
    return max(parts, key=len) if parts else title.strip()


def _title(tree: HtmlElement, profile: SiteProfile | None, ld: list[dict[str, Any]],
           site: str | None, metas: dict[str, str]) -> tuple[str | None, HtmlElement | None]:
    """The headline and its element: a profile's, an <h1> agreeing with the meta title, the meta
    title, or on old portals whose <title> is the site name, the bold line above the story.

    An <h1> alone is not trusted: many portals put their own name in it.
    """
    chosen = first_match(tree, profile.title) if profile else None
    if chosen is not None:
        return text_of(chosen), chosen
    meta = _meta_value(metas, "og:title", "twitter:title") or next(
        (str(d["headline"]) for d in ld if isinstance(d.get("headline"), str)), None)
    head = tree.find(".//title")
    page_title = text_of(head) if head is not None else None
    refs = [_strip_site(t, site) for t in (meta, page_title) if t]
    for h1 in tree.iter("h1"):
        text = text_of(h1)
        if any(len(text) >= 0.6 * len(r) and (text in r or r in text) for r in refs if r):
            return text, h1
    if meta:
        return _strip_site(meta, site), None
    h1 = tree.find(".//h1")
    if h1 is not None and not refs and len(text_of(h1)) >= 10:
        return text_of(h1), h1
    visual = _visual_headline(tree)
    if visual is not None:
        return text_of(visual), visual
    if refs:
        return refs[0], None
    return (text_of(h1), h1) if h1 is not None else (None, None)


def _visual_headline(tree: HtmlElement) -> HtmlElement | None:
    """The last bold or large line before the story's first paragraph (table-layout portals)."""
    paragraphs = [p for p in tree.iter("p") if len(text_of(p)) >= 100]
    if not paragraphs:
        return None
    longest = max(paragraphs, key=lambda p: len(text_of(p)))
    first = next((p for p in longest.itersiblings(preceding=True) if p.tag == "p"
                  and len(text_of(p)) >= 100 and p in paragraphs), None)
    while first is not None:
        earlier = next((p for p in first.itersiblings(preceding=True) if p.tag == "p"
                        and len(text_of(p)) >= 100), None)
        if earlier is None:
            break
        first = earlier
    first = first if first is not None else longest
    best = None
    for el in tree.iter():
        if el is first:
            break
        if not isinstance(el.tag, str):
            continue
        big = el.tag == "font" and (el.get("size") or "").strip().lstrip("+").isdigit() and int(
            (el.get("size") or "0").strip().lstrip("+")) >= 4
        if el.tag in ("h2", "h3", "b", "strong") or big or re.search(
                r"title|tieude|headline", class_and_id(el)):
            text = text_of(el)
            if 15 <= len(text) <= 250 and not in_control(el) and not RELATED_HEADINGS.match(text):
                best = el
    return best


def _visible_date(tree: HtmlElement, profile: SiteProfile | None, tz: timezone | None,
                  headline: HtmlElement | None = None) -> Stamp | None:
    """The dateline: the date-named element nearest the headline, else the first date after it.

    Nearness matters: portal headers show today's date ("Thứ Năm, 04/08/2022") in
    an element named like a dateline, far above the article.
    """
    chosen = first_match(tree, profile.date) if profile else None
    if chosen is not None:
        chosen_date = visible_date(text_of(chosen), tz)
        if chosen_date:
            return chosen_date
    h1 = headline if headline is not None else tree.find(".//h1")
    dated = []
    for el in tree.iter("time", "span", "div", "p", "em", "i", "small", "td", "li"):
        if _DATE_NAME.search(class_and_id(el)) or el.tag == "time":
            text = text_of(el)
            if len(text) <= 150:
                found = (iso_date(el.get("datetime"), tz) if el.get("datetime") else None) \
                    or visible_date(text, tz)
                if found:
                    dated.append((el, found))
    candidates = []
    if dated:  # distance in document order, counted only when there is something to place
        order = {el: i for i, el in enumerate(tree.iter())}
        anchor = order.get(h1, 0) if h1 is not None else 0
        for el, found in dated:
            distance = order[el] - anchor
            candidates.append((abs(distance) + (0 if distance >= 0 else 5), found))
    if h1 is not None:  # the first date shortly after the headline
        seen = 0
        for text in h1.xpath("(following::text())[position() <= 40]"):
            seen += len(text)
            after = visible_date(text, tz)
            if after:
                candidates.append((50, after))
                break
            if seen > 600:
                break
    return min(candidates)[1] if candidates else None


def _author(tree: HtmlElement, profile: SiteProfile | None, ld: list[dict[str, Any]],
            metas: dict[str, str]) -> str | None:
    chosen = first_match(tree, profile.author) if profile else None
    if chosen is not None:
        return text_of(chosen) or None
    value = _meta_value(metas, "author", "article:author", "dc.creator", "DC.creator")
    if value and not value.startswith("http"):
        return value
    for item in ld:
        name = _name_of(item.get("author"))
        if name:
            return name
    for el in tree.xpath('//*[@itemprop="author" or @rel="author"]'):
        if text_of(el):
            return text_of(el)
    for el in tree.iter("span", "div", "p", "strong", "b", "a"):
        if _AUTHOR_NAME.search(class_and_id(el)) and 2 <= len(text_of(el)) <= 60:
            return text_of(el)
    return None


def read_metadata(tree: HtmlElement, url: str | None, profile: SiteProfile | None) -> Article:
    """Title, date, author, site, url and language from tags, JSON-LD and visible forms."""
    ld = list(_json_ld(tree))
    metas = _meta_index(tree)
    canonical = next((el.get("href") for el in tree.getroottree().iter("link")
                      if el.get("rel") == "canonical" and (el.get("href") or "").startswith("http")),
                     None)
    page_url = canonical or _meta_value(metas, "og:url") or url
    language = _language(tree, metas)
    host = host_of(page_url or url)
    tz = VN_TZ if language == "vi" or (host or "").endswith(".vn") else None
    title, headline = _title(tree, profile, ld, _meta_value(metas, "og:site_name"), metas)
    published: Stamp | None = None
    raw = _meta_value(metas, "article:published_time", "og:article:published_time", "datePublished",
                "pubdate", "publishdate", "publish-date", "dc.date.issued", "DC.date.issued",
                "dcterms.created", "parsely-pub-date", "sailthru.date", "date")
    raw = raw or next((str(d["datePublished"]) for d in ld if d.get("datePublished")), None)
    if raw:
        published = iso_date(raw, tz)
    if not published:
        published = _visible_date(tree, profile, tz, headline)
    site = _meta_value(metas, "og:site_name", "application-name") or next(
        (n for n in (_name_of(d.get("publisher")) for d in ld) if n), None) or host
    return Article(
        text="", title=title, published=published.iso if published else None,
        published_precision=published.precision if published else None,
        author=_author(tree, profile, ld, metas), site=site, url=page_url, language=language,
    )


