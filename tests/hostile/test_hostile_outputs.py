"""Hostile outputs and conditions (issue 13, the output side): an odd output, a second run
or a full disk never costs a good document nor ends a good run in an error."""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsfacts.cli import app
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
            "from newsfacts.sinks import lock_output\n"
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
