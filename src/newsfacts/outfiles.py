"""Output files at the level of the operating system: whole writes, fsync where it means
something, and the advisory lock that keeps two runs off one output."""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path
from typing import ClassVar

from .errors import OutputError


def fsync_regular(fd: int) -> None:
    """fsync a regular file; a device or pipe (``-o /dev/null``, ``/dev/stdout``) has nothing
    to make durable and may refuse the call."""
    if stat.S_ISREG(os.fstat(fd).st_mode):
        os.fsync(fd)


class SyncPolicy:
    """When a sink that appends whole batches owes an ``fsync``: once ``SYNC_BYTES`` have been
    written since the last one, or ``SYNC_SECONDS`` have passed, and at close. Not after
    every batch: a run of small news texts made one sync per 32 documents, ~8% of its time.

    Why this loses nothing: a record counts as written once ``write`` has returned, and from
    then on it is in the kernel's page cache, which a killed process (kill -9, a crash, the
    OOM killer) cannot lose; ``fsync`` guards only against the machine itself stopping (a
    power cut, a kernel panic). There the file keeps some prefix of what was written, at
    most the last second or 4 MiB short, and each sink's resume keeps only what it can prove
    whole (JSON Lines: complete lines; gzip: whole members; CSV: batches whose journal line
    and checksums match the files), so the documents cut off are extracted again: a
    record is never torn, and never lost for good. The journal (CSV) and the lines
    themselves (JSON Lines) already say where a batch ends; a sync per batch added nothing
    to that but order, which the checks on resume do not need.

    A sink sets ``self._sync`` (what to make durable, in order) and calls :meth:`_wrote`.
    """

    SYNC_BYTES: ClassVar[int] = 4 << 20
    SYNC_SECONDS: ClassVar[float] = 1.0
    _unsynced: int = 0
    _synced_at: float = 0.0

    def _start_clock(self) -> None:
        self._unsynced, self._synced_at = 0, time.monotonic()

    def _wrote(self, n: int) -> None:
        """``n`` bytes were just written: sync if they bring a threshold."""
        self._unsynced += n
        if (self._unsynced >= self.SYNC_BYTES
                or time.monotonic() - self._synced_at >= self.SYNC_SECONDS):
            self._sync_now()

    def _sync_now(self) -> None:
        self._sync()
        self._start_clock()

    def _sync_pending(self) -> None:
        """At close: what is written but not yet synced."""
        if self._unsynced:
            self._sync_now()

    def _sync(self) -> None:
        raise NotImplementedError


def lock_output(path: Path | None, folder: bool = False) -> int | None:
    """Hold an advisory lock on ``path`` (a file, or a Parquet folder) for the whole run, so
    that a second run on the same output is refused instead of interleaving with the first.

    Taken before the sink opens (which may truncate); with ``folder`` (Parquet) a missing
    ``path`` is made a folder, else a file. Devices and pipes are not locked.
    Returns the descriptor holding the lock (close it to release), or None.
    """
    import fcntl

    if path is None or str(path) == "-":
        return None
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{path}: {exc.strerror or exc}") from None
    if st is not None and not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        return None
    try:
        if folder and st is None:
            path.mkdir(parents=True)
            st = path.stat()
        if st is not None and stat.S_ISDIR(st.st_mode):
            fd = os.open(path, os.O_RDONLY)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot open {path}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise OutputError(f"{path} is being written by another newsfacts run; "
                        "wait for it to end or choose another output") from None
    except OSError:
        return fd  # a file system without flock: run unlocked rather than not at all
    return fd


def write_all(fd: int, data: bytes) -> None:
    """``os.write`` until all of ``data`` is written (a write may take only part of it)."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def remove_files(*paths: Path) -> None:
    """Remove each of ``paths`` that exists (an output a failed run must not leave)."""
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
