"""The maximum of a scale stated once, before the scores that use it.

"Theo thang điểm 100, … Năm nay, Việt Nam đạt 69,8 điểm, cao hơn 68,8 điểm năm trước":
the scale is written once, earlier in the figure's sentence or in one of the two sentences
before it (in its paragraph or closing the one before), and holds for the scores in points
that follow it. A score rule reads a
scale written with its figure ("81,6 điểm (thang điểm 100)"); this pass gives the same
maximum to the scores a scale written apart from them goes with.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import regex

from .circles import Circles

# "thang điểm 100", "theo thang 10 điểm", "trên thang điểm một trăm" is read by the rules
# "Thang điểm đánh giá đối với bộ chỉ số … là 1.000 điểm" too
# ("(Thang điểm 10)" in brackets is a column's or a figure's own scale, read with it)
_SCALE = regex.compile(r"(?<!\p{L}|\(\s?)thang(?: điểm)?(?: [^.;\d]{1,90}? là)? (?P<n>10|100|1000|1\.000)(?!\d|[.,]\d|\s?\))",
                       regex.IGNORECASE)
_SENTENCES_BACK = 2  # a scale holds for the sentence it is in and the two after it


def scale_maxima(facts: list[dict[str, Any]], circles: Circles) -> None:
    """Give a score in points with no maximum the maximum of a scale stated before it in
    its sentence or in the two sentences before it (in its paragraph or the one before:
    "… Thang điểm … là 1.000 điểm." closing the paragraph that presents the index), when
    the value fits under it. The text is searched once; each score costs a bisection."""
    scores = [f for f in facts if f["kind"] == "score" and f.get("max") is None and f.get("unit") == "point"]
    if not scores:
        return
    found = circles.once("scales", lambda: [(m.end(), int(m.group("n").replace(".", ""))) for m in _SCALE.finditer(circles.text)])
    if not found:
        return
    ends = [end for end, _ in found]
    for fact in scores:
        start = fact["span"][0]
        k = bisect_right(ends, start) - 1
        if k < 0:
            continue
        end, size = found[k]
        here, there = circles.sentence_of(start), circles.sentence_of(end - 1)
        sentences = circles.sentences
        if here - there > _SENTENCES_BACK or sentences[here].paragraph - sentences[there].paragraph > 1:
            continue
        value = fact.get("value")
        if isinstance(value, (int, float)) and 0 <= value <= size:
            fact["max"] = float(size)
