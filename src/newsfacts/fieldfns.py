"""Field functions: how a rule's groups become a fact's fields ("num(v)", "left(indexes, …)").

They live apart from the loader in ``rules.py`` because they are the vocabulary a rule file
writes in: a reader auditing a field looks here, one who changes how rules load looks there.
Every function takes the match's context and the rule's arguments, and returns the value
or None, never raising on odd text: a field that cannot be read is left empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import regex

from . import numbers


@dataclass(frozen=True)
class MatchContext:
    """What a field function may look at: the match, its sentence and the lexicons."""

    match: Any
    sentence: str
    lexicons: dict[str, dict[str, list[str]]]

    def group(self, name: str) -> str | None:
        try:
            value = self.match.group(name)
        except (IndexError, regex.error):
            return None
        return value if value else None


FieldFn = Callable[..., Any]


def _first(ctx: MatchContext, *groups: str) -> str | None:
    for g in groups:
        value = ctx.group(g)
        if value is not None:
            return value
    return None


def _fn_num(ctx: MatchContext, *groups: str) -> float | None:
    s = _first(ctx, *groups)
    return None if s is None else numbers.parse_number(s)


def _fn_int(ctx: MatchContext, *groups: str) -> int | None:
    s = _first(ctx, *groups)
    return None if s is None else numbers.parse_int(s)


def _fn_ordinal(ctx: MatchContext, *groups: str) -> int | None:
    s = _first(ctx, *groups)
    return None if s is None else numbers.parse_ordinal(s)


def _fn_scaled(ctx: MatchContext, group: str, scale: str) -> int | None:
    s = ctx.group(group)
    if s is None:
        return None
    value = numbers.apply_scale(numbers.parse_number(s), ctx.group(scale))
    if abs(value - round(value)) > 1e-6:
        raise ValueError(f"count {s!r} is not whole")
    return round(value)


def _fn_signed(ctx: MatchContext, *pairs: str) -> int | None:
    """signed(dir, n[, dir2, n2]): +n for tăng/lên, -n for giảm/tụt/xuống."""
    negative = set(ctx.lexicons.get("direction", {}).get("down", []))
    for direction, amount in zip(pairs[::2], pairs[1::2], strict=False):
        d, n = ctx.group(direction), ctx.group(amount)
        if d is not None and n is not None:
            value = numbers.parse_int(n)
            return -value if d.lower() in negative else value
    return None


def _fn_climb(ctx: MatchContext, old: str, new: str) -> int | None:
    """climb(old, new): the places gained from one rank to another ("từ hạng 7 lên hạng 3"
    is +4, "từ vị trí thứ 2 xuống vị trí thứ 6" is -4); None when either is not a number."""
    a, b = ctx.group(old), ctx.group(new)
    if a is None or b is None:
        return None
    try:
        return numbers.parse_ordinal(a) - numbers.parse_ordinal(b)
    except ValueError:
        return None


def _lookup(ctx: MatchContext, lexicon: str, surface: str) -> str | None:
    s = " ".join(surface.lower().split())
    for key, forms in ctx.lexicons[lexicon].items():
        if s in forms:
            return key
    return None


def _fn_map(ctx: MatchContext, lexicon: str, *groups: str) -> str | None:
    """map(lexicon, group): the lexicon key whose forms contain the group's text."""
    s = _first(ctx, *groups)
    return None if s is None else _lookup(ctx, lexicon, s)


def _fn_text(ctx: MatchContext, *groups: str) -> str | None:
    s = _first(ctx, *groups)
    return " ".join(s.split()).strip(" ,;:") or None if s else None


def _fn_present(ctx: MatchContext, *groups: str) -> bool:
    return _first(ctx, *groups) is not None


_CLAUSE_BREAK = regex.compile(r"[;:.!?()\"“”]|,\s*(?:trong đó|còn|nhưng|song)\b")


def _left_words(ctx: MatchContext, limit: int) -> list[str]:
    before = ctx.sentence[: ctx.match.start()]
    # Only the last clause break can cut the last ``limit`` words, and it is among the
    # breaks of the last ``limit`` + 3 words: a break spans three words at most (", trong
    # đó") and breaks never overlap, so a scan from there finds the breaks a scan of the
    # whole head finds there. Scanning the whole head made a long sentence quadratic.
    head = before.rsplit(None, limit + 3)
    from_ = len(head[0]) if len(head) > limit + 3 else 0
    last = None
    for last in _CLAUSE_BREAK.finditer(before, from_):  # noqa: B007 - the last one is wanted
        pass
    if last is not None:
        before = before[last.end():]
    words = before.split()[-limit:]
    # another figure in between ends the reach: "tăng 2,54%, đạt 85,11%" — 85,11% is no change
    figures = [i for i, w in enumerate(words) if any(c.isdigit() for c in w)]
    return words[figures[-1] + 1:] if figures else words


def _nearest_left(ctx: MatchContext, lexicon: str, words: str) -> tuple[str, str] | None:
    """The lexicon phrase nearest before the match within N words of its clause (the
    longer one on a tie), as (its lexicon key, the words as written)."""
    left = _left_words(ctx, int(words))
    low = [w.lower().strip(",") for w in left]
    present = set(low)
    best: tuple[int, int, str, str] | None = None  # (distance, -length, key, surface)
    for key, last, parts in _split_forms(ctx.lexicons[lexicon]):
        if last is not None and last not in present:
            continue  # its last word is not there: no place where it ends (most forms)
        for end in range(len(low), len(parts) - 1, -1):
            if low[end - len(parts):end] == parts:
                cand = (len(low) - end, -len(parts), key, " ".join(left[end - len(parts):end]))
                if best is None or cand < best:
                    best = cand
                break
    return None if best is None else (best[2], best[3].strip(","))


_SPLIT_FORMS: dict[int, tuple[dict[str, list[str]], list[tuple[str, str | None, list[str]]]]] = {}


def _split_forms(table: dict[str, list[str]]) -> list[tuple[str, str | None, list[str]]]:
    """A lexicon's forms as (key, last word or None for an empty form, words), in order: split
    once per table (built at load, never changed), not once per figure and form."""
    held = _SPLIT_FORMS.get(id(table))
    if held is None or held[0] is not table:
        split = [(key, f.split()[-1] if f.split() else None, f.split()) for key, forms in table.items() for f in forms]
        held = _SPLIT_FORMS[id(table)] = (table, split)
    return held[1]


def _fn_left(ctx: MatchContext, lexicon: str, words: str, default: str | None = None) -> Any:
    """left(lexicon, N[, default]): key of the lexicon phrase nearest before the match
    within N words of the same clause — "trên 95%" -> over, "ước tăng 7%" -> approx."""
    found = _nearest_left(ctx, lexicon, words)
    return _literal(default) if found is None else found[0]


def _fn_near(ctx: MatchContext, lexicon: str, words: str) -> bool:
    """near(lexicon, N): whether a lexicon phrase stands within N words before the match."""
    return _nearest_left(ctx, lexicon, words) is not None


def _fn_left_phrase(ctx: MatchContext, lexicon: str, words: str) -> str | None:
    """left_phrase(lexicon, N): the lexicon phrase nearest before the match, as written."""
    found = _nearest_left(ctx, lexicon, words)
    return None if found is None else found[1]


def _literal(value: str | None) -> Any:
    if value is None or value == "null":
        return None
    if value in ("true", "false"):
        return value == "true"
    return value


FUNCTIONS: dict[str, FieldFn] = {
    "num": _fn_num, "int": _fn_int, "ordinal": _fn_ordinal, "scaled": _fn_scaled,
    "signed": _fn_signed, "climb": _fn_climb, "map": _fn_map, "text": _fn_text, "present": _fn_present,
    "left": _fn_left, "left_phrase": _fn_left_phrase, "near": _fn_near,
}
# Arguments of these functions that name a lexicon or a literal, not a group.
NON_GROUP_ARGS = {"map": {0}, "left": {0, 1, 2}, "left_phrase": {0, 1}, "near": {0, 1}}


@dataclass
class FieldSpec:
    name: str
    fn: str | None
    args: tuple[str, ...] = ()
    value: Any = None

    def evaluate(self, ctx: MatchContext) -> Any:
        if self.fn is None:
            return self.value
        return FUNCTIONS[self.fn](ctx, *self.args)
