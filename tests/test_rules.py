"""Rule files are data: a broken one is rejected at load with file, rule id and reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from newsfacts.rules import RuleError, load_rules


def _copy_rules(tmp_path: Path) -> Path:
    dest = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", dest)
    return dest


def _add_rule(root: Path, body: str) -> None:
    (root / "zz_extra.yaml").write_text("rules:\n" + body, encoding="utf-8")


GOOD = """  - id: test.ok
    kind: percentage
    pattern: '(?P<value>{NUM}) phần nghìn'
    fields:
      value: num(value)
    examples:
      - text: "đạt 5 phần nghìn"
        expect: {value: 5}
"""


def test_bundled_rules_load_and_every_kind_is_covered(ruleset) -> None:
    assert {r.kind for r in ruleset.rules} == {"score", "rank", "procedure_count", "percentage"}
    assert all(r.examples for r in ruleset.rules)


def test_a_good_extra_rule_loads(tmp_path: Path) -> None:
    root = _copy_rules(tmp_path)
    _add_rule(root, GOOD)
    assert load_rules(root).by_id("test.ok").kind == "percentage"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("'(?P<value>{NUM}) phần nghìn'", "'(?P<value>{NUM} phần nghìn'"), "bad pattern"),
        (("value: num(value)", "valeur: num(value)"), "unknown field 'valeur'"),
        (("value: num(value)", "value: nombre(value)"), "unknown function 'nombre'"),
        (("value: num(value)", "value: num(amount)"), "no group 'amount'"),
        (("{NUM}", "{NUMBER}"), "unknown building block {NUMBER}"),
        (("expect: {value: 5}", "expect: {value: 6}"), "example 'đạt 5 phần nghìn'"),
        (("kind: percentage", "kind: ratio"), "kind must be one of"),
        (("kind: percentage", "kind: percentage\n    column: cell"), "column must be one of"),
    ],
)
def test_broken_rule_is_rejected_with_file_rule_and_reason(tmp_path: Path, change, reason) -> None:
    root = _copy_rules(tmp_path)
    _add_rule(root, GOOD.replace(*change))
    with pytest.raises(RuleError) as info:
        load_rules(root)
    message = str(info.value)
    assert "zz_extra.yaml" in message and "test.ok" in message and reason in message


def test_counter_example_that_matches_is_rejected(tmp_path: Path) -> None:
    root = _copy_rules(tmp_path)
    _add_rule(root, GOOD + "    counter_examples:\n      - \"chỉ 3 phần nghìn\"\n")
    with pytest.raises(RuleError, match="must not match"):
        load_rules(root)


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    root = _copy_rules(tmp_path)
    (root / "zz_evil.yaml").write_text("rules: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(RuleError, match="cannot read YAML"):
        load_rules(root)


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    root = _copy_rules(tmp_path)
    _add_rule(root, GOOD + GOOD)
    with pytest.raises(RuleError, match="duplicate id"):
        load_rules(root)


def test_every_rule_example_passes_the_prefilter(ruleset) -> None:
    """A rule whose trigger the prefilter does not know would silently never run."""
    for rule in ruleset.rules:
        for ex in rule.examples:
            assert ruleset.prefilter.search(ex.text), (rule.id, ex.text)


LINKED = GOOD.replace('"đạt 5 phần nghìn"', '"Năm 2023, tỉnh Hưng Yên đạt 5 phần nghìn"')


def test_an_example_states_subject_index_year_and_they_are_checked(tmp_path: Path) -> None:
    root = _copy_rules(tmp_path)
    _add_rule(root, LINKED.replace("expect: {value: 5}",
                                   "expect: {value: 5, subject: hưng yên, year: 2023, index: null}"))
    assert load_rules(root).by_id("test.ok").examples[0].expect["year"] == 2023


@pytest.mark.parametrize(
    ("expect", "reason"),
    [
        ("{value: 5, subject: Bắc Ninh}", "example 'Năm 2023, tỉnh Hưng Yên"),
        ("{value: 5, year: 2022}", "'year': 2023"),
        ("{value: 5, index: PCI}", "'index': None"),
        ("{value: 5, index: PARINDEX}", "example expects index 'PARINDEX'"),
        ("{value: 5, year: '2023'}", "a year is an int or null"),
        ("{value: 5, subject: ''}", "the linked subject must contain"),
        ("{value: 5, region: Bắc Bộ}", "unknown field(s) ['region']"),
    ],
)
def test_a_wrong_or_bad_linked_expectation_is_rejected(tmp_path: Path, expect, reason) -> None:
    root = _copy_rules(tmp_path)
    _add_rule(root, LINKED.replace("expect: {value: 5}", f"expect: {expect}"))
    with pytest.raises(RuleError) as info:
        load_rules(root)
    assert reason in str(info.value)
