"""Command line of the scraper: ``newsfacts fetch``, and the fetch that ``newsfacts extract``
runs first when it is given URLs (or ``--fetch`` with files listing them).

Kept apart from :mod:`newsfacts.cli`, which registers :func:`fetch` as a command and calls
:func:`fetch_for_extract`; heavy imports wait inside the functions, as there.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

EXIT_NOTHING_FETCHED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _err(message: str) -> None:
    typer.echo(message, err=True)


def fetch(
    inputs: list[str] | None = typer.Argument(None, help="Page URLs, or text files listing them (one a line)."),
    output: Path = typer.Option(..., "--output", "-o", help="The WARC to write (.warc.gz)."),
    sitemap: list[str] | None = typer.Option(None, "--sitemap", help="A sitemap or sitemap index URL, or a site's home page (its sitemaps from robots.txt); repeatable."),
    feed: list[str] | None = typer.Option(None, "--feed", help="An RSS, Atom or JSON feed URL, or a page that names its feeds; repeatable."),
    follow: int = typer.Option(0, "--follow", help="Follow same-site, article-like links of fetched pages to this depth."),
    errors: Path | None = typer.Option(None, "--errors", help="JSON Lines file of URLs not kept: url, reason, detail, status."),
    resume: bool = typer.Option(False, "--resume", help="Keep what the WARC (and --errors file) hold and skip the URLs already in it."),
    delay: float = typer.Option(1.0, "--delay", help="Seconds between two requests to one host (robots.txt's Crawl-delay wins when longer)."),
    concurrency: int = typer.Option(8, "--concurrency", help="Requests in flight in all."),
    per_host: int = typer.Option(1, "--per-host", help="Requests in flight to one host."),
    timeout: float = typer.Option(20.0, "--timeout", help="Seconds to connect, and between two reads of an answer."),
    retries: int = typer.Option(3, "--retries", help="Further tries after a 429, a 5xx or a network error."),
    backoff: float = typer.Option(1.0, "--backoff", help="Seconds before the first retry; doubled for each next one."),
    max_retry_after: float = typer.Option(120.0, "--max-retry-after", help="Fail a URL whose Retry-After asks for longer."),
    max_bytes: int | None = typer.Option(None, "--max-bytes", help="Largest body kept (default: the reader's page limit, 20 MB)."),
    limit: int | None = typer.Option(None, "--limit", help="Keep at most this many pages in this run."),
    user_agent: str | None = typer.Option(None, "--user-agent", help="The User-Agent (default: newsfacts/VERSION ...)."),
    contact: str | None = typer.Option(None, "--contact", help="A URL or e-mail address added to the default User-Agent, for site operators."),
    stats: Path | None = typer.Option(None, "--stats", help="Write the summary as JSON here."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no summary on stderr."),
) -> None:
    """Fetch pages politely into a WARC that `extract` reads: robots.txt and its Crawl-delay
    obeyed, retries with backoff, redirects recorded, only HTML pages kept.

    Exit codes: 0 done, 1 no page could be fetched, 2 usage error, 130 interrupted
    (re-run with --resume).
    """
    from .fetch import FetchError, FetchOptions, run_fetch
    from .fetch.options import default_user_agent

    opts = FetchOptions(
        output=output, urls=list(inputs or []), sitemaps=list(sitemap or []), feeds=list(feed or []),
        follow=follow, errors=errors, resume=resume, delay=delay, concurrency=concurrency,
        per_host=per_host, timeout=timeout, retries=retries, backoff=backoff,
        max_retry_after=max_retry_after, limit=limit,
        user_agent=user_agent or default_user_agent(contact),
        progress="none" if quiet else "auto")
    if max_bytes is not None:
        opts.max_bytes = max_bytes
    try:
        result = run_fetch(opts)
    except FetchError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    if stats is not None:
        stats.write_text(json.dumps(result.as_dict(), indent=2) + "\n", encoding="utf-8")
    if not quiet:
        _err(result.summary() + f" -> {output}")
    if result.interrupted:
        _err("interrupted: the WARC holds whole records; re-run with --resume to continue")
        raise typer.Exit(EXIT_INTERRUPTED)
    if result.pages == 0 and result.resumed == 0:
        _err("error: no page could be fetched")
        raise typer.Exit(EXIT_NOTHING_FETCHED)


def fetch_for_extract(paths: list[str], from_lists: bool, keep_warc: Path | None,
                      resume: bool, quiet: bool) -> list[str]:
    """The inputs ``extract`` reads: URLs among ``paths`` (and, with ``from_lists``, the
    URLs of the files given) are fetched into a WARC first, which takes their place.
    Without ``--keep-warc`` that WARC is temporary, removed when the process exits. Local
    files and folders are read as they are; with no URL, nothing is fetched."""
    from .fetch import FetchError, FetchOptions, run_fetch
    from .fetch.urls import is_url

    urls = [p for p in paths if is_url(p) or from_lists]
    if not urls:
        if keep_warc is not None:
            _err("error: --keep-warc needs URLs to fetch (or --fetch with files listing them)")
            raise typer.Exit(EXIT_USAGE)
        return paths
    rest = [p for p in paths if p not in urls]
    if keep_warc is not None:
        warc = keep_warc
    else:
        import atexit
        import shutil
        import tempfile  # here, not at the top: `newsfacts --help` imports this module

        folder = tempfile.mkdtemp(prefix="newsfacts-fetch-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        warc = Path(folder) / "fetched.warc.gz"
    opts = FetchOptions(output=warc, urls=urls, resume=resume and keep_warc is not None,
                        progress="none" if quiet else "auto")
    try:
        result = run_fetch(opts)
    except FetchError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    if not quiet:
        _err(result.summary() + (f" -> {keep_warc}" if keep_warc else ""))
    if result.interrupted:
        _err("interrupted while fetching" + ("; re-run with --resume to continue" if keep_warc else ""))
        raise typer.Exit(EXIT_INTERRUPTED)
    if result.pages == 0 and result.resumed == 0 and not rest:
        _err("error: no page could be fetched")
        raise typer.Exit(EXIT_NOTHING_FETCHED)
    return [str(warc), *rest]
