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
