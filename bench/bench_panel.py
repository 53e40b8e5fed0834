"""What ``newsfacts panel`` costs beside the extraction it follows (issue 15's targets).

- time: ``extract`` over ../shared/bench/news (3,000 texts) with every core, then
  ``panel`` over its output, both timed end to end as fresh processes (start-up
  included), in rounds; the figure is the median round's panel / extraction ratio
  (target: under 10%);
- memory: the same output grown to 30,000 and 300,000 records (each record copied
  under new ids and dates: the same results told by more articles, as an archive
  repeats them), ``panel`` peak RSS over each (target: flat).

Peak RSS comes from GNU ``/usr/bin/time`` when there is one. Usage:
``python bench/bench_panel.py [--rounds N] [--json FILE]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "bench" / "news"
CLI = [sys.executable, "-c", "from newsfacts.cli import app; app()"]
TIME = Path("/usr/bin/time")
TARGETS = {"panel / extract (at most)": 0.10, "peak RSS growth 30k -> 300k records (MB, at most)": 20.0}


def timed(cmd: list[str], tmp: Path) -> tuple[float, float | None]:
    """Wall seconds and peak RSS (MB, None without GNU time) of one fresh process."""
    report = tmp / "time.txt"
    full = [str(TIME), "-f", "%M", "-o", str(report), *cmd] if TIME.exists() else cmd
    start = time.perf_counter()
    subprocess.run(full, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    rss = int(report.read_text().split()[-1]) / 1024 if TIME.exists() else None
    return wall, rss


def grown(source: Path, copies: int, out: Path) -> Path:
    """``source``'s records ``copies`` times, each copy under new doc ids and dates."""
    lines = source.read_text(encoding="utf-8").splitlines()
    with out.open("w", encoding="utf-8") as fh:
        for c in range(copies):
            for line in lines:
                rec = json.loads(line)
                rec["doc_id"] = f"{rec['doc_id']}-{c}"
                rec["published"] = f"20{10 + c % 15:02d}-{1 + c % 12:02d}-{1 + c % 28:02d}"
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", type=Path, help="Write the figures here too.")
    args = ap.parse_args()
    if not NEWS.is_dir():
        print(f"skipped: {NEWS} is not here")
        return 0
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="newsfacts-bench-panel-") as name:
        tmp = Path(name)
        facts = tmp / "facts.jsonl"
        ratios, extract_s, panel_s = [], [], []
        for _ in range(args.rounds):
            e, _rss = timed([*CLI, "extract", str(NEWS), "-o", str(facts), "-q"], tmp)
            p, _rss = timed([*CLI, "panel", str(facts), "-o", str(tmp / "panel.csv"), "-q"], tmp)
            extract_s.append(e)
            panel_s.append(p)
            ratios.append(p / e)
        out["extract_s"] = [round(x, 2) for x in extract_s]
        out["panel_s"] = [round(x, 2) for x in panel_s]
        out["panel / extract"] = round(statistics.median(ratios), 3)
        for n in (10, 100):
            src = grown(facts, n, tmp / f"grown-{n}.jsonl")
            wall, rss = timed([*CLI, "panel", str(src), "-o", str(tmp / f"panel-{n}.csv"), "-q"], tmp)
            out[f"{n * 3000} records"] = {"panel_s": round(wall, 2),
                                          "peak_rss_mb": None if rss is None else round(rss, 1)}
            src.unlink()
    for key, value in out.items():
        print(f"{key:32} {value}")
    small, large = out["30000 records"]["peak_rss_mb"], out["300000 records"]["peak_rss_mb"]
    if small is not None and large is not None:
        out["peak RSS growth 30k -> 300k records (MB)"] = round(large - small, 1)
    print("targets:", json.dumps(TARGETS))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
