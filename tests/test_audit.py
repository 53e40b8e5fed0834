"""audit.py and its commands: rules test, eval, explain, rules coverage."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from newsfacts import audit
from newsfacts.cli import app
from newsfacts.resources import default_root, load_resources

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "tools" / "score_facts.py"
SETS = {
    "seeds": (SHARED / "gold" / "seeds.jsonl", SHARED / "corpus" / "seeds"),
    "devset": (SHARED / "devset" / "gold.jsonl", SHARED / "devset" / "docs"),
}
HUNG_YEN = ("Kết quả đánh giá chỉ số CCHC năm 2020, tỉnh Hưng Yên đạt 81,98 điểm, "
            "đứng thứ 22/63 tỉnh, thành phố, tăng 5 bậc.")
needs_shared = pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared (gold, reference scorer) absent")
runner = CliRunner()


def invoke(*args: str) -> Any:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def copy_rules(tmp_path: Path) -> Path:
    dest = tmp_path / "rules"
    shutil.copytree(default_root(), dest)
    return dest


def edit_rule(rules_dir: Path, rule_id: str, change: Any) -> str:
    """Apply ``change(rule_dict)`` to one rule of a copied rules folder; returns its file name."""
    for path in sorted(rules_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for raw in (data or {}).get("rules") or []:
            if raw.get("id") == rule_id:
                change(raw)
                path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                encoding="utf-8")
                return path.name
    raise AssertionError(f"no rule {rule_id}")


def a_rule_with_numeric_expect() -> tuple[str, str, str, float]:
    """A rule, one must-match example text, a numeric field it expects and the value."""
    for rule in load_resources(check=False).rules.rules:
        for ex in rule.examples:
            for k, v in ex.expect.items():
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    return rule.id, ex.text, k, float(v)
    raise AssertionError("no rule expects a number")


# --------------------------------------------------------------------------- rules test
def test_rules_test_passes_on_the_bundled_rules() -> None:
    result = invoke("rules", "test")
    assert result.exit_code == 0, result.output
    assert "all pass" in result.output
    for rule in load_resources(check=False).rules.rules:
        assert f"PASS {rule.id}" in result.output


def break_example(rules_dir: Path, rule_id: str, text: str, key: str, wrong: Any) -> None:
    """Make one must-match example of ``rule_id`` expect a value it cannot produce."""

    def break_it(raw: dict[str, Any]) -> None:
        for ex in raw["examples"]:
            if isinstance(ex, dict) and ex.get("text") == text:
                ex["expect"][key] = wrong

    edit_rule(rules_dir, rule_id, break_it)


def test_broken_example_fails_rules_test_naming_rule_and_example(tmp_path: Path) -> None:
    rule_id, text, key, value = a_rule_with_numeric_expect()
    rules_dir = copy_rules(tmp_path)

    break_example(rules_dir, rule_id, text, key, value + 1000)
    result = invoke("rules", "test", rules_dir)
    assert result.exit_code == 1
    assert f"FAIL {rule_id}" in result.output
    assert repr(text) in result.output
    assert str(value + 1000) in result.output  # what was expected
    assert "got:" in result.output  # and what came out
    others = [r.id for r in load_resources(check=False).rules.rules if r.id != rule_id]
    assert all(f"PASS {rid}" in result.output for rid in others)


def test_counter_example_that_matches_fails(tmp_path: Path) -> None:
    rule_id, text, _, _ = a_rule_with_numeric_expect()
    rules_dir = copy_rules(tmp_path)
    edit_rule(rules_dir, rule_id, lambda raw: raw.setdefault("counter_examples", []).append(text))
    result = invoke("rules", "test", rules_dir, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    bad = [r for r in data[rule_id] if r["failure"]]
    assert [(r["kind"], r["text"]) for r in bad] == [("must-not-match", text)]
    assert bad[0]["got"]


def test_broken_example_fails_make_test(tmp_path: Path) -> None:
    """The pytest cases see the same rules as `newsfacts`, so a broken example fails `make test`."""
    rule_id, text, key, value = a_rule_with_numeric_expect()
    rules_dir = copy_rules(tmp_path)

    break_example(rules_dir, rule_id, text, key, value + 1000)
    env = {**os.environ, "NEWSFACTS_RULES": str(rules_dir)}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         str(ROOT / "tests" / "test_rule_examples.py")],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode != 0
    assert f"test_rule_examples[{rule_id}]" in proc.stdout
    assert text in proc.stdout


def test_rules_test_reports_a_bad_rule_file(tmp_path: Path) -> None:
    rules_dir = copy_rules(tmp_path)
    (rules_dir / "zz_bad.yaml").write_text(
        "rules:\n  - id: bad.rule\n    kind: score\n    pattern: '(?P<value>'\n"
        "    examples: ['x']\n", encoding="utf-8")
    result = invoke("rules", "test", rules_dir)
    assert result.exit_code == 2
    assert "bad.rule" in result.output


# --------------------------------------------------------------------------- scoring
def _reference() -> Any:
    spec = importlib.util.spec_from_file_location("score_facts_reference", REFERENCE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _perturb(gold: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """Predictions made from gold with misses, wrong numbers, wrong attributes and extras."""
    preds = []
    for g in gold:
        if rng.random() < 0.15:
            continue
        p = {k: v for k, v in g.items() if k not in ("at", "n", "optional")}
        p["subject"] = rng.choice([None, "x", *(g.get("subject") or ["y"])])
        p["year"] = rng.choice([None, 1999, *(g.get("year") or [2000])])
        p["index"] = rng.choice([None, "PCI", g.get("index")])
        r = rng.random()
        if r < 0.1:
            for k in audit.KEYS[g["kind"]]:
                if isinstance(p.get(k), (int, float)):
                    p[k] = p[k] + 1
                    break
        elif r < 0.15:
            p["kind"] = rng.choice(audit.KINDS)
        p["rule"] = rng.choice(["r.a", "r.b"])
        preds.append(p)
        if rng.random() < 0.1:
            preds.append(copy.deepcopy(p))
    rng.shuffle(preds)
    return preds


@needs_shared
@pytest.mark.parametrize("name", list(SETS))
def test_scoring_equals_the_reference_on_perturbed_predictions(name: str) -> None:
    ref = _reference()
    gold = audit.load_jsonl(SETS[name][0])
    rng = random.Random(7)
    for _ in range(20):
        rows = _perturb(gold, rng)
        known = {g["doc"] for g in gold}
        mine = audit.score(gold, audit.predictions(rows, known))
        theirs = ref.score(gold, ref.predictions(rows, known))
        assert (dict(mine.tp), dict(mine.fp), dict(mine.fn)) == tuple(dict(x) for x in theirs[:3])
        assert {k: list(v) for k, v in mine.attrs.items()} == {k: list(v) for k, v in theirs[3].items()}
        assert mine.errors == theirs[4]
        per_rule = sum(c["tp"] + c["fp"] for c in mine.per_rule.values())
        assert per_rule == sum(mine.tp.values()) + sum(mine.fp.values())


@needs_shared
@pytest.mark.parametrize("name", list(SETS))
def test_eval_equals_the_reference_scorer(name: str, tmp_path: Path) -> None:
    gold, docs = SETS[name]
    pred = tmp_path / "pred.jsonl"
    assert invoke("extract", docs, "--output", pred, "--quiet").exit_code == 0

    def reference(*extra: str) -> dict[str, Any]:
        out = subprocess.run([sys.executable, str(REFERENCE), str(gold), str(pred), "--json", *extra],
                             capture_output=True, text=True, check=True, timeout=120).stdout
        return json.loads(out)

    def mine(*extra: str) -> dict[str, Any]:
        result = invoke("eval", gold, *extra, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    for ours, theirs in [
        (mine(docs, "--gold-docs-only"), reference()),
        (mine(docs), reference("--docs-dir", str(docs))),
        (mine("--predictions", pred, "--gold-docs-only"), reference()),
    ]:
        assert {k: ours[k] for k in theirs} == theirs
    table = invoke("eval", gold, docs, "--errors").output
    assert "attribute" in table and "rule" in table


def test_eval_counts_per_rule_and_lists_errors_with_sentences(tmp_path: Path) -> None:
    doc = tmp_path / "d1.txt"
    doc.write_text("Tiêu đề\n\n" + HUNG_YEN + "\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"doc": "d1", "kind": "score", "value": 81.98, "at": "81,98", "n": 1,
         "subject": ["Hưng Yên"], "year": [2020]},
        {"doc": "d1", "kind": "percentage", "value": 12.5, "at": "22/63", "n": 1},
    ]
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = invoke("eval", gold, doc, "--format", "json", "--errors")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["score"]["tp"] == 1
    assert out["percentage"]["fn"] == 1
    assert out["rank"]["fp"] == 1
    assert out["rules"]["score.points"]["tp"] == 1
    assert out["rules"]["rank.position"]["fp"] == 1
    missed = [e for e in out["errors"] if e["error"] == "missed"]
    spurious = [e for e in out["errors"] if e["error"] == "spurious"]
    assert missed[0]["sentence"] == HUNG_YEN
    assert spurious[0]["pred"]["rule"] == "rank.position" and spurious[0]["sentence"] == HUNG_YEN


def test_locate_picks_the_raw_occurrence_by_context() -> None:
    raw = "Menu 95%\nTrang chủ\nBài: tỷ lệ 95% hồ sơ; và 95% văn bản"
    text = "Bài: tỷ lệ 95% hồ sơ; và 95% văn bản"
    assert audit.locate("95%", 3, raw, text) == (text.rindex("95%"), text.rindex("95%") + 3)
    assert audit.locate("95%", 2, raw, text) == (text.index("95%"), text.index("95%") + 3)
    assert audit.locate("77%", 1, raw, text) is None


# --------------------------------------------------------------------------- explain
def test_explain_names_the_rules_that_made_each_fact() -> None:
    result = invoke("explain", HUNG_YEN)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "score.points" in out and "rank.position" in out
    assert "'81,98 điểm'" in out and "position=22" in out and "change=5" in out
    assert "WON" in out
    assert "year" in out and "found in sentence" in out
    data = json.loads(invoke("explain", HUNG_YEN, "--format", "json").stdout)
    facts = {f["rule"]: f for f in data["facts"]}
    assert facts["score.points"]["value"] == pytest.approx(81.98)
    assert facts["rank.position"]["position"] == 22 and facts["rank.position"]["out_of"] == 63
    assert facts["rank.position"]["change"] == 5
    assert facts["score.points"]["attributes"]["year"] == {"value": 2020, "found_in": "sentence"}
    subject = facts["score.points"]["attributes"]["subject"]
    assert subject["found_in"] == "sentence" and f"by {subject['rule']})" in out  # who decided
    sentence = data["sentences"][0]
    assert {f["text"]: f["status"] for f in sentence["figures"]}["2020"] == "not a figure: year"
    tried = {r["rule"] for r in sentence["rules"]}
    assert tried == {r.id for r in load_resources().rules.rules}


def test_explain_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Tiêu đề bài\n\nKhông có số nào ở đây.\n\n" + HUNG_YEN, encoding="utf-8")
    result = invoke("explain", path, "--all")
    assert result.exit_code == 0
    assert "no rule tried" in result.output and "score.points" in result.output


def test_why_won_follows_the_documented_tie_break() -> None:
    def cand(priority: int, start: int, end: int, m0: int, m1: int, order: int) -> Any:
        return SimpleNamespace(rule=SimpleNamespace(priority=priority, order=order),
                               start=start, end=end, match_start=m0, match_end=m1)

    assert audit.why_won(cand(70, 0, 5, 0, 5, 1), cand(40, 0, 5, 0, 5, 0)).startswith("higher priority")
    assert audit.why_won(cand(40, 0, 9, 0, 9, 1), cand(40, 0, 5, 0, 9, 0)).startswith("longer figure")
    assert audit.why_won(cand(40, 0, 5, 0, 9, 1), cand(40, 0, 5, 0, 7, 0)).startswith("longer whole")
    assert audit.why_won(cand(40, 0, 5, 0, 5, 0), cand(40, 0, 5, 0, 5, 3)).startswith("comes first")


def test_explain_shows_overlaps_and_why() -> None:
    resources = load_resources()
    data = audit.explain_text(HUNG_YEN + " Tỷ lệ đạt 98,5%. Chỉ số CCHC đạt 91,43%.", resources)
    for s in data["sentences"]:
        for o in s["overlaps"]:
            assert o["winner"] != o["loser"] or o["winner_text"] != o["loser_text"]
            assert o["reason"]
    losers = [c for s in data["sentences"] for r in s["rules"] if r["status"] == "matched"
              for c in r["candidates"] if not c["won"]]
    overlaps = [o for s in data["sentences"] for o in s["overlaps"]]
    assert len(overlaps) == len(losers)


def test_figures_flags_what_is_not_a_fact() -> None:
    text = ("Ngày 22/10/2020 theo Quyết định 1277/QĐ-UBND, lúc 10:33 năm 2021, "
            "đạt 93,364/98 điểm, 95% và 64 TTHC")
    notes = {f.text: f.note for f in audit.figures(text)}
    assert notes["22/10/2020"] and notes["1277"] and notes["10"] and notes["2021"]
    assert notes["93,364/98"] is None and notes["95%"] is None and notes["64"] is None


# --------------------------------------------------------------------------- coverage
def test_coverage_counts_rules_and_finds_unclaimed_figures(tmp_path: Path) -> None:
    corpus = ROOT / "corpus"
    result = invoke("rules", "coverage", corpus, "--format", "json")
    assert result.exit_code == 0, result.output
    cov = json.loads(result.stdout)
    ids = [r.id for r in load_resources().rules.rules]
    assert list(cov["rules"]) == ids
    assert cov["documents"] > 0
    assert set(cov["never_fire"]) == {rid for rid, r in cov["rules"].items() if r["candidates"] == 0}
    extract = invoke("extract", corpus, "--quiet")
    n_facts = sum(len(json.loads(line)["facts"]) for line in extract.stdout.splitlines())
    assert sum(r["facts"] for r in cov["rules"].values()) == n_facts

    # Without the score rules, "81,98 điểm" is a figure near a trigger word nobody claims.
    rules_dir = copy_rules(tmp_path)
    (rules_dir / "score.yaml").unlink()
    doc = tmp_path / "d.txt"
    doc.write_text("Tiêu đề\n\n" + HUNG_YEN, encoding="utf-8")
    cov = json.loads(invoke("rules", "coverage", doc, "--rules", rules_dir, "--format", "json").stdout)
    assert {(u["figure"], u["trigger"]) for u in cov["unclaimed"]} >= {("81,98", "điểm")}
    assert not any(rid.startswith("score.") for rid in cov["rules"])
    text = invoke("rules", "coverage", doc, "--rules", rules_dir).output
    assert "never fire" in text and "81,98" in text
