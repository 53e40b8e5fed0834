"""Check that a speed change leaves the extracted facts exactly as they were.

A speed change must not change one fact, so before it the output of `newsfacts extract`
on every corpus is saved, and after it the output is compared record by record:

    python bench/same_facts.py save /tmp/facts-before
    ... change the code ...
    python bench/same_facts.py check /tmp/facts-before

Records are compared as parsed JSON with the keys in TIMING_KEYS dropped (none today: a
record carries no timing), keyed by doc_id, so a different batch order would not count as
a difference but any changed fact, warning or field does. Corpora that are not on this
machine are skipped and named.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if not SHARED.is_dir():
    SHARED = Path("/work/shared")

CORPORA: dict[str, Path] = {
    "bench_news": SHARED / "bench" / "news",
    "devset_docs": SHARED / "devset" / "docs",
    "devset2_docs": SHARED / "devset2" / "docs",
    "aeb_html": SHARED / "aeb" / "html",
    "corpus": ROOT / "corpus",
}
TIMING_KEYS = frozenset({"elapsed", "elapsed_ms", "seconds"})


def _newsfacts() -> str:
    venv = ROOT / ".venv" / "bin" / "newsfacts"
    return str(venv) if venv.exists() else "newsfacts"


def extract(corpus: Path, output: Path) -> None:
    """Run the installed command as a user would, on two jobs."""
    subprocess.run(
        [_newsfacts(), "extract", str(corpus), "-q", "-j", "2", "-o", str(output)],
        check=True,
    )


def _records(path: Path) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out[rec["doc_id"]] = {k: v for k, v in rec.items() if k not in TIMING_KEYS}
    return out


def compare(before: Path, after: Path) -> list[str]:
    """The doc_ids whose records differ (or exist on one side only)."""
    a, b = _records(before), _records(after)
    return sorted(d for d in a.keys() | b.keys() if a.get(d) != b.get(d))


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("save", "check"):
        print(__doc__)
        return 2
    store = Path(argv[2])
    store.mkdir(parents=True, exist_ok=True)
    failed = False
    for name, corpus in CORPORA.items():
        if not corpus.is_dir():
            print(f"{name}: skipped ({corpus} not here)")
            continue
        if argv[1] == "save":
            extract(corpus, store / f"{name}.jsonl")
            print(f"{name}: saved")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            now = Path(tmp) / f"{name}.jsonl"
            extract(corpus, now)
            diff = compare(store / f"{name}.jsonl", now)
        failed |= bool(diff)
        print(f"{name}: {'SAME' if not diff else f'{len(diff)} differ, e.g. {diff[:5]}'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
