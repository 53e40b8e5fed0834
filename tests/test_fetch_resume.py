"""The scraper in one go with extract, killed mid-run and resumed, and extract on files
never touching the network.

A subprocess is what can be killed (SIGKILL: no handler runs, no buffer is flushed), and
what a socket guard can be put into: a ``sitecustomize`` on PYTHONPATH that makes every
IP connection fail and writes down who tried, in the process and its workers alike.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import CORPUS
from fetch_site import ARTICLES, Site, article, news_site, static
from test_fetch import FAST, pages, records
from typer.testing import CliRunner

from newsfacts.cli import app

runner = CliRunner()

GUARD = '''
import os, socket
_log = os.environ["NEWSFACTS_TEST_CONNECT_LOG"]
def _refuse(self, address, *args):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        with open(_log, "a") as fh:
            fh.write(f"{os.getpid()} {address}\\n")
        raise OSError("network access is blocked in this test")
    return _connect(self, address, *args)
def _refuse_ex(self, address):
    try:
        _refuse(self, address)
    except OSError:
        return 111
    return 0
_connect = socket.socket.connect
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse_ex
'''


def _guarded_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = tmp_path / "connects.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(guard), os.environ.get("PYTHONPATH", "")]),
           "NEWSFACTS_TEST_CONNECT_LOG": str(log)}
    return env, log


def _newsfacts(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsfacts", *args], capture_output=True,
                          text=True, env=env, timeout=120, **kw)


def test_extract_on_files_never_connects(tmp_path) -> None:
    env, log = _guarded_env(tmp_path)
    site = news_site(crawl_delay=0)
    try:
        # the guard works: a fetch under it tries to connect, and cannot
        blocked = _newsfacts("fetch", site.url(ARTICLES[1]), "-o", str(tmp_path / "x.warc.gz"),
                             "-q", *FAST, env=env)
    finally:
        site.stop()
    assert blocked.returncode == 1 and log.read_text().count("127.0.0.1") >= 1
    assert site.paths() == []
    log.unlink()
    pages_dir = tmp_path / "pages"
    pages_dir.mkdir()
    for i in (1, 2, 3):
        (pages_dir / f"bai-{i}.html").write_bytes(article(i))
    out = tmp_path / "facts.jsonl"
    done = _newsfacts("extract", str(pages_dir), str(CORPUS / "seeds"), "-o", str(out), "--jobs", "2",
                      env=env)
    assert done.returncode == 0, done.stderr
    assert not log.exists(), log.read_text()
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 + len(list((CORPUS / "seeds").glob("*.txt")))


def test_extract_fetches_urls_and_lists_first_and_keeps_the_warc(tmp_path) -> None:
    site = news_site(crawl_delay=0)
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(site.url(ARTICLES[i]) for i in (2, 3)) + "\n", encoding="utf-8")
    kept = tmp_path / "kept.warc.gz"
    try:
        one = runner.invoke(app, ["extract", site.url(ARTICLES[1]), "-q", "-j", "1"])
        listed = runner.invoke(app, ["extract", str(listing), "--fetch", "--keep-warc", str(kept),
                                     "-j", "1"])
    finally:
        site.stop()
    assert one.exit_code == 0, one.output
    [record] = [json.loads(line) for line in one.stdout.splitlines()]
    assert record["source"]["url"] == site.url(ARTICLES[1])
    assert [f["kind"] for f in record["facts"]] == ["score", "rank", "procedure_count"]
    assert listed.exit_code == 0, listed.output
    got = [json.loads(line) for line in listed.stdout.splitlines()]
    assert sorted(r["doc_id"] for r in got) == ["bai-2", "bai-3"]
    assert "fetched 2 pages" in listed.stderr
    assert sorted(pages(kept)) == sorted(site.url(ARTICLES[i]) for i in (2, 3))


def test_extract_without_urls_refuses_keep_warc(tmp_path) -> None:
    page = tmp_path / "a.html"
    page.write_bytes(article(1))
    result = runner.invoke(app, ["extract", str(page), "--keep-warc", str(tmp_path / "k.warc.gz")])
    assert result.exit_code == 2 and "--keep-warc needs URLs" in result.stderr


def _slow_site(n: int) -> Site:
    site = Site(robots="User-agent: *\nCrawl-delay: 0.1\n")
    for i in range(n):
        site.routes[f"/tin/bai-{i}.html"] = static(article(i), sleep=0.05)
    return site.start()


def _held_pages(warc: Path) -> int:
    try:
        return len(pages(warc))
    except Exception:  # a record being written
        return 0


def test_a_killed_fetch_resumes_into_a_warc_with_every_page_once(tmp_path) -> None:
    n = 24
    site = _slow_site(n)
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(site.url(f"/tin/bai-{i}.html") for i in range(n)), encoding="utf-8")
    warc, errors = tmp_path / "crawl.warc.gz", tmp_path / "errors.jsonl"
    args = ["fetch", str(listing), "-o", str(warc), "--errors", str(errors), "-q", "--delay", "0"]
    try:
        proc = subprocess.Popen([sys.executable, "-m", "newsfacts", *args],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60  # hang guard
        while _held_pages(warc) < 5 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stderr.close()  # type: ignore[union-attr]
        before = pages(warc)  # the killed run's WARC reads whole
        assert 5 <= len(before) < n
        asked_before = site.paths().count
        again = _newsfacts(*args, "--resume")
    finally:
        site.stop()
    assert again.returncode == 0, again.stderr
    after = pages(warc)
    assert sorted(after) == sorted(site.url(f"/tin/bai-{i}.html") for i in range(n))
    assert len(after) == len(set(after))
    for url in before:  # what the WARC held was not asked again
        assert site.paths().count(url.removeprefix(site.base)) == asked_before(url.removeprefix(site.base)) == 1
    kinds = [r["type"] for r in records(warc)]
    assert kinds.count("response") == kinds.count("request") == n
