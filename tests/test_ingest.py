"""Readers: HTML files, WARC archives, JSON Lines, text, globs, stdin; bad input never stops a run."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfacts.charsets import MAX_PAGE_BYTES
from newsfacts.cli import app
from newsfacts.ingest import (
    Document,
    FileRef,
    ReadError,
    doc_id_from_url,
    iter_documents,
    read_stdin,
)

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "corpus" / "html"
URL = "https://baomau.vn/cai-cach/tin-a-123.html"
BODY = "Năm 2023, tỉnh đạt 88,5 điểm Chỉ số cải cách hành chính, tăng 3 bậc so với năm trước. " * 3
PAGE = f"""<html lang="vi"><head><meta charset="utf-8"><link rel="canonical" href="{URL}">
<meta property="og:site_name" content="Báo Mẫu"></head><body>
<h1>Tỉnh công bố Chỉ số cải cách hành chính năm 2023</h1><div class="time">09:30, 12/03/2024</div>
<div class="content"><p>{BODY}</p><p>{BODY.replace('88,5', '90,1')}</p></div>
<div class="lienquan"><h3>Tin liên quan</h3><a href="/b">Huyện B tăng 7 bậc, đạt 81 điểm năm 2023</a></div>
</body></html>"""


def _chunked(data: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + 500]), data[i:i + 500])
                    for i in range(0, len(data), 500)) + b"0\r\n\r\n"


def write_warc(path: Path, pages: list[tuple[str, bytes, str]], chunk_and_gzip: bool = False) -> None:
    """A crawler-like archive: request records, an image, and the pages as responses."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        png = b"\x89PNG\r\n\x1a\n"
        writer.write_record(writer.create_warc_record(
            "https://baomau.vn/logo.png", "response", payload=io.BytesIO(png), length=len(png),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")))
        get = b"GET / HTTP/1.1\r\nHost: baomau.vn\r\n\r\n"
        for url, body, charset in pages:
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(get), length=len(get)))
            headers = [("Content-Type", f"text/html; charset={charset}")]
            if chunk_and_gzip:
                body = _chunked(gzip.compress(body))
                headers += [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")))


def _records(paths: list[str], tmp_path: Path) -> list[dict]:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["clean", *paths, "--output", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("chunk_and_gzip", [False, True])
def test_same_page_as_file_warc_and_jsonl_gives_the_same_record(tmp_path: Path, chunk_and_gzip: bool) -> None:
    (tmp_path / "tin-a-123.html").write_text(PAGE, encoding="utf-8")
    write_warc(tmp_path / "crawl.warc.gz", [(URL, PAGE.encode(), "utf-8")], chunk_and_gzip)
    (tmp_path / "export.jsonl").write_text(json.dumps({"url": URL, "html": PAGE}) + "\n", encoding="utf-8")
    records = _records([str(tmp_path / n) for n in ("tin-a-123.html", "crawl.warc.gz", "export.jsonl")],
                       tmp_path)
    assert len(records) == 3
    sources = [r.pop("source") for r in records]
    assert records[0] == records[1] == records[2]
    assert records[0]["doc_id"] == "tin-a-123" and records[0]["url"] == URL
    assert records[0]["published"] == "2024-03-12T09:30:00+07:00"
    assert "88,5" in records[0]["text"] and "81 điểm" not in records[0]["text"]
    assert sources[1] == {"path": str(tmp_path / "crawl.warc.gz"), "url": URL, "record": 2}
    assert sources[2] == {"path": str(tmp_path / "export.jsonl"), "url": URL, "record": 0}


def test_every_fixture_reads_the_same_from_a_warc_and_a_jsonl(tmp_path: Path) -> None:
    """Also the Windows-1258 page, whose charset arrives in the HTTP header of the WARC.

    ``url`` and ``site`` are left out: a bare file without a canonical link has none, while
    the archive knows the URL it was fetched from (and so its host).
    """
    pages = sorted(HTML.glob("*.html"))
    docs = [d for d in iter_documents(pages) if isinstance(d, Document)]
    warc_pages, lines = [], []
    for page, doc in zip(pages, docs, strict=False):
        url = f"https://example.vn/tin/{page.name}"
        charset = "windows-1258" if b"windows-1258" in page.read_bytes()[:300] else "utf-8"
        warc_pages.append((url, page.read_bytes(), charset))
        lines.append(json.dumps({"url": url, "html": doc.html}, ensure_ascii=False))
    write_warc(tmp_path / "all.warc.gz", warc_pages)
    (tmp_path / "all.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    keep = ("doc_id", "title", "published", "author", "language", "text", "warnings")
    by_file = [{k: r[k] for k in keep} for r in _records([str(HTML)], tmp_path)]
    for container in ("all.warc.gz", "all.jsonl"):
        got = [{k: r[k] for k in keep} for r in _records([str(tmp_path / container)], tmp_path)]
        assert got == by_file


def test_truncated_gzip_html_is_a_clear_error(tmp_path: Path) -> None:
    data = gzip.compress(PAGE.encode())
    (tmp_path / "cut.html.gz").write_bytes(data[: len(data) // 2])
    (item,) = list(iter_documents([tmp_path / "cut.html.gz"]))
    assert isinstance(item, ReadError) and "gzip" in item.error


def test_gzip_files_read_like_gzip_module_reads_them(tmp_path: Path) -> None:
    """Members one after another and zero padding are one page; trailing garbage is an error;
    a page over the limit is refused without inflating the rest of it."""
    half = len(PAGE) // 2
    (tmp_path / "members.html.gz").write_bytes(
        gzip.compress(PAGE[:half].encode()) + gzip.compress(PAGE[half:].encode()))
    (tmp_path / "padded.html.gz").write_bytes(gzip.compress(PAGE.encode()) + b"\x00" * 64)
    (tmp_path / "garbage.html.gz").write_bytes(gzip.compress(PAGE.encode()) + b"<html>")
    (tmp_path / "bomb.html.gz").write_bytes(gzip.compress(b" " * (MAX_PAGE_BYTES + 1)))
    items = {i.doc_id: i for i in iter_documents([tmp_path])}
    for name in ("members", "padded"):
        doc = items[name]
        assert isinstance(doc, Document) and doc.html == PAGE
    assert isinstance(items["garbage"], ReadError) and "gzip" in items["garbage"].error
    assert isinstance(items["bomb"], ReadError) and "limit" in items["bomb"].error


def test_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    pages = [(f"https://baomau.vn/tin-{i}.html", PAGE.replace("88,5", f"8{i},5").encode(), "utf-8")
             for i in range(5)]
    write_warc(tmp_path / "full.warc.gz", pages)
    data = (tmp_path / "full.warc.gz").read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[: int(len(data) * 0.8)])
    items = list(iter_documents([tmp_path / "cut.warc.gz"]))
    docs = [i for i in items if isinstance(i, Document)]
    assert [d.doc_id for d in docs] == [f"tin-{i}" for i in range(len(docs))] and len(docs) >= 3
    assert isinstance(items[-1], ReadError) and "truncated" in items[-1].error


def test_truncated_jsonl_gz_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"doc_id": f"d{i}", "text": BODY * 20 + str(i)}) + "\n" for i in range(40))
    data = gzip.compress(lines.encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = list(iter_documents([tmp_path / "cut.jsonl.gz"]))
    assert all(isinstance(i, Document) for i in items[:-1]) and len(items) > 1
    assert isinstance(items[-1], ReadError) and "gzip" in items[-1].error


def test_jsonl_records_ids_and_bad_lines(tmp_path: Path) -> None:
    rows = [
        json.dumps({"doc_id": "given", "text": BODY, "title": "Tựa đề", "published": "2023-01-02"}),
        "{not json",
        json.dumps({"url": "https://x.vn/a/b/bai-viet.aspx?id=7", "html": PAGE}),
        json.dumps({"html": PAGE}),
        json.dumps({"url": "https://x.vn/c.html"}),
    ]
    (tmp_path / "x.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = list(iter_documents([tmp_path / "x.jsonl"]))
    assert isinstance(items[0], Document) and items[0].doc_id == "given"
    assert items[0].meta == {"title": "Tựa đề", "published": "2023-01-02"}
    assert isinstance(items[1], ReadError) and "invalid JSON" in items[1].error
    assert isinstance(items[2], Document) and items[2].doc_id.startswith("bai-viet-")
    assert isinstance(items[3], Document) and len(items[3].doc_id) == 16  # a hash of the content
    assert isinstance(items[4], ReadError) and items[4].doc_id == "c"


def test_doc_id_from_url() -> None:
    assert doc_id_from_url("https://baohatinh.vn/vi-sao-post264231.html") == "vi-sao-post264231"
    assert doc_id_from_url("https://x.vn/tin-tuc/bai-a/") == "bai-a"
    assert len(doc_id_from_url("https://x.vn/")) == 16


def test_bad_inputs_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a_good.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b_binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    (tmp_path / "c_empty.html").write_text("<html></html>", encoding="utf-8")
    with (tmp_path / "d_huge.html").open("wb") as fh:
        fh.write(b"<html><body><p>" + b"x" * 50_000_000 + b"</p></body></html>")
    (tmp_path / "e_wrong_charset.html").write_bytes(
        PAGE.replace('charset="utf-8"', 'charset="utf-8"').encode("utf-8").replace(
            b"88,5", "88,5 \xe9t\xe9".encode("latin-1")))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["clean", str(tmp_path), "--output", str(out)])
    assert result.exit_code == 0
    records = {json.loads(line)["doc_id"]: json.loads(line) for line in out.read_text().splitlines()}
    assert set(records) == {"a_good", "e_wrong_charset"}
    # two stray Latin-1 bytes in a page otherwise UTF-8: it stays UTF-8, and says so
    assert any("invalid byte" in w for w in records["e_wrong_charset"]["warnings"])
    assert f"skipped {tmp_path / 'b_binary.html'}: PNG image" in result.output  # by its path
    assert "c_empty.html: not an HTML page, or the page has no <body>" in result.output
    assert "d_huge.html: over the 20 MB page limit" in result.output


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    (tmp_path / "x.html").write_bytes(b"%PDF-1.4 not a page")
    result = CliRunner().invoke(app, ["clean", str(tmp_path / "x.html")])
    assert result.exit_code == 1


def test_globs_and_stdin(tmp_path: Path) -> None:
    for name in ("a.html", "b.htm", "c.txt"):
        (tmp_path / name).write_text(PAGE if name != "c.txt" else BODY, encoding="utf-8")
    items = list(iter_documents([str(tmp_path / "*.htm*")]))
    assert [i.doc_id for i in items] == ["a", "b"]
    assert isinstance(next(iter_documents([str(tmp_path / "none*.html")])), ReadError)
    (doc,) = list(read_stdin(io.BytesIO(gzip.compress(PAGE.encode()))))
    assert isinstance(doc, Document) and doc.html and doc.source == {"path": "-"}
    result = CliRunner().invoke(app, ["clean", "-"], input=PAGE.encode())
    assert result.exit_code == 0 and json.loads(result.stdout.splitlines()[0])["url"] == URL


def test_stdin_warc_and_jsonl(tmp_path: Path) -> None:
    write_warc(tmp_path / "s.warc.gz", [(URL, PAGE.encode(), "utf-8")])
    (doc,) = list(read_stdin(io.BytesIO((tmp_path / "s.warc.gz").read_bytes())))
    assert isinstance(doc, Document) and doc.doc_id == "tin-a-123"
    (doc,) = list(read_stdin(io.BytesIO(json.dumps({"doc_id": "j", "text": BODY}).encode())))
    assert isinstance(doc, Document) and doc.doc_id == "j" and doc.text == BODY


def test_deferred_files_read_as_they_would_up_front(tmp_path: Path) -> None:
    """With defer_files a text or HTML file comes as a FileRef, which reads to the very item
    the reader would have made (archives are still read by the reader)."""
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "c.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "d.txt").write_bytes(b"\x00\x01 binary")
    (tmp_path / "e.jsonl").write_text(json.dumps({"doc_id": "e", "text": BODY}) + "\n", encoding="utf-8")
    eager = list(iter_documents([str(tmp_path)]))
    deferred = list(iter_documents([str(tmp_path)], defer_files=True))
    assert [type(i).__name__ for i in deferred] == ["FileRef"] * 4 + ["Document"]
    for ref, item in zip(deferred, eager, strict=True):
        assert (ref.doc_id, ref.source) == (item.doc_id, item.source)
        assert (ref.read() if isinstance(ref, FileRef) else ref) == item
    assert isinstance(deferred[3], FileRef) and isinstance(deferred[3].read(), ReadError)
    assert deferred[1].size() == (tmp_path / "b.html.gz").stat().st_size


def test_a_deferred_file_gone_before_it_is_read_is_a_read_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (ref,) = iter_documents([str(tmp_path)], defer_files=True)
    (tmp_path / "a.txt").unlink()
    assert isinstance(ref, FileRef) and ref.size() == 0
    got = ref.read()
    assert isinstance(got, ReadError) and (got.doc_id, got.stage) == ("a", "read")


def test_counting_walks_folders_as_reading_does(tmp_path: Path) -> None:
    from newsfacts.ingest import count_documents, iter_documents

    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "a.txt").write_text("Bài\n\nMột.\n", encoding="utf-8")
    (tmp_path / ".b.txt").write_text("Bài\n\nHai.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Bài\n\nBa.\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("không đọc", encoding="utf-8")
    inputs = [str(tmp_path), str(tmp_path / "missing.txt"), str(tmp_path / "*.txt")]
    assert count_documents(inputs) == len(list(iter_documents(inputs))) == 3
    assert count_documents([str(tmp_path / "empty-glob-*.txt")]) == 1  # one error record
    assert count_documents(["-"]) is None


def test_reading_a_file_up_to_the_limit_reads_what_read_of_the_limit_reads(tmp_path: Path) -> None:
    """``_read_upto`` asks for the file's size first; it gives what ``read(limit)`` gives."""
    from newsfacts.documents import _read_upto

    for size in (0, 1, 9, 10, 11, 25):
        path = tmp_path / f"f{size}"
        path.write_bytes(bytes(range(size)))
        with path.open("rb") as fh:
            got = _read_upto(fh, 10)
        assert got == bytes(range(size))[:10], size
    assert _read_upto(io.BytesIO(b"abcdef"), 4) == b"abcd"  # no file number: read(limit) itself
