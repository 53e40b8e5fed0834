"""Command line: ``newsfacts extract|schema|...``.

Heavy imports (underthesea, trafilatura, pydantic models) happen inside the
commands so that ``newsfacts --help`` stays instant.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Figures from Vietnamese public-administration news as validated JSON records.",
)

# Exit codes (documented in README): 0 ok, 1 nothing could be read, 2 usage / rules error.
EXIT_NOTHING_READ = 1
EXIT_BAD_RULES = 2


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _open_output(output: Optional[Path]):  # type: ignore[no-untyped-def]
    if output is None or str(output) == "-":
        return sys.stdout, False
    output.parent.mkdir(parents=True, exist_ok=True)
    return output.open("w", encoding="utf-8"), True


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files or folders of articles (.txt, searched recursively)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="JSON Lines file; '-' or none for stdout."),
    with_text: bool = typer.Option(False, "--with-text", help="Add the cleaned text that spans index into."),
    rules_dir: Optional[Path] = typer.Option(None, "--rules", help="Rules folder (default: the bundled rules/)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary on stderr."),
) -> None:
    """Extract scores, ranks, procedure counts and percentages: one JSON line per article."""
    from .ingest import ReadError, iter_documents
    from .pipeline import process_document
    from .rules import RuleError, load_rules

    started = time.perf_counter()
    try:
        ruleset = load_rules(rules_dir)
    except RuleError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_RULES) from None
    sink, close = _open_output(output)
    docs = errors = 0
    kinds: Counter[str] = Counter()
    try:
        for item in iter_documents(paths):
            if isinstance(item, ReadError):
                errors += 1
                _err(f"skipped {item.doc_id or item.source.get('path')}: {item.error}")
                continue
            try:
                record = process_document(item, ruleset, with_text=with_text)
            except Exception as exc:  # one bad document must not end the run
                errors += 1
                _err(f"skipped {item.doc_id}: {type(exc).__name__}: {exc}")
                continue
            sink.write(record.model_dump_json(exclude_none=False) + "\n")
            docs += 1
            kinds.update(f.kind for f in record.facts)
    finally:
        if close:
            sink.close()
    elapsed = time.perf_counter() - started
    if not quiet:
        by_kind = ", ".join(f"{k} {kinds[k]}" for k in ("score", "rank", "procedure_count", "percentage"))
        _err(f"{docs} documents, {sum(kinds.values())} facts ({by_kind}), "
             f"{errors} skipped, {elapsed:.2f} s")
    if docs == 0:
        _err("error: no article could be read")
        raise typer.Exit(EXIT_NOTHING_READ)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one output line."""
    from .models import record_json_schema

    typer.echo(json.dumps(record_json_schema(), ensure_ascii=False, indent=2))


def main() -> None:  # pragma: no cover
    app()
