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
from .ids import doc_key, doc_key_hex, fact_id  # noqa: F401  (the sinks take them from here)


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
    """``fact_id``, then every field any fact kind has, in model order
    (:func:`newsfacts.models.fact_columns`)."""
    return ("fact_id", *(c for c in models.fact_columns() if c != "fact_id"))


# The number each kind is about, where it is not already called ``value``: the flat
# outputs copy it into ``value`` so that one column holds a number for every kind.
VALUE_OF = {"rank": "position", "procedure_count": "count"}


def column_types() -> dict[str, type]:
    """What each flat column stores (``int``, ``float``, ``bool``, ``str``), from the models."""
    return {"doc_id": str, **models.source_columns(), **dict.fromkeys(models.META_FIELDS, str),
            **models.producer_columns(), "fact_id": str, **models.fact_columns()}


def article_row(rec: dict[str, Any]) -> dict[str, Any]:
    src = rec.get("source") or {}
    return {"doc_id": rec["doc_id"],
            **{c: src.get(c[len("source_"):]) for c in models.source_columns()},
            **{k: rec.get(k) for k in models.META_FIELDS},
            **{c: (rec.get("producer") or {}).get(c[len("producer_"):])
               for c in models.producer_columns()}}


def fact_row(fact: dict[str, Any], key: int, ordinal: int) -> dict[str, Any]:
    """One fact's flat row: ``fact_id``, its fields, ``value`` for every kind
    (:data:`VALUE_OF`), the span as two columns, evidence as ``evidence_<field>``."""
    row = {"fact_id": fact_id(key, ordinal),
           **{k: v for k, v in fact.items() if k not in ("span", "evidence")}}
    own = VALUE_OF.get(fact.get("kind", ""))
    if own is not None and row.get("value") is None:
        row["value"] = fact.get(own)
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
