"""Run one crawl in this process and report how it went (what ``newsarchive crawl`` calls)."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader

from archive.schedule import parse_schedule
from crawler import lock

SETTINGS_MODULE = "crawler.settings"
logger = logging.getLogger(__name__)


class CrawlSetupError(Exception):
    """The crawl could not start: an unknown spider, a setting Scrapy cannot read (``--set
    CONCURRENT_REQUESTS=many``), a component failing in ``from_crawler``. Nothing was archived."""


class UnknownSpider(CrawlSetupError):
    """``--spider`` names no spider of the project."""


@dataclass
class CrawlResult:
    crawl_id: str
    status: str  # finished, failed, interrupted
    finish_reason: str
    archive_dir: Path
    pages_fetched: int = 0
    fetch_errors: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    versions_new: int = 0
    skipped: int = 0  # archived pages not fetched again (not listed as changed, not due)
    requisites_skipped: int = 0  # archived page requisites (images, stylesheets...) not fetched again
    warc_files: list[str] = field(default_factory=list)
    failed_seeds: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"crawl {self.crawl_id} {self.status} ({self.finish_reason}): {self.pages_fetched} responses archived, "
            f"{self.fetch_errors} fetch errors, {self.articles_new} new articles, {self.articles_updated} updated ({self.versions_new} new versions), "
            f"{self.skipped} archived skipped"
            + (f" (and {self.requisites_skipped} archived page requisites)" if self.requisites_skipped else "")
            + f"; {len(self.warc_files)} WARC file(s) in {self.archive_dir / 'warc'}"
        )


def build_settings(
    archive_dir: Path,
    *,
    throttle: bool = True,
    extract: bool = True,
    max_pages: int = 0,
    depth: int | None = None,
    overrides: dict[str, object] | None = None,
    log_level: str = "INFO",
) -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    values: dict[str, object] = {
        "NEWSARCHIVE_ARCHIVE_DIR": str(archive_dir),
        "NEWSARCHIVE_EXTRACT": extract,
        "LOG_LEVEL": log_level,
        "LOGSTATS_INTERVAL": 15.0,
    }
    if not throttle:
        # Local sites and benchmarks: no politeness delays, but robots.txt is still obeyed.
        values.update(
            AUTOTHROTTLE_ENABLED=False,
            DOWNLOAD_DELAY=0,
            CONCURRENT_REQUESTS=32,
            CONCURRENT_REQUESTS_PER_DOMAIN=16,
        )
    if max_pages:
        values["CLOSESPIDER_PAGECOUNT"] = max_pages
    if depth is not None:
        values["NEWSARCHIVE_MAX_DEPTH"] = depth
    values.update(overrides or {})
    settings.setdict(values, priority="cmdline")
    return settings


def run_crawl(seeds: list[str], *, archive_dir: Path, spider: str = "news", **options) -> CrawlResult:
    """Run one crawl; raises ``lock.LockHeld`` at once when another crawl holds the archive, and
    ``archive.schedule.ScheduleError`` for a bad ``NEWSARCHIVE_RECAPTURE_AFTER``, :class:`CrawlSetupError`
    when the crawl could not start.

    SIGINT/SIGTERM (Scrapy's shutdown handlers) close the crawl gracefully: in-flight items are stored,
    WARC files closed, and the run recorded as ``interrupted``; a second signal forces the stop.
    """
    settings = build_settings(archive_dir, **options)
    parse_schedule(settings.get("NEWSARCHIVE_RECAPTURE_AFTER"))
    known = sorted(get_spider_loader(settings).list())
    if spider not in known:
        raise UnknownSpider(f"unknown spider {spider!r}; the spiders are {', '.join(known)}")
    lock.acquire(archive_dir)  # before Scrapy starts; the RunState extension re-enters it
    failures = []
    try:
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(spider)
        # Scrapy builds the components when the crawl starts, in a Deferred: a failure there would be an
        # "Unhandled error in Deferred" traceback. Logged (to the run's log) and reported instead.
        process.crawl(crawler, seeds=seeds).addErrback(failures.append)
        process.start()
    finally:
        lock.release(archive_dir)
    for failure in failures:
        logger.error("the crawl failed: %s", failure.getErrorMessage(),
                     exc_info=(failure.type, failure.value, failure.getTracebackObject()))
    context = getattr(crawler, "_newsarchive_context", None)
    row = context.result if context is not None else None
    if not row:
        if failures:
            raise CrawlSetupError(f"the crawl could not start: {failures[0].type.__name__}: {failures[0].getErrorMessage()}")
        return CrawlResult(crawl_id="?", status="failed", finish_reason="did not start", archive_dir=archive_dir)
    return CrawlResult(
        crawl_id=row["id"],
        status=row["status"],
        finish_reason=row["finish_reason"],
        archive_dir=archive_dir,
        pages_fetched=row["pages_fetched"] or 0,
        fetch_errors=row["fetch_errors"] or 0,
        articles_new=row["articles_new"] or 0,
        articles_updated=row["articles_updated"] or 0,
        versions_new=row.get("versions_new") or 0,
        skipped=crawler.stats.get_value("newsarchive/recapture/skipped", 0) if crawler.stats else 0,
        requisites_skipped=crawler.stats.get_value("newsarchive/recapture/requisites_skipped", 0) if crawler.stats else 0,
        warc_files=json.loads(row["warc_files"] or "[]"),
        failed_seeds=json.loads(row["failed_seeds"] or "{}"),
    )
