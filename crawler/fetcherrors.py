"""Record fetches that never produced a response (DNS failure, refused, timeout, reset) in ``captures``."""

from __future__ import annotations

import time

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from crawler.archiving import record_fetch_error


class FetchErrorMiddleware:
    """Downloader middleware placed next to the downloader, so every failed attempt is seen,
    including those RetryMiddleware retries afterwards."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchErrorMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        request.meta["_fetch_started"] = time.time()
        return None

    def process_exception(self, request: Request, exception: BaseException) -> None:
        if isinstance(exception, IgnoreRequest):
            # Not a failure but a decision (robots.txt said no): recorded, so nothing is silently skipped.
            record_fetch_error(self.crawler, request, None, reason=f"ignored: {exception}"[:200])
        else:
            record_fetch_error(self.crawler, request, exception)
        return None
