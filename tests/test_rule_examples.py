"""Every rule's own examples as a test case named after the rule.

The rules folder is the one ``newsfacts`` uses (``$NEWSFACTS_RULES`` or the
bundled ``rules/``), so a broken example fails ``make test`` with the rule id
in the test name and the example, what was expected and what came out in the
message.
"""

from __future__ import annotations

import pytest

from newsfacts.audit import format_rule_results, run_rule_examples
from newsfacts.resources import load_resources

RESOURCES = load_resources(check=False)
RULESET = RESOURCES.rules


@pytest.mark.parametrize("rule", RULESET.rules, ids=[r.id for r in RULESET.rules])
def test_rule_examples(rule) -> None:  # type: ignore[no-untyped-def]
    results = run_rule_examples(RESOURCES, rule)
    failed = [r for r in results if not r.ok]
    assert not failed, "\n" + format_rule_results({rule.id: results})


def test_every_rule_has_a_must_match_example() -> None:
    assert all(rule.examples for rule in RULESET.rules)
