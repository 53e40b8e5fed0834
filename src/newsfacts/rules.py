"""Rules as data: load, compile and check the YAML rule files in ``rules/``.

A rule names the kind of fact it makes, a pattern assembled from named
building blocks (``{NUM}``, ``{INDEX}`` … defined in ``rules/blocks.yaml``),
how its groups fill the fact's fields, a priority, and its own examples.
Everything is checked at load time — a bad pattern, an unknown field or
function, a missing group or a failing example stops the load with the file,
the rule id and the reason — so a broken rule never reaches a run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import regex
import yaml

from . import patterncache, required, triggers
from .errors import RuleError
from .fieldfns import FUNCTIONS, NON_GROUP_ARGS, FieldSpec
from .lexicons import read_yaml
from .models import KINDS, IndexCode, PercentageFact, ProcedureCountFact, RankFact, ScoreFact

MATCH_TIMEOUT_S = 0.25
_KIND_FIELDS = {
    "score": set(ScoreFact.model_fields),
    "rank": set(RankFact.model_fields),
    "procedure_count": set(ProcedureCountFact.model_fields),
    "percentage": set(PercentageFact.model_fields),
}
_ATTRIBUTES = {"subject", "index", "component", "year"}
_RULE_KEYS = {"id", "kind", "priority", "pattern", "fields", "requires", "forbids",
              "examples", "counter_examples", "description", "flags", "column"}
# Column roles a rule may read the cells of (see newsfacts.tables).
COLUMNS = ("score", "score_percent", "rank", "rank_value_percent")  # the last: "3 (91,2%)"'s share
_CALL = regex.compile(r"^(\w+)\(([^()]*)\)$")
_BLOCK_REF = regex.compile(r"(?<!\\[pP])\{([A-Z][A-Z0-9_]*)\}")


# --------------------------------------------------------------------------- rules
@dataclass
class Example:
    text: str
    expect: dict[str, Any] = field(default_factory=dict)
    span: str | None = None


@dataclass
class Rule:
    id: str
    kind: str
    pattern: str
    regex: Any
    fields: list[FieldSpec]
    priority: int = 0
    order: int = 0
    file: str = ""
    requires: Any = None
    forbids: Any = None
    # ``requires`` for lower-cased text without case folding (plain-word triggers only).
    requires_lower: Any = None
    # The words of such a trigger, lower-cased: it is in a sentence when one of them is.
    requires_words: tuple[str, ...] | None = None
    # Words of which the pattern's every match holds one per clause (``required``), and
    # the characters that, in a text, keep them from deciding (see ``required.odd_cases``).
    needs: required.Clauses = ()
    needs_odd: frozenset[str] = frozenset()
    # The same for ``requires`` (asked before it is searched, when it has no plain words)
    # and for ``forbids``.
    requires_needs: required.Clauses = ()
    requires_odd: frozenset[str] = frozenset()
    forbids_needs: required.Clauses = ()
    forbids_odd: frozenset[str] = frozenset()
    examples: list[Example] = field(default_factory=list)
    counter_examples: list[str] = field(default_factory=list)
    description: str = ""
    source_pattern: str = ""
    # The pattern can only match at the start of a text ("^…", one alternative, no
    # MULTILINE): it is tried there, not at every position of the sentence.
    anchored: bool = False
    # A rule with a column reads only the cells of table columns with that role
    # (newsfacts.tables), never whole sentences.
    column: str = ""


@dataclass
class RuleSet:
    rules: list[Rule]
    blocks: dict[str, str]
    lexicons: dict[str, dict[str, list[str]]]
    prefilter: Any
    root: Path
    # The prefilter without case folding, for lower-cased text: ~2.5x faster, and used
    # only when it agrees with ``prefilter`` on every rule example (checked at load).
    prefilter_lower: Any = None
    # ``prefilter_lower`` as its alternatives (see ``triggers``), when they agree with it
    # on every rule example (checked at load).
    prefilter_parts: triggers.Alternatives | None = None
    # Derived from ``rules`` once: the rules run on sentences, and those that read the
    # cells of a table column (``column``), by column role.
    sentence_rules: list[Rule] = field(init=False)
    column_rules: dict[str, list[Rule]] = field(init=False)
    # What matching works out once per rule set, not per document (``extract``'s plan of
    # the sentence rules' triggers), by what it is for.
    plans: dict[Any, Any] = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.sentence_rules, self.column_rules = split_by_column(self.rules)

    def prefilter_for(self, lowered: str | None) -> triggers.Alternatives | None:
        """The prefilter's alternatives that can match in a document (``lowered`` = its text
        lower-cased), for :meth:`worth_trying`'s ``parts``; None when there are none to use."""
        if self.prefilter_parts is None or lowered is None:
            return None
        return self.prefilter_parts.for_document(lowered)

    def worth_trying(self, text: str, lowered: str | None = None, start: int = 0,
                     end: int | None = None, parts: triggers.Alternatives | None = None) -> bool:
        """Whether ``text[start:end]`` can hold a figure at all (``lowered`` = text.lower();
        ``parts`` = :meth:`prefilter_for` of a document ``lowered`` lies in, which decides
        the same, sooner). The prefilter runs under the match time limit, as every user
        pattern; one that times out says True."""
        end = len(text) if end is None else end
        try:
            if lowered is not None and self.prefilter_lower is not None:
                if parts is None and self.prefilter_parts is not None:
                    parts = self.prefilter_parts
                if parts is not None:
                    return parts.search(lowered, start, end, timeout=MATCH_TIMEOUT_S)
                return self.prefilter_lower.search(lowered, start, end,
                                                   timeout=MATCH_TIMEOUT_S) is not None
            return self.prefilter.search(text, start, end, timeout=MATCH_TIMEOUT_S) is not None
        except TimeoutError:
            return True  # undecided: the rules decide, each under its own time limit

    def by_id(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def split_by_column(rules: list[Rule]) -> tuple[list[Rule], dict[str, list[Rule]]]:
    """``rules`` as those run on sentences and those that read table cells, by column role."""
    by_column: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.column:
            by_column.setdefault(rule.column, []).append(rule)
    return [r for r in rules if not r.column], by_column


# A trigger of plain words joined by "|": searched lower-cased, in linear time (no time limit).
_LITERALS = regex.compile(r"[^\\()\[\]{}*+?.^$]+")


def _expand(pattern: str, blocks: dict[str, str], where: str, rule_id: str | None) -> str:
    for _ in range(12):
        missing = [name for name in _BLOCK_REF.findall(pattern) if name not in blocks]
        if missing:
            raise RuleError(where, rule_id, f"unknown building block {{{missing[0]}}}")
        new = _BLOCK_REF.sub(lambda m: "(?:" + blocks[m.group(1)] + ")", pattern)
        if new == pattern:
            return new
        pattern = new
    raise RuleError(where, rule_id, "building blocks nest too deep (a cycle?)")


def _compile(pattern: str, where: str, rule_id: str | None) -> Any:
    try:
        return patterncache.compile_pattern(pattern, regex.IGNORECASE | regex.VERSION0)
    except regex.error as exc:
        raise RuleError(where, rule_id, f"bad pattern: {exc}") from None


def _safe_load(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return read_yaml(fh)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RuleError(str(path), None, f"cannot read YAML: {exc}") from None


def _parse_field(name: str, raw: Any, rule: Rule, lexicons: dict[str, Any]) -> FieldSpec:
    if isinstance(raw, str) and (call := _CALL.match(raw.strip())):
        fn = call.group(1)
        args = tuple(a.strip() for a in call.group(2).split(",") if a.strip())
        if fn not in FUNCTIONS:
            raise RuleError(rule.file, rule.id, f"field {name!r}: unknown function {fn!r}")
        skip = NON_GROUP_ARGS.get(fn, set())
        for i, arg in enumerate(args):
            if i in skip:
                if i == 0 and arg not in lexicons:
                    raise RuleError(rule.file, rule.id, f"field {name!r}: unknown lexicon {arg!r}")
                continue
            if arg not in rule.regex.groupindex:
                raise RuleError(rule.file, rule.id, f"field {name!r}: pattern has no group {arg!r}")
        return FieldSpec(name, fn, args)
    return FieldSpec(name, None, (), raw)


def _build_rule(raw: dict[str, Any], file: str, order: int, blocks: dict[str, str],
                lexicons: dict[str, Any]) -> Rule:
    rule_id = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(rule_id, str):
        raise RuleError(file, None, f"rule #{order + 1} needs an 'id'")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise RuleError(file, rule_id, f"unknown key(s): {', '.join(sorted(unknown))}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise RuleError(file, rule_id, f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not isinstance(raw.get("pattern"), str):
        raise RuleError(file, rule_id, "needs a 'pattern' string")
    expanded = _expand(raw["pattern"], blocks, file, rule_id)
    rule = Rule(
        id=rule_id, kind=kind, pattern=expanded, regex=_compile(expanded, file, rule_id),
        fields=[], priority=int(raw.get("priority", 0)), order=order, file=file,
        description=str(raw.get("description", "")).strip(), source_pattern=raw["pattern"],
        column=str(raw.get("column") or ""),
    )
    if rule.column and rule.column not in COLUMNS:
        raise RuleError(file, rule_id, f"column must be one of {', '.join(COLUMNS)}, not {rule.column!r}")
    for key in ("requires", "forbids"):
        if raw.get(key):
            setattr(rule, key, _compile(_expand(raw[key], blocks, file, rule_id), file, rule_id))
    if rule.requires is not None and _LITERALS.fullmatch(rule.requires.pattern):
        rule.requires_lower = patterncache.compile_pattern(rule.requires.pattern.lower(), regex.VERSION0)
    if rule.requires is not None:
        rule.requires_needs = required.required_words(rule.requires.pattern)
        rule.requires_odd = required.odd_cases(rule.requires.pattern, rule.requires_needs)
    if rule.forbids is not None:
        rule.forbids_needs = required.required_words(rule.forbids.pattern)
        rule.forbids_odd = required.odd_cases(rule.forbids.pattern, rule.forbids_needs)
    words = triggers.literal_language(rule.requires.pattern) if rule.requires is not None else None
    if words is not None and all(words):
        rule.requires_words = tuple(dict.fromkeys(w.lower() for w in words))
    rule.needs = required.required_words(expanded)
    rule.anchored = expanded.startswith("^") and not rule.regex.flags & regex.MULTILINE \
        and triggers.split_alternatives(expanded) == [expanded]
    rule.needs_odd = required.odd_cases(expanded, rule.needs)
    allowed = _KIND_FIELDS[kind] - {"kind", "text", "span", "sentence", "rule", "evidence"}
    for name, spec in (raw.get("fields") or {}).items():
        if name not in allowed:
            raise RuleError(file, rule_id, f"unknown field {name!r} for kind {kind}")
        rule.fields.append(_parse_field(name, spec, rule, lexicons))
    for ex in raw.get("examples") or []:
        if isinstance(ex, str):
            ex = {"text": ex}
        if not isinstance(ex, dict) or "text" not in ex:
            raise RuleError(file, rule_id, "an example needs 'text'")
        bad = set(ex.get("expect") or {}) - (allowed | {"subject", "index", "year", "component"})
        if bad:
            raise RuleError(file, rule_id, f"example expects unknown field(s) {sorted(bad)}")
        _check_linked_expect(ex.get("expect") or {}, file, rule_id)
        rule.examples.append(Example(ex["text"], dict(ex.get("expect") or {}), ex.get("span")))
    rule.counter_examples = [str(s) for s in raw.get("counter_examples") or []]
    if not rule.examples:
        raise RuleError(file, rule_id, "a rule needs at least one example it must match")
    return rule


def _check_linked_expect(expect: dict[str, Any], file: str, rule_id: str | None) -> None:
    """subject/index/year/component in an example are checked by linking the example text
    (``extract.check_rule_examples``), so a value that can never be linked is an error here."""
    codes = get_args(IndexCode)
    if "index" in expect and expect["index"] is not None and expect["index"] not in codes:
        raise RuleError(file, rule_id, f"example expects index {expect['index']!r}; "
                        f"an index is one of {list(codes)} or null")
    year = expect.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise RuleError(file, rule_id, f"example expects year {year!r}; a year is an int or null")
    for key in ("subject", "component"):
        value = expect.get(key)
        if value is not None and not (isinstance(value, str) and value.strip()):
            raise RuleError(file, rule_id, f"example expects {key} {value!r}; it is the text the "
                            f"linked {key} must contain, or null")


def iter_rule_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.glob("*.yaml")):
        if path.name != "blocks.yaml":
            yield path


def load_rules(root: str | os.PathLike[str], check: bool = True,
               vocab: Callable[[], Any] | None = None) -> RuleSet:
    """Load and validate every rule of the rules root ``root``; with ``check``, every
    example must pass too (linked with ``vocab``, else with the lexicons of
    ``root/lexicons``). The rules alone: :func:`newsfacts.resources.load_resources` loads
    a whole root (rules, lexicons, site profiles), which is what a run needs."""
    base = Path(root)
    blocks_file = base / "blocks.yaml"
    if not blocks_file.is_file():
        raise RuleError(str(blocks_file), None, "missing: the building blocks every rule uses")
    data = _safe_load(blocks_file) or {}
    blocks = {str(k): str(v) for k, v in (data.get("blocks") or {}).items()}
    lexicons = {
        str(name): {str(k): [" ".join(str(f).lower().split()) for f in v] for k, v in table.items()}
        for name, table in (data.get("lexicons") or {}).items()
    }
    for name in blocks:
        _compile(_expand(blocks[name], blocks, str(blocks_file), None), str(blocks_file), name)
    prefilter = _compile(_expand(str(data.get("prefilter", ".")), blocks, str(blocks_file), None),
                         str(blocks_file), "prefilter")
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in iter_rule_files(base):
        content = _safe_load(path) or {}
        if not isinstance(content, dict) or not isinstance(content.get("rules"), list):
            raise RuleError(str(path), None, "a rule file holds a top-level 'rules:' list")
        for raw in content["rules"]:
            rule = _build_rule(raw, str(path), len(rules), blocks, lexicons)
            if rule.id in seen:
                raise RuleError(str(path), rule.id, f"duplicate id (also in {seen[rule.id]})")
            seen[rule.id] = str(path)
            rules.append(rule)
    ruleset = RuleSet(rules, blocks, lexicons, prefilter, base)
    lower = patterncache.compile_pattern(prefilter.pattern, regex.VERSION0)
    try:
        if all(lower.search(ex.text.lower(), timeout=MATCH_TIMEOUT_S)
               for rule in rules for ex in rule.examples):
            ruleset.prefilter_lower = lower
            ruleset.prefilter_parts = _prefilter_parts(lower, rules)
    except TimeoutError:
        pass  # the case-folding prefilter then, under its own limit
    if check:
        check_examples(ruleset, vocab if vocab is not None else _vocab_of(base / "lexicons"))
    return ruleset


def _prefilter_parts(lower: Any, rules: list[Rule]) -> triggers.Alternatives | None:
    """The lower-cased prefilter as its alternatives, when they decide as it does on every
    example and counter-example of the rules (else None: the pattern is searched whole)."""
    texts = [t.lower() for rule in rules for t in (*(ex.text for ex in rule.examples), *rule.counter_examples)]
    return triggers.checked_alternatives(lower, texts, lambda p: patterncache.compile_pattern(p, regex.VERSION0),
                                         MATCH_TIMEOUT_S)


def check_examples(ruleset: RuleSet, vocab: Callable[[], Any]) -> None:
    """Every rule's examples must pass; the first failure raises a RuleError. ``vocab``
    gives the compiled lexicons (``Resources.vocab``) that examples stating a subject,
    index, year or component are linked with."""
    from .audit.examples import check_rule_examples  # local: it matches and links rules

    for rule in ruleset.rules:
        failures = check_rule_examples(ruleset, rule, vocab)
        if failures:
            raise RuleError(rule.file, rule.id, failures[0])


def _vocab_of(folder: Path) -> Callable[[], Any]:
    """The lexicons of ``folder``, loaded and compiled on the first call (only an example
    that states a linked attribute needs them)."""
    built: list[Any] = []

    def vocab() -> Any:
        if not built:
            from .entities import build_vocab
            from .lexicons import load_lexicons, load_word_lists
            from .link.words import LinkWords

            built.append(build_vocab(load_lexicons(folder), load_word_lists(folder),
                                     LinkWords.load(folder)))
        return built[0]

    return vocab
