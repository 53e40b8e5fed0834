"""A small news site on 127.0.0.1 for the scraper's tests: a threaded ``http.server`` that
serves made-up article pages, robots.txt, a sitemap index, a feed, and the misbehaviours a
crawler meets (redirects, a 500 that recovers, a 429 with Retry-After, a page that never
answers, a 50 MB body generated as it is sent, a PDF, a 404), and logs every request
with its arrival time.

The articles' sentences are written for these tests, not taken from any news page.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

PROVINCES = ["Quảng Ninh", "Hải Phòng", "Đà Nẵng", "Bắc Ninh", "Long An", "Cần Thơ",
             "Thừa Thiên Huế", "Bình Dương", "Lào Cai", "Nam Định", "Hà Tĩnh", "Khánh Hòa"]

ROBOTS = """User-agent: otherbot
Disallow: /

User-agent: *
Disallow: /private/
Disallow: /*.php$
Crawl-delay: {delay}
Sitemap: {base}/sitemap_index.xml
"""


def article(i: int, links: tuple[str, ...] = ()) -> bytes:
    """A made-up article with a PAR Index score and rank and a procedure count."""
    p = PROVINCES[i % len(PROVINCES)]
    value = f"{80 + (i * 37 % 150) / 10:.1f}".replace(".", ",")
    rank = 1 + i * 7 % 60
    nav = " ".join(f'<a href="{h}">liên kết {n}</a>' for n, h in enumerate(links))
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Cải cách hành chính tại {p} (bài {i})</title>
<meta property="article:published_time" content="2024-0{1 + i % 9}-15T08:00:00+07:00"></head>
<body><nav>{nav}</nav><article><h1>Cải cách hành chính tại {p} (bài {i})</h1>
<p>Năm 2023, Chỉ số cải cách hành chính (PAR Index) của tỉnh {p} đạt {value}%, xếp thứ {rank}/63 tỉnh, thành phố.</p>
<p>Theo báo cáo của Sở Nội vụ, tỉnh {p} đã cắt giảm {10 + i} thủ tục hành chính trong năm qua và tiếp tục đơn giản hóa quy trình giải quyết hồ sơ cho người dân, doanh nghiệp.</p>
<p>Lãnh đạo tỉnh cho biết sẽ tiếp tục đẩy mạnh chuyển đổi số, nâng cao chất lượng phục vụ tại bộ phận một cửa các cấp trong thời gian tới.</p>
</article></body></html>""".encode()


def urlset(base: str, paths: list[str]) -> bytes:
    locs = "".join(f"<url><loc>{p if p.startswith('http') else base + p}</loc></url>" for p in paths)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
            f'schemas/sitemap/0.9">{locs}</urlset>').encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A crawler that hangs up (a body over its limit, a timeout) is expected here."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class Hit:
    at: float  # time.monotonic() when the request arrived
    path: str
    headers: dict[str, str]


@dataclass
class Site:
    """The server; ``routes`` maps a path to a handler ``(handler, site) -> None``."""

    crawl_delay: float = 0.2
    routes: dict[str, Callable[[BaseHTTPRequestHandler, Site], None]] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    in_flight: int = 0
    max_in_flight: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    robots: str | None = None  # the robots.txt text; None: ROBOTS with the delay

    def start(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # http.server's name
                path = urlsplit(self.path).path + (f"?{urlsplit(self.path).query}" if urlsplit(self.path).query else "")
                with site.lock:
                    site.hits.append(Hit(time.monotonic(), path, dict(self.headers.items())))
                    site.counts[path] = site.counts.get(path, 0) + 1
                    site.in_flight += 1
                    site.max_in_flight = max(site.max_in_flight, site.in_flight)
                try:
                    route = site.routes.get(urlsplit(self.path).path)
                    if route is None:
                        send(self, 404, b"<html><body>not here</body></html>")
                    else:
                        route(self, site)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                finally:
                    with site.lock:
                        site.in_flight -= 1

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if "/robots.txt" not in self.routes:
            text = self.robots if self.robots is not None else ROBOTS.format(
                delay=self.crawl_delay, base=self.base)
            self.routes["/robots.txt"] = static(text.encode(), "text/plain")
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        with self.lock:
            return [h.path for h in self.hits]


def send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
         extra: dict[str, str] | None = None) -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for k, v in (extra or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)


def static(body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200,
           extra: dict[str, str] | None = None, sleep: float = 0.0) -> Callable[..., None]:
    def route(h: BaseHTTPRequestHandler, site: Site) -> None:
        if sleep:
            time.sleep(sleep)
        send(h, status, body, ctype, extra)
    return route


def redirect(to: str, status: int = 301) -> Callable[..., None]:
    def route(h: BaseHTTPRequestHandler, site: Site) -> None:
        send(h, status, b"", extra={"Location": to})
    return route


def fails_first(body: bytes, status: int, extra: dict[str, str] | None = None) -> Callable[..., None]:
    """``status`` (with ``extra`` headers) the first time, the page after."""
    def route(h: BaseHTTPRequestHandler, site: Site) -> None:
        path = urlsplit(h.path).path
        if site.counts.get(path, 0) <= 1:
            send(h, status, b"<html><body>try again</body></html>", extra=extra)
        else:
            send(h, 200, body)
    return route


def never_answers(h: BaseHTTPRequestHandler, site: Site) -> None:
    site.release.wait(30)
    h.close_connection = True


def huge(h: BaseHTTPRequestHandler, site: Site) -> None:
    """50 MB of HTML, made as it is sent, framed by closing the connection."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Connection", "close")
    h.end_headers()
    h.close_connection = True
    chunk = b"<p>" + b"x" * (1 << 20) + b"</p>\n"
    h.wfile.write(b"<html><body>")
    for _ in range(50):
        if site.release.is_set():
            return
        h.wfile.write(chunk)


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Pages the news site holds: page number -> path. 12 is only linked from articles; 13
# only from 12 (two links deep).
ARTICLES = {1: "/tin-tuc/bai-1.html", 2: "/tin-tuc/bai-2.html", 3: "/tin-tuc/bai-3.html",
            4: "/tin-tuc/bai-4.html", 5: "/flaky/bai-5.html", 6: "/busy/bai-6.html",
            10: "/tin-tuc/bai-10.html", 11: "/tin-tuc/bai-11.html", 12: "/tin-tuc/bai-12.html",
            13: "/tin-tuc/bai-13.html"}
ARTICLE_LINKS = ("/tin-tuc/bai-12.html", "/tag/cai-cach", "/dang-nhap/login", "/")


def news_site(crawl_delay: float = 0.2, retry_after: int = 1) -> Site:
    site = Site(crawl_delay=crawl_delay)
    r = site.routes
    for i, path in ARTICLES.items():
        links = ("/tin-tuc/bai-13.html",) if i == 12 else ARTICLE_LINKS
        body = article(i, links)
        if i == 5:
            r[path] = fails_first(body, 500)
        elif i == 6:
            r[path] = fails_first(body, 429, {"Retry-After": str(retry_after)})
        else:
            r[path] = static(body)
    r["/old/bai-4"] = redirect("/tin-tuc/bai-4.html")
    r["/files/bao-cao"] = static(PDF, "application/pdf")
    r["/slow/bai-7.html"] = never_answers
    r["/huge/bai-8.html"] = huge
    r["/private/bao-cao-noi-bo.html"] = static(article(90))
    r["/private/khac.html"] = static(article(91))
    r["/search.php"] = static(article(92))
    r["/tag/cai-cach"] = static(article(93))
    r["/dang-nhap/login"] = static(article(94))
    site.start()
    b = site.base
    r["/sitemap_index.xml"] = static(
        (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/'
         f'schemas/sitemap/0.9"><sitemap><loc>{b}/sitemap-news.xml</loc></sitemap>'
         f'<sitemap><loc>{b}/sitemap-more.xml.gz</loc></sitemap></sitemapindex>').encode(),
        "application/xml")
    r["/sitemap-news.xml"] = static(urlset(b, [
        "/tin-tuc/bai-1.html", "/tin-tuc/bai-2.html", "/tin-tuc/bai-3.html",
        "/private/bao-cao-noi-bo.html", "/old/bai-4", "/files/bao-cao", "/flaky/bai-5.html",
        "/busy/bai-6.html", "/slow/bai-7.html", "/huge/bai-8.html", "/missing/bai-9.html",
        "http://other.example/tin-tuc/x.html"]), "application/xml")
    r["/sitemap-more.xml.gz"] = static(
        gzip.compress(urlset(b, ["/tin-tuc/bai-10.html", "/search.php"])), "application/gzip")
    items = "".join(f"<item><title>t{n}</title><link>{b}{p}</link></item>" for n, p in enumerate(
        ["/tin-tuc/bai-11.html", "/tin-tuc/bai-1.html?utm_source=rss", "/private/khac.html"]))
    r["/rss.xml"] = static(
        (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Tin</title>'
         f'<link>{b}/</link>{items}</channel></rss>').encode(), "application/rss+xml")
    return site
