"""The CSV sink: one row per fact with its article's columns. Rows may hold newlines, so a
torn tail cannot be judged by eye: after each batch is on disk a journal line
(``<output>.journal``) records the file size and the batch's keys, and resuming truncates
the CSV to the last journalled size. The journal goes once the run completes; resuming a
finished CSV reads the keys of its rows. ``.csv.gz``: each batch one gzip member."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .flat import (
    Done,
    SinkError,
    article_columns,
    article_row,
    doc_key,
    fact_columns,
    fact_row,
)
from .outfiles import fsync_regular, remove_files, write_all


def _row_key(row: dict[str, Any]) -> int:
    """The document key of a flat row read back as text (empty cells are None)."""
    record = row.get("source_record")
    return doc_key(row["doc_id"], {"path": row.get("source_path") or None,
                                   "url": row.get("source_url") or None,
                                   "record": int(record) if record else None})


class CsvSink:
    """One row per fact with its article's metadata; a journal makes batches atomic."""

    def __init__(self, path: Path, compress: bool = False) -> None:
        self.path = path
        self.compress = compress  # .csv.gz: each batch one gzip member (newsfacts.gzmembers)
        self.journal = path.with_name(path.name + ".journal")
        self.columns = article_columns() + fact_columns()
        self.fd: int | None = None
        self.jfd: int | None = None

    def open(self, resume: bool) -> set[int]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        done: set[int] = set()
        if resume and self.path.exists():
            if not self.journal.exists():
                return self._reopen_finished(done)
            size = self._read_journal(done)
            if self.path.stat().st_size < size:
                raise SinkError(f"cannot resume {self.path}: shorter than its journal says")
            os.truncate(self.path, size)
            self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            self.jfd = os.open(self.journal, os.O_WRONLY | os.O_APPEND)
            return done
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self.jfd = os.open(self.journal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self._append(self._rows([]), [])
        return done

    def _reopen_finished(self, done: set[int]) -> set[int]:
        """A CSV whose journal is gone was finished (the journal goes only then): its rows
        name the documents that gave facts; those that gave none run again and add nothing.
        A fresh journal makes the file resumable again from here."""
        import gzip

        opener = gzip.open if self.compress else open
        with opener(self.path, "rt", encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or "doc_id" not in reader.fieldnames:
                raise SinkError(f"cannot resume {self.path}: not a newsfacts CSV (no doc_id "
                                f"column) and no journal {self.journal.name}")
            for row in reader:
                done.add(_row_key(row))
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        self.jfd = os.open(self.journal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        self._append("", sorted(done))
        return done

    def _read_journal(self, done: set[int]) -> int:
        size = 0
        good_end = 0
        with self.journal.open("rb") as fh:
            for raw in fh:
                if not raw.endswith(b"\n"):
                    break
                try:
                    entry = json.loads(raw)
                    size = int(entry["size"])
                    done.update(int(k) for k in entry["keys"])
                except (ValueError, KeyError, TypeError):
                    break
                good_end += len(raw)
        os.truncate(self.journal, good_end)
        return size

    def _rows(self, done: Sequence[Done]) -> str:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=self.columns, extrasaction="ignore",
                                lineterminator="\n")
        if not done:
            writer.writeheader()
        for d in done:
            rec = json.loads(d.line)
            meta = article_row(rec)
            for i, fact in enumerate(rec.get("facts") or ()):
                writer.writerow({**meta, **fact_row(fact, d.key, i)})
        return buf.getvalue()

    def _append(self, text: str, keys: list[int]) -> None:
        assert self.fd is not None and self.jfd is not None
        if text:
            data = text.encode("utf-8")
            if self.compress:
                from .gzmembers import member

                data = member(data)
            write_all(self.fd, data)
            fsync_regular(self.fd)
        size = os.fstat(self.fd).st_size
        write_all(self.jfd, (json.dumps({"size": size, "keys": keys}) + "\n").encode())
        fsync_regular(self.jfd)

    def write_batch(self, done: Sequence[Done]) -> None:
        if done:
            self._append(self._rows(done), [d.key for d in done])

    def close(self) -> None:
        for fd in (self.fd, self.jfd):
            if fd is not None:
                os.close(fd)
        self.fd = self.jfd = None

    def finish(self, complete: bool) -> None:
        """A finished CSV needs no journal (resuming it reads its rows); one from a run that
        wrote no record goes with its journal."""
        if complete:
            remove_files(self.journal)
        else:
            remove_files(self.path, self.journal)
