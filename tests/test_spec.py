"""The spec corpus: every case in tests/spec/*.yaml through the public pipeline.

A case that fails names its id, its text and each fact that was missing, extra
or had a wrong field. ``known_failure`` marks what the pipeline gets wrong
today: the case is a strict xfail, so it fails once fixed and must lose the mark.
"""

from __future__ import annotations

import pytest
from spec_corpus import SpecError, compare, format_failure, load_cases, run_case

CASES = load_cases()


def _param(case):  # type: ignore[no-untyped-def]
    marks = [pytest.mark.xfail(strict=True, reason=case.known_failure)] if case.known_failure else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_spec_case(case) -> None:  # type: ignore[no-untyped-def]
    result = run_case(case)
    if not result.ok:
        pytest.fail(format_failure(case, result), pytrace=False)


def test_spec_corpus_size() -> None:
    assert len(CASES) >= 220
    assert sum(1 for c in CASES if not c.facts) >= 20, "too few negative cases"


def test_loader_rejects_bad_cases(tmp_path) -> None:  # type: ignore[no-untyped-def]
    def load(body: str) -> None:
        (tmp_path / "x.yaml").write_text(body, encoding="utf-8")
        load_cases(tmp_path)

    good = "cases:\n- id: a\n  text: t\n  facts:\n  - {kind: rank, position: 1, subject: null, index: null, year: null}\n"
    load(good)
    for body, message in [
        (good.replace("facts:", "fact:"), "unknown key"),
        (good.replace("kind: rank", "kind: ranking"), "kind must be one of"),
        (good.replace(", year: null", ""), "missing key(s) ['year']"),
        (good.replace("position: 1", "positon: 1"), "unknown key(s) ['positon']"),
        (good.replace("index: null", "index: PARINDEX"), "index must be one of"),
        (good + good.split("\n", 1)[1], "id already used"),
    ]:
        with pytest.raises(SpecError, match=message.replace("(", r"\(").replace(")", r"\)")
                           .replace("[", r"\[").replace("]", r"\]")):
            load(body)


def test_compare_names_the_difference() -> None:
    exp = [{"kind": "rank", "position": 1, "out_of": 17, "subject": "Bộ Tài chính",
            "index": "PAR_INDEX", "year": 2023}]
    pred = [{"kind": "rank", "position": 1, "out_of": 17, "text": "số 1", "subject": "Bộ Nội vụ",
             "index": "PAR_INDEX", "year": 2023},
            {"kind": "score", "value": 91.2, "text": "91,2%", "subject": None}]
    problems = compare(exp, pred)
    assert any(p.startswith("wrong") and "subject: expected contains 'Bộ Tài chính', got 'Bộ Nội vụ'"
               in p for p in problems)
    assert any(p.startswith("extra") and "91.2" in p for p in problems)
    assert compare(exp, [])[0].startswith("missing")
