"""Commands over the WARC files themselves: ``cdxj``, ``export-wacz``, ``reindex``.

    newsarchive cdxj -o index.cdxj
    newsarchive export-wacz out.wacz --site rferl.org --since 2026-11-01
    newsarchive reindex --workers 2
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from archive.heap import DEFAULT_EXTRACT_MEMORY_MB
from archive.search import FilterError
from crawler.cli import ARCHIVE_DIR_OPTION, output_folder_exists

EXIT_DAMAGED = 4  # the job was done from the readable records, but some WARC file is damaged


def _report_bad_spots(bad_spots) -> None:
    for spot in bad_spots:
        click.echo(f"error: damaged WARC file {spot}", err=True)
    if bad_spots:
        click.echo(
            f"error: {len(bad_spots)} damaged spot(s); the readable records were used. Check the file(s) with "
            "`warcio check -v FILE`; a killed crawl's .open file is repaired by `newsarchive repair`.",
            err=True,
        )


def _warc_dir(archive_dir: Path) -> Path:
    warc_dir = archive_dir / "warc"
    if not warc_dir.is_dir():
        raise click.ClickException(f"no WARC files at {warc_dir}; run `newsarchive crawl URL --archive-dir {archive_dir}` first")
    return warc_dir


@click.command()
@ARCHIVE_DIR_OPTION
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True,
              callback=output_folder_exists, help="Where to write the index (- = stdout).")
def cdxj(archive_dir, output) -> None:
    """Write a sorted, SURT-keyed CDXJ index of every closed WARC file (the cdxj-indexer format).

    Damaged files: the readable records are indexed, each bad spot is reported with file and offset,
    and the exit code is 4.

    Example: newsarchive cdxj -o data/index.cdxj
    """
    from archive.cdxj import write_cdxj
    from archive.warcreader import warc_files

    paths = warc_files(_warc_dir(archive_dir))
    with click.open_file(output, "w", encoding="utf-8", atomic=output != "-") as out:
        bad = write_cdxj(paths, out)
    _report_bad_spots(bad)
    sys.exit(EXIT_DAMAGED if bad else 0)


@click.command("export-wacz")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path), callback=output_folder_exists)
@ARCHIVE_DIR_OPTION
@click.option("--site", help="Only articles of this site (e.g. rferl.org), and only their captures.")
@click.option("--since", help="Only articles published (else fetched) on or after this date (YYYY-MM-DD), "
              "and their captures fetched since then.")
def export_wacz(out, archive_dir, site, since) -> None:
    """Package the archive as a WACZ file (WARCs, CDXJ index, pages.jsonl from articles).

    Without a filter the package holds every WARC file whole. With --site/--since it holds new WARC
    files made of the selected articles' records only (each copied byte for byte, revisits with their
    originals), so other sites' captures in the same files stay out.

    Open it in ReplayWeb.page or load it into pywb; `wacz validate -f OUT.wacz` checks it.

    Example: newsarchive export-wacz rferl.wacz --site rferl.org --since 2026-11-01
    """
    from archive.wacz import export_wacz as export

    if not (archive_dir / "archive.db").exists():
        raise click.ClickException(f"no archive at {archive_dir}; run `newsarchive crawl URL --archive-dir {archive_dir}` first")
    try:
        report = export(archive_dir, out, site=site, since=since)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    except FilterError as exc:
        raise click.UsageError(str(exc)) from exc
    except LookupError as exc:
        raise click.ClickException(f"{exc}; nothing written (`newsarchive stats` lists the sites)") from exc
    if not report.pages:
        click.echo("warning: the archive has no articles yet; the package holds the WARC files only", err=True)
    selection = f" ({report.records} records from {len(report.source_files)} archive file(s))" if site or since else ""
    click.echo(f"wrote {out}: {report.pages} pages, {len(report.warc_files)} WARC file(s){selection}")
    for what in report.missing[:10]:
        click.echo(f"error: not in any readable WARC file: {what}", err=True)
    if report.missing:
        click.echo(f"error: {len(report.missing)} selected record(s) missing from the package; if no file is "
                   "damaged, archive.db and the WARC files disagree: `newsarchive reindex` rebuilds archive.db",
                   err=True)
    _report_bad_spots(report.bad_spots)
    sys.exit(EXIT_DAMAGED if report.bad_spots or report.missing else 0)


@click.command()
@ARCHIVE_DIR_OPTION
@click.option("--workers", "-w", type=click.IntRange(min=0), default=0, help="Extraction processes [default: one per core].")
@click.option("--force", is_flag=True, help="Swap the rebuilt database in even when some WARC file is damaged.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@click.option("--extract-memory", type=click.IntRange(min=0), default=DEFAULT_EXTRACT_MEMORY_MB, show_default=True,
              metavar="MB", help="Data each extraction process may use; a page that needs more is recorded as "
              "extract-memory, as a crawl does with NEWSARCHIVE_EXTRACT_MEMORY (0: no cap).")
def reindex(archive_dir, workers, force, quiet, extract_memory) -> None:
    """Rebuild archive.db (articles, captures, crawls) from the WARC files alone.

    The new database is built aside and swapped in with one rename; the old one is kept as
    archive.db.before-reindex. When a WARC file is damaged the readable records are used, the bad
    spots are reported, the exit code is 4, and the rebuilt database is left as archive.reindexed.db
    (archive.db untouched) unless --force.

    Example: newsarchive reindex --archive-dir data/ --workers 2
    """
    from archive.reindex import reindex as rebuild
    from crawler import lock

    _warc_dir(archive_dir)
    try:
        lock.acquire(archive_dir)
    except lock.LockHeld as exc:
        raise click.ClickException(f"{exc}; wait for it to finish, then run reindex again") from exc

    def progress(message: str) -> None:
        if not quiet:
            click.echo(f"reindex: {message}", err=True)

    try:
        report = rebuild(archive_dir, workers=workers, force=force, progress=progress,
                         extract_memory_mb=extract_memory)
    finally:
        lock.release(archive_dir)
    for name in report.skipped_open:
        click.echo(f"warning: {name} is still open (a running or killed crawl; `newsarchive repair` closes "
                   "a killed crawl's file); not read", err=True)
    click.echo(
        f"reindexed {report.files} WARC file(s): {report.records} records, {report.captures} captures, "
        f"{report.articles} articles in {report.seconds:.1f} s ({report.articles_per_second:.1f} articles/s)"
    )
    _report_bad_spots(report.bad_spots)
    if not report.swapped:
        click.echo(f"archive.db left untouched; the rebuilt database is {report.database} "
                   "(run again with --force to use it)", err=True)
    sys.exit(EXIT_DAMAGED if report.bad_spots else 0)


@click.command()
@ARCHIVE_DIR_OPTION
def repair(archive_dir) -> None:
    """Repair the .open WARC files a killed crawl left (a crawl does this itself when it starts).

    Each is cut after its last complete record, flushed and renamed; files a running crawl is still
    writing are left alone.

    Example: newsarchive repair --archive-dir data/
    """
    from archive.repair import repair_directory

    done = repair_directory(_warc_dir(archive_dir), log=lambda message: click.echo(message, err=True))
    click.echo(f"{len(done)} leftover WARC file(s) repaired")


commands = [cdxj, export_wacz, reindex, repair]
