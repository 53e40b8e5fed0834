"""The WARC the crawler writes, and what an earlier run left in it.

warcio writes the records (it computes the block and payload digests and pairs each
request with its response through ``WARC-Concurrent-To``), each record its own gzip
member, as crawlers write them and as readers (FastWARC, warcio, pywb) expect. A page is
one *unit*: the response and request of every redirect hop, then the page's response and
request. A unit is built in memory and appended with one ``write`` on a file opened
``O_APPEND``, so a run killed at any moment leaves whole units, except when the kill
lands inside that one write.

That case is what :meth:`WarcSink.open` repairs on ``--resume``: it walks the gzip
members, keeps what ends in a whole unit (a request record right after a 2xx response,
or a warcinfo record) and cuts the rest, so the file holds whole records only. It also
returns the URLs already held, which the crawler then skips.
"""

from __future__ import annotations

import io
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from ..version import package_version
from .client import Exchange
from .options import FetchError
from .urls import normalize

_HEAD_LIMIT = 1 << 16  # WARC and HTTP headers are read from this much of a record
_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_STATUS = re.compile(rb"^HTTP/\d(?:\.\d)?\s+(\d{3})")


@dataclass
class Held:
    """What a WARC already holds: URLs of kept pages (with the record's offset, to read it
    again), URLs of redirects, and how many torn bytes were cut from its end."""

    pages: dict[str, int] = field(default_factory=dict)
    redirects: set[str] = field(default_factory=set)
    torn_bytes: int = 0


@dataclass
class _Record:
    offset: int
    end: int
    warc_type: str
    url: str
    status: int | None
    ours: bool = False  # a warcinfo record that newsfacts wrote


def _headers(block: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in block.split(b"\r\n")[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            out[name.strip().decode("latin-1").lower()] = value.strip().decode("utf-8", "replace")
    return out


def _parse_head(head: bytes, offset: int, end: int) -> _Record | None:
    split = head.find(b"\r\n\r\n")
    if not head.startswith(b"WARC/") or split < 0:
        return None
    warc = _headers(head[:split])
    status = None
    if warc.get("warc-type") == "response":
        m = _STATUS.match(head[split + 4:split + 64])
        status = int(m.group(1)) if m else None
    kind = warc.get("warc-type", "")
    ours = kind == "warcinfo" and b"\r\nsoftware: newsfacts/" in head[split:]
    return _Record(offset, end, kind, warc.get("warc-target-uri", ""), status, ours)


def _gzip_records(fh: BinaryIO) -> Iterator[_Record]:
    """Each whole gzip member of the file as a record; stops at the first torn one.
    Only the first 64 KiB of each member are kept inflated: enough for its headers."""
    fh.seek(0)
    buf, offset = b"", 0
    while True:
        buf = buf or fh.read(_CHUNK)
        if not buf:
            return
        start, head = offset, bytearray()
        inflate = zlib.decompressobj(wbits=31)
        while True:
            try:
                out = inflate.decompress(buf, _CHUNK)
                while not out and not inflate.eof and not inflate.unconsumed_tail:
                    out = inflate.decompress(b"", _CHUNK)  # output zlib still holds
                    if not out:
                        break
            except zlib.error:
                return
            head += out[: max(0, _HEAD_LIMIT - len(head))]
            offset += len(buf) - len(inflate.unconsumed_tail) - len(inflate.unused_data)
            if inflate.eof:
                buf = inflate.unused_data
                break
            buf = inflate.unconsumed_tail or fh.read(_CHUNK)
            if not buf:
                return  # the last member is torn
        record = _parse_head(bytes(head), start, offset)
        if record is None:
            return
        yield record


def _plain_records(fh: BinaryIO) -> Iterator[_Record]:
    """Records of an uncompressed WARC, framed by their Content-Length."""
    fh.seek(0)
    offset = 0
    while True:
        fh.seek(offset)
        head = fh.read(_HEAD_LIMIT)
        if not head:
            return
        split = head.find(b"\r\n\r\n")
        if split < 0:
            return
        length = _headers(head[:split]).get("content-length", "")
        if not length.isdigit():
            return
        end = offset + split + 4 + int(length) + 4
        fh.seek(end - 4)
        if fh.read(4) != b"\r\n\r\n":
            return
        record = _parse_head(head, offset, end)
        if record is None:
            return
        yield record
        offset = end


class WarcSink:
    """The output WARC: ``open`` (repairing and reading it on resume), ``write`` one
    unit at a time, ``close``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.gzip = path.name.lower().endswith(".gz")
        self._fd: int | None = None

    def open(self, resume: bool, info: dict[str, Any]) -> Held:
        held = Held()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if resume and self.path.exists():
                held = self._repair()
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if resume else os.O_TRUNC)
            self._fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            raise FetchError(f"{self.path}: cannot write the WARC: {exc}") from None
        self._write([self._warcinfo(info)])
        return held

    def _repair(self) -> Held:
        """Cut what follows the last whole unit; the URLs before it are held."""
        held = Held()
        with open(self.path, "rb") as fh:
            if self.gzip and fh.read(2) not in (_GZIP_MAGIC, b""):
                raise FetchError(f"cannot resume {self.path}: it is not a gzipped WARC")
            size = fh.seek(0, os.SEEK_END)
            records = list(_gzip_records(fh) if self.gzip else _plain_records(fh))
        # units are newsfacts' own order: a WARC another crawler wrote loses torn bytes only
        ours = bool(records) and records[0].ours
        safe = 0
        for i, rec in enumerate(records):
            before = records[i - 1] if i else None
            if rec.warc_type == "warcinfo" or not ours:
                safe = rec.end
            elif (rec.warc_type == "request" and before is not None
                  and before.warc_type == "response" and before.status is not None
                  and not 300 <= before.status < 400):
                safe = rec.end  # a unit ends with its page's request
        for rec in records:
            if rec.end > safe:
                break
            if rec.warc_type != "response" or rec.status is None:
                continue
            url = normalize(rec.url) or rec.url  # another crawler's spelling, as the crawl spells it
            if 200 <= rec.status < 300:
                held.pages.setdefault(url, rec.offset)
            elif 300 <= rec.status < 400:
                held.redirects.add(url)
        if safe < size:
            with open(self.path, "r+b") as fh:
                fh.truncate(safe)
            held.torn_bytes = size - safe
        return held

    def _warcinfo(self, info: dict[str, Any]) -> bytes:
        from warcio.warcwriter import WARCWriter

        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=self.gzip, warc_version="1.1")
        fields = {"software": f"newsfacts/{package_version()} (httpx, warcio)",
                  "format": "WARC File Format 1.1", **{k: str(v) for k, v in info.items()}}
        writer.write_record(writer.create_warcinfo_record(self.path.name, fields))
        return buf.getvalue()

    def unit(self, chain: list[Exchange]) -> bytes:
        """The records of one page: every hop's response then request, in order."""
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=self.gzip, warc_version="1.1")
        for ex in chain:
            parts = urlsplit(ex.url)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            req_head = StatusAndHeaders(f"GET {target} {ex.http_version}", ex.request_headers,
                                        is_http_request=True)
            # lengths given, or warcio spools each payload to a temporary file to count it
            request = writer.create_warc_record(ex.url, "request", payload=io.BytesIO(b""),
                                                length=0, http_headers=req_head)
            # the body is kept de-chunked: its Transfer-Encoding no longer says how it is framed
            headers = [(k, v) for k, v in ex.headers if k.lower() != "transfer-encoding"]
            resp_head = StatusAndHeaders(f"{ex.status} {ex.reason}".strip(), headers,
                                         protocol=ex.http_version)
            warc_headers = {"WARC-Date": ex.date}
            if ex.ip:
                warc_headers["WARC-IP-Address"] = ex.ip
            response = writer.create_warc_record(ex.url, "response", payload=io.BytesIO(ex.body),
                                                 length=len(ex.body), http_headers=resp_head,
                                                 warc_headers_dict=warc_headers)
            writer.write_request_response_pair(request, response)
        return buf.getvalue()

    def write(self, chain: list[Exchange]) -> int:
        """Append one page's unit; the number of bytes written."""
        return self._write([self.unit(chain)])

    def _write(self, blobs: list[bytes]) -> int:
        data = memoryview(b"".join(blobs))
        assert self._fd is not None, "WarcSink.open first"
        total = len(data)
        while data:
            n = os.write(self._fd, data)
            data = data[n:]
        return total

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def read_page(self, offset: int) -> tuple[str, bytes, str | None] | None:
        """The URL, body (Content-Encoding undone) and Content-Type of the response record at
        ``offset``: the links of a page fetched by an earlier run, followed on resume."""
        from warcio.archiveiterator import ArchiveIterator

        with open(self.path, "rb") as fh:
            fh.seek(offset)
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    return None
                ctype = record.http_headers.get_header("Content-Type") if record.http_headers else None
                return (record.rec_headers.get_header("WARC-Target-URI"),
                        record.content_stream().read(), ctype)
        return None
