"""Wordseg: underthesea's word segmenter, imported without the rest of underthesea.

Only an agency's name is ever segmented (``entities._trim_org``), with underthesea's
``word_tokenize``. ``import underthesea`` runs the package ``__init__``, which imports
every pipeline it has (chunking, NER, POS tagging, classification, requests, its
version metadata...): ~0.5 s and ~60 MB of every worker that trims a name, for code
that never runs. ``word_tokenize`` needs three of its modules (the regex tokenizer, the
token normaliser, the CRF tagger), whose folders' ``__init__`` files are empty or light:
they are imported here by their own names with the top-level ``__init__`` skipped, so the
function is underthesea's own, run on its own model files. Should the package be
imported later, its ``__init__`` finds those modules already loaded and uses them.

Segmenting a name is deterministic, and a news article names the same agency again
and again: segmentations are kept by name.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import types
from collections.abc import Callable
from functools import lru_cache

WordTokenize = Callable[[str], list[str]]
# The modules word_tokenize runs, in the order the package's own __init__ imports them
# (the normaliser before the tokenizer, which imports it back), then the tagger it loads
# on its first call.
_MODULES = ("underthesea.pipeline.text_normalize", "underthesea.pipeline.word_tokenize",
            "underthesea.models.fast_crf_sequence_tagger")


def _import_direct() -> WordTokenize | None:
    """``word_tokenize`` imported with underthesea's ``__init__`` skipped; None when the
    package is already imported (then it is simply used), or the layout is not this one."""
    if "underthesea" in sys.modules:
        return None
    spec = importlib.util.find_spec("underthesea")  # finds the folder, runs nothing
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    if spec is None or not folders:
        return None
    bare = types.ModuleType("underthesea")  # the package, without its __init__
    bare.__path__ = folders
    bare.__spec__ = importlib.machinery.ModuleSpec("underthesea", None, is_package=True)
    bare.__spec__.submodule_search_locations = folders
    sys.modules["underthesea"] = bare
    try:
        for name in _MODULES:
            importlib.import_module(name)
        split = getattr(sys.modules["underthesea.pipeline.word_tokenize"], "word_tokenize", None)
        return split if callable(split) else None
    except Exception:  # another layout: the whole package, as usual
        for name in [m for m in sys.modules if m.startswith("underthesea.")]:
            del sys.modules[name]
        return None
    finally:
        if sys.modules.get("underthesea") is bare:
            del sys.modules["underthesea"]  # an `import underthesea` later runs the real one


@lru_cache(maxsize=1)
def _word_tokenize() -> WordTokenize:
    split = _import_direct()
    if split is not None:
        return split
    from underthesea import word_tokenize

    return word_tokenize


@lru_cache(maxsize=4096)
def segment(name: str) -> tuple[str, ...]:
    """underthesea's ``word_tokenize(name)``: its words, each one or more syllables."""
    return tuple(_word_tokenize()(name))
