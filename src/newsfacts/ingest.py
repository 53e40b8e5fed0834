"""Ingest: turn paths into a stream of :class:`Document` items.

Readers never load a whole archive: each yields documents one at a time, and
a document that cannot be read becomes a :class:`ReadError` in the stream so
that the run goes on and the caller decides how to report it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

TEXT_SUFFIXES = (".txt",)


@dataclass
class Document:
    """A raw article as read: either plain ``text`` or an ``html`` page."""

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


Item = Union[Document, ReadError]


def doc_id_from_path(path: str | os.PathLike[str]) -> str:
    """File name without any extension ("a.html.gz" -> "a"), as the gold files name docs."""
    name = Path(path).name
    for suffix in (".gz", ".html", ".htm", ".txt", ".jsonl", ".json", ".warc"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name or Path(path).name


def decode_text_bytes(data: bytes) -> str:
    """Strict UTF-8 (with or without BOM): a wrong guess would corrupt every figure."""
    if b"\x00" in data[:4096]:
        raise ValueError("binary file (NUL bytes), not UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def read_text_file(path: Path) -> Item:
    source: dict[str, object] = {"path": str(path)}
    doc_id = doc_id_from_path(path)
    try:
        text = decode_text_bytes(path.read_bytes())
    except (OSError, ValueError) as exc:
        return ReadError(doc_id, source, "read", str(exc))
    if not text.strip():
        return ReadError(doc_id, source, "read", "empty file")
    return Document(doc_id=doc_id, source=source, text=text)


def _reader_for(path: Path):  # type: ignore[no-untyped-def]
    name = path.name.lower()
    if name.endswith(TEXT_SUFFIXES):
        return read_text_file
    return None


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def iter_documents(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Item]:
    """Documents from files and folders (recursive, sorted), in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            for file in _walk(path):
                reader = _reader_for(file)
                if reader is None:
                    continue
                found = True
                yield from _as_items(reader(file))
            if not found:
                yield ReadError(None, {"path": str(path)}, "read", "folder holds no readable articles")
        elif path.is_file():
            reader = _reader_for(path)
            if reader is None:
                yield ReadError(
                    doc_id_from_path(path), {"path": str(path)}, "read", "unsupported file type"
                )
            else:
                yield from _as_items(reader(path))
        else:
            yield ReadError(None, {"path": str(path)}, "read", "no such file or folder")


def _as_items(result: Item | Iterable[Item]) -> Iterator[Item]:
    if isinstance(result, (Document, ReadError)):
        yield result
    else:
        yield from result
