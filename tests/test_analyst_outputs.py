"""Issue 14, outputs an analyst joins and filters, through the command line: `published` as
ISO 8601 with its precision, a row for every article beside the facts CSV, messages that
name the file (and the record inside an archive)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-c", "from newsfacts.cli import app; app()"]
FIGURE = "Tỉnh Hà Tĩnh đạt 90,5% kế hoạch năm 2023."
QUIET = "Hội nghị tổng kết công tác năm được tổ chức tại hội trường tỉnh."


def _extract(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(CLI + ["extract", *args], capture_output=True, text=True, check=False)


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_published_is_iso_8601_with_the_precision_its_source_stated(tmp_path: Path) -> None:
    """What an archive gives in any form comes out as ISO 8601 and says how precise it was;
    a date that is no date is left out with a warning that quotes it. A page's "08:15
    12/03/2024" is a minute in Vietnam's zone."""
    given = {"d": "2023-05-30", "m": "30/05/2023 14:20", "s": "2023-05-30 14:20:05Z",
             "e": "Tue, 30 May 2023 14:20:05 +0700", "y": "2023", "x": "hôm qua", "n": None}
    lines = [json.dumps({"doc_id": k, "text": f"Tiêu đề\n\n{FIGURE}", "published": v})
             for k, v in given.items()]
    page = ("<html lang='vi'><head><title>Tin</title></head><body><article><h1>Tin</h1>"
            "<span class='post-date'>Cập nhật lúc 08:15 ngày 12/03/2024</span>"
            f"<p>{FIGURE}</p><p>{QUIET}</p></article></body></html>")
    lines.append(json.dumps({"doc_id": "page", "html": page}))
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert _extract(str(tmp_path / "in.jsonl"), "-o", str(out), "-q", "-j", "1").returncode == 0
    got = {r["doc_id"]: (r["published"], r["published_precision"]) for r in _jsonl(out)}
    assert got == {"d": ("2023-05-30", "day"), "m": ("2023-05-30T14:20:00", "minute"),
                   "s": ("2023-05-30T14:20:05+00:00", "second"),
                   "e": ("2023-05-30T14:20:05+07:00", "second"), "y": ("2023", "year"),
                   "x": (None, None), "n": (None, None),
                   "page": ("2024-03-12T08:15:00+07:00", "minute")}
    (unread,) = [r for r in _jsonl(out) if r["doc_id"] == "x"]
    assert any("'hôm qua'" in w for w in unread["warnings"])
    assert all(r["facts"] for r in _jsonl(out))  # the date changes no fact
    flat = tmp_path / "o.csv"
    assert _extract(str(tmp_path / "in.jsonl"), "-o", str(flat), "-q", "-j", "1").returncode == 0
    with flat.open(encoding="utf-8", newline="") as fh:
        rows = {r["doc_id"]: (r["published"], r["published_precision"]) for r in csv.DictReader(fh)}
    assert rows["m"] == ("2023-05-30T14:20:00", "minute") and rows["x"] == ("", "")
    cleaned = subprocess.run(CLI + ["clean", str(tmp_path / "in.jsonl")], capture_output=True,
                             text=True, check=False)
    shown = {r["doc_id"]: (r["published"], r["published_precision"])
             for r in map(json.loads, cleaned.stdout.splitlines())}
    assert shown == got  # `clean` writes the dates as the records do


def test_the_schema_states_the_forms_of_published() -> None:
    schema = json.loads(subprocess.run(CLI + ["schema"], capture_output=True, text=True,
                                       check=True).stdout)
    precision = schema["properties"]["published_precision"]
    assert {"year", "month", "day", "minute", "second"} <= set(precision["anyOf"][0]["enum"])
    assert "ISO 8601" in schema["properties"]["published"]["description"]


def _articles_folder(folder: Path) -> Path:
    """Three articles with a figure, two without, one file that cannot be read."""
    folder.mkdir()
    for i in range(5):
        body = FIGURE.replace("90,5", f"9{i},5") if i < 3 else QUIET
        (folder / f"a{i}.txt").write_text(f"Bài {i}\n\n{body}\n", encoding="utf-8")
    (folder / "blank.txt").write_text(" \n", encoding="utf-8")
    return folder


def _csv(path: Path) -> list[dict[str, str]]:
    import gzip

    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_article_has_a_row_beside_the_facts_csv(tmp_path: Path) -> None:
    """`-o facts.csv` writes `facts.articles.csv` beside it: one row per article read, also
    those without a fact, with its key, id, source, metadata and fact count; the facts join
    on `doc_id`, or on `doc_key` through the start of `fact_id`. Resuming a finished run
    skips every article it holds, those without facts too; `.csv.gz` gzips both."""
    docs = _articles_folder(tmp_path / "in")
    out, stats = tmp_path / "out" / "facts.csv", tmp_path / "stats.json"
    assert _extract(str(docs), "-o", str(out), "-q", "-j", "1").returncode == 0
    facts, articles = _csv(out), _csv(tmp_path / "out" / "facts.articles.csv")
    assert sorted(a["doc_id"] for a in articles) == [f"a{i}" for i in range(5)]
    assert {a["doc_id"]: int(a["n_facts"]) for a in articles} == {"a0": 1, "a1": 1, "a2": 1,
                                                                   "a3": 0, "a4": 0}
    assert all(a["source_path"].endswith(f"{a['doc_id']}.txt") and a["title"] for a in articles)
    key_of = {a["doc_id"]: a["doc_key"] for a in articles}
    assert len(facts) == 3 and all(f["fact_id"] == f"{key_of[f['doc_id']]}-0" for f in facts)
    assert {"published", "published_precision", "producer_version", "warnings"} <= set(articles[0])
    before = [p.read_bytes() for p in (out, tmp_path / "out" / "facts.articles.csv")]
    again = _extract(str(docs), "-o", str(out), "-q", "-j", "1", "--resume", "--stats", str(stats))
    assert again.returncode == 0, again.stderr
    assert json.loads(stats.read_text())["resumed_skipped"] == 5  # a3, a4 are not read again
    assert [p.read_bytes() for p in (out, tmp_path / "out" / "facts.articles.csv")] == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["facts.articles.csv", "facts.csv"]
    zipped = tmp_path / "z" / "facts.csv.gz"
    assert _extract(str(docs), "-o", str(zipped), "-q", "-j", "1").returncode == 0
    assert _csv(tmp_path / "z" / "facts.articles.csv.gz") == articles


def test_an_output_of_other_columns_is_not_resumed_into(tmp_path: Path) -> None:
    """Rows appended under another header (an older newsfacts, a CSV of someone else's)
    would not line up: `--resume` refuses it (exit 2) and leaves it as it was."""
    import sqlite3

    docs = _articles_folder(tmp_path / "in")
    other = tmp_path / "old.csv"
    other.write_text("doc_id,title,value\nx,Tin,1\n", encoding="utf-8")
    proc = _extract(str(docs), "-o", str(other), "-q", "--resume")
    assert proc.returncode == 2 and "columns" in proc.stderr
    assert other.read_text(encoding="utf-8") == "doc_id,title,value\nx,Tin,1\n"
    db_path = tmp_path / "old.sqlite"
    assert _extract(str(docs), "-o", str(db_path), "-q", "-j", "1").returncode == 0
    db = sqlite3.connect(db_path)
    db.execute("ALTER TABLE articles DROP COLUMN published_precision")  # as 0.1.0 wrote it
    db.commit()
    db.close()
    proc = _extract(str(docs), "-o", str(db_path), "-q", "--resume")
    assert proc.returncode == 2 and "published_precision" in proc.stderr, proc.stderr


def test_messages_name_the_file_and_the_record_inside_an_archive(tmp_path: Path) -> None:
    """A bad line of a JSON Lines file is `file.jsonl#record N` (N its `source.record`, from
    0), a bad file in a folder is its path: the same in `extract`, `clean` and
    `rules coverage`, whatever `doc_id` the document would have had."""
    folder = tmp_path / "in"
    folder.mkdir()
    archive = folder / "export.jsonl"
    archive.write_text("\n".join([json.dumps({"doc_id": "ok", "text": f"Tin\n\n{FIGURE}"}),
                                  '{"doc_id": "torn", "text": "Tin',
                                  json.dumps({"doc_id": "no-text", "url": "https://x.vn/a-1"})]) + "\n",
                       encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 50)
    (folder / "good.txt").write_text(f"Tin\n\n{FIGURE}\n", encoding="utf-8")
    named = (f"{archive}#record 1", f"{archive}#record 2", str(folder / "binary.txt"))
    runs = {"extract": ["extract", str(folder), "-j", "1"], "clean": ["clean", str(folder)],
            "coverage": ["rules", "coverage", str(folder)]}
    for command, args in runs.items():
        proc = subprocess.run(CLI + args, capture_output=True, text=True, check=False)
        assert proc.returncode == 0, (command, proc.stderr)
        lines = [x for x in proc.stderr.splitlines() if x.startswith("skipped ")]
        assert len(lines) == 3, (command, proc.stderr)
        for name in named:
            assert any(x.startswith(f"skipped {name}: ") for x in lines), (command, name, lines)
        assert "no-text" not in proc.stderr and "skipped torn" not in proc.stderr


def test_panel_takes_the_articles_file_beside_the_facts(tmp_path: Path) -> None:
    """`panel out/*.csv` meets the articles file too: it holds no fact and changes nothing."""
    from conftest import CORPUS

    out = tmp_path / "out" / "facts.csv"
    assert _extract(str(CORPUS / "seeds"), "-o", str(out), "-q", "-j", "1").returncode == 0
    for name, inputs in (("a.csv", [out]), ("b.csv", [out, tmp_path / "out" / "facts.articles.csv"])):
        proc = subprocess.run(CLI + ["panel", *map(str, inputs), "-o", str(tmp_path / name), "-q"],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert len((tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()) > 1
