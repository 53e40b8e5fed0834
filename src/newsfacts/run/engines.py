"""Engines: where batches run. Serial (this process), a local process pool, or Dask.

All three run :func:`~newsfacts.run.worker.process_batch` with the run's resources;
:class:`Engine` is what the loop needs of one. To add an engine, subclass it and
choose it in :meth:`newsfacts.run.loop.Runner._engine`.
"""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import wait as futures_wait
from typing import TYPE_CHECKING, Any

from ..gcutil import gc_paused
from .options import EXIT_ENGINE, DocFn, RunError
from .worker import init_pool_worker, noop, pool_batch, process_batch, warm_up, warm_up_task

if TYPE_CHECKING:
    from ..resources import Resources


class Engine:
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


class SerialEngine(Engine):
    """In this process: no start-up cost, and what tests can patch."""

    def __init__(self, resources: Resources, with_text: bool, doc_fn: DocFn | None,
                 time_limit: float | None = None, max_figures: int | None = None) -> None:
        self.args: dict[str, Any] = {"resources": resources, "with_text": with_text, "doc_fn": doc_fn,
                                     "time_limit": time_limit, "max_figures": max_figures}
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


class PoolEngine(Engine):
    """Worker processes that start with the pipeline imported and the rules loaded.

    While this process has a single thread the workers are forked from it after a
    warm-up document, so they share its imports, rules and lexicons and start at
    once; otherwise (threads exist, or no fork) they come from a forkserver that
    preloads the pipeline, and each loads the rules itself.
    """

    name = "local"
    restart_loses_pending = True

    def __init__(self, jobs: int, resources: Resources, with_text: bool,
                 doc_fn: DocFn | None, pages: bool = True, time_limit: float | None = None,
                 max_figures: int | None = None) -> None:
        self.jobs = self.slots = jobs
        self.initargs: tuple[Any, ...] = (resources, with_text, doc_fn, time_limit, max_figures)
        self.pages = pages
        self.pool = self._new_pool(first=True)

    def _context(self, first: bool) -> Any:
        import gc
        import multiprocessing as mp

        methods = mp.get_all_start_methods()
        if first and "fork" in methods and threading.active_count() == 1:
            with gc_paused():
                warm_up(self.initargs[0], self.pages)
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

        ctx = self._context(first)
        # forked from this warmed-up process, a worker inherits what the warm-up loaded;
        # any other worker warms itself up in its initializer, before its first batch
        warm = None if ctx.get_start_method() == "fork" else self.pages
        pool = ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=init_pool_worker,
                                   initargs=(*self.initargs, warm))
        pool.submit(noop)  # start every worker now, before any other thread exists
        return pool

    def submit(self, items: list[Any]) -> Any:
        return self.pool.submit(pool_batch, items)

    def is_crash(self, exc: BaseException) -> bool:
        from concurrent.futures.process import BrokenProcessPool

        return isinstance(exc, BrokenProcessPool)

    def restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool(first=False)

    def close(self, cancel: bool = False) -> None:
        """On a stop (Ctrl-C, SIGTERM, a closed pipe) the batches still running would be
        thrown away anyway: the workers are ended at once instead of waited for, so that the
        run stops within seconds and a second Ctrl-C never finds it joining a busy worker."""
        if not cancel:
            self.pool.shutdown(wait=True)
            return
        procs = list((getattr(self.pool, "_processes", None) or {}).values())
        manager = getattr(self.pool, "_executor_manager_thread", None)  # shutdown forgets it
        self.pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                p.terminate()
        for p in procs:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                p.join(timeout=5)
                if p.is_alive():
                    p.kill()
        # the pool's manager thread closes its wake-up pipe once it sees the workers gone;
        # exiting before it has would let the interpreter's exit hook write to that pipe as
        # it closes ("Exception ignored … Bad file descriptor" after a closed stdout pipe)
        if manager is not None:
            manager.join(timeout=5)


class DaskEngine(Engine):
    """The same batches as tasks on a Dask cluster (a local one when no address is given)."""

    name = "dask"
    local_files = False  # workers may run on other machines: send them the documents

    def __init__(self, jobs: int, scheduler: str | None, resources: Resources,
                 with_text: bool, doc_fn: DocFn | None, time_limit: float | None = None,
                 max_figures: int | None = None, pages: bool = True) -> None:
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
        self.args = (shipped, with_text, doc_fn, time_limit, max_figures)
        # every worker warms up on its copy before the first batch (a worker that joins
        # later loads lazily in its first batch, as one restarted by Dask does)
        warm = [self.client.submit(warm_up_task, shipped, pages, workers=[addr], pure=False,
                                   allow_other_workers=False)
                for addr in self.client.nthreads()]
        self.client.gather(warm)

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
