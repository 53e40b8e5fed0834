"""newsfacts: figures from Vietnamese public-administration news as validated records.

The public face, imported lazily so that ``import newsfacts`` costs nothing until a name
is used::

    import newsfacts

    resources = newsfacts.load_resources()            # the rules root, read and checked once
    record = newsfacts.process_document(doc, resources)   # an ingest.Document -> ArticleRecord
    facts, trace = newsfacts.extract_from_text("Tỉnh đạt 81,98 điểm.", resources=resources)

Everything else (``run``, ``audit``, ``webpage``, ``link`` …) is there to be used too, but
may move between releases; the names below are the ones that stay. The stages and what
flows between them: docs/architecture.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "process_document": "pipeline",
    "extract_from_text": "pipeline",
    "clean_document": "pipeline",
    "load_resources": "resources",
    "Resources": "resources",
    "Document": "ingest",
    "iter_documents": "ingest",
    "ArticleRecord": "models",
    "Fact": "models",
    "ScoreFact": "models",
    "RankFact": "models",
    "ProcedureCountFact": "models",
    "PercentageFact": "models",
    "Evidence": "models",
    "Source": "models",
    "KINDS": "models",
    "SCHEMA_VERSION": "models",
    "NewsfactsError": "errors",
    "ResourceError": "errors",
    "RuleError": "errors",
    "LexiconError": "errors",
    "SiteProfileError": "errors",
    "OutputError": "errors",
    "SinkError": "sinks",
    "RunError": "run",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def _package_version() -> str:
    from .version import package_version

    return package_version()


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _package_version()
    elif name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # once looked up, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
