"""The SQLite sink: ``articles`` and ``facts`` tables keyed by the document's key, each
batch one transaction; apart from :mod:`newsfacts.sinks` to keep each file to one concern."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from .flat import (
    Done,
    SinkError,
    article_columns,
    article_row,
    column_types,
    fact_columns,
    fact_row,
    signed64,
    sql_value,
)

if TYPE_CHECKING:  # sqlite3 is imported when a SQLite sink opens: most runs write JSON Lines
    import sqlite3


def _remove(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    doc_key INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    {article_cols},
    schema_version TEXT,
    n_facts INTEGER NOT NULL,
    warnings TEXT,
    text TEXT
);
CREATE TABLE IF NOT EXISTS facts (
    id INTEGER PRIMARY KEY,
    doc_key INTEGER NOT NULL REFERENCES articles(doc_key) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    kind TEXT NOT NULL,
    {fact_cols},
    evidence TEXT
);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_key);
CREATE INDEX IF NOT EXISTS facts_doc_id ON facts(doc_id);
CREATE INDEX IF NOT EXISTS facts_kind ON facts(kind);
CREATE INDEX IF NOT EXISTS facts_subject ON facts(subject_id, kind);
CREATE INDEX IF NOT EXISTS facts_index_year ON facts("index", year);
CREATE INDEX IF NOT EXISTS articles_doc_id ON articles(doc_id);
"""


class SqliteSink:
    """``articles`` and ``facts`` tables; each batch one transaction, upsert by ``doc_key``
    (a document's identity: two documents may share a ``doc_id``, never a key)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        self.fact_cols = [c for c in fact_columns() if c not in ("kind",) and not c.startswith("evidence_")]
        self.article_cols = list(article_columns()[1:])  # doc_id is the key, declared apart
        self.types = column_types()

    def open(self, resume: bool) -> set[int]:
        import sqlite3

        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            cols = ",\n    ".join(f'"{c}" {self._type(c)}' for c in self.fact_cols)
            art = ",\n    ".join(f'"{c}" {self._type(c)}' for c in self.article_cols)
            db.executescript(_SCHEMA.replace("{fact_cols}", cols).replace("{article_cols}", art))
            if "doc_key" not in {row[1] for row in db.execute("PRAGMA table_info(facts)")}:
                db.close()
                raise SinkError(f"{self.path}: from an older newsfacts; write to a new file")
            for table, want in (("articles", self.article_cols), ("facts", self.fact_cols)):
                have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                missing = [c for c in want if c not in have]
                if missing:  # a table of another version: its rows would not line up
                    db.close()
                    raise SinkError(f"{self.path}: written by another newsfacts version ({table} "
                                    f"has no {', '.join(missing)}); write to a new file")
        except sqlite3.DatabaseError as exc:
            raise SinkError(f"{self.path}: {exc}") from None
        self.db = db
        if not resume:
            return set()
        return {int(k) % (1 << 64) for (k,) in db.execute("SELECT doc_key FROM articles")}

    _SQL_TYPES: ClassVar[dict[type, str]] = {int: "INTEGER", bool: "INTEGER", float: "REAL", str: "TEXT"}

    def _type(self, col: str) -> str:
        return self._SQL_TYPES[self.types[col]]

    def write_batch(self, done: Sequence[Done]) -> None:
        import sqlite3

        assert self.db is not None
        if not done:
            return
        db = self.db
        fact_names = ["doc_key", "doc_id", "ordinal", "kind", *self.fact_cols, "evidence"]
        fact_sql = (f"INSERT INTO facts ({', '.join(chr(34) + c + chr(34) for c in fact_names)}) "
                    f"VALUES ({', '.join('?' for _ in fact_names)})")
        art_names = ["doc_key", "doc_id", *self.article_cols, "schema_version", "n_facts",
                     "warnings", "text"]
        art_sql = (f"INSERT INTO articles ({', '.join(art_names)}) "
                   f"VALUES ({','.join('?' for _ in art_names)}) ON CONFLICT(doc_key) DO UPDATE SET "
                   + ", ".join(f"{c}=excluded.{c}" for c in art_names[1:]))
        db.execute("BEGIN IMMEDIATE")
        try:
            for d in done:
                rec = json.loads(d.line)
                a = article_row(rec)
                facts = rec.get("facts") or []
                key = signed64(d.key)
                db.execute("DELETE FROM facts WHERE doc_key = ?", (key,))
                db.execute(art_sql, (key, a["doc_id"],
                                     *(a[c] for c in self.article_cols),
                                     rec.get("schema_version"), len(facts),
                                     json.dumps(rec.get("warnings") or [], ensure_ascii=False),
                                     rec.get("text")))
                rows = []
                for i, f in enumerate(facts):
                    flat = fact_row(f, d.key, i)
                    rows.append((key, a["doc_id"], i, f["kind"],
                                 *(sql_value(flat.get(c)) for c in self.fact_cols),
                                 json.dumps(f.get("evidence") or {}, ensure_ascii=False)))
                db.executemany(fact_sql, rows)
            db.execute("COMMIT")
        except BaseException:
            # SQLite rolls back by itself on some errors (a full disk): a second ROLLBACK
            # would fail with "no transaction is active" and hide the real error
            if db.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def finish(self, complete: bool) -> None:
        if not complete:
            _remove(*(self.path.with_name(self.path.name + s) for s in ("", "-wal", "-shm")))
