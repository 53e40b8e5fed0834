"""The runner: every engine writes the same records; bad documents and killed runs lose nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS

from newsfacts.ingest import count_documents, may_hold_pages
from newsfacts.run import EXIT_INTERRUPTED, Runner, RunOptions
from newsfacts.run.loop import GZIP_RATIO, _volume
from newsfacts.run.worker import run_item
from newsfacts.sinks import doc_key

CLI = [sys.executable, "-c", "from newsfacts.cli import app; app()"]


def make_corpus(folder: Path, n: int, salt: bool = False) -> Path:
    """``n`` small articles cut from the seed corpus, each different; with ``salt``, broken files."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "seeds").glob("*.txt"))]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        paragraphs = seeds[i % len(seeds)].split("\n\n")
        start = (i // len(seeds)) % max(1, len(paragraphs) - 3)
        body = "\n\n".join(paragraphs[start:start + 4])
        (folder / f"doc{i:04d}.txt").write_text(f"Bài số {i}\n\n{body}\n", encoding="utf-8")
    if salt:
        (folder / "bad_binary.txt").write_bytes(b"\x00\x01\x02\xff" * 64)
        (folder / "bad_utf16.txt").write_bytes("Tỉnh đạt 81,98 điểm".encode("utf-16"))
        (folder / "bad_latin1.txt").write_bytes("Tỉnh đạt 90% kế hoạch".encode()[:-6] + b"\xe9\xe8")
        (folder / "bad_empty.txt").write_bytes(b"")
        (folder / "bad_blank.txt").write_text(" \n\n \n", encoding="utf-8")
        (folder / "sub").mkdir()
        (folder / "sub" / "boom.txt").write_text("Bài BOOM\n\nTỉnh đạt 90% kế hoạch.\n", encoding="utf-8")
    return folder


BAD = {"bad_binary", "bad_utf16", "bad_latin1", "bad_empty", "bad_blank"}


def flaky_process(doc: Any, resources: Any, with_text: bool = False) -> Any:
    """The pipeline, except that a document saying BOOM raises (a bug on one document)."""
    from newsfacts.pipeline import process_document

    if doc.text and "BOOM" in doc.text:
        raise RuntimeError("boom")
    return process_document(doc, resources, with_text=with_text)


def crashing_process(doc: Any, resources: Any, with_text: bool = False) -> Any:
    """The pipeline, except that a document saying BOOM kills its worker process."""
    from newsfacts.pipeline import process_document

    if doc.text and "BOOM" in doc.text:
        os._exit(3)
    return process_document(doc, resources, with_text=with_text)


def segmenter_probe(doc: Any, resources: Any, with_text: bool = False) -> Any:
    """Fails every document with whether this process has the word segmenter loaded."""
    module = sys.modules.get("underthesea.pipeline.word_tokenize")
    loaded = module is not None and module.word_tokenize_model is not None
    raise RuntimeError(f"segmenter loaded: {loaded}")


def run(tmp: Path, paths: list[Path], name: str = "out.jsonl", **kw: Any) -> tuple[Runner, Path]:
    out = tmp / name
    kw.setdefault("progress", "none")
    runner = Runner(RunOptions(paths=[str(p) for p in paths], output=out, **kw))
    runner.run()
    return runner, out


def ids(path: Path) -> list[str]:
    return [json.loads(line)["doc_id"] for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("corpus"), 60, salt=True)


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The serial run every other engine and every interrupted run must reproduce."""
    tmp = tmp_path_factory.mktemp("ref")
    runner, out = run(tmp, [corpus], jobs=1, errors=tmp / "errors.jsonl", doc_fn=flaky_process)
    assert runner.stats.exit_code == 3  # finished, with failures
    return out, tmp / "errors.jsonl"


def test_salted_corpus_finishes_with_every_bad_document_in_the_error_file(
        reference: tuple[Path, Path]) -> None:
    out, errors = reference
    good = [f"doc{i:04d}" for i in range(60)]
    assert ids(out) == good  # input order, every good document
    errs = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert {e["doc_id"] for e in errs} == BAD | {"boom"}
    for e in errs:
        assert set(e) == {"doc_id", "source", "stage", "error"} and e["source"]["path"]
    stages = {e["doc_id"]: e["stage"] for e in errs}
    assert stages["boom"] == "process" and stages["bad_binary"] == "read"
    assert "RuntimeError: boom" in next(e["error"] for e in errs if e["doc_id"] == "boom")


def test_process_pool_writes_what_the_serial_run_writes(
        corpus: Path, reference: tuple[Path, Path], tmp_path: Path) -> None:
    runner, out = run(tmp_path, [corpus], jobs=2, batch_size=4, errors=tmp_path / "e.jsonl",
                      doc_fn=flaky_process, stats=tmp_path / "stats.json")
    assert runner.engine_name == "local" and runner.jobs == 2
    assert out.read_bytes() == reference[0].read_bytes()
    assert sorted((tmp_path / "e.jsonl").read_text().splitlines()) == sorted(
        reference[1].read_text().splitlines())
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["records"] == 60 and stats["errors"] == 6 and stats["documents"] == 66
    assert stats["errors_by_stage"] == {"read": 5, "process": 1}
    assert stats["facts"] == sum(stats["facts_by_kind"].values()) > 0
    assert 0 < stats["peak_rss_mb"]["worker"] < 400
    assert stats["docs_per_s_after_first_batch"] > 0


def test_the_rate_after_the_first_batch_leaves_start_up_out(tmp_path: Path) -> None:
    """Batches of 5 documents; the first takes 0.5 s (a start-up), the next two 0.05 s each."""
    from newsfacts.pipeline import process_document

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(15):
        (docs / f"d{i}.txt").write_text(f"Tin {i}\n\nTỉnh A đạt {i}%.", encoding="utf-8")
    calls = []

    def slow_start(doc: Any, resources: Any, with_text: bool = False) -> Any:
        calls.append(doc.doc_id)
        time.sleep(0.1 if len(calls) <= 5 else 0.01)
        return process_document(doc, resources, with_text=with_text)

    runner, _ = run(tmp_path, [docs], jobs=1, batch_size=5, doc_fn=slow_start)
    summary = runner.summary()
    assert summary["documents"] == 15 and summary["docs_per_s"] < 30
    assert summary["docs_per_s_after_first_batch"] > 40  # 10 documents in ~0.1 s
    one, _ = run(tmp_path, [docs / "d0.txt"], name="one.jsonl", jobs=1)
    assert one.summary()["docs_per_s_after_first_batch"] is None  # one batch: no rate after it


def test_unordered_output_holds_the_same_records(
        corpus: Path, reference: tuple[Path, Path], tmp_path: Path) -> None:
    _, out = run(tmp_path, [corpus], jobs=2, batch_size=3, ordered=False, doc_fn=flaky_process)
    assert sorted(out.read_text().splitlines()) == sorted(reference[0].read_text().splitlines())


def test_a_worker_that_dies_costs_only_its_document(
        corpus: Path, reference: tuple[Path, Path], tmp_path: Path) -> None:
    _, out = run(tmp_path, [corpus], jobs=2, batch_size=4, errors=tmp_path / "e.jsonl",
                 doc_fn=crashing_process)
    assert out.read_bytes() == reference[0].read_bytes()
    errs = {json.loads(x)["doc_id"]: json.loads(x) for x in (tmp_path / "e.jsonl").read_text().splitlines()}
    assert set(errs) == BAD | {"boom"} and errs["boom"]["stage"] == "worker"


def test_resume_skips_what_is_on_disk(corpus: Path, reference: tuple[Path, Path], tmp_path: Path) -> None:
    ref_lines = reference[0].read_text().splitlines()
    out = tmp_path / "out.jsonl"
    out.write_text("\n".join(ref_lines[:25]) + "\n" + ref_lines[25][:40], encoding="utf-8")
    runner, _ = run(tmp_path, [corpus], jobs=1, resume=True, doc_fn=flaky_process,
                    errors=tmp_path / "e.jsonl")
    assert runner.stats.resumed == 25 and runner.stats.records == 35
    assert out.read_bytes() == reference[0].read_bytes()
    runner, _ = run(tmp_path, [corpus], jobs=1, resume=True, doc_fn=flaky_process,
                    errors=tmp_path / "e.jsonl")  # nothing left to do: errors are finished too
    assert runner.stats.documents == 0 and runner.stats.resumed == 66
    assert out.read_bytes() == reference[0].read_bytes()


def test_counting_documents_up_front(corpus: Path, tmp_path: Path) -> None:
    assert count_documents([str(corpus)]) == 66
    assert count_documents([str(corpus)], limit=10) == 11
    (tmp_path / "a.warc.gz").write_bytes(b"")
    assert count_documents([str(tmp_path)]) is None


# --------------------------------------------------------------------------- kill and resume
def line_count(path: Path) -> int:
    try:
        with path.open("rb") as fh:
            return sum(1 for _ in fh)
    except FileNotFoundError:
        return 0


def progress_of(out: Path, fmt: str) -> int:
    """Documents written so far."""
    if fmt == "jsonl":
        return line_count(out)
    if fmt == "csv":
        journal = out.with_name(out.name + ".journal")
        try:
            lines = journal.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return 0
        return sum(len(json.loads(x)["keys"]) for x in lines if x.endswith("}"))
    return _sqlite_rows(out)


def _sqlite_rows(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.05)
        try:
            return int(db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def start(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(CLI + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def kill_when(proc: subprocess.Popen[bytes], ready: Any, sig: int, timeout: float = 120) -> bool:
    """Send ``sig`` to the whole run once ``ready()``; False if it finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if ready():
            os.killpg(proc.pid, sig)
            proc.wait(timeout=60)
            return True
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("run neither finished nor progressed in time")


def records_of(out: Path, fmt: str) -> list[Any]:
    if fmt == "jsonl":
        return out.read_text(encoding="utf-8").splitlines()
    if fmt == "csv":
        return out.read_text(encoding="utf-8").splitlines()
    db = sqlite3.connect(out)
    try:
        arts = db.execute("SELECT doc_id, source_path, title, n_facts FROM articles ORDER BY doc_id").fetchall()
        facts = db.execute('SELECT doc_id, ordinal, kind, text, "index", year, value, count '
                           "FROM facts ORDER BY doc_id, ordinal").fetchall()
    finally:
        db.close()
    return [arts, facts]


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("kill"), 200, salt=True)


KILLS = {"jsonl": (signal.SIGKILL, signal.SIGKILL, signal.SIGTERM),
         "csv": (signal.SIGKILL,), "sqlite": (signal.SIGKILL,)}


@pytest.mark.parametrize("fmt", list(KILLS))
def test_killed_runs_resume_to_exactly_the_uninterrupted_output(
        fmt: str, big_corpus: Path, tmp_path: Path) -> None:
    """Kill ``newsfacts extract`` at random points, resume each time: exactly the records
    (and error lines) of an uninterrupted run, none twice, none missing."""
    rng = random.Random(f"kill-{fmt}")
    suffix = {"jsonl": ".jsonl", "csv": ".csv", "sqlite": ".sqlite"}[fmt]
    ref_runner, ref_out = run(tmp_path, [big_corpus], f"ref{suffix}", jobs=1,
                              errors=tmp_path / "ref_errors.jsonl")
    assert ref_runner.stats.records == 201  # 200 + "boom", an ordinary article here

    out, errors = tmp_path / f"out{suffix}", tmp_path / "errors.jsonl"
    args = ["extract", str(big_corpus), "-o", str(out), "--errors", str(errors), "-j", "2",
            "--batch-size", "4", "-q"]
    killed, at = 0, 0
    for n, sig in enumerate(KILLS[fmt]):
        at += rng.randint(10, 60)
        proc = start(args + (["--resume"] if n else []))
        if kill_when(proc, lambda t=at: progress_of(out, fmt) >= t, sig):
            killed += 1
            if sig == signal.SIGTERM:
                assert proc.returncode == EXIT_INTERRUPTED
        if proc.stderr:
            proc.stderr.close()
    assert killed >= 1, "every run finished before it could be killed"
    done = subprocess.run(CLI + args + ["--resume"], check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert records_of(out, fmt) == records_of(ref_out, fmt)
    assert sorted(errors.read_text().splitlines()) == sorted(
        (tmp_path / "ref_errors.jsonl").read_text().splitlines())
    if fmt == "jsonl":
        keys = [doc_key(r["doc_id"], r["source"]) for r in map(json.loads, records_of(out, fmt))]
        assert len(keys) == len(set(keys)) == 201


def test_cli_flags_and_summary(corpus: Path, tmp_path: Path) -> None:
    out, stats = tmp_path / "facts.csv", tmp_path / "stats.json"
    proc = subprocess.run(CLI + ["extract", str(corpus), "-o", str(out), "--stats", str(stats),
                                 "-j", "1", "--strict"], check=False, capture_output=True, text=True)
    assert proc.returncode == 3  # --strict: some documents failed
    assert f"skipped {corpus / 'bad_binary.txt'}: read:" in proc.stderr and "66 documents" in proc.stderr
    summary = json.loads(stats.read_text())
    assert summary["format"] == "csv" and summary["exit_code"] == 3
    assert out.read_text(encoding="utf-8").startswith("doc_id,source_path,")
    proc = subprocess.run(CLI + ["extract", str(corpus), "--resume"], check=False, capture_output=True, text=True)
    assert proc.returncode == 2 and "--resume needs --output" in proc.stderr
    proc = subprocess.run(CLI + ["extract", str(corpus), "-o", str(tmp_path / "x.jsonl"),
                                 "--engine", "spark"], check=False, capture_output=True, text=True)
    assert proc.returncode == 2 and "spark" in proc.stderr


# --------------------------------------------------------------------------- dask
def test_dask_engine_writes_what_the_local_engine_writes(tmp_path: Path) -> None:
    """A local two-worker Dask cluster and the process pool give the same bytes on corpus/."""
    pytest.importorskip("distributed")
    _, local = run(tmp_path, [CORPUS], "local.jsonl", jobs=2, batch_size=2,
                   errors=tmp_path / "local.err")
    dask = tmp_path / "dask.jsonl"
    proc = subprocess.run(CLI + ["extract", str(CORPUS), "-o", str(dask), "--errors",
                                 str(tmp_path / "dask.err"), "--stats", str(tmp_path / "s.json"),
                                 "--engine", "dask", "-j", "2", "--batch-size", "2"],
                          check=False, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert local.read_bytes() == dask.read_bytes() and local.stat().st_size > 0
    stats = json.loads((tmp_path / "s.json").read_text())
    assert (stats["engine"], stats["jobs"], stats["records"]) == ("dask", 2, len(ids(local)))


def test_plain_progress_lines_when_not_a_terminal(
        corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(tmp_path, [corpus], jobs=1, batch_size=20, progress="plain", progress_every=0,
        errors=tmp_path / "e.jsonl")
    lines = [x for x in capsys.readouterr().err.splitlines() if x.startswith("progress:")]
    assert len(lines) == 4  # one per batch here
    assert lines[-1].startswith("progress: 66/66 documents,") and "5 errors" in lines[-1]  # "boom" is fine here


# --------------------------------------------------------------------------- files read by workers
def test_a_file_the_worker_cannot_read_is_one_error_record(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfacts.ingest import FileRef

    (tmp_path / "a.txt").write_text("Bài\n\nTỉnh đạt 90% kế hoạch.\n", encoding="utf-8")
    ref = FileRef(str(tmp_path / "a.txt"))

    def broken(self: FileRef) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(FileRef, "read", broken)
    kind, key, line, stage = run_item(ref, None, False, flaky_process)
    assert (kind, stage) == ("err", "read") and key == doc_key("a", {"path": str(tmp_path / "a.txt")})
    assert json.loads(line)["error"] == "RuntimeError: disk on fire"


def test_batches_weigh_unread_files_by_their_size(tmp_path: Path) -> None:
    from newsfacts.ingest import Document, FileRef

    (tmp_path / "a.txt").write_bytes(b"x" * 1000)
    (tmp_path / "b.html.gz").write_bytes(b"y" * 1000)
    assert _volume(FileRef(str(tmp_path / "a.txt"))) == 1000
    assert _volume(FileRef(str(tmp_path / "b.html.gz"))) == 1000 * GZIP_RATIO
    assert _volume(Document("d", {}, text="abc")) == 3


def test_which_inputs_may_hold_pages(corpus: Path, tmp_path: Path) -> None:
    assert may_hold_pages([str(corpus)]) is False
    assert may_hold_pages([str(CORPUS / "html")]) is True
    assert may_hold_pages([str(corpus), "-"]) is True
    assert may_hold_pages([str(tmp_path / "*.html")]) is True  # a glob: not known yet
    (tmp_path / "a.jsonl").write_text("", encoding="utf-8")
    assert may_hold_pages([str(tmp_path / "a.jsonl")]) is True
    assert may_hold_pages([str(corpus)], limit=10) is True  # too many files to look through


@pytest.mark.parametrize("pages", [False, True])
def test_warm_up_loads_what_the_input_needs(pages: bool) -> None:
    """Plain texts: no HTML stack, and the word segmenter loaded for the workers to share;
    pages: the HTML stack, and the segmenter left to the workers that need it."""
    code = ("import sys; from newsfacts.run.worker import warm_up; "
            "from newsfacts.resources import load_resources; "
            f"warm_up(load_resources(), pages={pages}); "
            "m = sys.modules.get('underthesea.pipeline.word_tokenize'); "
            "print('trafilatura' in sys.modules, m is not None and m.word_tokenize_model is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(pages), str(not pages)]


def test_workers_not_forked_from_a_warm_parent_warm_up_before_their_first_batch() -> None:
    """With a thread running, the pool's workers come from a forkserver and inherit no
    warm-up: each runs it in its initializer, so that its first batch (texts) finds the
    word segmenter loaded instead of loading it inside the measured window."""
    import threading

    from newsfacts.ingest import Document
    from newsfacts.resources import load_resources
    from newsfacts.run.engines import PoolEngine

    stop = threading.Event()
    threading.Thread(target=stop.wait, daemon=True).start()
    try:
        engine = PoolEngine(1, load_resources(), False, segmenter_probe, pages=False)
        try:
            outcomes, _ = engine.submit([Document("d", {}, text="Tiêu đề\n\nMột câu.")]).result(
                timeout=300)
        finally:
            engine.close()
    finally:
        stop.set()
    assert "segmenter loaded: True" in outcomes[0][2]


def test_a_serial_run_leaves_the_garbage_collector_on(corpus: Path, tmp_path: Path) -> None:
    import gc

    run(tmp_path, [corpus], jobs=1, doc_fn=flaky_process)
    assert gc.isenabled()


def test_peak_rss_is_the_run_s_own_not_inherited_from_whoever_started_it(tmp_path: Path) -> None:
    """ru_maxrss survives fork/exec: a run started from a big process would report that
    process's size. --stats reports the run's own high-water mark."""
    doc = tmp_path / "a.txt"
    doc.write_text("Tiêu đề\n\nTỉnh Hà Tĩnh đạt 90,5% năm 2023.\n", encoding="utf-8")
    stats = tmp_path / "stats.json"
    starter = (
        "import subprocess, sys\n"
        "ballast = b'x' * (400 << 20)\n"  # 400 MB, touched, in the process that starts the run
        f"subprocess.run({CLI!r} + ['extract', '-q', '-j', '1', {str(doc)!r}, '-o', "
        f"{str(tmp_path / 'o.jsonl')!r}, '--stats', {str(stats)!r}], check=True)\n"
    )
    subprocess.run([sys.executable, "-c", starter], check=True, timeout=120)
    peak = json.loads(stats.read_text(encoding="utf-8"))["peak_rss_mb"]
    assert 0 < peak["parent"] < 300 and 0 < peak["worker"] < 300
