"""Sinks: where records go, one batch at a time, so that a killed run can resume.

Every sink writes a whole batch or nothing that counts:

- JSON Lines appends the batch in one ``write``; a kill can at worst leave a torn last
  line, which ``open(resume=True)`` cuts off before reading back the keys of the finished
  documents.
- CSV rows may hold newlines, so its tail cannot be judged by eye: after each
  batch a journal line (``<output>.journal``) records the files' sizes, checksums of the
  batch's bytes and its keys; resuming truncates the CSV to the last batch that checks.

Files are synced once a second or 4 MiB and at close, not after each batch
(:class:`~newsfacts.outfiles.SyncPolicy`: why that never loses or tears a record).
- SQLite commits each batch in one transaction and upserts by the document's key.
- Parquet (optional, needs pyarrow; :mod:`newsfacts.parquet`) writes parts into a
  folder, each renamed into place only once complete.

A *key* identifies one input document (its id and where it came from), hashed
to 64 bits so that the set of finished documents stays small for millions.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from .csvsink import CsvSink
from .flat import (
    Done,
    SinkError,
    doc_key,
    fact_columns,  # noqa: F401  (importable from here, as before the split)
)
from .outfiles import SyncPolicy, fsync_regular, remove_files, write_all
from .sqlsink import SqliteSink

FORMATS = ("jsonl", "csv", "sqlite", "parquet")
_SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv",
    ".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite",
    ".parquet": "parquet",
}


def infer_format(output: Path | None, fmt: str | None = None) -> str:
    """``--format`` if given, else from the output suffix (``x.csv.gz`` is CSV); stdout is
    always JSON Lines."""
    if fmt:
        if fmt not in FORMATS:
            raise SinkError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    if output is None or str(output) == "-":
        return "jsonl"
    suffixes = [x.lower() for x in output.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return _SUFFIXES.get(suffixes[-1] if suffixes else "", "jsonl")


class PipeClosed(SinkError):
    """Standard output was closed by its reader (``extract … | head``): the run stops quietly."""


class Sink(Protocol):
    def open(self, resume: bool) -> set[int]: ...
    def write_batch(self, done: Sequence[Done]) -> None: ...
    def close(self) -> None: ...
    # after close: the run finished (complete=True) or wrote nothing and the output goes
    # (complete=False), so that no empty file is left behind by a run that read nothing
    def finish(self, complete: bool) -> None: ...


# --------------------------------------------------------------------------- JSON Lines
def repair_jsonl(path: Path, key_of: Any) -> set[int]:
    """Keys of the complete lines of ``path``; a torn or unreadable tail is cut off.

    Only the tail can be torn by a kill (batches are appended whole), so a bad
    line followed by good ones means the file is not ours: refuse rather than guess.
    """
    keys: set[int] = set()
    good_end = 0
    bad_at: int | None = None
    with path.open("rb") as fh:
        offset = 0
        for number, raw in enumerate(fh, 1):
            end = offset + len(raw)
            ok = raw.endswith(b"\n")
            if ok:
                try:
                    key = key_of(json.loads(raw))
                except (ValueError, TypeError, KeyError, AttributeError):
                    ok = False
            if ok:
                if bad_at is not None:
                    raise SinkError(f"{path}: line {bad_at} is not a record but later lines are; "
                                    "not resuming into a file that was not written by newsfacts")
                keys.add(key)
                good_end = end
            elif raw.endswith(b"\n") or not raw.lstrip().startswith(b"{"):
                # a kill tears only the last line, and only after its opening brace
                raise SinkError(f"{path}: line {number} is not a newsfacts record; "
                                "not resuming into (and truncating) a file newsfacts did not write")
            elif bad_at is None:
                bad_at = number
            offset = end
    if good_end < path.stat().st_size:
        os.truncate(path, good_end)
    return keys


def _record_key(obj: Any) -> int:
    return doc_key(obj["doc_id"], obj.get("source"))


class JsonlSink(SyncPolicy):
    """Records as JSON Lines: one append per batch, an ``fsync`` per second or 4 MiB and at
    close (:class:`~newsfacts.outfiles.SyncPolicy` says why that loses nothing).

    A written batch is in the page cache, which a killed process cannot lose; after a power
    cut the file keeps a prefix that ``open(resume=True)`` cuts to its last whole line, and
    the documents not kept are extracted again: no record is lost or torn either way."""

    def __init__(self, path: Path, key_of: Any = _record_key) -> None:
        self.path, self.key_of = path, key_of
        self.fd: int | None = None
        self._start_clock()

    def _sync(self) -> None:
        assert self.fd is not None
        fsync_regular(self.fd)

    def open(self, resume: bool) -> set[int]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        done = repair_jsonl(self.path, self.key_of) if resume and self.path.exists() else set()
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if resume else os.O_TRUNC)
        self.fd = os.open(self.path, flags, 0o644)
        self._start_clock()
        return done

    def _encode(self, data: bytes) -> bytes:
        return data

    def write_lines(self, lines: Iterable[str]) -> None:
        assert self.fd is not None
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        if data:
            data = self._encode(data)
            write_all(self.fd, data)
            self._wrote(len(data))

    def write_batch(self, done: Sequence[Done]) -> None:
        self.write_lines(d.line for d in done)

    def close(self) -> None:
        if self.fd is not None:
            self._sync_pending()
            os.close(self.fd)
            self.fd = None

    def finish(self, complete: bool) -> None:
        if not complete and self.path.is_file() and self.path.stat().st_size == 0:
            remove_files(self.path)


class GzipJsonlSink(JsonlSink):
    """JSON Lines in gzip, one member per batch (:mod:`newsfacts.gzmembers`), synced as
    plain JSON Lines is: after a power cut resuming keeps the whole members."""

    def open(self, resume: bool) -> set[int]:
        from .gzmembers import repair_members

        done = repair_members(self.path, self.key_of) if resume and self.path.exists() else set()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if resume else os.O_TRUNC)
        self.fd = os.open(self.path, flags, 0o644)
        self._start_clock()
        return done

    def _encode(self, data: bytes) -> bytes:
        from .gzmembers import member

        return member(data)


class StdoutSink:
    """JSON Lines on standard output (no resume: a pipe keeps nothing to resume from)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout

    def open(self, resume: bool) -> set[int]:
        if resume:
            raise SinkError("--resume needs --output FILE: standard output keeps nothing to resume from")
        return set()

    def write_batch(self, done: Sequence[Done]) -> None:
        try:
            self.stream.write("".join(d.line + "\n" for d in done))
            self.stream.flush()
        except BrokenPipeError:
            self._closed_by_reader()
            raise PipeClosed("standard output closed") from None

    def _closed_by_reader(self) -> None:
        """What is still buffered cannot reach a reader that is gone; pointing the stream at
        /dev/null keeps Python's last flush at exit from printing a BrokenPipeError."""
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            pass

    def close(self) -> None:
        try:
            self.stream.flush()
        except BrokenPipeError:
            self._closed_by_reader()

    def finish(self, complete: bool) -> None:
        pass


class ErrorLog(JsonlSink):
    """Per-document failures as JSON Lines: doc_id, source, stage, error."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, key_of=lambda obj: doc_key(obj["doc_id"], obj.get("source")))




def make_sink(output: Path | None, fmt: str) -> Sink:
    """The sink for ``output`` in ``fmt`` (see :func:`infer_format`)."""
    if output is None or str(output) == "-":
        if fmt != "jsonl":
            raise SinkError(f"{fmt} output needs --output FILE")
        return StdoutSink()
    gz = output.name.lower().endswith(".gz")
    if gz and fmt not in ("jsonl", "csv"):
        raise SinkError(f"{output}: only JSON Lines and CSV can be written gzipped (.jsonl.gz, .csv.gz)")
    if fmt == "jsonl":
        return GzipJsonlSink(output) if gz else JsonlSink(output)
    if fmt == "csv":
        return CsvSink(output, compress=gz)
    if fmt == "sqlite":
        return SqliteSink(output)
    if fmt == "parquet":
        from .parquet import ParquetSink

        return ParquetSink(output)
    raise SinkError(f"unknown format {fmt!r}")
