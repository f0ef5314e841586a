"""Conditional requests for recrawled seeds, sitemaps, feeds and the pages they list.

A request whose ``meta["discovered_via"]`` is ``seed``, ``robots``, ``sitemap`` or ``feed`` is sent with
``If-None-Match``/``If-Modified-Since`` taken from the newest complete 200 capture of the same URL in
``captures``. A ``304 Not Modified`` answer is archived by the archive extension as a revisit record
(profile server-not-modified) referring to the response that holds the body; then this middleware
hands the spider that archived response (status 200, flag ``not-modified``), so discovery carries on
from an unchanged sitemap exactly as from a fresh one. Pages found by links are not made conditional:
their recaptures are deduplicated by payload digest instead (archive/dedup.py).
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from archive.dedup import PreviousCapture, previous_capture
from archive.warcreader import RecordNotFound, read_record
from crawler.archiving import ArchiveContext

logger = logging.getLogger(__name__)

CONDITIONAL_VIA = frozenset({"seed", "robots", "sitemap", "feed"})
META_PREVIOUS = "newsarchive_previous"  # request.meta: PreviousCapture the validators came from


class ConditionalRequestMiddleware:
    """Downloader middleware (next to the downloader, before HttpCompressionMiddleware decodes)."""

    def __init__(self, crawler: Crawler) -> None:
        self.context = ArchiveContext.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        if not crawler.settings.getbool("NEWSARCHIVE_CONDITIONAL_REQUESTS", True):
            raise NotConfigured("NEWSARCHIVE_CONDITIONAL_REQUESTS is off")
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        # Not Scrapy's own robots.txt request (RobotsTxtMiddleware): the spider reads Sitemap: lines
        # from it at response_downloaded, before any middleware could swap a 304 for the archived copy.
        if request.meta.get("discovered_via") not in CONDITIONAL_VIA or request.method != "GET":
            return None
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return None
        previous = previous_capture(self.context.store.db.conn, request.url)
        if previous is None:
            return None
        if previous.etag:
            request.headers[b"If-None-Match"] = previous.etag
        if previous.last_modified:
            request.headers[b"If-Modified-Since"] = previous.last_modified
        request.meta[META_PREVIOUS] = previous
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        previous: PreviousCapture | None = request.meta.get(META_PREVIOUS)
        if response.status != 304 or previous is None:
            return response
        original = previous.original
        try:
            stored = read_record(self.context.store.warc_dir, original.filename, original.offset, original.length)
        except RecordNotFound as exc:
            logger.warning("%s not modified, but its archived copy is unreadable (%s)", request.url, exc)
            return response
        headers = Headers()
        for name, value in stored.headers:
            headers.appendlist(name, value)
        cls = responsetypes.from_args(headers=headers, url=response.url, body=stored.raw_body)
        logger.info("%s not modified since %s: parsing the archived copy", request.url, original.warc_date)
        return cls(
            url=response.url,
            status=stored.status or 200,
            headers=headers,
            body=stored.raw_body,
            request=request,
            flags=[*response.flags, "not-modified"],
            ip_address=response.ip_address,
            protocol=response.protocol,
        )
