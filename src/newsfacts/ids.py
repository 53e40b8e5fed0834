"""Identities of documents and facts, the same in every output format and every run.

A document's *key* is a 64-bit digest of where it came from (path, URL, record), which the
sinks resume by and the flat outputs join on; a fact's id is its document's key and its
place among the document's facts. Both sit at the bottom of the ladder because the record
(:mod:`newsfacts.pipeline`) and the sinks (:mod:`newsfacts.flat`) must compute them alike.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def doc_key(doc_id: str | None, source: dict[str, Any] | None) -> int:
    """64-bit key of one input document: where it came from (path, URL, record).

    The ``doc_id`` counts only for a document without a source: a run may rename a
    ``doc_id`` that collides with another document's (see ``run.identity``), and the
    renamed record must still resume as the same document.
    """
    src = source or {}
    path = src.get("path") if isinstance(src.get("path"), str) else None
    url = src.get("url") if isinstance(src.get("url"), str) else None
    record = src.get("record") if isinstance(src.get("record"), int) else None
    ident = None if (path is not None or url is not None or record is not None) else doc_id
    raw = json.dumps([ident, path, url, record], ensure_ascii=False).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big")


def doc_key_hex(key: int) -> str:
    """A document key as the 16 hex digits that begin its facts' ids."""
    return f"{key:016x}"


def fact_id(key: int, ordinal: int) -> str:
    """A fact's id: its document's key (hex) and its place in the record; the same input and
    rules give the same id in every run and every format (JSON Lines, CSV, SQLite, Parquet)."""
    return f"{doc_key_hex(key)}-{ordinal}"
