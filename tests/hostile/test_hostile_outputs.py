"""Hostile outputs and conditions (issue 13, the output side): an odd output, a second run
or a full disk never costs a good document nor ends a good run in an error."""

from __future__ import annotations

import faulthandler
import fcntl
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsfacts.cli import app
from newsfacts.run import Runner, RunOptions
from newsfacts.sinks import Done, SqliteSink

ROOT = Path(__file__).resolve().parents[2]
GOOD = "Năm 2023, tỉnh đạt 88,5 điểm Chỉ số cải cách hành chính, tăng 3 bậc so với năm trước."
runner = CliRunner()


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["extract", "-q", *args])
    return result.exit_code, result.stderr


def _inputs(tmp_path: Path, n: int = 3) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.txt").write_text(f"{GOOD}\n\nĐoạn {i}.\n", encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- odd outputs
def test_output_to_dev_null_works(tmp_path: Path) -> None:
    code, err = cli(str(_inputs(tmp_path)), "-o", os.devnull)
    assert code == 0, err


def test_output_to_dev_stdout_writes_every_record(tmp_path: Path) -> None:
    folder = _inputs(tmp_path)
    proc = subprocess.run([sys.executable, "-c", "from newsfacts.cli import app; app()",
                           "extract", "-q", str(folder), "-o", "/dev/stdout"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert len([json.loads(line) for line in proc.stdout.splitlines()]) == 3


@pytest.mark.parametrize("name", ["notes.jsonl", "notes.txt"])
def test_resume_into_a_file_that_is_not_newsfacts_output_is_refused_untouched(
        tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    content = "my own notes\nnot records\n" if name.endswith(".txt") else '{"a": 1}\n{"b": 2}\n'
    out.write_text(content, encoding="utf-8")
    code, err = cli(str(_inputs(tmp_path)), "-o", str(out), "--format", "jsonl", "--resume")
    assert code == 2
    assert "not a newsfacts record" in err
    assert out.read_text(encoding="utf-8") == content


def test_resume_still_cuts_a_torn_last_record(tmp_path: Path) -> None:
    folder = _inputs(tmp_path)
    out = tmp_path / "out.jsonl"
    assert cli(str(folder), "-o", str(out))[0] == 0
    whole = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(whole[:2]) + whole[2][:40], encoding="utf-8")
    code, err = cli(str(folder), "-o", str(out), "--resume")
    assert code == 0, err
    assert sorted(out.read_text(encoding="utf-8").splitlines(keepends=True)) == sorted(whole)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".sqlite"])
def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path, suffix: str) -> None:
    folder = _inputs(tmp_path)
    out = tmp_path / f"out{suffix}"
    assert cli(str(folder), "-o", str(out))[0] == 0
    before = out.read_bytes()
    # the first run still holding its output: an advisory lock, as a running extract holds
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, err = cli(str(folder), "-o", str(out))
    finally:
        os.close(fd)
    assert code == 2
    assert "another newsfacts run" in err
    assert out.read_bytes() == before  # not truncated by the refused run
    assert cli(str(folder), "-o", str(out))[0] == 0  # lock released: runs again


def test_a_second_run_really_running_is_refused(tmp_path: Path) -> None:
    """Two real processes: the one that starts second is refused while the first runs."""
    folder = _inputs(tmp_path)
    out = tmp_path / "out.jsonl"
    code = ("import sys, time\n"
            "from newsfacts.outfiles import lock_output\n"
            "from pathlib import Path\n"
            "fd = lock_output(Path(sys.argv[1]))\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE,
                              text=True, cwd=ROOT)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        code_, err = cli(str(folder), "-o", str(out))
        assert code_ == 2 and "another newsfacts run" in err
    finally:
        holder.kill()
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()


@pytest.mark.parametrize("option", ["--stats", "--errors"])
def test_an_unwritable_stats_or_errors_path_fails_before_the_run(tmp_path: Path, option: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, err = cli(str(_inputs(tmp_path)), "-o", str(out), option, str(blocker / "sub" / "x.json"))
    assert code == 2, err
    assert "error:" in err
    assert not out.exists() or out.stat().st_size == 0  # no document was processed


def test_sqlite_on_a_full_disk_reports_the_real_error(tmp_path: Path) -> None:
    sink = SqliteSink(tmp_path / "out.sqlite")
    sink.open(resume=False)
    assert sink.db is not None
    pages = sink.db.execute("PRAGMA page_count").fetchone()[0]
    sink.db.execute(f"PRAGMA max_page_count={pages + 2}")  # a disk with two pages left
    rec = {"doc_id": "d", "source": {"path": "d.txt"}, "facts": [], "warnings": [],
           "schema_version": "1", "text": "x" * 200_000}
    with pytest.raises(sqlite3.DatabaseError) as info:
        sink.write_batch([Done(1, json.dumps(rec))])
    assert "full" in str(info.value)
    assert "rollback" not in str(info.value)
    sink.close()


# --------------------------------------------------------------------------- document identity
def _colliding(tmp_path: Path) -> Path:
    """Five documents, three sharing the doc_id ``index`` (one file name in three folders)
    and two sharing ``12345`` (one JSON Lines file giving that id twice)."""
    root = tmp_path / "in"
    for i, site in enumerate(("a", "b", "c")):
        (root / site).mkdir(parents=True)
        (root / site / "index.txt").write_text(
            f"Năm 2023, tỉnh đạt {80 + i},5 điểm Chỉ số cải cách hành chính.\n", encoding="utf-8")
    lines = [json.dumps({"id": "12345", "url": f"https://{site}.vn/tin/12345",
                         "text": f"Năm 2022, tỉnh đạt {70 + i},5 điểm Chỉ số cải cách hành chính."},
                        ensure_ascii=False) for i, site in enumerate(("d", "e"))]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _docs_of(out: Path, fmt: str) -> set[tuple[str, str, int | None]]:
    """(doc_id, source path, source record) of every document an output holds."""
    if fmt == "jsonl":
        recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        return {(r["doc_id"], r["source"]["path"], r["source"]["record"]) for r in recs}
    if fmt == "sqlite":
        with sqlite3.connect(out) as db:
            arts = set(db.execute("SELECT doc_id, source_path, source_record FROM articles"))
            facts = set(db.execute("SELECT a.doc_id, a.source_path, a.source_record FROM facts f "
                                   "JOIN articles a ON a.doc_key = f.doc_key"))
            assert facts == arts  # the facts table carries the document's key
        return {(d, p, None if r is None else int(r)) for d, p, r in arts}
    if fmt == "csv":
        import csv

        with out.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        return {(r["doc_id"], r["source_path"], int(r["source_record"]) if r["source_record"] else None)
                for r in rows}
    import pyarrow.parquet as pq

    rows = pq.read_table(out).to_pylist()
    return {(r["doc_id"], r["source_path"],
             None if r["source_record"] is None else int(r["source_record"])) for r in rows}


def test_every_sink_keeps_every_document_with_colliding_doc_ids(tmp_path: Path) -> None:
    root = _colliding(tmp_path)
    fmts = ["jsonl", "csv", "sqlite"]
    try:
        import pyarrow  # noqa: F401

        fmts.append("parquet")
    except ImportError:
        pass
    got = {}
    for fmt in fmts:
        out = tmp_path / f"out.{fmt}"
        code, err = cli(str(root), "-o", str(out), "-j", "1")
        assert code == 0, err
        got[fmt] = _docs_of(out, fmt)
    first = got["jsonl"]
    assert len(first) == 5
    assert len({doc_id for doc_id, _, _ in first}) == 5  # doc_ids made unique in the run
    assert {doc_id.split("~")[0] for doc_id, _, _ in first} == {"index", "12345"}
    for fmt in fmts:
        assert got[fmt] == first, fmt


def test_renamed_doc_ids_resume_exactly(tmp_path: Path) -> None:
    root = _colliding(tmp_path)
    out = tmp_path / "out.jsonl"
    assert cli(str(root), "-o", str(out), "-j", "1")[0] == 0
    whole = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(whole[:3]), encoding="utf-8")
    code, err = cli(str(root), "-o", str(out), "-j", "1", "--resume")
    assert code == 0, err
    assert out.read_text(encoding="utf-8").splitlines(keepends=True) == whole


def test_sqlite_holds_all_of_the_bundled_corpus(tmp_path: Path) -> None:
    db_out, jsonl_out = tmp_path / "x.sqlite", tmp_path / "x.jsonl"
    assert cli(str(ROOT / "corpus"), "-o", str(db_out), "-j", "1")[0] == 0
    assert cli(str(ROOT / "corpus"), "-o", str(jsonl_out), "-j", "1")[0] == 0
    n = len(jsonl_out.read_text(encoding="utf-8").splitlines())
    # html/ and seeds/ hold one article each under the same name: doc_ids that collide
    files = [p for p in (ROOT / "corpus").rglob("*") if p.suffix in (".html", ".txt")]
    assert n == len(files) > 0
    with sqlite3.connect(db_out) as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone() == (n,)


def test_dedupe_drops_repeated_articles_and_counts_them(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    text = "Năm 2023, tỉnh đạt 88,5 điểm Chỉ số cải cách hành chính."
    (root / "one.txt").write_text(text + "\n", encoding="utf-8")
    (root / "copy.txt").write_text("  " + text.replace(" ", "  ") + "\n\n", encoding="utf-8")
    (root / "other.txt").write_text(text.replace("88,5", "77,5") + "\n", encoding="utf-8")
    lines = [json.dumps({"id": f"n{i}", "url": "https://a.vn/tin/1",
                         "text": f"Năm 2022, tỉnh đạt {60 + i},5 điểm Chỉ số cải cách hành chính."},
                        ensure_ascii=False) for i in range(2)]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    assert cli(str(root), "-o", str(out), "-j", "1")[0] == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5  # without --dedupe: all
    result = runner.invoke(app, ["extract", str(root), "-o", str(out), "-j", "1", "--dedupe",
                                 "--stats", str(stats)])
    assert result.exit_code == 0, result.stderr
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 3
    assert json.loads(stats.read_text(encoding="utf-8"))["duplicates_dropped"] == 2
    assert "2 duplicates dropped" in result.stderr


# --------------------------------------------------------------------------- time limit
def stuck_on_slow(doc: Any, resources: Any, with_text: bool = False) -> Any:
    """The pipeline, except that a document whose name holds "slow" never ends (a loop
    in Python, as a runaway linker or rule would be)."""
    from newsfacts.pipeline import process_document

    if "slow" in doc.doc_id:
        while True:
            pass
    return process_document(doc, resources, with_text=with_text)


@pytest.fixture
def hang_guard() -> Any:
    """A test that would hang ends the test process with its traceback instead."""
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stuck_document_is_stopped_by_the_time_limit_and_the_run_goes_on(
        tmp_path: Path, jobs: int, hang_guard: Any) -> None:
    folder = _inputs(tmp_path, 4)
    (folder / "b-slow.txt").write_text(f"{GOOD}\n", encoding="utf-8")
    out, errs = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    stats = Runner(RunOptions(paths=[str(folder)], output=out, errors=errs, jobs=jobs, batch_size=1,
                              progress="none", doc_fn=stuck_on_slow, time_limit=1.0)).run()
    assert stats.records == 4 and stats.errors == 1
    (err,) = [json.loads(line) for line in errs.read_text(encoding="utf-8").splitlines()]
    assert err["doc_id"] == "b-slow" and err["stage"] == "timeout"
    assert "time limit" in err["error"]
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4


def test_the_time_limit_holds_in_a_worker_thread(tmp_path: Path, hang_guard: Any) -> None:
    """Dask runs batches in worker threads, where no signal arrives: the limit still holds."""
    from newsfacts.ingest import Document
    from newsfacts.resources import load_resources
    from newsfacts.run.worker import process_batch

    docs = [Document("a-slow", {"path": "a-slow.txt"}, text=GOOD),
            Document("b", {"path": "b.txt"}, text=GOOD)]
    got: list[Any] = []
    resources = load_resources(None)
    worker = threading.Thread(target=lambda: got.append(
        process_batch(docs, resources, doc_fn=stuck_on_slow, time_limit=1.0)), daemon=True)
    worker.start()
    worker.join(timeout=50)
    assert not worker.is_alive()
    (outcomes, _rss), = got
    assert [(kind, stage if kind == "err" else None) for kind, _, _, stage in outcomes] == [
        ("err", "timeout"), ("ok", None)]


def test_the_time_limit_option_is_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code, err = cli(str(_inputs(tmp_path)), "-o", str(out), "--time-limit", "30")
    assert code == 0, err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_a_parquet_folder_is_locked_as_a_folder(tmp_path: Path) -> None:
    from newsfacts.errors import OutputError
    from newsfacts.outfiles import lock_output

    out = tmp_path / "out.parquet"
    fd = lock_output(out, folder=True)
    try:
        assert out.is_dir()  # the sink finds the folder it needs, not a file in its place
        with pytest.raises(OutputError, match="another newsfacts run"):
            lock_output(out, folder=True)
    finally:
        assert fd is not None
        os.close(fd)
    os.close(lock_output(out, folder=True) or -1)
