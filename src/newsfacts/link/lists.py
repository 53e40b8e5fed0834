"""Lists that pair figures with names by order: "lần lượt" and its stand-ins.

"Hà Nội, TP.HCM và Đà Nẵng lần lượt đạt 85%, 82% và 80%", "Thanh Hóa, Điện Biên, Hà Tĩnh
giữ vị trí thứ 5, 6, 7", "xếp thứ 5 và thứ 6 lần lượt là A, đạt 87% và B, đạt 85%": the
i-th figure goes to the i-th name, which no figure-by-figure strategy can see. Found once
per article (:func:`respective`), since it pairs figures with each other.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import regex

from ..entities import Mention
from ..extract import Candidate
from .clauses import LIST_JOINT, clause_span
from .spans import starting
from .words import alternation, patterns


def _respectively() -> regex.Pattern[str]:
    """"lần lượt" and the other words of ``respectively`` in linking.yaml."""
    return patterns(__name__, lambda: regex.compile(
        rf"(?<!\p{{L}})(?:{alternation('respectively')})(?!\p{{L}})", regex.IGNORECASE))



_RANK_VERB = regex.compile(r"(?:\s(?:đã |lần lượt |cùng )?(?:giữ|xếp|đứng|ở|chiếm)(?: ở)?(?: các)?(?: vị trí)?(?: thứ)?\s?)$",
                           regex.IGNORECASE)


def _verb_start(sent: Any, rank: Candidate) -> int:
    """Where the verb before a listed rank starts ("… Hà Tĩnh| giữ vị trí thứ 5, 6, 7"),
    so the names right before it can be paired with the positions."""
    m = _RANK_VERB.search(sent.text, 0, rank.start - sent.start)
    return sent.start + m.start() if m is not None else rank.start


_NAMED_BY = regex.compile(r"\s*(?:là|thuộc về)\s+", regex.IGNORECASE)


def _scores_to_ranked(cands: list[Candidate], entities: list[Mention], sent: Any, pos: int,
                      out: dict[int, Mention]) -> None:
    """'thứ hai là Sở A, thứ ba là Sở B với số điểm lần lượt là 87,6 và 86,7': the scores
    after the word go, in order, to the names that the ranks before it introduce ("thứ
    hai là Sở A"), the ranks written so being at least two; the scores are the first ones
    after the word, with no rank among them."""
    names: list[Mention] = []
    for rank in (c for c in cands if c.rule.kind == "rank" and c.end <= pos):
        m = next((m for m in entities if rank.end <= m.start < pos), None)
        if m is not None and _NAMED_BY.fullmatch(sent.text, rank.end - sent.start, m.start - sent.start):
            names.append(m)
    scores = [c for c in cands if c.rule.kind == "score" and c.start > pos][:len(names)]
    if len(names) < 2 or len(scores) != len(names):
        return
    if any(c.rule.kind == "rank" and pos < c.start < scores[-1].start for c in cands):
        return
    out.update((c.start, m) for c, m in zip(scores, names, strict=True))


def _part_around(sent: Any, pos: int) -> tuple[int, int]:
    """The part of the sentence between semicolons that holds ``pos``."""
    before = sent.text.rfind(";", 0, pos - sent.start)
    after = sent.text.find(";", pos - sent.start)
    return (sent.start + before + 1 if before >= 0 else sent.start,
            sent.start + after if after >= 0 else sent.end)


def _ranks_after_scored(cands: list[Candidate], entities: list[Mention], part_start: int, pos: int,
                        part_end: int, out: dict[int, Mention]) -> bool:
    """'phường A (TP X) 292,5 điểm, xã B (huyện Y) 279,4 điểm lần lượt xếp thứ 2 và 3': the
    ranks after the word go, in order, to the names of the scores right before it (each
    the first name after the score before), when the counts agree."""
    ranks = [c for c in cands if c.rule.kind == "rank" and pos < c.start < part_end]
    if len(ranks) < 2 or any(c.rule.kind == "rank" and part_start <= c.start < pos for c in cands):
        return False
    scores = [c for c in cands if c.rule.kind == "score" and part_start <= c.start and c.end <= pos]
    if len(scores) < len(ranks):
        return False
    scores = scores[-len(ranks):]
    names: list[Mention] = []
    lo = part_start
    for c in scores:
        m = next((m for m in entities if lo <= m.start and m.end <= c.start and not m.value.agent), None)
        if m is None:
            return False
        names.append(m)
        lo = c.end
    out.update((c.start, m) for c, m in zip(ranks, names, strict=True))
    return True


_RUN_JOINT = regex.compile(r"\s*(?:,|và|, và)\s*(?:thứ\s+)?", regex.IGNORECASE)


def _listed_run(figures: list[Candidate], n: int, sent: Any) -> list[Candidate]:
    """The figures after "lần lượt" that pair with ``n`` names: all of them when they are
    ``n``; else the first ``n`` when those are one list ("lần lượt là thứ 6 và 12, thuộc
    top đầu"), joined by "," / "và" alone, and a figure after them is not."""
    if len(figures) <= n or n < 2:
        return figures
    def joined(a: Candidate, b: Candidate) -> bool:
        return _RUN_JOINT.fullmatch(sent.text, a.end - sent.start, b.start - sent.start) is not None
    run = figures[:n]
    if all(joined(a, b) for a, b in pairwise(run)) and not joined(run[-1], figures[n]):
        return run
    return figures


_VALUE_ASIDE = regex.compile(r"\s*\([^()]{0,24}\)")


def respective(winners: list[Candidate], entities: list[Mention]) -> dict[int, Mention]:
    """'Hà Nội, TP.HCM và Đà Nẵng lần lượt đạt 85%, 82% và 80%': the i-th figure of a kind
    after "lần lượt" belongs to the i-th entity listed before it, when the counts agree.
    Found once per article, since it pairs figures with each other."""
    out: dict[int, Mention] = {}
    by_sentence: dict[int, list[Candidate]] = {}
    for cand in winners:
        by_sentence.setdefault(cand.sentence.start, []).append(cand)
    for cands in by_sentence.values():
        sent = cands[0].sentence
        word = _respectively().search(sent.text)
        listed = [c for c in cands if c.rule.id == "rank.position_listed"]
        if word is None and listed:
            # "Thanh Hóa, Điện Biên, Hà Tĩnh giữ vị trí thứ 5, 6, 7": the list of positions
            # pairs with the names before its verb as "lần lượt" would
            ranks = [c for c in cands if c.rule.kind == "rank" and c.start <= listed[0].start]
            head = ranks[-2] if len(ranks) >= 2 else None
            if head is None:
                continue
            pos = _verb_start(sent, head)
        elif word is None:
            _ranks_to_holders(cands, entities, sent, out)
            continue
        else:
            pos = sent.start + word.start()
        start = clause_span(cands[0])[0]  # past "Theo báo cáo của …,"
        chain: list[Mention] = []
        for m in reversed([m for m in entities if start <= m.start and m.end <= pos]):
            # the run of entities joined by "," / "và" that ends right before "lần lượt"
            between = _VALUE_ASIDE.sub("", sent.text[m.end - sent.start: chain[0].start - sent.start]) if chain else ""
            if chain and not LIST_JOINT.fullmatch(between):
                break  # "Bộ Tài chính (78,44%) và Bộ Tư pháp (77,66%) lần lượt …": a value aside is no break
            chain.insert(0, m)
        for kind in {c.rule.kind for c in cands}:
            figures = _listed_run([c for c in cands if c.rule.kind == kind and c.start > pos], len(chain), sent)
            if len(chain) >= 2 and not figures:
                # "Với 0,51 điểm và 0,49 điểm, A và B lần lượt đứng thứ 6 và 12": the figures
                # written before the names, in the same clause, pair with them as well
                figures = [c for c in cands if c.rule.kind == kind and start <= c.start and c.end <= chain[0].start]
            if len(chain) >= 2 and len(figures) == len(chain):
                out.update((c.start, m) for c, m in zip(figures, chain, strict=True))
        if word is not None and len(chain) < 2:
            # "Xếp vị trí thứ 5 và thứ 6 lần lượt là Tây Bắc, đạt 87% và Tây Nguyên, đạt 85%":
            # the ranks before the word go to the names after it, in order (those of the
            # word's own part of the sentence: "A đứng đầu …; xếp thứ 2 và 3 lần lượt là B, C")
            part_start, part_end = _part_around(sent, pos)
            ranks = [c for c in cands if c.rule.kind == "rank" and part_start <= c.start and c.end <= pos]
            named = [m for m in entities if pos < m.start and m.end <= part_end and not m.value.agent]
            if _ranks_after_scored(cands, entities, part_start, pos, part_end, out):
                continue
            if len(ranks) >= 2 and len(named) == len(ranks):
                out.update((c.start, m) for c, m in zip(ranks, named, strict=True))
                # "… Nam Định, đạt 87% và Thái Bình, đạt 85%": each name's own figure follows it
                after = [c for c in cands if c.rule.kind != "rank" and c.start > pos]
                bounds = [m.start for m in named[1:]] + [sent.end]
                if len(after) == len(named) and all(m.end <= c.start < b for c, m, b in zip(after, named, bounds, strict=True)):
                    out.update((c.start, m) for c, m in zip(after, named, strict=True))
                elif len(after) == len(named) and after[0].start > named[-1].end \
                        and _respectively().search(sent.text, named[-1].end - sent.start, after[0].start - sent.start):
                    # "… lần lượt là A và B với mức điểm lần lượt là 70,08 và 69,90": a second list
                    out.update((c.start, m) for c, m in zip(after, named, strict=True))
            else:
                _scores_to_ranked(cands, entities, sent, pos, out)
    return out


# "Hai vị trí thứ tư và thứ năm là Quảng Ninh và Thừa Thiên Huế": places, then their holders.
_HOLDERS_ARE = regex.compile(r"\s(?:là|thuộc về)\s", regex.IGNORECASE)


def _ranks_to_holders(cands: list[Candidate], entities: list[Mention], sent: Any, out: dict[int, Mention]) -> None:
    """Two or more places joined before "là" pair, in order, with as many names joined after it."""
    verb = _HOLDERS_ARE.search(sent.text)
    if verb is None:
        return
    pos = sent.start + verb.start()
    ranks = [c for c in cands if c.rule.kind == "rank" and c.end <= pos]
    if len(ranks) < 2 or any(not LIST_JOINT.fullmatch(sent.text, a.end - sent.start, b.start - sent.start)
                             for a, b in pairwise(ranks)):
        return
    chain: list[Mention] = []
    for m in (m for m in starting(entities, sent.start + verb.end(), sent.end) if m.end <= sent.end):
        if chain and not LIST_JOINT.fullmatch(sent.text, chain[-1].end - sent.start, m.start - sent.start):
            break
        if not chain and m.start != sent.start + verb.end():
            return
        chain.append(m)
    if len(chain) == len(ranks):
        out.update((c.start, m) for c, m in zip(ranks, chain, strict=True))


def same_head_before(first: Mention, before: str) -> bool:
    """Whether the words before the comma open with the mention's own first word ("cấp
    huyện, cấp xã", "huyện A, huyện B"): a list of names, even where the lexicons know
    only the last of them."""
    head = first.value.text.split(" ", 1)[0] if first.value.text else ""
    if not head or head[:1].isupper():
        return False
    return regex.search(rf"(?<!\p{{L}}){regex.escape(head)}(?:\s+\S+){{1,3}}$", before, regex.IGNORECASE) is not None
