"""The worker side of a run: one input item to one outcome, and a batch of them.

Every engine runs :func:`process_batch`; a process pool's workers start in
:func:`init_pool_worker` and forked ones inherit what :func:`warm_up` loaded.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..sinks import doc_key
from .options import DocFn, rss_mb
from .timelimit import DocumentTimeout
from .timelimit import time_limit as limit_time

if TYPE_CHECKING:
    from ..resources import Resources


def _default_doc_fn() -> DocFn:
    from ..pipeline import process_document

    return process_document


# An outcome is ("ok", key, line, (kinds, text_digest)) or ("err", key, error_line, stage).
Outcome = tuple[str, int, str, Any]


def error_line(doc_id: str | None, source: dict[str, Any], stage: str, error: str) -> str:
    return json.dumps({"doc_id": doc_id, "source": source, "stage": stage, "error": error},
                      ensure_ascii=False, default=str)


def _read_ref(ref: Any) -> Any:
    """A file the reader deferred to this process: its Document or ReadError."""
    from ..ingest import ReadError

    try:
        return ref.read()
    except Exception as exc:  # the readers report bad files; this is a bug, kept to one document
        return ReadError(ref.doc_id, ref.source, "read", f"{type(exc).__name__}: {exc}")


def run_item(item: Any, resources: Any, with_text: bool, doc_fn: DocFn,
             time_limit: float | None = None, max_figures: int | None = None) -> Outcome:
    """One input item (a document, a read error, or a file to read first) to one outcome;
    never raises for a bad document, nor waits for one longer than ``time_limit`` seconds.
    A document with more than ``max_figures`` figures is an error of stage ``limit`` (the
    pipeline stops before linking them; any other ``doc_fn`` is judged by its record)."""
    from ..ingest import FileRef, ReadError
    from ..pipeline import FigureLimitError

    if isinstance(item, FileRef):
        item = _read_ref(item)
    key = doc_key(item.doc_id, item.source)
    if isinstance(item, ReadError):
        return ("err", key, error_line(item.doc_id, item.source, item.stage, item.error), item.stage)
    try:
        with limit_time(time_limit):
            record = doc_fn(item, resources, with_text=with_text)
    except DocumentTimeout as exc:
        return ("err", key, error_line(item.doc_id, item.source, "timeout", str(exc)), "timeout")
    except FigureLimitError as exc:
        return ("err", key, error_line(item.doc_id, item.source, "limit", str(exc)), "limit")
    except Exception as exc:
        return ("err", key, error_line(item.doc_id, item.source, "process",
                                       f"{type(exc).__name__}: {exc}"), "process")
    if max_figures and len(record.facts) > max_figures:
        over = FigureLimitError(len(record.facts), max_figures)
        return ("err", key, error_line(item.doc_id, item.source, "limit", str(over)), "limit")
    try:
        line = record.model_dump_json()
    except Exception as exc:
        return ("err", key, error_line(item.doc_id, item.source, "serialise",
                                       f"{type(exc).__name__}: {exc}"), "serialise")
    return ("ok", key, line, ([f.kind for f in record.facts], getattr(record, "_text_digest", None)))


def process_batch(items: Sequence[Any], resources: Resources, with_text: bool = False,
                  doc_fn: DocFn | None = None, time_limit: float | None = None,
                  max_figures: int | None = None) -> tuple[list[Outcome], float]:
    """The task every engine runs: outcomes in input order, and this worker's peak RSS (MB)."""
    fn = doc_fn or _default_doc_fn()
    if doc_fn is None and max_figures:
        fn = functools.partial(fn, max_figures=max_figures)
    return [run_item(item, resources, with_text, fn, time_limit, max_figures) for item in items], rss_mb()


# A pool worker's task arguments (its resources among them), set once by its initializer:
# a process pool has no other way to hand a worker what every task needs. Only worker
# processes set it; the parent never reads it.
_POOL_ARGS: dict[str, Any] = {}


def init_pool_worker(resources: Resources, with_text: bool, doc_fn: DocFn | None,
                     time_limit: float | None = None, max_figures: int | None = None,
                     warm_pages: bool | None = None) -> None:
    """Pool worker start: keep the resources (inherited when forked, else loaded once from
    the bundle they pickle as), ignore Ctrl-C (the parent stops the run), and exit if the
    parent is gone so that a killed run leaves no orphans behind.

    ``warm_pages`` not None: this worker was not forked from a warmed-up parent (a
    forkserver or spawn worker, or one started after a crash), so it runs :func:`warm_up`
    itself, here, before its first batch, whose time then measures documents only."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _POOL_ARGS.update(resources=resources, with_text=with_text, doc_fn=doc_fn,
                      time_limit=time_limit, max_figures=max_figures)
    if warm_pages is not None:
        from ..gcutil import gc_paused

        with gc_paused():
            warm_up(resources, warm_pages)
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="newsfacts-orphan-watch").start()


def noop() -> None:
    return None


def warm_up(resources: Resources, pages: bool = True) -> None:
    """Load everything the first document would (rules, lexicons, the sentence splitter)
    so that forked workers inherit it instead of each loading it again.

    With ``pages`` (the input may hold web pages) that includes the HTML stack (lxml,
    trafilatura). Without, the input is plain text, that is Vietnamese news, whose
    linking soon meets an agency's name: so the word segmenter that trims those names
    (underthesea's, ~0.6 s to load) is loaded here once, not by every worker. Pages may
    be in any language and a crawl may never need it: there each worker loads it when
    it does."""
    from ..ingest import Document

    sentence = "Tỉnh Hà Tĩnh đạt 90,5% năm 2023."
    if pages:
        page = (f"<html><head><title>Tiêu đề</title></head><body><article><h1>Tiêu đề</h1>"
                f"<p>{sentence}</p><p>{sentence}</p></article></body></html>")
        docs = [Document("warm-up", {}, text=f"Tiêu đề\n\n{sentence}"),
                Document("warm-up-page", {}, html=page)]
    else:
        docs = [Document("warm-up", {}, text=f"Tiêu đề\n\nCục Hàng hải Việt Nam cho biết: {sentence}")]
    process_batch(docs, resources)


def warm_up_task(resources: Resources, pages: bool) -> int:
    """:func:`warm_up` as a task for a remote worker (Dask): its process id, so that the
    caller can tell that every worker ran it."""
    warm_up(resources, pages)
    return os.getpid()


def pool_batch(items: Sequence[Any]) -> tuple[list[Outcome], float]:
    return process_batch(items, **_POOL_ARGS)


# --------------------------------------------------------------------------- engines
