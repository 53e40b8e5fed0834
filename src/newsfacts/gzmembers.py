"""Compressed outputs (``.jsonl.gz``, ``.csv.gz``) that stay resumable: each batch is
appended as one gzip *member* (RFC 1952 allows any number, and every gzip reader reads
them as one stream), so a kill can at worst leave a torn last member, and resuming keeps
the members that are whole (their CRC checks) and cuts the rest."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .flat import SinkError

CHUNK = 1 << 20


def is_gzip_name(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def member(data: bytes) -> bytes:
    """``data`` as one whole gzip member (no timestamp: equal input, equal bytes)."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def whole_members(path: Path) -> Iterator[tuple[int, bytes]]:
    """(offset just past it, its data) for each whole member of ``path`` in order; stops at
    the first torn or damaged one. A member holds one batch, so memory stays one batch."""
    with path.open("rb") as fh:
        end = 0
        dec = zlib.decompressobj(wbits=31)
        parts: list[bytes] = []
        pending = b""
        while True:
            chunk = pending or fh.read(CHUNK)
            pending = b""
            if not chunk:
                return
            try:
                parts.append(dec.decompress(chunk))
            except zlib.error:
                return
            if not dec.eof:
                end += len(chunk)
                continue
            end += len(chunk) - len(dec.unused_data)
            yield end, b"".join(parts)
            pending, parts = dec.unused_data, []
            dec = zlib.decompressobj(wbits=31)


def repair_members(path: Path, key_of: Callable[[Any], int]) -> set[int]:
    """Keys of the records in the whole members of ``path``; what follows them (a member a
    kill tore) is cut off. A whole member holding a line that is no record means the file
    is not ours: refuse rather than guess."""
    done: set[int] = set()
    good_end = 0
    for end, data in whole_members(path):
        for number, raw in enumerate(data.splitlines(), 1):
            try:
                done.add(key_of(json.loads(raw)))
            except (ValueError, TypeError, KeyError, AttributeError):
                raise SinkError(f"{path}: line {number} of the gzip member ending at byte {end} "
                                "is not a newsfacts record; not resuming into a file newsfacts "
                                "did not write") from None
        good_end = end
    if good_end < path.stat().st_size:
        os.truncate(path, good_end)
    return done
