"""Progress on stderr while a run goes: none, a plain line every few seconds, or a rich
live display on a terminal; and the closing summary line."""

from __future__ import annotations

import sys
import time
from typing import Any, ClassVar, TextIO

from ..models import KINDS
from .options import RunStats


class Reporter:
    def start(self, stats: RunStats) -> None: ...
    def update(self, stats: RunStats) -> None: ...
    def message(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def finish(self, stats: RunStats) -> None: ...


class _Quiet(Reporter):
    """No progress; per-document messages still go to stderr."""


def _kinds_text(stats: RunStats) -> str:
    return ", ".join(f"{k} {stats.facts.get(k, 0)}" for k in KINDS)


class _Plain(Reporter):
    """One line every ``every`` seconds, for logs and pipes."""

    def __init__(self, every: float, stream: TextIO | None = None) -> None:
        self.every = every
        self.stream = stream or sys.stderr
        self.last = time.perf_counter()

    def update(self, stats: RunStats) -> None:
        now = time.perf_counter()
        if now - self.last >= self.every:
            self.last = now
            total = f"/{stats.total}" if stats.total else ""
            print(f"progress: {stats.documents}{total} documents, {stats.rate():.1f} docs/s, "
                  f"{sum(stats.facts.values())} facts ({_kinds_text(stats)}), "
                  f"{stats.errors} errors", file=self.stream, flush=True)

    def message(self, text: str) -> None:
        print(text, file=self.stream, flush=True)


class _Rich(Reporter):
    """A live display on a terminal: a bar with documents, docs/s and ETA; below it,
    facts by kind and errors (two lines, so it fits 80 columns)."""

    SHORT: ClassVar[dict[str, str]] = {"score": "score", "rank": "rank", "procedure_count": "procedures",
             "percentage": "percentages"}

    def __init__(self) -> None:
        from rich.console import Console, Group
        from rich.live import Live
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        self.console = Console(stderr=True)
        self.progress = Progress(
            BarColumn(bar_width=24), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} docs/s"), TimeElapsedColumn(), TextColumn("eta"),
            TimeRemainingColumn(), console=self.console)
        self.line = Text()
        self.live = Live(Group(self.progress, self.line), console=self.console,
                         refresh_per_second=4, redirect_stdout=False, redirect_stderr=False,
                         transient=False)
        self.task: Any = None

    def start(self, stats: RunStats) -> None:
        self.task = self.progress.add_task("extract", total=stats.total, rate="0.0")
        self.live.start()

    def update(self, stats: RunStats) -> None:
        total = None if stats.total is None else max(stats.total - stats.resumed, stats.documents)
        self.progress.update(self.task, completed=stats.documents, total=total,
                             rate=f"{stats.rate():.1f}")
        facts = ", ".join(f"{self.SHORT[k]} {stats.facts.get(k, 0)}" for k in KINDS)
        resumed = f" · {stats.resumed} done before" if stats.resumed else ""
        self.line.plain = ""
        self.line.append(f"facts: {facts} · ")
        self.line.append(f"{stats.errors} errors", style="red" if stats.errors else "")
        self.line.append(resumed)

    def message(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False)

    def finish(self, stats: RunStats) -> None:
        self.update(stats)
        self.live.stop()


def make_reporter(mode: str, every: float) -> Reporter:
    if mode == "none":
        return _Quiet()
    if mode == "auto":
        mode = "rich" if sys.stderr.isatty() else "plain"
    return _Rich() if mode == "rich" else _Plain(every)



def summary_line(stats: RunStats) -> str:
    """The closing line on stderr."""
    resumed = f", {stats.resumed} already done" if stats.resumed else ""
    resumed += f", {stats.duplicates} duplicates dropped" if stats.duplicates else ""
    return (f"{stats.documents} documents, {stats.records} records, "
            f"{sum(stats.facts.values())} facts ({_kinds_text(stats)}), {stats.errors} errors"
            f"{resumed}, {stats.elapsed:.2f} s, {stats.rate():.1f} docs/s")
