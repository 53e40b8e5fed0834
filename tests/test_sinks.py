"""Sinks write whole batches only, and resume from exactly what is on disk."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from pathlib import Path

import pytest

from newsfacts.sinks import (
    CsvSink,
    Done,
    ErrorLog,
    JsonlSink,
    SinkError,
    SqliteSink,
    doc_key,
    fact_columns,
    infer_format,
    make_sink,
)


def record(doc_id: str, *values: float, path: str | None = None) -> Done:
    source = {"path": path or f"/in/{doc_id}.txt", "url": None, "record": None}
    facts = [{"kind": "percentage", "text": f"{v}%", "span": [i, i + 3], "sentence": f"Đạt {v}%.",
              "rule": "percentage.single", "subject": "Hà Tĩnh", "subject_id": "VN-23",
              "index": None, "component": None, "year": 2023, "value": v, "value_max": None,
              "qualifier": "exact", "is_change": False, "measure": None,
              "evidence": {"subject": "title", "year": "sentence"}}
             for i, v in enumerate(values)]
    rec = {"schema_version": "1.0", "doc_id": doc_id, "source": source, "title": f"Tin {doc_id}",
           "published": None, "author": None, "site": None, "url": None, "language": None,
           "facts": facts, "warnings": []}
    return Done(doc_key(doc_id, source), json.dumps(rec, ensure_ascii=False))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_keys_tell_apart_same_named_files_in_two_folders() -> None:
    a = doc_key("x", {"path": "/a/x.txt"})
    assert a == doc_key("x", {"path": "/a/x.txt", "url": None, "record": None})
    assert a != doc_key("x", {"path": "/b/x.txt"})
    assert doc_key("x", {"path": "/w.warc", "record": 1}) != doc_key("x", {"path": "/w.warc", "record": 2})
    assert 0 <= a < 2**64


def test_format_follows_the_suffix() -> None:
    assert infer_format(None) == "jsonl"
    assert infer_format(Path("out/f.jsonl")) == "jsonl"
    assert infer_format(Path("f.CSV")) == "csv"
    assert infer_format(Path("f.sqlite")) == "sqlite"
    assert infer_format(Path("f.parquet")) == "parquet"
    assert infer_format(Path("f.txt"), "csv") == "csv"
    with pytest.raises(SinkError):
        infer_format(Path("f.txt"), "xml")
    with pytest.raises(SinkError):
        make_sink(None, "csv")


def test_jsonl_resume_cuts_a_torn_tail_and_returns_finished_keys(tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    sink = JsonlSink(out)
    assert sink.open(resume=False) == set()
    batch = [record("a", 1.0), record("b")]
    sink.write_batch(batch)
    sink.close()
    whole = out.read_bytes()
    with out.open("ab") as fh:  # a kill in the middle of the next append
        fh.write(record("c", 3.0).line.encode()[:25])
    sink = JsonlSink(out)
    assert sink.open(resume=True) == {d.key for d in batch}
    assert out.read_bytes() == whole
    sink.write_batch([record("c", 3.0)])
    sink.close()
    assert [json.loads(x)["doc_id"] for x in out.read_text().splitlines()] == ["a", "b", "c"]
    # a fresh run (no --resume) starts over
    sink = JsonlSink(out)
    sink.open(resume=False)
    sink.close()
    assert out.read_bytes() == b""


def test_jsonl_refuses_to_resume_into_a_foreign_file(tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    out.write_text("not json\n" + record("a").line + "\n", encoding="utf-8")
    with pytest.raises(SinkError, match="line 1"):
        JsonlSink(out).open(resume=True)


def test_error_log_is_keyed_like_documents(tmp_path: Path) -> None:
    log = ErrorLog(tmp_path / "errors.jsonl")
    log.open(resume=False)
    log.write_lines([json.dumps({"doc_id": "bad", "source": {"path": "/in/bad.txt"},
                                 "stage": "read", "error": "empty file"})])
    log.close()
    assert ErrorLog(tmp_path / "errors.jsonl").open(resume=True) == {
        doc_key("bad", {"path": "/in/bad.txt"})}


def test_csv_has_one_row_per_fact_with_its_article(tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    sink = CsvSink(out)
    sink.open(resume=False)
    sink.write_batch([record("a", 1.5, 2.5), record("b")])
    sink.close()
    rows = read_csv(out)
    assert [(r["doc_id"], r["value"], r["span_start"]) for r in rows] == [("a", "1.5", "0"), ("a", "2.5", "1")]
    assert rows[0]["title"] == "Tin a" and rows[0]["source_path"] == "/in/a.txt"
    assert rows[0]["evidence_subject"] == "title" and rows[0]["subject_id"] == "VN-23"
    assert set(fact_columns()) <= set(rows[0])
    articles = read_csv(tmp_path / "f.articles.csv")  # every article, also one without facts
    assert [(r["doc_id"], r["n_facts"]) for r in articles] == [("a", "2"), ("b", "0")]
    assert rows[0]["fact_id"].startswith(articles[0]["doc_key"] + "-")


def test_csv_resume_truncates_to_the_last_journalled_batch(tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    sink = CsvSink(out)
    sink.open(resume=False)
    first = [record("a", 1.0), record("b")]  # b has no fact, yet is finished
    sink.write_batch(first)
    sink.close()
    whole, articles = out.read_bytes(), (tmp_path / "f.articles.csv").read_bytes()
    for path in (out, tmp_path / "f.articles.csv"):
        with path.open("ab") as fh:  # rows written, killed before the journal line
            fh.write(b'c,"/in/c.txt",,,"Tin\nc",')
    sink = CsvSink(out)
    assert sink.open(resume=True) == {d.key for d in first}
    assert out.read_bytes() == whole
    assert (tmp_path / "f.articles.csv").read_bytes() == articles
    sink.write_batch([record("c", 3.0)])
    sink.close()
    assert [r["doc_id"] for r in read_csv(out)] == ["a", "c"]
    (tmp_path / "f.csv.journal").unlink()
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(SinkError, match="columns"):
        CsvSink(tmp_path / "other.csv").open(resume=True)


def test_a_finished_csv_loses_its_journal_and_still_resumes(tmp_path: Path) -> None:
    """The journal goes once a run completes; resuming then reads the keys of the articles
    file (a document without facts among them) and journals from there."""
    out = tmp_path / "f.csv"
    sink = CsvSink(out)
    sink.open(resume=False)
    sink.write_batch([record("a", 1.0), record("b")])
    sink.close()
    sink.finish(True)
    assert not (tmp_path / "f.csv.journal").exists()
    whole = out.read_bytes()
    sink = CsvSink(out)
    assert sink.open(resume=True) == {record("a").key, record("b").key}
    sink.write_batch([record("c", 3.0)])
    sink.close()
    assert out.read_bytes().startswith(whole)
    assert [r["doc_id"] for r in read_csv(out)] == ["a", "c"]
    assert CsvSink(out).open(resume=True) == {record(x).key for x in "abc"}


def test_sqlite_upserts_by_doc_id(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    out = tmp_path / "f.sqlite"
    for _ in range(2):  # a re-run writes the same documents again
        sink = SqliteSink(out)
        sink.open(resume=False)
        sink.write_batch([record("a", 1.0, 2.0), record("b", 3.0)])
        sink.close()
    sink = SqliteSink(out)
    assert sink.open(resume=True) == {record("a").key, record("b").key}
    sink.write_batch([record("a", 9.0)])  # a document whose facts changed
    sink.close()
    db = sqlite3.connect(out)
    request.addfinalizer(db.close)
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone() == (2,)
    assert db.execute("SELECT doc_id, value FROM facts ORDER BY doc_id, ordinal").fetchall() == [
        ("a", 9.0), ("b", 3.0)]
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"facts_doc", "facts_kind", "facts_subject", "facts_index_year"} <= indexes
    title, n = db.execute("SELECT title, n_facts FROM articles WHERE doc_id='b'").fetchone()
    assert (title, n) == ("Tin b", 1)


def test_parquet_parts_resume(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from newsfacts.parquet import ParquetSink

    out = tmp_path / "f.parquet"
    sink = ParquetSink(out)
    sink.open(resume=False)
    sink.write_batch([record("a", 1.0, 2.0), record("b")])
    sink.close()
    sink = ParquetSink(out)
    assert sink.open(resume=True) == {record("a").key, record("b").key}
    sink.write_batch([record("c", 3.0)])
    sink.close()
    table = pq.read_table(out)
    assert sorted(zip(table["doc_id"].to_pylist(), table["value"].to_pylist(), strict=False)) == [
        ("a", 1.0), ("a", 2.0), ("c", 3.0)]


def test_jsonl_syncs_by_size_or_time_and_on_close_not_per_batch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch is in the page cache once written (a killed process cannot lose it), so a
    sync is owed only to a power cut: every SYNC_BYTES or SYNC_SECONDS, and at close."""
    import os

    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    monkeypatch.setattr(JsonlSink, "SYNC_SECONDS", 3600.0)
    out = tmp_path / "f.jsonl"
    sink = JsonlSink(out)
    sink.open(resume=False)
    for i in range(50):
        sink.write_batch([record(f"d{i}", 1.0)])
    assert synced == []  # 50 small batches: under the size threshold, within the hour
    assert len(out.read_text(encoding="utf-8").splitlines()) == 50  # yet all written
    sink.close()
    assert len(synced) == 1  # what is left is synced at close
    size = len(record("d0", 1.0).line) + 1
    monkeypatch.setattr(JsonlSink, "SYNC_BYTES", 3 * size)
    synced.clear()
    sink = JsonlSink(out)
    sink.open(resume=True)
    for i in range(50, 56):
        sink.write_batch([record(f"d{i}", 1.0)])
    assert len(synced) == 2  # every third batch reaches the size threshold
    sink.close()
    assert len(synced) == 2  # nothing left unsynced
    monkeypatch.setattr(JsonlSink, "SYNC_SECONDS", 0.0)
    synced.clear()
    sink = JsonlSink(out)
    sink.open(resume=True)
    sink.write_batch([record("d99", 1.0)])
    assert len(synced) == 1  # a second (here: no time) after the last sync
    sink.close()


@pytest.mark.parametrize("name", ["f.csv", "f.csv.gz", "f.jsonl.gz"])
def test_csv_and_gzip_sync_by_size_or_time_and_on_close_not_per_batch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """As JSON Lines: CSV's files and journal, and gzip's members, are synced once a second
    or SYNC_BYTES and at close, not after each batch (three fsyncs a batch for CSV)."""
    from newsfacts.outfiles import SyncPolicy

    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    monkeypatch.setattr(SyncPolicy, "SYNC_SECONDS", 3600.0)
    out = tmp_path / name
    sink = make_sink(out, infer_format(out))
    sink.open(resume=False)
    for i in range(40):
        sink.write_batch([record(f"d{i}", 1.0)])
    assert synced == []
    sink.close()
    assert len(synced) == (3 if "csv" in name else 1)  # at close: each file once
    sink = make_sink(out, infer_format(out))
    assert len(sink.open(resume=True)) == 40
    sink.close()


def test_csv_resume_keeps_the_batches_whose_checksums_match(tmp_path: Path) -> None:
    """After a power cut the journal may be on disk ahead of the rows (each is synced once a
    second, not per batch): resuming keeps the batches whose bytes are there and match
    their CRC, in order, and cuts the files and the journal after the last of them."""
    out = tmp_path / "f.csv"
    arts = tmp_path / "f.articles.csv"
    sink = CsvSink(out)
    sink.open(resume=False)
    sink.write_batch([record("a", 1.0)])
    after_a = out.stat().st_size, arts.stat().st_size
    sink.write_batch([record("b", 2.0)])
    after_b = out.stat().st_size, arts.stat().st_size
    sink.write_batch([record("c", 3.0)])
    sink.close()
    # c's rows never reached the disk, its journal line did
    os.truncate(out, after_b[0])
    sink = CsvSink(out)
    assert sink.open(resume=True) == {record("a").key, record("b").key}
    sink.close()
    assert (out.stat().st_size, arts.stat().st_size) == after_b
    # b's rows are there to their size but not what was written (blocks never written)
    with out.open("r+b") as fh:
        fh.seek(after_a[0])
        fh.write(b"\0" * (after_b[0] - after_a[0]))
    sink = CsvSink(out)
    assert sink.open(resume=True) == {record("a").key}
    sink.write_batch([record("c", 3.0)])
    sink.close()
    assert [r["doc_id"] for r in read_csv(out)] == ["a", "c"]
    assert len((tmp_path / "f.csv.journal").read_text(encoding="utf-8").splitlines()) == 3
