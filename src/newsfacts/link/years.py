"""Years: which year a figure is for.

A year in a sentence is not always the figure's: "so với năm 2015" is the baseline,
"Thông tư 02/2017/TT-VPCP" a document, "công bố ngày 2/4/2024" when a ranking was
published, "tầm nhìn 2030" a horizon. What survives is picked in widening circles;
failing that, "năm nay"/"hiện nay" mean the publication year and the article's own
year (title or lead) stands for the rest. "Cùng kỳ năm trước" then moves it back one.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, NamedTuple

import regex

from ..entities import Mention, find_mentions
from ..extract import Candidate
from .circles import YEAR_GLUE, Circles, pick
from .headings import table_heading_year
from .scans import match_after_spaces
from .spans import Mentions, starting
from .words import active, alternation, patterns

_DOC_DATE = regex.compile(r"\S*/\S*\p{Lu}{2,}\S*,?\s+(?:ngày\s+)?(?:\d{1,2}[-/.]){2}$")

# A period ("từ năm 2014-2016", "từ 2016 đến 2035"): its years are not a "từ" baseline,
# and they describe their own sentence only, never the sentences after it.
_SPAN_START = regex.compile(r"\s*(?:[-–]|đến|tới)\s*(?:năm\s*)?(?:19|20)\d\d(?!\d)")
_PERIOD_FROM = regex.compile(r"(?<!\p{L})từ(?: năm)?\s*$", regex.IGNORECASE)
_SPAN_END = regex.compile(r"(?<!\d)(?:19|20)\d\d\s*(?:[-–]|đến|tới)\s*(?:năm\s*)?$")

# "công bố ngày 2/4/2024", "tháng 4/2024": when something happened; a score or rank in
# the same sentence belongs to the index year written beside it ("PAPI 2023").
_DATED = regex.compile(r"(?:\d{1,2}[-/.]\d{1,2}|tháng \d{1,2})[-/.]$", regex.IGNORECASE)
# "2018-03", "2018-03-22": a page's dateline written year first is a date as well.
_ISO_DATED = regex.compile(r"[-/.](?:0?[1-9]|1[0-2])(?:[-/.]\d{1,2})?(?![\d/.,-])")
_HORIZON = regex.compile(r"tầm nhìn(?: đến)?(?: năm)?\s*$"
                         # a target's year ("Mục tiêu đến năm 2025, …", "phấn đấu đến hết năm 2030")
                         r"|(?:mục tiêu|phấn đấu|chỉ tiêu|định hướng)(?: (?:là|của tỉnh|chung))?,?"
                         r" (?:đến|tới|trước|vào)(?: hết| cuối)?(?: năm)?\s*$", regex.IGNORECASE)


class _Patterns(NamedTuple):
    year: regex.Pattern[str]
    baseline: regex.Pattern[str]
    compared: regex.Pattern[str]
    baseline_figure: regex.Pattern[str]
    relative: regex.Pattern[str]
    carried_before: regex.Pattern[str]
    carried_after: regex.Pattern[str]
    carried_reach: int  # what carried_after reads past its spaces: its longest word and one letter
    relative_after: regex.Pattern[str]
    current: regex.Pattern[str]
    this_year: regex.Pattern[str]
    results_year: regex.Pattern[str]


def _patterns() -> _Patterns:
    """This module's patterns, built from the active words once (see ``words``)."""
    return patterns(__name__, _build_patterns)


def _build_patterns() -> _Patterns:
    """The patterns made of the words in ``rules/lexicons/linking.yaml`` (see ``words``),
    built on first use."""
    w = alternation
    # "từ" opens a baseline ("tăng từ 40%") but, before a period, not a comparison.
    baseline = f"{w('comparisons')}|từ"
    # "so với tháng 12/2016", "kể từ tháng 3/2008", "so với 6 tháng đầu năm 2016": a month or
    # a part of a year compared with (or counted from) is a baseline, as a year is; "từ tháng
    # 10-11/2016" alone is when something was done
    period = r"\s+(?:\d{1,2}\s+)?(?:tháng|quý)(?:\s+(?:đầu|cuối))?(?:\s*[IV\d]{1,4})?[-/]?"
    since = f"{w('comparisons')}|kể từ"
    return _Patterns(
        year=regex.compile(
            r"(?:(?<=\b\d{1,2}[-/.]\d{1,2}[-/.])|(?<=(?:PCI|PAPI|INDEX|SIPAS|DTI|PAR|ICT)[ -])|(?<=(?:tháng|quý) [IV\d]{1,4}[-/])|(?<=\d{4} ?[-–] ?)"
            r"|(?<![\d/.,:–-]|: |ISO[^.;]{0,12}))"
            r"((?:19[89]|20[0-4])\d)(?!\d|/[\p{L}]|,\d|\.\d|%)"
            # "2023 tỷ đồng", "2024 hồ sơ" are amounts, but after "năm" it is a year ("năm 2023 tỷ lệ …")
            rf"(?:(?<=năm \d{{4}})|(?! ?(?:{w('year_amount_units')})\b))",
            regex.IGNORECASE,
        ),
        # "so với 6 tháng cùng kỳ năm 2016", "cùng kỳ năm 2016": the period compared with
        baseline=regex.compile(
            rf"(?:(?:{baseline})(?: cùng kỳ)?(?: năm)?(?: \S+){{0,1}}|(?:{since})(?: cùng kỳ)?{period}(?: năm)?"
            rf"|\bcùng kỳ(?: năm)?"
            # "so với năm 2020 và 2021", "… và năm 2012": every year of the list compared with
            rf"|(?:{w('comparisons')})(?: cùng kỳ)?(?: năm)?(?: (?:19|20)\d\d(?:,| và|, và| hoặc)(?: năm)?)+) ?$",
            regex.IGNORECASE),
        compared=regex.compile(rf"(?:{w('comparisons')})(?: cùng kỳ)?(?: năm)?(?: \S+){{0,1}} ?$",
                               regex.IGNORECASE),
        # "giảm so với mức 44,9% năm 2022": the year belongs to the baseline figure written before it.
        baseline_figure=regex.compile(rf"(?:{baseline})(?: mức| cùng kỳ)?\s*(?:\S+\s+){{0,2}}$",
                                      regex.IGNORECASE),
        relative=regex.compile(rf"(?:{w('relative_years')})(?!\p{{L}})", regex.IGNORECASE),
        carried_before=regex.compile(rf"(?<!\p{{L}})(?:{w('carried_before')})(?: năm)? ?$", regex.IGNORECASE),
        carried_after=regex.compile(rf"\s+(?:{w('carried_after')})(?!\p{{L}})", regex.IGNORECASE),
        carried_reach=max(map(len, active().lists["carried_after"])) + 1,
        relative_after=regex.compile(
            rf"\s*(?:\)|,)?\s*(?:của |so với |trong )?(?:{w('relative_years_after')})(?!\p{{L}})",
            regex.IGNORECASE),
        current=regex.compile(rf"(?:{w('current_years')})(?!\p{{L}})", regex.IGNORECASE),
        this_year=regex.compile(rf"(?<!\p{{L}})(?:{w('this_year')})(?!\p{{L}})", regex.IGNORECASE),
        # "công bố xếp hạng … năm 2024" (results) against "Ngày Chuyển đổi số năm 2025" (the event)
        results_year=regex.compile(rf"(?:{w('results_words')})(?!\p{{L}})[^.;:!?]{{0,50}}$", regex.IGNORECASE),
    )


def year_pattern() -> regex.Pattern[str]:
    """A four-digit year that is not an amount ("2023 tỷ đồng") nor part of a number."""
    return _patterns().year


def _compared_years(winners: list[Candidate], years: list[Mention], text: str) -> dict[int, int]:
    """Years written right after a baseline figure, mapped to that figure's start: no
    other figure, in its sentence or after it, takes them."""
    owned: dict[int, int] = {}
    for cand in winners:
        if not _patterns().baseline_figure.search(text, max(0, cand.start - 25), cand.start):
            continue
        for m in starting(years, cand.end, cand.end + 13):
            if YEAR_GLUE.match(text, cand.end, m.start):
                owned[m.start] = cand.start
    return owned


def _is_dated(text: str, m: Mention) -> bool:
    return bool(_DATED.search(text, max(0, m.start - 9), m.start) or _ISO_DATED.match(text, m.end))


def _undated(years: list[Mention], circles: Circles) -> list[Mention]:
    """Years for scores and ranks: a sentence's dated years go when it has another (and
    they are never carried to other sentences, see ``ArticleYears.of``)."""
    text = circles.text
    dated = {m.start for m in years if _is_dated(text, m)}
    keep_sentences = {circles.sentence_of(m.start) for m in years if m.start not in dated}
    return [m for m in years if m.start not in dated or circles.sentence_of(m.start) not in keep_sentences]


def _stays_in_sentence(text: str, start: int, end: int) -> bool:
    """A period's years, a horizon ("tầm nhìn 2030") and a target ("Mục tiêu đến năm 2025")
    say nothing of later sentences."""
    before = text[max(0, start - 32): start]
    return bool(_SPAN_END.search(before) or _HORIZON.search(before) or _SPAN_START.match(text, end))


# Years in a row: "giữ vững vị trí 3 năm liên tiếp (2020-2022)" is a figure of the last.
_RUN_OF_YEARS = regex.compile(r"(?:liên tiếp|liên tục|liền)\s*\(?\s*(?:từ\s+)?(?:năm\s+)?$", regex.IGNORECASE)


_COMPARED_POSITION = regex.compile(
    r"(?:so với|(?<!\p{L})từ) (?:vị trí|mức|thứ hạng|xếp hạng|hạng|kết quả)[^,.;]{0,25}?(?:của|năm|trong|vào)(?: năm)? ?$",
    regex.IGNORECASE)


def _year_value(surface: str, m: Any) -> int | None:
    """The year a match stands for, or None when it is a baseline or a document's date."""
    before = m.string[max(0, m.start() - 30): m.start()]
    end_of = _SPAN_END.search(before)
    if end_of is not None:
        before = before[: end_of.start()]  # "2014-2016": judged by what stands before 2014
    span = end_of is not None or _SPAN_START.match(m.string, m.end()) is not None
    if end_of is None and span and _RUN_OF_YEARS.search(before):
        return None  # "dẫn đầu 3 năm liên tiếp (2020-2022)": the run ends in the figure's year
    p = _patterns()
    if (p.compared if span else p.baseline).search(before):
        return None  # "so với năm 2015": the comparison, not the figure's year
    if p.carried_before.search(before) or match_after_spaces(p.carried_after, m.string, m.end(), p.carried_reach):
        return None  # "868 hồ sơ năm 2018 chuyển sang": the carried-over dossiers' year only
    if _COMPARED_POSITION.search(m.string, max(0, m.start() - 45), m.start()):
        return None  # "tăng 13 bậc so với vị trí thứ 22 của 2015", "(từ vị trí số 3 năm 2016)": the year compared with
    if _DOC_DATE.search(m.string[max(0, m.start() - 60): m.start()]):
        return None  # "Thông tư số 02/2017/TT-VPCP ngày 31/10/2017": when a document was signed
    return int(surface)


# A value compared with: "(từ vị trí số 3 năm 2016)", "so với 2016 (xếp thứ 59)",
# "từ vị trí 15 lên 13": the first is the figure of the year compared with, not of the
# sentence's year; with no year written, the earlier value is of the year before.
_FROM_VALUE = regex.compile(
    r"(?:so với|(?<!\p{L})từ)\s+(?:(?:vị trí|mức|hạng|thứ hạng)(?:\s+(?:thứ|số))?\s*)?$", regex.IGNORECASE)
_OWN_YEAR_AFTER = regex.compile(r"\s*(?:\(|,)?\s*(?:của |vào |trong )?(?:năm )?((?:19|20)\d\d)(?![\d/])")
# "so với năm 2019 (66,2 điểm)", "thấp hơn năm 2019 (66,23 điểm)": the value of the year compared with
_IN_BASELINE_BRACKETS = regex.compile(
    r"(?:so với|cao hơn|thấp hơn|kém)(?: mức)?(?: của)?(?: năm)? ((?:19|20)\d\d)\s*\([^()]{0,20}$", regex.IGNORECASE)
# "tăng 6 bậc so với năm 2015 là 15/19": the position of the year compared with, after "là".
_BASELINE_IS = regex.compile(r"so với(?: năm)? ((?:19|20)\d\d),? (?:là|đạt|ở mức)\s*$", regex.IGNORECASE)
_FROM_BEFORE = regex.compile(
    r"(?<!\p{L})từ\s+(?:(?:vị trí|vị thứ|mức|hạng|thứ hạng)(?:\s+(?:thứ|số))?\s*|thứ\s+)?$", regex.IGNORECASE)
_BASELINE_YEAR = regex.compile(r"so với(?: cùng kỳ)?(?: năm)? ((?:19|20)\d\d)(?!\d)", regex.IGNORECASE)
# "từ vị trí 39/63 lên 33/63", "từ vị thứ 4 đã rơi xuống cuối bảng", "từ 60,5 điểm lên 62,1
# điểm": the move after the first value
_FROM_TO = regex.compile(
    r"(?:\s*/\s*\d+)?(?:\s*điểm(?!\p{L}))?\s*(?:\([^()]{0,12}\)\s*)?,?\s*(?:(?:đã|đã bị|bị|đã được|tiếp tục|mạnh)\s+)?"
    r"(?:(?:vươn|vượt|tăng|nhảy|tụt|rơi|giảm)\s+)?(?:lên|xuống|còn)\s", regex.IGNORECASE)


def _compared_value_year(cand: Candidate, text: str) -> int | None:
    """The year of a value compared with, when it is written beside it."""
    before = text[max(0, cand.start - 40): cand.start]
    bracket = _IN_BASELINE_BRACKETS.search(before) \
        or (_BASELINE_IS.search(before) if cand.rule.kind == "rank" else None)  # a change's "là 2,35%" is not
    if bracket:
        return int(bracket.group(1))
    if _FROM_VALUE.search(before):
        own = _OWN_YEAR_AFTER.match(text, cand.end)
        if own and own.end() - cand.end <= 16:
            return int(own.group(1))
    return None


def _earlier_value(cand: Candidate, text: str) -> bool:
    """'từ vị trí 15 lên 13', 'Chỉ số CCHC từ 90% xuống 82%': the first figure is the earlier
    value (a rule may have taken both positions into one match: judged after its first number)."""
    before = text[max(0, cand.start - 30): cand.start]
    if not _FROM_BEFORE.search(before):
        return False
    number = regex.search(r"\d+(?:[.,]\d+)*\s*%?", text[cand.start: cand.end])
    first_end = cand.start + number.end() if number else cand.end
    return _FROM_TO.match(text, first_end) is not None


def _sentence_baseline(cand: Candidate) -> int | None:
    """The year a sentence compares with ("so với năm 2021, từ 87,6% xuống 86,8%")."""
    head = cand.sentence.text[: cand.start - cand.sentence.start]
    found = list(_BASELINE_YEAR.finditer(head))
    return int(found[-1].group(1)) if found else None


# "đạt 68,1 điểm, năm trước chỉ đạt 65,4 điểm": "năm trước" opens the next value's clause.
_OWN_VALUE_AFTER = regex.compile(
    r"\s*,?\s*(?:(?:chỉ|mới|cũng|vẫn|đã)\s+)?(?:đạt|là|ở mức|xếp|đứng|với)(?!\p{L})", regex.IGNORECASE)


# A year that opens a clause with its own value: "(năm 2017 là 80,5%", "năm 2015 đạt giá trị 78,1%".
_OWN_VALUE_YEAR = regex.compile(r"\s*,?\s*(?:là|đạt|đạt được|chỉ đạt|được|:)(?:\s+(?!\d)\p{L}+){0,4}\s+\d", regex.IGNORECASE)
_WRITTEN_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_RELATIVE_OWN_YEAR = regex.compile(r"\s*(?:năm\s*)?(?:19|20)\d\d(?!\d)")


def _relative_year(cand: Candidate, year: int | None) -> int | None:
    """'cùng kỳ năm trước tăng 7,34%', 'mức 5,5% của cùng kỳ năm ngoái' in a 2017 clause -> 2016."""
    if year is None:
        return None
    rel_start = cand.sentence.start
    before = cand.sentence.text[: cand.start - rel_start][-40:]
    before = before.rsplit(";", 1)[-1]  # "… so với năm trước; trụ cột X đạt …": another clause
    p = _patterns()
    rel = list(p.relative.finditer(before))
    # "so với những năm trước, nhưng năm 2015 Hà Nội (59,9 điểm)": the year written after
    # the relative words is the figure's own
    # the relative words' own year ("cùng kỳ năm 2016 đạt 26,8%") does not count as one
    if rel and not p.baseline.search(before[: rel[-1].start()]) \
            and (_RELATIVE_OWN_YEAR.match(before, rel[-1].end()) or not _WRITTEN_YEAR.search(before, rel[-1].end())):
        return year - 1
    after = p.relative_after.match(cand.sentence.text, cand.end - rel_start)
    if after and "so với" not in after.group(0) \
            and not _OWN_VALUE_AFTER.match(cand.sentence.text, after.end()):
        return year - 1
    return None


def _opens_period(text: str, m: Mention) -> bool:
    """'Từ năm 2015-2020': the first year of a period that runs up to the time of writing."""
    return _PERIOD_FROM.search(text, max(0, m.start - 8), m.start) is not None \
        and _SPAN_START.match(text, m.end) is not None


def _year_in_force(years: list[Mention], circles: Circles) -> Mention | None:
    """The article's own year: the one its title or lead paragraph states (one that follows
    a word of results, if any does), else the most mentioned, the latest on a tie."""
    titled = [m for m in years if m.end <= circles.title_end]
    fallback: Mention | None = None
    for group in (titled, _lead_years(years, circles)):
        # the lead's year of results ("công bố xếp hạng … năm 2024") over the year of the
        # event that announces them ("tại Ngày Chuyển đổi số năm 2025, …")
        # a dateline's date ("Hà Nội (TTXVN 18/4/2024) …") is when the lead was written, and
        # the first year of a period up to now ("Từ năm 2015-2020, …") is not the year reported
        # and the years of a period ("sau ba năm 2012 - 2013 đứng đầu, đến năm 2014 …")
        # describe their own sentence, as they do for figures (see ``_stays_in_sentence``)
        undated = [m for m in group if not _is_dated(circles.text, m) and not _opens_period(circles.text, m)]
        unspanned = [m for m in undated if not _stays_in_sentence(circles.text, m.start, m.end)]
        undated = unspanned or undated
        results = [m for m in undated
                   if _patterns().results_year.search(circles.text, max(0, m.start - 80), m.start)]
        if results or undated:
            return (results or undated)[0]
        # a title that is a dateline only ("Thứ 3, Ngày 18/06/2024 -") says when the page
        # was written: the lead's year of results, if it has one, is the article's
        fallback = fallback or (group[0] if group else None)
    if fallback is not None:
        return fallback
    counts: dict[int, int] = {}
    # a page's dateline ("Thứ Năm, 20/01/2022") says when, not what year a report is of:
    # a year written as such ("Trong năm 2021, …") outweighs it
    undated_years = [m for m in years if not _is_dated(circles.text, m)]
    for m in undated_years or years:
        counts[m.value] = counts.get(m.value, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda y: (counts[y], y))
    return next(m for m in years if m.value == best)


# How many paragraphs after the title may stand for the lead when the first is only a
# dateline ("Cập nhật: 27-01-2022 | 09:08", at most _DATELINE_CHARS long) and the body's
# first year comes after it.
_LEAD_PARAGRAPHS = 3
_DATELINE_CHARS = 60
_HEADLINE_CHARS = 160


def _lead_years(years: list[Mention], circles: Circles) -> list[Mention]:
    """The years of the lead: the first paragraph after the title that is not a dateline
    alone (a short line whose years are all in dates) and names a year; a lead that holds a date and more
    ("Hà Nội (TTXVN 18/4/2024) …") is the lead, its date standing for the year."""
    if not circles.sentences:
        return []
    by_paragraph: dict[int, list[Mention]] = {}
    for m in years:
        if m.end > circles.title_end:
            by_paragraph.setdefault(circles.sentences[circles.sentence_of(m.start)].paragraph, []).append(m)
    spans: dict[int, list[int]] = {}
    for s in circles.sentences:
        if s.start >= circles.title_end:
            spans.setdefault(s.paragraph, [s.start, s.end])[1] = s.end
    paragraphs = sorted(spans)
    first_lead: list[Mention] | None = None
    counted = 0
    for p in paragraphs[:2 * _LEAD_PARAGRAPHS]:
        found = by_paragraph.get(p, [])
        length = spans[p][1] - spans[p][0]
        short = length <= _DATELINE_CHARS
        dateline = short and all(_is_dated(circles.text, m) for m in found)
        if not dateline and found:
            return found
        if not dateline and first_lead is None:
            first_lead = found
            if length > _HEADLINE_CHARS:
                break  # the lead, with no year; a headline repeated in the body is followed by it
        counted += 0 if short and not found else 1  # "1.863 lượt xem": a page's counter, not a paragraph
        if counted >= _LEAD_PARAGRAPHS:
            break
    if first_lead is not None:
        return first_lead
    return by_paragraph.get(paragraphs[0], []) if paragraphs else []


_TARGET_BEFORE = regex.compile(r"(?:đến|tới|vào|trước|phấn đấu|mục tiêu)(?: hết| cuối)?(?: năm)?\s*$", regex.IGNORECASE)


def _now_then(cand: Candidate, year: Mention, circles: Circles) -> bool:
    """A current value ("hiện nay là 63,2 điểm") with a target year after it ("đến năm
    2021 đạt 65 điểm"): the target's year is not the current value's."""
    head = cand.sentence.text[: cand.start - cand.sentence.start][-60:]
    return _patterns().current.search(head) is not None and \
        _TARGET_BEFORE.search(circles.text, max(0, year.start - 25), year.start) is not None


# A bracketed aside that opens with a year and gives a value of its own: "(năm 2023 xếp
# thứ 46/63)", "(năm 2022: 80,1%)". Its year is that value's; a figure outside the
# brackets, in its sentence or after it, is of another year (usually the one compared with).
_ASIDE = regex.compile(r"\(\s*(?:năm\s+)?$", regex.IGNORECASE)
_ASIDE_REST = regex.compile(r"[^()]{0,60}?\d[^()]{0,60}(?:\)|$)")  # or cut off where the text ends


def _asides(years: list[Mention], text: str) -> dict[int, tuple[int, int]]:
    """Years that open a bracketed aside with a value, mapped to the aside's stretch."""
    found: dict[int, tuple[int, int]] = {}
    for m in years:
        opened = _ASIDE.search(text, max(0, m.start - 8), m.start)
        rest = _ASIDE_REST.match(text, m.end) if opened else None
        if opened and rest:
            found[m.start] = (opened.start(), rest.end())
    return found


# What may stand between an index's name and its year: "(SIPAS) năm 2023", " – DTI năm 2022".
_NAMED_YEAR = regex.compile(r"\s*(?:\([^()]{1,30}\)\s*)?(?:[-–]\s*)?(?:năm\s+)?", regex.IGNORECASE)


def _published_year(published: str | None) -> int | None:
    m = regex.search(r"(19|20)\d\d", published or "")
    return int(m.group(0)) if m else None


class ArticleYears:
    """The years of one article, found once, and the year of each of its figures."""

    def __init__(self, circles: Circles, winners: list[Candidate], published: str | None) -> None:
        text = circles.text
        self.circles = circles
        self.published = published
        self.years = Mentions(find_mentions(year_pattern(), text, _year_value))
        self.in_force = _year_in_force(self.years, circles)
        self.index_years = Mentions(_undated(self.years, circles))
        self.compared = _compared_years(winners, self.years, text)
        # the years no figure owns as its baseline's: what most figures may use, built once
        self._asides = _asides(self.years, text)
        self._aside_spans = sorted(self._asides.values())
        self._free = Mentions(m for m in self.years if m.start not in self.compared)
        self._free_index = Mentions(m for m in self.index_years if m.start not in self.compared)
        if self._asides:  # the lists for figures outside every aside
            self._outside = Mentions(m for m in self._free if m.start not in self._asides)
            self._outside_index = Mentions(m for m in self._free_index if m.start not in self._asides)
        self._owners = set(self.compared.values())
        self._named: dict[str, int | None] = {}
        # a title that is a page's dateline only ("Thứ 6, 29/03/2024, 06:38")
        self._dateline_title = 0 < circles.title_end <= _DATELINE_CHARS and all(
            _is_dated(text, m) for m in self.years if m.end <= circles.title_end)

    def named_with(self, code: str, indexes: list[Mention]) -> int | None:
        """The year first written right after index ``code``'s name in the article ("Chỉ số
        hài lòng … (SIPAS) năm 2023", "DTI 2022"): the year a figure of that index measures
        when nothing nearer says, rather than the dateline's year of publication."""
        if code not in self._named:
            text, found = self.circles.text, None
            for m in indexes:
                if m.value != code:
                    continue
                year = next(iter(self._free_index.starting(m.end, m.end + 40)), None)
                if year is not None and _NAMED_YEAR.fullmatch(text, m.end, year.start):
                    found = year.value
                    break
            self._named[code] = found
        return self._named[code]

    def _in_aside(self, cand: Candidate) -> bool:
        """Whether the figure stands inside an aside (asides never overlap: a bisection)."""
        k = bisect_right(self._aside_spans, (cand.start, len(self.circles.text))) - 1
        return k >= 0 and cand.end <= self._aside_spans[k][1]

    def _carried_any(self, m: Mention) -> bool:
        return not _stays_in_sentence(self.circles.text, m.start, m.end)

    def _carried_ranked(self, m: Mention) -> bool:
        return self._carried_any(m) and not _is_dated(self.circles.text, m)

    def of(self, cand: Candidate, *, shift_earlier: bool = True) -> tuple[int | None, str | None]:
        """The figure's year and the circle it was found in (both or neither). Scores and
        ranks skip dated years and may look one paragraph further back: an index year is
        often stated once above a list of results. With ``shift_earlier``, the first value of
        "từ X lên Y" takes the year compared with (the caller may have done so already)."""
        compared = _compared_value_year(cand, self.circles.text)
        if compared is not None:
            return compared, "sentence"
        ranked = cand.rule.kind in ("score", "rank")
        years = self.index_years if ranked else self.years
        if cand.start in self._owners:
            usable: list[Mention] = [m for m in years if self.compared.get(m.start, cand.start) == cand.start]
        else:
            usable = self._free_index if ranked else self._free
            if self._asides and not self._in_aside(cand):
                usable = self._outside_index if ranked else self._outside
        year, how = pick(usable, self.circles, cand, paragraphs_back=1 if ranked else 0, immediate=True,
                         carried=self._carried_ranked if ranked else self._carried_any)
        if year is not None and how == "sentence" and year.start >= cand.end \
                and _OWN_VALUE_YEAR.match(self.circles.text, year.end):
            # "xếp thứ 21 (năm 2017 là 80,5%)": a later year with a value of its own is that value's
            year, how = pick(usable, self.circles, cand, after=False, paragraphs_back=1 if ranked else 0,
                             carried=self._carried_ranked if ranked else self._carried_any)
        if cand.rule.column and how != "sentence" and (above := table_heading_year(cand.start, usable, self.circles.text)):
            year, how = above, "paragraph"  # "Top 15 bảng xếp hạng PCI năm 2018" above the table
        if (ranked or (how == "title" and self._dateline_title)) and year is not None and self.in_force is not None \
                and _is_dated(self.circles.text, year) \
                and not _is_dated(self.circles.text, self.in_force):
            # "date 2019-04 / Bến Tre đạt 45,2 điểm" under "Kết quả PAPI 2018": a date says when
            # the results were written, the article's year which year they measure; a title's
            # dateline says when a report was published, not the period it reports
            year, how = self.in_force, "article"
        if how == "title" and self.in_force is not None and self.in_force.end <= self.circles.title_end:
            # a title with two years ("Ngày Chuyển đổi số năm 2025 công bố DTI năm 2024")
            # stands for its year of results, as the article's year does
            year = self.in_force
        says_current = self.circles.once_per_sentence("current", cand.sentence, _patterns().current.search)
        current = _published_year(self.published) if says_current else None
        if year is not None and how == "sentence" and year.start >= cand.end and _now_then(cand, year, self.circles):
            year, how = None, "publication_date"  # "hiện nay là 63,2 điểm, … đến năm 2021 đạt 65 điểm"
        if how != "sentence" and current is not None:
            year, how = None, "publication_date"  # "hiện nay", "năm nay" with no year of its own
        elif how != "sentence" and self.in_force is not None and says_current \
                and self.circles.once_per_sentence("this_year", cand.sentence, _patterns().this_year.search):
            year, how = self.in_force, "article"  # "năm nay" in an undated article: its own year
        elif year is None and self.in_force is not None:
            year, how = self.in_force, "article"
        value = year.value if year is not None else current
        relative = _relative_year(cand, value)
        if relative is not None:
            value = relative
        elif value is not None and ranked and shift_earlier and cand.start not in self._owners \
                and _earlier_value(cand, self.circles.text):  # an index is measured once a year
            baseline = _sentence_baseline(cand)
            value = baseline if baseline is not None and baseline <= value else value - 1
        if value is not None and how is not None:
            return value, how
        return None, None
