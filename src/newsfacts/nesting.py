"""Nesting: warn about pages whose elements nest deeper than the HTML parser keeps.

libxml2 (lxml's parser, and so trafilatura's) stops building the tree at element
depth 256 unless it is given ``huge_tree``: everything past that point, nested or
not, is silently missing from the article. No real layout nests that deep, but
generated or hostile pages do, so the reader estimates the depth from the tags and
the record says when text may have been cut. The estimate counts what libxml2 keeps
open: void elements and those it closes by itself (``<p>``, ``<li>``, ``<td>`` …)
never add a level, and script, style and comments are skipped.
"""

from __future__ import annotations

import re

PARSER_MAX_DEPTH = 256  # libxml2's limit without XML_PARSE_HUGE
# The depth at which the reader warns: the parser's own elements (html, body) count too.
WARN_DEPTH = PARSER_MAX_DEPTH - 2

# Tags alone: a quick estimate that is never lower than the careful one (tags inside
# scripts only add levels), and ~5x faster. Only a page it puts near the limit is read
# again with _TAGS, which skips scripts, styles and comments.
_ANY_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_TAGS = re.compile(
    r"<!--.*?(?:-->|\Z)|<script\b.*?(?:</script\s*>|\Z)|<style\b.*?(?:</style\s*>|\Z)"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)",
    re.DOTALL | re.IGNORECASE,
)
_FLAT = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen", "basefont", "frame", "isindex", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "rp", "rt", "caption"]
)


def max_depth(html: str, stop: int | None = None, careful: bool = True) -> int:
    """Estimated deepest element nesting of ``html``; stops counting once ``stop`` is reached.
    Without ``careful``, tags inside scripts, styles and comments count too."""
    depth = deepest = 0
    for close, name in (_TAGS if careful else _ANY_TAG).findall(html):
        if not name or name.lower() in _FLAT:
            continue  # a comment, a script or a style; or a level the parser does not keep
        if close:
            depth = depth - 1 if depth else 0
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop is not None and deepest >= stop:
                    break
    return deepest


def deep_nesting_warnings(html: str) -> list[str]:
    """A warning for a page nested deeper than the parser reads, else nothing."""
    if html.count("<") < WARN_DEPTH:  # cannot reach the limit: the common case, one scan
        return []
    if max_depth(html, WARN_DEPTH, careful=False) < WARN_DEPTH:
        return []
    if max_depth(html, WARN_DEPTH) < WARN_DEPTH:
        return []
    return [f"page nests elements deeper than {PARSER_MAX_DEPTH} levels: the HTML parser stops "
            "there, so text past that point may be missing"]
