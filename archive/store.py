"""The SQLite archive (``DIR/archive.db``): schema, and the writes a crawl makes.

Tables (documented for researchers in the README, "SQLite schema"):
``articles`` one row per article URL, with full-text search over title and text (``articles_fts``);
``captures`` one row per fetch; ``crawls`` one row per run. WAL mode, so researchers can read while a
crawl writes. Every pointer (``warc_filename``, ``warc_offset``, ``warc_length``) is written only after
the record is flushed to its WARC file.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import sqlite_utils
from w3lib.url import safe_url_string

from archive import versions
from archive.boilerplate import ensure_boilerplate_schema
from archive.language import preferred_code, text_language
from archive.warcwriter import RecordLocation

if TYPE_CHECKING:  # extraction (trafilatura, ~60 ms and ~40 MB to import) is not needed to read the archive
    from archive.extract import Article

DB_NAME = "archive.db"
WARC_SUBDIR = "warc"
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"
SCHEMA_VERSION = 1

ARTICLE_COLUMNS: dict[str, type] = {
    "url": str,
    "canonical_url": str,
    "site": str,
    "title": str,
    "authors": str,
    "published": str,
    "modified": str,
    "language": str,
    "declared_language": str,
    "description": str,
    "site_name": str,
    "section": str,
    "tags": str,
    "image": str,
    "image_caption": str,
    "text": str,
    "word_count": int,
    "status": int,
    "fetched_at": str,
    "first_fetched_at": str,
    "discovered_via": str,
    "sitemap_lastmod": str,
    "listed_in": str,
    "listed_title": str,
    "listed_published": str,
    "listed_language": str,
    "warc_filename": str,
    "warc_offset": int,
    "warc_length": int,
    "warc_record_id": str,
    "payload_digest": str,
    "crawl_id": str,
    "extractor_version": str,
}
CAPTURE_COLUMNS: dict[str, type] = {
    "id": int,
    "crawl_id": str,
    "url": str,
    "method": str,
    "fetched_at": str,
    "status": int,
    "content_type": str,
    "bytes": int,
    "duration_ms": float,
    "error": str,
    "reason": str,
    "truncated": str,
    "warc_type": str,
    "warc_filename": str,
    "warc_offset": int,
    "warc_length": int,
    "warc_record_id": str,
    "payload_digest": str,
    "etag": str,  # validators of the response, sent back in conditional requests (archive.dedup)
    "last_modified": str,
    "redirect_to": str,  # where a 3xx answer or a meta refresh sent the crawler (archive.schedule settles by it)
    "embedded_by": str,  # for a page requisite: the page (or stylesheet) that embedded it
}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})  # the ones Scrapy's RedirectMiddleware follows
CRAWL_COLUMNS: dict[str, type] = {
    "id": str,
    "spider": str,
    "seeds": str,
    "settings": str,
    "started_at": str,
    "ended_at": str,
    "status": str,
    "finish_reason": str,
    "pid": int,
    "pages_fetched": int,
    "fetch_errors": int,
    "articles_new": int,
    "articles_updated": int,
    "versions_new": int,
    "bytes_received": int,
    "failed_seeds": str,
    "warc_files": str,
}


RECENT_CRAWLS = 5  # `newsarchive stats`: how many of the latest runs it lists


def utcnow() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def site_of(url: str) -> str:
    """``https://www.rferl.org/a/x/1.html`` → ``rferl.org``: the name researchers filter on."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def redirect_target(url: str, status: int | None, location: str | bytes | None) -> str | None:
    """The absolute URL a redirect answer sends the crawler to, resolved as Scrapy's RedirectMiddleware
    does (so it equals the ``url`` of the target's capture); None when the answer is no redirect."""
    if status not in REDIRECT_STATUSES or not location:
        return None
    target = safe_url_string(location)
    if target.startswith("//"):  # scheme-relative
        target = urlsplit(url).scheme + "://" + target.lstrip("/")
    target = safe_url_string(urljoin(url, target))
    return target if urlsplit(target).scheme in ("http", "https") else None


def extraction_columns(article: Article) -> dict:
    """The ``articles`` columns extraction produces (``reextract`` replaces exactly these)."""
    return {
        "canonical_url": article.canonical_url,
        "title": article.title,
        "authors": json.dumps(article.authors, ensure_ascii=False),
        "published": article.published,
        "modified": article.modified,
        # What the text is written in (archive/language.py); what the page or its listing declared.
        "language": text_language(article.text, article.language),
        "declared_language": preferred_code(article.language),
        "description": article.description,
        "site_name": article.site_name,
        "section": article.section,
        "tags": json.dumps(article.tags, ensure_ascii=False),
        "image": article.image,
        "image_caption": article.image_caption,
        "text": article.text,
        "word_count": article.word_count,
        "extractor_version": article.extractor_version,
    }


class ArchiveStore:
    """The archive database. One instance per process; writes happen on one thread."""

    def __init__(self, archive_dir: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.archive_dir = Path(archive_dir)
        self.path = self.archive_dir / DB_NAME
        self.read_only = read_only
        if read_only:
            if not self.path.exists():
                raise FileNotFoundError(f"no archive at {self.path}: run `newsarchive crawl` first")
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self.archive_dir.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self.db = sqlite_utils.Database(conn)
        if not read_only:
            self.db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a committed row can be lost only on power failure, never corrupted.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.ensure_schema()

    @property
    def warc_dir(self) -> Path:
        return self.archive_dir / WARC_SUBDIR

    def close(self) -> None:
        self.db.conn.close()

    # -- schema ------------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        db = self.db
        if "crawls" not in db.table_names():
            db["crawls"].create(CRAWL_COLUMNS, pk="id")
        elif "versions_new" not in db["crawls"].columns_dict:  # archives made before revisions existed
            db["crawls"].add_column("versions_new", int)
        versions.ensure_table(db)
        if "captures" not in db.table_names():
            db["captures"].create(CAPTURE_COLUMNS, pk="id")
            db["captures"].create_index(["url", "fetched_at"])
            db["captures"].create_index(["crawl_id"])
            db["captures"].create_index(["payload_digest"])
        else:  # archives made before conditional requests (etag, last_modified), redirect targets, requisites
            for name in ("etag", "last_modified", "redirect_to", "embedded_by"):
                if name not in db["captures"].columns_dict:
                    db["captures"].add_column(name, str)
        # set_capture_reason finds the row by record id once per fetch: without this index every update
        # scanned the table, and a 5,000-page crawl ran at half the speed of a 1,000-page one (bench/).
        db["captures"].create_index(["warc_record_id"], if_not_exists=True)
        # export-wacz finds what a selected page's stylesheets loaded by this (archive/selection.py).
        db["captures"].create_index(["embedded_by"], if_not_exists=True)
        if "articles" not in db.table_names():
            db["articles"].create(ARTICLE_COLUMNS, pk="url", not_null={"text"})
            db["articles"].create_index(["site", "published"])
            db["articles"].create_index(["fetched_at"])
            db["articles"].create_index(["canonical_url"])
            db["articles"].enable_fts(
                ["title", "text"], fts_version="FTS5", create_triggers=True, tokenize=FTS_TOKENIZE
            )
        elif "declared_language" not in db["articles"].columns_dict:  # archives made before language identification
            db["articles"].add_column("declared_language", str)
        ensure_boilerplate_schema(db)  # per-site learned boilerplate (archive/boilerplate.py)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- crawls ------------------------------------------------------------------------------------
    def start_crawl(self, crawl_id: str, *, spider: str, seeds: list[str], settings: dict[str, Any]) -> None:
        self.db["crawls"].insert(
            {
                "id": crawl_id,
                "spider": spider,
                "seeds": json.dumps(seeds),
                "settings": json.dumps(settings, sort_keys=True, default=str),
                "started_at": utcnow(),
                "status": "running",
                "articles_new": 0,
                "articles_updated": 0,
                "versions_new": 0,
                "pid": os.getpid(),
            }
        )

    def finish_crawl(
        self,
        crawl_id: str,
        *,
        status: str,
        finish_reason: str,
        warc_files: list[str],
        failed_seeds: dict[str, str] | None = None,
    ) -> dict:
        counts = self.db.execute(
            """select
                 count(*) filter (where status is not null) as pages_fetched,
                 count(*) filter (where error is not null) as fetch_errors,
                 coalesce(sum(bytes), 0) as bytes_received
               from captures where crawl_id = ?""",
            [crawl_id],
        ).fetchone()
        row = {
            "ended_at": utcnow(),
            "status": status,
            "finish_reason": finish_reason,
            "pages_fetched": counts[0],
            "fetch_errors": counts[1],
            "bytes_received": counts[2],
            "warc_files": json.dumps(warc_files),
            "failed_seeds": json.dumps(failed_seeds or {}),
        }
        with self.db.conn:
            self.db["crawls"].update(crawl_id, row)
        return self.db["crawls"].get(crawl_id)

    def bump_crawl(self, crawl_id: str, column: str, by: int = 1) -> None:
        assert column in ("articles_new", "articles_updated", "versions_new")
        with self.db.conn:
            self.db.execute(f"update crawls set {column} = coalesce({column}, 0) + ? where id = ?", [by, crawl_id])

    # -- captures ----------------------------------------------------------------------------------
    def add_capture(
        self,
        *,
        crawl_id: str,
        url: str,
        fetched_at: str,
        method: str = "GET",
        status: int | None = None,
        content_type: str | None = None,
        size: int | None = None,
        duration_ms: float | None = None,
        error: str | None = None,
        reason: str | None = None,
        truncated: str | None = None,
        warc_type: str | None = None,
        location: RecordLocation | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        redirect_to: str | None = None,
        embedded_by: str | None = None,
    ) -> int:
        row: dict[str, Any] = {
            "crawl_id": crawl_id,
            "url": url,
            "method": method,
            "fetched_at": fetched_at,
            "status": status,
            "content_type": content_type,
            "bytes": size,
            "duration_ms": duration_ms,
            "error": error,
            "reason": reason,
            "truncated": truncated,
            "warc_type": warc_type,
            "etag": etag,
            "last_modified": last_modified,
            "redirect_to": redirect_to,
            "embedded_by": embedded_by,
        }
        if location is not None:
            row.update(
                warc_filename=location.filename,
                warc_offset=location.offset,
                warc_length=location.length,
                warc_record_id=location.record_id,
                payload_digest=location.payload_digest,
            )
        # Plain SQL: sqlite-utils' insert (table lookups, a savepoint) cost as much as the rest of the
        # capture's bookkeeping, once per fetch (bench/, archive-only crawl).
        columns = ", ".join(row)
        with self.db.conn:
            cursor = self.db.conn.execute(
                f"insert into captures ({columns}) values ({', '.join('?' * len(row))})", list(row.values())
            )
        return cursor.lastrowid

    def set_capture_reason(self, record_id: str, reason: str) -> None:
        """Say what became of a fetch (``article``, ``not-article``, ``no-article-text``, ``malformed-xml``...)."""
        with self.db.conn:
            self.db.execute("update captures set reason = ? where warc_record_id = ?", [reason, record_id])

    # -- articles ----------------------------------------------------------------------------------
    def save_article(
        self,
        article: Article,
        *,
        location: RecordLocation,
        crawl_id: str,
        fetched_at: str,
        status: int = 200,
        discovered_via: str | None = None,
        sitemap_lastmod: str | None = None,
        listing: dict[str, str] | None = None,
    ) -> str:
        """Insert or replace the row for ``article.url``; return ``"new"`` or ``"updated"``."""
        found = list(self.db.query("select * from articles where url = ?", [article.url]))
        previous = found[0] if found else None
        row = {
            "url": article.url,
            "site": site_of(article.url),
            **extraction_columns(article),
            "status": status,
            "fetched_at": fetched_at,
            "first_fetched_at": previous["first_fetched_at"] if previous else fetched_at,
            "discovered_via": discovered_via,
            "sitemap_lastmod": sitemap_lastmod,
            # What the sitemap or feed that listed the URL said (news:title, news:publication_date...).
            "listed_in": (listing or {}).get("listed_in"),
            "listed_title": (listing or {}).get("title"),
            "listed_published": (listing or {}).get("published"),
            "listed_language": (listing or {}).get("language"),
            # The record that holds the body: for a revisit capture, the original response it refers to.
            "warc_filename": location.body_location.filename,
            "warc_offset": location.body_location.offset,
            "warc_length": location.body_location.length,
            "warc_record_id": location.body_location.record_id,
            "payload_digest": location.payload_digest,
            "crawl_id": crawl_id,
        }
        with self.db.conn:
            self.db["articles"].upsert(row, pk="url")
            same_payload = (
                previous is not None
                and location.payload_digest is not None
                and previous["payload_digest"] == location.payload_digest
            )
            version = versions.record(
                self.db, versions.Capture.from_row(row), previous, same_payload=same_payload
            )
            if version is not None and version > 1:
                self.db.execute(
                    "update crawls set versions_new = coalesce(versions_new, 0) + 1 where id = ?", [crawl_id]
                )
        return "updated" if previous else "new"

    def article(self, url: str) -> dict | None:
        rows = list(self.db.query("select * from articles where url = ? or canonical_url = ?", [url, url]))
        return rows[0] if rows else None

    def stats(self) -> dict[str, Any]:
        db = self.db
        one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": one("select count(*) from articles"),
            "sites": one("select count(distinct site) from articles"),
            "captures": one("select count(*) from captures"),
            "fetch_errors": one("select count(*) from captures where error is not null"),
            "crawls": one("select count(*) from crawls"),
            "words": one("select coalesce(sum(word_count), 0) from articles"),
            "newest_fetch": one("select max(fetched_at) from captures"),
            "per_site": list(
                db.query("select site, count(*) as articles from articles group by site order by articles desc")
            ),
            "per_language": list(
                db.query("select coalesce(language, 'unknown') as language, count(*) as articles from articles "
                         "group by 1 order by articles desc, language")
            ),
            # Which extractor made the rows (`reextract --stale` brings older ones up to date).
            "per_extractor": list(
                db.query("select coalesce(extractor_version, 'unknown') as extractor_version, count(*) as articles "
                         "from articles group by 1 order by articles desc")
            ),
            # What became of each fetch: its reason, else the error's type ("error: DNSLookupError"), else
            # the HTTP status of an error answer ("http 404").
            "reasons": list(
                db.query(
                    "select coalesce(reason, case when error is not null then 'error: ' || "
                    "case when instr(error, ':') > 0 then substr(error, 1, instr(error, ':') - 1) else error end "
                    "when status >= 400 then 'http ' || status else 'fetched' end) as reason, count(*) as n "
                    "from captures group by 1 order by n desc, reason"
                )
            ),
            "recent_crawls": list(
                db.query(
                    "select id, started_at, ended_at, status, finish_reason, pages_fetched, fetch_errors, "
                    "articles_new, articles_updated, versions_new from crawls order by started_at desc limit ?",
                    [RECENT_CRAWLS],
                )
            ),
            "warc_files": sorted(p.name for p in self.warc_dir.glob("*.warc.gz*")) if self.warc_dir.exists() else [],
        }
