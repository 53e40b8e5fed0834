"""Command line: ``newsfacts extract|schema|...``.

Heavy imports (underthesea, trafilatura, pydantic models) happen inside the
commands so that ``newsfacts --help`` stays instant.
"""

from __future__ import annotations

import atexit
import gc
import json
from pathlib import Path
from typing import Literal, get_args

import typer

from .cli_fetch import fetch as fetch_cmd
from .cli_panel import panel as panel_command

# -h as well as --help on every command; `newsfacts --install-completion` / `--show-completion`
# (typer's) give shell completion.
CONTEXT = {"help_option_names": ["-h", "--help"]}
# Plain help and usage errors (click's), not typer's rich panels: rendering those imports
# rich, markdown-it and pygments, ~0.14 s of CPU, which would be most of `newsfacts --help`
# (issue 17: at most 0.15 s). The text is the same; only the boxes go.
PLAIN = None
app = typer.Typer(
    context_settings=CONTEXT,
    no_args_is_help=True,
    rich_markup_mode=PLAIN,
    help="Figures from Vietnamese public-administration news as validated JSON records.",
)

# Exit codes (README, docs/scale.md): 0 ok, 1 nothing could be read, 2 usage error or a
# rules root that cannot be used (errors.NewsfactsError's exit_code); extract adds 3 (some
# documents failed, with --strict), 4 (engine failed), 130 (interrupted), 141 (stdout closed).
EXIT_NOTHING_READ = 1
EXIT_BAD_RULES = 2
# the sinks' formats (sinks.FORMATS), written out so that `--help` does not import the sinks
OutputFormat = Literal["jsonl", "csv", "sqlite", "parquet"]
OUTPUT_FORMATS: tuple[str, ...] = get_args(OutputFormat)
RULES_HELP = ("Rules root: blocks.yaml and rule files, lexicons/, sites/ (default: "
              "$NEWSFACTS_RULES, else the rules installed with newsfacts).")


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _print_version(wanted: bool) -> None:
    """``--version``: the package, the rules root it reads (and a digest of its files, so
    two runs can tell whether they used the same rules) and the output schema."""
    if not wanted:
        return
    import newsfacts

    from .models import SCHEMA_VERSION
    from .resources import RulesBundle, default_root

    root = default_root()
    try:
        rules = f"{root} (digest {RulesBundle.from_dir(root).digest})"
    except OSError as exc:
        rules = f"{root} (unreadable: {exc})"
    typer.echo(f"newsfacts {newsfacts.__version__}\nrules: {rules}\nschema: {SCHEMA_VERSION}")
    raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="Print the version, the rules root and its digest, and the schema version."),
) -> None:
    """Figures from Vietnamese public-administration news as validated JSON records."""


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files or folders of articles (searched recursively), or http(s) URLs to fetch first."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Output file: .jsonl (default), .csv, .sqlite or .parquet; '-' or none for JSON Lines on stdout."),
    with_text: bool = typer.Option(False, "--with-text", help="Add the cleaned text that spans index into."),
    rules_dir: Path | None = typer.Option(None, "--rules", help=RULES_HELP),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no summary on stderr."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes (default 0: every core)."),
    unordered: bool = typer.Option(False, "--unordered", help="Write batches as they finish, not in input order."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run: keep what the output (and --errors file) holds, skip those documents."),
    errors: Path | None = typer.Option(None, "--errors", help="JSON Lines file of documents that failed: doc_id, source, stage, error."),
    stats: Path | None = typer.Option(None, "--stats", help="Write the run summary as JSON here."),
    engine: Literal["local", "dask"] = typer.Option("local", "--engine", help="local (process pool) or dask."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (default: a local cluster of --jobs workers)."),
    fmt: OutputFormat | None = typer.Option(None, "--format", help="Output format (default: from the output suffix)."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Documents per batch sent to a worker and written at once."),
    strict: bool = typer.Option(False, "--strict", help="Exit 3 when any document failed."),
    time_limit: float = typer.Option(120.0, "--time-limit", min=0, help="Seconds one document may take; over it, the document is an error (stage timeout) and the run goes on. 0: no limit."),
    dedupe: bool = typer.Option(False, "--dedupe", help="Drop an article whose URL or cleaned text was already written (counted in the summary)."),
    max_figures: int = typer.Option(10_000, "--max-figures", min=0, help="Figures one document may hold; over it, the document is an error (stage limit) and the run goes on. 0: no limit."),
    fetch_lists: bool = typer.Option(False, "--fetch", help="The files given list URLs (one a line): fetch them, then extract."),
    keep_warc: Path | None = typer.Option(None, "--keep-warc", help="Keep what was fetched in this WARC (.warc.gz)."),
) -> None:
    """Extract scores, ranks, procedure counts and percentages: one record per article.

    URLs (and, with --fetch, the URLs listed in the files given) are fetched first, as
    `newsfacts fetch` does; files are read as they are, without any network access.

    Exit codes: 0 done, 1 nothing could be read, 2 usage/rules/output error,
    3 some documents failed (with --strict), 4 engine failure, 130 interrupted
    (re-run with --resume), 141 standard output closed early (as by `| head`;
    quiet, no traceback). See docs/scale.md.
    """
    from .cli_fetch import fetch_for_extract
    from .run import EXIT_ENGINE, EXIT_PARTIAL, RunError, Runner, RunOptions, summary_line

    paths = fetch_for_extract(paths, fetch_lists, keep_warc, resume, quiet)
    opts = RunOptions(
        paths=paths, output=output, fmt=fmt, jobs=jobs, ordered=not unordered, resume=resume,
        errors=errors, stats=stats, engine=engine, scheduler=scheduler, rules_dir=rules_dir,
        with_text=with_text, batch_size=batch_size, progress="none" if quiet else "auto",
        dedupe=dedupe, time_limit=time_limit or None, max_figures=max_figures or None)
    # At exit, spare the interpreter's last collection a walk over everything the run
    # loaded: tens of milliseconds, and nothing to free.
    atexit.register(gc.freeze)
    runner = Runner(opts)
    to_file = output is not None and str(output) != "-"
    try:
        result = runner.run()
    except RunError as exc:
        _err(str(exc) if str(exc).startswith("error:") else f"error: {exc}")
        raise typer.Exit(exc.code) from None
    except Exception as exc:
        _err(f"error: {type(exc).__name__}: {exc}"
             + (" (re-run with --resume to continue)" if to_file else ""))
        raise typer.Exit(EXIT_ENGINE) from None
    if result.pipe_closed:  # `extract … | head`: the reader has what it wanted
        raise typer.Exit(result.exit_code)
    if not quiet:
        _err(summary_line(result))
    if result.interrupted:
        import os
        import signal

        # a second Ctrl-C while this is printed ends the run as the first did
        signal.signal(signal.SIGINT, lambda *_: os._exit(result.exit_code))
        _err("interrupted: finished batches are on disk; re-run with --resume to continue"
             if to_file else "interrupted: the records written so far are whole (standard "
             "output cannot resume: use --output FILE to make a run resumable)")
    elif result.exit_code == EXIT_NOTHING_READ:
        _err("error: no article could be read")
    code = result.exit_code
    if code == EXIT_PARTIAL and not strict:
        code = 0
    if code:
        raise typer.Exit(code)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one output line."""
    from .models import record_json_schema

    typer.echo(json.dumps(record_json_schema(), ensure_ascii=False, indent=2))


# --------------------------------------------------------------------------- audit commands
rules_app = typer.Typer(context_settings=CONTEXT, no_args_is_help=True, rich_markup_mode=PLAIN,
                        help="Check the rules: their own examples, their coverage.")
app.add_typer(rules_app, name="rules")


def _load_resources_or_exit(rules_dir: Path | None, check: bool = True):  # type: ignore[no-untyped-def]
    """The whole rules root, checked; a problem ends the command with exit 2 and the
    file, entry and reason."""
    from .errors import NewsfactsError
    from .resources import load_resources

    try:
        return load_resources(rules_dir, check=check)
    except NewsfactsError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(exc.exit_code) from None


@rules_app.command("test")
def rules_test(
    rules_dir: Path | None = typer.Argument(None, help=RULES_HELP),
    rule: list[str] | None = typer.Option(None, "--rule", "-r", help="Only rules whose id starts with this (repeatable)."),
    fmt: Literal["text", "json"] = typer.Option("text", "--format", help="text or json."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show passing examples too."),
) -> None:
    """Run every rule's must-match and must-not-match examples; exit 1 on any failure."""
    from dataclasses import asdict

    from .audit import format_rule_results, run_rule_examples

    resources = _load_resources_or_exit(rules_dir, check=False)
    chosen = [r for r in resources.rules.rules if not rule or any(r.id.startswith(p) for p in rule)]
    results = {r.id: run_rule_examples(resources, r) for r in chosen}
    failed = [rid for rid, res in results.items() if any(not x.ok for x in res)]
    if fmt == "json":
        typer.echo(json.dumps({rid: [asdict(x) for x in res] for rid, res in results.items()},
                              ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(format_rule_results(results, verbose))
        n = sum(len(res) for res in results.values())
        typer.echo(f"\n{len(results)} rules, {n} examples: "
                   + (f"{len(failed)} rules fail ({', '.join(failed)})" if failed else "all pass"))
    if failed:
        raise typer.Exit(1)


@rules_app.command("coverage")
def rules_coverage(
    paths: list[str] = typer.Argument(..., help="Files or folders of articles."),
    rules_dir: Path | None = typer.Option(None, "--rules", help=RULES_HELP),
    fmt: Literal["text", "json"] = typer.Option("text", "--format", help="text or json."),
    limit: int = typer.Option(30, "--limit", min=0, help="Unclaimed figures to list in text output."),
) -> None:
    """How often each rule fires, rules that never fire, and figures near trigger words no rule claimed."""
    from .audit import coverage, format_coverage

    cov = coverage(paths, _load_resources_or_exit(rules_dir))
    for e in cov["read_errors"]:
        _err(f"skipped {e}")
    typer.echo(json.dumps(cov, ensure_ascii=False, indent=2) if fmt == "json"
               else format_coverage(cov, limit))
    if cov["documents"] == 0:
        _err("error: no article could be read")
        raise typer.Exit(EXIT_NOTHING_READ)


@app.command("eval")
def eval_cmd(
    gold: Path = typer.Argument(..., help="Gold facts, JSON Lines in the contract's format."),
    paths: list[str] | None = typer.Argument(None, help="Files or folders of articles to extract from."),
    fmt: Literal["table", "json"] = typer.Option("table", "--format", help="table or json."),
    errors: bool = typer.Option(False, "--errors", help="List misses, spurious facts and wrong attributes with their sentences."),
    predictions: Path | None = typer.Option(None, "--predictions", help="Score this `extract` output instead of extracting."),
    gold_docs_only: bool = typer.Option(False, "--gold-docs-only", help="Score every gold document and only those (default: the documents given)."),
    rules_dir: Path | None = typer.Option(None, "--rules", help=RULES_HELP),
) -> None:
    """Extract and score against gold: P/R/F1 per kind, attribute accuracy, TP/FP per rule."""
    from .audit import evaluate, format_evaluation

    if not paths and predictions is None:
        _err("error: give articles to extract from, or --predictions FILE")
        raise typer.Exit(EXIT_BAD_RULES)
    resources = _load_resources_or_exit(rules_dir) if predictions is None else None
    try:
        ev = evaluate(gold, paths, resources, predictions, gold_docs_only)
    except (OSError, ValueError, KeyError) as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_RULES) from None
    for e in ev.read_errors:
        _err(f"skipped {e}")
    for w in ev.warnings:
        _err(f"warning: {w}")
    if fmt == "json":
        out = {**ev.summary, "rules": ev.rules, "documents": ev.scoring.docs,
               "unscored_gold_documents": ev.unscored_gold_docs}
        if errors:
            out["errors"] = ev.error_list()
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        typer.echo(format_evaluation(ev, errors))
    if predictions is None and not ev.records:
        _err("error: no article could be read")
        raise typer.Exit(EXIT_NOTHING_READ)


_PATH_SUFFIXES = (".txt", ".html", ".htm", ".warc", ".jsonl", ".json", ".gz", ".md")


def _looks_like_a_path(source: str) -> bool:
    """A word with no space that has a folder separator or a file suffix was meant as a file:
    a mistyped one must be an error, not a "sentence" explained as having no figure."""
    if not source or any(c.isspace() for c in source):
        return False
    return "/" in source or "\\" in source or source.lower().endswith(_PATH_SUFFIXES)


@app.command()
def explain(
    source: str | None = typer.Argument(None, help="A file holding an article, '-' for an article on stdin, or a sentence."),
    text_opt: str | None = typer.Option(None, "--text", help="Explain this text (never read as a path)."),
    fmt: Literal["text", "json"] = typer.Option("text", "--format", help="text or json."),
    show_all: bool = typer.Option(False, "--all", help="Show every sentence and every rule tried."),
    rules_dir: Path | None = typer.Option(None, "--rules", help=RULES_HELP),
) -> None:
    """Show sentences, figures, rules tried, overlaps and final facts with how attributes were found."""
    import sys

    from .audit import explain_text, format_explanation

    if (source is None) == (text_opt is None):
        _err("error: give one of a FILE, '-' (stdin) or --text TEXT")
        raise typer.Exit(EXIT_BAD_RULES)
    path = Path(source) if source is not None and source != "-" else None
    is_file = False
    if path is not None:
        try:
            is_file = len(str(path)) < 4096 and "\n" not in str(path) and path.is_file()
        except OSError:
            is_file = False
        if not is_file and (path.exists() or _looks_like_a_path(str(path))):
            what = "is not a file" if path.exists() else "no such file"
            _err(f"error: {path}: {what} (use --text to explain a text)")
            raise typer.Exit(EXIT_BAD_RULES)
    resources = _load_resources_or_exit(rules_dir)
    if is_file:
        from .ingest import ReadError, iter_documents
        from .pipeline import clean_document

        item = next(iter(iter_documents([str(path)])))
        if isinstance(item, ReadError):
            _err(f"error: {path}: {item.error}")
            raise typer.Exit(EXIT_NOTHING_READ)
        art = clean_document(item, resources.sites)
        title, published = art.title, art.meta.get("published")
        ex = explain_text(art.text, resources, title, published, cleaned=True)
    else:
        text = sys.stdin.read() if source == "-" else (text_opt if text_opt is not None else source)
        ex = explain_text(text or "", resources)
    typer.echo(json.dumps(ex, ensure_ascii=False, indent=2) if fmt == "json"
               else format_explanation(ex, show_all))


@app.command()
def report(
    paths: list[str] = typer.Argument(..., help="Files or folders of articles."),
    output: Path = typer.Option(..., "--output", "-o", help="The HTML file to write."),
    gold: Path | None = typer.Option(None, "--gold", help="Gold facts: mark true, missed and spurious facts and show scores."),
    rules_dir: Path | None = typer.Option(None, "--rules", help=RULES_HELP),
) -> None:
    """One self-contained HTML page: articles with facts highlighted, a fact table, per-rule counts."""
    from .report import write_report

    resources = _load_resources_or_exit(rules_dir)
    try:
        stats = write_report(paths, output, resources, gold)
    except (OSError, ValueError, KeyError) as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_BAD_RULES) from None
    _err(f"{stats['documents']} documents, {stats['facts']} facts -> {output}")
    if stats["documents"] == 0:
        _err("error: no article could be read")
        raise typer.Exit(EXIT_NOTHING_READ)


app.command("fetch")(fetch_cmd)


def main() -> None:  # pragma: no cover
    app()


app.command("panel")(panel_command)


@app.command()
def clean(
    paths: list[str] = typer.Argument(..., help="Files, folders, globs or '-' (.html, .warc, .jsonl, .txt, and .gz)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="JSON Lines file; '-' or none for stdout."),
    rules_dir: Path | None = typer.Option(None, "--rules", help=RULES_HELP),
) -> None:
    """Write each article as cleaned for extraction (metadata and text), without extracting facts."""
    import sys

    from .documents import where
    from .ingest import ReadError, iter_documents
    from .pipeline import article_meta, clean_document

    # the site profiles come from the rules root, read whole and checked as for extract
    sites = _load_resources_or_exit(rules_dir, check=False).sites

    to_file = output is not None and str(output) != "-"
    if to_file:
        output.parent.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
    sink = output.open("w", encoding="utf-8") if to_file else sys.stdout  # type: ignore[union-attr]
    docs = errors = 0
    try:
        for item in iter_documents(paths, skip=[output] if to_file and output else []):
            if isinstance(item, ReadError):
                errors += 1
                _err(f"skipped {where(item.source, item.doc_id)}: {item.error}")
                continue
            try:
                cleaned = clean_document(item, sites)
            except Exception as exc:  # one bad document must not end the run
                errors += 1
                _err(f"skipped {where(item.source, item.doc_id)}: {exc}")
                continue
            meta, date_warnings = article_meta(item, cleaned)  # as a record carries them
            record = {
                "doc_id": item.doc_id, "source": item.source, **meta,
                "text": cleaned.text, "warnings": cleaned.warnings + date_warnings,
            }
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            sink.flush()
            docs += 1
    finally:
        if to_file:
            sink.close()
    _err(f"{docs} documents cleaned, {errors} skipped")
    if docs == 0:
        _err("error: no article could be read")
        raise typer.Exit(1)
