"""Incremental runs: drop requests for archived URLs that have not changed and are not due.

A spider middleware, so every spider gets it. Seeds (the spider's start requests) always pass, and so
do sitemaps and feeds (``meta["kind"]``: one that is gone today may come back). Every other request
whose URL the archive already settled (``archive.schedule.previous_capture``: an ``articles`` row, a
capture that found no article, a 404/410 for a page request, a redirect to any of these) passes only
when ``archive.schedule`` gives a reason: the sitemap/feed date listed with it
(``meta["hints"]["lastmod"]``) is newer than the stored capture, or a recapture is due
(``NEWSARCHIVE_RECAPTURE_AFTER``). A page requisite (``kind`` ``requisite``) archived with a 2xx answer
is never fetched again (``archive.schedule.requisite_archived``). A primary-key lookup and an index lookup per request (see
bench/recapture.py).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.schedule import fetch_reason, parse_schedule, parse_time, previous_capture, requisite_archived
from archive.warcwriter import REQUISITE
from crawler.archiving import ArchiveContext

logger = logging.getLogger(__name__)
META_REASON = "recapture"  # request.meta: why an archived URL is fetched again (lastmod, due)
# request.meta: what the spider asks for ("sitemap", "feed", "listing", "article", "attachment"). Spiders
# that do not say are treated as before kinds existed: their 404s are fetched again every run.
META_KIND = "kind"
DISCOVERY_KINDS = frozenset({"robots", "sitemap", "feed"})  # always fetched, like seeds
# A page's embeds (images, stylesheets, scripts, fonts): skipped for good once archived with a 2xx
# (archive.schedule.requisite_archived); a 404/410 settles them as it settles a page.
REQUISITE_KIND = REQUISITE
PAGE_KINDS = frozenset({"article", "attachment", REQUISITE_KIND})  # settled by a 404/410 answer too


class RecaptureFilter:
    def __init__(self, crawler: Crawler) -> None:
        self.schedule = parse_schedule(crawler.settings.get("NEWSARCHIVE_RECAPTURE_AFTER"))
        self.trust_lastmod = crawler.settings.getbool("NEWSARCHIVE_TRUST_LASTMOD", True)
        self.context = ArchiveContext.of(crawler)
        self.stats = crawler.stats
        # URLs, not requests: a front page and a sitemap often list the same article.
        self.skipped: set[str] = set()
        self.requisites_skipped: set[str] = set()  # counted apart: a page embeds dozens
        self.passed: set[str] = set()
        self.started = datetime.now(UTC)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecaptureFilter:
        if not crawler.settings.getbool("NEWSARCHIVE_INCREMENTAL", True):
            raise NotConfigured("NEWSARCHIVE_INCREMENTAL is off: archived articles are fetched again")
        return cls(crawler)

    def wanted(self, request: Request) -> bool:
        kind = request.meta.get(META_KIND)
        if request.meta.get("seed") or kind in DISCOVERY_KINDS:
            return True
        if kind == REQUISITE_KIND and requisite_archived(self.context.store.db.conn, request.url):
            self.requisites_skipped.add(request.url)
            return False
        previous = previous_capture(self.context.store.db.conn, request.url, page=kind in PAGE_KINDS)
        lastmod = (request.meta.get("hints") or {}).get("lastmod") if self.trust_lastmod else None
        reason = fetch_reason(previous, lastmod=lastmod, schedule=self.schedule)
        if reason is None:
            # When this URL itself last answered: for a redirect, its 3xx, not its target's capture.
            captured = parse_time(previous.redirected_at or previous.fetched_at) if previous is not None else None
            if captured is None or captured < self.started:  # else fetched by this very run: not "skipped"
                (self.requisites_skipped if kind == REQUISITE_KIND else self.skipped).add(request.url)
            return False
        if reason != "new":
            request.meta[META_REASON] = reason
            self.stats.inc_value(f"newsarchive/recapture/{reason}")
            logger.debug("fetching %s again (%s)", request.url, reason)
            self.passed.add(request.url)
        return True

    def fetched_by_this_run(self) -> set[str]:
        """URLs this run fetched: a skipped URL may still be among them (a due redirect led to it)."""
        conn = self.context.store.db.conn
        return {url for (url,) in conn.execute(
            "select distinct url from captures where crawl_id = ?", [self.context.crawl_id]
        )}

    def spider_closed(self, spider) -> None:
        skipped, requisites = self.skipped - self.passed, self.requisites_skipped - self.passed
        if skipped or requisites:
            fetched = self.fetched_by_this_run()
            skipped, requisites = skipped - fetched, requisites - fetched
        self.stats.set_value("newsarchive/recapture/skipped", len(skipped))
        self.stats.set_value("newsarchive/recapture/requisites_skipped", len(requisites))
        logger.info("%d archived URLs not fetched again (not listed as changed, not due), and %d archived page "
                    "requisites", len(skipped), len(requisites))

    def process_spider_output(self, response, result: Iterable) -> Iterator:
        for obj in result:
            if not isinstance(obj, Request) or self.wanted(obj):
                yield obj

    async def process_spider_output_async(self, response, result: AsyncIterator) -> AsyncIterator:
        async for obj in result:
            if not isinstance(obj, Request) or self.wanted(obj):
                yield obj
