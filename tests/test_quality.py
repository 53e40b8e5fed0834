"""Quality ratchet: seed and dev-set (devset, devset2) scores may not fall below the last landed figures.

Raise the floor in ``quality_floor.json`` when a change lands better figures.
Skipped when ../shared (gold and reference scorer) is not beside the checkout.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import needs_shared
from typer.testing import CliRunner

from newsfacts.cli import app

FLOOR = json.loads((Path(__file__).parent / "quality_floor.json").read_text(encoding="utf-8"))
CORPORA = {"seeds": ("corpus/seeds", "gold/seeds.jsonl"), "devset": ("devset/docs", "devset/gold.jsonl"),
           "devset2": ("devset2/docs", "devset2/gold.jsonl")}


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_scores_do_not_drop(name: str, tmp_path: Path) -> None:
    docs, gold = (needs_shared(p) for p in CORPORA[name])
    scorer = needs_shared("tools", "score_facts.py")
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(app, ["extract", str(docs), "--output", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    summary = json.loads(subprocess.run(
        [sys.executable, str(scorer), str(gold), str(out), "--docs-dir", str(docs), "--json"],
        check=True, capture_output=True, text=True).stdout)
    floor = FLOOR[name]
    got = {f"{k}_f1": summary[k]["f1"] for k in ("score", "rank", "procedure_count", "percentage", "all")}
    got.update({f"attr_{k}": v["accuracy"] for k, v in summary["attributes"].items()})
    drops = {k: (got.get(k), v) for k, v in floor.items() if (got.get(k) or 0.0) < v - 1e-9}
    assert not drops, f"{name}: below the landed floor (got, floor): {drops}"
