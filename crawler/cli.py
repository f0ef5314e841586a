"""The ``newsarchive`` command. Each subcommand is a thin wrapper over one library call.

    newsarchive crawl https://example.org/ --archive-dir data/
    newsarchive search "missile defense" --site rferl.org
    newsarchive show https://example.org/2026/11/27/story.html
    newsarchive stats
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

import click

from archive.search import FilterError
from archive.search import search as search_archive
from archive.store import DB_NAME, ArchiveStore
from archive.warcreader import RecordNotFound, read_record
from crawler.lock import EXIT_LOCKED

ARCHIVE_DIR_OPTION = click.option(
    "--archive-dir",
    "-d",
    type=click.Path(file_okay=False, path_type=Path),
    default=lambda: __import__("os").environ.get("NEWSARCHIVE_ARCHIVE_DIR", "data"),
    show_default="data (or $NEWSARCHIVE_ARCHIVE_DIR)",
    help="Archive folder: archive.db, warc/, logs/.",
)

# Exit codes cron and systemd can act on.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 3
# EXIT_LOCKED, 4: another crawl holds the archive's lock; nothing was done (`scrapy crawl` exits 4 too)


def output_folder_exists(ctx: click.Context, param: click.Parameter, value):
    """Click callback for an output file: its folder must exist (else a usage error that names it,
    before any work is done; "-" is stdout)."""
    if value is not None and str(value) != "-":
        folder = Path(value).absolute().parent
        if not folder.is_dir():
            raise click.BadParameter(f"folder {folder} does not exist", ctx=ctx, param=param)
    return value


def open_store(archive_dir: Path) -> ArchiveStore:
    if not (archive_dir / DB_NAME).exists():
        raise click.ClickException(
            f"no archive at {archive_dir / DB_NAME}; run `newsarchive crawl URL --archive-dir {archive_dir}` first"
        )
    return ArchiveStore(archive_dir, read_only=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Archive news sites: WARC files as received, clean article text in a searchable SQLite database."""


def check_seed(seed: str) -> str:
    parts = urlsplit(seed)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.UsageError(f"not an http(s) URL: {seed!r} (seeds look like https://example.org/)")
    return seed


@cli.command()
@click.argument("seeds", nargs=-1, required=True)
@ARCHIVE_DIR_OPTION
@click.option("--spider", default="news", show_default=True, help="Spider (site profile) to run: news, rferl.")
@click.option("--no-throttle", is_flag=True, help="No delays or AutoThrottle, more requests per host (local sites, benchmarks).")
@click.option("--no-extract", is_flag=True, help="Archive only (WARC + captures); extract later with `reextract`.")
@click.option("--max-pages", type=click.IntRange(min=0), default=0, help="Stop after this many responses (0 = no limit).")
@click.option("--depth", type=click.IntRange(min=0), default=None, help="Link depth from front-page seeds [default: 2].")
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE", help="Any Scrapy/newsarchive setting.")
@click.option("--quiet", "-q", is_flag=True, help="Only warnings and the final summary.")
def crawl(seeds, archive_dir, spider, no_throttle, no_extract, max_pages, depth, overrides, quiet) -> None:
    """Crawl SEEDS (front pages, sitemaps or feeds) into the archive.

    Example: newsarchive crawl https://www.rferl.org/ --archive-dir data/
    """
    from archive.schedule import ScheduleError
    from crawler.lock import LockHeld
    from crawler.run import CrawlSetupError, UnknownSpider, run_crawl

    for seed in seeds:
        check_seed(seed)
    try:
        archive_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot create the archive folder {archive_dir}: {exc.strerror}") from exc
    extra = {}
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.UsageError(f"--set wants NAME=VALUE, got {item!r}")
        extra[name.strip()] = value
    if not no_extract:
        warn_stale_extraction(archive_dir)
    try:
        result = run_crawl(
            list(seeds),
            archive_dir=archive_dir,
            spider=spider,
            throttle=not no_throttle,
            extract=not no_extract,
            max_pages=max_pages,
            depth=depth,
            overrides=extra,
            log_level="WARNING" if quiet else "INFO",
        )
    except LockHeld as exc:
        click.echo(f"error: {exc}; this run did nothing", err=True)
        sys.exit(EXIT_LOCKED)
    except (ScheduleError, UnknownSpider) as exc:
        raise click.UsageError(str(exc)) from exc
    except CrawlSetupError as exc:
        raise click.ClickException(f"{exc}; nothing was archived") from exc
    for seed, reason in result.failed_seeds.items():
        click.echo(f"error: seed {seed} could not be fetched: {reason}", err=True)
    click.echo(result.summary())
    sys.exit({"finished": EXIT_OK, "interrupted": EXIT_INTERRUPTED}.get(result.status, EXIT_FAILED))


def warn_stale_extraction(archive_dir: Path) -> None:
    """Say when archived articles were extracted by another extractor version: their text, in search
    and exports, is the older extractor's until ``newsarchive reextract --stale`` or a recapture (which
    re-extracts the latest version first, so the upgrade is not recorded as a revision)."""
    import sqlite3

    from archive.reextract import stale_versions

    path = archive_dir / DB_NAME
    if not path.exists():
        return
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        stale = stale_versions(conn)
    except sqlite3.Error:  # an archive without articles yet
        return
    finally:
        conn.close()
    if stale:
        made_by = ", ".join(f"{n:,} by {version}" for version, n in stale.items())
        click.echo(
            f"warning: {sum(stale.values()):,} archived articles were extracted by an older extractor ({made_by}); "
            f"`newsarchive reextract --stale --archive-dir {archive_dir}` brings their text up to date",
            err=True,
        )


@cli.command()
@click.argument("query")
@ARCHIVE_DIR_OPTION
@click.option("--site", help="Only this site (e.g. rferl.org).")
@click.option("--since", help="Only articles published (else fetched) on or after this date (YYYY-MM-DD or ISO time).")
@click.option("--language", help="Only this language (e.g. en).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of text.")
def search(query, archive_dir, site, since, language, limit, as_json) -> None:
    """Full-text search, best matches first, with snippets.

    QUERY may use FTS5 syntax ("exact phrase", OR, NEAR, prefix*); anything else is searched as words.

    Example: newsarchive search '"missile defense" NATO' --site rferl.org
    """
    store = open_store(archive_dir)
    try:
        hits = search_archive(store.db, query, site=site, since=since, language=language, limit=limit)
    except FilterError as exc:
        raise click.UsageError(str(exc)) from exc
    for hit in hits:
        if as_json:
            click.echo(json.dumps(asdict(hit), ensure_ascii=False))
        else:
            click.echo(f"{hit.published or '':<10.10}  {hit.site}  {hit.title or '(no title)'}")
            click.echo(f"    {hit.url}")
            click.echo(f"    {' '.join(hit.snippet.split())}")
    if not hits and not as_json:
        click.echo("no matches", err=True)


@cli.command()
@click.argument("url")
@ARCHIVE_DIR_OPTION
@click.option("--json", "as_json", is_flag=True, help="The whole row as JSON.")
@click.option("--html", "as_html", is_flag=True, help="Print the archived HTML, read from its WARC record.")
def show(url, archive_dir, as_json, as_html) -> None:
    """One article: metadata, clean text and where its WARC record is.

    Example: newsarchive show https://www.rferl.org/a/nato-missile-shield/24553379.html
    """
    store = open_store(archive_dir)
    row = store.article(url)
    if row is None:
        raise click.ClickException(f"{url} is not in the archive (try `newsarchive search`)")
    if as_html:
        try:
            record = read_record(store.warc_dir, row["warc_filename"], row["warc_offset"], row["warc_length"])
        except RecordNotFound as exc:
            raise click.ClickException(str(exc)) from exc
        sys.stdout.buffer.write(record.body)
        return
    if as_json:
        click.echo(json.dumps(row, ensure_ascii=False, indent=2))
        return
    for key in ("title", "url", "canonical_url", "site", "published", "modified", "language", "authors",
                "section", "tags", "description", "image", "image_caption", "word_count", "fetched_at",
                "first_fetched_at"):
        if row.get(key) not in (None, "", "[]"):
            click.echo(f"{key + ':':<17} {row[key]}")
    click.echo(
        f"{'warc:':<17} {row['warc_filename']} offset {row['warc_offset']} length {row['warc_length']} "
        f"{row['warc_record_id']}"
    )
    click.echo("")
    click.echo(row["text"])


@cli.command()
@ARCHIVE_DIR_OPTION
@click.option("--json", "as_json", is_flag=True)
def stats(archive_dir, as_json) -> None:
    """What the archive holds: articles, sites, captures, crawls, WARC files.

    Example: newsarchive stats --archive-dir data/
    """
    numbers = open_store(archive_dir).stats()
    if as_json:
        click.echo(json.dumps(numbers, indent=2))
        return
    click.echo(
        f"{numbers['articles']} articles from {numbers['sites']} sites, {numbers['words']} words; "
        f"{numbers['captures']} captures ({numbers['fetch_errors']} failed) in {numbers['crawls']} crawls; "
        f"{len(numbers['warc_files'])} WARC files"
    )
    for row in numbers["per_site"][:20]:
        click.echo(f"  {row['site']:<40} {row['articles']:>7} articles")
    if numbers["per_language"]:
        click.echo("languages: " + ", ".join(f"{r['language']} {r['articles']}" for r in numbers["per_language"][:15]))
    from archive.extract import EXTRACTOR_VERSION

    if any(r["extractor_version"] != EXTRACTOR_VERSION for r in numbers["per_extractor"]):
        click.echo("extracted by: " + ", ".join(f"{r['extractor_version']} {r['articles']}"
                                                for r in numbers["per_extractor"])
                   + f" (this is {EXTRACTOR_VERSION}: `newsarchive reextract --stale` re-extracts the others)")
    click.echo("captures by outcome:")
    for row in numbers["reasons"][:20]:
        click.echo(f"  {row['reason'][:60]:<60} {row['n']:>7}")
    if numbers["recent_crawls"]:
        click.echo("latest crawls:")
    for run in numbers["recent_crawls"]:
        ended = f"(ran {_duration(run['started_at'], run['ended_at'])})" if run["ended_at"] else "(no end recorded)"
        click.echo(
            f"  {run['id']}  {run['status']:<11} {ended:<16} {run['pages_fetched'] or 0} responses, "
            f"{run['fetch_errors'] or 0} errors, {run['articles_new'] or 0} new, {run['articles_updated'] or 0} updated"
            + (f"; {run['finish_reason']}" if run["finish_reason"] not in (None, "finished") else "")
        )


def _duration(started: str, ended: str) -> str:
    from archive.schedule import parse_time

    start, end = parse_time(started), parse_time(ended)
    if start is None or end is None:
        return "?"
    seconds = int((end - start).total_seconds())
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m" if seconds >= 3600 else f"{seconds // 60}m{seconds % 60:02d}s"


# Commands that live in modules of their own (one topic each); each module defines `commands`, a list
# of click commands, and is registered here by name.
COMMAND_MODULES: list[str] = ["crawler.cmd_browse", "crawler.cmd_jobs", "crawler.cmd_archive", "crawler.cmd_extract"]


def _register() -> None:
    import importlib

    for name in COMMAND_MODULES:
        for command in importlib.import_module(name).commands:
            cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="newsarchive")
