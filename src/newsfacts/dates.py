"""Publication dates: read from what pages and archives write, given out as ISO 8601 with
how precise the source was.

A page may give a day ("21/07/2022"), a minute ("10:33, 23/02/2021") or a second
(``2023-05-30T18:05:12``); an archive's ``published`` may be any of those or an e-mail
style date. A record's ``published`` is always ISO 8601 (``YYYY``, ``YYYY-MM``,
``YYYY-MM-DD``, or ``YYYY-MM-DDTHH:MM:SS`` with the zone when one is known) and its
``published_precision`` says which part the source stated, so that an analyst neither
mistakes a day for midnight nor compares a minute with a second. Vietnamese sites write
local time without a zone; the page reader passes ``+07:00`` for them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Literal, NamedTuple

Precision = Literal["year", "month", "day", "hour", "minute", "second"]
PRECISIONS: tuple[str, ...] = ("year", "month", "day", "hour", "minute", "second")
VN_TZ = timezone(timedelta(hours=7))


class Stamp(NamedTuple):
    """A date in ISO 8601 and the precision its source stated."""

    iso: str
    precision: Precision


_DATE = r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})"
_TIME = r"(\d{1,2})\s*[:hH]\s*(\d{2})(?:\s*:\s*(\d{2}))?"
_VISIBLE_DATE = [
    re.compile(_TIME + r"(?:\s*(?:AM|PM|SA|CH))?\s*[,\-|–]?\s*(?:(?:thứ\s+\w+|chủ nhật)\s*,?\s*)?"
               r"(?:ngày\s+)?" + _DATE, re.IGNORECASE),
    re.compile(_DATE + r"\s*[,\-|–]?\s*(?:lúc\s+)?" + _TIME, re.IGNORECASE),
    re.compile(r"(?<![\d/])" + _DATE + r"(?![\d/])"),
    re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE),
]


def _stamp(value: datetime, precision: Precision) -> Stamp:
    """A time as ISO 8601 to the second (one form for every time, easy to parse and sort)."""
    return Stamp(value.isoformat(timespec="seconds"), precision)


def visible_date(text: str, tz: timezone | None = VN_TZ) -> Stamp | None:
    """ "10:33, 23/02/2021", "Thứ Hai, 30/05/2017 14:20 (GMT+7)", "(21/07/2022)": the first
    date a reader sees in ``text``; a naive time gets ``tz``, or the GMT offset written."""
    for i, rx in enumerate(_VISIBLE_DATE):
        m = rx.search(text)
        if not m:
            continue
        g = [int(x) if x else 0 for x in m.groups()]
        seconds = m.group(3 if i == 0 else 6) is not None if i < 2 else False
        if i == 0:
            hh, mm, ss, day, month, year = g
        elif i == 1:
            day, month, year, hh, mm, ss = g
        else:
            (day, month, year), hh, mm, ss = g[:3], None, 0, 0
        try:
            if hh is None:
                return Stamp(date(year, month, day).isoformat(), "day")
            value = datetime(year, month, day, hh, mm, ss)
        except ValueError:
            continue
        precision: Precision = "second" if seconds else "minute"
        offset = re.search(r"GMT\s*([+-])\s*(\d{1,2})", text[m.end():m.end() + 20])
        if offset:
            hours = int(offset.group(2)) * (1 if offset.group(1) == "+" else -1)
            return _stamp(value.replace(tzinfo=timezone(timedelta(hours=hours))), precision)
        return _stamp(value.replace(tzinfo=tz) if tz else value, precision)
    return None


def _time_precision(time_part: str) -> Precision:
    """How much of a time an ISO text gives: ``08`` hour, ``08:00`` minute, ``08:00:00`` second."""
    digits = re.sub(r"\D", "", re.split(r"[Z+\-]", time_part.split(".")[0], maxsplit=1)[0])
    return "hour" if len(digits) <= 2 else "minute" if len(digits) <= 4 else "second"


def iso_date(value: str, tz: timezone | None) -> Stamp | None:
    """A machine date (meta tag, JSON-LD, an ISO field) to ISO 8601; a naive time gets
    ``tz``; what is not ISO is read as a reader would see it (:func:`visible_date`)."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return visible_date(value, tz)
    if len(value) <= 10:
        return Stamp(parsed.date().isoformat(), "day")
    if parsed.tzinfo is None and tz is not None:
        parsed = parsed.replace(tzinfo=tz)
    return _stamp(parsed, _time_precision(re.split(r"[T ]", value, maxsplit=1)[-1]))


_YEAR_MONTH = re.compile(r"((?:19|20)\d\d)(?:-(0[1-9]|1[0-2]))?")
_EMAIL_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")


def read_published(value: str) -> Stamp | None:
    """A record's ``published`` from whatever an input gave: ISO 8601 (also only a year or
    a month), an e-mail style date ("Tue, 30 May 2017 14:20:00 +0700"), or a visible form
    ("30/05/2017 14:20"); no zone is invented for a naive time. None when it is no date."""
    text = value.strip()
    m = _YEAR_MONTH.fullmatch(text)
    if m:
        return Stamp(text, "month" if m.group(2) else "year")
    stamp = iso_date(text, None) if re.match(r"\d{4}", text) else None
    if stamp is not None:
        return stamp
    email_time = _EMAIL_TIME.search(text)
    if email_time and re.search(r"[A-Za-z]{3}", text):
        from email.utils import parsedate_to_datetime

        try:
            return _stamp(parsedate_to_datetime(text),
                          "second" if email_time.group(1) else "minute")
        except (TypeError, ValueError, IndexError):
            pass
    return visible_date(text, None)
