"""Where a panel goes: its two tables as JSON Lines, CSV, SQLite or Parquet.

The format follows the output's suffix as ``extract``'s does (:func:`newsfacts.sinks.infer_format`).
The measures table goes beside the panel (``panel.csv`` and ``panel.measures.csv``), or
into the same database (tables ``panel``, ``panel_sources``, ``measures``,
``measure_sources``). Sources and competing values are nested in JSON Lines and JSON
text in CSV and Parquet; SQLite keeps sources as rows of their own, one per figure.
Every file is written aside and renamed into place when the panel is whole, so a failed
run leaves the previous panel as it was.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, ClassVar

from ..errors import OutputError
from ..sinks import infer_format
from .rows import MEASURE_COLUMNS, NESTED, PANEL_COLUMNS, TYPES

SOURCE_COLUMNS = ("kind", "doc_id", "url", "published", "subject", "sentence", "rule", "fact",
                  "text", "value", "agrees")


class PanelOutputError(OutputError):
    """A panel output that cannot be written; the message says why."""


def measures_path(output: Path, fmt: str) -> Path:
    """Where the measures table of ``output`` goes (the same file for SQLite)."""
    if fmt == "sqlite":
        return output
    return output.with_name(f"{output.stem}.measures{output.suffix or '.' + fmt}")


def _aside(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


class _Table:
    """One table of rows in one file format."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path, self.columns = path, tuple(columns)
        self.tmp = _aside(path)
        self.rows = 0

    def write(self, row: dict[str, Any]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.tmp.unlink(missing_ok=True)


def _flat(row: dict[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    return {c: json.dumps(row[c], ensure_ascii=False) if c in NESTED and row.get(c) is not None
            else row.get(c) for c in columns}


class _Jsonl(_Table):
    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        super().__init__(path, columns)
        self.fh: IO[str] = self.tmp.open("w", encoding="utf-8")

    def write(self, row: dict[str, Any]) -> None:
        self.fh.write(json.dumps({c: row.get(c) for c in self.columns}, ensure_ascii=False) + "\n")
        self.rows += 1

    def close(self) -> None:
        self.fh.close()


class _Csv(_Table):
    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        super().__init__(path, columns)
        self.fh: IO[str] = self.tmp.open("w", encoding="utf-8", newline="")
        self.writer = csv.DictWriter(self.fh, fieldnames=self.columns, lineterminator="\n")
        self.writer.writeheader()

    def write(self, row: dict[str, Any]) -> None:
        self.writer.writerow(_flat(row, self.columns))
        self.rows += 1

    def close(self) -> None:
        self.fh.close()


class _Parquet(_Table):
    BATCH = 5000

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        try:
            import pyarrow as pa
        except ImportError:
            raise PanelOutputError("Parquet output needs pyarrow: pip install 'newsfacts[parquet]'") from None
        super().__init__(path, columns)
        types = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
        self.schema = pa.schema([(c, types[TYPES[c]]) for c in self.columns])
        self.buffer: list[dict[str, Any]] = []
        self.writer: Any = None

    def write(self, row: dict[str, Any]) -> None:
        self.buffer.append(_flat(row, self.columns))
        self.rows += 1
        if len(self.buffer) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.writer is None:
            self.writer = pq.ParquetWriter(self.tmp, self.schema)
        if self.buffer:
            self.writer.write_table(pa.Table.from_pylist(self.buffer, schema=self.schema))
            self.buffer = []

    def close(self) -> None:
        self._flush()
        self.writer.close()


class _SqliteTable(_Table):
    """A table and its sources table in one database, shared by the panel's two tables."""

    _SQL: ClassVar[dict[type, str]] = {str: "TEXT", int: "INTEGER", float: "REAL", bool: "INTEGER"}

    def __init__(self, db: sqlite3.Connection, name: str, source_table: str, columns: Sequence[str],
                 path: Path) -> None:
        super().__init__(path, columns)
        self.db, self.name, self.source_table = db, name, source_table
        self.cols = [c for c in columns if c != "sources"]
        decl = ", ".join(f'"{c}" {self._SQL[TYPES[c]]}' for c in self.cols)
        src = ", ".join(f'"{c}" {"INTEGER" if c in ("fact", "agrees") else "REAL" if c == "value" else "TEXT"}'
                        for c in SOURCE_COLUMNS)
        ref = f"{name}_id"
        db.executescript(
            f'CREATE TABLE "{name}" (id INTEGER PRIMARY KEY, {decl});'
            f'CREATE TABLE "{source_table}" ({ref} INTEGER NOT NULL REFERENCES "{name}"(id), {src});'
            f'CREATE INDEX "{source_table}_row" ON "{source_table}"({ref});'
            f'CREATE INDEX "{name}_subject" ON "{name}"(subject_id, year);')
        self.insert = (f'INSERT INTO "{name}" ({", ".join(chr(34) + c + chr(34) for c in self.cols)}) '
                       f'VALUES ({", ".join("?" * len(self.cols))})')
        self.insert_src = (f'INSERT INTO "{source_table}" VALUES ({", ".join("?" * (len(SOURCE_COLUMNS) + 1))})')

    def write(self, row: dict[str, Any]) -> None:
        flat = _flat(row, self.cols)
        cur = self.db.execute(self.insert, [int(v) if isinstance(v, bool) else v
                                            for v in (flat[c] for c in self.cols)])
        self.db.executemany(self.insert_src, [
            (cur.lastrowid, *(int(s[c]) if isinstance(s.get(c), bool) else s.get(c) for c in SOURCE_COLUMNS))
            for s in row.get("sources") or ()])
        self.rows += 1

    def close(self) -> None:
        pass

    def commit(self) -> None:
        pass

    def discard(self) -> None:
        pass


class PanelWriter:
    """The panel's two tables, written row by row and committed together."""

    def __init__(self, output: Path, fmt: str | None = None) -> None:
        try:
            self.fmt = infer_format(output, fmt)
        except OutputError as exc:
            raise PanelOutputError(str(exc)) from None
        if str(output) == "-":
            raise PanelOutputError("panel needs --output FILE (it writes two tables)")
        self.output = output
        output.parent.mkdir(parents=True, exist_ok=True)
        self.db: sqlite3.Connection | None = None
        if self.fmt == "sqlite":
            _aside(output).unlink(missing_ok=True)
            self.db = sqlite3.connect(_aside(output), isolation_level=None)
            self.db.execute("PRAGMA journal_mode=OFF")
            self.panel: _Table = _SqliteTable(self.db, "panel", "panel_sources", PANEL_COLUMNS, output)
            self.measures: _Table = _SqliteTable(self.db, "measures", "measure_sources",
                                                 MEASURE_COLUMNS, output)
            self.db.execute("BEGIN")  # after the tables: executescript commits what is open
        else:
            table = {"jsonl": _Jsonl, "csv": _Csv, "parquet": _Parquet}[self.fmt]
            self.panel = table(output, PANEL_COLUMNS)
            self.measures = table(measures_path(output, self.fmt), MEASURE_COLUMNS)

    @property
    def paths(self) -> list[Path]:
        return sorted({self.output, measures_path(self.output, self.fmt)})

    def close(self, ok: bool = True) -> None:
        """Close both tables; with ``ok`` put them in place, else remove what was written."""
        for table in (self.panel, self.measures):
            table.close()
        if self.db is not None:
            if ok:
                self.db.execute("COMMIT")
            self.db.close()
            if ok:
                os.replace(_aside(self.output), self.output)
            else:
                _aside(self.output).unlink(missing_ok=True)
            return
        for table in (self.panel, self.measures):
            table.commit() if ok else table.discard()


__all__ = ["SOURCE_COLUMNS", "PanelOutputError", "PanelWriter", "measures_path"]
