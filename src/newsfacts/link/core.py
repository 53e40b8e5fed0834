"""Link: give every figure its subject, index, component and year.

A figure is rarely alone with its context: the province is named two
sentences earlier, the index only in the title, the year as "năm trước".
Each attribute is looked for in widening circles — the figure's own clause,
its sentence, the earlier sentences of its paragraph, the title — and the
circle it was found in is recorded as ``evidence`` so that an audit can
question it. This module only orchestrates: what is found once per article is
found here, each attribute is asked of its own module per figure.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import regex

from ..entities import Mention, Vocab, find_mentions
from ..extract import Candidate
from ..segment import Sentence
from .aggregates import aggregate_value, with_aggregates
from .circles import Circles
from .index import (
    after_own_score,
    component_named,
    component_of,
    index_mention_of,
    measure_of,
    named_by_acronym,
    named_component,
    other_index_name,
    rank_component,
    sole_index_of,
)
from .kinds import as_index_figure, changes_value, dotted_decimal, gaps_of_values, settle_kind
from .names import with_bare_departments
from .ranks import settle_ranks
from .scales import scale_maxima
from .spans import Mentions
from .subject import SubjectScene
from .words import using
from .years import ArticleYears


def link_candidates(winners: list[Candidate], text: str, sentences: list[Sentence],
                    title: str | None, published: str | None, vocab: Vocab) -> list[dict[str, Any]]:
    """Fact dicts (ready for validation) with linked attributes and evidence; ``vocab`` is
    the run's compiled lexicons and linker's words (``Resources.vocab``)."""
    with using(vocab.linking):
        return _link(winners, text, sentences, title, published, vocab)


def _link(winners: list[Candidate], text: str, sentences: list[Sentence],
          title: str | None, published: str | None, vocab: Vocab) -> list[dict[str, Any]]:
    if not winners:
        return []
    circles = Circles(text, sentences, title)
    years = ArticleYears(circles, winners, published)
    v = vocab
    indexes = Mentions(named_by_acronym(find_mentions(v.index, text, v.index_value), text))
    entities = with_aggregates(find_mentions(v.entity, text, v.entity_value, v.starts),
                               find_mentions(v.aggregate, text, aggregate_value, v.aggregate_starts))
    # "Chỉ số CCHC của các bộ, cơ quan ngang bộ, UBND các tỉnh, …": words of an index's name
    entities = [e for e in entities if not _inside_any(e, spans)] if (spans := _spans(indexes)) else entities
    entities = with_bare_departments(entities, text, v.lex.department_of)
    entities = Mentions(entities)  # asked by position for every figure (see ``spans``)
    scene = SubjectScene(text, circles, entities, winners, v.population)
    facts: list[dict[str, Any]] = []
    value: tuple[Candidate, dict[str, Any]] | None = None  # the last index value in percent (a range's end)
    # the last score of any unit, for a change after it ("Chính quyền số đạt 0,7582, tăng 4,7%")
    last: tuple[Candidate, dict[str, Any]] | None = None
    sentence_values: dict[int, Candidate] = {}  # the first index value in percent of each sentence
    for found in winners:
        settled = settle_kind(found, indexes, circles,
                              value[0] if value is not None and value[0].sentence is found.sentence else None, v,
                              entities, _value_before(found, circles, sentence_values))
        cand = settled.cand
        fact: dict[str, Any] = {
            "kind": cand.rule.kind,
            "text": text[cand.start:cand.end],
            "span": (cand.start, cand.end),
            "sentence": cand.sentence.text,
            "rule": cand.rule.id,
            **settled.fields,
        }
        evidence: dict[str, str] = {}
        if cand.rule.kind == "percentage" and fact.get("measure") is None:
            fact["measure"] = measure_of(cand)
        mention, index_how = (None, "sentence") if settled.index else index_mention_of(cand, indexes, circles)
        index = settled.index or (mention.value if mention is not None else None)
        if index is not None and index_how is not None:
            fact["index"], evidence["index"] = index, index_how
        # a known component named with its head word ("Chỉ số thành phần …", "trụ cột …"),
        # else the clause before the value in a list, else an international index's name
        component, code = (None, None) if "component" in fact else named_component(cand, fact.get("index"), v)
        how = "sentence" if component else None
        if "component" in fact:
            evidence["component"] = "sentence"  # its column's name, in its row's table (newsfacts.tables)
        if component and code and "index" not in fact:
            fact["index"], evidence["index"] = code, "sentence"  # the index whose component it is
        if not component and "component" not in fact:
            component, how = component_of(cand, fact.get("index"), v)
            if component and "index" not in fact and (code := sole_index_of(component, v)):
                fact["index"], evidence["index"] = code, "sentence"  # the index whose component it is
            elif "index" not in fact and last is not None and last[0].sentence is cand.sentence \
                    and (code := last[1].get("index")):
                # "Tiếp cận đất đai đạt 7,12 điểm, Chi phí không chính thức đạt 6,9 điểm": the next
                # item of a list of one index's components, a name two indexes share
                listed, listed_how = component_of(cand, code, v)
                if listed and component_named(v, listed, code):
                    component, how = listed, listed_how
                    fact["index"], evidence["index"] = code, "sentence"
        if not component and cand.rule.kind == "rank":
            # "Trong đó, chính quyền số xếp thứ 40/63", "đạt 0,6683 điểm, xếp hạng thứ 29"
            component, code = rank_component(cand, fact.get("index"), v)
            how = "sentence" if component else None
            if component and code and "index" not in fact:
                fact["index"], evidence["index"] = code, "sentence"
            if not component and last is not None and after_own_score(cand, last[0]) and last[1].get("component"):
                component, how = last[1]["component"], "sentence"
                if "index" not in fact and last[1].get("index"):
                    fact["index"], evidence["index"] = last[1]["index"], "sentence"  # the score's, as its component
        if not component and mention is not None and index_how is not None:
            component, how = other_index_name(mention, v), index_how
        if component and how:
            fact["component"], evidence["component"] = component, how
        at = circles.sentence_of(cand.start)
        changes = last is not None and changes_value(cand, last[0], circles.sentences[at - 1] if at else None)
        if cand.rule.kind == "percentage" and _SIGNED.search(text, max(0, cand.start - 3), cand.start):
            fact["is_change"] = True  # "tăng cao nhất là Bộ Ngoại giao (+5,83%)": a signed change
        if changes:
            fact["is_change"] = True  # "đạt 88,33%, cao hơn 1,71% so với năm 2022": a change of the value
        of_value = changes and last is not None and "index" not in fact and last[1].get("index") is not None
        if of_value and last is not None:
            fact["index"], evidence["index"] = last[1]["index"], "sentence"
        year_view = as_index_figure(cand) if cand.rule.kind == "percentage" and evidence.get("index") == "sentence" \
            else cand
        year, how = (settled.year, "sentence") if settled.year is not None \
            else (cand.fields["year"], "sentence") if cand.fields.get("year") is not None \
            else years.of(year_view, shift_earlier=not settled.earlier)
        if of_value and last is not None and last[1].get("year") is not None:
            year, how = last[1]["year"], "sentence"
        if how == "article" and fact.get("index") and cand.rule.kind in ("score", "rank"):
            # no year near the figure: the year its index is named with, not the dateline's
            named = years.named_with(fact["index"], indexes)
            year = named if named is not None else year
        if settled.earlier and year is not None:
            year -= 1  # "tăng từ 81,82% lên 84,4%" in a 2021 clause: 81,82% is 2020's
        if year is not None and how is not None:
            fact["year"], evidence["year"] = year, how
        subject = scene.subject_of(cand, fact.get("index"))
        if subject is not None:
            fact["subject"], fact["subject_id"], evidence["subject"] = subject.name, subject.id, subject.found_in
            evidence["subject_rule"] = subject.rule
        fact["evidence"] = evidence
        dotted_decimal(fact)
        facts.append(fact)
        if cand.rule.kind == "score":
            last = (cand, fact)
            if fact.get("unit") == "percent":
                value = (cand, fact)
                sentence_values.setdefault(cand.sentence.start, cand)
    gaps_of_values(facts)
    scale_maxima(facts, circles)
    return settle_ranks(facts, circles, scene.entities)


def _value_before(cand: Candidate, circles: Circles, values: dict[int, Candidate]) -> Candidate | None:
    """The index value in percent of the sentence right before ``cand``'s, in its paragraph."""
    at = circles.sentence_of(cand.start)
    if at <= 0 or circles.sentences[at - 1].paragraph != cand.sentence.paragraph:
        return None
    return values.get(circles.sentences[at - 1].start)


# A sign written before a percentage: "(+5,83%)", "(-5,31%)".
_SIGNED = regex.compile(r"(?:\+|(?<=\()[-−–])\s?$")


def _spans(mentions: list[Mention]) -> tuple[list[int], list[int]] | None:
    """The mentions' starts in order, with the furthest end reached by each prefix: whether
    a span lies inside one of them is then one bisection, not a scan of them all (a long
    text holds thousands of index names)."""
    if not mentions:
        return None
    ordered = sorted(mentions, key=lambda m: m.start)
    starts, reach, far = [], [], -1
    for m in ordered:
        far = max(far, m.end)
        starts.append(m.start)
        reach.append(far)
    return starts, reach


def _inside_any(e: Mention, spans: tuple[list[int], list[int]]) -> bool:
    """Whether some mention starts at or before ``e`` and ends at or after it."""
    starts, reach = spans
    k = bisect_right(starts, e.start) - 1
    return k >= 0 and reach[k] >= e.end
