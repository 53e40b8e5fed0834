"""The Parquet sink (optional, needs pyarrow): flat facts in a folder of parts, apart from
:mod:`newsfacts.sinks` because it is the one output with a heavy optional dependency."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .flat import (
    Done,
    SinkError,
    article_columns,
    article_row,
    column_types,
    fact_columns,
    fact_row,
)


class ParquetSink:
    """Flat facts (as in CSV) in a folder of Parquet parts; a part is renamed in once whole.

    A finished document with no fact still needs to be remembered for resume,
    so every part also lists the keys it covers in its metadata.
    """

    PART_ROWS = 5000

    def __init__(self, path: Path) -> None:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise SinkError("Parquet output needs pyarrow: pip install 'newsfacts[parquet]'") from None
        self.path = path
        self.columns = article_columns() + fact_columns()
        self.rows: list[dict[str, Any]] = []
        self.keys: list[int] = []
        self.part = 0

    def open(self, resume: bool) -> set[int]:
        import pyarrow.parquet as pq

        if self.path.exists() and not self.path.is_dir():
            raise SinkError(f"{self.path} exists and is not a folder of Parquet parts")
        self.path.mkdir(parents=True, exist_ok=True)
        done: set[int] = set()
        for part in sorted(self.path.glob("part-*.parquet")):
            if not resume:
                part.unlink()
                continue
            meta = pq.read_schema(part).metadata or {}
            done.update(int(k) for k in json.loads(meta.get(b"newsfacts_keys", b"[]")))
            self.part = max(self.part, int(part.stem.split("-")[1]) + 1)
        for tmp in self.path.glob(".part-*"):
            tmp.unlink()
        return done

    def write_batch(self, done: Sequence[Done]) -> None:
        for d in done:
            rec = json.loads(d.line)
            meta = article_row(rec)
            self.rows.extend({**meta, **fact_row(f, d.key, i)}
                             for i, f in enumerate(rec.get("facts") or ()))
            self.keys.append(d.key)
        if len(self.rows) >= self.PART_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.keys:
            return
        types = column_types()
        table = pa.Table.from_pylist(
            [{c: _parquet_value(r.get(c)) for c in self.columns} for r in self.rows],
            schema=pa.schema([(c, pa.float64()) if types[c] in (int, float) else (c, pa.string())
                              for c in self.columns],
                             metadata={"newsfacts_keys": json.dumps(self.keys)}))
        final = self.path / f"part-{self.part:06d}.parquet"
        tmp = self.path / f".part-{self.part:06d}.tmp"
        pq.write_table(table, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        self.part += 1
        self.rows, self.keys = [], []

    def close(self) -> None:
        self._flush()

    def finish(self, complete: bool) -> None:
        if not complete and self.path.is_dir() and not any(self.path.iterdir()):
            self.path.rmdir()


def _parquet_value(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)) or value is None:
        return value
    return str(value)
