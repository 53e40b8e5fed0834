"""The scraper: ``newsfacts fetch`` turns URLs, lists of URLs, sitemaps and feeds into a
WARC that ``extract`` (through ingest) reads, politely and so that it can resume.

Modules, each one concern: ``options`` (the checked options and the stats), ``urls``
(normalising, same site, article-like links, URL lists), ``robots`` (robots.txt and the
per-host delay and limits), ``client`` (one GET with retries, limits and content-type
checks, on httpx), ``discovery`` (links of sitemaps, feeds and pages, read with
trafilatura's helpers), ``warc`` (writing units with warcio; repairing and reading on
resume), ``report`` (the errors file and progress) and ``crawl`` (the frontier, the
workers, :func:`run_fetch`).

It imports only the foundation of newsfacts: no stage of extraction is needed to fetch.
"""

from .crawl import run_fetch
from .options import FetchError, FetchOptions, FetchStats

__all__ = ["FetchError", "FetchOptions", "FetchStats", "run_fetch"]
