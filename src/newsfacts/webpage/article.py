"""The whole path of one page: decode, parse, metadata, site profile, pruning, then
trafilatura's text with the title and the lead first."""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml.html import HtmlElement

from ..charsets import MAX_PAGE_BYTES, decode_html, normalize_html_text
from ..sites import SiteProfile
from .adapter import drop_inert, load_page, read_body, standalone
from .dom import drop, first_match, host_of, text_of
from .metadata import Article, read_metadata
from .prune import (
    find_sapo,
    keep_captions,
    prune_counters,
    prune_headed_blocks,
    prune_named,
    unwrap_layout_tables,
)

# Read the story's own element alone when the page has one (see read_body); tests turn it
# off to hold the two ways of reading a page to the same text.
NARROW = True

_VN_TEXT = re.compile("[\u1ea0-\u1ef9\u0111\u01a1\u01b0\u0103]")


def profile_for(url: str | None, profiles: tuple[SiteProfile, ...]) -> SiteProfile | None:
    host = host_of(url)
    return next((p for p in profiles if host and p.matches(host)), None)


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
                drop(el)
    body_el = first_match(tree, profile.body) if profile else None
    if profile and profile.body and body_el is None:
        warnings.append(f"site profile {profile.name}: body selector found nothing")
    if article.language is None and article.title and _VN_TEXT.search(article.title):
        article.language = "vi"
    # Sapo and captions are kept the way Vietnamese news uses them (figures live there);
    # on other pages trafilatura's own judgement stands.
    vietnamese = article.language == "vi" or profile is not None
    sapo = find_sapo(body_el if body_el is not None else tree, profile) if vietnamese else None
    if body_el is not None:
        tree = standalone(body_el)
    page_text = text_of(tree.find("body"))

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
