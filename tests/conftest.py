"""Shared fixtures: the repo's corpus and, when present, ../shared beside the checkout."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
# Compiled patterns go to a folder of the test run's own (newsfacts.patterncache), not to
# the user's ~/.cache; subprocesses the tests start inherit it.
if "NEWSFACTS_CACHE_DIR" not in os.environ:
    os.environ["NEWSFACTS_CACHE_DIR"] = tempfile.mkdtemp(prefix="newsfacts-test-cache-")
    atexit.register(shutil.rmtree, os.environ["NEWSFACTS_CACHE_DIR"], ignore_errors=True)


@pytest.fixture(scope="session")
def resources():
    """The checkout's rules root, loaded and checked once for the session."""
    from newsfacts.resources import load_resources

    return load_resources(ROOT / "rules")


@pytest.fixture(scope="session")
def ruleset(resources):
    return resources.rules


def needs_shared(*parts: str) -> Path:
    """Path inside ../shared, or skip the test cleanly when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (../shared is only beside CI and dev checkouts)")
    return path
