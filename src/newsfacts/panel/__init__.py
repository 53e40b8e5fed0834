"""The panel: one row per subject, index, component and year across a whole archive.

An archive tells one result in many articles, in different words and sometimes with
different figures. ``extract`` gives one record per article; the panel groups their
figures by canonical subject (:mod:`.subjects`), keeps one value per row by a written
rule (:mod:`.choose`), lists every source and flags the rows where articles disagree.
Percentages and procedure counts get a tidy table of their own (subject, measure, year,
value). Figures pass through a temporary SQLite table (:mod:`.store`), so memory holds
one row's figures, not the archive.

Modules: ``subjects`` (canonical ids, the 2025 map), ``choose`` (the rule), ``store``
(the working table), ``rows`` (the two tables' columns and rows), ``inputs`` (outputs in
any format, archives extracted first), ``outputs`` (JSON Lines, CSV, SQLite, Parquet),
``view`` (the HTML panel view: SVG charts and the conflict table).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .choose import STRATEGIES
from .store import FactStore, StoreStats
from .subjects import Subject, SubjectResolver

if TYPE_CHECKING:
    from ..resources import Resources

MAPS = ("2025",)


@dataclass
class Panel:
    """A panel's two tables (when kept) and what went into them."""

    stats: StoreStats
    rows: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)


def build_panel(records: Iterable[dict[str, Any]], subjects: Resources | SubjectResolver,
                map_to: str | None = None,
                output: Path | None = None, fmt: str | None = None, keep: bool = True,
                workdir: Path | None = None) -> Panel:
    """The panel of ``records`` (``extract`` records, as dicts), their subjects resolved
    with ``subjects`` (a run's resources, or :meth:`SubjectResolver.load` of a rules root).

    With ``output`` its tables are written there (format from ``fmt`` or the suffix);
    ``keep`` keeps the rows in the returned :class:`Panel` too (for a chart: memory then
    grows with the number of rows). ``map_to="2025"`` rolls every unit up to the one it
    became part of in the 2025 reorganisation, naming the old id in ``mapped_from``."""
    from .outputs import PanelWriter
    from .rows import measure_rows, panel_rows

    if map_to is not None and map_to not in MAPS:
        raise ValueError(f"unknown map {map_to!r}; known: {', '.join(MAPS)}")
    resolver = subjects if isinstance(subjects, SubjectResolver) else SubjectResolver.of(subjects)
    store = FactStore(resolver, map_2025=map_to == "2025", workdir=workdir)
    writer = PanelWriter(output, fmt) if output is not None else None
    panel = Panel(store.stats)
    ok = False
    try:
        for seq, record in enumerate(records):
            store.add(record, seq)
        counts = dict.fromkeys(("rows", "conflicts", "measures", "measure_conflicts"), 0)
        for table, rows, name in ((panel.rows, panel_rows(store), "rows"),
                                  (panel.measures, measure_rows(store), "measures")):
            for row in rows:
                counts[name] += 1
                counts["conflicts" if name == "rows" else "measure_conflicts"] += bool(row["conflict"])
                if writer is not None:
                    (writer.panel if name == "rows" else writer.measures).write(row)
                if keep:
                    table.append(row)
        panel.counts = counts
        ok = True
    finally:
        store.close()
        if writer is not None:
            writer.close(ok)
            panel.paths = writer.paths if ok else []
    return panel


__all__ = ["MAPS", "STRATEGIES", "Panel", "Subject", "SubjectResolver", "build_panel"]
