"""Capture every network response into WARC, and keep the run's record in ``archive.db``.

Connected to ``response_downloaded``: it fires in the downloader before any middleware, for every real
fetch (robots.txt, sitemaps, feeds, redirect hops, retries, errors), with the body still
content-encoded, exactly as ../shared/guide/warc.md prescribes. The record's location is put in
``request.meta["warc"]`` so the spider and the pipeline can point at it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro

from archive import __version__
from archive.dedup import DEFAULT_MIN_SIZE, Deduplicator, PreviousCapture, warc_date_to_fetched_at
from archive.metarefresh import RefreshRules, capture_redirect
from archive.repair import repair_directory
from archive.store import ArchiveStore, utcnow
from archive.warcwriter import (
    ARTICLE_CANDIDATE,
    EMBEDDED_BY_FIELD,
    OUTCOME_FIELD,
    REQUISITE,
    REVISIT_IDENTICAL,
    REVISIT_NOT_MODIFIED,
    HttpExchange,
    RecordLocation,
    WarcWriter,
    payload_digest,
)
from crawler.truncation import truncation_of

logger = logging.getLogger(__name__)

META_LOCATION = "warc"  # request.meta key: RecordLocation of the response record
META_FETCHED_AT = "fetched_at"
META_EMBEDDED_BY = "embedded_by"  # request.meta of a page requisite: the page (or stylesheet) embedding it
# The finish reason of a crawl stopped because the archive could not be written (disk full, a file over
# the file-size limit, a read-only or failing disk, a damaged archive.db).
WRITE_ERROR_REASON = "archive-write-error"
# What a failed write raises: OSError from the WARC file or the log, sqlite3 errors from archive.db.
WRITE_ERRORS = (OSError, sqlite3.DatabaseError)


class ArchiveContext:
    """What one crawl shares between its components: the store, the WARC writer, the crawl id."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.crawl_id = settings.get("NEWSARCHIVE_CRAWL_ID") or (
            datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]
        )
        self.store = ArchiveStore(settings.get("NEWSARCHIVE_ARCHIVE_DIR"))
        # Leftover ".open" files of a killed crawl: cut after the last complete record, close, rename.
        repair_directory(self.store.warc_dir, log=logger.warning)
        self.dedup = Deduplicator(
            self.store.db.conn, min_size=settings.getint("NEWSARCHIVE_DEDUP_MIN_SIZE", DEFAULT_MIN_SIZE)
        )
        self.recent_urls = {}
        self.writer = WarcWriter(
            self.store.warc_dir,
            prefix=settings.get("NEWSARCHIVE_WARC_PREFIX"),
            max_size=settings.getint("NEWSARCHIVE_WARC_MAX_SIZE"),
            info={
                "isPartOf": self.crawl_id,
                "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                "http-header-user-agent": settings.get("USER_AGENT"),
                "operator": settings.get("NEWSARCHIVE_OPERATOR") or "",
                "software": f"newsarchive/{__version__} (Scrapy, warcio)",
            },
        )

    result: dict | None = None  # the finished `crawls` row, set when the spider closes
    write_error: str | None = None  # why the archive could not be written; the crawl is stopping
    recent_urls: dict[str, str]  # record id -> URL of recent captures, for their metadata records

    def stop_writing(self, error: BaseException, where: str) -> None:
        """The archive could not be written: say so once and close the crawl. Fetching on would only
        lose more pages; what is on disk stays readable (a capture row is written only after its WARC
        record, and the next run repairs the open WARC file)."""
        if self.write_error is not None:
            return
        self.write_error = f"{where}: {type(error).__name__}: {error}"
        logger.error("cannot write to the archive in %s (%s); the crawl stops. Free space (or fix the disk) and "
                     "run again: the next run repairs the open WARC file", self.store.archive_dir, self.write_error)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=WRITE_ERROR_REASON))

    def archive(self, ex: HttpExchange, previous: PreviousCapture | None = None) -> tuple[RecordLocation, str]:
        """Write one fetch: a ``revisit`` when its payload is already archived (or a 304 answered a
        conditional request), else a ``response``. Returns the location and the record type; a
        revisit's location carries ``original``, the response record that holds the body."""
        if ex.status == 304 and previous is not None:
            original = previous.original
            location = self.writer.write_revisit(
                ex, profile=REVISIT_NOT_MODIFIED, refers_to=original.record_id,
                refers_to_uri=previous.original_url, refers_to_date=original.warc_date,
                payload_digest=original.payload_digest,
            )
            return replace(location, original=original), "revisit"
        digest = payload_digest(ex.body)
        found = self.dedup.original_for(digest, len(ex.body), ex.truncated)
        if found is not None:
            original, original_url = found
            location = self.writer.write_revisit(
                ex, profile=REVISIT_IDENTICAL, refers_to=original.record_id, refers_to_uri=original_url,
                refers_to_date=original.warc_date, payload_digest=digest,
            )
            return replace(location, original=original), "revisit"
        return self.writer.write_exchange(ex, digest), "response"

    def note_item(self, item) -> None:
        """A ``metadata`` record about a capture (what the crawl made of it: article candidate or not,
        how it was discovered, what its listing said), so ``reindex`` can rebuild from WARC alone."""
        location = item.location
        if location is None:
            return
        url = getattr(item, "url", None) or self.recent_urls.get(location.record_id)
        if not url:
            return
        if hasattr(item, "reason"):
            fields = {OUTCOME_FIELD: item.reason}
        else:
            fields = {
                OUTCOME_FIELD: ARTICLE_CANDIDATE,
                "discovered-via": item.discovered_via,
                "listing": json.dumps(item.hints, ensure_ascii=False, sort_keys=True) if item.hints else None,
            }
        self._write_outcome(url, location, fields)

    def note_requisite(self, url: str, location: RecordLocation, embedded_by: str) -> None:
        """The ``metadata`` record of a page requisite (``reason`` and ``embedded_by`` for ``reindex``),
        written as it is captured: whatever its status, no spider callback has more to say about it."""
        self._write_outcome(url, location, {OUTCOME_FIELD: REQUISITE, EMBEDDED_BY_FIELD: embedded_by})

    def _write_outcome(self, url: str, location: RecordLocation, fields: dict[str, str | None]) -> None:
        self.writer.write_metadata(url, location.record_id, outcome_fields(fields), "application/warc-fields")

    def remember_url(self, record_id: str, url: str) -> None:
        self.recent_urls[record_id] = url
        while len(self.recent_urls) > 50_000:  # items follow their response within seconds
            self.recent_urls.pop(next(iter(self.recent_urls)))

    @classmethod
    def of(cls, crawler: Crawler) -> ArchiveContext:
        """The crawl's single context, made on first use.

        Raises ``NotConfigured`` (without a message: one error line says why) when the run was refused
        the archive's lock, so every component that would open the archive switches itself off."""
        if cls.refused(crawler) is not None:
            raise NotConfigured()
        context = getattr(crawler, "_newsarchive_context", None)
        if context is None:
            context = cls(crawler)
            crawler._newsarchive_context = context  # type: ignore[attr-defined]
        return context

    @staticmethod
    def refuse(crawler: Crawler, error: Exception) -> None:
        """Another crawl holds the archive (crawler/runstate.py): no context is ever made for this one."""
        crawler._newsarchive_refused = error  # type: ignore[attr-defined]

    @staticmethod
    def refused(crawler: Crawler) -> Exception | None:
        """Why this run was refused the archive (``lock.LockHeld``), or None."""
        return getattr(crawler, "_newsarchive_refused", None)


def _headers(headers) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else name
        for value in values:
            pairs.append((key, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return pairs


def outcome_fields(fields: dict[str, str]) -> bytes:
    """``application/warc-fields``: one ``name: value`` line each, values on one line."""
    # Only line breaks are replaced: the listing JSON must come back byte for byte (it has none).
    lines = [f"{name}: {str(value).replace(chr(13), ' ').replace(chr(10), ' ')}"
             for name, value in fields.items() if value not in (None, "")]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def refresh_rules(settings) -> RefreshRules | None:
    """The meta refreshes Scrapy's MetaRefreshMiddleware follows (crawler/memory.py HeadMetaRefresh), from
    its own settings; None when it is switched off. A page's capture records such a refresh's target as
    a redirect's (``captures.redirect_to``)."""
    if not settings.getbool("METAREFRESH_ENABLED"):
        return None
    return RefreshRules(max_delay=settings.getfloat("METAREFRESH_MAXDELAY"),
                        ignore_tags=tuple(settings.getlist("METAREFRESH_IGNORE_TAGS")))


def exchange_from(response: Response, request: Request) -> HttpExchange:
    latency = request.meta.get("download_latency") or 0.0
    started = datetime.now(UTC) - timedelta(seconds=latency)
    body, truncated = truncation_of(response, request)
    return HttpExchange(
        url=response.url,
        method=request.method,
        request_headers=_headers(request.headers),
        request_body=request.body or b"",
        status=response.status,
        protocol=response.protocol or "HTTP/1.1",
        response_headers=_headers(response.headers),
        body=body,
        started_at=started,
        ip_address=str(response.ip_address) if response.ip_address else None,
        truncated=truncated,
    )


class ArchiveExtension:
    """Writes the WARC records and the ``crawls``/``captures`` rows of a run."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = ArchiveContext.of(crawler)
        self.refresh = refresh_rules(crawler.settings)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveExtension:
        if not crawler.settings.get("NEWSARCHIVE_ARCHIVE_DIR"):
            raise NotConfigured("NEWSARCHIVE_ARCHIVE_DIR is not set")
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        seeds = list(getattr(spider, "seeds", []) or [])
        interesting = {k: self.crawler.settings.get(k) for k in _RECORDED_SETTINGS}
        self.context.store.start_crawl(self.context.crawl_id, spider=spider.name, seeds=seeds, settings=interesting)
        logger.info("crawl %s: archive at %s", self.context.crawl_id, self.context.store.archive_dir)

    def response_downloaded(self, response: Response, request: Request) -> None:
        if self.context.write_error is not None:
            return  # the crawl is stopping: the archive cannot be written
        try:
            self._archive(response, request)
        except WRITE_ERRORS as exc:
            self.context.stop_writing(exc, f"archiving {response.url}")

    def _archive(self, response: Response, request: Request) -> None:
        exchange = exchange_from(response, request)
        previous = request.meta.get("newsarchive_previous")
        location, warc_type = self.context.archive(exchange, previous)
        fetched_at = warc_date_to_fetched_at(location.warc_date)  # same instant as the record's WARC-Date
        self.context.remember_url(location.record_id, response.url)
        request.meta[META_LOCATION] = location
        request.meta[META_FETCHED_AT] = fetched_at
        embedded_by = request.meta.get(META_EMBEDDED_BY)
        if embedded_by:
            self.context.note_requisite(response.url, location, embedded_by)
        reason = "robots" if urlsplit(response.url).path == "/robots.txt" else None
        self.context.store.add_capture(
            crawl_id=self.context.crawl_id,
            url=response.url,
            method=request.method,
            fetched_at=fetched_at,
            status=response.status,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            size=len(exchange.body),
            duration_ms=round((request.meta.get("download_latency") or 0) * 1000, 1),
            truncated=exchange.truncated,
            reason=REQUISITE if embedded_by else reason,
            warc_type=warc_type,
            location=location,
            etag=response.headers.get("ETag", b"").decode("latin-1") or None,
            last_modified=response.headers.get("Last-Modified", b"").decode("latin-1") or None,
            redirect_to=self._redirect_to(response, exchange, previous),
            embedded_by=embedded_by,
        )

    def _redirect_to(self, response: Response, exchange: HttpExchange, previous: PreviousCapture | None) -> str | None:
        """``captures.redirect_to``: an HTTP redirect's target, or a meta refresh's that HeadMetaRefresh
        follows (archive/metarefresh.py, which ``reindex`` calls on the WARC record)."""
        if response.status == 304 and previous is not None:
            # Not modified: the crawl goes on with the archived copy (crawler/conditional.py), and where
            # its meta refresh leads was read when it was captured.
            return previous.redirect_to if self.refresh is not None else None
        return capture_redirect(response.url, response.status, response.headers.get, exchange.body, self.refresh)

    def spider_closed(self, spider, reason: str) -> None:
        try:
            self.context.writer.close()
        except OSError as exc:  # left as .open: the next run repairs it
            self.context.stop_writing(exc, "closing the WARC file")
        if self.context.write_error is not None:
            reason = WRITE_ERROR_REASON
        failed_seeds = getattr(spider, "failed_seeds", {})
        seeds = list(getattr(spider, "seeds", []) or [])
        if reason == "finished":
            status = "failed" if seeds and len(failed_seeds) >= len(seeds) else "finished"
        elif reason in ("shutdown", "cancelled"):
            status = "interrupted"
        else:
            status = "failed" if "error" in reason else "finished"
        try:
            row = self.context.store.finish_crawl(
                self.context.crawl_id,
                status=status,
                finish_reason=reason,
                warc_files=self.context.writer.files_written,
                failed_seeds=failed_seeds,
            )
        except WRITE_ERRORS as exc:
            # archive.db cannot take the row: the run's outcome is still reported (and the next run
            # records this one as interrupted).
            self.context.stop_writing(exc, "recording the crawl's end")
            stats = self.crawler.stats
            row = {"id": self.context.crawl_id, "status": status, "finish_reason": reason,
                   "pages_fetched": stats.get_value("response_received_count", 0) if stats else 0,
                   "fetch_errors": 0, "articles_new": stats.get_value("newsarchive/articles_new", 0) if stats else 0,
                   "articles_updated": stats.get_value("newsarchive/articles_updated", 0) if stats else 0,
                   "versions_new": 0, "warc_files": json.dumps(self.context.writer.files_written),
                   "failed_seeds": json.dumps(failed_seeds)}
        self.context.result = row
        logger.info(
            "crawl %s %s (%s): %s pages fetched, %s errors, %s new articles, %s updated",
            row["id"], status, reason, row["pages_fetched"], row["fetch_errors"],
            row["articles_new"] or 0, row["articles_updated"] or 0,
        )


_RECORDED_SETTINGS = (
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "AUTOTHROTTLE_ENABLED",
    "DOWNLOAD_DELAY",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "CLOSESPIDER_PAGECOUNT",
    "NEWSARCHIVE_MAX_DEPTH",
    "NEWSARCHIVE_EXTRACT",
    "NEWSARCHIVE_PAGE_REQUISITES",
    "NEWSARCHIVE_WARC_MAX_SIZE",
)


def record_fetch_error(
    crawler: Crawler, request: Request, error: BaseException | None, reason: str | None = None
) -> None:
    """Note a fetch that produced no response in ``captures``: an ``error`` (DNS, refused, timeout...)
    or, with ``error=None``, a ``reason`` it was not made (robots.txt)."""
    context = ArchiveContext.of(crawler)
    context.store.add_capture(
        crawl_id=context.crawl_id,
        url=request.url,
        method=request.method,
        fetched_at=utcnow(),
        error=f"{type(error).__name__}: {error}".strip()[:500] if error is not None else None,
        reason=reason,
        duration_ms=round((time.time() - request.meta.get("_fetch_started", time.time())) * 1000, 1),
        embedded_by=request.meta.get(META_EMBEDDED_BY),
    )


def location_of(request_or_response) -> RecordLocation | None:
    return request_or_response.meta.get(META_LOCATION)
