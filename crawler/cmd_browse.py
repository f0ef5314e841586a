"""``newsarchive serve`` (Datasette over the archive) and ``newsarchive export`` (articles as JSONL/CSV).

    newsarchive serve --archive-dir data/ --port 8001
    newsarchive export --format csv --site rferl.org --since 2026-11-01 -o rferl.csv
"""

from __future__ import annotations

import io
import os
import socket
import sqlite3
import sys
from pathlib import Path

import click

from archive.export import FORMATS, ExportError, export_articles
from archive.store import DB_NAME
from crawler.cli import ARCHIVE_DIR_OPTION, output_folder_exists

HOST = "127.0.0.1"  # archived pages and the whole archive are for this machine only
# Datasette settings: long article texts are cut in table views (the row page shows them whole);
# 3 s for researchers' own SQL and 1 s per facet (Datasette's 1 s and 200 ms cut them off on a large
# archive). Facet suggestions off: they probe every column, and on 200,000 articles (1.1 GB) they took
# the articles page from 0.3 s to 4.8 s; the useful facets are configured in metadata.yml.
DATASETTE_SETTINGS = {
    "truncate_cells_html": "300",
    "sql_time_limit_ms": "3000",
    "facet_time_limit_ms": "1000",
    "suggest_facets": "off",
}
REQUIRED_TABLES = ("articles", "captures", "crawls")


def check_archive(archive_dir: Path) -> Path:
    """The archive database, opened once read-only to be sure it is one: a clear error otherwise."""
    db_path = archive_dir / DB_NAME
    if not db_path.is_file():
        raise click.ClickException(
            f"no archive at {db_path}; run `newsarchive crawl URL --archive-dir {archive_dir}` first, "
            "or pass --archive-dir"
        )
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
            if "articles" in tables:
                conn.execute("select count(*) from (select 1 from articles limit 1)").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(
            f"{db_path} is not a readable SQLite archive ({exc}); restore it from a backup, or rebuild it "
            f"from the WARC files with `newsarchive reindex --archive-dir {archive_dir}`"
        ) from exc
    missing = [name for name in REQUIRED_TABLES if name not in tables]
    if missing:
        raise click.ClickException(
            f"{db_path} is an SQLite file but not a newsarchive archive (no table {', '.join(missing)})"
        )
    return db_path


def check_port(port: int) -> None:
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError as exc:
            raise click.ClickException(
                f"cannot listen on {HOST}:{port} ({exc.strerror}); is another server running there? "
                "Choose another port with --port"
            ) from exc


@click.command()
@ARCHIVE_DIR_OPTION
@click.option("--port", "-p", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Port on 127.0.0.1.")
@click.option("--open", "open_browser", is_flag=True, help="Open the archive in your web browser.")
def serve(archive_dir: Path, port: int, open_browser: bool) -> None:
    """Browse and search the archive in Datasette on http://127.0.0.1:PORT/ (read-only).

    Tables, full-text search, facets, canned queries, JSON/CSV, and each article's archived copy at
    /-/archived/<record id>. The database is read live, so a running crawl's new rows show up.

    Example: newsarchive serve --archive-dir data/ --port 8001
    """
    db_path = check_archive(archive_dir)
    check_port(port)
    from datasette.cli import cli as datasette_cli
    from datasette.plugins import pm

    import archive.datasette_plugin as plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name="newsarchive")
    args = ["serve", str(db_path), "--host", HOST, "--port", str(port), "--metadata", str(plugin.METADATA_PATH)]
    for name, value in DATASETTE_SETTINGS.items():
        args += ["--setting", name, value]
    if open_browser:
        args.append("--open")
    click.echo(f"serving {db_path} read-only on http://{HOST}:{port}/ (Ctrl-C to stop)", err=True)
    datasette_cli.main(args=args, prog_name="newsarchive serve", standalone_mode=True)


@click.command()
@ARCHIVE_DIR_OPTION
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--site", help="Only this site and its subdomains (e.g. rferl.org).")
@click.option("--language", help="Only this language (e.g. en).")
@click.option("--since", help="Published (else fetched) on or after this date (YYYY-MM-DD or ISO time).")
@click.option("--until", help="Published (else fetched) on or before this date (a whole day when YYYY-MM-DD).")
@click.option("--query", "-q", help="Full-text query (FTS5 syntax, or plain words).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), callback=output_folder_exists,
              help="Write here instead of stdout.")
def export(archive_dir: Path, fmt: str, site, language, since, until, query, output: Path | None) -> None:
    """Stream articles (all columns) as JSON lines or CSV, in archive order, in constant memory.

    With -o the file appears only when the export is complete (written as FILE.partial, then renamed).

    Example: newsarchive export --format csv --site rferl.org --since 2026-11-01 -o rferl.csv
    """
    db_path = check_archive(archive_dir)
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    partial = output.with_name(output.name + ".partial") if output else None
    try:
        if output is None:
            # UTF-8 whatever the locale, and no newline translation (CSV rows end in \r\n by themselves).
            stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
            count = export_articles(conn, stream, fmt=fmt, site=site, language=language, since=since, until=until, query=query)
            stream.flush()
            stream.detach()
        else:
            with open(partial, "w", encoding="utf-8", newline="") as stream:
                count = export_articles(conn, stream, fmt=fmt, site=site, language=language, since=since, until=until, query=query)
            os.replace(partial, output)
    except ExportError as exc:
        raise click.UsageError(str(exc)) from exc
    except BrokenPipeError:
        # `newsarchive export | head`: the reader has what it wanted. Point stdout at /dev/null so the
        # interpreter's final flush does not fail on the closed pipe too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"export failed reading {db_path}: {exc}") from exc
    finally:
        conn.close()
        if partial is not None and partial.exists():
            partial.unlink()
    click.echo(f"{count} articles exported" + (f" to {output}" if output else ""), err=True)


commands = [serve, export]
