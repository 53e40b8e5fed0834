"""The per-document pipeline: clean -> segment -> rules -> link -> validated record.

:func:`clean_document` is where a page and a text part ways: a page goes through
:mod:`newsfacts.webpage` (imported only then), a text straight to :mod:`newsfacts.clean`.

``process_document`` is the one function every engine (serial, process pool,
Dask) calls, so that they all produce the same record for the same input; it takes
the run's :class:`~newsfacts.resources.Resources` as an argument, never from a global.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .clean import CleanedArticle, clean_plain_text, normalize_text
from .dates import PRECISIONS, read_published
from .extract import Candidate, Trace, run_rules
from .ids import doc_key, fact_id
from .ingest import Document
from .link import link_candidates
from .models import FACT_ADAPTER, META_FIELDS, ArticleRecord, Source
from .resources import Resources, default_resources
from .segment import split_sentences
from .sites import SiteProfile


class FigureLimitError(ValueError):
    """A document with more figures than ``max_figures``: raised after the rules found
    them and before any is linked, so that the limit bounds a document's work too."""

    def __init__(self, found: int, limit: int) -> None:
        super().__init__(f"{found:,} figures, over the limit of {limit:,} per document (--max-figures)")
        self.found, self.limit = found, limit


def clean_document(doc: Document, sites: tuple[SiteProfile, ...]) -> CleanedArticle:
    """The one cleaning path shared by ``extract``, ``clean``, ``explain`` and ``rules
    coverage``; ``sites`` are the site profiles a page is read with (``Resources.sites``)."""
    if doc.html is not None:
        from . import webpage  # imported lazily: text-only runs never pay for lxml/trafilatura

        page = webpage.extract_article(doc.html, url=_opt_str(doc.meta.get("url")),
                                       meta=doc.meta, profiles=sites)
        cleaned = clean_plain_text(page.text)
        if page.title:
            cleaned.title = normalize_text(page.title).strip()
        reader = _reader_meta(doc)
        cleaned.meta = {**page.meta_dict(), **reader}
        if "published" in reader:  # the archive's date wins, and its precision is its own
            cleaned.meta.pop("published_precision", None)
        cleaned.warnings.extend(page.warnings)  # the page carries the reader's warnings too
        return cleaned
    cleaned = clean_plain_text(doc.text or "")
    cleaned.meta = _reader_meta(doc)
    given = doc.meta.get("warnings")
    cleaned.warnings.extend(str(w) for w in given if w) if isinstance(given, list) else None
    if cleaned.title and "title" not in cleaned.meta:
        cleaned.meta["title"] = cleaned.title
    return cleaned


def article_meta(doc: Document, cleaned: CleanedArticle) -> tuple[dict[str, str | None], list[str]]:
    """The metadata a record carries (:data:`~newsfacts.models.META_FIELDS`), with
    ``published`` as ISO 8601 and its precision (:mod:`newsfacts.dates`), and the warning
    for a date that cannot be read. Only the record's copy is rewritten: extraction reads
    the date as the source gave it."""
    meta = {k: _opt_str(cleaned.meta.get(k)) for k in META_FIELDS}
    meta["title"] = cleaned.title
    meta["url"] = meta["url"] or _opt_str(doc.source.get("url"))
    warnings: list[str] = []
    raw, precision = meta["published"], meta["published_precision"]
    stamp = read_published(raw) if raw else None
    if raw and stamp is None:
        warnings.append(f"published {raw!r} is no date newsfacts can read; left out")
    meta["published"] = stamp.iso if stamp else None
    meta["published_precision"] = (precision if stamp and precision in PRECISIONS
                                   else stamp.precision if stamp else None)
    return meta, warnings


def _reader_meta(doc: Document) -> dict[str, Any]:
    """Metadata the reader gave (JSON Lines fields, WARC headers); warnings travel apart."""
    return {k: v for k, v in doc.meta.items() if v and k != "warnings"}


def extract_from_text(text: str, title: str | None = None, published: str | None = None,
                      resources: Resources | None = None,
                      max_figures: int | None = None) -> tuple[list[Any], Trace]:
    """Facts (validated models) and the trace for an already cleaned text.

    Without ``resources``, the packaged (or ``$NEWSFACTS_RULES``) ones, loaded once
    (:func:`~newsfacts.resources.default_resources`): a convenience for one-off calls.
    With ``max_figures``, a text in which the rules find more figures raises
    :class:`FigureLimitError` before linking them."""
    res = resources if resources is not None else default_resources()
    rules = res.rules
    parts = rules.prefilter_for(text.lower())  # what can match in this text at all
    sentences = split_sentences(text, lambda p: rules.worth_trying(p, p.lower(), parts=parts))
    trace = run_rules(text, rules, sentences, parts=parts)
    if max_figures and len(trace.winners) > max_figures:
        raise FigureLimitError(len(trace.winners), max_figures)
    facts = [FACT_ADAPTER.validate_python(f)
             for f in link_candidates(trace.winners, text, sentences, title, published, res.vocab)]
    return facts, trace


def _source(doc: Document) -> Source:
    src = doc.source
    record = src.get("record")
    return Source(path=_opt_str(src.get("path")), url=_opt_str(src.get("url")),
                  record=record if isinstance(record, int) else None)


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def build_record(doc: Document, cleaned: CleanedArticle, facts: list[Any],
                 warnings: list[str], with_text: bool,
                 producer: dict[str, str] | None = None) -> ArticleRecord:
    key = doc_key(doc.doc_id, doc.source)
    facts = [f.model_copy(update={"fact_id": fact_id(key, i)}) for i, f in enumerate(facts)]
    meta, date_warnings = article_meta(doc, cleaned)
    record = ArticleRecord.model_validate({
        "doc_id": doc.doc_id, "source": _source(doc), **meta, "facts": facts,
        "warnings": warnings + date_warnings, "text": cleaned.text if with_text else None,
        "producer": producer,
    })
    # what --dedupe compares: the same article under two URLs cleans to the same text
    record._text_digest = hashlib.blake2b(" ".join(cleaned.text.split()).encode("utf-8"),
                                          digest_size=16).hexdigest()
    return record


def producer_of(resources: Resources) -> dict[str, str]:
    """This package's version and the digest of the rules root ``resources`` came from."""
    from .version import package_version

    return {"name": "newsfacts", "version": package_version(), "rules": resources.digest}


def process_document(doc: Document, resources: Resources,
                     with_text: bool = False, max_figures: int | None = None) -> ArticleRecord:
    """One document to one record with ``resources``; raises only on a bug, never on odd
    text, except :class:`FigureLimitError` for a document over ``max_figures``."""
    cleaned = clean_document(doc, resources.sites)
    warnings = list(cleaned.warnings)
    if not cleaned.text.strip():
        warnings.append("no article text after cleaning")
        return build_record(doc, cleaned, [], warnings, with_text, producer_of(resources))
    facts, trace = extract_from_text(cleaned.text, cleaned.title,
                                     _opt_str(cleaned.meta.get("published")), resources, max_figures)
    warnings.extend(trace.warnings)
    return build_record(doc, cleaned, facts, warnings, with_text, producer_of(resources))


__all__ = ["Candidate", "FigureLimitError", "clean_document", "extract_from_text", "process_document"]
