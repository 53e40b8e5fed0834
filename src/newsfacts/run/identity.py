"""A document's identity within a run: ``doc_id`` values made unique, repeats dropped.

Two documents may be given one ``doc_id`` (``index.html`` in two folders, URLs ending in
``/12345`` on two sites). The sinks tell documents apart by their key (a digest of the
source, :func:`~newsfacts.sinks.doc_key`), and the record lines get a unique ``doc_id``
here, in the one process that writes, so that the choice does not depend on the engine.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..sinks import doc_key


class DocIds:
    """The ``doc_id`` values written so far, and with ``dedupe`` the URLs and texts.

    Memory: one small entry per document written (a hash and a key), not its text.
    """

    def __init__(self, dedupe: bool = False) -> None:
        self.dedupe = dedupe
        self._ids: dict[int, int] = {}  # hash of a doc_id written -> the key of its document
        self._seen: set[tuple[str, str]] = set()  # --dedupe: URLs and text digests written

    def seed(self, written: Iterable[tuple[str, int]]) -> None:
        """What an earlier run wrote into the output being resumed: its owners keep their ids."""
        for doc_id, key in written:
            self._ids.setdefault(hash(doc_id), key)

    def identify(self, key: int, line: str, text_digest: str | None) -> str | None:
        """The record line to write for the document ``key``: its ``doc_id`` made unique in
        this run, or None for a repeat that ``--dedupe`` drops.

        Two documents may be given one ``doc_id`` (``index.html`` in two folders, URLs
        ending in ``/12345`` on two sites): the first written keeps it, a later one gets
        ``~`` and 8 hex digits of its key (a digest of its source), the same in every run.
        """
        rec: dict[str, Any] | None = None
        if self.dedupe:
            rec = json.loads(line)
            url = rec.get("url") or (rec.get("source") or {}).get("url")
            seen = [("url", url)] if url else []
            if text_digest:
                seen.append(("text", text_digest))
            if any(s in self._seen for s in seen):
                return None
            self._seen.update(seen)
        doc_id = _doc_id_of(line, rec)
        if doc_id is None:
            return line
        owner = self._ids.setdefault(hash(doc_id), key)
        if owner == key:
            return line
        new_id = f"{doc_id}~{key & 0xFFFFFFFF:08x}"
        self._ids.setdefault(hash(new_id), key)
        old = '"doc_id":' + json.dumps(doc_id, ensure_ascii=False)
        at = line.find(old, 0, 64 + len(old))  # a record line starts with schema_version, doc_id
        if at > 0:
            return f'{line[:at]}"doc_id":{json.dumps(new_id, ensure_ascii=False)}{line[at + len(old):]}'
        rec = rec or json.loads(line)
        rec["doc_id"] = new_id
        return json.dumps(rec, ensure_ascii=False, separators=(",", ":"))


def _doc_id_of(line: str, rec: dict[str, Any] | None) -> str | None:
    """A record line's ``doc_id``, read from the line's head when it is a plain string."""
    if rec is None:
        at = line.find('"doc_id":"', 0, 64)
        end = line.find('"', at + 10) if at > 0 else -1
        if end > 0 and "\\" not in line[at + 10:end]:
            return line[at + 10:end]
        rec = json.loads(line)
    got = rec.get("doc_id")
    return got if isinstance(got, str) else None


def written_ids(path: Path, fmt: str) -> Iterator[tuple[str, int]]:
    """(doc_id, key) of the documents an output holds, in the order written (a CSV's
    articles file holds every one; Parquet only documents with facts, the only ones whose
    ``doc_id`` shows there)."""
    gz = path.name.lower().endswith(".gz")
    if fmt == "jsonl":
        with (gzip.open(path, "rb") if gz else path.open("rb")) as fh:
            for raw in fh:
                rec = json.loads(raw)
                yield rec["doc_id"], doc_key(rec["doc_id"], rec.get("source"))
    elif fmt == "sqlite":
        import sqlite3

        db = sqlite3.connect(path)
        try:
            for doc_id, key in db.execute("SELECT doc_id, doc_key FROM articles ORDER BY rowid"):
                yield doc_id, key % (1 << 64)
        finally:
            db.close()
    elif fmt == "csv":
        from ..csvsink import articles_path

        if articles_path(path).exists():  # every document, also those without facts
            path = articles_path(path)
        with (gzip.open(path, "rt", encoding="utf-8", newline="") if gz
              else path.open(encoding="utf-8", newline="")) as fh:
            for row in csv.DictReader(fh):
                yield row["doc_id"], _flat_key(row)
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        for part in sorted(path.glob("part-*.parquet")):
            for row in pq.read_table(part).to_pylist():
                yield row["doc_id"], _flat_key(row)


def _flat_key(row: dict[str, Any]) -> int:
    record = row.get("source_record")
    source = {"path": row.get("source_path") or None, "url": row.get("source_url") or None,
              "record": int(float(record)) if record not in (None, "") else None}
    return doc_key(row["doc_id"], source)
