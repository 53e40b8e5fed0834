"""Politeness: robots.txt, the delay between two requests to one host, and how many
requests one host and all hosts have in flight.

robots.txt is read with Protego, Scrapy's parser: unlike ``urllib.robotparser`` it
understands ``*`` and ``$`` in paths, matches groups the way RFC 9309 says (the most
specific user-agent group, the longest rule) and reads ``Crawl-delay`` and
``Request-rate``. One robots.txt is asked for per host (scheme, host and port, as the RFC
scopes it), before any other request to that host, and it obeys the same delay.

What the RFC says when robots.txt cannot be had is followed: a 4xx answer (no robots.txt)
allows everything; a 5xx answer or an unreachable server, after the retries, allows
nothing, so a site in trouble is left alone.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from .options import FetchOptions
from .urls import host_key

MAX_ROBOTS_BYTES = 500_000  # RFC 9309: at least 500 KiB must be read; the rest may go


@dataclass
class RobotsAnswer:
    """What fetching robots.txt gave: its text (None when there is none or it failed)
    and whether everything is then forbidden."""

    text: str | None = None
    deny_all: bool = False
    why: str = ""


@dataclass
class Robots:
    """One host's rules: Protego's parser over the file, or allow-all / deny-all."""

    parser: Any = None
    deny_all: bool = False
    why: str = ""

    @classmethod
    def from_answer(cls, answer: RobotsAnswer) -> Robots:
        if answer.deny_all:
            return cls(deny_all=True, why=answer.why)
        if not answer.text:
            return cls()
        from protego import Protego

        return cls(parser=Protego.parse(answer.text[:MAX_ROBOTS_BYTES]))

    def allows(self, url: str, agent: str) -> bool:
        if self.deny_all:
            return False
        return self.parser is None or bool(self.parser.can_fetch(url, agent))

    def delay(self, agent: str) -> float | None:
        """The longer of ``Crawl-delay`` and what ``Request-rate`` (n requests per s
        seconds) allows; None when robots.txt sets neither."""
        if self.parser is None:
            return None
        found = [float(d) for d in [self.parser.crawl_delay(agent)] if d is not None]
        rate = self.parser.request_rate(agent)
        if rate is not None and rate.requests:
            found.append(rate.seconds / rate.requests)
        return max(found) if found else None

    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []


@dataclass
class _Host:
    sem: asyncio.Semaphore
    delay: float
    next_at: float = 0.0  # monotonic time before which no request may start
    robots: Robots | None = None
    loading: asyncio.Lock = field(default_factory=asyncio.Lock)
    spacing: asyncio.Lock = field(default_factory=asyncio.Lock)


RobotsFetcher = Callable[[str], Awaitable[RobotsAnswer]]


class Politeness:
    """The gate every request goes through.

    ``slot(url)`` holds one of the host's ``per_host`` places and starts the request no
    sooner than the host's delay after the previous one began (a retry, a robots.txt and
    a redirect hop included). ``pause(url, s)`` keeps the whole host waiting, as a 429's
    Retry-After asks. ``allowed(url)`` reads the host's robots.txt on first use through
    ``fetch_robots``, which itself goes through ``slot``.
    """

    def __init__(self, opts: FetchOptions, fetch_robots: RobotsFetcher) -> None:
        self.opts = opts
        self.fetch_robots = fetch_robots
        self.hosts: dict[str, _Host] = {}
        self.notes: list[str] = []  # said once to the user (a Crawl-delay that was cut)

    def _host(self, url: str) -> _Host:
        key = host_key(url)
        host = self.hosts.get(key)
        if host is None:
            host = self.hosts[key] = _Host(asyncio.Semaphore(self.opts.per_host), self.opts.delay)
        return host

    async def robots(self, url: str) -> Robots:
        host = self._host(url)
        if host.robots is None:
            async with host.loading:
                if host.robots is None:
                    answer = await self.fetch_robots(host_key(url) + "/robots.txt")
                    robots = Robots.from_answer(answer)
                    wanted = robots.delay(self.opts.user_agent)
                    if wanted is not None and wanted > host.delay:
                        if wanted > self.opts.max_crawl_delay:
                            self.notes.append(f"{host_key(url)}: robots.txt asks for a "
                                              f"{wanted:g} s delay; using {self.opts.max_crawl_delay:g} s "
                                              "(--max-crawl-delay)")
                            wanted = self.opts.max_crawl_delay
                        # the robots.txt request itself was spaced by the old delay
                        host.next_at += max(0.0, wanted - host.delay)
                        host.delay = max(host.delay, wanted)
                    host.robots = robots
        return host.robots

    async def allowed(self, url: str) -> tuple[bool, str]:
        """Whether robots.txt lets this crawler fetch ``url``, and if not, why."""
        robots = await self.robots(url)
        if robots.allows(url, self.opts.user_agent):
            return True, ""
        if robots.deny_all:
            return False, robots.why
        return False, "disallowed by robots.txt"

    def delay_of(self, url: str) -> float:
        return self._host(url).delay

    def pause(self, url: str, seconds: float) -> None:
        host = self._host(url)
        host.next_at = max(host.next_at, time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        host = self._host(url)
        async with host.sem:
            async with host.spacing:  # one waiter at a time, so starts stay a delay apart
                wait = host.next_at - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                host.next_at = time.monotonic() + host.delay
            yield

    def next_start(self, url: str) -> float:
        """When the host may next be asked: the frontier serves the host that is ready first."""
        return self._host(url).next_at

    def busy(self, url: str) -> bool:
        host = self.hosts.get(host_key(url))
        return host is not None and host.sem.locked()
