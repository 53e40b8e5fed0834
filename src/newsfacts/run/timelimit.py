"""A wall-clock limit per document, so that one stuck document cannot stall a run.

In a thread that can take signals (the main thread of this process or of a pool worker)
a ``SIGALRM`` timer raises :class:`DocumentTimeout` inside the document's work; in any
other thread (a Dask worker's) a timer thread raises it there asynchronously. Both stop
Python code, not a long call inside a C extension: such calls (the regex module's
matches) carry time limits of their own.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class DocumentTimeout(BaseException):
    """The document's time is up. A BaseException, as KeyboardInterrupt is, so that a
    pipeline's ``except Exception`` fallback cannot swallow it and carry on.

    Raised from another thread it arrives as a class, never an instance with a message:
    ``seconds`` on that class then gives it the same reason as the signal's."""

    seconds: float | None = None

    def __str__(self) -> str:
        said = super().__str__()
        if said or self.seconds is None:
            return said or "over the time limit per document"
        return _over(self.seconds)


def _over(seconds: float) -> str:
    return f"over the time limit of {seconds:g} s per document"


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` in the body after ``seconds`` (none: no limit)."""
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _async_timer(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def on_alarm(_signum: int, _frame: Any) -> None:
        raise DocumentTimeout(_over(seconds))

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def _async_timer(seconds: float) -> Iterator[None]:
    tid = threading.get_ident()
    lock = threading.Lock()
    active = [True]
    timeout = type("DocumentTimeout", (DocumentTimeout,), {"seconds": seconds})

    def fire() -> None:
        with lock:
            if active[0]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid),
                                                           ctypes.py_object(timeout))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            active[0] = False
        timer.cancel()
