"""Commands for scheduled crawl jobs: an article's revision history."""

from __future__ import annotations

import json

import click

from archive import versions as article_versions
from crawler.cli import ARCHIVE_DIR_OPTION, open_store


@click.command()
@click.argument("url")
@ARCHIVE_DIR_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per version.")
@click.option("--no-diff", is_flag=True, help="Only the list of versions.")
def versions(url, archive_dir, as_json, no_diff) -> None:
    """The revision history of the article at URL: each version with a diff against the one before.

    Version 1 is the first capture; a new version is recorded only when a recapture's title or text
    differs (whitespace aside).

    Example: newsarchive versions https://example.org/2026/11/27/story.html
    """
    store = open_store(archive_dir)
    row = store.article(url)
    history = article_versions.history(store.db, row["url"] if row else url)
    if not history:
        raise click.ClickException(f"{url} is not in the archive (try `newsarchive search`)")
    for version in history:
        if as_json:
            if no_diff:
                del version["diff"]
            click.echo(json.dumps(version, ensure_ascii=False))
            continue
        click.echo(
            f"version {version['version']}  {version['fetched_at']}  crawl {version['crawl_id']}  "
            f"{version['title'] or '(no title)'}"
        )
        click.echo(f"  warc: {version['warc_filename']} offset {version['warc_offset']} length {version['warc_length']}")
        if version["diff"] and not no_diff:
            click.echo("")
            click.echo(version["diff"])
            click.echo("")


commands = [versions]
