"""Stream articles out of the archive as JSON lines or CSV, for researchers' own tools.

Constant memory: rows come from one SQLite cursor and are written as they are read, in the order they
were archived (``rowid``), which needs no sort. Filters: site (and its subdomains), language, a published date range
(the fetch date when the page declared none), and a full-text query with the same rules as
``newsarchive search`` (FTS5 syntax when valid, else plain words).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from typing import IO, Any

from archive.scripts import UNSPACED_RE
from archive.search import FilterError, day_or_time, quote_query, substring_conditions, when_condition

FORMATS = ("jsonl", "csv")
JSON_LIST_COLUMNS = ("authors", "tags")  # stored as JSON text; real lists in JSONL
FETCH_BATCH = 100  # rows per cursor.fetchmany: memory bounded by 100 articles, few round trips


# A filter or format that cannot be applied.
ExportError = FilterError


def fts_query(conn: sqlite3.Connection, query: str) -> str:
    """``query`` when it is valid FTS5 for this archive, else its words as quoted terms."""
    query = query.strip()
    if query:
        try:
            conn.execute("select 1 from articles_fts where articles_fts match ? limit 1", [query]).fetchall()
            return query
        except sqlite3.OperationalError:
            pass
    return quote_query(query) or '""'


def build_query(
    conn: sqlite3.Connection,
    *,
    site: str | None = None,
    language: str | None = None,
    since: str | None = None,
    until: str | None = None,
    query: str | None = None,
) -> tuple[str, dict[str, Any]]:
    where, params = [], {}
    when = "coalesce(published, fetched_at)"
    if site:
        where.append("(site = :site or site like '%.' || :site)")
        params["site"] = site.lower().removeprefix("www.")
    if language:
        where.append("language = :language")
        params["language"] = language.lower()
    if since:
        params["since"] = day_or_time(since, "--since")
        where.append(when_condition(when, ">=", params["since"], ":since"))
    if until:
        until = day_or_time(until, "--until")
        if len(until) == 10:  # a whole day: everything before the next one
            where.append(f"{when} < :until")
            params["until"] = (date.fromisoformat(until) + timedelta(days=1)).isoformat()
        else:
            where.append(when_condition(when, "<=", until, ":until"))
            params["until"] = until
    if query is not None and UNSPACED_RE.search(query):  # Chinese, Japanese...: substrings, as `search`
        where.extend(substring_conditions(query, params))
    elif query is not None:
        where.append("rowid in (select rowid from articles_fts where articles_fts match :query)")
        params["query"] = fts_query(conn, query)
    sql = "select * from articles" + (" where " + " and ".join(where) if where else "") + " order by rowid"
    return sql, params


def iter_articles(conn: sqlite3.Connection, **filters: Any) -> Iterator[tuple[list[str], tuple]]:
    """Yield ``(columns, row)`` for each matching article, reading FETCH_BATCH rows at a time."""
    sql, params = build_query(conn, **filters)
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    while True:
        batch = cursor.fetchmany(FETCH_BATCH)
        if not batch:
            return
        for row in batch:
            yield columns, row


def _json_row(columns: list[str], row: tuple) -> str:
    record = dict(zip(columns, row, strict=True))
    for name in JSON_LIST_COLUMNS:
        value = record.get(name)
        if isinstance(value, str):
            try:
                record[name] = json.loads(value)
            except ValueError:
                pass  # not JSON after all: keep the text as stored
    return json.dumps(record, ensure_ascii=False)


def export_articles(conn: sqlite3.Connection, out: IO[str], *, fmt: str = "jsonl", **filters: Any) -> int:
    """Write matching articles to ``out`` (text stream); return how many."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    count = 0
    writer = None
    columns: list[str] = []
    for columns, row in iter_articles(conn, **filters):
        if fmt == "jsonl":
            out.write(_json_row(columns, row) + "\n")
        else:
            if writer is None:
                writer = csv.writer(out)
                writer.writerow(columns)
            writer.writerow(row)
        count += 1
    if fmt == "csv" and writer is None:  # no rows: the header alone still tells a tool the columns
        cursor = conn.execute("select * from articles limit 0")
        csv.writer(out).writerow([d[0] for d in cursor.description])
    return count
