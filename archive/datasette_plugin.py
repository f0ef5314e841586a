"""Datasette plugin for the archive: archived copies, links from rows to them, and a search box that
never fails.

Registered by ``newsarchive serve`` (``datasette.plugins.pm.register``); Datasette alone can load it
with ``--plugins-dir`` pointing at a folder holding this file.

- ``/-/archived/<id>`` serves the page as it was captured, read from its WARC record by offset.
  ``<id>`` is a capture id (``captures.id``) or a ``WARC-Record-ID`` (``urn:uuid:…``, angle brackets
  optional). Archived pages may carry hostile HTML and scripts, so the response is sandboxed
  (``SANDBOX_CSP``: no scripts, an opaque origin, nothing fetched from the live web or from this server),
  carries ``X-Content-Type-Options: nosniff``, and none of the archived headers (no ``Set-Cookie``).
  Anything that is not a known record is a 404 that names no file.
- ``render_cell`` links ``warc_record_id`` cells of ``articles``, ``captures`` and ``article_versions``
  to their archived copy, and their ``crawl_id`` cells to the crawl's row.
- ``escape_fts`` (the SQL function Datasette's table search calls) is replaced: a query that is valid
  FTS5 (``"exact phrase"``, ``OR``, ``NEAR(a b)``, ``prefix*``) is searched as written, anything else as
  plain words, so the search box gives results or an empty list, never an error.
- ``canned_queries`` adds "latest edits" over ``article_versions``, or an empty stand-in that says why
  when the archive predates that table.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import threading
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup

from archive.scripts import UNSPACED_RE
from archive.search import quote_query, substring_conditions
from archive.store import FTS_TOKENIZE, WARC_SUBDIR
from archive.warcreader import RecordNotFound, read_record

log = logging.getLogger(__name__)

METADATA_PATH = Path(__file__).with_name("metadata.yml")  # what `newsarchive serve` passes as --metadata
ROUTE = "/-/archived/"
# sandbox with no allow-* tokens: scripts, forms, popups and plugins are off and the page gets an opaque
# origin (no cookies, no storage, no same-origin requests to this server). The fetch directives keep the
# page from loading anything: live-web subresources would show today's files, not the captured ones,
# and tell the site who is reading its archive.
SANDBOX_CSP = (
    "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'self'"
)
SECURITY_HEADERS = {
    "content-security-policy": SANDBOX_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-resource-policy": "same-origin",
    "x-frame-options": "SAMEORIGIN",
    "cache-control": "private, max-age=3600",
}
CAPTURE_ID = re.compile(r"[0-9]{1,18}")
RECORD_ID = re.compile(r"<?(urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})>?")
# Content types served as captured; anything else (SVG, scripts, unknown) as application/octet-stream,
# which a browser offers to save and never renders.
SERVED_TYPES = re.compile(
    r"(text/(html|plain|css|xml)|application/(xhtml\+xml|xml|rss\+xml|atom\+xml|json|pdf)|image/(jpeg|png|gif|webp))\b",
    re.I,
)
LINKED_TABLES = ("articles", "captures", "article_versions")
VERSIONS_TABLE = "article_versions"


def archived_path(record_id: str) -> str:
    """``<urn:uuid:…>`` → ``/-/archived/urn:uuid:…`` (relative to Datasette's base URL)."""
    return ROUTE + record_id.strip("<>")


def parse_id(raw: str) -> tuple[str, str | int] | None:
    """A capture id or a WARC record id, strictly; None for anything else."""
    if CAPTURE_ID.fullmatch(raw):
        return "capture", int(raw)
    match = RECORD_ID.fullmatch(raw)
    if match and raw.startswith("<") == raw.endswith(">"):
        return "record", f"<{match.group(1)}>"
    return None


def _archive_database(datasette):
    """The database holding ``captures`` (``newsarchive serve`` opens exactly one)."""
    for db in datasette.databases.values():
        if db.path and not db.is_memory:
            return db
    return None


def _not_found(message: str) -> Response:
    return Response.text(message + "\n", status=404, headers=dict(SECURITY_HEADERS))


POINTER = "url, warc_filename, warc_offset, warc_length, warc_type, payload_digest"
POINTER_FIELDS = tuple(name.strip() for name in POINTER.split(","))


async def _pointer(db, sql: str, params: list) -> dict | None:
    rows = (await db.execute(sql, params)).rows
    if not rows or rows[0][1] is None:
        return None
    return dict(zip(POINTER_FIELDS, rows[0], strict=True))


async def _locate(db, kind: str, value: str | int) -> dict | None:
    """The WARC pointer of a capture or record id; captures first (every fetch is there), then articles."""
    if kind == "capture":
        return await _pointer(db, f"select {POINTER} from captures where id = ?", [value])
    found = await _pointer(db, f"select {POINTER} from captures where warc_record_id = ? limit 1", [value])
    if found is None:
        found = await _pointer(
            db,
            "select url, warc_filename, warc_offset, warc_length, 'response', payload_digest "
            "from articles where warc_record_id = ? limit 1",
            [value],
        )
    return found


async def _revisit_original(db, pointer: dict) -> dict | None:
    """A revisit record has no body: serve the earlier response with the same payload."""
    return await _pointer(
        db,
        f"select {POINTER} from captures where payload_digest = ? and warc_type = 'response' "
        "and warc_filename is not null order by fetched_at limit 1",
        [pointer["payload_digest"]],
    )


def _header_value(value: str | None) -> str:
    """A captured value made safe for a response header: ASCII, no control characters."""
    text = (value or "").encode("ascii", "backslashreplace").decode("ascii")
    return re.sub(r"[\x00-\x1f\x7f]", "", text)


async def archived_view(datasette, request) -> Response:
    raw = unquote(request.url_vars["record_id"])
    parsed = parse_id(raw)
    if parsed is None:
        return _not_found("not a capture id or WARC record id (expected a number or urn:uuid:…)")
    db = _archive_database(datasette)
    if db is None:
        return _not_found("no archive database")
    try:
        pointer = await _locate(db, *parsed)
        if pointer is not None and pointer["warc_type"] == "revisit" and pointer["payload_digest"]:
            pointer = await _revisit_original(db, pointer)
    except sqlite3.Error as exc:
        log.warning("archived copy %s: %s", raw, exc)
        return _not_found("no such archived record")
    if pointer is None:
        return _not_found("no such archived record")
    warc_dir = Path(db.path).parent / WARC_SUBDIR
    try:
        record = await asyncio.get_running_loop().run_in_executor(
            None,
            read_record,
            warc_dir,
            pointer["warc_filename"],
            int(pointer["warc_offset"]),
            pointer["warc_length"],
        )
        body = record.body
    except (RecordNotFound, OSError, ValueError) as exc:
        # The message names files on disk: it goes to the log, not to the browser.
        log.warning("archived copy %s unreadable: %s", raw, exc)
        return _not_found("this record is listed in the archive but its WARC file cannot be read")
    content_type = _header_value(record.content_type).strip() or "application/octet-stream"
    if not SERVED_TYPES.match(content_type):
        content_type = "application/octet-stream"
    headers = dict(SECURITY_HEADERS)
    headers["x-archived-url"] = _header_value(record.url)
    headers["x-archived-date"] = _header_value(record.warc_date)
    return Response(body, status=200, headers=headers, content_type=content_type)


CSS_ROUTE = "/-/newsarchive.css"
# Article text and diffs keep their line breaks (paragraphs, diff lines); the column descriptions
# Datasette lists above a table (30 of them for articles) scroll in a small box instead of filling the page.
CSS = """td.col-text, td.col-diff { white-space: pre-wrap; }
td.col-diff { font-family: monospace; font-size: 0.85em; }
td.col-warc_record_id a { white-space: nowrap; }
dl.column-descriptions { max-height: 7.5em; overflow-y: auto; font-size: 0.85em; border: 1px solid #ddd;
  padding: 0.3em 0.6em; }
dl.column-descriptions dd { margin-bottom: 0.2em; }
"""


async def css_view(datasette, request) -> Response:
    return Response(CSS, headers={"cache-control": "max-age=3600"}, content_type="text/css; charset=utf-8")


@hookimpl
def register_routes(datasette):
    return [
        (r"^/-/archived/(?P<record_id>[^/]{1,200})$", archived_view),
        (r"^/-/newsarchive\.css$", css_view),
    ]


@hookimpl
def extra_css_urls(template, database, table, columns, view_name, request, datasette):
    return [datasette.urls.path(CSS_ROUTE)]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    # table is None in canned and custom queries: a record id is a record id wherever it shows.
    if (table is None or table in LINKED_TABLES) and column == "warc_record_id" and isinstance(value, str) and RECORD_ID.fullmatch(value):
        href = datasette.urls.path(archived_path(value))
        return Markup('<a href="{}" title="{}" rel="noopener noreferrer">archived copy</a>').format(href, value)
    if table in LINKED_TABLES and column == "crawl_id" and isinstance(value, str) and value:
        # No foreign key in the schema (crawls are written in parallel with captures), so link by hand.
        href = datasette.urls.row(database, "crawls", tilde_encode(value))
        return Markup('<a href="{}">{}</a>').format(href, value)
    return None


# -- search that never errors -------------------------------------------------------------------------
_probe = threading.local()


def _probe_connection() -> sqlite3.Connection:
    """An empty FTS5 table with the archive's columns and tokenizer: FTS5 parses a MATCH expression
    even when no row could match, so this says whether a query is valid without touching the archive."""
    conn = getattr(_probe, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.execute(f"create virtual table probe using fts5(title, text, tokenize={FTS_TOKENIZE!r})")
        _probe.conn = conn
    return conn


def safe_fts(query: str | None) -> str:
    """The query as written when it is valid FTS5, else its words as quoted terms; ``""`` (matches
    nothing) when there are no words at all."""
    query = (query or "").strip()
    if query:
        try:
            _probe_connection().execute("select 1 from probe where probe match ?", [query]).fetchall()
            return query
        except sqlite3.Error:
            pass
    return quote_query(query) or '""'


@hookimpl(trylast=True)
def prepare_connection(conn, database, datasette):
    # Datasette's own escape_fts is registered by its default plugin; pluggy calls trylast
    # implementations after it, so this definition replaces it.
    conn.create_function("escape_fts", 1, safe_fts)


@hookimpl
def asgi_wrapper(datasette):
    """Search parameters FTS5 would reject before escape_fts sees them: ``?_searchmode=raw`` hands the
    query to FTS5 unchecked (escape_fts above already keeps valid FTS5 syntax, so raw is served as
    escaped), and an empty ``?_search=`` (the search form submitted blank) means no search at all."""

    def wrap(app):
        async def with_safe_search(scope, receive, send):
            query = scope.get("query_string", b"") if scope.get("type") == "http" else b""
            if b"_search" in query:
                pairs = parse_qsl(query.decode("utf-8", "replace"), keep_blank_values=True)
                kept = [
                    (key, "escaped" if key == "_searchmode" else value)
                    for key, value in pairs
                    if not (key.startswith("_search") and key != "_searchmode" and not value.strip())
                ]
                kept = [pair for key, value in kept for pair in _unspaced_search(key, value)]
                if kept != pairs:
                    scope = {**scope, "query_string": urlencode(kept).encode("ascii")}
            await app(scope, receive, send)

        return with_safe_search

    return wrap


def _unspaced_search(key: str, value: str) -> list[tuple[str, str]]:
    """``_search`` in Chinese, Japanese, Thai... as ``newsarchive search`` reads it (archive/search.py):
    FTS5's tokenizer made a whole clause of such text one token, so the search box found no word inside
    one. Such a search becomes a ``_where`` that each of its words occurs in the title or the text; the
    words are ``\\w+`` runs, so nothing else reaches the SQL."""
    if key != "_search" or not UNSPACED_RE.search(value):
        return [(key, value)]
    params: dict[str, str] = {}
    conditions = substring_conditions(value, params)
    # Datasette's _where takes no parameters: each word goes in as a string literal (\w has no quote)
    return [("_where", re.sub(r":(t\d+)", lambda m: f"'{params[m[1]]}'", c)) for c in conditions]


# -- canned query that depends on article_versions ------------------------------------------------------
# The 200 newest edits are chosen by rowid first, so the sort reads no text or diff of older versions.
LATEST_EDITS_SQL = f"""select v.url, v.version, v.fetched_at, v.title, v.diff, v.warc_record_id, v.crawl_id
from {VERSIONS_TABLE} v
join (select rowid as id from {VERSIONS_TABLE} where version > 1 order by fetched_at desc limit 200) latest
  on v.rowid = latest.id
order by v.fetched_at desc"""
NO_EDITS_SQL = """select null as url, null as version, null as fetched_at, null as title, null as diff,
  null as warc_record_id, null as crawl_id
where 0"""


@hookimpl
def canned_queries(datasette, database, actor):
    async def inner():
        db = datasette.databases.get(database)
        if db is None or not db.path:
            return {}
        exists = VERSIONS_TABLE in await db.table_names()
        return {
            "latest_edits": {
                "title": "Latest edits, with their diffs",
                "description": (
                    "Articles whose title or text changed between captures, newest change first; "
                    "`diff` is a unified diff against the previous version."
                    if exists
                    else "This archive has no article_versions table yet (made before revisions were "
                    "recorded): recrawl with a current newsarchive to start keeping edits."
                ),
                "sql": LATEST_EDITS_SQL if exists else NO_EDITS_SQL,
            }
        }

    return inner

