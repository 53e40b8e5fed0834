"""Ingest: turn paths into a stream of :class:`Document` items.

Users run newsfacts over what crawlers leave behind: single HTML pages, WARC
archives (wget --warc, Heritrix, browsertrix, Common Crawl), JSON Lines
exports, and plain text. Readers never load a whole archive: each yields
documents one at a time, and a document that cannot be read becomes a
:class:`ReadError` in the stream so that the run goes on, everything read
before it is kept, and the caller decides how to report it.

The names a document carries and the one-article readers live in
:mod:`newsfacts.documents`, the WARC and JSON Lines readers in
:mod:`newsfacts.archives`; this module walks paths and dispatches to them.
"""

from __future__ import annotations

import glob
import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal, overload

from .archives import MAX_LINE_BYTES, read_jsonl, read_warc
from .charsets import MAX_PAGE_BYTES
from .documents import (
    _GZIP_MAGIC,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    TEXT_SUFFIXES,
    WARC_SUFFIXES,
    Document,
    FileRef,
    Item,
    ReadError,
    decode_text_bytes,
    doc_id_from_path,
    doc_id_from_url,
    html_document,
    path_label,
    read_html_file,
    read_text_file,
    short_hash,
)

# What callers import from here: the walk's own names and the documents and readers it yields.
__all__ = [
    "HTML_SUFFIXES", "JSONL_SUFFIXES", "MAX_LINE_BYTES", "TEXT_SUFFIXES", "WARC_SUFFIXES", "Document",
    "FileRef", "Item", "ReadError", "count_documents", "decode_text_bytes", "doc_id_from_path",
    "doc_id_from_url", "html_document", "iter_documents", "may_hold_pages", "path_label", "read_html_file",
    "read_jsonl", "read_stdin", "read_text_file", "read_warc", "short_hash",
]

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
