"""Throughput of ``newsfacts extract`` against two baselines measured in the same run.

- text: ../shared/bench/news (3,000 news texts), against underthesea's
  ``word_tokenize`` over every text (the cost of merely tokenising everything);
- HTML: ../shared/aeb/html (181 pages), against ``trafilatura.extract`` over
  every page (the cost of merely finding the article text); also, for reference,
  trafilatura timed like newsfacts is, as a fresh process reading the files.

newsfacts is timed end to end as a user runs it (a fresh process: start-up,
reading, extraction, writing JSON Lines) with 1 and 2 jobs, the fastest of
``--repeat`` runs; the baselines are timed over texts already in memory, which
flatters them (trafilatura also best of ``--repeat``; tokenising, the slow one, once). Peak RSS is the
largest of the worker processes (the process itself with one job).

Usage: ``make bench`` or ``python bench/bench_extract.py [--quick] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NEWS = SHARED / "bench" / "news"
HTML = SHARED / "aeb" / "html"
CLI = [sys.executable, "-c", "from newsfacts.cli import app; app()"]

TARGETS = {
    "text docs/s per core": 300.0,
    "text x tokenise baseline": 6.0,
    "html x trafilatura baseline": 1.0,
    "jobs 2 / jobs 1": 1.8,
    "peak RSS per worker (MB, at most)": 400.0,
    "--help (s, at most)": 0.3,
}


def run_extract(paths: list[Path], jobs: int, tmp: Path) -> dict[str, Any]:
    out, stats = tmp / f"out-{jobs}.jsonl", tmp / f"stats-{jobs}.json"
    started = time.perf_counter()
    subprocess.run(CLI + ["extract", *map(str, paths), "-o", str(out), "--jobs", str(jobs),
                          "--quiet", "--stats", str(stats), "--errors", str(tmp / "errors.jsonl")],
                   check=False)
    wall = time.perf_counter() - started
    summary = json.loads(stats.read_text(encoding="utf-8"))
    summary["wall_s"] = wall
    summary["wall_docs_per_s"] = summary["documents"] / wall
    return summary


def tokenise_baseline(folder: Path, limit: int | None) -> float:
    from underthesea import word_tokenize

    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))][:limit]
    word_tokenize("Khởi động.")
    started = time.perf_counter()
    for text in texts:
        word_tokenize(text)
    return len(texts) / (time.perf_counter() - started)


def trafilatura_baseline(folder: Path) -> float:
    import trafilatura

    pages = []
    for p in sorted(folder.iterdir()):
        data = p.read_bytes()
        pages.append(gzip.decompress(data) if p.name.endswith(".gz") else data)
    trafilatura.extract(pages[0])
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    return len(pages) / (time.perf_counter() - started)


_TRAFILATURA_SCRIPT = """
import gzip, sys, pathlib, trafilatura
for p in sorted(pathlib.Path(sys.argv[1]).iterdir()):
    data = p.read_bytes()
    trafilatura.extract(gzip.decompress(data) if p.name.endswith(".gz") else data)
"""


def trafilatura_process(folder: Path) -> float:
    """trafilatura as a user would run it on the same files: a fresh process that imports
    it, reads each page and extracts it; pages/s end to end, like newsfacts is timed."""
    pages = sum(1 for _ in folder.iterdir())
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", _TRAFILATURA_SCRIPT, str(folder)], check=True)
    return pages / (time.perf_counter() - started)


def help_time() -> float:
    times = []
    exe = Path(sys.executable).with_name("newsfacts")
    cmd = [str(exe), "--help"] if exe.exists() else CLI + ["--help"]
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def rss(summary: dict[str, Any]) -> float:
    return float(summary["peak_rss_mb"]["worker"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="tokenise baseline on 500 texts only (it is the slow part)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--repeat", type=int, default=2,
                    help="runs of newsfacts per setting; the fastest counts (a shared machine is noisy)")
    args = ap.parse_args()
    if not NEWS.is_dir() or not HTML.is_dir():
        print(f"bench skipped: {NEWS} or {HTML} not present (../shared sits beside dev and CI "
              "checkouts only)")
        return 0
    cores = os.cpu_count() or 1
    print(f"newsfacts bench: {cores} cores, load average {os.getloadavg()[0]:.2f}", flush=True)
    fig: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for name, folder in (("text", NEWS), ("html", HTML)):
            for jobs in (1, 2):
                sub = tmp / f"{name}{jobs}"
                sub.mkdir()
                s = min((run_extract([folder], jobs, sub) for _ in range(args.repeat)),
                        key=lambda r: r["wall_s"])
                fig[f"{name}_j{jobs}"] = s
                print(f"  {name:4s} jobs {jobs}: {s['documents']} docs in {s['wall_s']:.1f} s "
                      f"= {s['wall_docs_per_s']:.1f} docs/s end to end "
                      f"({s['docs_per_s']:.1f} after start-up), {s['facts']} facts, "
                      f"{s['errors']} errors, peak RSS {rss(s):.0f} MB/worker", flush=True)
            same = (tmp / f"{name}1" / "out-1.jsonl").read_bytes() == \
                (tmp / f"{name}2" / "out-2.jsonl").read_bytes()
            fig[f"{name}_same_output"] = same
            print(f"  {name:4s} jobs 1 and 2 wrote identical output: {same}", flush=True)
    fig["tokenise_docs_per_s"] = tokenise_baseline(NEWS, 500 if args.quick else None)
    print(f"  baseline underthesea.word_tokenize: {fig['tokenise_docs_per_s']:.1f} texts/s",
          flush=True)
    fig["trafilatura_pages_per_s"] = max(trafilatura_baseline(HTML) for _ in range(args.repeat))
    print(f"  baseline trafilatura.extract: {fig['trafilatura_pages_per_s']:.1f} pages/s", flush=True)
    fig["trafilatura_process_pages_per_s"] = max(trafilatura_process(HTML) for _ in range(args.repeat))
    print(f"  baseline trafilatura as a fresh process (start-up, reading, extraction): "
          f"{fig['trafilatura_process_pages_per_s']:.1f} pages/s", flush=True)
    fig["help_s"] = help_time()

    t1, t2 = fig["text_j1"]["wall_docs_per_s"], fig["text_j2"]["wall_docs_per_s"]
    h1 = fig["html_j1"]["wall_docs_per_s"]
    got = {
        "text docs/s per core": t1,
        "text x tokenise baseline": t1 / fig["tokenise_docs_per_s"],
        "html x trafilatura baseline": h1 / fig["trafilatura_pages_per_s"],
        "jobs 2 / jobs 1": t2 / t1,
        "peak RSS per worker (MB, at most)": max(rss(fig[k]) for k in
                                                 ("text_j1", "text_j2", "html_j1", "html_j2")),
        "--help (s, at most)": fig["help_s"],
    }
    fig["ratios"] = got
    print("\n  figure                              got      target")
    for name, target in TARGETS.items():
        at_most = "at most" in name
        ok = got[name] <= target if at_most else got[name] >= target
        print(f"  {name:34s} {got[name]:8.2f}  {'<=' if at_most else '>='} {target:<6g} "
              f"{'ok' if ok else 'MISSED'}")
    print(f"  (html x trafilatura as a fresh process, for reference: "
          f"{h1 / fig['trafilatura_process_pages_per_s']:.2f})")
    print(f"\n  load average at the end: {os.getloadavg()[0]:.2f} (other work on the machine "
          "lowers every figure, and the jobs 2 speed-up most)")
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
