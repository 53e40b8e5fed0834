"""Index, component and measure: what a figure measures.

A score or rank belongs to an index that may be named only in the title or above a
list of results, so it is looked for in widening circles; a count or a share is about
its own clause, so only an index in that clause counts. Components ("cải cách TTHC đạt
13,969/14") and measures ("Tỷ lệ hồ sơ … đạt 95%") are read from the words around the
figure itself.
"""

from __future__ import annotations

import regex

from ..entities import Mention, Vocab
from ..extract import Candidate
from .circles import Circles, pick
from .clauses import clause_span, list_intro, list_intro_before, same_clause
from .scans import head_matches
from .spans import last_ending_by, starting, within

# An index named as such ("chỉ số CCHC", "PAR Index"), not a phrase that is also one of
# another index's components ("mức độ hài lòng của người dân" in a PAR Index list).
_NAMED = regex.compile(r"\s*(?:chỉ số|bộ chỉ số|(?-i:[A-Z]{2,}))", regex.IGNORECASE)


# What stands between a rank and an index it is "about" or the ranking of: words without a
# figure, then "về" or "(bảng) xếp hạng" ("đứng đầu bảng xếp hạng Chỉ số PCI").
_ABOUT_BEFORE = regex.compile(r"[^.;:\d%]*?\s(?:về|(?:bảng )?xếp hạng(?: của)?)\s+", regex.IGNORECASE)
# What stands between an index's name and the acronym written for it: "năng lực cạnh tranh (DDCI)".
_ACRONYM_AFTER = regex.compile(r"\s*\(\s*")


def named_by_acronym(indexes: list[Mention], text: str) -> list[Mention]:
    """Index mentions with a generic name that the acronym in brackets right after it
    narrows, taking the acronym's code: "chỉ số năng lực cạnh tranh (DDCI) cấp sở, ngành" is
    the DDCI, though "chỉ số năng lực cạnh tranh" alone would be the PCI."""
    out = list(indexes)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if a.value != b.value and "OTHER" not in (a.value, b.value) \
                and _ACRONYM_AFTER.fullmatch(text, a.end, b.start) and text[b.end:b.end + 1] == ")":
            out[k] = Mention(a.start, a.end, a.text, b.value)
    return out


# How many paragraphs back a score or rank looks for its index before taking the title's:
# an article whose title names one index (PAPI) goes on, a paragraph later, to another
# ("Chỉ số cải cách hành chính … đạt trên 80%.\n\nGiá trị bình quân cao nhất là ở Đồng bằng
# sông Hồng với 88,33%"): the index named just above a figure is its own, not the title's.
_BACK = 2


def _in_brackets(text: str, m: Mention) -> bool:
    """Whether an index is named inside brackets ("… (gồm Chỉ số SIPAS đạt 8,5/10 điểm; …)"):
    a part of what the sentence is about, not the index of the sentences after it."""
    head = text[max(0, m.start - 120): m.start]
    opened = head.rfind("(")
    return opened >= 0 and ")" not in head[opened:] and "\n" not in head[opened:]


def index_of(cand: Candidate, indexes: list[Mention], circles: Circles) -> tuple[str | None, str | None]:
    """The figure's index code and the circle it was found in (both or neither). A score
    in a list ("thành phần gồm: …") takes the index named before the list, never one in
    a later item's words."""
    mention, how = index_mention_of(cand, indexes, circles)
    return (mention.value, how) if mention is not None else (None, None)


def index_mention_of(cand: Candidate, indexes: list[Mention],
                     circles: Circles) -> tuple[Mention | None, str | None]:
    """The index mention :func:`index_of` settles on, and its circle: for code OTHER the
    mention's words say which index (Doing Business, GII …) the figure belongs to."""
    ranked = cand.rule.kind in ("score", "rank")
    intro = circles.once_per_sentence("list_intro", cand.sentence, list_intro().search)
    in_list = ranked and intro is not None and intro.end() <= cand.start - cand.sentence.start
    list_start = cand.sentence.start + intro.start() if in_list and intro else None
    if in_list and intro is not None:
        # "Cụ thể: chỉ số CCHC trung bình đạt 87,6 điểm": an item that names its own index
        own = [m for m in same_clause(indexes, cand)
               if cand.sentence.start + intro.end() <= m.start and m.end <= cand.start and _NAMED.match(m.text)]
        if own:
            return own[-1], "sentence"
    if ranked and not in_list:
        # "xếp thứ 9 về PCI và xếp thứ 30 … về Chỉ số CCHC", "đứng đầu bảng xếp hạng Chỉ số
        # PCI": the index a rank is "về" or in the ranking of, written after it with no
        # other figure or index between, is its own ("đứng đầu Chỉ số CCHC, còn về Chỉ số
        # SIPAS, …" is not about SIPAS)
        named_after = [m for m in starting(indexes, cand.end, cand.end + 61)[:1]
                       if _ABOUT_BEFORE.fullmatch(circles.text, cand.end, m.start)]
        if named_after:
            return named_after[0], "sentence"
    near = indexes if ranked else same_clause(indexes, cand)
    index, how = pick(near, circles, cand, after=ranked and not in_list, look_back=ranked,
                      paragraphs_back=1 if in_list else _BACK if ranked else 0, title=ranked, before_pos=list_start,
                      carried=lambda m: not _in_brackets(circles.text, m))
    if index is not None and how is not None and not ranked and index.end <= cand.start \
            and _OWN_SHARE.search(circles.text, index.end, cand.start):
        return None, None  # "Chỉ số CCHC đạt 86,4%, tỷ lệ hồ sơ trực tuyến đạt 61,2%": a share of its own
    if index is not None and how == "sentence" and ranked:
        return _settled_by_title(index, cand, indexes, circles)
    if index is not None and how == "previous_sentence":
        index = _carried_by_title(index, indexes, circles)
    if index is not None and how is not None:
        return index, how
    if ranked and indexes:
        # An article about one index names it once, above paragraphs of its components'
        # scores and ranks: the nearest index named before the figure, else the first.
        earlier = last_ending_by(indexes, cand.start)
        return (earlier if earlier is not None else indexes[0]), "article"
    if not ranked and indexes and circles.once_per_sentence("respondents", cand.sentence, _RESPONDENTS.search):
        return _survey_of(cand, indexes, circles)
    if cand.rule.kind == "percentage" and indexes \
            and circles.once_per_sentence("bare_index", cand.sentence, _BARE_INDEX.search):
        # "53 địa phương có mức tăng chỉ số …, tỉnh A tăng mạnh nhất với 6,39%": a change of
        # the index the article is about, which the sentence calls only "chỉ số"
        earlier = last_ending_by(indexes, cand.start)
        return (earlier if earlier is not None else indexes[0]), "article"
    return None, None


# A change of the index called by its head noun alone, as the rest of an article about it
# does ("mức tăng chỉ số so với năm 2023", "có chỉ số giảm"); "chỉ số giá tiêu dùng tăng" names
# another.
_BARE_INDEX = regex.compile(
    r"(?<!\p{L})(?:mức )?(?:tăng|giảm) chỉ số(?!\p{L})|(?<!\p{L})chỉ số (?:tăng|giảm)(?!\p{L})", regex.IGNORECASE)


# A share of a survey's respondents: "9% doanh nghiệp tham gia điều tra cho biết …".
_RESPONDENTS = regex.compile(
    r"(?:doanh nghiệp|người dân|người|hộ gia đình|người lao động)\s+(?:được hỏi|được khảo sát|được phỏng vấn|"
    r"tham gia (?:khảo sát|điều tra|trả lời|phỏng vấn)|trả lời (?:khảo sát|phỏng vấn))", regex.IGNORECASE)
_SURVEYS = ("PCI", "PAPI", "SIPAS", "DDCI")


def _survey_of(cand: Candidate, indexes: list[Mention], circles: Circles) -> tuple[Mention | None, str | None]:
    """The survey index named in a respondents' share's sentence or the three before it in
    its paragraph: "Theo PCI 2016, … Có 9-11% doanh nghiệp tham gia điều tra cho biết …" is
    a figure of PCI's survey, not of no index."""
    at = circles.sentence_of(cand.start)
    first = at
    while first > 0 and at - first < 3 and circles.sentences[first - 1].paragraph == cand.sentence.paragraph:
        first -= 1
    start = max(circles.sentences[first].start, circles.title_end)
    found = [m for m in within(indexes, start, cand.sentence.end) if m.value in _SURVEYS]
    if not found:
        return None, None
    return found[-1], "sentence" if found[-1].start >= cand.sentence.start else "previous_sentence"


def _settled_by_title(found: Mention, cand: Candidate, indexes: list[Mention],
                      circles: Circles) -> tuple[Mention, str]:
    """The index the title names when the figure's sentence names several, none in the
    figure's own clause: "Quảng Ninh đoạt quán quân ở cả Chỉ số CCHC và SIPAS, trong khi
    Hà Nội đứng thứ 3" under a PAR Index title is Hà Nội's PAR Index rank, not the SIPAS
    named nearest before it."""
    sent = cand.sentence
    if not circles.title_end or sent.start < circles.title_end:
        return found, "sentence"
    in_sentence = within(indexes, sent.start, sent.end)
    if len({m.value for m in in_sentence}) < 2:
        return found, "sentence"
    start = clause_span(cand)[0]
    tail = _CLAUSE_END.search(circles.text, cand.end, sent.end)
    end = tail.start() if tail else sent.end
    if any(start <= m.start and m.end <= end for m in in_sentence):
        return found, "sentence"  # the figure's own clause names its index
    titled = _titled_among({m.value for m in in_sentence}, indexes, circles)
    return (titled[0], "title") if titled else (found, "sentence")


def _titled_among(codes: set[str], indexes: list[Mention], circles: Circles) -> list[Mention]:
    """The title's mentions of ``codes`` when the title names exactly one of them; else []."""
    titled = [m for m in within(indexes, 0, circles.title_end) if m.value in codes]
    return titled if len({m.value for m in titled}) == 1 else []


_CLAUSE_END = regex.compile(r"[,;:]")


def _carried_by_title(found: Mention, indexes: list[Mention], circles: Circles) -> Mention:
    """Of the indexes an earlier sentence names together ("công bố Chỉ số PCI và Chỉ số Xanh
    cấp tỉnh (PGI)"), the one the title names, for the sentences after it that name none;
    else the last named, as before."""
    if not circles.title_end or found.start < circles.title_end:
        return found
    sent = circles.sentences[circles.sentence_of(found.start)]
    in_sentence = within(indexes, sent.start, sent.end)
    codes = {m.value for m in in_sentence}
    titled = _titled_among(codes, indexes, circles) if len(codes) > 1 else []
    if not titled:
        return found
    return next(m for m in reversed(in_sentence) if m.value == titled[0].value)


# A share that names its own measure after the index's value: "…, tỷ lệ hồ sơ … đạt 61,2%".
_OWN_SHARE = regex.compile(
    r"[\d%][^.;]*?[,;]\s+tỷ lệ (?!(?:điểm|hài lòng|người dân(?:, tổ chức)? hài lòng|đạt|là|\d))\p{L}+",
    regex.IGNORECASE)


def other_index_name(mention: Mention, vocab: Vocab) -> str | None:
    """The name of an index outside the contract's list (code OTHER): a fact of Doing
    Business, GII or PMI reports it as its ``component``, since the code alone does not
    say which ranking the figure is from."""
    if mention.value != "OTHER":
        return None
    entry = vocab.lex.index_of(mention.text)
    return entry.name if entry is not None else None


# The clause holds no figure ("…, A đạt 9,5/10 điểm, B đạt 8,75/9": B's clause starts past
# A's value, or past "và" after it: "xếp thứ 27 và xã hội số đạt 0,5991 điểm"), and may
# end with a colon ("- Cải cách thể chế: 8,1/9 điểm") or open the value's brackets
# ("ở 3 tiêu chí: Công khai, minh bạch (6,49 điểm); Kiểm soát tham nhũng (8,28 điểm)").
_COMPONENT_CLAUSE = regex.compile(
    r"(?:^|[;:…]|\.\s|,\s(?=\p{Ll}|[“\"])|(?<=\)),\s|\s[-–]\s|\n\s*[-–•+]\s|(?<=[\d)])\s+và\s)\s*([^;:…\d\n()]{4,120}?)"
    r"(?:\s+(?:đạt|được|là)\s+(?:điểm\s+(?:tối đa\s+)?)?|\s*:\s*|\s*\()$")
_COMPONENT_REACH = 300
# What is not part of a component's name: "Chỉ số thành phần … của tỉnh chỉ đạt 3,2 điểm".
_COMPONENT_TRIM = regex.compile(
    r"^(?:(?:trong đó|cụ thể|ngoài ra|bên cạnh đó|đặc biệt|riêng|khi|với|và|còn)\s*,?\s*)?"
    r"(?:(?:còn )?lại\s*[-–:]\s*)?"  # "ở tiêu chí còn lại - Trách nhiệm giải trình …"
    r"(?:(?:như|gồm|các|lĩnh vực|chỉ số|chỉ tiêu)\s+)*(?:(?:thành phần|nội dung)\s+)?"
    # "(chỉ số) hài lòng về tiếp cận dịch vụ", "về thủ tục hành chính": the component's name follows
    r"(?:(?:(?:chỉ số|mức độ|tỷ lệ)\s+)?hài lòng\s+(?=về|đối với))?(?:(?:về|đối với)\s+)?"
    r"|(?:\s+(?:của|ở) (?:tỉnh|thành phố|huyện|sở|đơn vị|bộ)(?: này)?)?(?:\s+(?:chỉ|đã|vẫn|cũng|mới|đều))*$",
    regex.IGNORECASE)


def component_of(cand: Candidate, index_code: str | None,
                 vocab: Vocab) -> tuple[str | None, str | None]:
    """A component named just before a score in a list: "cải cách TTHC đạt 13,969/14".
    Outside a list only a component the index is known to have counts, since any clause
    before "đạt" would otherwise pass for one."""
    if cand.rule.kind != "score":
        return None, None
    before = cand.sentence.text[: cand.start - cand.sentence.start]
    # a match ends the head and spans at most ~160 characters: searched from near its end only
    # (the same matches; a 1,000-character sentence head searched whole per figure is quadratic)
    m = _COMPONENT_CLAUSE.search(before, max(0, len(before) - _COMPONENT_REACH))
    if not m:
        return None, None
    head = m.group(1).strip(" ,")
    phrase = _COMPONENT_TRIM.sub("", head).lstrip("-–•+ ").strip("“”\"' ")  # “Cải cách thể chế” đạt …
    named = vocab.index.match(head)
    if named is not None and _NAMED.match(named.group(0)):
        return None, None  # "chỉ số CCHC trung bình của cả 3 cấp đạt …": the index itself
    known = component_named(vocab, phrase, index_code) if index_code else sole_index_of(phrase, vocab)
    listed = list_intro_before(cand)
    if known:
        return _shortest_naming(phrase, index_code, known, vocab), "list" if listed else "sentence"
    agency = vocab.entity.match(phrase)
    if listed and not (agency is not None and agency.end() >= len(phrase.rstrip(" .")) - 1):
        return phrase, "list"  # not "- Sở Tư pháp: 92,1%", where the item names its subject
    return None, None


def _shortest_naming(phrase: str, index_code: str | None, name: str, vocab: Vocab) -> str:
    """The component's name without the words of the clause before it: "Ở các chỉ số nội
    dung, công khai, minh bạch" names "công khai, minh bạch"."""
    cuts = [i + 2 for i in range(len(phrase)) if phrase.startswith(", ", i)]
    for cut in reversed(cuts):
        tail = phrase[cut:]
        got = component_named(vocab, tail, index_code) if index_code else sole_index_of(tail, vocab)
        if got == name:
            return tail
    return phrase


# How many component lookups one run's linker remembers before it starts again.
_LOOKUP_MEMO = 8192


def component_named(vocab: Vocab, phrase: str, code: str, opening: bool = False) -> str | None:
    """``vocab.lex.component_of(phrase, code, opening)``, remembered with the run's linker
    words (``vocab.linking``, one per Resources): each score of a list asks its phrases of every index's
    components, and each lookup normalises tones and folds case (bounded: a long run
    reads many phrases)."""
    memo: dict[tuple[str, str, bool], str | None] = vocab.linking.built(f"{__name__}.components", dict)
    key = (phrase, code, opening)
    if key not in memo:
        if len(memo) >= _LOOKUP_MEMO:
            memo.clear()
        memo[key] = vocab.lex.component_of(phrase, code, opening)
    return memo[key]


def sole_index_of(phrase: str, vocab: Vocab) -> str | None:
    """The one index that has a component of this name, or None when none or several
    have it: with no index named near a score, "công tác chỉ đạo, điều hành đạt 8,75/9
    điểm" is still PAR Index's."""
    codes = [code for code in _COMPONENT_INDEXES if component_named(vocab, phrase, code)]
    return codes[0] if len(codes) == 1 else None


# A component named as such before a figure: "Chỉ số thành phần cải cách tổ chức bộ máy
# … đạt 95,4%", "Chỉ số chi phí không chính thức trong PCI 2022 … xếp thứ 8/63", "trụ cột
# Chính quyền số của tỉnh … xếp thứ 11".
_NAMED_COMPONENT = regex.compile(
    r"(?<!\p{L})(?:chỉ số thành phần|chỉ số nội dung|chỉ số|trụ cột|nội dung|tiêu chí|lĩnh vực)\s+(?:\([^()]{1,12}\)\s+)?"
    r"(?P<name>(?!(?:thành phần|nội dung|của|trong|về|này|đó)(?!\p{L}))[^,;:.()%\d]{4,90}?)(?=\s+(?:của|trong|đạt|được|là|xếp|đứng|ở|tại|với|thuộc|năm)(?!\p{L})|\s*[,;:(]|$)",
    regex.IGNORECASE)
# How far an attempt of _NAMED_COMPONENT reads past its start besides three runs of spaces:
# its longest head word, the brackets, a name of 90 characters and the word after it.
_NAMED_COMPONENT_REACH = len("chỉ số thành phần") + 14 + 90 + 16
_DIGIT = regex.compile(r"\d")
# "Chỉ số “công khai, minh bạch”: Năm 2019, tỉnh đạt 5,46 điểm; năm 2020, đạt 5,61 điểm": the
# same component's value of another year, in a clause that names nothing else.
_OTHER_YEAR = regex.compile(r"[;,]\s*(?:còn |và |đến |sang )?năm (?:19|20)\d\d\s*,?\s*(?:\p{L}+\s+){0,2}?"
                            r"(?:đạt|là|với|lên|xuống)\s*$", regex.IGNORECASE)
_YEAR = regex.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_OWN_SCORE = regex.compile(r"(?<!\p{L})(?:đạt|với|là)\s+[\d.,]+(?:\s*/\s*[\d.,]+)?\s*(?:điểm|%)?\s*,?\s*(?=(?:xếp|đứng)(?!\p{L}))")
_STRONG_HEAD = regex.compile(r"(?:chỉ số thành phần|trụ cột)(?!\p{L})", regex.IGNORECASE)
_COMPONENT_INDEXES = ("PAR_INDEX", "SIPAS", "PAPI", "PCI", "DDCI", "DTI")


def named_component(cand: Candidate, index_code: str | None, vocab: Vocab) -> tuple[str | None, str | None]:
    """A component of ``index_code`` (or, with no index found, of the one index that has
    it) named with its head word before a score or rank in the figure's sentence, and that
    index's code: "Chỉ số thành phần cải cách tổ chức bộ máy … đạt 95,4%" is PAR Index's."""
    if cand.rule.kind not in ("score", "rank"):
        return None, None
    before = cand.sentence.text[: cand.start - cand.sentence.start]
    codes = (index_code,) if index_code in _COMPONENT_INDEXES else () if index_code else _COMPONENT_INDEXES
    # the same matches as a scan of ``before``: every figure of a long sentence asks
    for m in reversed(head_matches(_NAMED_COMPONENT, cand.sentence, len(before), _NAMED_COMPONENT_REACH, 3)):
        between = _YEAR.sub("", before[m.end():])
        if cand.rule.kind == "rank":
            between = _OWN_SCORE.sub("", between)  # "đạt 0,5521 điểm, xếp thứ 11": the rank of that score
        if _DIGIT.search(between) and not _OTHER_YEAR.search(before[m.end():]):
            break  # another figure stands between: the component is that figure's
        if index_code is None and not _STRONG_HEAD.match(m.group(0)):
            continue  # "tiêu chí công khai TTHC": too common a head to tell the index by
        for written in _readings(m.group("name"), before[m.end("name"):]):
            hits = {(code, name) for code in codes if (name := component_named(vocab, written, code))}
            # the most specific name when two indexes have the words ("cải cách thủ tục hành
            # chính" is PAR Index's; SIPAS has only "thủ tục hành chính")
            ranked = sorted(hits, key=lambda h: -len(h[1]))
            if len(ranked) == 1 or (ranked and len(ranked[0][1]) > len(ranked[1][1])):
                # as written, as component_of gives it ("hài lòng về tiếp cận dịch vụ": its name)
                return _COMPONENT_TRIM.sub("", written.strip()) or written.strip(), ranked[0][0]
    return None, None


# Where the clause naming a rank's component begins: past punctuation or a figure ("…, xếp
# thứ 27 và xã hội số xếp thứ 26"); the words that may open it before the component's name
# ("Trong đó, chính quyền số …", "hạng mục “Chính quyền số” …"); the rank's verb that
# ends it ("… xếp", "… đều ở vị trí").
_RANK_CLAUSE_START = regex.compile(r"(?:[;:.(…]|,\s|\d[\d.,/]*%?(?:\s*điểm)?)\s*,?\s*", regex.IGNORECASE)
_RANK_CLAUSE_OPENER = regex.compile(
    r"(?:(?:trong đó|còn|và|riêng|với|ở|về|cụ thể)\s*,?\s*)*"
    r"(?:(?:chỉ số thành phần|chỉ số nội dung|chỉ số|trụ cột|hạng mục|lĩnh vực|nội dung)\s+)?[“\"‘']?",
    regex.IGNORECASE)
_RANK_VERB = regex.compile(
    r"(?:\s(?:đều|cũng|chỉ|vẫn|còn|lại|tiếp tục))?\s(?:xếp|đứng|ở|giữ|nằm)(?:\s(?:hạng|ở|tại|vị trí|thứ|số))*\s*$",
    regex.IGNORECASE)
# A place written with no verb before it, as list items give it ("Kinh tế số hạng 30").
_VERBLESS = regex.compile(r"(?:hạng|thứ)\s", regex.IGNORECASE)
# A rank "về" a component written after it: "xếp thứ 3 cả nước về nỗ lực cắt giảm chi phí
# không chính thức".
_ABOUT_AFTER = regex.compile(
    r"[^,;:.()\d]{0,30}?\svề\s([^,;:.()\d]{3,90}?)(?=\s*[,;:.()]|\s(?:với|và|khi|nhưng|so với)\s|\s*$)",
    regex.IGNORECASE)
# A rank right after a score of the same thing: "chính quyền số đạt 0,6683 điểm, xếp hạng thứ 29",
# "đạt 7,12 điểm (xếp thứ 8)", "đạt 6,9 điểm (thứ 20)".
_AFTER_OWN_SCORE = regex.compile(r"\s*(?:điểm|%)?\s*(?:,?\s*(?:và\s+)?(?:xếp|đứng)(?:\s+(?:hạng|ở|vị trí))*\s*"
                              r"|\(\s*(?:(?:xếp|đứng)(?:\s+(?:hạng|ở|vị trí))*\s*)?)", regex.IGNORECASE)


def rank_component(cand: Candidate, index_code: str | None, vocab: Vocab) -> tuple[str | None, str | None]:
    """A component of ``index_code`` (or of the one index that has it) that a rank is of,
    with no head word: the clause before the rank opens with its name ("Trong đó, chính
    quyền số xếp thứ 40/63"), or the rank is "về" it ("xếp thứ 3 về … chi phí không chính
    thức"). The name as written, and the index's code."""
    if cand.rule.kind != "rank":
        return None, None
    codes = (index_code,) if index_code in _COMPONENT_INDEXES else () if index_code else _COMPONENT_INDEXES
    sent = cand.sentence
    before = sent.text[: cand.start - sent.start]
    starts = list(_RANK_CLAUSE_START.finditer(before))
    clause = before[starts[-1].end():] if starts else before
    verb = _RANK_VERB.search(" " + clause)
    if verb is not None or _VERBLESS.match(sent.text, cand.start - sent.start):
        # "Kinh tế số hạng 30": a list item whose place follows the name with no verb
        head = clause[: max(0, verb.start() - 1)] if verb is not None else clause
        head = head[_RANK_CLAUSE_OPENER.match(head).end():]  # type: ignore[union-attr]
        found = _one_component(head, codes, vocab, opening=True)
        if found[0]:
            return found
    about = _ABOUT_AFTER.match(sent.text, cand.end - sent.start)
    return _one_component(about.group(1), codes, vocab, opening=False) if about else (None, None)


def _one_component(phrase: str, codes: tuple[str, ...], vocab: Vocab, *, opening: bool) -> tuple[str | None, str | None]:
    """The component ``phrase`` names (or opens with) and its index, when one index has it
    or one index has a longer name for it; else (None, None)."""
    hits = {(code, name) for code in codes if (name := component_named(vocab, phrase, code, opening))}
    ranked = sorted(hits, key=lambda h: -len(h[1]))
    if len(ranked) == 1 or (ranked and len(ranked[0][1]) > len(ranked[1][1])):
        return ranked[0][1], ranked[0][0]
    return None, None


def after_own_score(cand: Candidate, score: Candidate) -> bool:
    """Whether a rank follows a score in its sentence as the rank of that score ("đạt
    0,6683 điểm, xếp hạng thứ 29"), and so of its component."""
    return cand.rule.kind == "rank" and score.sentence is cand.sentence and score.end <= cand.start \
        and _AFTER_OWN_SCORE.fullmatch(cand.sentence.text, score.end - cand.sentence.start,
                                       cand.start - cand.sentence.start) is not None


# Where a component's name may end; the name itself holds no figure or punctuation.
_NAME_END = regex.compile(r"\s+(?:của|trong|đạt|được|là|xếp|đứng|ở|tại|với|thuộc|năm)(?!\p{L})|\s*[,;:(]|[.)%\d]")


_QUOTED = regex.compile(r"\s*[“\"]([^“”\"]{4,90})[”\"]")


def _readings(name: str, rest: str) -> list[str]:
    """The readings of a component's name to look up, the likeliest first: a name in
    quotation marks ("Chỉ số “trách nhiệm giải trình với người dân”: …") is the quoted
    words, whatever they hold; else :func:`_longer_names`."""
    quoted = _QUOTED.match(name + rest)
    if quoted is not None:
        return [quoted.group(1)]
    return _longer_names(name, rest)


def _longer_names(name: str, rest: str) -> list[str]:
    """The name as the head word's pattern cut it, then longer readings up to each later
    word it could end at: "Chỉ số thành phần tác động của CCHC đến người dân … đạt" is
    not named "tác động" but "tác động của CCHC đến người dân". A comma may stand inside a
    name ("… đến người dân, tổ chức và phát triển kinh tế - xã hội"): the readings go on
    past it, and only the lexicon's names are taken from them."""
    names = [name]
    for stop in _NAME_END.finditer(rest):
        longer = name + rest[:stop.start()]
        if len(longer) > 90:
            break
        if stop.start() > 0:
            names.append(longer)
        if rest[stop.start():stop.start() + 1] in ";:(.)%" or rest[stop.start()].isdigit():
            break
    return names


_MEASURE_STOP = regex.compile(r"[.;:()“”\"…]|, (?=\d|trong|còn|nhưng|so|tăng|giảm)| (?:so với|trong khi|trong đó|và|nhưng|còn|thì|là|với|đạt|tăng|giảm|so|của cả nước)\b")
_NOT_A_NOUN = regex.compile(r"^(?:so|trong|và|là|đạt|tăng|giảm|trở lên|trên|dưới|của|cho|ở|tại|với|thì|nhưng|còn|từ|đến|/)\b")
_CLAUSE_START = regex.compile(r"(?:^|[,;:(“\"]|\bthì\b)\s*(?:hiện nay,?\s*|đến nay,?\s*)?([^,;:(“\"]*)$")
_VERB_TAIL = regex.compile(r"\s+(?:(?:đã |đều |chỉ |mới |ước |vẫn |cũng )?(?:đạt|là|chiếm|tăng|giảm|ở mức|bằng|lên|xuống|còn)(?: tới| đến| được)?|có tới|có)(?: (?:trên|hơn|dưới|gần|khoảng|tối thiểu|ít nhất))?\s*$")


def measure_of(cand: Candidate) -> str | None:
    """The noun phrase a percentage is of: after it ("95% văn bản được …"), else the
    clause before its verb ("Tỷ lệ hồ sơ … đạt 95%")."""
    sent, rel = cand.sentence.text, cand.end - cand.sentence.start
    after = sent[rel:].strip()
    if after and not _NOT_A_NOUN.match(after.lower()):
        stop = _MEASURE_STOP.search(after)
        phrase = " ".join((after[: stop.start()] if stop else after).split()[:14]).strip(" ,")
        if 2 <= len(phrase) <= 120:
            return phrase
    before = sent[: cand.start - cand.sentence.start]
    tail = _VERB_TAIL.search(before)
    end = tail.start() if tail else len(regex.sub(r"\s*(?:trên|hơn|dưới|gần|khoảng|tối thiểu)?\s*$", "", before))
    if end:
        clause = _CLAUSE_START.search(before[:end])
        phrase = clause.group(1).strip() if clause else ""
        if 2 <= len(phrase) <= 120:
            return phrase
    return None
