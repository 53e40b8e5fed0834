"""What a fetch is asked to do and what it reports: :class:`FetchOptions`, checked once and
passed down to every part of the crawler, and :class:`FetchStats`, the closing summary.

This module imports no HTTP library: the command line builds the options before the
crawler is loaded.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..charsets import MAX_PAGE_BYTES
from ..errors import NewsfactsError
from ..version import package_version

# The token robots.txt groups are matched against; the User-Agent starts with it.
ROBOTS_TOKEN = "newsfacts"

# Why a URL was not kept, as written to --errors and counted in the summary.
REASONS = {
    "robots": "robots.txt forbids it",
    "robots-unavailable": "robots.txt could not be read (RFC 9309: then nothing may be fetched)",
    "timeout": "no answer in time",
    "network": "connection failed",
    "http": "the server answered with an error status",
    "too-large": "the body is over --max-bytes",
    "not-html": "not an HTML page",
    "redirect": "a redirect that cannot be followed (loop, too many, no Location)",
    "rate-limited": "the server asked to wait longer than --max-retry-after",
    "invalid-url": "not an http(s) URL",
    "not-a-sitemap": "not a sitemap (XML or text)",
    "not-a-feed": "no RSS, Atom or JSON feed, and no feed link on the page",
    "error": "an unexpected error while handling the URL (a bug: please report it)",
}


class FetchError(NewsfactsError):
    """A fetch that cannot start: a bad option, an input that is neither a URL nor a
    readable list of URLs, a WARC that cannot be written or resumed."""


def default_user_agent(contact: str | None = None) -> str:
    """``newsfacts/VERSION`` with what the crawler is and, when given, how to reach its
    operator: the first thing a site's administrator looks at in their logs."""
    extra = f"; +{contact}" if contact else ""
    return f"{ROBOTS_TOKEN}/{package_version()} (news figures crawler; obeys robots.txt{extra})"


@dataclass
class FetchOptions:
    """Everything a fetch does, in one object. ``check()`` turns a bad value into a
    :class:`FetchError` that says which option and why, before any request."""

    output: Path
    urls: list[str] = field(default_factory=list)  # pages, and files listing pages
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    follow: int = 0  # depth of same-site, article-like links to follow
    errors: Path | None = None
    resume: bool = False
    delay: float = 1.0  # seconds between two requests to one host (robots' Crawl-delay wins if longer)
    max_crawl_delay: float = 60.0  # a robots.txt Crawl-delay over this is cut to it
    concurrency: int = 8  # requests in flight in all
    per_host: int = 1  # requests in flight to one host
    timeout: float = 20.0  # connect, read and write timeouts, each
    retries: int = 3  # further attempts after a 429, a 5xx or a network error
    backoff: float = 1.0  # first wait before a retry; doubles each time
    max_retry_after: float = 120.0  # a longer Retry-After fails the URL instead of waiting
    max_bytes: int = MAX_PAGE_BYTES  # body limit: the reader's page limit, so all kept is read
    max_redirects: int = 10
    limit: int | None = None  # pages to keep at most
    max_sitemaps: int = 1000
    user_agent: str = field(default_factory=default_user_agent)
    progress: str = "auto"  # auto | rich | plain | none
    progress_every: float = 10.0

    def check(self) -> FetchOptions:
        positive = {"--concurrency": self.concurrency, "--per-host": self.per_host,
                    "--timeout": self.timeout, "--max-bytes": self.max_bytes,
                    "--max-sitemaps": self.max_sitemaps}
        for name, value in positive.items():
            if value <= 0:
                raise FetchError(f"{name} must be above 0 (got {value})")
        not_negative = {"--delay": self.delay, "--retries": self.retries, "--follow": self.follow,
                        "--backoff": self.backoff, "--max-retry-after": self.max_retry_after,
                        "--max-redirects": self.max_redirects, "--max-crawl-delay": self.max_crawl_delay}
        for name, value in not_negative.items():
            if value < 0:
                raise FetchError(f"{name} must not be negative (got {value})")
        if self.limit is not None and self.limit <= 0:
            raise FetchError(f"--limit must be above 0 (got {self.limit})")
        if self.progress not in ("auto", "rich", "plain", "none"):
            raise FetchError(f"progress must be auto, rich, plain or none (got {self.progress!r})")
        if not (self.urls or self.sitemaps or self.feeds):
            raise FetchError("nothing to fetch: give URLs, files of URLs, --sitemap or --feed")
        if not self.user_agent.strip():
            raise FetchError("--user-agent must not be empty")
        name = self.output.name.lower()
        if not name.endswith((".warc.gz", ".warc")):
            raise FetchError(f"{self.output}: the output must end in .warc.gz (or .warc)")
        if self.output.is_dir():
            raise FetchError(f"{self.output} is a folder; give a file name ending in .warc.gz")
        return self


@dataclass
class FetchStats:
    """What a fetch did; ``summary()`` is the closing line on stderr."""

    pages: int = 0  # HTML pages written to the WARC
    redirects: int = 0  # redirect responses written with them
    requests: int = 0  # every request sent, robots.txt, sitemaps, feeds and retries included
    bytes: int = 0  # body bytes of what was written
    robots_skipped: int = 0
    resumed: int = 0  # already in the WARC from an earlier run
    duplicates: int = 0  # a URL found again (another spelling, a redirect to a page already had)
    off_site: int = 0  # links of sitemaps and feeds to other sites, not followed
    retries: int = 0
    sitemaps: int = 0
    feeds: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)
    elapsed: float = 0.0
    interrupted: bool = False
    torn_bytes: int = 0  # cut from the end of a WARC a killed run left

    def summary(self) -> str:
        failed = sum(self.failed.values())
        reasons = ", ".join(f"{n} {r}" for r, n in sorted(self.failed.items(), key=lambda x: (-x[1], x[0])))
        size = f"{self.bytes / 1e6:.1f} MB" if self.bytes >= 100_000 else f"{self.bytes / 1e3:.1f} kB"
        parts = [f"fetched {self.pages} pages ({size}"
                 + (f", {self.redirects} redirects" if self.redirects else "") + ")",
                 f"{self.robots_skipped} skipped by robots.txt",
                 f"{failed} failed" + (f" ({reasons})" if reasons else "")]
        if self.resumed:
            parts.append(f"{self.resumed} already in the WARC")
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicates")
        if self.sitemaps or self.feeds:
            parts.append(f"{self.sitemaps} sitemaps, {self.feeds} feeds read")
        parts.append(f"{self.requests} requests ({self.retries} retries) in {self.elapsed:.1f} s")
        return "; ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {"pages": self.pages, "redirects": self.redirects, "requests": self.requests,
                "bytes": self.bytes, "robots_skipped": self.robots_skipped,
                "resumed": self.resumed, "duplicates": self.duplicates, "off_site": self.off_site,
                "retries": self.retries, "sitemaps": self.sitemaps, "feeds": self.feeds,
                "failed": dict(self.failed), "elapsed_s": round(self.elapsed, 3),
                "interrupted": self.interrupted, "torn_bytes_cut": self.torn_bytes}
