"""The CSV sink: one row per fact with its article's columns, and beside it one row per
article (``X.articles.csv`` beside ``X.csv``), so that the articles without a fact count too.

Rows may hold newlines, so a torn tail cannot be judged by eye: after each batch a journal
line (``<output>.journal``) records both files' sizes, a CRC-32 of the bytes the batch added
to each, and the batch's keys; resuming keeps the batches whose sizes and checksums match
the files, in order, and truncates both files after the last of them. The files and the
journal are synced once a second or 4 MiB and at close (:class:`~newsfacts.outfiles.
SyncPolicy`), not after each batch: a power cut may then leave the journal ahead of the
rows, or the rows ahead of the journal, and the checksums tell which batches are whole.
The journal goes once the run completes; resuming a finished CSV reads the keys of its
articles file. ``.csv.gz``: each batch one gzip member in each file (``X.articles.csv.gz``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .flat import (
    Done,
    SinkError,
    article_columns,
    article_row,
    doc_key,
    doc_key_hex,
    fact_columns,
    fact_row,
)
from .outfiles import SyncPolicy, fsync_regular, remove_files, write_all

# The articles file's own columns, after doc_key and the article's flat columns.
ARTICLE_EXTRA = ("n_facts", "warnings")


def articles_path(path: Path) -> Path:
    """The articles file beside the facts CSV ``path``: ``facts.csv`` → ``facts.articles.csv``,
    ``facts.csv.gz`` → ``facts.articles.csv.gz`` (any other name gets ``.articles.csv``)."""
    name = path.name
    for suffix in (".csv.gz", ".csv"):
        if name.lower().endswith(suffix):
            cut = len(name) - len(suffix)
            return path.with_name(f"{name[:cut]}.articles{name[cut:]}")
    return path.with_name(name + (".articles.csv.gz" if name.lower().endswith(".gz") else ".articles.csv"))


def articles_columns() -> tuple[str, ...]:
    """``doc_key`` (the 16 hex digits that begin its facts' ``fact_id``), the article's
    columns as in the facts CSV, ``n_facts`` and ``warnings`` (a JSON list)."""
    return ("doc_key", *article_columns(), *ARTICLE_EXTRA)


def _row_key(row: dict[str, Any]) -> int:
    """The document key of a flat row read back as text (empty cells are None)."""
    record = row.get("source_record")
    return doc_key(row["doc_id"], {"path": row.get("source_path") or None,
                                   "url": row.get("source_url") or None,
                                   "record": int(record) if record else None})


class CsvSink(SyncPolicy):
    """Facts and articles as two CSV files; one journal makes each batch atomic in both."""

    def __init__(self, path: Path, compress: bool = False) -> None:
        self.path = path
        self.articles = articles_path(path)
        self.compress = compress  # .csv.gz: each batch one gzip member (newsfacts.gzmembers)
        self.journal = path.with_name(path.name + ".journal")
        self.columns = article_columns() + fact_columns()
        self.article_columns = articles_columns()
        self.fds: tuple[int, int] | None = None  # facts, articles
        self.jfd: int | None = None
        self._start_clock()

    def _sync(self) -> None:
        """The rows first, then the journal: what a journal line that reached the disk
        describes has, from this sync on, reached it too."""
        assert self.fds is not None and self.jfd is not None
        for fd in (*self.fds, self.jfd):
            fsync_regular(fd)

    def open(self, resume: bool) -> set[int]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        done: set[int] = set()
        if resume and self.path.exists() and not self._nothing_journalled():
            self._check_header(self.path, self.columns)
            if not self.articles.exists():
                raise SinkError(f"cannot resume {self.path}: its articles file {self.articles.name} "
                                "is missing (or it was written by an older newsfacts); write to a new file")
            self._check_header(self.articles, self.article_columns)
            if not self.journal.exists():
                return self._reopen_finished(done)
            size, articles_size = self._read_journal(done)
            if size == 0:
                raise SinkError(f"cannot resume {self.path}: its first journalled batch (the "
                                "header) is not in it; write to a new file")
            os.truncate(self.path, size)
            os.truncate(self.articles, articles_size)
            self._open_files(append=True, journal_append=True)
            return done
        self._open_files(append=False, journal_append=False)
        self._append(self._rows([]), [])
        return done

    def _nothing_journalled(self) -> bool:
        """A run killed before its headers were journalled left nothing to keep."""
        if not self.journal.exists():
            return False
        with self.journal.open("rb") as fh:
            return not fh.readline().endswith(b"\n")

    def _open_files(self, append: bool, journal_append: bool) -> None:
        self._start_clock()
        flags = os.O_WRONLY | (os.O_APPEND if append else os.O_CREAT | os.O_TRUNC)
        self.fds = (os.open(self.path, flags, 0o644), os.open(self.articles, flags, 0o644))
        jflags = os.O_WRONLY | (os.O_APPEND if journal_append else os.O_CREAT | os.O_TRUNC)
        self.jfd = os.open(self.journal, jflags, 0o644)

    def _reader(self, path: Path) -> Any:
        import gzip

        return (gzip.open(path, "rt", encoding="utf-8", newline="") if self.compress
                else path.open(encoding="utf-8", newline=""))

    def _check_header(self, path: Path, columns: tuple[str, ...]) -> None:
        """Rows resumed into a file must line up with its header: a file of other columns
        (another newsfacts version, not a newsfacts CSV) is refused, not appended to."""
        try:
            with self._reader(path) as fh:
                header = next(csv.reader(fh), None)
        except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
            raise SinkError(f"cannot resume {path}: {exc}") from None
        if header != list(columns):
            raise SinkError(f"cannot resume {path}: its columns are not the ones this newsfacts "
                            "writes (another version, or not a newsfacts CSV); write to a new file")

    def _reopen_finished(self, done: set[int]) -> set[int]:
        """A CSV whose journal is gone was finished (the journal goes only then): its
        articles file names every document it holds. A fresh journal makes the files
        resumable again from here."""
        with self._reader(self.articles) as fh:
            for row in csv.DictReader(fh):
                done.add(_row_key(row))
        self._open_files(append=True, journal_append=False)
        # no checksum: this line stands for the whole finished files, synced at their close
        self._append(("", ""), sorted(done), checked=False)
        return done

    def _read_journal(self, done: set[int]) -> tuple[int, int]:
        """The sizes after the last batch that checks, its keys and those of the batches
        before it added to ``done``; the journal is cut after that batch's line.

        A batch checks when its line is whole and both files hold, from the end of the
        batch before, as many bytes as it says with its CRC-32 (a line of a journal
        written before checksums has none: its sizes are enough). The first batch that
        does not check ends the files: what follows was written after it."""
        size = articles_size = 0
        good_end = 0
        with self.journal.open("rb") as fh, self.path.open("rb") as facts, \
                self.articles.open("rb") as articles:
            for raw in fh:
                if not raw.endswith(b"\n"):
                    break
                try:
                    entry = json.loads(raw)
                    ends = int(entry["size"]), int(entry["articles_size"])
                    crcs = entry.get("crc")
                    keys = [int(k) for k in entry["keys"]]
                except (ValueError, KeyError, TypeError):
                    break
                if not (_holds(facts, size, ends[0], crcs[0] if crcs else None)
                        and _holds(articles, articles_size, ends[1], crcs[1] if crcs else None)):
                    break
                size, articles_size = ends
                done.update(keys)
                good_end += len(raw)
        os.truncate(self.journal, good_end)
        return size, articles_size

    def _rows(self, done: Sequence[Done]) -> tuple[str, str]:
        """The batch's fact rows and article rows (with the headers for a new file)."""
        facts, articles = io.StringIO(), io.StringIO()
        fw = csv.DictWriter(facts, fieldnames=self.columns, extrasaction="ignore", lineterminator="\n")
        aw = csv.DictWriter(articles, fieldnames=self.article_columns, extrasaction="ignore",
                            lineterminator="\n")
        if not done:
            fw.writeheader()
            aw.writeheader()
        for d in done:
            rec = json.loads(d.line)
            meta = article_row(rec)
            found = rec.get("facts") or ()
            for i, fact in enumerate(found):
                fw.writerow({**meta, **fact_row(fact, d.key, i)})
            aw.writerow({"doc_key": doc_key_hex(d.key), **meta, "n_facts": len(found),
                         "warnings": json.dumps(rec.get("warnings") or [], ensure_ascii=False)})
        return facts.getvalue(), articles.getvalue()

    def _append(self, texts: tuple[str, str], keys: list[int], checked: bool = True) -> None:
        assert self.fds is not None and self.jfd is not None
        crcs = []
        written = 0
        for fd, text in zip(self.fds, texts, strict=True):
            data = text.encode("utf-8") if text else b""
            if data and self.compress:
                from .gzmembers import member

                data = member(data)
            if data:
                write_all(fd, data)
            crcs.append(zlib.crc32(data))
            written += len(data)
        size, articles_size = (os.fstat(fd).st_size for fd in self.fds)
        entry: dict[str, Any] = {"size": size, "articles_size": articles_size, "keys": keys}
        if checked:
            entry["crc"] = crcs
        line = (json.dumps(entry) + "\n").encode()
        write_all(self.jfd, line)
        self._wrote(written + len(line))

    def write_batch(self, done: Sequence[Done]) -> None:
        if done:
            self._append(self._rows(done), [d.key for d in done])

    def close(self) -> None:
        if self.fds is not None and self.jfd is not None:
            self._sync_pending()
        for fd in (*(self.fds or ()), self.jfd):
            if fd is not None:
                os.close(fd)
        self.fds = self.jfd = None

    def finish(self, complete: bool) -> None:
        """Finished files need no journal (resuming them reads the articles file); those of
        a run that wrote no record go with their journal."""
        if complete:
            remove_files(self.journal)
        else:
            remove_files(self.path, self.articles, self.journal)


def _holds(fh: Any, start: int, end: int, crc: int | None) -> bool:
    """Whether ``fh`` holds ``end - start`` bytes from ``start`` (with CRC-32 ``crc`` if
    given): one journalled batch, read whole (a batch is about a megabyte of text at most)."""
    if end < start:
        return False
    fh.seek(start)
    data = fh.read(end - start)
    return len(data) == end - start and (crc is None or zlib.crc32(data) == crc)
