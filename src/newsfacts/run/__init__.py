"""Runs: ``process_document`` over an archive, with every core or a Dask cluster.

``options`` holds what a run is asked (:class:`RunOptions`), what it reports
(:class:`RunStats`) and the exit codes; ``worker`` turns items into outcomes in
whichever process runs them; ``engines`` are where batches run (serial, a process
pool, Dask); ``progress`` reports on stderr; ``loop`` is the run itself
(:class:`Runner`). How many documents to expect is :func:`newsfacts.ingest.count_documents`.
"""

from .loop import Runner, run
from .options import (
    DEFAULT_BATCH,
    EXIT_ENGINE,
    EXIT_INTERRUPTED,
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_PIPE,
    EXIT_USAGE,
    RunError,
    RunOptions,
    RunStats,
)
from .progress import summary_line
from .worker import process_batch

__all__ = [
    "DEFAULT_BATCH", "EXIT_ENGINE", "EXIT_INTERRUPTED", "EXIT_NOTHING", "EXIT_OK", "EXIT_PARTIAL",
    "EXIT_PIPE", "EXIT_USAGE", "RunError", "RunOptions", "RunStats", "Runner", "process_batch", "run",
    "summary_line",
]
