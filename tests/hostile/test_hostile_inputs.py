"""Hostile inputs (issue 13, the input side): one bad input costs one document, never the run.

Every input is generated here, small on disk; the cases that used to hang run in a
subprocess with a timeout, so that a regression fails instead of stalling the suite.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfacts.charsets import MAX_PAGE_BYTES
from newsfacts.cli import app
from newsfacts.ingest import MAX_LINE_BYTES, Document, ReadError, iter_documents
from newsfacts.models import ArticleRecord
from newsfacts.pipeline import process_document

ROOT = Path(__file__).resolve().parents[2]
GOOD = "Năm 2023, tỉnh đạt 88,5 điểm Chỉ số cải cách hành chính, tăng 3 bậc so với năm trước."
PAGE = ("<html><head>{meta}<title>Chỉ số cải cách hành chính</title></head><body><h1>Tỉnh công bố "
        "Chỉ số cải cách hành chính năm 2023</h1><div class='content'>{body}</div></body></html>")
BODY = "".join(f"<p>{GOOD} Đoạn {i} nói về cải cách hành chính của tỉnh.</p>" for i in range(6))
runner = CliRunner()


def cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["extract", "-q", *args])
    return result.exit_code, result.stderr


def cli_subprocess(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The command line in its own process: a hang becomes a failed test, not a stuck suite."""
    return subprocess.run([sys.executable, "-c", "from newsfacts.cli import app; app()",
                           "extract", "-q", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def records(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        ArticleRecord.model_validate_json(line)  # every line its own schema accepts
    return [json.loads(line) for line in lines]


def errors(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def scores(rec: dict) -> list[float]:
    return [f["value"] for f in rec["facts"] if f["kind"] == "score"]


# --------------------------------------------------------------------------- files and folders
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_in_an_input_folder_is_skipped_with_a_reason(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "b.txt")  # opening it for reading would wait for a writer forever
    (folder / "c.txt").write_text(GOOD, encoding="utf-8")
    out, errs = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    proc = cli_subprocess(str(folder), "-o", str(out), "--errors", str(errs), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert [r["doc_id"] for r in records(out)] == ["a", "c"]
    (err,) = errors(errs)
    assert err["doc_id"] == "b" and "FIFO" in err["error"]


def test_a_file_name_that_is_not_utf8_is_read_and_named(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    try:
        (folder / os.fsdecode(b"caf\xe9.txt")).write_text(GOOD, encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses non-UTF-8 names")
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, err = cli(str(folder), "-o", str(out))
    assert code == 0, err
    got = {r["doc_id"]: r for r in records(out)}
    assert set(got) == {"caf\\xe9", "ok"}
    assert got["caf\\xe9"]["source"]["path"].endswith("caf\\xe9.txt")
    assert scores(got["caf\\xe9"]) == [88.5]
    code, err = cli(str(folder), "-o", str(out), "--resume")  # the same keys again: all done
    assert code == 0, err
    assert len(records(out)) == 2


def test_the_runs_own_output_inside_an_input_folder_is_not_read_back(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    out, errs = folder / "zz-out.jsonl", folder / "zz-errors.jsonl"
    for extra in ((), ("--resume",)):
        proc = cli_subprocess(str(folder), "-o", str(out), "--errors", str(errs), "--with-text",
                              *extra, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert [r["doc_id"] for r in records(out)] == ["a"]
        assert errs.read_text() == ""


# --------------------------------------------------------------------------- JSON Lines
def _jsonl(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_a_deeply_nested_json_line_is_one_error(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    deep = '{"doc_id": "deep", "text": "x", "a": ' + "[" * 200_000 + "]" * 200_000 + "}"
    _jsonl(src, [json.dumps({"doc_id": "g1", "text": GOOD}), deep,
                 json.dumps({"doc_id": "g2", "text": GOOD})])
    out, errs = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    code, err = cli(str(src), "-o", str(out), "--errors", str(errs))
    assert code == 0, err
    assert [r["doc_id"] for r in records(out)] == ["g1", "g2"]
    (bad,) = errors(errs)
    assert bad["source"]["record"] == 1 and "nests too deep" in bad["error"]


def test_a_lone_surrogate_in_a_json_string_is_replaced_with_a_warning(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, ['{"doc_id": "s\\udc80", "title": "T\\ud800", "text": "' + GOOD + ' \\ud800 x"}',
                 json.dumps({"doc_id": "g", "text": GOOD})])
    out = tmp_path / "out.jsonl"
    code, err = cli(str(src), "-o", str(out))
    assert code == 0, err
    first, second = records(out)
    assert first["doc_id"] == "s\ufffd" and scores(first) == [88.5]
    assert any("surrogate" in w for w in first["warnings"])
    assert second["doc_id"] == "g"


def _gzip_stream(path: Path, parts: list[bytes | tuple[bytes, int]]) -> None:
    """A gzip file written piece by piece: (chunk, n) writes chunk n times, so a line that
    inflates to tens of megabytes costs a few hundred kilobytes and no memory here."""
    deflate = zlib.compressobj(1, zlib.DEFLATED, 31)
    with path.open("wb") as fh:
        for part in parts:
            chunk, times = part if isinstance(part, tuple) else (part, 1)
            for _ in range(times):
                fh.write(deflate.compress(chunk))
        fh.write(deflate.flush())


def test_a_one_line_gzip_bomb_in_jsonl_is_one_error_and_reading_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl.gz"
    pad = b"a" * (1 << 20)
    _gzip_stream(src, [json.dumps({"doc_id": "g1", "text": GOOD}).encode() + b"\n",
                       b'{"doc_id": "bomb", "pad": "', (pad, MAX_LINE_BYTES // len(pad) + 2),
                       b'"}\n', json.dumps({"doc_id": "g2", "text": GOOD}).encode() + b"\n"])
    items = list(iter_documents([src]))
    assert [type(i).__name__ for i in items] == ["Document", "ReadError", "Document"]
    assert items[1].source["record"] == 1 and "line limit" in items[1].error
    assert [i.doc_id for i in items[::2]] == ["g1", "g2"]


def test_a_jsonl_text_over_the_page_limit_is_an_error(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    _jsonl(src, [json.dumps({"doc_id": "big", "text": "a " * (MAX_PAGE_BYTES // 2 + 1)}),
                 json.dumps({"doc_id": "g", "text": GOOD})])
    big, good = iter_documents([src])
    assert isinstance(big, ReadError) and "page limit" in big.error
    assert isinstance(good, Document)


# --------------------------------------------------------------------------- WARC
def _warc_record(url: str, body: bytes, gz: bool, encoding: str | None = None) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    headers = [("Content-Type", "text/html; charset=utf-8")]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    writer.write_record(writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body),
        http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")))
    return buf.getvalue()


def _page(i: int) -> bytes:
    return PAGE.format(meta="<meta charset='utf-8'>", body=f"<p>Bài {i}.</p>" + BODY).encode()


def _warc(gz: bool, spoil: int | None = None, how: str = "header") -> tuple[bytes, list[int]]:
    """Four pages, the one at ``spoil`` with a garbled version line or a wrong length; and
    the offset of each record."""
    records = []
    for i in range(4):
        raw = _warc_record(f"https://baomau.vn/tin-{i}.html", _page(i), False)
        if i == spoil:
            if how == "header":
                raw = raw.replace(b"WARC/1.0", b"WXRC/1.0", 1)
            else:  # a Content-Length that reaches into the next record
                raw = re.sub(rb"Content-Length: (\d+)",
                             lambda m: b"Content-Length: %d" % (int(m.group(1)) + 300), raw, count=1)
        records.append(gzip.compress(raw) if gz else raw)
    offsets = [sum(map(len, records[:i])) for i in range(len(records))]
    return b"".join(records), offsets


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_a_garbled_warc_header_is_an_error_with_its_offset_and_reading_resumes(
        tmp_path: Path, gz: bool) -> None:
    src = tmp_path / ("a.warc.gz" if gz else "a.warc")
    data, offsets = _warc(gz, spoil=1)
    src.write_bytes(data)
    items = list(iter_documents([src]))
    docs = [i.doc_id for i in items if isinstance(i, Document)]
    assert docs == ["tin-0", "tin-2", "tin-3"]
    (err,) = [i for i in items if isinstance(i, ReadError)]
    assert err.source["path"] == str(src) and isinstance(err.source["offset"], int)
    assert f"offset {err.source['offset']}" in err.error
    assert err.source["offset"] == offsets[1]  # where the garbled record begins


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_a_record_with_a_wrong_length_does_not_drop_the_records_after_it(
        tmp_path: Path, gz: bool) -> None:
    src = tmp_path / ("a.warc.gz" if gz else "a.warc")
    src.write_bytes(_warc(gz, spoil=1, how="length")[0])
    out, errs = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    code, err = cli(str(src), "-o", str(out), "--errors", str(errs))
    assert code == 0, err
    done = {r["doc_id"] for r in records(out)}
    assert {"tin-0", "tin-2", "tin-3"} <= done
    assert any("offset" in e["error"] for e in errors(errs))


def test_a_gzip_bomb_in_a_warc_response_is_read_bounded(tmp_path: Path) -> None:
    """A body declared ``Content-Encoding: gzip`` that inflates to 400 MB: one error, the
    next record still read, and memory stays far below what inflating it whole takes."""
    src = tmp_path / "bomb.warc.gz"
    bomb_gz = tmp_path / "body.gz"
    _gzip_stream(bomb_gz, [b"<html><body><p>", (b"a" * (1 << 20), 400)])
    with src.open("wb") as fh:
        fh.write(gzip.compress(_warc_record("https://baomau.vn/bomb.html",
                                            bomb_gz.read_bytes(), False, "gzip")))
        fh.write(_warc_record("https://baomau.vn/tin-1.html", _page(1), True))
    code = ("import json, resource, sys; from newsfacts.ingest import iter_documents\n"
            "items = [(getattr(i, 'doc_id', None), getattr(i, 'error', None))"
            " for i in iter_documents([sys.argv[1]])]\n"
            # VmHWM is this process's own peak; ru_maxrss is inherited across fork/exec
            # from the (large) test process that starts it
            "hwm = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
            "print(json.dumps([items, hwm[0] if hwm else"
            " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))")
    proc = subprocess.run([sys.executable, "-c", code, str(src)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    items, max_rss_kb = json.loads(proc.stdout)
    assert items[0][0] == "bomb" and "page limit" in items[0][1]
    assert items[1] == ["tin-1", None]
    assert max_rss_kb < 250_000, f"{max_rss_kb} KB: the body was inflated whole"


# --------------------------------------------------------------------------- pages
def test_one_stray_byte_keeps_a_utf8_page_utf8_with_a_warning(tmp_path: Path, resources) -> None:
    for meta in ("", "<meta charset='utf-8'>"):
        data = PAGE.format(meta=meta, body=BODY).encode()
        data = data.replace("Đoạn 3".encode(), b"\xff\xfe" + "Đoạn 3".encode())
        page = tmp_path / "a.html"
        page.write_bytes(data)
        (doc,) = iter_documents([page])
        assert isinstance(doc, Document)
        assert "điểm Chỉ số cải cách hành chính" in doc.html
        assert any("invalid byte" in w for w in doc.meta["warnings"])
        rec = process_document(doc, resources)
        assert 88.5 in scores(json.loads(rec.model_dump_json()))
        assert any("invalid byte" in w for w in rec.warnings)


def _encode_1258(text: str) -> bytes:
    """Windows-1258 stores tones as combining marks after a (possibly modified) base letter."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258")
    return out


def test_a_real_windows_1258_page_is_still_read_as_one(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_bytes(_encode_1258(PAGE.format(meta="", body=BODY)))
    (doc,) = iter_documents([page])
    assert isinstance(doc, Document) and "điểm Chỉ số cải cách hành chính" in doc.html


def test_text_nested_past_the_parser_depth_gets_a_warning(tmp_path: Path, resources) -> None:
    deep = "<div>" * 300 + BODY + "</div>" * 300
    page = tmp_path / "deep.html"
    page.write_text(PAGE.format(meta="<meta charset='utf-8'>", body=deep), encoding="utf-8")
    (doc,) = iter_documents([page])
    rec = process_document(doc, resources)
    assert any("deeper than 256" in w for w in rec.warnings)
    flat = tmp_path / "flat.html"
    flat.write_text(PAGE.format(meta="<meta charset='utf-8'>", body=BODY), encoding="utf-8")
    (doc,) = iter_documents([flat])
    assert not any("deeper" in w for w in doc.meta.get("warnings", []))


# --------------------------------------------------------------------------- numbers
def test_a_400_digit_figure_is_skipped_with_a_warning(tmp_path: Path) -> None:
    big = "9" * 400
    src = tmp_path / "big.txt"
    src.write_text(f"Năm 2023, tỉnh đã cung cấp {big} thủ tục hành chính trực tuyến toàn trình. "
                   f"Tỷ lệ hồ sơ đúng hạn đạt {big}%. Tỉnh đạt {big} điểm Chỉ số cải cách hành "
                   f"chính.\n\n{GOOD}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, err = cli(str(src), "-o", str(out))
    assert code == 0, err
    (rec,) = records(out)  # records() validates every line against the schema
    assert scores(rec) == [88.5]
    assert sum("beyond what a fact holds" in w for w in rec["warnings"]) == 3


def test_a_20_digit_count_does_not_break_sqlite(tmp_path: Path) -> None:
    src = tmp_path / "c.txt"
    src.write_text("Năm 2023, tỉnh đã cung cấp 99999999999999999999 thủ tục hành chính trực "
                   f"tuyến toàn trình.\n\n{GOOD}\n", encoding="utf-8")
    out = tmp_path / "out.sqlite"
    code, err = cli(str(src), "-o", str(out))
    assert code == 0, err
    with sqlite3.connect(out) as db:
        assert db.execute("select count(*) from articles").fetchone() == (1,)
        kinds = [k for (k,) in db.execute("select kind from facts")]
    assert "procedure_count" not in kinds and "score" in kinds


# --------------------------------------------------------------------------- rules
def _rules_copy(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", root)
    return root


def test_a_yaml_alias_bomb_in_a_rule_file_is_a_rules_error(tmp_path: Path) -> None:
    root = _rules_copy(tmp_path)
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 7)]
    lines += ["rules:", "  - id: bomb", "    kind: score", "    pattern: 'x'",
              "    examples: ['x 5']", "    counter_examples: *a6"]
    (root / "zz_bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    code, err = cli(str(tmp_path / "a.txt"), "--rules", str(root))
    assert code == 2
    assert "zz_bomb.yaml" in err and "an alias bomb" in err


CATASTROPHIC = "(?:x|x)+y"  # 2**n steps on n x's not followed by y


def test_a_catastrophic_prefilter_runs_under_the_time_limit(tmp_path: Path) -> None:
    root = _rules_copy(tmp_path)
    blocks = (root / "blocks.yaml").read_text(encoding="utf-8")
    blocks, n = re.subn(r"^prefilter: '", f"prefilter: '{CATASTROPHIC}|", blocks, flags=re.M)
    assert n == 1
    (root / "blocks.yaml").write_text(blocks, encoding="utf-8")
    src = tmp_path / "a.txt"
    src.write_text("x" * 40 + " " + GOOD, encoding="utf-8")  # before any figure
    proc = cli_subprocess(str(src), "--rules", str(root), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert scores(json.loads(proc.stdout)) == [88.5]


def _rules_with_hostile_triggers(tmp_path: Path) -> Path:
    root = _rules_copy(tmp_path)
    (root / "zz_hostile.yaml").write_text(f"""rules:
  - id: hostile.requires
    kind: score
    requires: '{CATASTROPHIC}'
    pattern: '(?P<fact>(?P<value>\\d+) điểm thưởng)'
    fields: {{value: num(value)}}
    examples:
      - text: "xy đạt 5 điểm thưởng"
        expect: {{value: 5}}
  - id: hostile.forbids
    kind: score
    forbids: '{CATASTROPHIC.replace("x", "z")}'
    pattern: '(?P<fact>(?P<value>\\d+) điểm cộng)'
    fields: {{value: num(value)}}
    examples:
      - text: "đạt 6 điểm cộng"
        expect: {{value: 6}}
""", encoding="utf-8")
    return root


@pytest.mark.parametrize("letter, rule", [("x", "hostile.requires"), ("z", "hostile.forbids")])
def test_catastrophic_requires_and_forbids_run_under_the_time_limit(
        tmp_path: Path, letter: str, rule: str) -> None:
    root = _rules_with_hostile_triggers(tmp_path)
    src = tmp_path / "a.txt"
    # the "y" the pattern needs is in the sentence, so it is searched (a sentence without
    # a word every match holds is not: newsfacts.required), just never right after the run
    src.write_text(GOOD.replace("trước.", "trước " + letter * 40 + " y."), encoding="utf-8")
    proc = cli_subprocess(str(src), "--rules", str(root), timeout=120)
    assert proc.returncode == 0, proc.stderr
    rec = json.loads(proc.stdout)
    assert scores(rec) == [88.5]
    assert any(w.startswith(f"rule {rule} timed out") for w in rec["warnings"])


def test_explain_runs_hostile_prefilter_requires_and_forbids_under_the_time_limit(
        tmp_path: Path) -> None:
    root = _rules_with_hostile_triggers(tmp_path)
    blocks = (root / "blocks.yaml").read_text(encoding="utf-8")
    blocks, n = re.subn(r"^prefilter: '", f"prefilter: '{CATASTROPHIC}|", blocks, flags=re.M)
    assert n == 1
    (root / "blocks.yaml").write_text(blocks, encoding="utf-8")
    text = "x" * 40 + " " + GOOD.replace("trước.", "trước " + "z" * 40 + ".")
    proc = subprocess.run([sys.executable, "-c", "from newsfacts.cli import app; app()",
                           "explain", text, "--rules", str(root), "--format", "json"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    ex = json.loads(proc.stdout)
    assert [f["value"] for f in ex["facts"] if f["kind"] == "score"] == [88.5]
    statuses = {r["rule"]: r["status"] for s in ex["sentences"] for r in s["rules"]}
    assert statuses["hostile.requires"] in ("timeout", "skipped")
    assert statuses["hostile.forbids"] in ("timeout", "skipped")
