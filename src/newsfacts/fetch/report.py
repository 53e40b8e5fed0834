"""What a fetch tells its user while it runs and after: the ``--errors`` file (one JSON
line per URL not kept, with its reason), a progress display on stderr, the summary.

The errors file is JSON Lines as ``extract --errors`` writes, each line flushed as it
is written, so a killed run keeps every line but perhaps a torn last one.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from .options import REASONS, FetchError, FetchOptions, FetchStats


class ErrorLog:
    """``--errors FILE``: url, reason (one of options.REASONS), detail, status, attempts,
    the redirects that led there, and when."""

    def __init__(self, path: Path | None, resume: bool) -> None:
        self.path = path
        self._fh: IO[str] | None = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if resume and path.exists():
                    _cut_torn_line(path)
                self._fh = path.open("a" if resume else "w", encoding="utf-8")
            except OSError as exc:
                raise FetchError(f"{path}: cannot write the errors file: {exc}") from None

    def add(self, url: str, reason: str, detail: str, status: int | None = None,
            attempts: int = 1, via: list[str] | None = None) -> None:
        assert reason in REASONS, reason
        if self._fh is None:
            return
        line = {"url": url, "reason": reason, "detail": detail, "status": status,
                "attempts": attempts, "via": via or [],
                "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        self._fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _cut_torn_line(path: Path) -> None:
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as fh:
            fh.truncate(data.rfind(b"\n") + 1)


class Progress:
    """Pages kept out of URLs known so far, on stderr: a rich bar on a terminal, a line
    every ``every`` seconds elsewhere, nothing with ``--quiet``."""

    def __init__(self, opts: FetchOptions, stats: FetchStats) -> None:
        mode = opts.progress
        if mode == "auto":
            mode = "rich" if sys.stderr.isatty() else "plain"
        self.mode, self.stats, self.every = mode, stats, opts.progress_every
        self.last = time.perf_counter()
        self._live: Any = None
        self._task: Any = None
        if mode == "rich":
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._live = Progress(TextColumn("fetch"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("{task.description}"), TimeElapsedColumn(),
                                  transient=True)
            self._live.start()
            self._task = self._live.add_task("", total=None)

    def update(self, done: int, known: int) -> None:
        s = self.stats
        text = (f"{s.pages} pages, {s.robots_skipped} robots, {sum(s.failed.values())} failed, "
                f"{s.requests} requests")
        if self._live is not None:
            self._live.update(self._task, completed=done, total=max(known, done), description=text)
        elif self.mode == "plain" and time.perf_counter() - self.last >= self.every:
            self.last = time.perf_counter()
            print(f"progress: {done}/{known} URLs, {text}", file=sys.stderr, flush=True)

    def message(self, text: str) -> None:
        if self._live is not None:
            self._live.console.print(text, markup=False, highlight=False)
        elif self.mode != "none":
            print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
