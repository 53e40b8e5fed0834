"""Panel rows: a group of figures becomes one row with its chosen values, its sources
and its conflicts.

Two tables: the panel (one row per subject, index, component and year, holding the
score and the rank) and the measures (one row per subject, measure and year: the
percentages and procedure counts, in tidy form). Their columns are written here once;
every output format takes them from :data:`PANEL_COLUMNS` and :data:`MEASURE_COLUMNS`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from .choose import Candidate, Choice, Mention, candidates, choose
from .store import RANK, SCORE, FactStore

SUBJECT_COLUMNS = ("subject_id", "subject", "subject_kind", "mapped_from")
PANEL_COLUMNS: tuple[str, ...] = (
    *SUBJECT_COLUMNS, "index", "component", "year",
    "value", "unit", "max", "score_articles", "score_chosen_by",
    "position", "out_of", "change", "rank_articles", "rank_chosen_by",
    "articles", "conflict", "competing", "sources")
MEASURE_COLUMNS: tuple[str, ...] = (
    *SUBJECT_COLUMNS, "kind", "measure", "index", "year",
    "value", "value_max", "qualifier", "is_change", "object", "level", "action",
    "articles", "agreeing", "chosen_by", "conflict", "competing", "sources")
# Columns that hold a list or a mapping: nested in JSON Lines, JSON text elsewhere.
NESTED = ("competing", "sources")
# What each column stores, for typed outputs (SQLite, Parquet).
TYPES: dict[str, type] = {
    **dict.fromkeys((*SUBJECT_COLUMNS, "index", "component", "unit", "score_chosen_by",
                     "rank_chosen_by", "kind", "measure", "qualifier", "object", "level",
                     "action", "chosen_by", *NESTED), str),
    **dict.fromkeys(("year", "score_articles", "position", "out_of", "change", "rank_articles",
                     "articles", "agreeing"), int),
    **dict.fromkeys(("value", "max", "value_max"), float),
    "conflict": bool, "is_change": bool,
}
_SOURCE_FIELDS = ("doc_id", "url", "published", "subject", "sentence", "rule", "fact", "text")
_KIND_OF = {0: "score", 1: "rank", 2: "percentage", 3: "procedure_count"}
_VALUE_FIELD = {0: "value", 1: "position", 2: "value", 3: "value"}


def _mentions(figures: list[dict[str, Any]]) -> list[Mention]:
    return [Mention(f["vkey"], f["doc"], f["doc_id"], f["published_key"], f) for f in figures]


def _sources(figures: list[dict[str, Any]], kept: dict[int, str]) -> list[dict[str, Any]]:
    """Every figure's source, the chosen value's first; ``kept`` is each table's winning
    value key."""
    out = []
    for f in figures:
        tbl = f["tbl"]
        src = {"kind": _KIND_OF[tbl], **{k: f.get(k) for k in _SOURCE_FIELDS},
               "value": f.get(_VALUE_FIELD[tbl]), "agrees": f["vkey"] == kept.get(tbl)}
        out.append((f["published_key"], src))
    out.sort(key=lambda p: (p[1]["kind"] != "score", not p[1]["agrees"], p[0], p[1]["doc_id"] or "",
                            p[1]["fact"] if isinstance(p[1]["fact"], int) else 0))
    return [src for _, src in out]


def _competing(choice: Choice, value: str) -> list[dict[str, Any]]:
    return [{value: c.common(value), "articles": c.articles,
             "doc_ids": sorted({m.doc_id for m in c.mentions})} for c in choice.others]


def _subject(key_sid: str, mfrom: str | None, figures: list[dict[str, Any]]) -> dict[str, Any]:
    names = Counter(f.get("sname") for f in figures)
    top = max(names.values())
    return {"subject_id": key_sid, "subject": min(str(n) for n, c in names.items() if c == top),
            "subject_kind": figures[0].get("skind"), "mapped_from": mfrom}


def panel_rows(store: FactStore) -> Iterator[dict[str, Any]]:
    """One row per (index, subject, mapped from, component, year), sorted so."""
    for (idx, sid, mfrom, comp, year), figures in store.groups(measures=False):
        row: dict[str, Any] = dict.fromkeys(PANEL_COLUMNS)
        row.update(_subject(sid, mfrom, figures), index=idx, component=comp, year=year)
        kept: dict[int, str] = {}
        competing: dict[str, Any] = {}
        for tbl, name in ((SCORE, "score"), (RANK, "rank")):
            cands = candidates(_mentions([f for f in figures if f["tbl"] == tbl]))
            if not cands:
                continue
            choice = choose(cands)
            win: Candidate = choice.winner
            kept[tbl] = win.vkey
            if tbl == SCORE:
                row.update(value=win.common("value"), unit=win.common("unit"), max=win.common("max"),
                           score_articles=win.articles, score_chosen_by=choice.chosen_by)
            else:
                row.update(position=win.common("position"), out_of=win.common("out_of"),
                           change=win.common("change"), rank_articles=win.articles,
                           rank_chosen_by=choice.chosen_by)
            if choice.conflict:
                competing[name] = _competing(choice, "value" if tbl == SCORE else "position")
        row.update(articles=len({f["doc"] for f in figures}), conflict=bool(competing),
                   competing=competing or None, sources=_sources(figures, kept))
        yield row


def measure_rows(store: FactStore) -> Iterator[dict[str, Any]]:
    """One row per (subject, mapped from, kind, index, measure, year): percentages and
    procedure counts in tidy form."""
    for (sid, mfrom, tbl, idx, _mkey, year), figures in store.groups(measures=True):
        choice = choose(candidates(_mentions(figures)))
        win = choice.winner
        row: dict[str, Any] = dict.fromkeys(MEASURE_COLUMNS)
        row.update(_subject(sid, mfrom, figures), kind=_KIND_OF[tbl], index=idx, year=year)
        names = Counter(m.fields.get("measure") for m in win.mentions)
        row["measure"] = min(str(n) for n, c in names.items() if c == max(names.values()))
        for field in ("value", "value_max", "qualifier", "is_change", "object", "level", "action"):
            row[field] = win.common(field)
        row.update(articles=len({f["doc"] for f in figures}), agreeing=win.articles,
                   chosen_by=choice.chosen_by, conflict=choice.conflict,
                   competing=_competing(choice, "value") or None,
                   sources=_sources(figures, {tbl: win.vkey}))
        yield row
