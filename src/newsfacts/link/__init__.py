"""Linking: the subject, index, component and year of every figure, with evidence.

``core`` orchestrates (:func:`link_candidates`); ``circles`` holds the widening
circles an attribute is looked for in; ``clauses`` where a figure's clause begins and
ends; ``years``, ``index`` (index, component, measure) and ``subject`` (the ordered
chain of :data:`SUBJECT_STRATEGIES`, with ``populations`` for shares and ``aggregates``
for groups of units) each find one attribute; ``words`` reads their Vietnamese word lists from ``rules/lexicons/linking.yaml``.
The package imports only lower stages (entities, extract, segment, lexicons).
"""

from .core import link_candidates
from .subject import SUBJECT_STRATEGIES, SubjectStrategy

__all__ = ["SUBJECT_STRATEGIES", "SubjectStrategy", "link_candidates"]
