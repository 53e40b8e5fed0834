"""``newsfacts panel``: one row per subject, index and year across an archive.

A module of its own so that the command's options and messages stay apart from the
other commands in ``cli.py``, which only registers it; like every command, it imports
the heavy parts inside the function, so ``newsfacts --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import typer

RULES_HELP = ("Rules root: blocks.yaml and rule files, lexicons/, sites/ (default: "
              "$NEWSFACTS_RULES, else the rules installed with newsfacts).")


def _err(message: str) -> None:
    typer.echo(message, err=True)


def panel(
    inputs: list[str] = typer.Argument(..., help="newsfacts outputs (.jsonl, .csv, .sqlite, Parquet folder; '-' for JSON Lines on stdin) or archives to extract first."),
    output: Path = typer.Option(..., "--output", "-o", help="The panel: .csv, .jsonl, .sqlite or .parquet; the measures table goes beside it (panel.measures.csv) or into the same database."),
    fmt: Literal["jsonl", "csv", "sqlite", "parquet"] | None = typer.Option(None, "--format", help="Output format (default: from the output suffix)."),
    map_to: str | None = typer.Option(None, "--map", help="Roll units up to the map of this year's reorganisation (2025: the 34 provinces); the old id goes in mapped_from."),
    html: Path | None = typer.Option(None, "--html", help="Also write the panel view (charts per index, conflicts, sources) as one HTML page."),
    rules_dir: Path | None = typer.Option(None, "--rules", help=RULES_HELP),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes when extracting archives (default: every core)."),
    engine: Literal["local", "dask"] = typer.Option("local", "--engine", help="Engine for extracting archives: local or dask."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (with --engine dask)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no summary on stderr."),
) -> None:
    """One row per subject, index, component and year: the chosen value, the articles that agree, every source, conflicts.

    Percentages and procedure counts go to a tidy table of their own (subject, measure, year, value). When articles disagree, the value most articles give is kept; ties go to the most recently published article, then to the first document id.

    Exit codes: 0 done, 1 nothing could be read, 2 usage, rules, input or output error, 4 the engine failed while extracting archives.
    """
    from .errors import NewsfactsError
    from .panel import MAPS, SubjectResolver, build_panel
    from .panel.inputs import classify, iter_records

    if map_to is not None and map_to not in MAPS:
        _err(f"error: --map must be one of {', '.join(MAPS)}")
        raise typer.Exit(2)
    try:
        subjects = SubjectResolver.load(rules_dir)  # the lexicons; archives load the rest
        found = classify(inputs)
        records = iter_records(found, rules_dir, jobs, engine, scheduler, quiet)
        result = build_panel(records, subjects, map_to, output, fmt, keep=html is not None)
    except NewsfactsError as exc:
        _err(str(exc) if str(exc).startswith("error:") else f"error: {exc}")
        raise typer.Exit(getattr(exc, "code", exc.exit_code)) from None
    except OSError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(2) from None
    if html is not None:
        from .panel.view import write_panel_page

        write_panel_page(result, html)
    s, c = result.stats, result.counts
    if not quiet:
        skipped = ", ".join(f"{n} {why.replace('_', ' ')}" for why, n in sorted(s.skipped.items()))
        _err(f"{s.records} records, {s.facts} facts: {c['rows']} panel rows ({c['conflicts']} with "
             f"conflicts), {c['measures']} measure rows ({c['measure_conflicts']} with conflicts)"
             + (f"; left out: {skipped}" if skipped else "")
             + " -> " + ", ".join(map(str, result.paths)) + (f", {html}" if html else ""))
    if s.records == 0:
        _err("error: no record could be read")
        raise typer.Exit(1)
