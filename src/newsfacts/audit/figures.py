"""Numbers in a sentence that may be the contract's figures, and the trigger words near
them: what ``explain`` and ``rules coverage`` look for beyond what the rules found."""

from __future__ import annotations

from dataclasses import dataclass

import regex

_NUMBER = r"\d+(?:[.,]\d+)*"
FIGURE = regex.compile(rf"(?<![\p{{L}}\d.,/:_-]){_NUMBER}(?:\s?/\s?{_NUMBER})*(?:\s?%)?")
_NOT_FIGURE_BEFORE = regex.compile(
    r"(?:ngày|tháng|quý|khóa|khoá|số|lần|lúc|kỳ|mức độ|mức|cấp độ|điều|khoản|nghị định|"
    r"quyết định|thông tư|chương|phụ lục|sáng|chiều|trưa|tối|đêm|"
    r"(?:lần|kỳ họp|năm|khóa|phiên|đợt) thứ|(?:mức độ|mức) \d(?:,| và)(?: mức(?: độ)?)?)\s*$",
    regex.IGNORECASE)
_NOT_FIGURE_AFTER = regex.compile(r"-\d{1,2}-\d{2,4}|-(?:19|20)\d\d(?!\d)|h(?:\d|\b)|/\p{L}|-\p{Lu}")
# Words near which a number is probably one of the contract's figures ("%" only on the figure).
TRIGGERS = regex.compile(
    r"(?<!\p{L})(?:(?<!thời |thí |địa |đặc |quan |ưu |nhược )điểm(?! cầu)|phần trăm|xếp|đứng|"
    r"hạng|bậc|vị trí|thứ|top|tốp|chỉ số|tỷ lệ|tỉ lệ|TTHC|thủ tục|dịch vụ công|DVC\w*|hồ sơ|"
    r"PAR|PCI|PAPI|SIPAS|DDCI|DTI)(?!\p{L})",
    regex.IGNORECASE)


@dataclass
class Figure:
    start: int
    end: int
    text: str
    note: str | None = None  # why it is not a candidate: year, date, time, document number…


def figures(text: str) -> list[Figure]:
    """Numbers in ``text``; ``note`` says which ones are plainly not facts."""
    out = []
    for m in FIGURE.finditer(text):
        s, e, t = m.start(), m.end(), m.group(0)
        nxt = text[e:e + 2]
        note: str | None = None
        if t.count("/") >= 2 or _NOT_FIGURE_AFTER.match(text, e):
            note = "date or document number"
        elif regex.match(r":\d", nxt):
            note = "time or standard"
        elif "/" not in t and "%" not in t and regex.fullmatch(r"(?:19|20)\d\d", t):
            note = "year"
        elif _NOT_FIGURE_BEFORE.search(text[max(0, s - 14):s]) and "%" not in t:
            note = "date, level or reference number"
        out.append(Figure(s, e, t, note))
    return out


def trigger_near(text: str, fig: Figure, window: int = 40) -> str | None:
    """The trigger word nearest the figure within ``window`` characters, if any."""
    if fig.text.endswith("%"):
        return "%"
    lo, hi = max(0, fig.start - window), min(len(text), fig.end + window)
    best: tuple[int, str] | None = None
    for m in TRIGGERS.finditer(text, lo, hi):
        dist = fig.start - m.end() if m.end() <= fig.start else m.start() - fig.end
        if dist >= 0 and (best is None or dist < best[0]):
            best = (dist, m.group(0).lower())
    return best[1] if best else None
