"""Hostile sizes (issue 13, the per-document limits): a document with a megabyte of figures
in one line, more figures than the limit, or one that never ends costs that document only.

The texts are generated here; the large one runs in a subprocess with a generous timeout,
so that a return of quadratic linking fails the test instead of stalling the suite.
"""

from __future__ import annotations

import faulthandler
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsfacts.run import Runner, RunOptions
from newsfacts.run.options import DEFAULT_MAX_FIGURES

ROOT = Path(__file__).resolve().parents[2]
GOOD = "Năm 2023, tỉnh đạt 88,5 điểm Chỉ số cải cách hành chính, tăng 3 bậc so với năm trước."
PLACES = ("Hưng Yên", "Bắc Ninh", "Quảng Ninh", "Đà Nẵng", "Cần Thơ", "Lào Cai", "Hà Giang")


def part(i: int) -> str:
    """One clause of three figures (a score in percent, a rank, a share), varied by ``i``."""
    return (f"năm {2015 + i % 9} chỉ số PAR INDEX của tỉnh {PLACES[i % len(PLACES)]} đạt "
            f"{80 + i % 17},{i % 100:02d}%, xếp thứ {1 + i % 63}/63, tỷ lệ hồ sơ giải quyết đúng "
            f"hạn đạt {90 + i % 9},{i % 10}%")


def one_line(size: int) -> tuple[str, int]:
    """A text of ``size`` bytes in one line with no sentence break: parts joined by commas.
    Returns the text and the number of parts."""
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(part(len(parts)))
        total += len(parts[-1].encode("utf-8")) + 2
    return "Tin tức " + ", ".join(parts), len(parts)


def extract(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from newsfacts.cli import app; app()",
                           "extract", "-q", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def inputs(tmp_path: Path, bad: str) -> Path:
    """Good documents a0 … a2 around one bad one (``b-bad.txt``)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in (0, 2):
        (folder / f"a{i}.txt").write_text(f"{GOOD}\n\nĐoạn {i}.\n", encoding="utf-8")
    (folder / "a1-b-bad.txt").write_text(bad, encoding="utf-8")
    (folder / "a3.txt").write_text(f"{GOOD}\n", encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- linking
def test_a_one_megabyte_line_of_figures_is_linked_in_bounded_time(tmp_path: Path) -> None:
    """Linking used to ask every figure about every earlier figure, entity and year, and
    about its whole sentence: a megabyte in one line took minutes. Now it is linear, and
    every clause's three figures come out (the limit is lifted to let them)."""
    text, n = one_line(1_000_000)
    folder = inputs(tmp_path, text)
    out = tmp_path / "out.jsonl"
    proc = extract(str(folder), "-o", str(out), "-j", "1", "--max-figures", "0", timeout=90)
    assert proc.returncode == 0, proc.stderr
    recs = {r["doc_id"]: r for r in lines(out)}
    assert sorted(recs) == ["a0", "a1-b-bad", "a2", "a3"]
    facts = recs["a1-b-bad"]["facts"]
    assert len(facts) == 3 * n
    assert {f["kind"] for f in facts} == {"score", "rank", "percentage"}
    assert all(recs[d]["facts"] for d in ("a0", "a2", "a3"))


def test_a_long_sentence_is_cut_at_a_clause_boundary(resources: Any) -> None:
    """A sentence over the limit is cut into parts after a comma, each of a few clauses,
    so that each part's figures keep their own clause's subject and year; a sentence
    within the limit stays whole."""
    from newsfacts.pipeline import extract_from_text
    from newsfacts.segment import MAX_SENTENCE_CHARS, PART_CHARS, split_sentences

    text, n = one_line(3 * MAX_SENTENCE_CHARS)
    sentences = split_sentences(text)
    assert len(sentences) >= 3 and all(len(s.text) <= PART_CHARS for s in sentences)
    assert all(s.text.endswith(",") for s in sentences[:-1])
    assert "".join(s.text + " " for s in sentences).strip() == text
    facts, _trace = extract_from_text(text, resources=resources)
    assert len(facts) == 3 * n
    years = [f.year for f in facts if f.kind == "score"]
    assert years == [2015 + i % 9 for i in range(n)]
    whole = ", ".join(part(i) for i in range(20))
    assert len(whole) <= MAX_SENTENCE_CHARS and [s.text for s in split_sentences(whole)] == [whole]


# --------------------------------------------------------------------------- figures per document
def many_figures(n: int) -> str:
    return "Kết quả.\n\n" + " ".join(f"Tỉnh đạt {50 + i % 40},5 điểm." for i in range(n))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_document_over_the_figure_limit_is_an_error_and_the_run_goes_on(
        tmp_path: Path, jobs: str) -> None:
    folder = inputs(tmp_path, many_figures(30))
    out, errs = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    proc = extract(str(folder), "-o", str(out), "--errors", str(errs), "-j", jobs,
                   "--batch-size", "1", "--max-figures", "20", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert [r["doc_id"] for r in lines(out)] == ["a0", "a2", "a3"]
    (err,) = lines(errs)
    assert (err["doc_id"], err["stage"]) == ("a1-b-bad", "limit")
    assert err["error"] == "30 figures, over the limit of 20 per document (--max-figures)"
    strict = extract(str(folder), "-o", str(tmp_path / "strict.jsonl"), "--errors",
                     str(tmp_path / "strict.err"), "--max-figures", "20", "--strict", timeout=120)
    assert strict.returncode == 3, strict.stderr


def test_the_default_figure_limit_passes_a_results_table(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from newsfacts.cli import app

    folder = inputs(tmp_path, many_figures(300))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", "-q", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    recs = {r["doc_id"]: r for r in lines(out)}
    assert len(recs["a1-b-bad"]["facts"]) == 300
    assert RunOptions(paths=[]).max_figures == DEFAULT_MAX_FIGURES
    # click's plain help writes the range after the default: "[default: 10000; x>=0]"
    assert re.search(rf"\[default: {DEFAULT_MAX_FIGURES}[;\]]", CliRunner().invoke(
        app, ["extract", "--help"], env={"COLUMNS": "200"}).stdout)


def test_a_custom_document_function_is_held_to_the_figure_limit(tmp_path: Path) -> None:
    """The limit judges any document function's record, not only the pipeline's."""
    folder = inputs(tmp_path, many_figures(30))
    out, errs = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    stats = Runner(RunOptions(paths=[str(folder)], output=out, errors=errs, jobs=1,
                              progress="none", doc_fn=pipeline_only, max_figures=20)).run()
    assert (stats.records, stats.errors, dict(stats.errors_by_stage)) == (3, 1, {"limit": 1})
    assert lines(errs)[0]["doc_id"] == "a1-b-bad"


def pipeline_only(doc: Any, resources: Any, with_text: bool = False) -> Any:
    from newsfacts.pipeline import process_document

    return process_document(doc, resources, with_text=with_text)


# --------------------------------------------------------------------------- time limit, every engine
def stuck_on_bad(doc: Any, resources: Any, with_text: bool = False) -> Any:
    """The pipeline, except that a document whose name holds "bad" never ends."""
    if "bad" in doc.doc_id:
        while True:
            pass
    return pipeline_only(doc, resources, with_text)


@pytest.fixture
def hang_guard() -> Any:
    faulthandler.dump_traceback_later(240, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.mark.parametrize("engine,jobs", [("local", 1), ("local", 2), ("dask", 1)])
def test_the_time_limit_holds_in_every_engine(tmp_path: Path, engine: str, jobs: int,
                                             hang_guard: Any) -> None:
    """Serial (one job), the process pool and Dask (worker threads, no signals) all stop a
    stuck document at the limit, list it with stage ``timeout`` and write the others."""
    if engine == "dask":
        pytest.importorskip("distributed")
    folder = inputs(tmp_path, GOOD)
    out, errs = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    stats = Runner(RunOptions(paths=[str(folder)], output=out, errors=errs, jobs=jobs, engine=engine,
                              batch_size=1, progress="none", doc_fn=stuck_on_bad, time_limit=1.0)).run()
    # 3: finished with a failed document (the command line exits 0 for it unless --strict)
    assert (stats.records, stats.errors, stats.exit_code) == (3, 1, 3)
    (err,) = lines(errs)
    assert (err["doc_id"], err["stage"]) == ("a1-b-bad", "timeout")
    assert "over the time limit of 1 s" in err["error"]
    assert [r["doc_id"] for r in lines(out)] == ["a0", "a2", "a3"]
