"""The article as a whole: the entity it is about, and the fullest name it gives one.

Found once per article, below the subject strategies that ask for them.
"""

from __future__ import annotations

from ..entities import COUNTRIES, Mention
from .circles import Circles
from .spans import Mentions


def expand_subject(name: str, sid: str | None, entities: list[Mention]) -> tuple[str, str | None]:
    """'Sở KH&CN' -> 'Sở KH&CN Hà Tĩnh' when the article names it in full somewhere.

    The answer depends on the name and the article only, so for a :class:`Mentions` it is
    worked out once per name (an article of a thousand figures asks it a thousand times)."""
    if isinstance(entities, Mentions):
        key = ("expand_subject", name, sid)
        if key not in entities.memo:
            entities.memo[key] = _expand(name, sid, entities)
        return entities.memo[key]  # type: ignore[return-value]
    return _expand(name, sid, entities)


def _expand(name: str, sid: str | None, entities: list[Mention]) -> tuple[str, str | None]:
    best, best_id = name, sid
    low = name.lower()
    for m in entities:
        full, full_id = m.value.text, m.value.id
        if len(full) > len(best) and full.lower().startswith(low):
            best, best_id = full, full_id or best_id
    return best, best_id


def main_subject(entities: list[Mention], circles: Circles) -> Mention | None:
    """The entity the article is about: most mentioned, title and lead counting triple."""
    lead_end = circles.sentences[min(len(circles.sentences), 3) - 1].end if circles.sentences else 0
    weight: dict[str, float] = {}
    first: dict[str, Mention] = {}
    for m in entities:
        name, sid = m.value.text, m.value.id
        key = sid or name.lower()
        w = 3.0 if m.start < max(lead_end, circles.title_end) else 1.0
        weight[key] = weight.get(key, 0.0) + (w / 3 if name in COUNTRIES else w)
        if key not in first or len(name) > len(first[key].value.text):
            first[key] = m
        place = m.value.place
        if m.value.kind == "org" and place is not None:
            # "Công an huyện Chương Mỹ" names the district too, as often as the body
            pkey = place.id or place.text.lower()
            weight[pkey] = weight.get(pkey, 0.0) + w
            first.setdefault(pkey, Mention(m.start, m.end, m.text, place))
    if not weight:
        return None
    best = max(weight, key=lambda k: (weight[k], -first[k].start))
    chosen = first[best]
    # "Bắc Ninh" in the title, "UBND tỉnh Bắc Ninh" in the text: name it "tỉnh Bắc Ninh"
    fuller = [m.value.place.text for m in entities if m.value.place is not None
              and m.value.place.id == chosen.value.id and len(m.value.place.text) > len(chosen.value.text)]
    if chosen.value.id and fuller:
        chosen = Mention(chosen.start, chosen.end, chosen.text, chosen.value._replace(text=max(fuller, key=len)))
    return chosen
