"""URLs: one spelling per page, which site a URL belongs to, and which links look like
articles worth following.

courlan does the normalising (lower-case scheme and host, default ports dropped, tracker
parameters such as ``utm_*`` removed, the query sorted, the path quoted) and the judging
(navigation pages, login and search pages, files that are not pages). Its host checks
reject IP addresses, ``localhost`` and intranet names, which a user may well crawl, so
the host is judged here, by "same site", and courlan is asked about the rest.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from .options import FetchError

_SCHEMES = ("http", "https")


def normalize(url: str, base: str | None = None) -> str | None:
    """The one spelling of ``url`` (resolved against ``base``) used to de-duplicate and
    to request; None for what is not an http(s) URL. The fragment goes: it names a place
    in a page, not another page."""
    from courlan import normalize_url, scrub_url

    # as browsers do: line breaks inside an href dropped, spaces escaped (courlan's
    # scrubbing would drop them, joining two words of a path)
    url = (url or "").strip().replace("\t", "").replace("\r", "").replace("\n", "").replace(" ", "%20")
    if not url:
        return None
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(scrub_url(url))
        if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
            return None
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
        # urljoin removes dot segments ("/a/../b") that courlan leaves
        path = urlsplit(urljoin(f"{parts.scheme}://{parts.netloc}/", parts.path or "/")).path
        clean = normalize_url(urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")))
    except (ValueError, AttributeError):
        return None
    return urlunsplit(urlsplit(clean)._replace(fragment=""))


def host_key(url: str) -> str:
    """``scheme://host:port``: what robots.txt, delays and concurrency limits are kept by
    (a robots.txt covers one scheme, host and port)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def site_of(url: str) -> str:
    """The host without a leading ``www.``: ``www.example.vn`` and ``example.vn`` are one site."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, other: str) -> bool:
    return site_of(url) == site_of(other)


def is_article_like(url: str) -> bool:
    """Whether a link found on a page looks like an article: not a navigation, tag or
    archive page, not a login or search page, not a file that is not a page, not a home
    page. courlan's strict filters decide, given the path and query on a neutral host."""
    from courlan import check_url, is_navigation_page, is_not_crawlable

    parts = urlsplit(url)
    if parts.path in ("", "/") or is_navigation_page(url) or is_not_crawlable(url):
        return False
    neutral = urlunsplit(("https", "example.org", parts.path or "/", parts.query, ""))
    return check_url(neutral, strict=True) is not None


def read_url_list(path: Path) -> list[str]:
    """The URLs of a text file, one a line; blank lines and ``#`` comments are skipped,
    and a line that is not a URL is kept as it is, to be reported as an invalid URL."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FetchError(f"{path}: cannot read the list of URLs: {exc}") from None
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def is_url(text: str) -> bool:
    """Whether a command-line argument is a URL rather than a file of URLs."""
    return text.lower().startswith(("http://", "https://"))


def expand_inputs(inputs: list[str]) -> list[str]:
    """The URLs given on the command line and those in the files given there, in order."""
    urls: list[str] = []
    for item in inputs:
        if is_url(item):
            urls.append(item)
            continue
        path = Path(item)
        if not path.is_file():
            raise FetchError(f"{item}: neither an http(s) URL nor a file listing URLs")
        urls.extend(read_url_list(path))
    return urls
