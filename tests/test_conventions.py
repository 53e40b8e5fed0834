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


def _start_and_interrupt(corpus: Path, target: list[str], out: Path | None,
                         times: int) -> tuple[int, str]:
    """Start a pool run, press Ctrl-C ``times`` once it has written something; (exit
    status, stderr), after checking that no process of the run outlives it."""
    proc = subprocess.Popen(CLI + ["extract", str(corpus), "-j", "2", "--batch-size", "1",
                                   *target], stdout=subprocess.DEVNULL if out else subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    if out is not None:
        deadline = time.monotonic() + 60
        while (not out.exists() or out.stat().st_size == 0) and time.monotonic() < deadline:
            time.sleep(0.01)
    else:
        assert proc.stdout is not None
        proc.stdout.readline()
    for n in range(times):
        if n:
            time.sleep(0.05)
        with _suppress_gone():
            os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)  # hang guard: it must stop, not join workers
    with _suppress_gone():  # nothing of the run's process group is left
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            os.killpg(proc.pid, 0)
            time.sleep(0.05)
        raise AssertionError("workers outlived the run")
    text = err.decode()
    # no traceback of the run's own; Python may still report a Ctrl-C that landed in a
    # garbage-collector callback as "Exception ignored in …" (not ours to catch)
    assert text.count("Traceback") == text.count("Exception ignored in"), text
    return proc.returncode, text


def test_ctrl_c_stops_workers_at_once_and_the_hint_fits_the_output(corpus: Path,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code, err = _start_and_interrupt(corpus, ["-o", str(out)], out, 1)
    assert code == 130 and "re-run with --resume to continue" in err, err
    code, err = _start_and_interrupt(corpus, [], None, 1)
    assert code == 130 and "--resume to continue" not in err and "standard output" in err, err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(x)["doc_id"] for x in lines)  # whole records only


def test_a_second_ctrl_c_ends_the_run_and_leaves_whole_batches(corpus: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    code, _ = _start_and_interrupt(corpus, ["-o", str(out)], out, 2)
    # 130 from the run, or the second Ctrl-C found it already exiting (a shell shows 130)
    assert code in (130, -signal.SIGINT)
    resumed = subprocess.run(CLI + ["extract", str(corpus), "-o", str(out), "--resume", "-q"],
                             check=False, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len({json.loads(x)["doc_id"] for x in lines}) == 120


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


def test_every_output_and_the_stats_name_their_producer(tmp_path: Path) -> None:
    import csv
    import sqlite3

    from conftest import CORPUS
    from typer.testing import CliRunner

    from newsfacts.cli import app
    from newsfacts.resources import load_resources
    from newsfacts.version import package_version

    seeds = str(CORPUS / "seeds")
    want = {"name": "newsfacts", "version": package_version(), "rules": load_resources().digest}
    shown = CliRunner().invoke(app, ["--version"]).stdout
    assert want["version"] in shown and want["rules"] in shown  # what --version prints
    for name in ("o.jsonl", "o.csv", "o.sqlite"):
        args = ["extract", seeds, "-o", str(tmp_path / name), "-q", "-j", "1"]
        if name == "o.jsonl":
            args += ["--stats", str(tmp_path / "stats.json")]
        assert CliRunner().invoke(app, args).exit_code == 0
    lines = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5 and all(r["producer"] == want for r in lines)
    assert json.loads((tmp_path / "stats.json").read_text())["producer"] == want
    with (tmp_path / "o.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {(r["producer_version"], r["producer_rules"]) for r in rows} == {
        (want["version"], want["rules"])}
    db = sqlite3.connect(tmp_path / "o.sqlite")
    try:
        got = set(db.execute("SELECT producer_version, producer_rules FROM articles"))
    finally:
        db.close()
    assert got == {(want["version"], want["rules"])}


def test_the_schema_names_its_draft_and_its_one_version() -> None:
    from typer.testing import CliRunner

    from newsfacts.cli import app
    from newsfacts.models import SCHEMA_VERSION

    schema = json.loads(CliRunner().invoke(app, ["schema"]).stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert "producer" in schema["properties"]
    for kind in ("ScoreFact", "RankFact", "ProcedureCountFact", "PercentageFact"):
        fact = schema["$defs"][kind]  # every fact of a line carries its id
        assert "fact_id" in fact["required"] and fact["properties"]["fact_id"]["type"] == "string"


def test_the_readme_loading_example_runs(tmp_path: Path) -> None:
    """The README's three lines that load the outputs with pandas and DuckDB, run on the
    outputs of the seed corpus; they must see every fact the run wrote."""
    pytest.importorskip("pandas")
    pytest.importorskip("duckdb")
    import re

    from conftest import CORPUS, ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"Loading the outputs.*?```python\n(.*?)```", readme, re.S)
    assert len(code.strip().splitlines()) == 3
    (tmp_path / "out").mkdir()
    for name in ("facts.jsonl", "facts.csv"):
        proc = subprocess.run(CLI + ["extract", str(CORPUS / "seeds"), "-o", f"out/{name}", "-q"],
                              cwd=tmp_path, check=False)
        assert proc.returncode == 0
    shown = subprocess.run([sys.executable, "-c", code + "\nprint('rows', len(facts))"],
                           cwd=tmp_path, capture_output=True, text=True, check=False)
    assert shown.returncode == 0, shown.stderr
    records = [json.loads(x) for x in (tmp_path / "out/facts.jsonl").read_text().splitlines()]
    n = sum(len(r["facts"]) for r in records)
    assert f"rows {n}" in shown.stdout
    counts = dict(re.findall(r"^\d+\s+(\w+)\s+(\d+)$", shown.stdout, re.M))
    assert sum(map(int, counts.values())) == n and set(counts) <= {"score", "rank", "percentage",
                                                                  "procedure_count"}


def test_the_changelog_has_a_release_under_unreleased() -> None:
    import re

    from conftest import ROOT

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (version,) = re.findall(r'^version = "(.+)"$', pyproject, re.M)
    heads = re.findall(r"^## \[(.+?)\](.*)$", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert heads[0] == ("Unreleased", "")
    releases = {name: rest for name, rest in heads[1:]}
    assert re.fullmatch(r" - \d{4}-\d{2}-\d{2}", releases[version])


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_gzipped_outputs_are_gzip_and_resume_after_a_kill(suffix: str, corpus: Path,
                                                          tmp_path: Path) -> None:
    """`-o x.jsonl.gz` / `x.csv.gz` are real gzip (one member per batch); killed with SIGKILL
    and resumed, they read back exactly as the plain output of an uninterrupted run."""
    import gzip

    plain = tmp_path / f"plain{suffix}"
    assert subprocess.run(CLI + ["extract", str(corpus), "-o", str(plain), "-q", "-j", "1"],
                          check=False).returncode == 0
    out = tmp_path / f"out{suffix}.gz"
    args = ["extract", str(corpus), "-o", str(out), "-q", "-j", "2", "--batch-size", "2"]
    proc = subprocess.Popen(CLI + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if out.exists() and out.stat().st_size > 2000:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    assert proc.wait(timeout=60) == -signal.SIGKILL, "the run finished before it was killed"
    with out.open("ab") as fh:  # a member torn by the kill
        fh.write(gzip.compress(b'{"doc_id": "torn"}\n')[:15])
    done = subprocess.run(CLI + [*args, "--resume"], check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    got = gzip.decompress(out.read_bytes()).decode("utf-8")
    want = plain.read_text(encoding="utf-8")
    assert sorted(got.splitlines()) == sorted(want.splitlines())
    assert len(got.splitlines()) == len(want.splitlines())  # none twice
    assert not (tmp_path / f"out{suffix}.gz.journal").exists()
    if suffix == ".csv":  # the articles file beside it resumed with it
        got = gzip.decompress((tmp_path / "out.articles.csv.gz").read_bytes()).decode("utf-8")
        want = (tmp_path / "plain.articles.csv").read_text(encoding="utf-8")
        assert sorted(got.splitlines()) == sorted(want.splitlines())
        assert len(got.splitlines()) == len(want.splitlines()) == 121  # header + every article


def test_only_jsonl_and_csv_are_gzipped(tmp_path: Path) -> None:
    from conftest import CORPUS

    proc = subprocess.run(CLI + ["extract", str(CORPUS / "seeds"), "-o", str(tmp_path / "x.sqlite.gz")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "gzip" in proc.stderr


def test_every_output_has_a_fact_id_and_flat_ones_one_value_column(tmp_path: Path) -> None:
    """JSON Lines, CSV and SQLite: `fact_id` (document key + ordinal) is the same in all
    three and across runs, and `value` holds the number of every kind (a rank's position, a count's count)
    beside the kind's own columns; SQLite's facts point at their article."""
    import csv
    import sqlite3

    from conftest import CORPUS

    from newsfacts.flat import fact_id
    from newsfacts.sinks import doc_key

    seeds = str(CORPUS / "seeds")
    for name in ("a.csv", "b.csv", "c.sqlite", "d.jsonl"):
        assert subprocess.run(CLI + ["extract", seeds, "-o", str(tmp_path / name), "-q", "-j", "1"],
                              check=False).returncode == 0
    with (tmp_path / "a.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    records = [json.loads(x) for x in (tmp_path / "d.jsonl").read_text().splitlines()]
    want = [(fact_id(doc_key(r["doc_id"], r["source"]), i), f) for r in records
            for i, f in enumerate(r["facts"])]
    assert [r["fact_id"] for r in rows] == [w for w, _ in want]
    assert [f["fact_id"] for _, f in want] == [w for w, _ in want]  # JSON Lines: the same ids
    assert len({r["fact_id"] for r in rows}) == len(rows)
    own = {"score": "value", "percentage": "value", "rank": "position", "procedure_count": "count"}
    for row, (_, fact) in zip(rows, want, strict=True):
        assert row["kind"] == fact["kind"]
        if fact[own[fact["kind"]]] is not None:
            assert float(row["value"]) == float(fact[own[fact["kind"]]])
        if fact["kind"] == "rank":
            assert row["position"] == str(fact["position"] or "")  # its own column stays
    assert {r["kind"] for r in rows if r["value"]} == set(own)
    db = sqlite3.connect(tmp_path / "c.sqlite")
    try:
        ids = [x for (x,) in db.execute("SELECT fact_id FROM facts ORDER BY id")]
        values = [x for (x,) in db.execute("SELECT value FROM facts ORDER BY id")]
        db.execute("PRAGMA foreign_keys=ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        refs = db.execute("PRAGMA foreign_key_list(facts)").fetchall()
    finally:
        db.close()
    assert ids == [w for w, _ in want]
    assert values == [float(r["value"]) if r["value"] else None for r in rows]  # as in the CSV
    assert any(r[2] == "articles" for r in refs)


def test_sqlite_facts_are_held_to_their_article_by_a_foreign_key(tmp_path: Path) -> None:
    """`facts.doc_key` is a FOREIGN KEY to `articles`: with `PRAGMA foreign_keys=ON` (the
    writer's setting; SQLite makes each connection ask for it) a fact without an article is
    refused and deleting an article deletes its facts."""
    import sqlite3

    from conftest import CORPUS

    out = tmp_path / "o.sqlite"
    assert subprocess.run(CLI + ["extract", str(CORPUS / "seeds"), "-o", str(out), "-q", "-j", "1"],
                          check=False).returncode == 0
    db = sqlite3.connect(out)
    try:
        db.execute("PRAGMA foreign_keys=ON")
        (ref,) = [r for r in db.execute("PRAGMA foreign_key_list(facts)")]
        assert (ref[2], ref[3], ref[4], ref[6]) == ("articles", "doc_key", "doc_key", "CASCADE")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO facts (doc_key, doc_id, ordinal, kind) VALUES (1, 'x', 0, 'score')")
        key, n = db.execute("SELECT doc_key, n_facts FROM articles WHERE n_facts > 0 LIMIT 1").fetchone()
        assert db.execute("SELECT count(*) FROM facts WHERE doc_key = ?", (key,)).fetchone() == (n,)
        db.execute("DELETE FROM articles WHERE doc_key = ?", (key,))
        assert db.execute("SELECT count(*) FROM facts WHERE doc_key = ?", (key,)).fetchone() == (0,)
    finally:
        db.close()
