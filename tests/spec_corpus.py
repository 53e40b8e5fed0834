"""The spec corpus (tests/spec/*.yaml): loading, validating and checking one case.

A case is a short text and the complete list of facts expected from it, with
subject, index, component and year, run through the public pipeline
(``newsfacts.pipeline.extract_from_text``). Predicted facts are matched to
expected ones one-to-one as ``../shared/tools/score_facts.py`` does (same kind
and equal key numbers), then every field the case states is compared.
See docs/rules.md, "The spec corpus".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SPEC_DIR = Path(__file__).resolve().parent / "spec"

CASE_KEYS = {"id", "text", "title", "published", "facts", "known_failure", "note"}
CASE_REQUIRED = {"id", "text", "facts"}
LINKED = {"subject", "index", "component", "year"}
LINKED_REQUIRED = {"subject", "index", "year"}
# key numbers, as the reference scorer matches them (a key the case leaves out or sets
# to null is not used for matching; a null it states is still checked afterwards)
KEYS = {
    "score": ("value", "max"),
    "rank": ("position", "out_of", "change"),
    "procedure_count": ("count", "object"),
    "percentage": ("value", "value_max"),
}
REQUIRED = {"score": {"value"}, "rank": set(), "procedure_count": {"count", "object"},
            "percentage": {"value"}}
OWN = {
    "score": {"value", "max", "unit"},
    "rank": {"position", "out_of", "change", "scope", "qualifier"},
    "procedure_count": {"count", "object", "level", "action"},
    "percentage": {"value", "value_max", "qualifier", "is_change", "measure"},
}
ENUMS = {
    "unit": {"point", "percent"},
    "qualifier": {"exact", "top_n", "last", "over", "under", "approx"},
    "object": {"procedure", "online_service", "dossier"},
    "level": {"2", "3", "4", "full", "partial"},
    "index": {"PAR_INDEX", "SIPAS", "PAPI", "PCI", "DDCI", "DTI", "ICT_INDEX",
              "SERVICE_INDEX", "OTHER", None},
}
NUMERIC = {"value", "max", "position", "out_of", "change", "count", "value_max"}
CONTAINS = {"subject", "component", "measure", "action", "scope"}  # folded "contains"


class SpecError(ValueError):
    """A malformed spec file or case; the message names the file, the case and the field."""


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().split())


@dataclass
class Case:
    id: str
    file: str
    text: str
    facts: list[dict[str, Any]]
    title: str | None = None
    published: str | None = None
    known_failure: str | None = None
    note: str | None = None


@dataclass
class Result:
    problems: list[str] = field(default_factory=list)
    predicted: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_fact(where: str, i: int, fact: Any) -> None:
    at = f"{where}: fact #{i}"
    if not isinstance(fact, dict):
        raise SpecError(f"{at}: a fact is a mapping, got {fact!r}")
    kind = fact.get("kind")
    if kind not in KEYS:
        raise SpecError(f"{at}: kind must be one of {sorted(KEYS)}, got {kind!r}")
    allowed = {"kind", "optional"} | LINKED | OWN[kind]
    unknown = set(fact) - allowed
    if unknown:
        raise SpecError(f"{at} ({kind}): unknown key(s) {sorted(unknown)}; "
                        f"allowed: {sorted(allowed)}")
    missing = (REQUIRED[kind] | LINKED_REQUIRED) - set(fact)
    if missing:
        raise SpecError(f"{at} ({kind}): missing key(s) {sorted(missing)} "
                        "(subject, index and year are required; write null when none)")
    if kind == "rank" and all(fact.get(k) is None for k in ("position", "out_of", "change")) \
            and fact.get("qualifier") != "last":
        raise SpecError(f"{at} (rank): needs a position, out_of or change (or qualifier last)")
    for k, v in fact.items():
        if k in ENUMS and v not in ENUMS[k] and not (v is None and k != "unit"):
            raise SpecError(f"{at}: {k} must be one of {sorted(map(str, ENUMS[k]))}, got {v!r}")
        if k in NUMERIC and v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
            raise SpecError(f"{at}: {k} must be a number or null, got {v!r}")
    year = fact.get("year")
    years = year if isinstance(year, list) else [year]
    if not all(y is None or (isinstance(y, int) and 1900 < y < 2100) for y in years):
        raise SpecError(f"{at}: year must be an int (or a list of ints) or null, got {year!r}")
    subj = fact.get("subject")
    subjects = subj if isinstance(subj, list) else [subj]
    if not all(s is None or (isinstance(s, str) and s.strip()) for s in subjects):
        raise SpecError(f"{at}: subject must be a non-empty string, a list of them, or null")
    for k in ("is_change", "optional"):
        if k in fact and not isinstance(fact[k], bool):
            raise SpecError(f"{at}: {k} must be true or false, got {fact[k]!r}")


def load_cases(root: Path = SPEC_DIR) -> list[Case]:
    """Every case of every ``*.yaml`` under ``root``, validated; raises SpecError."""
    cases: list[Case] = []
    seen: dict[str, str] = {}
    files = sorted(root.glob("*.yaml"))
    if not files:
        raise SpecError(f"{root}: no spec files")
    for path in files:
        where = path.name
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            raise SpecError(f"{where}: not YAML: {e}") from e
        if not isinstance(data, dict) or set(data) - {"description", "cases"} \
                or not isinstance(data.get("cases"), list):
            raise SpecError(f"{where}: a spec file is a mapping with 'cases' (a list) "
                            "and an optional 'description'")
        for n, raw in enumerate(data["cases"], 1):
            at = f"{where}: case #{n}"
            if not isinstance(raw, dict):
                raise SpecError(f"{at}: a case is a mapping, got {raw!r}")
            at = f"{where}: case {raw.get('id', '#' + str(n))!r}"
            unknown = set(raw) - CASE_KEYS
            if unknown:
                raise SpecError(f"{at}: unknown key(s) {sorted(unknown)}; allowed: {sorted(CASE_KEYS)}")
            missing = CASE_REQUIRED - set(raw)
            if missing:
                raise SpecError(f"{at}: missing key(s) {sorted(missing)}")
            cid = raw["id"]
            if not isinstance(cid, str) or not cid.strip() or " " in cid:
                raise SpecError(f"{at}: id must be a non-empty string without spaces")
            if cid in seen:
                raise SpecError(f"{at}: id already used in {seen[cid]}")
            seen[cid] = where
            for k in ("text", "title", "published", "known_failure", "note"):
                if k in raw and raw[k] is not None and not (isinstance(raw[k], str) and raw[k].strip()):
                    raise SpecError(f"{at}: {k} must be a non-empty string")
            if not isinstance(raw["facts"], list):
                raise SpecError(f"{at}: facts must be a list ([] for a negative case)")
            for i, fact in enumerate(raw["facts"], 1):
                _check_fact(at, i, fact)
            cases.append(Case(id=cid, file=where, text=raw["text"].strip(), facts=raw["facts"],
                              title=raw.get("title"), published=raw.get("published"),
                              known_failure=raw.get("known_failure"), note=raw.get("note")))
    return cases


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and not isinstance(a, bool) and isinstance(b, (int, float)) \
            and not isinstance(b, bool):
        return abs(float(a) - float(b)) < 1e-6
    return bool(a == b)


def _key_match(exp: dict[str, Any], pred: dict[str, Any]) -> bool:
    if pred.get("kind") != exp["kind"]:
        return False
    return all(_same(exp[k], pred.get(k)) for k in KEYS[exp["kind"]]
               if exp.get(k) is not None)


def _field_ok(name: str, want: Any, got: Any) -> bool:
    if name == "year":
        years = want if isinstance(want, list) else [want]
        return got in years if want is not None else got is None
    if name in CONTAINS:
        if want is None:
            return got is None
        options = want if isinstance(want, list) else [want]
        return got is not None and any(fold(o) in fold(str(got)) for o in options)
    if want is None:
        return got is None or (name == "is_change" and got is False)
    return _same(want, got)


def _diffs(exp: dict[str, Any], pred: dict[str, Any]) -> list[str]:
    out = []
    for k, want in exp.items():
        if k in ("kind", "optional"):
            continue
        got = pred.get(k)
        if not _field_ok(k, want, got):
            rule = "contains " if k in CONTAINS and want is not None else ""
            out.append(f"{k}: expected {rule}{want!r}, got {got!r}")
    return out


def describe(fact: dict[str, Any]) -> str:
    keys = [k for k in KEYS[fact["kind"]] if fact.get(k) is not None]
    parts = [f"{k}={fact[k]!r}" for k in keys]
    for k in ("unit", "qualifier", "level", "is_change", "subject", "index", "component", "year"):
        if k in fact and fact[k] not in (None, False) and k not in keys:
            parts.append(f"{k}={fact[k]!r}")
    if "text" in fact:
        parts.append(f"at {fact['text']!r}")
    return f"{fact['kind']} " + " ".join(parts)


def compare(expected: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> list[str]:
    """Problems, one a line: missing, extra, or a matched fact whose fields differ."""
    used = [False] * len(predicted)
    problems: list[str] = []
    order = sorted(range(len(expected)), key=lambda i: bool(expected[i].get("optional")))
    for ei in order:
        exp = expected[ei]
        best, best_diffs = None, None
        for pi, pred in enumerate(predicted):
            if used[pi] or not _key_match(exp, pred):
                continue
            d = _diffs(exp, pred)
            if best_diffs is None or len(d) < len(best_diffs):
                best, best_diffs = pi, d
        if best is None:
            if not exp.get("optional"):
                problems.append(f"missing  #{ei + 1}: {describe(exp)}")
            continue
        used[best] = True
        if best_diffs and not exp.get("optional"):
            problems.append(f"wrong    #{ei + 1}: {describe(exp)} "
                            f"(found at {predicted[best].get('text')!r}): " + "; ".join(best_diffs))
    for pi, pred in enumerate(predicted):
        if not used[pi]:
            problems.append(f"extra      : {describe(pred)}")
    return problems


def run_case(case: Case) -> Result:
    from newsfacts.pipeline import extract_from_text

    # a title is the first line of the article, as the CLI reads a text file (the linker
    # looks for the title's year, index and subject at the start of the text)
    text = case.text
    if case.title and not text.startswith(case.title):
        text = f"{case.title}\n\n{text}"
    facts, _ = extract_from_text(text, title=case.title, published=case.published)
    predicted = [f.model_dump() for f in facts]
    return Result(compare(case.facts, predicted), predicted)


def format_failure(case: Case, result: Result) -> str:
    lines = [f"spec case {case.id} ({case.file}) fails:"]
    if case.title:
        lines.append(f"  title: {case.title}")
    if case.published:
        lines.append(f"  published: {case.published}")
    lines.append("  text:  " + case.text.replace("\n", "\n         "))
    lines += ["  " + p for p in result.problems]
    return "\n".join(lines)
