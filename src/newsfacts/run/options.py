"""What an ``extract`` run is asked to do and what it reports: options, stats, exit codes.

This module imports no heavy library: the command line builds :class:`RunOptions`
before anything else is loaded.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import NewsfactsError
from ..models import KINDS

# Exit codes of `newsfacts extract` (documented in docs/scale.md).
EXIT_OK = 0  # every document read gave a record
EXIT_NOTHING = 1  # no document could be read or processed
EXIT_USAGE = 2  # bad arguments, bad rules, an output that cannot be written or resumed
EXIT_PARTIAL = 3  # finished, but some documents failed (see --errors)
EXIT_ENGINE = 4  # the engine failed (Dask scheduler unreachable, workers keep dying)
EXIT_INTERRUPTED = 130  # stopped by Ctrl-C or SIGTERM; what is on disk resumes cleanly
EXIT_PIPE = 141  # standard output closed by its reader (`| head`): 128 + SIGPIPE, as a shell shows


DEFAULT_BATCH = 32
DEFAULT_TIME_LIMIT = 120.0  # seconds per document: a 20 MB page takes well under a minute
# Figures per document: the richest article of the seeds, dev sets and 3,000 bench
# articles has 36 facts, a results table of all 63 provinces on ten indexes ~1,300; a
# document with more is a data dump, not news, and is an error (stage "limit") rather
# than a record cut short, which would pass for the whole document.
DEFAULT_MAX_FIGURES = 10_000

if TYPE_CHECKING:
    from ..resources import Resources

DocFn = Callable[..., Any]


class RunError(NewsfactsError):
    """A run that cannot start or go on; ``code`` is the exit code to use."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = self.exit_code = code


@dataclass
class RunOptions:
    paths: list[str]
    output: Path | None = None
    fmt: str | None = None
    jobs: int = 0  # 0: every core
    ordered: bool = True
    resume: bool = False
    errors: Path | None = None
    stats: Path | None = None
    engine: str = "local"
    scheduler: str | None = None
    rules_dir: Path | None = None
    resources: Resources | None = None  # already loaded; else loaded from rules_dir
    with_text: bool = False
    batch_size: int = DEFAULT_BATCH
    progress: str = "auto"  # auto | rich | plain | none
    progress_every: float = 10.0  # seconds between plain progress lines
    doc_fn: DocFn | None = None  # the per-document function; default pipeline.process_document
    time_limit: float | None = DEFAULT_TIME_LIMIT  # seconds per document; None or 0: none
    dedupe: bool = False  # drop an article whose URL or cleaned text was already written
    max_figures: int | None = DEFAULT_MAX_FIGURES  # figures per document; None or 0: none


@dataclass
class RunStats:
    documents: int = 0  # finished this run: records + errors
    records: int = 0
    errors: int = 0
    resumed: int = 0  # skipped: finished by an earlier run
    duplicates: int = 0  # dropped by --dedupe: same URL or same cleaned text as one written
    facts: Counter[str] = field(default_factory=Counter)
    errors_by_stage: Counter[str] = field(default_factory=Counter)
    worker_rss_mb: float = 0.0
    started: float = field(default_factory=time.perf_counter)
    elapsed: float = 0.0
    # When the first batch was written, and how many documents it held: the rate after it
    # is the rate an archive runs at, without start-up (imports, patterns, lexicons).
    first_batch_at: float | None = None
    first_batch_docs: int = 0
    total: int | None = None  # expected documents, when countable up front
    interrupted: bool = False
    pipe_closed: bool = False  # stdout's reader went away: the run stopped, quietly
    producer: dict[str, str] | None = None  # version and rules digest, as every record says
    exit_code: int = EXIT_OK

    def rate(self) -> float:
        spent = (self.elapsed or (time.perf_counter() - self.started))
        return self.documents / spent if spent > 0 else 0.0

    def steady_rate(self) -> float | None:
        """Documents per second after the first batch; None until a second one is written."""
        if self.first_batch_at is None or self.documents <= self.first_batch_docs:
            return None
        end = self.started + self.elapsed if self.elapsed else time.perf_counter()
        spent = end - self.first_batch_at
        return (self.documents - self.first_batch_docs) / spent if spent > 0 else None

    def as_dict(self, opts: RunOptions, engine: str, jobs: int, fmt: str) -> dict[str, Any]:
        return {
            "producer": self.producer,
            "documents": self.documents,
            "records": self.records,
            "errors": self.errors,
            "errors_by_stage": dict(self.errors_by_stage),
            "resumed_skipped": self.resumed,
            "duplicates_dropped": self.duplicates,
            "facts": sum(self.facts.values()),
            "facts_by_kind": {k: self.facts.get(k, 0) for k in KINDS},
            "elapsed_s": round(self.elapsed, 3),
            "docs_per_s": round(self.rate(), 1),
            "docs_per_s_after_first_batch": _round(self.steady_rate()),
            "engine": engine,
            "jobs": jobs,
            "format": fmt,
            "output": str(opts.output) if opts.output else "-",
            "errors_file": str(opts.errors) if opts.errors else None,
            "peak_rss_mb": {"parent": round(rss_mb(), 1), "worker": round(self.worker_rss_mb, 1)},
            "interrupted": self.interrupted,
            "exit_code": self.exit_code,
        }




def rss_mb() -> float:
    """This process's peak resident size in MB: Linux's VmHWM, the high-water mark of the
    process's own memory, which starts afresh at exec. ``ru_maxrss`` does not: a process
    inherits it across fork/exec from whoever started it (a run started from a 300 MB
    parent would say 300 MB), so it is only the fallback where /proc is not there."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0  # kB
    except (OSError, ValueError, IndexError):
        pass
    import resource

    # ru_maxrss is KiB on Linux, bytes on macOS
    scale = 1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
