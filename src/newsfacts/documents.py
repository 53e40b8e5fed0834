"""Documents: what ingest yields (Document, ReadError, FileRef), how they are named, and
the readers of one-article files (text, HTML).

The bottom of the ingest stage: the archive readers (:mod:`newsfacts.archives`) and the
walk over paths (:mod:`newsfacts.ingest`) both build on these names.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from .charsets import MAX_PAGE_BYTES, binary_kind, decode_html
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


def where(source: dict[str, object] | None, doc_id: str | None = None) -> str:
    """How every message names a document: its path, and inside an archive (WARC, JSON
    Lines) ``#record N`` with N its ``source.record`` (its place in the file, from 0):
    ``crawl.warc.gz#record 12``. A document with no path is named by its URL, one with
    neither by its ``doc_id``."""
    src = source or {}
    path, url, record = src.get("path"), src.get("url"), src.get("record")
    name = path if isinstance(path, str) and path else url if isinstance(url, str) and url else None
    if name is None:
        return doc_id or "a document with no name"
    return f"{name}#record {record}" if isinstance(record, int) and not isinstance(record, bool) else name


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
        data = _gunzip_limited(raw) if gzipped else _read_upto(raw, MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise ValueError(f"over the {MAX_PAGE_BYTES // 1_000_000} MB page limit")
    return data


def _read_upto(raw: BinaryIO, limit: int) -> bytes:
    """``raw.read(limit)``: to the end or ``limit`` bytes, whichever comes first. Asked
    first for one byte more than the file's size, since ``read(n)`` sets aside ``n``
    bytes before reading: 20 MB for every small text file was two thirds of reading it."""
    try:
        size = os.fstat(raw.fileno()).st_size
    except (OSError, ValueError):
        size = limit  # no size to go by (not a file): as read(limit) does
    first = raw.read(min(size + 1, limit))
    if len(first) < min(size + 1, limit) or len(first) >= limit:
        return first  # the end came first, or the limit did
    return first + raw.read(limit - len(first))  # it grew while being read


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
