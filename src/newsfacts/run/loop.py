"""The loop of one ``extract`` run: read, batch, submit, collect in order, write.

A bounded number of batches is in flight so that memory stays flat whatever the
archive size; a worker that dies is replaced and its documents retried one by one.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..documents import where
from ..errors import OutputError, ResourceError
from ..gcutil import gc_paused
from ..ingest import count_documents, may_hold_pages
from ..outfiles import lock_output
from ..sinks import (
    Done,
    ErrorLog,
    PipeClosed,
    Sink,
    SinkError,
    doc_key,
    infer_format,
    make_sink,
)
from .engines import DaskEngine, Engine, PoolEngine, SerialEngine
from .identity import DocIds, written_ids
from .options import (
    EXIT_INTERRUPTED,
    EXIT_NOTHING,
    EXIT_PARTIAL,
    EXIT_PIPE,
    EXIT_USAGE,
    RunError,
    RunOptions,
    RunStats,
)
from .progress import Reporter, make_reporter
from .worker import Outcome, error_line, warm_up

if TYPE_CHECKING:
    from ..resources import Resources

BATCH_BYTES = 1 << 20  # a batch closes at this many characters of text or HTML
GZIP_RATIO = 5  # a file not read yet counts its size on disk, a gzipped one this many times


def _volume(item: Any) -> int:
    """Characters of text or HTML an item brings to its batch; a file not read yet counts
    its size on disk (a gzipped one GZIP_RATIO times: pages compress about that well)."""
    from ..ingest import FileRef

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
        self.ids = DocIds(opts.dedupe)

    # -- setup
    def _load_resources(self) -> Resources:
        """The run's resources, every file checked, before any document is read."""
        from ..resources import load_resources

        if self.opts.resources is not None:
            return self.opts.resources
        try:
            return load_resources(self.opts.rules_dir)
        except ResourceError as exc:
            raise RunError(f"error: {exc}", EXIT_USAGE) from None

    def _engine(self, resources: Resources) -> Engine:
        o = self.opts
        jobs = o.jobs if o.jobs and o.jobs > 0 else (os.cpu_count() or 1)
        self.jobs = jobs
        if o.engine == "dask":
            # the resources themselves travel: workers elsewhere may have another copy, or none
            eng: Engine = DaskEngine(jobs, o.scheduler, resources, o.with_text, o.doc_fn,
                                     o.time_limit, o.max_figures, pages=may_hold_pages(o.paths))
            self.jobs = eng.slots
        elif o.engine != "local":
            raise RunError(f"error: unknown engine {o.engine!r} (local or dask)")
        elif jobs == 1 or self._fits_one_batch():
            self.jobs = 1
            eng = SerialEngine(resources, o.with_text, o.doc_fn, o.time_limit, o.max_figures)
            if jobs == 1 and not self._fits_one_batch():
                # what every document needs (the word segmenter, for texts) loads before the
                # first batch, as a pool's does, not inside it: one job's rate after the
                # first batch then measures the same work as two jobs'
                with gc_paused():
                    warm_up(resources, may_hold_pages(o.paths))
        else:
            eng = PoolEngine(jobs, resources, o.with_text, o.doc_fn, pages=may_hold_pages(o.paths),
                             time_limit=o.time_limit, max_figures=o.max_figures)
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
        from ..ingest import iter_documents

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
        try:
            self.fmt = infer_format(o.output, o.fmt)
            sink = make_sink(o.output, self.fmt)
            _check_writable(o.stats)
            lock = lock_output(o.output, folder=self.fmt == "parquet")
        except OutputError as exc:
            raise RunError(f"error: {exc}") from None
        try:
            return self._run_locked(sink)
        finally:
            if lock is not None:
                os.close(lock)

    def _run_locked(self, sink: Sink) -> RunStats:
        o = self.opts
        stats = self.stats
        with gc_paused():  # start-up: see gcutil
            resources = self._load_resources()
        from ..pipeline import producer_of

        stats.producer = producer_of(resources)
        errlog = ErrorLog(o.errors) if o.errors else None
        try:
            done = sink.open(o.resume)
            if errlog is not None:
                done |= errlog.open(o.resume)
            if o.resume and done and o.output is not None:
                self.ids.seed(written_ids(o.output, self.fmt))
        except (SinkError, OSError) as exc:
            raise RunError(f"error: {exc}") from None
        reporter = make_reporter(o.progress, o.progress_every)
        try:
            engine = self._engine(resources)
        except BaseException:
            self._close(sink, errlog, complete=False)
            raise
        counter = threading.Thread(target=self._count, daemon=True, name="newsfacts-count")
        counter.start()
        old_term = _sigterm_as_interrupt()
        reporter.start(stats)
        finished = False
        try:
            self._drive(engine, sink, errlog, done, reporter)
            finished = True
        except KeyboardInterrupt:
            stats.interrupted = True
            old_int = _second_interrupt_exits()
        except PipeClosed:
            stats.pipe_closed = True
        finally:
            _restore_sigterm(old_term)
            try:
                engine.close(cancel=not finished)
            finally:
                self._close(sink, errlog, finished)
                stats.elapsed = time.perf_counter() - stats.started
                reporter.finish(stats)
                if stats.interrupted:
                    _restore_sigint(old_int)
        if stats.pipe_closed:
            stats.exit_code = EXIT_PIPE
        elif stats.interrupted:
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

    def _close(self, sink: Sink, errlog: ErrorLog | None, complete: bool) -> None:
        """Close the outputs; a finished run drops the CSV journal, and a run that wrote no
        record into an output it created leaves no empty file behind."""
        sink.close()
        if errlog is not None:
            errlog.close()
        if self.stats.records == 0 and not self.opts.resume:
            sink.finish(False)
            if errlog is not None and self.stats.errors == 0:
                errlog.finish(False)
        elif complete:
            sink.finish(True)

    def summary(self) -> dict[str, Any]:
        return self.stats.as_dict(self.opts, self.engine_name, self.jobs, self.fmt)

    def _count(self) -> None:
        try:
            self.stats.total = count_documents(self.opts.paths)
        except OSError:
            self.stats.total = None

    def _drive(self, engine: Engine, sink: Sink, errlog: ErrorLog | None, done: set[int],
               reporter: Reporter) -> None:
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

    def _collect_one(self, engine: Engine, inflight: deque[_Batch], sink: Sink,
                     errlog: ErrorLog | None, reporter: Reporter) -> None:
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

    def _recover(self, engine: Engine, inflight: deque[_Batch], batch: _Batch,
                 reporter: Reporter) -> tuple[list[Outcome], float]:
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
               reporter: Reporter) -> None:
        stats = self.stats
        ok: list[Done] = []
        for kind, key, line, extra in outcomes:
            if kind != "ok":
                continue
            written = self.ids.identify(key, line, extra[1])
            if written is None:
                stats.duplicates += 1
                continue
            ok.append(Done(key, written))
            stats.facts.update(extra[0])
        errs = [(line, stage) for kind, _, line, stage in outcomes if kind == "err"]
        sink.write_batch(ok)
        if errlog is not None and errs:
            errlog.write_lines(line for line, _ in errs)
        for kind, _, line, _extra in outcomes:
            if kind == "err" and errlog is None:
                e = json.loads(line)
                reporter.message(f"skipped {where(e['source'], e['doc_id'])}: {e['stage']}: {e['error']}")
        stats.records += len(ok)
        stats.errors += len(errs)
        stats.errors_by_stage.update(stage for _, stage in errs)
        stats.documents += len(outcomes)
        if stats.first_batch_at is None:
            stats.first_batch_at, stats.first_batch_docs = time.perf_counter(), stats.documents
        stats.worker_rss_mb = max(stats.worker_rss_mb, rss)
        reporter.update(stats)


def _check_writable(path: Any) -> None:
    """Refuse at once a summary file that could not be written at the end: a complete run
    must not end in an error for want of a folder."""
    if path is None:
        return
    from pathlib import Path

    target = Path(path)
    if target.is_dir():
        raise SinkError(f"--stats {target} is a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SinkError(f"--stats {target}: {exc.strerror or exc}") from None
    if not os.access(target.parent, os.W_OK | os.X_OK) or (
            target.exists() and not os.access(target, os.W_OK)):
        raise SinkError(f"--stats {target}: not writable")


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


def _second_interrupt_exits() -> Any:
    """While a stopped run closes its outputs and ends its workers (seconds at most), a
    second Ctrl-C ends the process at once: every batch on disk is whole (each was
    written and synced before the next), and pool workers exit when their parent goes."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(_signum: int, _frame: Any) -> None:
        os._exit(EXIT_INTERRUPTED)

    return signal.signal(signal.SIGINT, handler)


def _restore_sigint(old: Any) -> None:
    if old is not None:
        signal.signal(signal.SIGINT, old)


def _restore_sigterm(old: Any) -> None:
    if old is not None:
        signal.signal(signal.SIGTERM, old)



def run(opts: RunOptions) -> RunStats:
    """Run ``extract`` with ``opts``; raises :class:`RunError` when it cannot start."""
    return Runner(opts).run()
