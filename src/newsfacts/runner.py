"""Runner: drive ``process_document`` over an archive with every core, or a Dask cluster.

The reader streams documents in the parent; they go to workers in batches,
with a bounded number of batches in flight so memory stays flat whatever the
archive size. A single-article file goes as its path (``ingest.FileRef``) and
the worker reads it, so that reading and decoding run in parallel too. Each
finished batch is written whole (see :mod:`newsfacts.sinks`), in input order
unless ``ordered`` is off, so a killed run leaves only whole batches behind and
``resume`` skips exactly the documents already written.

Engines, all calling the same per-document function:

- ``serial``: in this process (``jobs=1``, or input that fits one batch);
- ``local``: a process pool whose workers start with the resources loaded (forked
  after a warm-up document, else from a preloaded forkserver, each loading them once);
- ``dask``: a Dask cluster, local (``jobs`` workers) or at ``scheduler``; the
  resources are scattered to every worker once, as the bytes of their files, and
  loaded there once, so workers need newsfacts installed and nothing else.

Every engine is handed the run's :class:`~newsfacts.resources.Resources`, loaded and
checked by the runner before any document is read.

A document that fails (unreadable, or an exception while processing) becomes
an error record ``{doc_id, source, stage, error}`` and the run goes on; a
worker process that dies is replaced and its documents are retried one by one.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from .errors import NewsfactsError, ResourceError
from .gcutil import gc_paused
from .sinks import Done, ErrorLog, Sink, SinkError, doc_key, infer_format, make_sink

# Exit codes of `newsfacts extract` (documented in docs/scale.md).
EXIT_OK = 0  # every document read gave a record
EXIT_NOTHING = 1  # no document could be read or processed
EXIT_USAGE = 2  # bad arguments, bad rules, an output that cannot be written or resumed
EXIT_PARTIAL = 3  # finished, but some documents failed (see --errors)
EXIT_ENGINE = 4  # the engine failed (Dask scheduler unreachable, workers keep dying)
EXIT_INTERRUPTED = 130  # stopped by Ctrl-C or SIGTERM; what is on disk resumes cleanly

KINDS = ("score", "rank", "procedure_count", "percentage")  # models.KINDS, without pydantic
DEFAULT_BATCH = 32
BATCH_BYTES = 1 << 20  # a batch closes at this many characters of text or HTML
GZIP_RATIO = 5  # a file not read yet counts its size on disk, a gzipped one this many times
PAGE_SCAN_LIMIT = 20_000  # file names looked at to learn whether the input holds web pages

if TYPE_CHECKING:
    from .resources import Resources

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


@dataclass
class RunStats:
    documents: int = 0  # finished this run: records + errors
    records: int = 0
    errors: int = 0
    resumed: int = 0  # skipped: finished by an earlier run
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
            "documents": self.documents,
            "records": self.records,
            "errors": self.errors,
            "errors_by_stage": dict(self.errors_by_stage),
            "resumed_skipped": self.resumed,
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
            "peak_rss_mb": {"parent": round(_rss_mb(), 1), "worker": round(self.worker_rss_mb, 1)},
            "interrupted": self.interrupted,
            "exit_code": self.exit_code,
        }


def _rss_mb() -> float:
    import resource

    # ru_maxrss is KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# --------------------------------------------------------------------------- worker side
def _default_doc_fn() -> DocFn:
    from .pipeline import process_document

    return process_document


# An outcome is ("ok", key, line, kinds) or ("err", key, error_line, stage).
Outcome = tuple[str, int, str, Any]


def error_line(doc_id: str | None, source: dict[str, Any], stage: str, error: str) -> str:
    return json.dumps({"doc_id": doc_id, "source": source, "stage": stage, "error": error},
                      ensure_ascii=False, default=str)


def _read_ref(ref: Any) -> Any:
    """A file the reader deferred to this process: its Document or ReadError."""
    from .ingest import ReadError

    try:
        return ref.read()
    except Exception as exc:  # the readers report bad files; this is a bug, kept to one document
        return ReadError(ref.doc_id, ref.source, "read", f"{type(exc).__name__}: {exc}")


def run_item(item: Any, resources: Any, with_text: bool, doc_fn: DocFn) -> Outcome:
    """One input item (a document, a read error, or a file to read first) to one outcome;
    never raises for a bad document."""
    from .ingest import FileRef, ReadError

    if isinstance(item, FileRef):
        item = _read_ref(item)
    key = doc_key(item.doc_id, item.source)
    if isinstance(item, ReadError):
        return ("err", key, error_line(item.doc_id, item.source, item.stage, item.error), item.stage)
    try:
        record = doc_fn(item, resources, with_text=with_text)
    except Exception as exc:
        return ("err", key, error_line(item.doc_id, item.source, "process",
                                       f"{type(exc).__name__}: {exc}"), "process")
    try:
        line = record.model_dump_json()
    except Exception as exc:
        return ("err", key, error_line(item.doc_id, item.source, "serialise",
                                       f"{type(exc).__name__}: {exc}"), "serialise")
    return ("ok", key, line, [f.kind for f in record.facts])


def process_batch(items: Sequence[Any], resources: Resources, with_text: bool = False,
                  doc_fn: DocFn | None = None) -> tuple[list[Outcome], float]:
    """The task every engine runs: outcomes in input order, and this worker's peak RSS (MB)."""
    fn = doc_fn or _default_doc_fn()
    return [run_item(item, resources, with_text, fn) for item in items], _rss_mb()


# A pool worker's task arguments (its resources among them), set once by its initializer:
# a process pool has no other way to hand a worker what every task needs. Only worker
# processes set it; the parent never reads it.
_POOL_ARGS: dict[str, Any] = {}


def _init_pool_worker(resources: Resources, with_text: bool, doc_fn: DocFn | None) -> None:
    """Pool worker start: keep the resources (inherited when forked, else loaded once from
    the bundle they pickle as), ignore Ctrl-C (the parent stops the run), and exit if the
    parent is gone so that a killed run leaves no orphans behind."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _POOL_ARGS.update(resources=resources, with_text=with_text, doc_fn=doc_fn)
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="newsfacts-orphan-watch").start()


def _noop() -> None:
    return None


def _warm_up(resources: Resources, pages: bool = True) -> None:
    """Load everything the first document would (rules, lexicons, the sentence splitter)
    so that forked workers inherit it instead of each loading it again.

    With ``pages`` (the input may hold web pages) that includes the HTML stack (lxml,
    trafilatura). Without, the input is plain text, that is Vietnamese news, whose
    linking soon meets an agency's name: so the word segmenter that trims those names
    (underthesea's, ~0.6 s to load) is loaded here once, not by every worker. Pages may
    be in any language and a crawl may never need it: there each worker loads it when
    it does."""
    from .ingest import Document

    sentence = "Tỉnh Hà Tĩnh đạt 90,5% năm 2023."
    if pages:
        page = (f"<html><head><title>Tiêu đề</title></head><body><article><h1>Tiêu đề</h1>"
                f"<p>{sentence}</p><p>{sentence}</p></article></body></html>")
        docs = [Document("warm-up", {}, text=f"Tiêu đề\n\n{sentence}"),
                Document("warm-up-page", {}, html=page)]
    else:
        docs = [Document("warm-up", {}, text=f"Tiêu đề\n\nCục Hàng hải Việt Nam cho biết: {sentence}")]
    process_batch(docs, resources)


def _pool_batch(items: Sequence[Any]) -> tuple[list[Outcome], float]:
    return process_batch(items, **_POOL_ARGS)


# --------------------------------------------------------------------------- engines
class _Engine:
    name = "serial"
    slots = 1
    restart_loses_pending = False
    local_files = True  # its processes can read the input files themselves

    def submit(self, items: list[Any]) -> Any:
        raise NotImplementedError

    def wait_first(self, futures: list[Any]) -> None:
        futures_wait(futures, return_when=FIRST_COMPLETED)

    def is_crash(self, exc: BaseException) -> bool:
        return False

    def restart(self) -> None:
        pass

    def close(self, cancel: bool = False) -> None:
        pass


class SerialEngine(_Engine):
    """In this process: no start-up cost, and what tests can patch."""

    def __init__(self, resources: Resources, with_text: bool, doc_fn: DocFn | None) -> None:
        self.args: dict[str, Any] = {"resources": resources, "with_text": with_text, "doc_fn": doc_fn}
        self.started = False

    def submit(self, items: list[Any]) -> Future[Any]:
        fut: Future[Any] = Future()
        # the first batch also loads the pipeline (imports, patterns, models): see gcutil
        with gc_paused() if not self.started else contextlib.nullcontext():
            self.started = True
            try:
                fut.set_result(process_batch(items, **self.args))
            except BaseException as exc:
                fut.set_exception(exc)
        return fut


class PoolEngine(_Engine):
    """Worker processes that start with the pipeline imported and the rules loaded.

    While this process has a single thread the workers are forked from it after a
    warm-up document, so they share its imports, rules and lexicons and start at
    once; otherwise (threads exist, or no fork) they come from a forkserver that
    preloads the pipeline, and each loads the rules itself.
    """

    name = "local"
    restart_loses_pending = True

    def __init__(self, jobs: int, resources: Resources, with_text: bool,
                 doc_fn: DocFn | None, pages: bool = True) -> None:
        self.jobs = self.slots = jobs
        self.initargs = (resources, with_text, doc_fn)
        self.pages = pages
        self.pool = self._new_pool(first=True)

    def _context(self, first: bool) -> Any:
        import gc
        import multiprocessing as mp

        methods = mp.get_all_start_methods()
        if first and "fork" in methods and threading.active_count() == 1:
            with gc_paused():
                _warm_up(self.initargs[0], self.pages)
                # What start-up loaded lives as long as the workers: out of the collector's
                # sight, their collections do not walk it again and again, nor write to the
                # pages they share with this process (the gc module docs' advice for fork).
                gc.freeze()
            return mp.get_context("fork")
        if "forkserver" in methods:
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(["newsfacts.pipeline", "underthesea"])
            return ctx
        return mp.get_context("spawn")

    def _new_pool(self, first: bool = False) -> Any:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(self.jobs, mp_context=self._context(first),
                                   initializer=_init_pool_worker, initargs=self.initargs)
        pool.submit(_noop)  # start every worker now, before any other thread exists
        return pool

    def submit(self, items: list[Any]) -> Any:
        return self.pool.submit(_pool_batch, items)

    def is_crash(self, exc: BaseException) -> bool:
        from concurrent.futures.process import BrokenProcessPool

        return isinstance(exc, BrokenProcessPool)

    def restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool(first=False)

    def close(self, cancel: bool = False) -> None:
        self.pool.shutdown(wait=True, cancel_futures=cancel)


class DaskEngine(_Engine):
    """The same batches as tasks on a Dask cluster (a local one when no address is given)."""

    name = "dask"
    local_files = False  # workers may run on other machines: send them the documents

    def __init__(self, jobs: int, scheduler: str | None, resources: Resources,
                 with_text: bool, doc_fn: DocFn | None) -> None:
        try:
            import logging

            from distributed import Client, LocalCluster
        except ImportError:
            raise RunError("--engine dask needs dask: pip install 'newsfacts[dask]'") from None
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="20s")
            else:
                self.cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            raise RunError(f"cannot reach the Dask scheduler: {exc}", EXIT_ENGINE) from None
        threads = sum(self.client.nthreads().values()) or 1
        self.slots = threads
        # once to every worker, which loads them once from their files (Resources.__reduce__)
        shipped = self.client.scatter(resources, broadcast=True)
        self.args = (shipped, with_text, doc_fn)

    def submit(self, items: list[Any]) -> Any:
        return self.client.submit(process_batch, items, *self.args, pure=False)

    def wait_first(self, futures: list[Any]) -> None:
        from distributed import wait

        wait(futures, return_when="FIRST_COMPLETED")

    def is_crash(self, exc: BaseException) -> bool:
        from distributed import KilledWorker

        return isinstance(exc, KilledWorker)

    def close(self, cancel: bool = False) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


# --------------------------------------------------------------------------- progress
class _Reporter:
    def start(self, stats: RunStats) -> None: ...
    def update(self, stats: RunStats) -> None: ...
    def message(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def finish(self, stats: RunStats) -> None: ...


class _Quiet(_Reporter):
    """No progress; per-document messages still go to stderr."""


def _kinds_text(stats: RunStats) -> str:
    return ", ".join(f"{k} {stats.facts.get(k, 0)}" for k in KINDS)


class _Plain(_Reporter):
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


class _Rich(_Reporter):
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


def _reporter(mode: str, every: float) -> _Reporter:
    if mode == "none":
        return _Quiet()
    if mode == "auto":
        mode = "rich" if sys.stderr.isatty() else "plain"
    return _Rich() if mode == "rich" else _Plain(every)


def count_documents(paths: Iterable[str], limit: int | None = None) -> int | None:
    """Documents to expect when every input is a one-article file; None for archives.

    With ``limit``, stops counting past it (to decide cheaply whether a pool pays off).
    """
    from .ingest import HTML_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES, WARC_SUFFIXES

    single = tuple(TEXT_SUFFIXES) + tuple(HTML_SUFFIXES)
    archives = tuple(WARC_SUFFIXES) + tuple(JSONL_SUFFIXES)
    n = 0
    for raw in paths:
        if str(raw) == "-":
            return None  # standard input: an archive stream
        p = Path(raw)
        if not p.is_dir():
            if p.name.lower().endswith(archives):
                return None
            n += 1  # read, or reported as an error
            continue
        for _, _, names in os.walk(p):
            for name in names:
                low = name.lower()
                if name.startswith("."):
                    continue
                if low.endswith(archives):
                    return None
                if low.endswith(single):
                    n += 1
                    if limit is not None and n > limit:
                        return n
    return n


def may_hold_pages(paths: Iterable[str], limit: int = PAGE_SCAN_LIMIT) -> bool:
    """Whether the input can hold web pages (HTML files, WARC or JSON Lines archives,
    standard input, or a path not known yet such as a glob); False for plain texts only.
    Past ``limit`` file names it stops looking and says True: a start-up that waits on a
    walk through a huge folder would cost more than loading the HTML stack."""
    from .ingest import HTML_SUFFIXES, JSONL_SUFFIXES, WARC_SUFFIXES

    paged = tuple(HTML_SUFFIXES) + tuple(WARC_SUFFIXES) + tuple(JSONL_SUFFIXES)
    seen = 0
    for raw in paths:
        p = Path(raw)
        if str(raw) == "-" or not p.exists():
            return True
        names = [p.name] if not p.is_dir() else (
            name for _, _, files in os.walk(p) for name in files if not name.startswith("."))
        for name in names:
            seen += 1
            if seen > limit or name.lower().endswith(paged):
                return True
    return False


def _volume(item: Any) -> int:
    """Characters of text or HTML an item brings to its batch; a file not read yet counts
    its size on disk (a gzipped one GZIP_RATIO times: pages compress about that well)."""
    from .ingest import FileRef

    if isinstance(item, FileRef):
        size = item.size()
        return size * GZIP_RATIO if item.path.lower().endswith(".gz") else size
    return len(getattr(item, "text", None) or "") + len(getattr(item, "html", None) or "")


# --------------------------------------------------------------------------- the run
@dataclass
class _Batch:
    items: list[Any]
    future: Any = None


class Runner:
    """One ``extract`` run; :meth:`run` returns the stats (``exit_code`` set)."""

    def __init__(self, opts: RunOptions) -> None:
        self.opts = opts
        self.stats = RunStats()
        self.fmt = ""
        self.jobs = 1
        self.engine_name = "serial"

    # -- setup
    def _load_resources(self) -> Resources:
        """The run's resources, every file checked, before any document is read."""
        from .resources import load_resources

        if self.opts.resources is not None:
            return self.opts.resources
        try:
            return load_resources(self.opts.rules_dir)
        except ResourceError as exc:
            raise RunError(f"error: {exc}", EXIT_USAGE) from None

    def _engine(self, resources: Resources) -> _Engine:
        o = self.opts
        jobs = o.jobs if o.jobs and o.jobs > 0 else (os.cpu_count() or 1)
        self.jobs = jobs
        if o.engine == "dask":
            # the resources themselves travel: workers elsewhere may have another copy, or none
            eng: _Engine = DaskEngine(jobs, o.scheduler, resources, o.with_text, o.doc_fn)
            self.jobs = eng.slots
        elif o.engine != "local":
            raise RunError(f"error: unknown engine {o.engine!r} (local or dask)")
        elif jobs == 1 or self._fits_one_batch():
            self.jobs = 1
            eng = SerialEngine(resources, o.with_text, o.doc_fn)
        else:
            eng = PoolEngine(jobs, resources, o.with_text, o.doc_fn, pages=may_hold_pages(o.paths))
        self.engine_name = eng.name
        return eng

    def _fits_one_batch(self) -> bool:
        """A pool's start-up costs more than it saves on one batch of documents."""
        try:
            n = count_documents(self.opts.paths, limit=self.opts.batch_size)
        except OSError:
            return False
        return n is not None and n <= self.opts.batch_size

    def _items(self, done: set[int], defer_files: bool = False) -> Iterator[list[Any]]:
        """Batches of input items; with ``defer_files``, files go as :class:`FileRef` for the
        engine's processes to read (they share this machine's disk)."""
        from .ingest import iter_documents

        batch: list[Any] = []
        size = max(1, self.opts.batch_size)
        volume = 0
        own = [p for p in (self.opts.output, self.opts.errors, self.opts.stats) if p]  # never inputs
        for item in iter_documents(self.opts.paths, skip=own, defer_files=defer_files):
            if done and doc_key(item.doc_id, item.source) in done:
                self.stats.resumed += 1
                continue
            batch.append(item)
            volume += _volume(item)
            # web pages are ~60x a news text: cap a batch's volume too, so that
            # workers stay evenly loaded and a batch in flight stays small
            if len(batch) >= size or volume >= BATCH_BYTES:
                yield batch
                batch, volume = [], 0
        if batch:
            yield batch

    # -- the loop
    def run(self) -> RunStats:
        o = self.opts
        stats = self.stats
        try:
            self.fmt = infer_format(o.output, o.fmt)
            sink = make_sink(o.output, self.fmt)
        except SinkError as exc:
            raise RunError(f"error: {exc}") from None
        with gc_paused():  # start-up: see gcutil
            resources = self._load_resources()
        errlog = ErrorLog(o.errors) if o.errors else None
        try:
            done = sink.open(o.resume)
            if errlog is not None:
                done |= errlog.open(o.resume)
        except (SinkError, OSError) as exc:
            raise RunError(f"error: {exc}") from None
        reporter = _reporter(o.progress, o.progress_every)
        try:
            engine = self._engine(resources)
        except BaseException:
            sink.close()
            if errlog is not None:
                errlog.close()
            raise
        counter = threading.Thread(target=self._count, daemon=True, name="newsfacts-count")
        counter.start()
        old_term = _sigterm_as_interrupt()
        reporter.start(stats)
        try:
            self._drive(engine, sink, errlog, done, reporter)
        except KeyboardInterrupt:
            stats.interrupted = True
        finally:
            _restore_sigterm(old_term)
            engine.close(cancel=stats.interrupted)
            sink.close()
            if errlog is not None:
                errlog.close()
            stats.elapsed = time.perf_counter() - stats.started
            reporter.finish(stats)
        if stats.interrupted:
            stats.exit_code = EXIT_INTERRUPTED
        elif stats.records == 0 and stats.resumed == 0:
            stats.exit_code = EXIT_NOTHING
        elif stats.errors:
            stats.exit_code = EXIT_PARTIAL
        if o.stats is not None:
            o.stats.parent.mkdir(parents=True, exist_ok=True)
            o.stats.write_text(json.dumps(self.summary(), ensure_ascii=False, indent=2) + "\n",
                               encoding="utf-8")
        return stats

    def summary(self) -> dict[str, Any]:
        return self.stats.as_dict(self.opts, self.engine_name, self.jobs, self.fmt)

    def _count(self) -> None:
        try:
            self.stats.total = count_documents(self.opts.paths)
        except OSError:
            self.stats.total = None

    def _drive(self, engine: _Engine, sink: Sink, errlog: ErrorLog | None, done: set[int],
               reporter: _Reporter) -> None:
        inflight: deque[_Batch] = deque()
        limit = engine.slots * 2 + 1
        for items in self._items(done, defer_files=engine.local_files):
            while len(inflight) >= limit:
                self._collect_one(engine, inflight, sink, errlog, reporter)
            batch = _Batch(items)
            batch.future = engine.submit(items)
            inflight.append(batch)
        while inflight:
            self._collect_one(engine, inflight, sink, errlog, reporter)

    def _collect_one(self, engine: _Engine, inflight: deque[_Batch], sink: Sink,
                     errlog: ErrorLog | None, reporter: _Reporter) -> None:
        """Write one finished batch: the oldest (ordered) or any finished one."""
        if self.opts.ordered:
            batch = inflight[0]
        else:
            pending = [b.future for b in inflight]
            engine.wait_first(pending)
            batch = next(b for b in inflight if b.future.done())
        try:
            outcomes, rss = batch.future.result()
        except BaseException as exc:
            if not engine.is_crash(exc):
                raise
            outcomes, rss = self._recover(engine, inflight, batch, reporter)
        inflight.remove(batch)
        self._write(outcomes, rss, sink, errlog, reporter)

    def _recover(self, engine: _Engine, inflight: deque[_Batch], batch: _Batch,
                 reporter: _Reporter) -> tuple[list[Outcome], float]:
        """A worker died: restart the engine and rerun this batch one document at a time with
        nothing else in flight, so the document that kills a worker again is the one blamed
        (it becomes an error record); then resubmit the other batches whole."""
        reporter.message("warning: a worker process died; retrying its documents one by one")
        engine.restart()
        outcomes: list[Outcome] = []
        rss = 0.0
        for item in batch.items:
            try:
                got, r = engine.submit([item]).result()
            except BaseException as exc:
                if not engine.is_crash(exc):
                    raise
                engine.restart()
                got = [("err", doc_key(item.doc_id, item.source),
                        error_line(item.doc_id, item.source, "worker",
                                   f"worker process died: {exc}"), "worker")]
                r = 0.0
            outcomes.extend(got)
            rss = max(rss, r)
        for other in inflight:
            if other is not batch and (engine.restart_loses_pending or _failed(other.future)):
                other.future = engine.submit(other.items)
        return outcomes, rss

    def _write(self, outcomes: list[Outcome], rss: float, sink: Sink, errlog: ErrorLog | None,
               reporter: _Reporter) -> None:
        stats = self.stats
        ok = [Done(key, line) for kind, key, line, _ in outcomes if kind == "ok"]
        errs = [(line, stage) for kind, _, line, stage in outcomes if kind == "err"]
        sink.write_batch(ok)
        if errlog is not None and errs:
            errlog.write_lines(line for line, _ in errs)
        for kind, _, line, extra in outcomes:
            if kind == "ok":
                stats.facts.update(extra)
            elif errlog is None:
                e = json.loads(line)
                where = e["doc_id"] or e["source"].get("path")
                reporter.message(f"skipped {where}: {e['stage']}: {e['error']}")
        stats.records += len(ok)
        stats.errors += len(errs)
        stats.errors_by_stage.update(stage for _, stage in errs)
        stats.documents += len(outcomes)
        if stats.first_batch_at is None:
            stats.first_batch_at, stats.first_batch_docs = time.perf_counter(), stats.documents
        stats.worker_rss_mb = max(stats.worker_rss_mb, rss)
        reporter.update(stats)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _failed(future: Any) -> bool:
    if not future.done():
        return False
    return bool(future.cancelled() or future.exception() is not None)


def _sigterm_as_interrupt() -> Any:
    """SIGTERM stops the run as Ctrl-C does: finished batches stay, the rest resumes."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(_signum: int, _frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends at once
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, handler)


def _restore_sigterm(old: Any) -> None:
    if old is not None:
        signal.signal(signal.SIGTERM, old)


def summary_line(stats: RunStats) -> str:
    """The closing line on stderr."""
    resumed = f", {stats.resumed} already done" if stats.resumed else ""
    return (f"{stats.documents} documents, {stats.records} records, "
            f"{sum(stats.facts.values())} facts ({_kinds_text(stats)}), {stats.errors} errors"
            f"{resumed}, {stats.elapsed:.2f} s, {stats.rate():.1f} docs/s")


def run(opts: RunOptions) -> RunStats:
    """Run ``extract`` with ``opts``; raises :class:`RunError` when it cannot start."""
    return Runner(opts).run()
