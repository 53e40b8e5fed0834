"""newsfacts panel through the command line: one row per subject, index and year across
an archive, with its sources and conflicts, in every format, from every input.

tests/panel/archive.jsonl is a small archive written for these tests: a provincial
paper, a national outlet and a city's paper tell the same 2022 results in different
words and names; one article gives Quảng Ninh a deliberately different score; a later
one corrects Hải Phòng's; Quảng Bình (merged into Quảng Trị in 2025) has a 2023 result.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from panel_helpers import (
    ARCHIVE,
    CORPUS,
    fact,
    invoke,
    panel,
    read_jsonl,
    record,
    row,
    write_records,
)

CLI = [sys.executable, "-m", "newsfacts"]


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], list[dict]]:
    return panel(tmp_path_factory.mktemp("panel"), ARCHIVE)


def _docs(r: dict, kind: str | None = None, agrees: bool | None = None) -> set[str]:
    return {s["doc_id"] for s in r["sources"]
            if (kind is None or s["kind"] == kind) and (agrees is None or s["agrees"] == agrees)}


def test_each_result_appears_once_with_all_its_sources(tables) -> None:
    rows, _ = tables
    keys = [(r["subject_id"], r["index"], r["component"], r["year"], r["mapped_from"]) for r in rows]
    assert len(keys) == len(set(keys))
    qn = row(rows, "VN-13", 2022)
    # the provincial paper, the national outlet and the conflicting article
    assert _docs(qn) == {"qn-tinh-01", "qg-02", "khac-04"} and qn["articles"] == 3
    urls = {s["url"] for s in qn["sources"]}
    assert "https://baotinh.example.vn/qn-01" in urls and "https://baoquocgia.example.vn/par-2022" in urls
    assert {s["subject"] for s in qn["sources"]} == {"tỉnh Quảng Ninh", "Quảng Ninh"}
    assert all(s["sentence"] and s["rule"] and s["published"] for s in qn["sources"])
    assert (qn["position"], qn["out_of"], qn["rank_articles"]) == (1, 63, 3)
    assert row(rows, "VN-13", 2023)["value"] == 93.02  # another year, another row


def test_a_conflicting_article_is_flagged_and_the_written_rule_decides(tables) -> None:
    rows, _ = tables
    qn = row(rows, "VN-13", 2022)
    assert qn["conflict"] is True
    assert (qn["value"], qn["unit"], qn["score_articles"], qn["score_chosen_by"]) == \
        (92.1, "percent", 2, "most_articles")
    assert qn["competing"] == {"score": [{"value": 91.2, "articles": 1, "doc_ids": ["khac-04"]}]}
    assert _docs(qn, "score", agrees=False) == {"khac-04"}
    # one article each: the correction, published later, wins
    hp = row(rows, "VN-HP", 2022)
    assert (hp["value"], hp["score_chosen_by"], hp["conflict"]) == (90.55, "latest_publication", True)
    assert _docs(hp, "score", agrees=True) == {"hp-09"}
    agreed = [r for r in rows if not r["conflict"]]
    assert agreed and all(r["competing"] is None for r in agreed)
    assert all(r["score_chosen_by"] in (None, "single_value") for r in agreed)


def test_short_and_full_names_land_on_one_row(tables) -> None:
    rows, measures = tables
    hcm = row(rows, "VN-SG", 2022)
    assert {s["subject"] for s in hcm["sources"]} == {"TP.HCM", "Thành phố Hồ Chí Minh"}
    assert (hcm["subject"], hcm["subject_kind"], hcm["value"], hcm["position"], hcm["change"]) == \
        ("Thành phố Hồ Chí Minh", "province", 85.3, 15, 3)
    dost = row(rows, "DOST:VN-23", 2023)
    assert {s["subject"] for s in dost["sources"]} == \
        {"Sở KH&CN Hà Tĩnh", "Sở Khoa học và Công nghệ tỉnh Hà Tĩnh"}
    assert (dost["subject_kind"], dost["value"], dost["unit"], dost["score_articles"]) == \
        ("department", 90.25, "point", 2)
    agg = row(rows, "AGG-PROVINCES", 2022)
    assert {s["subject"] for s in agg["sources"]} == {"63 tỉnh, thành phố", "các tỉnh, thành phố"}
    share = [m for m in measures if m["subject_id"] == "DOST:VN-23"]
    assert len(share) == 1 and share[0]["articles"] == 2 and share[0]["value"] == 95.5


def test_measures_are_a_tidy_table(tables) -> None:
    _, measures = tables
    share = next(m for m in measures if m["kind"] == "percentage")
    assert (share["measure"].lower(), share["year"], share["qualifier"], share["is_change"]) == \
        ("tỷ lệ hồ sơ trực tuyến", 2023, "exact", False)
    count = next(m for m in measures if m["kind"] == "procedure_count")
    assert (count["subject_id"], count["value"], count["object"], count["level"], count["year"]) == \
        ("VN-24", 1250, "online_service", "full", 2023)
    assert all(m["sources"] and m["chosen_by"] == "single_value" for m in measures)


def test_map_2025_rolls_a_merged_province_up_saying_so(tmp_path: Path, tables) -> None:
    rows, measures = tables
    assert row(rows, "VN-24", 2023)["subject"] == "Quảng Bình"  # kept as it was in its year
    mapped, mapped_measures = panel(tmp_path, ARCHIVE, extra=("--map", "2025"))
    old = row(mapped, "VN-25", 2023, mapped_from="VN-24")
    assert (old["subject"], old["value"], old["position"]) == ("Quảng Trị", 84.12, 30)
    assert row(mapped, "VN-25", 2023, mapped_from=None)["value"] == 83.5
    assert not [r for r in mapped if r["subject_id"] == "VN-24"]
    assert row(mapped, "VN-13", 2022)["mapped_from"] is None  # unchanged in 2025
    count = next(m for m in mapped_measures if m["kind"] == "procedure_count")
    assert (count["subject_id"], count["mapped_from"]) == ("VN-25", "VN-24")
    assert len(mapped) == len(rows) and len(mapped_measures) == len(measures)


def _sqlite_rows(path: Path) -> tuple[list[dict], list[dict]]:
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    out = []
    for table, sources, ref in (("panel", "panel_sources", "panel_id"),
                                ("measures", "measure_sources", "measures_id")):
        rows = []
        for r in db.execute(f"SELECT * FROM {table} ORDER BY id"):
            d = {k: r[k] for k in r.keys() if k != "id"}  # noqa: SIM118
            d["sources"] = [{k: s[k] for k in s.keys() if k != ref}  # noqa: SIM118
                            for s in db.execute(f"SELECT * FROM {sources} WHERE {ref} = ?", (r["id"],))]
            rows.append(d)
        out.append(rows)
    db.close()
    return out[0], out[1]


def test_every_output_format_holds_the_same_panel(tmp_path: Path, tables) -> None:
    rows, measures = tables
    import csv

    invoke("panel", str(ARCHIVE), "-o", str(tmp_path / "p.csv"), "-q", "-j", "1")
    with (tmp_path / "p.csv").open(encoding="utf-8") as fh:
        flat = list(csv.DictReader(fh))
    assert [r["subject_id"] for r in flat] == [r["subject_id"] for r in rows]
    assert [json.loads(r["sources"]) for r in flat] == [r["sources"] for r in rows]
    assert [r["conflict"] for r in flat] == [str(r["conflict"]) for r in rows]
    assert (tmp_path / "p.measures.csv").read_text(encoding="utf-8").count("\n") == len(measures) + 1

    invoke("panel", str(ARCHIVE), "-o", str(tmp_path / "p.sqlite"), "-q", "-j", "1")
    db_rows, db_measures = _sqlite_rows(tmp_path / "p.sqlite")
    assert [(r["subject_id"], r["year"], r["value"], r["position"], bool(r["conflict"]))
            for r in db_rows] == [(r["subject_id"], r["year"], r["value"], r["position"], r["conflict"])
                                  for r in rows]
    assert [len(r["sources"]) for r in db_rows] == [len(r["sources"]) for r in rows]
    assert [s["sentence"] for s in db_rows[0]["sources"]] == [s["sentence"] for s in rows[0]["sources"]]
    assert len(db_measures) == len(measures)


def test_parquet_output(tmp_path: Path, tables) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    rows, _ = tables
    invoke("panel", str(ARCHIVE), "-o", str(tmp_path / "p.parquet"), "-q", "-j", "1")
    table = pq.read_table(tmp_path / "p.parquet").to_pylist()
    assert [r["subject_id"] for r in table] == [r["subject_id"] for r in rows]
    assert [json.loads(r["sources"]) for r in table] == [r["sources"] for r in rows]
    assert (tmp_path / "p.measures.parquet").exists()


def test_any_extract_output_gives_the_panel_of_the_archive(tmp_path: Path, tables) -> None:
    rows, measures = tables
    try:
        import pyarrow  # noqa: F401

        parquet: tuple[str, ...] = ("parquet",)
    except ImportError:  # the optional extra: Parquet is read only with it
        parquet = ()
    for suffix in ("jsonl", "csv", "sqlite", "jsonl.gz", "csv.gz", *parquet):
        out = tmp_path / f"facts.{suffix}"
        invoke("extract", str(ARCHIVE), "-o", str(out), "-q", "-j", "1")
        got, got_measures = panel(tmp_path, out, name=f"from-{suffix}.jsonl")
        assert got == rows, suffix
        assert got_measures == measures, suffix


def test_stdin_and_repeated_inputs(tmp_path: Path, tables) -> None:
    rows, _ = tables
    facts = tmp_path / "facts.jsonl"
    invoke("extract", str(ARCHIVE), "-o", str(facts), "-q", "-j", "1")
    invoke("panel", "-", "-o", str(tmp_path / "stdin.jsonl"), "-q", stdin=facts.read_bytes())
    assert read_jsonl(tmp_path / "stdin.jsonl") == rows
    # the same output twice (or its JSON Lines and its CSV) are the same articles, counted once
    invoke("extract", str(ARCHIVE), "-o", str(tmp_path / "facts.csv"), "-q", "-j", "1")
    twice, _ = panel(tmp_path, facts, tmp_path / "facts.csv", name="twice.jsonl")
    assert twice == rows


def test_every_placed_fact_of_the_corpus_is_in_exactly_one_row(tmp_path: Path) -> None:
    facts = tmp_path / "corpus.jsonl"
    invoke("extract", str(CORPUS), "-o", str(facts), "-q", "-j", "1")
    rows, measures = panel(tmp_path, facts)
    records = read_jsonl(facts)
    # the corpus holds some articles twice (as HTML and as text): one figure of one
    # article said in one sentence is one source
    def key(doc_id: str, kind: str, value, sentence: str) -> tuple:
        return doc_id, kind, value, sentence

    expected = {key(r["doc_id"], f["kind"], f.get("value", f.get("position")), f["sentence"])
                for r in records for f in r["facts"]
                if f["kind"] in ("score", "rank") and f.get("subject") and f.get("index")
                and f.get("year") is not None
                and not (f["kind"] == "rank" and (f.get("qualifier") == "top_n" or f.get("position") is None))}
    placed = [key(s["doc_id"], s["kind"], s["value"], s["sentence"]) for r in rows for s in r["sources"]]
    assert len(placed) == len(set(placed)) and set(placed) == expected
    assert rows and measures
    for r in rows:  # the kept value is one its sources give
        if r["value"] is not None:
            assert r["value"] in {s["value"] for s in r["sources"] if s["kind"] == "score" and s["agrees"]}


def test_summary_names_what_was_left_out(tmp_path: Path) -> None:
    src = write_records(tmp_path / "facts.jsonl", [record("a", [
        fact("score", "tỉnh Hà Tĩnh", "VN-23", value=80.0),
        fact("score", None, None, value=81.0),
        fact("score", "tỉnh Hà Tĩnh", "VN-23", year=None, value=82.0),
        fact("score", "tỉnh Hà Tĩnh", "VN-23", index=None, value=83.0),
        fact("rank", "tỉnh Hà Tĩnh", "VN-23", position=10, qualifier="top_n")])])
    result = invoke("panel", str(src), "-o", str(tmp_path / "p.jsonl"))
    assert "1 records, 5 facts: 1 panel rows (0 with conflicts)" in result.stderr
    assert "1 no index, 1 no subject, 1 no year, 1 not a position" in result.stderr


def test_errors_say_what_to_fix(tmp_path: Path) -> None:
    bad_map = invoke("panel", str(ARCHIVE), "-o", str(tmp_path / "p.csv"), "--map", "2008", code=2)
    assert "--map must be one of 2025" in bad_map.stderr
    missing = invoke("panel", str(tmp_path / "nothing.jsonl"), "-o", str(tmp_path / "p.csv"), code=1)
    assert "no such file" in missing.stderr
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    assert "not a newsfacts CSV output" in invoke("panel", str(other), "-o", str(tmp_path / "p.csv"),
                                                 code=2).stderr
    assert not (tmp_path / "p.csv").exists()  # a failed panel leaves nothing half-written
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert "could be read" in invoke("panel", str(empty), "-o", str(tmp_path / "p.csv"), code=1).stderr


def test_dask_engine_gives_the_same_panel(tmp_path: Path, tables) -> None:
    rows, measures = tables
    out = tmp_path / "dask.jsonl"
    proc = subprocess.run(CLI + ["panel", str(ARCHIVE), "-o", str(out), "-q", "--engine", "dask",
                                 "-j", "2"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert read_jsonl(out) == rows
    assert read_jsonl(tmp_path / "dask.measures.jsonl") == measures


_PROVINCES = ("VN-HN", "VN-SG", "VN-HP", "VN-DN", "VN-CT", "VN-13", "VN-21", "VN-22", "VN-23", "VN-66")
_PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _peak_kb(tmp_path: Path, n: int) -> int:
    """Peak memory of a panel over ``n`` records of three facts each; as in an archive,
    more articles bring more rows (here every row is told by 20 articles)."""
    src = tmp_path / f"many-{n}.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(n):
            year = 1000 + i // 200
            pid = _PROVINCES[(i // 20) % len(_PROVINCES)]
            facts = [fact("score", f"tỉnh {pid}", pid, year=year, value=80 + i % 7,
                          sentence=f"Câu số {i} nói về kết quả của tỉnh."),
                     fact("rank", f"tỉnh {pid}", pid, year=year, position=1 + i % 5, out_of=63),
                     fact("percentage", f"tỉnh {pid}", pid, year=year, index=None, value=50.0 + i % 3,
                          measure="tỷ lệ hồ sơ trực tuyến", qualifier="exact", is_change=False)]
            fh.write(json.dumps(record(f"d{i}", facts, published=f"2024-01-{1 + i % 28:02d}"),
                                ensure_ascii=False) + "\n")
    proc = subprocess.run([sys.executable, "-c", _PEAK, *CLI, "panel", str(src), "-o",
                           str(tmp_path / f"p-{n}.csv"), "-q"], capture_output=True, text=True,
                          timeout=600, check=True)
    return int(proc.stdout.split()[-1])


def test_memory_stays_flat_as_the_input_grows(tmp_path: Path) -> None:
    small, large = _peak_kb(tmp_path, 3_000), _peak_kb(tmp_path, 30_000)
    # ten times the records (90,000 facts): what grows is SQLite's file, not the process
    assert large - small < 10_000, (small, large)
