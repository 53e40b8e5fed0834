"""The panel's working store: every usable figure in a temporary SQLite table, then read
back one group at a time.

An archive's figures do not fit in memory, and the same result is spread over articles
read hours apart, so one pass writes each figure with its group (subject, index,
component, year; or subject, measure, year) and its value key, and a second pass reads
the table sorted by group: memory holds one group, never the archive. SQLite sorts on
disk when it must; its page cache is capped.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

import regex

from ..lexicons import match_key
from .choose import published_key, value_key
from .subjects import Subject, SubjectResolver

SCORE, RANK, PERCENTAGE, PROCEDURE = 0, 1, 2, 3
TABLES = {"score": SCORE, "rank": RANK, "percentage": PERCENTAGE, "procedure_count": PROCEDURE}
_BATCH = 2000
_COLS = ("tbl", "sid", "mfrom", "idx", "comp", "year", "mkey", "vkey", "doc", "doc_id",
         "published", "rec", "ord", "dup", "data")
# A measure's owner and year are the row's subject and year: "tỷ lệ hồ sơ trực tuyến của
# Sở KH&CN Hà Tĩnh năm 2023" is the measure "tỷ lệ hồ sơ trực tuyến".
_OWNER = regex.compile(r"\s+(?:của|tại|ở|thuộc|trên địa bàn)\s.*$|\s+(?:trong\s+)?năm\s+\d{4}.*$",
                       regex.IGNORECASE)


def measure_name(measure: str) -> str:
    """A percentage's measure without its owner and year, as the panel groups it."""
    return _OWNER.sub("", " ".join(measure.split())).strip(" ,;:") or measure


@dataclass
class StoreStats:
    """What went in: records and facts read, figures kept, and why the others were not."""

    records: int = 0
    facts: int = 0
    kept: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)


class FactStore:
    """Figures of many records, grouped for the panel (module docstring)."""

    def __init__(self, resolver: SubjectResolver, map_2025: bool = False,
                 workdir: str | Path | None = None) -> None:
        self.resolver = resolver
        self.map_2025 = map_2025
        self.stats = StoreStats()
        self._dir = Path(tempfile.mkdtemp(prefix="newsfacts-panel-", dir=workdir))
        self.db = sqlite3.connect(self._dir / "figures.sqlite", isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE", "cache_size=-4000"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute(
            "CREATE TABLE f (tbl INTEGER, sid TEXT, mfrom TEXT, idx TEXT, comp TEXT, year INTEGER,"
            " mkey TEXT, vkey TEXT, doc TEXT, doc_id TEXT, published TEXT, rec INTEGER,"
            " ord INTEGER, dup INTEGER UNIQUE, data TEXT)")
        self.db.execute("BEGIN")
        self._pending: list[tuple[Any, ...]] = []

    # ------------------------------------------------------------------ writing
    def add(self, record: dict[str, Any], seq: int) -> None:
        """One record (``doc_id``, ``url``, ``published``, ``source``, ``facts``) in input
        position ``seq``: its usable figures go into the store."""
        self.stats.records += 1
        facts = [f for f in record.get("facts") or () if isinstance(f, dict)]
        self.stats.facts += len(facts)
        resolve = self.resolver.resolve
        subjects = self.resolver.in_article(
            [resolve(_text(f.get("subject")), _text(f.get("subject_id")), "subject_id" in f)
             for f in facts])
        doc_id = str(record.get("doc_id") or "")
        source = record.get("source") or {}
        url = record.get("url") or source.get("url")
        doc = doc_id  # an article is its id: the HTML and the text of one article are one
        published = record.get("published")
        for ordinal, (fact, subject) in enumerate(zip(facts, subjects, strict=True)):
            row = self._row(fact, subject)
            if row is None:
                continue
            tbl, group, vkey, fields = row
            mfrom = None
            assert subject is not None
            if self.map_2025:
                subject, mfrom = self.resolver.mapped(subject)
            data = {"doc_id": doc_id, "url": url, "published": published,
                    "subject": fact.get("subject"), "sname": subject.name, "skind": subject.kind,
                    "sentence": fact.get("sentence"), "rule": fact.get("rule"),
                    "text": fact.get("text"), "fact": ordinal, **fields}
            key = (tbl, subject.id, mfrom, *group, vkey, doc)
            self._pending.append((*key, doc_id, published_key(published), seq, ordinal,
                                  _once(key, fact.get("sentence")), json.dumps(data, ensure_ascii=False)))
        if len(self._pending) >= _BATCH:
            self._flush()

    def _row(self, fact: dict[str, Any], subject: Subject | None
             ) -> tuple[int, tuple[Any, ...], str, dict[str, Any]] | None:
        """Where a fact goes: (table, (index, component, year, measure), value key, the
        fields the row needs); None, with the reason counted, when it cannot be placed."""
        kind = str(fact.get("kind"))
        tbl = TABLES.get(kind)
        year = fact.get("year")
        placed: tuple[str | None, str, dict[str, Any]] | str
        if tbl is None:
            placed = "unknown_kind"
        elif subject is None:
            placed = "no_subject"
        elif not isinstance(year, int) or isinstance(year, bool):
            placed = "no_year"
        elif tbl in (SCORE, RANK) and not fact.get("index"):
            placed = "no_index"
        else:
            placed = self._value(tbl, fact)
        if isinstance(placed, str) or tbl is None:
            self.stats.skipped[str(placed)] += 1
            return None
        mkey, vkey, fields = placed
        self.stats.kept[kind] += 1
        comp = fact.get("component") if tbl in (SCORE, RANK) else None
        return tbl, (fact.get("index"), comp, year, mkey), vkey, fields

    @staticmethod
    def _value(tbl: int, f: dict[str, Any]) -> tuple[str | None, str, dict[str, Any]] | str:
        """(measure key, value key, fields) of a fact, or why it has no usable value."""
        if tbl == SCORE:
            if not isinstance(f.get("value"), (int, float)):
                return "no_value"
            return None, value_key(f["value"]), {k: f.get(k) for k in ("value", "unit", "max")}
        if tbl == RANK:
            position = f.get("position")
            if f.get("qualifier") == "last" and position is None:
                position = f.get("out_of")
            if f.get("qualifier") == "top_n" or not isinstance(position, int):
                return "not_a_position"
            return None, str(position), {"position": position, "out_of": f.get("out_of"),
                                         "change": f.get("change")}
        if tbl == PERCENTAGE:
            if not isinstance(f.get("value"), (int, float)):
                return "no_value"
            if not isinstance(f.get("measure"), str) or not f["measure"].strip():
                return "no_measure"
            name = measure_name(f["measure"])
            key = ("change:" if f.get("is_change") else "") + match_key(name)
            fields = {k: f.get(k) for k in ("value", "value_max", "qualifier", "is_change")}
            return key, value_key(f["value"], f.get("value_max")), {**fields, "measure": name}
        if not isinstance(f.get("count"), int):
            return "no_value"
        action = f.get("action") or None
        key = "|".join((str(f.get("object")), str(f.get("level") or ""), match_key(action or "")))
        measure = str(f.get("object")) + (f" level {f['level']}" if f.get("level") else "") \
            + (f", {action}" if action else "")
        return key, str(f["count"]), {"value": f["count"], "object": f.get("object"),
                                      "level": f.get("level"), "action": action, "measure": measure}

    def _flush(self) -> None:
        if self._pending:
            self.db.executemany(
                f"INSERT OR IGNORE INTO f ({', '.join(_COLS)}) VALUES ({', '.join('?' * len(_COLS))})",
                self._pending)
            self._pending = []

    # ------------------------------------------------------------------ reading
    def groups(self, measures: bool) -> Iterator[tuple[tuple[Any, ...], list[dict[str, Any]]]]:
        """(group, figures) sorted by group: the panel's (index, subject, mapped from,
        component, year), or the measures' (subject, mapped from, kind, index, measure,
        year). Each figure is its stored fields plus ``tbl``, ``vkey``, ``doc``,
        ``published``."""
        self._flush()
        keys: tuple[str, ...]
        if measures:
            keys, where = ("sid", "mfrom", "tbl", "idx", "mkey", "year"), "tbl >= 2"
        else:
            keys, where = ("idx", "sid", "mfrom", "comp", "year"), "tbl < 2"
        order = ", ".join(f"{k} IS NOT NULL, {k}" for k in keys)
        cur = self.db.execute(
            f"SELECT {', '.join(keys)}, tbl, vkey, doc, published, data FROM f WHERE {where} "
            f"ORDER BY {order}, tbl, published, doc_id, ord")
        n = len(keys)

        def figure(row: tuple[Any, ...]) -> dict[str, Any]:
            out: dict[str, Any] = json.loads(row[n + 4])
            out.update(tbl=row[n], vkey=row[n + 1], doc=row[n + 2], published_key=row[n + 3])
            return out

        for key, rows in groupby(cur, key=lambda r: r[:n]):
            yield key, [figure(r) for r in rows]

    def close(self) -> None:
        self.db.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> FactStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _once(key: tuple[Any, ...], sentence: Any) -> int:
    """One figure of one article (its row, value and article) said in one sentence, hashed:
    read twice (two copies of the article, two outputs of one run) it is kept once."""
    raw = json.dumps([*key, sentence], ensure_ascii=False).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(raw, digest_size=7).digest(), "big")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
