"""The crawl: a frontier of URLs by host, workers that take from it, and what each kind of
URL does (a page is fetched and written, a sitemap or feed is read for more URLs).

One asyncio event loop runs ``concurrency`` workers, which is the global limit on
requests in flight. The frontier hands a worker the URL of the host that may be asked
soonest and has a free place, so one slow or throttled site does not hold every worker;
the politeness gate (:mod:`newsfacts.fetch.robots`) still checks each request.

Every URL is normalised once (:mod:`newsfacts.fetch.urls`) and kept once: a page found in
a sitemap, a feed and a link is fetched once, and a redirect to a page already had ends
there. Redirects are followed hop by hop, each hop asking robots.txt.
"""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .client import Client, Exchange, Failure, Want, decode_body
from .discovery import Found, feed_links, page_links, sitemap_links
from .options import FetchOptions, FetchStats
from .report import ErrorLog, Progress
from .robots import Politeness
from .urls import expand_inputs, host_key, is_article_like, normalize, same_site
from .warc import Held, WarcSink

SITEMAP_GUESSES = ("sitemap.xml", "sitemap_index.xml")  # when robots.txt names none
MAX_DISCOVERY_BYTES = 50_000_000  # a sitemap may be 50 MB uncompressed (sitemaps.org)
_DUPLICATE = "a redirect to a page already had"  # ends a page, but is no failure


@dataclass
class Item:
    url: str
    kind: str  # page | sitemap | feed | site (a home page whose sitemaps are wanted) | stored
    depth: int = 0  # pages: links followed to get here; feeds: 1 when a page advertised it
    offset: int = -1  # stored: where the page is in the WARC


class Frontier:
    """URLs waiting, by host. ``get`` gives the next one to work on, or None once nothing
    is queued or in hand (a URL in hand may still add more)."""

    def __init__(self, gate: Politeness, per_host: int) -> None:
        self.gate, self.per_host = gate, per_host
        self.queues: dict[str, deque[Item]] = {}
        self.active: Counter[str] = Counter()
        self.open = 0
        self.finished = 0
        self.changed = asyncio.Event()

    def put(self, item: Item) -> None:
        host = host_key(item.url) if item.kind != "stored" else ""
        self.queues.setdefault(host, deque()).append(item)
        self.open += 1
        self.changed.set()

    async def get(self) -> Item | None:
        while True:
            ready = [h for h, q in self.queues.items() if q and self.active[h] < self.per_host]
            if ready:
                host = min(ready, key=lambda h: (self.gate.next_start(h) if h else 0.0, self.active[h]))
                self.active[host] += 1
                return self.queues[host].popleft()
            if self.open == 0:
                self.changed.set()  # the other workers end too
                return None
            self.changed.clear()
            await self.changed.wait()

    def done(self, item: Item) -> None:
        self.active[host_key(item.url) if item.kind != "stored" else ""] -= 1
        self.open -= 1
        self.finished += 1
        self.changed.set()

    @property
    def known(self) -> int:
        return self.finished + self.open


class Crawler:
    def __init__(self, opts: FetchOptions, sink: WarcSink, held: Held, errors: ErrorLog,
                 stats: FetchStats, progress: Progress) -> None:
        self.opts, self.sink, self.held, self.errors = opts, sink, held, errors
        self.stats, self.progress = stats, progress
        self.seen: set[str] = set()  # pages, normalised
        self.seen_other: set[str] = set()  # sitemaps and feeds
        self.reserved = 0  # pages kept or being fetched, against --limit

    async def run(self, urls: list[str]) -> None:
        async with Client(self.opts, self.stats) as client:
            self.client = client
            self.frontier = Frontier(client.gate, self.opts.per_host)
            for url in urls:
                self.add(url, "page", 0, given=True)
            for url in self.opts.sitemaps:
                site = normalize(url)
                kind = "site" if site is not None and _is_home(site) else "sitemap"
                self.add(url, kind, 0, given=True)
            for url in self.opts.feeds:
                self.add(url, "feed", 0, given=True)
            workers = [asyncio.create_task(self._worker()) for _ in range(self.opts.concurrency)]
            try:
                await asyncio.gather(*workers)
            finally:
                for w in workers:
                    w.cancel()
            for note in client.gate.notes:
                self.progress.message(f"note: {note}")

    # ------------------------------------------------------------------ the frontier
    def add(self, url: str, kind: str, depth: int, given: bool = False) -> None:
        n = normalize(url)
        if n is None:
            if given:
                self._fail(url, "invalid-url", "not an http(s) URL")
            return
        if kind != "page":
            if n not in self.seen_other:
                self.seen_other.add(n)
                self.frontier.put(Item(n, kind, depth))
            return
        if n in self.seen:
            self.stats.duplicates += depth == 0  # links between pages repeat; lists should not
            return
        self.seen.add(n)
        if n in self.held.pages or n in self.held.redirects:
            self.stats.resumed += 1
            if n in self.held.pages and depth < self.opts.follow:
                self.frontier.put(Item(n, "stored", depth, self.held.pages[n]))
            return
        self.frontier.put(Item(n, "page", depth))

    async def _worker(self) -> None:
        while (item := await self.frontier.get()) is not None:
            try:
                await getattr(self, f"_{item.kind}")(item)
            except Exception as exc:  # one URL must not end the crawl
                self._fail(item.url, "error", f"{type(exc).__name__}: {exc}")
            finally:
                self.frontier.done(item)
                self.progress.update(self.frontier.finished, self.frontier.known)

    def _fail(self, url: str, reason: str, detail: str, status: int | None = None,
              attempts: int = 1, via: list[str] | None = None) -> None:
        if reason in ("robots", "robots-unavailable"):
            self.stats.robots_skipped += 1
        else:
            self.stats.failed[reason] += 1
        self.errors.add(url, reason, detail, status, attempts, via)

    # ------------------------------------------------------------------ fetching
    async def _follow(self, url: str, want: Want) -> tuple[list[Exchange], Failure | None]:
        """GET ``url`` and the redirects it leads to, each hop asked of robots.txt; the
        exchanges (every hop, then the answer) or the failure that ended it."""
        chain: list[Exchange] = []
        via: list[str] = []
        for _hop in range(self.opts.max_redirects + 1):
            ok, why = await self.client.gate.allowed(url)
            if not ok:
                reason = "robots-unavailable" if "unavailable" in why else "robots"
                return chain, Failure(url, reason, why, via=via)
            got = await self.client.get(url, want)
            if isinstance(got, Failure):
                got.via = via
                return chain, got
            chain.append(got)
            if not got.is_redirect:
                if 200 <= got.status < 300:
                    return chain, None
                return chain, Failure(url, "http", f"HTTP {got.status} {got.reason}".strip(),
                                      got.attempts, got.status, via)
            location = got.header("location")
            target = normalize(location, url) if location else None
            via.append(url)
            if target is None:
                return chain, Failure(url, "redirect", f"HTTP {got.status} without a usable "
                                      f"Location ({location!r})", status=got.status, via=via[:-1])
            if target in via:
                return chain, Failure(target, "redirect", "redirect loop", status=got.status, via=via)
            if want == "page" and (target in self.seen or target in self.held.pages):
                return chain, Failure(target, "redirect", _DUPLICATE, status=got.status, via=via)
            if want == "page":
                self.seen.add(target)
            url = target
        return chain, Failure(url, "redirect", f"more than {self.opts.max_redirects} redirects",
                              via=via)

    async def _page(self, item: Item) -> None:
        if self.opts.limit is not None and self.reserved >= self.opts.limit:
            return
        self.reserved += 1
        chain, failure = await self._follow(item.url, "page")
        if failure is not None:
            self.reserved -= 1
            if failure.detail == _DUPLICATE:
                self.stats.duplicates += 1
                return
            self._fail(failure.url, failure.reason, failure.detail, failure.status,
                       failure.attempts, failure.via)
            return
        self.sink.write(chain)
        page = chain[-1]
        self.stats.pages += 1
        self.stats.redirects += len(chain) - 1
        self.stats.bytes += sum(len(ex.body) for ex in chain)
        if item.depth < self.opts.follow:
            self._add_links(page.url, decode_body(page, self.opts.max_bytes), item.depth)

    async def _stored(self, item: Item) -> None:
        """A page an earlier run kept: its links, read from the WARC, are followed again."""
        found = await asyncio.to_thread(self.sink.read_page, item.offset)
        if found is not None:
            self._add_links(found[0] or item.url, found[1], item.depth)

    def _add_links(self, url: str, body: bytes, depth: int) -> None:
        for link in page_links(url, body):
            n = normalize(link)
            if n is not None and same_site(n, url) and is_article_like(n):
                self.add(n, "page", depth + 1)

    async def _read(self, item: Item, what: str) -> tuple[str, bytes] | None:
        """A sitemap or a feed, not kept: its final URL and body, or None (logged)."""
        chain, failure = await self._follow(item.url, "any")
        if failure is not None:
            self._fail(failure.url, failure.reason, f"{what}: {failure.detail}", failure.status,
                       failure.attempts, failure.via)
            return None
        return chain[-1].url, decode_body(chain[-1], MAX_DISCOVERY_BYTES)

    def _pages_of(self, source: str, found: Found) -> None:
        for link in found.pages:
            if same_site(link, source):
                self.add(link, "page", 0)
            else:
                self.stats.off_site += 1

    async def _site(self, item: Item) -> None:
        """A home page given to --sitemap: the sitemaps robots.txt names, else the usual names."""
        robots = await self.client.gate.robots(item.url)
        named = [n for u in robots.sitemaps() if (n := normalize(u, item.url))]
        for url in named or [f"{host_key(item.url)}/{g}" for g in SITEMAP_GUESSES]:
            self.add(url, "sitemap", 0)

    async def _sitemap(self, item: Item) -> None:
        if self.stats.sitemaps >= self.opts.max_sitemaps:
            return
        got = await self._read(item, "sitemap")
        if got is None:
            return
        url, body = got
        found = sitemap_links(url, body)
        if not found.valid:
            self._fail(item.url, "not-a-sitemap", "neither an XML nor a text sitemap")
            return
        self.stats.sitemaps += 1
        for link in found.sitemaps:
            if same_site(link, url):
                self.add(link, "sitemap", 0)
        self._pages_of(url, found)

    async def _feed(self, item: Item) -> None:
        got = await self._read(item, "feed")
        if got is None:
            return
        url, body = got
        found = feed_links(url, body)
        if not found.valid or (found.feeds and item.depth > 0):
            self._fail(item.url, "not-a-feed", "no feed entries, and no feed named on the page")
            return
        self.stats.feeds += not found.feeds
        for link in found.feeds:
            self.add(link, "feed", 1)
        self._pages_of(url, found)


def _is_home(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops a fetch as Ctrl-C does; what is in the WARC stays whole."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_fetch(opts: FetchOptions) -> FetchStats:
    """Fetch what ``opts`` names into ``opts.output``; the stats of the run. Raises
    :class:`~newsfacts.fetch.options.FetchError` when it cannot start."""
    opts.check()
    urls = expand_inputs(opts.urls)
    stats = FetchStats()
    sink = WarcSink(opts.output)
    errors = ErrorLog(opts.errors, opts.resume)
    info = {"http-header-user-agent": opts.user_agent, "robots": "obey",
            "description": f"newsfacts fetch: delay {opts.delay:g} s per host (or robots.txt's "
                           f"Crawl-delay), {opts.per_host} per host, {opts.concurrency} in all"}
    try:
        held = sink.open(opts.resume, info)
    except BaseException:
        errors.close()
        raise
    stats.torn_bytes = held.torn_bytes
    progress = Progress(opts, stats)
    if held.torn_bytes:
        progress.message(f"note: cut {held.torn_bytes} bytes of a torn record from the end of "
                         f"{opts.output}")
    crawler = Crawler(opts, sink, held, errors, stats, progress)
    try:
        with _sigterm_interrupts():
            asyncio.run(crawler.run(urls))
    except KeyboardInterrupt:
        stats.interrupted = True
    finally:
        sink.close()
        errors.close()
        progress.close()
        stats.elapsed = time.perf_counter() - stats.started
    return stats
