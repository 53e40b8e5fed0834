"""Issue 13's "Done when", case by case through the command line: the good documents
around a bad one are all written, the bad one is in ``--errors`` with its reason, and
the run ends with its documented exit code (3 with ``--strict``, 0 without).

The readers' own tests (test_hostile_inputs.py) look at what ``iter_documents`` yields;
these run the same generated inputs end to end.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from test_hostile_inputs import GOOD, _gzip_stream, _jsonl, _page, _warc, _warc_record
from typer.testing import CliRunner

from newsfacts.charsets import MAX_PAGE_BYTES
from newsfacts.cli import app
from newsfacts.ingest import MAX_LINE_BYTES

# A case: build its input under a folder, return (path to extract, good doc_ids, reason).
Case = Callable[[Path], tuple[Path, list[str], str]]


def _jsonl_text_over_the_page_limit(tmp: Path) -> tuple[Path, list[str], str]:
    src = tmp / "in.jsonl"
    _jsonl(src, [json.dumps({"doc_id": "g1", "text": GOOD}),
                 json.dumps({"doc_id": "big", "text": "a " * (MAX_PAGE_BYTES // 2 + 1)}),
                 json.dumps({"doc_id": "g2", "text": GOOD})])
    return src, ["g1", "g2"], "page limit"


def _jsonl_gz_one_line_bomb(tmp: Path) -> tuple[Path, list[str], str]:
    src = tmp / "in.jsonl.gz"
    pad = b"a" * (1 << 20)
    _gzip_stream(src, [json.dumps({"doc_id": "g1", "text": GOOD}).encode() + b"\n",
                       b'{"doc_id": "bomb", "pad": "', (pad, MAX_LINE_BYTES // len(pad) + 2),
                       b'"}\n', json.dumps({"doc_id": "g2", "text": GOOD}).encode() + b"\n"])
    return src, ["g1", "g2"], "line limit"


def _warc_garbled_header(tmp: Path) -> tuple[Path, list[str], str]:
    src = tmp / "a.warc.gz"
    src.write_bytes(_warc(True, spoil=1)[0])
    return src, ["tin-0", "tin-2", "tin-3"], "offset"


def _warc_gzip_bomb(tmp: Path) -> tuple[Path, list[str], str]:
    """A response body declared gzip that inflates past the page limit."""
    import gzip

    src = tmp / "bomb.warc.gz"
    body = tmp / "body.gz"
    _gzip_stream(body, [b"<html><body><p>", (b"a" * (1 << 20), MAX_PAGE_BYTES // (1 << 20) + 2)])
    with src.open("wb") as fh:
        fh.write(_warc_record("https://baomau.vn/tin-0.html", _page(0), True))
        fh.write(gzip.compress(_warc_record("https://baomau.vn/bomb.html", body.read_bytes(),
                                            False, "gzip")))
        fh.write(_warc_record("https://baomau.vn/tin-1.html", _page(1), True))
    return src, ["tin-0", "tin-1"], "page limit"


def _too_many_figures(tmp: Path) -> tuple[Path, list[str], str]:
    folder = tmp / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b.txt").write_text(" ".join(f"Tỉnh đạt {50 + i % 40},5 điểm." for i in range(10_001)),
                                  encoding="utf-8")
    (folder / "c.txt").write_text(GOOD, encoding="utf-8")
    return folder, ["a", "c"], "over the limit of 10,000 per document"


def _socket_in_folder(tmp: Path) -> tuple[Path, list[str], str]:
    folder = tmp / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(folder / "b.txt"))  # stays bound while the run reads the folder
    _KEEP.append(server)
    (folder / "c.txt").write_text(GOOD, encoding="utf-8")
    return folder, ["a", "c"], "a socket, not a regular file; skipped"


def _device_in_folder(tmp: Path) -> tuple[Path, list[str], str]:
    """A link to /dev/zero, which never ends: read, it would fill the page limit for nothing."""
    folder = tmp / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    os.symlink("/dev/zero", folder / "b.txt")
    (folder / "c.txt").write_text(GOOD, encoding="utf-8")
    return folder, ["a", "c"], "a device, not a regular file; skipped"


_KEEP: list[socket.socket] = []

CASES: dict[str, Case] = {
    "jsonl text over the page limit": _jsonl_text_over_the_page_limit,
    "jsonl.gz one-line bomb": _jsonl_gz_one_line_bomb,
    "warc garbled header": _warc_garbled_header,
    "warc gzip bomb": _warc_gzip_bomb,
    "more figures than the default limit": _too_many_figures,
    "a socket in an input folder": _socket_in_folder,
    "a device in an input folder": _device_in_folder,
}


@pytest.fixture
def keep_open() -> object:
    """Sockets a case binds stay open for the run and are closed after it, pass or fail."""
    yield
    while _KEEP:
        _KEEP.pop().close()


@pytest.mark.parametrize("case", list(CASES))
def test_the_good_documents_around_a_bad_one_are_written(tmp_path: Path, case: str,
                                                         keep_open: object) -> None:
    if ("socket" in case and not hasattr(socket, "AF_UNIX")) or \
            ("device" in case and not Path("/dev/zero").exists()):
        pytest.skip("no Unix sockets or /dev/zero here")
    src, good, reason = CASES[case](tmp_path)
    out, errs = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = CliRunner().invoke(app, ["extract", "-q", str(src), "-o", str(out), "--errors", str(errs),
                                      "--strict"])
    assert result.exit_code == 3, result.stderr  # finished, one document failed
    written = [json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert written == good
    (err,) = [json.loads(line) for line in errs.read_text(encoding="utf-8").splitlines()]
    assert reason in err["error"] and err["stage"]
