"""Ingest: turn paths into a stream of :class:`Document` items.

Users run newsfacts over what crawlers leave behind: single HTML pages, WARC
archives (wget --warc, Heritrix, browsertrix, Common Crawl), JSON Lines
exports, and plain text. Readers never load a whole archive: each yields
documents one at a time, and a document that cannot be read becomes a
:class:`ReadError` in the stream so that the run goes on, everything read
before it is kept, and the caller decides how to report it.

WARC archives are read with FastWARC: on archives written the way crawlers
write them it read records 2.3x faster than warcio (0.78 s against 1.75 s
for 2,715 responses, 95 MB gzipped), and unlike warcio it also reads a WARC
gzipped as one stream (``gzip file.warc``).
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, overload
from urllib.parse import unquote, urlsplit

from .charsets import MAX_PAGE_BYTES, binary_kind, decode_html, normalize_html_text
from .nesting import deep_nesting_warnings

TEXT_SUFFIXES = (".txt", ".txt.gz")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
_STRIP_SUFFIXES = (".gz", ".html", ".htm", ".xhtml", ".txt", ".jsonl", ".ndjson", ".json", ".warc")
_GZIP_MAGIC = b"\x1f\x8b"
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class Document:
    """A raw article as read: either plain ``text`` or an ``html`` page (decoded, NFC)."""

    doc_id: str
    source: dict[str, object]
    text: str | None = None
    html: str | bytes | None = None
    meta: dict[str, object] = field(default_factory=dict)


@dataclass
class ReadError:
    """A document (or whole input) that could not be read; reported, then skipped."""

    doc_id: str | None
    source: dict[str, object]
    stage: str
    error: str


Item = Document | ReadError


@dataclass(frozen=True)
class FileRef:
    """A one-article file (text or HTML) named but not read yet.

    With ``iter_documents(..., defer_files=True)`` the run's reader yields these, and
    the process that handles the document reads it (:meth:`read`): the workers of a
    process pool then read and decode files in parallel, instead of the parent doing it
    all and pickling every page over to them. ``doc_id`` and ``source`` are what the
    read document will carry, so a run can skip finished documents without reading them.
    """

    path: str

    @property
    def doc_id(self) -> str:
        return doc_id_from_path(self.path)

    @property
    def source(self) -> dict[str, object]:
        return {"path": path_label(self.path)}

    def size(self) -> int:
        """Bytes on disk (0 when the file cannot be stat'ed: reading it will say why)."""
        try:
            return os.stat(self.path).st_size
        except OSError:
            return 0

    def read(self) -> Item:
        """The document, or a ReadError, exactly as reading it up front would give."""
        path = Path(self.path)
        reader = read_html_file if path.name.lower().endswith(HTML_SUFFIXES) else read_text_file
        return reader(path)


def path_label(path: str | os.PathLike[str]) -> str:
    """A path as records and errors name it: always valid UTF-8.

    A file name that is not valid UTF-8 reaches Python as lone surrogates
    (``surrogateescape``), which no UTF-8 output can hold; its bad bytes are written as
    ``\\xNN`` escapes instead, so two such names stay apart and the label stays readable.
    The file itself is still opened by its real name.
    """
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def doc_id_from_path(path: str | os.PathLike[str]) -> str:
    """File name without any extension ("a.html.gz" -> "a"), as the gold files name docs."""
    name = Path(path_label(path)).name
    stripped = True
    while stripped:
        stripped = False
        for suffix in _STRIP_SUFFIXES:
            if name.lower().endswith(suffix) and len(name) > len(suffix):
                name, stripped = name[: -len(suffix)], True
    return name or Path(path).name


def short_hash(data: str | bytes) -> str:
    """Stable id for a document that has no name of its own."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.sha1(raw).hexdigest()[:16]


def doc_id_from_url(url: str) -> str:
    """Last path segment without extension; a query string adds a hash (``news.php?id=7``)."""
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    if not segments:
        return short_hash(url)
    name = segments[-1]
    stem, dot, ext = name.rpartition(".")
    if dot and stem and ext.isalnum() and len(ext) <= 5:
        name = stem
    return f"{name}-{short_hash(url)[:8]}" if parts.query else name


def decode_text_bytes(data: bytes) -> str:
    """Strict UTF-8 (with or without BOM): a wrong guess would corrupt every figure."""
    if b"\x00" in data[:4096]:
        raise ValueError("binary file (NUL bytes), not UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _read_limited(path: Path) -> bytes:
    """The file's bytes (gunzipped by magic, not by name), refusing what is over the page limit."""
    with path.open("rb") as raw:
        gzipped = raw.read(2) == _GZIP_MAGIC
        raw.seek(0)
        data = _gunzip_limited(raw) if gzipped else raw.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise ValueError(f"over the {MAX_PAGE_BYTES // 1_000_000} MB page limit")
    return data


_CHUNK = 1 << 20


def _gunzip_limited(raw: BinaryIO) -> bytes:
    """Up to one byte over the page limit of a gzip file, members one after another.

    zlib in C, a megabyte at a time: ``gzip.GzipFile`` gives the same bytes but reads
    through Python-level buffers, a third of the time of reading a page.
    """
    out = bytearray()
    inflate = zlib.decompressobj(wbits=31)
    pending = b""
    while len(out) <= MAX_PAGE_BYTES:
        chunk = pending or raw.read(_CHUNK)
        if not chunk:
            break
        try:
            out += inflate.decompress(chunk, MAX_PAGE_BYTES + 1 - len(out))
        except zlib.error as exc:
            raise ValueError(f"truncated or corrupt gzip file ({exc})") from None
        pending = inflate.unconsumed_tail
        if inflate.eof:  # a member ends; another may follow (``cat a.gz b.gz``)
            pending = inflate.unused_data or raw.read(_CHUNK)
            if not pending.strip(b"\x00"):  # the end, or zero padding
                return bytes(out)
            inflate = zlib.decompressobj(wbits=31)
    if not inflate.eof and len(out) <= MAX_PAGE_BYTES:
        raise ValueError("truncated or corrupt gzip file (it ends before its end-of-stream marker)")
    return bytes(out)


def read_text_file(path: Path) -> Item:
    source: dict[str, object] = {"path": path_label(path)}
    doc_id = doc_id_from_path(path)
    try:
        text = decode_text_bytes(_read_limited(path))
    except (OSError, ValueError) as exc:
        return ReadError(doc_id, source, "read", str(exc))
    if not text.strip():
        return ReadError(doc_id, source, "read", "empty file")
    return Document(doc_id=doc_id, source=source, text=text)


def html_document(doc_id: str, source: dict[str, object], data: bytes,
                  http_charset: str | None = None, meta: dict[str, object] | None = None) -> Item:
    """One page's bytes to a Document whose ``html`` is decoded text; refuse what is no page."""
    meta = dict(meta or {})
    if not data.strip():
        return ReadError(doc_id, source, "read", "empty page")
    kind = binary_kind(data)
    if kind:
        return ReadError(doc_id, source, "read", f"{kind}, not an HTML page")
    if len(data) > MAX_PAGE_BYTES:
        return ReadError(doc_id, source, "read", f"page of {len(data) / 1e6:.1f} MB is over "
                         f"the {MAX_PAGE_BYTES // 1_000_000} MB limit")
    decoded = decode_html(data, http_charset)
    warnings = decoded.warnings + deep_nesting_warnings(decoded.text)
    if warnings:
        meta["warnings"] = warnings  # webpage.extract_article carries them to the record
    return Document(doc_id=doc_id, source=source, html=decoded.text, meta=meta)


def read_html_file(path: Path) -> Item:
    source: dict[str, object] = {"path": path_label(path)}
    doc_id = doc_id_from_path(path)
    try:
        data = _read_limited(path)
    except (OSError, ValueError) as exc:
        return ReadError(doc_id, source, "read", str(exc))
    return html_document(doc_id, source, data)


# --- WARC ------------------------------------------------------------------------------------
_WARC_HEADS = (b"WARC/1.0\r\n", b"WARC/1.1\r\n")
_GZIP_MEMBER = b"\x1f\x8b\x08"
_CONTENT_LENGTH = re.compile(rb"\r\nContent-Length:[ \t]*(\d+)", re.IGNORECASE)


def read_warc(path: Path | str, stream: BinaryIO | None = None) -> Iterator[Item]:
    """HTML pages from the response and resource records of a WARC file (gzipped or not).

    Each record is checked against its declared length, so an archive cut short
    yields every whole record and then one ReadError for the cut one. A record
    FastWARC cannot read (a garbled header, a wrong length) is one ReadError that
    names its offset in the file; reading then resumes at the next record boundary
    (the next ``WARC/1.x`` line, or the next gzip member of a per-record gzipped
    archive), which FastWARC cannot do by itself: its iterator ends at the first error.
    Standard input cannot seek, so there the first such error still ends the archive.
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    label = path_label(path)
    owned = stream is None
    fh: BinaryIO = open(path, "rb") if stream is None else stream  # noqa: SIM115
    index = -1
    wanted = WarcRecordType.response | WarcRecordType.resource

    def iterate(at: int) -> Any:
        if owned:
            fh.seek(at)
        return ArchiveIterator(fh, record_types=WarcRecordType.any_type, parse_http=False)

    try:
        start = 0
        records = iterate(start)
        first: Any = None
        last_pos: int | None = None  # where the last record read began
        while True:
            try:
                record = first if first is not None else next(records)
                first = None
            except StopIteration:
                break
            except (OSError, EOFError, ValueError, zlib.error) as exc:
                index += 1
                if not owned:
                    yield ReadError(None, {"path": label, "record": index}, "read",
                                    f"WARC archive corrupt or truncated after record {index - 1}: {exc}")
                    return
                bad = start if last_pos is None else _warc_record_end(fh, last_pos)
                found = _warc_resync(fh, start if last_pos is None else last_pos, iterate)
                if found is not None:  # a wrong Content-Length may point past the next record
                    bad = min(bad, found[0])
                then = (f"; reading resumes at the next record, offset {found[0]}" if found
                        else "; no readable record after it")
                yield ReadError(None, {"path": label, "record": index, "offset": bad}, "read",
                                f"unreadable WARC record at offset {bad} (after record "
                                f"{index - 1}): {exc}{then}")
                if found is None:
                    return
                start, records, first = found
                last_pos = None
                continue
            index += 1
            last_pos = record.stream_pos
            if not record.record_type & wanted:
                continue
            item = _warc_record(record, label, index)
            if item is not None:
                yield item
    finally:
        if owned:
            fh.close()


def _warc_record_end(fh: BinaryIO, pos: int) -> int:
    """Where the record that begins at ``pos`` ends, as its own framing says: the end of
    its gzip member, or its header, declared Content-Length and closing CRLFs."""
    fh.seek(pos)
    head = fh.read(64 << 10)
    if head.startswith(_GZIP_MAGIC):
        inflate = zlib.decompressobj(wbits=31)
        used, chunk = 0, head
        try:
            while chunk and not inflate.eof:
                inflate.decompress(chunk, 1 << 16)
                while inflate.unconsumed_tail and not inflate.eof:  # bounded: output dropped
                    inflate.decompress(inflate.unconsumed_tail, 1 << 16)
                used += len(chunk) - len(inflate.unused_data)
                chunk = b"" if inflate.eof else fh.read(_CHUNK)
        except zlib.error:
            pass
        return pos + used
    end = head.find(b"\r\n\r\n")
    length = _CONTENT_LENGTH.search(head, 0, end if end >= 0 else len(head))
    if end < 0 or length is None:
        return pos
    return pos + end + 4 + int(length.group(1)) + 4


def _warc_resync(fh: BinaryIO, after: int,
                 iterate: Callable[[int], Any]) -> tuple[int, Any, Any] | None:
    """The first record boundary past ``after`` where FastWARC reads a record: its offset,
    an iterator from there and that first record; None when no boundary is left."""
    fh.seek(0)
    gzipped = fh.read(2) == _GZIP_MAGIC
    marks = (_GZIP_MEMBER,) if gzipped else _WARC_HEADS
    pos = after + 1
    while True:
        found = _find_next(fh, pos, marks)
        if found is None:
            return None
        records = iterate(found)
        try:
            return found, records, next(records)
        except StopIteration:
            return None
        except (OSError, EOFError, ValueError, zlib.error):
            pos = found + 1  # a false boundary (those bytes inside a payload): the next one


def _find_next(fh: BinaryIO, pos: int, marks: tuple[bytes, ...]) -> int | None:
    """Offset of the first of ``marks`` at or after ``pos``, read a megabyte at a time."""
    keep = max(map(len, marks)) - 1
    fh.seek(pos)
    base, carry = pos, b""
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return None
        window = carry + chunk
        hits = [i for i in (window.find(m) for m in marks) if i >= 0]
        if hits:
            return base - len(carry) + min(hits)
        carry = window[-keep:]
        base += len(chunk)


def _warc_record(record, label: str, index: int) -> Item | None:  # type: ignore[no-untyped-def]
    """One response/resource record to a Document; None for what is not an HTML page."""
    from fastwarc.warc import WarcRecordType

    headers = record.headers
    url = headers.get("WARC-Target-URI") or ""
    source: dict[str, object] = {"path": label, "url": url, "record": index}
    doc_id = doc_id_from_url(url) if url else f"{doc_id_from_path(label)}-{index}"
    try:
        declared = int(headers.get("Content-Length") or 0)
    except ValueError:
        return ReadError(doc_id, source, "read", "WARC record without a valid Content-Length")
    if record.record_type == WarcRecordType.resource:
        ctype = (headers.get("Content-Type") or "").lower()
        if not ctype.startswith(_HTML_TYPES):
            return None
    if declared > MAX_PAGE_BYTES + 65536:
        record.consume()
        return ReadError(doc_id, source, "read", f"record of {declared / 1e6:.1f} MB is over "
                         f"the {MAX_PAGE_BYTES // 1_000_000} MB page limit")
    record.freeze()
    if record.content_length != declared:
        return ReadError(doc_id, source, "read", f"WARC record truncated: {record.content_length}"
                         f" of {declared} bytes (archive cut short?)")
    charset = None
    encoding = ""
    if record.record_type == WarcRecordType.response:
        try:  # chunks undone here; a Content-Encoding below, within the page limit
            record.parse_http(auto_decode="transfer")
        except (OSError, ValueError) as exc:
            return ReadError(doc_id, source, "read", f"bad HTTP response in WARC record: {exc}")
        http = record.http_headers
        status = getattr(http, "status_code", 200) if http is not None else 200
        ctype = (record.http_content_type or "").lower()
        if not (200 <= int(status or 200) < 300) or (ctype and not ctype.startswith(_HTML_TYPES)):
            return None  # redirects, errors, images, scripts: not articles
        charset = record.http_charset
        encoding = ((http.get("Content-Encoding") if http is not None else None) or "").strip().lower()
    try:
        data = _decode_body(record.reader.read(), encoding)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        return ReadError(doc_id, source, "read", f"cannot decode HTTP payload: {exc}")
    if len(data) > MAX_PAGE_BYTES:
        return ReadError(doc_id, source, "read", f"HTTP payload inflates to over the "
                         f"{MAX_PAGE_BYTES // 1_000_000} MB page limit (a compression bomb?)")
    meta: dict[str, object] = {"url": url} if url else {}
    item = html_document(doc_id, source, data, charset, meta)
    if isinstance(item, Document) and headers.get("WARC-Truncated"):
        warnings = list(item.meta.get("warnings") or [])  # type: ignore[call-overload]
        warnings.append(f"page truncated by the crawler ({headers.get('WARC-Truncated')})")
        item.meta["warnings"] = warnings
    return item


def _decode_body(body: bytes, encoding: str) -> bytes:
    """An HTTP body undone of its Content-Encoding, inflated to at most one byte over the
    page limit: FastWARC's own decoding inflates a body whole, and a few hundred kilobytes
    of gzip can hold gigabytes (the raw body itself is within the record limit)."""
    limit = MAX_PAGE_BYTES + 1
    if encoding in ("", "identity", "none"):
        return body
    if encoding in ("gzip", "x-gzip", "deflate"):
        # gzip, or deflate as servers send it: zlib-wrapped, or (some) raw
        wbits = 31 if encoding != "deflate" else (15 if body[:1] == b"\x78" else -15)
        if body[:2] == _GZIP_MAGIC:
            wbits = 31
        return zlib.decompressobj(wbits=wbits).decompress(body, limit)
    if encoding == "br":
        import brotli  # FastWARC's own dependency

        return bytes(brotli.Decompressor().process(body, output_buffer_limit=limit)[:limit])
    return body  # an encoding nobody uses for pages: the bytes as they came


# --- JSON Lines ------------------------------------------------------------------------------
# A JSON Lines record holds its page JSON-escaped: non-ASCII letters written as \\uXXXX
# take twice their UTF-8 bytes, so a line may be this much longer than the page it holds.
MAX_LINE_BYTES = 3 * MAX_PAGE_BYTES


def read_jsonl(path: Path | str, stream: BinaryIO | None = None) -> Iterator[Item]:
    """Records with ``html`` or ``text`` and optional ``url``, ``doc_id``, ``title``, ``published``.

    Lines are decoded one by one, so one bad line is one ReadError; a truncated
    gzip keeps the records before the cut. A line is read at most MAX_LINE_BYTES at a
    time, so a gzip bomb (one line inflating to gigabytes) costs one record, not memory.
    """
    label = path_label(path)
    owned = stream is None
    raw: BinaryIO = open(path, "rb") if stream is None else stream  # noqa: SIM115
    try:
        head = b""
        if stream is None:  # stdin arrives already gunzipped
            head = raw.read(2)
            raw.seek(0)
        lines: BinaryIO = gzip.GzipFile(fileobj=raw) if head == _GZIP_MAGIC else raw  # type: ignore[assignment]
        index = -1
        while True:
            try:
                line = lines.readline(MAX_LINE_BYTES + 1)
                over = len(line) > MAX_LINE_BYTES and not line.endswith(b"\n")
                while over and line:  # the rest of an over-long line, dropped as it is read
                    line = lines.readline(_CHUNK)
                    if line.endswith(b"\n"):
                        break
            except (EOFError, OSError, zlib.error) as exc:
                yield ReadError(None, {"path": label, "record": index + 1}, "read",
                                f"truncated or corrupt gzip after record {index}: {exc}")
                return
            if not line and not over:
                break
            index += 1
            if over:
                yield ReadError(None, {"path": label, "record": index}, "read",
                                f"line {index + 1} is over the {MAX_LINE_BYTES // 1_000_000} MB "
                                "line limit; skipped")
            elif line.strip():
                yield _jsonl_record(line, label, index)
    finally:
        if owned:
            raw.close()


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(value: str, what: str, warnings: list[str]) -> str:
    """A JSON string may hold an unpaired ``\\udXXX`` escape, which no UTF-8 output can
    hold: each becomes U+FFFD, with a warning (the figures around it are still good)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value, n = _SURROGATE.subn("\ufffd", value)
        warnings.append(f"{what} held {n} unpaired surrogate escape(s); replaced with U+FFFD")
    return value


def _jsonl_record(line: bytes, label: str, index: int) -> Item:
    source: dict[str, object] = {"path": label, "record": index}
    try:
        rec = json.loads(line)
    except ValueError as exc:
        return ReadError(None, source, "read", f"invalid JSON on line {index + 1}: {exc}")
    except RecursionError:
        return ReadError(None, source, "read", f"JSON on line {index + 1} nests too deep")
    if not isinstance(rec, dict):
        return ReadError(None, source, "read", f"line {index + 1} is not a JSON object")
    found: list[str] = []
    url = rec.get("url") if isinstance(rec.get("url"), str) else None
    url = _no_surrogates(url, "url", found) if url else url
    html, text = rec.get("html"), rec.get("text")
    content = html if isinstance(html, str) else text if isinstance(text, str) else None
    given = rec.get("doc_id")
    if isinstance(given, (str, int)) and str(given).strip():
        doc_id = _no_surrogates(str(given).strip(), "doc_id", found)
    else:
        doc_id = doc_id_from_url(url) if url else short_hash(content or line)
    if url:
        source["url"] = url
    if content is not None:
        if len(content) > MAX_PAGE_BYTES:  # text too: a text file has the same limit
            field_name = "html" if content is html else "text"
            return ReadError(doc_id, source, "read", f"record's {field_name} is over the "
                             f"{MAX_PAGE_BYTES // 1_000_000} MB page limit")
        content = _no_surrogates(content, "html" if content is html else "text", found)
    if content is None or not content.strip():
        return ReadError(doc_id, source, "read", "record has no 'html' or 'text' string")
    meta: dict[str, object] = {
        k: _no_surrogates(rec[k].strip(), k, found) for k in ("url", "title", "published")
        if isinstance(rec.get(k), str) and rec[k].strip()
    }
    if not isinstance(html, str):
        if found:
            meta["warnings"] = found
        return Document(doc_id=doc_id, source=source, text=content, meta=meta)
    html, warnings = normalize_html_text(content)
    warnings = found + warnings + deep_nesting_warnings(html)
    if warnings:
        meta["warnings"] = warnings
    return Document(doc_id=doc_id, source=source, html=html, meta=meta)


# --- dispatch --------------------------------------------------------------------------------
Reader = Callable[[Path], Item | Iterable[Item]]


def _reader_for(path: Path) -> Reader | None:
    name = path.name.lower()
    if name.endswith(TEXT_SUFFIXES):
        return read_text_file
    if name.endswith(HTML_SUFFIXES):
        return read_html_file
    if name.endswith(WARC_SUFFIXES):
        return read_warc
    if name.endswith(JSONL_SUFFIXES):
        return read_jsonl
    return None


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def read_stdin(stream: BinaryIO | None = None) -> Iterator[Item]:
    """``-``: a WARC, JSON Lines, HTML page or text on standard input, told apart by content."""
    raw = stream if stream is not None else sys.stdin.buffer
    buffered = raw if hasattr(raw, "peek") else io.BufferedReader(raw)  # type: ignore[arg-type,type-var]
    if buffered.peek(2)[:2] == _GZIP_MAGIC:
        buffered = io.BufferedReader(gzip.GzipFile(fileobj=buffered))  # type: ignore[arg-type,type-var]
    head = buffered.peek(64)[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/"):
        yield from read_warc("-", buffered)  # type: ignore[arg-type]
        return
    if head.startswith(b"{"):
        yield from read_jsonl("-", buffered)  # type: ignore[arg-type]
        return
    source: dict[str, object] = {"path": "-"}
    try:
        data = buffered.read(MAX_PAGE_BYTES + 1)
    except (EOFError, OSError, zlib.error) as exc:
        yield ReadError("stdin", source, "read", f"truncated or corrupt gzip input: {exc}")
        return
    doc_id = short_hash(data)
    if head.startswith(b"<"):
        yield html_document(doc_id, source, data)
        return
    try:
        text = decode_text_bytes(data)
    except ValueError as exc:
        yield ReadError(doc_id, source, "read", str(exc))
        return
    yield Document(doc_id=doc_id, source=source, text=text) if text.strip() else ReadError(
        doc_id, source, "read", "empty input")


@overload
def iter_documents(paths: Iterable[str | os.PathLike[str]],
                   skip: Iterable[str | os.PathLike[str]] = (),
                   defer_files: Literal[False] = False) -> Iterator[Item]: ...
@overload
def iter_documents(paths: Iterable[str | os.PathLike[str]],
                   skip: Iterable[str | os.PathLike[str]] = (),
                   defer_files: bool = False) -> Iterator[Item | FileRef]: ...
def iter_documents(paths: Iterable[str | os.PathLike[str]],
                   skip: Iterable[str | os.PathLike[str]] = (),
                   defer_files: bool = False) -> Iterator[Item | FileRef]:
    """Documents from files, folders (recursive, sorted), globs and ``-`` (stdin), in order.

    ``skip`` names files never to read, such as the run's own output inside an input folder
    (reading a JSON Lines file while appending to it would never end). With ``defer_files``,
    a text or HTML file comes as a :class:`FileRef` for its consumer to read; archives and
    standard input are still read here, as only this process can stream them.
    """
    skipped = _Skip(skip)
    for raw in paths:
        if str(raw) == "-":
            yield from read_stdin()
            continue
        path = Path(raw)
        if not path.exists() and glob.has_magic(str(raw)):
            matches = sorted(glob.glob(str(raw), recursive=True))
            if not matches:
                yield ReadError(None, {"path": path_label(raw)}, "read", "no file matches the pattern")
            for match in matches:
                yield from _from_path(Path(match), False, skipped, defer_files)
            continue
        yield from _from_path(path, True, skipped, defer_files)


class _Skip:
    """The files ``iter_documents`` must not read, known by device and inode (a hard link,
    a symlink or another spelling of the path is the same file), else by resolved path."""

    def __init__(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        self.inodes: set[tuple[int, int]] = set()
        self.paths: set[Path] = set()
        for p in paths:
            try:
                st = os.stat(p)
            except OSError:
                self.paths.add(Path(p).resolve())
            else:
                self.inodes.add((st.st_dev, st.st_ino))

    def __bool__(self) -> bool:
        return bool(self.inodes or self.paths)

    def __contains__(self, item: tuple[Path, os.stat_result | None]) -> bool:
        path, st = item
        if st is not None and (st.st_dev, st.st_ino) in self.inodes:
            return True
        return bool(self.paths) and path.resolve() in self.paths


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _not_regular(path: Path, st: os.stat_result) -> ReadError:
    """Opening a FIFO blocks until a writer comes, and a device may never end: neither is
    read, and the run says so (in --errors and the progress messages)."""
    return ReadError(doc_id_from_path(path), {"path": path_label(path)}, "read",
                     f"{_kind_of(st.st_mode)}, not a regular file; skipped")


def _from_path(path: Path, explicit: bool, skipped: _Skip,
               defer: bool = False) -> Iterator[Item | FileRef]:
    st = _stat(path)
    if skipped and (path, st) in skipped:
        return
    if st is not None and stat.S_ISDIR(st.st_mode):
        found = False
        for file in _walk(path):
            reader = _reader_for(file)
            if reader is None:
                continue
            fst = _stat(file)
            if skipped and (file, fst) in skipped:
                continue
            found = True
            if fst is not None and not stat.S_ISREG(fst.st_mode):
                yield _not_regular(file, fst)
                continue
            yield from _read_or_defer(reader, file, defer)
        if not found and explicit:
            yield ReadError(None, {"path": path_label(path)}, "read",
                            "folder holds no readable articles")
    elif st is not None and stat.S_ISREG(st.st_mode):
        reader = _reader_for(path)
        if reader is None:
            if explicit:
                yield ReadError(doc_id_from_path(path), {"path": path_label(path)}, "read",
                                "unsupported file type (.html, .warc, .jsonl, .txt, and .gz)")
        else:
            yield from _read_or_defer(reader, path, defer)
    elif st is not None:
        yield _not_regular(path, st)
    else:
        yield ReadError(None, {"path": path_label(path)}, "read", "no such file or folder")


def _read_or_defer(reader: Reader, path: Path, defer: bool) -> Iterator[Item | FileRef]:
    if defer and reader in (read_text_file, read_html_file):
        yield FileRef(str(path))
    else:
        yield from _as_items(reader(path))


def _as_items(result: Item | Iterable[Item]) -> Iterator[Item]:
    if isinstance(result, (Document, ReadError)):
        yield result
    else:
        yield from result


# --------------------------------------------------------------------------- counting up front
PAGE_SCAN_LIMIT = 20_000  # file names looked at to learn whether the input holds web pages


def _planned(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[Path | None, bool]]:
    """What :func:`iter_documents` will read, without reading it: ``(path, explicit)`` for
    each path or glob match, ``(None, False)`` for standard input."""
    for raw in paths:
        if str(raw) == "-":
            yield None, False
            continue
        path = Path(raw)
        if not path.exists() and glob.has_magic(str(raw)):
            matches = sorted(glob.glob(str(raw), recursive=True))
            if not matches:
                yield path, True  # "no file matches the pattern": one error record
            for match in matches:
                yield Path(match), False
            continue
        yield path, True


def count_documents(paths: Iterable[str | os.PathLike[str]], limit: int | None = None) -> int | None:
    """The items :func:`iter_documents` will yield when every input is a one-article file
    (error records included); None when an archive or standard input is among them.
    Walks folders exactly as the reader does (:func:`_walk`: hidden files and folders are
    not read, so not counted). With ``limit``, stops counting past it."""
    n = 0
    for path, explicit in _planned(paths):
        if path is None:
            return None
        if path.is_dir():
            found = False
            for file in _walk(path):
                reader = _reader_for(file)
                if reader is None:
                    continue
                if reader not in (read_text_file, read_html_file):
                    return None
                found = True
                n += 1
                if limit is not None and n > limit:
                    return n
            n += not found and explicit  # "folder holds no readable articles"
        elif path.is_file():
            reader = _reader_for(path)
            if reader is None:
                n += explicit  # "unsupported file type"
            elif reader not in (read_text_file, read_html_file):
                return None
            else:
                n += 1
        else:
            n += 1  # "no such file or folder"
        if limit is not None and n > limit:
            return n
    return n


def may_hold_pages(paths: Iterable[str | os.PathLike[str]], limit: int = PAGE_SCAN_LIMIT) -> bool:
    """Whether the input can hold web pages (HTML files, WARC or JSON Lines archives,
    standard input, or a path not known yet such as a glob); False for plain texts only.
    Past ``limit`` file names it stops looking and says True: a start-up that waits on a
    walk through a huge folder would cost more than loading the HTML stack."""
    seen = 0
    for raw in paths:
        p = Path(raw)
        if str(raw) == "-" or not p.exists():
            return True
        files = _walk(p) if p.is_dir() else iter([p])
        for file in files:
            seen += 1
            if seen > limit or _reader_for(file) not in (read_text_file, None):
                return True
    return False
