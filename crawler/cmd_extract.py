"""``newsarchive reextract``: run the current extraction again over stored articles, from their WARC records.

    newsarchive reextract --archive-dir data/
    newsarchive reextract --site rferl.org --stale
"""

from __future__ import annotations

import click

from crawler.cli import ARCHIVE_DIR_OPTION


@click.command()
@ARCHIVE_DIR_OPTION
@click.option("--site", help="Only this site (e.g. rferl.org).")
@click.option("--stale", is_flag=True, help="Only articles extracted by another extractor version.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
def reextract(archive_dir, site, stale, quiet) -> None:
    """Re-extract stored articles from their WARC records into `articles`.

    The current extraction code, site profiles and each site's learned boilerplate are applied; the
    text and metadata columns and `extractor_version` are replaced, the WARC files are only read.
    Runs while no crawl holds the archive.

    Example: newsarchive reextract --site rferl.org --archive-dir data/
    """
    from archive.reextract import reextract as run
    from archive.store import DB_NAME, ArchiveStore
    from crawler import lock

    if not (archive_dir / DB_NAME).exists():
        raise click.ClickException(
            f"no archive at {archive_dir / DB_NAME}; run `newsarchive crawl URL --archive-dir {archive_dir}` first"
        )
    try:
        lock.acquire(archive_dir)
    except lock.LockHeld as exc:
        raise click.ClickException(f"{exc}; wait for it to finish, then run reextract again") from exc
    try:
        store = ArchiveStore(archive_dir)
        if site and not store.db.execute(
            "select 1 from articles where site = ? limit 1", [site.removeprefix("www.")]
        ).fetchone():
            raise click.ClickException(f"no articles from site {site!r} (see `newsarchive stats` for the sites)")

        def progress(url: str) -> None:
            if not quiet:
                click.echo(f"reextract: {url}", err=True)

        result = run(store.db, store.warc_dir, site=site, stale_only=stale, progress=progress)
        store.close()
    finally:
        lock.release(archive_dir)
    for url in result.missing:
        click.echo(f"warning: WARC record of {url} not found; row left as it was", err=True)
    click.echo(result.summary())


commands = [reextract]
