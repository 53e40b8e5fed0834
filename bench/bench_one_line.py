"""Time one megabyte of figures in one line, with and without full stops (issue 13).

Linking used to grow with the square of a document's figures; this checks that it stays
linear. Each text is made of clauses of three figures (a score in percent, a rank, a
share) about varying provinces and years, joined by ", " (no sentence break at all) or
by ". ". Run with the installed command, one job, limits lifted:

    python bench/bench_one_line.py [SIZE_BYTES ...]     # default: 172000 1000000

It prints wall and CPU seconds of the whole command (start-up included) and the facts
written. Measured on a shared 2-core machine (load ~5): 1 MB, ~20,000 figures, takes
8-11 s of CPU (15-19 s wall), 172 KB about 2 s of CPU; before this change 172 KB took
51 s of CPU without full stops (and lost a third of its facts) and 10 s with them.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = ("Hưng Yên", "Bắc Ninh", "Quảng Ninh", "Đà Nẵng", "Cần Thơ", "Lào Cai", "Hà Giang")


def part(i: int) -> str:
    return (f"năm {2015 + i % 9} chỉ số PAR INDEX của tỉnh {PLACES[i % len(PLACES)]} đạt "
            f"{80 + i % 17},{i % 100:02d}%, xếp thứ {1 + i % 63}/63, tỷ lệ hồ sơ giải quyết đúng "
            f"hạn đạt {90 + i % 9},{i % 10}%")


def text(size: int, joint: str) -> str:
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(part(len(parts)))
        total += len(parts[-1].encode("utf-8")) + len(joint)
    return "Tin tức " + joint.join(parts)


def run(path: Path, out: Path) -> tuple[float, float, int]:
    exe = ROOT / ".venv" / "bin" / "newsfacts"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(exe) if exe.exists() else "newsfacts", "extract", str(path), "-q", "-j", "1",
                    "--max-figures", "0", "--time-limit", "0", "-o", str(out)], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    facts = len(json.loads(out.read_text(encoding="utf-8"))["facts"])
    return wall, cpu, facts


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv[1:]] or [172_000, 1_000_000]
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            for name, joint in (("no stops", ", "), ("full stops", ". ")):
                src = Path(tmp) / "one-line.txt"
                src.write_text(text(size, joint), encoding="utf-8")
                wall, cpu, facts = run(src, Path(tmp) / "out.jsonl")
                print(f"{size:>9,} bytes, {name:<10}: {facts:>6,} facts, {wall:6.2f} s wall, "
                      f"{cpu:6.2f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
