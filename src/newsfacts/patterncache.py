"""Compiled patterns kept between runs, the way Python keeps bytecode.

Compiling the rules and the entity patterns is the largest part of newsfacts' own
start-up (about 0.1 s of half a second): the ``regex`` module parses every pattern
in Python before it hands its C engine a compiled program. That program is stored
here, keyed by the pattern, its flags and the versions of ``regex`` and Python, and
handed to the engine directly next time.

The cache can only save time, never change a match: a pattern missing from it, a file
written by another version, a damaged file (each file carries a checksum) or a cache
folder that cannot be written all mean the pattern is compiled as usual.
``NEWSFACTS_CACHE_DIR`` chooses the folder (default ``$XDG_CACHE_HOME/newsfacts`` or
``~/.cache/newsfacts``); ``NEWSFACTS_CACHE_DIR=off`` turns the cache off.
"""

from __future__ import annotations

import atexit
import contextlib
import enum
import hashlib
import marshal
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import regex
from regex import _regex

_OFF = {"", "0", "off", "no", "none", "false"}
_KEY = f"{regex.__version__}|{sys.version_info[0]}.{sys.version_info[1]}|{sys.implementation.name}"
_LOCK = threading.Lock()


def cache_file() -> Path | None:
    """Where this regex and Python version keep their patterns; None when turned off."""
    where = os.environ.get("NEWSFACTS_CACHE_DIR")
    if where is not None and where.strip().lower() in _OFF:
        return None
    try:
        base = Path(where) if where else Path(
            os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsfacts"
    except RuntimeError:  # no home folder to be found (a service account): no cache
        return None
    return base / f"patterns-{hashlib.sha1(_KEY.encode()).hexdigest()[:12]}.bin"


class PatternCache:
    """Programs by (pattern, flags), read from ``path`` once and written back by :meth:`save`."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[tuple[str, int], tuple[Any, ...]] = self._read()
        self.hits = 0
        self.added = 0

    def _read(self) -> dict[tuple[str, int], tuple[Any, ...]]:
        if self.path is None:
            return {}
        try:
            blob = self.path.read_bytes()
            if hashlib.sha256(blob[32:]).digest() != blob[:32]:
                return {}
            data = marshal.loads(blob[32:])
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        return data if isinstance(data, dict) else {}

    def compile(self, pattern: str, flags: int = 0) -> Any:
        """``regex.compile(pattern, flags)``, from the stored program when there is one."""
        key = (pattern, int(flags))
        program = self.entries.get(key)
        if program is not None:
            try:
                compiled = _regex.compile(*program)
                self.hits += 1
                return compiled
            except Exception:  # another layout of the engine's arguments: compile instead
                del self.entries[key]
        compiled, program = _compile_keeping_program(pattern, flags)
        if program is not None:
            self.entries[key] = program
            self.added += 1
        return compiled

    def save(self) -> None:
        """Write what was added, atomically; a folder that cannot be written is left alone."""
        if self.path is None or not self.added:
            return
        body = marshal.dumps(self.entries)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".patterns-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(hashlib.sha256(body).digest() + body)
            os.replace(tmp, self.path)
            self.added = 0
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)


def _compile_keeping_program(pattern: str, flags: int) -> tuple[Any, tuple[Any, ...] | None]:
    """Compile, and catch the arguments ``regex`` gives its C engine (flags as plain ints,
    so that marshal can store them). None when ``regex`` no longer builds patterns this way."""
    seen: list[tuple[Any, ...]] = []
    engine_compile = _regex.compile

    def keep(*args: Any) -> Any:
        seen.append(args)
        return engine_compile(*args)

    with _LOCK:
        _regex.compile = keep
        try:
            compiled = regex.compile(pattern, flags, cache_pattern=False)  # not from its own cache
        finally:
            _regex.compile = engine_compile
    if len(seen) != 1 or seen[0][0] != pattern:
        return compiled, None
    program = tuple(int(a) if isinstance(a, enum.IntFlag) else a for a in seen[0])
    try:
        marshal.dumps(program)
    except ValueError:
        return compiled, None
    return compiled, program


_CACHE: PatternCache | None = None


def shared() -> PatternCache:
    """The process's cache, read on first use and written back once, when the process ends
    (pool workers, which leave with ``os._exit``, add nothing the parent has not)."""
    global _CACHE
    if _CACHE is None:
        _CACHE = PatternCache(cache_file())
        atexit.register(_CACHE.save)
    return _CACHE


def compile_pattern(pattern: str, flags: int = 0) -> Any:
    return shared().compile(pattern, flags)
