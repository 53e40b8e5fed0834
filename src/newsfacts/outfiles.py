"""Output files at the level of the operating system: whole writes, fsync where it means
something, and the advisory lock that keeps two runs off one output."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from .errors import OutputError


def fsync_regular(fd: int) -> None:
    """fsync a regular file; a device or pipe (``-o /dev/null``, ``/dev/stdout``) has nothing
    to make durable and may refuse the call."""
    if stat.S_ISREG(os.fstat(fd).st_mode):
        os.fsync(fd)


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
