"""What a panel reads: newsfacts outputs in any of their formats, or archives to extract.

Each input is told by what it holds, not only by its name: a ``.jsonl`` file is an
``extract`` output when its first line is a record (``doc_id`` and ``facts``), else an
archive of articles; a folder of ``part-*.parquet`` files is a Parquet output, any other
folder an archive. Outputs are read one record at a time (flat formats hold one row per
fact: consecutive rows of one article make its record). Archives are extracted first,
all in one run with the chosen engine, into a temporary JSON Lines file that is then read
like any output.
"""

from __future__ import annotations

import csv
import gzip
import json
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from ..errors import NewsfactsError
from ..flat import column_types
from ..models import META_FIELDS

Record = dict[str, Any]


class PanelInputError(NewsfactsError):
    """An input the panel cannot read; the message names it and says why."""


class MissingInputError(PanelInputError):
    """An input that is not there: nothing could be read (exit 1, as for ``extract``)."""

    exit_code = 1


@dataclass
class Inputs:
    """The inputs of one panel, sorted by what they are."""

    outputs: list[tuple[str, str]] = field(default_factory=list)  # (format, path)
    archives: list[str] = field(default_factory=list)


def _first_bytes(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(2)


def _first_line(path: Path) -> bytes:
    with path.open("rb") as raw:
        head = raw.read(2)
        raw.seek(0)
        fh: IO[bytes] = gzip.GzipFile(fileobj=raw) if head == b"\x1f\x8b" else raw  # type: ignore[assignment]
        try:
            for line in fh:
                if line.strip():
                    return line
        except (OSError, EOFError):
            return b""
    return b""


def _is_record_line(line: bytes) -> bool:
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return isinstance(obj, dict) and "doc_id" in obj and isinstance(obj.get("facts"), list)


def classify(paths: Iterable[str]) -> Inputs:
    """Which inputs are newsfacts outputs (and in which format) and which are archives."""
    found = Inputs()
    for raw in paths:
        path = Path(raw)
        name = path.name.lower()
        if raw == "-":
            found.outputs.append(("jsonl", raw))
        elif path.is_dir():
            if any(path.glob("part-*.parquet")):
                found.outputs.append(("parquet", raw))
            else:
                found.archives.append(raw)
        elif not path.exists():
            raise MissingInputError(f"{raw}: no such file or folder")
        elif name.endswith((".csv", ".csv.gz")):
            found.outputs.append(("csv", raw))
        elif name.endswith((".sqlite", ".sqlite3", ".db")):
            found.outputs.append(("sqlite", raw))
        elif name.endswith(".parquet"):
            found.outputs.append(("parquet", raw))
        elif name.endswith((".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz")) \
                and _is_record_line(_first_line(path)):
            found.outputs.append(("jsonl", raw))
        else:
            found.archives.append(raw)
    return found


# --------------------------------------------------------------------------- readers
def read_jsonl(path: str) -> Iterator[Record]:
    """Records of an ``extract`` JSON Lines output (or of standard input for ``-``)."""
    if path == "-":
        stream: Iterable[bytes] = sys.stdin.buffer
        yield from _jsonl_lines(stream, "stdin")
        return
    p = Path(path)
    with p.open("rb") as raw:
        head = raw.read(2)
        raw.seek(0)
        fh: IO[bytes] = gzip.GzipFile(fileobj=raw) if head == b"\x1f\x8b" else raw  # type: ignore[assignment]
        yield from _jsonl_lines(fh, path)


# In a record's JSON an empty fact list is written so, and nothing else can be: inside a
# string its quotes would be escaped.
_NO_FACTS = (b'"facts":[]', b'"facts": []')


def _jsonl_lines(lines: Iterable[bytes], label: str) -> Iterator[Record]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if _NO_FACTS[0] in line or _NO_FACTS[1] in line:  # most articles of an archive: nothing to parse
            yield {"facts": []}
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            raise PanelInputError(f"{label}: line {number} is not JSON; is it an extract "
                                  "output?") from None
        if not isinstance(rec, dict) or not isinstance(rec.get("facts"), list):
            raise PanelInputError(f"{label}: line {number} is not a newsfacts record")
        yield rec


_TYPES = column_types()


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """A flat row with its values typed again (CSV holds text; an empty cell is None)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or value == "":
            out[key] = None
            continue
        kind = _TYPES.get(key, str)
        try:
            if kind is bool:
                out[key] = value if isinstance(value, bool) else str(value).lower() in ("true", "1")
            elif kind is int:
                out[key] = int(float(value))
            elif kind is float:
                out[key] = float(value)
            else:
                out[key] = value
        except ValueError:
            out[key] = None
    return out


def _records_of_rows(rows: Iterable[dict[str, Any]]) -> Iterator[Record]:
    """Consecutive flat rows of one article as one record."""
    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return (row.get("doc_id"), row.get("source_path"), row.get("source_url"), row.get("source_record"))

    for (doc_id, path, url, record), group in groupby(rows, key=key):
        facts = []
        meta: dict[str, Any] = {}
        for row in group:
            meta = meta or row
            if row.get("kind"):
                facts.append({k: v for k, v in row.items() if k not in META_FIELDS
                              and not k.startswith(("source_", "producer_"))})
        yield {"doc_id": doc_id, "source": {"path": path, "url": url, "record": record},
               **{k: meta.get(k) for k in META_FIELDS}, "facts": facts}


def read_csv(path: str) -> Iterator[Record]:
    gzipped = _first_bytes(Path(path)) == b"\x1f\x8b"
    opener: Any = gzip.open if gzipped else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = set(reader.fieldnames or ())
        if {"doc_key", "n_facts"} <= fields and "kind" not in fields:
            return  # the articles file beside a facts CSV (X.articles.csv): it holds no fact
        if not {"doc_id", "kind", "sentence"} <= fields:
            raise PanelInputError(f"{path}: not a newsfacts CSV output (no doc_id, kind, sentence)")
        yield from _records_of_rows(_typed(row) for row in reader)


def read_sqlite(path: str) -> Iterator[Record]:
    try:
        db = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        db.row_factory = sqlite3.Row
        cur = db.execute(
            "SELECT a.source_path AS source_path, a.source_url AS source_url,"
            " a.source_record AS source_record, "
            + ", ".join(f"a.{k} AS {k}" for k in META_FIELDS)
            + ", f.* FROM facts f JOIN articles a ON a.doc_id = f.doc_id ORDER BY f.doc_id, f.ordinal")
    except sqlite3.DatabaseError as exc:
        raise PanelInputError(f"{path}: not a newsfacts SQLite output ({exc})") from None
    try:
        rows = (_typed({k: r[k] for k in r.keys() if k not in ("id", "evidence")})  # noqa: SIM118
                for r in cur)  # (a sqlite3.Row iterates over its values, not its keys)
        yield from _records_of_rows(rows)
    finally:
        db.close()


def read_parquet(path: str) -> Iterator[Record]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise PanelInputError(f"{path}: reading Parquet needs pyarrow: "
                              "pip install 'newsfacts[parquet]'") from None
    p = Path(path)
    parts = sorted(p.glob("part-*.parquet")) if p.is_dir() else [p]

    def rows() -> Iterator[dict[str, Any]]:
        for part in parts:
            for batch in pq.ParquetFile(part).iter_batches(batch_size=4096):
                for row in batch.to_pylist():
                    yield _typed(row)

    yield from _records_of_rows(rows())


READERS = {"jsonl": read_jsonl, "csv": read_csv, "sqlite": read_sqlite, "parquet": read_parquet}


def extract_archives(archives: list[str], workdir: Path, rules_dir: Path | None, jobs: int = 0,
                     engine: str = "local", scheduler: str | None = None,
                     quiet: bool = True) -> Path:
    """Extract ``archives`` in one run into ``workdir``/facts.jsonl; the run's errors
    end the panel (a :class:`~newsfacts.run.RunError` with its exit code)."""
    from ..run import EXIT_NOTHING, RunError, Runner, RunOptions

    out = workdir / "facts.jsonl"
    opts = RunOptions(paths=archives, output=out, jobs=jobs, engine=engine, scheduler=scheduler,
                      rules_dir=rules_dir, progress="none" if quiet else "auto")
    result = Runner(opts).run()
    if result.interrupted:
        raise RunError("interrupted while extracting the archives", 130)
    if result.exit_code == EXIT_NOTHING:
        raise RunError("no article of the archives could be read", EXIT_NOTHING)
    return out


def iter_records(inputs: Inputs, rules_dir: Path | None = None, jobs: int = 0, engine: str = "local",
                 scheduler: str | None = None, quiet: bool = True) -> Iterator[Record]:
    """Every record of every input: outputs as they are, then the archives, extracted in
    one run with the rules of ``rules_dir`` (loaded and checked as ``extract`` does)."""
    for fmt, path in inputs.outputs:
        yield from READERS[fmt](path)
    if inputs.archives:
        with tempfile.TemporaryDirectory(prefix="newsfacts-panel-run-") as tmp:
            out = extract_archives(inputs.archives, Path(tmp), rules_dir, jobs, engine,
                                   scheduler, quiet)
            yield from read_jsonl(str(out))


__all__ = ["READERS", "Inputs", "PanelInputError", "classify", "iter_records"]
