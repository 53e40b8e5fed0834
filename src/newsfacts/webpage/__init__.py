"""Web page: from HTML to the article a reader sees, with its metadata.

trafilatura finds the main content of almost any page, but Vietnamese news sites and
provincial portals put related-article boxes, comment threads, polls, visitor counters
and price widgets where a generic extractor keeps them, all full of figures. So
``article`` parses the page once, reads its ``metadata``, applies a site profile
(:mod:`newsfacts.sites`), lets ``prune`` cut those blocks, and only then has ``adapter``
(the one module that knows trafilatura's insides) read the text; ``dom`` holds the small
DOM helpers they share. Imported only for pages: text-only runs never load lxml.
"""

from .adapter import article_box, first_story_element, load_page
from .article import extract_article, profile_for
from .metadata import Article, parse_visible_date
from .prune import prune_named

__all__ = ["Article", "article_box", "extract_article", "first_story_element", "load_page",
           "parse_visible_date", "profile_for", "prune_named"]
