"""Extract articles in worker processes and store them.

trafilatura costs 30-50 ms of CPU a page: run on the reactor thread it would stall every download, so
pages go to a process pool (one worker per core by default) and the reactor only awaits the result.
SQLite writes stay on the reactor thread, in one connection, after the WARC record is on disk.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from concurrent.futures.process import BrokenProcessPool

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archive import versions
from archive.boilerplate import SiteBoilerplate
from archive.extract import MIN_ARTICLE_WORDS, Article, Hints, extract_article, without_blocks
from archive.heap import DEFAULT_EXTRACT_MEMORY_MB, init_extraction_worker, then_release
from archive.reextract import extract_from_record, update_article
from archive.store import site_of
from archive.workerpool import TaskTimeout, WorkerPool
from crawler.archiving import WRITE_ERRORS, ArchiveContext
from crawler.items import ArticlePage, CaptureOutcome

logger = logging.getLogger(__name__)


# SQLite result codes that mean archive.db cannot be written at all (disk full, I/O error, read-only).
UNWRITABLE_DB_ERRORS = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY")


class ExtractionTimeout(Exception):
    """A page took longer than NEWSARCHIVE_EXTRACT_TIMEOUT in a worker."""


# Workers run functions of the pure archive package only, so they never import Scrapy or Twisted.
WARM_UP_PAGE = b"<html><body><article><p>Warm-up page so each worker loads trafilatura once.</p></article></body></html>"


class ArticlePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = ArchiveContext.of(crawler)
        self.enabled = crawler.settings.getbool("NEWSARCHIVE_EXTRACT", True)
        self.workers = crawler.settings.getint("NEWSARCHIVE_EXTRACT_WORKERS") or os.cpu_count() or 1
        self.timeout = crawler.settings.getfloat("NEWSARCHIVE_EXTRACT_TIMEOUT", 120) or None
        self.max_memory = crawler.settings.getint("NEWSARCHIVE_EXTRACT_MEMORY", DEFAULT_EXTRACT_MEMORY_MB) * 1024 * 1024 or None
        self.pool: WorkerPool | None = None
        self._boilerplate: SiteBoilerplate | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticlePipeline:
        return cls(crawler)

    def _new_pool(self) -> WorkerPool:
        # Fresh processes (archive/workerpool.py): workers do not inherit the reactor, sockets or open
        # WARC file of this process, and no forkserver or resource tracker process runs beside them.
        pool = WorkerPool(
            self.workers,
            initializer=init_extraction_worker,  # malloc settings; ignore Ctrl-C; exit with the crawl
            initargs=(os.getpid(), self.max_memory),  # each worker's data capped (NEWSARCHIVE_EXTRACT_MEMORY)
            timeout=self.timeout,  # a page stuck past it fails alone; its worker is replaced
        )
        for _ in range(self.workers):
            pool.submit(extract_article, WARM_UP_PAGE, "http://localhost/")
        return pool

    def open_spider(self) -> None:
        if self.enabled:
            self.pool = self._new_pool()

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=False)
            self.pool = None

    @property
    def boilerplate(self) -> SiteBoilerplate:
        """Per-site learned boilerplate (archive/boilerplate.py), kept in this process's SQLite connection."""
        if self._boilerplate is None:
            self._boilerplate = SiteBoilerplate(self.context.store.db)
        return self._boilerplate

    async def _learn(self, article: Article) -> Article:
        """Count the article's blocks for its site; when some become boilerplate, drop them from this
        article and clean the site's stored articles that hold them again, from their WARC records."""
        site = site_of(article.url)
        try:
            learned = self.boilerplate.observe(site, article.url, article.blocks, article.text.split("\n"))
        except sqlite3.Error as exc:  # learning is an improvement; the article is stored regardless
            if getattr(exc, "sqlite_errorname", "").startswith(UNWRITABLE_DB_ERRORS):
                raise  # the archive cannot be written at all: the crawl stops (process_item)
            logger.warning("boilerplate counts for %s not updated: %r", article.url, exc)
            return article
        if not learned:
            # Blocks learned while this page was in a worker are dropped here.
            known = self.boilerplate.known(site)
            return without_blocks(article, known) if known.intersection(article.blocks) else article
        logger.info("%s: %d block(s) learned as boilerplate", site, len(learned))
        store, known = self.context.store, self.boilerplate.known(site)
        for url in self.boilerplate.pages_with(site, learned):
            row = store.article(url) if url != article.url else None
            if row is None or row.get("warc_filename") is None:
                continue
            try:
                cleaned = await self._in_pool(url, then_release, extract_from_record, store.warc_dir, row, known)
            except Exception as exc:  # noqa: BLE001 (a stored page that no longer extracts keeps its row)
                logger.warning("re-cleaning %s failed: %r", url, exc)
                continue
            if cleaned is not None and cleaned.word_count >= MIN_ARTICLE_WORDS:
                update_article(store.db, row["url"], cleaned)
        return without_blocks(article, known)

    async def _bring_latest_version_up_to_date(self, article: Article, payload_digest: str | None) -> None:
        """When another extractor made the article's latest version (newsarchive or trafilatura upgraded
        since), extract that version's capture again, in a worker from its WARC record, before the new
        capture is compared with it: what the extractor now does differently is no revision. Once per
        article and upgrade (the version row then names this extractor); ``reextract --stale`` does the
        same for the whole archive at once."""
        store, url = self.context.store, article.url
        last = versions.stale_latest(store.db, url, article.extractor_version, payload_digest)
        if last is None:
            return
        known = self.boilerplate.known(site_of(url))
        try:
            again = await self._in_pool(url, then_release, extract_from_record, store.warc_dir, last, known)
        except Exception as exc:  # noqa: BLE001 (the new capture is stored regardless)
            logger.warning("re-extracting the latest version of %s failed: %r", url, exc)
            return
        if again is not None:
            with store.db.conn:
                versions.reclean(store.db, url, last["warc_record_id"], again.title, again.text, again.extractor_version)

    async def _run_extract(self, item: ArticlePage) -> Article | None:
        known = self.boilerplate.known(site_of(item.url))
        return await self._in_pool(item.url, then_release, extract_article, item.body, item.url, item.content_type,
                                   Hints.from_listing(item.hints), known)

    async def _in_pool(self, url: str, *args):
        """Run ``args`` (a function and its arguments) in the pool, about the page at ``url``.

        A worker died (out of memory, a crash in lxml on a hostile page): start a fresh pool and try
        once more; if it kills a worker again, the caller records it and moves on. Every page in flight
        gets BrokenProcessPool (the broken pool fails them all itself, so they are not cancelled here);
        only the first replaces the pool (the others would shut down the new one, cancelling the retries
        already sent to it). A page past the timeout fails alone, without a retry (``ExtractionTimeout``):
        the pool replaced only its worker."""
        assert self.pool is not None
        pool = self.pool
        try:
            return await self._wait(pool, url, args)
        except BrokenProcessPool:
            self._replace(pool, f"extraction worker died on {url}; restarting the pool")
            return await self._wait(self.pool, url, args)

    async def _wait(self, pool: WorkerPool, url: str, args: tuple):
        try:
            return await asyncio.wrap_future(pool.submit(*args))
        except TaskTimeout:
            # The page was stuck in its worker (a pathological page can keep lxml busy for minutes):
            # the pool killed that worker and started another; the other pages in flight go on.
            logger.warning("extraction of %s took over %g s; its worker was killed and replaced", url, self.timeout)
            raise ExtractionTimeout(url) from None

    def _replace(self, pool: WorkerPool, why: str) -> None:
        if self.pool is pool:
            logger.warning(why)
            pool.shutdown(wait=False)
            self.pool = self._new_pool()

    async def process_item(self, item):
        if self.context.write_error is not None:
            return item  # the crawl is stopping: the archive cannot be written
        try:
            return await self._store(item)
        except WRITE_ERRORS as exc:
            self.context.stop_writing(exc, f"storing {getattr(item, 'url', None) or 'an outcome'}")
            return item

    async def _store(self, item):
        store = self.context.store
        if isinstance(item, (CaptureOutcome, ArticlePage)):
            self.context.note_item(item)  # WARC metadata record: what reindex needs to rebuild this row
        if isinstance(item, CaptureOutcome):
            store.set_capture_reason(item.location.record_id, item.reason)
            return item
        if not isinstance(item, ArticlePage):
            return item
        if not self.enabled:
            store.set_capture_reason(item.location.record_id, "article-not-extracted")
            return item
        try:
            article = await self._run_extract(item)
        except ExtractionTimeout:
            store.set_capture_reason(item.location.record_id, "extract-timeout")
            raise DropItem(f"extraction took over {self.timeout:g} s: {item.url}") from None
        except MemoryError:
            # The page needed more than NEWSARCHIVE_EXTRACT_MEMORY in its worker (a hostile page: a
            # megabyte of links makes trafilatura's trees take ~500 MB); that worker freed it and goes on.
            logger.warning("extraction of %s needed over %d MB; recorded as extract-memory", item.url,
                           self.max_memory // (1024 * 1024))
            store.set_capture_reason(item.location.record_id, "extract-memory")
            raise DropItem(f"extraction needed too much memory: {item.url}") from None
        except Exception as exc:  # noqa: BLE001 (a bad page must never stop the crawl)
            logger.warning("extraction failed on %s: %r", item.url, exc)
            store.set_capture_reason(item.location.record_id, f"extract-error: {type(exc).__name__}")
            raise DropItem(f"extraction failed: {item.url}") from exc
        if article is None or article.word_count < MIN_ARTICLE_WORDS:
            store.set_capture_reason(item.location.record_id, "no-article-text")
            raise DropItem(f"no article text: {item.url}")
        article = await self._learn(article)
        if article.word_count < MIN_ARTICLE_WORDS:
            # All but a few words were the site's boilerplate (a consent wall every article URL answers
            # with): stored, it was an article of no text.
            store.set_capture_reason(item.location.record_id, "no-article-text")
            raise DropItem(f"no article text once the site's boilerplate is dropped: {item.url}")
        await self._bring_latest_version_up_to_date(article, item.location.payload_digest)
        outcome = store.save_article(
            article,
            location=item.location,
            crawl_id=self.context.crawl_id,
            fetched_at=item.fetched_at,
            status=item.status,
            discovered_via=item.discovered_via,
            sitemap_lastmod=item.hints.get("lastmod"),
            listing=item.hints,
        )
        store.set_capture_reason(item.location.record_id, "article")
        store.bump_crawl(self.context.crawl_id, "articles_new" if outcome == "new" else "articles_updated")
        self.crawler.stats.inc_value(f"newsarchive/articles_{outcome}")
        return item
