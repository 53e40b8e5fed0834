"""Records flattened to rows, for the tabular sinks (CSV, SQLite, Parquet): the columns,
what each stores, and an article's and a fact's row — all derived from :mod:`newsfacts.models`,
so a field added to a model is a column everywhere. :class:`Done` and :class:`SinkError`,
what every sink takes and raises, live here too, below both :mod:`newsfacts.sinks` and
:mod:`newsfacts.parquet`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import models
from .errors import OutputError


class SinkError(OutputError):
    """An output that cannot be written or resumed; the message says why."""


@dataclass(frozen=True)
class Done:
    """One processed document: its key and its record as one JSON line (no newline)."""

    key: int
    line: str


def article_columns() -> tuple[str, ...]:
    """An article's flat columns: ``doc_id``, its source flattened, its metadata
    (:data:`~newsfacts.models.META_FIELDS`), all as :mod:`newsfacts.models` defines them."""
    return ("doc_id", *models.source_columns(), *models.META_FIELDS, *models.producer_columns())


def fact_columns() -> tuple[str, ...]:
    """Every field any fact kind has, in model order (:func:`newsfacts.models.fact_columns`)."""
    return tuple(models.fact_columns())


def column_types() -> dict[str, type]:
    """What each flat column stores (``int``, ``float``, ``bool``, ``str``), from the models."""
    return {"doc_id": str, **models.source_columns(), **dict.fromkeys(models.META_FIELDS, str),
            **models.producer_columns(), **models.fact_columns()}


def article_row(rec: dict[str, Any]) -> dict[str, Any]:
    src = rec.get("source") or {}
    return {"doc_id": rec["doc_id"],
            **{c: src.get(c[len("source_"):]) for c in models.source_columns()},
            **{k: rec.get(k) for k in models.META_FIELDS},
            **{c: (rec.get("producer") or {}).get(c[len("producer_"):])
               for c in models.producer_columns()}}


def fact_row(fact: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in fact.items() if k not in ("span", "evidence")}
    span = fact.get("span") or (None, None)
    row["span_start"], row["span_end"] = span[0], span[1]
    for k, v in (fact.get("evidence") or {}).items():
        row[f"evidence_{k}"] = v
    return row


def signed64(key: int) -> int:
    """A 64-bit document key as SQLite stores integers: signed."""
    return key - (1 << 64) if key >= (1 << 63) else key


def sql_value(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int) and not -(1 << 63) <= value < (1 << 63):
        return str(value)  # beyond a 64-bit INTEGER: kept exact as text, not an aborted run
    return value
