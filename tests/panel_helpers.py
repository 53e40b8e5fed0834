"""Helpers of the panel tests: run the command, read its tables, write own-written
newsfacts outputs (records whose facts are made up here, not read from any page)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from newsfacts.cli import app

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT / "tests" / "panel" / "archive.jsonl"
CORPUS = ROOT / "corpus"
runner = CliRunner()


def invoke(*args: str, code: int = 0, stdin: bytes | None = None) -> Any:
    result = runner.invoke(app, list(args), input=stdin, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def panel(tmp: Path, *inputs: str | Path, name: str = "panel.jsonl", extra: tuple[str, ...] = ()
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run ``newsfacts panel`` into ``tmp/name``; the panel and measures rows (JSON Lines)."""
    out = tmp / name
    invoke("panel", *map(str, inputs), "-o", str(out), "-q", "-j", "1", *extra)
    return read_jsonl(out), read_jsonl(out.with_name(f"{out.stem}.measures{out.suffix}"))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def row(rows: list[dict[str, Any]], subject_id: str, year: int, index: str = "PAR_INDEX",
        **match: Any) -> dict[str, Any]:
    """The one row of ``subject_id``, ``index`` and ``year`` (and ``match``)."""
    found = [r for r in rows if (r["subject_id"], r.get("index"), r["year"]) == (subject_id, index, year)
             and all(r.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (subject_id, year, [(r["subject_id"], r["year"]) for r in rows])
    return found[0]


def fact(kind: str, subject: str | None, subject_id: str | None, year: int | None = 2022,
         index: str | None = "PAR_INDEX", **fields: Any) -> dict[str, Any]:
    """A fact as ``extract`` writes it, with the fields a panel reads."""
    text = str(fields.pop("text", "x"))
    base: dict[str, Any] = {"kind": kind, "text": text, "span": [0, len(text)],
                            "sentence": fields.pop("sentence", f"{subject} {text}."),
                            "rule": f"{kind}.test", "subject": subject, "subject_id": subject_id,
                            "index": index, "component": None, "year": year, "evidence": {}}
    return {**base, **fields}


def record(doc_id: str, facts: list[dict[str, Any]], published: str | None = None,
           url: str | None = None) -> dict[str, Any]:
    return {"schema_version": "1.0", "doc_id": doc_id, "source": {"path": f"{doc_id}.txt"},
            "title": None, "published": published, "author": None, "site": None, "url": url,
            "language": None, "facts": facts, "warnings": [], "text": None}


def write_records(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path
