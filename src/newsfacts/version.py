"""The installed package's version, read once: what ``--version``, every output record and
``--stats`` name as their producer (stdlib only, so ``import newsfacts`` stays light)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def package_version() -> str:
    """The version pip installed; ``0+unknown`` in a source tree that was never installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsfacts")
    except PackageNotFoundError:
        return "0+unknown"
