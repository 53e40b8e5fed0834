"""Issue 14 through the command line: a closed pipe, Ctrl-C, outputs that are never empty,
a CSV journal that goes once the run completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_runner import make_corpus

CLI = [sys.executable, "-c", "from newsfacts.cli import app; app()"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("conv"), 120)


def test_a_closed_pipe_ends_the_run_quietly(corpus: Path) -> None:
    """`extract … | head -1`: no traceback, exit 141 (128 + SIGPIPE, what a shell shows for
    a tool the pipe stopped), and the workers do not outlive it."""
    proc = subprocess.Popen(CLI + ["extract", str(corpus), "-j", "2", "--batch-size", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141, err
    assert json.loads(first)["doc_id"]
    assert "Traceback" not in err and "BrokenPipe" not in err and "error" not in err


def test_ctrl_c_stops_workers_at_once_and_the_hint_fits_the_output(corpus: Path,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    for target in (["-o", str(out)], []):
        proc = subprocess.Popen(CLI + ["extract", str(corpus), "-j", "2", "--batch-size", "1",
                                       *target], stdout=subprocess.PIPE if not target else
                                subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        if target:
            deadline = time.monotonic() + 60
            while (not out.exists() or out.stat().st_size == 0) and time.monotonic() < deadline:
                time.sleep(0.01)
        else:
            assert proc.stdout is not None
            proc.stdout.readline()
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.05)
        with _suppress_gone():
            os.killpg(proc.pid, signal.SIGINT)  # the second Ctrl-C
        _, err = proc.communicate(timeout=30)  # hang guard: it must stop, not join workers
        # 130, or the second Ctrl-C found it already exiting (a shell shows 130 for both)
        assert proc.returncode in (130, -signal.SIGINT), err
        assert "Traceback" not in err.decode()
        with _suppress_gone():  # nothing of the run's process group is left
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                os.killpg(proc.pid, 0)
                time.sleep(0.05)
            raise AssertionError("workers outlived the run")
        resume_hint = "--resume to continue" in err.decode()
        assert resume_hint == bool(target), err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(x)["doc_id"] for x in lines)  # whole records only


class _suppress_gone:
    def __enter__(self) -> None:
        return None

    def __exit__(self, typ: object, exc: object, tb: object) -> bool:
        return typ is ProcessLookupError


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".sqlite"])
def test_a_run_that_reads_nothing_leaves_no_output(suffix: str, tmp_path: Path) -> None:
    empty = tmp_path / "in"
    empty.mkdir()
    (empty / "blank.txt").write_text(" \n", encoding="utf-8")
    out, errors = tmp_path / f"out{suffix}", tmp_path / "errors.jsonl"
    proc = subprocess.run(CLI + ["extract", str(empty), "-o", str(out), "--errors", str(errors)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["errors.jsonl", "in"]
    assert errors.stat().st_size > 0  # the blank file is named there
    proc = subprocess.run(CLI + ["extract", str(tmp_path / "nothing_here"), "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and not out.exists()


def test_a_finished_csv_run_leaves_no_journal_and_resumes(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    args = ["extract", str(corpus), "-o", str(out), "-q"]
    assert subprocess.run(CLI + args, check=False).returncode == 0
    assert not (tmp_path / "facts.csv.journal").exists()
    whole = out.read_bytes()
    assert subprocess.run(CLI + [*args, "--resume"], check=False).returncode == 0
    assert out.read_bytes() == whole
    assert not (tmp_path / "facts.csv.journal").exists()
