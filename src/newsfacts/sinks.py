"""Sinks: where records go, one batch at a time, so that a killed run can resume.

Every sink writes a whole batch or nothing that counts:

- JSON Lines appends the batch in one ``write``; a kill can at worst leave a torn
  last line, which ``open(resume=True)`` cuts off before reading back the keys of
  the finished documents. It syncs (``fsync``) once a second's or 4 MiB's worth of
  batches is written, and on close, not after every batch: see :class:`JsonlSink`.
- CSV rows may hold newlines, so its tail cannot be judged by eye: after each
  batch is on disk a journal line (``<output>.journal``) records the file size
  and the batch's keys; resuming truncates the CSV to the last journalled size.
- SQLite commits each batch in one transaction and upserts by ``doc_id``.
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
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar, Protocol

from .csvsink import CsvSink
from .flat import (
    Done,
    SinkError,
    article_columns,
    article_row,
    column_types,
    doc_key,
    fact_columns,
    fact_row,
    remove_files,
    signed64,
    sql_value,
    write_all,
)

if TYPE_CHECKING:  # sqlite3 is imported when a SQLite sink opens: most runs write JSON Lines
    import sqlite3

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
            elif bad_at is None:
                bad_at = number
            offset = end
    if good_end < path.stat().st_size:
        os.truncate(path, good_end)
    return keys


def _record_key(obj: Any) -> int:
    return doc_key(obj["doc_id"], obj.get("source"))


class JsonlSink:
    """Records as JSON Lines: one append per batch, an ``fsync`` per second or 4 MiB.

    Why a sync per batch is not needed: a batch is appended in one ``write`` to a file
    opened ``O_APPEND``, so once ``write`` returns the lines are in the kernel's page
    cache, and a killed process (``kill -9``, a crash, Ctrl-C) cannot lose them; only
    the machine going down can. Then the file keeps a prefix of what was written
    (possibly with a torn or zero-filled tail), which ``open(resume=True)`` cuts back
    to its last whole line; the documents whose records were not kept are not in the
    resumed run's done set, so they are extracted and written again. No record is lost
    and none is kept torn, with any sync policy: syncing only bounds how much work a
    power cut throws away, here one second's or ``SYNC_BYTES``' worth of batches
    (small records made a sync per 32 of them ~8% of a one-job run). ``close`` syncs
    what is left, so a finished run is on disk when it says so.
    """

    SYNC_BYTES: ClassVar[int] = 4 << 20
    SYNC_SECONDS: ClassVar[float] = 1.0

    def __init__(self, path: Path, key_of: Any = _record_key) -> None:
        self.path = path
        self.key_of = key_of
        self.fd: int | None = None
        self._unsynced = 0
        self._synced_at = time.monotonic()

    def _sync(self) -> None:
        assert self.fd is not None
        os.fsync(self.fd)
        self._unsynced = 0
        self._synced_at = time.monotonic()

    def open(self, resume: bool) -> set[int]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        done = repair_jsonl(self.path, self.key_of) if resume and self.path.exists() else set()
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if resume else os.O_TRUNC)
        self.fd = os.open(self.path, flags, 0o644)
        return done

    def write_lines(self, lines: Iterable[str]) -> None:
        assert self.fd is not None
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        if data:
            write_all(self.fd, data)
            self._unsynced += len(data)
            if (self._unsynced >= self.SYNC_BYTES
                    or time.monotonic() - self._synced_at >= self.SYNC_SECONDS):
                self._sync()

    def write_batch(self, done: Sequence[Done]) -> None:
        self.write_lines(d.line for d in done)

    def close(self) -> None:
        if self.fd is not None:
            if self._unsynced:
                self._sync()
            os.close(self.fd)
            self.fd = None

    def finish(self, complete: bool) -> None:
        if not complete and self.path.is_file() and self.path.stat().st_size == 0:
            remove_files(self.path)


class GzipJsonlSink(JsonlSink):
    """JSON Lines in gzip, one member per batch (:mod:`newsfacts.gzmembers`)."""

    def open(self, resume: bool) -> set[int]:
        from .gzmembers import repair_members

        done = repair_members(self.path, self.key_of) if resume and self.path.exists() else set()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if resume else os.O_TRUNC)
        self.fd = os.open(self.path, flags, 0o644)
        return done

    def write_lines(self, lines: Iterable[str]) -> None:
        from .gzmembers import member

        assert self.fd is not None
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        if data:
            write_all(self.fd, member(data))
            os.fsync(self.fd)


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


# --------------------------------------------------------------------------- SQLite
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT PRIMARY KEY,
    doc_key INTEGER NOT NULL,
    {article_cols},
    schema_version TEXT,
    n_facts INTEGER NOT NULL,
    warnings TEXT,
    text TEXT
);
CREATE TABLE IF NOT EXISTS facts (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    kind TEXT NOT NULL,
    {fact_cols},
    evidence TEXT
);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
CREATE INDEX IF NOT EXISTS facts_kind ON facts(kind);
CREATE INDEX IF NOT EXISTS facts_subject ON facts(subject_id, kind);
CREATE INDEX IF NOT EXISTS facts_index_year ON facts("index", year);
CREATE INDEX IF NOT EXISTS articles_key ON articles(doc_key);
"""


class SqliteSink:
    """``articles`` and ``facts`` tables; each batch one transaction, upsert by ``doc_id``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        self.fact_cols = [c for c in fact_columns() if c not in ("kind",) and not c.startswith("evidence_")]
        self.article_cols = list(article_columns()[1:])  # doc_id is the key, declared apart
        self.types = column_types()

    def open(self, resume: bool) -> set[int]:
        import sqlite3

        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            cols = ",\n    ".join(f'"{c}" {self._type(c)}' for c in self.fact_cols)
            art = ",\n    ".join(f'"{c}" {self._type(c)}' for c in self.article_cols)
            db.executescript(_SCHEMA.replace("{fact_cols}", cols).replace("{article_cols}", art))
        except sqlite3.DatabaseError as exc:
            raise SinkError(f"{self.path}: {exc}") from None
        self.db = db
        if not resume:
            return set()
        return {int(k) % (1 << 64) for (k,) in db.execute("SELECT doc_key FROM articles")}

    _SQL_TYPES: ClassVar[dict[type, str]] = {int: "INTEGER", bool: "INTEGER", float: "REAL", str: "TEXT"}

    def _type(self, col: str) -> str:
        return self._SQL_TYPES[self.types[col]]

    def write_batch(self, done: Sequence[Done]) -> None:
        assert self.db is not None
        if not done:
            return
        db = self.db
        fact_names = ["doc_id", "ordinal", "kind", *self.fact_cols, "evidence"]
        fact_sql = (f"INSERT INTO facts ({', '.join(chr(34) + c + chr(34) for c in fact_names)}) "
                    f"VALUES ({', '.join('?' for _ in fact_names)})")
        art_names = ["doc_id", "doc_key", *self.article_cols, "schema_version", "n_facts",
                     "warnings", "text"]
        art_sql = (f"INSERT INTO articles ({', '.join(art_names)}) "
                   f"VALUES ({','.join('?' for _ in art_names)}) ON CONFLICT(doc_id) DO UPDATE SET "
                   + ", ".join(f"{c}=excluded.{c}" for c in art_names[1:]))
        db.execute("BEGIN IMMEDIATE")
        try:
            for d in done:
                rec = json.loads(d.line)
                a = article_row(rec)
                facts = rec.get("facts") or []
                db.execute("DELETE FROM facts WHERE doc_id = ?", (a["doc_id"],))
                db.execute(art_sql, (a["doc_id"], signed64(d.key),
                                     *(a[c] for c in self.article_cols),
                                     rec.get("schema_version"), len(facts),
                                     json.dumps(rec.get("warnings") or [], ensure_ascii=False),
                                     rec.get("text")))
                rows = []
                for i, f in enumerate(facts):
                    flat = fact_row(f, d.key, i)
                    rows.append((a["doc_id"], i, f["kind"],
                                 *(sql_value(flat.get(c)) for c in self.fact_cols),
                                 json.dumps(f.get("evidence") or {}, ensure_ascii=False)))
                db.executemany(fact_sql, rows)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def finish(self, complete: bool) -> None:
        if not complete:
            remove_files(*(self.path.with_name(self.path.name + s) for s in ("", "-wal", "-shm")))


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
