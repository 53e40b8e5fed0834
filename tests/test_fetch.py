"""newsfacts fetch against a news site on 127.0.0.1 (tests/fetch_site.py): what the WARC
holds, what was never asked, the delays between requests, the errors file, and extract
on the WARC giving what it gives on the same pages as files.

One crawl of the site (about 6 s: 22 requests 0.2 s apart) is shared by the tests of this
module; the others start their own small sites.
"""

from __future__ import annotations

import gzip
import json
from itertools import pairwise
from pathlib import Path

import pytest
from fetch_site import ARTICLE_LINKS, ARTICLES, Site, article, news_site, static
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from newsfacts.cli import app

runner = CliRunner()
FAST = ["--timeout", "0.5", "--retries", "1", "--backoff", "0.05", "--delay", "0.05"]
KEPT = {1, 2, 3, 4, 5, 6, 10, 11, 12}  # the pages a polite crawler may keep
TOLERANCE = 0.05  # seconds: arrival times are read in server threads a busy machine may delay


def records(warc: Path) -> list[dict]:
    out = []
    with warc.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            out.append({"type": rec.rec_type, "url": rec.rec_headers.get_header("WARC-Target-URI"),
                        "id": rec.rec_headers.get_header("WARC-Record-ID"),
                        "to": rec.rec_headers.get_header("WARC-Concurrent-To"),
                        "status": int(rec.http_headers.get_statuscode())
                        if rec.rec_type == "response" else None,
                        "ctype": rec.http_headers.get_header("Content-Type")
                        if rec.rec_type == "response" else None,
                        "request": rec.http_headers.protocol if rec.rec_type == "request" else None,
                        "body": rec.content_stream().read()})
    return out


def pages(warc: Path) -> list[str]:
    return [r["url"] for r in records(warc) if r["type"] == "response" and r["status"] == 200]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    site = news_site(crawl_delay=0.2)
    out = tmp_path_factory.mktemp("crawl")
    warc, errors = out / "crawl.warc.gz", out / "errors.jsonl"
    try:
        result = runner.invoke(app, ["fetch", "-o", str(warc), "--errors", str(errors),
                                     "--sitemap", site.url("/"), "--feed", site.url("/rss.xml"),
                                     "--follow", "1", "--stats", str(out / "stats.json"), *FAST])
    finally:
        site.stop()
    return site, warc, errors, result


def test_the_warc_holds_each_allowed_html_page_once_with_its_request(crawl) -> None:
    site, warc, _, result = crawl
    assert result.exit_code == 0, result.output
    recs = records(warc)
    kept = pages(warc)
    assert sorted(kept) == sorted(site.url(ARTICLES[i]) for i in KEPT)
    assert len(kept) == len(set(kept))
    responses = {r["id"]: r for r in recs if r["type"] == "response"}
    requests = [r for r in recs if r["type"] == "request"]
    assert sorted(r["to"] for r in requests) == sorted(responses)  # each with its request
    for req in requests:
        assert req["url"] == responses[req["to"]]["url"]
    statuses = sorted((r["url"], r["status"]) for r in responses.values() if r["status"] != 200)
    assert statuses == [(site.url("/old/bai-4"), 301)]  # the redirect, recorded before its page
    for r in responses.values():
        if r["status"] == 200:
            assert r["ctype"].startswith("text/html")
            number = next(i for i, p in ARTICLES.items() if site.url(p) == r["url"])
            assert r["body"] == article(number, ("/tin-tuc/bai-13.html",) if number == 12 else ARTICLE_LINKS)
    assert recs[0]["type"] == "warcinfo"


def test_forbidden_and_unwanted_paths_are_never_requested(crawl) -> None:
    site, *_ = crawl
    asked = site.paths()
    assert asked[0] == "/robots.txt" and asked.count("/robots.txt") == 1
    assert not [p for p in asked if p.startswith("/private/") or p.endswith(".php")]
    # links that are not articles, and links two deep with --follow 1
    assert not {"/tag/cai-cach", "/dang-nhap/login", "/", "/tin-tuc/bai-13.html"} & set(asked)
    assert asked.count("/tin-tuc/bai-1.html") == 1  # in the sitemap, and in the feed as ?utm_source=


def test_requests_to_the_site_keep_robots_crawl_delay_and_retry_after(crawl) -> None:
    site, *_ = crawl
    times = [h.at for h in site.hits]
    gaps = [b - a for a, b in pairwise(times)]
    assert min(gaps) >= 0.2 - TOLERANCE, gaps  # Crawl-delay 0.2 beats --delay 0.05
    busy = [h.at for h in site.hits if h.path == ARTICLES[6]]
    assert len(busy) == 2 and busy[1] - busy[0] >= 1.0 - TOLERANCE  # Retry-After: 1
    flaky = [h.path for h in site.hits].count(ARTICLES[5])
    assert flaky == 2  # the 500, then the page


def test_every_failure_is_in_the_errors_file_with_its_reason(crawl) -> None:
    site, _, errors, result = crawl
    lines = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    got = {line["url"]: line["reason"] for line in lines}
    assert got == {
        site.url("/private/bao-cao-noi-bo.html"): "robots",
        site.url("/private/khac.html"): "robots",
        site.url("/search.php"): "robots",
        site.url("/files/bao-cao"): "not-html",
        site.url("/slow/bai-7.html"): "timeout",
        site.url("/huge/bai-8.html"): "too-large",
        site.url("/missing/bai-9.html"): "http",
    }
    by_url = {line["url"]: line for line in lines}
    assert by_url[site.url("/missing/bai-9.html")]["status"] == 404
    assert by_url[site.url("/slow/bai-7.html")]["attempts"] == 2
    assert "application/pdf" in by_url[site.url("/files/bao-cao")]["detail"]
    stats = json.loads((errors.parent / "stats.json").read_text())
    assert (stats["pages"], stats["redirects"], stats["robots_skipped"], stats["sitemaps"],
            stats["feeds"], stats["off_site"]) == (9, 1, 3, 3, 1, 1)
    assert stats["failed"] == {"http": 1, "not-html": 1, "timeout": 1, "too-large": 1}
    summary = result.stderr
    assert "fetched 9 pages" in summary and "3 skipped by robots.txt" in summary
    assert "4 failed (1 http, 1 not-html, 1 timeout, 1 too-large)" in summary


def test_the_user_agent_names_newsfacts_and_its_version(crawl) -> None:
    import newsfacts

    site, *_ = crawl
    agents = {h.headers.get("User-Agent") for h in site.hits}
    assert len(agents) == 1
    assert agents.pop().startswith(f"newsfacts/{newsfacts.__version__} ")


def test_extract_on_the_warc_gives_the_facts_it_gives_on_the_pages_as_files(crawl, tmp_path) -> None:
    _, warc, *_ = crawl
    folder = tmp_path / "pages"
    folder.mkdir()
    for rec in records(warc):
        if rec["type"] == "response" and rec["status"] == 200:
            (folder / (rec["url"].rsplit("/", 1)[1].removesuffix(".html") + ".html")).write_bytes(rec["body"])
    from_warc = runner.invoke(app, ["extract", str(warc), "-q"])
    from_files = runner.invoke(app, ["extract", str(folder), "-q"])
    assert from_warc.exit_code == from_files.exit_code == 0

    def facts(stdout: str) -> dict[str, list]:
        out = {}
        for line in stdout.splitlines():
            rec = json.loads(line)
            # the same facts; their ids differ, as a fact's id names where its article came from
            out[rec["doc_id"]] = [{k: v for k, v in f.items() if k != "fact_id"} for f in rec["facts"]]
        return out

    a, b = facts(from_warc.stdout), facts(from_files.stdout)
    assert sorted(a) == sorted(b) == sorted(f"bai-{i}" for i in KEPT)
    assert a == b
    assert all(len(f) == 3 for f in a.values())  # score, rank, procedure count


def test_per_host_and_global_limits_hold_requests_in_flight(tmp_path) -> None:
    for per_host, concurrency, expected in ((2, 8, 2), (3, 1, 1)):
        site = Site(robots="User-agent: *\nAllow: /\n")
        for i in range(6):
            site.routes[f"/a/bai-{i}.html"] = static(article(i), sleep=0.15)
        site.start()
        try:
            result = runner.invoke(app, [
                "fetch", *[site.url(f"/a/bai-{i}.html") for i in range(6)], "-o",
                str(tmp_path / f"{per_host}.warc.gz"), "--delay", "0", "--per-host", str(per_host),
                "--concurrency", str(concurrency), "-q"])
        finally:
            site.stop()
        assert result.exit_code == 0, result.output
        assert site.max_in_flight == expected
        assert len(pages(tmp_path / f"{per_host}.warc.gz")) == 6


def test_a_retry_after_over_the_limit_fails_the_url_at_once(tmp_path) -> None:
    site = news_site(crawl_delay=0, retry_after=3600)
    try:
        result = runner.invoke(app, ["fetch", site.url(ARTICLES[6]), site.url(ARTICLES[1]),
                                     "-o", str(tmp_path / "c.warc.gz"), "--errors",
                                     str(tmp_path / "e.jsonl"), "-q", *FAST])
    finally:
        site.stop()
    assert result.exit_code == 0
    line = json.loads((tmp_path / "e.jsonl").read_text())
    assert line["reason"] == "rate-limited" and "3600" in line["detail"]
    assert site.paths().count(ARTICLES[6]) == 1
    assert pages(tmp_path / "c.warc.gz") == [site.url(ARTICLES[1])]


def test_a_robots_txt_that_fails_forbids_the_host(tmp_path) -> None:
    site = Site(routes={"/robots.txt": static(b"down", "text/plain", status=503),
                        "/a/bai-1.html": static(article(1))})
    site.start()
    try:
        result = runner.invoke(app, ["fetch", site.url("/a/bai-1.html"), "-o",
                                     str(tmp_path / "c.warc.gz"), "--errors", str(tmp_path / "e.jsonl"),
                                     *FAST])
    finally:
        site.stop()
    assert result.exit_code == 1  # nothing fetched
    assert site.paths() == ["/robots.txt", "/robots.txt"]  # asked, retried, then left alone
    assert json.loads((tmp_path / "e.jsonl").read_text())["reason"] == "robots-unavailable"


def test_url_lists_are_read_and_bad_lines_reported(tmp_path) -> None:
    site = news_site(crawl_delay=0)
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# articles\n{site.url(ARTICLES[1])}\n\nnot a url\n{site.url(ARTICLES[2])}#top\n",
                       encoding="utf-8")
    try:
        result = runner.invoke(app, ["fetch", str(listing), "-o", str(tmp_path / "c.warc.gz"),
                                     "--errors", str(tmp_path / "e.jsonl"), *FAST])
    finally:
        site.stop()
    assert result.exit_code == 0, result.output
    assert sorted(pages(tmp_path / "c.warc.gz")) == [site.url(ARTICLES[1]), site.url(ARTICLES[2])]
    assert json.loads((tmp_path / "e.jsonl").read_text()) | {"at": None} == {
        "url": "not a url", "reason": "invalid-url", "detail": "not an http(s) URL", "status": None,
        "attempts": 1, "via": [], "at": None}


@pytest.mark.parametrize("args, message", [
    (["-o", "x.warc.gz"], "nothing to fetch"),
    (["http://127.0.0.1:9/a", "-o", "x.jsonl"], "must end in .warc.gz"),
    (["no-such-list.txt", "-o", "x.warc.gz"], "neither an http(s) URL nor a file"),
    (["http://127.0.0.1:9/a", "-o", "x.warc.gz", "--per-host", "0"], "--per-host must be above 0"),
])
def test_bad_arguments_exit_2_with_what_to_fix(args, message, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["fetch", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_resume_cuts_a_torn_record_and_skips_what_the_warc_holds(tmp_path) -> None:
    site = news_site(crawl_delay=0)
    warc = tmp_path / "c.warc.gz"
    first = [site.url(ARTICLES[i]) for i in (1, 2)]
    try:
        assert runner.invoke(app, ["fetch", *first, "-o", str(warc), "-q", *FAST]).exit_code == 0
        whole = warc.stat().st_size
        # a third page's unit, cut in its middle as a kill inside the write would leave it
        torn = gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + b"x" * 5000)
        with warc.open("ab") as fh:
            fh.write(torn[: len(torn) // 2])
        result = runner.invoke(app, ["fetch", *first, site.url(ARTICLES[3]), "-o", str(warc),
                                     "--resume", *FAST])
    finally:
        site.stop()
    assert result.exit_code == 0, result.output
    assert "cut" in result.stderr and "torn" in result.stderr
    assert "2 already in the WARC" in result.stderr
    assert sorted(pages(warc)) == sorted([*first, site.url(ARTICLES[3])])
    assert site.paths().count(ARTICLES[1]) == 1
    assert warc.stat().st_size > whole


def test_limit_stops_at_n_pages_and_resume_follows_the_links_of_pages_already_held(tmp_path) -> None:
    site = news_site(crawl_delay=0)
    warc = tmp_path / "c.warc.gz"
    seeds = [site.url(ARTICLES[1]), site.url(ARTICLES[2])]
    try:
        first = runner.invoke(app, ["fetch", *seeds, "-o", str(warc), "--limit", "1", "-q", *FAST])
        held = pages(warc)
        again = runner.invoke(app, ["fetch", *seeds, "-o", str(warc), "--resume", "--follow", "1",
                                    "-q", *FAST])
    finally:
        site.stop()
    assert first.exit_code == 0 and again.exit_code == 0, again.output
    assert held == [seeds[0]]
    # bai-12 is linked from both; bai-1's links were read back from the WARC
    assert sorted(pages(warc)) == sorted([*seeds, site.url(ARTICLES[12])])
    assert site.paths().count(ARTICLES[1]) == 1
