"""Throughput of ``newsfacts extract`` against two baselines measured in the same rounds.

- text: ../shared/bench/news (3,000 news texts), against underthesea's ``word_tokenize``
  (the cost of merely tokenising; timed in each round over a sample of the texts, every
  n-th one, since over all 3,000 it is minutes a round);
- HTML: ../shared/aeb/html (181 pages), against ``trafilatura.extract`` over every page
  with the options newsfacts gives it (``fast=True``: the cost of merely finding the
  article text the way newsfacts does) and in its default mode (slower: it also runs its
  fallback extractors); and trafilatura as newsfacts is timed, a fresh process reading the
  files (with newsfacts' options);
- a 30,000-document JSON Lines archive made here from the bench texts, with 1 and 2 jobs:
  docs/s per 5,000 documents (from when each 5,000th record is written), to show that a
  long run holds its rate;
- start-up apart: one short text end to end, and ``newsfacts --help``.

Every figure is printed as min/median/max over the rounds (each round's value after it).
Runs go in rounds: newsfacts with 1 job, with 2 jobs, then the baselines, back to back,
so that a ratio compares runs made under the same load; a ratio is taken within its
round. newsfacts is timed end to end as a user runs it (a fresh process: start-up,
reading, extraction, writing JSON Lines); ``--stats`` gives its rate once started (after
the first batch, which still reads, decompresses and writes). The in-memory baselines are
timed once imported and warmed up, which flatters them.

Peak RSS and user CPU are measured from outside each run. With GNU ``/usr/bin/time``: a
small C process forks the run, and its wait4 reports the largest process of the run (the
run and the workers it reaped) and their CPU. Not ``ru_maxrss`` of a child of this
script: Python starts children with vfork, and a child's ``ru_maxrss`` then starts from
this (large) process's high-water mark. Without GNU time, the run's processes' own
high-water marks (``VmHWM`` in /proc, fresh at exec) are polled and the CPU comes from
``os.wait4``. Peak RSS with 2 jobs is the largest process, a worker or the parent.

Usage: ``make bench`` or ``python bench/bench_extract.py [--repeat N] [--archive-repeat N]
[--tokenise-sample N] [--json FILE]``.
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
TIME = Path("/usr/bin/time")
ARCHIVE_STEP = 5000

# The targets of issue 17 (figure name -> (target, at most)); the median round is held
# against each (for peak RSS, the largest of every run), shown beside what was measured,
# never asserted.
TARGETS: dict[str, tuple[float, bool]] = {
    "text docs/s, 1 job, end to end": (1000.0, False),
    "text 1 job / word_tokenize": (13.0, False),
    "html 1 job end to end / trafilatura fast": (1.2, False),
    "text jobs 2 / 1, once started": (1.9, False),
    "archive jobs 2 / 1, end to end": (1.9, False),
    "peak RSS, largest process of any run": (150.0, True),
    "--help wall (s)": (0.15, True),
}
LARGEST = "peak RSS, largest process of any run"

# The options newsfacts gives trafilatura (webpage/adapter.py); trafilatura's default mode
# (fast=False) also runs its fallback extractors.
SAME_OPTIONS = {"include_comments": False, "include_tables": True, "deduplicate": False, "fast": True}


# --------------------------------------------------------------------------- measuring
def _descendants(pid: int) -> list[int]:
    """``pid`` and the processes below it, from /proc's children lists."""
    found, i = [pid], 0
    while i < len(found):
        p, i = found[i], i + 1
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                found += [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return found


def _hwm_mb(pid: int) -> float:
    """A process's own peak RSS (VmHWM: its memory's high-water mark, fresh at exec)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        pass
    return 0.0


def timed(cmd: list[str], tmp: Path, watch: Path | None = None, every: int = 0,
          quiet: bool = False) -> dict[str, Any]:
    """One fresh process: wall s, user and system CPU s, peak RSS MB of its largest process,
    all from outside; with ``watch``, the times at which the file ``watch`` reached each
    ``every`` lines (``marks_s``)."""
    report = tmp / f"time-{time.perf_counter_ns()}.txt"
    full = [str(TIME), "-f", "%M %U %S", "-o", str(report), *cmd] if TIME.exists() else cmd
    out = subprocess.DEVNULL if quiet else None
    started = time.perf_counter()
    proc = subprocess.Popen(full, stdout=out)
    marks: list[float] = []
    peak: dict[int, float] = {}
    lines, at = 0, 0
    while True:
        if not TIME.exists():
            for pid in _descendants(proc.pid):
                peak[pid] = max(peak.get(pid, 0.0), _hwm_mb(pid))
        if watch is not None and every:
            try:
                with watch.open("rb") as fh:
                    fh.seek(at)
                    chunk = fh.read()
                at += len(chunk)
                lines += chunk.count(b"\n")
            except OSError:
                pass
            while lines >= every * (len(marks) + 1):
                marks.append(time.perf_counter() - started)
        # without GNU time the run is reaped by os.wait4 below, for its CPU: only looked at here
        done = proc.poll() is not None if TIME.exists() else _exited(proc.pid)
        if done:
            break
        time.sleep(0.05)
    if TIME.exists():
        proc.wait()
        wall = time.perf_counter() - started
        rss_kb, user, system = report.read_text(encoding="utf-8").split()[-3:]
        got = {"rss_mb": int(rss_kb) / 1024.0, "user_s": float(user), "sys_s": float(system)}
    else:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        got = {"rss_mb": max(peak.values(), default=0.0), "user_s": usage.ru_utime,
               "sys_s": usage.ru_stime}
    if proc.returncode not in (0, None):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return {**got, "wall_s": wall, "marks_s": marks}


def _exited(pid: int) -> bool:
    """Whether ``pid`` has exited (a zombie, not yet reaped: os.wait4 reaps it after)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def run_extract(paths: list[Path], jobs: int, tmp: Path, every: int = 0) -> dict[str, Any]:
    """One ``newsfacts extract`` run as a user makes it; its --stats and outside figures."""
    tmp.mkdir(parents=True, exist_ok=True)
    out, stats = tmp / f"out-{jobs}.jsonl", tmp / f"stats-{jobs}.json"
    got = timed(CLI + ["extract", *map(str, paths), "-o", str(out), "--jobs", str(jobs), "--quiet",
                       "--stats", str(stats), "--errors", str(tmp / "errors.jsonl")],
                tmp, watch=out if every else None, every=every)
    summary = json.loads(stats.read_text(encoding="utf-8"))
    summary.update(got)
    summary["rate"] = summary["documents"] / got["wall_s"]
    summary["steady"] = summary["docs_per_s_after_first_batch"] or 0.0
    summary["output"] = out
    return summary


def tokenise_rate(texts: list[str]) -> float:
    from underthesea import word_tokenize

    word_tokenize("Khởi động.")
    started = time.perf_counter()
    for text in texts:
        word_tokenize(text)
    return len(texts) / (time.perf_counter() - started)


def read_pages(folder: Path) -> list[bytes]:
    pages = []
    for p in sorted(folder.iterdir()):
        data = p.read_bytes()
        pages.append(gzip.decompress(data) if p.name.endswith(".gz") else data)
    return pages


def trafilatura_rate(pages: list[bytes], options: dict[str, Any]) -> float:
    """Pages/s of trafilatura.extract once imported and warmed up, pages in memory."""
    import trafilatura

    trafilatura.extract(pages[0], **options)
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page, **options)
    return len(pages) / (time.perf_counter() - started)


_TRAFILATURA_SCRIPT = """
import gzip, json, sys, pathlib, trafilatura
options = json.loads(sys.argv[2])
for p in sorted(pathlib.Path(sys.argv[1]).iterdir()):
    data = p.read_bytes()
    trafilatura.extract(gzip.decompress(data) if p.name.endswith(".gz") else data, **options)
"""


def trafilatura_process(folder: Path, tmp: Path) -> dict[str, Any]:
    """trafilatura as a user would run it on the same files, with newsfacts' options: a
    fresh process that imports it, reads each page and extracts it."""
    got = timed([sys.executable, "-c", _TRAFILATURA_SCRIPT, str(folder), json.dumps(SAME_OPTIONS)], tmp)
    got["rate"] = sum(1 for _ in folder.iterdir()) / got["wall_s"]
    return got


def help_runs(tmp: Path, n: int = 7) -> list[dict[str, Any]]:
    exe = Path(sys.executable).with_name("newsfacts")
    cmd = [str(exe), "--help"] if exe.exists() else CLI + ["--help"]
    return [timed(cmd, tmp, quiet=True) for _ in range(n)]


def make_archive(folder: Path, copies: int, path: Path) -> int:
    """A JSON Lines archive of ``copies`` passes over the bench texts, each record with its
    own doc_id: a long run made from the texts at hand."""
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    with path.open("w", encoding="utf-8") as fh:
        for c in range(copies):
            for stem, text in texts:
                fh.write(json.dumps({"doc_id": f"{stem}-{c}", "text": text}, ensure_ascii=False) + "\n")
    return copies * len(texts)


# --------------------------------------------------------------------------- rounds
class Figures:
    """Each figure's value in each round, printed as min/median/max."""

    def __init__(self) -> None:
        self.values: dict[str, list[float]] = {}
        self.units: dict[str, str] = {}

    def add(self, name: str, value: float, unit: str = "") -> None:
        self.values.setdefault(name, []).append(value)
        self.units.setdefault(name, unit)

    def held(self, name: str) -> float:
        """What a target is held against: the median round, or for peak RSS the largest."""
        v = self.values.get(name)
        if not v:
            return 0.0
        return max(v) if name == LARGEST else statistics.median(v)

    def line(self, name: str) -> str:
        v = self.values.get(name) or []
        if not v:
            return f"  {name:44s} -"
        each = " ".join(f"{x:.3g}" for x in v) if len(v) <= 12 else f"{len(v)} values"
        return (f"  {name:44s} {min(v):9.3g} {statistics.median(v):9.3g} {max(v):9.3g}  "
                f"{self.units[name]:8s} ({each})")


def _add_run(fig: Figures, name: str, jobs: int, run: dict[str, Any]) -> None:
    j = f"{jobs} job{'s' if jobs > 1 else ''}"
    fig.add(f"{name} docs/s, {j}, end to end", run["rate"], "docs/s")
    fig.add(f"{name} docs/s, {j}, once started", run["steady"], "docs/s")
    fig.add(f"{name} user CPU, {j}", run["user_s"], "s")
    fig.add(f"{name} peak RSS, {j} (largest process)", run["rss_mb"], "MB")
    fig.add(LARGEST, run["rss_mb"], "MB")
    fig.add(f"{name} --stats peak RSS, {j} (worker)", run["peak_rss_mb"]["worker"], "MB")


def text_rounds(fig: Figures, repeat: int, sample: int, tmp: Path) -> list[bytes]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(NEWS.glob("*.txt"))]
    step = max(1, len(texts) // max(1, sample))
    chosen = texts[::step][:sample]
    outputs = []
    for r in range(repeat):
        runs = {jobs: run_extract([NEWS], jobs, tmp / f"text{jobs}-{r}") for jobs in (1, 2)}
        tok = tokenise_rate(chosen)
        for jobs, got in runs.items():
            _add_run(fig, "text", jobs, got)
            outputs.append(got["output"].read_bytes())
        fig.add("word_tokenize texts/s", tok, "texts/s")
        fig.add("text 1 job / word_tokenize", runs[1]["rate"] / tok, "x")
        fig.add("text jobs 2 / 1, end to end", runs[2]["rate"] / runs[1]["rate"], "x")
        fig.add("text jobs 2 / 1, once started", runs[2]["steady"] / (runs[1]["steady"] or 1), "x")
        print(f"  text round {r + 1}: 1 job {runs[1]['rate']:.0f} docs/s ({runs[1]['steady']:.0f} once "
              f"started, {runs[1]['user_s']:.2f} s user CPU), 2 jobs {runs[2]['rate']:.0f} "
              f"({runs[2]['steady']:.0f}); word_tokenize {tok:.1f} texts/s over {len(chosen)}", flush=True)
    return outputs


def html_rounds(fig: Figures, repeat: int, tmp: Path) -> list[bytes]:
    pages = read_pages(HTML)
    outputs = []
    for r in range(repeat):
        runs = {jobs: run_extract([HTML], jobs, tmp / f"html{jobs}-{r}") for jobs in (1, 2)}
        fast, default = trafilatura_rate(pages, SAME_OPTIONS), trafilatura_rate(pages, {})
        proc = trafilatura_process(HTML, tmp)
        for jobs, got in runs.items():
            _add_run(fig, "html", jobs, got)
            outputs.append(got["output"].read_bytes())
        fig.add("trafilatura fast pages/s, once started", fast, "pages/s")
        fig.add("trafilatura default pages/s, once started", default, "pages/s")
        fig.add("trafilatura fast pages/s, fresh process", proc["rate"], "pages/s")
        fig.add("trafilatura fresh process peak RSS", proc["rss_mb"], "MB")
        one = runs[1]
        fig.add("html 1 job end to end / trafilatura fast", one["rate"] / fast, "x")
        fig.add("html 1 job once started / trafilatura fast", one["steady"] / fast, "x")
        fig.add("html 1 job end to end / trafilatura default", one["rate"] / default, "x")
        fig.add("html 1 job / trafilatura fast, both fresh", one["rate"] / proc["rate"], "x")
        print(f"  html round {r + 1}: 1 job {one['rate']:.1f} pages/s ({one['steady']:.1f} once started), "
              f"2 jobs {runs[2]['rate']:.1f}; trafilatura.extract fast {fast:.1f}, default "
              f"{default:.1f}, fast as a fresh process {proc['rate']:.1f}", flush=True)
    return outputs


def start_up_rounds(fig: Figures, tmp: Path) -> None:
    doc = tmp / "one.txt"
    doc.write_text("Tiêu đề\n\nTỉnh Hà Tĩnh đạt 90,5% năm 2023.\n", encoding="utf-8")
    for r in range(3):
        got = run_extract([doc], 1, tmp / f"start-{r}")
        fig.add("start-up: one short text, wall", got["wall_s"], "s")
        fig.add("start-up: one short text, user CPU", got["user_s"], "s")
        fig.add("start-up: one short text, peak RSS", got["rss_mb"], "MB")
        fig.add("start-up: --stats peak RSS (parent)", got["peak_rss_mb"]["parent"], "MB")
    for got in help_runs(tmp):
        fig.add("--help wall (s)", got["wall_s"], "s")
        fig.add("--help user CPU", got["user_s"], "s")


def archive_rounds(fig: Figures, repeat: int, tmp: Path) -> None:
    """30,000 documents from one archive with 1 and 2 jobs, docs/s per 5,000 documents."""
    archive = tmp / "archive.jsonl"
    n = make_archive(NEWS, 10, archive)
    for r in range(repeat):
        runs = {}
        for jobs in (1, 2):
            got = runs[jobs] = run_extract([archive], jobs, tmp / f"archive{jobs}-{r}", every=ARCHIVE_STEP)
            marks = got["marks_s"]
            rates = [ARCHIVE_STEP / (b - a) for a, b in zip([0.0, *marks[:-1]], marks, strict=True)]
            for x in rates:
                fig.add(f"archive docs/s per 5,000, {jobs} job{'s' if jobs > 1 else ''}", x, "docs/s")
            fig.add(f"archive docs/s, {jobs} job{'s' if jobs > 1 else ''}, end to end", got["rate"], "docs/s")
            fig.add(f"archive user CPU, {jobs} job{'s' if jobs > 1 else ''}", got["user_s"], "s")
            fig.add(f"archive peak RSS, {jobs} job{'s' if jobs > 1 else ''}", got["rss_mb"], "MB")
            fig.add(LARGEST, got["rss_mb"], "MB")
            print(f"  archive round {r + 1}, {jobs} job(s): {n} docs in {got['wall_s']:.1f} s = "
                  f"{got['rate']:.0f} docs/s; per 5,000: {' '.join(f'{x:.0f}' for x in rates)}; "
                  f"user CPU {got['user_s']:.1f} s, peak RSS {got['rss_mb']:.0f} MB", flush=True)
        fig.add("archive jobs 2 / 1, end to end", runs[2]["rate"] / runs[1]["rate"], "x")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, help="also write every round's figures here")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds per input (a shared machine is noisy: the median round counts)")
    ap.add_argument("--archive-repeat", type=int, default=1,
                    help="rounds of the 30,000-document archive (0: none; minutes a round)")
    ap.add_argument("--tokenise-sample", type=int, default=500,
                    help="texts word_tokenize is timed over in each round (every n-th text)")
    args = ap.parse_args()
    if not NEWS.is_dir() or not HTML.is_dir():
        print(f"bench skipped: {NEWS} or {HTML} not present (../shared sits beside dev and CI "
              "checkouts only)")
        return 0
    load = [os.getloadavg()[0]]
    print(f"newsfacts bench: {os.cpu_count()} cores, load average {load[0]:.2f}; "
          f"peak RSS and CPU from {'GNU time' if TIME.exists() else '/proc VmHWM and wait4'}", flush=True)
    fig = Figures()
    repeat = max(1, args.repeat)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        same = {"text": text_rounds(fig, repeat, args.tokenise_sample, tmp),
                "html": html_rounds(fig, repeat, tmp)}
        load.append(os.getloadavg()[0])
        start_up_rounds(fig, tmp)
        if args.archive_repeat > 0:
            archive_rounds(fig, args.archive_repeat, tmp)
    load.append(os.getloadavg()[0])
    print(f"\n  {'figure':44s} {'min':>9s} {'median':>9s} {'max':>9s}  unit     (each round)")
    for name in fig.values:
        print(fig.line(name))
    print(f"\n  {'target (issue 17): median round, largest RSS':44s} {'got':>9s}   target")
    for name, (target, at_most) in TARGETS.items():
        got = fig.held(name)
        ok = got <= target if at_most else got >= target
        print(f"  {name:44s} {got:9.3g}   {'<=' if at_most else '>='} {target:<6g} {'ok' if ok else 'MISSED'}")
    for name, outs in same.items():
        print(f"  {name}: every run (1 and 2 jobs, every round) wrote identical output: "
              f"{all(o == outs[0] for o in outs)}")
    print(f"\n  load average (1 min) at the start, after the rounds, at the end: "
          f"{' '.join(f'{x:.2f}' for x in load)} on {os.cpu_count()} cores (other work on the "
          "machine lowers every figure, and the jobs 2 speed-up most)")
    if args.json:
        args.json.write_text(json.dumps({"figures": fig.values, "units": fig.units, "load": load},
                                        indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
