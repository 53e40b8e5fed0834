"""End to end through the command line: corpus/ in, validated JSON Lines out."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CORPUS
from typer.testing import CliRunner

from newsfacts.cli import app
from newsfacts.models import ArticleRecord

runner = CliRunner()


def run_extract(*args: str) -> tuple[int, list[dict], str]:
    result = runner.invoke(app, ["extract", *args])
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result.exit_code, lines, result.stderr


def test_seed_corpus_yields_the_facts_a_reader_finds() -> None:
    code, records, _ = run_extract(str(CORPUS / "seeds"), "--with-text")
    assert code == 0
    by_id = {r["doc_id"]: r for r in records}
    assert set(by_id) == {p.stem for p in (CORPUS / "seeds").glob("*.txt")}
    for rec in records:
        ArticleRecord.model_validate(rec)
        for fact in rec["facts"]:
            assert rec["text"][fact["span"][0]:fact["span"][1]] == fact["text"]
    ha_tinh = by_id["002_c0f49c67738a1428"]
    scores = [(f["value"], f["max"]) for f in ha_tinh["facts"] if f["kind"] == "score"]
    assert scores == [(93.364, 98), (13.969, 14), (11.5, 11.5), (7.5, 8), (8.495, 10), (17.487, 18.5), (5, 5)]
    hung_yen = by_id["004_dbcc874c2134383c"]
    ranks = [(f["position"], f["out_of"], f["change"]) for f in hung_yen["facts"] if f["kind"] == "rank"]
    assert ranks == [(22, 63, 5), (4, 63, None)]
    lang_son = by_id["001_cf318fa17437655e"]
    assert [f["count"] for f in lang_son["facts"]] == [34, 24, 10]


def test_no_fact_comes_from_boilerplate() -> None:
    _, records, _ = run_extract(str(CORPUS / "seeds"), "--with-text")
    for rec in records:
        for marker in ("Bài viết khác", "Các bài mới nhất", "Hôm nay224", "Giá vàng", "Đọc thêm", ".jpg"):
            assert marker not in rec["text"], (rec["doc_id"], marker)


def test_output_file_and_schema(tmp_path: Path) -> None:
    out = tmp_path / "out" / "facts.jsonl"
    code, _, err = run_extract(str(CORPUS / "seeds"), "--output", str(out))
    assert code == 0 and "5 documents" in err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert {"score", "rank", "procedure_count", "percentage"} <= set(json.dumps(schema).split('"'))


def test_bad_documents_are_skipped_and_reported(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Tỉnh đạt 81,98 điểm, đứng thứ 22/63.", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Tỉnh đạt".encode("utf-16"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    code, records, err = run_extract(str(tmp_path))
    assert code == 0
    assert [r["doc_id"] for r in records] == ["good"]
    assert "binary" in err and "empty file" in err and "latin1" in err


def test_nothing_readable_exits_non_zero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    code, records, err = run_extract(str(tmp_path))
    assert code == 1 and records == [] and "no article could be read" in err
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    code, _, err = run_extract(str(empty_dir))
    assert code == 1 and "no readable articles" in err
    code, _, err = run_extract(str(tmp_path / "missing"))
    assert code == 1 and "no such file" in err


def test_bad_rules_folder_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = run_extract(str(CORPUS / "seeds"), "--rules", str(tmp_path))
    assert code == 2 and "blocks.yaml" in err


def test_hidden_folders_are_neither_read_nor_counted(tmp_path: Path) -> None:
    """The count that picks the engine walks folders as the reader does: three articles in
    hidden folders (.git, .cache, .trash) are not read, so a folder of one article runs
    serially, as one article does, instead of starting a pool for four."""
    folder = tmp_path / "docs"
    for hidden in (".git", ".cache", ".trash"):
        (folder / hidden).mkdir(parents=True)
        (folder / hidden / "copy.txt").write_text("Bài\n\nTỉnh đạt 90% kế hoạch.\n", encoding="utf-8")
    (folder / "article.txt").write_text("Bài\n\nTỉnh đạt 90% kế hoạch.\n", encoding="utf-8")
    stats = tmp_path / "stats.json"
    result = runner.invoke(app, ["extract", str(folder), "-o", str(tmp_path / "out.jsonl"), "-j", "2",
                                 "--batch-size", "2", "--stats", str(stats), "--quiet"])
    assert result.exit_code == 0, result.output
    summary = json.loads(stats.read_text(encoding="utf-8"))
    assert summary["documents"] == 1
    assert (summary["engine"], summary["jobs"]) == ("serial", 1)


# --------------------------------------------------------------------------- conventions
def test_short_help_and_completion_are_offered() -> None:
    for args in (["-h"], ["extract", "-h"], ["rules", "test", "-h"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage" in result.stdout, args
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout


def test_format_is_a_choice_and_numbers_are_range_checked(tmp_path: Path) -> None:
    from newsfacts.cli import OUTPUT_FORMATS
    from newsfacts.sinks import FORMATS

    assert OUTPUT_FORMATS == FORMATS
    seeds = str(CORPUS / "seeds")
    for bad in (["--format", "xml"], ["-j", "-1"], ["--batch-size", "0"], ["--engine", "spark"],
                ["--time-limit", "-1"]):
        out = tmp_path / "o.jsonl"
        result = runner.invoke(app, ["extract", seeds, "-o", str(out), *bad])
        assert result.exit_code == 2, (bad, result.output)
        assert not out.exists()
    result = runner.invoke(app, ["rules", "test", "--format", "yaml"])
    assert result.exit_code == 2
    assert runner.invoke(app, ["rules", "coverage", seeds, "--limit", "-1"]).exit_code == 2
    for bad in (["-j", "-1"], ["--engine", "spark"]):
        panel = tmp_path / "panel.csv"
        result = runner.invoke(app, ["panel", seeds, "-o", str(panel), *bad])
        assert result.exit_code == 2 and not panel.exists(), (bad, result.output)


def test_explain_reads_a_path_stdin_or_text(tmp_path: Path) -> None:
    sentence = "Năm 2021, tỉnh đạt 81,98 điểm."
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["explain", str(missing)])
    assert result.exit_code == 2 and str(missing) in result.stderr
    assert runner.invoke(app, ["explain", "corpus/typo.html"]).exit_code == 2
    from_stdin = runner.invoke(app, ["explain", "-", "--format", "json"], input=sentence)
    from_text = runner.invoke(app, ["explain", "--text", sentence, "--format", "json"])
    assert from_stdin.exit_code == from_text.exit_code == 0
    facts = json.loads(from_stdin.stdout)["facts"]
    assert [f["value"] for f in facts] == [81.98]
    assert json.loads(from_text.stdout)["facts"] == facts
    # --text is never a path, even one that exists
    (tmp_path / "a.txt").write_text(sentence, encoding="utf-8")
    assert json.loads(runner.invoke(app, ["explain", "--text", str(tmp_path / "a.txt"),
                                          "--format", "json"]).stdout)["facts"] == []
    assert runner.invoke(app, ["explain"]).exit_code == 2


def test_every_option_of_every_command_is_documented() -> None:
    """The README (or the docs it points to) names every flag a user can type."""
    import re

    from typer.main import get_command

    text = "".join((CORPUS.parent / name).read_text(encoding="utf-8")
                   for name in ("README.md", "docs/scale.md", "docs/panel.md"))
    missing = []
    for name, command in get_command(app).commands.items():  # type: ignore[attr-defined]
        for sub_name, sub in getattr(command, "commands", {name: command}).items():
            for param in sub.params:
                missing += [f"{name} {sub_name} {opt}" for opt in param.opts
                            if opt.startswith("--") and opt != "--help"
                            and not re.search(re.escape(opt) + r"(?![\w-])", text)]
    assert not missing
