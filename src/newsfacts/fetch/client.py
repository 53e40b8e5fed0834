"""The HTTP client: one GET, with its politeness slot, timeouts, retries, a body limit and
the content-type check, giving an :class:`Exchange` (request and response, as the WARC
keeps them) or a :class:`Failure` with its reason.

httpx does the HTTP: asynchronous (one event loop runs every request in flight), with
connection pooling, separate connect/read/write timeouts and streamed bodies, so a 50 MB
page is cut at the limit without being held. Redirects are not followed by httpx but
here, one hop at a time by the crawler, so every hop asks robots.txt and waits its
host's delay, and is written to the WARC.

Retries: a 429, a 500/502/503/504 or a network error (refused, reset, timed out) is
tried again up to ``retries`` times, after ``backoff * 2**n`` seconds (with a little
jitter) or after what the server's ``Retry-After`` asks; the wait holds the whole host,
not only the URL. A ``Retry-After`` over ``max_retry_after`` fails the URL at once.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from .options import FetchOptions, FetchStats
from .robots import Politeness, RobotsAnswer

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml+xhtml")
_READ_CHUNK = 1 << 16


@dataclass
class Exchange:
    """One request and its response as sent and received; ``body`` is the payload as
    sent (any Content-Encoding kept, transfer chunking undone)."""

    url: str
    request_headers: list[tuple[str, str]]
    http_version: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    date: str  # WARC-Date: when the request was sent
    ip: str | None = None
    attempts: int = 1

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    @property
    def is_redirect(self) -> bool:
        return self.status in (301, 302, 303, 307, 308)


@dataclass
class Failure:
    """A URL that gave nothing to keep: ``reason`` is one of options.REASONS."""

    url: str
    reason: str
    detail: str
    attempts: int = 1
    status: int | None = None
    via: list[str] = field(default_factory=list)  # the redirects that led here


Want = Literal["page", "any"]


def is_html_type(ctype: str) -> bool:
    return ctype.startswith(HTML_TYPES)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number, or an HTTP date); None when
    absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _warc_date() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Client:
    """httpx's AsyncClient behind the politeness gate; ``async with`` opens and closes it."""

    def __init__(self, opts: FetchOptions, stats: FetchStats) -> None:
        self.opts = opts
        self.stats = stats
        self.gate = Politeness(opts, self.fetch_robots)
        self._http: Any = None

    async def __aenter__(self) -> Client:
        import httpx

        o = self.opts
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(o.timeout),
            limits=httpx.Limits(max_connections=o.concurrency,
                                max_keepalive_connections=o.concurrency),
            follow_redirects=False,
            # Only encodings the WARC reader undoes within its page limit.
            headers={"User-Agent": o.user_agent, "Accept-Encoding": "gzip, deflate",
                     "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
            trust_env=True,  # HTTP(S)_PROXY and NO_PROXY, as other command-line clients
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._http.aclose()

    async def fetch_robots(self, url: str) -> RobotsAnswer:
        """robots.txt of one host (redirects followed, five at most, as RFC 9309 says)."""
        for _hop in range(5):
            got = await self.get(url, "any")
            if isinstance(got, Failure):
                return RobotsAnswer(deny_all=got.reason in ("timeout", "network") or
                                    (got.status or 0) >= 500,
                                    why=f"robots.txt unavailable ({got.detail})")
            if got.is_redirect and got.header("location"):
                from .urls import normalize

                target = normalize(got.header("location") or "", url)
                if target is None:
                    break
                url = target
                continue
            if 200 <= got.status < 300:
                return RobotsAnswer(text=decode_body(got).decode("utf-8", "replace"))
            if got.status >= 500:  # retries spent
                return RobotsAnswer(deny_all=True, why=f"robots.txt unavailable (HTTP {got.status})")
            return RobotsAnswer()  # 4xx: no robots.txt, everything allowed
        return RobotsAnswer()

    async def get(self, url: str, want: Want) -> Exchange | Failure:
        """GET ``url`` once it is its host's turn, retrying what may pass. ``want="page"``
        checks the content type of a 2xx answer from its headers, before the body.
        robots.txt is the caller's to ask, hop by hop."""
        o = self.opts
        attempts = 0
        while True:
            attempts += 1
            async with self.gate.slot(url):
                self.stats.requests += 1
                try:
                    got = await asyncio.wait_for(self._once(url, want), o.timeout * 4)
                except asyncio.TimeoutError:
                    got = Failure(url, "timeout", f"not whole within {o.timeout * 4:g} s")
                except Exception as exc:  # httpx's errors, sorted below
                    got = _transport_failure(url, exc)
            got_status = got.status if isinstance(got, Exchange) else None
            retryable = (isinstance(got, Failure) and got.reason in ("timeout", "network")) or (
                got_status in RETRY_STATUSES)
            if not retryable or attempts > o.retries:
                got.attempts = attempts
                return got
            wait = o.backoff * 2 ** (attempts - 1) * (1 + random.random() / 10)
            asked = retry_after(got.header("retry-after")) if isinstance(got, Exchange) else None
            if asked is not None:  # the server knows best how long it needs
                if asked > o.max_retry_after:
                    return Failure(url, "rate-limited", f"HTTP {got_status} asks to retry after "
                                   f"{asked:g} s (over --max-retry-after {o.max_retry_after:g})",
                                   attempts, got_status)
                wait = asked
            self.stats.retries += 1
            self.gate.pause(url, wait)

    async def _once(self, url: str, want: Want) -> Exchange | Failure:
        o = self.opts
        request = self._http.build_request("GET", url)
        date = _warc_date()
        response = await self._http.send(request, stream=True)
        try:
            status = response.status_code
            headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw]
            ex = Exchange(url=url, request_headers=_request_headers(request),
                          http_version=response.http_version or "HTTP/1.1", status=status,
                          reason=response.reason_phrase or "", headers=headers, body=b"",
                          date=date, ip=_peer_ip(response))
            if status >= 400:
                return ex  # the body of an error is neither kept nor read
            if want == "page" and 200 <= status < 300:
                ctype = ex.content_type
                if ctype and not is_html_type(ctype):
                    return Failure(url, "not-html", f"Content-Type {ctype}", status=status)
            declared = ex.header("content-length")
            if declared and declared.strip().isdigit() and int(declared) > o.max_bytes:
                return Failure(url, "too-large", f"Content-Length {int(declared):,} is over "
                               f"{o.max_bytes:,} bytes", status=status)
            body = bytearray()
            async for chunk in response.aiter_raw(_READ_CHUNK):
                body += chunk
                if len(body) > o.max_bytes:
                    return Failure(url, "too-large", f"body over {o.max_bytes:,} bytes "
                                   "(stopped reading)", status=status)
            ex.body = bytes(body)
            untyped = want == "page" and 200 <= status < 300 and not ex.content_type
            if untyped and not _looks_like_html(decode_body(ex)[:2048]):
                return Failure(url, "not-html", "no Content-Type, and the body is not HTML",
                               status=status)
            return ex
        finally:
            await response.aclose()


def _transport_failure(url: str, exc: Exception) -> Failure:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return Failure(url, "timeout", f"{type(exc).__name__}: no answer within the timeout")
    if isinstance(exc, (httpx.TransportError, OSError)):
        return Failure(url, "network", f"{type(exc).__name__}: {exc}".rstrip(": "))
    if isinstance(exc, httpx.InvalidURL):
        return Failure(url, "invalid-url", str(exc))
    raise exc


def _request_headers(request: Any) -> list[tuple[str, str]]:
    """The request's headers as sent, Host first as HTTP/1.1 puts it."""
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
    return sorted(headers, key=lambda kv: kv[0].lower() != "host")


def _peer_ip(response: Any) -> str | None:
    stream = response.extensions.get("network_stream")
    try:
        addr = stream.get_extra_info("server_addr") if stream is not None else None
    except Exception:  # a transport without it
        return None
    return str(addr[0]) if addr else None


def _looks_like_html(head: bytes) -> bool:
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return low.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")) or b"<html" in low


def decode_body(ex: Exchange, limit: int | None = None) -> bytes:
    """The body undone of its Content-Encoding (gzip, deflate), at most ``limit`` bytes
    when inflated: what discovery reads; the WARC keeps the body as sent."""
    import zlib

    encoding = (ex.header("content-encoding") or "").strip().lower()
    body = ex.body
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 31 if body[:2] == b"\x1f\x8b" else (15 if body[:1] == b"\x78" else -15)
        try:
            return zlib.decompressobj(wbits=wbits).decompress(body, limit or 0)
        except zlib.error:
            return b""
    if body[:2] == b"\x1f\x8b" and urlsplit(ex.url).path.endswith(".gz"):  # sitemap.xml.gz
        try:
            return zlib.decompressobj(wbits=31).decompress(body, limit or 0)
        except zlib.error:
            return b""
    return body
