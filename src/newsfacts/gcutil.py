"""The cyclic garbage collector around start-up.

Loading rules, lexicons and models allocates objects by the hundred thousand, all
long-lived (compiled patterns, dictionaries, pydantic schemas). Each allocation burst
sets off collections that walk every object the process holds and free nothing: ~10 %
of the start-up. :func:`gc_paused` holds the collector off for such a stretch.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic collection inside; the collector is left as it was found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
